// duration: what the library writes for a cdk8s Duration is what Go's time.ParseDuration (the
// reader of Argo CD v3.5.1's backoff and sync window durations and of ESO's metav1.Duration) reads,
// and the library refuses exactly the durations Go refuses: those past 2562047h47m16.854775807s.
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GO_MAX_DURATION_SECONDS, goDurationProblem, renderGoDuration } from '../../lib/_internal/go-duration';
import { ESO_DEFAULT_REFRESH_INTERVAL } from '../../lib/external-secrets/_common';
import { argoRuns, oracle, recordCases } from './support/oracle';

/** The Go duration string of `s` whole seconds, written as Go's own Duration.String() would be. */
function longForm(s: bigint): string {
  const h = s / 3600n;
  const m = (s % 3600n) / 60n;
  return `${h}h${m}m${s % 60n}s`;
}

describe('duration: the library renders and refuses durations as Go reads them', () => {
  it('a Duration of whole seconds renders to what Go reads as those seconds, and is refused where Go refuses it (property)', async () => {
    const max = GO_MAX_DURATION_SECONDS;
    const seconds = fc.oneof(
      fc.integer({ min: 1, max: 100000 }),
      fc.integer({ min: max - 100, max: max + 100 }),
      fc.integer({ min: 1, max: 2 ** 40 }),
      fc.constantFrom(1, 59, 60, 61, 3599, 3600, 3601, 86400, max, max + 1),
    );
    let compared = 0;
    let agreed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(seconds, { minLength: 1, maxLength: 40 }), async (list) => {
        const answers = await oracle().askAll('duration', list.map((s) => ({ text: longForm(BigInt(s)) })));
        list.forEach((s, i) => {
          compared++;
          const a = answers[i];
          const d = Duration.seconds(s);
          const problem = goDurationProblem(d);
          if (!a.ok) {
            expect(a.error).toMatch(/invalid duration/);
            expect(problem, `Go refuses ${s}s: ${a.error}`).toMatch(/longer than Go's longest duration/);
          } else {
            expect(problem, `Go reads ${s}s`).toBeUndefined();
            expect(a.result.nanoseconds).toBe(`${BigInt(s) * 1000000000n}`);
          }
          agreed++;
        });
        // the renders of the accepted ones, read by Go
        const accepted = list.filter((s) => goDurationProblem(Duration.seconds(s)) === undefined);
        const renders = await oracle().askAll('duration', accepted.map((s) => ({ text: renderGoDuration(Duration.seconds(s), 'd') })));
        renders.forEach((r, i) => expect(r.result?.nanoseconds, `${accepted[i]}s`).toBe(`${BigInt(accepted[i]) * 1000000000n}`));
      }),
      argoRuns(3000, 'duration'),
    );
    recordCases('duration', compared, agreed);
  });

  it('ESO\'s default refresh interval, as the library writes it, is the duration of the CRDs\' default 1h0m0s', async () => {
    const [written, crdDefault] = await oracle().askAll('duration', [{ text: ESO_DEFAULT_REFRESH_INTERVAL }, { text: '1h0m0s' }]);
    expect(ESO_DEFAULT_REFRESH_INTERVAL).toBe('1h');
    expect(written.result.nanoseconds).toBe('3600000000000');
    expect(written.result.nanoseconds).toBe(crdDefault.result.nanoseconds);
  });
});
