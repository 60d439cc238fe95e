// Sync window schedules as Argo CD v3.5.1 reads them: github.com/robfig/cron/v3 with
// cron.NewParser(Minute | Hour | Dom | Month | Dow) (pkg/apis/application/v1alpha1/types.go,
// SyncWindow.Validate and SyncWindows.active), and SpecSchedule.Next over UTC times.
// Own implementation, because cron-parser differs from robfig/cron where it matters here: it
// accepts descriptors (`@daily`), seconds, `L`/`W`/`#`, day of week 7, and it has another
// day-of-month/day-of-week rule and no five-year search limit. The parser below follows robfig's
// parser.go (Parse, normalizeFields, getField, getRange, parseIntOrName, mustParseInt) and Next
// follows spec.go, step by step.

/** One parsed field: the values it matches and whether it was written with `*` or `?`. */
interface CronField {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

/** A parsed schedule (seconds are always 0: the parser has no seconds field). */
export interface CronSchedule {
  readonly minute: CronField;
  readonly hour: CronField;
  readonly dom: CronField;
  readonly month: CronField;
  readonly dow: CronField;
}

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Record<string, number>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1, max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** Go's unicode.IsSpace, which strings.Fields splits on. */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

class CronError extends Error {}

/**
 * Parses a schedule as robfig/cron's Parser with Argo CD's options does: the result, or the
 * parser's own error text. A `TZ=`/`CRON_TZ=` prefix is reported through `tzPrefix` (robfig
 * accepts it; Argo CD then reads the schedule in that zone, which the library does not evaluate).
 */
export function parseCron(spec: string): { schedule?: CronSchedule; error?: string; tzPrefix?: boolean } {
  if (spec.length === 0) return { error: 'empty spec string' };
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) return { tzPrefix: true };
  if (spec.startsWith('@')) return { error: `parser does not accept descriptors: ${spec}` };
  const fields = spec.split(GO_SPACE).filter((f) => f !== '');
  if (fields.length !== 5) {
    return { error: `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]` };
  }
  try {
    return {
      schedule: {
        minute: field(fields[0], MINUTES),
        hour: field(fields[1], HOURS),
        dom: field(fields[2], DOM),
        month: field(fields[3], MONTHS),
        dow: field(fields[4], DOW),
      },
    };
  } catch (e) {
    if (e instanceof CronError) return { error: e.message };
    throw e;
  }
}

function field(text: string, r: Bounds): CronField {
  const values = new Set<number>();
  let star = false;
  // strings.FieldsFunc(field, ','): empty items are skipped, so ',' alone matches nothing
  for (const expr of text.split(',').filter((e) => e !== '')) {
    const got = range(expr, r);
    got.values.forEach((v) => values.add(v));
    star = star || got.star;
  }
  return { values, star };
}

function range(expr: string, r: Bounds): CronField {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let step: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    // robfig ignores whatever follows a '-' here ('*-5' is '*')
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = intOrName(lowAndHigh[0], r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = intOrName(lowAndHigh[1], r.names);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  if (rangeAndStep.length === 1) {
    step = 1;
  } else if (rangeAndStep.length === 2) {
    step = goAtoi(rangeAndStep[1]);
    if (singleDigit) end = r.max;
    if (step > 1) star = false;
  } else {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  const values = new Set<number>();
  for (let i = start; i <= end; i += step) values.add(i);
  return { values, star };
}

function intOrName(expr: string, names: Record<string, number> | undefined): number {
  if (names) {
    const n = names[expr.toLowerCase()];
    if (n !== undefined && Object.prototype.hasOwnProperty.call(names, expr.toLowerCase())) return n;
  }
  return goAtoi(expr);
}

/** strconv.Atoi (decimal, optional sign, 64-bit) followed by robfig's "negative number" check. */
function goAtoi(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing "${expr}": invalid syntax`);
  const big = BigInt(expr);
  if (big > 9223372036854775807n || big < -9223372036854775808n) {
    throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing "${expr}": value out of range`);
  }
  if (big < 0n) throw new CronError(`negative number (${big}) not allowed: ${expr}`);
  // beyond 2^53 the exact value does not matter: every bound check fails the same way
  return Number(big);
}

