// Writes a set of files as one directory, atomically from the reader's point of view: the files go
// to a fresh sibling directory first, which then replaces the output directory by rename. A failure
// before the swap leaves the previous output untouched.
import * as fs from 'fs';
import * as path from 'path';

export interface FileToWrite {
  readonly path: string;
  readonly content: string;
}

/** Writes `files` into `dir` (created), relative paths with `/` separators. */
export function writeFiles(dir: string, files: readonly FileToWrite[]): void {
  fs.mkdirSync(dir, { recursive: true });
  const made = new Set<string>([dir]);
  for (const f of files) {
    const target = path.join(dir, ...f.path.split('/'));
    const parent = path.dirname(target);
    if (!made.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    fs.writeFileSync(target, f.content);
  }
}

/** Replaces `outdir` with a directory holding exactly `files`. */
export function replaceDirectory(outdir: string, files: readonly FileToWrite[]): void {
  const abs = path.resolve(outdir);
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${base}.synth-`));
  try {
    writeFiles(staging, files);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  let previous: string | undefined;
  if (fs.existsSync(abs)) {
    previous = `${staging}.previous`;
    fs.renameSync(abs, previous);
  }
  try {
    fs.renameSync(staging, abs);
  } catch (e) {
    if (previous) fs.renameSync(previous, abs);
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  fs.chmodSync(abs, 0o755);
  if (previous) fs.rmSync(previous, { recursive: true, force: true });
}
