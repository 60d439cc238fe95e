import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DoublestarBadPatternError, doublestarMatch } from '../../../lib/argocd/preview/_doublestar';
import { gitPathspecMatch } from '../../../lib/argocd/preview/_git-pathspec';

const CASES: [string, string, boolean | 'bad'][] = [
  ['*', '', true],
  ['*', 'abc', true],
  ['*', 'a/b', false],
  ['**', 'a/b/c', true],
  ['a/**', 'a', true],
  ['a/**', 'a/b/c', true],
  ['a/**/c', 'a/c', true],
  ['a/**/c', 'a/b/c', true],
  ['a/**/c', 'a/b/d/c', true],
  ['a/*/c', 'a/b/d/c', false],
  ['a/**.txt', 'a/b.txt', true],
  ['a/**.txt', 'a/b/c.txt', false], // a doublestar inside a segment is a single star
  ['**/*.json', 'config.json', true],
  ['**/*.json', 'a/b/config.json', true],
  ['apps/**/config.json', 'apps/api/config.json', true],
  ['{a,b}/c', 'b/c', true],
  ['{a,b}/c', 'd/c', false],
  ['a/{b,c/d}/e', 'a/c/d/e', true],
  ['[!a]', 'b', true],
  ['[^a]', 'a', false],
  ['[a-c]x', 'bx', true],
  ['?', '/', false],
  ['\\*', '*', true],
  ['\\*', 'a', false],
  ['a/[', 'a/b', 'bad'],
  ['[]', 'a', 'bad'],
  ['{a,b', 'a', 'bad'],
  ['a\\', 'a', 'bad'],
];

describe('doublestarMatch (bmatcuk/doublestar v4 Match)', () => {
  it.each(CASES)('Match(%j, %j)', (pattern, name, want) => {
    if (want === 'bad') expect(() => doublestarMatch(pattern, name)).toThrow(DoublestarBadPatternError);
    else expect(doublestarMatch(pattern, name)).toBe(want);
  });

  it('a pattern without metacharacters matches only itself', () => {
    const literal = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[*?[\\{}]/.test(s));
    fc.assert(fc.property(literal, fc.string({ maxLength: 12 }), (p, name) => {
      expect(doublestarMatch(p, p)).toBe(true);
      if (name !== p) expect(doublestarMatch(p, name)).toBe(false);
    }));
  });
});

describe('gitPathspecMatch (legacy git ls-files pathspecs)', () => {
  it.each([
    ['apps/*/config.json', 'apps/a/config.json', true],
    ['apps/*/config.json', 'apps/a/b/config.json', true], // `*` crosses `/`
    ['apps/*.json', 'apps/a/b.json', true],
    ['apps', 'apps/a/b.json', true], // a directory selects every file under it
    ['apps/', 'apps/a.json', true],
    ['app', 'apps/a.json', false],
    ['ap?s/x.json', 'apps/x.json', true],
    ['a?b', 'a/b', true], // `?` matches `/` too
    ['[ab]/x', 'a/x', true],
    ['[!a]/x', 'a/x', false],
    ['config.json', 'apps/config.json', false],
    ['**/config.json', 'config.json', false], // `**/` needs a `/` in legacy mode
    ['*config.json', 'apps/x/config.json', true],
  ] as [string, string, boolean][])('pathspec %j selects %j: %s', (pattern, name, want) => {
    expect(gitPathspecMatch(pattern, name)).toBe(want);
  });
});
