import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBundle } from '../../lib/app/_bundle';
import { directCommand, readSynthReport, runApp } from '../../lib/cli/_app-runner';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function scratch(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'app-runner-test-'));
  made.push(d);
  return d;
}

const text = (o: { files: string[]; read(f: string): Buffer }) => Object.fromEntries(o.files.map((f) => [f, o.read(f).toString('utf-8')]));

describe('readSynthReport', () => {
  it('reads bundled and tree outputs, one per committed directory, the last report line winning', () => {
    const dir = scratch();
    const report = path.join(dir, 'report.jsonl');
    const first = path.join(dir, 'synth', 'app-1');
    fs.mkdirSync(path.join(first, 'a'), { recursive: true });
    fs.writeFileSync(path.join(first, 'a', 'x.yaml'), 'old: 1\n');
    const second = path.join(dir, 'synth', 'app-2');
    fs.mkdirSync(second, { recursive: true });
    writeBundle(path.join(second, 'synthesis.bundle'), [{ path: 'b.yaml', content: 'b: 2\n' }, { path: 'a/x.yaml', content: 'new: 1\n' }]);
    const third = path.join(dir, 'synth', 'app-3');
    fs.mkdirSync(third, { recursive: true });
    fs.writeFileSync(path.join(third, 'y.yaml'), 'y: 3\n');
    fs.writeFileSync(report, [
      JSON.stringify({ announce: true, outdir: path.join(dir, 'dist') }),
      JSON.stringify({ outdir: 'dist', synthdir: first, files: ['a/x.yaml'] }),
      JSON.stringify({ announce: true, outdir: null }),
      JSON.stringify({ outdir: 'dist', synthdir: second, files: ['b.yaml', 'a/x.yaml'], bundle: path.join(second, 'synthesis.bundle') }),
      JSON.stringify({ outdir: null, synthdir: third, files: ['y.yaml'] }),
      '',
    ].join('\n'));
    const outputs = readSynthReport(report, dir, 'cdk8s.out');
    expect(outputs.map((o) => o.outdir)).toEqual([path.join(dir, 'dist'), path.join(dir, 'cdk8s.out')]);
    expect(outputs[0].files).toEqual(['a/x.yaml', 'b.yaml']);
    expect(text(outputs[0])).toEqual({ 'a/x.yaml': 'new: 1\n', 'b.yaml': 'b: 2\n' });
    expect(text(outputs[1])).toEqual({ 'y.yaml': 'y: 3\n' });
  });

  it('falls back to what a plain cdk8s App wrote to CDK8S_OUTDIR when no ArgoCdApp reported', () => {
    const dir = scratch();
    const cliOut = path.join(dir, 'cdk8s-out');
    fs.mkdirSync(cliOut);
    fs.writeFileSync(path.join(cliOut, 'chart.k8s.yaml'), 'kind: ConfigMap\n');
    const outputs = readSynthReport(path.join(dir, 'no-report.jsonl'), dir, undefined, cliOut);
    expect(outputs).toHaveLength(1);
    expect(outputs[0].outdir).toBe(path.join(dir, 'dist'));
    expect(text(outputs[0])).toEqual({ 'chart.k8s.yaml': 'kind: ConfigMap\n' });
    expect(readSynthReport(path.join(dir, 'no-report.jsonl'), dir, undefined)).toEqual([]);
  });

  it('names a bundle that does not hold what the app reported', () => {
    const dir = scratch();
    const bundle = path.join(dir, 'synthesis.bundle');
    writeBundle(bundle, [{ path: 'a.yaml', content: 'a\n' }]);
    const report = path.join(dir, 'report.jsonl');
    fs.writeFileSync(report, `${JSON.stringify({ outdir: 'dist', synthdir: dir, files: ['b.yaml'], bundle })}\n`);
    expect(() => readSynthReport(report, dir, undefined)).toThrow(`the app's synthesis bundle ${bundle} holds 1 files, which are not the 1 files the app reported`);
  });
});

