// opensAt and closesAt around daylight-saving changes, replayed without Go from the oracle's
// stored answers (test/fixtures/oracle/sync-window-transitions.json, recorded with
// test/argo/support/record-cases.ts): Argo CD v3.5.1's SyncWindows.active
// (pkg/apis/application/v1alpha1/types.go, with the zone offset of SyncWindow.scheduleOffsetByTimeZone
// at the moment asked), asked at the time of each evaluation, at opensAt and one second after, and
// one second before closesAt and at it. Most evaluations are the ones whose search for the offset
// change looped forever before commit 92f55eb (times with a fraction of a second), so the library
// runs them in a child process with a time limit: a loop fails the test instead of hanging npm test.
// One is a window the library said never closes, where the change moves Argo CD's clock into the
// next opening (found in CI, seed 418539296).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';

const REPO = path.join(__dirname, '..', '..');
const fixture = JSON.parse(fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'oracle', 'sync-window-transitions.json'), 'utf8'));
const LIMIT_MS = 60_000;

interface StoredCase {
  readonly name: string;
  readonly evaluation: string;
  readonly moment: 'now' | 'opensAt' | 'opensAt+1s' | 'closesAt-1s' | 'closesAt';
  readonly input: { readonly windows: object[]; readonly time: string };
  readonly answer: { readonly ok: boolean; readonly result?: { active: { windows: unknown[] } }; readonly error?: string };
}

const cases: StoredCase[] = fixture.cases;
const evaluations = [...new Set(cases.map((c) => c.evaluation))].map((name) => {
  const moments = cases.filter((c) => c.evaluation === name);
  const now = moments.find((c) => c.moment === 'now')!;
  return { name, windows: now.input.windows, time: now.input.time, moments };
});

/** The library's window state for every evaluation, computed in a child process that may not loop. */
function libraryStates(): { states?: any[]; failure?: string } {
  const script = `
    const { SyncWindows } = require(${JSON.stringify(path.join(REPO, 'lib', 'argocd', 'sync-windows.ts'))});
    const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    const out = input.map((e) => SyncWindows.fromAppProjectManifest({ spec: { syncWindows: e.windows } }).at(new Date(e.time)).windows[0]);
    process.stdout.write(JSON.stringify(out));
  `;
  const r = spawnSync(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['-e', script], {
    input: JSON.stringify(evaluations.map((e) => ({ windows: e.windows, time: e.time }))),
    encoding: 'utf-8',
    timeout: LIMIT_MS,
    killSignal: 'SIGKILL',
  });
  if (r.error || r.signal) return { failure: `the evaluation did not end within ${LIMIT_MS / 1000} s (${r.error?.message ?? r.signal}): the search for a daylight-saving change loops` };
  if (r.status !== 0) return { failure: `the evaluation failed: ${r.stderr}` };
  return { states: JSON.parse(r.stdout) };
}

describe('sync windows: opensAt and closesAt around daylight-saving changes, against stored Argo CD v3.5.1 answers', () => {
  test('the fixture has evaluations, each with Argo CD answers at its moments', () => {
    expect(evaluations.length).toBeGreaterThanOrEqual(6);
    for (const c of cases) expect(c.answer?.ok, c.name).toBe(true);
  });

  const result = libraryStates();
  test('the library ends every evaluation (it looped forever before 92f55eb)', () => {
    expect(result.failure).toBeUndefined();
  });

  evaluations.forEach((e, i) => {
    test(e.name, () => {
      const state = result.states?.[i];
      expect(state, result.failure).toBeDefined();
      // the moments the library names, and what Argo CD must answer at each of them
      const ms = Date.parse(e.time);
      const mine: Array<[string, string, boolean]> = [['now', e.time, state.active]];
      if (state.opensAt) {
        const o = Date.parse(state.opensAt);
        mine.push(['opensAt', new Date(o).toISOString(), false], ['opensAt+1s', new Date(o + 1000).toISOString(), true]);
      }
      if (state.closesAt) {
        const c = Date.parse(state.closesAt);
        mine.push(['closesAt-1s', new Date(c - 1000).toISOString(), true], ['closesAt', new Date(c).toISOString(), false]);
      }
      expect(Number.isFinite(ms)).toBe(true);
      const argo = e.moments.map((c): [string, string, boolean] => [c.moment, new Date(c.input.time).toISOString(), c.answer.result!.active.windows.length === 1]);
      expect(mine).toEqual(argo);
    });
  });
});
