import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { SPARE_GITIGNORE } from '../../lib/app/_write';
import { afterEach, describe, expect, it } from 'vitest';
import { besideOutputs } from '../support/files';
import { compareOutput, driftSummary, unifiedDiff } from '../../lib/cli/check';
import { spawnSync } from 'child_process';
import { bundleOutput, listFiles, treeOutput } from '../../lib/cli/_app-runner';
import { writeBundle } from '../../lib/app/_bundle';
import { CommittedFiles } from '../../lib/cli/_committed';
import { REPO_ROOT, TSX, cli, makeProject, snapshot, spawnCli } from './_fixture';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-tree-'));
  made.push(dir);
  for (const [f, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), content);
  }
  return dir;
}

describe('compareOutput', () => {
  // paths from a small alphabet, so that the two sides share many; contents from two values, so
  // that many shared files are equal and many are not
  const relPath = fc.array(fc.constantFrom('a', 'b', 'B', 'c.yaml', 'é.yaml', 'a-b'), { minLength: 1, maxLength: 3 }).map((p) => p.join('/'));
  const side = fc.dictionary(relPath, fc.constantFrom('x: 1\n', 'x: 2\n'), { maxKeys: 20 });
  it('property: changed, missing and stale are what a comparison through sets finds, in path order, whatever order the files are listed in', () => {
    fc.assert(fc.property(side, side, fc.boolean(), (producedFiles, committedFiles, shuffle) => {
      const outdir = path.resolve('/committed');
      const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      const produced = Object.keys(producedFiles).sort(byPath);
      const committed = Object.keys(committedFiles).sort(byPath);
      const ahead = new CommittedFiles(outdir, committed, new Map(committed.map((f) => [f, Buffer.from(committedFiles[f])])));
      const listed = shuffle ? [...produced].reverse() : produced;
      const report = compareOutput({ outdir, synthdir: '/scratch', files: listed, read: (f) => Buffer.from(producedFiles[f]) }, ahead);
      const inCommitted = new Set(committed);
      const inProduced = new Set(produced);
      expect(report.missing).toEqual(produced.filter((f) => !inCommitted.has(f)));
      expect(report.stale).toEqual(committed.filter((f) => !inProduced.has(f)));
      expect(report.changed.map((c) => c.file)).toEqual(produced.filter((f) => inCommitted.has(f) && committedFiles[f] !== producedFiles[f]));
      expect(report.files).toBe(produced.length);
    }), { numRuns: 300 });
  });

  it('finds nothing when the trees are equal', () => {
    const synth = tree({ 'a/x.yaml': 'x: 1\n', 'y.yaml': 'y: 2\n' });
    const committed = tree({ 'a/x.yaml': 'x: 1\n', 'y.yaml': 'y: 2\n' });
    expect(compareOutput(treeOutput(committed, synth, ['a/x.yaml', 'y.yaml']))).toEqual({ outdir: committed, files: 2, changed: [], missing: [], stale: [] });
  });

  it('reports changed, missing and stale files', () => {
    const synth = tree({ 'a/x.yaml': 'x: 1\n', 'b/new.yaml': 'n: 1\n', 'same.yaml': 's\n' });
    const committed = tree({ 'a/x.yaml': 'x: 0\n', 'old/gone.yaml': 'g\n', 'same.yaml': 's\n' });
    const r = compareOutput(treeOutput(committed, synth, ['a/x.yaml', 'b/new.yaml', 'same.yaml']));
    expect(r.changed.map((c) => c.file)).toEqual(['a/x.yaml']);
    expect(r.changed[0].diff.split('\n').slice(0, 6)).toEqual(['--- a/a/x.yaml', '+++ b/a/x.yaml', '@@ -1,1 +1,1 @@', '-x: 0', '+x: 1', '']);
    expect(r.missing).toEqual(['b/new.yaml']);
    expect(r.stale).toEqual(['old/gone.yaml']);
  });

  it('compares whole contents: same size but other bytes, one byte more, and files larger than its read buffer', () => {
    const big = 'k: v\n'.repeat(300_000); // 1.5 MB
    const synth = tree({ 'same-size.yaml': 'a: 1\n', 'longer.yaml': 'a: 1\n\n', 'big-same.yaml': big, 'big-end.yaml': `${big}x: 1\n`, 'big-start.yaml': `x${big}`, 'empty.yaml': '' });
    const committed = tree({ 'same-size.yaml': 'a: 2\n', 'longer.yaml': 'a: 1\n', 'big-same.yaml': big, 'big-end.yaml': `${big}x: 2\n`, 'big-start.yaml': `y${big}`, 'empty.yaml': '' });
    const r = compareOutput(treeOutput(committed, synth, ['same-size.yaml', 'longer.yaml', 'big-same.yaml', 'big-end.yaml', 'big-start.yaml', 'empty.yaml']));
    expect(r.changed.map((c) => c.file)).toEqual(['big-end.yaml', 'big-start.yaml', 'longer.yaml', 'same-size.yaml']);
    expect(r.changed.find((c) => c.file === 'big-end.yaml')!.diff).toContain('-x: 2\n+x: 1');
  });

  it('treats a committed directory that does not exist as all missing', () => {
    const synth = tree({ 'x.yaml': 'x\n' });
    const r = compareOutput(treeOutput(path.join(synth, 'nope'), synth, ['x.yaml']));
    expect(r.missing).toEqual(['x.yaml']);
  });

  it('compares a bundle as it compares a tree: the same report from the same contents', () => {
    const big = 'k: v\n'.repeat(300_000);
    const contents: Record<string, string> = { 'a/x.yaml': 'x: 1\n', 'b/new.yaml': 'n: 1\n', 'same.yaml': 's\n', 'big.yaml': `${big}x: 1\n`, 'empty.yaml': '', 'ü.yaml': 'ä: ö\n' };
    const committed = tree({ 'a/x.yaml': 'x: 0\n', 'old/gone.yaml': 'g\n', 'same.yaml': 's\n', 'big.yaml': `${big}x: 2\n`, 'empty.yaml': '', 'ü.yaml': 'ä: ö\n' });
    const synth = tree(contents);
    const files = Object.keys(contents).sort();
    const bundleDir = tree({});
    const bundle = path.join(bundleDir, 'synthesis.bundle');
    writeBundle(bundle, Object.entries(contents).reverse().map(([p, content]) => ({ path: p, content })));
    const fromTree = compareOutput(treeOutput(committed, synth, files));
    const fromBundle = compareOutput(bundleOutput(committed, bundleDir, files, bundle));
    expect(fromBundle).toEqual(fromTree);
    expect(fromBundle.changed.map((c) => c.file)).toEqual(['a/x.yaml', 'big.yaml']);
    expect(fromBundle.missing).toEqual(['b/new.yaml']);
    expect(fromBundle.stale).toEqual(['old/gone.yaml']);
  });

  it('compares with the committed files read ahead as with the files on disk, a file too large to be held read from disk', () => {
    const big = 'k: v\n'.repeat(300_000);
    const contents: Record<string, string> = { 'a/x.yaml': 'x: 1\n', 'b/new.yaml': 'n: 1\n', 'same.yaml': 's\n', 'big.yaml': `${big}x: 1\n`, 'big-same.yaml': big, 'empty.yaml': '' };
    const committed = tree({ 'a/x.yaml': 'x: 0\n', 'old/gone.yaml': 'g\n', 'same.yaml': 's\n', 'big.yaml': `${big}x: 2\n`, 'big-same.yaml': big, 'empty.yaml': '' });
    const synth = tree(contents);
    const files = Object.keys(contents).sort();
    const ahead = CommittedFiles.read(committed);
    expect(ahead.get('big.yaml')).toBeUndefined();
    const fromDisk = compareOutput(treeOutput(committed, synth, files));
    expect(compareOutput(treeOutput(committed, synth, files), ahead)).toEqual(fromDisk);
    expect(fromDisk.changed.map((c) => c.file)).toEqual(['a/x.yaml', 'big.yaml']);
    expect(fromDisk.missing).toEqual(['b/new.yaml']);
    expect(fromDisk.stale).toEqual(['old/gone.yaml']);
    // the files read ahead are what is compared: a file changed on disk since is not seen
    fs.writeFileSync(path.join(committed, 'same.yaml'), 'changed\n');
    expect(compareOutput(treeOutput(committed, synth, files), ahead).changed.map((c) => c.file)).toEqual(['a/x.yaml', 'big.yaml']);
    // files read ahead of another directory are refused
    expect(() => compareOutput(treeOutput(synth, synth, files), ahead)).toThrow(`the files read ahead are of ${committed}, not of the committed output ${synth}`);
  });

  it('refuses a bundle that does not hold the files the app reported', () => {
    const dir = tree({});
    const bundle = path.join(dir, 'synthesis.bundle');
    writeBundle(bundle, [{ path: 'a.yaml', content: 'a\n' }]);
    expect(() => bundleOutput(dir, dir, ['a.yaml', 'b.yaml'], bundle)).toThrow(/holds 1 files, which are not the 2 files the app reported/);
    expect(() => bundleOutput(dir, dir, ['b.yaml'], bundle)).toThrow(/holds 1 files, which are not the 1 files/);
    expect(() => bundleOutput(dir, dir, ['a.yaml'], bundle).read('b.yaml')).toThrow(`b.yaml is not in the app's synthesis bundle ${bundle}`);
  });

  it('summarizes drift with the command that fixes it', () => {
    const r = { outdir: '/repo/examples/platform/dist', files: 9, changed: [{ file: 'a', diff: '' }, { file: 'b', diff: '' }], missing: ['c'], stale: ['d'] };
    expect(driftSummary([r], '/repo', 'npx cdk8s synth')).toBe("drift: 2 changed, 1 missing, 1 stale (examples/platform/dist); run 'npx cdk8s synth' to update");
    expect(driftSummary([{ ...r, changed: [], missing: [], stale: [] }], '/repo', 'x')).toBe('ok: 9 files up to date (examples/platform/dist)');
  });

  it('writes a unified diff', () => {
    expect(unifiedDiff('f.yaml', 'a\nb\n', 'a\nc\n')).toBe('--- a/f.yaml\n+++ b/f.yaml\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n');
  });
});

