import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { LabelSelectorOperator } from '../../lib/argocd/generators/label-selector';
import { ClusterExternalSecret } from '../../lib/external-secrets/cluster-external-secret';
import { ExternalSecretDataFrom } from '../../lib/external-secrets/external-secret';
import { ClusterSecretStore, SecretStore } from '../../lib/external-secrets/secret-store';
import { SecretStoreProvider } from '../../lib/external-secrets/secret-store-provider';
import { schemaProblems } from '../support/crds';

describe('ClusterExternalSecret', () => {
  test('renders namespaces, selectors, refreshTime and the shared ExternalSecret options', () => {
    // GIVEN a chart with a namespace (which a cluster-scoped object must not take)
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    // WHEN
    const ces = new ClusterExternalSecret(chart, 'registry', {
      store: ClusterSecretStore.fromName(chart, 's', 'aws'),
      namespaces: ['team-a'],
      namespaceSelectors: [
        { matchLabels: { registry: 'true' } },
        { matchExpressions: [{ key: 'team', operator: LabelSelectorOperator.IN, values: ['a', 'b'] }, { key: 'legacy', operator: LabelSelectorOperator.DOES_NOT_EXIST }] },
      ],
      externalSecretName: 'registry-credentials',
      externalSecretLabels: { app: 'registry' },
      refreshTime: Duration.minutes(5),
      template: { type: 'kubernetes.io/dockerconfigjson' },
    });
    ces.addDataFrom(ExternalSecretDataFrom.extract({ remoteKey: 'registry' }));
    ces.addData({ secretKey: '.dockerconfigjson', remoteKey: 'registry/dockerconfig' });
    const [out] = Testing.synth(chart);
    // THEN
    expect(out.metadata).toEqual({ name: 'registry' });
    expect(out.spec).toEqual({
      externalSecretMetadata: { labels: { app: 'registry' } },
      externalSecretName: 'registry-credentials',
      externalSecretSpec: {
        data: [{ remoteRef: { conversionStrategy: 'Default', decodingStrategy: 'None', key: 'registry/dockerconfig', metadataPolicy: 'None' }, secretKey: '.dockerconfigjson' }],
        dataFrom: [{ extract: { conversionStrategy: 'Default', decodingStrategy: 'None', key: 'registry', metadataPolicy: 'None' } }],
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws' },
        target: {
          creationPolicy: 'Owner',
          deletionPolicy: 'Retain',
          name: 'registry-credentials',
          template: { engineVersion: 'v2', mergePolicy: 'Replace', type: 'kubernetes.io/dockerconfigjson' },
        },
      },
      namespaceSelectors: [
        { matchLabels: { registry: 'true' } },
        { matchExpressions: [{ key: 'team', operator: 'In', values: ['a', 'b'] }, { key: 'legacy', operator: 'DoesNotExist' }] },
      ],
      namespaces: ['team-a'],
      refreshTime: '5m',
    });
    expect(schemaProblems([out])).toEqual([]);
  });

  test('fails when it selects no namespace', () => {
    const chart = Testing.chart();
    expect(() => new ClusterExternalSecret(chart, 'x', { store: ClusterSecretStore.fromName(chart, 's', 'aws'), data: [{ secretKey: 'a', remoteKey: 'b' }] }))
      .toThrowError('[test/x] spec.namespaces [] is empty and so is spec.namespaceSelectors: the ClusterExternalSecret would create no ExternalSecret; give namespaces or namespaceSelectors');
  });

  test('fails when a selector selects every namespace', () => {
    const chart = Testing.chart();
    expect(() => new ClusterExternalSecret(chart, 'x', { store: ClusterSecretStore.fromName(chart, 's', 'aws'), namespaceSelectors: [{}] }))
      .toThrowError('[test/x] spec.namespaceSelectors[0] {} selects every namespace; give matchLabels or matchExpressions');
  });

  test('fails when an In requirement has no values', () => {
    const chart = Testing.chart();
    expect(() => new ClusterExternalSecret(chart, 'x', { store: ClusterSecretStore.fromName(chart, 's', 'aws'), namespaceSelectors: [{ matchExpressions: [{ key: 'team', operator: LabelSelectorOperator.IN }] }] }))
      .toThrowError('[test/x] spec.namespaceSelectors[0].matchExpressions[0].values [] is empty; operator In needs at least one value');
  });

  test('fails when it fetches nothing', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ClusterExternalSecret(chart, 'x', { store: ClusterSecretStore.fromName(chart, 's', 'aws'), namespaces: ['a'] });
    expect(() => Testing.synth(chart)).toThrow('[c/x] spec.externalSecretSpec.data and spec.externalSecretSpec.dataFrom are both empty: the ExternalSecret fetches nothing; pass data or dataFrom, or call addData() (Python: add_data(), Go: AddData()) / addDataFrom() (Python: add_data_from(), Go: AddDataFrom())');
  });

  test('fails when it names a ClusterSecretStore the app declares as a SecretStore', () => {
    const app = new ArgoCdApp({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'c', { namespace: 'production' });
    new SecretStore(chart, 'vault', { provider: SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1' }) });
    new ClusterExternalSecret(chart, 'x', { store: ClusterSecretStore.fromName(chart, 's', 'vault'), namespaces: ['a'], data: [{ secretKey: 'a', remoteKey: 'b' }] });
    expect(() => app.synthFiles()).toThrowError("synthesis failed with 1 error:\n  [c/x] spec.externalSecretSpec.secretStoreRef refers to ClusterSecretStore 'vault', but this app declares 'vault' as a SecretStore at [c/vault]; refer to that store itself (kind SecretStore), or declare a ClusterSecretStore");
  });
});
