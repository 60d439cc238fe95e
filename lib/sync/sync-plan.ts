// The ordering rules follow Argo CD v3.5.1 and its gitops-engine (pkg/sync): controller/state.go
// partitionTargetObjsForSync and controller/hook.go isHookOfType (deletion hooks); reconcile.go
// splitHooks and ignore/ignore.go Ignore (hooks without a type are dropped); hook/hook.go IsHook,
// Skip, Types, hook/helm/*.go and hook/delete_policy.go (Argo CD and Helm hook annotations);
// syncwaves/waves.go Wave; sync_phase.go syncPhases; sync_context.go getSyncTasks (tasks of
// resources, then of hooks; generated hook names; empty namespaces set to the destination
// namespace); sync_tasks.go syncTasks.Less, Sort and adjustDeps. Tasks sort by phase, wave (Go int
// arithmetic), kind (a fixed list; every other kind ranks after it, all other kinds equal) and
// name (Go compares bytes); Namespaces and CRDs are then moved before the first object that
// needs them.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { HookPhase } from '../hooks/hook';
import {
  HELM_HOOK_ANNOTATION, HELM_HOOK_DELETE_POLICY_ANNOTATION, HELM_HOOK_WEIGHT_ANNOTATION, HOOK_ANNOTATION,
  HOOK_DELETE_POLICY_ANNOTATION, parseGoInt64, splitCsv, SYNC_WAVE_ANNOTATION,
} from './_annotations';
import { deriveWaves } from './_wave-solver';

/** gitops-engine's phase order (syncPhaseOrder). */
const PHASE_ORDER: { [phase: string]: number } = { PreSync: -1, Sync: 0, PostSync: 1, SyncFail: 2 };
const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];
/** gitops-engine's NewHookType: the hook types it recognises. */
const ENGINE_HOOK_TYPES = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip'];
/** gitops-engine's hook/helm type.go: the Helm hooks it maps, and to what. */
const HELM_HOOK_TYPES: { [helm: string]: string } = {
  'pre-install': 'PreSync', 'pre-upgrade': 'PreSync', 'post-upgrade': 'PostSync', 'post-install': 'PostSync',
};
/** gitops-engine's NewHookDeletePolicy. */
const ENGINE_DELETE_POLICIES = ['HookSucceeded', 'HookFailed', 'BeforeHookCreation'];
/** gitops-engine's hook/helm delete_policy.go. */
const HELM_DELETE_POLICIES: { [helm: string]: string } = {
  'before-hook-creation': 'BeforeHookCreation', 'hook-succeeded': 'HookSucceeded', 'hook-failed': 'HookFailed',
};
/** controller/hook.go hookTypeAnnotations: the deletion hooks, by either annotation. */
const DELETE_HOOKS: Array<{ phase: string; helm: string }> = [
  { phase: 'PreDelete', helm: 'pre-delete' },
  { phase: 'PostDelete', helm: 'post-delete' },
];
const INT64_LIMIT = 2n ** 63n;

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
 * Options for `SyncPlan.fromManifests` and `SyncPlan.fromScope`.
 */
export interface SyncPlanOptions {
  /**
   * The Application's destination namespace. Argo CD puts every object without a namespace in it
   * before it orders them (cluster-scoped objects included), so a Namespace of that name is moved
   * before the first of them.
   *
   * @default - none: objects without a namespace refer to no Namespace
   */
  readonly destinationNamespace?: string;

  /**
   * The revision being synced. Argo CD names a hook that has only `generateName` with the
   * `generateName` followed by the revision's first 7 characters, the phase and the time, and
   * orders it by that name.
   *
   * @default - unknown: such hooks are ordered by their `generateName`
   */
  readonly revision?: string;

  /**
   * The kinds the cluster serves as cluster-scoped, as `Kind.group` (`Kind` for the core group),
   * for example `ClusterRole.rbac.authorization.k8s.io`. Argo CD drops the namespace of such an
   * object and puts every other object without a namespace in the destination namespace
   * (kinds it cannot look up count as namespaced); either decides which Namespace an object waits
   * for, and which objects are duplicates.
   *
   * @default - Kubernetes' built-in cluster-scoped kinds (`SyncPlan.builtInClusterScopedKinds()`);
   *   custom resources count as namespaced, as at a first sync before their CRD exists
   */
  readonly clusterScopedKinds?: string[];
}

