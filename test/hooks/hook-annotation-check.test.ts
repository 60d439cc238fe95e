import { ApiObject, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { HookAnnotationCheck } from '../../lib/hooks/hook-annotation-check';
import { CompareOption, ResourceOptions, ResourceSyncOption } from '../../lib/sync/resource-options';

function appWith(annotations: Record<string, string>): ArgoCdApp {
  const app = new ArgoCdApp();
  const chart = new Chart(app, 'prod');
  new ApiObject(chart, 'job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', annotations } });
  return app;
}

function problems(annotations: Record<string, unknown>): string[] {
  return new HookAnnotationCheck().check([{ manifest: { kind: 'Job', metadata: { name: 'x', annotations } }, constructPath: 'prod/job', file: 'job_x.yaml' }]);
}

describe('HookAnnotationCheck', () => {
  test('accepts every value the typed API writes', () => {
    expect(problems({
      'argocd.argoproj.io/hook': 'PreSync,PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded, BeforeHookCreation',
      'argocd.argoproj.io/sync-wave': '-12',
      'argocd.argoproj.io/sync-options': 'Prune=false,ServerSideApply=true',
      'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
    })).toEqual([]);
  });

  test('fails when a hand-written hook phase is misspelt, naming path, annotation, value and allowed values', () => {
    const app = appWith({ 'argocd.argoproj.io/hook': 'PreSyc' });
    expect(() => app.synthFiles()).toThrow("[prod/job] metadata.annotations['argocd.argoproj.io/hook'] 'PreSyc' has unknown hook phase 'PreSyc', so Argo CD would never apply this object; use one or more of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip (HookPhase)");
  });

  test('fails when one of several hook phases is unknown', () => {
    expect(problems({ 'argocd.argoproj.io/hook': 'PreSync,postsync' })).toEqual([
      "[prod/job] metadata.annotations['argocd.argoproj.io/hook'] 'PreSync,postsync' has unknown hook phase 'postsync', which Argo CD ignores; use one or more of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip (HookPhase)",
    ]);
  });

  test('fails when the hook annotation is empty', () => {
    expect(problems({ 'argocd.argoproj.io/hook': '' })).toEqual([
      "[prod/job] metadata.annotations['argocd.argoproj.io/hook'] '' names no hook phase, so Argo CD would never apply this object; use one or more of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip",
    ]);
  });

  // gitops-engine v3.5.1 hook/hook.go Types: with no hook type of its own, Argo CD reads helm.sh/hook
  test('fails when the hook annotation names no phase, saying that Argo CD then follows helm.sh/hook', () => {
    expect(problems({ 'argocd.argoproj.io/hook': 'PreSyc', 'helm.sh/hook': 'post-install' })).toEqual([
      "[prod/job] metadata.annotations['argocd.argoproj.io/hook'] 'PreSyc' has unknown hook phase 'PreSyc', so Argo CD runs this object as the helm.sh/hook 'post-install' says; use one or more of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip (HookPhase)",
    ]);
    expect(problems({ 'argocd.argoproj.io/hook': '', 'helm.sh/hook': 'test' })).toEqual([
      "[prod/job] metadata.annotations['argocd.argoproj.io/hook'] '' names no hook phase, so Argo CD would never apply this object; use one or more of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip",
    ]);
  });

  // gitops-engine v3.5.1 common/types.go NewHookDeletePolicy
  test('fails when a delete policy is Never, which Argo CD v3.5.1 does not know', () => {
    expect(problems({ 'argocd.argoproj.io/hook-delete-policy': 'Never' })).toEqual([
      "[prod/job] metadata.annotations['argocd.argoproj.io/hook-delete-policy'] 'Never' has unknown delete policy 'Never', which Argo CD v3.5.1 ignores; use one or more of HookSucceeded, HookFailed, BeforeHookCreation (HookDeletePolicy)",
    ]);
  });

  test('fails when Skip is combined with another phase', () => {
    expect(problems({ 'argocd.argoproj.io/hook': 'Skip,Sync' })).toEqual([
      "[prod/job] metadata.annotations['argocd.argoproj.io/hook'] 'Skip,Sync' combines 'Skip' with other phases; Argo CD ignores 'Skip' unless it is the only phase, so use it alone",
    ]);
  });

  test('fails when a delete policy is unknown', () => {
    expect(problems({ 'argocd.argoproj.io/hook-delete-policy': 'HookSucceded' })).toEqual([
      "[prod/job] metadata.annotations['argocd.argoproj.io/hook-delete-policy'] 'HookSucceded' has unknown delete policy 'HookSucceded', which Argo CD v3.5.1 ignores; use one or more of HookSucceeded, HookFailed, BeforeHookCreation (HookDeletePolicy)",
    ]);
  });

  test('fails when the sync wave is not an integer', () => {
    const app = appWith({ 'argocd.argoproj.io/sync-wave': 'abc' });
    expect(() => app.synthFiles()).toThrow("[prod/job] metadata.annotations['argocd.argoproj.io/sync-wave'] 'abc' is not an integer, so Argo CD would silently use wave 0; use a whole number such as '-1' or '2' (SyncWave.of())");
  });

  test('fails when a sync option is unknown', () => {
    expect(problems({ 'argocd.argoproj.io/sync-options': 'Prune=false,Prune=nope' })).toEqual([
      "[prod/job] metadata.annotations['argocd.argoproj.io/sync-options'] 'Prune=false,Prune=nope' has unknown sync option 'Prune=nope', which Argo CD ignores; use one or more of Prune=false, Prune=confirm, Delete=false, Delete=confirm, Validate=false, SkipDryRunOnMissingResource=true, PruneLast=true, Replace=true, Force=true, ServerSideApply=true, ServerSideApply=false (ResourceSyncOption), or ResourceSyncOption.custom() for a newer one",
    ]);
  });

  test('fails when a compare option is unknown', () => {
    expect(problems({ 'argocd.argoproj.io/compare-options': 'IgnoreExtranous' })).toEqual([
      "[prod/job] metadata.annotations['argocd.argoproj.io/compare-options'] 'IgnoreExtranous' has unknown compare option 'IgnoreExtranous', which Argo CD ignores; use one or more of IgnoreExtraneous, ServerSideDiff=true, ServerSideDiff=false, IncludeMutationWebhook=true (CompareOption), or CompareOption.custom() for a newer one",
    ]);
  });

  test('fails when an annotation value is not a string', () => {
    expect(problems({ 'argocd.argoproj.io/sync-wave': 3 })).toEqual([
      "[prod/job] metadata.annotations['argocd.argoproj.io/sync-wave'] 3 is not a string; annotation values must be strings",
    ]);
  });

  test('accepts custom options applied through ResourceOptions in the same app', () => {
    const app = new ArgoCdApp();
    const obj = new ApiObject(new Chart(app, 'prod'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    ResourceOptions.applyTo(obj, { syncOptions: [ResourceSyncOption.custom('FutureOption=true')], compareOptions: [CompareOption.custom('FutureCompare')] });
    expect(app.synthFiles()[0].manifest.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'FutureOption=true',
      'argocd.argoproj.io/compare-options': 'FutureCompare',
    });
  });

  test('property: the sync-wave check accepts exactly the integers', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.integer().map(String), fc.bigInt().map(String)), (s) => {
      const isGoInt = /^[+-]?[0-9]+$/.test(s) && BigInt(s) >= -(2n ** 63n) && BigInt(s) < 2n ** 63n;
      expect(problems({ 'argocd.argoproj.io/sync-wave': s }).length === 0).toBe(isGoInt);
    }), { numRuns: 500 });
  });
});
