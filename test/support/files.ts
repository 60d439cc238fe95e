import * as fs from 'fs';
import { isWorkDir } from '../../lib/app/_write';
import * as os from 'os';
import * as path from 'path';

/**
 * Every file under `dir`: relative path (`/` separators) -> `describe(absolutePath)`, by default
 * the file's content.
 */
export function readTree(dir: string, describe: (file: string) => string = (f) => fs.readFileSync(f, 'utf-8')): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p).split(path.sep).join('/')] = describe(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Scratch directories for a test file: `make()` creates one in the OS temp directory (named after
 * `prefix`), `removeAll()` (in an `afterEach`) removes every one made so far.
 */
export function scratchDirs(prefix: string): { make(): string; removeAll(): void } {
  const made: string[] = [];
  return {
    make: () => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
      made.push(d);
      return d;
    },
    removeAll: () => {
      for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

/**
 * The entries of `dir`, sorted, without the work directories syntheses keep beside their outputs
 * (`.<name>.synth`, see lib/app/_write.ts), each of which must hold nothing but its `.gitignore`:
 * a synthesis that is done leaves no staging directory behind.
 */
export function besideOutputs(dir: string): string[] {
  const names = fs.readdirSync(dir).sort();
  return names.filter((n) => {
    if (!isWorkDir(dir, n)) return true;
    const left = fs.readdirSync(path.join(dir, n)).filter((e) => e !== '.gitignore');
    if (left.length > 0) throw new Error(`the work directory ${path.join(dir, n)} still holds ${left.join(', ')}`);
    return false;
  });
}
