import { IConstruct } from 'constructs';
import { checkNamespace, checkNonEmpty, checkObjectName, fail } from '../_internal/values';

/**
 * A key in a Kubernetes Secret that holds a credential: how a store authenticates without the
 * credential ever appearing in the manifests.
 */
export interface SecretKeySelector {
  /** The Secret's name. */
  readonly name: string;

  /** The key inside the Secret. */
  readonly key: string;

  /**
   * The Secret's namespace. In a `SecretStore` it must be the store's own namespace (or left out);
   * in a `ClusterSecretStore` leaving it out means "the namespace of the ExternalSecret that uses
   * the store" (ESO's referent authentication).
   *
   * @default - not written; the store's namespace (SecretStore) or the ExternalSecret's (ClusterSecretStore)
   */
  readonly namespace?: string;
}

/**
 * A Kubernetes ServiceAccount whose token a store uses to authenticate (IRSA, workload identity,
 * Vault's Kubernetes auth).
 */
export interface ServiceAccountReference {
  /** The ServiceAccount's name. */
  readonly name: string;

  /**
   * The ServiceAccount's namespace; same rules as `SecretKeySelector.namespace`.
   *
   * @default - not written; the store's namespace (SecretStore) or the ExternalSecret's (ClusterSecretStore)
   */
  readonly namespace?: string;

  /**
   * Audiences of the requested token.
   *
   * @default - not written; the provider's default audience
   */
  readonly audiences?: string[];
}

/**
 * The kind of object that holds a CA certificate.
 */
export enum CaProviderType {
  /** A Secret. */
  SECRET = 'Secret',
  /** A ConfigMap. */
  CONFIG_MAP = 'ConfigMap',
}

/**
 * Where a store finds the CA certificate of the server it talks to.
 */
export interface CaProvider {
  /** Secret or ConfigMap. */
  readonly type: CaProviderType;

  /** The object's name. */
  readonly name: string;

  /** The key holding the PEM certificate. */
  readonly key: string;

  /**
   * The object's namespace.
   *
   * @default - not written; the store's namespace
   */
  readonly namespace?: string;
}

/** A reference a provider holds to a Secret or ServiceAccount, kept for namespace checks. */
interface ReferenceUse {
  readonly field: string;
  readonly namespace?: string;
}

/** Collects the JSON of a provider and the references in it. */
class RefCollector {
  public readonly uses: ReferenceUse[] = [];

  public secretKey(field: string, ref: SecretKeySelector): any {
    if (ref === null || typeof ref !== 'object') {
      fail(undefined, field, ref, 'is not a secret key selector; use { name, key } naming a Kubernetes Secret');
    }
    checkObjectName(undefined, `${field}.name`, ref.name);
    if (typeof ref.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(ref.key)) {
      fail(undefined, `${field}.key`, ref.key, 'is not a valid Secret key; use letters, digits, \'-\', \'_\' and \'.\'');
    }
    if (ref.namespace !== undefined) checkNamespace(undefined, `${field}.namespace`, ref.namespace);
    this.uses.push({ field, namespace: ref.namespace });
    return { key: ref.key, name: ref.name, ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}) };
  }

  public serviceAccount(field: string, ref: ServiceAccountReference): any {
    if (ref === null || typeof ref !== 'object') {
      fail(undefined, field, ref, 'is not a service account reference; use { name } naming a Kubernetes ServiceAccount');
    }
    checkObjectName(undefined, `${field}.name`, ref.name);
    if (ref.namespace !== undefined) checkNamespace(undefined, `${field}.namespace`, ref.namespace);
    this.uses.push({ field, namespace: ref.namespace });
    const out: any = { name: ref.name };
    if (ref.namespace !== undefined) out.namespace = ref.namespace;
    if (ref.audiences?.length) out.audiences = [...ref.audiences];
    return out;
  }

  public caProvider(field: string, ca: CaProvider): any {
    checkObjectName(undefined, `${field}.name`, ca.name);
    checkNonEmpty(undefined, `${field}.key`, ca.key);
    if (!Object.values(CaProviderType).includes(ca.type)) {
      fail(undefined, `${field}.type`, ca.type, 'is not a CA provider type; use CaProviderType.SECRET or CaProviderType.CONFIG_MAP');
    }
    if (ca.namespace !== undefined) checkNamespace(undefined, `${field}.namespace`, ca.namespace);
    this.uses.push({ field, namespace: ca.namespace });
    return { key: ca.key, name: ca.name, type: ca.type, ...(ca.namespace !== undefined ? { namespace: ca.namespace } : {}) };
  }

  public merge(other: RefCollector, prefix: string): void {
    for (const u of other.uses) this.uses.push({ field: `${prefix}.${u.field}`, namespace: u.namespace });
  }
}

