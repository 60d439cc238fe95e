// The committed output, read ahead. `cdk8s-argocd check` compares what the app synthesizes with
// the committed files, and can only compare once the app's process has ended; but most of that
// process is Node starting, the app's modules loading and its construct tree being built, one core
// busy and the other idle. Each ArgoCdApp says which directory it commits as soon as it is
// constructed (a line in the synthesis report), and the command reads that directory in the
// meantime, a slice of files at a time between the events of the app's process, so that the
// comparison afterwards reads nothing from disk.
import * as fs from 'fs';
import * as path from 'path';
import { compareStrings } from '../_internal/values';
import { isSpare, isWorkDir } from '../app/_write';

/** Files are read into shared chunks of this size (one allocation per chunk, not per file). */
const CHUNK = 1 << 20;
/** Files larger than this are left to be read when compared. */
const LARGEST = CHUNK / 4;
/** At most this many bytes are held for one directory; the rest is read when compared. */
const BUDGET = 256 << 20;

/**
 * The entries of the directory `abs`; none when it does not exist or is not a directory (a
 * committed output directory not written yet has no files). With `besideOutputs`, the directories
 * an app keeps beside its output directory (the spare, see `ArgoCdAppProps.reusePreviousOutput`,
 * and the work directory of its staging directories) are left out: git does not see them either.
 * The drift check lists an output directory without: nothing inside an output is the library's.
 */
export function entriesOf(abs: string, besideOutputs: boolean = true): fs.Dirent[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(abs, { withFileTypes: true });
  } catch (e: any) {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return [];
    throw e;
  }
  if (!besideOutputs) return entries;
  const spares = entries.filter((e) => e.isDirectory() && (isSpare(abs, e.name) || isWorkDir(abs, e.name)));
  return spares.length === 0 ? entries : entries.filter((e) => !spares.includes(e));
}

/** The files of a directory as read at one moment: every file listed, most of their bytes held. */
export class CommittedFiles {
  /** Reads every file below `dir` now (a missing directory has no files). */
  public static read(dir: string): CommittedFiles {
    const reader = new CommittedDirectoryReader(dir);
    reader.step(Infinity);
    return reader.result();
  }

  /** @internal */
  constructor(
    /** The directory (absolute). */
    public readonly dir: string,
    private readonly listed: string[],
    private readonly contents: Map<string, Buffer>,
    private readonly odd: Map<string, string> = new Map(),
  ) {}

  /**
   * Why the committed `file` cannot equal a synthesized one (see `committedKindProblem`), as read
   * ahead: undefined for a regular file without an executable bit whose bytes were read, null when
   * the file was not read ahead (the caller looks itself).
   */
  public problem(file: string): string | undefined | null {
    const odd = this.odd.get(file);
    if (odd !== undefined) return odd;
    return this.contents.has(file) ? undefined : null;
  }

  /** Every file below the directory: relative paths with `/` separators, sorted. */
  public files(): string[] {
    return this.listed;
  }

  /**
   * The bytes of `file` as read ahead, or undefined when they were not (a file too large, over the
   * budget, or one that could not be read then): the caller reads it itself.
   */
  public get(file: string): Buffer | undefined {
    return this.contents.get(file);
  }
}

/**
 * Reads a directory a step at a time: `step(n)` lists and reads up to `n` files, so that a caller
 * with an event loop can read between other events, and finish at once when it must.
 */
export class CommittedDirectoryReader {
  private readonly dir: string;
  /** Directories still to list: absolute path and relative path. */
  private readonly toList: [string, string][];
  /** Files listed and not read yet. */
  private readonly toRead: [string, string][] = [];
  private readonly listed: string[] = [];
  private readonly contents = new Map<string, Buffer>();
  private readonly odd = new Map<string, string>();
  private chunk = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private held = 0;
  private files?: CommittedFiles;

  /** @param dir the directory (resolved to an absolute path) */
  constructor(dir: string) {
    this.dir = path.resolve(dir);
    this.toList = [[this.dir, '']];
  }

  /** Whether every file is listed and read. */
  public get done(): boolean {
    return this.toList.length === 0 && this.toRead.length === 0;
  }

  /**
   * Lists and reads up to `max` files (a directory listed counts as one).
   *
   * @returns whether the reader is done
   */
  public step(max: number): boolean {
    for (let n = 0; n < max; n++) {
      const file = this.toRead.pop();
      if (file) {
        this.readOne(file[0], file[1]);
        continue;
      }
      const dir = this.toList.pop();
      if (!dir) return true;
      this.list(dir[0], dir[1]);
    }
    return this.done;
  }

  /** What was read (made once); call once `step()` says it is done. */
  public result(): CommittedFiles {
    if (!this.done) throw new Error(`the committed output ${this.dir} is not read yet`);
    this.files ??= new CommittedFiles(this.dir, this.listed.sort(compareStrings), this.contents, this.odd);
    return this.files;
  }

  private list(abs: string, rel: string): void {
    for (const entry of entriesOf(abs, false)) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      const p = `${abs}${path.sep}${entry.name}`;
      if (entry.isDirectory()) {
        this.toList.push([p, r]);
      } else {
        this.listed.push(r);
        // only a regular file is opened (a FIFO would block, a link is not what git holds)
        if (entry.isFile()) this.toRead.push([p, r]);
        else this.odd.set(r, committedKindProblem(p) ?? 'changed while read');
      }
    }
  }

  private readOne(abs: string, rel: string): void {
    if (this.held >= BUDGET) return;
    if (CHUNK - this.used < LARGEST) {
      this.chunk = Buffer.allocUnsafe(CHUNK);
      this.used = 0;
    }
    let fd: number;
    try {
      fd = fs.openSync(abs, 'r');
    } catch {
      // left for the comparison, which meets the error itself if the file matters
      return;
    }
    try {
      const problem = modeProblem(fs.fstatSync(fd).mode);
      if (problem !== undefined) {
        this.odd.set(rel, problem);
        return;
      }
      const room = Math.min(LARGEST + 1, CHUNK - this.used);
      const n = fs.readSync(fd, this.chunk, this.used, room, 0);
      // a file that fills the room may be larger: left for the comparison
      if (n === room) return;
      this.contents.set(rel, this.chunk.subarray(this.used, this.used + n));
      this.used += n;
      this.held += n;
    } catch {
      // as above
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * Why the committed entry `abs` cannot equal a synthesized file, which is a regular file without
 * an executable bit (git records a link, and the executable bit, besides the bytes); undefined
 * when it is such a file. Never opens the entry (a FIFO would block).
 */
export function committedKindProblem(abs: string): string | undefined {
  const st = fs.lstatSync(abs);
  if (st.isSymbolicLink()) {
    let target: string;
    try {
      target = fs.readlinkSync(abs);
    } catch {
      target = '?';
    }
    return `committed as a symbolic link (to ${target}); synthesis writes a regular file`;
  }
  if (st.isFIFO()) return 'committed as a FIFO; synthesis writes a regular file';
  if (!st.isFile()) return 'committed as something other than a regular file; synthesis writes a regular file';
  return modeProblem(st.mode);
}

function modeProblem(mode: number): string | undefined {
  if ((mode & 0o111) === 0) return undefined;
  return `committed with an executable bit (mode ${(mode & 0o777).toString(8)}, which git records as 100755); synthesis writes 100644 files: chmod -x it`;
}
