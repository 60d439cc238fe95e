import { ApiObject, Duration, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { EsoPushSecret } from '../../imports/pushsecret-external-secrets.io';
import { checkNamespace, checkNonEmpty, checkObjectName, fail } from '../_internal/values';
import { checkStoreReference, effectiveNamespace, ESO_DEFAULT_REFRESH_INTERVAL, goDuration, isSecretStoreRef } from './_common';
import { ISecretStore } from './secret-store';
import { methodName } from '../_internal/method-name';

/**
 * What ESO does with the pushed values when the PushSecret is deleted (`spec.deletionPolicy`).
 */
export enum PushSecretDeletionPolicy {
  /** Leave them in the provider (ESO's default). */
  NONE = 'None',
  /** Delete them from the provider. */
  DELETE = 'Delete',
}

/**
 * Whether ESO overwrites values already in the provider (`spec.updatePolicy`).
 */
export enum PushSecretUpdatePolicy {
  /** Overwrite (ESO's default). */
  REPLACE = 'Replace',
  /** Write only keys the provider does not have yet. */
  IF_NOT_EXISTS = 'IfNotExists',
}

/**
 * One value pushed to the provider (`spec.data[].match`).
 */
export interface PushSecretData {
  /**
   * The key of the local Secret to push.
   *
   * @default - not written; the whole Secret, as JSON
   */
  readonly secretKey?: string;

  /** The provider's key to write to (`remoteRef.remoteKey`). */
  readonly remoteKey: string;

  /**
   * A property inside the provider's value to write to.
   *
   * @default - not written; the whole value
   */
  readonly property?: string;
}

/**
 * Props for `PushSecret`.
 */
export interface PushSecretProps {
  /** The stores to push to (`spec.secretStoreRefs`). */
  readonly stores: ISecretStore[];

  /** The local Secret whose values are pushed (`spec.selector.secret.name`). */
  readonly secret: kplus.ISecret;

  /**
   * The values to push. More with `addData()`.
   *
   * @default - none; then addData() must add some
   */
  readonly data?: PushSecretData[];

  /**
   * The PushSecret's name (`metadata.name`).
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The namespace (the Secret's namespace).
   *
   * @default - the chart's namespace, or none (the namespace the object is applied to)
   */
  readonly namespace?: string;

  /**
   * Labels on the PushSecret.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on the PushSecret.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Whether ESO deletes the pushed secret in the provider when the PushSecret or its source goes away.
   *
   * @default PushSecretDeletionPolicy.NONE (written explicitly; ESO's own default)
   */
  readonly deletionPolicy?: PushSecretDeletionPolicy;

  /**
   * Whether the remote secret is replaced or only created when missing.
   *
   * @default PushSecretUpdatePolicy.REPLACE (written explicitly; ESO's own default)
   */
  readonly updatePolicy?: PushSecretUpdatePolicy;

  /**
   * How often ESO pushes again.
   *
   * @default Duration.hours(1) (written explicitly as `1h`, ESO's own default; ESO's CRD spells it `1h0m0s`, which Go reads as the same duration)
   */
  readonly refreshInterval?: Duration;
}

/**
 * An External Secrets Operator `PushSecret` (external-secrets.io/v1alpha1): pushes values of a
 * Secret in the cluster (often one a generator or controller made) to secret stores.
 *
 * @example
 * new PushSecret(chart, 'push-db-credentials', {
 *   stores: [store],
 *   secret: kplus.Secret.fromSecretName(chart, 'db', 'db-credentials'),
 *   data: [{ secretKey: 'password', remoteKey: 'production/db', property: 'password' }],
 * });
 */
export class PushSecret extends Construct {
  /** The PushSecret's name. */
  public readonly name: string;

  /** The L1 object. */
  public readonly apiObject: ApiObject;

  private readonly data: PushSecretData[] = [];
  private readonly namespace?: string;

  constructor(scope: Construct, id: string, props: PushSecretProps) {
    super(scope, id);
    this.name = props.name ?? id;
    checkObjectName(this, 'metadata.name', this.name);
    if (props.namespace !== undefined) checkNamespace(this, 'metadata.namespace', props.namespace);
    this.namespace = effectiveNamespace(this, props.namespace);
    if (!Array.isArray(props.stores) || props.stores.length === 0) {
      fail(this, 'spec.secretStoreRefs', props.stores ?? [], 'is empty; give at least one store to push to');
    }
    props.stores.forEach((s, i) => {
      if (!isSecretStoreRef(s)) fail(this, `spec.secretStoreRefs[${i}]`, s, `is not an ISecretStore; pass a SecretStore, a ClusterSecretStore, or ${methodName('SecretStore.fromName')} / ${methodName('ClusterSecretStore.fromName')}`);
    });
    if (!props.secret || typeof props.secret.name !== 'string') {
      fail(this, 'spec.selector.secret', props.secret, `is not a Secret; pass a cdk8s-plus Secret or ${methodName('Secret.fromSecretName')}`);
    }
    if (props.deletionPolicy !== undefined && !Object.values(PushSecretDeletionPolicy).includes(props.deletionPolicy)) {
      fail(this, 'spec.deletionPolicy', props.deletionPolicy, 'is not a PushSecretDeletionPolicy; use None or Delete');
    }
    if (props.updatePolicy !== undefined && !Object.values(PushSecretUpdatePolicy).includes(props.updatePolicy)) {
      fail(this, 'spec.updatePolicy', props.updatePolicy, 'is not a PushSecretUpdatePolicy; use Replace or IfNotExists');
    }
    if (props.refreshInterval !== undefined) goDuration(this, 'spec.refreshInterval', props.refreshInterval);
    for (const d of props.data ?? []) this.addData(d);

    this.apiObject = new EsoPushSecret(this, 'Resource', {
      metadata: {
        name: this.name,
        ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
        ...(props.labels ? { labels: { ...props.labels } } : {}),
        ...(props.annotations ? { annotations: { ...props.annotations } } : {}),
      },
      spec: Lazy.any({
        produce: () => ({
          data: this.data.map((d) => ({
            conversionStrategy: 'None',
            match: {
              remoteRef: { remoteKey: d.remoteKey, ...(d.property !== undefined ? { property: d.property } : {}) },
              ...(d.secretKey !== undefined ? { secretKey: d.secretKey } : {}),
            },
          })),
          deletionPolicy: props.deletionPolicy ?? PushSecretDeletionPolicy.NONE,
          refreshInterval: props.refreshInterval !== undefined ? goDuration(this, 'spec.refreshInterval', props.refreshInterval) : ESO_DEFAULT_REFRESH_INTERVAL,
          secretStoreRefs: props.stores.map((s) => ({ kind: s.storeKind, name: s.storeName })),
          selector: { secret: { name: props.secret.name } },
          updatePolicy: props.updatePolicy ?? PushSecretUpdatePolicy.REPLACE,
        }),
      }),
    });
    this.node.addValidation({
      validate: () => [
        ...(this.data.length === 0 ? [`spec.data is empty: the PushSecret pushes nothing; pass data or call ${methodName('addData')}`] : []),
        ...props.stores.flatMap((s, i) => checkStoreReference(this, `spec.secretStoreRefs[${i}]`, s, this.namespace)),
      ],
    });
  }

  /**
   * Adds a value to push. Throws when the same remote key and property are already pushed.
   *
   * @param entry the value
   */
  public addData(entry: PushSecretData): void {
    const i = this.data.length;
    checkNonEmpty(this, `spec.data[${i}].match.remoteRef.remoteKey`, entry.remoteKey);
    if (entry.secretKey !== undefined && !/^[-._a-zA-Z0-9]+$/.test(entry.secretKey)) {
      fail(this, `spec.data[${i}].match.secretKey`, entry.secretKey, 'is not a valid Secret key; use letters, digits, \'-\', \'_\' and \'.\'');
    }
    const clash = this.data.findIndex((d) => d.remoteKey === entry.remoteKey && d.property === entry.property);
    if (clash >= 0) {
      fail(this, `spec.data[${i}].match.remoteRef`, entry.property === undefined ? entry.remoteKey : `${entry.remoteKey}/${entry.property}`, `is already pushed by spec.data[${clash}]; push each remote key (and property) once`);
    }
    this.data.push({ ...entry });
  }
}
