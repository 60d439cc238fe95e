import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { loadYamlDocuments } from '../../lib/_internal/yaml';
import { SyncPlan } from '../../lib/sync/sync-plan';
import { SyncWave } from '../../lib/sync/sync-wave';

const SEEDS = path.join(__dirname, '..', 'fixtures', 'seeds');
const load = (f: string) => loadYamlDocuments(fs.readFileSync(path.join(SEEDS, f), 'utf-8'));

function obj(apiVersion: string, kind: string, name: string, extra: { namespace?: string; annotations?: Record<string, string>; spec?: any } = {}): any {
  return {
    apiVersion, kind,
    metadata: { name, ...(extra.namespace ? { namespace: extra.namespace } : {}), ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    ...(extra.spec ? { spec: extra.spec } : {}),
  };
}

/** phase wave kind name, one string a step */
const order = (plan: SyncPlan) => plan.steps.map((s) => `${s.phase} ${s.wave} ${s.kind} ${s.name}`);

describe('SyncPlan', () => {
  test('orders seeds 06 and 07 by phase, then wave', () => {
    // GIVEN
    const manifests = [...load('07-hook-jobs.yaml'), ...load('06-sync-waves.yaml')];
    // WHEN
    const plan = SyncPlan.fromManifests(manifests);
    // THEN
    expect(order(plan)).toEqual([
      'PreSync -1 Job db-migrate',
      'Sync -1 Namespace production',
      'Sync 0 ConfigMap app-config',
      'Sync 1 Deployment myapp',
      'Sync 2 Service myapp',
      'Sync 3 Ingress myapp',
      'PostSync 0 Job smoke-test',
    ]);
    expect(plan.toText()).toEqual([
      'sync:',
      '  1. PreSync wave -1 Job db-migrate (hook)',
      '  2. Sync wave -1 Namespace production',
      '  3. Sync wave 0 ConfigMap production/app-config',
      '  4. Sync wave 1 Deployment production/myapp',
      '  5. Sync wave 2 Service production/myapp',
      '  6. Sync wave 3 Ingress production/myapp',
      '  7. PostSync wave 0 Job smoke-test (hook)',
      'warnings:',
      "  - Job db-migrate: hook with a fixed name and delete policies HookSucceeded (no BeforeHookCreation): while an earlier Job of that name exists (left after a failed run), Argo CD does not create it again; add BeforeHookCreation, or use metadata.generateName",
      "  - Job smoke-test: hook with a fixed name and delete policies HookSucceeded (no BeforeHookCreation): while an earlier Job of that name exists (left after a failed run), Argo CD does not create it again; add BeforeHookCreation, or use metadata.generateName",
      '',
    ].join('\n'));
  });

  test('within a wave, follows Argo CD kind order; every other kind after it, ordered by name only', () => {
    const plan = SyncPlan.fromManifests([
      obj('apps/v1', 'Deployment', 'a'),
      obj('v1', 'Service', 'z'),
      obj('argoproj.io/v1alpha1', 'Application', 'b'),
      obj('v1', 'ConfigMap', 'm'),
      obj('example.com/v1', 'Widget', 'a'),
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', { spec: { group: 'other.io', names: { kind: 'Gadget' } } }),
      obj('v1', 'ServiceAccount', 'sa'),
      obj('v1', 'Namespace', 'prod'),
      obj('apiregistration.k8s.io/v1', 'APIService', 'v1.x'),
    ]);
    expect(order(plan)).toEqual([
      'Sync 0 Namespace prod',
      'Sync 0 ServiceAccount sa',
      'Sync 0 ConfigMap m',
      'Sync 0 CustomResourceDefinition widgets.example.com',
      'Sync 0 Service z',
      'Sync 0 Deployment a',
      'Sync 0 APIService v1.x',
      'Sync 0 Widget a',
      'Sync 0 Application b',
    ]);
  });

  test('moves a Namespace before the first object in it, taking its phase and wave', () => {
    const plan = SyncPlan.fromManifests([
      obj('v1', 'Namespace', 'prod', { annotations: { 'argocd.argoproj.io/sync-wave': '5' } }),
      obj('v1', 'ConfigMap', 'cm', { namespace: 'prod', annotations: { 'argocd.argoproj.io/sync-wave': '1' } }),
      obj('batch/v1', 'Job', 'pre', { namespace: 'prod', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } }),
    ]);
    expect(order(plan)).toEqual(['PreSync 0 Namespace prod', 'PreSync 0 Job pre', 'Sync 1 ConfigMap cm']);
    expect(plan.steps[0].note).toEqual('moved before the first object in this namespace');
  });

  test('moves a CRD before the first object of its kind, taking its wave', () => {
    const plan = SyncPlan.fromManifests([
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
        annotations: { 'argocd.argoproj.io/sync-wave': '2' }, spec: { group: 'example.com', names: { kind: 'Widget' } },
      }),
      obj('example.com/v1', 'Widget', 'w'),
      obj('v1', 'ConfigMap', 'c', { annotations: { 'argocd.argoproj.io/sync-wave': '1' } }),
    ]);
    expect(order(plan)).toEqual(['Sync 0 CustomResourceDefinition widgets.example.com', 'Sync 0 Widget w', 'Sync 1 ConfigMap c']);
    expect(plan.steps[0].note).toEqual('moved before the first object of its kind');
  });

  test('places hooks by phase; lists deletion hooks and objects never applied apart', () => {
    const hook = (name: string, value: string, wave?: string) => obj('batch/v1', 'Job', name, {
      annotations: { 'argocd.argoproj.io/hook': value, ...(wave ? { 'argocd.argoproj.io/sync-wave': wave } : {}) },
    });
    const plan = SyncPlan.fromManifests([
      hook('fail', 'SyncFail'),
      hook('twice', 'PreSync,PostSync'),
      hook('sync-hook', 'Sync', '1'),
      obj('v1', 'ConfigMap', 'plain', { annotations: { 'argocd.argoproj.io/sync-wave': 'abc', 'helm.sh/hook-weight': '2' } }),
      hook('skipped', 'Skip'),
      hook('typo', 'PreSyc'),
      hook('cleanup', 'PostDelete'),
      hook('backup', 'PreDelete'),
    ]);
    expect(order(plan)).toEqual([
      'PreSync 0 Job twice',
      'Sync 1 Job sync-hook',
      'Sync 2 ConfigMap plain',
      'PostSync 0 Job twice',
      'SyncFail 0 Job fail',
    ]);
    expect(plan.deletionHooks.map((s) => `${s.phase} ${s.name}`)).toEqual(['PreDelete backup', 'PostDelete cleanup']);
    expect(plan.notApplied.map((s) => `${s.name}: ${s.note}`)).toEqual([
      'skipped: Skip: never applied',
      "typo: hook annotation 'PreSyc' names no phase Argo CD runs: never applied",
    ]);
    expect(plan.toText()).toContain("never applied:\n  1. Skip wave 0 Job skipped [Skip: never applied]\n");
  });

  test('keeps the manifest order where Argo CD has none (same phase, wave, kind rank and name), and shows generateName', () => {
    const gen = { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'migrate-' } };
    const plan = SyncPlan.fromManifests([obj('v1', 'ConfigMap', 'c', { namespace: 'b' }), gen, obj('v1', 'ConfigMap', 'c', { namespace: 'a' })]);
    expect(plan.steps.map((s) => `${s.namespace ?? '-'}/${s.name}`)).toEqual(['b/c', 'a/c', '-/migrate-*']);
  });

  test('fromScope includes waves derived from dependencies', () => {
    const chart = Testing.chart();
    const db = new ApiObject(chart, 'db', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' } });
    const api = new ApiObject(chart, 'api', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } });
    SyncWave.after(api, db);
    expect(order(SyncPlan.fromScope(chart))).toEqual(['Sync 0 StatefulSet db', 'Sync 1 Deployment api']);
  });

  test('fails from a scope whose dependencies form a cycle', () => {
    const chart = Testing.chart();
    const a = new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap' });
    const b = new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap' });
    SyncWave.after(a, b);
    SyncWave.after(b, a);
    expect(() => SyncPlan.fromScope(chart)).toThrow('[test] sync wave dependencies form a cycle: [test/a] -> [test/b] -> [test/a]; remove one of these dependencies');
  });
});

