import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import {
  ConversionStrategy, CreationPolicy, DecodingStrategy, DeletionPolicy, ExternalSecret, ExternalSecretApiVersion,
  ExternalSecretDataFrom, MetadataPolicy, RefreshPolicy, SecretGeneratorKind, SecretKeyRewrite, TemplateFrom, TemplateMergePolicy, TemplateScope, TemplateTarget,
} from '../../lib/external-secrets/external-secret';
import { ClusterSecretStore, SecretStore } from '../../lib/external-secrets/secret-store';
import { HAVE_CRDS, schemaProblems } from '../support/crds';
import { loadSeed } from '../support/seeds';

/** GIVEN a chart in namespace production and a ClusterSecretStore declared elsewhere */
function chartWithStore() {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
  const store = ClusterSecretStore.fromName(chart, 'aws', 'aws-secrets-manager');
  return { chart, store };
}

/** `a.b[0].c` => value, for every leaf of an object. */
function leaves(obj: any, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (obj === null || typeof obj !== 'object') {
    out.set(prefix, obj);
    return out;
  }
  const entries = Array.isArray(obj) ? obj.map((v, i) => [`[${i}]`, v] as const) : Object.entries(obj).map(([k, v]) => [prefix ? `.${k}` : k, v] as const);
  for (const [k, v] of entries) for (const [p, x] of leaves(v, `${prefix}${k}`)) out.set(p, x);
  return out;
}

function seed10(chart: Chart, options: { apiVersion?: ExternalSecretApiVersion; writeServerDefaults?: boolean } = {}) {
  return new ExternalSecret(chart, 'app-secrets', {
    store: ClusterSecretStore.fromName(chart, 'store', 'aws-secrets-manager'),
    refreshInterval: Duration.hours(1),
    targetName: 'app-secrets',
    creationPolicy: CreationPolicy.OWNER,
    data: [
      { secretKey: 'db-password', remoteKey: 'production/myapp', property: 'db_password' },
      { secretKey: 'api-key', remoteKey: 'production/myapp', property: 'api_key' },
    ],
    ...options,
  });
}

describe('seed 10', () => {
  const [seed] = loadSeed('10-external-secret.yaml');

  test('is reproduced in v1 form, with the server defaults ESO would add written out', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    // WHEN
    seed10(chart);
    const [out] = Testing.synth(chart);
    // THEN every field of the seed is there with the seed's value, apart from the apiVersion
    expect(out.apiVersion).toEqual('external-secrets.io/v1');
    const actual = leaves(out);
    const expected = leaves({ ...seed, apiVersion: 'external-secrets.io/v1' });
    for (const [p, v] of expected) expect([p, actual.get(p)]).toEqual([p, v]);
    // and the extra fields are exactly ESO's server-side defaults
    const extra = [...actual.keys()].filter((p) => !expected.has(p)).sort();
    expect(extra).toEqual([
      'spec.data[0].remoteRef.conversionStrategy',
      'spec.data[0].remoteRef.decodingStrategy',
      'spec.data[0].remoteRef.metadataPolicy',
      'spec.data[1].remoteRef.conversionStrategy',
      'spec.data[1].remoteRef.decodingStrategy',
      'spec.data[1].remoteRef.metadataPolicy',
      'spec.target.deletionPolicy',
    ]);
    expect(out.spec.target.deletionPolicy).toEqual('Retain');
    expect(out.spec.data[0].remoteRef).toMatchObject({ conversionStrategy: 'Default', decodingStrategy: 'None', metadataPolicy: 'None' });
    expect(schemaProblems([out])).toEqual([]);
  });

  test('is reproduced exactly with writeServerDefaults false', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    seed10(chart, { writeServerDefaults: false });
    const [out] = Testing.synth(chart);
    expect(out).toEqual({ ...seed, apiVersion: 'external-secrets.io/v1' });
    expect(schemaProblems([out])).toEqual([]);
  });

  test('is reproduced in its original v1beta1 form when asked, which ESO 0.17+ does not serve', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    const es = seed10(chart, { apiVersion: ExternalSecretApiVersion.V1BETA1, writeServerDefaults: false });
    const [out] = Testing.synth(chart);
    expect(es.apiVersion).toEqual(ExternalSecretApiVersion.V1BETA1);
    expect(out).toEqual(seed);
    // only the loaded CRDs can say what is not served (without them the schema checks are skipped)
    if (HAVE_CRDS) {
      expect(schemaProblems([out])).toEqual([
        'ExternalSecret/app-secrets: /apiVersion external-secrets.io/v1beta1 is not served for ExternalSecret by the loaded CRD',
      ]);
    }
  });
});

