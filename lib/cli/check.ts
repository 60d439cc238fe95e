// `cdk8s-argocd check`: synthesizes the app into a scratch directory (as one bundle file) and
// compares it with the committed output, byte for byte. It never writes to the committed output.
import * as fs from 'fs';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';
import { compareStrings } from '../_internal/values';
import { AppRun, SynthOutput, appErrorText, listFiles, resolveAppCommand, runApp, UsageError } from './_app-runner';
import { CommittedFiles, committedKindProblem } from './_committed';
import { CliIo, EXIT_ERROR, EXIT_FINDING, EXIT_OK, colorsFor, errorLine, plural, summary, withProgress } from './_output';

/** One file whose committed content differs from what synthesis produces. */
export interface ChangedFile {
  /** Path relative to the output directory. */
  readonly file: string;
  /**
   * A unified diff from the committed file (`a/`) to the synthesized one (`b/`); empty when the
   * committed entry is not a regular file (see `reason`).
   */
  readonly diff: string;
  /**
   * Why the file differs when its bytes may not: the committed entry is a symbolic link, a FIFO or
   * another kind of file, or its executable bit (which git records) is set.
   */
  readonly reason?: string;
}

/** How one committed output directory differs from a fresh synthesis. */
export interface DriftReport {
  /** The committed output directory (absolute). */
  readonly outdir: string;
  /** How many files synthesis produces. */
  readonly files: number;
  /** Files whose content differs. */
  readonly changed: ChangedFile[];
  /** Files synthesis produces that are not committed. */
  readonly missing: string[];
  /** Committed files synthesis no longer produces. */
  readonly stale: string[];
}

/**
 * Compares what synthesis produced with the committed output directory (`produced.outdir`).
 * Reads each committed twin of a produced file once (or takes it from `ahead`, the directory read
 * while the app ran), compares bytes, and builds a diff only for files that differ.
 *
 * @param produced the files synthesis produced, and the committed directory they belong to
 * @param ahead the committed directory's files as read ahead, if they were
 * @param shownAs how the diff headers name a file (default: relative to the output directory)
 */
export function compareOutput(produced: SynthOutput, ahead?: CommittedFiles, shownAs: (file: string) => string = (f) => f): DriftReport {
  const outdir = produced.outdir;
  const files = produced.files;
  if (ahead && ahead.dir !== path.resolve(outdir)) {
    throw new Error(`the files read ahead are of ${ahead.dir}, not of the committed output ${outdir}`);
  }
  const committed = new Set(ahead ? ahead.files() : listFiles(outdir, false));
  const producedSet = new Set(files);
  const changed: ChangedFile[] = [];
  const missing: string[] = [];
  const reader = new CommittedReader();
  for (const file of [...files].sort(compareStrings)) {
    if (!committed.has(file)) {
      missing.push(file);
      continue;
    }
    // what git records besides the bytes: the kind of entry and the executable bit
    const abs = below(outdir, file);
    const aheadProblem = ahead ? ahead.problem(file) : null;
    const kind = aheadProblem === null ? committedKindProblem(abs) : aheadProblem;
    if (kind !== undefined) {
      changed.push({ file, diff: '', reason: kind });
      continue;
    }
    const want = produced.read(file);
    const have = ahead?.get(file) ?? reader.read(abs);
    if (!want.equals(have)) {
      changed.push({ file, diff: unifiedDiff(shownAs(file), have.toString('utf-8'), want.toString('utf-8')) });
    }
  }
  const stale = [...committed].filter((f) => !producedSet.has(f)).sort(compareStrings);
  return { outdir, files: files.length, changed, missing, stale };
}

/** `dir`'s file at `file`, a relative path with `/` separators. */
function below(dir: string, file: string): string {
  return path.sep === '/' ? `${dir}/${file}` : path.join(dir, ...file.split('/'));
}

/**
 * Reads committed files through one reused buffer: open, one read, close (no `fstat`, no buffer
 * per file), which makes reading the 14,000 files of a fleet's check a quarter cheaper. A file that
 * fills the buffer is read whole instead.
 */
class CommittedReader {
  private readonly buf = Buffer.allocUnsafe(1 << 20);

