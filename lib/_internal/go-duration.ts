// Renders and parses durations the way Go's time package writes and reads them.
// Written here because Argo CD and the External Secrets Operator parse these strings with Go's
// time.ParseDuration, whose grammar no npm package reproduces exactly.
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './values';

/**
 * The longest duration Go holds, in whole seconds: a time.Duration is an int64 of nanoseconds, so
 * time.ParseDuration refuses anything past 2562047h47m16.854775807s ("time: invalid duration").
 */
export const GO_MAX_DURATION_SECONDS = 9223372036;

/** A Duration's milliseconds, never throwing (cdk8s throws, without a path, for NaN or fractions). */
export function durationMilliseconds(d: Duration): number {
  return d.toMilliseconds({ integral: false });
}

/**
 * What is wrong with `d` as a Go duration Argo CD or the External Secrets Operator parses (with
 * `allowZero`, 0 is allowed), or undefined. The value to quote in the message is `${ms}ms`.
 */
export function goDurationProblem(d: Duration, allowZero = false): string | undefined {
  const ms = durationMilliseconds(d);
  if (!Number.isFinite(ms)) return 'is not a finite duration; use Duration.seconds(), Duration.minutes() or Duration.hours() with a finite number';
  if (!Number.isInteger(ms / 1000) || ms < 0 || (ms === 0 && !allowZero)) {
    return `is not a ${allowZero ? 'whole number of seconds, 0 or more' : 'positive whole number of seconds'}; use Duration.seconds(), Duration.minutes() or Duration.hours()`;
  }
  if (ms / 1000 > GO_MAX_DURATION_SECONDS) {
    return 'is longer than Go\'s longest duration, 2562047h47m16s (time.ParseDuration refuses it as an invalid duration); use a shorter duration';
  }
  return undefined;
}

/**
 * Renders a cdk8s Duration as a short Go duration string: `5s`, `3m`, `1h`, `1h30m`. This is the
 * one form the library writes, into manifests and messages alike: Go's `Duration.String()` with
 * its zero components left out (`3m`, not `3m0s`), as Argo CD's own examples and the design
 * documents' manifests write it; Go's `time.ParseDuration` reads both forms as the same duration.
 * Zero, where a field allows it, is written by the caller as `0s` (see `ZERO_GO_DURATION`).
 * Throws a ValidationError about `scope` naming `field` for sub-second, zero, negative, non-finite
 * values and values longer than Go's longest duration.
 */
export function renderGoDuration(d: Duration, field: string, scope?: IConstruct): string {
  const problem = goDurationProblem(d);
  const ms = durationMilliseconds(d);
  if (problem) fail(scope, field, `${ms}ms`, problem);
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/** A zero duration, as Go's `Duration.String()` writes it: the one zero the library writes. */
export const ZERO_GO_DURATION = '0s';

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * Parses a Go duration string (`1h30m`, `90s`, `1.5h`) into seconds, following
 * time.ParseDuration: a sequence of decimal numbers each with a unit (ns, us, ms, s, m, h), an
 * optional sign, and `0` alone. Returns undefined for anything Go would reject (`1d`, `5`, `1h 30m`).
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0' || text === '+0' || text === '-0') return 0;
  const m = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!m) return undefined;
  let total = 0;
  const re = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
  let part: RegExpExecArray | null;
  while ((part = re.exec(m[2])) !== null) {
    total += parseFloat(part[1]) * UNITS[part[2]];
  }
  return m[1] === '-' ? -total : total;
}
