import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assignDefinedFields, JSON2JSII_FILTER } from '../../lib/_internal/json2jsii';

const GENERATED_FILTER = 'Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})';

/** A conversion in json2jsii's form over `keys`, each field read from `obj.f<i>` (maps through the filter). */
function conversion(keys: string[], maps: boolean[]): string {
  const fields = keys.map((k, i) => (maps[i]
    ? `        '${k}': ((obj.f${i}) === undefined) ? undefined : (Object.entries(obj.f${i}).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})),`
    : `        '${k}': obj.f${i},`));
  return `function toJson_X(obj) {
    if (obj === undefined) {
        return undefined;
    }
    const result = {
${fields.map((f) => `${f}\n`).join('')}    };
    // filter undefined values
    return ${GENERATED_FILTER};
}`;
}

function definedOnly(x: any): any {
  const out: any = {};
  for (const k of Object.keys(x)) {
    if (x[k] === undefined) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: x[k], enumerable: true, writable: true, configurable: true });
    else out[k] = x[k];
  }
  return out;
}

function compile(source: string): (obj: any) => any {
  return new Function('__definedOnly', '__plainObject', `'use strict';\n${source}\nreturn toJson_X;`)(definedOnly, () => ({}));
}

/** Own keys in order with values, prototypes included. */
function describeValue(x: any): string {
  if (x === null || typeof x !== 'object') return `${typeof x}:${String(x)}`;
  const proto = Object.getPrototypeOf(x) === Object.prototype ? 'O' : 'other';
  return `${proto}{${Reflect.ownKeys(x).map((k) => `${String(k)}=${describeValue(x[k])}`).join(',')}}`;
}

const key = fc.oneof(fc.constantFrom('10', '2', '0', 'a', 'b', 'constructor', 'toString', 'app.kubernetes.io/name', 'x-y'), fc.stringMatching(/^[a-z0-9]{1,4}$/));
const value = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.string({ maxLength: 3 }), fc.dictionary(fc.stringMatching(/^[a-z0-9]{1,3}$/), fc.oneof(fc.constant(undefined), fc.integer()), { maxKeys: 3 }));

describe('assignDefinedFields', () => {
  test('gives what the literal and its filter give: same keys, same order, same values, for any keys', () => {
    const spec = fc.uniqueArray(key, { minLength: 1, maxLength: 8 }).chain((keys) => fc.tuple(
      fc.constant(keys),
      fc.array(fc.boolean(), { minLength: keys.length, maxLength: keys.length }),
      fc.array(value, { minLength: keys.length, maxLength: keys.length }),
    ));
    fc.assert(fc.property(spec, ([keys, maps, values]) => {
      const source = conversion(keys, maps);
      const filtered = source.replace(JSON2JSII_FILTER, '__definedOnly($1)');
      const rewritten = assignDefinedFields(filtered, { filter: '__definedOnly', factory: '__plainObject', temp: '__v' });
      expect(rewritten).not.toContain('__definedOnly(result)');
      const input: any = {};
      values.forEach((v, i) => { input[`f${i}`] = maps[i] && (v === null || typeof v !== 'object') ? undefined : v; });
      expect(describeValue(compile(rewritten)(input))).toBe(describeValue(compile(source)(input)));
      expect(compile(rewritten)(undefined)).toBeUndefined();
    }), { numRuns: 500 });
  });

  test('rewrites every conversion of a module, with TypeScript types when asked', () => {
    const two = `${conversion(['a'], [false])}\n${conversion(['b', 'c'], [false, true])}`.replace(JSON2JSII_FILTER, 'definedOnly($1)');
    const out = assignDefinedFields(two, { filter: 'definedOnly', factory: 'plainObject', temp: 'v', types: { result: 'Record<string, any>', temp: 'unknown' } });
    expect(out.match(/const result: Record<string, any> = plainObject\(\);\n {4}let v: unknown;\n/g)).toHaveLength(2);
    expect(out).toContain("    v = obj.f0;\n    if (v !== undefined) result['b'] = v;\n");
    expect(out).not.toContain('return definedOnly(result);');
  });

  test('leaves a conversion alone when its literal names __proto__ or a key twice, or is not one field a line', () => {
    const names = { filter: '__definedOnly', factory: '__plainObject', temp: '__v' };
    for (const source of [
      conversion(['a', '__proto__'], [false, false]),
      conversion(['a', 'b', 'a'], [false, false, false]),
      conversion(['a', 'b'], [false, false]).replace("'b': obj.f1,", "'b': [\n obj.f1],"),
    ]) {
      const filtered = source.replace(JSON2JSII_FILTER, '__definedOnly($1)');
      expect(assignDefinedFields(filtered, names)).toBe(filtered);
    }
  });
});
