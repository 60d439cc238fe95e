// The library's SyncPlan and the oracle's syncOrder answer (gitops-engine's sync tasks, Argo CD
// v3.5.1) in one shape, so that the differential tests (test/argo/sync-order.argo.test.ts) and the
// replay of stored cases (test/sync/sync-plan.oracle-cases.test.ts) compare them alike.
import { SyncPlan, SyncPlanStep } from '../../lib/sync/sync-plan';

/** One syncOrder request. */
export interface SyncOrderInput {
  readonly manifests: any[];
  readonly namespace: string;
  readonly revision: string;
  readonly startedAt: number;
  /** GroupKinds (`Kind.group`) the cluster serves as cluster-scoped */
  readonly clusterScoped: string[];
}

/** The comparable part of a plan: tasks in order, deletion hooks and never-applied objects as sets. */
export interface ComparablePlan {
  readonly tasks: Array<{ index: number; phase: string; wave: number; hook: boolean; hookTypes?: string[]; deletePolicies?: string[] }>;
  readonly deletionHooks: string[];
  readonly notApplied: string[];
}

function stepKey(apiVersion: string, kind: string, namespace: string, name: string): string {
  return JSON.stringify([apiVersion, kind, namespace, name]);
}

function manifestKey(m: any): string {
  const meta = m?.metadata && typeof m.metadata === 'object' ? m.metadata : {};
  const s = (x: unknown) => (typeof x === 'string' ? x : '');
  const name = s(meta.name) !== '' ? s(meta.name) : s(meta.generateName) !== '' ? `${s(meta.generateName)}*` : '';
  return stepKey(s(m.apiVersion), s(m.kind), s(meta.namespace), name);
}

/** The library's plan for a request, with each step mapped back to its manifest's index. */
export function libraryPlan(input: SyncOrderInput): { plan: SyncPlan; comparable: ComparablePlan } {
  const plan = SyncPlan.fromManifests(input.manifests, { destinationNamespace: input.namespace, revision: input.revision, clusterScopedKinds: input.clusterScoped });
  const index = new Map<string, number>();
  input.manifests.forEach((m, i) => {
    const k = manifestKey(m);
    if (index.has(k)) throw new Error(`test input has two manifests ${k}: give each its own identity`);
    index.set(k, i);
  });
  const at = (s: SyncPlanStep) => {
    const i = index.get(stepKey(s.apiVersion, s.kind, s.namespace ?? '', s.name));
    if (i === undefined) throw new Error(`step of no manifest: ${JSON.stringify(s)}`);
    return i;
  };
  return {
    plan,
    comparable: {
      tasks: plan.steps.map((s) => ({
        index: at(s), phase: s.phase, wave: s.wave, hook: s.hook,
        ...(s.hook ? { hookTypes: s.hookTypes, deletePolicies: s.deletePolicies } : {}),
      })),
      deletionHooks: plan.deletionHooks.map((s) => `${s.phase}:${at(s)}`).sort(),
      notApplied: plan.notApplied.map((s) => `${s.hook ? 'ignored' : 'skip'}:${at(s)}`).sort(),
    },
  };
}

/** The oracle's answer in the same shape (waves rounded to JavaScript numbers, as SyncPlanStep shows them). */
export function oraclePlan(answer: any): ComparablePlan {
  return {
    tasks: answer.tasks.map((t: any) => ({
      index: t.index, phase: t.phase, wave: Number(BigInt(t.wave)), hook: t.hook,
      ...(t.hook ? { hookTypes: t.hookTypes, deletePolicies: t.deletePolicies } : {}),
    })),
    deletionHooks: answer.deletionHooks.map((d: any) => `${d.type}:${d.index}`).sort(),
    notApplied: answer.notApplied.map((n: any) => `${n.reason}:${n.index}`).sort(),
  };
}

/** The same plan with the task order dropped (for plans whose order Argo CD leaves undefined). */
export function unordered(p: ComparablePlan): ComparablePlan {
  const key = (t: any) => JSON.stringify(t);
  return { ...p, tasks: [...p.tasks].map((t) => ({ ...t, wave: 0 })).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) };
}
