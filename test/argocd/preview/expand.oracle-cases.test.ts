// Regression cases of the ApplicationSet preview, stored with Argo CD v3.5.1's answers as the
// oracle gave them (test/fixtures/oracle/expand.json, recorded by test/argo/support/record-cases.ts):
// each case names the Argo CD file and function that decides it. Where `sameText` is set the
// library claims Argo CD's wording, so the error text must be Argo CD's, character for character.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ApplicationSetPreview } from '../../../lib';
import { comparableApplications, libraryExpansion } from '../../support/expand-compare';

interface StoredCase {
  readonly name: string;
  readonly argo: string;
  readonly sameText: boolean;
  /**
   * The library's message is Argo CD's text followed by what Argo CD does (in parentheses), where
   * Argo CD's own text (a Go runtime error its controller recovers) says nothing of the cause.
   */
  readonly sameTextFirst?: boolean;
  readonly input: { applicationSet: any; world: any };
  readonly answer: { ok: true; result: { applications: any[] } } | { ok: false; error: string };
}

const file = path.join(__dirname, '..', '..', 'fixtures', 'oracle', 'expand.json');
const stored: { cases: StoredCase[] } = JSON.parse(fs.readFileSync(file, 'utf8'));

describe('ApplicationSetPreview.expand: cases answered by Argo CD v3.5.1', () => {
  it('has cases, each with an answer', () => {
    expect(stored.cases.length).toBeGreaterThan(0);
    for (const c of stored.cases) expect(c.answer, c.name).toBeDefined();
  });

  for (const c of stored.cases) {
    it(`${c.name} (${c.argo})`, () => {
      const lib = libraryExpansion(() => ApplicationSetPreview.expand(c.input.applicationSet, c.input.world));
      if (c.answer.ok) {
        expect(lib.ok ? comparableApplications(lib.applications) : lib.error).toEqual(comparableApplications(c.answer.result.applications));
      } else {
        expect(lib.ok, `Argo CD fails: ${c.answer.error}`).toBe(false);
        if (c.sameText && !lib.ok) expect(lib.error).toBe(c.answer.error);
        if (c.sameTextFirst && !lib.ok) expect(lib.error.startsWith(`${c.answer.error} (`), lib.error).toBe(true);
      }
    });
  }
});
