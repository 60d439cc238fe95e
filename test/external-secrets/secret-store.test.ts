import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { ExternalSecret } from '../../lib/external-secrets/external-secret';
import { PushSecret } from '../../lib/external-secrets/push-secret';
import { ClusterSecretStore, SecretStore, SecretStoreKind } from '../../lib/external-secrets/secret-store';
import { AwsAuth, SecretStoreProvider } from '../../lib/external-secrets/secret-store-provider';
import { schemaProblems } from '../support/crds';

const aws = () => SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', auth: AwsAuth.serviceAccount({ name: 'external-secrets', namespace: 'external-secrets' }) });
const awsLocal = () => SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', auth: AwsAuth.serviceAccount({ name: 'app' }) });
const data = [{ secretKey: 'password', remoteKey: 'db' }];

function app() {
  return new ArgoCdApp({ outdir: Testing.app().outdir });
}

describe('SecretStore and ClusterSecretStore', () => {
  test('a ClusterSecretStore has no namespace, even in a chart that has one', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const store = new ClusterSecretStore(chart, 'aws-secrets-manager', { provider: aws(), labels: { a: 'b' }, annotations: { c: 'd' }, controller: 'dev', refreshInterval: Duration.minutes(5) });
    const [out] = Testing.synth(chart);
    expect(out).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'aws-secrets-manager', labels: { a: 'b' }, annotations: { c: 'd' } },
      spec: {
        controller: 'dev',
        provider: { aws: { auth: { jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } }, region: 'eu-west-1', service: 'SecretsManager', sessionTagsPolicy: 'None' } },
        refreshInterval: '5m',
      },
    });
    expect(store.storeKind).toEqual(SecretStoreKind.CLUSTER_SECRET_STORE);
    expect(store.storeName).toEqual('aws-secrets-manager');
    expect(schemaProblems([out])).toEqual([]);
  });

  test('a ClusterSecretStore can be limited to namespaces', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ClusterSecretStore(chart, 'shared', { provider: aws(), namespaces: ['team-a', 'team-b'], namespaceRegexes: ['^team-'] });
    const [out] = Testing.synth(chart);
    expect(out.spec.conditions).toEqual([{ namespaces: ['team-a', 'team-b'], namespaceRegexes: ['^team-'] }]);
    expect(schemaProblems([out])).toEqual([]);
  });

  test('a SecretStore takes the chart namespace or its own', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const a = new SecretStore(chart, 'a', { provider: awsLocal() });
    const b = new SecretStore(chart, 'b', { provider: awsLocal(), namespace: 'staging', name: 'bee' });
    const out = Testing.synth(chart);
    expect(out.map((m) => [m.kind, m.metadata.name, m.metadata.namespace])).toEqual([['SecretStore', 'a', 'production'], ['SecretStore', 'bee', 'staging']]);
    expect([a.namespace, b.namespace, b.storeName, b.storeKind]).toEqual(['production', 'staging', 'bee', SecretStoreKind.SECRET_STORE]);
    expect(schemaProblems(out)).toEqual([]);
  });

  test('fromName refers to stores declared elsewhere', () => {
    const chart = new Chart(Testing.app(), 'c');
    const s = SecretStore.fromName(chart, 's', 'vault');
    const c = ClusterSecretStore.fromName(chart, 'cs', 'aws');
    expect([s.storeKind, s.storeName, c.storeKind, c.storeName]).toEqual(['SecretStore', 'vault', 'ClusterSecretStore', 'aws']);
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('fails when the store name is not a Kubernetes name', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => new SecretStore(chart, 'Bad_Name', { provider: awsLocal() }))
      .toThrowError("[c/Bad_Name] metadata.name 'Bad_Name' is not a valid Kubernetes name; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
  });

  test('fails when the provider is not a SecretStoreProvider', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => new SecretStore(chart, 's', { provider: { aws: {} } as any }))
      .toThrowError('[c/s] spec.provider {"aws":{}} is not a SecretStoreProvider; use SecretStoreProvider.awsSecretsManager(), .vault(), .gcpSecretManager(), .azureKeyVault(), .kubernetes() or .custom()');
  });

  test('fails when a SecretStore reads a credential from another namespace', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const provider = SecretStoreProvider.awsParameterStore({
      region: 'eu-west-1',
      auth: AwsAuth.secretRef({ accessKeyId: { name: 'aws', key: 'id', namespace: 'other' }, secretAccessKey: { name: 'aws', key: 'secret' } }),
    });
    expect(() => new SecretStore(chart, 's', { provider }))
      .toThrowError("[c/s] spec.provider.aws.auth.secretRef.accessKeyIDSecretRef.namespace 'other' is not the SecretStore's namespace 'production'; a SecretStore can only read from its own namespace: leave namespace out, or use a ClusterSecretStore");
  });
});