describe('ExternalSecret', () => {
  test('writes every ESO default explicitly', () => {
    const { chart, store } = chartWithStore();
    new ExternalSecret(chart, 'db', { store, data: [{ secretKey: 'password', remoteKey: 'db' }] });
    const [out] = Testing.synth(chart);
    expect(out.spec).toEqual({
      data: [{ remoteRef: { conversionStrategy: 'Default', decodingStrategy: 'None', key: 'db', metadataPolicy: 'None' }, secretKey: 'password' }],
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
      target: { creationPolicy: 'Owner', deletionPolicy: 'Retain', name: 'db' },
    });
    expect(out.metadata).toEqual({ name: 'db', namespace: 'production' });
    expect(schemaProblems([out])).toEqual([]);
  });

  test('renders every option', () => {
    const { chart } = chartWithStore();
    const store = SecretStore.fromName(chart, 'vault', 'vault');
    const es = new ExternalSecret(chart, 'all', {
      name: 'all-secrets',
      namespace: 'team-a',
      labels: { app: 'x' },
      annotations: { note: 'y' },
      store,
      targetName: 'app-env',
      creationPolicy: CreationPolicy.ORPHAN,
      deletionPolicy: DeletionPolicy.DELETE,
      immutable: true,
      refreshInterval: Duration.minutes(90),
      refreshPolicy: RefreshPolicy.PERIODIC,
      data: [{
        secretKey: 'tls.key', remoteKey: 'certs/api', property: 'key', version: 'AWSCURRENT',
        conversionStrategy: ConversionStrategy.UNICODE, decodingStrategy: DecodingStrategy.BASE64, metadataPolicy: MetadataPolicy.FETCH,
      }],
      dataFrom: [
        ExternalSecretDataFrom.extract({ remoteKey: 'app/config', property: 'env', version: '3', decodingStrategy: DecodingStrategy.AUTO, rewrite: [SecretKeyRewrite.regexp('^env_', '')] }),
        ExternalSecretDataFrom.find({ nameRegexp: '^app-', tags: { team: 'a' }, path: 'app', rewrite: [SecretKeyRewrite.transform('{{ .value | upper }}')] }),
      ],
      template: {
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': '{{ .cert }}' },
        templateFrom: [
          TemplateFrom.configMap('templates', [{ key: 'config.yaml', templateAs: TemplateScope.KEYS_AND_VALUES }]),
          TemplateFrom.secret('more-templates', [{ key: 'extra' }], TemplateTarget.ANNOTATIONS),
          TemplateFrom.literal('level: {{ .level }}', TemplateTarget.LABELS),
        ],
        labels: { managed: 'eso' },
        annotations: { a: 'b' },
        mergePolicy: TemplateMergePolicy.MERGE,
      },
    });
    es.addData({ secretKey: 'more', remoteKey: 'more' });
    const [out] = Testing.synth(chart);
    expect(out.metadata).toEqual({ name: 'all-secrets', namespace: 'team-a', labels: { app: 'x' }, annotations: { note: 'y' } });
    expect(out.spec).toEqual({
      data: [
        { remoteRef: { conversionStrategy: 'Unicode', decodingStrategy: 'Base64', key: 'certs/api', metadataPolicy: 'Fetch', property: 'key', version: 'AWSCURRENT' }, secretKey: 'tls.key' },
        { remoteRef: { conversionStrategy: 'Default', decodingStrategy: 'None', key: 'more', metadataPolicy: 'None' }, secretKey: 'more' },
      ],
      dataFrom: [
        { extract: { conversionStrategy: 'Default', decodingStrategy: 'Auto', key: 'app/config', metadataPolicy: 'None', property: 'env', version: '3' }, rewrite: [{ regexp: { source: '^env_', target: '' } }] },
        { find: { conversionStrategy: 'Default', decodingStrategy: 'None', name: { regexp: '^app-' }, path: 'app', tags: { team: 'a' } }, rewrite: [{ transform: { template: '{{ .value | upper }}' } }] },
      ],
      refreshInterval: '1h30m',
      refreshPolicy: 'Periodic',
      secretStoreRef: { kind: 'SecretStore', name: 'vault' },
      target: {
        creationPolicy: 'Orphan',
        deletionPolicy: 'Delete',
        immutable: true,
        name: 'app-env',
        template: {
          data: { 'tls.crt': '{{ .cert }}' },
          engineVersion: 'v2',
          mergePolicy: 'Merge',
          metadata: { annotations: { a: 'b' }, labels: { managed: 'eso' } },
          templateFrom: [
            { configMap: { items: [{ key: 'config.yaml', templateAs: 'KeysAndValues' }], name: 'templates' }, target: 'Data' },
            { secret: { items: [{ key: 'extra', templateAs: 'Values' }], name: 'more-templates' }, target: 'Annotations' },
            { literal: 'level: {{ .level }}', target: 'Labels' },
          ],
          type: 'kubernetes.io/tls',
        },
      },
    });
    expect(es.targetName).toEqual('app-env');
    expect(es.data.map((d) => d.secretKey)).toEqual(['tls.key', 'more']);
    expect(schemaProblems([out])).toEqual([]);
  });

  test('a zero refreshInterval turns periodic refresh off', () => {
    const { chart, store } = chartWithStore();
    new ExternalSecret(chart, 'once', { store, refreshInterval: Duration.seconds(0), refreshPolicy: RefreshPolicy.CREATED_ONCE, data: [{ secretKey: 'a', remoteKey: 'a' }] });
    const [out] = Testing.synth(chart);
    expect(out.spec.refreshInterval).toEqual('0s');
    expect(out.spec.refreshPolicy).toEqual('CreatedOnce');
    expect(schemaProblems([out])).toEqual([]);
  });

  test('addData and addDataFrom after construction reach the output', () => {
    const { chart, store } = chartWithStore();
    const es = new ExternalSecret(chart, 'late', { store });
    es.addDataFrom(ExternalSecretDataFrom.extract({ remoteKey: 'app' }));
    es.addData({ secretKey: 'x', remoteKey: 'y' });
    const [out] = Testing.synth(chart);
    expect(out.spec.data).toHaveLength(1);
    expect(out.spec.dataFrom).toEqual([{ extract: { conversionStrategy: 'Default', decodingStrategy: 'None', key: 'app', metadataPolicy: 'None' } }]);
  });

  test('targetSecret works with cdk8s-plus Env.fromSecret and envValue', () => {
    const { chart, store } = chartWithStore();
    const es = new ExternalSecret(chart, 'app-secrets', { store, targetName: 'app-env', data: [{ secretKey: 'db-password', remoteKey: 'db' }] });
    const dep = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1', securityContext: { ensureNonRoot: false } }] });
    dep.containers[0].env.copyFrom(kplus.Env.fromSecret(es.targetSecret));
    dep.containers[0].env.addVariable('DB_PASSWORD', es.targetSecret.envValue('db-password'));
    const manifests = Testing.synth(chart);
    const container = manifests.find((m) => m.kind === 'Deployment').spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ secretRef: { name: 'app-env' } }]);
    expect(container.env).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { key: 'db-password', name: 'app-env' } } }]);
  });

  test('fails when data and dataFrom are both empty', () => {
    const { chart, store } = chartWithStore();
    new ExternalSecret(chart, 'empty', { store });
    expect(() => Testing.synth(chart)).toThrow('[c/empty] spec.data and spec.dataFrom are both empty: the ExternalSecret fetches nothing; pass data or dataFrom, or call addData() (Python: add_data(), Go: AddData()) / addDataFrom() (Python: add_data_from(), Go: AddDataFrom())');
  });

  test('fails when a secretKey is used twice', () => {
    const { chart, store } = chartWithStore();
    const es = new ExternalSecret(chart, 'dup', { store, data: [{ secretKey: 'a', remoteKey: 'x' }] });
    expect(() => es.addData({ secretKey: 'a', remoteKey: 'y' })).toThrowError("[c/dup] spec.data[1].secretKey 'a' is already used by spec.data[0]; give each entry its own secretKey");
  });

  test('fails when a secretKey is not a valid Secret key', () => {
    const { chart, store } = chartWithStore();
    expect(() => new ExternalSecret(chart, 'bad', { store, data: [{ secretKey: 'db password', remoteKey: 'x' }] }))
      .toThrowError("[c/bad] spec.data[0].secretKey 'db password' is not a valid Secret key; use 1 to 253 letters, digits, '-', '_' and '.'");
  });

  test('fails when a remote key is empty', () => {
    const { chart, store } = chartWithStore();
    expect(() => new ExternalSecret(chart, 'bad', { store, data: [{ secretKey: 'a', remoteKey: '' }] }))
      .toThrowError("[c/bad] spec.data[0].remoteRef.key '' must be a non-empty string");
  });

  test('fails when deletionPolicy Delete meets a Secret ESO does not own', () => {
    const { chart, store } = chartWithStore();
    expect(() => new ExternalSecret(chart, 'bad', { store, creationPolicy: CreationPolicy.MERGE, deletionPolicy: DeletionPolicy.DELETE }))
      .toThrowError("[c/bad] spec.target.deletionPolicy 'Delete' cannot be used with creationPolicy 'Merge': ESO would delete a Secret it does not own; use creationPolicy Owner or Orphan, or deletionPolicy Retain");
  });

  test('fails when deletionPolicy Merge meets creationPolicy None', () => {
    const { chart, store } = chartWithStore();
    expect(() => new ExternalSecret(chart, 'bad', { store, creationPolicy: CreationPolicy.NONE, deletionPolicy: DeletionPolicy.MERGE }))
      .toThrowError("[c/bad] spec.target.deletionPolicy 'Merge' cannot be used with creationPolicy 'None': there is no Secret to merge with; use deletionPolicy Retain");
  });

  test('fails when the refresh interval is not whole seconds', () => {
    const { chart, store } = chartWithStore();
    expect(() => new ExternalSecret(chart, 'bad', { store, refreshInterval: Duration.millis(1500) }))
      .toThrowError("[c/bad] spec.refreshInterval '1500ms' is not a positive whole number of seconds; use Duration.seconds(), Duration.minutes() or Duration.hours()");
  });

  // ESO v2.9.0 reads refreshInterval as a metav1.Duration: Go's time.ParseDuration, an int64 of nanoseconds
  test('fails when the refresh interval is longer than Go\'s longest duration, or not finite', () => {
    const { chart, store } = chartWithStore();
    expect(() => new ExternalSecret(chart, 'long', { store, refreshInterval: Duration.days(1e7) }))
      .toThrowError("[c/long] spec.refreshInterval '864000000000000ms' is longer than Go's longest duration, 2562047h47m16s (time.ParseDuration refuses it as an invalid duration); use a shorter duration");
    expect(() => new ExternalSecret(chart, 'nan', { store, refreshInterval: Duration.minutes(NaN) }))
      .toThrowError("[c/nan] spec.refreshInterval 'NaNms' is not a finite duration; use Duration.seconds(), Duration.minutes() or Duration.hours() with a finite number");
  });

  test('fails when a find finds nothing', () => {
    expect(() => ExternalSecretDataFrom.find({ path: 'app' }))
      .toThrowError('spec.dataFrom.find {"path":"app"} finds nothing; give nameRegexp, tags or both');
  });

  test('fails when an enum value is not one', () => {
    const { chart, store } = chartWithStore();
    expect(() => new ExternalSecret(chart, 'bad', { store, creationPolicy: 'owner' as any }))
      .toThrowError("[c/bad] spec.target.creationPolicy 'owner' is not a CreationPolicy; use one of 'Owner', 'Orphan', 'Merge', 'CreateOrMerge', 'None'");
  });

  test('fails when the store is not an ISecretStore', () => {
    const { chart } = chartWithStore();
    expect(() => new ExternalSecret(chart, 'bad', { store: 'aws' as any }))
      .toThrowError("[c/bad] spec.secretStoreRef 'aws' is not an ISecretStore; pass a SecretStore, a ClusterSecretStore, or SecretStore.fromName() (Python: SecretStore.from_name(), Go: SecretStore_FromName()) / ClusterSecretStore.fromName() (Python: ClusterSecretStore.from_name(), Go: ClusterSecretStore_FromName())");
  });

  test('fails when a template data key is not a valid Secret key', () => {
    const { chart, store } = chartWithStore();
    expect(() => new ExternalSecret(chart, 'bad', { store, template: { data: { 'a b': 'x' } } }))
      .toThrowError("[c/bad] spec.target.template.data 'a b' is not a valid Secret key; use 1 to 253 letters, digits, '-', '_' and '.'");
  });

  test('fails when a templateFrom ConfigMap names no keys', () => {
    expect(() => TemplateFrom.configMap('tpl', []))
      .toThrowError('spec.target.template.templateFrom.configMap.items [] is empty; name at least one key');
  });

  test('runs its checks in an ArgoCdApp', () => {
    const app = new ArgoCdApp({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'c', { namespace: 'production' });
    new ExternalSecret(chart, 'empty', { store: ClusterSecretStore.fromName(chart, 's', 'aws') });
    expect(() => app.synthFiles()).toThrowError('synthesis failed with 1 error:\n  [c/empty] spec.data and spec.dataFrom are both empty: the ExternalSecret fetches nothing; pass data or dataFrom, or call addData() (Python: add_data(), Go: AddData()) / addDataFrom() (Python: add_data_from(), Go: AddDataFrom())');
  });
});

