import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib';
import { createStaging, discardStaging, isSpare, SPARE_GITIGNORE, spareOf, swapIn, TreeWriter, writeFiles } from '../../lib/app/_write';
import { entriesOf } from '../../lib/cli/_committed';
import { listFiles } from '../../lib/cli/_app-runner';
import { readTree, scratchDirs, besideOutputs } from '../support/files';

const scratch = scratchDirs('spare-test');
const tmpdir = scratch.make;
afterEach(() => scratch.removeAll());

/** Writes `files` (relative path -> content) below `root`. */
function plant(root: string, files: Record<string, string>): void {
  for (const [f, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), content);
  }
}

describe('writing into a previous output (TreeWriter, recycled)', () => {
  test('overwrites the files written again, removes the files and directories not written, and the spare\'s .gitignore', () => {
    const dir = tmpdir();
    plant(dir, {
      '.gitignore': SPARE_GITIGNORE,
      'top.yaml': 'old top, a longer content than the new one',
      'a/kept.yaml': 'old',
      'a/gone.yaml': 'old',
      'b/c/gone.yaml': 'old',
      'b/c/d/gone.yaml': 'old',
      'e/f/kept.yaml': 'old',
    });
    fs.mkdirSync(path.join(dir, 'empty/below'), { recursive: true });
    const w = new TreeWriter(dir, true);
    w.write('top.yaml', 'new');
    w.write('a/kept.yaml', 'new');
    w.write('e/f/kept.yaml', 'new');
    w.write('g/h/made.yaml', 'new');
    w.finish();
    expect(readTree(dir)).toEqual({ 'top.yaml': 'new', 'a/kept.yaml': 'new', 'e/f/kept.yaml': 'new', 'g/h/made.yaml': 'new' });
    expect(fs.readdirSync(dir).sort()).toEqual(['a', 'e', 'g', 'top.yaml']);
    expect(fs.readdirSync(path.join(dir, 'e'))).toEqual(['f']);
  });

  test('clears what is in the way: a directory where a file goes, a file where a directory goes, a read-only file', () => {
    const dir = tmpdir();
    plant(dir, { 'x.yaml/inside.yaml': 'old', 'y': 'a file', 'ro.yaml': 'old' });
    fs.chmodSync(path.join(dir, 'ro.yaml'), 0o444);
    const w = new TreeWriter(dir, true);
    w.write('x.yaml', 'new x');
    w.write('y/z.yaml', 'new z');
    w.write('ro.yaml', 'new ro');
    w.finish();
    expect(readTree(dir)).toEqual({ 'x.yaml': 'new x', 'y/z.yaml': 'new z', 'ro.yaml': 'new ro' });
  });

  test('never writes through a symbolic link: links in the previous output are removed before anything is written', () => {
    const dir = tmpdir();
    const outside = tmpdir();
    plant(outside, { 'target.yaml': 'must stay', 'sub/inside.yaml': 'must stay' });
    plant(dir, { 'plain.yaml': 'old' });
    fs.symlinkSync(path.join(outside, 'target.yaml'), path.join(dir, 'link.yaml'));
    fs.symlinkSync(path.join(outside, 'sub'), path.join(dir, 'linked'));
    const w = new TreeWriter(dir, true);
    w.write('link.yaml', 'new');
    w.write('linked/inside.yaml', 'new');
    w.finish();
    expect(readTree(outside)).toEqual({ 'target.yaml': 'must stay', 'sub/inside.yaml': 'must stay' });
    expect(readTree(dir)).toEqual({ 'link.yaml': 'new', 'linked/inside.yaml': 'new' });
    expect(fs.lstatSync(path.join(dir, 'linked')).isDirectory()).toBe(true);
  });

  // paths from a small alphabet, so that the previous output and the new files often collide: the
  // same file, a file where a directory was, a directory where a file was
  const segment = fc.constantFrom('a', 'b', 'c.yaml', 'd.yaml');
  const relPath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
  /** `paths` without those that are a directory of another one (an output never has both). */
  const consistent = (paths: string[]) => {
    const unique = [...new Set(paths)];
    return unique.filter((p) => !unique.some((q) => q.startsWith(`${p}/`)));
  };
  test('property: whatever the previous output held, the directory holds exactly the files written', () => {
    fc.assert(fc.property(fc.array(relPath, { maxLength: 12 }), fc.array(relPath, { maxLength: 12 }), fc.array(relPath, { maxLength: 3 }), (before, after, emptyDirs) => {
      const dir = tmpdir();
      try {
        plant(dir, Object.fromEntries(consistent(before).map((f) => [f, `old ${f}`])));
        for (const d of emptyDirs) {
          try {
            fs.mkdirSync(path.join(dir, d), { recursive: true });
          } catch {
            // a file there already
          }
        }
        const files = consistent(after);
        const w = new TreeWriter(dir, true);
        for (const f of files) w.write(f, `new ${f}`);
        w.finish();
        expect(readTree(dir)).toEqual(Object.fromEntries(files.map((f) => [f, `new ${f}`])));
        // no directory is left with nothing written below it
        const dirs = new Set(files.flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
        const listed: string[] = [];
        const walk = (abs: string, rel: string) => {
          for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
            if (!e.isDirectory()) continue;
            const r = rel === '' ? e.name : `${rel}/${e.name}`;
            listed.push(r);
            walk(path.join(abs, e.name), r);
          }
        };
        walk(dir, '');
        expect(listed.sort()).toEqual([...dirs].sort());
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }), { numRuns: 150 });
  });

  test('writeFiles into a recycled directory is the same as into an empty one', () => {
    const files = [{ path: 'a/x.yaml', content: 'x' }, { path: 'b/y.yaml', content: 'y' }];
    const fresh = tmpdir();
    writeFiles(fresh, files);
    const recycled = tmpdir();
    plant(recycled, { '.gitignore': SPARE_GITIGNORE, 'a/x.yaml': 'old', 'a/old.yaml': 'old', 'c/z.yaml': 'old' });
    writeFiles(recycled, files, true);
    expect(readTree(recycled)).toEqual(readTree(fresh));
  });
});

describe('the spare', () => {
  test('createStaging claims the spare; swapIn keeps the replaced output as the next one; without reuse both go', () => {
    const base = tmpdir();
    const outdir = path.join(base, 'out');
    plant(outdir, { 'v1.yaml': '1' });
    // no spare yet: an empty staging directory
    const first = createStaging(outdir, true);
    expect(first.recycled).toBe(false);
    expect(first.spare).toBe(spareOf(outdir));
    plant(first.dir, { 'v2.yaml': '2' });
    swapIn(outdir, first);
    expect(readTree(outdir)).toEqual({ 'v2.yaml': '2' });
    expect(readTree(path.join(base, '.out.spare'))).toEqual({ 'v1.yaml': '1', '.gitignore': SPARE_GITIGNORE });
    // the spare is claimed
    const second = createStaging(outdir, true);
    expect(second.recycled).toBe(true);
    expect(readTree(second.dir)).toEqual({ 'v1.yaml': '1', '.gitignore': SPARE_GITIGNORE });
    expect(fs.existsSync(spareOf(outdir))).toBe(false);
    // discarded (a failed synthesis): it becomes the spare again
    discardStaging(second);
    expect(besideOutputs(base)).toEqual(['.out.spare', 'out']);
    // without reuse, the spare is removed and the replaced output too
    const third = createStaging(outdir, false);
    expect(third.recycled).toBe(false);
    expect(third.spare).toBeUndefined();
    expect(fs.existsSync(spareOf(outdir))).toBe(false);
    swapIn(outdir, third);
    expect(besideOutputs(base)).toEqual(['out']);
  });

  test('a discarded staging directory is removed when there is a spare already, or when told not to keep it', () => {
    const base = tmpdir();
    const outdir = path.join(base, 'out');
    plant(spareOf(outdir), { '.gitignore': SPARE_GITIGNORE, 'kept.yaml': 'kept' });
    const staging = { dir: path.join(base, '.out.synth-x'), recycled: false, spare: spareOf(outdir) };
    plant(staging.dir, { 'partial.yaml': 'partial' });
    discardStaging(staging);
    expect(fs.readdirSync(base)).toEqual(['.out.spare']);
    expect(readTree(spareOf(outdir))).toEqual({ '.gitignore': SPARE_GITIGNORE, 'kept.yaml': 'kept' });
    fs.rmSync(spareOf(outdir), { recursive: true });
    plant(staging.dir, { 'partial.yaml': 'partial' });
    discardStaging(staging, false);
    expect(fs.readdirSync(base)).toEqual([]);
  });

  test('commands that read committed files leave spares out (a directory of that name without the spare\'s .gitignore is read)', () => {
    const base = tmpdir();
    plant(base, {
      'dist/a.yaml': 'a',
      '.dist.spare/.gitignore': SPARE_GITIGNORE,
      '.dist.spare/a.yaml': 'old a',
      '.mine.spare/b.yaml': 'b',
    });
    expect(isSpare(base, '.dist.spare')).toBe(true);
    expect(isSpare(base, '.mine.spare')).toBe(false);
    expect(isSpare(base, 'dist')).toBe(false);
    expect(entriesOf(base).map((e) => e.name).sort()).toEqual(['.mine.spare', 'dist']);
    expect(listFiles(base)).toEqual(['.mine.spare/b.yaml', 'dist/a.yaml']);
  });

  test('git does not see the spare: after two syntheses in a repository, git status lists the output only', () => {
    const repo = tmpdir();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
    git('init', '-q');
    const synth = (value: string) => {
      const app = new ArgoCdApp({ outdir: path.join(repo, 'dist') });
      new ApiObject(new Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { value } });
      app.synth();
    };
    synth('one');
    synth('two');
    expect(besideOutputs(repo)).toEqual(['.dist.spare', '.git', 'dist']);
    expect(git('status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l !== '')).toEqual(['?? dist/c/configmap_cm.yaml']);
  });
});

describe('links are never followed', () => {
  test('an output directory that is a link: replaced by a directory, the link removed, what it points to untouched', () => {
    for (const reuse of [true, false]) {
      const base = tmpdir();
      const elsewhere = tmpdir();
      plant(elsewhere, { 'mine.yaml': 'not the app\'s' });
      const outdir = path.join(base, 'out');
      fs.symlinkSync(elsewhere, outdir);
      for (const value of ['one', 'two']) {
        const app = new ArgoCdApp({ outdir, reusePreviousOutput: reuse });
        new ApiObject(new Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { value } });
        app.synth();
      }
      expect(readTree(elsewhere)).toEqual({ 'mine.yaml': 'not the app\'s' });
      expect(fs.lstatSync(outdir).isDirectory()).toBe(true);
      expect(readTree(outdir)['c/configmap_cm.yaml']).toContain('value: two');
      expect(besideOutputs(base)).toEqual(reuse ? ['.out.spare', 'out'] : ['out']);
      if (reuse) expect(fs.lstatSync(spareOf(outdir)).isDirectory()).toBe(true);
    }
  });

  test('a link where the spare goes is removed, not claimed', () => {
    const base = tmpdir();
    const elsewhere = tmpdir();
    plant(elsewhere, { '.gitignore': SPARE_GITIGNORE, 'mine.yaml': 'not the app\'s' });
    const outdir = path.join(base, 'out');
    fs.mkdirSync(outdir);
    fs.symlinkSync(elsewhere, spareOf(outdir));
    const staging = createStaging(outdir, true);
    expect(staging.recycled).toBe(false);
    expect(fs.existsSync(spareOf(outdir))).toBe(false);
    expect(readTree(elsewhere)).toEqual({ '.gitignore': SPARE_GITIGNORE, 'mine.yaml': 'not the app\'s' });
    // without reuse, too
    fs.symlinkSync(elsewhere, spareOf(outdir));
    createStaging(outdir, false);
    expect(fs.existsSync(spareOf(outdir))).toBe(false);
    expect(readTree(elsewhere)).toEqual({ '.gitignore': SPARE_GITIGNORE, 'mine.yaml': 'not the app\'s' });
  });
});
