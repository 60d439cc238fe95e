import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, test } from 'vitest';
import { CompareOption, ResourceOptions, ResourceSyncOption } from '../../lib/sync/resource-options';

function cm(): ApiObject {
  return new ApiObject(Testing.chart(), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
}

describe('ResourceOptions', () => {
  test('writes sync and compare options comma-joined', () => {
    // GIVEN
    const obj = cm();
    // WHEN
    ResourceOptions.applyTo(obj, {
      syncOptions: [ResourceSyncOption.PRUNE_DISABLED, ResourceSyncOption.SERVER_SIDE_APPLY],
      compareOptions: [CompareOption.IGNORE_EXTRANEOUS],
    });
    // THEN
    expect(obj.toJson().metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,ServerSideApply=true',
      'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
    });
  });

  test('adds to earlier options and writes each once', () => {
    const chart = Testing.chart();
    const deploy = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    ResourceOptions.applyTo(deploy, { syncOptions: [ResourceSyncOption.REPLACE] });
    ResourceOptions.applyTo(deploy, { syncOptions: [ResourceSyncOption.FORCE, ResourceSyncOption.REPLACE] });
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Replace=true,Force=true' });
  });

  test('has the Argo CD wire values', () => {
    expect(ResourceSyncOption.knownValues()).toEqual([
      'Prune=false', 'Prune=confirm', 'Delete=false', 'Delete=confirm', 'Validate=false',
      'SkipDryRunOnMissingResource=true', 'PruneLast=true', 'Replace=true', 'Force=true',
      'ServerSideApply=true', 'ServerSideApply=false',
    ]);
    expect(CompareOption.knownValues()).toEqual(['IgnoreExtraneous', 'ServerSideDiff=true', 'ServerSideDiff=false', 'IncludeMutationWebhook=true']);
  });

  test('fails when two options contradict each other', () => {
    expect(() => ResourceOptions.applyTo(cm(), { syncOptions: [ResourceSyncOption.PRUNE_DISABLED, ResourceSyncOption.PRUNE_CONFIRM] }))
      .toThrow("[test/cm] options 'Prune=false' and 'Prune=confirm' contradict each other; keep one of them");
    expect(() => ResourceOptions.applyTo(cm(), { compareOptions: [CompareOption.SERVER_SIDE_DIFF, CompareOption.SERVER_SIDE_DIFF_DISABLED] }))
      .toThrow("[test/cm] options 'ServerSideDiff=true' and 'ServerSideDiff=false' contradict each other; keep one of them");
  });

  test('fails when a custom option is malformed', () => {
    expect(() => ResourceSyncOption.custom('Prune=false,Replace=true'))
      .toThrow("sync option 'Prune=false,Replace=true' is not of the form Name=value (no commas or spaces), for example 'Prune=false'");
    expect(() => CompareOption.custom('a b'))
      .toThrow("compare option 'a b' is not of the form Name or Name=value (no commas or spaces), for example 'IgnoreExtraneous'");
  });
});
