// Writes a set of files as one directory, atomically from the reader's point of view: the files go
// to a staging directory first, which then replaces the output directory by rename. A failure
// before the swap leaves the previous output untouched.
//
// Staging directories live in the output's work directory, `.<name>.synth` beside it, which holds
// a `.gitignore` of `*` and stays between syntheses: nothing a synthesis leaves there, even when
// its process is killed, is seen by git. (The work directory is made once, by the first
// synthesis of an output; a kill in the moment between creating its `.gitignore` and writing it
// leaves an empty one, which git shows until the next synthesis rewrites it.) Each staging directory is named after the process that
// made it (`<pid>-<random>`), so that the next synthesis removes what dead processes left. The swap
// is two renames (the output into the work directory as `<staging>.previous`, then the staging
// directory into its place); a process killed between the two leaves no output directory, and the
// next synthesis (or `recoverOutput`) puts the previous output back before anything else.
//
// The output a synthesis replaces is kept beside the new one as the spare (`.<name>.spare`, with a
// `.gitignore` of `*` so that git does not see it), and the next synthesis claims the spare as its
// staging directory: it overwrites the files it produces again and removes the rest. On this
// machine's tmpfs overwriting a file costs what creating it does, so the removal of the previous
// output (14,000 files, about a tenth of a fleet's synthesis) is saved.
import * as fs from 'fs';
import * as path from 'path';
import { ValidationError } from '../errors';

/** The longest file or directory name common file systems allow, in bytes. */
export const MAX_NAME_BYTES = 255;

export interface FileToWrite {
  readonly path: string;
  readonly content: string;
}

/**
 * What the next synthesis is staged into.
 */
export interface Staging {
  /** The staging directory. */
  readonly dir: string;
  /** Whether it is the previous output (the spare) to overwrite, rather than an empty directory. */
  readonly recycled: boolean;
  /**
   * The spare of the output directory, when the output the swap replaces (or this directory, when
   * it is discarded) is kept as the next spare rather than removed.
   */
  readonly spare?: string;
}

/** The spare of `outdir`: where the output a synthesis replaced is kept for the next one. */
export function spareOf(outdir: string): string {
  const abs = path.resolve(outdir);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.spare`);
}

/** The content of the `.gitignore` that keeps the spare out of git's sight (and marks it). */
export const SPARE_GITIGNORE = '# the previous output of cdk8s-argocd, kept to write the next synthesis into\n*\n';

const SPARE_NAME = /^\..+\.spare$/;

/**
 * Whether the directory `name` in the directory `parent` is a spare (see the top of this file):
 * named `.<name>.spare` and holding the spare's `.gitignore`. Commands that read committed files
 * leave spares out, as git does.
 */
export function isSpare(parent: string, name: string): boolean {
  return isMarked(parent, name, SPARE_NAME, SPARE_GITIGNORE);
}

/** Whether `name` in `parent` matches `pattern` and holds a `.gitignore` of exactly `mark`. */
function isMarked(parent: string, name: string, pattern: RegExp, mark: string): boolean {
  if (!pattern.test(name)) return false;
  try {
    return fs.readFileSync(path.join(parent, name, '.gitignore'), 'utf-8') === mark;
  } catch {
    return false;
  }
}

/** The work directory of `outdir` (see the top of this file). */
export function workDirOf(outdir: string): string {
  const abs = path.resolve(outdir);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.synth`);
}

/** The content of the work directory's `.gitignore` (and its mark). */
export const WORK_GITIGNORE = '# staging directories of cdk8s-argocd syntheses, removed once their process has ended\n*\n';

const WORK_NAME = /^\..+\.synth$/;

/**
 * Whether the directory `name` in `parent` is a work directory (see the top of this file): named
 * `.<name>.synth` and holding its `.gitignore`.
 */
export function isWorkDir(parent: string, name: string): boolean {
  return isMarked(parent, name, WORK_NAME, WORK_GITIGNORE);
}

/** Whether the process `pid` is running (a process of another user counts as running). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e.code === 'EPERM';
  }
}

/** The pid a work directory entry is named after, or undefined when it is not one. */
function ownerOf(entry: string): number | undefined {
  const m = /^(\d+)-[^.]+(\.previous)?$/.exec(entry);
  return m ? Number(m[1]) : undefined;
}

