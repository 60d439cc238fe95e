import * as fc from 'fast-check';
import YAML from 'yaml';
import { describe, expect, test } from 'vitest';
import { YAML11_FORMS, dumpYaml, goResolvesNonString, isYaml11Implicit, loadYamlDocuments } from '../../lib/_internal/yaml';

// Strings that YAML 1.1 readers (go-yaml, as in Kubernetes and Argo CD) would take for another type.
const LOOK_ALIKES = ['yes', 'no', 'on', 'off', 'y', 'N', 'Yes', 'ON', 'true', 'False', 'null', '~', '0x10', '0o17',
  '017', '1e3', '1_000', '1:20', '.inf', '-.nan', '2001-12-14', 'a: b', '- x', '#c', '12.5', '+1', '0b101', '', '=', '<<'];

function roundTrips(value: string): boolean {
  const text = dumpYaml({ v: value });
  return YAML.parse(text, { version: '1.1' }).v === value
    && YAML.parse(text, { version: '1.2' }).v === value
    && loadYamlDocuments(text)[0].v === value;
}

describe('YAML output', () => {
  test.each(LOOK_ALIKES)('%j stays a string for YAML 1.1 and 1.2 readers', (s) => {
    expect(roundTrips(s)).toBe(true);
  });

  test('any string stays the same string for YAML 1.1 and 1.2 readers (property)', () => {
    const pieces = fc.constantFrom(...LOOK_ALIKES, ':', ' ', '#', '-', '"', "'", '\n', '0', '1', '.', 'e', '_', 'x', '{', '[', '*', '&', '!', '%', '@', '`');
    fc.assert(fc.property(fc.oneof(fc.string(), fc.array(pieces, { maxLength: 6 }).map((a) => a.join(''))), (s) => roundTrips(s)), { numRuns: 2000 });
  });

  test('the first-character shortcut answers as the full list of YAML 1.1 forms (property)', () => {
    const full = (s: string) => s === '' || s === '<<' || s === '=' || YAML11_FORMS.some((re) => re.test(s)) || goResolvesNonString(s);
    const pieces = fc.constantFrom(...LOOK_ALIKES, 'e', 'E', '5', '_', '.', ':', '-', '+', 'x', 'o', 'b', 'Y', 'n', 'T', '<', '=', '~', ' ', 'inf', 'NaN');
    fc.assert(fc.property(fc.oneof(fc.string(), fc.array(pieces, { maxLength: 5 }).map((a) => a.join(''))), (s) => {
      expect(isYaml11Implicit(s)).toBe(full(s));
    }), { numRuns: 5000 });
    for (const s of [...LOOK_ALIKES, 'e5', 'E+3', '_E+1', '_1e5', 'yes ', 'trueish', 'Null', '..', '-', '1:2:3']) expect(isYaml11Implicit(s)).toBe(full(s));
  });

  test('multi-line strings with edge spaces are quoted wherever they sit, without changing the input', () => {
    const doc = { a: ['x', 'line \nnext', { b: [null, 1, true, ' lead\nx'] }], c: { d: 'plain\ntext\n' } };
    const before = JSON.stringify(doc);
    const text = dumpYaml(doc);
    expect(JSON.stringify(doc)).toBe(before);
    expect(YAML.parse(text, { version: '1.1' })).toEqual(doc);
    expect(text).toContain('"line \\nnext"');
    expect(text).toContain('" lead\\nx"');
  });

  test('numbers and booleans keep their types', () => {
    const text = dumpYaml({ n: 3, f: 1.5, b: true, big: 1e21 });
    expect(YAML.parse(text, { version: '1.1' })).toEqual({ n: 3, f: 1.5, b: true, big: 1e21 });
  });
});