// ---------------------------------------------------------------------------------------------
// AWS

/**
 * How an AWS store authenticates.
 */
export class AwsAuth {
  /**
   * A ServiceAccount annotated with an IAM role (IRSA, or EKS Pod Identity): ESO requests a token
   * for it (`auth.jwt.serviceAccountRef`).
   *
   * @param serviceAccount the ServiceAccount
   */
  public static serviceAccount(serviceAccount: ServiceAccountReference): AwsAuth {
    const refs = new RefCollector();
    const json = { jwt: { serviceAccountRef: refs.serviceAccount('jwt.serviceAccountRef', serviceAccount) } };
    return new AwsAuth(json, refs);
  }

  /**
   * Static access keys read from Kubernetes Secrets (`auth.secretRef`).
   *
   * @param options where the keys are
   */
  public static secretRef(options: AwsSecretRefAuthOptions): AwsAuth {
    const refs = new RefCollector();
    const secretRef: any = {
      accessKeyIDSecretRef: refs.secretKey('secretRef.accessKeyIDSecretRef', options.accessKeyId),
      secretAccessKeySecretRef: refs.secretKey('secretRef.secretAccessKeySecretRef', options.secretAccessKey),
    };
    if (options.sessionToken) secretRef.sessionTokenSecretRef = refs.secretKey('secretRef.sessionTokenSecretRef', options.sessionToken);
    return new AwsAuth({ secretRef }, refs);
  }

  /** @internal */
  public readonly _json: any;

  /** @internal */
  public readonly _refs: RefCollector;

  private constructor(json: any, refs: RefCollector) {
    this._json = json;
    this._refs = refs;
  }
}

/**
 * Options for `AwsAuth.secretRef()`.
 */
export interface AwsSecretRefAuthOptions {
  /** The Secret key holding the access key ID. */
  readonly accessKeyId: SecretKeySelector;

  /** The Secret key holding the secret access key. */
  readonly secretAccessKey: SecretKeySelector;

  /**
   * The Secret key holding a session token, for temporary credentials.
   *
   * @default - no session token
   */
  readonly sessionToken?: SecretKeySelector;
}

/**
 * Options for the AWS providers (Secrets Manager and Parameter Store).
 */
export interface AwsProviderOptions {
  /** The AWS region, e.g. `eu-west-1`. */
  readonly region: string;

  /**
   * An IAM role ARN to assume.
   *
   * @default - not written; no role is assumed
   */
  readonly role?: string;

  /**
   * Further roles to assume in a chain, before `role`.
   *
   * @default - none
   */
  readonly additionalRoles?: string[];

  /**
   * The external ID to pass when assuming `role`.
   *
   * @default - none
   */
  readonly externalId?: string;

  /**
   * A prefix ESO adds to every key it reads.
   *
   * @default - none
   */
  readonly prefix?: string;

  /**
   * How to authenticate.
   *
   * @default - not written; the controller's own AWS identity (its pod's IRSA role or instance profile)
   */
  readonly auth?: AwsAuth;
}

