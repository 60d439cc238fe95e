import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { SyncWave } from '../../lib/sync/sync-wave';
import { WavePolicy } from '../../lib/sync/wave-policy';
import { schemaProblems } from '../support/crds';

const WAVE = 'argocd.argoproj.io/sync-wave';

function cm(scope: Construct, id: string, annotations?: Record<string, string>): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id, annotations }, data: { a: '1' } } as any);
}

/** name -> sync-wave annotation (undefined when absent) */
function waves(manifests: any[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const m of manifests) out[m.metadata.name] = m.metadata.annotations?.[WAVE];
  return out;
}

function synthApp(app: ArgoCdApp): any[] {
  return app.synthFiles().map((f) => f.manifest);
}

describe('SyncWave.of', () => {
  test('writes the wave on the default ApiObject, negative allowed', () => {
    // GIVEN
    const chart = Testing.chart();
    const ns = new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'production' } });
    // WHEN
    SyncWave.of(-1).applyTo(ns);
    // THEN
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual({ [WAVE]: '-1' });
  });

  test('writes the wave on a cdk8s-plus construct through ApiObject.of', () => {
    const chart = Testing.chart();
    const deploy = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    SyncWave.of(2).applyTo(deploy);
    const d = Testing.synth(chart).find((m) => m.kind === 'Deployment');
    expect(d.metadata.annotations[WAVE]).toEqual('2');
  });

  test('fails when the wave is not an integer', () => {
    expect(() => SyncWave.of(1.5)).toThrow('sync wave must be an integer, got 1.5');
    expect(() => SyncWave.of(NaN)).toThrow('sync wave must be an integer, got NaN');
  });

  test('fails when the wave is out of range', () => {
    expect(() => SyncWave.of(2 ** 60)).toThrow('sync wave 1152921504606847000 is out of range; use a whole number between -9007199254740991 and 9007199254740991');
  });

  test('orders the child Applications of an App of Apps', () => {
    // GIVEN an App of Apps with two child Application objects
    const chart = Testing.chart();
    const child = (id: string) => new ApiObject(chart, id, {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: id, namespace: 'argocd' },
      spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc' }, source: { repoURL: 'https://git.example.com/x.git', path: id } },
    } as any);
    const infra = child('infra');
    const apps = child('apps');
    // WHEN
    SyncWave.of(-1).applyTo(infra);
    SyncWave.after(apps, infra);
    // THEN
    const out = Testing.synth(chart);
    expect(waves(out)).toEqual({ infra: '-1', apps: '0' });
    expect(schemaProblems(out)).toEqual([]);
  });
});

