import { Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AppProjectSpec, ArgoAppProject } from '../../imports/appproject-argoproj.io';
import { renderGoDuration } from '../_internal/go-duration';
import { checkNamespace, checkNonEmpty, checkObjectName, fail, undefinedIfEmpty } from '../_internal/values';
import {
  destinationKey, destinationPartProblem, groupNameProblem, projectSpecProblems, resourcePatternProblem, roleNameProblem,
  panicProblem, scheduleProblem, sourceNamespaceProblem, sourceRepoProblem, timeZoneProblem, serviceAccountPartProblem, defaultServiceAccountProblem,
} from './_project-rules';
import { IN_CLUSTER_SERVER } from './destination';
import { IAppProject } from './project-ref';
import { RolePolicy } from './rbac';
import { GitIntegrityPolicy, _checkGitIntegrityPolicy, _renderSourceIntegrity } from './source-integrity';
import { SyncWindowKind, SyncWindows, SyncWindowsAt } from './sync-windows';
// every synthesis checks Applications against their projects
import './project-check';

export { SyncWindowKind } from './sync-windows';

const APP_PROJECT = Symbol.for('cdk8s-argocd.AppProject');

/**
 * A destination an AppProject permits: a cluster (by API server URL or registered name) and a
 * namespace. Every part may be a glob (`https://*.k8s.example.com`, `team-a-*`) or a `!` deny
 * pattern (`!kube-system`), as Argo CD matches them.
 *
 * @example
 * ProjectDestination.inCluster('team-a-*')
 * ProjectDestination.server('*', '!kube-system')
 * ProjectDestination.clusterName('prod-*', 'payments')
 */
export class ProjectDestination {
  /**
   * Clusters by API server URL (or a glob of it).
   *
   * @param server the API server URL or a glob, e.g. `https://*.k8s.example.com` or `*`
   * @param namespace the namespace or a glob; leave out only for Applications that set no
   * destination namespace (Argo CD matches an absent pattern against the empty namespace only)
   */
  public static server(server: string, namespace?: string): ProjectDestination {
    return new ProjectDestination(server, undefined, namespace);
  }

  /**
   * Clusters by the name they are registered under in Argo CD (or a glob of it).
   *
   * @param name the registered cluster name or a glob, e.g. `prod-*`
   * @param namespace the namespace or a glob
   */
  public static clusterName(name: string, namespace?: string): ProjectDestination {
    return new ProjectDestination(undefined, name, namespace);
  }

  /**
   * The cluster Argo CD runs in (`https://kubernetes.default.svc`).
   *
   * @param namespace the namespace or a glob
   */
  public static inCluster(namespace?: string): ProjectDestination {
    return new ProjectDestination(IN_CLUSTER_SERVER, undefined, namespace);
  }

  private constructor(
    /** The server pattern, when given by server. */
    public readonly serverPattern: string | undefined,
    /** The cluster name pattern, when given by name. */
    public readonly clusterNamePattern: string | undefined,
    /** The namespace pattern, when given. */
    public readonly namespace: string | undefined,
  ) {}

  /** @internal */
  public _toKube(): { server?: string; name?: string; namespace?: string } {
    const out: { server?: string; name?: string; namespace?: string } = {};
    if (this.serverPattern !== undefined) out.server = this.serverPattern;
    if (this.clusterNamePattern !== undefined) out.name = this.clusterNamePattern;
    if (this.namespace !== undefined) out.namespace = this.namespace;
    return out;
  }
}

/**
 * A Kubernetes group and kind in a namespaced resource allow or deny list.
 * Both are Go `filepath.Match` patterns (`*` matches any).
 */
export interface ResourceKind {
  /** The API group, `''` for the core group, or a pattern such as `*`. */
  readonly group: string;
  /** The kind, e.g. `Deployment`, or a pattern such as `*`. */
  readonly kind: string;
}

/**
 * A Kubernetes group and kind (and optionally name) in a cluster resource allow or deny list.
 */
export interface ClusterResourceKind extends ResourceKind {
  /**
   * The object name, a Go `filepath.Match` pattern.
   *
   * @default - every object of the group and kind
   */
  readonly name?: string;
}

/**
 * The service account Argo CD impersonates when syncing to a destination.
 */
export interface DestinationServiceAccount {
  /** The destination server URL or a glob (without `!`: Argo CD refuses it here). */
  readonly server: string;

  /**
   * The destination namespace or a glob (without `!`).
   *
   * @default - not written; matches Applications whose destination sets no namespace
   */
  readonly namespace?: string;

