// Writes a set of files as one directory, atomically from the reader's point of view: the files go
// to a fresh sibling directory first (the staging directory), which then replaces the output
// directory by rename. A failure before the swap leaves the previous output untouched.
import * as fs from 'fs';
import * as path from 'path';

export interface FileToWrite {
  readonly path: string;
  readonly content: string;
}

/** Writes files below one directory, creating each subdirectory once. */
export class TreeWriter {
  private readonly root: string;
  private readonly made = new Set<string>(['']);

  /** @param dir the directory (created) */
  constructor(dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.root = path.resolve(dir);
  }

  /** Writes `content` to `file`, a relative path with `/` separators. */
  public write(file: string, content: string): void {
    const slash = file.lastIndexOf('/');
    const sub = slash < 0 ? '' : file.slice(0, slash);
    if (!this.made.has(sub)) {
      fs.mkdirSync(path.join(this.root, ...sub.split('/')), { recursive: true });
      this.made.add(sub);
    }
    fs.writeFileSync(path.sep === '/' ? `${this.root}/${file}` : path.join(this.root, ...file.split('/')), content);
  }
}

/** Writes `files` into `dir` (created), relative paths with `/` separators. */
export function writeFiles(dir: string, files: readonly FileToWrite[]): void {
  const w = new TreeWriter(dir);
  for (const f of files) w.write(f.path, f.content);
}

/**
 * Removes a directory tree this module wrote (regular files and directories only). Cheaper than
 * `fs.rmSync(dir, { recursive: true })`, which stats every entry, on a 14,000-file output.
 */
function removeTree(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}${path.sep}${e.name}`;
    if (e.isDirectory()) removeTree(p);
    else fs.unlinkSync(p);
  }
  fs.rmdirSync(dir);
}

/** Removes a staging directory (whatever it holds). */
export function discardStaging(staging: string): void {
  fs.rmSync(staging, { recursive: true, force: true });
}

/** Creates the staging directory for `outdir`: a fresh, empty sibling of it. */
export function createStaging(outdir: string): string {
  const abs = path.resolve(outdir);
  const parent = path.dirname(abs);
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, `.${path.basename(abs)}.synth-`));
}

/**
 * Replaces `outdir` with `staging` (made by `createStaging(outdir)` and filled), by rename; the
 * previous output is removed afterwards. When the rename fails, the previous output is put back.
 */
export function swapIn(outdir: string, staging: string): void {
  const abs = path.resolve(outdir);
  let previous: string | undefined;
  if (fs.existsSync(abs)) {
    previous = `${staging}.previous`;
    fs.renameSync(abs, previous);
  }
  try {
    fs.renameSync(staging, abs);
  } catch (e) {
    if (previous) fs.renameSync(previous, abs);
    discardStaging(staging);
    throw e;
  }
  fs.chmodSync(abs, 0o755);
  if (previous) {
    try {
      removeTree(previous);
    } catch {
      // something other than what a synth writes (a symlink, a file someone made read-only)
      fs.rmSync(previous, { recursive: true, force: true });
    }
  }
}

/**
 * Fills a new staging directory for `outdir` (see `createStaging`) with `fill` and returns it; on
 * failure the staging directory is removed.
 */
export function stage(outdir: string, fill: (staging: string) => void): string {
  const staging = createStaging(outdir);
  try {
    fill(staging);
  } catch (e) {
    discardStaging(staging);
    throw e;
  }
  return staging;
}

/** Writes `files` into a new staging directory for `outdir` (see `stage`) and returns it. */
export function stageFiles(outdir: string, files: readonly FileToWrite[]): string {
  return stage(outdir, (staging) => writeFiles(staging, files));
}
