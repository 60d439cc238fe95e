import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { buildPlatform } from '../../examples/platform/platform';
import { ArgoCdApp, OUTDIR_OVERRIDE_ENV, SYNTH_BUNDLE_ENV, SYNTH_REPORT_ENV } from '../../lib';
import { BUNDLE_FILE, bundleRecords, parseBundle, readBundle } from '../../lib/app/_bundle';
import { WRITER_THREAD_ENV } from '../../lib/app/_writer-thread';
import { readSynthReport } from '../../lib/cli/_app-runner';
import { configMaps } from '../support/config-maps';
import { readTree } from '../support/files';

const made: string[] = [];
function tmpdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-test-'));
  made.push(d);
  return d;
}
const VARS = [WRITER_THREAD_ENV, OUTDIR_OVERRIDE_ENV, SYNTH_REPORT_ENV, SYNTH_BUNDLE_ENV, 'CDK8S_OUTDIR'];
const was = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  for (const v of VARS) {
    if (was[v] === undefined) delete process.env[v];
    else process.env[v] = was[v];
  }
});

const entryPath = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }).filter((p) => !p.includes('\0'));
const content = fc.string({ maxLength: 200, unit: fc.constantFrom('a', '\n', '\0', '9', 'ü', '✓', '\u{1F600}', ' ', ':') });
const entries = fc.uniqueArray(fc.record({ path: entryPath, content }), { selector: (e) => e.path, maxLength: 12 });

describe('the synthesis bundle', () => {
  test('holds any files: every path and content comes back as written', () => {
    fc.assert(fc.property(entries, (es) => {
      const back = parseBundle(bundleRecords(es));
      expect([...back.keys()]).toEqual(es.map((e) => e.path));
      for (const e of es) expect(back.get(e.path)!.toString('utf-8')).toBe(e.content);
    }));
  });

  test('refuses a bundle cut short anywhere inside a record', () => {
    fc.assert(fc.property(entries.filter((es) => es.length > 0), fc.nat(), (es, at) => {
      const bytes = bundleRecords(es);
      // every record boundary is a valid end; any other cut must be refused
      const ends = new Set<number>([0]);
      let end = 0;
      for (const e of es) {
        end += Buffer.byteLength(`${e.path}\0${Buffer.byteLength(e.content)}\n`) + Buffer.byteLength(e.content);
        ends.add(end);
      }
      const cut = at % bytes.length;
      if (ends.has(cut)) return;
      expect(() => parseBundle(bytes.subarray(0, cut))).toThrow(/malformed synthesis bundle/);
    }));
  });

  test('refuses a path twice, a bad length, and a path holding NUL', () => {
    const twice = Buffer.concat([bundleRecords([{ path: 'a', content: 'x' }]), bundleRecords([{ path: 'a', content: 'y' }])]);
    expect(() => parseBundle(twice)).toThrow('malformed synthesis bundle: a occurs twice');
    expect(() => parseBundle(Buffer.from('a\x0001\nx'))).toThrow(/no '<path>\\0<length>\\n' header/);
    expect(() => parseBundle(Buffer.from('a\x00-1\nx'))).toThrow(/no '<path>\\0<length>\\n' header/);
    expect(() => parseBundle(Buffer.from('a\x005\nx'))).toThrow('says 5 bytes, but only 1 follow');
    expect(() => bundleRecords([{ path: 'a\0b', content: '' }])).toThrow(/path holds a NUL character/);
    expect(parseBundle(Buffer.alloc(0)).size).toBe(0);
  });
});

/** The tree a normal synthesis writes. */
function treeOf(build: (outdir: string) => ArgoCdApp): Record<string, string> {
  for (const v of [OUTDIR_OVERRIDE_ENV, SYNTH_REPORT_ENV, SYNTH_BUNDLE_ENV, 'CDK8S_OUTDIR']) delete process.env[v];
  const outdir = path.join(tmpdir(), 'out');
  build(outdir).synth();
  return readTree(outdir);
}

