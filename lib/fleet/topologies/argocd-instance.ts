import { Chart } from 'cdk8s';
import { _StagedSynthesis, ArgoCdApp, SynthesizedFile } from '../../app/argocd-app';
import { ValidationError } from '../../errors';
import { fail, isDnsLabel, show } from '../../_internal/values';
import { Destination } from '../../argocd/destination';
import { SyncPolicy } from '../../argocd/sync-policy';
import { PreviewWorld } from '../../argocd/preview/application-set-preview';
import { AppDeployment, Environment, RegisterClusterOptions } from '../../repo/environment';
import { GitOpsRepo } from '../../repo/gitops-repo';
import { RepoLayout } from '../../repo/layout';
import { Cluster } from '../cluster';
import { CLUSTER_SECRET_TYPE_LABEL, ClusterSecret } from '../cluster-secret';
import { InClusterOnlyCheck } from './_in-cluster-only-check';
import { FleetAppOptions, InstanceAppOptions } from './app-options';
import { FleetApplicationSet } from './fleet-application-set';
import { methodName } from '../../_internal/method-name';

/**
 * Props for `ArgoCdInstance`.
 */
export interface ArgoCdInstanceProps {
  /**
   * The instance's name (a DNS label): its environment, its root Application `<name>-root` and,
   * in a topology, its directory.
   */
  readonly name: string;

  /** The Git repository the instance reads, e.g. `https://github.com/myorg/infra-repo.git`. */
  readonly repoUrl: string;

  /**
   * The branch, tag or commit the instance reads.
   *
   * @default 'HEAD' (written explicitly)
   */
  readonly targetRevision?: string;

  /** The local directory `synth()` writes the instance's output to. */
  readonly outdir: string;

  /**
   * Whether the output a synthesis replaces is kept as a spare beside `outdir`, to write the next
   * synthesis into; see `ArgoCdAppProps.reusePreviousOutput`.
   *
   * @default true
   */
  readonly reusePreviousOutput?: boolean;

  /**
   * Where `outdir` is inside the Git repository; the instance's Application paths start with it.
   *
   * @default '.'
   */
  readonly outputRoot?: string;

  /**
   * The namespace the instance runs in.
   *
   * @default 'argocd'
   */
  readonly argoCdNamespace?: string;

  /**
   * The layout inside the instance's output.
   *
   * @default RepoLayout.DEFAULT
   */
  readonly layout?: RepoLayout;

  /**
   * The cluster the instance runs in; builders of in-cluster apps receive it (with its labels).
   *
   * @default - `Cluster.inCluster()`
   */
  readonly hostCluster?: Cluster;

  /**
   * The instance manages only the cluster it runs in: registering another cluster throws, and a
   * manifest check refuses any Application deploying elsewhere.
   *
   * @default false
   */
  readonly inClusterOnly?: boolean;

  /**
   * The sync policy of the instance's Applications.
   *
   * @default - automated prune and self-heal, and CreateNamespace=true
   */
  readonly syncPolicy?: SyncPolicy;
}

/**
 * One Argo CD instance and the repository tree it reads: its own `ArgoCdApp` (one output
 * directory), a `GitOpsRepo` and one `Environment` named after the instance, whose root
 * Application (`bootstrap/`) is the one file applied by hand on the instance's cluster.
 *
 * Each instance is a separate app because each Argo CD is a separate world: object names
 * (`argocd/<name>`), projects and registered clusters are per instance, so checks (duplicate
 * objects, project rules, ApplicationSet expansion over cluster Secrets) must see one instance
 * at a time, and each instance's directory is replaced atomically on its own.
 *
 * @example
 * const edge = new ArgoCdInstance({ name: 'edge-1', repoUrl, outdir: 'dist/edge-1', outputRoot: 'dist/edge-1', inClusterOnly: true });
 * edge.addApp('api', { builder: api });
 * edge.synth();
 */
