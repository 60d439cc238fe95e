import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { compareStrings } from '../_internal/values';
import { dumpYaml, dumpYamlDocuments } from '../_internal/yaml';
import { _registeredChecks } from '../_internal/checks';
import { _allApiObjects, _allConstructs, _keepRenders, _renderOnce, _synthesizing } from '../_internal/synthesis';
import { BUNDLE_FILE, writeBundle } from './_bundle';
import { cdk8sStdoutDir, checkCdk8sAppProps, constructMetadataWanted, writeConstructMetadata, writeStdoutManifests } from './_cdk8s-cli';
import { createStaging, discardStaging, MAX_NAME_BYTES, stage, stageFiles, Staging, swapIn, linkFiles } from './_write';
import { WriterThread, writerThreadWanted } from './_writer-thread';
import { IManifestCheck, RenderedManifest } from '../manifest-check';
import { OutputDirectory } from './output-directory';
import { _secretProblems } from '../external-secrets/plaintext-secret-guard';
import { HookAnnotationCheck } from '../hooks/hook-annotation-check';
import { SyncWave } from '../sync/sync-wave';

const ARGOCD_APP = Symbol.for('cdk8s-argocd.ArgoCdApp');

/**
 * The environment variable that, when set, overrides every app's output directory.
 * `cdk8s-argocd check` uses it to synthesize into a scratch directory.
 */
export const OUTDIR_OVERRIDE_ENV = 'CDK8S_ARGOCD_OUTDIR';

/**
 * The environment variable that, when set to a file path, makes every app's `synth()` append one
 * JSON line to that file: `{ "outdir": <the configured output directory, absolute, or null when
 * none was configured>, "synthdir": <where the files were written>, "files": [<relative paths>] }`,
 * with `"warnings": [<messages>]` when a warning check (`addWarningCheck()`) reported any.
 * `cdk8s-argocd check` uses it to learn which directory the app commits. With both this variable
 * and `CDK8S_ARGOCD_OUTDIR` set, each app writes to a numbered subdirectory of the override, so
 * that several apps in one script do not replace each other's output. Each app also appends
 * `{ "announce": true, "outdir": <as above> }` as soon as it is constructed, so that `check` can
 * read the committed files while the app builds and synthesizes.
 */
export const SYNTH_REPORT_ENV = 'CDK8S_ARGOCD_REPORT';

/**
 * The environment variable that, set to `1` together with `CDK8S_ARGOCD_OUTDIR` and
 * `CDK8S_ARGOCD_REPORT`, makes every app write its files into its scratch directory as one bundle
 * file instead of one file each, and leave out the links in `CDK8S_OUTDIR`; the report line then
 * also holds `"bundle": <the bundle file>`. `cdk8s-argocd check`, `validate` and `graph` set it:
 * they read the files back at once, and one file is much cheaper to write and read than 14,000.
 * Each record of the bundle is `<path>\0<byte length>\n<content>`.
 */
export const SYNTH_BUNDLE_ENV = 'CDK8S_ARGOCD_BUNDLE';

const SCRATCH_COUNTER = Symbol.for('cdk8s-argocd.ArgoCdApp.scratchCounter');

/**
 * Props for `ArgoCdApp`.
 */
export interface ArgoCdAppProps extends AppProps {
  /**
   * Whether the output a synthesis replaces is kept beside the output directory, as
   * `.<name>.spare` (for an `outdir` of `dist`, `.dist.spare`), for the next synthesis to write
   * into.
   *
   * The next synthesis takes the spare as its staging directory: it overwrites the files it
   * produces again, removes those it no longer produces, and swaps the result in by rename as
   * always; the output it replaces becomes the next spare. Overwriting a file costs about what
   * writing a new one does, so this saves removing the previous output: about a tenth of a
   * 14,000-object synthesis. The spare holds a `.gitignore` of `*`, so git does not see it; it
   * takes as much disk as the output. A file keeps the permission bits it had in the spare. On a
   * file system that does not tell names apart by case no spare is kept.
   *
   * With `false`, the previous output is removed after the swap, and a spare left by an earlier
   * synthesis is removed too.
   *
   * @default true
   */
  readonly reusePreviousOutput?: boolean;
}

