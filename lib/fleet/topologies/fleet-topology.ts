import * as fs from 'fs';
import * as path from 'path';
import { cdk8sStdoutDir } from '../../app/_cdk8s-cli';
import { OUTDIR_OVERRIDE_ENV, SynthesizedFile } from '../../app/argocd-app';
import { ValidationError } from '../../errors';
import { checkNonEmpty, compareStrings, fail, isDnsLabel, show } from '../../_internal/values';
import { OutputDirectory } from '../../app/output-directory';
import { isSpare, isWorkDir, removeIdleWorkDir } from '../../app/_write';
import { SyncPolicy } from '../../argocd/sync-policy';
import { RepoLayout } from '../../repo/layout';
import { RecoveryOptions } from '../../repo/gitops-repo';
import { Cluster } from '../cluster';
import { ArgoCdInstance } from './argocd-instance';

/**
 * Props shared by the fleet topologies: the repository every instance reads and where the
 * output goes. Each Argo CD instance writes its own directory, `<outdir>/<instance>/`, read by
 * Argo CD at `<outputRoot>/<instance>/...`.
 */
export interface FleetTopologyProps {
  /** The Git repository every instance reads, e.g. `https://github.com/myorg/infra-repo.git`. */
  readonly repoUrl: string;

  /**
   * The branch, tag or commit the instances read.
   *
   * @default 'HEAD' (written explicitly)
   */
  readonly targetRevision?: string;

  /**
   * The local directory `synth()` writes to; each instance gets the subdirectory `<instance>/`.
   *
   * @default 'dist'
   */
  readonly outdir?: string;

  /**
   * Where `outdir` is inside the Git repository, e.g. `examples/topologies/hub-and-spoke/dist`.
   *
   * @default '.'
   */
  readonly outputRoot?: string;

  /**
   * The namespace every Argo CD instance runs in.
   *
   * @default 'argocd'
   */
  readonly argoCdNamespace?: string;

  /**
   * The layout inside each instance's directory.
   *
   * @default RepoLayout.DEFAULT (`bootstrap`, `clusters/{env}`, `apps/{app}/{env}`, `projects/{env}`)
   */
  readonly layout?: RepoLayout;

  /**
   * The sync policy of the Applications the instances deploy.
   *
   * @default - automated prune and self-heal, and CreateNamespace=true
   */
  readonly syncPolicy?: SyncPolicy;

  /**
   * Whether each instance keeps the output its synthesis replaces as a spare beside its directory
   * (`<outdir>/.<instance>.spare`, ignored by git) to write the next synthesis into; see
   * `ArgoCdAppProps.reusePreviousOutput`.
   *
   * @default true
   */
  readonly reusePreviousOutput?: boolean;
}

/**
 * Options for creating one instance of a topology.
 * @internal
 */
export interface _InstanceOptions {
  readonly hostCluster?: Cluster;
  readonly inClusterOnly?: boolean;
}

/**
 * A multi-cluster Argo CD topology: one or more Argo CD instances, each an `ArgoCdInstance` with
 * its own output directory `<outdir>/<instance>/` (one `ArgoCdApp` each). Each instance's root
 * Application is `<instance>/bootstrap/application_<ns>_<instance>-root.yaml`, applied by hand
 * on the cluster that instance runs in; it syncs `<instance>/clusters/<instance>/`.
 */
export abstract class FleetTopology {
  /** The repository the instances read. */
  public readonly repoUrl: string;
  /** The local output directory. */
  public readonly outdir: string;
  /** The output directory's path in the repository. */
  public readonly outputRoot: string;

  private readonly props: FleetTopologyProps;
  private readonly _instances: ArgoCdInstance[] = [];

  protected constructor(props: FleetTopologyProps) {
    checkNonEmpty(undefined, 'repoUrl', props.repoUrl);
    this.props = props;
    this.repoUrl = props.repoUrl;
    this.outdir = props.outdir ?? 'dist';
    const root = OutputDirectory._normalize(props.outputRoot ?? '.');
    if (root === undefined) {
      fail(undefined, 'outputRoot', props.outputRoot, 'is not a relative path inside the repository; use a path like \'examples/topologies/hub-and-spoke/dist\' or \'.\'');
    }
    this.outputRoot = root;
  }

  /**
   * The ordered recovery of every Argo CD instance after a disaster, instance by instance in the
   * order created (the hub or the cockpit first): a `#` line naming the cluster the instance runs
   * in, then the instance's `GitOpsRepo.recoveryCommands()` to run there (Argo CD installed once
   * on that cluster, its CRDs waited for, then the instance's root).
   *
   * @param options the Argo CD release and the waits' timeout
   */
  public recoveryCommands(options: RecoveryOptions = {}): string[] {
    return this._instances.flatMap((i) => [
      `# on the cluster Argo CD instance '${i.name}' runs in (${i.hostCluster.name}):`,
      ...i.repo.recoveryCommands({ argoCdVersion: options.argoCdVersion, timeout: options.timeout }),
    ]);
  }

  /** Every instance, in the order created (a copy). */
  public get instances(): ArgoCdInstance[] {
    return [...this._instances];
  }

