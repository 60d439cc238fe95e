// glob: the library's gobwas/glob (lib/argocd/_gobwas.ts, behind lib/argocd/_glob.ts globMatch)
// against Argo CD v3.5.1's own util/glob MatchWithError (gobwas/glob v0.2.3), which every project,
// sync window and RBAC pattern goes through. Patterns are made of braces, stars, classes, escapes
// and separators often; texts of the pattern's own pieces, so that matches are common.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globError, globMatch } from '../../lib/argocd/_glob';
import { argoRuns, oracle, recordCases } from './support/oracle';

const piece = fc.constantFrom(
  '*', '**', '***', '?', '/', '{', '}', ',', '{a,b}', '{a,ab}', '{,a}', '{a,}', '{/,b}', '{a/*,b}', '{*,**}', '{a{b,c},d}', '{ab,a}c', '{x*,*y}',
  '[a-c]', '[!a]', '[!/]', '[/]', '[ab]', '[a]', '\\*', '\\{', '\\', '[', ']', '!', '-', 'a', 'b', 'ab', 'team', '.', 'é', 'ß', ' ', '\u0000',
);
const pattern = fc.array(piece, { minLength: 0, maxLength: 6 }).map((p) => p.join(''));
const textPiece = fc.constantFrom('', 'a', 'b', 'ab', 'c', '/', '//', 'team', '.', 'é', 'ß', ' ', '-', 'x', 'y', 'd', '*', '{', '}', ',', '\\');
/** A text from the pattern's own literal pieces, with wildcards filled, or a random one. */
const textFor = (p: string) => fc.oneof(
  { weight: 3, arbitrary: fc.array(textPiece, { minLength: 0, maxLength: 4 }).map((t) => t.join('')) },
  { weight: 3, arbitrary: fc.array(textPiece, { minLength: 1, maxLength: 4 }).map((fills) => p.replace(/[*?[\]{}!,\\]+/g, () => fills[Math.floor(fills.length / 2)] ?? '').replace(/\u0000/g, '')) },
  { weight: 1, arbitrary: fc.constant(p) },
);
const globCase = pattern.chain((p) => fc.record({ pattern: fc.constant(p), text: textFor(p), separators: fc.constantFrom('', '/', '/', '.', '/.') }));

interface Answer { readonly matched: boolean; readonly error?: string; readonly panic?: string }

/** The library's answer in the oracle's shape. */
function libraryAnswer(c: { pattern: string; text: string; separators: string }): Answer {
  // a compile error does not depend on the separators (the parser does not know them)
  const error = globError(c.pattern);
  if (error !== undefined) return { matched: false, error };
  try {
    return { matched: globMatch(c.pattern, c.text, c.separators) };
  } catch (e: any) {
    return { matched: false, panic: /panics/.test(e.message) ? 'panic' : e.message };
  }
}

describe('glob: gobwas/glob as Argo CD v3.5.1 calls it (util/glob MatchWithError)', () => {
  it('matches, refuses to compile and panics where Argo CD does', async () => {
    let compared = 0;
    let agreed = 0;
    let matched = 0;
    const { numRuns, seed } = argoRuns(3000, 'glob');
    try {
      await fc.assert(fc.asyncProperty(fc.array(globCase, { minLength: 1, maxLength: 20 }), async (cases) => {
        const a = await oracle().ask('glob', { cases });
        expect(a.ok, a.error).toBe(true);
        cases.forEach((c, i) => {
          const argo: Answer = a.result.answers[i];
          // a panic is compared as such (the library throws, naming the pattern and the text)
          const expected = { ...argo, ...(argo.panic !== undefined ? { panic: 'panic' } : {}) };
          compared++;
          expect(libraryAnswer(c), JSON.stringify(c)).toEqual(expected);
          agreed++;
          if (argo.matched) matched++;
        });
      }), { numRuns, seed });
    } finally {
      console.log(`glob: ${compared} texts, ${matched} matched`); // eslint-disable-line no-console
      recordCases('glob', compared, agreed);
    }
  });
});
