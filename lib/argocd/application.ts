import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoApplication, ApplicationSpec } from '../../imports/application-argoproj.io';
import { checkInteger, checkNamespace, checkNonEmpty, checkObjectName, fail } from '../_internal/values';
import { SpecContext, skipCheck } from './_context';
import { ApplicationSource, checkValueFileRefs } from './application-source';
import { Destination } from './destination';
import { IAppProject } from './project-ref';
import { SourceHydratorOptions, _renderSourceHydrator } from './source-hydrator';
import { SyncOption, SyncPolicy, addSyncOptionTo, renderSyncPolicy } from './sync-policy';
// every synthesis checks Applications against their projects
import './project-check';
import { methodName } from '../_internal/method-name';

const APPLICATION = Symbol.for('cdk8s-argocd.Application');

/**
 * A finalizer on an Application.
 */
export class ApplicationFinalizer {
  /**
   * `resources-finalizer.argocd.argoproj.io`: deleting the Application deletes its objects
   * (foreground cascading deletion).
   */
  public static readonly RESOURCES = new ApplicationFinalizer('resources-finalizer.argocd.argoproj.io');

  /**
   * `resources-finalizer.argocd.argoproj.io/background`: deleting the Application deletes its
   * objects with background cascading deletion.
   */
  public static readonly RESOURCES_BACKGROUND = new ApplicationFinalizer('resources-finalizer.argocd.argoproj.io/background');

  /**
   * Any other finalizer, written as given.
   *
   * @param finalizer a qualified name, e.g. `example.com/cleanup`
   */
  public static custom(finalizer: string): ApplicationFinalizer {
    if (typeof finalizer !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[A-Za-z0-9._-]+)?$/.test(finalizer)) {
      fail(undefined, 'metadata.finalizers', finalizer, 'is not a valid finalizer name; use a qualified name like \'example.com/cleanup\'');
    }
    return new ApplicationFinalizer(finalizer);
  }

  private constructor(
    /** The finalizer as written to `metadata.finalizers`. */
    public readonly value: string,
  ) {}
}

/**
 * Differences Argo CD should ignore when comparing live and desired state.
 * At least one of jsonPointers, jqPathExpressions and managedFieldsManagers is required.
 */
export interface IgnoreDifference {
  /**
   * The API group (empty string for the core group).
   *
   * @default - not written; the core group
   */
  readonly group?: string;

  /** The kind, e.g. `Deployment`. */
  readonly kind: string;

  /**
   * Only the object with this name.
   *
   * @default - every object of the kind
   */
  readonly name?: string;

  /**
   * Only objects in this namespace.
   *
   * @default - every namespace
   */
  readonly namespace?: string;

  /**
   * JSON pointers to ignore, e.g. `/spec/replicas`.
   *
   * @default - none
   */
  readonly jsonPointers?: string[];

  /**
   * jq path expressions to ignore, e.g. `.spec.template.spec.initContainers[] | select(.name == "x")`.
   *
   * @default - none
   */
  readonly jqPathExpressions?: string[];

  /**
   * Ignore fields owned by these field managers, e.g. `kube-controller-manager`.
   *
   * @default - none
   */
  readonly managedFieldsManagers?: string[];
}

/**
 * What an Application deploys and how; shared by `Application` and ApplicationSet templates.
 */
export interface ApplicationSpecOptions {
  /**
   * Where the manifests come from. Use `sources` (or `addSource()`) for several.
   *
   * @default - none; then `sources` or `addSource()` must give at least one
   */
  readonly source?: ApplicationSource;

  /**
   * Several sources, written as `spec.sources` (even when there is one).
   *
   * @default - none
   */
  readonly sources?: ApplicationSource[];

  /**
   * Argo CD's source hydrator instead of `source`/`sources`: the dry source is rendered and
   * committed to a branch, and the Application syncs from that branch.
   *
   * @default - none; the Application syncs from `source` or `sources`
   */
  readonly sourceHydrator?: SourceHydratorOptions;

  /** Where the manifests are deployed. */
  readonly destination: Destination;

  /**
   * How and when Argo CD syncs.
   *
   * @default - manual sync, no options, no retry
   */
  readonly syncPolicy?: SyncPolicy;

