import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ValidationError } from '../errors';
import { checkNamespace, fail, isDnsLabel, show } from '../_internal/values';
import { OutputDirectory } from '../app/output-directory';
import { AppProject, AppProjectProps } from '../argocd/app-project';
import { Application, ApplicationFinalizer } from '../argocd/application';
import { ApplicationSource, DirectoryOptions } from '../argocd/application-source';
import { Destination } from '../argocd/destination';
import { IAppProject } from '../argocd/project-ref';
import { SyncOption, SyncPolicy } from '../argocd/sync-policy';
import { SyncWave } from '../sync/sync-wave';
import { Cluster } from '../fleet/cluster';
import { ClusterCredentials, ClusterSecret } from '../fleet/cluster-secret';
import type { GitOpsRepo } from './gitops-repo';
import { AppDeletion } from './app-deletion';
import { methodName } from '../_internal/method-name';

/**
 * Builds what an app deploys into a chart the library creates, once per environment.
 * A one-method interface, so that one builder serves every environment.
 *
 * @example
 * class Api implements IChartBuilder {
 *   constructor(private readonly versions: Versions) {}
 *   buildChart(chart: Chart, env: Environment) {
 *     new kplus.Deployment(chart, 'api', { containers: [{ image: `api:${this.versions.get('api', env.name)}` }] });
 *   }
 * }
 */
export interface IChartBuilder {
  /**
   * Adds the app's objects to `chart`.
   *
   * @param chart the chart, written to the app's directory for `environment`
   * @param environment the environment the chart is for
   */
  buildChart(chart: Chart, environment: Environment): void;
}

/**
 * An environment's clusters and defaults.
 */
export interface EnvironmentOptions {
  /**
   * The clusters of the environment; apps deploy to the first unless `AddAppOptions.cluster`
   * says otherwise.
   *
   * @default - none; apps deploy to the cluster Argo CD runs in
   */
  readonly clusters?: Cluster[];

  /**
   * The sync policy of the child Applications. Pass `{}` (no `automated`) for an environment
   * that requires a manual sync, such as production.
   *
   * @default - automated prune and self-heal, and CreateNamespace=true
   */
  readonly syncPolicy?: SyncPolicy;

  /**
   * The project of the child Applications.
   *
   * @default - the first project added with `addProject()`, else Argo CD's `default` project
   */
  readonly project?: IAppProject;

  /**
   * The root Application's name.
   *
   * @default - `<env>-root`
   */
  readonly rootName?: string;

  /**
   * The root Application's project.
   *
   * @default - Argo CD's `default` project (exists in every installation, so the bootstrap file works on a new one)
   */
  readonly rootProject?: IAppProject;

  /**
   * The root Application's sync policy. The root syncs only Applications, AppProjects and
   * cluster Secrets in the Argo CD namespace, so pruning there is safe; a root that would prune
   * the objects that run Argo CD is refused.
   *
   * @default - automated prune and self-heal (the design documents' root app)
   */
  readonly rootSyncPolicy?: SyncPolicy;

  /**
   * Write the root Application into the environment's directory (`clusters/<env>/`), which it
   * syncs, so that the root manages itself (seed 01's `clusters/production/root-app.yaml`): a
   * change to the root then reaches the cluster through Git like any other. The bootstrap file is
   * then that file.
   *
   * @default false - the root is written to `bootstrap/` only, and a change to it is applied with
   * `kubectl apply`
   */
  readonly selfManagedRoot?: boolean;

  /**
   * What Argo CD does with an app's workloads when its child Application in this environment is
   * deleted, e.g. because the app was removed from code and the root pruned the child.
   *
   * @default - the repository's `deletion` (AppDeletion.CASCADE_FOREGROUND unless it says otherwise)
   */
  readonly deletion?: AppDeletion;
}

/**
 * Props for `Environment`.
 */
export interface EnvironmentProps extends EnvironmentOptions {
  /** The repository. */
  readonly repo: GitOpsRepo;
}

