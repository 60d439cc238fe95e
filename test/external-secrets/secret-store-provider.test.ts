import { Chart, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { ClusterSecretStore, SecretStore } from '../../lib/external-secrets/secret-store';
import {
  AwsAuth, AzureAuth, AzureEnvironment, CaProviderType, GcpAuth, KubernetesAuth, SecretStoreProvider, VaultAuth, VaultKvVersion,
} from '../../lib/external-secrets/secret-store-provider';
import { schemaProblems } from '../support/crds';

/** Synthesizes one SecretStore in namespace production with `provider`; returns spec.provider. */
function render(provider: SecretStoreProvider, cluster = false): any {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'production' });
  if (cluster) new ClusterSecretStore(chart, 'store', { provider });
  else new SecretStore(chart, 'store', { provider });
  const out = Testing.synth(chart);
  expect(schemaProblems(out)).toEqual([]);
  return out[0].spec.provider;
}

describe('AWS', () => {
  test('Secrets Manager with IRSA and a role', () => {
    expect(render(SecretStoreProvider.awsSecretsManager({
      region: 'us-east-1',
      role: 'arn:aws:iam::123456789012:role/eso',
      additionalRoles: ['arn:aws:iam::123456789012:role/hop'],
      externalId: 'ext',
      prefix: 'prod/',
      auth: AwsAuth.serviceAccount({ name: 'eso', audiences: ['sts.amazonaws.com'] }),
    }))).toEqual({
      aws: {
        additionalRoles: ['arn:aws:iam::123456789012:role/hop'],
        auth: { jwt: { serviceAccountRef: { audiences: ['sts.amazonaws.com'], name: 'eso' } } },
        externalID: 'ext',
        prefix: 'prod/',
        region: 'us-east-1',
        role: 'arn:aws:iam::123456789012:role/eso',
        service: 'SecretsManager',
        sessionTagsPolicy: 'None',
      },
    });
  });

  test('Parameter Store with access keys from a Secret', () => {
    expect(render(SecretStoreProvider.awsParameterStore({
      region: 'eu-central-1',
      auth: AwsAuth.secretRef({
        accessKeyId: { name: 'aws-creds', key: 'access-key-id' },
        secretAccessKey: { name: 'aws-creds', key: 'secret-access-key' },
        sessionToken: { name: 'aws-creds', key: 'session-token' },
      }),
    }))).toEqual({
      aws: {
        auth: {
          secretRef: {
            accessKeyIDSecretRef: { key: 'access-key-id', name: 'aws-creds' },
            secretAccessKeySecretRef: { key: 'secret-access-key', name: 'aws-creds' },
            sessionTokenSecretRef: { key: 'session-token', name: 'aws-creds' },
          },
        },
        region: 'eu-central-1',
        service: 'ParameterStore',
        sessionTagsPolicy: 'None',
      },
    });
  });

  test('no auth uses the controller\'s own identity', () => {
    expect(render(SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1' }), true)).toEqual({
      aws: { region: 'eu-west-1', service: 'SecretsManager', sessionTagsPolicy: 'None' },
    });
  });

  test('fails when the region is not an AWS region', () => {
    expect(() => SecretStoreProvider.awsSecretsManager({ region: 'Ireland' }))
      .toThrowError("spec.provider.aws.region 'Ireland' is not an AWS region; use a region code like 'eu-west-1'");
  });

  test('fails when the role is not an IAM role ARN', () => {
    expect(() => SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', role: 'eso' }))
      .toThrowError("spec.provider.aws.role 'eso' is not an IAM role ARN; use 'arn:aws:iam::<account>:role/<name>'");
  });

  test('fails when a secret key selector names an invalid key', () => {
    expect(() => AwsAuth.secretRef({ accessKeyId: { name: 'aws', key: 'a b' }, secretAccessKey: { name: 'aws', key: 'b' } }))
      .toThrowError("secretRef.accessKeyIDSecretRef.key 'a b' is not a valid Secret key; use letters, digits, '-', '_' and '.'");
  });
});

describe('Vault', () => {
  test('Kubernetes auth, KV v2 written explicitly', () => {
    expect(render(SecretStoreProvider.vault({
      server: 'https://vault.example.com:8200',
      path: 'secret',
      namespace: 'team-a',
      auth: VaultAuth.kubernetes({ role: 'app', serviceAccount: { name: 'app' } }),
      caProvider: { type: CaProviderType.CONFIG_MAP, name: 'vault-ca', key: 'ca.crt' },
    }))).toEqual({
      vault: {
        auth: { kubernetes: { mountPath: 'kubernetes', role: 'app', serviceAccountRef: { name: 'app' } } },
        caProvider: { key: 'ca.crt', name: 'vault-ca', type: 'ConfigMap' },
        namespace: 'team-a',
        path: 'secret',
        server: 'https://vault.example.com:8200',
        version: 'v2',
      },
    });
  });

  test('token, AppRole and JWT auth', () => {
    expect(render(SecretStoreProvider.vault({ server: 'https://v', version: VaultKvVersion.V1, auth: VaultAuth.tokenSecret({ name: 'vault-token', key: 'token' }) })).vault)
      .toMatchObject({ auth: { tokenSecretRef: { key: 'token', name: 'vault-token' } }, version: 'v1' });
    expect(render(SecretStoreProvider.vault({ server: 'https://v', auth: VaultAuth.appRole({ roleId: 'r-1', secretIdSecret: { name: 'approle', key: 'secret-id' } }) })).vault.auth)
      .toEqual({ appRole: { path: 'approle', roleId: 'r-1', secretRef: { key: 'secret-id', name: 'approle' } } });
    expect(render(SecretStoreProvider.vault({ server: 'https://v', auth: VaultAuth.jwt({ role: 'r', serviceAccount: { name: 'app', audiences: ['vault'] } }) })).vault.auth)
      .toEqual({ jwt: { kubernetesServiceAccountToken: { serviceAccountRef: { audiences: ['vault'], name: 'app' } }, path: 'jwt', role: 'r' } });
  });

  test('fails when the server is empty', () => {
    expect(() => SecretStoreProvider.vault({ server: '', auth: VaultAuth.kubernetes({ role: 'a' }) }))
      .toThrowError("spec.provider.vault.server '' must be a non-empty string");
  });
});

describe('Google Secret Manager', () => {
  test('workload identity, version selection policy written explicitly', () => {
    expect(render(SecretStoreProvider.gcpSecretManager({
      projectId: 'my-project',
      location: 'europe-west1',
      auth: GcpAuth.workloadIdentity({ serviceAccount: { name: 'eso' }, clusterLocation: 'europe-west1', clusterName: 'prod', clusterProjectId: 'infra' }),
    }))).toEqual({
      gcpsm: {
        auth: { workloadIdentity: { clusterLocation: 'europe-west1', clusterName: 'prod', clusterProjectID: 'infra', serviceAccountRef: { name: 'eso' } } },
        location: 'europe-west1',
        projectID: 'my-project',
        secretVersionSelectionPolicy: 'LatestOrFail',
      },
    });
    expect(render(SecretStoreProvider.gcpSecretManager({ projectId: 'p', auth: GcpAuth.serviceAccountKey({ name: 'gcp', key: 'key.json' }) })).gcpsm.auth)
      .toEqual({ secretRef: { secretAccessKeySecretRef: { key: 'key.json', name: 'gcp' } } });
  });
});

describe('Azure Key Vault', () => {
  test('service principal, managed identity and workload identity', () => {
    expect(render(SecretStoreProvider.azureKeyVault({
      vaultUrl: 'https://kv.vault.azure.net',
      environment: AzureEnvironment.CHINA_CLOUD,
      auth: AzureAuth.servicePrincipal({ tenantId: 't-1', clientId: { name: 'azure', key: 'client-id' }, clientSecret: { name: 'azure', key: 'client-secret' } }),
    }))).toEqual({
      azurekv: {
        authSecretRef: { clientId: { key: 'client-id', name: 'azure' }, clientSecret: { key: 'client-secret', name: 'azure' } },
        authType: 'ServicePrincipal',
        environmentType: 'ChinaCloud',
        tenantId: 't-1',
        useAzureSDK: false,
        vaultUrl: 'https://kv.vault.azure.net',
      },
    });
    expect(render(SecretStoreProvider.azureKeyVault({ vaultUrl: 'https://kv', auth: AzureAuth.managedIdentity('id-1') })).azurekv)
      .toEqual({ authType: 'ManagedIdentity', environmentType: 'PublicCloud', identityId: 'id-1', useAzureSDK: false, vaultUrl: 'https://kv' });
    expect(render(SecretStoreProvider.azureKeyVault({ vaultUrl: 'https://kv', auth: AzureAuth.workloadIdentity({ name: 'eso' }) })).azurekv)
      .toEqual({ authType: 'WorkloadIdentity', environmentType: 'PublicCloud', serviceAccountRef: { name: 'eso' }, useAzureSDK: false, vaultUrl: 'https://kv' });
  });
});

describe('Kubernetes', () => {
  test('service account, token and client certificate', () => {
    expect(render(SecretStoreProvider.kubernetes({ auth: KubernetesAuth.serviceAccount({ name: 'reader' }) }))).toEqual({
      kubernetes: { auth: { serviceAccount: { name: 'reader' } }, remoteNamespace: 'default', server: { url: 'kubernetes.default' } },
    });
    expect(render(SecretStoreProvider.kubernetes({
      remoteNamespace: 'shared',
      serverUrl: 'https://other:6443',
      caProvider: { type: CaProviderType.SECRET, name: 'other-ca', key: 'ca.crt' },
      auth: KubernetesAuth.tokenSecret({ name: 'other', key: 'token' }),
    })).kubernetes).toEqual({
      auth: { token: { bearerToken: { key: 'token', name: 'other' } } },
      remoteNamespace: 'shared',
      server: { caProvider: { key: 'ca.crt', name: 'other-ca', type: 'Secret' }, url: 'https://other:6443' },
    });
    expect(render(SecretStoreProvider.kubernetes({ auth: KubernetesAuth.clientCertificate({ name: 'c', key: 'tls.crt' }, { name: 'c', key: 'tls.key' }) })).kubernetes.auth)
      .toEqual({ cert: { clientCert: { key: 'tls.crt', name: 'c' }, clientKey: { key: 'tls.key', name: 'c' } } });
  });
});

describe('custom', () => {
  test('writes any other provider as given, with ESO\'s spelling', () => {
    expect(render(SecretStoreProvider.custom('bitwardensecretsmanager', {
      auth: { secretRef: { credentials: { name: 'bw', key: 'token' } } },
      organizationID: 'org',
      projectID: 'proj',
    }))).toEqual({
      bitwardensecretsmanager: { auth: { secretRef: { credentials: { key: 'token', name: 'bw' } } }, organizationID: 'org', projectID: 'proj' },
    });
  });

  test('fails when the configuration holds a literal credential', () => {
    expect(() => SecretStoreProvider.custom('doppler', { auth: { secretRef: { dopplerToken: 'dp.st.xxxx' } } }))
      .toThrowError("spec.provider.doppler.auth.secretRef.dopplerToken '<redacted>' holds a literal credential; reference a Kubernetes Secret instead (a secret key selector with name and key)");
    expect(() => SecretStoreProvider.custom('scaleway', { secretKey: { value: 'abc' } }))
      .toThrowError("spec.provider.scaleway.secretKey.value '<redacted>' holds a literal credential");
  });

  test('fails when the name is not a provider key', () => {
    expect(() => SecretStoreProvider.custom('one password', {}))
      .toThrowError("spec.provider 'one password' is not a provider name; use ESO's key for it, e.g. 'onepassword' or 'doppler'");
  });
});
