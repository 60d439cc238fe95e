import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkNamespace, checkNonEmpty, checkObjectName, fail } from '../_internal/values';
import { checkStoreReference, goDuration } from './_common';
import { ExternalSecretData, ExternalSecretDataFrom, ExternalSecretOptions, _ExternalSecretSpecBuilder } from './external-secret';
import { _dropChartNamespace } from './secret-store';
import { LabelSelectorOperator, LabelSelectorRequirement } from '../argocd/generators/label-selector';
import { lazy } from '../_internal/lazy';

// the ClusterExternalSecret binding (about 4 ms to load) is required by the first ClusterExternalSecret
// eslint-disable-next-line @typescript-eslint/no-require-imports
const clusterExternalSecretBinding = lazy(() => require('../../imports/clusterexternalsecret-external-secrets.io') as typeof import('../../imports/clusterexternalsecret-external-secrets.io'));

/**
 * Namespaces selected by their labels.
 */
export interface NamespaceSelector {
  /**
   * Labels a namespace must carry.
   *
   * @default - none
   */
  readonly matchLabels?: { [key: string]: string };

  /**
   * Further requirements.
   *
   * @default - none
   */
  readonly matchExpressions?: LabelSelectorRequirement[];
}

/**
 * Props for `ClusterExternalSecret`.
 */
export interface ClusterExternalSecretProps extends ExternalSecretOptions {
  /**
   * The ClusterExternalSecret's name (`metadata.name`).
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Labels on the ClusterExternalSecret.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on the ClusterExternalSecret.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * The namespaces to create the ExternalSecret in (`spec.namespaces`).
   *
   * @default - none; then namespaceSelectors must select some
   */
  readonly namespaces?: string[];

  /**
   * Label selectors for the namespaces to create the ExternalSecret in (`spec.namespaceSelectors`);
   * a namespace matching any of them is selected.
   *
   * @default - none; then namespaces must list some
   */
  readonly namespaceSelectors?: NamespaceSelector[];

  /**
   * The name of the ExternalSecrets created (`spec.externalSecretName`).
   *
   * @default - not written; ESO uses the ClusterExternalSecret's name
   */
  readonly externalSecretName?: string;

  /**
   * Labels on the ExternalSecrets created (`spec.externalSecretMetadata.labels`).
   *
   * @default - none
   */
  readonly externalSecretLabels?: { [key: string]: string };

  /**
   * Annotations on the ExternalSecrets created (`spec.externalSecretMetadata.annotations`).
   *
   * @default - none
   */
  readonly externalSecretAnnotations?: { [key: string]: string };

  /**
   * How often ESO looks for new matching namespaces (`spec.refreshTime`).
   *
   * @default - not written; ESO's controller default (1m)
   */
  readonly refreshTime?: Duration;
}

/**
 * An External Secrets Operator `ClusterExternalSecret` (external-secrets.io/v1): the same
 * ExternalSecret in every selected namespace.
 *
 * @example
 * new ClusterExternalSecret(chart, 'registry-credentials', {
 *   namespaceSelectors: [{ matchLabels: { 'team': 'payments' } }],
 *   store: ClusterSecretStore.fromName(chart, 'aws', 'aws-secrets-manager'),
 *   data: [{ secretKey: '.dockerconfigjson', remoteKey: 'registry/dockerconfig' }],
 * });
 */
export class ClusterExternalSecret extends Construct {
  /** The ClusterExternalSecret's name. */
  public readonly name: string;

  /** The L1 object. */
  public readonly apiObject: ApiObject;

  private readonly spec: _ExternalSecretSpecBuilder;