/**
 * One file of synthesized output.
 */
export interface SynthesizedFile {
  /**
   * Path relative to the output directory, with `/` separators.
   */
  readonly path: string;

  /**
   * The file's content: one YAML document.
   */
  readonly content: string;

  /**
   * The object written to the file.
   */
  readonly manifest: any;

  /**
   * The construct path of the object's `ApiObject`.
   */
  readonly constructPath: string;
}

/**
 * A cdk8s `App` that writes a GitOps repository: deterministic, checked, and atomic.
 *
 * - every chart is written to a directory of its own (`OutputDirectory`), one file per object,
 *   named `<kind>_<namespace>_<name>.yaml` (`<kind>_<name>.yaml` when the object has no
 *   namespace), so that same-named objects in two namespaces never overwrite each other;
 * - the output is the same bytes on every machine: files sorted, keys in a fixed order, no
 *   timestamps, no random names;
 * - construct validations and manifest checks run over the whole app first and are reported all
 *   at once; nothing is written when any fails;
 * - the output directory is replaced as a whole by rename, so a failed synth leaves the previous
 *   output as it was, and files that synthesis no longer produces disappear; the output it
 *   replaces is kept beside it, ignored by git, for the next synthesis to write into
 *   (`reusePreviousOutput`).
 *
 * Under `cdk8s synth`, keep this app's `outdir` apart from `cdk8s.yaml`'s `output` (the cdk8s CLI
 * deletes that directory before it runs the app); the files are copied there as well so that the
 * CLI lists them. Under `cdk8s synth --stdout` the app writes one multi-document file for the CLI
 * to print and leaves `outdir` alone; with validation plugins configured it writes
 * `construct-metadata.json` so that their reports name construct paths. `yamlOutputType` and
 * `outputFileExtension` are refused unless they name this app's own layout
 * (`YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE`, `'.yaml'`).
 */
export class ArgoCdApp extends App {
  /**
   * Whether `x` is an `ArgoCdApp`, also across two copies of this library.
   *
   * @param x any value
   */
  public static isArgoCdApp(x: any): boolean {
    return x !== null && typeof x === 'object' && ARGOCD_APP in x;
  }

  /**
   * The `ArgoCdApp` a construct belongs to, or undefined when its root is another kind of app.
   *
   * @param construct any construct
   */
  public static tryFind(construct: IConstruct): ArgoCdApp | undefined {
    const root = construct.node.root;
    return ArgoCdApp.isArgoCdApp(root) ? root as ArgoCdApp : undefined;
  }

  private readonly checks: IManifestCheck[] = [];
  private readonly warningChecks: IManifestCheck[] = [];
  private _warnings: string[] = [];
  private readonly configuredOutdir?: string;
  private readonly reuseOutput: boolean;
  private readonly recordMetadata: boolean;
  /** The objects of the last synthesis, kept for construct-metadata.json when it is wanted. */
  private _lastRendered?: RenderedManifest[];

  constructor(props: ArgoCdAppProps = {}) {
    super({
      ...checkCdk8sAppProps(props),
      outdir: overriddenOutdir(props.outdir),
    });
    this.recordMetadata = constructMetadataWanted(props);
    Object.defineProperty(this, ARGOCD_APP, { value: true });
    this.reuseOutput = props.reusePreviousOutput ?? true;
    SyncWave.deriveFromDependencies(this);
    this.configuredOutdir = props.outdir === undefined ? undefined : path.resolve(props.outdir);
    const report = process.env[SYNTH_REPORT_ENV];
    if (report) {
      try {
        fs.appendFileSync(report, `${JSON.stringify({ announce: true, outdir: this.configuredOutdir ?? null })}\n`);
      } catch {
        // only a head start for the drift check: the report written after synthesis is what counts
      }
    }
  }

