// syncWindows: the library's sync window validation and evaluation (lib/argocd/sync-windows.ts,
// lib/argocd/_robfig-cron.ts) against the oracle's, which follows Argo CD v3.5.1's
// pkg/apis/application/v1alpha1/types.go (SyncWindows.Active, InactiveAllows, Matches, CanSync,
// SyncWindow.Validate) over robfig/cron, Go's time and Argo CD's util/glob.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argoRuns, oracle, recordCases } from './support/oracle';
import { SyncWindows } from '../../lib/argocd/sync-windows';
import { SyncWindowsInput, argoSyncWindowsVerdict, librarySyncWindowsVerdict } from '../support/oracle-compare';

// each field: mostly values robfig accepts, sometimes one at or past its edges
const part = (valid: string[], edge: string[]) => fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom(...edge) });
const minute = part(['*', '0', '0', '30', '59', '*/15', '0-59/7', '5,10', '15-45', '*/1', '?', '07', '+5', '5/20', '*-3'], ['*/0', '60', '1-', ',', '10-5', 'x', '1-2-3', '*/']);
const hour = part(['*', '0', '2', '3', '22', '23', '9-17', '*/6', '1,13', '0-23/5', '?', '*', '*'], ['24', '-1', '1//2']);
const dom = part(['*', '*', '*', '*', '1', '15', '29', '30', '31', '1-7', '*/2', '?', '28-31', '1,15'], ['0', '32', 'L', '15W']);
const month = part(['*', '*', '*', '*', '1', '2', 'feb', 'FEB', '4,6,9,11', 'jan-mar', '3', '10', '11', '*/3', 'Dec'], ['13', '0', 'febr']);
const dow = part(['*', '*', '*', '*', '0', '1-5', 'mon', 'SUN', '6', 'sat', 'mon-fri', '*/2', '5,6', 'sun-sat'], ['7', '1#2', 'sat-sun']);
const space = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\u00a0');
const schedule = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(minute, hour, dom, month, dow, space, fc.constantFrom('', ' ', '\t'))
    .map(([a, b, c, d, e, s, edge]) => `${edge}${[a, b, c, d, e].join(s)}${edge}`) },
  { weight: 3, arbitrary: fc.constantFrom('0 * * * *', '*/30 * * * *', '0 */2 * * *', '0 0 * * *', '30 1 * * *', '0 2 * * 0', '* * * * *') },
  { weight: 1, arbitrary: fc.constantFrom('@daily', '@hourly', '0 0 * *', '0 0 0 * * *', '', ' ', '0 0 30 2 *', '0 0 31 4,6,9,11 *', '0 0 29 2 *', ', , , , ,') },
);
const duration = part(['1h', '30m', '90s', '1h30m', '8h', '12h', '23h59m', '24h', '48h', '1.5h', '720h', '1m', '2h0m1s', '61m', '6h'], ['0s', '-1h', '1d', '1h ', '', '0']);
const timeZone = fc.constantFrom(undefined, undefined, '', 'UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata',
  'Asia/Calcutta', 'europe/berlin', 'Mars/Olympus', 'US/Pacific', 'Etc/GMT+5', 'Pacific/Chatham', 'America/St_Johns', 'utc', 'Europe/London', 'Pacific/Kiritimati');
