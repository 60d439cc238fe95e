import { ApiObject, Duration, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import type { ExternalSecretSpec } from '../../imports/externalsecret-external-secrets.io';
import { checkNamespace, checkNonEmpty, checkObjectName, fail, show } from '../_internal/values';
import { checkStoreReference, effectiveNamespace, ESO_DEFAULT_REFRESH_INTERVAL, goDuration, isSecretStoreRef } from './_common';
import { ISecretStore } from './secret-store';
import { methodName } from '../_internal/method-name';
import { lazy } from '../_internal/lazy';

// the ExternalSecret binding (about 4 ms to load) is required by the first ExternalSecret
// eslint-disable-next-line @typescript-eslint/no-require-imports
const externalSecretBinding = lazy(() => require('../../imports/externalsecret-external-secrets.io') as typeof import('../../imports/externalsecret-external-secrets.io'));

const EXTERNAL_SECRET = Symbol.for('cdk8s-argocd.ExternalSecret');
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * The API version an ExternalSecret is written with.
 */
export enum ExternalSecretApiVersion {
  /** `external-secrets.io/v1`, served since ESO 0.16. */
  V1 = 'external-secrets.io/v1',
  /**
   * `external-secrets.io/v1beta1`: deprecated, and no longer served since ESO 0.17 (unless the
   * Helm chart's `crds.unsafeServeV1Beta1` is set). Only for clusters running an older ESO.
   */
  V1BETA1 = 'external-secrets.io/v1beta1',
}

/**
 * What ESO does with the target Secret when it creates it (`spec.target.creationPolicy`).
 */
export enum CreationPolicy {
  /** ESO creates the Secret and owns it (ESO's default). */
  OWNER = 'Owner',
  /** ESO creates the Secret but does not own it; it survives the ExternalSecret. */
  ORPHAN = 'Orphan',
  /** ESO merges into an existing Secret and never creates one. */
  MERGE = 'Merge',
  /** ESO merges into the Secret, creating it when missing. */
  CREATE_OR_MERGE = 'CreateOrMerge',
  /** ESO neither creates nor updates a Secret (for templates rendered elsewhere). */
  NONE = 'None',
}

/**
 * What ESO does with the target Secret when the provider's secret is gone (`spec.target.deletionPolicy`).
 */
export enum DeletionPolicy {
  /** Keep the Secret as it is (ESO's default). */
  RETAIN = 'Retain',
  /** Delete the Secret. Needs `CreationPolicy.OWNER` or `ORPHAN`. */
  DELETE = 'Delete',
  /** Remove only the keys ESO wrote. Not with `CreationPolicy.NONE`. */
  MERGE = 'Merge',
}

/**
 * How ESO converts keys and values it reads (`conversionStrategy`).
 */
export enum ConversionStrategy {
  /** No conversion (ESO's default). */
  DEFAULT = 'Default',
  /** Decode `_U<hex>_` sequences in keys to Unicode. */
  UNICODE = 'Unicode',
}

/**
 * How ESO decodes values it reads (`decodingStrategy`).
 */
export enum DecodingStrategy {
  /** No decoding (ESO's default). */
  NONE = 'None',
  /** Base64 when the value is Base64, else as is. */
  AUTO = 'Auto',
  /** Standard Base64. */
  BASE64 = 'Base64',
  /** URL-safe Base64. */
  BASE64_URL = 'Base64URL',
}

/**
 * Whether ESO fetches the provider's tags or labels as well (`metadataPolicy`).
 */
export enum MetadataPolicy {
  /** Values only (ESO's default). */
  NONE = 'None',
  /** Fetch metadata: `property` then names a tag. */
  FETCH = 'Fetch',
}

/**
 * When ESO refreshes the target Secret (`spec.refreshPolicy`).
 */
export enum RefreshPolicy {
  /** Every `refreshInterval` (ESO's behaviour when not written). */
  PERIODIC = 'Periodic',
  /** Once, when the Secret does not exist yet. */
  CREATED_ONCE = 'CreatedOnce',
  /** Only when the ExternalSecret changes. */
  ON_CHANGE = 'OnChange',
}

/**
 * How a template's output meets the data ESO fetched (`spec.target.template.mergePolicy`).
 */
export enum TemplateMergePolicy {
  /** The template's output replaces the fetched data (ESO's default). */
  REPLACE = 'Replace',
  /** The template's output is merged into the fetched data. */
  MERGE = 'Merge',
}

/**
 * Where the output of a `templateFrom` entry goes (`templateFrom[].target`).
 */
export enum TemplateTarget {
  /** The Secret's data (ESO's default). */
  DATA = 'Data',
  /** The Secret's annotations. */
  ANNOTATIONS = 'Annotations',
  /** The Secret's labels. */
  LABELS = 'Labels',
}

/**
 * How the keys of a ConfigMap or Secret used as a template are read (`templateAs`).
 */
export enum TemplateScope {
  /** Each value is a template (ESO's default). */
  VALUES = 'Values',
  /** Keys and values are templates. */
  KEYS_AND_VALUES = 'KeysAndValues',
}

/**
 * A value fetched from the provider: its key, and how it is read.
 */
export interface RemoteValueOptions {
  /** The provider's key (`remoteRef.key`), e.g. `production/myapp`; for `extract()`, a value (a JSON object) whose fields become the Secret's keys. */
  readonly remoteKey: string;

  /**
   * A property inside the provider's value (a JSON field, a Vault key), e.g. `db_password`.
   *
   * @default - not written; the whole value
   */
  readonly property?: string;

  /**
   * A version of the provider's value.
   *
   * @default - not written; the latest version
   */
  readonly version?: string;

  /**
   * How the fetched value is converted before it is stored (e.g. Unicode escapes decoded).
   *
   * @default ConversionStrategy.DEFAULT (written explicitly; ESO's own default)
   */
  readonly conversionStrategy?: ConversionStrategy;

  /**
   * How the fetched value is decoded (base64, base64url, auto) before it is stored.
   *
   * @default DecodingStrategy.NONE (written explicitly; ESO's own default)
   */
  readonly decodingStrategy?: DecodingStrategy;

  /**
   * Whether to fetch the remote secret's metadata (tags, labels) instead of its value.
   *
   * @default MetadataPolicy.NONE (written explicitly; ESO's own default)
   */
  readonly metadataPolicy?: MetadataPolicy;
}

/**
 * One key of the target Secret, fetched from the provider (`spec.data[]`).
 */
export interface ExternalSecretData extends RemoteValueOptions {
  /** The key in the target Secret, e.g. `db-password`. */
  readonly secretKey: string;
}

/**
 * A rewrite of the keys a `dataFrom` entry produces.
 */
export class SecretKeyRewrite {
  /**
   * Replaces every match of a Go regular expression (`rewrite[].regexp`).
   *
   * @param source the expression, e.g. `^app/`
   * @param target the replacement, e.g. `` (may use `$1`)
   */
  public static regexp(source: string, target: string): SecretKeyRewrite {
    checkNonEmpty(undefined, 'rewrite.regexp.source', source);
    if (typeof target !== 'string') fail(undefined, 'rewrite.regexp.target', target, 'is not a string');
    return new SecretKeyRewrite({ regexp: { source, target } });
  }

  /**
   * Rewrites each key with a Go template (`rewrite[].transform`), e.g. `{{ .value | upper }}`.
   *
   * @param template the template
   */
  public static transform(template: string): SecretKeyRewrite {
    checkNonEmpty(undefined, 'rewrite.transform.template', template);
    return new SecretKeyRewrite({ transform: { template } });
  }

  /** @internal */
  public readonly _json: any;

  private constructor(json: any) {
    this._json = json;
  }
}

/**
 * Options for `ExternalSecretDataFrom.extract()`.
 */
export interface ExtractOptions extends RemoteValueOptions {
  /**
   * Rewrites of the resulting keys, applied in order.
   *
   * @default - none
   */
  readonly rewrite?: SecretKeyRewrite[];
}

/**
 * Options for `ExternalSecretDataFrom.find()`. Give `nameRegexp`, `tags` or both.
 */
export interface FindOptions {
  /**
   * Secrets whose name matches this Go regular expression.
   *
   * @default - any name
   */
  readonly nameRegexp?: string;

  /**
   * Secrets carrying all these tags.
   *
   * @default - any tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Only secrets under this path.
   *
   * @default - not written; the whole provider
   */
  readonly path?: string;

  /**
   * How the fetched value is converted before it is stored (e.g. Unicode escapes decoded).
   *
   * @default ConversionStrategy.DEFAULT (written explicitly; ESO's own default)
   */
  readonly conversionStrategy?: ConversionStrategy;

  /**
   * How the fetched value is decoded (base64, base64url, auto) before it is stored.
   *
   * @default DecodingStrategy.NONE (written explicitly; ESO's own default)
   */
  readonly decodingStrategy?: DecodingStrategy;

  /**
   * Rewrites of the resulting keys, applied in order.
   *
   * @default - none
   */
  readonly rewrite?: SecretKeyRewrite[];
}

/**
 * The kinds of ESO generator a `dataFrom` entry can take values from (`sourceRef.generatorRef.kind`,
 * ESO v2.9's list); the generator itself is a `generators.external-secrets.io` object.
 */
export enum SecretGeneratorKind {
  /** A random password. */
  PASSWORD = 'Password',
  /** A random UUID. */
  UUID = 'UUID',
  /** An SSH key pair. */
  SSH_KEY = 'SSHKey',
  /** An AWS ECR authorization token. */
  ECR_AUTHORIZATION_TOKEN = 'ECRAuthorizationToken',
  /** An Azure Container Registry access token. */
  ACR_ACCESS_TOKEN = 'ACRAccessToken',
  /** A Google Container Registry access token. */
  GCR_ACCESS_TOKEN = 'GCRAccessToken',
  /** A Quay access token. */
  QUAY_ACCESS_TOKEN = 'QuayAccessToken',
  /** A GitHub App installation access token. */
  GITHUB_ACCESS_TOKEN = 'GithubAccessToken',
  /** A GitLab deploy token. */
  GITLAB_DEPLOY_TOKEN = 'GitlabDeployToken',
  /** A Cloudsmith access token. */
  CLOUDSMITH_ACCESS_TOKEN = 'CloudsmithAccessToken',
  /** AWS STS session credentials. */
  STS_SESSION_TOKEN = 'STSSessionToken',
  /** A HashiCorp Vault dynamic secret. */
  VAULT_DYNAMIC_SECRET = 'VaultDynamicSecret',
  /** BeyondTrust workload credentials. */
  BEYONDTRUST_WORKLOAD_CREDENTIALS_DYNAMIC_SECRET = 'BeyondtrustWorkloadCredentialsDynamicSecret',
  /** A Grafana service account token. */
  GRAFANA = 'Grafana',
  /** A one-time password (TOTP). */
  MFA = 'MFA',
  /** Values from an HTTP endpoint. */
  WEBHOOK = 'Webhook',
  /** Static values, for tests. */
  FAKE = 'Fake',
  /** A cluster-wide generator (`ClusterGenerator`) wrapping any of the others. */
  CLUSTER_GENERATOR = 'ClusterGenerator',
}

/**
 * Several keys of the target Secret at once (`spec.dataFrom[]`).
 */
export class ExternalSecretDataFrom {
  /**
   * Every field of one provider value (a JSON object) becomes a key.
   *
   * @param options the provider's key and how to read it
   */
  public static extract(options: ExtractOptions): ExternalSecretDataFrom {
    checkNonEmpty(undefined, 'spec.dataFrom.extract.key', options.remoteKey);
    checkEnum('spec.dataFrom.extract.conversionStrategy', options.conversionStrategy, ConversionStrategy, 'ConversionStrategy');
    checkEnum('spec.dataFrom.extract.decodingStrategy', options.decodingStrategy, DecodingStrategy, 'DecodingStrategy');
    checkEnum('spec.dataFrom.extract.metadataPolicy', options.metadataPolicy, MetadataPolicy, 'MetadataPolicy');
    return new ExternalSecretDataFrom('extract', options, options.rewrite ?? []);
  }

  /**
   * Every provider secret matching a name expression or tags becomes a key.
   *
   * @param options the name expression and/or tags
   */
  public static find(options: FindOptions): ExternalSecretDataFrom {
    const hasTags = options.tags !== undefined && Object.keys(options.tags).length > 0;
    if (options.nameRegexp === undefined && !hasTags) {
      fail(undefined, 'spec.dataFrom.find', options, 'finds nothing; give nameRegexp, tags or both');
    }
    if (options.nameRegexp !== undefined) checkNonEmpty(undefined, 'spec.dataFrom.find.name.regexp', options.nameRegexp);
    checkEnum('spec.dataFrom.find.conversionStrategy', options.conversionStrategy, ConversionStrategy, 'ConversionStrategy');
    checkEnum('spec.dataFrom.find.decodingStrategy', options.decodingStrategy, DecodingStrategy, 'DecodingStrategy');
    return new ExternalSecretDataFrom('find', options, options.rewrite ?? []);
  }

  /**
   * Every value an ESO generator produces becomes a key (`sourceRef.generatorRef`): a random
   * password, a registry token, ... The generator object (e.g. a `Password` of
   * `generators.external-secrets.io/v1alpha1`) lives in the ExternalSecret's namespace, or is a
   * `ClusterGenerator`. Needs no store.
   *
   * @param kind the generator's kind
   * @param name the generator's name
   * @param rewrite rewrites of the keys it produces
   */
  public static generator(kind: SecretGeneratorKind, name: string, rewrite?: SecretKeyRewrite[]): ExternalSecretDataFrom {
    checkEnum('spec.dataFrom.sourceRef.generatorRef.kind', kind, SecretGeneratorKind, 'SecretGeneratorKind');
    checkObjectName(undefined, 'spec.dataFrom.sourceRef.generatorRef.name', name);
    return new ExternalSecretDataFrom('generator', { kind, name }, rewrite ?? []);
  }

  private constructor(
    private readonly type: 'extract' | 'find' | 'generator',
    private readonly options: ExtractOptions | FindOptions | { kind: string; name: string },
    private readonly rewrite: SecretKeyRewrite[],
  ) {
    rewrite.forEach((r, i) => {
      if (!(r instanceof SecretKeyRewrite)) fail(undefined, `spec.dataFrom.rewrite[${i}]`, r, 'is not a SecretKeyRewrite; use SecretKeyRewrite.regexp() or SecretKeyRewrite.transform()');
    });
  }

  /** Whether the entry reads from the ExternalSecret's store (extract and find do; a generator does not). */
  public get readsStore(): boolean {
    return this.type !== 'generator';
  }

  /** @internal */
  public _render(writeDefaults: boolean): any {
    const out: any = {};
    if (this.type === 'generator') {
      const o = this.options as { kind: string; name: string };
      out.sourceRef = { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: o.kind, name: o.name } };
    } else if (this.type === 'extract') {
      const o = this.options as ExtractOptions;
      out.extract = compactRef({
        key: o.remoteKey,
        property: o.property,
        version: o.version,
        conversionStrategy: o.conversionStrategy ?? dflt(writeDefaults, ConversionStrategy.DEFAULT),
        decodingStrategy: o.decodingStrategy ?? dflt(writeDefaults, DecodingStrategy.NONE),
        metadataPolicy: o.metadataPolicy ?? dflt(writeDefaults, MetadataPolicy.NONE),
      });
    } else {
      const o = this.options as FindOptions;
      out.find = compactRef({
        path: o.path,
        name: o.nameRegexp !== undefined ? { regexp: o.nameRegexp } : undefined,
        tags: o.tags && Object.keys(o.tags).length ? { ...o.tags } : undefined,
        conversionStrategy: o.conversionStrategy ?? dflt(writeDefaults, ConversionStrategy.DEFAULT),
        decodingStrategy: o.decodingStrategy ?? dflt(writeDefaults, DecodingStrategy.NONE),
      });
    }
    if (this.rewrite.length) out.rewrite = this.rewrite.map((r) => JSON.parse(JSON.stringify(r._json)));
    return out;
  }
}