describe('ExternalSecret generator entries', () => {
  test('a generator needs no store; its values can be rewritten', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    new ExternalSecret(chart, 'db-password', {
      dataFrom: [ExternalSecretDataFrom.generator(SecretGeneratorKind.PASSWORD, 'db-password', [SecretKeyRewrite.regexp('^password$', 'DB_PASSWORD')])],
      refreshPolicy: RefreshPolicy.CREATED_ONCE,
    });
    const [out] = Testing.synth(chart);
    expect(schemaProblems([out])).toEqual([]);
    expect(out.spec.secretStoreRef).toBeUndefined();
    expect(out.spec.dataFrom).toEqual([{
      sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'db-password' } },
      rewrite: [{ regexp: { source: '^password$', target: 'DB_PASSWORD' } }],
    }]);
  });

  test('a generator beside store entries keeps the store', () => {
    const { chart, store } = chartWithStore();
    new ExternalSecret(chart, 'registry', {
      store,
      data: [{ secretKey: 'user', remoteKey: 'registry', property: 'user' }],
      dataFrom: [ExternalSecretDataFrom.generator(SecretGeneratorKind.ECR_AUTHORIZATION_TOKEN, 'ecr')],
    });
    const [out] = Testing.synth(chart);
    expect(schemaProblems([out])).toEqual([]);
    expect(out.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
  });

  test('fails at synthesis when entries that read a store have none', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
    new ExternalSecret(chart, 'mixed', {
      dataFrom: [ExternalSecretDataFrom.generator(SecretGeneratorKind.UUID, 'id'), ExternalSecretDataFrom.extract({ remoteKey: 'app' })],
    });
    expect(() => Testing.synth(chart)).toThrow('[c/mixed] spec.secretStoreRef is missing: spec.dataFrom[1] reads from a secret store; pass store (only generator entries need none)');
  });

  test('fails on a generator kind ESO does not know, or an invalid name', () => {
    expect(() => ExternalSecretDataFrom.generator('Random' as any, 'x'))
      .toThrow("spec.dataFrom.sourceRef.generatorRef.kind 'Random' is not a SecretGeneratorKind; use one of 'Password', 'UUID', 'SSHKey', 'ECRAuthorizationToken', 'ACRAccessToken', 'GCRAccessToken', 'QuayAccessToken', 'GithubAccessToken', 'GitlabDeployToken', 'CloudsmithAccessToken', 'STSSessionToken', 'VaultDynamicSecret', 'BeyondtrustWorkloadCredentialsDynamicSecret', 'Grafana', 'MFA', 'Webhook', 'Fake', 'ClusterGenerator'");
    expect(() => ExternalSecretDataFrom.generator(SecretGeneratorKind.PASSWORD, 'DB_Password'))
      .toThrow("spec.dataFrom.sourceRef.generatorRef.name 'DB_Password' is not a valid Kubernetes name; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
  });
});