/**
 * How an app is deployed in one environment.
 */
export interface AddAppOptions {
  /**
   * A chart the caller built; it is written to the app's directory (`apps/<app>/<env>`), and the
   * child Application reads it there.
   *
   * @default - none; give exactly one of chart, builder and source
   */
  readonly chart?: Chart;

  /**
   * Builds the app's chart, which the library creates and writes to the app's directory.
   *
   * @default - none; give exactly one of chart, builder and source
   */
  readonly builder?: IChartBuilder;

  /**
   * A source outside this app's output (a Helm chart, another repository).
   *
   * @default - none; give exactly one of chart, builder and source
   */
  readonly source?: ApplicationSource;

  /**
   * The child Application's name.
   *
   * @default - `<app>-<env>`
   */
  readonly name?: string;

  /**
   * The project.
   *
   * @default - the environment's project
   */
  readonly project?: IAppProject;

  /**
   * The cluster to deploy to.
   *
   * @default - the environment's first cluster; the cluster Argo CD runs in when it has none
   */
  readonly cluster?: Cluster;

  /**
   * The destination; wins over `cluster` and `namespace`.
   *
   * @default - `cluster`'s server and `namespace`
   */
  readonly destination?: Destination;

  /**
   * The destination namespace.
   *
   * @default - the app's id
   */
  readonly namespace?: string;

  /**
   * The sync policy.
   *
   * @default - the environment's sync policy
   */
  readonly syncPolicy?: SyncPolicy;

  /**
   * The sync wave of the child Application inside the root's sync: lower waves are synced first.
   *
   * @default - none (wave 0), unless derived from `AppDeployment.addDependency()`
   */
  readonly wave?: number;

  /**
   * Plain-directory options for the source (e.g. `recurse`).
   *
   * @default - none
   */
  readonly directory?: DirectoryOptions;

  /**
   * What Argo CD does with the app's workloads when its child Application is deleted.
   *
   * @default - the environment's `deletion`
   */
  readonly deletion?: AppDeletion;
}

/**
 * One app deployed in one environment: the child Application and, when the library writes the
 * manifests, the chart and its repository path.
 */
export class AppDeployment {
  /** The child Application in the environment's directory. */
  public readonly application: Application;
  /** The chart written to the app's directory, when the app's manifests come from this app. */
  public readonly chart?: Chart;
  /** The repository path the Application reads, when it reads this repository. */
  public readonly path?: string;
  /** The environment. */
  public readonly environment: Environment;

  /** @internal */
  constructor(environment: Environment, application: Application, chart?: Chart, path?: string) {
    this.environment = environment;
    this.application = application;
    this.chart = chart;
    this.path = path;
  }

  /**
   * Syncs this app after `others` in the root's sync (derived sync waves).
   *
   * @param others the apps to sync first
   */
  public addDependency(...others: AppDeployment[]): void {
    SyncWave.after(this.application, ...others.map((o) => o.application));
  }
}

/**
 * Options for `Environment.registerCluster()`.
 */
export interface RegisterClusterOptions {
  /**
   * Where the credentials come from.
   *
   * @default - ClusterCredentials.none() when the cluster authenticates without a secret; required otherwise
   */
  readonly credentials?: ClusterCredentials;
}

