import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, test } from 'vitest';
import { Hook, HookDeletePolicy, HookPhase } from '../../lib/hooks/hook';

function cm(): ApiObject {
  return new ApiObject(Testing.chart(), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
}

describe('Hook.applyTo', () => {
  test('makes any object a hook, with Argo CD wire values', () => {
    // GIVEN
    const obj = cm();
    // WHEN
    Hook.applyTo(obj, { phases: [HookPhase.SYNC_FAIL], deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION], wave: 3 });
    // THEN
    expect(obj.toJson().metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'SyncFail',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'argocd.argoproj.io/sync-wave': '3',
    });
  });

  test('works on a cdk8s-plus construct', () => {
    const chart = Testing.chart();
    const pod = new kplus.Pod(chart, 'smoke', { containers: [{ image: 'curl' }] });
    Hook.applyTo(pod, { phases: [HookPhase.POST_DELETE] });
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PostDelete',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    });
  });

  test('has the Argo CD wire values', () => {
    expect(Object.values(HookPhase)).toEqual(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PreDelete', 'PostDelete', 'Skip']);
    expect(Object.values(HookDeletePolicy)).toEqual(['HookSucceeded', 'HookFailed', 'BeforeHookCreation', 'Never']);
  });

  test('fails when no phase is given', () => {
    expect(() => Hook.applyTo(cm(), { phases: [] }))
      .toThrow("[test/cm] metadata.annotations['argocd.argoproj.io/hook'] needs at least one hook phase; use one or more of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip");
  });

  test('fails when a phase is not one Argo CD knows (from untyped callers)', () => {
    expect(() => Hook.applyTo(cm(), { phases: ['PreSyc' as HookPhase] }))
      .toThrow("[test/cm] metadata.annotations['argocd.argoproj.io/hook'] 'PreSyc' is not a hook phase; use one of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip");
  });

  test('fails when a phase is given twice', () => {
    expect(() => Hook.applyTo(cm(), { phases: [HookPhase.SYNC, HookPhase.SYNC] }))
      .toThrow("[test/cm] metadata.annotations['argocd.argoproj.io/hook'] lists hook phase 'Sync' twice; list each phase once");
  });

  test('fails when Skip is combined with another phase', () => {
    expect(() => Hook.applyTo(cm(), { phases: [HookPhase.SKIP, HookPhase.PRE_SYNC] }))
      .toThrow("[test/cm] metadata.annotations['argocd.argoproj.io/hook'] combines 'Skip' with 'PreSync'; Argo CD ignores 'Skip' unless it is the only phase, so use it alone");
  });

  test('fails when the delete policies are empty', () => {
    expect(() => Hook.applyTo(cm(), { phases: [HookPhase.SYNC], deletePolicies: [] }))
      .toThrow("[test/cm] metadata.annotations['argocd.argoproj.io/hook-delete-policy'] needs at least one delete policy; use one or more of HookSucceeded, HookFailed, BeforeHookCreation, or leave deletePolicies out for BeforeHookCreation");
  });

  test('fails when a delete policy is unknown or given twice', () => {
    expect(() => Hook.applyTo(cm(), { phases: [HookPhase.SYNC], deletePolicies: ['OnSuccess' as HookDeletePolicy] }))
      .toThrow("[test/cm] metadata.annotations['argocd.argoproj.io/hook-delete-policy'] 'OnSuccess' is not a hook delete policy; use one of HookSucceeded, HookFailed, BeforeHookCreation");
    expect(() => Hook.applyTo(cm(), { phases: [HookPhase.SYNC], deletePolicies: [HookDeletePolicy.HOOK_FAILED, HookDeletePolicy.HOOK_FAILED] }))
      .toThrow("[test/cm] metadata.annotations['argocd.argoproj.io/hook-delete-policy'] lists delete policy 'HookFailed' twice; list each policy once");
  });

  // gitops-engine v3.5.1 common/types.go NewHookDeletePolicy knows HookSucceeded, HookFailed and
  // BeforeHookCreation only; hook/delete_policy.go DeletePolicies then defaults to BeforeHookCreation
  test('fails when the delete policy is Never, which Argo CD v3.5.1 ignores', () => {
    expect(() => Hook.applyTo(cm(), { phases: [HookPhase.PRE_SYNC], deletePolicies: [HookDeletePolicy.NEVER] }))
      .toThrow("[test/cm] metadata.annotations['argocd.argoproj.io/hook-delete-policy'] 'Never' is not a delete policy Argo CD v3.5.1 knows: it ignores it and deletes the hook before creating it again (BeforeHookCreation, its default); use HookSucceeded, HookFailed, BeforeHookCreation, or give the object no hook annotation to keep it");
    expect(() => Hook.applyTo(cm(), { phases: [HookPhase.PRE_SYNC], deletePolicies: [HookDeletePolicy.HOOK_FAILED, HookDeletePolicy.NEVER] }))
      .toThrow("[test/cm] metadata.annotations['argocd.argoproj.io/hook-delete-policy'] 'Never' is not a delete policy Argo CD v3.5.1 knows: it ignores it; use HookSucceeded, HookFailed, BeforeHookCreation, or give the object no hook annotation to keep it");
  });
});