// ---------------------------------------------------------------------------------------------
// Vault

/**
 * The version of a Vault KV secrets engine.
 */
export enum VaultKvVersion {
  /** KV version 1. */
  V1 = 'v1',
  /** KV version 2 (ESO's default). */
  V2 = 'v2',
}

/**
 * How a Vault store authenticates.
 */
export class VaultAuth {
  /**
   * Vault's Kubernetes auth method.
   *
   * @param options role, mount path and ServiceAccount
   */
  public static kubernetes(options: VaultKubernetesAuthOptions): VaultAuth {
    checkNonEmpty(undefined, 'spec.provider.vault.auth.kubernetes.role', options.role);
    const refs = new RefCollector();
    const json: any = { mountPath: options.mountPath ?? 'kubernetes', role: options.role };
    if (options.serviceAccount) json.serviceAccountRef = refs.serviceAccount('kubernetes.serviceAccountRef', options.serviceAccount);
    return new VaultAuth({ kubernetes: json }, refs);
  }

  /**
   * A Vault token read from a Kubernetes Secret (`auth.tokenSecretRef`).
   *
   * @param tokenSecret where the token is
   */
  public static tokenSecret(tokenSecret: SecretKeySelector): VaultAuth {
    const refs = new RefCollector();
    return new VaultAuth({ tokenSecretRef: refs.secretKey('tokenSecretRef', tokenSecret) }, refs);
  }

  /**
   * Vault's AppRole auth method; the secret ID is read from a Kubernetes Secret.
   *
   * @param options role ID, secret ID reference and mount path
   */
  public static appRole(options: VaultAppRoleAuthOptions): VaultAuth {
    checkNonEmpty(undefined, 'spec.provider.vault.auth.appRole.roleId', options.roleId);
    const refs = new RefCollector();
    const json = {
      path: options.path ?? 'approle',
      roleId: options.roleId,
      secretRef: refs.secretKey('appRole.secretRef', options.secretIdSecret),
    };
    return new VaultAuth({ appRole: json }, refs);
  }

  /**
   * Vault's JWT/OIDC auth method with a token ESO requests for a ServiceAccount.
   *
   * @param options role, mount path and ServiceAccount
   */
  public static jwt(options: VaultJwtAuthOptions): VaultAuth {
    const refs = new RefCollector();
    const json: any = {
      kubernetesServiceAccountToken: { serviceAccountRef: refs.serviceAccount('jwt.kubernetesServiceAccountToken.serviceAccountRef', options.serviceAccount) },
      path: options.path ?? 'jwt',
    };
    if (options.role !== undefined) json.role = options.role;
    return new VaultAuth({ jwt: json }, refs);
  }

  /** @internal */
  public readonly _json: any;

  /** @internal */
  public readonly _refs: RefCollector;

  private constructor(json: any, refs: RefCollector) {
    this._json = json;
    this._refs = refs;
  }
}

/**
 * Options for `VaultAuth.kubernetes()`.
 */
export interface VaultKubernetesAuthOptions {
  /** The Vault role to log in as. */
  readonly role: string;

  /**
   * Where the Kubernetes auth method is mounted.
   *
   * @default 'kubernetes' (written explicitly; ESO's own default)
   */
  readonly mountPath?: string;

  /**
   * The ServiceAccount whose token is presented.
   *
   * @default - not written; the controller's own ServiceAccount
   */
  readonly serviceAccount?: ServiceAccountReference;
}

/**
 * Options for `VaultAuth.appRole()`.
 */
export interface VaultAppRoleAuthOptions {
  /** The AppRole's role ID (not a secret). */
  readonly roleId: string;

  /** The Secret key holding the AppRole's secret ID. */
  readonly secretIdSecret: SecretKeySelector;

  /**
   * Where the AppRole auth method is mounted.
   *
   * @default 'approle' (written explicitly; ESO's own default)
   */
  readonly path?: string;
}

