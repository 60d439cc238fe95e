import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { toJson_ApplicationSpecSourceKustomize } from '../../imports/application-argoproj.io';

// scripts/import.mjs replaces the generated conversions' filter of undefined values
// (`Object.entries(x).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})`)
// with one that copies once; the result must be the same object.
function generatedFilter(x: any): any {
  return Object.entries(x).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});
}

/** Own keys in order, with values; prototypes count. */
function describeValue(x: any): string {
  if (x === null || typeof x !== 'object') return Object.is(x, -0) ? '-0' : `${typeof x}:${String(x)}`;
  const proto = Object.getPrototypeOf(x) === Object.prototype ? 'O' : Array.isArray(x) ? 'A' : 'other';
  return `${proto}{${Reflect.ownKeys(x).map((k) => `${String(k)}=${describeValue(x[k])}`).join(',')}}`;
}

const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', '10', '9', '0', 'a', 'b', 'app.kubernetes.io/name'), fc.string({ maxLength: 5 }));
const value = fc.oneof(fc.string({ maxLength: 4 }), fc.constant(undefined), fc.constant(null), fc.integer(), fc.constant({ nested: 1 }));
const dict = fc.array(fc.tuple(key, value), { maxLength: 8 }).map((entries) => {
  const o: any = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
});

describe('the generated L1 conversions', () => {
  test('drop undefined values as the generated code did: same keys, same order, same values', () => {
    fc.assert(fc.property(dict, dict, fc.option(fc.string({ maxLength: 3 }), { nil: undefined }), (labels, annotations, prefix) => {
      const input = { commonLabels: labels, commonAnnotations: annotations, namePrefix: prefix };
      const ours = toJson_ApplicationSpecSourceKustomize(input as any);
      const expected = generatedFilter({
        commonAnnotations: generatedFilter(annotations),
        commonLabels: generatedFilter(labels),
        namePrefix: prefix,
      });
      expect(describeValue(ours)).toBe(describeValue(expected));
    }), { numRuns: 2000 });
  });
});
