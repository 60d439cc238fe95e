import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { loadYamlDocuments } from '../../lib/_internal/yaml';
import { Hook, HookDeletePolicy, HookPhase } from '../../lib/hooks/hook';
import { HookJob } from '../../lib/hooks/hook-job';

const SEED_07 = path.join(__dirname, '..', 'fixtures', 'seeds', '07-hook-jobs.yaml');
const seed = () => loadYamlDocuments(fs.readFileSync(SEED_07, 'utf-8'));

/** Paths (a.b[0].c) present in `actual` but not in `expected`; subtrees reported once. */
function extraPaths(actual: any, expected: any, prefix = ''): string[] {
  if (actual === null || typeof actual !== 'object') return [];
  const out: string[] = [];
  if (Array.isArray(actual)) {
    actual.forEach((v, i) => out.push(...extraPaths(v, Array.isArray(expected) ? expected[i] : undefined, `${prefix}[${i}]`)));
    return out;
  }
  for (const [k, v] of Object.entries(actual)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (expected === undefined || expected === null || !(k in expected)) out.push(p);
    else out.push(...extraPaths(v, expected[k], p));
  }
  return out;
}

function seed07WithHookJob(chart: Chart): void {
  new HookJob(chart, 'db-migrate', {
    metadata: { name: 'db-migrate' },
    phase: HookPhase.PRE_SYNC,
    deletePolicies: [HookDeletePolicy.HOOK_SUCCEEDED],
    wave: -1,
    containers: [{ name: 'migrate', image: 'myapp:v2.1.0', command: ['./migrate', 'up'] }],
  });
  new HookJob(chart, 'smoke-test', {
    metadata: { name: 'smoke-test' },
    phase: HookPhase.POST_SYNC,
    deletePolicies: [HookDeletePolicy.HOOK_SUCCEEDED],
    containers: [{ name: 'test', image: 'curlimages/curl:latest', command: ['curl', '-f', 'http://myapp.production/healthz'] }],
  });
}

/** The seed's exact shape: plain ApiObjects made hooks with Hook.applyTo. */
function seed07WithApiObjects(chart: Chart): void {
  const job = (id: string, container: any) => new ApiObject(chart, id, {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: id },
    spec: { template: { spec: { containers: [container], restartPolicy: 'Never' } } },
  } as any);
  const migrate = job('db-migrate', { name: 'migrate', image: 'myapp:v2.1.0', command: ['./migrate', 'up'] });
  Hook.applyTo(migrate, { phases: [HookPhase.PRE_SYNC], deletePolicies: [HookDeletePolicy.HOOK_SUCCEEDED], wave: -1 });
  const smoke = job('smoke-test', { name: 'test', image: 'curlimages/curl:latest', command: ['curl', '-f', 'http://myapp.production/healthz'] });
  Hook.applyTo(smoke, { phases: [HookPhase.POST_SYNC], deletePolicies: [HookDeletePolicy.HOOK_SUCCEEDED] });
}

