// Runs the user's cdk8s app into scratch directories and reports what it wrote, without touching
// the committed output: CDK8S_ARGOCD_OUTDIR sends every ArgoCdApp's files to a scratch folder,
// CDK8S_OUTDIR sends a plain cdk8s App's files (and ArgoCdApp's copies) to another, and
// CDK8S_ARGOCD_REPORT makes each ArgoCdApp say which directory it commits and which files it wrote,
// and CDK8S_ARGOCD_BUNDLE has it write them as one bundle file.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { loadYaml } from '../_internal/yaml';
import { readBundle } from '../app/_bundle';
import { CommittedFiles, CommittedDirectoryReader, entriesOf } from './_committed';
import { OUTDIR_OVERRIDE_ENV, SYNTH_BUNDLE_ENV, SYNTH_REPORT_ENV } from '../app/argocd-app';
import { compareStrings } from '../_internal/values';

/** The parts of `cdk8s.yaml` the CLI reads. */
export interface Cdk8sConfig {
  /** The command that runs the app. */
  readonly app?: string;
  /** The cdk8s CLI's output directory (`dist` when absent). */
  readonly output?: string;
}

/** Reads `cdk8s.yaml` in `cwd`; undefined when there is none. */
export function readCdk8sConfig(cwd: string): Cdk8sConfig | undefined {
  const file = path.join(cwd, 'cdk8s.yaml');
  if (!fs.existsSync(file)) return undefined;
  const doc = loadYaml(fs.readFileSync(file, 'utf-8'), { source: file }) as any;
  if (!doc || typeof doc !== 'object') return {};
  return {
    app: typeof doc.app === 'string' ? doc.app : undefined,
    output: typeof doc.output === 'string' ? doc.output : undefined,
  };
}

/** One synthesized output directory. */
export interface SynthOutput {
  /** The committed output directory (absolute) this output belongs to. */
  readonly outdir: string;
  /** Where the files were written in the scratch area (absolute). */
  readonly synthdir: string;
  /** The files written, relative to `synthdir`, `/` separators, sorted. */
  readonly files: string[];
  /** The content of one of `files` (from the app's bundle, or read from `synthdir`). */
  read(file: string): Buffer;
  /** The app's warnings (`ArgoCdApp.addWarningCheck()`), when it reported any. */
  readonly warnings?: string[];
}

/** The output of the files below `synthdir`, read when asked for. */
export function treeOutput(outdir: string, synthdir: string, files: string[]): SynthOutput {
  return { outdir, synthdir, files, read: (file) => fs.readFileSync(path.join(synthdir, ...file.split('/'))) };
}

/** The output the app wrote as a bundle (`_bundle.ts`); throws when `files` and the bundle disagree. */
export function bundleOutput(outdir: string, synthdir: string, files: string[], bundleFile: string): SynthOutput {
  const contents = readBundle(bundleFile);
  if (contents.size !== files.length || files.some((f) => !contents.has(f))) {
    throw new Error(`the app's synthesis bundle ${bundleFile} holds ${contents.size} files, which are not the ${files.length} files the app reported`);
  }
  return {
    outdir,
    synthdir,
    files,
    read: (file) => {
      const content = contents.get(file);
      if (content === undefined) throw new Error(`${file} is not in the app's synthesis bundle ${bundleFile}`);
      return content;
    },
  };
}

/**
 * The outputs of the report lines the app appended to `report` (`SYNTH_REPORT_ENV`), one per
 * committed output directory (the last line wins); when there are none, what a plain cdk8s App
 * wrote to `cliOut`.
 *
 * @param report the report file
 * @param cwd where relative output directories are resolved
 * @param cdk8sOutput the cdk8s CLI output directory (default `dist`)
 * @param cliOut where the app ran with `CDK8S_OUTDIR`, if anywhere
 */
export function readSynthReport(report: string, cwd: string, cdk8sOutput: string | undefined, cliOut?: string): SynthOutput[] {
  const lines = fs.existsSync(report) ? fs.readFileSync(report, 'utf-8').split('\n').filter((l) => l.trim() !== '') : [];
  const cdk8sOutdir = path.resolve(cwd, cdk8sOutput ?? 'dist');
  const byOutdir = new Map<string, { outdir: string; synthdir: string; files: string[]; bundle?: string; warnings?: string[] }>();
  for (const line of lines) {
    const r = JSON.parse(line);
    // an app's word, when it is constructed, of the directory it commits (see ReadAhead)
    if (r.announce === true) continue;
    const outdir = reportedOutdir(r, cwd, cdk8sOutput);
    // an app synthesized twice reports twice; the last one wins, as on disk
    byOutdir.set(outdir, { outdir, synthdir: r.synthdir, files: [...r.files].sort(compareStrings), bundle: typeof r.bundle === 'string' ? r.bundle : undefined,
      warnings: Array.isArray(r.warnings) ? r.warnings.map(String) : undefined });
  }
  const outputs = [...byOutdir.values()].map((o) => {
    const out = o.bundle !== undefined ? bundleOutput(o.outdir, o.synthdir, o.files, o.bundle) : treeOutput(o.outdir, o.synthdir, o.files);
    return o.warnings ? { ...out, read: out.read, warnings: o.warnings } : out;
  });
  if (outputs.length === 0 && cliOut !== undefined && fs.existsSync(cliOut)) {
    // a plain cdk8s App: it wrote to CDK8S_OUTDIR
    outputs.push(treeOutput(cdk8sOutdir, cliOut, listFiles(cliOut)));
  }
  return outputs;
}

