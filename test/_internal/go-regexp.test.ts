import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { GoRegexp } from '../../lib/_internal/go-regexp';

describe('GoRegexp', () => {
  test('reads Go syntax that JavaScript rejects or reads otherwise', () => {
    expect(GoRegexp.compile('(?i)^abc$').test('xABC')).toBe(false);
    expect(GoRegexp.compile('(?i)^abc$').test('ABC')).toBe(true);
    expect(GoRegexp.compile('(?P<env>dev|prod)').find('to-prod')!.group(1)).toBe('prod');
    expect(GoRegexp.compile('^[[:alpha:]]+$').test('abc')).toBe(true);
    expect(GoRegexp.compile('^[[:alpha:]]+$').test('a:b')).toBe(false); // JavaScript: a class of [ : a l p h
    expect(GoRegexp.compile('^\\pL+$').test('été')).toBe(true);
    expect(GoRegexp.compile('a\\z').test('a\n')).toBe(false);
    expect(GoRegexp.compile('\\Qa.b\\E').test('axb')).toBe(false);
  });

  test('rejects, with Go\'s messages, what JavaScript accepts and Go does not', () => {
    expect(GoRegexp.problem('(?=a)')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?=`');
    expect(GoRegexp.problem('(?<!a)b')).toBe('error parsing regexp: invalid named capture: `(?<!a)b`');
    expect(GoRegexp.problem('(a)\\1')).toBe('error parsing regexp: invalid escape sequence: `\\1`');
    expect(GoRegexp.problem('a{1001}')).toBe('error parsing regexp: invalid repeat count: `{1001}`');
    expect(GoRegexp.problem('[a')).toBe('error parsing regexp: missing closing ]: `[a`');
    expect(() => GoRegexp.compile('(')).toThrow('error parsing regexp: missing closing ): `(`');
    expect(GoRegexp.problem('(?i)a')).toBeUndefined();
  });

  // Expected values: the examples of Go's regexp package documentation.
  test('FindAll, ReplaceAll and Split as Go documents them', () => {
    const all = (re: string, s: string, n = -1) => GoRegexp.compile(re).findAll(s, n).map((m) => m.text);
    expect(all('a.', 'paranormal')).toEqual(['ar', 'an', 'al']);
    expect(all('a.', 'paranormal', 2)).toEqual(['ar', 'an']);
    expect(all('a.', 'graal')).toEqual(['aa']);
    expect(all('a.', 'none')).toEqual([]);
    expect(all('a*', 'baaac')).toEqual(['', 'aaa', '']);

    const re = GoRegexp.compile('a(x*)b');
    expect(re.replaceAll('-ab-axxb-', 'T')).toBe('-T-T-');
    expect(re.replaceAll('-ab-axxb-', '$1')).toBe('--xx-');
    expect(re.replaceAll('-ab-axxb-', '$1W')).toBe('---');
    expect(re.replaceAll('-ab-axxb-', '${1}W')).toBe('-W-xxW-');
    expect(re.replaceAll('-ab-axxb-', '${1}W', true)).toBe('-${1}W-${1}W-');
    expect(GoRegexp.compile('a(?P<x>x*)b').replaceAll('-axxb-', '[$x][${x}][$$][$01][$9]')).toBe('-[xx][xx][$][][]-');
    expect(GoRegexp.compile('a*').replaceAll('baaac', 'X')).toBe('XbXcX');

    const a = GoRegexp.compile('a');
    expect(a.split('banana', -1)).toEqual(['b', 'n', 'n', '']);
    expect(a.split('banana', 0)).toBeNull();
    expect(a.split('banana', 1)).toEqual(['banana']);
    expect(a.split('banana', 2)).toEqual(['b', 'nana']);
    const zp = GoRegexp.compile('z+');
    expect(zp.split('pizza', -1)).toEqual(['pi', 'a']);
    expect(zp.split('pizza', 2)).toEqual(['pi', 'a']);
    expect(GoRegexp.compile('').split('abc', -1)).toEqual(['a', 'b', 'c']);
  });

  test('empty matches step over whole characters, never inside a surrogate pair', () => {
    expect(GoRegexp.compile('x*').replaceAll('😀a', '-')).toBe('-😀-a-');
    expect(GoRegexp.compile('').findAll('😀a').map((m) => m.index)).toEqual([0, 2, 3]);
  });

  // On expressions both dialects read alike, Go and JavaScript find the same first match.
  test('agrees with JavaScript on their common syntax (property)', () => {
    const atom = fc.constantFrom('a', 'b', 'ab', '.', '[ab]', '[^a]', '\\d', 'x?', '(a|b)', '(?:ab)', '\\.');
    const quant = fc.constantFrom('', '*', '+', '?', '{1,2}', '*?', '+?');
    const expr = fc.array(fc.tuple(atom, quant).map(([x, q]) => x + q), { minLength: 1, maxLength: 4 })
      .chain((parts) => fc.constantFrom(parts.join(''), `^${parts.join('')}`, `${parts.join('')}$`, parts.join('|')));
    const text = fc.stringMatching(/^[abx.0-9]{0,8}$/);
    fc.assert(fc.property(expr, text, (re, s) => {
      let compiled: RegExp;
      try {
        compiled = new RegExp(re, 'u');
      } catch {
        // a repeated repetition (`x?*`): both reject it
        expect(GoRegexp.problem(re)).toMatch(/^error parsing regexp: invalid nested repetition operator/);
        return;
      }
      const js = compiled.exec(s);
      const go = GoRegexp.compile(re).find(s);
      expect(go ? [go.index, go.text] : null).toEqual(js ? [js.index, js[0]] : null);
    }), { numRuns: 1500 });
  });
});
