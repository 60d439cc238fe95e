import { describe, expect, test } from 'vitest';
import { ApplicationSetPreview } from '../../../lib';

const plain = {
  apiVersion: 'v1', kind: 'Secret',
  metadata: { name: 'cluster-prod', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'prod' } },
  stringData: { name: 'prod', server: 'https://prod.example.com' },
};
const fromStore = {
  apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
  metadata: { name: 'cluster-dev', namespace: 'argocd' },
  spec: {
    secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws' },
    data: [{ secretKey: 'bearerToken', remoteRef: { key: 'argocd/clusters/dev', property: 'token' } }],
    target: {
      name: 'cluster-dev',
      template: {
        engineVersion: 'v2',
        metadata: { labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'dev' }, annotations: { team: 'a' } },
        data: { name: 'dev', server: 'https://dev.example.com', config: '{"bearerToken":"{{ .bearerToken }}"}' },
      },
    },
  },
};

describe('ApplicationSetPreview.clusterSecretsIn', () => {
  test('finds cluster Secrets and the cluster Secrets ExternalSecrets will write', () => {
    const other = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, stringData: { a: 'b' } };
    const plainEso = { ...fromStore, spec: { ...fromStore.spec, target: { name: 'db' } } };
    expect(ApplicationSetPreview.clusterSecretsIn([plain, other, fromStore, plainEso])).toEqual([
      plain,
      {
        apiVersion: 'v1', kind: 'Secret',
        metadata: { name: 'cluster-dev', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'dev' }, annotations: { team: 'a' } },
        stringData: { name: 'dev', server: 'https://dev.example.com', config: '{"bearerToken":"{{ .bearerToken }}"}' },
      },
    ]);
  });

  test('the clusters generator sees clusters registered through ExternalSecrets', () => {
    const appSet = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'mon', namespace: 'argocd' },
      spec: {
        generators: [{ clusters: { selector: { matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster' } } } }],
        template: {
          metadata: { name: 'mon-{{name}}' },
          spec: { project: 'default', source: { repoURL: 'https://git.example.com/x.git', path: 'mon' }, destination: { server: '{{server}}', namespace: 'mon' } },
        },
      },
    };
    const apps = ApplicationSetPreview.expand(appSet, { clusterSecrets: ApplicationSetPreview.clusterSecretsIn([plain, fromStore]) });
    expect(apps.map((a) => [a.metadata.name, a.spec.destination.server])).toEqual([
      ['mon-dev', 'https://dev.example.com'],
      ['mon-prod', 'https://prod.example.com'],
    ]);
  });
});