/**
 * The committed output directory of a report line: its `outdir`, resolved against `cwd`, or the
 * cdk8s CLI's output directory (`dist` by default) when the app configured none.
 */
function reportedOutdir(line: { outdir?: string | null }, cwd: string, cdk8sOutput: string | undefined): string {
  return line.outdir ? path.resolve(cwd, line.outdir) : path.resolve(cwd, cdk8sOutput ?? 'dist');
}

/**
 * Reads committed output directories while the app runs (see `_committed.ts`): the directories
 * given at once, and each directory an app announces in the report as it is constructed. `tick()`
 * reads the report's new lines and a slice of files; `finish()` reads the rest at once.
 */
class ReadAhead {
  private readonly readers = new Map<string, CommittedDirectoryReader>();
  private readonly queue: CommittedDirectoryReader[] = [];
  private reportAt = 0;
  private partial = '';

  constructor(private readonly report: string, private readonly cwd: string, private readonly cdk8sOutput: string | undefined, dirs: readonly string[], private readonly announced: boolean) {
    for (const d of dirs) this.add(d);
  }

  /** Reads what the report says since the last call, then up to `files` files; whether there is more to read. */
  public tick(files: number): boolean {
    if (this.announced) this.readReport();
    for (let left = files; this.queue.length > 0 && left > 0;) {
      const reader = this.queue[0];
      const n = Math.min(left, 256);
      reader.step(n);
      left -= n;
      if (reader.done) this.queue.shift();
    }
    return this.queue.length > 0;
  }

  /** Reads the report and every directory to the end, now. */
  public finish(): void {
    if (this.announced) this.readReport();
    for (const reader of this.queue.splice(0)) reader.step(Infinity);
  }

  /** The files of `outdir` as read ahead, when it was. */
  public get(outdir: string): CommittedFiles | undefined {
    const reader = this.readers.get(path.resolve(outdir));
    return reader?.done ? reader.result() : undefined;
  }

  private add(dir: string): void {
    const abs = path.resolve(dir);
    if (this.readers.has(abs)) return;
    const reader = new CommittedDirectoryReader(abs);
    this.readers.set(abs, reader);
    this.queue.push(reader);
  }

  private readReport(): void {
    let text: string;
    try {
      const fd = fs.openSync(this.report, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        if (size <= this.reportAt) return;
        const buf = Buffer.alloc(size - this.reportAt);
        const n = fs.readSync(fd, buf, 0, buf.length, this.reportAt);
        this.reportAt += n;
        text = this.partial + buf.toString('utf-8', 0, n);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return; // no report yet
    }
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const r = JSON.parse(line);
        if (r.announce === true) this.add(reportedOutdir(r, this.cwd, this.cdk8sOutput));
      } catch {
        // not a line of ours to act on: readSynthReport meets it
      }
    }
  }
}

/** The result of running the app. */
export interface AppRun {
  /** The command that was run. */
  readonly command: string;
  /** The process exit code (null when killed by a signal). */
  readonly exitCode: number | null;
  /** What the app wrote to stdout. */
  readonly stdout: string;
  /** What the app wrote to stderr. */
  readonly stderr: string;
  /** Every output directory the app synthesized (empty when it failed). */
  readonly outputs: SynthOutput[];
  /**
   * The committed files of `outdir` as read while the app ran (`readAhead`), or undefined when
   * they were not read.
   */
  committed(outdir: string): CommittedFiles | undefined;
  /** Removes the scratch directories. */
  cleanup(): void;
}

/** Options for `runApp`. */
export interface RunAppOptions {
  /** The app command (from `--app` or `cdk8s.yaml`). */
  readonly command: string;
  /** The working directory (where `cdk8s.yaml` is). */
  readonly cwd: string;
  /** The environment the app inherits. */
  readonly env: NodeJS.ProcessEnv;
  /** The cdk8s CLI output directory, for apps that are not ArgoCdApps (default `dist`). */
  readonly cdk8sOutput?: string;
  /**
   * Read committed output directories while the app runs: the directories given, or with none
   * given, every directory an app announces as it is constructed.
   */
  readonly readAhead?: { readonly dirs?: readonly string[] };
}

/** Error thrown for a usage problem (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The app command: `--app` when given, else `cdk8s.yaml`'s `app:`. Throws `UsageError` when neither. */
export function resolveAppCommand(cwd: string, app: string | undefined): { command: string; config: Cdk8sConfig } {
  const config = readCdk8sConfig(cwd) ?? {};
  const command = app ?? config.app;
  if (!command) {
    throw new UsageError(`no app to run: pass --app '<command>' or run in a folder whose cdk8s.yaml has an 'app:' entry (looked in ${cwd})`);
  }
  return { command, config };
}