  /**
   * The instance with this name.
   *
   * @param name the instance's name
   */
  public instance(name: string): ArgoCdInstance {
    const found = this._instances.find((i) => i.name === name);
    if (!found) {
      throw new ValidationError(`instance ${show(name)} does not exist (instances: ${this._instances.map((i) => i.name).join(', ') || 'none'})`);
    }
    return found;
  }

  /**
   * Validates and renders every instance without writing anything: the files of all instances,
   * paths prefixed with `<instance>/`, sorted.
   *
   * @throws ValidationError listing the failures of every instance that fails
   */
  public synthFiles(): SynthesizedFile[] {
    const out = this.eachInstance((i) => i.synthFiles().map((f) => ({ ...f, path: `${i.name}/${f.path}` })));
    return out.flat().sort((a, b) => compareStrings(a.path, b.path));
  }

  /**
   * `fn` of every instance, in order; the validation failures of all instances are collected and
   * thrown together (each message prefixed with its instance), after `undo` of the results so far.
   */
  private eachInstance<T>(fn: (i: ArgoCdInstance) => T, undo?: (r: T) => void): T[] {
    const out: T[] = [];
    const errors: string[] = [];
    try {
      for (const i of this._instances) {
        try {
          out.push(fn(i));
        } catch (e: any) {
          if (!ValidationError.isValidationError(e)) throw e;
          errors.push(`instance '${i.name}': ${e.message}`);
        }
      }
      if (errors.length) throw new ValidationError(errors.join('\n'));
    } catch (e) {
      if (undo) for (const r of out) undo(r);
      throw e;
    }
    return out;
  }

  /**
   * Writes every instance's directory, after every instance synthesized without error (nothing
   * is written when one fails), and removes the directories of instances that no longer exist.
   * Each instance is rendered once: into a staging directory beside its output directory, all of
   * which are put in place (by rename) once every instance succeeded.
   */
  public synth(): void {
    const staged = this.eachInstance((i) => i._stage(), (s) => s.discard());
    for (const s of staged) s.commit();
    // an instance that is gone leaves no directory behind (each instance's own directory is
    // replaced as a whole by its synth), nor a spare; the spares of the instances that remain stay.
    // Only what this library writes is removed: a directory named like an instance that holds
    // nothing but directories and .yaml files, and the spares and work directories beside them;
    // anything else in the output directory (with `outdir` at a repository's root: its `.git`, its
    // sources) is never touched. Not when the output is redirected (the drift check): then the
    // committed directory is never touched; nor under `cdk8s synth --stdout`.
    if (process.env[OUTDIR_OVERRIDE_ENV] !== undefined || cdk8sStdoutDir() !== undefined || !fs.existsSync(this.outdir)) return;
    const current = new Set(this._instances.map((i) => i.name));
    const dirs = () => fs.readdirSync(this.outdir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    for (const name of dirs()) {
      if (!current.has(name) && isDnsLabel(name) && holdsOnlyOutput(path.join(this.outdir, name))) {
        fs.rmSync(path.join(this.outdir, name), { recursive: true, force: true });
      }
    }
    // then the spares and work directories of instances whose directory is gone
    for (const name of dirs()) {
      const beside = /^\.(.+)\.(spare|synth)$/.exec(name);
      if (!beside || current.has(beside[1]) || fs.existsSync(path.join(this.outdir, beside[1]))) continue;
      if (beside[2] === 'spare' && isSpare(this.outdir, name)) fs.rmSync(path.join(this.outdir, name), { recursive: true, force: true });
      if (beside[2] === 'synth' && isWorkDir(this.outdir, name)) removeIdleWorkDir(path.join(this.outdir, name));
    }
  }

  /** @internal */
  protected _addInstance(name: string, options: _InstanceOptions): ArgoCdInstance {
    if (!isDnsLabel(name)) {
      fail(undefined, 'instance name', name, 'is not a valid name; use at most 63 lowercase letters, digits and \'-\' (a cluster or group name becomes the instance\'s directory)');
    }
    if (this._instances.some((i) => i.name === name)) {
      throw new ValidationError(`instance '${name}' already exists in this topology; every Argo CD instance needs a name (and directory) of its own`);
    }
    const p = this.props;
    const instance = new ArgoCdInstance({
      name,
      repoUrl: p.repoUrl,
      targetRevision: p.targetRevision,
      outdir: path.join(this.outdir, name),
      outputRoot: this.outputRoot === '.' ? name : `${this.outputRoot}/${name}`,
      argoCdNamespace: p.argoCdNamespace,
      layout: p.layout,
      syncPolicy: p.syncPolicy,
      reusePreviousOutput: p.reusePreviousOutput,
      hostCluster: options.hostCluster,
      inClusterOnly: options.inClusterOnly,
    });
    this._instances.push(instance);
    return instance;
  }
}

/**
 * Whether the tree `dir` holds nothing but directories and `.yaml` files (names not starting with
 * `.`): what an instance's synthesis writes, and so what the topology may remove.
 */
function holdsOnlyOutput(dir: string): boolean {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) return false;
    if (e.isDirectory()) {
      if (!holdsOnlyOutput(path.join(dir, e.name))) return false;
    } else if (!e.isFile() || !e.name.endsWith('.yaml')) {
      return false;
    }
  }
  return true;
}
