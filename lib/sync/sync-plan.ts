// The ordering rules follow gitops-engine's pkg/sync (sync_tasks.go, sync_phase.go, hook/hook.go,
// syncwaves/waves.go): tasks sort by phase, wave, kind (a fixed list; every other kind ranks
// after it, all other kinds equal) and name; Namespaces and CRDs are then moved before the first
// object that needs them.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { compareStrings } from '../_internal/values';
import { HookPhase } from '../hooks/hook';
import {
  HELM_HOOK_WEIGHT_ANNOTATION, HOOK_ANNOTATION, parseGoInt, splitCsv, SYNC_WAVE_ANNOTATION,
} from './_annotations';
import { deriveWaves } from './_wave-solver';

/** gitops-engine's phase order (syncPhaseOrder). */
const PHASE_ORDER: { [phase: string]: number } = { PreSync: -1, Sync: 0, PostSync: 1, SyncFail: 2 };
const SYNC_HOOK_TYPES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];
/** gitops-engine's NewHookType: the hook types it recognises. */
const ENGINE_HOOK_TYPES = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip'];
const DELETE_PHASES = ['PreDelete', 'PostDelete'];

const SYNC_KIND_ORDER: readonly string[] = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy',
  'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass',
  'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole',
  'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList',
  'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController',
  'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob',
  'IngressClass', 'Ingress', 'APIService',
];

const KIND_RANK = new Map<string, number>(SYNC_KIND_ORDER.map((k, i) => [k, i - SYNC_KIND_ORDER.length]));

/**
 * One object in a `SyncPlan`.
 */
export interface SyncPlanStep {
  /**
   * The phase: PreSync, Sync, PostSync or SyncFail for sync steps; PreDelete or PostDelete for
   * deletion hooks; Skip for objects Argo CD never applies.
   */
  readonly phase: HookPhase;

  /**
   * The wave as Argo CD reads it (0 when the annotation is absent or does not parse).
   */
  readonly wave: number;

  /**
   * The object's `apiVersion`.
   */
  readonly apiVersion: string;

  /**
   * The object's `kind`.
   */
  readonly kind: string;

  /**
   * `metadata.name`, or `metadata.generateName` followed by `*` when the object has no name.
   */
  readonly name: string;

  /**
   * `metadata.namespace`.
   *
   * @default - none (cluster-scoped, or the Application's destination namespace)
   */
  readonly namespace?: string;

  /**
   * Whether the object is a hook.
   */
  readonly hook: boolean;

  /**
   * Why the object is where it is, when it is not obvious (moved before its dependants, never
   * applied, ...).
   *
   * @default - no note
   */
  readonly note?: string;
}

interface Task {
  phase: string;
  wave: number;
  readonly obj: any;
  readonly hook: boolean;
  note?: string;
}

/**
 * The order in which Argo CD applies a set of objects, computed with Argo CD's rules, for review
 * in tests and pull requests.
 *
 * 1. phase: PreSync, Sync, PostSync, SyncFail (an object hooked to several phases runs in each;
 *    objects that are not hooks are in Sync);
 * 2. wave (`argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`, else 0);
 * 3. kind, in Argo CD's fixed order (`SyncPlan.kindOrder()`), every other kind after it, all equal;
 * 4. name (then namespace and apiVersion, to be deterministic where Argo CD is not);
 * 5. finally every Namespace is moved before the first object in it, and every CRD before the
 *    first object of its kind, taking that object's phase and wave.
 *
 * PreDelete and PostDelete hooks run when the Application is deleted, not at sync: they are
 * listed in `deletionHooks`. `Skip` objects, and hooks whose phases Argo CD does not recognise
 * (it never applies them), are listed in `notApplied`.
 */
export class SyncPlan {
  /**
   * The plan for rendered manifests (plain JSON objects, for example from `Testing.synth` or
   * `ArgoCdApp.synthFiles()`).
   *
   * @param manifests the objects of one Application
   */
  public static fromManifests(manifests: any[]): SyncPlan {
    return new SyncPlan(manifests.filter((m) => m !== null && typeof m === 'object'));
  }

