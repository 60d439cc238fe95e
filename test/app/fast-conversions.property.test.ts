import * as vm from 'vm';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { _recompiledConversion, _withFastConversions } from '../../lib/app/_fast-conversions';
import { ArgoCdApp } from '../../lib';

// cdk8s-plus-28's generated bindings, as loaded by cdk8s-plus itself
const k8s = require('cdk8s-plus-28/lib/imports/k8s');
const CONVERSIONS = Object.keys(k8s).filter((n) => n.startsWith('toJson_')).sort();

/** The `obj.<field>` names a generated conversion reads (from its source). */
function fieldsOf(name: string): string[] {
  const text = Function.prototype.toString.call(k8s[name]);
  return [...new Set([...text.matchAll(/\bobj\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]))];
}

/** What a call gives: the result as JSON with every own key in order, or the error's message. */
function outcome(fn: (x: any) => any, input: any): { ok: string } | { error: string } {
  try {
    const r = fn(input);
    return { ok: JSON.stringify(r, (_k, v) => (v === undefined ? '<undefined>' : v)) };
  } catch (e: any) {
    return { error: `${e?.constructor?.name}: ${e?.message}` };
  }
}

const leaf = fc.oneof(
  fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constantFrom(undefined, null, 0, '', 'yes'),
);
const mapKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'app', '10', '2', 'a.b/c', 'toString'), fc.string({ maxLength: 4 }));
const value: fc.Arbitrary<any> = fc.letrec<{ v: any }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.array(fc.tuple(mapKey, tie('v')), { maxLength: 4 }).map(toObject),
    fc.constantFrom({ value: 8080 }, { value: '50%' }, new Date(0)),
  ),
})).v;