/**
 * Options for `VaultAuth.jwt()`.
 */
export interface VaultJwtAuthOptions {
  /** The ServiceAccount whose token is presented. */
  readonly serviceAccount: ServiceAccountReference;

  /**
   * The Vault role.
   *
   * @default - not written; the auth method's default role
   */
  readonly role?: string;

  /**
   * Where the JWT auth method is mounted.
   *
   * @default 'jwt' (written explicitly; ESO's own default)
   */
  readonly path?: string;
}

/**
 * Options for the Vault provider.
 */
export interface VaultProviderOptions {
  /** The Vault address, e.g. `https://vault.example.com:8200`. */
  readonly server: string;

  /** How to authenticate. */
  readonly auth: VaultAuth;

  /**
   * The mount path of the KV engine, e.g. `secret`.
   *
   * @default - not written; keys must then start with the mount path
   */
  readonly path?: string;

  /**
   * The KV engine version.
   *
   * @default VaultKvVersion.V2 (written explicitly; ESO's own default)
   */
  readonly version?: VaultKvVersion;

  /**
   * The Vault Enterprise namespace.
   *
   * @default - not written; the root namespace
   */
  readonly namespace?: string;

  /**
   * Where the CA certificate of the Vault server is.
   *
   * @default - the system roots
   */
  readonly caProvider?: CaProvider;
}

// ---------------------------------------------------------------------------------------------
// Google Secret Manager

/**
 * How a Google Secret Manager store authenticates.
 */
export class GcpAuth {
  /**
   * GKE Workload Identity for a ServiceAccount.
   *
   * @param options the ServiceAccount and, when outside the cluster's own project, the cluster
   */
  public static workloadIdentity(options: GcpWorkloadIdentityOptions): GcpAuth {
    const refs = new RefCollector();
    const json: any = { serviceAccountRef: refs.serviceAccount('workloadIdentity.serviceAccountRef', options.serviceAccount) };
    if (options.clusterLocation !== undefined) json.clusterLocation = options.clusterLocation;
    if (options.clusterName !== undefined) json.clusterName = options.clusterName;
    if (options.clusterProjectId !== undefined) json.clusterProjectID = options.clusterProjectId;
    return new GcpAuth({ workloadIdentity: json }, refs);
  }

  /**
   * A service account key (JSON) read from a Kubernetes Secret.
   *
   * @param keySecret where the key file is
   */
  public static serviceAccountKey(keySecret: SecretKeySelector): GcpAuth {
    const refs = new RefCollector();
    return new GcpAuth({ secretRef: { secretAccessKeySecretRef: refs.secretKey('secretRef.secretAccessKeySecretRef', keySecret) } }, refs);
  }

  /** @internal */
  public readonly _json: any;

  /** @internal */
  public readonly _refs: RefCollector;

  private constructor(json: any, refs: RefCollector) {
    this._json = json;
    this._refs = refs;
  }
}

/**
 * Options for `GcpAuth.workloadIdentity()`.
 */
export interface GcpWorkloadIdentityOptions {
  /** The Kubernetes ServiceAccount bound to a Google service account. */
  readonly serviceAccount: ServiceAccountReference;

  /**
   * The cluster's location.
   *
   * @default - not written; ESO reads it from the metadata server
   */
  readonly clusterLocation?: string;

  /**
   * The cluster's name.
   *
   * @default - not written; ESO reads it from the metadata server
   */
  readonly clusterName?: string;

  /**
   * The cluster's project.
   *
   * @default - not written; the store's projectId
   */
  readonly clusterProjectId?: string;
}

/**
 * Options for the Google Secret Manager provider.
 */
export interface GcpSecretManagerProviderOptions {
  /** The Google Cloud project holding the secrets. */
  readonly projectId: string;

  /**
   * A location for regional secrets, e.g. `europe-west1`.
   *
   * @default - not written; global secrets
   */
  readonly location?: string;

