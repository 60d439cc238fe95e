// What a synthesis never does to files it did not write, and how it recovers from a killed one:
// lib/app/_write.ts (work directory, leftovers, the swap) and lib/app/argocd-app.ts (paths, names).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { afterEach, describe, expect, test } from 'vitest';
import { Application, ApplicationSource, AppProject, ArgoCdApp, Destination } from '../../lib';
import { createStaging, recoverOutput, workDirOf, WORK_GITIGNORE } from '../../lib/app/_write';
import { readTree, scratchDirs, besideOutputs } from '../support/files';

const scratch = scratchDirs('output-safety-test');
const tmpdir = scratch.make;
afterEach(() => scratch.removeAll());

function app(outdir: string, names: string[] = ['a'], data = '1'): ArgoCdApp {
  const a = new ArgoCdApp({ outdir });
  const c = new Chart(a, 'c');
  for (const n of names) new ApiObject(c, n, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: 'ns' }, data: { v: data } } as any);
  return a;
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf-8' });
  return Number(child.stdout);
}

describe('what a synthesis leaves and finds', () => {
  test('removes what killed syntheses left in the work directory, and the staging directories of earlier versions', () => {
    const base = tmpdir();
    const outdir = path.join(base, 'out');
    app(outdir).synth();
    // GIVEN a staging directory and a previous output of a process that was killed, one of a
    // running process (this one), and a staging directory as earlier versions named it
    const work = workDirOf(outdir);
    fs.mkdirSync(work, { recursive: true });
    fs.writeFileSync(path.join(work, '.gitignore'), WORK_GITIGNORE);
    const dead = deadPid();
    for (const d of [`${dead}-sAbc123`, `${dead}-sAbc124.previous`, `${process.pid}-sMine00`]) {
      fs.mkdirSync(path.join(work, d, 'c'), { recursive: true });
      fs.writeFileSync(path.join(work, d, 'c', 'x.yaml'), 'left');
    }
    fs.mkdirSync(path.join(base, '.out.synth-Old123', 'c'), { recursive: true });
    // WHEN the next synthesis runs
    app(outdir, ['a'], '2').synth();
    // THEN only what a running process owns is left, and the output is the new one
    expect(fs.readdirSync(work).sort()).toEqual(['.gitignore', `${process.pid}-sMine00`]);
    expect(fs.readdirSync(base).sort()).toEqual(['.out.spare', '.out.synth', 'out']);
    expect(readTree(outdir)['c/configmap_ns_a.yaml']).toContain("v: '2'");
  });

  test('the work directory holds nothing once a synthesis is done, and git never sees a staging directory', () => {
    const repo = tmpdir();
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const outdir = path.join(repo, 'dist');
    // GIVEN a staging directory being filled (as a killed process would leave it)
    const staging = createStaging(outdir, false);
    fs.mkdirSync(path.join(staging.dir, 'c'));
    fs.writeFileSync(path.join(staging.dir, 'c', 'x.yaml'), 'x');
    // THEN git does not see it
    expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo, encoding: 'utf-8' })).toBe('');
    fs.rmSync(staging.dir, { recursive: true });
    // WHEN a synthesis completes, nothing but the output and the spare is beside it
    app(outdir).synth();
    app(outdir).synth();
    expect(besideOutputs(repo)).toEqual(['.dist.spare', '.git', 'dist']);
    expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo, encoding: 'utf-8' })).toBe('?? dist/c/configmap_ns_a.yaml\n');
  });

  test('a kill between the two renames of the swap: the next synthesis puts the previous output back first', () => {
    const base = tmpdir();
    const outdir = path.join(base, 'out');
    app(outdir, ['a', 'b']).synth();
    const old = readTree(outdir);
    // GIVEN the state a process killed between the renames leaves: no output directory, the
    // previous output and the new (complete) staging directory in the work directory
    const work = workDirOf(outdir);
    fs.mkdirSync(work, { recursive: true });
    fs.writeFileSync(path.join(work, '.gitignore'), WORK_GITIGNORE);
    const dead = deadPid();
    fs.renameSync(outdir, path.join(work, `${dead}-sKill01.previous`));
    fs.mkdirSync(path.join(work, `${dead}-sKill01`));
    expect(fs.existsSync(outdir)).toBe(false);
    // WHEN recovery runs (the first step of every synthesis)
    expect(recoverOutput(outdir)).toBe(true);
    // THEN the previous output is back, whole
    expect(readTree(outdir)).toEqual(old);
    expect(recoverOutput(outdir)).toBe(false);
    // and a synthesis afterwards leaves nothing of the killed one
    app(outdir, ['a']).synth();
    expect(fs.readdirSync(work)).toEqual(['.gitignore']);
    expect(Object.keys(readTree(outdir))).toEqual(['c/configmap_ns_a.yaml']);
  });

  test('fails, deleting nothing, when a regular file is where the output directory or the spare goes', () => {
    const base = tmpdir();
    const outdir = path.join(base, 'out');
    fs.writeFileSync(outdir, 'my notes');
    expect(() => app(outdir).synth()).toThrow(`the output directory ${outdir} is a file; a synthesis replaces its output directory as a whole and never deletes a file it did not write: move the file away or choose another outdir`);
    expect(fs.readFileSync(outdir, 'utf-8')).toBe('my notes');
    fs.rmSync(outdir);
    fs.writeFileSync(path.join(base, '.out.spare'), 'more notes');
    expect(() => app(outdir).synth()).toThrow(`${path.join(base, '.out.spare')} is a file, where cdk8s-argocd keeps the previous output of ${outdir} (see reusePreviousOutput); nothing was written: move the file away`);
    expect(fs.readFileSync(path.join(base, '.out.spare'), 'utf-8')).toBe('more notes');
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('fails, deleting nothing, when the output directory holds what the library does not write (a repository root)', () => {
    const repo = tmpdir();
    fs.mkdirSync(path.join(repo, '.git'));
    fs.mkdirSync(path.join(repo, 'src'));
    fs.writeFileSync(path.join(repo, 'src', 'main.ts'), 'code');
    expect(() => app(repo).synth()).toThrow(`the output directory ${repo} holds '.git', which cdk8s-argocd does not write (it writes directories and .yaml files); a synthesis replaces its output directory as a whole and would delete it: move it away, or give the app an outdir of its own such as 'dist'`);
    expect(readTree(path.join(repo, 'src'))).toEqual({ 'main.ts': 'code' });
    fs.rmdirSync(path.join(repo, '.git'));
    fs.writeFileSync(path.join(repo, 'package.json'), '{}');
    expect(() => app(repo).synth()).toThrow(`holds 'package.json'`);
    expect(fs.readdirSync(repo).sort()).toEqual(['package.json', 'src']);
  });
});

