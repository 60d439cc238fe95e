// Derives sync waves from construct dependencies. Internal.
//
// Model: every ApiObject is a node; a dependency "B after A" is an edge A -> B of weight 1
// (B's wave must be at least A's wave + 1). A dependency on (or of) a construct that is not an
// ApiObject stands for every ApiObject below it; to keep the graph linear in size, such a
// construct becomes one virtual node joined to its objects by edges of weight 0, instead of an
// edge for every pair. Waves are then the longest paths in topological order (Kahn's algorithm),
// starting from each object's explicit wave or, when it has none, from its kind's wave policy
// (or 0, Argo CD's default): a dependency only ever delays an object, never moves it earlier.
// Only dependencies between objects of the same chart count: waves order one Application.
import { ApiObject, App, Chart, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import { _allApiObjects, _allConstructs } from '../_internal/synthesis';
import { parseGoInt, rawAnnotation, SYNC_WAVE_ANNOTATION } from './_annotations';

const INSTALLED = Symbol.for('cdk8s-argocd.SyncWave.derivation');
const POLICY = Symbol.for('cdk8s-argocd.WavePolicy.waves');
const DERIVED = Symbol.for('cdk8s-argocd.SyncWave.derived');

interface DerivedSlot {
  value: string | undefined;
  readonly lazy: unknown;
}

/** Stores a kind -> wave map on a scope (read by the solver). */
export function policyMapOf(scope: IConstruct, create: boolean): Map<string, number> | undefined {
  let map = (scope as any)[POLICY] as Map<string, number> | undefined;
  if (!map && create) {
    map = new Map();
    Object.defineProperty(scope, POLICY, { value: map, enumerable: false });
  }
  return map;
}

/** The wave the nearest enclosing wave policy gives `obj`'s kind, if any. */
export function policyWaveOf(obj: ApiObject): number | undefined {
  let c: IConstruct | undefined = obj;
  while (c) {
    const map = (c as any)[POLICY] as Map<string, number> | undefined;
    if (map) {
      const w = map.get(obj.kind);
      if (w !== undefined) return w;
    }
    c = c.node.scope;
  }
  return undefined;
}

/**
 * The wave explicitly written on `obj` (by `SyncWave.applyTo` or by hand), or undefined when
 * the annotation is absent, was written by the solver, or does not parse.
 */
export function explicitWaveOf(obj: ApiObject): number | undefined {
  const raw = rawAnnotation(obj, SYNC_WAVE_ANNOTATION);
  if (typeof raw !== 'string') return undefined;
  return parseGoInt(raw);
}

/** Makes the root of `scope` derive waves whenever it is validated (every cdk8s synth path). */
export function installDerivation(scope: IConstruct): void {
  const root = scope.node.root;
  if ((root as any)[INSTALLED]) return;
  Object.defineProperty(root, INSTALLED, { value: true, enumerable: false });
  root.node.addValidation({ validate: () => deriveWaves(root) });
}

function isChartOrApp(c: IConstruct): boolean {
  return c instanceof Chart || c instanceof App || c.node.scope === undefined;
}

/**
 * Derives and writes the waves of every ApiObject under `root`.
 *
 * @returns one message per problem (contradicting explicit waves, cycles); empty when all is well
 */
export function deriveWaves(root: IConstruct): string[] {
  // listed once per synthesis
  const all: IConstruct[] = _allConstructs(root);

  // Nodes: 0..n-1 are ApiObjects; virtual nodes follow.
  const objects: ApiObject[] = _allApiObjects(root);
  const idOf = new Map<IConstruct, number>();
  for (let i = 0; i < objects.length; i++) idOf.set(objects[i], i);
  const n = objects.length;
  const succ: number[][] = [];
  const weight: number[][] = [];
  const owner: IConstruct[] = []; // the construct a node stands for (for messages)
  for (let i = 0; i < n; i++) {
    succ.push([]);
    weight.push([]);
    owner.push(objects[i]);
  }
  const addNode = (c: IConstruct): number => {
    succ.push([]);
    weight.push([]);
    owner.push(c);
    return succ.length - 1;
  };
  const addEdge = (from: number, to: number, w: number) => {
    succ[from].push(to);
    weight[from].push(w);
  };

  const chartOf = new Map<ApiObject, Chart>();
  const chartOfObject = (o: ApiObject): Chart => {
    let k = chartOf.get(o);
    if (!k) {
      k = Chart.of(o);
      chartOf.set(o, k);
    }
    return k;
  };
  // the objects below a construct, grouped by chart
  const objectsBelow = (c: IConstruct): Map<Chart, number[]> => {
    const out = new Map<Chart, number[]>();
    for (const x of c.node.findAll()) {
      if (!(x instanceof ApiObject)) continue;
      const id = idOf.get(x);
      if (id === undefined) continue;
      const k = chartOfObject(x);
      const list = out.get(k);
      if (list) list.push(id);
      else out.set(k, [id]);
    }
    return out;
  };

  const doneNode = new Map<IConstruct, Map<Chart, number>>();
  const startNode = new Map<IConstruct, Map<Chart, number>>();
  // per chart: "every object below d in that chart is done" (objects -> virtual, weight 0)
  const targetOf = (d: IConstruct): Map<Chart, number> => {
    const id = idOf.get(d);
    if (id !== undefined) return new Map([[chartOfObject(d as ApiObject), id]]);
    let m = doneNode.get(d);
    if (m) return m;
    m = new Map();
    for (const [k, ids] of objectsBelow(d)) {
      const v = addNode(d);
      for (const o of ids) addEdge(o, v, 0);
      m.set(k, v);
    }
    doneNode.set(d, m);
    return m;
  };
  // per chart: "every object below c in that chart starts after" (virtual -> objects, weight 0)
  const sourceOf = (c: IConstruct): Map<Chart, number> => {
    const id = idOf.get(c);
    if (id !== undefined) return new Map([[chartOfObject(c as ApiObject), id]]);
    let m = startNode.get(c);
    if (m) return m;
    m = new Map();
    for (const [k, ids] of objectsBelow(c)) {
      const v = addNode(c);
      for (const o of ids) addEdge(v, o, 0);
      m.set(k, v);
    }
    startNode.set(c, m);
    return m;
  };

  // Waves order objects within one Application, that is one chart: dependencies between objects
  // of different charts (including those cdk8s adds between nested charts) are not waves.
  for (const c of all) {
    // most constructs have no dependency: that is asked first, as it is the cheaper question
    const dependencies = c.node.dependencies;
    if (dependencies.length === 0 || isChartOrApp(c)) continue;
    for (const d of dependencies) {
      if (isChartOrApp(d)) continue;
      const targets = targetOf(d);
      if (targets.size === 0) continue;
      for (const [k, to] of sourceOf(c)) {
        const from = targets.get(k);
        if (from !== undefined) addEdge(from, to, 1);
      }
    }
  }

  const total = succ.length;
  const indeg = new Int32Array(total);
  for (let u = 0; u < total; u++) for (const v of succ[u]) indeg[v]++;

  const lower = new Array<number>(total).fill(-Infinity); // from predecessors
  const blame = new Int32Array(total).fill(-1); // the object that set `lower`
  const value = new Array<number>(total).fill(-Infinity);
  const write = new Array<string | undefined>(n).fill(undefined);
  const errors: string[] = [];

  const queue: number[] = [];
  for (let u = 0; u < total; u++) if (indeg[u] === 0) queue.push(u);
  let processed = 0;
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head];
    processed++;
    if (u < n) {
      const obj = objects[u];
      const explicit = explicitWaveOf(obj);
      if (explicit !== undefined) {
        if (lower[u] > explicit) {
          const a = objects[blame[u]];
          errors.push(`sync wave ${explicit} of [${obj.node.path}] is not greater than sync wave ${lower[u] - 1} of [${a.node.path}], which it depends on; give it a wave of at least ${lower[u]}, or remove its explicit wave to have it derived`);
        }
        value[u] = explicit;
      } else {
        const floor = policyWaveOf(obj);
        if (floor === undefined && lower[u] === -Infinity) {
          value[u] = 0; // no annotation: Argo CD's wave 0
        } else {
          value[u] = Math.max(floor ?? 0, lower[u]);
          write[u] = String(value[u]);
        }
      }
    } else {
      value[u] = lower[u];
    }
    const origin = u < n ? u : blame[u];
    const s = succ[u];
    const w = weight[u];
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      const cand = value[u] + w[i];
      if (cand > lower[v]) {
        lower[v] = cand;
        blame[v] = origin;
      }
      if (--indeg[v] === 0) queue.push(v);
    }
  }

  if (processed < total) {
    errors.push(`sync wave dependencies form a cycle: ${describeCycle(succ, indeg, owner, n)}; remove one of these dependencies`);
    return errors;
  }
  if (errors.length > 0) return errors;

  for (let i = 0; i < n; i++) setDerived(objects[i], write[i]);
  return [];
}