describe('HookJob', () => {
  test('reproduces every field of seed 07; cdk8s-plus adds only the listed fields', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    seed07WithHookJob(chart);
    const out = Testing.synth(chart);
    // THEN every field of the seed is there, with the seed's value
    const expected = seed();
    expect(out).toHaveLength(2);
    out.forEach((m, i) => expect(m).toMatchObject(expected[i]));
    // AND these are the fields cdk8s-plus adds by default (secure defaults and its pod selector label)
    const added = [
      'spec.template.metadata',
      'spec.template.spec.automountServiceAccountToken',
      'spec.template.spec.containers[0].imagePullPolicy',
      'spec.template.spec.containers[0].resources',
      'spec.template.spec.containers[0].securityContext',
      'spec.template.spec.dnsPolicy',
      'spec.template.spec.hostNetwork',
      'spec.template.spec.securityContext',
      'spec.template.spec.setHostnameAsFQDN',
      'spec.template.spec.terminationGracePeriodSeconds',
    ];
    expect(extraPaths(out[0], expected[0]).sort()).toEqual(added);
    expect(extraPaths(out[1], expected[1]).sort()).toEqual(added);
  });

  test('Hook.applyTo on plain ApiObjects reproduces seed 07 exactly', () => {
    const chart = Testing.chart();
    seed07WithApiObjects(chart);
    expect(Testing.synth(chart)).toEqual(seed());
  });

  test('writes BeforeHookCreation explicitly by default', () => {
    const chart = Testing.chart();
    new HookJob(chart, 'migrate', { phase: HookPhase.PRE_SYNC, containers: [{ image: 'myapp' }] });
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    });
  });

  test('runs in several phases, with several delete policies', () => {
    const chart = Testing.chart();
    const job = new HookJob(chart, 'migrate', {
      phases: [HookPhase.PRE_SYNC, HookPhase.POST_SYNC],
      deletePolicies: [HookDeletePolicy.HOOK_SUCCEEDED, HookDeletePolicy.HOOK_FAILED],
      containers: [{ image: 'myapp' }],
    });
    expect(job.phases).toEqual([HookPhase.PRE_SYNC, HookPhase.POST_SYNC]);
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PreSync,PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,HookFailed',
    });
  });

  test('writes generateName instead of name', () => {
    const chart = Testing.chart();
    new HookJob(chart, 'migrate', { phase: HookPhase.SYNC, generateName: 'schema-migrate-', containers: [{ image: 'myapp' }] });
    const m = Testing.synth(chart)[0];
    expect(m.metadata.generateName).toEqual('schema-migrate-');
    expect(m.metadata.name).toBeUndefined();
  });

  test('keeps cdk8s-plus mutators', () => {
    const chart = Testing.chart();
    const job = new HookJob(chart, 'migrate', { phase: HookPhase.PRE_SYNC, containers: [{ image: 'myapp' }] });
    job.addContainer({ name: 'sidecar', image: 'proxy' });
    expect(Testing.synth(chart)[0].spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main', 'sidecar']);
  });

  test('passes the annotation check in an ArgoCdApp', () => {
    const app = new ArgoCdApp();
    seed07WithHookJob(new Chart(app, 'hooks'));
    expect(app.synthFiles()).toHaveLength(2);
  });

  test('fails when no phase is given', () => {
    expect(() => new HookJob(Testing.chart(), 'm', { containers: [{ image: 'x' }] }))
      .toThrow('[test/m] a hook Job needs a phase; set phase (or phases) to one of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip');
  });

  test('fails when both phase and phases are given', () => {
    expect(() => new HookJob(Testing.chart(), 'm', { phase: HookPhase.SYNC, phases: [HookPhase.SYNC], containers: [{ image: 'x' }] }))
      .toThrow('[test/m] phase and phases are both given; give one of them');
  });

  test('fails when generateName and metadata.name are both given', () => {
    expect(() => new HookJob(Testing.chart(), 'm', { phase: HookPhase.SYNC, generateName: 'x-', metadata: { name: 'x' }, containers: [{ image: 'x' }] }))
      .toThrow("[test/m] generateName 'x-' and metadata.name 'x' are both given; give one of them");
  });

  test('fails when generateName is not a valid prefix', () => {
    expect(() => new HookJob(Testing.chart(), 'm', { phase: HookPhase.SYNC, generateName: 'Migrate_', containers: [{ image: 'x' }] }))
      .toThrow("[test/m] metadata.generateName 'Migrate_' is not a valid name prefix; use at most 248 lowercase letters, digits, '-' and '.', starting with a letter or digit, for example 'schema-migrate-'");
  });

  test('fails when the wave is not an integer', () => {
    expect(() => new HookJob(Testing.chart(), 'm', { phase: HookPhase.SYNC, wave: 0.5, containers: [{ image: 'x' }] }))
      .toThrow('sync wave must be an integer, got 0.5');
  });
});