/**
 * Puts the output of `outdir` back when a synthesis was killed between the two renames of its swap
 * (no output directory, and a previous output of a process that has ended in the work directory);
 * returns whether it did.
 */
export function recoverOutput(outdir: string): boolean {
  const abs = path.resolve(outdir);
  if (kindOf(abs) !== undefined) return false;
  const work = workDirOf(abs);
  let entries: string[];
  try {
    entries = fs.readdirSync(work);
  } catch {
    return false;
  }
  // at most one swap can have been under way: the first previous output of an ended process
  const previous = entries.filter((e) => e.endsWith('.previous') && ownerOf(e) !== undefined && !isRunning(ownerOf(e)!)).sort();
  for (const p of previous) {
    try {
      fs.renameSync(path.join(work, p), abs);
      return true;
    } catch {
      // another synthesis put it back first
    }
  }
  return false;
}

/**
 * Removes what syntheses of `outdir` whose processes have ended left in its work directory, and
 * the staging directories of earlier versions of this library (`.<name>.synth-*` beside it).
 */
function removeLeftovers(outdir: string): void {
  const abs = path.resolve(outdir);
  const work = workDirOf(abs);
  for (const e of fs.readdirSync(work)) {
    const owner = ownerOf(e);
    if (owner !== undefined && !isRunning(owner)) fs.rmSync(path.join(work, e), { recursive: true, force: true });
  }
  const prefix = `.${path.basename(abs)}.synth-`;
  for (const e of fs.readdirSync(path.dirname(abs))) {
    if (e.startsWith(prefix)) fs.rmSync(path.join(path.dirname(abs), e), { recursive: true, force: true });
  }
}

/**
 * Removes the work directory `work` (see the top of this file) unless a running process has a
 * staging directory in it.
 */
export function removeIdleWorkDir(work: string): void {
  const busy = fs.readdirSync(work).some((e) => {
    const owner = ownerOf(e);
    return owner !== undefined && isRunning(owner);
  });
  if (!busy) fs.rmSync(work, { recursive: true, force: true });
}

/** Makes the work directory of `outdir` (with its `.gitignore`) when there is none; returns it. */
function ensureWorkDir(outdir: string): string {
  const work = workDirOf(outdir);
  const kind = kindOf(work);
  if (kind === 'file') {
    throw new ValidationError(`${work} is a file, where cdk8s-argocd keeps the staging directories of ${path.resolve(outdir)}; nothing was written: move the file away`);
  }
  if (kind === undefined) fs.mkdirSync(work);
  // rewritten unless it is whole: a process killed while writing it may have left it empty
  const ignore = path.join(work, '.gitignore');
  let current: string | undefined;
  try {
    current = fs.readFileSync(ignore, 'utf-8');
  } catch {
    current = undefined;
  }
  if (current !== WORK_GITIGNORE) fs.writeFileSync(ignore, WORK_GITIGNORE);
  return work;
}

/**
 * Refuses to replace `outdir` when it is not a directory cdk8s-argocd can have written: a regular
 * file, or a directory holding, at its top, a file other than `.yaml`/`.yml` files or a name
 * starting with `.` (a repository's `.git`, a `package.json`): the swap would delete it.
 */
export function checkReplaceable(outdir: string): void {
  const abs = path.resolve(outdir);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) return;
  if (!st.isDirectory()) {
    throw new ValidationError(`the output directory ${abs} is a file; a synthesis replaces its output directory as a whole and never deletes a file it did not write: move the file away or choose another outdir`);
  }
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    const foreign = e.name.startsWith('.') || (!e.isDirectory() && !/\.ya?ml$|^synthesis\.bundle$/.test(e.name));
    if (foreign) {
      throw new ValidationError(`the output directory ${abs} holds '${e.name}', which cdk8s-argocd does not write (it writes directories and .yaml files); a synthesis replaces its output directory as a whole and would delete it: move it away, or give the app an outdir of its own such as 'dist'`);
    }
  }
}

