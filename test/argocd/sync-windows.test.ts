import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AppProject, SyncWindowKind } from '../../lib/argocd/app-project';
import { cronNext, parseCron, ZERO_TIME } from '../../lib/argocd/_robfig-cron';
import { SyncWindows } from '../../lib/argocd/sync-windows';

function project(): AppProject {
  return new AppProject(Testing.chart(), 'team-a');
}

const at = (iso: string) => new Date(iso);

describe('AppProject.syncWindowsAt', () => {
  // expected answers follow Argo CD v3.5.1 v1alpha1 SyncWindows.Active / CanSync (types.go)
  test('a deny window blocks automated and manual syncs of the Applications it names while it is open', () => {
    const p = project();
    p.addSyncWindow({ kind: SyncWindowKind.DENY, schedule: '0 22 * * *', duration: Duration.hours(2), applications: ['web-*'] });
    const s = p.syncWindowsAt(at('2026-12-07T23:00:00Z'));
    expect(s.activeWindows.map((w) => w.index)).toEqual([0]);
    expect(s.windows[0].closesAt).toEqual(at('2026-12-08T00:00:00Z'));
    expect(s.decide({ application: 'web-1' })).toEqual({ automatic: false, manual: false, matchingWindows: [0], activeWindows: [0] });
    expect(s.decide({ application: 'api' })).toEqual({ automatic: true, manual: true, matchingWindows: [], activeWindows: [] });
  });

  test('manualSync lets manual syncs through a deny window', () => {
    const p = project();
    p.addSyncWindow({ kind: SyncWindowKind.DENY, schedule: '0 22 * * *', duration: Duration.hours(2), namespaces: ['shop'], manualSync: true });
    const d = p.syncWindowsAt(at('2026-12-07T22:30:00Z')).decide({ application: 'x', namespace: 'shop' });
    expect([d.automatic, d.manual]).toEqual([false, true]);
  });

  test('outside every allow window syncs are blocked; inside one they run; opensAt and closesAt say when', () => {
    const p = project();
    p.addSyncWindow({ kind: SyncWindowKind.ALLOW, schedule: '0 6 * * 1-5', duration: Duration.hours(3), clusters: ['in-cluster'] });
    const closed = p.syncWindowsAt(at('2026-12-05T12:00:00Z')); // a Saturday
    expect(closed.windows[0]).toMatchObject({ active: false, opensAt: at('2026-12-07T06:00:00Z'), closesAt: at('2026-12-07T09:00:00Z') });
    expect(closed.decide({ application: 'a', clusterName: 'in-cluster' }).automatic).toBe(false);
    const open = p.syncWindowsAt(at('2026-12-07T06:00:01Z'));
    expect(open.decide({ application: 'a', clusterName: 'in-cluster' }).automatic).toBe(true);
  });

  test('the schedule is read in the time zone with the offset it has at the moment asked', () => {
    const p = project();
    p.addSyncWindow({ kind: SyncWindowKind.DENY, schedule: '0 9 * * *', duration: Duration.hours(1), applications: ['*'], timeZone: 'Europe/Berlin' });
    expect(p.syncWindowsAt(at('2026-12-07T08:30:00Z')).activeWindows).toHaveLength(1); // 09:30 CET
    expect(p.syncWindowsAt(at('2026-07-07T07:30:00Z')).activeWindows).toHaveLength(1); // 09:30 CEST
    expect(p.syncWindowsAt(at('2026-07-07T08:30:00Z')).activeWindows).toHaveLength(0);
    // opening across the spring change: 09:00 CEST on 2026-03-29 is 07:00 UTC
    expect(p.syncWindowsAt(at('2026-03-28T12:00:00Z')).windows[0].opensAt).toEqual(at('2026-03-29T07:00:00Z'));
  });

  test('overlapping openings close once, at the end of the last', () => {
    const p = project();
    p.addSyncWindow({ kind: SyncWindowKind.DENY, schedule: '0 * * * *', duration: Duration.minutes(90), applications: ['*'] });
    expect(p.syncWindowsAt(at('2026-12-07T10:10:00Z')).windows[0].closesAt).toBeUndefined();
  });

  test('a project without windows never blocks', () => {
    expect(project().syncWindowsAt(at('2026-12-07T10:10:00Z')).decide({ application: 'a' })).toEqual({ automatic: true, manual: true, matchingWindows: [], activeWindows: [] });
  });

  test('fails when the time is not a valid Date', () => {
    expect(() => project().syncWindowsAt(new Date('nope'))).toThrowError("[test/team-a] time 'Invalid Date' is not a valid Date; pass e.g. new Date('2026-12-24T22:30:00Z')");
  });

  test('fails, naming the project and the window\'s list, where Argo CD\'s glob matcher panics on a pattern', () => {
    // gobwas's Row matcher slices past the end of 'a' for 'a{,}' (test/fixtures/oracle/glob.json):
    // the project refuses the pattern where it is given
    const p = project();
    expect(() => p.addSyncWindow({ kind: SyncWindowKind.DENY, schedule: '0 22 * * *', duration: Duration.hours(2), applications: ['a{,}'] })).toThrowError(
      /^\[test\/team-a\] spec\.syncWindows\[0\]\.applications\[0\] 'a\{,\}' makes Argo CD's glob matcher \(gobwas\/glob\) panic /);
    // windows read from a manifest are decided as Argo CD decides them: the panic is the answer's error
    const windows = SyncWindows.fromAppProjectManifest({ spec: { syncWindows: [{ kind: 'deny', schedule: '0 22 * * *', duration: '2h', applications: ['a{,}'] }] } });
    expect(() => windows.at(at('2026-12-07T23:00:00Z')).decide({ application: 'a' })).toThrowError(
      /^spec\.syncWindows\[0\]\.applications glob pattern "a\{,\}" against "a": Argo CD's matcher \(gobwas\/glob\) panics \(.*\); write the pattern without empty alternatives$/);
  });
});

describe('SyncWindows.fromAppProjectManifest', () => {
  test('a window Argo CD cannot parse makes every decision an error that blocks, as in Argo CD', () => {
    const s = SyncWindows.fromAppProjectManifest({ kind: 'AppProject', spec: { syncWindows: [{ kind: 'deny', schedule: '@daily', duration: '1h', applications: ['*'] }] } });
    const a = s.at(at('2026-12-07T10:00:00Z'));
    expect(a.windows[0].problem).toBe("cannot parse schedule '@daily': parser does not accept descriptors: @daily");
    expect(a.decide({ application: 'x' })).toEqual({
      automatic: false, manual: false, matchingWindows: [0], activeWindows: [],
      error: "invalid sync windows: cannot parse schedule '@daily': parser does not accept descriptors: @daily",
    });
  });

  test('an unknown time zone is read as UTC, with a note', () => {
    const s = SyncWindows.fromAppProjectManifest({ spec: { syncWindows: [{ kind: 'deny', schedule: '0 10 * * *', duration: '1h', applications: ['*'], timeZone: 'europe/berlin' }] } });
    const w = s.at(at('2026-12-07T10:30:00Z')).windows[0];
    expect(w).toMatchObject({ active: true, timeZone: 'UTC', problem: "time zone 'europe/berlin' is unknown; Argo CD reads the schedule in UTC" });
  });

  test('a schedule that never fires is always active (robfig Next returns the zero time)', () => {
    const s = SyncWindows.fromAppProjectManifest({ spec: { syncWindows: [{ kind: 'deny', schedule: '0 0 30 2 *', duration: '1h', applications: ['*'] }] } });
    expect(s.at(at('2026-06-01T00:00:00Z')).windows[0]).toMatchObject({ active: true });
  });

  test('a manifest without windows has none', () => {
    expect(SyncWindows.fromAppProjectManifest({ spec: {} }).count).toBe(0);
    expect(SyncWindows.fromAppProjectManifest(undefined).count).toBe(0);
  });
});

describe('robfig/cron Next (spec.go)', () => {
  test('is strictly after the time given and minute-aligned', () => {
    fc.assert(fc.property(fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2090-01-01') }), (t) => {
      const s = parseCron('*/7 1-20 * * *').schedule!;
      const n = cronNext(s, t);
      expect(n).toBeGreaterThan(t);
      expect(n % 60_000).toBe(0);
      const d = new Date(n);
      expect(d.getUTCMinutes() % 7).toBe(0);
      expect(d.getUTCHours()).toBeGreaterThanOrEqual(1);
      expect(d.getUTCHours()).toBeLessThanOrEqual(20);
    }));
  });

  test('returns the zero time when nothing matches within five years', () => {
    expect(cronNext(parseCron('0 0 31 4 *').schedule!, Date.parse('2026-01-01T00:00:00Z'))).toBe(ZERO_TIME);
  });
});

describe('the README example of sync window evaluation', () => {
  // README.md, "Evaluating sync windows": the values its comments give (Argo CD v3.5.1
  // SyncWindows.Active / CanSync, types.go)
  test('a night deny window in Berlin, and an allow window read from a manifest', () => {
    const shop = new AppProject(Testing.chart(), 'shop');
    shop.addSyncWindow({ kind: SyncWindowKind.DENY, schedule: '0 22 * * *', duration: Duration.hours(8), applications: ['*'], timeZone: 'Europe/Berlin', description: 'no deploys at night' });
    const s = shop.syncWindowsAt(at('2026-12-24T22:30:00Z'));
    expect(s.activeWindows.map((w) => w.index)).toEqual([0]);
    expect(s.windows[0].closesAt).toEqual(at('2026-12-25T05:00:00Z'));
    expect(s.decide({ application: 'web', namespace: 'shop', server: 'https://kubernetes.default.svc' })).toEqual({ automatic: false, manual: false, matchingWindows: [0], activeWindows: [0] });
    const windows = SyncWindows.fromAppProjectManifest({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'prod' },
      spec: { syncWindows: [{ kind: 'allow', schedule: '0 6 * * 1-5', duration: '3h', clusters: ['prod-*'], manualSync: true }] },
    });
    expect(windows.count).toBe(1);
    expect(windows.at(at('2026-12-26T10:00:00Z')).decide({ application: 'web', clusterName: 'prod-eu' })).toEqual({ automatic: false, manual: true, matchingWindows: [0], activeWindows: [] });
  });

  test("a daily window at 02:00 in Berlin does not open on the day 02:00 is skipped", () => {
    const w = SyncWindows.fromAppProjectManifest({ spec: { syncWindows: [{ kind: 'allow', schedule: '0 2 * * *', duration: '1h', timeZone: 'Europe/Berlin', applications: ['*'] }] } });
    expect(w.at(at('2026-03-28T12:00:00Z')).windows[0]).toMatchObject({ active: false, opensAt: at('2026-03-30T00:00:00Z'), closesAt: at('2026-03-30T01:00:00Z') });
  });
});