describe('paths and names', () => {
  test('fails when a construct id would put a chart\'s files outside the output directory', () => {
    const base = tmpdir();
    const outdir = path.join(base, 'out');
    for (const make of [
      (a: ArgoCdApp) => new Chart(a, '..'),
      (a: ArgoCdApp) => new Chart(new Construct(a, '..'), 'c'),
      (a: ArgoCdApp) => new Chart(new Construct(a, '.'), 'c'),
    ]) {
      const a = new ArgoCdApp({ outdir });
      new ApiObject(make(a), 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
      expect(() => a.synth()).toThrow(/construct id '\.\.?' cannot be a directory of the output \(the chart's directory is made of its construct ids\); rename the construct, or give the chart a directory with OutputDirectory\.set\(chart, 'apps\/api'\)/);
    }
    expect(fs.readdirSync(base)).toEqual([]);
  });

  test('a name longer than a file name can be is shortened deterministically: 233 characters, -, 16 hex digits of its SHA-256', () => {
    const outdir = path.join(tmpdir(), 'out');
    const long = `${'a'.repeat(120)}.${'b'.repeat(119)}`;
    const a = new ArgoCdApp({ outdir });
    const c = new Chart(a, 'c');
    const project = AppProject.fromProjectName(c, 'project', 'default');
    const source = ApplicationSource.git({ repoUrl: 'https://github.com/myorg/infra.git', targetRevision: 'main', path: 'apps/api' });
    for (const [id, name] of [['app', long], ['other', `${long.slice(0, -1)}c`]]) {
      new Application(c, id, { name, project, source, destination: Destination.inCluster('api') });
    }
    a.synth();
    const files = Object.keys(readTree(outdir)).map((f) => f.slice('c/'.length));
    const base = (name: string) => `application_argocd_${name}`;
    const hash = (name: string) => require('crypto').createHash('sha256').update(base(name)).digest('hex').slice(0, 16);
    expect(files.sort()).toEqual([
      `${base(long).slice(0, 233)}-${hash(long)}.yaml`,
      `${base(long).slice(0, 233)}-${hash(`${long.slice(0, -1)}c`)}.yaml`,
    ].sort());
    expect(files.every((f) => Buffer.byteLength(f) === 255)).toBe(true);
  });

  test('fails when a construct id is longer than a directory name can be', () => {
    const a = new ArgoCdApp({ outdir: path.join(tmpdir(), 'out') });
    new ApiObject(new Chart(a, 'x'.repeat(256)), 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(() => a.synth()).toThrow(`construct id '${'x'.repeat(256)}' is 256 bytes, longer than a file system allows for a directory name (255)`);
  });
});
