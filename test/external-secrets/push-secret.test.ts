import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { PushSecret, PushSecretDeletionPolicy, PushSecretUpdatePolicy } from '../../lib/external-secrets/push-secret';
import { ClusterSecretStore, SecretStore } from '../../lib/external-secrets/secret-store';
import { SecretStoreProvider } from '../../lib/external-secrets/secret-store-provider';
import { schemaProblems } from '../support/crds';

describe('PushSecret', () => {
  test('writes ESO defaults explicitly', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    new PushSecret(chart, 'push', {
      stores: [ClusterSecretStore.fromName(chart, 's', 'aws')],
      secret: kplus.Secret.fromSecretName(chart, 'db', 'db-credentials'),
      data: [{ secretKey: 'password', remoteKey: 'production/db', property: 'password' }],
    });
    const [out] = Testing.synth(chart);
    expect(out).toEqual({
      apiVersion: 'external-secrets.io/v1alpha1',
      kind: 'PushSecret',
      metadata: { name: 'push', namespace: 'production' },
      spec: {
        data: [{ conversionStrategy: 'None', match: { remoteRef: { property: 'password', remoteKey: 'production/db' }, secretKey: 'password' } }],
        deletionPolicy: 'None',
        refreshInterval: '1h',
        secretStoreRefs: [{ kind: 'ClusterSecretStore', name: 'aws' }],
        selector: { secret: { name: 'db-credentials' } },
        updatePolicy: 'Replace',
      },
    });
    expect(schemaProblems([out])).toEqual([]);
  });

  test('renders every option, and addData after construction', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const push = new PushSecret(chart, 'push', {
      name: 'push-all',
      stores: [ClusterSecretStore.fromName(chart, 's', 'aws'), SecretStore.fromName(chart, 'v', 'vault')],
      secret: kplus.Secret.fromSecretName(chart, 'db', 'db-credentials'),
      deletionPolicy: PushSecretDeletionPolicy.DELETE,
      updatePolicy: PushSecretUpdatePolicy.IF_NOT_EXISTS,
      refreshInterval: Duration.minutes(10),
      labels: { a: 'b' },
    });
    push.addData({ remoteKey: 'production/db-all' });
    const [out] = Testing.synth(chart);
    expect(out.metadata).toEqual({ name: 'push-all', namespace: 'production', labels: { a: 'b' } });
    expect(out.spec).toMatchObject({
      data: [{ conversionStrategy: 'None', match: { remoteRef: { remoteKey: 'production/db-all' } } }],
      deletionPolicy: 'Delete',
      refreshInterval: '10m',
      secretStoreRefs: [{ kind: 'ClusterSecretStore', name: 'aws' }, { kind: 'SecretStore', name: 'vault' }],
      updatePolicy: 'IfNotExists',
    });
    expect(schemaProblems([out])).toEqual([]);
  });

  test('fails when no store is given', () => {
    const chart = Testing.chart();
    expect(() => new PushSecret(chart, 'p', { stores: [], secret: kplus.Secret.fromSecretName(chart, 'db', 'db') }))
      .toThrowError('[test/p] spec.secretStoreRefs [] is empty; give at least one store to push to');
  });

  test('fails when a remote key is pushed twice', () => {
    const chart = Testing.chart();
    const push = new PushSecret(chart, 'p', { stores: [ClusterSecretStore.fromName(chart, 's', 'aws')], secret: kplus.Secret.fromSecretName(chart, 'db', 'db'), data: [{ secretKey: 'a', remoteKey: 'k', property: 'p' }] });
    expect(() => push.addData({ secretKey: 'b', remoteKey: 'k', property: 'p' }))
      .toThrowError("[test/p] spec.data[1].match.remoteRef 'k/p' is already pushed by spec.data[0]; push each remote key (and property) once");
  });

  test('fails when it pushes nothing', () => {
    const chart = new Chart(Testing.app(), 'c');
    new PushSecret(chart, 'p', { stores: [ClusterSecretStore.fromName(chart, 's', 'aws')], secret: kplus.Secret.fromSecretName(chart, 'db', 'db') });
    expect(() => Testing.synth(chart)).toThrow('[c/p] spec.data is empty: the PushSecret pushes nothing; pass data or call addData() (Python: add_data(), Go: AddData())');
  });

  test('fails when it pushes to a SecretStore of another namespace', () => {
    const app = new ArgoCdApp({ outdir: Testing.app().outdir });
    const prod = new Chart(app, 'prod', { namespace: 'production' });
    const store = new SecretStore(prod, 'vault', { provider: SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1' }) });
    const staging = new Chart(app, 'staging', { namespace: 'staging' });
    new PushSecret(staging, 'p', { stores: [store], secret: kplus.Secret.fromSecretName(staging, 'db', 'db'), data: [{ remoteKey: 'k' }] });
    expect(() => app.synthFiles()).toThrowError("synthesis failed with 1 error:\n  [staging/p] spec.secretStoreRefs[0] refers to SecretStore 'vault' from namespace 'staging', but this app declares it at [prod/vault] in namespace 'production'; a SecretStore serves only its own namespace: declare one in 'staging', or use a ClusterSecretStore");
  });
});