/**
 * One key of a ConfigMap or Secret used as a template.
 */
export interface TemplateItem {
  /** The key. */
  readonly key: string;

  /**
   * How the key is read.
   *
   * @default TemplateScope.VALUES (written explicitly; ESO's own default)
   */
  readonly templateAs?: TemplateScope;
}

/**
 * A source of templates for the target Secret (`spec.target.template.templateFrom[]`).
 */
export class TemplateFrom {
  /**
   * Templates kept in a ConfigMap.
   *
   * @param name the ConfigMap's name
   * @param items the keys to use
   * @param target where the output goes; default `TemplateTarget.DATA` (written explicitly)
   */
  public static configMap(name: string, items: TemplateItem[], target?: TemplateTarget): TemplateFrom {
    return TemplateFrom.fromObject('configMap', name, items, target);
  }

  /**
   * Templates kept in a Secret.
   *
   * @param name the Secret's name
   * @param items the keys to use
   * @param target where the output goes; default `TemplateTarget.DATA` (written explicitly)
   */
  public static secret(name: string, items: TemplateItem[], target?: TemplateTarget): TemplateFrom {
    return TemplateFrom.fromObject('secret', name, items, target);
  }

  /**
   * A template given inline, e.g. a whole config file with `{{ .password }}` placeholders.
   *
   * @param template the template text
   * @param target where the output goes; default `TemplateTarget.DATA` (written explicitly)
   */
  public static literal(template: string, target?: TemplateTarget): TemplateFrom {
    checkNonEmpty(undefined, 'spec.target.template.templateFrom.literal', template);
    checkEnum('spec.target.template.templateFrom.target', target, TemplateTarget, 'TemplateTarget');
    return new TemplateFrom({ literal: template, target: target ?? TemplateTarget.DATA });
  }

