import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { buildPlatform } from '../../examples/platform/platform';
import { ArgoCdApp } from '../../lib';
import { WRITER_THREAD_ENV, WriterThread, writerThreadWanted } from '../../lib/app/_writer-thread';
import * as yaml from '../../lib/_internal/yaml';
import { thrownMessage } from '../support/errors';
import { configMaps } from '../support/config-maps';
import { readTree } from '../support/files';

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

  test('replaces the previous output as a whole: files no longer produced disappear, nothing is left beside it', () => {
    process.env[WRITER_THREAD_ENV] = 'always';
    const outdir = path.join(tmpdir(), 'out');
    configMaps(outdir, 30).synth();
    const second = configMaps(outdir, 9);
    second.synth();
    expect(second._lastWriter).toBe('thread');
    expect(Object.keys(readTree(outdir))).toHaveLength(9);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['out']);
  });

  test('a failed synthesis leaves the previous output untouched and no staging directory behind', () => {
    process.env[WRITER_THREAD_ENV] = 'always';
    const outdir = path.join(tmpdir(), 'out');
    configMaps(outdir, 30).synth();
    const before = readTree(outdir);
    const bad = configMaps(outdir, 600);
    // the plaintext-secret guard fails the synthesis after every object was rendered (and handed to the thread)
    plaintextSecret(bad);
    expect(() => bad.synth()).toThrow(/plain text/);
    expect(readTree(outdir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['out']);
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
        expect(fs.readdirSync(path.dirname(outdir))).toEqual(['out']);
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
        expect(fs.readdirSync(path.dirname(outdir))).toEqual(['out']);
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
    expect(fs.readdirSync(path.dirname(outdir)).sort()).toEqual(['file', 'out', 'reference']);
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