describe('runApp', () => {
  /**
   * An app command (a script written into `dir`) that announces `dirs` (relative to the working
   * directory; null for none configured) and, a moment later, removes `remove` (when given) and
   * reports each directory as written.
   */
  function fakeApp(dir: string, dirs: (string | null)[], exitCode = 0, remove?: string): string {
    const script = path.join(dir, `app-${dirs.join('-')}-${exitCode}.js`);
    fs.writeFileSync(script, `
      const fs = require('fs');
      const path = require('path');
      const report = process.env.CDK8S_ARGOCD_REPORT;
      const dirs = ${JSON.stringify(dirs)};
      for (const d of dirs) fs.appendFileSync(report, JSON.stringify({ announce: true, outdir: d === null ? null : path.resolve(d) }) + '\\n');
      setTimeout(() => {
        ${remove ? `fs.rmSync(${JSON.stringify(remove)}, { recursive: true });` : ''}
        for (const d of dirs) {
          const synthdir = path.join(process.env.CDK8S_ARGOCD_OUTDIR, String(d));
          fs.mkdirSync(synthdir, { recursive: true });
          fs.writeFileSync(path.join(synthdir, 'x.yaml'), 'x: 1\\n');
          fs.appendFileSync(report, JSON.stringify({ outdir: d === null ? null : path.resolve(d), synthdir, files: ['x.yaml'] }) + '\\n');
        }
        process.exit(${exitCode});
      }, 300);
    `);
    return `node ${JSON.stringify(script)}`;
  }

  it('reads each directory an app announces while the app runs', async () => {
    const dir = scratch();
    fs.mkdirSync(path.join(dir, 'one', 'a'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'one', 'a', 'x.yaml'), 'x: 0\n');
    fs.mkdirSync(path.join(dir, 'out'));
    fs.writeFileSync(path.join(dir, 'out', 'y.yaml'), 'y\n');
    // the app removes a committed file before it ends: only a read while it ran holds it
    const run = await runApp({ command: fakeApp(dir, ['one', null], 0, path.join(dir, 'one', 'a')), cwd: dir, env: process.env, cdk8sOutput: 'out', readAhead: {} });
    try {
      expect(run.exitCode).toBe(0);
      expect(run.outputs.map((o) => o.outdir).sort()).toEqual([path.join(dir, 'one'), path.join(dir, 'out')]);
      const one = run.committed(path.join(dir, 'one'))!;
      expect(one.files()).toEqual(['a/x.yaml']);
      expect(one.get('a/x.yaml')!.toString()).toBe('x: 0\n');
      // an app with no output directory of its own commits the cdk8s CLI's
      expect(run.committed(path.join(dir, 'out'))!.files()).toEqual(['y.yaml']);
      expect(run.committed(path.join(dir, 'elsewhere'))).toBeUndefined();
    } finally {
      run.cleanup();
    }
  });

  it('reads only the directories given, when given; nothing without readAhead or when the app fails', async () => {
    const dir = scratch();
    for (const d of ['one', 'given']) {
      fs.mkdirSync(path.join(dir, d));
      fs.writeFileSync(path.join(dir, d, 'x.yaml'), `${d}\n`);
    }
    const given = await runApp({ command: fakeApp(dir, ['one']), cwd: dir, env: process.env, readAhead: { dirs: [path.join(dir, 'given')] } });
    expect(given.committed(path.join(dir, 'given'))!.files()).toEqual(['x.yaml']);
    expect(given.committed(path.join(dir, 'one'))).toBeUndefined();
    given.cleanup();
    const none = await runApp({ command: fakeApp(dir, ['one']), cwd: dir, env: process.env });
    expect(none.committed(path.join(dir, 'one'))).toBeUndefined();
    none.cleanup();
    const failed = await runApp({ command: fakeApp(dir, ['one'], 3), cwd: dir, env: process.env, readAhead: {} });
    expect(failed.exitCode).toBe(3);
    expect(failed.committed(path.join(dir, 'one'))).toBeUndefined();
    failed.cleanup();
  });
});

describe('directCommand', () => {
  const REPO_ROOT = path.resolve(__dirname, '..', '..');
  const loader = pathToFileURL(require.resolve('tsx', { paths: [REPO_ROOT] })).href;

  it('starts `npx tsx <file>` as this Node with tsx\'s loader, where tsx is installed', () => {
    const direct = `"${process.execPath}" --import "${loader}"`;
    expect(directCommand('npx tsx main.ts', REPO_ROOT)).toBe(`${direct} main.ts`);
    expect(directCommand('npx tsx examples/platform/main.ts --flag "a b"', REPO_ROOT)).toBe(`${direct} examples/platform/main.ts --flag "a b"`);
    expect(directCommand('  npx --no-install tsx main.ts', REPO_ROOT)).toBe(`${direct} main.ts`);
    expect(directCommand('tsx main.ts', REPO_ROOT)).toBe(`${direct} main.ts`);
  });

  it('leaves every other command as it is', () => {
    for (const command of ['node main.js', 'npx tsx --tsconfig t.json main.ts', 'npx tsx watch main.ts', 'npx ts-node main.ts', 'npx tsx', 'npx -y tsx main.ts', 'npm run synth']) {
      expect(directCommand(command, REPO_ROOT), command).toBe(command);
    }
    // no tsx installed where the app runs: npx would fetch or find its own
    const elsewhere = scratch();
    expect(directCommand('npx tsx main.ts', elsewhere)).toBe('npx tsx main.ts');
  });

  it('runs the app without npx and without a second Node (runApp)', async () => {
    const dir = scratch();
    const app = path.join(dir, 'app.ts');
    fs.writeFileSync(app, `const how: string = JSON.stringify({ npm: process.env.npm_command ?? null, argv: process.execArgv });\nconsole.log(how);\n`);
    // an environment without npm's variables: npx sets npm_command=exec for what it starts
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
    const run = await runApp({ command: `npx tsx ${app}`, cwd: REPO_ROOT, env });
    expect(run.exitCode).toBe(0);
    expect(run.command).toBe(`npx tsx ${app}`);
    const how = JSON.parse(run.stdout.trim());
    expect(how.npm).toBeNull();
    expect(how.argv).toEqual(['--import', loader]);
    // the same command run as given goes through npx and tsx's own command line
    const viaNpx = spawnSync(`npx tsx ${app}`, { cwd: REPO_ROOT, env, shell: true, encoding: 'utf-8' });
    expect(viaNpx.status).toBe(0);
    expect(JSON.parse(viaNpx.stdout.trim()).npm).toBe('exec');
  }, 60_000);
});