  private static fromObject(kind: 'configMap' | 'secret', name: string, items: TemplateItem[], target?: TemplateTarget): TemplateFrom {
    checkObjectName(undefined, `spec.target.template.templateFrom.${kind}.name`, name);
    if (!Array.isArray(items) || items.length === 0) {
      fail(undefined, `spec.target.template.templateFrom.${kind}.items`, items, 'is empty; name at least one key');
    }
    checkEnum('spec.target.template.templateFrom.target', target, TemplateTarget, 'TemplateTarget');
    const rendered = items.map((it, i) => {
      checkNonEmpty(undefined, `spec.target.template.templateFrom.${kind}.items[${i}].key`, it.key);
      checkEnum(`spec.target.template.templateFrom.${kind}.items[${i}].templateAs`, it.templateAs, TemplateScope, 'TemplateScope');
      return { key: it.key, templateAs: it.templateAs ?? TemplateScope.VALUES };
    });
    return new TemplateFrom({ [kind]: { items: rendered, name }, target: target ?? TemplateTarget.DATA });
  }

  /** @internal */
  public readonly _json: any;

  private constructor(json: any) {
    this._json = json;
  }
}

/**
 * How ESO renders the target Secret (`spec.target.template`, engine version v2).
 */
export interface ExternalSecretTemplate {
  /**
   * The Secret's type, e.g. `kubernetes.io/dockerconfigjson`.
   *
   * @default - not written; Opaque
   */
  readonly type?: string;