  /**
   * How to authenticate.
   *
   * @default - not written; the controller's own identity (its workload identity)
   */
  readonly auth?: GcpAuth;
}

// ---------------------------------------------------------------------------------------------
// Azure Key Vault

/**
 * The Azure cloud a Key Vault lives in.
 */
export enum AzureEnvironment {
  /** Azure public cloud (ESO's default). */
  PUBLIC_CLOUD = 'PublicCloud',
  /** Azure US Government. */
  US_GOVERNMENT_CLOUD = 'USGovernmentCloud',
  /** Azure China. */
  CHINA_CLOUD = 'ChinaCloud',
  /** Azure Germany. */
  GERMAN_CLOUD = 'GermanCloud',
  /** Azure Stack. */
  AZURE_STACK_CLOUD = 'AzureStackCloud',
}

/**
 * How an Azure Key Vault store authenticates.
 */
export class AzureAuth {
  /**
   * A service principal whose client ID and client secret are read from Kubernetes Secrets.
   *
   * @param options where the client ID and secret are, and the tenant
   */
  public static servicePrincipal(options: AzureServicePrincipalOptions): AzureAuth {
    checkNonEmpty(undefined, 'spec.provider.azurekv.tenantId', options.tenantId);
    const refs = new RefCollector();
    return new AzureAuth('ServicePrincipal', {
      tenantId: options.tenantId,
      authSecretRef: {
        clientId: refs.secretKey('authSecretRef.clientId', options.clientId),
        clientSecret: refs.secretKey('authSecretRef.clientSecret', options.clientSecret),
      },
    }, refs);
  }

  /**
   * The managed identity of the node ESO runs on (AAD Pod Identity or a VM identity).
   *
   * @param identityId the identity's client ID, when the node has several
   */
  public static managedIdentity(identityId?: string): AzureAuth {
    return new AzureAuth('ManagedIdentity', identityId !== undefined ? { identityId } : {}, new RefCollector());
  }

  /**
   * Azure Workload Identity for a ServiceAccount.
   *
   * @param serviceAccount the ServiceAccount federated with an Azure identity
   */
  public static workloadIdentity(serviceAccount: ServiceAccountReference): AzureAuth {
    const refs = new RefCollector();
    return new AzureAuth('WorkloadIdentity', { serviceAccountRef: refs.serviceAccount('serviceAccountRef', serviceAccount) }, refs);
  }

  /** @internal */
  public readonly _authType: string;

  /** @internal */
  public readonly _json: any;

  /** @internal */
  public readonly _refs: RefCollector;

  private constructor(authType: string, json: any, refs: RefCollector) {
    this._authType = authType;
    this._json = json;
    this._refs = refs;
  }
}

/**
 * Options for `AzureAuth.servicePrincipal()`.
 */
export interface AzureServicePrincipalOptions {
  /** The directory (tenant) ID. */
  readonly tenantId: string;

  /** The Secret key holding the client (application) ID. */
  readonly clientId: SecretKeySelector;

  /** The Secret key holding the client secret. */
  readonly clientSecret: SecretKeySelector;
}

/**
 * Options for the Azure Key Vault provider.
 */
export interface AzureKeyVaultProviderOptions {
  /** The vault URL, e.g. `https://my-vault.vault.azure.net`. */
  readonly vaultUrl: string;

  /** How to authenticate. */
  readonly auth: AzureAuth;

  /**
   * The Azure cloud.
   *
   * @default AzureEnvironment.PUBLIC_CLOUD (written explicitly; ESO's own default)
   */
  readonly environment?: AzureEnvironment;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

/**
 * How a Kubernetes store authenticates to the API server it reads Secrets from.
 */
export class KubernetesAuth {
  /**
   * A token ESO requests for a ServiceAccount.
   *
   * @param serviceAccount the ServiceAccount
   */
  public static serviceAccount(serviceAccount: ServiceAccountReference): KubernetesAuth {
    const refs = new RefCollector();
    return new KubernetesAuth({ serviceAccount: refs.serviceAccount('serviceAccount', serviceAccount) }, refs);
  }

