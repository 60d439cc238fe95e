import { Chart, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { AppProject } from '../../lib/argocd/app-project';
import { ClusterSecretStore } from '../../lib/external-secrets/secret-store';
import { Cluster } from '../../lib/fleet/cluster';
import { ClusterCredentials, ClusterSecret } from '../../lib/fleet/cluster-secret';
import { schemaProblems } from '../support/crds';

const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n').toString('base64');

function synth(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
  expect(schemaProblems(manifests)).toEqual([]);
  return manifests;
}

function appSynth(build: (chart: Chart) => void): any[] {
  const app = new ArgoCdApp();
  const chart = new Chart(app, 'clusters');
  build(chart);
  const files = app.synthFiles();
  expect(schemaProblems(files.map((f) => f.manifest))).toEqual([]);
  return files.map((f) => f.manifest);
}

describe('ClusterSecret', () => {
  test('a cluster with AWS IAM auth is a Secret without credentials, explicitly allowed', () => {
    const manifests = appSynth((chart) => {
      new ClusterSecret(chart, 'prod', {
        cluster: new Cluster({
          name: 'production', server: 'https://prod.example.com',
          labels: { env: 'production', region: 'eu' }, annotations: { owner: 'platform' },
          project: AppProject.fromProjectName(chart, 'p', 'team-a'),
          namespaces: ['api', 'web'], clusterResources: true, shard: 1,
          config: {
            awsAuthConfig: { clusterName: 'prod-eks', roleArn: 'arn:aws:iam::123456789012:role/argocd' },
            tlsClientConfig: { caData: CA },
          },
        }),
      });
    });
    expect(manifests).toEqual([{
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'cluster-production',
        namespace: 'argocd',
        labels: { 'env': 'production', 'region': 'eu', 'argocd.argoproj.io/secret-type': 'cluster' },
        annotations: {
          'owner': 'platform',
          'cdk8s-argocd.io/plaintext-allowed-reason': 'Argo CD cluster registration; the config authenticates without a secret (no token, password or key)',
        },
      },
      type: 'Opaque',
      stringData: {
        name: 'production',
        server: 'https://prod.example.com',
        namespaces: 'api,web',
        clusterResources: 'true',
        project: 'team-a',
        shard: '1',
        config: JSON.stringify({
          awsAuthConfig: { clusterName: 'prod-eks', roleARN: 'arn:aws:iam::123456789012:role/argocd' },
          tlsClientConfig: { caData: CA },
        }),
      },
    }]);
  });

  test('an exec provider config is written with its default apiVersion', () => {
    const [secret] = appSynth((chart) => new ClusterSecret(chart, 'gke', {
      cluster: new Cluster({ name: 'gke', server: 'https://1.2.3.4', config: { execProviderConfig: { command: 'argocd-k8s-auth', args: ['gcp'], installHint: 'install argocd-k8s-auth' } } }),
    }));
    expect(JSON.parse(secret.stringData.config)).toEqual({
      execProviderConfig: { command: 'argocd-k8s-auth', args: ['gcp'], apiVersion: 'client.authentication.k8s.io/v1beta1', installHint: 'install argocd-k8s-auth' },
    });
  });

  test('a bearer token comes from a store through an ExternalSecret template', () => {
    const chart = Testing.chart();
    const store = ClusterSecretStore.fromName(chart, 'store', 'aws-secrets-manager');
    new ClusterSecret(chart, 'prod', {
      cluster: new Cluster({ name: 'production', server: 'https://prod.example.com', labels: { env: 'production' }, config: { tlsClientConfig: { caData: CA } } }),
      credentials: ClusterCredentials.bearerTokenFromStore({ store, remoteKey: 'argocd/clusters/production', property: 'token' }),
    });
    const [es] = synth(chart);
    expect(es.kind).toBe('ExternalSecret');
    expect(es.metadata).toEqual({ name: 'cluster-production', namespace: 'argocd' });
    expect(es.spec.secretStoreRef).toEqual({ name: 'aws-secrets-manager', kind: 'ClusterSecretStore' });
    expect(es.spec.data).toEqual([{ secretKey: 'bearerToken', remoteRef: expect.objectContaining({ key: 'argocd/clusters/production', property: 'token' }) }]);
    expect(es.spec.target.template).toEqual(expect.objectContaining({
      type: 'Opaque',
      metadata: { labels: { 'env': 'production', 'argocd.argoproj.io/secret-type': 'cluster' } },
      data: {
        name: 'production',
        server: 'https://prod.example.com',
        config: `{"bearerToken":"{{ .bearerToken }}","tlsClientConfig":{"caData":"${CA}"}}`,
      },
    }));
  });

  test('fails when a cluster needs a token and none comes from a store', () => {
    const chart = Testing.chart();
    expect(() => new ClusterSecret(chart, 'prod', { cluster: new Cluster({ name: 'production', server: 'https://prod.example.com' }) }))
      .toThrow("[test/prod] credentials of cluster 'production' are missing: its config has no awsAuthConfig or execProviderConfig, so Argo CD needs a token, and credentials never enter Git; "
        + 'pass credentials: ClusterCredentials.bearerTokenFromStore({ store, remoteKey }), or authenticate with awsAuthConfig or execProviderConfig');
    expect(() => new ClusterSecret(chart, 'prod2', { cluster: new Cluster({ name: 'production', server: 'https://prod.example.com' }), credentials: ClusterCredentials.none() }))
      .toThrow("[test/prod2] credentials of cluster 'production' are ClusterCredentials.none(), but its config has no awsAuthConfig or execProviderConfig, so Argo CD could not authenticate");
  });
});