  /**
   * Keys of the Secret, each a Go template over the fetched keys, e.g. `{ url: 'postgres://app:{{ .password }}@db/app' }`.
   *
   * @default - none
   */
  readonly data?: { [key: string]: string };

  /**
   * Further template sources.
   *
   * @default - none
   */
  readonly templateFrom?: TemplateFrom[];

  /**
   * Labels on the Secret.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on the Secret.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * How the template's output meets the fetched data.
   *
   * @default TemplateMergePolicy.REPLACE (written explicitly; ESO's own default)
   */
  readonly mergePolicy?: TemplateMergePolicy;
}

/**
 * What an ExternalSecret fetches and how it writes the target Secret; shared by `ExternalSecret`
 * and `ClusterExternalSecret`.
 */
export interface ExternalSecretOptions {
  /**
   * The store to read from.
   *
   * @default - none; allowed only when every value comes from a generator (`ExternalSecretDataFrom.generator()`)
   */
  readonly store?: ISecretStore;

  /**
   * Keys to fetch one by one. More with `addData()`.
   *
   * @default - none; then `dataFrom` or `addData()`/`addDataFrom()` must give some
   */
  readonly data?: ExternalSecretData[];

  /**
   * Keys to fetch in bulk. More with `addDataFrom()`.
   *
   * @default - none
   */
  readonly dataFrom?: ExternalSecretDataFrom[];