  /**
   * The service account to impersonate, `name` or `namespace:name`: not blank, and without any of
   * `!*[]{}\/` (Argo CD's rule).
   */
  readonly defaultServiceAccount: string;
}

/**
 * An object orphaned-resource monitoring ignores.
 */
export interface OrphanedResourceKey {
  /**
   * The API group.
   *
   * @default - not written; any group
   */
  readonly group?: string;

  /**
   * The kind.
   *
   * @default - not written; any kind
   */
  readonly kind?: string;

  /**
   * The name (a glob).
   *
   * @default - not written; any name
   */
  readonly name?: string;
}

/**
 * Orphaned-resource monitoring: objects in the destination namespaces that no Application manages.
 */
export interface OrphanedResources {
  /**
   * Whether Applications get a warning condition when orphaned objects exist.
   *
   * @default - not written; Argo CD shows orphaned objects without a warning
   */
  readonly warn?: boolean;

  /**
   * Objects monitoring ignores.
   *
   * @default - none
   */
  readonly ignore?: OrphanedResourceKey[];
}

/**
 * Options for `AppProject.addRole()`.
 */
export interface AddRoleOptions {
  /**
   * What the role is for.
   *
   * @default - not written
   */
  readonly description?: string;

  /**
   * The role's policies; sugar for `ProjectRole.addPolicy()`.
   *
   * @default - none; add them with `addPolicy()`
   */
  readonly policies?: RolePolicy[];

  /**
   * SSO (OIDC) groups bound to the role; sugar for `ProjectRole.addGroup()`.
   *
   * @default - none; add them with `addGroup()`
   */
  readonly groups?: string[];
}

/**
 * A role of an AppProject: policies built with `RolePolicy` and the SSO groups bound to it.
 * Create it with `AppProject.addRole()`.
 */
export class ProjectRole {
  /** The role's name. */
  public readonly name: string;
  /** The role's description, when given. */
  public readonly description?: string;
  private readonly _policies: RolePolicy[] = [];
  private readonly _lines: string[] = [];
  private readonly _groups: string[] = [];

  /** @internal */
  public static _create(project: AppProject, index: number, name: string, options: AddRoleOptions): ProjectRole {
    return new ProjectRole(project, index, name, options);
  }

  private constructor(private readonly project: AppProject, private readonly index: number, name: string, options: AddRoleOptions) {
    this.name = name;
    this.description = options.description;
    for (const p of options.policies ?? []) this.addPolicy(p);
    for (const g of options.groups ?? []) this.addGroup(g);
  }

  /**
   * Adds a policy; the line `p, proj:<project>:<role>, ...` is written by the library.
   *
   * @param policy e.g. `RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.SYNC })`
   * @throws ValidationError when the action is not one of the resource's or the policy is already there
   */
  public addPolicy(policy: RolePolicy): void {
    const field = `spec.roles[${this.index}].policies[${this._lines.length}]`;
    if (!(policy instanceof RolePolicy)) {
      fail(this.project, field, policy, 'is not a RolePolicy; build it with RolePolicy.allow() or RolePolicy.deny()');
    }
    policy._check(this.project, field);
    const line = policy._render(this.project.projectName, this.name);
    if (this._lines.includes(line)) {
      fail(this.project, field, line, `is already in role '${this.name}' (Argo CD rule: policy already exists for role); add it once`);
    }
    this._policies.push(policy);
    this._lines.push(line);
  }

  /**
   * Binds an SSO (OIDC) group to the role.
   *
   * @param group the group name as the identity provider sends it; quote names with commas
   * @throws ValidationError for an invalid or duplicate group
   */
  public addGroup(group: string): void {
    const field = `spec.roles[${this.index}].groups[${this._groups.length}]`;
    const p = groupNameProblem(group);
    if (p) fail(this.project, field, group, p);
    if (this._groups.includes(group)) {
      fail(this.project, field, group, `is already bound to role '${this.name}' (Argo CD rule: group already exists for role); add it once`);
    }
    this._groups.push(group);
  }

  /** The policy lines, as written. Returns a copy; to add one use `addPolicy()`. */
  public get policies(): string[] {
    return [...this._lines];
  }

  /** The bound groups. Returns a copy; to add one use `addGroup()`. */
  public get groups(): string[] {
    return [...this._groups];
  }

  /** @internal */
  public _toKube(): { name: string; description?: string; policies?: string[]; groups?: string[] } {
    const out: { name: string; description?: string; policies?: string[]; groups?: string[] } = { name: this.name };
    if (this.description !== undefined) out.description = this.description;
    if (this._lines.length) out.policies = [...this._lines];
    if (this._groups.length) out.groups = [...this._groups];
    return out;
  }
}