/** An object from entries, `__proto__` kept as an own key as JSON.parse would keep it. */
function toObject(entries: [string, any][]): any {
  const o: any = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

describe('recompiled generated conversions', () => {
  test("every conversion of cdk8s-plus-28's bindings is recompiled", () => {
    expect(CONVERSIONS.length).toBeGreaterThan(400);
    const missing = CONVERSIONS.filter((n) => _recompiledConversion(k8s, n) === undefined);
    expect(missing).toEqual([]);
  });

  test('build each object once: the fields of an object type are assigned as they are converted, without a literal to copy', () => {
    const rewritten = CONVERSIONS.filter((n) => {
      const text = Function.prototype.toString.call(_recompiledConversion(k8s, n));
      return text.includes('const result = __plainObject();') && !text.includes('__definedOnly(result)');
    });
    // every conversion of an object type (the rest convert enums and unions, and build no object)
    const objectTypes = CONVERSIONS.filter((n) => Function.prototype.toString.call(k8s[n]).includes('const result = {'));
    expect(objectTypes.length).toBeGreaterThan(400);
    expect(rewritten).toEqual(objectTypes);
  });

  test('give what the originals give, or throw what they throw, on random input', () => {
    const input = fc.constantFrom(...CONVERSIONS).chain((name) => {
      const fields = fieldsOf(name);
      const field = fields.length > 0 ? fc.oneof(fc.constantFrom(...fields), mapKey) : mapKey;
      return fc.tuple(fc.constant(name), fc.oneof(
        fc.array(fc.tuple(field, value), { maxLength: 8 }).map(toObject),
        fc.constantFrom(undefined, null, 5, 'text', []),
      ));
    });
    fc.assert(fc.property(input, ([name, obj]) => {
      const fast = _recompiledConversion(k8s, name)!;
      expect(outcome(fast, obj)).toEqual(outcome(k8s[name], obj));
    }), { numRuns: 3000 });
  });

  test('throw as the originals throw for a map that is null (found by the random test above)', () => {
    for (const [name, obj] of [['toJson_KubeStorageClassProps', { parameters: null }], ['toJson_ObjectMeta', { labels: null }]] as const) {
      const original = outcome(k8s[name], obj);
      expect(original).toEqual({ error: 'TypeError: Cannot convert undefined or null to object' });
      expect(outcome(_recompiledConversion(k8s, name)!, obj)).toEqual(original);
    }
  });

  test('keep a __proto__ key of a map as an own key, as the spread does', () => {
    const labels = JSON.parse('{"__proto__": "x", "a": "b", "c": null}');
    const fast = _recompiledConversion(k8s, 'toJson_ObjectMeta')!(({ labels, name: 'n' }));
    expect(Object.getPrototypeOf(fast.labels)).toBe(Object.prototype);
    expect(Object.keys(fast.labels)).toEqual(['__proto__', 'a', 'c']);
    expect(fast).toEqual(k8s.toJson_ObjectMeta({ labels, name: 'n' }));
  });

  test("leave a module alone when a conversion reads a name it does not define, or isn't json2jsii's form", () => {
    const module = (body: string) => vm.runInThisContext(`(function () {\n${body}\nreturn { toJson_A, toJson_B };\n})()`);
    const filter = 'Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})';
    const ok = module(`function toJson_A(obj) {
    if (obj === undefined) {
        return undefined;
    }
    const result = {
        'b': toJson_B(obj.b),
    };
    // filter undefined values
    return ${filter};
}
function toJson_B(obj) {
    if (obj === undefined) {
        return undefined;
    }
    const result = {
        'x': obj.x,
        'y-z': obj.yZ,
    };
    // filter undefined values
    return ${filter};
}`);
    expect(_recompiledConversion(ok, 'toJson_A')!({ b: { x: 1, yZ: undefined } })).toEqual({ b: { x: 1 } });
    // a module whose toJson_A is `result` built from `fields` (and something else), toJson_B plain
    const withA = (fields: string, extra = '') => module(`function toJson_A(obj) {
    const result = { ${fields} };
    return ${filter};
}
${extra}
function toJson_B(obj) {
    const result = { 'b': obj.b };
    return ${filter};
}`);
    expect(_recompiledConversion(withA("'a': obj.a"), 'toJson_A')!({ a: 1, b: 2 })).toEqual({ a: 1 });
    const free = withA("'a': helper(obj.a)", 'function helper(x) { return x; }');
    expect(_recompiledConversion(free, 'toJson_A')).toBeUndefined();
    const spread = withA("...other, 'a': obj.a", 'const other = {};');
    expect(_recompiledConversion(spread, 'toJson_A')).toBeUndefined();
    const template = withA("'a': `${obj.a}`");
    expect(_recompiledConversion(template, 'toJson_A')).toBeUndefined();
  });
});

describe('_withFastConversions', () => {
  test('replaces an L1 class its objects use while the function runs, and restores it', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const original = k8s.KubeConfigMap.prototype.toJson;
    const cm = new k8s.KubeConfigMap(chart, 'cm', { data: { a: 'b' } });
    const during = _withFastConversions([cm], () => {
      expect(k8s.KubeConfigMap.prototype.toJson).not.toBe(original);
      return cm.toJson();
    });
    expect(k8s.KubeConfigMap.prototype.toJson).toBe(original);
    expect(during).toEqual(cm.toJson());
    expect(Object.keys(during)).toEqual(Object.keys(cm.toJson()));
  });

  test("reaches a user's subclass of an L1 class, and leaves a class with its own toJson alone", () => {
    const KubeService: new (scope: Chart, id: string, props: any) => ApiObject = k8s.KubeService;
    class Tuned extends KubeService {}
    class Own extends ApiObject {
      public toJson(): any {
        return { ...super.toJson(), own: true };
      }
    }
    const chart = new Chart(new App(), 'c');
    const svc = new Tuned(chart, 'svc', { spec: { ports: [{ port: 80 }] } });
    const own = new Own(chart, 'own', { apiVersion: 'v1', kind: 'Thing' });
    const before = Own.prototype.toJson;
    const [a, b] = _withFastConversions([svc, own], () => {
      expect(Own.prototype.toJson).toBe(before);
      return [svc.toJson(), own.toJson()];
    });
    expect(a).toEqual(svc.toJson());
    expect(b).toEqual(own.toJson());
  });

  test("a synthesis renders cdk8s-plus workloads as their own toJson() does", () => {
    const app = new ArgoCdApp({ outdir: '/dev/null/unused' });
    const chart = new Chart(app, 'web');
    const deployment = new kplus.Deployment(chart, 'api', {
      containers: [{ image: 'nginx:1.27', portNumber: 80, envVariables: { MODE: kplus.EnvValue.fromValue('prod') } }],
      metadata: { labels: { team: 'a' }, annotations: { note: 'x' } },
    });
    deployment.exposeViaService().exposeViaIngress('/api');
    new kplus.ConfigMap(chart, 'cfg', { data: { key: 'value', other: '1' } });
    new kplus.HorizontalPodAutoscaler(chart, 'hpa', { target: deployment, maxReplicas: 5 });
    const files = app.synthFiles();
    const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    expect(files.length).toBe(objects.length);
    const byPath = new Map(files.map((f) => [f.constructPath, f.manifest]));
    for (const o of objects) {
      // outside a synthesis every class renders through its own code
      expect(JSON.stringify(byPath.get(o.node.path))).toBe(JSON.stringify(o.toJson()));
    }
  });
});