  /**
   * The output directory the app commits (absolute): its configured `outdir`, also while
   * `cdk8s-argocd check` writes into a scratch directory.
   *
   * @internal
   */
  public get _committedOutdir(): string {
    return this.configuredOutdir ?? path.resolve(this.outdir);
  }

  /**
   * Adds a check that runs over every rendered object before anything is written, after the
   * library's own checks (hook annotations, projects and the others its constructs register).
   *
   * @param check the check
   */
  public addCheck(check: IManifestCheck): void {
    this.checks.push(check);
  }

  /**
   * Adds a check whose messages are warnings: they never fail the synthesis, `synth()` prints
   * them on standard error (`warning: [path] ...`), `warnings` lists them, and
   * `cdk8s-argocd validate` reports them (also in its `--json` report). It runs after the checks
   * of `addCheck()` passed.
   *
   * @param check the check; each message should start with `[<construct path>] `
   */
  public addWarningCheck(check: IManifestCheck): void {
    this.warningChecks.push(check);
  }

  /**
   * The warnings of the last synthesis (`synth()` or `synthFiles()`), in the order the warning
   * checks were added; empty before the first. Returns a copy.
   */
  public get warnings(): string[] {
    return [...this._warnings];
  }

  /**
   * Validates and renders the app without writing anything.
   *
   * @returns every output file, sorted by path
   * @throws ValidationError listing every validation and check failure
   */
  public synthFiles(): SynthesizedFile[] {
    return this.synthesizing(() => toFiles(this.renderManifests()));
  }

  /**
   * The checks added with `addCheck()`, in order.
   *
   * @internal
   */
  public _addedChecks(): IManifestCheck[] {
    return [...this.checks];
  }

  /** Runs `fn` as one synthesis (see `_internal/synthesis.ts`). */
  private synthesizing<T>(fn: () => T): T {
    return _synthesizing(this, fn);
  }

  /**
   * Validates, renders and checks every object; `onRendered` sees each as soon as it is rendered
   * (before the checks, which may still fail the synthesis).
   */
  private renderManifests(onRendered?: (r: RenderedManifest) => void): RenderedManifest[] {
    this._warnings = [];
    const rendered = _renderTree(this, this.checks, onRendered);
    if (this.recordMetadata) this._lastRendered = rendered;
    this._warnings = this.warningChecks.flatMap((check) => check.check(rendered));
    return rendered;
  }

  /**
   * Synthesizes the app into `outdir`, replacing what was there only when synthesis succeeded.
   *
   * At fleet scale (2,000 objects or more, on a machine with more than one core) a second thread
   * writes the YAML while the rest renders; `CDK8S_ARGOCD_WRITER_THREAD` set to `never` or `always`
   * overrides that choice. The output is the same bytes either way.
   */
  public synth(): void {
    this._stageSynth(false).commit();
    for (const w of this._warnings) process.stderr.write(`warning: ${w}\n`);
  }