/**
 * A sync window: when syncs of the project's Applications may (allow) or may not (deny) run.
 * At least one of applications, namespaces and clusters is required.
 */
export interface SyncWindowOptions {
  /** Allow or deny. */
  readonly kind: SyncWindowKind;

  /**
   * When the window opens: a 5-field cron expression (minute hour day-of-month month
   * day-of-week 0-6, no seconds), read as Argo CD reads it (robfig/cron: no `@daily`
   * descriptors, no `L`, `W` or `#`). The window is open from just after each start for
   * `duration`.
   */
  readonly schedule: string;

  /** How long the window stays open, in whole seconds or more (no days); written as `1h30m`. */
  readonly duration: Duration;

  /**
   * Application names (globs) the window applies to.
   *
   * @default - none
   */
  readonly applications?: string[];

  /**
   * Destination namespaces (globs) the window applies to.
   *
   * @default - none
   */
  readonly namespaces?: string[];

  /**
   * Destination clusters (server URLs or names, globs) the window applies to.
   *
   * @default - none
   */
  readonly clusters?: string[];

  /**
   * Whether manual syncs may run while a deny window blocks automated ones.
   *
   * @default - not written; Argo CD blocks manual syncs too
   */
  readonly manualSync?: boolean;

  /**
   * The IANA time zone the schedule is read in, e.g. `Europe/Berlin`, spelled exactly as in the
   * tz database (Argo CD reads an unknown zone silently as UTC; the library refuses it). Argo CD
   * applies the zone's UTC offset at the moment it evaluates the window.
   *
   * @default - not written; Argo CD reads the schedule in UTC
   */
  readonly timeZone?: string;

  /**
   * Whether an Application must match applications AND namespaces AND clusters.
   *
   * @default - not written; Argo CD matches any of them (OR)
   */
  readonly andOperator?: boolean;

  /**
   * Whether syncs that are running when the window state changes may finish.
   *
   * @default - not written; Argo CD does not let them overrun
   */
  readonly syncOverrun?: boolean;

  /**
   * A description, e.g. a ticket number (at most 255 characters).
   *
   * @default - not written
   */
  readonly description?: string;
}

/**
 * Props for `AppProject`. Every prop is optional.
 */
export interface AppProjectProps {
  /**
   * The project's name (`metadata.name`), a DNS-1123 subdomain.
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The namespace Argo CD runs in, where AppProjects must live.
   *
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * Labels of the AppProject object.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the AppProject object.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * What the project is for.
   *
   * @default - not written
   */
  readonly description?: string;

  /**
   * Repository URLs (globs, `!` to deny) Applications may use; sugar for `addSourceRepo()`.
   *
   * @default - none: the project permits no repository until one is added
   */
  readonly sourceRepos?: string[];

  /**
   * Namespaces outside Argo CD's own where the project's Applications may live (apps in any
   * namespace): globs, or regular expressions written `/.../` (regexp2, the .NET syntax Argo CD
   * uses: lookarounds allowed, unanchored); sugar for `addSourceNamespace()`.
   *
   * @default - none: Applications must live in Argo CD's namespace
   */
  readonly sourceNamespaces?: string[];

  /**
   * Where Applications may deploy; sugar for `addDestination()`.
   *
   * @default - none: the project permits no destination until one is added
   */
  readonly destinations?: ProjectDestination[];

  /**
   * Service accounts to impersonate per destination; sugar for `addDestinationServiceAccount()`.
   *
   * @default - none
   */
  readonly destinationServiceAccounts?: DestinationServiceAccount[];

  /**
   * Cluster-scoped kinds Applications may deploy; sugar for `allowClusterResource()`.
   *
   * @default - none: Argo CD permits no cluster-scoped kind
   */
  readonly clusterResourceWhitelist?: ClusterResourceKind[];

  /**
   * Cluster-scoped kinds Applications may not deploy; sugar for `denyClusterResource()`.
   *
   * @default - none
   */
  readonly clusterResourceBlacklist?: ClusterResourceKind[];

  /**
   * Namespaced kinds Applications may deploy; sugar for `allowNamespaceResource()`.
   *
   * @default - not written: Argo CD permits every namespaced kind
   */
  readonly namespaceResourceWhitelist?: ResourceKind[];

  /**
   * Namespaced kinds Applications may not deploy; sugar for `denyNamespaceResource()`.
   *
   * @default - none
   */
  readonly namespaceResourceBlacklist?: ResourceKind[];

  /**
   * Orphaned-resource monitoring.
   *
   * @default - not written; Argo CD does not monitor orphaned objects
   */
  readonly orphanedResources?: OrphanedResources;

