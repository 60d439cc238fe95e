// Evaluation of an AppProject's sync windows at a given time, as Argo CD v3.5.1 does it in
// pkg/apis/application/v1alpha1/types.go: SyncWindows.active and inactiveAllows (robfig/cron's
// Next from `now + zone offset - duration`, active when the start it finds is before
// `now + zone offset`), SyncWindow.scheduleOffsetByTimeZone (the zone's UTC offset at the moment
// asked; an unknown zone is UTC), SyncWindows.Matches (application, cluster and namespace globs,
// OR or AND) and SyncWindows.CanSync (deny beats allow; manualSync; inactive allow windows block).
// Schedules are parsed by ./_robfig-cron (robfig/cron, not cron-parser: see there).
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { show } from '../_internal/values';
import { parseGoDuration } from '../_internal/go-duration';
import { GlobPanicError, globMatch } from './_glob';
import { goKnowsTimeZone } from './_time-zone';
import { CronSchedule, ZERO_TIME, cronNext, cronChainEnd, parseCron } from './_robfig-cron';

/**
 * Whether a sync window allows or blocks syncs.
 */
export enum SyncWindowKind {
  /** `allow`: syncs may run only inside the window (when any allow window exists). */
  ALLOW = 'allow',
  /** `deny`: syncs may not run inside the window. */
  DENY = 'deny',
}

/**
 * What a sync window decision is asked about: an Application by name and destination, or only a
 * namespace or a cluster (the parts not given are empty, as for an Application without them).
 */
export interface SyncWindowTarget {
  /**
   * The Application's name (`metadata.name`), matched against the windows' `applications`.
   *
   * @default '' (matches only the glob `*` and patterns that match the empty name)
   */
  readonly application?: string;

  /**
   * The destination namespace, matched against the windows' `namespaces`.
   *
   * @default ''
   */
  readonly namespace?: string;

  /**
   * The destination server URL, matched against the windows' `clusters`.
   *
   * @default - none
   */
  readonly server?: string;

  /**
   * The destination cluster name, matched against the windows' `clusters`.
   *
   * @default - none
   */
  readonly clusterName?: string;
}

/**
 * The state of one sync window at the time asked.
 */
export interface SyncWindowState {
  /** The window's position in `spec.syncWindows`. */
  readonly index: number;
  /** Allow or deny. */
  readonly kind: string;
  /** The cron schedule, as written. */
  readonly schedule: string;
  /** The duration, as written (a Go duration). */
  readonly duration: string;
  /** The time zone the schedule is read in (`UTC` when none is set or Argo CD does not know it). */
  readonly timeZone: string;
  /** Whether the window lets manual syncs run while it blocks. */
  readonly manualSync: boolean;
  /** Whether Argo CD counts the window as active (open) at the time asked. */
  readonly active: boolean;

  /**
   * When the window next opens (the first moment after the time asked at which Argo CD counts
   * it as active), for a window that is not active.
   *
   * @default - none: the window is active, or never opens
   */
  readonly opensAt?: Date;

  /**
   * When the window closes: for an active window, the end of its current opening; for an
   * inactive one, the end of its next opening (overlapping openings count as one).
   *
   * @default - none: the window never closes (it opens again before each opening ends) or never opens
   */
  readonly closesAt?: Date;

  /**
   * Why the window cannot be evaluated, as Argo CD says it (e.g. `cannot parse schedule ...`),
   * or a note on how Argo CD reads it (an unknown time zone is read as UTC).
   *
   * @default - none: the window is valid
   */
  readonly problem?: string;
}

/**
 * Whether an Application (or a namespace or cluster) may sync at the time asked.
 */
export interface SyncDecision {
  /** Whether an automated sync may run (Argo CD's `CanSync(false)` over the matching windows). */
  readonly automatic: boolean;
  /** Whether a manual sync may run (Argo CD's `CanSync(true)` over the matching windows). */
  readonly manual: boolean;
  /** The indexes of the windows that apply to the target (`SyncWindows.Matches`). */
  readonly matchingWindows: number[];
  /** The indexes of the matching windows that are active. */
  readonly activeWindows: number[];

