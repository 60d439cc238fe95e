import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GoBadPatternError, goPathMatch } from '../../../lib/argocd/preview/_path-match';

// Go's path.Match, hand-worked cases (the behaviour of Go's own table for path.Match).
const CASES: [string, string, boolean | 'bad'][] = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', 'bad'],
  ['[-]', '-', 'bad'],
  ['[x-]', 'x', 'bad'],
  ['[x-]', '-', 'bad'],
  ['[x-]', 'z', 'bad'],
  ['[-x]', 'x', 'bad'],
  ['[-x]', '-', 'bad'],
  ['[-x]', 'a', 'bad'],
  ['\\', 'a', 'bad'],
  ['[a-b-c]', 'a', 'bad'],
  ['[', 'a', 'bad'],
  ['[^', 'a', 'bad'],
  ['[^bc', 'a', 'bad'],
  ['a[', 'a', 'bad'],
  ['a[', 'ab', 'bad'],
  ['a[', 'x', 'bad'],
  ['a/b[', 'x', 'bad'],
  ['*x', 'xxx', true],
  // the git directory generator's typical patterns
  ['apps/*', 'apps/api', true],
  ['apps/*', 'apps/api/overlays', false],
  ['apps/deprecated-*', 'apps/deprecated-old', true],
  ['*', 'apps/api', false],
  ['apps/[ab]*', 'apps/api', true],
  // `!` is not negation in Go: the class is {!, a}
  ['apps/[!a]*', 'apps/api', true],
  ['apps/[!a]*', 'apps/bpi', false],
  ['apps/[!a]*', 'apps/!x', true],
];

describe('goPathMatch (Go path.Match)', () => {
  it.each(CASES)('Match(%j, %j)', (pattern, name, want) => {
    if (want === 'bad') {
      expect(() => goPathMatch(pattern, name)).toThrow(GoBadPatternError);
      expect(() => goPathMatch(pattern, name)).toThrow('syntax error in pattern');
    } else {
      expect(goPathMatch(pattern, name)).toBe(want);
    }
  });

  it('a pattern without metacharacters matches only itself', () => {
    const literal = fc.string({ maxLength: 12 }).filter((s) => !/[*?[\\]/.test(s));
    fc.assert(fc.property(literal, fc.string({ maxLength: 12 }), (p, name) => {
      expect(goPathMatch(p, p)).toBe(true);
      expect(goPathMatch(p, name)).toBe(name === p);
    }));
  });

  it('`*` never crosses `/`', () => {
    const seg = fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes('/'));
    fc.assert(fc.property(seg, seg, (a, b) => {
      expect(goPathMatch('*', `${a}/${b}`)).toBe(false);
      expect(goPathMatch('*/*', `${a}/${b}`)).toBe(true);
    }));
  });

  it('an escaped metacharacter matches itself only', () => {
    fc.assert(fc.property(fc.constantFrom('*', '?', '[', '\\'), fc.string({ maxLength: 3 }), (c, other) => {
      expect(goPathMatch(`\\${c}`, c)).toBe(true);
      if (other !== c) expect(goPathMatch(`\\${c}`, other)).toBe(false);
    }));
  });
});
