// syncOrder: the library's SyncPlan against the oracle's reading of Argo CD v3.5.1's sync tasks
// (controller/state.go partitionTargetObjsForSync; gitops-engine pkg/sync reconcile.go splitHooks,
// hook/hook.go, hook/helm/*.go, hook/delete_policy.go, syncwaves/waves.go, sync_phase.go
// syncPhases, sync_context.go getSyncTasks, sync_tasks.go syncTasks.Less/Sort/adjustDeps).
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SyncPlan } from '../../lib/sync/sync-plan';
import { libraryPlan, oraclePlan, SyncOrderInput, unordered } from '../support/sync-order';
import { argoRuns, oracle, recordCases } from './support/oracle';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'oracle', 'sync-order.json');

const csv = (items: fc.Arbitrary<string>) =>
  fc.tuple(fc.array(items, { minLength: 0, maxLength: 3 }), fc.constantFrom(',', ', ', ' ,')).map(([xs, sep]) => xs.join(sep));

const intText = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map(String),
  fc.constantFrom('+2', '-0', '007', ' 1', '1 ', '', 'abc', '1.5', '0x10', '٣',
    '9007199254740993', '-9007199254740993', '4611686018427387904', '-4611686018427387904',
    '9223372036854775807', '-9223372036854775808', '9223372036854775808'),
);

const annotations = fc.record({
  'argocd.argoproj.io/sync-wave': intText,
  'helm.sh/hook-weight': intText,
  'argocd.argoproj.io/hook': csv(fc.constantFrom('PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip', 'PreDelete', 'PostDelete', 'presync', 'Bogus', ' PreSync', '')),
  'helm.sh/hook': fc.oneof(
    csv(fc.constantFrom('pre-install', 'pre-upgrade', 'post-install', 'post-upgrade', 'pre-delete', 'post-delete', 'pre-rollback', 'test', 'crd-install', 'Pre-Install')),
    fc.constantFrom('crd-install', ' crd-install'),
  ),
  'argocd.argoproj.io/hook-delete-policy': csv(fc.constantFrom('HookSucceeded', 'HookFailed', 'BeforeHookCreation', 'Never', 'hooksucceeded')),
  'helm.sh/hook-delete-policy': csv(fc.constantFrom('before-hook-creation', 'hook-succeeded', 'hook-failed', 'HookSucceeded')),
  'example.com/other': fc.oneof(fc.constant('x'), fc.constant(3 as any)),
}, { requiredKeys: [] });

const kinds = fc.constantFrom(
  ['v1', 'Namespace'], ['apps/v1', 'Namespace'], ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'ServiceAccount'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'], ['example.com/v1', 'CustomResourceDefinition'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'], ['v1', 'Service'], ['apps/v1', 'Deployment'], ['batch/v1', 'Job'],
  ['v1', 'Pod'], ['networking.k8s.io/v1', 'IngressClass'], ['apiregistration.k8s.io/v1', 'APIService'],
  ['example.com/v1', 'Widget'], ['other.io/v2', 'Widget'], ['argoproj.io/v1alpha1', 'Application'], ['v1', 'configmap'],
  ['a/b/c', 'Widget'], ['', 'Namespace'], ['v1', ''],
);

// Names include bytes Go and JavaScript order differently (astral characters) and prefixes of the
// generateName values; none of them begins with a generateName followed by more text, where the
// order would depend on the sync's start time as well.
const names = fc.constantFrom('a', 'b', 'B', 'a-b', 'ab', 'dest', 'gen', 'z', 'é', '\uFFFD', '𝔘', '日本', 'x.y');