function setDerived(obj: ApiObject, value: string | undefined): void {
  let slot = (obj as any)[DERIVED] as DerivedSlot | undefined;
  if (!slot) {
    if (value === undefined) return;
    const created: DerivedSlot = { value, lazy: undefined };
    (created as any).lazy = Lazy.any({ produce: () => created.value });
    Object.defineProperty(obj, DERIVED, { value: created, enumerable: false });
    slot = created;
  }
  slot.value = value;
  const raw = rawAnnotation(obj, SYNC_WAVE_ANNOTATION);
  if (raw === undefined && value !== undefined) {
    obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, slot.lazy as any);
  }
}

/** Finds one cycle among the nodes Kahn's algorithm could not process; names its objects. */
function describeCycle(succ: number[][], indeg: Int32Array, owner: IConstruct[], n: number): string {
  const total = succ.length;
  // predecessors among the unprocessed nodes
  const pred: number[] = new Array(total).fill(-1);
  for (let u = 0; u < total; u++) {
    if (indeg[u] === 0) continue;
    for (const v of succ[u]) if (indeg[v] > 0 && pred[v] === -1) pred[v] = u;
  }
  let start = -1;
  for (let u = 0; u < total; u++) if (indeg[u] > 0) { start = u; break; }
  const seen = new Map<number, number>();
  const walk: number[] = [];
  let u = start;
  while (!seen.has(u)) {
    seen.set(u, walk.length);
    walk.push(u);
    u = pred[u];
  }
  const cycle = walk.slice(seen.get(u)!).reverse(); // forward order
  const lowest = cycle.indexOf(Math.min(...cycle.filter((x) => x < n)));
  if (lowest > 0) cycle.push(...cycle.splice(0, lowest));
  const names: string[] = [];
  for (const node of cycle) {
    if (node >= n) continue;
    const name = `[${owner[node].node.path}]`;
    if (names[names.length - 1] !== name) names.push(name);
  }
  if (names.length === 0) names.push(...cycle.map((x) => `[${owner[x].node.path}]`));
  names.push(names[0]);
  return names.join(' -> ');
}
