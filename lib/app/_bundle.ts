// The synthesis bundle: every file of one synthesis in one file, for `cdk8s-argocd check` and the
// other commands that run the app only to read what it produces. Writing 14,000 small files into a
// scratch directory and reading them back costs more than the comparison itself; one file of
// records costs one write and one read.
//
// The format is a sequence of records, each `<path>\0<byte length>\n<content bytes>`, in any
// order; a path never holds `\0`, and the length says where the content ends, so any bytes can be
// held.
import * as fs from 'fs';

/** The name of the bundle file in a synthesis' output directory. */
export const BUNDLE_FILE = 'synthesis.bundle';

/** One file to put in a bundle. */
export interface BundleEntry {
  readonly path: string;
  readonly content: string;
}

/** The records of `entries` as bytes. */
export function bundleRecords(entries: readonly BundleEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.path.includes('\0')) throw new Error(`a bundled file's path holds a NUL character: ${JSON.stringify(e.path)}`);
    const content = Buffer.from(e.content, 'utf-8');
    parts.push(Buffer.from(`${e.path}\0${content.length}\n`, 'utf-8'), content);
  }
  return Buffer.concat(parts);
}

/** Appends records to a bundle file, one write per call. */
export class BundleWriter {
  private readonly fd: number;

  /** @param file the bundle file (created, or emptied) */
  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  /** Appends `entries`. */
  public append(entries: readonly BundleEntry[]): void {
    if (entries.length === 0) return;
    const bytes = bundleRecords(entries);
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
  }

  /** Closes the file. */
  public close(): void {
    fs.closeSync(this.fd);
  }
}

/** Writes `entries` as a bundle into `file`. */
export function writeBundle(file: string, entries: readonly BundleEntry[]): void {
  const w = new BundleWriter(file);
  try {
    w.append(entries);
  } finally {
    w.close();
  }
}

/**
 * The files of a bundle: path to content (views into `bytes`). Throws on a malformed bundle or a
 * path that occurs twice.
 */
export function parseBundle(bytes: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let at = 0;
  while (at < bytes.length) {
    const nul = bytes.indexOf(0, at);
    const nl = nul < 0 ? -1 : bytes.indexOf(10, nul);
    const digits = nl < 0 ? '' : bytes.toString('latin1', nul + 1, nl);
    if (nul < 0 || nl < 0 || !/^(0|[1-9][0-9]*)$/.test(digits)) {
      throw new Error(`malformed synthesis bundle: the record at byte ${at} has no '<path>\\0<length>\\n' header`);
    }
    const length = Number(digits);
    const start = nl + 1;
    if (start + length > bytes.length) {
      throw new Error(`malformed synthesis bundle: the record at byte ${at} says ${length} bytes, but only ${bytes.length - start} follow`);
    }
    const file = bytes.toString('utf-8', at, nul);
    if (files.has(file)) throw new Error(`malformed synthesis bundle: ${file} occurs twice`);
    files.set(file, bytes.subarray(start, start + length));
    at = start + length;
  }
  return files;
}

/** The files of the bundle file `file` (see `parseBundle`). */
export function readBundle(file: string): Map<string, Buffer> {
  return parseBundle(fs.readFileSync(file));
}
