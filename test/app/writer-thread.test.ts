import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { buildPlatform } from '../../examples/platform/platform';
import { ArgoCdApp, ArgoCdAppProps } from '../../lib';
import { SPARE_GITIGNORE } from '../../lib/app/_write';
import { WRITER_THREAD_ENV, WriterThread, writerThreadWanted } from '../../lib/app/_writer-thread';
import * as yaml from '../../lib/_internal/yaml';
import { thrownMessage } from '../support/errors';
import { configMaps } from '../support/config-maps';
import { readTree, besideOutputs } from '../support/files';

const made: string[] = [];
function tmpdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-thread-test-'));
  made.push(d);
  return d;
}
const envWas = process.env[WRITER_THREAD_ENV];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  if (envWas === undefined) delete process.env[WRITER_THREAD_ENV];
  else process.env[WRITER_THREAD_ENV] = envWas;
  vi.restoreAllMocks();
});

/** A Secret with a value in plain text: the guard fails the synthesis once every object is rendered. */
function plaintextSecret(app: ArgoCdApp): void {
  new ApiObject(new Chart(app, 'secrets'), 'creds', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'ns' }, stringData: { password: 'hunter2' } } as any);
}

function synthWith(mode: string, build: (outdir: string) => ArgoCdApp): { tree: Record<string, string>; writer: unknown } {
  process.env[WRITER_THREAD_ENV] = mode;
  const outdir = path.join(tmpdir(), 'out');
  const app = build(outdir);
  app.synth();
  return { tree: readTree(outdir), writer: app._lastWriter };
}

