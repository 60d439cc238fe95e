// Argo CD project role policies, built from typed parts instead of free strings.
// The rules mirror Argo CD's AppProject validation (validatePolicy in
// pkg/apis/application/v1alpha1/types.go, rbac.ProjectScoped in util/rbac) and the actions its
// RBAC documentation lists for each project-scoped resource.
import { IConstruct } from 'constructs';
import { fail } from '../_internal/values';

/**
 * A resource a project role policy applies to.
 *
 * Only the resources Argo CD accepts in an AppProject role (its project-scoped resources) are
 * offered; `projects`, `accounts`, `certificates`, `gpgkeys` and `extensions` exist only in the
 * global RBAC ConfigMap (`argocd-rbac-cm`), so there is no `custom()`.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/rbac/
 */
export class PolicyResource {
  /** `applications`: get, create, update, delete, sync, override, `action/...`, `update/...`, `delete/...`, `*`. */
  public static readonly APPLICATIONS = new PolicyResource('applications', ['get', 'create', 'update', 'delete', 'sync', 'override', '*'], true);

  /** `applicationsets`: get, create, update, delete, `*`. */
  public static readonly APPLICATION_SETS = new PolicyResource('applicationsets', ['get', 'create', 'update', 'delete', '*'], false);

  /** `repositories` (project-scoped repositories): get, create, update, delete, `*`. */
  public static readonly REPOSITORIES = new PolicyResource('repositories', ['get', 'create', 'update', 'delete', '*'], false);

  /** `clusters` (project-scoped clusters): get, create, update, delete, `*`. */
  public static readonly CLUSTERS = new PolicyResource('clusters', ['get', 'create', 'update', 'delete', '*'], false);

  /** `logs` (the logs of the project's Applications): get, `*`. */
  public static readonly LOGS = new PolicyResource('logs', ['get', '*'], false);

  /** `exec` (a shell into the project's Application pods): create, `*`. */
  public static readonly EXEC = new PolicyResource('exec', ['create', '*'], false);

  private constructor(
    /** The resource as written in the policy line, e.g. `applications`. */
    public readonly value: string,
    /** @internal the simple actions the resource has */
    public readonly _actions: string[],
    /** @internal whether `action/`, `update/` and `delete/` sub-resource actions apply */
    public readonly _subResourceActions: boolean,
  ) {}

  /**
   * The actions this resource accepts, as written in policy lines.
   */
  public get actions(): string[] {
    return this._subResourceActions
      ? [...this._actions, 'action/<group>/<kind>/<action>', 'update/<group>/<kind>/<ns>/<name>', 'delete/<group>/<kind>/<ns>/<name>']
      : [...this._actions];
  }
}

const SUB_PATTERN = /^[^\s,]+$/;

/**
 * An action a project role policy allows or denies.
 *
 * @example
 * PolicyAction.SYNC
 * PolicyAction.action('apps/Deployment/restart')       // action/apps/Deployment/restart
 * PolicyAction.updateResource('*\/Pod/*\/*')            // update/*\/Pod/*\/*
 */
export class PolicyAction {
  /** `get`. */
  public static readonly GET = new PolicyAction('get');
  /** `create`. */
  public static readonly CREATE = new PolicyAction('create');
  /** `update`. */
  public static readonly UPDATE = new PolicyAction('update');
  /** `delete`. */
  public static readonly DELETE = new PolicyAction('delete');
  /** `sync` (applications only). */
  public static readonly SYNC = new PolicyAction('sync');
  /** `override` (applications only): override parameters at sync time. */
  public static readonly OVERRIDE = new PolicyAction('override');
  /** `*`: every action of the resource. */
  public static readonly ALL = new PolicyAction('*');

  /**
   * A resource action (applications only): `action/<group>/<kind>/<action>`, globs allowed.
   *
   * @param groupKindAction `<group>/<kind>/<action>`, e.g. `apps/Deployment/restart` or `*`
   */
  public static action(groupKindAction: string): PolicyAction {
    return PolicyAction.sub('action', groupKindAction, ['group', 'kind', 'action']);
  }

  /**
   * Fine-grained update of the Application's managed objects (applications only):
   * `update/<group>/<kind>/<ns>/<name>`, globs allowed.
   *
   * @param groupKindNamespaceName `<group>/<kind>/<ns>/<name>`, e.g. `apps/Deployment/*\/*`
   */
  public static updateResource(groupKindNamespaceName: string): PolicyAction {
    return PolicyAction.sub('update', groupKindNamespaceName, ['group', 'kind', 'ns', 'name']);
  }

  /**
   * Fine-grained delete of the Application's managed objects (applications only):
   * `delete/<group>/<kind>/<ns>/<name>`, globs allowed.
   *
   * @param groupKindNamespaceName `<group>/<kind>/<ns>/<name>`, e.g. `*\/Pod/*\/*`
   */
  public static deleteResource(groupKindNamespaceName: string): PolicyAction {
    return PolicyAction.sub('delete', groupKindNamespaceName, ['group', 'kind', 'ns', 'name']);
  }