describe('SyncPlan: hooks as gitops-engine v3.5.1 reads them', () => {
  const job = (name: string, annotations?: Record<string, string>, generate = false): any => ({
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { ...(generate ? { generateName: name } : { name }), ...(annotations ? { annotations } : {}) },
  });

  // hook/helm/type.go Types and hookTypes, hook/helm/weight.go Weight, hook/helm/hook.go IsHook
  test('maps Helm hooks: pre-install/pre-upgrade to PreSync, post-install/post-upgrade to PostSync, weight as wave', () => {
    const plan = SyncPlan.fromManifests([
      job('pre', { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-5' }),
      job('post', { 'helm.sh/hook': 'post-upgrade' }),
      obj('v1', 'ConfigMap', 'values'),
      job('test', { 'helm.sh/hook': 'test' }),
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'crd', { annotations: { 'helm.sh/hook': 'crd-install' } }),
    ]);
    expect(order(plan)).toEqual(['PreSync -5 Job pre', 'Sync 0 ConfigMap values', 'Sync 0 CustomResourceDefinition crd', 'PostSync 0 Job post']);
    expect(plan.steps[0]).toEqual({
      phase: 'PreSync', wave: -5, apiVersion: 'batch/v1', kind: 'Job', name: 'pre', hook: true,
      hookTypes: ['PreSync', 'PreSync'], deletePolicies: ['BeforeHookCreation'],
    });
    expect(plan.notApplied).toEqual([{
      phase: 'Skip', wave: 0, apiVersion: 'batch/v1', kind: 'Job', name: 'test', hook: true, hookTypes: [],
      deletePolicies: ['BeforeHookCreation'], note: "helm.sh/hook 'test' maps to no phase Argo CD runs: never applied",
    }]);
  });

  // hook/hook.go Skip and IsHook: Skip alone is no hook; sync_phase.go syncPhases gives it no phase
  test('lists Skip as never applied and not a hook', () => {
    const plan = SyncPlan.fromManifests([obj('v1', 'ConfigMap', 'kept', { annotations: { 'argocd.argoproj.io/hook': 'Skip' } })]);
    expect(plan.steps).toEqual([]);
    expect(plan.notApplied).toEqual([{ phase: 'Skip', wave: 0, apiVersion: 'v1', kind: 'ConfigMap', name: 'kept', hook: false, note: 'Skip: never applied' }]);
  });

  // controller/state.go partitionTargetObjsForSync, controller/hook.go isHookOfType
  test('runs a PostDelete hook that also names PreSync in both, and reads Helm deletion hooks', () => {
    const plan = SyncPlan.fromManifests([
      job('both', { 'argocd.argoproj.io/hook': 'PreSync,PostDelete' }),
      job('helm-cleanup', { 'helm.sh/hook': 'pre-delete' }),
    ]);
    expect(order(plan)).toEqual(['PreSync 0 Job both']);
    expect(plan.deletionHooks.map((s) => `${s.phase} ${s.name}`)).toEqual(['PreDelete helm-cleanup', 'PostDelete both']);
  });

  // hook/delete_policy.go DeletePolicies: Argo CD's, then Helm's, BeforeHookCreation when none
  test('gives each hook its delete policies, defaults included', () => {
    const plan = SyncPlan.fromManifests([
      job('a', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookFailed', 'helm.sh/hook-delete-policy': 'before-hook-creation' }),
      job('b', { 'argocd.argoproj.io/hook': 'PreSync' }),
    ]);
    expect(plan.steps.map((s) => s.deletePolicies)).toEqual([['HookFailed', 'BeforeHookCreation'], ['BeforeHookCreation']]);
    expect(plan.warnings).toEqual([]);
  });

  // sync_task.go deleteBeforeCreation: only BeforeHookCreation deletes an existing hook before the
  // sync applies it again; a hook of a generated name is new at every sync
  test('warns about a named hook without BeforeHookCreation, not about one with generateName', () => {
    const plan = SyncPlan.fromManifests([
      job('migrate', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookFailed' }),
      job('both', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-delete-policy': 'hook-succeeded,hook-failed' }),
      job('gen-', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }, true),
    ]);
    expect(plan.warnings).toEqual([
      'Job migrate: hook with a fixed name and delete policies HookFailed (no BeforeHookCreation): while an earlier Job of that name exists (left after a successful run), Argo CD does not create it again; add BeforeHookCreation, or use metadata.generateName',
      'Job both: hook with a fixed name and delete policies HookSucceeded, HookFailed (no BeforeHookCreation): while an earlier Job of that name exists (left when a sync ends before the hook completes), Argo CD does not create it again; add BeforeHookCreation, or use metadata.generateName',
    ]);
    expect(plan.toText()).toContain('warnings:\n  - Job migrate: hook with a fixed name');
  });

  // common/types.go NewHookDeletePolicy ignores Never; hook/delete_policy.go then defaults
  test('warns that Argo CD v3.5.1 ignores the Never delete policy', () => {
    const plan = SyncPlan.fromManifests([job('keep', { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'Never' })]);
    expect(plan.steps[0].deletePolicies).toEqual(['BeforeHookCreation']);
    expect(plan.warnings).toEqual(["Job keep: Argo CD v3.5.1 ignores delete policy 'Never'; it reads BeforeHookCreation"]);
  });

  // k8s.io/apimachinery unstructured GetAnnotations: nil when one value is not a string
  test('warns that one annotation value that is not a string hides all annotations from Argo CD', () => {
    const plan = SyncPlan.fromManifests([{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', annotations: { 'argocd.argoproj.io/hook': 'PreSync', replicas: 3 } } }]);
    expect(order(plan)).toEqual(['Sync 0 Job j']);
    expect(plan.warnings).toEqual(["Job j: metadata.annotations has a value that is not a string, so Argo CD reads none of this object's annotations (no hook, no wave); quote every annotation value"]);
  });

  // sync_tasks.go syncTasks.Less: d = tA.wave() - tB.wave() in Go int, which wraps
  test('warns when waves of one phase are too far apart for Argo CD\'s comparison', () => {
    const plan = SyncPlan.fromManifests([
      obj('v1', 'ConfigMap', 'low', { annotations: { 'argocd.argoproj.io/sync-wave': '-4611686018427387904' } }),
      obj('v1', 'ConfigMap', 'high', { annotations: { 'argocd.argoproj.io/sync-wave': '4611686018427387904' } }),
    ]);
    expect(plan.warnings).toEqual([
      "Sync waves -4611686018427387904 (ConfigMap low) and 4611686018427387904 (ConfigMap high) are 2^63 or more apart: Argo CD's wave comparison overflows, so its order of this phase is undefined (this plan sorts by true value); keep waves within ±2^62",
    ]);
  });

  // sync_context.go getSyncTasks: namespace and generated names are set before the sort
  test('orders with the destination namespace and the names Argo CD generates for the revision', () => {
    const plan = SyncPlan.fromManifests([
      obj('v1', 'ConfigMap', 'cm', { annotations: { 'argocd.argoproj.io/sync-wave': '-1' } }),
      obj('v1', 'Namespace', 'prod'),
      job('m-', { 'argocd.argoproj.io/hook': 'Sync' }, true),
      job('m-b', { 'argocd.argoproj.io/hook': 'Sync' }),
    ], { destinationNamespace: 'prod', revision: 'c0ffee0123456789' });
    expect(order(plan)).toEqual(['Sync -1 Namespace prod', 'Sync -1 ConfigMap cm', 'Sync 0 Job m-b', 'Sync 0 Job m-*']);
  });
});

describe('SyncPlan: objects as Argo CD v3.5.1 normalizes them', () => {
  // controller/state.go NormalizeTargetObjects drops the namespace of a cluster-scoped object;
  // gitops-engine sync_context.go getSyncTasks then puts it in the destination namespace
  test('a cluster-scoped object with a namespace waits for the destination Namespace, not for that one', () => {
    const plan = SyncPlan.fromManifests([
      obj('v1', 'Namespace', 'a', { annotations: { 'argocd.argoproj.io/sync-wave': '2' } }),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', { namespace: 'a', annotations: { 'argocd.argoproj.io/sync-wave': '1' } }),
      obj('v1', 'Namespace', 'dest', { annotations: { 'argocd.argoproj.io/sync-wave': '3' } }),
    ], { destinationNamespace: 'dest' });
    expect(order(plan)).toEqual(['Sync 1 Namespace dest', 'Sync 1 ClusterRole reader', 'Sync 2 Namespace a']);
    // a kind the cluster does not serve as cluster-scoped keeps its namespace
    const custom = SyncPlan.fromManifests([
      obj('v1', 'Namespace', 'a', { annotations: { 'argocd.argoproj.io/sync-wave': '2' } }),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', { namespace: 'a', annotations: { 'argocd.argoproj.io/sync-wave': '1' } }),
    ], { destinationNamespace: 'dest', clusterScopedKinds: [] });
    expect(order(custom)).toEqual(['Sync 1 Namespace a', 'Sync 1 ClusterRole reader']);
  });

  // controller/state.go NormalizeTargetObjects: only the last of objects with the same key is kept
  test('keeps the last of two manifests of the same object, with a warning', () => {
    const plan = SyncPlan.fromManifests([
      obj('v1', 'ConfigMap', 'settings', { annotations: { 'argocd.argoproj.io/sync-wave': '1' } }),
      obj('v1', 'ConfigMap', 'settings', { namespace: 'dest', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } }),
    ], { destinationNamespace: 'dest' });
    expect(order(plan)).toEqual(['Sync -1 ConfigMap settings']);
    expect(plan.warnings).toEqual(['ConfigMap settings: manifest 1 and manifest 2 are the same object in namespace dest: Argo CD keeps only the last one']);
  });

  test('lists the built-in cluster-scoped kinds as Kind.group', () => {
    expect(SyncPlan.builtInClusterScopedKinds()).toContain('ClusterRole.rbac.authorization.k8s.io');
    expect(SyncPlan.builtInClusterScopedKinds()).toContain('Namespace');
    expect(SyncPlan.builtInClusterScopedKinds()).not.toContain('ConfigMap');
  });
});

describe('SyncPlan.kindOrder', () => {
  test('is gitops-engine kindOrder', () => {
    expect(SyncPlan.kindOrder()).toEqual([
      'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
      'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
      'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList',
      'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController',
      'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
    ]);
  });
});