  /**
   * A bearer token read from a Kubernetes Secret.
   *
   * @param tokenSecret where the token is
   */
  public static tokenSecret(tokenSecret: SecretKeySelector): KubernetesAuth {
    const refs = new RefCollector();
    return new KubernetesAuth({ token: { bearerToken: refs.secretKey('token.bearerToken', tokenSecret) } }, refs);
  }

  /**
   * A client certificate and key read from Kubernetes Secrets.
   *
   * @param clientCert where the certificate is
   * @param clientKey where the private key is
   */
  public static clientCertificate(clientCert: SecretKeySelector, clientKey: SecretKeySelector): KubernetesAuth {
    const refs = new RefCollector();
    return new KubernetesAuth({
      cert: {
        clientCert: refs.secretKey('cert.clientCert', clientCert),
        clientKey: refs.secretKey('cert.clientKey', clientKey),
      },
    }, refs);
  }

  /** @internal */
  public readonly _json: any;

  /** @internal */
  public readonly _refs: RefCollector;

  private constructor(json: any, refs: RefCollector) {
    this._json = json;
    this._refs = refs;
  }
}

/**
 * Options for the Kubernetes provider (reads Secrets from a namespace of a cluster).
 */
export interface KubernetesProviderOptions {
  /** How to authenticate. */
  readonly auth: KubernetesAuth;

  /**
   * The namespace to read Secrets from.
   *
   * @default 'default' (written explicitly; ESO's own default)
   */
  readonly remoteNamespace?: string;

  /**
   * The API server URL.
   *
   * @default 'kubernetes.default' (written explicitly; ESO's own default: the cluster ESO runs in)
   */
  readonly serverUrl?: string;

  /**
   * Where the API server's CA certificate is.
   *
   * @default - not written; ESO's own cluster CA
   */
  readonly caProvider?: CaProvider;
}

// ---------------------------------------------------------------------------------------------

const CREDENTIAL_KEY = /(password|passwd|token|secret|secretkey|apikey|accesskey|privatekey|credentials?)$/i;

/**
 * Where a `SecretStore` or `ClusterSecretStore` reads secrets from: one provider, configured with
 * references to credentials, never the credentials themselves.
 *
 * @example
 * SecretStoreProvider.awsSecretsManager({
 *   region: 'eu-west-1',
 *   auth: AwsAuth.serviceAccount({ name: 'external-secrets', namespace: 'external-secrets' }),
 * });
 */
export class SecretStoreProvider {
  /**
   * AWS Secrets Manager.
   *
   * @param options region, role and authentication
   */
  public static awsSecretsManager(options: AwsProviderOptions): SecretStoreProvider {
    return SecretStoreProvider.aws('SecretsManager', options);
  }

  /**
   * AWS Systems Manager Parameter Store.
   *
   * @param options region, role and authentication
   */
  public static awsParameterStore(options: AwsProviderOptions): SecretStoreProvider {
    return SecretStoreProvider.aws('ParameterStore', options);
  }

  /**
   * HashiCorp Vault (or OpenBao through its Vault-compatible API).
   *
   * @param options server, engine and authentication
   */
  public static vault(options: VaultProviderOptions): SecretStoreProvider {
    checkNonEmpty(undefined, 'spec.provider.vault.server', options.server);
    if (!(options.auth instanceof VaultAuth)) {
      fail(undefined, 'spec.provider.vault.auth', options.auth, 'is not a VaultAuth; use VaultAuth.kubernetes(), .tokenSecret(), .appRole() or .jwt()');
    }
    const version = options.version ?? VaultKvVersion.V2;
    if (!Object.values(VaultKvVersion).includes(version)) {
      fail(undefined, 'spec.provider.vault.version', version, 'is not a KV version; use VaultKvVersion.V1 or VaultKvVersion.V2');
    }
    const refs = new RefCollector();
    refs.merge(options.auth._refs, 'auth');
    const json: any = { auth: options.auth._json, server: options.server, version };
    if (options.path !== undefined) json.path = options.path;
    if (options.namespace !== undefined) json.namespace = options.namespace;
    if (options.caProvider) json.caProvider = refs.caProvider('caProvider', options.caProvider);
    return new SecretStoreProvider('vault', json, refs);
  }