  /**
   * Differences to ignore. More with `addIgnoreDifference()`.
   *
   * @default - none
   */
  readonly ignoreDifferences?: IgnoreDifference[];

  /**
   * Extra information shown in the Argo CD UI (`spec.info`), in the order given.
   *
   * @default - none
   */
  readonly info?: { [name: string]: string };

  /**
   * How many past syncs Argo CD keeps for rollback.
   *
   * @default - not written; Argo CD keeps 10
   */
  readonly revisionHistoryLimit?: number;
}

/**
 * Props for `Application`.
 */
export interface ApplicationProps extends ApplicationSpecOptions {
  /**
   * The Application's name (`metadata.name`).
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The namespace the Application object lives in. An empty string leaves `metadata.namespace`
   * out, so the object lands wherever it is applied (in an App of Apps: the parent's destination
   * namespace).
   *
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * Labels on the Application object.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on the Application object.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /** The project the Application belongs to. */
  readonly project: IAppProject;

  /**
   * Finalizers, e.g. `ApplicationFinalizer.RESOURCES` so that deleting the Application deletes
   * what it deployed.
   *
   * @default - none; deleting the Application leaves its objects in the cluster
   */
  readonly finalizers?: ApplicationFinalizer[];
}

/**
 * The state that renders an Application spec; used by Application and ApplicationSet templates.
 * @internal
 */
export class _ApplicationSpecBuilder {
  public readonly sources: ApplicationSource[] = [];
  public readonly syncOptions: SyncOption[] = [];
  public readonly ignoreDifferences: IgnoreDifference[] = [];
  public readonly info: Array<[string, string]> = [];
  public multiSource: boolean;

  /** Whether the spec uses the source hydrator (then it has no sources). */
  public get hydrated(): boolean {
    return this.options.sourceHydrator !== undefined;
  }

  constructor(private readonly ctx: SpecContext, private readonly options: ApplicationSpecOptions) {
    if (options.source && options.sources) {
      fail(ctx.scope, 'spec.source', options.source.repoUrl, 'and spec.sources are both set; use source for one, sources for several');
    }
    if (options.sourceHydrator && (options.source || options.sources)) {
      fail(ctx.scope, 'spec.sourceHydrator', options.sourceHydrator.drySource?.repoUrl, `and spec.${options.source ? 'source' : 'sources'} are both set; a hydrated Application syncs from its sync branch and Argo CD ignores spec.${options.source ? 'source' : 'sources'}; keep one`);
    }
    this.multiSource = options.sources !== undefined;
    if (options.source) this.addSource(options.source);
    for (const s of options.sources ?? []) this.addSource(s);
    if (!(options.destination instanceof Destination)) {
      fail(ctx.scope, 'spec.destination', options.destination, 'is not a Destination; use Destination.server(), Destination.clusterName() or Destination.inCluster()');
    }
    options.destination._check(ctx.scope, 'spec.destination');
    if (options.destination.namespace !== undefined && !skipCheck(ctx, options.destination.namespace)) {
      checkNamespace(ctx.scope, 'spec.destination.namespace', options.destination.namespace);
    }
    for (const o of options.syncPolicy?.syncOptions ?? []) this.addSyncOption(o);
    for (const d of options.ignoreDifferences ?? []) this.addIgnoreDifference(d);
    for (const [k, v] of Object.entries(options.info ?? {})) this.addInfo(k, v);
    if (options.revisionHistoryLimit !== undefined) {
      checkInteger(ctx.scope, 'spec.revisionHistoryLimit', options.revisionHistoryLimit, 0);
    }
    // render once now, so that every one-value mistake throws at construction
    this.render();
  }

  public addSource(source: ApplicationSource): void {
    if (this.options.sourceHydrator) {
      fail(this.ctx.scope, 'spec.source', source?.repoUrl, 'cannot be added: the Application uses sourceHydrator, and Argo CD ignores spec.source for a hydrated Application');
    }
    if (!(source instanceof ApplicationSource)) {
      fail(this.ctx.scope, 'spec.source', source, 'is not an ApplicationSource; use ApplicationSource.git(), .helmChart(), .kustomize(), .plugin() or .ref()');
    }
    const multi = this.multiSource || this.sources.length > 0;
    source._render(this.ctx, multi ? `spec.sources[${this.sources.length}]` : 'spec.source');
    this.sources.push(source);
    if (this.sources.length > 1) this.multiSource = true;
  }