export class ArgoCdInstance {
  /** The instance's name. */
  public readonly name: string;
  /** The app that writes the instance's output directory. */
  public readonly app: ArgoCdApp;
  /** The instance's repository tree. */
  public readonly repo: GitOpsRepo;
  /** The instance's environment: root Application, child Applications, cluster Secrets. */
  public readonly environment: Environment;
  /** The cluster the instance runs in. */
  public readonly hostCluster: Cluster;
  /** Whether the instance manages only the cluster it runs in. */
  public readonly inClusterOnly: boolean;

  private readonly _clusters: Cluster[] = [];
  private readonly _secrets: ClusterSecret[] = [];
  private readonly _appSets: FleetApplicationSet[] = [];
  private readonly _apps = new Set<string>();

  constructor(props: ArgoCdInstanceProps) {
    if (!isDnsLabel(props.name)) {
      fail(undefined, 'instance name', props.name, 'is not a valid name; use at most 63 lowercase letters, digits and \'-\', e.g. \'hub\' or \'edge-1\'');
    }
    this.name = props.name;
    this.inClusterOnly = props.inClusterOnly ?? false;
    this.hostCluster = props.hostCluster ?? Cluster.inCluster();
    this.app = new ArgoCdApp({ outdir: props.outdir, reusePreviousOutput: props.reusePreviousOutput });
    this.repo = new GitOpsRepo(this.app, this.name, {
      repoUrl: props.repoUrl,
      targetRevision: props.targetRevision,
      outputRoot: props.outputRoot,
      argoCdNamespace: props.argoCdNamespace,
      layout: props.layout,
    });
    this.environment = this.repo.addEnvironment(this.name, { syncPolicy: props.syncPolicy });
    if (this.inClusterOnly) this.app.addCheck(new InClusterOnlyCheck(this.name));
  }

  /** The clusters registered in the instance, in the order registered (a copy). */
  public get managedClusters(): Cluster[] {
    return [...this._clusters];
  }

  /** The cluster Secrets (or ExternalSecrets writing them) of the registered clusters (a copy). */
  public get clusterSecrets(): ClusterSecret[] {
    return [...this._secrets];
  }

  /** The apps deployed through ApplicationSets with `deployToClusters()` (a copy). */
  public get fleetApps(): FleetApplicationSet[] {
    return [...this._appSets];
  }

  /**
   * Whether the instance can deploy to `cluster`: it is the cluster the instance runs in, or it
   * is registered.
   *
   * @param cluster the cluster
   */
  public manages(cluster: Cluster): boolean {
    return this.isHost(cluster) || this._clusters.includes(cluster);
  }

  /**
   * Registers a cluster in the instance (its cluster Secret, wave -2, in the environment's
   * directory). ApplicationSets of `deployToClusters()` whose selector matches it deploy to it.
   *
   * @param cluster the cluster
   * @param options where the credentials come from
   */
  public registerCluster(cluster: Cluster, options: RegisterClusterOptions = {}): ClusterSecret {
    if (!(cluster instanceof Cluster)) fail(this.environment, 'cluster', cluster, 'is not a Cluster; use new Cluster({...})');
    if (this.inClusterOnly && !this.isHost(cluster)) {
      throw new ValidationError(`cluster '${cluster.name}' cannot be registered in instance '${this.name}', which manages only the cluster it runs in; `
        + 'deploy to that cluster from its own Argo CD instance', this.environment);
    }
    const clash = this._clusters.find((c) => c === cluster || c.name === cluster.name || c.server === cluster.server);
    if (clash) {
      throw new ValidationError(`cluster '${cluster.name}' (${cluster.server}) is already registered in instance '${this.name}' as '${clash.name}' (${clash.server}); `
        + 'register each cluster once, under one name', this.environment);
    }
    const secret = this.environment.registerCluster(cluster, options);
    this._clusters.push(cluster);
    this._secrets.push(secret);
    for (const s of this._appSets) s._offer(cluster);
    return secret;
  }

