import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { planRemoval, removeClaimedUnits, RemovalSlot, removeSkeleton, swapIn, createStaging } from '../../lib/app/_write';
import { WRITER_THREAD_ENV, WriterThread } from '../../lib/app/_writer-thread';
import { configMaps } from '../support/config-maps';
import { readTree, scratchDirs, besideOutputs } from '../support/files';

const scratch = scratchDirs('write-test');
const tmpdir = scratch.make;
const envWas = process.env[WRITER_THREAD_ENV];
afterEach(() => {
  scratch.removeAll();
  if (envWas === undefined) delete process.env[WRITER_THREAD_ENV];
  else process.env[WRITER_THREAD_ENV] = envWas;
  WriterThread.mainRemoves = true;
  vi.restoreAllMocks();
});

/** A tree of `dirs` x `sub` directories of `files` files each, plus a file at the top. */
function tree(root: string, dirs: number, sub: number, files: number): number {
  let n = 0;
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'top.yaml'), 'top');
  n++;
  for (let d = 0; d < dirs; d++) {
    for (let s = 0; s < sub; s++) {
      const dir = path.join(root, `d${d}`, `s${s}`);
      fs.mkdirSync(dir, { recursive: true });
      for (let f = 0; f < files; f++) fs.writeFileSync(path.join(dir, `f${f}.yaml`), `${d}/${s}/${f}`);
      n += files;
    }
  }
  return n;
}