  public addSyncOption(option: SyncOption): void {
    addSyncOptionTo(this.ctx, this.syncOptions, option, 'spec.syncPolicy.syncOptions');
  }

  public addIgnoreDifference(d: IgnoreDifference): void {
    const i = this.ignoreDifferences.length;
    const field = `spec.ignoreDifferences[${i}]`;
    checkNonEmpty(this.ctx.scope, `${field}.kind`, d.kind);
    if (!d.jsonPointers?.length && !d.jqPathExpressions?.length && !d.managedFieldsManagers?.length) {
      fail(this.ctx.scope, field, d.kind, 'ignores nothing; give jsonPointers, jqPathExpressions or managedFieldsManagers');
    }
    (d.jsonPointers ?? []).forEach((p, j) => {
      if (typeof p !== 'string' || !p.startsWith('/')) {
        fail(this.ctx.scope, `${field}.jsonPointers[${j}]`, p, 'is not a JSON pointer; it must start with \'/\', e.g. \'/spec/replicas\'');
      }
    });
    this.ignoreDifferences.push(d);
  }

  public addInfo(name: string, value: string): void {
    checkNonEmpty(this.ctx.scope, 'spec.info.name', name);
    if (typeof value !== 'string') fail(this.ctx.scope, `spec.info[${name}].value`, value, 'is not a string');
    if (this.info.some(([n]) => n === name)) fail(this.ctx.scope, 'spec.info.name', name, 'is already set');
    this.info.push([name, value]);
  }

  public render(): ApplicationSpec {
    const ctx = this.ctx;
    const rendered = this.sources.map((s, i) => s._render(ctx, this.multiSource ? `spec.sources[${i}]` : 'spec.source'));
    if (this.multiSource) checkValueFileRefs(ctx, rendered);
    const spec: any = {
      destination: this.options.destination._toKube(),
    };
    if (this.multiSource) spec.sources = rendered;
    else if (rendered.length === 1) spec.source = rendered[0];
    if (this.options.sourceHydrator) spec.sourceHydrator = _renderSourceHydrator(ctx, this.options.sourceHydrator);
    const syncPolicy = renderSyncPolicy(ctx, this.options.syncPolicy, this.syncOptions);
    if (syncPolicy) spec.syncPolicy = syncPolicy;
    if (this.ignoreDifferences.length) {
      spec.ignoreDifferences = this.ignoreDifferences.map((d) => {
        const out: any = { kind: d.kind };
        if (d.group !== undefined) out.group = d.group;
        if (d.name !== undefined) out.name = d.name;
        if (d.namespace !== undefined) out.namespace = d.namespace;
        if (d.jsonPointers?.length) out.jsonPointers = [...d.jsonPointers];
        if (d.jqPathExpressions?.length) out.jqPathExpressions = [...d.jqPathExpressions];
        if (d.managedFieldsManagers?.length) out.managedFieldsManagers = [...d.managedFieldsManagers];
        return out;
      });
    }
    if (this.info.length) spec.info = this.info.map(([name, value]) => ({ name, value }));
    if (this.options.revisionHistoryLimit !== undefined) spec.revisionHistoryLimit = this.options.revisionHistoryLimit;
    return spec as ApplicationSpec;
  }
}

/**
 * An Argo CD Application: what to deploy (sources), where (destination), under which project,
 * and how to sync.
 *
 * @example
 * new Application(chart, 'api-production', {
 *   project,
 *   source: ApplicationSource.git({ repoUrl: 'https://github.com/myorg/infra.git', targetRevision: 'main', path: 'apps/api/production' }),
 *   destination: Destination.server('https://prod.k8s.example.com', 'production'),
 *   syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [SyncOption.CREATE_NAMESPACE] },
 * });
 */
export class Application extends Construct {
  /**
   * Whether `x` is an `Application`, also across two copies of this library.
   *
   * @param x any value
   */
  public static isApplication(x: any): boolean {
    return x !== null && typeof x === 'object' && APPLICATION in x;
  }

  /** The Application's name. */
  public readonly name: string;