/** Kubernetes' built-in cluster-scoped kinds (kubectl api-resources --namespaced=false), as GroupKind strings. */
const BUILT_IN_CLUSTER_SCOPED: readonly string[] = [
  'ComponentStatus', 'Namespace', 'Node', 'PersistentVolume',
  'MutatingWebhookConfiguration.admissionregistration.k8s.io', 'ValidatingAdmissionPolicy.admissionregistration.k8s.io',
  'ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io', 'ValidatingWebhookConfiguration.admissionregistration.k8s.io',
  'MutatingAdmissionPolicy.admissionregistration.k8s.io', 'MutatingAdmissionPolicyBinding.admissionregistration.k8s.io',
  'CustomResourceDefinition.apiextensions.k8s.io', 'APIService.apiregistration.k8s.io',
  'SelfSubjectReview.authentication.k8s.io', 'TokenReview.authentication.k8s.io',
  'SelfSubjectAccessReview.authorization.k8s.io', 'SelfSubjectRulesReview.authorization.k8s.io', 'SubjectAccessReview.authorization.k8s.io',
  'CertificateSigningRequest.certificates.k8s.io', 'ClusterTrustBundle.certificates.k8s.io',
  'FlowSchema.flowcontrol.apiserver.k8s.io', 'PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io',
  'IngressClass.networking.k8s.io', 'IPAddress.networking.k8s.io', 'ServiceCIDR.networking.k8s.io',
  'RuntimeClass.node.k8s.io', 'ClusterRole.rbac.authorization.k8s.io', 'ClusterRoleBinding.rbac.authorization.k8s.io',
  'DeviceClass.resource.k8s.io', 'ResourceSlice.resource.k8s.io', 'PriorityClass.scheduling.k8s.io',
  'CSIDriver.storage.k8s.io', 'CSINode.storage.k8s.io', 'StorageClass.storage.k8s.io', 'VolumeAttachment.storage.k8s.io',
  'VolumeAttributesClass.storage.k8s.io',
];

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
   * The wave as Argo CD reads it: `argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`,
   * else 0 (a value that does not parse counts as absent); for a Namespace or CRD moved before
   * its first user, that user's wave. Waves beyond 2^53 are shown rounded.
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
   * Whether Argo CD treats the object as a hook (an Argo CD hook annotation other than `Skip`, or
   * a Helm hook annotation other than `crd-install`).
   */
  readonly hook: boolean;

  /**
   * The hook types Argo CD reads (gitops-engine's `hook.Types`): those of
   * `argocd.argoproj.io/hook` it knows, or, when it names none, the phases the `helm.sh/hook`
   * values map to (pre-install and pre-upgrade: PreSync; post-install and post-upgrade: PostSync).
   *
   * @default - none: the object is not a hook
   */
  readonly hookTypes?: string[];

  /**
   * The hook's delete policies as Argo CD reads them: those of
   * `argocd.argoproj.io/hook-delete-policy` it knows, then those of `helm.sh/hook-delete-policy`,
   * or `BeforeHookCreation` when there are none.
   *
   * @default - none: the object is not a hook
   */
  readonly deletePolicies?: string[];

  /**
   * Why the object is where it is, when it is not obvious (moved before its dependants, never
   * applied, ...).
   *
   * @default - no note
   */
  readonly note?: string;
}

interface Obj {
  readonly index: number;
  readonly raw: any;
  readonly annotations: { [key: string]: string };
  readonly kind: string;
  readonly name: string;
  readonly generateName: string;
  readonly namespace: string;
  readonly apiVersion: string;
  /** the group of the parsed apiVersion, as apimachinery's GroupVersionKind gives it */
  readonly group: string;
  /** the kind of the parsed GroupVersionKind ('' when the apiVersion does not parse) */
  readonly gvkKind: string;
  /** the namespace Argo CD gives the object's tasks (set in the constructor) */
  readonly syncNamespace: string;
}

interface Task {
  phase: string;
  wave: bigint;
  readonly obj: Obj;
  readonly hook: boolean;
  /** the name Argo CD orders the task by */
  readonly sortName: string;
  /** the namespace Argo CD gives the task (the destination namespace when it has none) */
  readonly namespace: string;
  note?: string;
}