/** Whether `rel`, a relative path with `/` separators, stays below the directory it is relative to. */
export function isInside(rel: string): boolean {
  return rel !== '' && !/(^|\/)\.{1,2}(\/|$)|^\/|\/\/|\/$|\\|\0/.test(rel);
}

/**
 * Writes files below one directory, creating each subdirectory once.
 *
 * A recycled directory (the spare, see the top of this file) is listed first: its directories need
 * not be made again, its files are overwritten, and `finish()` removes what the synthesis did not
 * write. Anything in it that is neither a regular file nor a directory (a symbolic link) is removed
 * before anything is written, so that no write goes through a link.
 */
export class TreeWriter {
  private readonly root: string;
  private readonly made = new Set<string>(['']);
  /** Recycled: the files found and not written (yet), and every directory found, parents first. */
  private readonly found?: { readonly files: Set<string>; readonly dirs: string[] };
  /** Recycled: the directories this synthesis writes files into. */
  private readonly used = new Set<string>();

  /**
   * @param dir the directory (created)
   * @param recycled whether `dir` holds a previous output to overwrite
   */
  constructor(dir: string, recycled: boolean = false) {
    fs.mkdirSync(dir, { recursive: true });
    this.root = path.resolve(dir);
    if (recycled) {
      const files = new Set<string>();
      const dirs: string[] = [];
      listForReuse(this.root, '', files, dirs);
      for (const d of dirs) this.made.add(d);
      this.found = { files, dirs };
    }
  }

  /** Writes `content` to `file`, a relative path with `/` separators. */
  public write(file: string, content: string): void {
    // an invariant: the library names every file it writes, so no user value reaches here unchecked
    if (!isInside(file)) throw new Error(`refusing to write ${JSON.stringify(file)}: not a path inside the output directory`);
    const slash = file.lastIndexOf('/');
    const sub = slash < 0 ? '' : file.slice(0, slash);
    const target = this.absolute(file);
    const found = this.found;
    if (found !== undefined) {
      found.files.delete(file);
      this.used.add(sub);
    }
    try {
      if (!this.made.has(sub)) {
        fs.mkdirSync(this.absolute(sub), { recursive: true });
        this.made.add(sub);
      }
      fs.writeFileSync(target, content);
    } catch (e) {
      // only a recycled directory can have something of the previous output in the way: a directory
      // where the file goes, a file where one of its directories goes, a file made read-only;
      // cleared, then written afresh
      if (found === undefined) throw e;
      this.clearFor(file, sub);
      fs.writeFileSync(target, content);
    }
  }

  /**
   * Ends the writing: in a recycled directory, removes every file and directory the synthesis did
   * not write (the files of objects no longer produced, the spare's `.gitignore`).
   */
  public finish(): void {
    const found = this.found;
    if (found === undefined) return;
    const needed = new Set<string>(['']);
    for (const sub of this.used) {
      for (let d = sub; d !== '' && !needed.has(d); d = parentOf(d)) needed.add(d);
    }
    // directories with nothing written below them go whole, from the topmost one; the files not
    // written, in the directories that stay. (What was cleared out of a write's way may have become
    // a file where a directory was found, or the other way round: that is kept.)
    for (const d of found.dirs) {
      if (!needed.has(d) && needed.has(parentOf(d)) && kindOf(this.absolute(d)) === 'directory') {
        fs.rmSync(this.absolute(d), { recursive: true, force: true });
      }
    }
    for (const f of found.files) {
      if (needed.has(parentOf(f)) && kindOf(this.absolute(f)) === 'file') fs.rmSync(this.absolute(f), { force: true });
    }
  }

  /** The absolute path of `rel`, a relative path with `/` separators. */
  private absolute(rel: string): string {
    if (rel === '') return this.root;
    return path.sep === '/' ? `${this.root}/${rel}` : path.join(this.root, ...rel.split('/'));
  }

