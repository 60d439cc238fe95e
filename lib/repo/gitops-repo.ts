import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ValidationError } from '../errors';
import { checkNamespace, checkNonEmpty, show } from '../_internal/values';
import { ArgoCdApp } from '../app/argocd-app';
import { OutputDirectory } from '../app/output-directory';
import { ApplicationSource, DirectoryOptions } from '../argocd/application-source';
import { ArgoCdSelfPruneGuard, ClusterRegistrationCheck, ProjectKindCheck, RepoApplicationSetCheck, RepoFacts, RepoPathCheck, normalizeRepoPath, repoPathOf } from './_checks';
import { Environment, EnvironmentOptions } from './environment';
import { EmptyGitDirectoriesWarning } from './empty-git-directories-warning';
import { TrackedPathCheck } from './tracked-path-check';
import { UnreadChartWarning } from './unread-chart-warning';
import { RepoLayout } from './layout';
import { AppDeletion } from './app-deletion';
import { methodName } from '../_internal/method-name';
import { renderGoDuration } from '../_internal/go-duration';

/**
 * Props for `GitOpsRepo`.
 */
export interface GitOpsRepoProps {
  /** The Git repository Argo CD reads, e.g. `https://github.com/myorg/infra-repo.git`. */
  readonly repoUrl: string;

  /**
   * The branch, tag or commit Argo CD reads.
   *
   * @default 'HEAD' (written explicitly)
   */
  readonly targetRevision?: string;

  /**
   * Where the app's output directory is inside the Git repository, e.g. `examples/platform/dist`;
   * `.` when the output directory is the repository root. Application source paths are computed
   * from it.
   *
   * @default '.'
   */
  readonly outputRoot?: string;

  /**
   * The directory layout.
   *
   * @default RepoLayout.DEFAULT (`clusters/{env}`, `apps/{app}/{env}`, `projects/{env}`, `bootstrap`)
   */
  readonly layout?: RepoLayout;

  /**
   * The namespace Argo CD runs in.
   *
   * @default 'argocd'
   */
  readonly argoCdNamespace?: string;

  /**
   * What Argo CD does with an app's workloads when the child Application the repository writes
   * for it is deleted: removing an app from code makes the environment's root prune the child,
   * and this says whether its workloads go with it. Written as the child's resources finalizer;
   * environments and apps may choose otherwise (`EnvironmentOptions.deletion`,
   * `AddAppOptions.deletion`). Roots always carry the foreground finalizer.
   *
   * @default AppDeletion.CASCADE_FOREGROUND - removing an app from code removes its workloads,
   * as an ApplicationSet's generated Applications do
   */
  readonly deletion?: AppDeletion;
}

/**
 * Options for the recovery commands of a repository or a fleet topology.
 */
export interface RecoveryOptions {
  /**
   * The Argo CD release to install, e.g. `v3.5.1`.
   *
   * @default 'stable'
   */
  readonly argoCdVersion?: string;

  /**
   * How long each `kubectl wait` of the recovery waits (for Argo CD's CRDs, then for the
   * management root to be synced).
   *
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
}

/**
 * Options for `GitOpsRepo.recoveryCommands()`.
 */
export interface RepoRecoveryOptions extends RecoveryOptions {
  /**
   * The environment whose root comes back first: the one that holds Argo CD's own configuration
   * and what the other roots rely on (projects, cluster registrations, repository access).
   *
   * @default - the first environment added without clusters (its apps deploy to the cluster Argo
   * CD runs in, as a management environment's do); else the first environment added
   */
  readonly managementEnvironment?: Environment;
}

/**
 * A GitOps repository written by an `ArgoCdApp`: environments with an App of Apps each, the
 * manifests every app deploys, projects, cluster registrations and the bootstrap files.
 *
 * It registers checks on the app, run over every object before anything is written:
 *
 * - every Application whose source is this repository (any spelling of its URL) and whose path
 *   lies under `outputRoot` must point at a directory the app writes, or one declared with
 *   `addExternalPath()`; the message names the nearest written paths;
 * - no Application with automated prune, deploying to the cluster Argo CD runs in, may sync the
 *   objects that run Argo CD (see `Environment` for the exact rule): a root app that prunes them
 *   deletes itself;
 * - the kinds an Application deploys from this repository must be allowed by its project;
 * - ApplicationSets whose git generators read this repository are expanded over the files the app
 *   writes, and the names they generate checked;
 * - every Application deploys to a cluster Argo CD will know: in-cluster, registered by the app,
 *   an environment's cluster, or one declared with `addExternalCluster()`.
 *
 * @example
 * const app = new ArgoCdApp({ outdir: 'dist' });
 * const repo = new GitOpsRepo(app, 'repo', { repoUrl: 'https://github.com/myorg/infra-repo.git', targetRevision: 'main', outputRoot: 'dist' });
 * const production = repo.addEnvironment('production', { clusters: [prod] });
 * production.addApp('api', { builder: new ApiChart() });
 */
export class GitOpsRepo extends Construct {
  /** The repository URL. */
  public readonly repoUrl: string;
  /** The revision Argo CD reads. */
  public readonly targetRevision: string;
  /** The output directory's path in the repository. */
  public readonly outputRoot: string;
  /** The layout. */
  public readonly layout: RepoLayout;
  /** The namespace Argo CD runs in. */
  public readonly argoCdNamespace: string;
  /** The chart written to the bootstrap directory. */
  public readonly bootstrap: Chart;
  /** What deleting a child Application does with its workloads, unless an environment or app says otherwise. */
  public readonly deletion: AppDeletion;