/**
 * The order in which Argo CD applies a set of objects, computed with Argo CD v3.5.1's rules, for
 * review in tests and pull requests.
 *
 * Which objects are hooks: `argocd.argoproj.io/hook` with the types Argo CD knows (PreSync, Sync,
 * PostSync, SyncFail, Skip); when it names none of them, or is absent, `helm.sh/hook`
 * (pre-install and pre-upgrade run in PreSync, post-install and post-upgrade in PostSync; a Helm
 * hook with no such value is never applied; `crd-install` alone is not a hook). `Skip` alone
 * marks an object that is never applied and is not a hook.
 *
 * Order of the sync steps:
 * 1. phase: PreSync, Sync, PostSync, SyncFail (a hook of several phases runs in each;
 *    objects that are not hooks are in Sync);
 * 2. wave (`argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`, else 0);
 * 3. kind, in Argo CD's fixed order (`SyncPlan.kindOrder()`), every other kind after it, all equal;
 * 4. name (byte by byte, as Go compares strings);
 * 5. where Argo CD has no order (the same phase, wave, kind rank and name), objects that are not
 *    hooks first, then the order of the manifests: one of the orders Argo CD may choose;
 * 6. finally every Namespace is moved before the first object in it, and every CRD before the
 *    first object of its kind, taking that object's phase and wave.
 *
 * PreDelete and PostDelete hooks (Argo CD's annotation, or Helm's `pre-delete`, `post-delete`)
 * run when the Application is deleted, all of a phase at once (waves do not apply): they are
 * listed in `deletionHooks`, and are sync steps too only when they also name a sync phase.
 * Objects Argo CD never applies are listed in `notApplied`; what deserves a look is in `warnings`.
 */
export class SyncPlan {
  /**
   * The plan for rendered manifests (plain JSON objects, for example from `Testing.synth` or
   * `ArgoCdApp.synthFiles()`).
   *
   * @param manifests the objects of one Application
   * @param options the destination namespace and revision
   */
  public static fromManifests(manifests: any[], options: SyncPlanOptions = {}): SyncPlan {
    return new SyncPlan(manifests, options);
  }

