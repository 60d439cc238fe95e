import { GoRegexp } from '../../_internal/go-regexp';
import { checkInteger, fail } from '../../_internal/values';
import { GeneratorBindContext, valuesParams } from './_params';
import { GeneratorOptions } from './generator-options';
import { LabelSelector, renderLabelSelector } from './label-selector';

/**
 * Options for `ApplicationSetGenerator.clusters()`: one parameter set per cluster registered in
 * Argo CD (cluster Secrets, plus the local cluster when no selector is set).
 *
 * Parameters: `name`, `nameNormalized`, `server`, `project`, `metadata.labels.<key>`,
 * `metadata.annotations.<key>`, `values.<key>` (goTemplate: `.name`, `.metadata.labels.<key>`, ...).
 */
export interface ClustersGeneratorOptions extends GeneratorOptions {
  /**
   * Which clusters, by the labels of their cluster Secret.
   *
   * @default - every cluster, including the local one
   */
  readonly selector?: LabelSelector;

  /**
   * Extra parameters, `values.<key>`; values may hold placeholders over the cluster's parameters.
   *
   * @default - none
   */
  readonly values?: { [key: string]: string };

  /**
   * Produce one parameter set holding every cluster as a list, `clusters` (for goTemplate's
   * `range`), instead of one set per cluster.
   *
   * @default false (Argo CD's default; not written)
   */
  readonly flatList?: boolean;
}

/** @internal */
export function _bindClusters(o: ClustersGeneratorOptions, ctx: GeneratorBindContext): { json: any; params: string[] } {
  const field = `${ctx.field}.clusters`;
  const json: any = {};
  if (o.selector) json.selector = renderLabelSelector(ctx.scope, `${field}.selector`, o.selector);
  if (o.values && Object.keys(o.values).length) json.values = { ...o.values };
  if (o.flatList) json.flatList = true;
  const params = o.flatList
    ? ['clusters', ctx.goTemplate ? 'clusters.*' : 'clusters']
    : ['name', 'nameNormalized', 'server', 'project', 'metadata.labels.*', 'metadata.annotations.*'];
  return { json, params: [...params, ...valuesParams(o.values)] };
}

/** @internal */
export function _checkRequeue(ctx: GeneratorBindContext, field: string, seconds: number | undefined): void {
  if (seconds !== undefined) checkInteger(ctx.scope, `${field}.requeueAfterSeconds`, seconds, 0);
}

/**
 * Fails when a filter's regular expression (`keys` of each of `filters`) is not one Go compiles:
 * Argo CD would fail the whole generator when it lists repositories or pull requests. A value
 * holding `{{` is skipped (a matrix fills it in from the other generator first).
 *
 * @internal
 */
export function _checkFilterRegexps(ctx: GeneratorBindContext, field: string, filters: ReadonlyArray<{ [key: string]: unknown }> | undefined, keys: readonly string[]): void {
  (filters ?? []).forEach((f, i) => {
    for (const key of keys) {
      const value = f[key];
      if (typeof value !== 'string' || value.includes('{{')) continue;
      const problem = GoRegexp.problem(value);
      if (problem !== undefined) {
        fail(ctx.scope, `${field}.filters[${i}].${key}`, value, `is not a regular expression Go compiles (${problem}); Argo CD would fail the generator; write it in Go's RE2 syntax (no lookarounds or backreferences)`);
      }
    }
  });
}