/**
 * An environment of a `GitOpsRepo` (dev, staging, production): its App of Apps.
 *
 * - `bootstrap/` holds the root Application `<env>-root` (seed 01's shape: project `default`,
 *   or, with `selfManagedRoot`, `clusters/<env>/` itself, so the root manages itself;
 *   destination the Argo CD namespace in-cluster, automated prune and self-heal, the resources
 *   finalizer), the one file to `kubectl apply` after a disaster (`GitOpsRepo.recoveryCommands()`). It is
 *   written once, so a change to the root itself is applied with the same `kubectl apply`
 *   (an object defined in two directories would be managed twice);
 * - `clusters/<env>/` is what the root syncs: the child Applications (each with the resources
 *   finalizer of its `deletion` choice, so that removing an app from code removes its workloads
 *   unless it is `AppDeletion.ORPHAN`), the cluster Secrets of `registerCluster()` (wave -2) and
 *   the `<env>-projects` Application (wave -1) when projects were added;
 * - `apps/<app>/<env>/` holds what each app deploys; the child Application's `source.path` is
 *   computed from it;
 * - `projects/<env>/` holds the environment's AppProjects.
 *
 * Root-app guard: an Application with automated prune (and no `Prune=false`/`Prune=confirm`)
 * whose destination is the cluster Argo CD runs in may not sync the Argo CD namespace itself,
 * Argo CD's CRDs, cluster-scoped `argocd-*` objects, or any object in the Argo CD namespace other
 * than Applications, ApplicationSets, AppProjects, Secrets labelled
 * `argocd.argoproj.io/secret-type`, and ExternalSecrets not writing an `argocd-*` Secret. Objects
 * annotated `argocd.argoproj.io/sync-options: Prune=false` pass.
 */
export class Environment extends Construct {
  /** The environment's name. */
  public readonly name: string;
  /** The repository. */
  public readonly repo: GitOpsRepo;
  /** The chart written to the environment's directory (`clusters/<env>`), holding the child Applications. */
  public readonly chart: Chart;
  /**
   * The root Application (App of Apps), written to the bootstrap directory (with
   * `selfManagedRoot`, to the environment's directory): the one Application created by hand. It
   * syncs the environment's directory.
   */
  public readonly root: Application;
  /** What deleting a child Application of this environment does with its workloads, unless an app says otherwise. */
  public readonly deletion: AppDeletion;

  private readonly _clusters: Cluster[];
  private readonly rootChart: Chart;
  private readonly syncPolicy: SyncPolicy;
  private readonly rootSyncPolicy: SyncPolicy;
  private readonly explicitProject?: IAppProject;
  private readonly deployments = new Map<string, AppDeployment>();
  private readonly projects: AppProject[] = [];
  private projectsChart?: Chart;
  private defaultProjectRef?: IAppProject;

  constructor(scope: Construct, id: string, props: EnvironmentProps) {
    super(scope, id);
    if (!isDnsLabel(id)) {
      fail(this, 'environment name', id, 'is not a valid name; use at most 63 lowercase letters, digits and \'-\', e.g. \'production\'');
    }
    this.name = id;
    this.repo = props.repo;
    this._clusters = [...(props.clusters ?? [])];
    this._clusters.forEach((c, i) => {
      if (!(c instanceof Cluster)) fail(this, `clusters[${i}]`, c, 'is not a Cluster; use new Cluster({...})');
    });
    this.syncPolicy = props.syncPolicy ?? { automated: { prune: true, selfHeal: true }, syncOptions: [SyncOption.CREATE_NAMESPACE] };
    this.explicitProject = props.project;
    AppDeletion._check(this, 'deletion', props.deletion);
    this.deletion = props.deletion ?? this.repo.deletion;

    const layout = this.repo.layout;
    this.chart = new Chart(this, 'Applications', { disableResourceNameHashes: true });
    OutputDirectory.set(this.chart, layout.environmentDirectory(this.name));

    const rootName = props.rootName ?? `${this.name}-root`;
    this.rootSyncPolicy = props.rootSyncPolicy ?? { automated: { prune: true, selfHeal: true } };
    const rootProject = props.rootProject ?? AppProject.fromProjectName(this, 'RootProject', 'default');
    this.rootChart = props.selfManagedRoot ? this.chart : this.repo.bootstrap;
    this.root = new Application(this.rootChart, rootName, {
      name: rootName,
      namespace: this.repo.argoCdNamespace,
      project: rootProject,
      source: this.repo.sourceFor(this.chart),
      destination: Destination.inCluster(this.repo.argoCdNamespace),
      syncPolicy: this.rootSyncPolicy,
      finalizers: [ApplicationFinalizer.RESOURCES],
    });
  }