  /**
   * The plan for every API object below `scope` (waves derived from dependencies included).
   *
   * @param scope a chart, or any construct
   * @throws ValidationError when waves cannot be derived (a contradiction or a cycle)
   */
  public static fromScope(scope: IConstruct): SyncPlan {
    const problems = deriveWaves(scope.node.root);
    if (problems.length > 0) throw new ValidationError(problems.join('\n'), scope);
    const manifests = scope.node.findAll().filter((c) => c instanceof ApiObject).map((c) => (c as ApiObject).toJson());
    return SyncPlan.fromManifests(manifests);
  }

  /**
   * The kinds Argo CD applies first, in this order, within one phase and wave (gitops-engine's
   * `kindOrder`, copied from Helm). Every other kind comes after them, and all other kinds rank
   * equal: they are ordered by name only.
   */
  public static kindOrder(): string[] {
    return [...SYNC_KIND_ORDER];
  }

  /**
   * The sync steps in the order Argo CD runs them.
   */
  public readonly steps: SyncPlanStep[];

  /**
   * PreDelete hooks, then PostDelete hooks, run when the Application is deleted (each phase
   * sorted by wave, kind and name).
   */
  public readonly deletionHooks: SyncPlanStep[];

  /**
   * Objects Argo CD never applies: `Skip`, or a hook annotation naming no phase it knows.
   */
  public readonly notApplied: SyncPlanStep[];

  private constructor(manifests: any[]) {
    const tasks: Task[] = [];
    const deletion: Task[] = [];
    const skipped: Task[] = [];
    for (const obj of manifests) {
      const annotations = obj.metadata?.annotations ?? {};
      const wave = waveOf(annotations);
      const hookValue = annotations[HOOK_ANNOTATION];
      if (typeof hookValue !== 'string') {
        tasks.push({ phase: 'Sync', wave, obj, hook: false });
        continue;
      }
      const items = splitCsv(hookValue);
      const deletePhases = DELETE_PHASES.filter((p) => items.includes(p));
      if (deletePhases.length > 0) {
        for (const p of deletePhases) deletion.push({ phase: p, wave, obj, hook: true });
        continue;
      }
      const types = items.filter((i) => ENGINE_HOOK_TYPES.includes(i));
      if (types.includes('Skip') && types.length === 1) {
        skipped.push({ phase: 'Skip', wave, obj, hook: true, note: 'Skip: never applied' });
        continue;
      }
      const phases = SYNC_HOOK_TYPES.filter((p) => types.includes(p));
      if (phases.length === 0) {
        skipped.push({ phase: 'Skip', wave, obj, hook: true, note: `hook annotation '${hookValue}' names no phase Argo CD knows: never applied` });
        continue;
      }
      for (const p of phases) tasks.push({ phase: p, wave, obj, hook: true });
    }
    tasks.sort(compareTasks);
    adjustDeps(tasks, (o) => (o.kind === 'Namespace' && groupOf(o) === '' ? str(o.metadata?.name) : undefined),
      (o) => (o.metadata?.namespace ? str(o.metadata.namespace) : undefined), 'moved before the first object in this namespace');
    adjustDeps(tasks, (o) => {
      if (o.kind !== 'CustomResourceDefinition' || groupOf(o) !== 'apiextensions.k8s.io') return undefined;
      const g = o.spec?.group;
      const k = o.spec?.names?.kind;
      return typeof g === 'string' && typeof k === 'string' ? `${g}/${k}` : undefined;
    }, (o) => `${groupOf(o)}/${o.kind}`, 'moved before the first object of its kind');
    deletion.sort((a, b) => (a.phase === b.phase ? compareTasks(a, b) : a.phase === 'PreDelete' ? -1 : 1));
    skipped.sort(compareTasks);
    this.steps = tasks.map(toStep);
    this.deletionHooks = deletion.map(toStep);
    this.notApplied = skipped.map(toStep);
  }