  /**
   * `synth()` in two steps: synthesizes into a staging directory beside the output directory and
   * returns; `commit()` then puts it in place (and links the files into `CDK8S_OUTDIR` and the
   * synthesis report, as `synth()` does), `discard()` removes it and leaves the output untouched.
   * Several apps that must all succeed before any is written (a fleet of instances) stage first.
   *
   * @param deferCopy link the files into `CDK8S_OUTDIR` at `commit()`, not while staging
   * @internal
   */
  public _stageSynth(deferCopy: boolean): _StagedSynthesis {
    const bundle = bundleWanted();
    const cliOutdir = process.env.CDK8S_OUTDIR;
    // under `cdk8s synth --stdout` (see _cdk8s-cli.ts): one multi-document file for the CLI to print, the committed output untouched
    const stdoutDir = bundle || process.env[OUTDIR_OVERRIDE_ENV] ? undefined : cdk8sStdoutDir();
    if (stdoutDir !== undefined) {
      const files = this.synthFiles();
      return staged(undefined, files.map((f) => f.path), () => {
        writeStdoutManifests(stdoutDir, files.map((f) => f.manifest));
        if (this.recordMetadata) writeConstructMetadata(stdoutDir, files);
      });
    }
    const copyTo = !bundle && cliOutdir && path.resolve(cliOutdir) !== path.resolve(this.outdir) ? cliOutdir : undefined;
    const stage = this._stage(this.outdir, copyTo, deferCopy, bundle);
    return {
      files: stage.files,
      discard: () => stage.discard(),
      commit: () => {
        stage.commit();
        if (this.recordMetadata && cliOutdir && !bundle) writeConstructMetadata(cliOutdir, this._lastRendered ?? []);
        const report = process.env[SYNTH_REPORT_ENV];
        if (report) {
          const synthdir = path.resolve(this.outdir);
          const line = {
            outdir: this.configuredOutdir ?? null,
            synthdir,
            files: stage.files,
            ...(this._warnings.length ? { warnings: [...this._warnings] } : {}),
            ...(bundle ? { bundle: path.join(synthdir, BUNDLE_FILE) } : {}),
          };
          fs.appendFileSync(report, `${JSON.stringify(line)}\n`);
        }
      },
    };
  }

  /**
   * How the last `synth()` wrote its files: on the main thread, on a second thread, or on the main
   * thread after the second thread could not finish.
   *
   * @internal
   */
  public _lastWriter?: 'main' | 'thread' | 'main-after-thread';

  /**
   * Synthesizes into `outdir` (replaced as a whole, only when synthesis succeeded) and, when given,
   * also writes every file into `copyTo`; returns the paths written, sorted. With `bundle`, `outdir`
   * holds the files as one bundle file, as under `cdk8s-argocd check` (see `SYNTH_BUNDLE_ENV`).
   *
   * @internal
   */
  public _synthInto(outdir: string, copyTo?: string, bundle: boolean = false): string[] {
    const stage = this._stage(outdir, copyTo, false, bundle);
    stage.commit();
    return stage.files;
  }

  /**
   * Synthesizes into a staging directory for `outdir`: nothing is in place until `commit()`. With
   * `deferCopy`, the files are written into `copyTo` at `commit()`; otherwise as they are staged.
   * With `bundle`, the staging directory holds one bundle file (`_bundle.ts`) instead of the files.
   */
  private _stage(outdir: string, copyTo: string | undefined, deferCopy: boolean, bundle: boolean): _StagedSynthesis {
    return this.synthesizing(() => {
      // a bundle (a scratch directory of the drift check) is one file: nothing to reuse
      const reuse = this.reuseOutput && !bundle;
      const staging = writerThreadWanted(_allApiObjects(this).length) ? createStaging(outdir, reuse) : undefined;
      const thread = staging === undefined ? undefined : WriterThread.start(staging.dir, deferCopy ? undefined : copyTo, bundle, staging.recycled);
      if (staging === undefined || thread === undefined) {
        if (staging !== undefined) discardStaging(staging);
        return this.stageOnMainThread(this.renderManifests(), outdir, copyTo, 'main', bundle);
      }
      let rendered: RenderedManifest[];
      try {
        rendered = this.renderManifests((r) => thread.add(r.file, r.manifest));
      } catch (e) {
        thread.abort();
        discardStaging(staging);
        throw e;
      }
      // committed at once (not staged for a fleet's later commit): the thread stays to remove the
      // previous output together with this one
      const keep = !deferCopy;
      if (!thread.finish(keep)) {
        // what the thread met may be in the directory itself: the main thread starts afresh
        discardStaging(staging, false);
        return this.stageOnMainThread(rendered, outdir, copyTo, 'main-after-thread', bundle);
      }
      const files = rendered.map((r) => r.file).sort(compareStrings);
      return staged(staging, files, () => {
        try {
          swapIn(outdir, staging, keep ? (previous) => thread.removeTree(previous) : undefined);
        } finally {
          thread.abort();
        }
        // the staged files, now in place, linked as they are
        if (copyTo && deferCopy) linkFiles(outdir, copyTo, files);
        this._lastWriter = 'thread';
      }, () => thread.abort());
    });
  }

