// The ClusterSecretStore of a cluster: External Secrets Operator reads AWS Secrets Manager with the
// IAM role of its own service account (IRSA), so no AWS key is stored anywhere. ESO itself, and the
// `external-secrets` service account annotated with that role, are installed with the cluster
// (Terraform, EKS add-ons); this store is the piece the platform team changes through Git.
import { Chart } from 'cdk8s';
import { AwsAuth, ClusterSecretStore, SecretStoreProvider } from '../../../lib';

/** The store's name, used by every ExternalSecret of the platform. */
export const SECRET_STORE_NAME = 'aws-secrets-manager';

/** The namespace ESO runs in. */
export const ESO_NAMESPACE = 'external-secrets';

export interface SecretStoreOptions {
  /** The store's name. @default SECRET_STORE_NAME */
  readonly name?: string;
  /** The AWS region of the cluster's secrets. */
  readonly region: string;
  /** Only ExternalSecrets in these namespaces may use the store. */
  readonly namespaces: string[];
}

/** Adds the cluster's ClusterSecretStore to `chart`. */
export function buildSecretStore(chart: Chart, options: SecretStoreOptions): ClusterSecretStore {
  return new ClusterSecretStore(chart, 'store', {
    name: options.name ?? SECRET_STORE_NAME,
    provider: SecretStoreProvider.awsSecretsManager({
      region: options.region,
      auth: AwsAuth.serviceAccount({ name: 'external-secrets', namespace: ESO_NAMESPACE }),
    }),
    // a store every namespace could read would hand any team every secret of the account
    namespaces: options.namespaces,
  });
}