  /**
   * Deploys an app with one Application, to the cluster the instance runs in or to one
   * registered cluster; its chart is written to `apps/<app>/<instance>`.
   *
   * @param id the app's name, e.g. `api`
   * @param options what to deploy, where and how
   */
  public addApp(id: string, options: InstanceAppOptions): AppDeployment {
    this.claimAppId(id);
    const cluster = options.cluster;
    if (cluster !== undefined && !(cluster instanceof Cluster)) fail(this.environment, `app '${id}' cluster`, cluster, 'is not a Cluster');
    const remote = cluster !== undefined && !this.isHost(cluster);
    if (remote && !this._clusters.includes(cluster!)) {
      const known = this._clusters.map((c) => c.name);
      throw new ValidationError(`app '${id}' deploys to cluster '${cluster!.name}', which is not registered in instance '${this.name}' `
        + `(registered: ${known.length ? known.join(', ') : 'none'}); Argo CD would report the cluster as not found: register it with ${methodName('registerCluster')}`, this.environment);
    }
    const target = remote ? cluster! : this.hostCluster;
    const namespace = options.namespace ?? id;
    const builder = options.builder;
    return this.environment.addApp(id, {
      chart: options.chart,
      source: options.source,
      builder: builder ? { buildChart: (chart: Chart) => builder.buildChart(chart, target) } : undefined,
      name: options.name ?? (remote ? `${id}-${target.name}` : undefined),
      project: options.project,
      namespace,
      destination: remote ? target.destination(namespace) : Destination.inCluster(namespace),
      syncPolicy: options.syncPolicy,
      wave: options.wave,
    });
  }

  /**
   * Deploys an app to every registered cluster its selector matches, with one ApplicationSet
   * over the clusters generator in the environment's directory; with a builder, the manifests
   * of each matching cluster are written to `apps/<app>/<cluster>`.
   *
   * @param id the app's name, e.g. `ingress-nginx`
   * @param options what to deploy and to which clusters
   */
  public deployToClusters(id: string, options: FleetAppOptions): FleetApplicationSet {
    if (this.inClusterOnly) {
      throw new ValidationError(`app '${id}' cannot be deployed to other clusters by instance '${this.name}', which manages only the cluster it runs in; use ${methodName('addApp')}`, this.environment);
    }
    this.claimAppId(id);
    const set = new FleetApplicationSet(this.environment, `Fleet-${id}`, { ...options, instance: this, app: id });
    this._appSets.push(set);
    for (const c of this._clusters) set._offer(c);
    return set;
  }

  /**
   * What Argo CD's clusters generator reads in this instance, for `ApplicationSetPreview.expand()`
   * or `ApplicationSet.preview()`: one Secret per registered cluster with its labels,
   * annotations, name, server and project, also for clusters whose Secret an ExternalSecret
   * writes (without the token, which the generator does not read).
   */
  public previewWorld(): PreviewWorld {
    return {
      clusterSecrets: this._secrets.map((s) => ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: s.secretName,
          namespace: s.namespace,
          labels: { ...s.cluster.labels, [CLUSTER_SECRET_TYPE_LABEL]: 'cluster' },
          annotations: s.cluster.annotations,
        },
        stringData: s.cluster._secretFields(),
      })),
    };
  }

  /**
   * Validates and renders the instance's output without writing anything.
   */
  public synthFiles(): SynthesizedFile[] {
    return this.app.synthFiles();
  }

  /**
   * Writes the instance's output directory (replaced as a whole, only when synthesis succeeds).
   */
  public synth(): void {
    this.app.synth();
  }

  /**
   * Synthesizes the instance into a staging directory, put in place by `commit()` (see
   * `ArgoCdApp._stageSynth`).
   *
   * @internal
   */
  public _stage(): _StagedSynthesis {
    return this.app._stageSynth(true);
  }

  private isHost(cluster: Cluster): boolean {
    return cluster === this.hostCluster || cluster.isInCluster || (cluster.name === this.hostCluster.name && cluster.server === this.hostCluster.server);
  }

  private claimAppId(id: string): void {
    if (this._apps.has(id)) {
      throw new ValidationError(`app ${show(id)} is already deployed by instance '${this.name}'; give each app its own id`, this.environment);
    }
    this._apps.add(id);
  }
}