describe('removing the previous output in parts', () => {
  test('planRemoval opens levels until there are enough directories below, the files met on the way parts of their own', () => {
    const root = path.join(tmpdir(), 'prev');
    tree(root, 3, 4, 2);
    const before = readTree(root);
    const plan = planRemoval(root, 10);
    // level 1 has 3 directories (< 10), level 2 has 12; the top file is met on the way
    expect(plan.firstDirectory).toBe(1);
    expect(plan.units[0]).toBe(path.join(root, 'top.yaml'));
    expect(plan.units.slice(1).map((u) => path.relative(root, u)).sort()).toEqual(
      [0, 1, 2].flatMap((d) => [0, 1, 2, 3].map((s) => path.join(`d${d}`, `s${s}`))).sort(),
    );
    expect(plan.skeleton.map((d) => path.relative(root, d))).toEqual(['', 'd0', 'd1', 'd2']);
    // planning removes nothing
    expect(readTree(root)).toEqual(before);
  });

  test('planRemoval of a tree whose directories hold only files: every file is a part', () => {
    const root = path.join(tmpdir(), 'prev');
    fs.mkdirSync(path.join(root, 'a'), { recursive: true });
    fs.mkdirSync(path.join(root, 'b'));
    for (let i = 0; i < 5; i++) {
      fs.writeFileSync(path.join(root, 'a', `f${i}`), 'x');
      fs.writeFileSync(path.join(root, 'b', `f${i}`), 'x');
    }
    const plan = planRemoval(root, 64);
    expect(plan.units).toHaveLength(10);
    expect(plan.firstDirectory).toBe(10);
    removeClaimedUnits(plan, new Int32Array(new SharedArrayBuffer(8)));
    expect(readTree(root)).toEqual({});
    removeSkeleton(plan);
    expect(fs.existsSync(root)).toBe(false);
  });

  test('planRemoval stops at four levels, and at a level with no directories', () => {
    const deep = path.join(tmpdir(), 'deep');
    fs.mkdirSync(path.join(deep, 'a', 'b', 'c', 'd', 'e'), { recursive: true });
    const plan = planRemoval(deep, 64);
    expect(plan.units).toEqual([path.join(deep, 'a', 'b', 'c', 'd')]);
    expect(plan.firstDirectory).toBe(0);
    expect(plan.skeleton).toHaveLength(4);

    const empty = path.join(tmpdir(), 'empty');
    fs.mkdirSync(empty);
    const emptyPlan = planRemoval(empty, 64);
    expect(emptyPlan.units).toEqual([]);
    removeSkeleton(emptyPlan);
    expect(fs.existsSync(empty)).toBe(false);
  });

  test('removeClaimedUnits removes every unclaimed part and counts it; removeSkeleton removes the rest', () => {
    const root = path.join(tmpdir(), 'prev');
    tree(root, 4, 5, 3);
    const plan = planRemoval(root, 16);
    const shared = new Int32Array(new SharedArrayBuffer(8));
    // another thread has claimed the first two parts already
    Atomics.store(shared, RemovalSlot.NEXT, 2);
    removeClaimedUnits(plan, shared);
    expect(Atomics.load(shared, RemovalSlot.DONE)).toBe(plan.units.length - 2);
    expect(plan.units.filter((u) => fs.existsSync(u))).toEqual(plan.units.slice(0, 2));
    removeClaimedUnits(plan, shared);
    expect(Atomics.load(shared, RemovalSlot.DONE)).toBe(plan.units.length - 2);
    // the parts claimed but never removed are still there: the skeleton's removal falls back to removing them too
    removeSkeleton(plan);
    expect(fs.existsSync(root)).toBe(false);
  });

  test('swapIn hands the previous output to the given removal, after the new output is in place', () => {
    const outdir = path.join(tmpdir(), 'out');
    tree(outdir, 2, 2, 2);
    const staging = createStaging(outdir);
    expect(staging.recycled).toBe(false);
    fs.writeFileSync(path.join(staging.dir, 'new.yaml'), 'new');
    const seen: string[] = [];
    swapIn(outdir, staging, (previous) => {
      seen.push(previous);
      expect(readTree(outdir)).toEqual({ 'new.yaml': 'new' });
      expect(Object.keys(readTree(previous))).toHaveLength(9);
      fs.rmSync(previous, { recursive: true });
    });
    expect(seen).toEqual([`${staging.dir}.previous`]);
    expect(besideOutputs(path.dirname(outdir))).toEqual(['out']);
  });

  test('the writer thread removes parts of the previous output: all of them when the main thread takes none', () => {
    process.env[WRITER_THREAD_ENV] = 'always';
    // without a spare: the previous output is removed
    const noSpare = { reusePreviousOutput: false };
    const base = tmpdir();
    const outdir = path.join(base, 'out');
    configMaps(outdir, 600, noSpare).synth();
    expect(Object.keys(readTree(outdir))).toHaveLength(600);
    // the next synthesis writes other files; the thread alone removes the old ones
    WriterThread.mainRemoves = false;
    const removals: (typeof WriterThread.prototype.lastRemoval)[] = [];
    const removeTree = WriterThread.prototype.removeTree;
    const spy = vi.spyOn(WriterThread.prototype, 'removeTree').mockImplementation(function (this: WriterThread, dir: string) {
      removeTree.call(this, dir);
      removals.push(this.lastRemoval);
    });
    const next = configMaps(outdir, 90, noSpare);
    next.synth();
    expect(spy).toHaveBeenCalledTimes(1);
    // three chart directories of 200 files each: every file is a part
    expect(removals).toEqual([{ units: 600, byThread: 600 }]);
    expect(next._lastWriter).toBe('thread');
    expect(Object.keys(readTree(outdir))).toHaveLength(90);
    expect(besideOutputs(base)).toEqual(['out']);

    // both threads take parts: every part is removed by one of them
    WriterThread.mainRemoves = true;
    configMaps(outdir, 600, noSpare).synth();
    removals.length = 0;
    configMaps(outdir, 90, noSpare).synth();
    expect(removals).toHaveLength(1);
    expect(removals[0]!.units).toBe(600);
    expect(removals[0]!.byThread).toBeGreaterThanOrEqual(0);
    expect(removals[0]!.byThread).toBeLessThanOrEqual(600);
    expect(Object.keys(readTree(outdir))).toHaveLength(90);
    expect(besideOutputs(base)).toEqual(['out']);
  });

  test('removeTree on a thread that did not finish its writing removes the tree on the main thread', () => {
    const base = tmpdir();
    const staging = path.join(base, 'staging');
    fs.mkdirSync(staging);
    const thread = WriterThread.start(staging)!;
    expect(thread).toBeDefined();
    const prev = path.join(base, 'prev');
    tree(prev, 2, 3, 2);
    WriterThread.mainRemoves = false;
    // never finished: the main thread removes it alone (and does not wait for the thread)
    thread.removeTree(prev);
    expect(fs.existsSync(prev)).toBe(false);
    expect(thread.lastRemoval).toBeUndefined();
    // the thread is stopped: it takes no more files
    thread.add('a.yaml', { a: 1 });
    expect(thread.finish()).toBe(false);
  });
});