const glob = fc.constantFrom('*', 'web', 'web-*', 'api', '!web', '', 'w?b', '[a-w]*', '{api,db}', 'team-a-*', 'https://kubernetes.default.svc', 'in-cluster', 'prod-*', '*.svc', 'é*');
const list = fc.option(fc.oneof({ weight: 5, arbitrary: fc.array(glob, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant([]) }), { nil: undefined, freq: 3 });
const window = fc.record({
  kind: part(['allow', 'deny'], ['block', '', 'Allow']),
  schedule,
  duration,
  applications: list,
  namespaces: list,
  clusters: list,
  manualSync: fc.option(fc.boolean(), { nil: undefined }),
  timeZone,
  andOperator: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: ['kind', 'schedule', 'duration'] });

// around daylight-saving changes, month ends, a leap day and the turn of a year
const bases = ['2026-03-29T00:30:00Z', '2026-03-08T06:00:00Z', '2026-10-25T00:30:00Z', '2026-11-01T05:30:00Z', '2026-04-05T15:00:00Z',
  '2026-12-07T13:00:00Z', '2028-02-29T12:00:00Z', '2026-12-31T23:00:00Z', '2026-09-27T13:45:00Z', '2099-02-28T00:00:00Z']
  .map((t) => Date.parse(t));
const time = fc.tuple(fc.constantFrom(...bases), fc.integer({ min: -3 * 86400, max: 3 * 86400 }), fc.constantFrom(0, 0, 0, 1, 30, 59), fc.constantFrom(0, 0, 1, 999))
  .map(([base, min, s, ms]) => new Date(base + Math.round(min / 60) * 60_000 + s * 1000 + ms).toISOString());
const app = fc.record({
  name: fc.constantFrom('web', 'api', 'web-1', '', 'db', 'éclair'),
  destination: fc.record({
    server: fc.constantFrom(undefined, 'https://kubernetes.default.svc', 'https://prod-1.example.com'),
    name: fc.constantFrom(undefined, 'in-cluster', 'prod-1'),
    namespace: fc.constantFrom(undefined, 'web', 'team-a-web', 'api', ''),
  }, { requiredKeys: [] }),
});

const input: fc.Arbitrary<SyncWindowsInput> = fc.record({ windows: fc.array(window, { minLength: 0, maxLength: 4 }), time, app }) as any;

describe('syncWindows against Argo CD v3.5.1 (v1alpha1 SyncWindows, robfig/cron)', () => {
  it('random windows at random times agree on validity, time zones, Active, Matches and CanSync', async () => {
    let compared = 0;
    let agreed = 0;
    const seen = { active: 0, blockedAuto: 0, blockedManualOnly: 0, invalid: 0, unknownZone: 0, error: 0 };
    await fc.assert(fc.asyncProperty(input, async (req) => {
      const a = await oracle().ask('syncWindows', JSON.parse(JSON.stringify(req)));
      expect(a.ok, a.error).toBe(true);
      const argo = argoSyncWindowsVerdict(req, a.result);
      const lib = librarySyncWindowsVerdict(req);
      compared++;
      if (Array.isArray(argo.active) && argo.active.length > 0) seen.active++;
      if (argo.automatic === false) seen.blockedAuto++;
      if (argo.automatic === false && argo.manual === true) seen.blockedManualOnly++;
      if (argo.valid.includes(false)) seen.invalid++;
      if (argo.timeZoneKnown.includes(false)) seen.unknownZone++;
      if (argo.automatic === 'error') seen.error++;
      if (JSON.stringify(argo) !== JSON.stringify(lib)) {
        // eslint-disable-next-line no-console
        console.log(`[divergence] ${JSON.stringify({ input: req, argo: a.result })}`);
      } else {
        agreed++;
      }
      expect(lib).toEqual(argo);
    }), argoRuns(3000, 'syncWindows'));
    // eslint-disable-next-line no-console
    console.log(`syncWindows: cases with an active window ${seen.active}, auto sync blocked ${seen.blockedAuto} (manual allowed ${seen.blockedManualOnly}), `
      + `an invalid window ${seen.invalid}, an unknown zone ${seen.unknownZone}, CanSync error ${seen.error}`);
    recordCases('syncWindows', compared, agreed);
  });

  // opensAt and closesAt are the library's own (Argo CD only answers "active now?"): Argo CD, asked
  // at those moments and one second around them, must see the window change state there.
  // Where the library says a window never opens (no opensAt, inactive: a duration of 0 or less) or
  // never closes (no closesAt: a schedule robfig never matches, whose zero time Argo CD reads as an
  // opening long past, or openings that overlap), Argo CD is asked far ahead too, up to ten years.
  it('a window opens at opensAt and closes at closesAt as Argo CD sees it, and never does where the library says so', async () => {
    let compared = 0;
    let agreed = 0;
    const seen = { neverOpens: 0, neverCloses: 0 };
    const any = window.filter((w) => w.applications === undefined || w.applications.length === 0).map((w) => ({ ...w, applications: ['*'] }));
    // windows that never open or never close, often
    const never = fc.record({
      kind: fc.constantFrom('allow', 'deny'),
      schedule: fc.constantFrom('0 0 30 2 *', '0 0 31 2 *', '0 0 31 4,6,9,11 *', '0 0 30 feb *', '* * * * *', '*/30 * * * *', '0 * * * *', '0 0 * * *', '0 2 * * *', '30 1 * * 0'),
      duration: fc.constantFrom('0s', '-1h', '1m', '30m', '59m', '1h', '61m', '24h', '25h', '168h', '169h', '720h'),
      applications: fc.constant(['*']),
      timeZone: fc.constantFrom(undefined, 'UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'),
    }, { requiredKeys: ['kind', 'schedule', 'duration', 'applications'] });
    const one = fc.oneof({ weight: 3, arbitrary: any }, { weight: 2, arbitrary: never });
    const ahead = [1, 60, 3600, 86_400, 7 * 86_400, 31 * 86_400, 366 * 86_400, 4 * 366 * 86_400, 10 * 366 * 86_400].map((s) => s * 1000);
    await fc.assert(fc.asyncProperty(one, time, async (w, t) => {
      const state = SyncWindows.fromAppProjectManifest({ spec: { syncWindows: [w] } }).at(new Date(t)).windows[0];
      if (state.problem?.startsWith('cannot')) return;
      const moments: Array<[number, boolean]> = [[Date.parse(t), state.active]];
      if (state.opensAt) moments.push([state.opensAt.getTime(), false], [state.opensAt.getTime() + 1000, true]);
      if (state.closesAt) moments.push([state.closesAt.getTime() - 1000, true], [state.closesAt.getTime(), false]);
      if (!state.active && !state.opensAt) {
        seen.neverOpens++;
        for (const d of ahead) moments.push([Date.parse(t) + d, false]);
      }
      if (!state.closesAt && (state.active || state.opensAt)) {
        seen.neverCloses++;
        const from = state.active ? Date.parse(t) : state.opensAt!.getTime() + 1000;
        for (const d of ahead) moments.push([from + d, true]);
      }
      const answers = await oracle().askAll('syncWindows', moments.map(([m]) => ({ windows: [w], time: new Date(m).toISOString() })));
      const argo = answers.map((a) => { expect(a.ok, a.error).toBe(true); return a.result.active.windows.length === 1; });
      compared += moments.length;
      agreed += argo.filter((x, i) => x === moments[i][1]).length;
      expect(moments.map(([m, active]) => [new Date(m).toISOString(), active])).toEqual(moments.map(([m], i) => [new Date(m).toISOString(), argo[i]]));
    }), argoRuns(1500, 'syncWindows opensAt/closesAt'));
    // eslint-disable-next-line no-console
    console.log(`syncWindows opensAt/closesAt: windows that never open ${seen.neverOpens}, that never close ${seen.neverCloses}`);
    recordCases('syncWindows opensAt/closesAt', compared, agreed);
  });
});
