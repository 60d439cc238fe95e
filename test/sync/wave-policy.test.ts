import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { loadYamlDocuments } from '../../lib/_internal/yaml';
import { SyncWave } from '../../lib/sync/sync-wave';
import { WavePolicy } from '../../lib/sync/wave-policy';

const WAVE = 'argocd.argoproj.io/sync-wave';
const SEED_06 = path.join(__dirname, '..', 'fixtures', 'seeds', '06-sync-waves.yaml');

/** Seed 06's objects, as plain ApiObjects without any wave annotation. */
function seed06Objects(chart: Chart): void {
  new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'production' } });
  new ApiObject(chart, 'config', {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'production' },
    data: { 'config.yaml': 'server:\n  port: 8080\n' },
  } as any);
  new ApiObject(chart, 'deployment', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'myapp', namespace: 'production' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'myapp' } },
      template: { metadata: { labels: { app: 'myapp' } }, spec: { containers: [{ name: 'app', image: 'myapp:v2.1.0' }] } },
    },
  } as any);
  new ApiObject(chart, 'service', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'myapp', namespace: 'production' },
    spec: { selector: { app: 'myapp' }, ports: [{ port: 80, targetPort: 8080 }] },
  } as any);
  new ApiObject(chart, 'ingress', {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'myapp', namespace: 'production' },
    spec: {
      ingressClassName: 'nginx',
      rules: [{
        host: 'myapp.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'myapp', port: { number: 80 } } } }] },
      }],
    },
  } as any);
}

function byKind(manifests: any[]): Record<string, any> {
  return Object.fromEntries(manifests.map((m) => [m.kind, m]));
}

describe('WavePolicy', () => {
  test('reproduces seed 06 with one policy and no per-object waves', () => {
    // GIVEN
    const app = new ArgoCdApp();
    const chart = new Chart(app, 'production');
    seed06Objects(chart);
    // WHEN
    WavePolicy.of(chart, { Namespace: -1, ConfigMap: 0, Secret: 0, Deployment: 1, Service: 2, Ingress: 3 });
    // THEN
    const out = app.synthFiles().map((f) => f.manifest);
    const seed = loadYamlDocuments(fs.readFileSync(SEED_06, 'utf-8'));
    expect(byKind(out)).toEqual(byKind(seed));
    expect(out).toHaveLength(seed.length);
  });

  test('an explicit wave wins over the policy', () => {
    const chart = Testing.chart();
    seed06Objects(chart);
    WavePolicy.of(chart, { Deployment: 1, Service: 2 });
    SyncWave.of(7).applyTo(chart.node.findChild('service'));
    const out = byKind(Testing.synth(chart));
    expect(out.Deployment.metadata.annotations).toEqual({ [WAVE]: '1' });
    expect(out.Service.metadata.annotations).toEqual({ [WAVE]: '7' });
    expect(out.Namespace.metadata.annotations).toBeUndefined();
  });

  test('a dependency-derived wave is never below the policy wave', () => {
    // GIVEN Service (policy 2) after Deployment (policy 1): stays 2; Ingress (policy 0) after Service: 3
    const chart = Testing.chart();
    seed06Objects(chart);
    WavePolicy.of(chart, { Deployment: 1, Service: 2, Ingress: 0 });
    SyncWave.after(chart.node.findChild('service'), chart.node.findChild('deployment'));
    SyncWave.after(chart.node.findChild('ingress'), chart.node.findChild('service'));
    const out = byKind(Testing.synth(chart));
    expect([out.Deployment, out.Service, out.Ingress].map((m) => m.metadata.annotations[WAVE])).toEqual(['1', '2', '3']);
  });

  test('an inner scope policy wins for the kinds it names', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    seed06Objects(chart);
    WavePolicy.of(app, { Deployment: 1, Service: 2 });
    WavePolicy.of(chart, { Deployment: 5 });
    const out = byKind(Testing.synth(chart));
    expect(out.Deployment.metadata.annotations[WAVE]).toEqual('5');
    expect(out.Service.metadata.annotations[WAVE]).toEqual('2');
  });

  test('reports its waves and adds kinds later', () => {
    const chart = Testing.chart();
    const policy = WavePolicy.of(chart, { Namespace: -1 });
    policy.addKind('Application', 2);
    expect(policy.waves).toEqual({ Namespace: -1, Application: 2 });
    expect(policy.waveFor('Application')).toEqual(2);
    expect(WavePolicy.of(chart).waveFor('Namespace')).toEqual(-1);
  });

  test('fails when a policy wave is not an integer', () => {
    expect(() => WavePolicy.of(Testing.chart(), { Deployment: 1.5 })).toThrow('sync wave must be an integer, got 1.5');
  });

  test('fails when a kind gets a wave twice in one scope', () => {
    const chart = Testing.chart();
    WavePolicy.of(chart, { Deployment: 1 });
    expect(() => WavePolicy.of(chart, { Deployment: 2 })).toThrow("[test] wave policy already gives kind 'Deployment' wave 1; set each kind once per scope");
  });

  test('fails when a kind is empty', () => {
    expect(() => WavePolicy.of(Testing.chart(), { '': 1 })).toThrow("[test] wave policy kind '' must be a non-empty kind such as 'Deployment'");
  });
});