describe('dependency-derived waves', () => {
  test('a chain gets increasing waves (plain cdk8s App and Testing.synth)', () => {
    // GIVEN
    const chart = Testing.chart();
    const a = cm(chart, 'a');
    const b = cm(chart, 'b');
    const c = cm(chart, 'c');
    // WHEN
    SyncWave.after(b, a);
    SyncWave.after(c, b);
    // THEN: a keeps no annotation (wave 0)
    expect(waves(Testing.synth(chart))).toEqual({ a: undefined, b: '1', c: '2' });
  });

  test('cdk8s addDependency alone derives waves in an ArgoCdApp', () => {
    const app = new ArgoCdApp();
    const chart = new Chart(app, 'c');
    const a = cm(chart, 'a');
    const b = cm(chart, 'b');
    b.node.addDependency(a);
    expect(waves(synthApp(app))).toEqual({ a: undefined, b: '1' });
  });

  test('a diamond gets the longest path, starting from explicit waves', () => {
    // GIVEN top(5) <- left, top <- right(explicit 9), left,right <- bottom
    const chart = Testing.chart();
    const top = cm(chart, 'top', { [WAVE]: '5' });
    const left = cm(chart, 'left');
    const right = cm(chart, 'right');
    const bottom = cm(chart, 'bottom');
    SyncWave.of(9).applyTo(right);
    SyncWave.after(left, top);
    SyncWave.after(right, top);
    SyncWave.after(bottom, left, right);
    // THEN
    expect(waves(Testing.synth(chart))).toEqual({ top: '5', left: '6', right: '9', bottom: '10' });
  });

  test('a dependency never moves an object earlier than it would be without it', () => {
    const chart = Testing.chart();
    const early = cm(chart, 'early');
    const later = cm(chart, 'later');
    SyncWave.of(-5).applyTo(early);
    SyncWave.after(later, early);
    expect(waves(Testing.synth(chart))).toEqual({ early: '-5', later: '0' });
  });

  test('a dependency on a construct stands for every object below it', () => {
    // GIVEN a cdk8s-plus Deployment (its ApiObject is a child) depending on a group of two objects
    const chart = Testing.chart();
    const group = new Construct(chart, 'config');
    cm(group, 'one', { [WAVE]: '3' });
    cm(group, 'two');
    const deploy = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    SyncWave.after(deploy, group);
    const out = Testing.synth(chart);
    expect(out.find((m) => m.kind === 'Deployment').metadata.annotations[WAVE]).toEqual('4');
  });

  test('derivation is recomputed at every synth', () => {
    const chart = Testing.chart();
    const a = cm(chart, 'a');
    const b = cm(chart, 'b');
    SyncWave.after(b, a);
    expect(waves(Testing.synth(chart))).toEqual({ a: undefined, b: '1' });
    SyncWave.of(4).applyTo(a);
    expect(waves(Testing.synth(chart))).toEqual({ a: '4', b: '5' });
  });

  test('fails when an explicit wave contradicts a dependency, naming both objects', () => {
    // GIVEN
    const app = new ArgoCdApp();
    const chart = new Chart(app, 'prod');
    const db = cm(chart, 'db');
    const api = cm(chart, 'api');
    SyncWave.of(2).applyTo(db);
    SyncWave.of(1).applyTo(api);
    // WHEN
    SyncWave.after(api, db);
    // THEN
    expect(() => app.synthFiles()).toThrow('sync wave 1 of [prod/api] is not greater than sync wave 2 of [prod/db], which it depends on; give it a wave of at least 3, or remove its explicit wave to have it derived');
  });

  test('fails when dependencies form a cycle, naming the cycle', () => {
    const chart = Testing.chart();
    const a = cm(chart, 'a');
    const b = cm(chart, 'b');
    const c = cm(chart, 'c');
    SyncWave.after(b, a);
    SyncWave.after(c, b);
    SyncWave.after(a, c);
    expect(() => Testing.synth(chart)).toThrow('sync wave dependencies form a cycle: [test/a] -> [test/b] -> [test/c] -> [test/a]; remove one of these dependencies');
  });

  test('chart-level dependencies (which cdk8s adds between nested charts) are not turned into waves', () => {
    const app = Testing.app();
    const outer = new Chart(app, 'outer');
    const inner = new Chart(outer, 'inner');
    cm(outer, 'x');
    cm(inner, 'y');
    WavePolicy.of(app, {});
    expect(waves(Testing.synth(outer))).toEqual({ x: undefined });
    expect(waves(Testing.synth(inner))).toEqual({ y: undefined });
  });

  test('property: across charts and groups, waves are the longest paths of the object pairs each dependency stands for', () => {
    // Objects in two charts, directly or in groups (plain constructs, possibly nested); random
    // dependencies between objects, groups and charts. A dependency of c on d stands for every pair
    // (object below d, object below c) in one chart; one on or of a chart stands for nothing. The
    // expected waves are computed from those pairs directly. Acyclic by construction: every object
    // has a rank, and c may depend on d only when every object below d ranks below every object
    // below c.
    const shape = fc.record({
      objects: fc.array(fc.record({ chart: fc.nat(1), group: fc.nat(3), kind: fc.nat(3) }), { minLength: 1, maxLength: 14 }),
      deps: fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { maxLength: 30 }),
      policy: fc.array(fc.option(fc.integer({ min: -2, max: 4 }), { nil: undefined }), { minLength: 4, maxLength: 4 }),
    });
    fc.assert(fc.property(shape, ({ objects, deps, policy }) => {
      const app = new ArgoCdApp({ outdir: 'unused' });
      const charts = [new Chart(app, 'c0'), new Chart(app, 'c1')];
      // groups 0-1 directly in the chart, group 2 inside group 1; group 3 means no group
      const groups = charts.map((chart) => {
        const g0 = new Construct(chart, 'g0');
        const g1 = new Construct(chart, 'g1');
        return [g0, g1, new Construct(g1, 'g2')];
      });
      const kinds = ['ConfigMap', 'Secret', 'Service', 'ServiceAccount'];
      const objs = objects.map((o, i) => {
        const scope = o.group < 3 ? groups[o.chart][o.group] : charts[o.chart];
        return { chart: o.chart, rank: i, api: new ApiObject(scope, `o${i}`, { apiVersion: 'v1', kind: kinds[o.kind], metadata: { name: `o${i}` } }) };
      });
      const policyMap: Record<string, number> = {};
      policy.forEach((w, i) => { if (w !== undefined) policyMap[kinds[i]] = w; });
      WavePolicy.of(app, policyMap);
      // the endpoints a dependency can name: objects, groups, charts
      const endpoints: Construct[] = [...objs.map((o) => o.api), ...groups.flat(), ...charts];
      const below = (c: Construct) => objs.filter((o) => o.api === c || o.api.node.path.startsWith(`${c.node.path}/`));
      const pairs: Array<[number, number]> = [];
      for (const [a, b] of deps) {
        const c = endpoints[a % endpoints.length];
        const d = endpoints[b % endpoints.length];
        const cs = below(c);
        const ds = below(d);
        if (cs.length === 0 || ds.length === 0) continue;
        if (Math.max(...ds.map((o) => o.rank)) >= Math.min(...cs.map((o) => o.rank))) continue;
        c.node.addDependency(d);
        if (charts.includes(c as Chart) || charts.includes(d as Chart)) continue;
        for (const y of cs) for (const x of ds) if (x.chart === y.chart) pairs.push([x.rank, y.rank]);
      }
      // expected: ranks are a topological order of the pairs
      const expected = objs.map(() => undefined as number | undefined);
      for (const o of objs) {
        const floor = policyMap[o.api.kind];
        const preds = pairs.filter(([, y]) => y === o.rank).map(([x]) => (expected[x] ?? 0) + 1);
        expected[o.rank] = floor === undefined && preds.length === 0 ? undefined : Math.max(floor ?? 0, ...preds);
      }
      const got = waves(synthApp(app));
      objs.forEach((o) => expect(got[`o${o.rank}`]).toEqual(expected[o.rank] === undefined ? undefined : String(expected[o.rank])));
    }), { numRuns: 300 });
  });

  test('property: derived waves satisfy every edge of a random DAG', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 25 }).chain((n) => fc.tuple(
        fc.constant(n),
        fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 60 }),
        fc.array(fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }), { minLength: n, maxLength: n }),
      )),
      ([n, pairs, policyish]) => {
        const chart = Testing.chart();
        const objs = Array.from({ length: n }, (_, i) => new ApiObject(chart, `o${i}`, { apiVersion: 'v1', kind: policyish[i] === undefined ? 'ConfigMap' : `K${i}`, metadata: { name: `o${i}` } }));
        const policy: Record<string, number> = {};
        policyish.forEach((w, i) => { if (w !== undefined) policy[`K${i}`] = w; });
        WavePolicy.of(chart, policy);
        // edges only from lower to higher index: acyclic
        const edges = pairs.filter(([x, y]) => x !== y).map(([x, y]) => (x < y ? [x, y] : [y, x]));
        for (const [x, y] of edges) SyncWave.after(objs[y], objs[x]);
        const byName = new Map(Testing.synth(chart).map((m) => [m.metadata.name, Number(m.metadata.annotations?.[WAVE] ?? '0')]));
        for (const [x, y] of edges) expect(byName.get(`o${y}`)!).toBeGreaterThan(byName.get(`o${x}`)!);
        // minimal: an object with predecessors sits exactly one above the highest, or at its floor
        policyish.forEach((w, i) => {
          const preds = edges.filter(([, y]) => y === i).map(([x]) => byName.get(`o${x}`)! + 1);
          expect(byName.get(`o${i}`)).toEqual(Math.max(w ?? 0, ...preds));
        });
      },
    ), { numRuns: 100 });
  });
});
