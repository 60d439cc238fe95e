import { checkNonEmpty } from '../../_internal/values';
import { GeneratorBindContext } from './_params';
import { _checkRequeue } from './clusters';
import { GeneratorOptions } from './generator-options';

/**
 * Options for `ApplicationSetGenerator.plugin()`.
 *
 * Parameters: whatever the plugin returns, plus `generator.input.parameters.<key>` and
 * `values.<key>`; known only at run time, so placeholders are not checked against them.
 */
export interface PluginGeneratorOptions extends GeneratorOptions {
  /** The ConfigMap that holds the plugin's base URL and token reference. */
  readonly configMapRef: string;

  /**
   * Parameters sent to the plugin (`input.parameters`); any JSON.
   *
   * @default - none
   */
  readonly inputParameters?: { [key: string]: any };

  /**
   * Extra parameters, `values.<key>`.
   *
   * @default - none
   */
  readonly values?: { [key: string]: string };

  /**
   * How often Argo CD calls the plugin, in seconds.
   *
   * @default - not written; Argo CD's default (30 minutes)
   */
  readonly requeueAfterSeconds?: number;
}

/** @internal */
export function _bindPlugin(o: PluginGeneratorOptions, ctx: GeneratorBindContext): { json: any; params: string[] } {
  const field = `${ctx.field}.plugin`;
  checkNonEmpty(ctx.scope, `${field}.configMapRef.name`, o.configMapRef);
  _checkRequeue(ctx, field, o.requeueAfterSeconds);
  const json: any = { configMapRef: { name: o.configMapRef } };
  if (o.inputParameters && Object.keys(o.inputParameters).length) {
    json.input = { parameters: JSON.parse(JSON.stringify(o.inputParameters)) };
  }
  if (o.values && Object.keys(o.values).length) json.values = { ...o.values };
  if (o.requeueAfterSeconds !== undefined) json.requeueAfterSeconds = o.requeueAfterSeconds;
  return { json, params: ['*'] };
}
