import * as vm from 'vm';
import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { _withFastRendering } from '../../lib/app/_fast-render';

// A manifest is generated as a spec (plain data), then built twice into real values (Lazy values,
// tokens, unions, class instances, getters, objects from another realm...), each build with its own
// log of the side effects cdk8s' resolution causes. cdk8s' ApiObject.toJson() renders one build,
// the one-pass rendering the other; results, errors and logs must be the same.

type Spec =
  | { t: 'prim'; v: unknown }
  | { t: 'fn' }
  | { t: 'arr'; items: Spec[]; holes: number[] }
  | { t: 'obj'; entries: [string, Spec][]; getters: number[] }
  | { t: 'lazy'; inner: Spec }
  | { t: 'token'; inner: Spec; plain: boolean }
  | { t: 'union'; v: unknown }
  | { t: 'instance'; kind: 'Foo' | 'Date' | 'Map' | 'nullproto' }
  | { t: 'realm'; entries: [string, Spec][] };

const SHARED_FN = () => 'a function';

const key = fc.oneof(
  fc.constantFrom('a', 'b', 'B', 'z', '_', '10', '9', '0', '-1', '1.5', '__proto__', 'constructor', 'resolve', 'value', 'produce', 'apiVersion', 'kind', 'metadata', 'ä', '\u{1F600}'),
  fc.string({ maxLength: 4 }),
);
const prim = fc.oneof(
  fc.string({ maxLength: 6 }), fc.integer(), fc.double(), fc.constantFrom(0, -0, NaN, Infinity, true, false, null, undefined, 'yes', ''),
).map((v): Spec => ({ t: 'prim', v }));

const spec: fc.Arbitrary<Spec> = fc.letrec<{ node: Spec }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    prim,
    fc.constant<Spec>({ t: 'fn' }),
    fc.record({ items: fc.array(tie('node'), { maxLength: 4 }), holes: fc.array(fc.nat(4), { maxLength: 2 }) }).map((r): Spec => ({ t: 'arr', ...r })),
    fc.record({ entries: fc.array(fc.tuple(key, tie('node')), { maxLength: 5 }), getters: fc.array(fc.nat(5), { maxLength: 2 }) }).map((r): Spec => ({ t: 'obj', ...r })),
    tie('node').map((inner): Spec => ({ t: 'lazy', inner })),
    fc.record({ inner: tie('node'), plain: fc.boolean() }).map((r): Spec => ({ t: 'token', ...r })),
    fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.boolean()).map((v): Spec => ({ t: 'union', v })),
    fc.constantFrom('Foo', 'Date', 'Map', 'nullproto').map((kind): Spec => ({ t: 'instance', kind: kind as any })),
    fc.array(fc.tuple(key, tie('node')), { maxLength: 3 }).map((entries): Spec => ({ t: 'realm', entries })),
  ),
})).node;

class Foo {
  constructor(readonly x: number) {}
}
class IntOrStr {
  constructor(readonly value: unknown) {}
}
class Token {
  constructor(private readonly produce: () => unknown) {}
  resolve() {
    return this.produce();
  }
}

function build(s: Spec, log: string[], path = 'r'): any {
  switch (s.t) {
    case 'prim': return s.v;
    case 'fn': return SHARED_FN;
    case 'arr': {
      const a = s.items.map((x, i) => build(x, log, `${path}.${i}`));
      for (const h of s.holes) if (h < a.length) delete a[h];
      return a;
    }
    case 'obj': {
      const o: any = {};
      s.entries.forEach(([k, v], i) => {
        const value = build(v, log, `${path}.${k}`);
        if (s.getters.includes(i)) {
          Object.defineProperty(o, k, { get: () => { log.push(`get ${path}.${k}`); return value; }, enumerable: true, configurable: true });
        } else {
          Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
        }
      });
      return o;
    }
    case 'lazy': return Lazy.any({ produce: () => { log.push(`produce ${path}`); return build(s.inner, log, `${path}>`); } });
    case 'token': {
      const produce = () => { log.push(`resolve ${path}`); return build(s.inner, log, `${path}>`); };
      return s.plain ? { resolve: produce } : new Token(produce);
    }
    case 'union': return new IntOrStr(s.v);
    case 'instance':
      switch (s.kind) {
        case 'Foo': return new Foo(1);
        case 'Date': return new Date(0);
        case 'Map': return new Map([['a', 1]]);
        default: return Object.assign(Object.create(null), { a: 1 });
      }
    case 'realm': {
      const o = vm.runInNewContext('({})');
      for (const [k, v] of s.entries) Object.defineProperty(o, k, { value: build(v, log, `${path}.${k}`), enumerable: true, writable: true, configurable: true });
      return o;
    }
  }
}