  /** Makes the way for `file` (in directory `sub`) free: see `write`. */
  private clearFor(file: string, sub: string): void {
    const parts = sub === '' ? [] : sub.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const abs = this.absolute(parts.slice(0, i).join('/'));
      const kind = kindOf(abs);
      if (kind === undefined) break;
      if (kind === 'file') {
        fs.rmSync(abs, { force: true });
        break;
      }
    }
    const target = this.absolute(file);
    fs.rmSync(target, { recursive: true, force: true });
    // directories that were below a removed one must be made again
    for (const d of [...this.made]) {
      if (d === file || d.startsWith(`${file}/`)) this.made.delete(d);
    }
    fs.mkdirSync(this.absolute(sub), { recursive: true });
    this.made.add(sub);
  }
}

/** Whether `abs` is a directory, something else, or nothing (without following a link). */
function kindOf(abs: string): 'directory' | 'file' | undefined {
  try {
    return fs.lstatSync(abs).isDirectory() ? 'directory' : 'file';
  } catch {
    return undefined;
  }
}

/** The parent of a relative path with `/` separators (`''` for a top-level entry). */
function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/**
 * Lists `dir` (at relative path `rel`) for `TreeWriter`: regular files into `files`, directories
 * (parents first) into `dirs`; anything else is removed.
 */
function listForReuse(dir: string, rel: string, files: Set<string>, dirs: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    const abs = `${dir}${path.sep}${e.name}`;
    if (e.isDirectory()) {
      dirs.push(r);
      listForReuse(abs, r, files, dirs);
    } else if (e.isFile()) {
      files.add(r);
    } else {
      fs.rmSync(abs, { recursive: true, force: true });
    }
  }
}

/**
 * Writes `files` into `dir` (created), relative paths with `/` separators; in a recycled directory
 * (see `TreeWriter`), what it held and `files` do not is removed.
 */
export function writeFiles(dir: string, files: readonly FileToWrite[], recycled: boolean = false): void {
  const w = new TreeWriter(dir, recycled);
  for (const f of files) w.write(f.path, f.content);
  w.finish();
}

/**
 * Makes every file of `paths` (relative, `/` separators) below `from` appear below `to` (created;
 * what is there under the same name is replaced), as hard links: the cdk8s CLI only lists the files
 * of its `CDK8S_OUTDIR` (and validation plugins read them), so a link serves it as a copy would,
 * without writing the bytes a second time. Where links cannot be made (another file system, a file
 * system without them), the files are copied.
 */