  constructor(scope: Construct, id: string, props: ClusterExternalSecretProps) {
    super(scope, id);
    this.name = props.name ?? id;
    checkObjectName(this, 'metadata.name', this.name);
    const namespaces = props.namespaces ?? [];
    const selectors = props.namespaceSelectors ?? [];
    namespaces.forEach((ns, i) => checkNamespace(this, `spec.namespaces[${i}]`, ns));
    if (namespaces.length === 0 && selectors.length === 0) {
      fail(this, 'spec.namespaces', namespaces, 'is empty and so is spec.namespaceSelectors: the ClusterExternalSecret would create no ExternalSecret; give namespaces or namespaceSelectors');
    }
    const renderedSelectors = selectors.map((s, i) => renderSelector(this, `spec.namespaceSelectors[${i}]`, s));
    if (props.externalSecretName !== undefined) checkObjectName(this, 'spec.externalSecretName', props.externalSecretName);
    if (props.refreshTime !== undefined) goDuration(this, 'spec.refreshTime', props.refreshTime);
    this.spec = new _ExternalSecretSpecBuilder(this, props, props.externalSecretName ?? this.name, 'spec.externalSecretSpec');

    this.apiObject = new (clusterExternalSecretBinding().EsoClusterExternalSecret)(this, 'Resource', {
      metadata: {
        name: this.name,
        ...(props.labels ? { labels: { ...props.labels } } : {}),
        ...(props.annotations ? { annotations: { ...props.annotations } } : {}),
      },
      spec: Lazy.any({
        produce: () => {
          const spec: any = {};
          if (props.externalSecretName !== undefined) spec.externalSecretName = props.externalSecretName;
          const meta: any = {};
          if (props.externalSecretLabels && Object.keys(props.externalSecretLabels).length) meta.labels = { ...props.externalSecretLabels };
          if (props.externalSecretAnnotations && Object.keys(props.externalSecretAnnotations).length) meta.annotations = { ...props.externalSecretAnnotations };
          if (Object.keys(meta).length) spec.externalSecretMetadata = meta;
          spec.externalSecretSpec = this.spec.render();
          if (namespaces.length) spec.namespaces = [...namespaces];
          if (renderedSelectors.length) spec.namespaceSelectors = renderedSelectors;
          if (props.refreshTime !== undefined) spec.refreshTime = goDuration(this, 'spec.refreshTime', props.refreshTime);
          return spec;
        },
      }),
    });
    _dropChartNamespace(this.apiObject);
    this.node.addValidation({
      validate: () => [
        ...this.spec.validate(),
        ...(props.store ? checkStoreReference(this, 'spec.externalSecretSpec.secretStoreRef', props.store, undefined, true) : []),
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
}

function renderSelector(scope: Construct, field: string, s: NamespaceSelector): any {
  const out: any = {};
  const labels = s.matchLabels ?? {};
  const exprs = s.matchExpressions ?? [];
  if (Object.keys(labels).length === 0 && exprs.length === 0) {
    fail(scope, field, s, 'selects every namespace; give matchLabels or matchExpressions');
  }
  if (Object.keys(labels).length) out.matchLabels = { ...labels };
  if (exprs.length) {
    out.matchExpressions = exprs.map((e, i) => {
      checkNonEmpty(scope, `${field}.matchExpressions[${i}].key`, e.key);
      if (!Object.values(LabelSelectorOperator).includes(e.operator)) {
        fail(scope, `${field}.matchExpressions[${i}].operator`, e.operator, 'is not a LabelSelectorOperator; use In, NotIn, Exists or DoesNotExist');
      }
      const needsValues = e.operator === LabelSelectorOperator.IN || e.operator === LabelSelectorOperator.NOT_IN;
      if (needsValues && !e.values?.length) {
        fail(scope, `${field}.matchExpressions[${i}].values`, e.values ?? [], `is empty; operator ${e.operator} needs at least one value`);
      }
      if (!needsValues && e.values?.length) {
        fail(scope, `${field}.matchExpressions[${i}].values`, e.values, `must be empty for operator ${e.operator}`);
      }
      return { key: e.key, operator: e.operator, ...(e.values?.length ? { values: [...e.values] } : {}) };
    });
  }
  return out;
}