/** A canonical description: key order, holes, -0, NaN and prototypes all count. */
function describeValue(x: any, seen = new Set<any>()): string {
  if (x === undefined) return 'undefined';
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
  if (typeof x === 'function') return x === SHARED_FN ? 'fn' : 'other fn';
  if (x === null || typeof x !== 'object') return `${typeof x}:${JSON.stringify(x)}`;
  if (seen.has(x)) return 'cycle';
  seen.add(x);
  const proto = Object.getPrototypeOf(x);
  const tag = proto === null ? 'null' : proto === Object.prototype ? 'O' : proto === Array.prototype ? 'A' : `proto(${proto.constructor?.name})`;
  if (Array.isArray(x)) {
    const parts: string[] = [];
    for (let i = 0; i < x.length; i++) parts.push(i in x ? describeValue(x[i], seen) : 'hole');
    return `${tag}[${parts.join(',')}]`;
  }
  return `${tag}{${Reflect.ownKeys(x).map((k) => `${String(k)}:${describeValue(x[k], seen)}`).join(',')}}`;
}

interface Outcome {
  readonly result?: string;
  readonly error?: string;
  readonly log: string[];
}

function render(specs: { spec: Spec; extra: Spec; labels: Spec }, fast: boolean, patch: boolean, app = new App()): Outcome {
  const log: string[] = [];
  const chart = new Chart(app, 'chart');
  const obj = new ApiObject(chart, 'obj', {
    apiVersion: 'v1',
    kind: 'Thing',
    metadata: { name: 'thing' },
    spec: build(specs.spec, log, 'spec'),
    extra: build(specs.extra, log, 'extra'),
    status: build(specs.labels, log, 'status'),
  } as any);
  if (patch) obj.addJsonPatch(JsonPatch.add('/added', { b: 1, a: [2] }));
  try {
    const json = fast ? _withFastRendering(app, () => obj.toJson()) : obj.toJson();
    return { result: describeValue(json), log };
  } catch (e) {
    return { error: String(e), log };
  }
}