  private stageOnMainThread(rendered: RenderedManifest[], outdir: string, copyTo: string | undefined, how: 'main' | 'main-after-thread', bundle: boolean): _StagedSynthesis {
    const files = toFiles(rendered);
    const staging = bundle ? stageBundle(outdir, files) : stageFiles(outdir, files, this.reuseOutput);
    return staged(staging, files.map((f) => f.path), () => {
      swapIn(outdir, staging);
      if (copyTo) linkFiles(outdir, copyTo, files.map((f) => f.path));
      this._lastWriter = how;
    });
  }

  /**
   * Synthesizes the app into one YAML string, documents in file order.
   */
  public synthYaml(): string {
    return dumpYamlDocuments(this.synthFiles().map((f) => f.manifest));
  }
}

/**
 * Validates, renders and checks every object of `root`'s tree, as a synthesis does (call it inside
 * `_synthesizing(root)`): the construct validations (the root's first: it derives sync waves, so
 * objects rendered after it are final), then one file for each object, the secret scan, then the
 * hook annotation check, every registered check and `added`. `onRendered` sees each object as soon
 * as it is rendered (before the checks, which may still fail the synthesis).
 *
 * @throws ValidationError listing every failure of the first step that fails
 * @internal
 */
export function _renderTree(root: IConstruct, added: readonly IManifestCheck[], onRendered?: (r: RenderedManifest) => void): RenderedManifest[] {
  const constructs = _allConstructs(root);
  const errors: string[] = [];
  const validate = (c: IConstruct) => {
    for (const message of c.node.validate()) {
      errors.push(c.node.path === '' ? message : `[${c.node.path}] ${message}`);
    }
  };
  validate(root);
  _keepRenders(root);
  for (const c of constructs) if (c !== root) validate(c);
  throwIfAny(errors);

  const rendered: RenderedManifest[] = [];
  const byFile = new Map<string, RenderedManifest>();
  for (const c of _allApiObjects(root)) {
    const manifest = _renderOnce(c);
    if (manifest === undefined || manifest === null) continue;
    const dir = OutputDirectory.of(Chart.of(c));
    const name = fileNameOf(manifest);
    const file = dir === '.' ? name : `${dir}/${name}`;
    const entry: RenderedManifest = { manifest, constructPath: c.node.path, file };
    const clash = byFile.get(file);
    if (clash) {
      errors.push(`[${c.node.path}] ${manifest.kind} '${manifest.metadata?.name}' is written to ${file}, which [${clash.constructPath}] already writes; give one of them another name or namespace, or move one chart with OutputDirectory.set()`);
      continue;
    }
    // the secret scan reads each object before the writer sees it: a flagged one is never handed on
    const secrets = _secretProblems(entry, c);
    if (secrets.length > 0) {
      errors.push(...secrets);
      continue;
    }
    byFile.set(file, entry);
    rendered.push(entry);
    onRendered?.(entry);
  }
  throwIfAny(errors);

  const checks = [new HookAnnotationCheck(root), ..._registeredChecks(root), ...added];
  for (const check of checks) {
    errors.push(...check.check(rendered));
  }
  throwIfAny(errors);
  return rendered;
}

/**
 * The output files of rendered manifests, sorted by path.
 *
 * @internal
 */
export function _toFiles(rendered: readonly RenderedManifest[]): SynthesizedFile[] {
  return toFiles(rendered);
}

/** Whether this synthesis writes a bundle: the drift check's three variables are all set. */
function bundleWanted(): boolean {
  return process.env[SYNTH_BUNDLE_ENV] === '1' && !!process.env[OUTDIR_OVERRIDE_ENV] && !!process.env[SYNTH_REPORT_ENV];
}