/** Runs the app into scratch directories and collects what it wrote. */
export async function runApp(options: RunAppOptions): Promise<AppRun> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-argocd-'));
  const synthRoot = path.join(scratch, 'synth');
  const cliOut = path.join(scratch, 'cdk8s-out');
  const report = path.join(scratch, 'report.jsonl');
  const cleanup = () => fs.rmSync(scratch, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    [OUTDIR_OVERRIDE_ENV]: synthRoot,
    [SYNTH_REPORT_ENV]: report,
    [SYNTH_BUNDLE_ENV]: '1',
    CDK8S_OUTDIR: cliOut,
  };
  const dirs = options.readAhead?.dirs ?? [];
  const ahead = options.readAhead ? new ReadAhead(report, options.cwd, options.cdk8sOutput, dirs, dirs.length === 0) : undefined;
  try {
    const { code, stdout, stderr } = await exec(directCommand(options.command, options.cwd), options.cwd, env, ahead);
    const outputs = code === 0 ? readSynthReport(report, options.cwd, options.cdk8sOutput, cliOut) : [];
    if (code === 0) ahead?.finish();
    const committed = (outdir: string) => (code === 0 ? ahead?.get(outdir) : undefined);
    return { command: options.command, exitCode: code, stdout, stderr, outputs, committed, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/** `npx tsx <file> ...` or `tsx <file> ...`, with no option before the file, and no tsx subcommand. */
const TSX_COMMAND = /^\s*(?:npx\s+(?:--no-install\s+|--no\s+)?)?tsx\s+(?!-|watch\b)(\S.*)$/s;

/**
 * The command as the app is started: `npx tsx <file> ...` (or `tsx <file> ...`) becomes this
 * Node with tsx's loader, `<node> --import <tsx> <file> ...`, when tsx is installed where the app
 * runs (`cwd` or above): npx would start that same tsx, whose command line then starts a second
 * Node with the same loader; started directly, the app's process is the first and only one after
 * the shell. Any other command, a tsx not installed there, or a path the shell would read
 * specially (a quote, `$`, a backquote) leaves the command as it is.
 *
 * @param command the app command (`--app` or `cdk8s.yaml`'s `app:`)
 * @param cwd where it runs
 */
export function directCommand(command: string, cwd: string): string {
  const m = TSX_COMMAND.exec(command);
  if (!m) return command;
  let loader: string;
  try {
    loader = require.resolve('tsx', { paths: [cwd] });
  } catch {
    return command;
  }
  const node = process.execPath;
  const url = pathToFileURL(loader).href;
  if (/["$`\\]/.test(node + url)) return command;
  return `"${node}" --import "${url}" ${m[1]}`;
}

/** How long the read-ahead waits for news when it has nothing to read. */
const READ_AHEAD_IDLE_MS = 10;

function exec(command: string, cwd: string, env: NodeJS.ProcessEnv, ahead?: ReadAhead): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    // while the app runs: a slice of the committed files at a time, between the child's events
    let timer: NodeJS.Timeout | undefined;
    let running = true;
    const readAhead = () => {
      timer = undefined;
      if (!running || !ahead) return;
      const more = ahead.tick(256);
      timer = more ? setTimeout(readAhead, 0) : setTimeout(readAhead, READ_AHEAD_IDLE_MS);
    };
    if (ahead) readAhead();
    const stop = () => {
      running = false;
      if (timer) clearTimeout(timer);
    };
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      stop();
      reject(e);
    });
    child.on('close', (code) => {
      stop();
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf-8'),
        stderr: Buffer.concat(err).toString('utf-8'),
      });
    });
  });
}

/**
 * Every file under `dir`, relative, `/` separators, sorted; empty when `dir` does not exist.
 * Anything that is not a directory is listed, links and FIFOs included. With `besideOutputs`, the
 * directories an app keeps beside its output are left out (see `entriesOf`).
 */
export function listFiles(dir: string, besideOutputs: boolean = true): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const entry of entriesOf(abs, besideOutputs)) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(abs, entry.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort(compareStrings);
}


/**
 * The useful part of a failed app's stderr: the `ValidationError` message when there is one
 * (without the stack trace), else the whole output.
 */
export function appErrorText(run: { stderr: string; stdout: string; exitCode: number | null }): string {
  const text = run.stderr.trim() !== '' ? run.stderr : run.stdout;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /\bValidationError: /.test(l));
  if (start >= 0) {
    const end = lines.findIndex((l, i) => i > start && /^\s+at /.test(l));
    return lines.slice(start, end < 0 ? undefined : end).join('\n').replace(/^.*?ValidationError: /, '').trimEnd();
  }
  const trimmed = text.trimEnd();
  return trimmed !== '' ? trimmed : `the app exited with code ${run.exitCode}`;
}

/** Whether the app failed because of a `ValidationError` (a finding, not a crash). */
export function isValidationFailure(run: { stderr: string; stdout: string }): boolean {
  return /\bValidationError: /.test(run.stderr) || /\bValidationError: /.test(run.stdout);
}