describe('store references (cross-object check)', () => {
  test('matching kind and name pass, and validate against the CRDs', () => {
    const a = app();
    const infra = new Chart(a, 'infra');
    const store = new ClusterSecretStore(infra, 'aws', { provider: aws() });
    const prod = new Chart(a, 'prod', { namespace: 'production' });
    new ExternalSecret(prod, 'by-object', { store, data });
    new ExternalSecret(prod, 'by-name', { store: ClusterSecretStore.fromName(prod, 'ref', 'aws'), data });
    const local = new SecretStore(prod, 'vault', { provider: awsLocal() });
    new ExternalSecret(prod, 'local', { store: local, data });
    const files = a.synthFiles();
    expect(files.map((f) => f.path)).toEqual([
      'infra/clustersecretstore_aws.yaml',
      'prod/externalsecret_production_by-name.yaml',
      'prod/externalsecret_production_by-object.yaml',
      'prod/externalsecret_production_local.yaml',
      'prod/secretstore_production_vault.yaml',
    ]);
    expect(schemaProblems(files.map((f) => f.manifest))).toEqual([]);
  });

  test('fails when an ExternalSecret names a SecretStore the app declares as a ClusterSecretStore', () => {
    const a = app();
    const infra = new Chart(a, 'infra');
    new ClusterSecretStore(infra, 'aws', { provider: aws() });
    const prod = new Chart(a, 'prod', { namespace: 'production' });
    new ExternalSecret(prod, 'es', { store: SecretStore.fromName(prod, 'ref', 'aws'), data });
    expect(() => a.synthFiles()).toThrowError("synthesis failed with 1 error:\n  [prod/es] spec.secretStoreRef refers to SecretStore 'aws', but this app declares 'aws' as a ClusterSecretStore at [infra/aws]; refer to that store itself (kind ClusterSecretStore), or use ClusterSecretStore.fromName()");
  });

  test('fails when an ExternalSecret names a ClusterSecretStore the app declares as a SecretStore', () => {
    const a = app();
    const prod = new Chart(a, 'prod', { namespace: 'production' });
    new SecretStore(prod, 'vault', { provider: awsLocal() });
    new ExternalSecret(prod, 'es', { store: ClusterSecretStore.fromName(prod, 'ref', 'vault'), data });
    expect(() => a.synthFiles()).toThrowError("synthesis failed with 1 error:\n  [prod/es] spec.secretStoreRef refers to ClusterSecretStore 'vault', but this app declares 'vault' as a SecretStore at [prod/vault]; refer to that store itself (kind SecretStore), or declare a ClusterSecretStore");
  });

  test('fails when an ExternalSecret names a store no construct of the app declares, with the nearest declared names', () => {
    const a = app();
    const infra = new Chart(a, 'infra');
    new ClusterSecretStore(infra, 'aws-secrets-manager', { provider: aws() });
    new ClusterSecretStore(infra, 'vault', { provider: aws() });
    const prod = new Chart(a, 'prod', { namespace: 'production' });
    new ExternalSecret(prod, 'es', { store: ClusterSecretStore.fromName(prod, 's', 'aws-secret-manager'), data });
    expect(() => a.synthFiles()).toThrowError("synthesis failed with 1 error:\n  [prod/es] spec.secretStoreRef refers to ClusterSecretStore 'aws-secret-manager', which no store of this app declares "
      + "(nearest declared: ClusterSecretStore 'aws-secrets-manager' at [infra/aws-secrets-manager], ClusterSecretStore 'vault' at [infra/vault]); "
      + "ESO would leave the ExternalSecret failing with SecretSyncedError; fix the name, or, for a store managed outside this app, use ClusterSecretStore.fromName(scope, id, 'aws-secret-manager', { managedOutsideApp: true })");
  });

  test('a store marked managedOutsideApp, or any store in an app that declares none, is not looked for', () => {
    const a = app();
    const infra = new Chart(a, 'infra');
    new ClusterSecretStore(infra, 'aws-secrets-manager', { provider: aws() });
    const prod = new Chart(a, 'prod', { namespace: 'production' });
    new ExternalSecret(prod, 'es', { store: ClusterSecretStore.fromName(prod, 's', 'platform-vault', { managedOutsideApp: true }), data });
    new ExternalSecret(prod, 'local', { store: SecretStore.fromName(prod, 'l', 'team-store', { managedOutsideApp: true }), data });
    expect(a.synthFiles().map((f) => f.path)).toContain('prod/externalsecret_production_es.yaml');

    const bare = app();
    const c = new Chart(bare, 'prod', { namespace: 'production' });
    new ExternalSecret(c, 'es', { store: ClusterSecretStore.fromName(c, 's', 'anything'), data });
    expect(bare.synthFiles().map((f) => f.path)).toEqual(['prod/externalsecret_production_es.yaml']);
  });

  test('a PushSecret naming an undeclared store fails the same way', () => {
    const a = app();
    const infra = new Chart(a, 'infra');
    new ClusterSecretStore(infra, 'aws-secrets-manager', { provider: aws() });
    const prod = new Chart(a, 'prod', { namespace: 'production' });
    new PushSecret(prod, 'push', { stores: [ClusterSecretStore.fromName(prod, 's', 'aws-secret-manager')], secret: kplus.Secret.fromSecretName(prod, 'db', 'db'), data: [{ secretKey: 'a', remoteKey: 'b' }] });
    expect(() => a.synthFiles()).toThrowError(/\[prod\/push\] spec\.secretStoreRefs\[0\] refers to ClusterSecretStore 'aws-secret-manager', which no store of this app declares \(nearest declared: ClusterSecretStore 'aws-secrets-manager' at \[infra\/aws-secrets-manager\]\)/);
  });

  test('fails when a namespaced SecretStore is used from another namespace', () => {
    const a = app();
    const prod = new Chart(a, 'prod', { namespace: 'production' });
    const store = new SecretStore(prod, 'vault', { provider: awsLocal() });
    const staging = new Chart(a, 'staging', { namespace: 'staging' });
    new ExternalSecret(staging, 'es', { store, data });
    expect(() => a.synthFiles()).toThrowError("synthesis failed with 1 error:\n  [staging/es] spec.secretStoreRef refers to SecretStore 'vault' from namespace 'staging', but this app declares it at [prod/vault] in namespace 'production'; a SecretStore serves only its own namespace: declare one in 'staging', or use a ClusterSecretStore");
  });

  test('fails when a ClusterSecretStore does not serve the ExternalSecret\'s namespace', () => {
    const a = app();
    const infra = new Chart(a, 'infra');
    const store = new ClusterSecretStore(infra, 'aws', { provider: aws(), namespaces: ['team-a'] });
    const prod = new Chart(a, 'prod', { namespace: 'production' });
    new ExternalSecret(prod, 'es', { store, data });
    expect(() => a.synthFiles()).toThrowError("synthesis failed with 1 error:\n  [prod/es] spec.secretStoreRef refers to ClusterSecretStore 'aws' at [infra/aws], which only serves namespaces team-a, not 'production'; add 'production' to the store's namespaces");
  });

  test('fails with plain cdk8s synth as well', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    new ClusterSecretStore(chart, 'aws', { provider: aws() });
    new ExternalSecret(chart, 'es', { store: SecretStore.fromName(chart, 'ref', 'aws'), data });
    expect(() => Testing.synth(chart)).toThrow(/\[c\/es\] spec.secretStoreRef refers to SecretStore 'aws', but this app declares 'aws' as a ClusterSecretStore at \[c\/aws\]/);
  });
});

describe('the stores are written without their generated bindings', () => {
  test('apiVersion and kind are the ones the bindings (imports/) have', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EsoSecretStore } = require('../../imports/secretstore-external-secrets.io');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EsoClusterSecretStore } = require('../../imports/clustersecretstore-external-secrets.io');
    const chart = Testing.chart();
    new SecretStore(chart, 'ns', { provider: awsLocal() });
    new ClusterSecretStore(chart, 'cluster', { provider: aws() });
    const [ns, cluster] = Testing.synth(chart);
    expect({ apiVersion: ns.apiVersion, kind: ns.kind }).toEqual(EsoSecretStore.GVK);
    expect({ apiVersion: cluster.apiVersion, kind: cluster.kind }).toEqual(EsoClusterSecretStore.GVK);
  });
});