  /**
   * GnuPG key IDs commits must be signed with; sugar for `addSignatureKey()`.
   * (Deprecated by Argo CD in favour of `gitIntegrityPolicies`; the two cannot be combined.)
   *
   * @default - none: commits need no signature
   */
  readonly signatureKeys?: string[];

  /**
   * Git source integrity policies (`spec.sourceIntegrity.git.policies`, Argo CD 3.5): per
   * repository glob, how commit signatures are verified. Sugar for `addGitIntegrityPolicy()`.
   *
   * @default - none
   */
  readonly gitIntegrityPolicies?: GitIntegrityPolicy[];

  /**
   * Whether destinations may only reference clusters scoped to this project: Argo CD then
   * permits a matching destination only on a cluster whose Secret sets `project` to this
   * project's name (same name or same server). `ProjectCheck` verifies it against the cluster
   * Secrets the app writes.
   *
   * @default - not written; Argo CD permits any matching cluster
   */
  readonly permitOnlyProjectScopedClusters?: boolean;
}

/**
 * An Argo CD AppProject: which repositories, destinations and kinds its Applications may use,
 * who may do what with them (roles), and when they may sync (sync windows).
 *
 * Argo CD's own project validation (duplicates, `!*`, role names, policies, groups, sync
 * windows) runs as the values are added, so mistakes fail at synthesis, not in the cluster.
 *
 * @example
 * const project = new AppProject(chart, 'team-a', {
 *   sourceRepos: ['https://git.example.com/team-a/*'],
 *   destinations: [ProjectDestination.inCluster('team-a-*')],
 * });
 * project.addRole('deployer', { groups: ['team-a'] }).addPolicy(
 *   RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.SYNC }));
 */
export class AppProject extends Construct implements IAppProject {
  /**
   * Whether `x` is an `AppProject`, also across two copies of this library.
   *
   * @param x any value
   */
  public static isAppProject(x: any): boolean {
    return x !== null && typeof x === 'object' && APP_PROJECT in x;
  }

  /**
   * A project declared outside this app (for example Argo CD's `default`), to refer to from
   * Applications. Its rules are unknown, so Applications in it are not checked against them.
   *
   * @param scope the scope
   * @param id the construct id
   * @param projectName the project's name
   */
  public static fromProjectName(scope: Construct, id: string, projectName: string): IAppProject {
    return new ImportedAppProject(scope, id, projectName);
  }

  /** The project's name (`metadata.name`). */
  public readonly projectName: string;
  /** The namespace the AppProject object lives in. */
  public readonly namespace: string;
  /** The project's description, when given. */
  public readonly description?: string;
  /** Always false: the project is declared here. */
  public readonly external = false;
  /** The L1 object. */
  public readonly resource: ArgoAppProject;

  private readonly _sourceRepos: string[] = [];
  private readonly _sourceNamespaces: string[] = [];
  private readonly _destinations: ProjectDestination[] = [];
  private readonly _destinationServiceAccounts: DestinationServiceAccount[] = [];
  private readonly _clusterAllow: ClusterResourceKind[] = [];
  private readonly _clusterDeny: ClusterResourceKind[] = [];
  private readonly _namespaceAllow: ResourceKind[] = [];
  private readonly _namespaceDeny: ResourceKind[] = [];
  private readonly _signatureKeys: string[] = [];
  private readonly _integrityPolicies: GitIntegrityPolicy[] = [];
  private readonly _roles: ProjectRole[] = [];
  private readonly _syncWindows: any[] = [];
  private readonly orphanedResources?: OrphanedResources;
  private readonly permitOnlyProjectScopedClusters?: boolean;

