// Cases where the SyncPlan once differed from Argo CD v3.5.1, with Argo CD's answer as the oracle
// gave it (test/fixtures/oracle/sync-order.json; `npm run test:argo` checks that the stored answers
// are still the oracle's). Each case names the Argo CD / gitops-engine file and function deciding it.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { libraryPlan, oraclePlan } from '../support/sync-order';

const cases: Array<{ name: string; input: any; answer: any }> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'oracle', 'sync-order.json'), 'utf-8'));

describe('SyncPlan: stored cases of Argo CD v3.5.1 (gitops-engine pkg/sync)', () => {
  test('there are stored cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(libraryPlan(c.input).comparable).toEqual(oraclePlan(c.answer));
  });
});
