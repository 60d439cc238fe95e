import * as fc from 'fast-check';
import YAML from 'yaml';
import { describe, expect, test } from 'vitest';
import { dumpYaml, loadYamlDocuments } from '../../lib/_internal/yaml';

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

  test('numbers and booleans keep their types', () => {
    const text = dumpYaml({ n: 3, f: 1.5, b: true, big: 1e21 });
    expect(YAML.parse(text, { version: '1.1' })).toEqual({ n: 3, f: 1.5, b: true, big: 1e21 });
  });
});