/** Writes `files` as one bundle into a new staging directory for `outdir` and returns it. */
function stageBundle(outdir: string, files: readonly SynthesizedFile[]): Staging {
  return stage(outdir, false, (staging) => writeBundle(path.join(staging.dir, BUNDLE_FILE), files));
}

/** The output directory: the override when set (numbered per app when a report is requested). */
function overriddenOutdir(configured: string | undefined): string | undefined {
  const override = process.env[OUTDIR_OVERRIDE_ENV];
  if (override === undefined || override === '') return configured;
  if (!process.env[SYNTH_REPORT_ENV]) return override;
  const g = globalThis as any;
  g[SCRATCH_COUNTER] = (g[SCRATCH_COUNTER] ?? 0) + 1;
  return path.join(override, `app-${g[SCRATCH_COUNTER]}`);
}

/**
 * A synthesis written into a staging directory, not yet in place.
 *
 * @internal
 */
export interface _StagedSynthesis {
  /** The paths of the files, sorted. */
  readonly files: string[];
  /** Puts the staged directory in place of the output directory (once). */
  commit(): void;
  /** Removes the staged directory; the output directory stays as it was. */
  discard(): void;
}

/**
 * A staged directory that `put` puts in place; either step happens at most once. `release`, when
 * given, is called when the staged directory is discarded, before it is removed (a thread kept for
 * the commit is stopped).
 */
function staged(staging: Staging | undefined, files: string[], put: () => void, release?: () => void): _StagedSynthesis {
  let done = false;
  return {
    files,
    commit: () => {
      if (done) return;
      done = true;
      put();
    },
    discard: () => {
      if (done) return;
      done = true;
      release?.();
      if (staging) discardStaging(staging);
    },
  };
}

/** The output files of rendered manifests, sorted by path. */
function toFiles(rendered: readonly RenderedManifest[]): SynthesizedFile[] {
  return rendered
    .map((r) => ({ path: r.file, content: dumpYaml(r.manifest), manifest: r.manifest, constructPath: r.constructPath }))
    .sort((a, b) => compareStrings(a.path, b.path));
}

function throwIfAny(errors: string[]): void {
  if (errors.length > 0) {
    throw new ValidationError(`synthesis failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n  ${errors.join('\n  ')}`);
  }
}

/**
 * `<kind>_<namespace>_<name>.yaml`, lowercased kind, characters unsafe in file names replaced. A
 * name longer than a file system allows (255 bytes; a 253-character Application name with its
 * kind and namespace is) is shortened deterministically: its first 233 characters, `-`, the first
 * 16 hex digits of the SHA-256 of the whole name, and `.yaml`.
 */
function fileNameOf(manifest: any): string {
  const kind = safeInFileName(String(manifest.kind ?? 'object').toLowerCase());
  const meta = manifest.metadata ?? {};
  const name = safeInFileName(String(meta.name ?? meta.generateName ?? 'unnamed'));
  const base = meta.namespace ? `${kind}_${safeInFileName(String(meta.namespace))}_${name}` : `${kind}_${name}`;
  // safe names are ASCII: a character is a byte
  if (base.length + YAML_EXTENSION.length <= MAX_NAME_BYTES) return `${base}${YAML_EXTENSION}`;
  const hash = createHash('sha256').update(base).digest('hex').slice(0, 16);
  return `${base.slice(0, MAX_NAME_BYTES - YAML_EXTENSION.length - hash.length - 1)}-${hash}${YAML_EXTENSION}`;
}

const YAML_EXTENSION = '.yaml';

const SAFE_IN_FILE_NAME = /^[A-Za-z0-9._-]*$/;
const UNSAFE_IN_FILE_NAME = /[^A-Za-z0-9._-]/g;

/** `part` with every character unsafe in a file name replaced by `-` (most parts have none). */
function safeInFileName(part: string): string {
  return SAFE_IN_FILE_NAME.test(part) ? part : part.replace(UNSAFE_IN_FILE_NAME, '-');
}
