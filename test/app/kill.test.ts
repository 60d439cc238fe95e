// Fuzz test of the writer (lib/app/_write.ts): a process synthesizing generation after generation
// is killed (SIGKILL) at a random moment; the output directory must then hold one whole
// generation, or be missing only because the kill fell between the two renames of the swap, in
// which case the next synthesis puts the previous generation back. Git must never see anything
// but the output, and the next synthesis must leave nothing of the killed one behind.
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { recoverOutput, SPARE_GITIGNORE, workDirOf } from '../../lib/app/_write';
import { WRITER_THREAD_ENV } from '../../lib/app/_writer-thread';
import { generation } from '../fixtures/kill/synth-loop';
import { readTree, scratchDirs, besideOutputs } from '../support/files';

const LOOP = path.join(__dirname, '..', 'fixtures', 'kill', 'synth-loop.ts');
const KILLS = Number(process.env.KILL_TEST_RUNS ?? 30);
const scratch = scratchDirs('kill-test');
afterAll(() => scratch.removeAll());

/** The tree generation `g` writes. */
function expected(g: number): Record<string, string> {
  return Object.fromEntries(generation('/unused', g).synthFiles().map((f) => [f.path, f.content]));
}

/** Which generation `tree` is, when it is one whole generation; throws otherwise. */
function wholeGeneration(tree: Record<string, string>): number {
  const gens = new Set(Object.values(tree).map((c) => /generation: '(\d+)'/.exec(c)?.[1]));
  expect(gens.size, `files of several generations, or none: ${[...gens].join(', ')}`).toBe(1);
  const g = Number([...gens][0]);
  expect(tree).toEqual(expected(g));
  return g;
}

function gitStatus(repo: string): string[] {
  return execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo, encoding: 'utf-8' }).split('\n').filter((l) => l !== '');
}

/** Starts the loop; resolves once its modules are loaded and it is about to synthesize. */
function startLoop(outdir: string, first: number, thread: boolean): Promise<ChildProcess> {
  // node itself (tsx's launcher would run the loop in a grandchild, which a kill would not reach)
  const child = spawn(process.execPath, ['--import', 'tsx', LOOP], {
    env: { ...process.env, OUTDIR: outdir, FIRST_GENERATION: String(first), [WRITER_THREAD_ENV]: thread ? 'always' : 'never' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code, signal) => reject(new Error(`the synthesis loop ended (${signal ?? code}) before it was ready: ${err}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('a synthesis killed at a random moment', () => {
  test(`leaves one whole generation (or one the next synthesis puts back), nothing git sees, nothing after the next synthesis (${KILLS} kills)`, async () => {
    const repo = scratch.make();
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const outdir = path.join(repo, 'out');
    let next = 1;
    generation(outdir, next++).synth();
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 400 }), fc.boolean(), async (delayMs, thread) => {
      const before = wholeGeneration(readTree(outdir));
      const first = next;
      const child = await startLoop(outdir, first, thread);
      await new Promise((r) => setTimeout(r, delayMs));
      await kill(child);
      // THEN git sees the output's files only
      expect(gitStatus(repo).every((l) => l.startsWith('?? out/')), gitStatus(repo).join('\n')).toBe(true);
      // and the output is one whole generation: the one before, or one the loop wrote
      if (!fs.existsSync(outdir)) expect(recoverOutput(outdir)).toBe(true);
      const after = wholeGeneration(readTree(outdir));
      expect(after === before || after >= first).toBe(true);
      // WHEN the next synthesis runs, THEN it is in place and nothing of the killed one is left
      next = Math.max(first, after + 1) + 1;
      generation(outdir, next).synth();
      expect(wholeGeneration(readTree(outdir))).toBe(next);
      next++;
      expect(besideOutputs(repo)).toEqual(['.git', '.out.spare', 'out']);
      expect(fs.readFileSync(path.join(repo, '.out.spare', '.gitignore'), 'utf-8')).toBe(SPARE_GITIGNORE);
      expect(fs.readdirSync(workDirOf(outdir))).toEqual(['.gitignore']);
    }), { numRuns: KILLS });
  }, 300_000);
});
