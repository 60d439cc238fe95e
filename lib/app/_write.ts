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

/**
 * A tree cut into parts that two threads can remove at once: `units`, files and subtrees that share
 * nothing (the files first, then the directories from `firstDirectory` on), and `skeleton`, the
 * directories above them, to be removed (last first) once every unit is gone.
 */
export interface RemovalPlan {
  readonly units: string[];
  readonly firstDirectory: number;
  readonly skeleton: string[];
}

/**
 * Cuts the tree `dir` into at least `want` units where it can (at most four levels down, so that a
 * deep tree of few directories is not listed whole): each level's directories are opened until
 * there are enough directories below them; the files met on the way are units of their own.
 */
export function planRemoval(dir: string, want: number): RemovalPlan {
  const skeleton: string[] = [];
  const files: string[] = [];
  let level = [dir];
  for (let depth = 0; depth < 4 && level.length > 0 && level.length < want; depth++) {
    const next: string[] = [];
    for (const d of level) {
      skeleton.push(d);
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = `${d}${path.sep}${e.name}`;
        if (e.isDirectory()) next.push(p);
        else files.push(p);
      }
    }
    level = next;
  }
  return { units: [...files, ...level], firstDirectory: files.length, skeleton };
}

/** Slots of the shared state of a removal that two threads share (an `Int32Array` of 2). */
export const RemovalSlot = {
  /** The next unit to claim. */
  NEXT: 0,
  /** Units removed (or given up on) so far. */
  DONE: 1,
} as const;

/**
 * Removes units of `plan` until none is left unclaimed; a unit is claimed by incrementing
 * `RemovalSlot.NEXT`, so that two threads running this at once each remove different units, as
 * many as each gets to. A unit that cannot be removed whole is counted as done all the same: what
 * is left of it is found when the skeleton is removed.
 *
 * @returns how many units this call claimed
 */
export function removeClaimedUnits(plan: RemovalPlan, shared: Int32Array): number {
  const { units, firstDirectory } = plan;
  for (let claimed = 0; ; claimed++) {
    const i = Atomics.add(shared, RemovalSlot.NEXT, 1);
    if (i >= units.length) return claimed;
    try {
      if (i < firstDirectory) fs.unlinkSync(units[i]);
      else removeTree(units[i]);
    } catch {
      // left for removeSkeleton's fallback
    } finally {
      Atomics.add(shared, RemovalSlot.DONE, 1);
      Atomics.notify(shared, RemovalSlot.DONE);
    }
  }
}

/**
 * Removes `dir`, a tree this module wrote, on this thread; anything it holds that `removeTree` does
 * not (a symlink, a file someone made read-only) is removed by `fs.rmSync` instead.
 */
export function removeOutput(dir: string): void {
  try {
    removeTree(dir);
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Removes the skeleton of a plan whose units are gone (see `planRemoval`), falling back to
 * `fs.rmSync` for whatever is still there.
 */
export function removeSkeleton(plan: RemovalPlan): void {
  try {
    for (let i = plan.skeleton.length - 1; i >= 0; i--) fs.rmdirSync(plan.skeleton[i]);
  } catch {
    if (plan.skeleton.length > 0) fs.rmSync(plan.skeleton[0], { recursive: true, force: true });
  }
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
 * previous output is then removed by `remove` (by default on this thread, `removeOutput`). When the
 * rename fails, the previous output is put back.
 */
export function swapIn(outdir: string, staging: string, remove: (previous: string) => void = removeOutput): void {
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
  if (previous) remove(previous);
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