/** Synthesizes as `cdk8s-argocd check` has the app do; returns the report's outputs and what the scratch area holds. */
function checkSynth(mode: string, build: (outdir: string) => ArgoCdApp) {
  const scratch = tmpdir();
  const committed = path.join(scratch, 'committed');
  process.env[WRITER_THREAD_ENV] = mode;
  process.env[OUTDIR_OVERRIDE_ENV] = path.join(scratch, 'synth');
  process.env[SYNTH_REPORT_ENV] = path.join(scratch, 'report.jsonl');
  process.env[SYNTH_BUNDLE_ENV] = '1';
  process.env.CDK8S_OUTDIR = path.join(scratch, 'cdk8s-out');
  const app = build(committed);
  app.synth();
  const lines = fs.readFileSync(process.env[SYNTH_REPORT_ENV]!, 'utf-8').trim().split('\n').map((l) => JSON.parse(l));
  const outputs = readSynthReport(process.env[SYNTH_REPORT_ENV]!, scratch, undefined);
  const contents = (o: (typeof outputs)[number]) => Object.fromEntries(o.files.map((f) => [f, o.read(f).toString('utf-8')]));
  return { app, lines, outputs, contents, scratch, committed };
}

describe('synthesis for the drift check', () => {
  for (const mode of ['never', 'always']) {
    test(`writes one bundle with the bytes a synthesis writes (flagship example, writer thread ${mode})`, () => {
      const want = treeOf((outdir) => buildPlatform(outdir));
      const got = checkSynth(mode, (outdir) => buildPlatform(outdir));
      expect(got.app._lastWriter).toBe(mode === 'never' ? 'main' : 'thread');
      // the app announces the directory it commits as it is constructed, then reports what it wrote
      expect(got.lines).toHaveLength(2);
      expect(got.lines[0]).toEqual({ announce: true, outdir: got.committed });
      const line = got.lines[1];
      expect(line.outdir).toBe(got.committed);
      expect(fs.readdirSync(line.synthdir)).toEqual([BUNDLE_FILE]);
      expect(line.bundle).toBe(path.join(line.synthdir, BUNDLE_FILE));
      expect(line.files).toEqual(Object.keys(want).sort());
      expect(got.outputs).toHaveLength(1);
      expect(got.contents(got.outputs[0])).toEqual(want);
      // the copy for CDK8S_OUTDIR is left out: the check reads the report
      expect(fs.existsSync(path.join(got.scratch, 'cdk8s-out'))).toBe(false);
      expect(fs.existsSync(got.committed)).toBe(false);
    });
  }

  test('writes the same bundle on either thread, more files than one batch of the thread', () => {
    const main = checkSynth('never', (outdir) => configMaps(outdir, 900));
    const thread = checkSynth('always', (outdir) => configMaps(outdir, 900));
    expect(thread.app._lastWriter).toBe('thread');
    expect(main.outputs[0].files).toHaveLength(900);
    expect(thread.contents(thread.outputs[0])).toEqual(main.contents(main.outputs[0]));
    expect(main.contents(main.outputs[0])).toEqual(treeOf((outdir) => configMaps(outdir, 900)));
  });

  test('an app whose report cannot be written to is still constructed: the announcement is only a head start', () => {
    process.env[SYNTH_REPORT_ENV] = path.join(tmpdir(), 'no-such-dir', 'report.jsonl');
    expect(() => new ArgoCdApp({ outdir: tmpdir() })).not.toThrow();
  });

  test('an app without objects writes an empty bundle', () => {
    for (const mode of ['never', 'always']) {
      const got = checkSynth(mode, (outdir) => new ArgoCdApp({ outdir }));
      expect(got.lines[1].files).toEqual([]);
      expect(readBundle(got.lines[1].bundle).size).toBe(0);
    }
  });

  test('writes files, not a bundle, unless all three of the check\'s variables are set', () => {
    const scratch = tmpdir();
    process.env[SYNTH_BUNDLE_ENV] = '1';
    process.env[OUTDIR_OVERRIDE_ENV] = path.join(scratch, 'synth');
    const app = configMaps(path.join(scratch, 'committed'), 3);
    app.synth();
    expect(Object.keys(readTree(path.join(scratch, 'synth'))).sort()).toEqual(['chart0/configmap_ns-0_cm-0.yaml', 'chart1/configmap_ns-0_cm-0.yaml', 'chart2/configmap_ns-0_cm-0.yaml']);
  });
});