  /**
   * Argo CD's error when a matching window cannot be evaluated; syncs are then blocked (Argo CD's
   * controller treats the error as "sync window prevents sync").
   *
   * @default - none
   */
  readonly error?: string;
}

/** A sync window as written in `spec.syncWindows` (the wire form). */
interface WireWindow {
  kind?: string;
  schedule?: string;
  duration?: string;
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  manualSync?: boolean;
  timeZone?: string;
  andOperator?: boolean;
  syncOverrun?: boolean;
  description?: string;
}

/** A window ready to evaluate: its schedule and duration parsed, or the error Argo CD gives. */
interface Prepared {
  readonly index: number;
  readonly wire: WireWindow;
  readonly schedule?: CronSchedule;
  /** duration in milliseconds */
  readonly durationMs: number;
  readonly zone: string;
  readonly error?: string;
  readonly note?: string;
}

const MAX_STEPS = 10000;

/**
 * An AppProject's sync windows, to evaluate at a given time as Argo CD v3.5.1 does. Get one with
 * `AppProject.syncWindows()` or, for a project read from YAML, `SyncWindows.fromAppProjectManifest()`.
 *
 * @example
 * const at = project.syncWindows().at(new Date('2026-12-24T22:30:00Z'));
 * at.decide({ application: 'web', namespace: 'shop' }).automatic  // false inside a deny window
 */
export class SyncWindows {
  /**
   * The sync windows of an AppProject object (as parsed from YAML or JSON).
   *
   * @param manifest an AppProject object (`kind: AppProject`); its `spec.syncWindows` is read
   */
  public static fromAppProjectManifest(manifest: any): SyncWindows {
    const windows = manifest?.spec?.syncWindows;
    return new SyncWindows(Array.isArray(windows) ? windows.map((w: any) => (w && typeof w === 'object' ? w : {})) : []);
  }

  /** @internal */
  public static _fromWire(windows: readonly object[], scope?: IConstruct): SyncWindows {
    return new SyncWindows(windows as WireWindow[], scope);
  }

  private readonly windows: Prepared[];

  /** @param scope the AppProject the windows belong to, named by errors (none for a manifest read from YAML) */
  private constructor(windows: readonly WireWindow[], private readonly scope?: IConstruct) {
    this.windows = windows.map((w, index) => prepare(w, index));
  }

  /** How many windows the project has. */
  public get count(): number {
    return this.windows.length;
  }

  /**
   * The windows' state at `time`, and decisions for Applications at that time.
   *
   * @param time the moment to evaluate at
   */
  public at(time: Date): SyncWindowsAt {
    if (!(time instanceof Date) || Number.isNaN(time.getTime())) {
      throw new ValidationError(`time ${show(String(time))} is not a valid Date; pass e.g. new Date('2026-12-24T22:30:00Z')`, this.scope);
    }
    return SyncWindowsAt._create(this.windows, time.getTime(), this.scope);
  }
}

/**
 * An AppProject's sync windows at one moment. Created by `SyncWindows.at()`.
 */
export class SyncWindowsAt {
  /** @internal */
  public static _create(windows: readonly Prepared[], timeMs: number, scope?: IConstruct): SyncWindowsAt {
    return new SyncWindowsAt(windows, timeMs, scope);
  }

  /** The moment asked about. */
  public readonly time: Date;
  /** Every window's state at that moment, in `spec.syncWindows` order. */
  public readonly windows: SyncWindowState[];

  private constructor(private readonly prepared: readonly Prepared[], private readonly timeMs: number, private readonly scope?: IConstruct) {
    this.time = new Date(timeMs);
    this.windows = prepared.map((w) => windowState(w, timeMs));
  }

  /** The windows that are active at that moment. */
  public get activeWindows(): SyncWindowState[] {
    return this.windows.filter((w) => w.active);
  }