  /**
   * The target Secret's name (`spec.target.name`).
   *
   * @default - the ExternalSecret's name (written explicitly)
   */
  readonly targetName?: string;

  /**
   * Who owns the target Secret and whether ESO creates it.
   *
   * @default CreationPolicy.OWNER (written explicitly; ESO's own default)
   */
  readonly creationPolicy?: CreationPolicy;

  /**
   * What happens to the target when the remote secret is deleted.
   *
   * @default DeletionPolicy.RETAIN (written explicitly; ESO's own default)
   */
  readonly deletionPolicy?: DeletionPolicy;

  /**
   * Makes the target Secret immutable.
   *
   * @default - not written; mutable
   */
  readonly immutable?: boolean;

  /**
   * How to render the target Secret.
   *
   * @default - not written; the fetched keys as they are
   */
  readonly template?: ExternalSecretTemplate;

  /**
   * How often ESO fetches again; `Duration.seconds(0)` turns periodic refresh off.
   *
   * @default Duration.hours(1) (written explicitly as `1h`, ESO's own default; ESO's CRD spells it `1h0m0s`, which Go reads as the same duration)
   */
  readonly refreshInterval?: Duration;

  /**
   * When ESO refreshes.
   *
   * @default - not written; ESO refreshes every refreshInterval
   */
  readonly refreshPolicy?: RefreshPolicy;

  /**
   * Write the fields ESO's API server would default (creationPolicy, deletionPolicy,
   * conversionStrategy, decodingStrategy, metadataPolicy, refreshInterval, target name, template
   * engineVersion, mergePolicy, templateAs, templateFrom target), so that Argo CD sees no
   * difference between Git and the cluster. `false` writes only what was given, which is the shape
   * of hand-written manifests.
   *
   * @default true
   */
  readonly writeServerDefaults?: boolean;
}

/**
 * Props for `ExternalSecret`.
 */
export interface ExternalSecretProps extends ExternalSecretOptions {
  /**
   * The ExternalSecret's name (`metadata.name`).
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The namespace the ExternalSecret (and its target Secret) live in.
   *
   * @default - the chart's namespace, or none (the namespace the object is applied to)
   */
  readonly namespace?: string;

  /**
   * Labels on the ExternalSecret.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on the ExternalSecret.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * The API version to write. `V1BETA1` is not served by ESO 0.17 and later.
   *
   * @default ExternalSecretApiVersion.V1
   */
  readonly apiVersion?: ExternalSecretApiVersion;
}

