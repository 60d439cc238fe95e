import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { ClusterSecretStore } from '../../lib/external-secrets/secret-store';
import { Cluster } from '../../lib/fleet/cluster';
import { ClusterCredentials, ClusterSecret } from '../../lib/fleet/cluster-secret';

const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n').toString('base64');
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.super-secret-token';

describe('Cluster', () => {
  test('destination() targets the server', () => {
    const c = new Cluster({ name: 'prod', server: 'https://prod.example.com' });
    expect(c.destination('api')._toKube()).toEqual({ server: 'https://prod.example.com', namespace: 'api' });
    expect(Cluster.inCluster().isInCluster).toBe(true);
  });

  test('fails when an exec env var looks like a credential', () => {
    expect(() => new Cluster({
      name: 'prod', server: 'https://prod.example.com',
      config: { execProviderConfig: { command: 'auth', env: { AWS_SECRET_ACCESS_KEY: 'x' } } },
    })).toThrow("cluster 'prod' config.execProviderConfig.env 'AWS_SECRET_ACCESS_KEY' looks like a credential; credentials never enter Git: let the exec plugin read them in the cluster (workload identity or a mounted secret)");
  });

  test('fails when an exec argument passes a token', () => {
    expect(() => new Cluster({
      name: 'prod', server: 'https://prod.example.com',
      config: { execProviderConfig: { command: 'auth', args: ['--token=abc'] } },
    })).toThrow("cluster 'prod' config.execProviderConfig.args[0] '--token=***' passes a credential; credentials never enter Git");
  });

  test('fails when caData holds a private key', () => {
    const key = Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----').toString('base64');
    expect(() => new Cluster({ name: 'prod', server: 'https://prod.example.com', config: { tlsClientConfig: { caData: key } } }))
      .toThrow("cluster 'prod' config.tlsClientConfig.caData '<redacted>' holds a private key; caData is the API server's public CA certificate: remove the key, and keep keys in a secret store");
  });

  test('fails when config smuggles a bearer token or a client key', () => {
    expect(() => new Cluster({ name: 'prod', server: 'https://prod.example.com', config: { bearerToken: TOKEN } as any }))
      .toThrow("cluster 'prod' config.bearerToken '...' cannot be expressed; credentials never enter Git");
    expect(() => new Cluster({ name: 'prod', server: 'https://prod.example.com', config: { tlsClientConfig: { keyData: 'x' } } as any }))
      .toThrow("cluster 'prod' config.tlsClientConfig.keyData '...' cannot be expressed; client certificates and keys never enter Git");
  });

  test('fails when the server URL holds a password', () => {
    expect(() => new Cluster({ name: 'prod', server: 'https://admin:hunter2@prod.example.com' }))
      .toThrow("cluster 'prod' server 'https://***@prod.example.com' holds credentials (user:password@); credentials never enter Git");
  });
});

describe('Cluster.fromKubeconfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
  const file = path.join(dir, 'config');
  fs.writeFileSync(file, `apiVersion: v1
kind: Config
clusters:
  - name: prod-cluster
    cluster:
      server: https://prod.k8s.example.com
      certificate-authority-data: ${CA}
      tls-server-name: prod.internal
  - name: dev-cluster
    cluster:
      server: https://dev.k8s.example.com
      insecure-skip-tls-verify: true
users:
  - name: admin
    user:
      token: ${TOKEN}
      client-key-data: ${Buffer.from('-----BEGIN RSA PRIVATE KEY-----').toString('base64')}
      password: hunter2
contexts:
  - name: production
    context: { cluster: prod-cluster, user: admin }
  - name: dev
    context: { cluster: dev-cluster, user: admin }
current-context: production
`);

  test('reads name, server and CA data, never the user', () => {
    const c = Cluster.fromKubeconfig(file, 'production', {
      labels: { env: 'production' },
      awsAuthConfig: { clusterName: 'prod' },
    });
    expect(c.name).toBe('production');
    expect(c.server).toBe('https://prod.k8s.example.com');
    expect(c.config.tlsClientConfig).toEqual({ caData: CA, serverName: 'prod.internal' });
    const dev = Cluster.fromKubeconfig(file, 'dev', { name: 'dev-eu' });
    expect(dev.name).toBe('dev-eu');
    expect(dev.config).toEqual({ tlsClientConfig: { insecure: true } });
  });

  test('the token in the kubeconfig never reaches any output', () => {
    const app = new ArgoCdApp();
    const chart = new Chart(app, 'clusters');
    const store = ClusterSecretStore.fromName(chart, 'store', 'vault');
    new ClusterSecret(chart, 'prod', { cluster: Cluster.fromKubeconfig(file, 'production', { awsAuthConfig: { clusterName: 'prod' } }) });
    new ClusterSecret(chart, 'dev', {
      cluster: Cluster.fromKubeconfig(file, 'dev'),
      credentials: ClusterCredentials.bearerTokenFromStore({ store, remoteKey: 'clusters/dev' }),
    });
    const out = app.synthFiles().map((f) => f.content).join('\n');
    expect(out).toContain('https://prod.k8s.example.com');
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain(Buffer.from('-----BEGIN RSA PRIVATE KEY-----').toString('base64'));
  });

  test('fails when the context does not exist', () => {
    expect(() => Cluster.fromKubeconfig(file, 'staging')).toThrow(`kubeconfig context 'staging' is not in ${file} (contexts: dev, production); pass one of them`);
  });
});