  /**
   * The plan as text, one line a step, for review:
   * `3. Sync wave 0 ConfigMap production/app-config`.
   */
  public toText(): string {
    const lines: string[] = [];
    const line = (i: number, s: SyncPlanStep) =>
      `${i + 1}. ${s.phase} wave ${s.wave} ${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}${s.hook ? ' (hook)' : ''}${s.note ? ` [${s.note}]` : ''}`;
    lines.push('sync:');
    this.steps.forEach((s, i) => lines.push(`  ${line(i, s)}`));
    if (this.deletionHooks.length > 0) {
      lines.push('on Application deletion:');
      this.deletionHooks.forEach((s, i) => lines.push(`  ${line(i, s)}`));
    }
    if (this.notApplied.length > 0) {
      lines.push('never applied:');
      this.notApplied.forEach((s, i) => lines.push(`  ${line(i, s)}`));
    }
    return lines.join('\n') + '\n';
  }
}

function str(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

function groupOf(obj: any): string {
  const v = str(obj.apiVersion);
  const i = v.indexOf('/');
  return i < 0 ? '' : v.slice(0, i);
}

function waveOf(annotations: any): number {
  for (const key of [SYNC_WAVE_ANNOTATION, HELM_HOOK_WEIGHT_ANNOTATION]) {
    const v = annotations[key];
    if (typeof v === 'string') {
      const w = parseGoInt(v);
      if (w !== undefined) return w;
      if (key === SYNC_WAVE_ANNOTATION) continue;
    }
  }
  return 0;
}


function compareTasks(a: Task, b: Task): number {
  return (PHASE_ORDER[a.phase] ?? 0) - (PHASE_ORDER[b.phase] ?? 0)
    || a.wave - b.wave
    || (KIND_RANK.get(str(a.obj.kind)) ?? 0) - (KIND_RANK.get(str(b.obj.kind)) ?? 0)
    || compareStrings(str(a.obj.metadata?.name), str(b.obj.metadata?.name))
    || compareStrings(str(a.obj.metadata?.namespace), str(b.obj.metadata?.namespace))
    || compareStrings(str(a.obj.apiVersion), str(b.obj.apiVersion))
    || compareStrings(str(a.obj.kind), str(b.obj.kind));
}

/**
 * gitops-engine's `adjustDeps`: walks the sorted tasks; a task that is a dependency (`isDep`)
 * found after the first task referring to it is moved just before that task, taking its phase
 * and wave.
 */
function adjustDeps(tasks: Task[], isDep: (o: any) => string | undefined, refersTo: (o: any) => string | undefined, note: string): void {
  const firstIndex = new Map<string, number>();
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    const depKey = isDep(t.obj);
    if (depKey !== undefined) {
      const index = firstIndex.get(depKey);
      if (index !== undefined) {
        const first = tasks[index];
        t.wave = first.wave;
        t.phase = first.phase;
        t.note = note;
        tasks.splice(i, 1);
        tasks.splice(index, 0, t);
        for (const [k, v] of firstIndex) if (v >= index) firstIndex.set(k, v + 1);
      }
    } else {
      const ref = refersTo(t.obj);
      if (ref !== undefined && !firstIndex.has(ref)) firstIndex.set(ref, i);
    }
  }
}

function toStep(t: Task): SyncPlanStep {
  const meta = t.obj.metadata ?? {};
  const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name
    : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '';
  const step: SyncPlanStep = {
    phase: t.phase as HookPhase,
    wave: t.wave,
    apiVersion: str(t.obj.apiVersion),
    kind: str(t.obj.kind),
    name,
    hook: t.hook,
    ...(typeof meta.namespace === 'string' && meta.namespace !== '' ? { namespace: meta.namespace } : {}),
    ...(t.note ? { note: t.note } : {}),
  };
  return step;
}