/**
 * The state that renders an ExternalSecret spec; used by ExternalSecret and ClusterExternalSecret.
 * @internal
 */
export class _ExternalSecretSpecBuilder {
  public readonly data: ExternalSecretData[] = [];
  public readonly dataFrom: ExternalSecretDataFrom[] = [];
  private readonly writeDefaults: boolean;

  constructor(private readonly scope: IConstruct, private readonly options: ExternalSecretOptions, private readonly defaultTargetName: string | undefined, private readonly prefix: string) {
    this.writeDefaults = options.writeServerDefaults ?? true;
    if (options.store !== undefined && !isSecretStoreRef(options.store)) {
      fail(scope, `${prefix}.secretStoreRef`, options.store, `is not an ISecretStore; pass a SecretStore, a ClusterSecretStore, or ${methodName('SecretStore.fromName')} / ${methodName('ClusterSecretStore.fromName')}`);
    }
    if (options.targetName !== undefined) checkObjectName(scope, `${prefix}.target.name`, options.targetName);
    checkEnum(`${prefix}.target.creationPolicy`, options.creationPolicy, CreationPolicy, 'CreationPolicy', scope);
    checkEnum(`${prefix}.target.deletionPolicy`, options.deletionPolicy, DeletionPolicy, 'DeletionPolicy', scope);
    checkEnum(`${prefix}.refreshPolicy`, options.refreshPolicy, RefreshPolicy, 'RefreshPolicy', scope);
    const creation = options.creationPolicy ?? CreationPolicy.OWNER;
    const deletion = options.deletionPolicy ?? DeletionPolicy.RETAIN;
    if (deletion === DeletionPolicy.DELETE && (creation === CreationPolicy.MERGE || creation === CreationPolicy.NONE)) {
      fail(scope, `${prefix}.target.deletionPolicy`, deletion, `cannot be used with creationPolicy '${creation}': ESO would delete a Secret it does not own; use creationPolicy Owner or Orphan, or deletionPolicy Retain`);
    }
    if (deletion === DeletionPolicy.MERGE && creation === CreationPolicy.NONE) {
      fail(scope, `${prefix}.target.deletionPolicy`, deletion, 'cannot be used with creationPolicy \'None\': there is no Secret to merge with; use deletionPolicy Retain');
    }
    if (options.refreshInterval !== undefined) goDuration(scope, `${prefix}.refreshInterval`, options.refreshInterval, true);
    if (options.template) this.renderTemplate(options.template);
    for (const d of options.data ?? []) this.addData(d);
    for (const d of options.dataFrom ?? []) this.addDataFrom(d);
  }

  public addData(entry: ExternalSecretData): void {
    const i = this.data.length;
    const field = `${this.prefix}.data[${i}]`;
    if (entry === null || typeof entry !== 'object') fail(this.scope, field, entry, 'is not a data entry; use { secretKey, remoteKey }');
    if (typeof entry.secretKey !== 'string' || entry.secretKey.length > 253 || !SECRET_KEY.test(entry.secretKey)) {
      fail(this.scope, `${field}.secretKey`, entry.secretKey, 'is not a valid Secret key; use 1 to 253 letters, digits, \'-\', \'_\' and \'.\'');
    }
    const clash = this.data.findIndex((d) => d.secretKey === entry.secretKey);
    if (clash >= 0) {
      fail(this.scope, `${field}.secretKey`, entry.secretKey, `is already used by ${this.prefix}.data[${clash}]; give each entry its own secretKey`);
    }
    checkNonEmpty(this.scope, `${field}.remoteRef.key`, entry.remoteKey);
    if (entry.property !== undefined) checkNonEmpty(this.scope, `${field}.remoteRef.property`, entry.property);
    if (entry.version !== undefined) checkNonEmpty(this.scope, `${field}.remoteRef.version`, entry.version);
    checkEnum(`${field}.remoteRef.conversionStrategy`, entry.conversionStrategy, ConversionStrategy, 'ConversionStrategy', this.scope);
    checkEnum(`${field}.remoteRef.decodingStrategy`, entry.decodingStrategy, DecodingStrategy, 'DecodingStrategy', this.scope);
    checkEnum(`${field}.remoteRef.metadataPolicy`, entry.metadataPolicy, MetadataPolicy, 'MetadataPolicy', this.scope);
    this.data.push({ ...entry });
  }

  public addDataFrom(entry: ExternalSecretDataFrom): void {
    if (!(entry instanceof ExternalSecretDataFrom)) {
      fail(this.scope, `${this.prefix}.dataFrom[${this.dataFrom.length}]`, entry, 'is not an ExternalSecretDataFrom; use ExternalSecretDataFrom.extract(), .find() or .generator()');
    }
    this.dataFrom.push(entry);
  }

