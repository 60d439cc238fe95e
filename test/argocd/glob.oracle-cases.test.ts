// Stored answers of Argo CD v3.5.1's util/glob (gobwas/glob v0.2.3; test/fixtures/oracle/glob.json,
// as the oracle's glob op gave them), replayed against the library's globMatch without Go: every
// case where the library once differed, and the quirks of gobwas's compiler it follows.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { globError, globMatch } from '../../lib/argocd/_glob';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'oracle', 'glob.json'), 'utf8'));

describe('glob: stored answers of Argo CD v3.5.1 (util/glob, gobwas/glob)', () => {
  test('the fixture has matches, misses, compile errors and a panic', () => {
    const answers = fixture.cases.map((c: any) => c.answer.result.answers[0]);
    expect(answers.filter((a: any) => a.matched).length).toBeGreaterThan(5);
    expect(answers.filter((a: any) => !a.matched && !a.error && !a.panic).length).toBeGreaterThan(20);
    expect(answers.filter((a: any) => a.error).length).toBeGreaterThan(1);
    expect(answers.filter((a: any) => a.panic).length).toBe(2);
  });

  for (const c of fixture.cases) {
    test(c.name, () => {
      const { pattern, text, separators } = c.input.cases[0];
      const argo = c.answer.result.answers[0];
      if (argo.error !== undefined) {
        expect(globError(pattern)).toBe(argo.error);
        expect(globMatch(pattern, text, separators)).toBe(false);
      } else if (argo.panic !== undefined) {
        expect(() => globMatch(pattern, text, separators)).toThrow(/gobwas\/glob\) panics/);
      } else {
        expect(globError(pattern)).toBeUndefined();
        expect(globMatch(pattern, text, separators)).toBe(argo.matched);
      }
    });
  }
});