const manifest = (name: fc.Arbitrary<string>) => fc.record({
  kv: kinds,
  name,
  generateName: fc.constantFrom('gen-', 'job-', 'gen'),
  useGenerate: fc.boolean(),
  namespace: fc.constantFrom(undefined, 'dest', 'a', 'b', 'x.y'),
  annotations: fc.option(annotations, { nil: undefined, freq: 4 }),
  crd: fc.record({ group: fc.constantFrom('example.com', 'other.io', ''), kind: fc.constantFrom('Widget', 'Gadget', '') }, { requiredKeys: [] }),
}).map((m) => {
  const hookish = m.annotations && ('argocd.argoproj.io/hook' in m.annotations || 'helm.sh/hook' in m.annotations);
  const metadata: any = m.useGenerate && hookish ? { generateName: m.generateName } : { name: m.name };
  if (m.namespace !== undefined) metadata.namespace = m.namespace;
  if (m.annotations) metadata.annotations = m.annotations;
  const o: any = { apiVersion: m.kv[0], kind: m.kv[1], metadata };
  if (m.kv[1] === 'CustomResourceDefinition') o.spec = { group: m.crd.group, names: { kind: m.crd.kind } };
  return o;
});

const identity = (o: any) => JSON.stringify([o.apiVersion, o.kind, o.metadata.namespace ?? '', o.metadata.name ?? `${o.metadata.generateName}*`]);

const input = (manifests: fc.Arbitrary<any[]>): fc.Arbitrary<SyncOrderInput> => fc.record({
  manifests,
  namespace: fc.constantFrom('', 'dest', 'a'),
  revision: fc.constantFrom('', 'abc', '0123456789abcdef', 'ABCDEF0123'),
  startedAt: fc.constant(1700000000),
  clusterScoped: fc.oneof(
    fc.constant(SyncPlan.builtInClusterScopedKinds()),
    fc.subarray(['Namespace', 'Namespace.apps', 'ClusterRole.rbac.authorization.k8s.io', 'CustomResourceDefinition.apiextensions.k8s.io',
      'APIService.apiregistration.k8s.io', 'IngressClass.networking.k8s.io', 'Widget.example.com', 'Widget', 'ConfigMap']),
  ),
});

/** unique names: Argo CD's order is fully defined (no ties) */
const distinctNames = input(fc.uniqueArray(manifest(names), { minLength: 0, maxLength: 10, selector: (o) => o.metadata.name ?? `${o.metadata.generateName}*` }));
/** few names: ties, where the library keeps the manifest order (one of the orders Argo CD may produce) */
const tiedNames = input(fc.uniqueArray(manifest(fc.constantFrom('a', 'b')), { minLength: 0, maxLength: 10, selector: identity }));

async function compare(i: SyncOrderInput, counts: { compared: number; agreed: number }): Promise<void> {
  const answer = await oracle().ask('syncOrder', i);
  expect(answer.ok).toBe(true);
  const { plan, comparable } = libraryPlan(i);
  const want = oraclePlan(answer.result);
  counts.compared++;
  // waves 2^63 apart wrap in syncTasks.Less: the library says so instead of guessing an order
  const undefinedOrder = plan.warnings.some((w) => w.includes('wave comparison overflows'));
  if (undefinedOrder) expect(unordered(comparable)).toEqual(unordered(want));
  else expect(comparable).toEqual(want);
  counts.agreed++;
}

describe('syncOrder: SyncPlan against gitops-engine v3.5.1', () => {
  const counts = { compared: 0, agreed: 0 };

  it('orders random manifests with distinct names as Argo CD does (phases, waves, hooks, Helm hooks, delete policies, Skip)', async () => {
    await fc.assert(fc.asyncProperty(distinctNames, (i) => compare(i, counts)), argoRuns(25000, 'syncOrder distinct names'));
  });

  it('orders random manifests with shared names in one of the orders Argo CD may produce', async () => {
    await fc.assert(fc.asyncProperty(tiedNames, (i) => compare(i, counts)), argoRuns(10000, 'syncOrder shared names'));
  });

  it('stored cases (test/fixtures/oracle/sync-order.json) are still the oracle\'s answers', async () => {
    const cases = JSON.parse(fs.readFileSync(FIXTURE, 'utf-8'));
    const answers = await oracle().askAll('syncOrder', cases.map((c: any) => c.input));
    expect(answers.map((a) => a.result)).toEqual(cases.map((c: any) => c.answer));
    recordCases('sync-order', counts.compared, counts.agreed);
  });
});