  /** The bytes of `file`: a view that is valid until the next call. */
  public read(file: string): Buffer {
    const fd = fs.openSync(file, 'r');
    let n: number;
    try {
      n = fs.readSync(fd, this.buf, 0, this.buf.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    return n === this.buf.length ? fs.readFileSync(file) : this.buf.subarray(0, n);
  }
}

/**
 * A unified diff (`--- a/file`, `+++ b/file`, hunks) from `before` to `after`; an absolute `file`
 * is written `a/abs/path`.
 */
export function unifiedDiff(file: string, before: string, after: string): string {
  const side = (prefix: string) => (file.startsWith('/') ? `${prefix}${file}` : `${prefix}/${file}`);
  const patch = createTwoFilesPatch(side('a'), side('b'), before, after, undefined, undefined, { context: 3 });
  const lines = patch.split('\n');
  const start = lines.findIndex((l) => l.startsWith('--- '));
  return lines.slice(Math.max(start, 0)).join('\n');
}

/** Whether a report shows any drift. */
export function hasDrift(r: DriftReport): boolean {
  return r.changed.length + r.missing.length + r.stale.length > 0;
}

/**
 * The summary line: `drift: 2 changed, 1 missing, 1 stale (dist); run 'npx cdk8s synth' to update`
 * or `ok: 12 files up to date (dist)`.
 *
 * @param reports one report per output directory
 * @param cwd paths are shown relative to it
 * @param fix the command that updates the committed output
 */
export function driftSummary(reports: readonly DriftReport[], cwd: string, fix: string): string {
  const dirs = reports.map((r) => displayPath(cwd, r.outdir)).join(', ');
  const drifted = reports.filter(hasDrift);
  if (drifted.length === 0) {
    const n = reports.reduce((a, r) => a + r.files, 0);
    return `ok: ${plural(n, 'file')} up to date (${dirs})`;
  }
  const sum = (f: (r: DriftReport) => number) => reports.reduce((a, r) => a + f(r), 0);
  return `drift: ${sum((r) => r.changed.length)} changed, ${sum((r) => r.missing.length)} missing, ${sum((r) => r.stale.length)} stale (${drifted.map((r) => displayPath(cwd, r.outdir)).join(', ')}); run '${fix}' to update`;
}

/** A path relative to `cwd` when inside it, else absolute; `/` separators. */
export function displayPath(cwd: string, p: string): string {
  const rel = path.relative(cwd, p);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return p;
  return rel.split(path.sep).join('/');
}

/** Options of `check`. */
export interface CheckOptions {
  /** The app command; default `cdk8s.yaml`'s `app:`. */
  readonly app?: string;
  /** The committed output directory; default what the app reports. */
  readonly out?: string;
  /** Machine-readable output. */
  readonly json?: boolean;
}

/** Runs `check`; returns the exit code. */
export async function runCheck(io: CliIo, options: CheckOptions): Promise<number> {
  let run: AppRun | undefined;
  try {
    const { command, config } = resolveAppCommand(io.cwd, options.app);
    const fix = options.app ? command : 'npx cdk8s synth';
    // the committed files are read while the app runs: the directory named by --out, or each
    // directory an app announces
    const readAhead = { dirs: options.out !== undefined ? [path.resolve(io.cwd, options.out)] : undefined };
    run = await withProgress(io, 'synthesizing', () => runApp({ command, cwd: io.cwd, env: io.env, cdk8sOutput: config.output, readAhead }));
    if (run.exitCode !== 0) {
      const error = appErrorText(run);
      if (options.json) {
        io.stdout.write(`${JSON.stringify({ ok: false, error: `synthesis failed: ${error}` }, null, 2)}\n`);
      } else {
        io.stderr.write(`${error}\n`);
        summary(io, false, `error: synthesis failed ('${command}' exited with code ${run.exitCode}); nothing was compared`);
      }
      return EXIT_ERROR;
    }
    let outputs = run.outputs;
    if (outputs.reduce((n, o) => n + o.files.length, 0) === 0) {
      // a check that compares nothing cannot fail: in CI that is worse than no check
      throw new Error(`'${command}' exited 0 but synthesized no files (${outputs.length === 0 ? 'no app reported a synthesis: does the program call app.synth()?' : 'every app it synthesized is empty'}); nothing was compared, and a drift check that compares nothing cannot fail`);
    }
    if (options.out !== undefined) {
      if (outputs.length > 1) {
        throw new UsageError(`--out names one directory, but the app writes ${outputs.length} (${outputs.map((o) => displayPath(io.cwd, o.outdir)).join(', ')}); leave --out out`);
      }
      outputs = outputs.map((o) => ({ ...o, outdir: path.resolve(io.cwd, options.out!) }));
    }
    // diff headers name files as the report lines do: relative to the working directory
    const reports = outputs.map((o) => compareOutput(o, run!.committed(o.outdir), (f) => shownPath(io.cwd, o.outdir, f)));
    const drift = reports.some(hasDrift);
    const line = driftSummary(reports, io.cwd, fix);
    if (options.json) {
      const json = {
        ok: !drift,
        outputs: reports.map((r) => ({
          outdir: displayPath(io.cwd, r.outdir),
          files: r.files,
          changed: r.changed.map((c) => ({ file: c.file, diff: c.diff, ...(c.reason ? { reason: c.reason } : {}) })),
          missing: r.missing,
          stale: r.stale,
        })),
        summary: line,
      };
      io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      printReports(io, reports);
      summary(io, !drift, line);
    }
    return drift ? EXIT_FINDING : EXIT_OK;
  } catch (e: any) {
    if (options.json) io.stdout.write(`${JSON.stringify({ ok: false, error: e.message }, null, 2)}\n`);
    else errorLine(io, e.message);
    return EXIT_ERROR;
  } finally {
    run?.cleanup();
  }
}

/** A file of output directory `outdir` as every line of the report names it: `displayPath` of the output directory, `/`, the file. */
export function shownPath(cwd: string, outdir: string, file: string): string {
  const dir = displayPath(cwd, outdir);
  return dir === '.' ? file : `${dir}/${file}`;
}

function printReports(io: CliIo, reports: readonly DriftReport[]): void {
  const c = colorsFor(io.stdout, io.env);
  for (const r of reports) {
    const shown = (f: string) => shownPath(io.cwd, r.outdir, f);
    for (const ch of r.changed) {
      io.stdout.write(`${c.bold(c.yellow('changed:'))} ${shown(ch.file)}${ch.reason ? ` (${ch.reason})` : ''}\n`);
      for (const l of ch.diff.split('\n')) {
        if (l === '') continue;
        const colored = l.startsWith('+++') || l.startsWith('---') ? c.bold(l) : l.startsWith('+') ? c.green(l) : l.startsWith('-') ? c.red(l) : l.startsWith('@@') ? c.cyan(l) : l;
        io.stdout.write(`${colored}\n`);
      }
    }
    for (const m of r.missing) io.stdout.write(`${c.bold(c.red('missing:'))} ${shown(m)} (synthesis produces it; it is not committed)\n`);
    for (const s of r.stale) io.stdout.write(`${c.bold(c.red('stale:'))} ${shown(s)} (committed; synthesis no longer produces it)\n`);
  }
}
