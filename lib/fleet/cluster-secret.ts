import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { SECRET_TYPE_LABEL } from '../argocd/preview/_generators';
import { ValidationError } from '../errors';
import { checkNamespace, checkNonEmpty, checkObjectName } from '../_internal/values';
import { ExternalSecret } from '../external-secrets/external-secret';
import { PlaintextSecret } from '../external-secrets/plaintext-secret-guard';
import { ISecretStore } from '../external-secrets/secret-store';
import { Cluster } from './cluster';
import { methodName } from '../_internal/method-name';

/**
 * The label that makes a Secret an Argo CD cluster registration.
 */
export const CLUSTER_SECRET_TYPE_LABEL = SECRET_TYPE_LABEL;

/**
 * Where a cluster's bearer token is kept in a secret store.
 */
export interface BearerTokenFromStoreOptions {
  /** The store to read from (e.g. a `ClusterSecretStore` backed by AWS Secrets Manager). */
  readonly store: ISecretStore;

  /** The secret's key in the store, e.g. `argocd/clusters/production`. */
  readonly remoteKey: string;

  /**
   * The property of the stored secret that holds the token (for JSON secrets).
   *
   * @default - the whole secret is the token
   */
  readonly property?: string;

  /**
   * The version of the stored secret.
   *
   * @default - not written; the latest version
   */
  readonly version?: string;

  /**
   * How often ESO refreshes the Secret (rotated tokens reach Argo CD within this time).
   *
   * @default - ExternalSecret's default (1h, written explicitly)
   */
  readonly refreshInterval?: Duration;
}

/**
 * How Argo CD gets a registered cluster's credentials. Credentials never enter Git.
 */
export class ClusterCredentials {
  /**
   * The cluster's config (AWS IAM, exec plugin, in-cluster) needs no secret: the cluster Secret
   * is written to Git with `stringData` holding no credential, allowed explicitly through
   * `PlaintextSecret.allow()`.
   */
  public static none(): ClusterCredentials {
    return new ClusterCredentials(undefined);
  }

  /**
   * The bearer token is read from a secret store: an `ExternalSecret` writes the whole cluster
   * Secret (labels, name, server, config with the token) from its template; Git holds only the
   * template.
   *
   * @param options the store and key of the token
   */
  public static bearerTokenFromStore(options: BearerTokenFromStoreOptions): ClusterCredentials {
    return new ClusterCredentials(options);
  }

  private constructor(
    /** @internal */
    public readonly _store: BearerTokenFromStoreOptions | undefined,
  ) {}
}

/**
 * Props for `ClusterSecret`.
 */
export interface ClusterSecretProps {
  /** The cluster to register. */
  readonly cluster: Cluster;

  /**
   * Where the credentials come from.
   *
   * @default ClusterCredentials.none() when the cluster authenticates without a secret
   *   (awsAuthConfig, execProviderConfig, in-cluster); required otherwise
   */
  readonly credentials?: ClusterCredentials;

  /**
   * The Secret's name (and the ExternalSecret's).
   *
   * @default - `cluster-<cluster name>`
   */
  readonly name?: string;

  /**
   * The namespace Argo CD runs in.
   *
   * @default 'argocd'
   */
  readonly namespace?: string;
}

/**
 * Registers a cluster in Argo CD declaratively: the cluster Secret (label
 * `argocd.argoproj.io/secret-type: cluster`) with `name`, `server`, `config` and, when set,
 * `namespaces`, `clusterResources`, `project` and `shard`. The cluster's labels and annotations go
 * on the Secret, where the clusters generator reads them.
 *
 * With `ClusterCredentials.bearerTokenFromStore()` an `ExternalSecret` produces the Secret from a
 * store, so the token never enters Git; with `ClusterCredentials.none()` the Secret itself is
 * written, holding no credential.
 *
 * @example
 * new ClusterSecret(chart, 'production', {
 *   cluster: prod,
 *   credentials: ClusterCredentials.bearerTokenFromStore({ store, remoteKey: 'argocd/clusters/production', property: 'token' }),
 * });
 */