  private static sub(prefix: string, rest: string, parts: string[]): PolicyAction {
    if (typeof rest !== 'string' || !SUB_PATTERN.test(rest)) {
      fail(undefined, 'policy action', `${prefix}/${rest}`, `is not valid; the part after '${prefix}/' must be non-empty, without spaces or commas`);
    }
    // Argo CD accepts any `${prefix}/...` (its rule is the regexp `${prefix}/.*`), but it checks
    // requests as `${prefix}/<group>/<kind>/...` (server/application: "%s/%s/%s/%s"), so a value
    // with another number of parts and no '*' (which spans '/') never matches: it grants nothing.
    const split = rest.split('/');
    const last = split[split.length - 1];
    if (!rest.includes('*') && (split.length !== parts.length || split[1] === '' || last === '')) {
      const form = `${prefix}/<${parts.join('>/<')}>`;
      fail(undefined, 'policy action', `${prefix}/${rest}`, `is not of the form '${form}' (the group may be empty, '*' spans parts); `
        + `Argo CD would accept it but checks requests as '${form}', so the policy would never match; e.g. '${prefix === 'action' ? 'action/apps/Deployment/restart' : `${prefix}/apps/Deployment/*/*`}'`);
    }
    return new PolicyAction(`${prefix}/${rest}`);
  }

  private constructor(
    /** The action as written in the policy line, e.g. `sync` or `action/apps/Deployment/restart`. */
    public readonly value: string,
  ) {}
}

/**
 * Whether a policy allows or denies.
 */
export enum PolicyEffect {
  /** `allow`. */
  ALLOW = 'allow',
  /** `deny`. */
  DENY = 'deny',
}

/**
 * What a role policy grants.
 */
export interface RolePolicyOptions {
  /** The resource, e.g. `PolicyResource.APPLICATIONS`. */
  readonly resource: PolicyResource;

  /** The action; it must be one the resource has. */
  readonly action: PolicyAction;

  /**
   * The object within the project: an application (or ApplicationSet, repository, cluster) name
   * or a glob, without the `<project>/` prefix, which the library writes.
   *
   * @default '*' (every object of the project)
   */
  readonly object?: string;

  /**
   * The namespace of the Applications the policy is about (apps in any namespace); the object is
   * then written `<project>/<appNamespace>/<object>`.
   *
   * @default - no namespace part: `<project>/<object>`
   */
  readonly appNamespace?: string;
}

/** Argo CD's object rule: `^<project>(/[*\w-.]+){1,2}$` (Go's `\w` is ASCII). */
const OBJECT_PART = /^[*A-Za-z0-9_.-]+$/;

/**
 * One policy of a project role, written by the library as
 * `p, proj:<project>:<role>, <resource>, <action>, <project>/<object>, <effect>`.
 *
 * @example
 * RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.SYNC })
 * // p, proj:team-a:deployer, applications, sync, team-a/*, allow
 */
export class RolePolicy {
  /**
   * A policy that allows.
   *
   * @param options resource, action, object
   */
  public static allow(options: RolePolicyOptions): RolePolicy {
    return new RolePolicy(options, PolicyEffect.ALLOW);
  }

  /**
   * A policy that denies.
   *
   * @param options resource, action, object
   */
  public static deny(options: RolePolicyOptions): RolePolicy {
    return new RolePolicy(options, PolicyEffect.DENY);
  }

  /** The resource. */
  public readonly resource: PolicyResource;
  /** The action. */
  public readonly action: PolicyAction;
  /** The object within the project (without the project prefix). */
  public readonly object: string;
  /** The Applications' namespace, when given. */
  public readonly appNamespace?: string;
  /** Allow or deny. */
  public readonly effect: PolicyEffect;

  private constructor(options: RolePolicyOptions, effect: PolicyEffect) {
    this.resource = options?.resource;
    this.action = options?.action;
    this.object = options?.object ?? '*';
    this.appNamespace = options?.appNamespace;
    this.effect = effect;
  }

  /**
   * Checks the policy against Argo CD's rules; throws a ValidationError about `scope`.
   * @internal
   */
  public _check(scope: IConstruct | undefined, field: string): void {
    if (!(this.resource instanceof PolicyResource)) {
      fail(scope, `${field} resource`, this.resource, 'is not a PolicyResource; use PolicyResource.APPLICATIONS, APPLICATION_SETS, REPOSITORIES, CLUSTERS, LOGS or EXEC');
    }
    if (!(this.action instanceof PolicyAction)) {
      fail(scope, `${field} action`, this.action, 'is not a PolicyAction; use PolicyAction.GET, SYNC, ALL, ... or PolicyAction.action()');
    }
    const action = this.action.value;
    const sub = /^(action|update|delete)\//.test(action);
    if (sub ? !this.resource._subResourceActions : !this.resource._actions.includes(action)) {
      fail(scope, `${field} action`, action, `is not an action of resource '${this.resource.value}'; allowed: ${this.resource.actions.join(', ')}`);
    }
    if (typeof this.object !== 'string' || !OBJECT_PART.test(this.object)) {
      fail(scope, `${field} object`, this.object, 'is not a valid object; use a name or glob of letters, digits, \'_\', \'-\', \'.\' and \'*\' without the project prefix (the library writes \'<project>/\'); for another namespace set appNamespace, for another project add the role to that project');
    }
    if (this.appNamespace !== undefined && (typeof this.appNamespace !== 'string' || !OBJECT_PART.test(this.appNamespace))) {
      fail(scope, `${field} appNamespace`, this.appNamespace, 'is not a valid namespace or glob; use letters, digits, \'_\', \'-\', \'.\' and \'*\'');
    }
  }

  /**
   * The policy line for `project` and `role`.
   * @internal
   */
  public _render(project: string, role: string): string {
    const object = this.appNamespace !== undefined ? `${project}/${this.appNamespace}/${this.object}` : `${project}/${this.object}`;
    return `p, proj:${project}:${role}, ${this.resource.value}, ${this.action.value}, ${object}, ${this.effect}`;
  }
}