describe('the writer thread', () => {
  test('writes the same bytes as the main thread (the flagship example)', () => {
    const main = synthWith('never', (outdir) => buildPlatform(outdir));
    const thread = synthWith('always', (outdir) => buildPlatform(outdir));
    expect(main.writer).toBe('main');
    expect(thread.writer).toBe('thread');
    expect(Object.keys(thread.tree).length).toBeGreaterThan(50);
    expect(thread.tree).toEqual(main.tree);
  });

  test('writes the same bytes as the main thread (more files than one batch, quoted strings)', () => {
    const main = synthWith('never', (outdir) => configMaps(outdir, 900));
    const thread = synthWith('always', (outdir) => configMaps(outdir, 900));
    expect(thread.writer).toBe('thread');
    expect(Object.keys(thread.tree)).toHaveLength(900);
    expect(thread.tree).toEqual(main.tree);
  });

  test('writes the same bytes when the main thread writes the YAML of every batch, or of none (the backlog at which it starts)', () => {
    const main = synthWith('never', (outdir) => configMaps(outdir, 900));
    const backlogWas = WriterThread.backlog;
    try {
      for (const backlog of [0, 256, Number.MAX_SAFE_INTEGER]) {
        WriterThread.backlog = backlog;
        const dump = vi.spyOn(yaml, 'dumpYaml');
        const thread = synthWith('always', (outdir) => configMaps(outdir, 900));
        expect(thread.writer).toBe('thread');
        expect(thread.tree).toEqual(main.tree);
        // the main thread's own YAML (the worker's calls are not seen here)
        if (backlog === 0) expect(dump).toHaveBeenCalledTimes(900);
        if (backlog === Number.MAX_SAFE_INTEGER) expect(dump).not.toHaveBeenCalled();
        dump.mockRestore();
      }
    } finally {
      WriterThread.backlog = backlogWas;
    }
  });

  /** An app of `n` ConfigMaps holding `generation`, in charts `chart0`.. (as many as `charts`). */
  function generation(outdir: string, n: number, gen: number, charts: number = 3, props: ArgoCdAppProps = {}): ArgoCdApp {
    const app = new ArgoCdApp({ ...props, outdir });
    for (let c = 0; c < charts; c++) {
      const chart = new Chart(app, `chart${c}`);
      for (let i = 0; i < n / charts; i++) {
        new ApiObject(chart, `cm${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'ns' }, data: { generation: String(gen) } });
      }
    }
    return app;
  }

  test.each(['always', 'never'])('replaces the previous output as a whole (writer thread: %s), keeps it as the spare, and writes the next synthesis into the spare', (mode) => {
    process.env[WRITER_THREAD_ENV] = mode;
    const base = tmpdir();
    const outdir = path.join(base, 'out');
    const spare = path.join(base, '.out.spare');
    // the first synthesis: nothing to keep
    generation(outdir, 30, 1).synth();
    expect(besideOutputs(base)).toEqual(['out']);
    const first = readTree(outdir);
    // the second: files no longer produced disappear, the first output is the spare, with a .gitignore
    const second = generation(outdir, 9, 2, 2);
    second.synth();
    expect(second._lastWriter).toBe(mode === 'always' ? 'thread' : 'main');
    const fresh = (n: number, gen: number, charts: number) => synthWith(mode, (o) => generation(o, n, gen, charts, { reusePreviousOutput: false })).tree;
    expect(readTree(outdir)).toEqual(fresh(9, 2, 2));
    expect(besideOutputs(base)).toEqual(['.out.spare', 'out']);
    expect(readTree(spare)).toEqual({ ...first, '.gitignore': SPARE_GITIGNORE });
    // the third takes the spare as its staging directory: overwritten, pruned, the same bytes as a fresh synthesis
    const spareDir = fs.statSync(spare).ino;
    const third = generation(outdir, 24, 3, 4);
    third.synth();
    expect(fs.statSync(outdir).ino).toBe(spareDir);
    expect(readTree(outdir)).toEqual(fresh(24, 3, 4));
    expect(readTree(spare)).toEqual({ ...fresh(9, 2, 2), '.gitignore': SPARE_GITIGNORE });
    expect(besideOutputs(base)).toEqual(['.out.spare', 'out']);
  });

  test.each(['always', 'never'])('with reusePreviousOutput false (writer thread: %s), the previous output and any spare are removed', (mode) => {
    process.env[WRITER_THREAD_ENV] = mode;
    const base = tmpdir();
    const outdir = path.join(base, 'out');
    generation(outdir, 30, 1).synth();
    generation(outdir, 30, 2).synth();
    expect(besideOutputs(base)).toEqual(['.out.spare', 'out']);
    const app = generation(outdir, 9, 3, 3, { reusePreviousOutput: false });
    app.synth();
    expect(besideOutputs(base)).toEqual(['out']);
    expect(Object.values(readTree(outdir))).toHaveLength(9);
    expect(Object.values(readTree(outdir)).every((c) => c.includes("generation: '3'"))).toBe(true);
  });

  test('a failed synthesis leaves the previous output untouched; its staging directory becomes the spare, or is removed without spares', () => {
    process.env[WRITER_THREAD_ENV] = 'always';
    for (const reuse of [true, false]) {
      const base = tmpdir();
      const outdir = path.join(base, 'out');
      configMaps(outdir, 30, { reusePreviousOutput: reuse }).synth();
      const before = readTree(outdir);
      const bad = configMaps(outdir, 600, { reusePreviousOutput: reuse });
      // the plaintext-secret guard fails the synthesis after every object was rendered (and handed to the thread)
      plaintextSecret(bad);
      expect(() => bad.synth()).toThrow(/plain text/);
      expect(readTree(outdir)).toEqual(before);
      expect(besideOutputs(base)).toEqual(reuse ? ['.out.spare', 'out'] : ['out']);
      // the next synthesis writes what a fresh one does, whatever the failed one left in the spare
      const good = configMaps(outdir, 90, { reusePreviousOutput: reuse });
      good.synth();
      expect(good._lastWriter).toBe('thread');
      expect(readTree(outdir)).toEqual(synthWith('never', (o) => configMaps(o, 90, { reusePreviousOutput: false })).tree);
      process.env[WRITER_THREAD_ENV] = 'always';
    }
  });

  test('writes the cdk8s CLI\'s copy (CDK8S_OUTDIR) too, only once synthesis succeeded', () => {
    process.env[WRITER_THREAD_ENV] = 'always';
    const cli = path.join(tmpdir(), 'cli');
    process.env.CDK8S_OUTDIR = cli;
    try {
      const outdir = path.join(tmpdir(), 'out');
      const app = configMaps(outdir, 300);
      app.synth();
      expect(app._lastWriter).toBe('thread');
      expect(readTree(cli)).toEqual(readTree(outdir));
      // hard links to the output's files, not a second copy of the bytes
      const first = Object.keys(readTree(outdir))[0];
      expect(fs.statSync(path.join(cli, first)).ino).toBe(fs.statSync(path.join(outdir, first)).ino);

      const failing = path.join(tmpdir(), 'cli-of-failed');
      process.env.CDK8S_OUTDIR = failing;
      const bad = configMaps(path.join(tmpdir(), 'out2'), 300);
      plaintextSecret(bad);
      expect(() => bad.synth()).toThrow(/plain text/);
      expect(fs.existsSync(failing)).toBe(false);
    } finally {
      delete process.env.CDK8S_OUTDIR;
    }
  });

  test('staged (as a fleet stages its instances): nothing is in place, copied or left behind until commit, and discard leaves the output as it was', () => {
    for (const mode of ['always', 'never']) {
      process.env[WRITER_THREAD_ENV] = mode;
      const cli = path.join(tmpdir(), 'cli');
      process.env.CDK8S_OUTDIR = cli;
      try {
        const outdir = path.join(tmpdir(), 'out');
        configMaps(outdir, 30).synth();
        const before = readTree(outdir);
        fs.rmSync(cli, { recursive: true, force: true });
        // staged, then discarded
        const discarded = configMaps(outdir, 300)._stageSynth(true);
        expect(readTree(outdir)).toEqual(before);
        expect(fs.existsSync(cli)).toBe(false);
        discarded.discard();
        expect(readTree(outdir)).toEqual(before);
        // the staging directory, discarded, is the spare
        expect(besideOutputs(path.dirname(outdir))).toEqual(['.out.spare', 'out']);
        // staged, then committed
        const app = configMaps(outdir, 300);
        const staged = app._stageSynth(true);
        expect(readTree(outdir)).toEqual(before);
        expect(fs.existsSync(cli)).toBe(false);
        staged.commit();
        expect(app._lastWriter).toBe(mode === 'always' ? 'thread' : 'main');
        expect(Object.keys(readTree(outdir))).toEqual(staged.files);
        expect(staged.files.length).toBe(300);
        expect(readTree(cli)).toEqual(readTree(outdir));
        expect(besideOutputs(path.dirname(outdir))).toEqual(['.out.spare', 'out']);
      } finally {
        delete process.env.CDK8S_OUTDIR;
      }
    }
  });

  test('when the thread cannot write, the main thread writes everything itself', () => {
    process.env[WRITER_THREAD_ENV] = 'always';
    // the thread is pointed at a regular file instead of its staging directory: every write fails
    const base = tmpdir();
    const notADirectory = path.join(base, 'file');
    fs.writeFileSync(notADirectory, '');
    const start = WriterThread.start.bind(WriterThread);
    vi.spyOn(WriterThread, 'start').mockImplementation((_staging: string, copyTo?: string) => start(notADirectory, copyTo));
    const outdir = path.join(base, 'out');
    const app = configMaps(outdir, 300);
    app.synth();
    expect(app._lastWriter).toBe('main-after-thread');
    process.env[WRITER_THREAD_ENV] = 'never';
    const reference = path.join(base, 'reference');
    configMaps(reference, 300).synth();
    expect(readTree(outdir)).toEqual(readTree(reference));
    expect(besideOutputs(path.dirname(outdir))).toEqual(['file', 'out', 'reference']);
  });

  test('a thread that is stopped writes nothing more', () => {
    const staging = path.join(tmpdir(), 'staging');
    fs.mkdirSync(staging);
    const thread = WriterThread.start(staging)!;
    expect(thread).toBeDefined();
    thread.abort();
    for (let i = 0; i < 300; i++) thread.add(`d/f${i}.yaml`, { a: i });
    expect(thread.finish()).toBe(false);
    expect(fs.readdirSync(staging)).toEqual([]);
  });

  test('is chosen for apps of 2,000 objects or more on a machine with more than one core, unless the environment says otherwise', () => {
    const multiCore = (os.availableParallelism?.() ?? os.cpus().length) > 1;
    delete process.env[WRITER_THREAD_ENV];
    expect(writerThreadWanted(1999)).toBe(false);
    expect(writerThreadWanted(2000)).toBe(multiCore);
    process.env[WRITER_THREAD_ENV] = 'auto';
    expect(writerThreadWanted(5000)).toBe(multiCore);
    process.env[WRITER_THREAD_ENV] = 'never';
    expect(writerThreadWanted(1e6)).toBe(false);
    process.env[WRITER_THREAD_ENV] = 'always';
    expect(writerThreadWanted(1)).toBe(true);
  });

  test('fails when CDK8S_ARGOCD_WRITER_THREAD has another value', () => {
    process.env[WRITER_THREAD_ENV] = 'yes';
    expect(thrownMessage(() => writerThreadWanted(10))).toBe("CDK8S_ARGOCD_WRITER_THREAD is 'yes'; use 'auto' (the default: a second thread for apps of 2000 objects or more), 'always' or 'never'");
  });
});