describe('the one-pass rendering', () => {
  const sortWas = process.env.CDK8S_DISABLE_SORT;
  afterEach(() => {
    if (sortWas === undefined) delete process.env.CDK8S_DISABLE_SORT;
    else process.env.CDK8S_DISABLE_SORT = sortWas;
  });

  test('renders any manifest as cdk8s does: same result, same error, same resolution calls in the same order', () => {
    let errors = 0;
    fc.assert(fc.property(fc.record({ spec, extra: spec, labels: spec }), fc.boolean(), fc.boolean(), (specs, patch, unsorted) => {
      if (unsorted) process.env.CDK8S_DISABLE_SORT = '1';
      else delete process.env.CDK8S_DISABLE_SORT;
      const cdk8s = render(specs, false, patch);
      const ours = render(specs, true, patch);
      if (cdk8s.error) errors++;
      expect(ours).toEqual(cdk8s);
    }), { numRuns: 3000 });
    // the generator reaches the failure paths too
    expect(errors).toBeGreaterThan(100);
  });

  test('an object cdk8s cannot render fails with cdk8s\' message, naming the first such value in key order', () => {
    const make = () => ({ spec: { t: 'obj', entries: [['b', { t: 'instance', kind: 'Date' }], ['a', { t: 'lazy', inner: { t: 'instance', kind: 'Foo' } }]], getters: [] } as Spec, extra: { t: 'prim', v: 1 } as Spec, labels: { t: 'prim', v: 2 } as Spec });
    const cdk8s = render(make(), false, false);
    expect(cdk8s.error).toBe("Error: Failed serializing construct at path 'chart/obj' with name 'thing': Error: can't render non-simple object of type 'Foo'");
    expect(render(make(), true, false)).toEqual(cdk8s);
  });

  test('is used only while the app synthesizes, and ApiObject.prototype.toJson is cdk8s\' own again afterwards', () => {
    const original = ApiObject.prototype.toJson;
    const app = new App();
    let during: unknown;
    _withFastRendering(app, () => {
      during = ApiObject.prototype.toJson;
    });
    expect(during).not.toBe(original);
    expect(ApiObject.prototype.toJson).toBe(original);
    expect(() => _withFastRendering(app, () => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(ApiObject.prototype.toJson).toBe(original);
  });

  test('leaves an app with a custom resolver to cdk8s (resolvers see every key path)', () => {
    const seen: string[] = [];
    class Upper implements IResolver {
      resolve(context: ResolutionContext): void {
        seen.push(context.key.join('.'));
        if (typeof context.value === 'string' && context.value.startsWith('up:')) context.replaceValue(context.value.slice(3).toUpperCase());
      }
    }
    const app = new App({ resolvers: [new Upper()] });
    const chart = new Chart(app, 'c');
    const obj = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'up:abc' } } as any);
    let inside: unknown;
    const json = _withFastRendering(app, () => {
      inside = ApiObject.prototype.toJson;
      return obj.toJson();
    });
    expect(inside).toBe(ApiObject.prototype.toJson);
    expect(json.data).toEqual({ a: 'ABC' });
    expect(seen).toContain('data.a');
  });

  test('renders objects of another app with cdk8s\' own code', () => {
    const other = new App({ resolvers: [{ resolve: (c: ResolutionContext) => { if (c.value === 'x') c.replaceValue('y'); } }] });
    const obj = new ApiObject(new Chart(other, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'x' } } as any);
    const json = _withFastRendering(new App(), () => obj.toJson());
    expect(json.data).toEqual({ a: 'y' });
  });

  test('renders cdk8s-plus objects (generated L1 conversions on top) exactly as cdk8s does', () => {
    const build = (app: App) => {
      const chart = new Chart(app, 'c', { labels: { team: 'a' }, namespace: 'ns' });
      const cm = new kplus.ConfigMap(chart, 'cm', { data: { b: '2', a: '1' } });
      const d = new kplus.Deployment(chart, 'd', { replicas: 2, containers: [{ image: 'nginx', portNumber: 8080, envVariables: { X: kplus.EnvValue.fromConfigMap(cm, 'a') } }] });
      d.exposeViaService();
      new kplus.HorizontalPodAutoscaler(chart, 'hpa', { target: d, maxReplicas: 5, metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))] });
      new kplus.k8s.KubePodDisruptionBudget(chart, 'pdb', { spec: { minAvailable: kplus.k8s.IntOrString.fromString('50%'), selector: { matchLabels: { app: 'd' } } } });
      new kplus.Ingress(chart, 'ing', { rules: [{ host: 'a.example.com', backend: kplus.IngressBackend.fromService(d.exposeViaService({ name: 'd2' })) }] });
      return app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    };
    const cdk8s = build(new App()).map((o) => describeValue(o.toJson()));
    const app = new App();
    const objects = build(app);
    const ours = _withFastRendering(app, () => objects.map((o) => describeValue(o.toJson())));
    expect(ours).toEqual(cdk8s);
    expect(ours.length).toBeGreaterThanOrEqual(5);
  });
});