  /**
   * Whether an Application (or a namespace or cluster) may sync automatically and manually at
   * that moment: Argo CD's `SyncWindows.Matches(app).CanSync(isManual)`.
   *
   * @param target the Application's name and destination
   */
  public decide(target: SyncWindowTarget): SyncDecision {
    const matching = matches(this.prepared, target ?? {}, this.scope);
    const auto = canSync(matching, false, this.timeMs);
    const manual = canSync(matching, true, this.timeMs);
    const act = activeSet(matching, this.timeMs);
    const error = auto.error ?? manual.error;
    return {
      automatic: error === undefined && auto.value,
      manual: error === undefined && manual.value,
      matchingWindows: matching.map((w) => w.index),
      activeWindows: act.error ? [] : act.windows.map((w) => w.index),
      ...(error !== undefined ? { error } : {}),
    };
  }
}

function prepare(wire: WireWindow, index: number): Prepared {
  const zoneName = typeof wire.timeZone === 'string' ? wire.timeZone : '';
  let zone = 'UTC';
  let note: string | undefined;
  if (zoneName !== '' && zoneName !== 'UTC') {
    if (goKnowsTimeZone(zoneName)) zone = zoneName === 'Local' ? 'UTC' : zoneName;
    else note = `time zone '${zoneName}' is unknown; Argo CD reads the schedule in UTC`;
  }
  const schedule = typeof wire.schedule === 'string' ? wire.schedule : '';
  const parsed = parseCron(schedule);
  const base = { index, wire, zone, durationMs: 0, ...(note ? { note } : {}) };
  if (parsed.tzPrefix) {
    return { ...base, error: `cannot evaluate schedule '${schedule}': cdk8s-argocd does not evaluate a TZ= or CRON_TZ= prefix; set timeZone instead` };
  }
  if (parsed.error !== undefined) return { ...base, error: `cannot parse schedule '${schedule}': ${parsed.error}` };
  const duration = typeof wire.duration === 'string' ? parseGoDuration(wire.duration) : undefined;
  if (duration === undefined) {
    return { ...base, error: `cannot parse duration '${wire.duration ?? ''}': time: invalid duration "${wire.duration ?? ''}"` };
  }
  return { ...base, schedule: parsed.schedule, durationMs: duration * 1000 };
}