  /**
   * Google Cloud Secret Manager.
   *
   * @param options project, location and authentication
   */
  public static gcpSecretManager(options: GcpSecretManagerProviderOptions): SecretStoreProvider {
    checkNonEmpty(undefined, 'spec.provider.gcpsm.projectID', options.projectId);
    const refs = new RefCollector();
    const json: any = { projectID: options.projectId, secretVersionSelectionPolicy: 'LatestOrFail' };
    if (options.location !== undefined) json.location = options.location;
    if (options.auth) {
      refs.merge(options.auth._refs, 'auth');
      json.auth = options.auth._json;
    }
    return new SecretStoreProvider('gcpsm', json, refs);
  }

  /**
   * Azure Key Vault.
   *
   * @param options vault URL, cloud and authentication
   */
  public static azureKeyVault(options: AzureKeyVaultProviderOptions): SecretStoreProvider {
    checkNonEmpty(undefined, 'spec.provider.azurekv.vaultUrl', options.vaultUrl);
    if (!(options.auth instanceof AzureAuth)) {
      fail(undefined, 'spec.provider.azurekv.auth', options.auth, 'is not an AzureAuth; use AzureAuth.servicePrincipal(), .managedIdentity() or .workloadIdentity()');
    }
    const environment = options.environment ?? AzureEnvironment.PUBLIC_CLOUD;
    if (!Object.values(AzureEnvironment).includes(environment)) {
      fail(undefined, 'spec.provider.azurekv.environmentType', environment, `is not an Azure environment; use one of ${Object.values(AzureEnvironment).join(', ')}`);
    }
    const refs = new RefCollector();
    refs.merge(options.auth._refs, '');
    const json: any = {
      authType: options.auth._authType,
      environmentType: environment,
      useAzureSDK: false,
      vaultUrl: options.vaultUrl,
      ...options.auth._json,
    };
    return new SecretStoreProvider('azurekv', json, refs);
  }

  /**
   * Secrets of a Kubernetes cluster (this one or another).
   *
   * @param options namespace, server and authentication
   */
  public static kubernetes(options: KubernetesProviderOptions): SecretStoreProvider {
    if (!(options.auth instanceof KubernetesAuth)) {
      fail(undefined, 'spec.provider.kubernetes.auth', options.auth, 'is not a KubernetesAuth; use KubernetesAuth.serviceAccount(), .tokenSecret() or .clientCertificate()');
    }
    const remoteNamespace = options.remoteNamespace ?? 'default';
    checkNamespace(undefined, 'spec.provider.kubernetes.remoteNamespace', remoteNamespace);
    const refs = new RefCollector();
    refs.merge(options.auth._refs, 'auth');
    const server: any = { url: options.serverUrl ?? 'kubernetes.default' };
    if (options.caProvider) server.caProvider = refs.caProvider('server.caProvider', options.caProvider);
    return new SecretStoreProvider('kubernetes', { auth: options.auth._json, remoteNamespace, server }, refs);
  }