describe('ExternalSecret data entries (property)', () => {
  const secretKey = fc.stringMatching(/^[-._a-zA-Z0-9]{1,40}$/);
  const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '');
  const entry = fc.record({
    secretKey,
    remoteKey: text,
    property: fc.option(text, { nil: undefined }),
    version: fc.option(text, { nil: undefined }),
    conversionStrategy: fc.option(fc.constantFrom(...Object.values(ConversionStrategy)), { nil: undefined }),
    decodingStrategy: fc.option(fc.constantFrom(...Object.values(DecodingStrategy)), { nil: undefined }),
    metadataPolicy: fc.option(fc.constantFrom(...Object.values(MetadataPolicy)), { nil: undefined }),
  });

  test('random valid entries always validate against the CRD, keys unique', () => {
    fc.assert(fc.property(fc.uniqueArray(entry, { minLength: 1, maxLength: 6, selector: (e) => e.secretKey }), fc.boolean(), (entries, writeDefaults) => {
      const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
      new ExternalSecret(chart, 'es', { store: ClusterSecretStore.fromName(chart, 's', 'aws'), data: entries, writeServerDefaults: writeDefaults });
      const [out] = Testing.synth(chart);
      expect(schemaProblems([out])).toEqual([]);
      expect(out.spec.data.map((d: any) => d.secretKey)).toEqual(entries.map((e) => e.secretKey));
    }), { numRuns: 60 });
  });

  test('a secretKey is accepted exactly when the CRD pattern accepts it', () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (key) => {
      const chart = new Chart(Testing.app(), 'c');
      const ok = /^[-._a-zA-Z0-9]+$/.test(key);
      const make = () => new ExternalSecret(chart, 'es', { store: ClusterSecretStore.fromName(chart, 's', 'aws'), data: [{ secretKey: key, remoteKey: 'r' }] });
      if (ok) expect(make).not.toThrow();
      else expect(make).toThrow(/is not a valid Secret key/);
    }), { numRuns: 200 });
  });
});
