// Go's time.ParseDuration at its limit, as the oracle answered (test/fixtures/oracle/duration.json,
// from test/argo/duration.argo.test.ts), replayed without Go: the library accepts and renders
// exactly the durations Go reads, and refuses, naming the field, the ones Go calls invalid.
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { goDurationProblem, parseGoDuration, renderGoDuration } from '../../lib/_internal/go-duration';

interface Case { readonly text: string; readonly seconds: number; readonly goNanoseconds?: string; readonly goError?: string }
const cases: Case[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'oracle', 'duration.json'), 'utf8')).cases;

describe('Go durations at time.ParseDuration\'s limit (recorded oracle cases)', () => {
  test.each(cases.map((c) => [c.text, c] as const))('%s', (_, c) => {
    const d = Duration.seconds(c.seconds);
    if (c.goError !== undefined) {
      expect(c.goError).toMatch(/invalid duration/);
      expect(goDurationProblem(d)).toMatch(/longer than Go's longest duration/);
      expect(() => renderGoDuration(d, 'spec.x')).toThrow(`spec.x '${c.seconds * 1000}ms' is longer than Go's longest duration, 2562047h47m16s`);
    } else {
      expect(BigInt(c.goNanoseconds!)).toBe(BigInt(c.seconds) * 1000000000n);
      const text = renderGoDuration(d, 'spec.x');
      expect(parseGoDuration(text)).toBe(c.seconds);
    }
  });

  test('fails, naming the field, for NaN and infinite durations (cdk8s would throw without a path)', () => {
    expect(() => renderGoDuration(Duration.seconds(NaN), 'spec.x')).toThrow("spec.x 'NaNms' is not a finite duration");
    expect(() => renderGoDuration(Duration.days(Infinity), 'spec.x')).toThrow("spec.x 'Infinityms' is not a finite duration");
  });
});
