// Cases of the syncWindows differential tests (test/argo/sync-windows.argo.test.ts) stored with
// the oracle's answers (test/fixtures/oracle/sync-windows.json), replayed without Go: the answers are
// Argo CD v3.5.1's, computed after pkg/apis/application/v1alpha1/types.go (SyncWindow.Validate,
// SyncWindows.Active, Matches, CanSync) over robfig/cron.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { argoSyncWindowsVerdict, librarySyncWindowsVerdict } from '../support/oracle-compare';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'oracle', 'sync-windows.json'), 'utf8'));

describe('sync windows: stored Argo CD v3.5.1 answers (SyncWindows.Active, Matches, CanSync)', () => {
  test('the fixture has cases', () => {
    expect(fixture.cases.length).toBeGreaterThan(10);
  });
  for (const c of fixture.cases) {
    test(c.name, () => {
      expect(librarySyncWindowsVerdict(c.input)).toEqual(argoSyncWindowsVerdict(c.input, c.argo));
    });
  }
});