  private readonly _environments: Environment[] = [];
  private readonly _externalPaths: string[] = [];
  private readonly _externalClusters: string[] = [];

  constructor(scope: Construct, id: string, props: GitOpsRepoProps) {
    super(scope, id);
    checkNonEmpty(this, 'repoUrl', props.repoUrl);
    this.repoUrl = props.repoUrl;
    this.targetRevision = props.targetRevision ?? 'HEAD';
    checkNonEmpty(this, 'targetRevision', this.targetRevision);
    const root = OutputDirectory._normalize(props.outputRoot ?? '.');
    if (root === undefined) {
      throw new ValidationError(`outputRoot ${show(props.outputRoot)} is not a relative path inside the repository; use a path like 'examples/platform/dist' or '.'`, this);
    }
    this.outputRoot = root;
    this.layout = props.layout ?? RepoLayout.DEFAULT;
    this.argoCdNamespace = props.argoCdNamespace ?? 'argocd';
    checkNamespace(this, 'argoCdNamespace', this.argoCdNamespace);
    AppDeletion._check(this, 'deletion', props.deletion);
    this.deletion = props.deletion ?? AppDeletion.CASCADE_FOREGROUND;
    const app = ArgoCdApp.tryFind(this);
    if (!app) {
      throw new ValidationError('GitOpsRepo must be placed in an ArgoCdApp, which runs its path and root-app checks; create it with new GitOpsRepo(new ArgoCdApp(...), ...)', this);
    }
    const facts: RepoFacts = {
      repoUrl: this.repoUrl,
      outputRoot: this.outputRoot,
      externalPaths: () => [...this._externalPaths],
      externalClusters: () => [...this._externalClusters],
      declaredClusters: () => this._environments.flatMap((e) => e.clusters),
      argoCdNamespace: this.argoCdNamespace,
    };
    app.addCheck(new RepoPathCheck(facts));
    app.addCheck(new ArgoCdSelfPruneGuard(facts));
    app.addCheck(new ProjectKindCheck(facts));
    app.addCheck(new RepoApplicationSetCheck(facts));
    app.addCheck(new ClusterRegistrationCheck(facts));
    app.addCheck(new TrackedPathCheck(facts, () => app._committedOutdir));
    app.addWarningCheck(new EmptyGitDirectoriesWarning(facts, () => app._committedOutdir));
    app.addWarningCheck(new UnreadChartWarning(facts, this, () => this.layout.bootstrapDirectory));
    this.bootstrap = new Chart(this, 'Bootstrap', { disableResourceNameHashes: true });
    OutputDirectory.set(this.bootstrap, this.layout.bootstrapDirectory);
  }

  /**
   * Adds an environment: a directory `clusters/<name>/` with its root Application (also written
   * to `bootstrap/`) and the child Applications added with `Environment.addApp()`.
   *
   * @param name the environment's name, e.g. `production` (a DNS label)
   * @param options clusters and defaults
   */
  public addEnvironment(name: string, options: EnvironmentOptions = {}): Environment {
    if (this._environments.some((e) => e.name === name)) {
      throw new ValidationError(`environment ${show(name)} already exists; give each environment its own name`, this);
    }
    const env = new Environment(this, name, { ...options, repo: this });
    this._environments.push(env);
    return env;
  }

  /** The environments, in the order added (a copy). */
  public get environments(): Environment[] {
    return [...this._environments];
  }

  /**
   * The environment with this name.
   *
   * @param name the environment's name
   */
  public environment(name: string): Environment {
    const env = this._environments.find((e) => e.name === name);
    if (!env) {
      throw new ValidationError(`environment ${show(name)} does not exist (environments: ${this._environments.map((e) => e.name).join(', ') || 'none'}); add it with ${methodName('repo.addEnvironment')}`, this);
    }
    return env;
  }

