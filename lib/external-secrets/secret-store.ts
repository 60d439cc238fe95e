import { ApiObject, Chart, Duration, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { SecretStoreSpec } from '../../imports/secretstore-external-secrets.io';
import { checkNamespace, checkNonEmpty, checkObjectName, fail } from '../_internal/values';
import { goDuration, registerDeclaredStore } from './_common';
import { SecretStoreProvider } from './secret-store-provider';

// The kinds' apiVersion and kind, as their generated bindings (imports/) have them: the stores are
// written as plain ApiObjects, and the bindings (1 MB of JavaScript, 10-20 ms to load) are never
// loaded (a test holds both the same).
const _SECRET_STORE_GVK = { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore' } as const;
const _CLUSTER_SECRET_STORE_GVK = { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore' } as const;

const SECRET_STORE = Symbol.for('cdk8s-argocd.SecretStore');
const CLUSTER_SECRET_STORE = Symbol.for('cdk8s-argocd.ClusterSecretStore');

/**
 * The kind of a secret store, as `secretStoreRef.kind` names it.
 */
export enum SecretStoreKind {
  /** A namespaced `SecretStore`: usable only from its own namespace. */
  SECRET_STORE = 'SecretStore',
  /** A cluster-wide `ClusterSecretStore`. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
}

/**
 * A secret store an ExternalSecret or PushSecret reads from or writes to: a `SecretStore` or
 * `ClusterSecretStore` declared in this app, or one declared elsewhere
 * (`SecretStore.fromName()`, `ClusterSecretStore.fromName()`).
 */
export interface ISecretStore extends IConstruct {
  /** The store's name (`metadata.name`), as `secretStoreRef.name` names it. */
  readonly storeName: string;

  /** The store's kind, as `secretStoreRef.kind` names it. */
  readonly storeKind: SecretStoreKind;
}

/**
 * Options shared by `SecretStore` and `ClusterSecretStore`.
 */
export interface SecretStoreOptions {
  /** Where secrets are read from. */
  readonly provider: SecretStoreProvider;

  /**
   * The store's name (`metadata.name`).
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Labels on the store object.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on the store object.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * The ESO controller class that serves this store (`spec.controller`), when several controllers
   * run in one cluster.
   *
   * @default - not written; every controller without a class serves it
   */
  readonly controller?: string;

  /**
   * How often ESO re-validates the store (`spec.refreshInterval`).
   *
   * @default - not written; the controller's setting
   */
  readonly refreshInterval?: Duration;
}

/**
 * Props for `SecretStore`.
 */
export interface SecretStoreProps extends SecretStoreOptions {
  /**
   * The namespace the store lives in; ExternalSecrets in other namespaces cannot use it.
   *
   * @default - the chart's namespace, or none (the namespace the object is applied to)
   */
  readonly namespace?: string;
}

/**
 * Props for `ClusterSecretStore`.
 */
export interface ClusterSecretStoreProps extends SecretStoreOptions {
  /**
   * Only ExternalSecrets in these namespaces may use the store (`spec.conditions[].namespaces`).
   *
   * @default - every namespace
   */
  readonly namespaces?: string[];

  /**
   * Only ExternalSecrets in namespaces matching one of these regular expressions may use the store
   * (`spec.conditions[].namespaceRegexes`).
   *
   * @default - every namespace
   */
  readonly namespaceRegexes?: string[];
}

/**
 * Renders a store's spec with ESO's wire names. The stores' L1 child is a plain `ApiObject` with
 * the L1's apiVersion and kind: the generated L1 classes re-map the provider's fields through
 * camelCase names (`projectID` -> `projectId`) and drop every field of a custom provider they do
 * not know, so the spec is written as ESO spells it instead.
 *
 * @internal
 */
export function _renderStoreSpec(scope: IConstruct, props: SecretStoreOptions, clusterScoped: boolean, namespace: string | undefined): SecretStoreSpec {
  const spec: any = { provider: props.provider._bind(scope, clusterScoped, namespace) };
  if (props.controller !== undefined) spec.controller = props.controller;
  if (props.refreshInterval !== undefined) spec.refreshInterval = goDuration(scope, 'spec.refreshInterval', props.refreshInterval);
  return spec as SecretStoreSpec;
}

function checkStoreProps(scope: IConstruct, props: SecretStoreOptions, name: string): void {
  checkObjectName(scope, 'metadata.name', name);
  if (!(props.provider instanceof SecretStoreProvider)) {
    fail(scope, 'spec.provider', props.provider, 'is not a SecretStoreProvider; use SecretStoreProvider.awsSecretsManager(), .vault(), .gcpSecretManager(), .azureKeyVault(), .kubernetes() or .custom()');
  }
  if (props.controller !== undefined) checkNonEmpty(scope, 'spec.controller', props.controller);
  if (props.refreshInterval !== undefined) goDuration(scope, 'spec.refreshInterval', props.refreshInterval);
}

/**
 * Options for `SecretStore.fromName()` and `ClusterSecretStore.fromName()`.
 */
export interface StoreReferenceOptions {
  /**
   * Whether the store is managed outside this app (by another repository, a Helm chart, by
   * hand). When false and the app declares stores but none of this name, synthesis fails with the
   * nearest declared names (a typo would otherwise leave the ExternalSecret failing in the
   * cluster with `SecretSyncedError`); set it to refer to a store this app does not declare.
   *
   * @default false
   */
  readonly managedOutsideApp?: boolean;
}

class ImportedSecretStore extends Construct implements ISecretStore {
  /** @internal */
  public readonly _managedOutsideApp: boolean;

  constructor(scope: Construct, id: string, public readonly storeName: string, public readonly storeKind: SecretStoreKind, options: StoreReferenceOptions) {
    super(scope, id);
    checkObjectName(this, 'secretStoreRef.name', storeName);
    this._managedOutsideApp = options.managedOutsideApp === true;
  }
}

/** @internal Whether `store` was marked with `managedOutsideApp`. */
export function _isManagedOutsideApp(store: ISecretStore): boolean {
  return store instanceof ImportedSecretStore && store._managedOutsideApp;
}

/**
 * A namespaced External Secrets Operator `SecretStore` (external-secrets.io/v1): a provider
 * ExternalSecrets in the same namespace can read from.
 *
 * @example
 * const store = new SecretStore(chart, 'aws', {
 *   namespace: 'production',
 *   provider: SecretStoreProvider.awsSecretsManager({
 *     region: 'eu-west-1',
 *     auth: AwsAuth.serviceAccount({ name: 'app' }),
 *   }),
 * });
 */
export class SecretStore extends Construct implements ISecretStore {
  /**
   * Refers to a SecretStore by name, in the namespace of whatever uses it: one declared in this app
   * (in another chart) or, with `managedOutsideApp`, one managed elsewhere.
   *
   * @param scope the scope
   * @param id the construct id
   * @param name the store's name
   * @param options whether the store is managed outside this app
   */
  public static fromName(scope: Construct, id: string, name: string, options: StoreReferenceOptions = {}): ISecretStore {
    return new ImportedSecretStore(scope, id, name, SecretStoreKind.SECRET_STORE, options);
  }

  /**
   * Whether `x` is a `SecretStore` declared with this library, also across two copies of it.
   *
   * @param x any value
   */
  public static isSecretStore(x: any): boolean {
    return x !== null && typeof x === 'object' && SECRET_STORE in x;
  }

  /** The store's name. */
  public readonly storeName: string;

  /** Always `SecretStoreKind.SECRET_STORE`. */
  public readonly storeKind: SecretStoreKind = SecretStoreKind.SECRET_STORE;

  /** The store's namespace; undefined when neither the props nor the chart give one. */
  public readonly namespace?: string;

  /** The provider. */
  public readonly provider: SecretStoreProvider;

  /** The L1 object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id);
    Object.defineProperty(this, SECRET_STORE, { value: true });
    registerDeclaredStore(this);
    this.storeName = props.name ?? id;
    checkStoreProps(this, props, this.storeName);
    if (props.namespace !== undefined) checkNamespace(this, 'metadata.namespace', props.namespace);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    this.provider = props.provider;
    // render once now, so that one-value mistakes throw at construction
    _renderStoreSpec(this, props, false, this.namespace);
    this.apiObject = new ApiObject(this, 'Resource', {
      ..._SECRET_STORE_GVK,
      metadata: {
        name: this.storeName,
        ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
        ...(props.labels ? { labels: { ...props.labels } } : {}),
        ...(props.annotations ? { annotations: { ...props.annotations } } : {}),
      },
      spec: Lazy.any({ produce: () => _renderStoreSpec(this, props, false, this.namespace) }),
    });
  }
}

/**
 * A cluster-wide External Secrets Operator `ClusterSecretStore` (external-secrets.io/v1): a
 * provider ExternalSecrets in any namespace (or the ones listed) can read from.
 *
 * Credentials a ClusterSecretStore references without a namespace are looked up in the namespace
 * of the ExternalSecret that uses the store (ESO's referent authentication).
 *
 * @example
 * new ClusterSecretStore(chart, 'aws-secrets-manager', {
 *   provider: SecretStoreProvider.awsSecretsManager({
 *     region: 'eu-west-1',
 *     auth: AwsAuth.serviceAccount({ name: 'external-secrets', namespace: 'external-secrets' }),
 *   }),
 * });
 */
export class ClusterSecretStore extends Construct implements ISecretStore {
  /**
   * Refers to a ClusterSecretStore by name: one declared in this app (in another chart) or, with
   * `managedOutsideApp`, one managed elsewhere.
   *
   * @param scope the scope
   * @param id the construct id
   * @param name the store's name
   * @param options whether the store is managed outside this app
   */
  public static fromName(scope: Construct, id: string, name: string, options: StoreReferenceOptions = {}): ISecretStore {
    return new ImportedSecretStore(scope, id, name, SecretStoreKind.CLUSTER_SECRET_STORE, options);
  }

  /**
   * Whether `x` is a `ClusterSecretStore` declared with this library, also across two copies of it.
   *
   * @param x any value
   */
  public static isClusterSecretStore(x: any): boolean {
    return x !== null && typeof x === 'object' && CLUSTER_SECRET_STORE in x;
  }

  /** The store's name. */
  public readonly storeName: string;

  /** Always `SecretStoreKind.CLUSTER_SECRET_STORE`. */
  public readonly storeKind: SecretStoreKind = SecretStoreKind.CLUSTER_SECRET_STORE;

  /** The provider. */
  public readonly provider: SecretStoreProvider;

  /** The L1 object. */
  public readonly apiObject: ApiObject;

  private readonly allowedNamespaces?: string[];

  constructor(scope: Construct, id: string, props: ClusterSecretStoreProps) {
    super(scope, id);
    Object.defineProperty(this, CLUSTER_SECRET_STORE, { value: true });
    registerDeclaredStore(this);
    this.storeName = props.name ?? id;
    checkStoreProps(this, props, this.storeName);
    this.provider = props.provider;
    (props.namespaces ?? []).forEach((ns, i) => checkNamespace(this, `spec.conditions[0].namespaces[${i}]`, ns));
    (props.namespaceRegexes ?? []).forEach((re, i) => checkNonEmpty(this, `spec.conditions[0].namespaceRegexes[${i}]`, re));
    if (props.namespaces?.length && !props.namespaceRegexes?.length) this.allowedNamespaces = [...props.namespaces];
    const conditions: any = {};
    if (props.namespaces?.length) conditions.namespaces = [...props.namespaces];
    if (props.namespaceRegexes?.length) conditions.namespaceRegexes = [...props.namespaceRegexes];
    _renderStoreSpec(this, props, true, undefined);
    this.apiObject = new ApiObject(this, 'Resource', {
      ..._CLUSTER_SECRET_STORE_GVK,
      metadata: {
        name: this.storeName,
        ...(props.labels ? { labels: { ...props.labels } } : {}),
        ...(props.annotations ? { annotations: { ...props.annotations } } : {}),
      },
      spec: Lazy.any({
        produce: () => ({
          ...(Object.keys(conditions).length ? { conditions: [conditions] } : {}),
          ..._renderStoreSpec(this, props, true, undefined),
        }),
      }),
    });
    _dropChartNamespace(this.apiObject);
  }

  /**
   * Whether ExternalSecrets in `namespace` may use the store; true when unknown.
   *
   * @internal
   */
  public _allowsNamespace(namespace: string): boolean {
    return this.allowedNamespaces === undefined || this.allowedNamespaces.includes(namespace);
  }

  /** @internal */
  public get _allowedNamespaces(): string[] | undefined {
    return this.allowedNamespaces ? [...this.allowedNamespaces] : undefined;
  }
}

/**
 * cdk8s gives every object its chart's namespace; a cluster-scoped object must not carry one.
 *
 * @internal
 */
export function _dropChartNamespace(obj: ApiObject): void {
  if (Chart.of(obj).namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}