  constructor(scope: Construct, id: string, props: AppProjectProps = {}) {
    super(scope, id);
    Object.defineProperty(this, APP_PROJECT, { value: true });
    this.projectName = props.name ?? id;
    checkObjectName(this, 'metadata.name', this.projectName);
    this.namespace = props.namespace ?? 'argocd';
    checkNamespace(this, 'metadata.namespace', this.namespace);
    if (props.description !== undefined && typeof props.description !== 'string') {
      fail(this, 'spec.description', props.description, 'must be a string');
    }
    this.description = props.description;
    if (props.orphanedResources !== undefined) this.checkOrphaned(props.orphanedResources);
    this.orphanedResources = props.orphanedResources;
    this.permitOnlyProjectScopedClusters = props.permitOnlyProjectScopedClusters;

    for (const r of props.sourceRepos ?? []) this.addSourceRepo(r);
    for (const n of props.sourceNamespaces ?? []) this.addSourceNamespace(n);
    for (const d of props.destinations ?? []) this.addDestination(d);
    for (const sa of props.destinationServiceAccounts ?? []) this.addDestinationServiceAccount(sa);
    for (const r of props.clusterResourceWhitelist ?? []) this.allowClusterResource(r);
    for (const r of props.clusterResourceBlacklist ?? []) this.denyClusterResource(r);
    for (const r of props.namespaceResourceWhitelist ?? []) this.allowNamespaceResource(r);
    for (const r of props.namespaceResourceBlacklist ?? []) this.denyNamespaceResource(r);
    for (const k of props.signatureKeys ?? []) this.addSignatureKey(k);
    for (const p of props.gitIntegrityPolicies ?? []) this.addGitIntegrityPolicy(p);

    this.resource = new ArgoAppProject(this, 'Resource', {
      metadata: {
        name: this.projectName,
        namespace: this.namespace,
        labels: props.labels,
        annotations: props.annotations,
      },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    this.node.addValidation({ validate: () => projectSpecProblems(this.projectName, this._toKube()) });
  }

  /**
   * Permits a source repository.
   *
   * @param repo a repository URL or glob (`https://git.example.com/team-a/*`), or a `!` pattern
   * that denies what it matches
   */
  public addSourceRepo(repo: string): void {
    const field = `spec.sourceRepos[${this._sourceRepos.length}]`;
    const p = sourceRepoProblem(repo);
    if (p) fail(this, field, repo, p);
    if (this._sourceRepos.includes(repo)) {
      fail(this, field, repo, `is already in the project (Argo CD rule: source repository '${repo}' already added); add it once`);
    }
    this._sourceRepos.push(repo);
  }

  /**
   * Permits Applications living in a namespace other than Argo CD's (apps in any namespace).
   * The Argo CD installation must list the namespace in `application.namespaces` as well.
   *
   * @param namespace a namespace, a glob (`team-a-*`) or a regular expression in slashes (`/^team-[a-z]+$/`)
   */
  public addSourceNamespace(namespace: string): void {
    const field = `spec.sourceNamespaces[${this._sourceNamespaces.length}]`;
    const p = sourceNamespaceProblem(namespace);
    if (p) fail(this, field, namespace, p);
    if (this._sourceNamespaces.includes(namespace)) {
      fail(this, field, namespace, `is already in the project (Argo CD rule: source namespace '${namespace}' already added); add it once`);
    }
    this._sourceNamespaces.push(namespace);
  }

  /**
   * Permits a destination.
   *
   * @param destination e.g. `ProjectDestination.inCluster('team-a-*')`
   */
  public addDestination(destination: ProjectDestination): void {
    const field = `spec.destinations[${this._destinations.length}]`;
    if (!(destination instanceof ProjectDestination)) {
      fail(this, field, destination, 'is not a ProjectDestination; use ProjectDestination.server(), clusterName() or inCluster()');
    }
    if (destination.serverPattern !== undefined) checkNonEmpty(this, `${field}.server`, destination.serverPattern);
    if (destination.clusterNamePattern !== undefined) checkNonEmpty(this, `${field}.name`, destination.clusterNamePattern);
    const wire = destination._toKube();
    for (const part of ['server', 'name', 'namespace'] as const) {
      const p = destinationPartProblem(part, wire[part]);
      if (p) fail(this, `${field}.${part}`, wire[part], p);
    }
    const key = destinationKey(wire);
    if (this._destinations.some((d) => destinationKey(d._toKube()) === key)) {
      fail(this, field, key, `is already in the project (Argo CD rule: destination '${key}' already added); add it once`);
    }
    this._destinations.push(destination);
  }

  /**
   * Sets the service account Argo CD impersonates when syncing to a destination.
   *
   * @param account server, namespace and service account
   */
  public addDestinationServiceAccount(account: DestinationServiceAccount): void {
    const field = `spec.destinationServiceAccounts[${this._destinationServiceAccounts.length}]`;
    checkNonEmpty(this, `${field}.server`, account?.server);
    // Argo CD's ValidateProject rules, in its order
    for (const part of ['server', 'namespace'] as const) {
      if (typeof account[part] !== 'string' || !account[part]!.includes('!')) continue;
      fail(this, `${field}.${part}`, account[part], serviceAccountPartProblem(part, account[part])!);
    }
    const dp = defaultServiceAccountProblem(account.defaultServiceAccount);
    if (dp) fail(this, `${field}.defaultServiceAccount`, account.defaultServiceAccount, dp);
    for (const part of ['server', 'namespace'] as const) {
      const p = serviceAccountPartProblem(part, account[part]);
      if (p) fail(this, `${field}.${part}`, account[part], p);
    }
    const key = `${account.server}/${account.namespace ?? ''}`;
    if (this._destinationServiceAccounts.some((a) => `${a.server}/${a.namespace ?? ''}` === key)) {
      fail(this, field, key, `is already in the project (Argo CD rule: destinationServiceAccount '${key}' already added); add it once`);
    }
    this._destinationServiceAccounts.push({ ...account });
  }

  /**
   * Permits a cluster-scoped kind (`spec.clusterResourceWhitelist`).
   *
   * @param resource group, kind and optionally name, e.g. `{ group: '', kind: 'Namespace' }`
   */
  public allowClusterResource(resource: ClusterResourceKind): void {
    this.addResource(this._clusterAllow, 'spec.clusterResourceWhitelist', resource, true);
  }

  /**
   * Forbids a cluster-scoped kind (`spec.clusterResourceBlacklist`).
   *
   * @param resource group, kind and optionally name
   */
  public denyClusterResource(resource: ClusterResourceKind): void {
    this.addResource(this._clusterDeny, 'spec.clusterResourceBlacklist', resource, true);
  }

  /**
   * Permits a namespaced kind (`spec.namespaceResourceWhitelist`); once any is listed, only the
   * listed kinds are permitted.
   *
   * @param resource group and kind, e.g. `{ group: 'apps', kind: 'Deployment' }`
   */
  public allowNamespaceResource(resource: ResourceKind): void {
    this.addResource(this._namespaceAllow, 'spec.namespaceResourceWhitelist', resource, false);
  }

  /**
   * Forbids a namespaced kind (`spec.namespaceResourceBlacklist`).
   *
   * @param resource group and kind, e.g. `{ group: '', kind: 'ResourceQuota' }`
   */
  public denyNamespaceResource(resource: ResourceKind): void {
    this.addResource(this._namespaceDeny, 'spec.namespaceResourceBlacklist', resource, false);
  }

  /**
   * Requires commits to be signed with a GnuPG key (`spec.signatureKeys`).
   *
   * @param keyId the key ID, hexadecimal (e.g. `4AEE18F83AFDEB23`)
   */
  public addSignatureKey(keyId: string): void {
    const field = `spec.signatureKeys[${this._signatureKeys.length}].keyID`;
    if (typeof keyId !== 'string' || !/^[0-9A-Fa-f]{8,40}$/.test(keyId)) {
      fail(this, field, keyId, 'is not a GnuPG key ID; use its 16 hexadecimal digits, e.g. \'4AEE18F83AFDEB23\'');
    }
    if (this._signatureKeys.includes(keyId)) fail(this, field, keyId, 'is already in the project; add it once');
    if (this._integrityPolicies.length > 0) fail(this, field, keyId, SIGNATURE_KEYS_AND_INTEGRITY);
    this._signatureKeys.push(keyId);
  }

  /**
   * Adds a Git source integrity policy (`spec.sourceIntegrity.git.policies`, Argo CD 3.5).
   *
   * @param policy the repositories it covers and how their commits are verified
   */
  public addGitIntegrityPolicy(policy: GitIntegrityPolicy): void {
    const field = `spec.sourceIntegrity.git.policies[${this._integrityPolicies.length}]`;
    _checkGitIntegrityPolicy(this, field, policy);
    if (this._signatureKeys.length > 0) fail(this, field, policy.repos, SIGNATURE_KEYS_AND_INTEGRITY);
    this._integrityPolicies.push({ ...policy, repos: [...policy.repos], gpgKeys: [...(policy.gpgKeys ?? [])] });
  }

  /**
   * Adds a role.
   *
   * @param name the role name: letters, digits, `-` and `_`, starting and ending with a letter or digit
   * @param options description, policies, groups
   * @returns the role, to add policies and groups to
   */
  public addRole(name: string, options: AddRoleOptions = {}): ProjectRole {
    const field = `spec.roles[${this._roles.length}].name`;
    const p = roleNameProblem(name);
    if (p) fail(this, field, name, p);
    if (this._roles.some((r) => r.name === name)) {
      fail(this, field, name, `is already a role of the project (Argo CD rule: role '${name}' already exists); use another name or add to the existing role`);
    }
    if (options.description !== undefined && typeof options.description !== 'string') {
      fail(this, `spec.roles[${this._roles.length}].description`, options.description, 'must be a string');
    }
    const role = ProjectRole._create(this, this._roles.length, name, options);
    this._roles.push(role);
    return role;
  }

  /**
   * Adds a sync window.
   *
   * @param options kind, schedule, duration, and what it applies to
   */
  public addSyncWindow(options: SyncWindowOptions): void {
    const field = `spec.syncWindows[${this._syncWindows.length}]`;
    if (options?.kind !== SyncWindowKind.ALLOW && options?.kind !== SyncWindowKind.DENY) {
      fail(this, `${field}.kind`, options?.kind, 'is not a window kind (Argo CD rule: can only be allow or deny); use SyncWindowKind.ALLOW or SyncWindowKind.DENY');
    }
    const sp = scheduleProblem(options.schedule);
    if (sp) fail(this, `${field}.schedule`, options.schedule, sp);
    if (!(options.duration instanceof Duration)) {
      fail(this, `${field}.duration`, options.duration, 'is not a Duration; use Duration.hours(1) or Duration.minutes(30)');
    }
    const duration = renderGoDuration(options.duration, `${field}.duration`, this);
    if (options.timeZone !== undefined) {
      const tp = timeZoneProblem(options.timeZone);
      if (tp) fail(this, `${field}.timeZone`, options.timeZone, tp);
    }
    if (options.description !== undefined && (typeof options.description !== 'string' || Buffer.byteLength(options.description, 'utf8') > 255)) {
      fail(this, `${field}.description`, options.description, 'is longer than 255 bytes (Argo CD rule: description must not exceed 255 characters, counted in UTF-8 bytes); shorten it');
    }
    for (const list of ['applications', 'namespaces', 'clusters'] as const) {
      (options[list] ?? []).forEach((v, i) => {
        checkNonEmpty(this, `${field}.${list}[${i}]`, v);
        // Argo CD matches them with util/glob, without separators ('*' is matched before it)
        const pp = v === '*' ? undefined : panicProblem(v, '');
        if (pp) fail(this, `${field}.${list}[${i}]`, v, pp);
      });
    }
    if (!options.applications?.length && !options.namespaces?.length && !options.clusters?.length) {
      fail(this, field, `${options.kind} ${options.schedule} ${duration}`, 'applies to nothing (Argo CD rule: window requires one of application, cluster or namespace); set applications, namespaces or clusters');
    }
    const window = {
      kind: options.kind,
      schedule: options.schedule,
      duration,
      applications: undefinedIfEmpty(options.applications ? [...options.applications] : undefined),
      namespaces: undefinedIfEmpty(options.namespaces ? [...options.namespaces] : undefined),
      clusters: undefinedIfEmpty(options.clusters ? [...options.clusters] : undefined),
      manualSync: options.manualSync,
      timeZone: options.timeZone,
      andOperator: options.andOperator,
      syncOverrun: options.syncOverrun,
      description: options.description,
    };
    if (this._syncWindows.some((w) => windowIdentity(w) === windowIdentity(window))) {
      fail(this, field, `${options.kind} ${options.schedule} ${duration}`, `is already in the project (Argo CD rule: sync window with kind '${options.kind}', schedule '${options.schedule}', and duration '${duration}' already exists); `
        + 'a window with the same kind, schedule, duration, applications, namespaces, clusters, time zone and andOperator is listed once');
    }
    this._syncWindows.push(window);
  }

  /**
   * The project's sync windows, to evaluate at a given time as Argo CD does
   * (`SyncWindows.Active`, `Matches`, `CanSync`). Windows added later are not included.
   */
  public syncWindows(): SyncWindows {
    return SyncWindows._fromWire(this._syncWindows.map((w) => ({ ...w })), this);
  }

  /**
   * The sync windows' state at `time`: which are active, when each opens and closes next, and
   * (with `decide()`) whether an Application may sync automatically or manually then.
   *
   * @param time the moment to evaluate at
   */
  public syncWindowsAt(time: Date): SyncWindowsAt {
    return this.syncWindows().at(time);
  }

  /** The permitted source repositories. Returns a copy; to add one use `addSourceRepo()`. */
  public get sourceRepos(): string[] {
    return [...this._sourceRepos];
  }

  /** The permitted source namespaces. Returns a copy; to add one use `addSourceNamespace()`. */
  public get sourceNamespaces(): string[] {
    return [...this._sourceNamespaces];
  }

  /** The permitted destinations. Returns a copy; to add one use `addDestination()`. */
  public get destinations(): ProjectDestination[] {
    return [...this._destinations];
  }

  /** The roles. Returns a copy; to add one use `addRole()`. */
  public get roles(): ProjectRole[] {
    return [...this._roles];
  }

  private addResource(list: ClusterResourceKind[], field: string, resource: ClusterResourceKind, allowName: boolean): void {
    const f = `${field}[${list.length}]`;
    if (!resource || typeof resource !== 'object') fail(this, f, resource, 'must be an object with group and kind');
    if (typeof resource.group !== 'string') fail(this, `${f}.group`, resource.group, 'must be a string; use \'\' for the core group');
    checkNonEmpty(this, `${f}.kind`, resource.kind);
    for (const part of ['group', 'kind'] as const) {
      const p = resourcePatternProblem(resource[part], true);
      if (p) fail(this, `${f}.${part}`, resource[part], p);
    }
    if (resource.name !== undefined) {
      if (!allowName) fail(this, `${f}.name`, resource.name, 'is not supported by namespaced resource lists; leave it out');
      const p = resourcePatternProblem(resource.name, false);
      if (p) fail(this, `${f}.name`, resource.name, p);
    }
    const same = (r: ClusterResourceKind) => r.group === resource.group && r.kind === resource.kind && r.name === resource.name;
    if (list.some(same)) {
      const shown = resource.name !== undefined ? `${resource.group}/${resource.kind}/${resource.name}` : `${resource.group}/${resource.kind}`;
      fail(this, f, shown, 'is already in the list; add it once');
    }
    list.push(resource.name !== undefined ? { group: resource.group, kind: resource.kind, name: resource.name } : { group: resource.group, kind: resource.kind });
  }

  private checkOrphaned(o: OrphanedResources): void {
    if (typeof o !== 'object' || o === null) fail(this, 'spec.orphanedResources', o, 'must be an object');
    (o.ignore ?? []).forEach((k, i) => {
      for (const part of ['group', 'kind', 'name'] as const) {
        if (k?.[part] !== undefined && typeof k[part] !== 'string') {
          fail(this, `spec.orphanedResources.ignore[${i}].${part}`, k[part], 'must be a string');
        }
      }
    });
  }

  /** @internal */
  public _toKube(): AppProjectSpec {
    const o = this.orphanedResources;
    return {
      description: this.description,
      sourceRepos: undefinedIfEmpty([...this._sourceRepos]),
      sourceNamespaces: undefinedIfEmpty([...this._sourceNamespaces]),
      destinations: undefinedIfEmpty(this._destinations.map((d) => d._toKube())),
      destinationServiceAccounts: undefinedIfEmpty(this._destinationServiceAccounts.map((a) => ({ ...a }))),
      clusterResourceWhitelist: undefinedIfEmpty(this._clusterAllow.map((r) => ({ ...r }))),
      clusterResourceBlacklist: undefinedIfEmpty(this._clusterDeny.map((r) => ({ ...r }))),
      namespaceResourceWhitelist: undefinedIfEmpty(this._namespaceAllow.map((r) => ({ group: r.group, kind: r.kind }))),
      namespaceResourceBlacklist: undefinedIfEmpty(this._namespaceDeny.map((r) => ({ group: r.group, kind: r.kind }))),
      orphanedResources: o === undefined ? undefined : {
        warn: o.warn,
        ignore: undefinedIfEmpty((o.ignore ?? []).map((k) => ({ group: k.group, kind: k.kind, name: k.name }))),
      },
      signatureKeys: undefinedIfEmpty(this._signatureKeys.map((keyId) => ({ keyId }))),
      sourceIntegrity: _renderSourceIntegrity(this._integrityPolicies),
      roles: undefinedIfEmpty(this._roles.map((r) => r._toKube())),
      syncWindows: undefinedIfEmpty(this._syncWindows.map((w) => ({ ...w }))),
      permitOnlyProjectScopedClusters: this.permitOnlyProjectScopedClusters,
    };
  }
}

/** What makes two windows the same for Argo CD (SyncWindow.HashIdentity: manualSync, description and syncOverrun left out). */
function windowIdentity(w: any): string {
  return JSON.stringify([w.kind, w.schedule, w.duration, w.applications ?? [], w.namespaces ?? [], w.clusters ?? [], w.timeZone ?? '', w.andOperator === true]);
}

const SIGNATURE_KEYS_AND_INTEGRITY = 'cannot be combined: Argo CD 3.5 does not allow signatureKeys together with sourceIntegrity; '
  + 'move the keys into a Git integrity policy with gpgMode HEAD (what signatureKeys checked) for the repositories concerned';

const IMPORTED_APP_PROJECT = Symbol.for('cdk8s-argocd.ImportedAppProject');

/** A project declared outside this app. */
class ImportedAppProject extends Construct implements IAppProject {
  public readonly external = true;
  constructor(scope: Construct, id: string, public readonly projectName: string) {
    super(scope, id);
    Object.defineProperty(this, IMPORTED_APP_PROJECT, { value: true });
    checkObjectName(this, 'projectName', projectName);
  }
}

