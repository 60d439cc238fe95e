import { checkNonEmpty } from '../../_internal/values';
import { GeneratorBindContext } from './_params';
import { _checkRequeue } from './clusters';
import { GeneratorOptions } from './generator-options';
import { LabelSelector, renderLabelSelector } from './label-selector';

/**
 * Options for `ApplicationSetGenerator.clusterDecisionResource()`.
 *
 * Parameters: the fields of each `status.decisions[]` entry (e.g. `clusterName`), plus `name` and
 * `server` of the matching cluster and `values.<key>`; they are known only at run time, so the
 * template's placeholders are not checked against them.
 */
export interface ClusterDecisionResourceGeneratorOptions extends GeneratorOptions {
  /** The ConfigMap describing the duck-typed resource (apiVersion, kind, statusListKey, matchKey). */
  readonly configMapRef: string;

  /**
   * The resource, by name. Give `name` or `labelSelector`.
   *
   * @default - resources selected by `labelSelector`
   */
  readonly name?: string;

  /**
   * The resources, by label.
   *
   * @default - the resource named `name`
   */
  readonly labelSelector?: LabelSelector;

  /**
   * Extra parameters, `values.<key>`.
   *
   * @default - none
   */
  readonly values?: { [key: string]: string };

  /**
   * How often Argo CD re-reads the resource, in seconds.
   *
   * @default - not written; Argo CD's default (3 minutes)
   */
  readonly requeueAfterSeconds?: number;
}

/** @internal */
export function _bindClusterDecisionResource(o: ClusterDecisionResourceGeneratorOptions, ctx: GeneratorBindContext): { json: any; params: string[] } {
  const field = `${ctx.field}.clusterDecisionResource`;
  checkNonEmpty(ctx.scope, `${field}.configMapRef`, o.configMapRef);
  _checkRequeue(ctx, field, o.requeueAfterSeconds);
  const json: any = { configMapRef: o.configMapRef };
  if (o.name !== undefined) json.name = o.name;
  if (o.labelSelector) json.labelSelector = renderLabelSelector(ctx.scope, `${field}.labelSelector`, o.labelSelector);
  if (o.values && Object.keys(o.values).length) json.values = { ...o.values };
  if (o.requeueAfterSeconds !== undefined) json.requeueAfterSeconds = o.requeueAfterSeconds;
  return { json, params: ['*'] };
}