  /** Problems only visible once every mutator has run. */
  public validate(): string[] {
    if (this.data.length === 0 && this.dataFrom.length === 0) {
      return [`${this.prefix}.data and ${this.prefix}.dataFrom are both empty: the ExternalSecret fetches nothing; pass data or dataFrom, or call ${methodName('addData')} / ${methodName('addDataFrom')}`];
    }
    if (this.options.store === undefined && (this.data.length > 0 || this.dataFrom.some((d) => d.readsStore))) {
      const what = this.data.length > 0 ? `${this.prefix}.data` : `${this.prefix}.dataFrom[${this.dataFrom.findIndex((d) => d.readsStore)}]`;
      return [`${this.prefix}.secretStoreRef is missing: ${what} reads from a secret store; pass store (only generator entries need none)`];
    }
    return [];
  }

  public render(): ExternalSecretSpec {
    const o = this.options;
    const w = this.writeDefaults;
    const spec: any = {};
    if (o.store) spec.secretStoreRef = { kind: o.store.storeKind, name: o.store.storeName };
    const refresh = o.refreshInterval !== undefined
      ? goDuration(this.scope, `${this.prefix}.refreshInterval`, o.refreshInterval, true)
      : dflt(w, ESO_DEFAULT_REFRESH_INTERVAL);
    if (refresh !== undefined) spec.refreshInterval = refresh;
    if (o.refreshPolicy !== undefined) spec.refreshPolicy = o.refreshPolicy;
    const target: any = compactRef({
      name: o.targetName ?? dflt(w, this.defaultTargetName),
      creationPolicy: o.creationPolicy ?? dflt(w, CreationPolicy.OWNER),
      deletionPolicy: o.deletionPolicy ?? dflt(w, DeletionPolicy.RETAIN),
      immutable: o.immutable,
      template: o.template ? this.renderTemplate(o.template) : undefined,
    });
    if (Object.keys(target).length) spec.target = target;
    if (this.data.length) {
      spec.data = this.data.map((d) => ({
        remoteRef: compactRef({
          key: d.remoteKey,
          property: d.property,
          version: d.version,
          conversionStrategy: d.conversionStrategy ?? dflt(w, ConversionStrategy.DEFAULT),
          decodingStrategy: d.decodingStrategy ?? dflt(w, DecodingStrategy.NONE),
          metadataPolicy: d.metadataPolicy ?? dflt(w, MetadataPolicy.NONE),
        }),
        secretKey: d.secretKey,
      }));
    }
    if (this.dataFrom.length) spec.dataFrom = this.dataFrom.map((d) => d._render(w));
    return spec as ExternalSecretSpec;
  }

  private renderTemplate(t: ExternalSecretTemplate): any {
    const field = `${this.prefix}.target.template`;
    checkEnum(`${field}.mergePolicy`, t.mergePolicy, TemplateMergePolicy, 'TemplateMergePolicy', this.scope);
    for (const key of Object.keys(t.data ?? {})) {
      if (!SECRET_KEY.test(key) || key.length > 253) {
        fail(this.scope, `${field}.data`, key, 'is not a valid Secret key; use 1 to 253 letters, digits, \'-\', \'_\' and \'.\'');
      }
    }
    (t.templateFrom ?? []).forEach((tf, i) => {
      if (!(tf instanceof TemplateFrom)) fail(this.scope, `${field}.templateFrom[${i}]`, tf, 'is not a TemplateFrom; use TemplateFrom.configMap(), .secret() or .literal()');
    });
    const out: any = {
      engineVersion: 'v2',
      mergePolicy: t.mergePolicy ?? TemplateMergePolicy.REPLACE,
    };
    if (t.type !== undefined) out.type = t.type;
    if (t.data && Object.keys(t.data).length) out.data = { ...t.data };
    if (t.templateFrom?.length) out.templateFrom = t.templateFrom.map((tf) => JSON.parse(JSON.stringify(tf._json)));
    const metadata: any = {};
    if (t.labels && Object.keys(t.labels).length) metadata.labels = { ...t.labels };
    if (t.annotations && Object.keys(t.annotations).length) metadata.annotations = { ...t.annotations };
    if (Object.keys(metadata).length) out.metadata = metadata;
    return out;
  }
}