describe('cdk8s-argocd check (end to end)', () => {
  it('passes on a clean tree and modifies nothing', () => {
    const dir = makeProject();
    made.push(dir);
    const before = snapshot(dir);
    const r = spawnCli(dir, ['check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok: 12 files up to date (dist)\n');
    expect(snapshot(dir)).toEqual(before);
  });

  it('fails when a committed file was edited, with a diff', async () => {
    const dir = makeProject();
    made.push(dir);
    const file = path.join(dir, 'dist/workloads/api/deployment_api_api.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf-8').replace('api:1.0.0', 'api:0.9.0'));
    const before = snapshot(dir);
    const r = await cli(dir, ['check']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('changed: dist/workloads/api/deployment_api_api.yaml');
    expect(lines).toContain('-        - image: api:0.9.0');
    expect(lines).toContain('+        - image: api:1.0.0');
    expect(lines.at(-2)).toBe("drift: 1 changed, 0 missing, 0 stale (dist); run 'npx cdk8s synth' to update");
    expect(snapshot(dir)).toEqual(before);
  });

  it('fails when a committed file was deleted', async () => {
    const dir = makeProject();
    made.push(dir);
    fs.rmSync(path.join(dir, 'dist/workloads/web/configmap_web_web-config.yaml'));
    const r = await cli(dir, ['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('missing: dist/workloads/web/configmap_web_web-config.yaml');
    expect(r.stdout).toContain("drift: 0 changed, 1 missing, 0 stale (dist); run 'npx cdk8s synth' to update\n");
  });

  it('fails when a stale file is committed, and reports it as JSON', async () => {
    const dir = makeProject();
    made.push(dir);
    fs.writeFileSync(path.join(dir, 'dist/apps/application_argocd_old.yaml'), 'kind: Application\n');
    const before = snapshot(dir);
    const r = await cli(dir, ['check', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      outputs: [{ outdir: 'dist', files: 12, changed: [], missing: [], stale: ['apps/application_argocd_old.yaml'] }],
      summary: "drift: 0 changed, 0 missing, 1 stale (dist); run 'npx cdk8s synth' to update",
    });
    expect(snapshot(dir)).toEqual(before);
  });

  it('fails with exit code 2 and the error when synthesis fails', async () => {
    const dir = makeProject();
    made.push(dir);
    const before = snapshot(dir);
    const r = await cli(dir, ['check'], { FIXTURE_MODE: 'invalid' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[apps] spec.source is missing: an Application needs at least one source');
    expect(r.stdout).toMatch(/^error: synthesis failed \('.*' exited with code 1\); nothing was compared\n$/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('fails with exit code 2 when there is no app to run', async () => {
    const dir = tree({});
    const r = await cli(dir, ['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: no app to run: pass --app '<command>' or run in a folder whose cdk8s.yaml has an 'app:' entry");
  });

  it('compares each of several ArgoCdApps with its own output directory', async () => {
    const dir = tree({});
    const app = `${TSX} ${path.join(REPO_ROOT, 'test/fixtures/cli-apps/two-apps.ts')}`;
    expect(spawnSync(app, { cwd: dir, shell: true }).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'out-two/config/stale.yaml'), 'x\n');
    const r = await cli(dir, ['check', '--app', app]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`stale: out-two/config/stale.yaml (committed; synthesis no longer produces it)\ndrift: 0 changed, 0 missing, 1 stale (out-two); run '${app}' to update\n`);
    expect(besideOutputs(dir)).toEqual(['out-one', 'out-two']);
  });

  it('fails with exit code 2 when the app synthesizes nothing: a check that compares nothing cannot fail', async () => {
    const dir = tree({});
    for (const app of ['true', `${process.execPath} -e "0"`]) {
      const r = await cli(dir, ['check', '--app', app]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`error: '${app}' exited 0 but synthesized no files (no app reported a synthesis: does the program call app.synth()?); nothing was compared, and a drift check that compares nothing cannot fail`);
    }
  });

  it('fails on what git records besides the bytes: an executable bit, a link with the same bytes, a dangling link, a FIFO; never hangs or crashes', async () => {
    const dir = makeProject();
    made.push(dir);
    const dist = path.join(dir, 'dist');
    const [exec, linked, dangling, fifo] = listFiles(dist).slice(0, 4).map((f) => path.join(dist, f));
    fs.chmodSync(exec, 0o755);
    const copy = path.join(dir, 'elsewhere.yaml');
    fs.copyFileSync(linked, copy);
    fs.rmSync(linked);
    fs.symlinkSync(copy, linked);
    fs.rmSync(dangling);
    fs.symlinkSync(path.join(dir, 'nowhere.yaml'), dangling);
    fs.rmSync(fifo);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = await cli(dir, ['check', '--json']);
    expect(r.code).toBe(1);
    const rel = (f: string) => path.relative(path.join(dir, 'dist'), f);
    expect(JSON.parse(r.stdout).outputs[0].changed).toEqual([
      { file: rel(exec), diff: '', reason: 'committed with an executable bit (mode 755, which git records as 100755); synthesis writes 100644 files: chmod -x it' },
      { file: rel(linked), diff: '', reason: `committed as a symbolic link (to ${copy}); synthesis writes a regular file` },
      { file: rel(dangling), diff: '', reason: `committed as a symbolic link (to ${path.join(dir, 'nowhere.yaml')}); synthesis writes a regular file` },
      { file: rel(fifo), diff: '', reason: 'committed as a FIFO; synthesis writes a regular file' },
    ].sort((a, b) => (a.file < b.file ? -1 : 1)));
  });

  it('compares a committed directory named like a spare inside the output: only the spare beside the output is the library\'s', async () => {
    const dir = makeProject();
    made.push(dir);
    const inside = path.join(dir, 'dist/.x.spare');
    fs.mkdirSync(inside);
    fs.writeFileSync(path.join(inside, '.gitignore'), SPARE_GITIGNORE);
    fs.writeFileSync(path.join(inside, 'secret-app.yaml'), 'kind: Application\n');
    const r = await cli(dir, ['check', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).outputs[0].stale).toEqual(['.x.spare/.gitignore', '.x.spare/secret-app.yaml']);
  });
});