export class ClusterSecret extends Construct {
  /** The Secret's name. */
  public readonly secretName: string;

  /** The namespace of the Secret. */
  public readonly namespace: string;

  /** The cluster registered. */
  public readonly cluster: Cluster;

  /** The ExternalSecret that writes the Secret, when the credentials come from a store. */
  public readonly externalSecret?: ExternalSecret;

  /** The object written: the Secret, or the ExternalSecret's object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ClusterSecretProps) {
    super(scope, id);
    const cluster = props.cluster;
    if (!(cluster instanceof Cluster)) {
      throw new ValidationError(`cluster is not a Cluster; use new Cluster({...}) or ${methodName('Cluster.fromKubeconfig')}`, this);
    }
    this.cluster = cluster;
    this.secretName = props.name ?? `cluster-${cluster.name}`;
    checkObjectName(this, 'metadata.name', this.secretName);
    this.namespace = props.namespace ?? 'argocd';
    checkNamespace(this, 'metadata.namespace', this.namespace);
    const credentials = props.credentials ?? (cluster.authenticatesWithoutSecret ? ClusterCredentials.none() : undefined);
    if (!credentials) {
      throw new ValidationError(`credentials of cluster '${cluster.name}' are missing: its config has no awsAuthConfig or execProviderConfig, so Argo CD needs a token, and credentials never enter Git; `
        + 'pass credentials: ClusterCredentials.bearerTokenFromStore({ store, remoteKey }), or authenticate with awsAuthConfig or execProviderConfig', this);
    }
    if (!(credentials instanceof ClusterCredentials)) {
      throw new ValidationError(`credentials is not ClusterCredentials; use ${methodName('ClusterCredentials.none')} or ${methodName('ClusterCredentials.bearerTokenFromStore')}`, this);
    }
    const labels = { ...cluster.labels, [CLUSTER_SECRET_TYPE_LABEL]: 'cluster' };
    const annotations = cluster.annotations;
    const hasAnnotations = Object.keys(annotations).length > 0;
    const store = credentials._store;
    if (store) {
      checkNonEmpty(this, 'spec.data[0].remoteRef.key', store.remoteKey);
      this.externalSecret = new ExternalSecret(this, 'Resource', {
        name: this.secretName,
        namespace: this.namespace,
        store: store.store,
        refreshInterval: store.refreshInterval,
        data: [{
          secretKey: 'bearerToken',
          remoteKey: store.remoteKey,
          ...(store.property !== undefined ? { property: store.property } : {}),
          ...(store.version !== undefined ? { version: store.version } : {}),
        }],
        template: {
          type: 'Opaque',
          labels,
          ...(hasAnnotations ? { annotations } : {}),
          data: { ...cluster._secretFields(), config: cluster._configJson('{{ .bearerToken }}') },
        },
      });
      this.apiObject = this.externalSecret.apiObject;
    } else {
      if (!cluster.authenticatesWithoutSecret) {
        throw new ValidationError(`credentials of cluster '${cluster.name}' are ClusterCredentials.none(), but its config has no awsAuthConfig or execProviderConfig, so Argo CD could not authenticate; `
          + 'pass credentials: ClusterCredentials.bearerTokenFromStore({ store, remoteKey }), or authenticate with awsAuthConfig or execProviderConfig', this);
      }
      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: this.secretName,
          namespace: this.namespace,
          labels,
          ...(hasAnnotations ? { annotations } : {}),
        },
        type: 'Opaque',
        stringData: { ...cluster._secretFields(), config: cluster._configJson() },
      });
      PlaintextSecret.allow(this.apiObject, 'Argo CD cluster registration; the config authenticates without a secret (no token, password or key)');
    }
  }
}