/** The UTC offset (milliseconds) of an IANA zone at an instant, as Go's `time.Now().In(loc).Zone()`. */
function zoneOffsetMs(zone: string, ms: number): number {
  if (zone === 'UTC') return 0;
  const parts = zoneFormatter(zone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Argo CD's active test for one window at `nowMs` with the zone offset of `offsetAtMs`. */
function activeAt(w: Prepared, nowMs: number, offsetAtMs: number = nowMs): boolean {
  const off = zoneOffsetMs(w.zone, offsetAtMs);
  const next = cronNext(w.schedule!, nowMs + off - w.durationMs);
  return next < nowMs + off;
}

function windowState(w: Prepared, nowMs: number): SyncWindowState {
  const base = {
    index: w.index,
    kind: String(w.wire.kind ?? ''),
    schedule: String(w.wire.schedule ?? ''),
    duration: String(w.wire.duration ?? ''),
    timeZone: w.zone,
    manualSync: w.wire.manualSync === true,
  };
  if (w.error !== undefined) return { ...base, active: false, problem: w.error };
  const active = activeAt(w, nowMs);
  const problem = w.note !== undefined ? { problem: w.note } : {};
  const opens = active ? undefined : nextOpening(w, nowMs);
  const from = active ? nowMs : opens;
  const closes = from === undefined ? undefined : closing(w, from);
  return {
    ...base,
    active,
    ...(opens !== undefined ? { opensAt: new Date(opens) } : {}),
    ...(closes !== undefined ? { closesAt: new Date(closes) } : {}),
    ...problem,
  };
}

/**
 * The first instant (to the second) in (a, b] at which the zone's UTC offset changes. The range
 * is walked a week at a time, so a range holding a whole year's two daylight-saving changes still
 * finds the first (no zone changes its offset twice within a week).
 */
function offsetChange(zone: string, a: number, b: number): number | undefined {
  if (zone === 'UTC' || !(b > a)) return undefined;
  const offA = zoneOffsetMs(zone, a);
  let lo = a;
  let hi = b;
  for (let t = a + WEEK_MS; t < b; t += WEEK_MS) {
    if (zoneOffsetMs(zone, t) !== offA) {
      hi = t;
      break;
    }
    lo = t;
  }
  if (zoneOffsetMs(zone, hi) === offA) return undefined;
  while (hi - lo > 1000) {
    // at least a second past lo: with hi - lo between one and two seconds, half of it rounded down
    // to whole seconds is 0, and the search would never end
    const mid = lo + Math.max(1000, Math.floor((hi - lo) / 2000) * 1000);
    if (zoneOffsetMs(zone, mid) === offA) lo = mid;
    else hi = mid;
  }
  return hi;
}

const WEEK_MS = 7 * 86_400_000;

/** The earliest candidate that passes the test (Argo CD's own active test, asked around it). */
function earliest(candidates: Array<number | undefined>, ok: (c: number) => boolean): number | undefined {
  const sorted = candidates.filter((c): c is number => c !== undefined && Number.isFinite(c)).sort((x, y) => x - y);
  return sorted.find(ok);
}

/**
 * When the window next opens after `nowMs`: the moment at which Argo CD does not yet count it as
 * active and does one second later. Argo CD reads the schedule with the zone's offset at the
 * moment it asks, so across a daylight-saving change the window moves with the offset (and can
 * open at the change itself).
 */
function nextOpening(w: Prepared, nowMs: number): number | undefined {
  if (w.durationMs <= 0) return undefined;
  let from = nowMs;
  for (let i = 0; i < MAX_STEPS; i++) {
    const off = zoneOffsetMs(w.zone, from);
    const start = cronNext(w.schedule!, from + off - w.durationMs);
    if (start === ZERO_TIME) return undefined;
    const c1 = start - off;
    const c2 = start - zoneOffsetMs(w.zone, c1 + 1000);
    const change = offsetChange(w.zone, from, Math.max(c1, c2) + 1000);
    const found = earliest([c1, c2, change === undefined ? undefined : change - 1000],
      (c) => c >= from && !activeAt(w, c) && activeAt(w, c + 1000));
    if (found !== undefined) return found;
    // none opens: the start fell into the hour a daylight-saving change skips (02:00 on the day
    // Berlin moves to summer time, say), which Argo CD never sees as active; look past it
    from = Math.max(from + 1000, c1, c2, change ?? 0) + 1000;
  }
  return undefined;
}

/**
 * When the opening the window is in at `fromMs` (active then, or opening just after) ends: the
 * first moment Argo CD no longer counts it as active (overlapping openings count as one).
 * Argo CD reads the schedule with the zone's offset at the moment it asks, so the search goes
 * from one offset to the next: while the offset holds, the end is where the schedule's openings
 * stop overlapping; where the offset changes first, the window closes there, or (the clock Argo
 * CD reads jumped into, or back into, an opening) it goes on under the new offset.
 */
function closing(w: Prepared, fromMs: number): number | undefined {
  let from = fromMs;
  for (let i = 0; i < MAX_STEPS; i++) {
    const off = zoneOffsetMs(w.zone, from + 1000);
    const end = openingEnd(w, from + off);
    if (end === undefined) return undefined;
    const c = end - off;
    const change = offsetChange(w.zone, from + 1000, c);
    if (change === undefined) {
      if (activeAt(w, c - 1000) && !activeAt(w, c)) return c;
      if (!activeAt(w, c)) return undefined;
      from = c;
      continue;
    }
    if (!activeAt(w, change)) return activeAt(w, change - 1000) ? change : undefined;
    from = change;
  }
  return undefined;
}

/**
 * Under one offset, where the opening that holds the schedule time `atMs` (or begins just after
 * it) ends, with the openings that overlap it; undefined when they never stop overlapping.
 */
function openingEnd(w: Prepared, atMs: number): number | undefined {
  let start = cronNext(w.schedule!, atMs - w.durationMs);
  if (start === ZERO_TIME) return undefined;
  let end = start + w.durationMs;
  for (let i = 0; i < MAX_STEPS; i++) {
    // step over the openings that overlap, along the schedule's fields
    const chainEnd = cronChainEnd(w.schedule!, start, w.durationMs);
    if (chainEnd === undefined) return undefined;
    start = chainEnd;
    end = Math.max(end, start + w.durationMs);
    const next = cronNext(w.schedule!, start);
    if (next === ZERO_TIME || next >= end) return end;
    start = next;
    end = Math.max(end, start + w.durationMs);
  }
  return undefined;
}

function pattern(p: unknown, value: string): boolean {
  if (typeof p !== 'string') return false;
  return p === '*' || globMatch(p, value);
}

/** SyncWindows.Matches. */
function matches(windows: readonly Prepared[], t: SyncWindowTarget, scope: IConstruct | undefined): Prepared[] {
  const name = t.application ?? '';
  const namespace = t.namespace ?? '';
  const server = t.server ?? '';
  const clusterName = t.clusterName ?? '';
  const out: Prepared[] = [];
  for (const w of windows) {
    // where gobwas's matcher panics, Argo CD cannot evaluate the window: an error naming the list
    const some = (list: string, items: unknown[], test: (p: unknown) => boolean): boolean => {
      try {
        return items.some(test);
      } catch (e) {
        if (e instanceof GlobPanicError) throw new ValidationError(`spec.syncWindows[${w.index}].${list} ${e.message}`, scope);
        throw e;
      }
    };
    const and = w.wire.andOperator === true;
    const apps = w.wire.applications ?? [];
    const clusters = w.wire.clusters ?? [];
    const namespaces = w.wire.namespaces ?? [];
    let matched = false;
    let isSet = false;
    if (apps.length > 0) {
      isSet = true;
      matched = some('applications', apps, (a) => pattern(a, name));
    }
    if (and && !matched && isSet) continue;
    if (!and && matched) { out.push(w); continue; }
    if (clusters.length > 0) {
      isSet = true;
      matched = some('clusters', clusters, (c) => (clusterName !== '' && pattern(c, clusterName)) || (server !== '' && pattern(c, server)));
    }
    if (isSet && and && !matched) continue;
    if (!and && matched) { out.push(w); continue; }
    if (namespaces.length > 0) matched = some('namespaces', namespaces, (n) => pattern(n, namespace));
    if (matched) out.push(w);
  }
  return out;
}

interface SetAnswer { readonly windows: Prepared[]; readonly error?: string }

/** SyncWindows.active: the first window that cannot be evaluated makes it an error. */
function activeSet(windows: readonly Prepared[], nowMs: number): SetAnswer {
  const out: Prepared[] = [];
  for (const w of windows) {
    if (w.error !== undefined) return { windows: [], error: w.error };
    if (activeAt(w, nowMs)) out.push(w);
  }
  return { windows: out };
}

/** SyncWindows.inactiveAllows: only allow windows are parsed. */
function inactiveAllowSet(windows: readonly Prepared[], nowMs: number): SetAnswer {
  const out: Prepared[] = [];
  for (const w of windows) {
    if (w.wire.kind !== 'allow') continue;
    if (w.error !== undefined) return { windows: [], error: w.error };
    if (!activeAt(w, nowMs)) out.push(w);
  }
  return { windows: out };
}

/** SyncWindows.CanSync(isManual, nil) (no operation in progress, so no overrun). */
function canSync(windows: readonly Prepared[], isManual: boolean, nowMs: number): { value: boolean; error?: string } {
  if (windows.length === 0) return { value: true };
  const active = activeSet(windows, nowMs);
  if (active.error !== undefined) return { value: false, error: `invalid sync windows: ${active.error}` };
  const denies = active.windows.filter((w) => w.wire.kind === 'deny');
  if (denies.length > 0) {
    // hasDeny: manual syncs pass only when every active deny window has manualSync
    return { value: isManual && denies.every((w) => w.wire.manualSync === true) };
  }
  if (active.windows.some((w) => w.wire.kind === 'allow')) return { value: true };
  const inactive = inactiveAllowSet(windows, nowMs);
  if (inactive.error !== undefined) return { value: false, error: `invalid sync windows: ${inactive.error}` };
  if (inactive.windows.length > 0) {
    return { value: isManual && inactive.windows.every((w) => w.wire.manualSync === true) };
  }
  return { value: true };
}