  /** The namespace the Application object lives in; undefined when not written. */
  public readonly namespace?: string;

  /** The project the Application belongs to. */
  public readonly project: IAppProject;

  /** The Application's destination. */
  public readonly destination: Destination;

  /** The L1 object. */
  public readonly apiObject: ApiObject;

  private readonly spec: _ApplicationSpecBuilder;
  private readonly finalizers: ApplicationFinalizer[] = [];

  constructor(scope: Construct, id: string, props: ApplicationProps) {
    super(scope, id);
    Object.defineProperty(this, APPLICATION, { value: true });
    const ctx: SpecContext = { scope: this, templated: false };
    this.name = props.name ?? id;
    checkObjectName(this, 'metadata.name', this.name);
    const ns = props.namespace ?? 'argocd';
    if (ns !== '') checkNamespace(this, 'metadata.namespace', ns);
    this.namespace = ns === '' ? undefined : ns;
    if (!props.project || typeof props.project.projectName !== 'string') {
      fail(this, 'spec.project', props.project, `is not an IAppProject; pass an AppProject or ${methodName('AppProject.fromProjectName')}`);
    }
    this.project = props.project;
    this.destination = props.destination;
    this.spec = new _ApplicationSpecBuilder(ctx, props);

    this.apiObject = new ArgoApplication(this, 'Resource', {
      metadata: {
        name: this.name,
        ...(this.namespace ? { namespace: this.namespace } : {}),
        ...(props.labels ? { labels: { ...props.labels } } : {}),
        ...(props.annotations ? { annotations: { ...props.annotations } } : {}),
      },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    for (const f of props.finalizers ?? []) this.addFinalizer(f);
    this.node.addValidation({
      validate: () => (this.spec.sources.length === 0 && !props.sourceHydrator
        ? [`spec.source is missing: an Application needs at least one source; pass source, sources or sourceHydrator, or call ${methodName('addSource')}`]
        : []),
    });
  }

  /**
   * Adds a source. An Application with more than one source is written with `spec.sources`.
   *
   * @param source the source
   */
  public addSource(source: ApplicationSource): void {
    this.spec.addSource(source);
  }

  /**
   * Adds a sync option.
   *
   * @param option the option
   */
  public addSyncOption(option: SyncOption): void {
    this.spec.addSyncOption(option);
  }

  /**
   * Adds a difference to ignore.
   *
   * @param difference what to ignore
   */
  public addIgnoreDifference(difference: IgnoreDifference): void {
    this.spec.addIgnoreDifference(difference);
  }

  /**
   * Adds an entry to `spec.info`.
   *
   * @param name the entry's name
   * @param value the entry's value
   */
  public addInfo(name: string, value: string): void {
    this.spec.addInfo(name, value);
  }

  /**
   * Adds a finalizer.
   *
   * @param finalizer the finalizer
   */
  public addFinalizer(finalizer: ApplicationFinalizer): void {
    if (!(finalizer instanceof ApplicationFinalizer)) {
      fail(this, 'metadata.finalizers', finalizer, 'is not an ApplicationFinalizer; use ApplicationFinalizer.RESOURCES, RESOURCES_BACKGROUND or custom()');
    }
    if (this.finalizers.some((f) => f.value === finalizer.value)) {
      fail(this, 'metadata.finalizers', finalizer.value, 'is already set');
    }
    const background = [ApplicationFinalizer.RESOURCES.value, ApplicationFinalizer.RESOURCES_BACKGROUND.value];
    if (background.includes(finalizer.value) && this.finalizers.some((f) => background.includes(f.value))) {
      fail(this, 'metadata.finalizers', finalizer.value, 'conflicts with the other resources finalizer; keep one of RESOURCES and RESOURCES_BACKGROUND');
    }
    this.finalizers.push(finalizer);
    this.apiObject.metadata.addFinalizers(finalizer.value);
  }

  /** The sources, in order. Returns a copy; use `addSource()` to add one. */
  public get sources(): ApplicationSource[] {
    return [...this.spec.sources];
  }

  /** The project's name, as written to `spec.project`. */
  public get projectName(): string {
    return this.project.projectName;
  }

  /** @internal */
  public _toKube(): ApplicationSpec {
    return { ...this.spec.render(), project: this.project.projectName };
  }
}
