import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { listFiles } from '../../lib/cli/_app-runner';
import { CommittedFiles, CommittedDirectoryReader } from '../../lib/cli/_committed';
import { scratchDirs } from '../support/files';

const scratch = scratchDirs('committed-test');
afterEach(() => scratch.removeAll());

function tree(files: Record<string, string | Buffer>): string {
  const dir = scratch.make();
  for (const [f, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), content);
  }
  return dir;
}

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,6}$/);
const files = fc.uniqueArray(fc.record({ path: fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')), content: fc.string({ maxLength: 300, unit: 'binary' }) }), { selector: (f) => f.path, maxLength: 25 })
  // no file where another one's directory is
  .filter((fs_) => fs_.every((a) => fs_.every((b) => !b.path.startsWith(`${a.path}/`))));

describe('reading the committed output ahead', () => {
  it('lists what the comparison lists and holds every file as it is on disk, read whole or a few at a time', () => {
    fc.assert(fc.property(files, fc.integer({ min: 1, max: 7 }), (fs_, stepSize) => {
      const dir = tree(Object.fromEntries(fs_.map((f) => [f.path, f.content])));
      const whole = CommittedFiles.read(dir);
      expect(whole.dir).toBe(dir);
      expect(whole.files()).toEqual(listFiles(dir));
      for (const f of fs_) expect(whole.get(f.path)?.toString('utf-8')).toBe(Buffer.from(f.content).toString('utf-8'));

      const reader = new CommittedDirectoryReader(dir);
      let steps = 0;
      while (!reader.step(stepSize)) steps++;
      expect(steps).toBeLessThanOrEqual(fs_.length * 5 + 1);
      const stepped = reader.result();
      expect(stepped.files()).toEqual(whole.files());
      for (const f of whole.files()) expect(stepped.get(f)!.equals(whole.get(f)!)).toBe(true);
    }), { numRuns: 40 });
  });

  it('leaves large files to the comparison, lists symlinks and empty directories as the comparison does, and has no files for a missing directory', () => {
    const big = Buffer.alloc(300_000, 'k');
    const dir = tree({ 'a/big.yaml': big, 'a/small.yaml': 's: 1\n', 'b/c/d.yaml': '' });
    fs.mkdirSync(path.join(dir, 'empty'));
    fs.symlinkSync(path.join(dir, 'a', 'small.yaml'), path.join(dir, 'link.yaml'));
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'broken.yaml'));
    const read = CommittedFiles.read(dir);
    expect(read.files()).toEqual(listFiles(dir));
    expect(read.files()).toEqual(['a/big.yaml', 'a/small.yaml', 'b/c/d.yaml', 'broken.yaml', 'link.yaml']);
    expect(read.get('a/big.yaml')).toBeUndefined();
    expect(read.get('broken.yaml')).toBeUndefined();
    // links are never read through: the comparison reports what they are
    expect(read.get('link.yaml')).toBeUndefined();
    expect(read.problem('link.yaml')).toBe(`committed as a symbolic link (to ${path.join(dir, 'a', 'small.yaml')}); synthesis writes a regular file`);
    expect(read.problem('broken.yaml')).toBe(`committed as a symbolic link (to ${path.join(dir, 'nowhere')}); synthesis writes a regular file`);
    expect(read.problem('a/small.yaml')).toBeUndefined();
    expect(read.problem('a/big.yaml')).toBeNull();
    expect(read.get('b/c/d.yaml')!.length).toBe(0);

    const missing = CommittedFiles.read(path.join(dir, 'nope'));
    expect(missing.files()).toEqual([]);
  });

  it('refuses to hand out a result before it has read everything', () => {
    const dir = tree({ 'a.yaml': 'a', 'b/c.yaml': 'c' });
    const reader = new CommittedDirectoryReader(dir);
    expect(reader.step(1)).toBe(false);
    expect(() => reader.result()).toThrow(`the committed output ${dir} is not read yet`);
    reader.step(Infinity);
    expect(reader.result().files()).toEqual(['a.yaml', 'b/c.yaml']);
    expect(reader.result()).toBe(reader.result());
  });
});