  /** The environment's clusters (a copy). */
  public get clusters(): Cluster[] {
    return [...this._clusters];
  }

  /** The directory of the environment, relative to the output directory (`clusters/<env>`). */
  public get directory(): string {
    return OutputDirectory.of(this.chart);
  }

  /** The repository path of the bootstrap file: the root Application to `kubectl apply` after a disaster. */
  public get bootstrapFile(): string {
    // the file name ArgoCdApp gives an object: <kind>_<namespace>_<name>.yaml
    const name = `application_${this.repo.argoCdNamespace}_${this.root.name}.yaml`;
    const dir = this.repo.pathOf(this.rootChart);
    return dir === '.' ? name : `${dir}/${name}`;
  }

  /**
   * Whether the root syncs by itself (automated sync), so that a recovery can wait for it.
   * @internal
   */
  public get _rootSyncsAutomatically(): boolean {
    return this.rootSyncPolicy.automated !== undefined;
  }

  /**
   * The three commands that rebuild this environment alone on a new cluster: create the Argo CD
   * namespace, install Argo CD, apply the bootstrap file.
   *
   * @param argoCdVersion the Argo CD release to install, e.g. `v2.13.0`
   * @deprecated one environment's commands repeat the Argo CD install that every environment of
   * the repository shares, and say nothing of which root comes back first; use
   * `GitOpsRepo.recoveryCommands()`, the one ordered recovery of the whole repository
   */
  public recoveryCommands(argoCdVersion: string = 'stable'): string[] {
    const ns = this.repo.argoCdNamespace;
    return [
      `kubectl create namespace ${ns}`,
      `kubectl apply -n ${ns} --server-side -f https://raw.githubusercontent.com/argoproj/argo-cd/${argoCdVersion}/manifests/install.yaml`,
      `kubectl apply -f ${this.bootstrapFile}`,
    ];
  }

  /**
   * Adds an AppProject to the environment's projects directory, synced by the child Application
   * `<env>-projects` (wave -1, before the apps). The first project becomes the environment's
   * default project unless `EnvironmentOptions.project` is given.
   *
   * @param id the project's id (its name unless `props.name` says otherwise)
   * @param props the project
   */
  public addProject(id: string, props: AppProjectProps = {}): AppProject {
    if (!this.projectsChart) {
      this.projectsChart = new Chart(this, 'Projects', { disableResourceNameHashes: true });
      OutputDirectory.set(this.projectsChart, this.repo.layout.projectsDirectory(this.name));
      const app = new Application(this.chart, 'ProjectsApp', {
        name: `${this.name}-projects`,
        namespace: this.repo.argoCdNamespace,
        project: this.root.project,
        source: this.repo.sourceFor(this.projectsChart),
        destination: Destination.inCluster(this.repo.argoCdNamespace),
        syncPolicy: { automated: { prune: true, selfHeal: true } },
        ...finalizersOf(this.deletion),
      });
      SyncWave.of(-1).applyTo(app);
    }
    const project = new AppProject(this.projectsChart, id, { namespace: this.repo.argoCdNamespace, ...props });
    this.projects.push(project);
    return project;
  }

  /**
   * Registers a cluster in Argo CD: its cluster Secret (or the ExternalSecret that writes it) in
   * the environment's directory, at wave -2, so that the root registers it before deploying to it.
   *
   * @param cluster the cluster
   * @param options where the credentials come from
   */
  public registerCluster(cluster: Cluster, options: RegisterClusterOptions = {}): ClusterSecret {
    const secret = new ClusterSecret(this.chart, `Cluster-${cluster.name}`, {
      cluster,
      credentials: options.credentials,
      namespace: this.repo.argoCdNamespace,
    });
    SyncWave.of(-2).applyTo(secret.apiObject);
    if (!this._clusters.includes(cluster)) this._clusters.push(cluster);
    return secret;
  }