  /**
   * The plan for every API object below `scope` (waves derived from dependencies included).
   *
   * @param scope a chart, or any construct
   * @param options the destination namespace and revision
   * @throws ValidationError when waves cannot be derived (a contradiction or a cycle)
   */
  public static fromScope(scope: IConstruct, options: SyncPlanOptions = {}): SyncPlan {
    const problems = deriveWaves(scope.node.root);
    if (problems.length > 0) throw new ValidationError(problems.join('\n'), scope);
    const manifests = scope.node.findAll().filter((c) => c instanceof ApiObject).map((c) => (c as ApiObject).toJson());
    return SyncPlan.fromManifests(manifests, options);
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
   * The default of `SyncPlanOptions.clusterScopedKinds`: Kubernetes' built-in cluster-scoped kinds,
   * as `Kind.group`.
   */
  public static builtInClusterScopedKinds(): string[] {
    return [...BUILT_IN_CLUSTER_SCOPED];
  }

  /**
   * The sync steps in the order Argo CD runs them.
   */
  public readonly steps: SyncPlanStep[];

  /**
   * PreDelete hooks, then PostDelete hooks, run when the Application is deleted. Argo CD creates
   * all hooks of a phase at once; they are listed by kind and name.
   */
  public readonly deletionHooks: SyncPlanStep[];

  /**
   * Objects Argo CD never applies: `Skip`, or a hook whose annotations name no phase it runs.
   */
  public readonly notApplied: SyncPlanStep[];

  /**
   * What Argo CD will do that is easy to miss: a hook with a fixed name and no
   * `BeforeHookCreation` (Argo CD does not create it again while the previous one exists), a
   * delete policy or annotation it ignores, waves too far apart for its comparison.
   */
  public readonly warnings: string[];

  private constructor(manifests: any[], options: SyncPlanOptions) {
    const destination = options.destinationNamespace ?? '';
    const resourceTasks: Task[] = [];
    const hookTasks: Task[] = [];
    const deletion: Task[] = [];
    const skipped: Task[] = [];
    const warnings: string[] = [];
    const clusterScoped = new Set(options.clusterScopedKinds ?? BUILT_IN_CLUSTER_SCOPED);
    // controller/state.go NormalizeTargetObjects: namespaces by scope; of objects with the same
    // key only the last is kept
    const objs: Obj[] = [];
    const keys: string[] = [];
    const lastByKey = new Map<string, number>();
    manifests.forEach((raw, index) => {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return;
      const obj = readObj(raw, index);
      const gk = obj.group === '' ? obj.gvkKind : `${obj.gvkKind}.${obj.group}`;
      const namespace = clusterScoped.has(gk) ? '' : obj.namespace !== '' ? obj.namespace : destination;
      const name = obj.name === '' && obj.generateName !== '' ? `${obj.generateName}${index}` : obj.name;
      const key = JSON.stringify([obj.group, obj.gvkKind, namespace, name]);
      const earlier = lastByKey.get(key);
      if (earlier !== undefined) {
        warnings.push(`${describe(objs[earlier])}: manifest ${objs[earlier].index + 1} and manifest ${index + 1} are the same object${namespace !== '' ? ` in namespace ${namespace}` : ''}: Argo CD keeps only the last one`);
      }
      lastByKey.set(key, objs.length);
      keys.push(key);
      objs.push({ ...obj, syncNamespace: namespace !== '' ? namespace : destination });
    });
    objs.forEach((obj, n) => {
      if (lastByKey.get(keys[n]) !== n) return; // a duplicate: Argo CD keeps the last one
      const raw = obj.raw;
      const id = describe(obj);
      if (hasNonStringAnnotation(raw)) {
        warnings.push(`${id}: metadata.annotations has a value that is not a string, so Argo CD reads none of this object's annotations (no hook, no wave); quote every annotation value`);
      }
      const wave = waveOf(obj.annotations);
      const task = (phase: string, hook: boolean, note?: string): Task => ({
        phase, wave, obj, hook, note, sortName: obj.name, namespace: obj.syncNamespace,
      });
      // controller/state.go partitionTargetObjsForSync
      const deletePhases = DELETE_HOOKS.filter((d) => isHookOfType(obj, d.phase, d.helm)).map((d) => d.phase);
      for (const p of deletePhases) deletion.push(task(p, true));
      const types = hookTypes(obj);
      if (deletePhases.length > 0 && !types.some((t) => SYNC_PHASES.includes(t))) return;
      const hook = isHook(obj, types);
      if (hook && types.length === 0) {
        skipped.push(task('Skip', true, ignoredNote(obj)));
        return;
      }
      if (!hook) {
        if (isSkip(types)) skipped.push(task('Skip', false, 'Skip: never applied'));
        else resourceTasks.push(task('Sync', false));
        return;
      }
      const policies = deletePoliciesOf(obj);
      if (obj.name !== '' && !policies.includes('BeforeHookCreation')) {
        const left = policies.includes('HookSucceeded') && policies.includes('HookFailed') ? 'left when a sync ends before the hook completes'
          : policies.includes('HookSucceeded') ? 'left after a failed run' : 'left after a successful run';
        warnings.push(`${id}: hook with a fixed name and delete policies ${policies.join(', ')} (no BeforeHookCreation): while an earlier ${obj.kind} of that name exists (${left}), Argo CD does not create it again; add BeforeHookCreation, or use metadata.generateName`);
      }
      const ignoredPolicies = [...splitCsv(obj.annotations[HOOK_DELETE_POLICY_ANNOTATION] ?? '').filter((p) => !ENGINE_DELETE_POLICIES.includes(p)),
        ...splitCsv(obj.annotations[HELM_HOOK_DELETE_POLICY_ANNOTATION] ?? '').filter((p) => !(p in HELM_DELETE_POLICIES))];
      if (ignoredPolicies.length > 0) {
        warnings.push(`${id}: Argo CD v3.5.1 ignores delete polic${ignoredPolicies.length > 1 ? 'ies' : 'y'} ${ignoredPolicies.map((p) => `'${p}'`).join(', ')}; it reads ${policies.join(', ')}`);
      }
      for (const p of SYNC_PHASES.filter((ph) => types.includes(ph))) {
        const t = task(p, true);
        hookTasks.push(obj.name !== '' ? t : { ...t, sortName: generatedName(obj.generateName, options.revision, p) });
      }
    });
    const tasks = [...resourceTasks, ...hookTasks];
    warnings.push(...waveOverflowWarnings(tasks));
    tasks.sort(compareTasks);
    adjustDeps(tasks, (o) => (o.kind === 'Namespace' && o.group === '' ? o.name : undefined),
      (t) => (t.namespace !== '' ? t.namespace : undefined), 'moved before the first object in this namespace');
    adjustDeps(tasks, (o) => {
      if (o.gvkKind !== 'CustomResourceDefinition' || o.group !== 'apiextensions.k8s.io') return undefined;
      const g = o.raw.spec?.group;
      const k = o.raw.spec?.names?.kind;
      return typeof g === 'string' && typeof k === 'string' ? `${g}/${k}` : undefined;
    }, (t) => `${t.obj.group}/${t.obj.gvkKind}`, 'moved before the first object of its kind');
    deletion.sort((a, b) => (a.phase === b.phase ? compareTasks(a, b) : a.phase === 'PreDelete' ? -1 : 1));
    skipped.sort(compareTasks);
    this.steps = tasks.map(toStep);
    this.deletionHooks = deletion.map(toStep);
    this.notApplied = skipped.map(toStep);
    this.warnings = warnings;
  }

  /**
   * The plan as text, one line a step, for review:
   * `3. Sync wave 0 ConfigMap production/app-config`, then the warnings.
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
    if (this.warnings.length > 0) {
      lines.push('warnings:');
      this.warnings.forEach((w) => lines.push(`  - ${w}`));
    }
    return lines.join('\n') + '\n';
  }
}

function str(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

function isPlainObject(x: unknown): x is { [key: string]: unknown } {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function hasNonStringAnnotation(raw: any): boolean {
  const a = isPlainObject(raw.metadata) ? raw.metadata.annotations : undefined;
  return isPlainObject(a) && Object.values(a).some((v) => typeof v !== 'string');
}

/**
 * The object as apimachinery's unstructured accessors read it: GetAnnotations gives no
 * annotation at all when one value is not a string; GroupVersionKind is empty when the
 * apiVersion has more than one '/'.
 */
function readObj(raw: any, index: number): Obj {
  const meta = isPlainObject(raw.metadata) ? raw.metadata : {};
  const annotations = isPlainObject(meta.annotations) && Object.values(meta.annotations).every((v) => typeof v === 'string')
    ? meta.annotations as { [key: string]: string } : {};
  const apiVersion = str(raw.apiVersion);
  const kind = str(raw.kind);
  let group = '';
  let parsed = true;
  if (apiVersion !== '' && apiVersion !== '/') {
    const slashes = apiVersion.split('/').length - 1;
    if (slashes === 1) group = apiVersion.slice(0, apiVersion.indexOf('/'));
    else if (slashes > 1) parsed = false;
  }
  return {
    index, raw, annotations, kind, apiVersion, group, gvkKind: parsed ? kind : '', syncNamespace: '',
    name: str(meta.name), generateName: str(meta.generateName), namespace: str(meta.namespace),
  };
}

function describe(obj: Obj): string {
  const name = obj.name !== '' ? obj.name : `${obj.generateName}*`;
  return `${obj.kind} ${obj.namespace !== '' ? `${obj.namespace}/` : ''}${name}`;
}

/** gitops-engine hook.Types: Argo CD's hook types, or else the Helm ones. */
function hookTypes(obj: Obj): string[] {
  const argo = splitCsv(obj.annotations[HOOK_ANNOTATION] ?? '').filter((t) => ENGINE_HOOK_TYPES.includes(t));
  if (argo.length > 0) return argo;
  return splitCsv(obj.annotations[HELM_HOOK_ANNOTATION] ?? '').filter((t) => t in HELM_HOOK_TYPES).map((t) => HELM_HOOK_TYPES[t]);
}

/** gitops-engine hook.Skip */
function isSkip(types: string[]): boolean {
  return types.includes('Skip') && types.length === 1;
}

/** gitops-engine hook.IsHook */
function isHook(obj: Obj, types: string[]): boolean {
  if (HOOK_ANNOTATION in obj.annotations) return !isSkip(types);
  return HELM_HOOK_ANNOTATION in obj.annotations && obj.annotations[HELM_HOOK_ANNOTATION] !== 'crd-install';
}

/** controller/hook.go isHookOfType: either annotation names the deletion hook (no dedup, trimmed). */
function isHookOfType(obj: Obj, phase: string, helm: string): boolean {
  const has = (key: string, want: string) => key in obj.annotations && obj.annotations[key].split(',').some((i) => i.trim() === want);
  return has(HOOK_ANNOTATION, phase) || has(HELM_HOOK_ANNOTATION, helm);
}

/** gitops-engine hook.DeletePolicies */
function deletePoliciesOf(obj: Obj): string[] {
  const policies = [
    ...splitCsv(obj.annotations[HOOK_DELETE_POLICY_ANNOTATION] ?? '').filter((p) => ENGINE_DELETE_POLICIES.includes(p)),
    ...splitCsv(obj.annotations[HELM_HOOK_DELETE_POLICY_ANNOTATION] ?? '').filter((p) => p in HELM_DELETE_POLICIES).map((p) => HELM_DELETE_POLICIES[p]),
  ];
  return policies.length > 0 ? policies : ['BeforeHookCreation'];
}

function ignoredNote(obj: Obj): string {
  if (HOOK_ANNOTATION in obj.annotations) {
    const helm = HELM_HOOK_ANNOTATION in obj.annotations ? ` nor helm.sh/hook '${obj.annotations[HELM_HOOK_ANNOTATION]}'` : '';
    return `hook annotation '${obj.annotations[HOOK_ANNOTATION]}'${helm} names no phase Argo CD runs: never applied`;
  }
  return `helm.sh/hook '${obj.annotations[HELM_HOOK_ANNOTATION]}' maps to no phase Argo CD runs: never applied`;
}

/** getSyncTasks: generateName + lower("<revision[:7]>-<phase>-<unix time>"); the time is unknown. */
function generatedName(generateName: string, revision: string | undefined, phase: string): string {
  if (revision === undefined) return generateName;
  const rev = revision.length >= 8 ? revision.slice(0, 7) : revision;
  return generateName + `${rev}-${phase}-`.toLowerCase();
}

/** syncwaves.Wave */
function waveOf(annotations: { [key: string]: string }): bigint {
  for (const key of [SYNC_WAVE_ANNOTATION, HELM_HOOK_WEIGHT_ANNOTATION]) {
    const v = annotations[key];
    if (typeof v === 'string') {
      const w = parseGoInt64(v);
      if (w !== undefined) return w;
    }
  }
  return 0n;
}

/**
 * syncTasks.Less subtracts waves as Go ints: two waves of one phase 2^63 or more apart wrap, and
 * Argo CD's order is then no order at all (it depends on how its sort happens to compare).
 */
function waveOverflowWarnings(tasks: Task[]): string[] {
  const out: string[] = [];
  for (const phase of SYNC_PHASES) {
    const inPhase = tasks.filter((t) => t.phase === phase);
    if (inPhase.length < 2) continue;
    const lo = inPhase.reduce((a, b) => (b.wave < a.wave ? b : a));
    const hi = inPhase.reduce((a, b) => (b.wave > a.wave ? b : a));
    if (hi.wave - lo.wave >= INT64_LIMIT) {
      out.push(`${phase} waves ${lo.wave} (${describe(lo.obj)}) and ${hi.wave} (${describe(hi.obj)}) are 2^63 or more apart: Argo CD's wave comparison overflows, so its order of this phase is undefined (this plan sorts by true value); keep waves within ±2^62`);
    }
  }
  return out;
}

/** Go's string comparison: byte by byte in UTF-8, which is code point order. */
function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** syncTasks.Less; ties keep their order (resources, then hooks, in manifest order: sort is stable). */
function compareTasks(a: Task, b: Task): number {
  const d = (PHASE_ORDER[a.phase] ?? 0) - (PHASE_ORDER[b.phase] ?? 0);
  if (d !== 0) return d;
  if (a.wave !== b.wave) return a.wave < b.wave ? -1 : 1;
  return (KIND_RANK.get(a.obj.kind) ?? 0) - (KIND_RANK.get(b.obj.kind) ?? 0)
    || compareGoStrings(a.sortName, b.sortName);
}

/**
 * gitops-engine's `adjustDeps`: walks the sorted tasks; a task that is a dependency (`isDep`)
 * found after the first task referring to it is moved just before that task, taking its phase
 * and wave.
 */
function adjustDeps(tasks: Task[], isDep: (o: Obj) => string | undefined, refersTo: (t: Task) => string | undefined, note: string): void {
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
      const ref = refersTo(t);
      if (ref !== undefined && !firstIndex.has(ref)) firstIndex.set(ref, i);
    }
  }
}

function toStep(t: Task): SyncPlanStep {
  const o = t.obj;
  const types = hookTypes(o);
  const step: SyncPlanStep = {
    phase: t.phase as HookPhase,
    wave: Number(t.wave),
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.name !== '' ? o.name : o.generateName !== '' ? `${o.generateName}*` : '',
    hook: t.hook,
    ...(o.namespace !== '' ? { namespace: o.namespace } : {}),
    ...(t.hook ? { hookTypes: types, deletePolicies: deletePoliciesOf(o) } : {}),
    ...(t.note ? { note: t.note } : {}),
  };
  return step;
}