/**
 * An External Secrets Operator `ExternalSecret`: a Kubernetes Secret that ESO fills from a secret
 * store, so that no secret value is ever written to Git.
 *
 * Written as `external-secrets.io/v1`, with the fields ESO's API server defaults written out
 * (creationPolicy Owner, deletionPolicy Retain, conversionStrategy Default, decodingStrategy None,
 * metadataPolicy None, refreshInterval 1h, ...), so that Argo CD shows no difference.
 *
 * @example
 * const es = new ExternalSecret(chart, 'app-secrets', {
 *   store: ClusterSecretStore.fromName(chart, 'aws', 'aws-secrets-manager'),
 *   refreshInterval: Duration.hours(1),
 *   data: [{ secretKey: 'db-password', remoteKey: 'production/myapp', property: 'db_password' }],
 * });
 * container.env.copyFrom(kplus.Env.fromSecret(es.targetSecret));
 */
export class ExternalSecret extends Construct {
  /**
   * Whether `x` is an `ExternalSecret`, also across two copies of this library.
   *
   * @param x any value
   */
  public static isExternalSecret(x: any): boolean {
    return x !== null && typeof x === 'object' && EXTERNAL_SECRET in x;
  }

  /** The ExternalSecret's name. */
  public readonly name: string;

  /** The namespace; undefined when neither the props nor the chart give one. */
  public readonly namespace?: string;

  /** The store it reads from. */
  public readonly store?: ISecretStore;

  /** The name of the Secret ESO writes. */
  public readonly targetName: string;

  /**
   * The Secret ESO writes, for use with cdk8s-plus (`Env.fromSecret(es.targetSecret)`,
   * `es.targetSecret.envValue('db-password')`, volumes).
   */
  public readonly targetSecret: kplus.ISecret;

  /** The API version written. */
  public readonly apiVersion: ExternalSecretApiVersion;

  /** The L1 object. */
  public readonly apiObject: ApiObject;

  private readonly spec: _ExternalSecretSpecBuilder;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    Object.defineProperty(this, EXTERNAL_SECRET, { value: true });
    this.name = props.name ?? id;
    checkObjectName(this, 'metadata.name', this.name);
    if (props.namespace !== undefined) checkNamespace(this, 'metadata.namespace', props.namespace);
    this.namespace = effectiveNamespace(this, props.namespace);
    this.apiVersion = props.apiVersion ?? ExternalSecretApiVersion.V1;
    checkEnum('apiVersion', this.apiVersion, ExternalSecretApiVersion, 'ExternalSecretApiVersion', this);
    this.targetName = props.targetName ?? this.name;
    this.spec = new _ExternalSecretSpecBuilder(this, props, this.name, 'spec');
    this.store = props.store;
    this.targetSecret = kplus.Secret.fromSecretName(this, 'TargetSecret', this.targetName);

    const { EsoExternalSecret, EsoExternalSecretV1Beta1 } = externalSecretBinding();
    const L1 = this.apiVersion === ExternalSecretApiVersion.V1BETA1 ? EsoExternalSecretV1Beta1 : EsoExternalSecret;
    this.apiObject = new L1(this, 'Resource', {
      metadata: {
        name: this.name,
        ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
        ...(props.labels ? { labels: { ...props.labels } } : {}),
        ...(props.annotations ? { annotations: { ...props.annotations } } : {}),
      },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    this.node.addValidation({
      validate: () => [
        ...this.spec.validate(),
        ...(this.store ? checkStoreReference(this, 'spec.secretStoreRef', this.store, this.namespace) : []),
      ],
    });
  }

  /**
   * Adds a key to fetch. Throws when its secretKey is already used.
   *
   * @param entry the key
   */
  public addData(entry: ExternalSecretData): void {
    this.spec.addData(entry);
  }

  /**
   * Adds keys to fetch in bulk.
   *
   * @param entry the extract or find
   */
  public addDataFrom(entry: ExternalSecretDataFrom): void {
    this.spec.addDataFrom(entry);
  }

  /**
   * The data entries. Returns a copy; to add one use `addData()`.
   */
  public get data(): ExternalSecretData[] {
    return this.spec.data.map((d) => ({ ...d }));
  }

  /**
   * Renders the spec.
   *
   * @internal
   */
  public _toKube(): ExternalSecretSpec {
    return this.spec.render();
  }
}

/** A default, or undefined when defaults are not written. */
function dflt<T>(write: boolean, value: T): T | undefined {
  return write ? value : undefined;
}

/** Drops undefined values, keeping key order. */
function compactRef(obj: { [key: string]: any }): any {
  const out: any = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

/** Throws unless `value` is undefined or a member of `enumObj`. */
function checkEnum(field: string, value: unknown, enumObj: object, enumName: string, scope?: IConstruct): void {
  if (value === undefined) return;
  const values = Object.values(enumObj);
  if (!values.includes(value)) {
    fail(scope, field, value, `is not a ${enumName}; use one of ${values.map((v) => show(v)).join(', ')}`);
  }
}