export function linkFiles(from: string, to: string, paths: readonly string[]): void {
  const made = new Set<string>();
  let copy = false;
  for (const rel of paths) {
    const src = path.join(from, ...rel.split('/'));
    const dst = path.join(to, ...rel.split('/'));
    const dir = path.dirname(dst);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    if (!copy) {
      try {
        fs.linkSync(src, dst);
        continue;
      } catch (e: any) {
        if (e?.code === 'EEXIST') {
          fs.rmSync(dst, { recursive: true, force: true });
          fs.linkSync(src, dst);
          continue;
        }
        if (!['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS'].includes(e?.code)) throw e;
        copy = true;
      }
    }
    fs.rmSync(dst, { recursive: true, force: true });
    fs.copyFileSync(src, dst);
  }
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

/**
 * Discards a staging directory (whatever it holds): with `keep`, kept as the spare when spares are
 * kept and there is none (whatever it holds is overwritten or removed by the synthesis that claims
 * it); removed otherwise. A directory that writing into failed is never kept.
 */
export function discardStaging(staging: Staging, keep: boolean = true): void {
  if (!(keep && staging.spare !== undefined && keepAsSpare(staging.dir, staging.spare))) {
    fs.rmSync(staging.dir, { recursive: true, force: true });
  }
}

/**
 * Creates the staging directory for `outdir`, in its work directory (see the top of this file),
 * after putting back an output a killed synthesis left out of place and removing what ended
 * syntheses left. With `reuse`, the spare becomes the staging directory when there is one, and the
 * swap keeps the output it replaces as the next spare; without, a spare left by an earlier
 * synthesis is removed. A file system that does not tell names apart by case (where overwriting
 * `Api/x.yaml` would write `api/x.yaml`'s content under the old name) is never reused. Throws,
 * before anything is written, where a file of someone else's would be deleted: see
 * `checkReplaceable`, and a regular file where the spare goes.
 */
export function createStaging(outdir: string, reuse: boolean = false): Staging {
  const abs = path.resolve(outdir);
  const parent = path.dirname(abs);
  fs.mkdirSync(parent, { recursive: true });
  const work = ensureWorkDir(abs);
  recoverOutput(abs);
  removeLeftovers(abs);
  checkReplaceable(abs);
  const spare = spareOf(abs);
  // only a directory is a spare: a link of that name is removed, never followed; a file is refused
  let kind: 'directory' | 'file' | 'link' | undefined;
  try {
    const st = fs.lstatSync(spare);
    kind = st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'link' : 'file';
  } catch {
    kind = undefined;
  }
  if (kind === 'file') {
    throw new ValidationError(`${spare} is a file, where cdk8s-argocd keeps the previous output of ${abs} (see reusePreviousOutput); nothing was written: move the file away`);
  }
  if (kind === 'link') {
    fs.unlinkSync(spare);
    kind = undefined;
  }
  // `s` is lowercase, so that the probe below (the name in upper case) tells a case-blind file system
  const dir = fs.mkdtempSync(path.join(work, `${process.pid}-s`));
  if (!reuse || fs.existsSync(path.join(work, path.basename(dir).toUpperCase()))) {
    if (kind === 'directory') removeOutput(spare);
    return { dir, recycled: false };
  }
  if (kind === undefined) return { dir, recycled: false, spare };
  try {
    fs.rmdirSync(dir);
    fs.renameSync(spare, dir);
    return { dir, recycled: true, spare };
  } catch {
    // a spare that cannot be claimed (another synthesis took it first): an empty directory
    try {
      fs.mkdirSync(dir);
      return { dir, recycled: false, spare };
    } catch {
      return { dir: fs.mkdtempSync(path.join(work, `${process.pid}-s`)), recycled: false, spare };
    }
  }
}

/**
 * Replaces `outdir` with the staging directory (made by `createStaging(outdir)` and filled), by
 * rename; the previous output is then kept as the spare (when `staging.spare` is set and there is no
 * spare already) or removed by `remove` (by default on this thread, `removeOutput`). When the rename
 * fails, the previous output is put back.
 */
export function swapIn(outdir: string, staging: Staging, remove: (previous: string) => void = removeOutput): void {
  const abs = path.resolve(outdir);
  let previous: string | undefined;
  if (kindOf(abs) !== undefined) {
    previous = `${staging.dir}.previous`;
    fs.renameSync(abs, previous);
  }
  try {
    fs.renameSync(staging.dir, abs);
  } catch (e) {
    if (previous) fs.renameSync(previous, abs);
    discardStaging(staging, false);
    throw e;
  }
  fs.chmodSync(abs, 0o755);
  if (previous !== undefined) {
    if (kindOf(previous) !== 'directory') {
      // an output directory that was a link: the link goes, never what it points to
      fs.unlinkSync(previous);
    } else if (!(staging.spare !== undefined && keepAsSpare(previous, staging.spare))) {
      remove(previous);
    }
  }
}

/** Makes the directory `dir` the spare `spare`, unless there is one already; returns whether it did. */
function keepAsSpare(dir: string, spare: string): boolean {
  if (fs.existsSync(spare)) return false;
  try {
    fs.writeFileSync(path.join(dir, '.gitignore'), SPARE_GITIGNORE);
    fs.renameSync(dir, spare);
    return true;
  } catch {
    return false;
  }
}

/**
 * Fills a new staging directory for `outdir` (see `createStaging`) with `fill` and returns it; when
 * `fill` fails, the staging directory is removed.
 */
export function stage(outdir: string, reuse: boolean, fill: (staging: Staging) => void): Staging {
  const staging = createStaging(outdir, reuse);
  try {
    fill(staging);
  } catch (e) {
    discardStaging(staging, false);
    throw e;
  }
  return staging;
}

/** Writes `files` into a new staging directory for `outdir` (see `stage`) and returns it. */
export function stageFiles(outdir: string, files: readonly FileToWrite[], reuse: boolean = false): Staging {
  return stage(outdir, reuse, (staging) => writeFiles(staging.dir, files, staging.recycled));
}
