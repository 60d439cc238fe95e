import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBundle } from '../../lib/app/_bundle';
import { readSynthReport } from '../../lib/cli/_app-runner';

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
      JSON.stringify({ outdir: 'dist', synthdir: first, files: ['a/x.yaml'] }),
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