  /**
   * Any other ESO provider, written as `spec.provider.<name>: <config>`. The configuration may
   * not hold a credential itself: a string under a key such as `password`, `token`,
   * `clientSecret` or `apiKey` is rejected; reference a Kubernetes Secret instead.
   *
   * @param name the provider's key in ESO's `spec.provider`, e.g. `onepassword`, `doppler`
   * @param config the provider's configuration, as ESO documents it
   */
  public static custom(name: string, config: { [key: string]: any }): SecretStoreProvider {
    if (typeof name !== 'string' || !/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) {
      fail(undefined, 'spec.provider', name, 'is not a provider name; use ESO\'s key for it, e.g. \'onepassword\' or \'doppler\'');
    }
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      fail(undefined, `spec.provider.${name}`, config, 'is not an object; pass the provider\'s configuration as ESO documents it');
    }
    rejectLiteralCredentials(`spec.provider.${name}`, config, undefined);
    return new SecretStoreProvider(name, JSON.parse(JSON.stringify(config)), new RefCollector());
  }

  private static aws(service: string, options: AwsProviderOptions): SecretStoreProvider {
    checkNonEmpty(undefined, 'spec.provider.aws.region', options.region);
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(options.region)) {
      fail(undefined, 'spec.provider.aws.region', options.region, 'is not an AWS region; use a region code like \'eu-west-1\'');
    }
    if (options.role !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(options.role)) {
      fail(undefined, 'spec.provider.aws.role', options.role, 'is not an IAM role ARN; use \'arn:aws:iam::<account>:role/<name>\'');
    }
    const refs = new RefCollector();
    const json: any = { region: options.region, service, sessionTagsPolicy: 'None' };
    if (options.role !== undefined) json.role = options.role;
    if (options.additionalRoles?.length) json.additionalRoles = [...options.additionalRoles];
    if (options.externalId !== undefined) json.externalID = options.externalId;
    if (options.prefix !== undefined) json.prefix = options.prefix;
    if (options.auth) {
      if (!(options.auth instanceof AwsAuth)) {
        fail(undefined, 'spec.provider.aws.auth', options.auth, 'is not an AwsAuth; use AwsAuth.serviceAccount() or AwsAuth.secretRef()');
      }
      refs.merge(options.auth._refs, 'auth');
      json.auth = options.auth._json;
    }
    return new SecretStoreProvider('aws', json, refs);
  }

  private constructor(
    /** The provider's key in `spec.provider`, e.g. `aws`, `vault`. */
    public readonly name: string,
    private readonly json: any,
    private readonly refs: RefCollector,
  ) {}

  /**
   * Renders `spec.provider` for a store, checking the namespaces of the references it holds.
   *
   * @param scope the store
   * @param clusterScoped whether the store is a ClusterSecretStore
   * @param namespace the namespace of a SecretStore, when known
   * @internal
   */
  public _bind(scope: IConstruct, clusterScoped: boolean, namespace: string | undefined): any {
    if (!clusterScoped && namespace !== undefined) {
      for (const use of this.refs.uses) {
        if (use.namespace !== undefined && use.namespace !== namespace) {
          const field = `spec.provider.${this.name}.${use.field}`.replace(/\.\./g, '.');
          fail(scope, `${field}.namespace`, use.namespace, `is not the SecretStore's namespace '${namespace}'; a SecretStore can only read from its own namespace: leave namespace out, or use a ClusterSecretStore`);
        }
      }
    }
    return { [this.name]: JSON.parse(JSON.stringify(this.json)) };
  }
}

/** Throws when a custom provider's configuration holds a literal credential. */
function rejectLiteralCredentials(field: string, value: any, key: string | undefined, parentKey?: string): void {
  if (typeof value === 'string') {
    if (key !== undefined && (CREDENTIAL_KEY.test(key) || (key === 'value' && parentKey !== undefined && CREDENTIAL_KEY.test(parentKey)))) {
      // the value itself is never quoted: it may be a credential
      fail(undefined, field, '<redacted>', 'holds a literal credential; reference a Kubernetes Secret instead (a secret key selector with name and key)');
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => rejectLiteralCredentials(`${field}[${i}]`, v, key, parentKey));
    return;
  }
  for (const [k, v] of Object.entries(value)) rejectLiteralCredentials(`${field}.${k}`, v, k, key);
}
