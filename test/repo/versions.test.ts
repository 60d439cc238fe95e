import { ApiObject, Chart } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp, SynthesizedFile } from '../../lib/app/argocd-app';
import { Environment, IChartBuilder } from '../../lib/repo/environment';
import { GitOpsRepo } from '../../lib/repo/gitops-repo';
import { Versions } from '../../lib/repo/versions';
import { schemaProblems } from '../support/crds';

class Api implements IChartBuilder {
  constructor(private readonly versions: Versions) {}
  public buildChart(chart: Chart, env: Environment): void {
    new ApiObject(chart, 'deploy', {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'api', namespace: `api-${env.name}` },
      spec: {
        selector: { matchLabels: { app: 'api' } },
        template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: `registry.example.com/api:${this.versions.get('api', env.name)}` }] } },
      },
    });
  }
}

function platform(versions: Versions): SynthesizedFile[] {
  const app = new ArgoCdApp();
  const repo = new GitOpsRepo(app, 'repo', { repoUrl: 'https://github.com/myorg/infra-repo.git', targetRevision: 'main' });
  for (const name of ['dev', 'staging', 'production']) {
    const env = repo.addEnvironment(name, name === 'production' ? { syncPolicy: {} } : {});
    env.addApp('api', { builder: new Api(versions), namespace: `api-${name}` });
  }
  const files = app.synthFiles();
  expect(schemaProblems(files.map((f) => f.manifest))).toEqual([]);
  return files;
}

function diff(before: SynthesizedFile[], after: SynthesizedFile[]): string[] {
  const a = new Map(before.map((f) => [f.path, f.content]));
  const b = new Map(after.map((f) => [f.path, f.content]));
  return [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
}

describe('Versions', () => {
  test('promoting dev to staging changes only staging\'s files, in one line', () => {
    // GIVEN
    const before = platform(new Versions({ api: { dev: 'v2.2.0', staging: 'v2.1.0', production: 'v2.1.0' } }));
    // WHEN staging gets dev's version
    const after = platform(new Versions({ api: { dev: 'v2.2.0', staging: 'v2.2.0', production: 'v2.1.0' } }));
    // THEN
    expect(diff(before, after)).toEqual(['apps/api/staging/deployment_api-staging_api.yaml']);
    const lines = (files: SynthesizedFile[]) => files.find((f) => f.path === 'apps/api/staging/deployment_api-staging_api.yaml')!.content.split('\n');
    const changed = lines(after).filter((l, i) => l !== lines(before)[i]);
    expect(changed).toEqual([expect.stringContaining('image: registry.example.com/api:v2.2.0')]);
  });

  test('production requires a manual sync; dev and staging sync automatically', () => {
    const files = platform(new Versions({ api: { dev: 'v1', staging: 'v1', production: 'v1' } }));
    const child = (env: string) => files.find((f) => f.path === `clusters/${env}/application_argocd_api-${env}.yaml`)!.manifest;
    expect(child('production').spec.syncPolicy?.automated).toBeUndefined();
    expect(child('staging').spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  test('fails when a version is missing for an environment', () => {
    const v = new Versions({ api: { dev: 'v1' } });
    expect(() => v.get('api', 'staging')).toThrow("versions.api has no version for environment 'staging' (environments: dev); add staging: '<version>'");
    expect(() => v.get('web', 'dev')).toThrow("versions has no component 'web' (components: api); add it to the Versions table");
  });
});
