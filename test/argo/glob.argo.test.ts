// glob: the library's gobwas/glob (lib/argocd/_gobwas.ts, behind lib/argocd/_glob.ts globMatch)
// against Argo CD v3.5.1's own util/glob MatchWithError (gobwas/glob v0.2.3), which every project,
// sync window and RBAC pattern goes through. Patterns are made of braces, stars, classes, escapes
// and separators often; texts of the pattern's own pieces, so that matches are common.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globError, globMatch, globPanic } from '../../lib/argocd/_glob';
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

  // The AppProject refuses up front the patterns on which the matcher panics (globPanic finds a text
  // that makes it panic): every text it names makes Argo CD's matcher panic, and every pattern that
  // panics in Argo CD on some random text is one it refuses.
  it('refuses up front exactly the patterns whose matcher panics in Argo CD', async () => {
    let compared = 0;
    let agreed = 0;
    let refused = 0;
    // patterns with empty alternatives and braces left open, often
    const risky = fc.array(fc.oneof(piece, fc.constantFrom('{,}', '{', '{a,}', '{,a}', '{}', 'a{,}', '{,', ',}')), { minLength: 1, maxLength: 5 }).map((p) => p.join(''));
    const panicCase = fc.oneof(risky, pattern).chain((p) => fc.record({ pattern: fc.constant(p), text: textFor(p), separators: fc.constantFrom('', '/', '.') }));
    const { numRuns, seed } = argoRuns(1000, 'glob panics');
    try {
      await fc.assert(fc.asyncProperty(fc.array(panicCase, { minLength: 1, maxLength: 20 }), async (cases) => {
        const witnesses = cases.map((c) => globPanic(c.pattern, c.separators));
        const asked = [...cases, ...cases.map((c, i) => ({ ...c, text: witnesses[i]?.text ?? c.text }))];
        const a = await oracle().ask('glob', { cases: asked });
        expect(a.ok, a.error).toBe(true);
        cases.forEach((c, i) => {
          const onText: Answer = a.result.answers[i];
          const onWitness: Answer = a.result.answers[cases.length + i];
          compared++;
          if (witnesses[i] !== undefined) {
            refused++;
            expect(onWitness.panic, `Argo CD's matcher panics on the text the library names: ${JSON.stringify({ ...c, witness: witnesses[i] })}`).toBeDefined();
          }
          if (onText.panic !== undefined) {
            expect(witnesses[i], `the library refuses a pattern on which Argo CD's matcher panics: ${JSON.stringify(c)}`).toBeDefined();
          }
          agreed++;
        });
      }), { numRuns, seed });
    } finally {
      console.log(`glob panics: ${compared} patterns, ${refused} refused`); // eslint-disable-line no-console
      recordCases('glob-panics', compared, agreed);
    }
  });
});