  /**
   * The one ordered recovery of the repository after its Argo CD cluster is lost, to run from the
   * root of a checkout on the rebuilt cluster: create the Argo CD namespace and install Argo CD
   * (once: every environment's root lives in this one Argo CD), wait for its CRDs, apply the
   * management root and wait until Argo CD has synced it, then apply every other root in the order
   * the environments were added. Argo CD restores everything else from Git. Each bootstrap file
   * is applied once.
   *
   * A management root without automated sync is not waited for: sync it (`argocd app sync
   * <root>`) before the commands that follow.
   *
   * @param options the Argo CD release, the management environment and the waits' timeout
   */
  public recoveryCommands(options: RepoRecoveryOptions = {}): string[] {
    if (this._environments.length === 0) {
      throw new ValidationError(`recoveryCommands: the repository has no environment, so there is no root to apply; add one with ${methodName('repo.addEnvironment')}`, this);
    }
    const management = options.managementEnvironment
      ?? this._environments.find((e) => e.clusters.length === 0)
      ?? this._environments[0];
    if (!this._environments.includes(management)) {
      throw new ValidationError(`recoveryCommands: managementEnvironment ${show(String(management?.node?.path ?? management))} is not an environment of this repository (environments: ${this._environments.map((e) => e.name).join(', ')}); pass one of repo.environments`, this);
    }
    const version = options.argoCdVersion ?? 'stable';
    checkNonEmpty(this, 'recoveryCommands: argoCdVersion', version);
    const timeout = renderGoDuration(options.timeout ?? Duration.minutes(10), 'recoveryCommands: timeout', this);
    const ns = this.argoCdNamespace;
    const commands = [
      `kubectl create namespace ${ns}`,
      `kubectl apply -n ${ns} --server-side -f https://raw.githubusercontent.com/argoproj/argo-cd/${version}/manifests/install.yaml`,
      // an Application applied before its CRD is established is refused ("no matches for kind")
      `kubectl wait --for=condition=Established --timeout=${timeout} crd/applications.argoproj.io crd/appprojects.argoproj.io`,
      `kubectl apply -f ${management.bootstrapFile}`,
    ];
    if (management._rootSyncsAutomatically) {
      commands.push(`kubectl wait -n ${ns} --for=jsonpath='{.status.sync.status}'=Synced --timeout=${timeout} application/${management.root.name}`);
    }
    for (const env of this._environments) {
      const apply = `kubectl apply -f ${env.bootstrapFile}`;
      if (!commands.includes(apply)) commands.push(apply);
    }
    return commands;
  }

  /**
   * Declares a repository path that holds manifests written by other means (hand-written YAML, a
   * Helm chart in the repository), so that Applications may point at it.
   *
   * @param path a path relative to the repository root; everything below it is covered
   */
  public addExternalPath(path: string): void {
    checkNonEmpty(this, 'externalPath', path);
    this._externalPaths.push(normalizeRepoPath(path));
  }

  /**
   * Declares a cluster registered with Argo CD by other means (`argocd cluster add`, another
   * repository), so that Applications may deploy to it.
   *
   * @param serverOrName the cluster's API server URL or its name, as Applications' destinations give it
   */
  public addExternalCluster(serverOrName: string): void {
    checkNonEmpty(this, 'externalCluster', serverOrName);
    this._externalClusters.push(serverOrName);
  }

  /**
   * The repository path of a chart's output directory (`outputRoot` joined with
   * `OutputDirectory.of(chart)`), as an Application's `source.path`.
   *
   * @param chart a chart of this app
   */
  public pathOf(chart: Chart): string {
    return repoPathOf(this.outputRoot, OutputDirectory.of(chart));
  }

  /**
   * A Git source reading this repository at the directory a chart is written to.
   *
   * @param chart a chart of this app
   * @param directory plain-directory options
   */
  public sourceFor(chart: Chart, directory?: DirectoryOptions): ApplicationSource {
    return ApplicationSource.git({
      repoUrl: this.repoUrl,
      targetRevision: this.targetRevision,
      path: this.pathOf(chart),
      ...(directory ? { directory } : {}),
    });
  }

  /**
   * A Git source reading this repository at a directory relative to the output directory.
   *
   * @param directory a directory relative to the app's output directory, e.g. `clusters/production`
   */
  public sourceAt(directory: string): ApplicationSource {
    const normalized = OutputDirectory._normalize(directory);
    if (normalized === undefined) {
      throw new ValidationError(`directory ${show(directory)} is not a relative path inside the output directory`, this);
    }
    return ApplicationSource.git({ repoUrl: this.repoUrl, targetRevision: this.targetRevision, path: repoPathOf(this.outputRoot, normalized) });
  }
}
