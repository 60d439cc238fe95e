import * as vm from 'vm';
import { ApiObject, ApiObjectMetadataDefinition, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext } from 'cdk8s';
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
    wideObject(prim),
  ),
})).node;

/**
 * Objects of many keys (a pod spec has more than twenty, many of them undefined): the rendering
 * sorts short and long key lists in two ways.
 */
function wideObject(value: fc.Arbitrary<Spec>): fc.Arbitrary<Spec> {
  const entry = fc.oneof(value, value.map((inner): Spec => ({ t: 'lazy', inner })), fc.constant<Spec>({ t: 'prim', v: undefined }));
  return fc.record({ entries: fc.array(fc.tuple(key, entry), { minLength: 16, maxLength: 64 }), getters: fc.array(fc.nat(64), { maxLength: 2 }) })
    .map((r): Spec => ({ t: 'obj', ...r }));
}

/** Metadata: labels, annotations, finalizers, owner references and additional attributes. */
interface MetaSpec {
  readonly labels: Spec;
  readonly annotations: Spec;
  readonly finalizers: Spec;
  readonly owners: Spec;
  readonly namespace: Spec;
  readonly attributes: [string, Spec][];
  /** A value made only of empty arrays, empty objects and nulls, possibly behind Lazy values. */
  readonly empty: Spec;
}

const emptyish: fc.Arbitrary<Spec> = fc.letrec<{ e: Spec }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<Spec>({ t: 'prim', v: null }, { t: 'prim', v: undefined }, { t: 'arr', items: [], holes: [] }, { t: 'obj', entries: [], getters: [] }),
    fc.array(fc.tuple(key.filter((k) => k !== '__proto__'), tie('e')), { minLength: 1, maxLength: 3 }).map((entries): Spec => ({ t: 'obj', entries, getters: [] })),
    tie('e').map((inner): Spec => ({ t: 'lazy', inner })),
  ),
})).e;

const objSpec = fc.record({ entries: fc.array(fc.tuple(key, spec), { maxLength: 4 }), getters: fc.array(fc.nat(4), { maxLength: 2 }) })
  .map((r): Spec => ({ t: 'obj', ...r }));
const arrSpec = fc.record({ items: fc.array(spec, { maxLength: 3 }), holes: fc.array(fc.nat(3), { maxLength: 1 }) })
  .map((r): Spec => ({ t: 'arr', ...r }));
// mostly values cdk8s renders, sometimes anything (then cdk8s often refuses the whole object)
const metaValue = fc.oneof({ arbitrary: prim, weight: 6 }, { arbitrary: emptyish, weight: 3 }, { arbitrary: spec, weight: 1 });
const metaObj = fc.record({ entries: fc.array(fc.tuple(key, metaValue), { maxLength: 4 }), getters: fc.array(fc.nat(4), { maxLength: 2 }) })
  .map((r): Spec => ({ t: 'obj', ...r }));
const metaArr = fc.record({ items: fc.array(metaValue, { maxLength: 3 }), holes: fc.array(fc.nat(3), { maxLength: 1 }) })
  .map((r): Spec => ({ t: 'arr', ...r }));
const metaSpec: fc.Arbitrary<MetaSpec> = fc.record({
  labels: fc.oneof(metaObj, objSpec, wideObject(metaValue)),
  annotations: metaObj,
  finalizers: fc.oneof(metaArr, arrSpec),
  owners: metaArr,
  namespace: fc.oneof(prim, metaValue),
  // (metadata.add('__proto__', x) would set the prototype of cdk8s' attribute store itself)
  attributes: fc.array(fc.tuple(key.filter((k) => k !== '__proto__'), metaValue), { maxLength: 3 }),
  empty: emptyish,
});

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

function render(specs: { spec: Spec; extra: Spec; labels: Spec; meta?: MetaSpec }, fast: boolean, patch: boolean, app = new App()): Outcome {
  const log: string[] = [];
  const chart = new Chart(app, 'chart');
  const m = specs.meta;
  const obj = new ApiObject(chart, 'obj', {
    apiVersion: 'v1',
    kind: 'Thing',
    metadata: m ? {
      name: 'thing',
      namespace: build(m.namespace, log, 'meta.namespace'),
      labels: build(m.labels, log, 'meta.labels'),
      annotations: build(m.annotations, log, 'meta.annotations'),
      finalizers: build(m.finalizers, log, 'meta.finalizers'),
      ownerReferences: build(m.owners, log, 'meta.owners'),
    } : { name: 'thing' },
    spec: build(specs.spec, log, 'spec'),
    extra: build(specs.extra, log, 'extra'),
    status: build(specs.labels, log, 'status'),
  } as any);
  for (const [k, v] of m?.attributes ?? []) obj.metadata.add(k, build(v, log, `meta.${k}`));
  if (m) obj.metadata.add('emptyAttribute', build(m.empty, log, 'meta.emptyAttribute'));
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
    fc.assert(fc.property(fc.record({ spec, extra: spec, labels: spec, meta: metaSpec }), fc.boolean(), fc.boolean(), (specs, patch, unsorted) => {
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

  test('renders metadata as cdk8s does: empty arrays and objects dropped at any depth, keys always sorted', () => {
    let emptied = 0;
    let failed = 0;
    fc.assert(fc.property(metaSpec, fc.boolean(), (meta, unsorted) => {
      if (unsorted) process.env.CDK8S_DISABLE_SORT = '1';
      else delete process.env.CDK8S_DISABLE_SORT;
      const none: Spec = { t: 'prim', v: undefined };
      const specs = { spec: none, extra: none, labels: none, meta };
      const cdk8s = render(specs, false, false);
      const ours = render(specs, true, false);
      // an attribute made only of empty values is dropped as a whole
      if (cdk8s.result && !cdk8s.result.includes('emptyAttribute')) emptied++;
      if (cdk8s.error) failed++;
      expect(ours).toEqual(cdk8s);
    }), { numRuns: 3000 });
    // the generator reaches both: attributes emptied away, and metadata cdk8s refuses
    expect({ emptied: emptied > 500, failed: failed > 100 }).toEqual({ emptied: true, failed: true });
  });

  test('drops metadata that holds only empty values, and the object that holds only such metadata', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const obj = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'Thing', metadata: { labels: { a: {} as any }, annotations: { b: [] as any }, finalizers: [] } } as any);
    obj.metadata.add('extra', { nested: { deeper: Lazy.any({ produce: () => [] }) } });
    obj.metadata.add('kept', [{}, null, 'x']);
    const cdk8s = describeValue(obj.toJson());
    const ours = describeValue(_withFastRendering(app, () => obj.toJson()));
    expect(ours).toBe(cdk8s);
    expect(ours).toContain('kept:A[undefined,undefined,string:"x"]');
    expect(ours).not.toContain('extra');
  });

  test('metadata toJson is cdk8s\' own again after synthesis, and for objects of another app', () => {
    const original = ApiObjectMetadataDefinition.prototype.toJson;
    let during: unknown;
    _withFastRendering(new App(), () => {
      during = ApiObjectMetadataDefinition.prototype.toJson;
    });
    expect(during).not.toBe(original);
    expect(ApiObjectMetadataDefinition.prototype.toJson).toBe(original);
    const other = new App({ resolvers: [{ resolve: (c: ResolutionContext) => { if (c.value === 'x') c.replaceValue('y'); } }] });
    const obj = new ApiObject(new Chart(other, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n', labels: { l: 'x' } } } as any);
    const json = _withFastRendering(new App(), () => obj.toJson());
    expect(json.metadata.labels).toEqual({ l: 'y' });
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