  /** The default project of child Applications. */
  public get project(): IAppProject {
    if (this.explicitProject) return this.explicitProject;
    if (this.projects.length) return this.projects[0];
    this.defaultProjectRef ??= AppProject.fromProjectName(this, 'DefaultProject', 'default');
    return this.defaultProjectRef;
  }

  /**
   * Deploys an app in this environment: a child Application in `clusters/<env>/` whose source is
   * the app's chart, written to `apps/<app>/<env>/` (the path is computed, never typed), or an
   * external source.
   *
   * @param id the app's name, e.g. `api`
   * @param options what to deploy, where and how
   */
  public addApp(id: string, options: AddAppOptions): AppDeployment {
    if (this.deployments.has(id)) {
      fail(this, 'app', id, `is already deployed in environment '${this.name}'; give each app its own id`);
    }
    if (!isDnsLabel(id)) {
      fail(this, 'app', id, 'is not a valid app name; use at most 63 lowercase letters, digits and \'-\'');
    }
    const given = (['chart', 'builder', 'source'] as const).filter((k) => options[k] !== undefined);
    if (given.length !== 1) {
      fail(this, `app '${id}'`, given.join(', ') || 'nothing', 'must give exactly one of chart, builder and source');
    }
    let chart: Chart | undefined;
    if (options.chart) {
      chart = options.chart;
      if (!(chart instanceof Chart)) fail(this, `app '${id}' chart`, chart, 'is not a cdk8s Chart');
      if (chart.node.root !== this.node.root) {
        throw new ValidationError(`app '${id}' chart [${chart.node.path}] belongs to another cdk8s app; create it in the same ArgoCdApp as the GitOpsRepo`, this);
      }
    } else if (options.builder) {
      if (typeof options.builder.buildChart !== 'function') fail(this, `app '${id}' builder`, options.builder, 'has no buildChart(chart, environment) method');
      chart = new Chart(this, `App-${id}`, { disableResourceNameHashes: true });
    }
    const namespace = options.namespace ?? id;
    checkNamespace(this, `app '${id}' namespace`, namespace);
    let source: ApplicationSource;
    let path: string | undefined;
    if (chart) {
      OutputDirectory.set(chart, this.repo.layout.appDirectory(id, this.name));
      if (options.builder) options.builder.buildChart(chart, this);
      path = this.repo.pathOf(chart);
      source = this.repo.sourceFor(chart, options.directory);
    } else {
      source = options.source!;
    }
    const cluster = options.cluster ?? this._clusters[0];
    const destination = options.destination
      ?? (cluster ? cluster.destination(namespace) : Destination.inCluster(namespace));
    AppDeletion._check(this, `app '${id}' deletion`, options.deletion);
    const application = new Application(this.chart, `App-${id}`, {
      name: options.name ?? `${id}-${this.name}`,
      namespace: this.repo.argoCdNamespace,
      project: options.project ?? this.project,
      source,
      destination,
      syncPolicy: options.syncPolicy ?? this.syncPolicy,
      ...finalizersOf(options.deletion ?? this.deletion),
    });
    if (options.wave !== undefined) SyncWave.of(options.wave).applyTo(application);
    const deployment = new AppDeployment(this, application, chart, path);
    this.deployments.set(id, deployment);
    return deployment;
  }

  /**
   * The deployment of an app added with `addApp()`.
   *
   * @param id the app's id
   */
  public app(id: string): AppDeployment {
    const d = this.deployments.get(id);
    if (!d) {
      throw new ValidationError(`app ${show(id)} is not deployed in environment '${this.name}' (apps: ${[...this.deployments.keys()].join(', ') || 'none'}); add it with ${methodName('addApp')}`, this);
    }
    return d;
  }
}

/** The child Application's finalizers for a deletion choice (none for ORPHAN). */
function finalizersOf(deletion: AppDeletion): { finalizers?: ApplicationFinalizer[] } {
  return deletion.finalizer ? { finalizers: [deletion.finalizer] } : {};
}