/** Go's zero time.Time, which robfig's Next returns when nothing matches within five years. */
export const ZERO_TIME = Number.NEGATIVE_INFINITY;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function dayMatches(s: CronSchedule, d: Date): boolean {
  const domMatch = s.dom.values.has(d.getUTCDate());
  const dowMatch = s.dow.values.has(d.getUTCDay());
  if (s.dom.star || s.dow.star) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/**
 * robfig's SpecSchedule.Next for a time in UTC (milliseconds since the epoch): the first matching
 * minute strictly after `t`, or ZERO_TIME when none comes within five years.
 */
export function cronNext(s: CronSchedule, tMs: number): number {
  // t = t.Add(1*time.Second - time.Duration(t.Nanosecond())*time.Nanosecond)
  let t = Math.floor(tMs / SECOND) * SECOND + SECOND;
  let added = false;
  const yearLimit = new Date(t).getUTCFullYear() + 5;
  const at = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo, d, h, mi, 0, 0);
  for (;;) { // WRAP
    let d = new Date(t);
    if (d.getUTCFullYear() > yearLimit) return ZERO_TIME;
    let wrap = false;
    while (!s.month.values.has(d.getUTCMonth() + 1)) {
      if (!added) {
        added = true;
        t = at(d.getUTCFullYear(), d.getUTCMonth(), 1);
      }
      d = new Date(t);
      t = at(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()) + (t % MINUTE);
      d = new Date(t);
      if (d.getUTCMonth() === 0) { wrap = true; break; }
    }
    if (wrap) continue;
    while (!dayMatches(s, d)) {
      if (!added) {
        added = true;
        t = at(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      }
      d = new Date(t);
      t = at(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1, d.getUTCHours(), d.getUTCMinutes()) + (t % MINUTE);
      d = new Date(t);
      if (d.getUTCDate() === 1) { wrap = true; break; }
    }
    if (wrap) continue;
    while (!s.hour.values.has(d.getUTCHours())) {
      if (!added) {
        added = true;
        t = at(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
      }
      t += HOUR;
      d = new Date(t);
      if (d.getUTCHours() === 0) { wrap = true; break; }
    }
    if (wrap) continue;
    while (!s.minute.values.has(d.getUTCMinutes())) {
      if (!added) {
        added = true;
        t = Math.floor(t / MINUTE) * MINUTE;
      }
      t += MINUTE;
      d = new Date(t);
      if (d.getUTCMinutes() === 0) { wrap = true; break; }
    }
    if (wrap) continue;
    while (d.getUTCSeconds() !== 0) {
      if (!added) {
        added = true;
        t = Math.floor(t / SECOND) * SECOND;
      }
      t += SECOND;
      d = new Date(t);
      if (d.getUTCSeconds() === 0) { wrap = true; break; }
    }
    if (wrap) continue;
    return t;
  }
}

const DAY = 24 * HOUR;

/**
 * The last match of the chain of matches that starts at the matching minute `mMs` (UTC
 * milliseconds) and goes on while each match comes less than `gapMs` after the one before (for a
 * sync window, its duration: openings that overlap). Worked out from the fields rather than match
 * by match: along the minutes of the hour, then the matching hours of the day, then the matching
 * days, so that a month of `15-45 * * feb *` with a 1h window takes one step. Undefined when the
 * chain lasts five years (it never ends).
 */
export function cronChainEnd(s: CronSchedule, mMs: number, gapMs: number): number | undefined {
  const near = (minutes: number) => minutes * MINUTE < gapMs;
  const mins = [...s.minute.values].sort((x, y) => x - y);
  const hours = [...s.hour.values].sort((x, y) => x - y);
  const lastMin = mins[mins.length - 1];
  const at = new Date(mMs);
  const hourStart = Math.floor(mMs / HOUR) * HOUR;
  // the minutes of this hour
  let i = mins.indexOf(at.getUTCMinutes());
  while (i + 1 < mins.length && near(mins[i + 1] - mins[i])) i++;
  if (i + 1 < mins.length || !mins.every((x, k) => k === 0 || near(x - mins[k - 1]))) return hourStart + mins[i] * MINUTE;
  // the hours of this day (each matching hour is a chain of its minutes)
  const hourNear = (a: number, b: number) => near((b - a) * 60 + mins[0] - lastMin);
  const dayStart = Math.floor(mMs / DAY) * DAY;
  let j = hours.indexOf(at.getUTCHours());
  while (j + 1 < hours.length && hourNear(hours[j], hours[j + 1])) j++;
  if (j + 1 < hours.length || !hours.every((x, k) => k === 0 || hourNear(hours[k - 1], x))) return dayStart + hours[j] * HOUR + lastMin * MINUTE;
  // the matching days (each a chain from its first match to its last)
  const first = hours[0] * 60 + mins[0];
  const last = hours[hours.length - 1] * 60 + lastMin;
  const limit = dayStart + 5 * 366 * DAY;
  let day = dayStart;
  for (;;) {
    let k = 1;
    let found = false;
    for (; near(k * 1440 + first - last); k++) {
      const next = new Date(day + k * DAY);
      if (s.month.values.has(next.getUTCMonth() + 1) && dayMatches(s, next)) {
        found = true;
        break;
      }
    }
    if (!found) return day + last * MINUTE;
    day += k * DAY;
    if (day >= limit) return undefined;
  }
}
