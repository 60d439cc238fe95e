import { fail } from '../../_internal/values';
import { GeneratorBindContext } from './_params';
import { flatKeys, jsonPaths } from './_params';
import { GeneratorOptions } from './generator-options';

/**
 * Options for `ApplicationSetGenerator.list()`.
 */
export interface ListGeneratorOptions extends GeneratorOptions {
  /**
   * The parameter sets, one per element. Under fasttemplate (Argo CD's default) every value must
   * be a string, except `values`, a string map whose keys become `values.<key>`; under goTemplate
   * any JSON value is allowed.
   *
   * @default - none; then `elementsYaml` must be given
   */
  readonly elements?: Array<{ [key: string]: any }>;

  /**
   * The elements as a YAML list in a string, usually a placeholder filled by a matrix's first
   * generator (goTemplate), e.g. `{{ .values.envs }}`.
   *
   * @default - none
   */
  readonly elementsYaml?: string;
}

/** Binds a list generator: its JSON and the keys every element has. @internal */
export function _bindList(o: ListGeneratorOptions, ctx: GeneratorBindContext): { json: any; params: string[] } {
  const field = `${ctx.field}.list`;
  if (o.elements === undefined && o.elementsYaml === undefined) {
    fail(ctx.scope, `${field}.elements`, undefined, 'is missing; give elements or elementsYaml');
  }
  const json: any = {};
  let params: string[] | undefined;
  if (o.elements !== undefined) {
    if (!Array.isArray(o.elements)) fail(ctx.scope, `${field}.elements`, o.elements, 'is not an array of objects');
    o.elements.forEach((e, i) => {
      if (e === null || typeof e !== 'object' || Array.isArray(e)) {
        fail(ctx.scope, `${field}.elements[${i}]`, e, 'is not an object; each element is a map of parameter names to values');
      }
      if (!ctx.goTemplate) {
        for (const [k, v] of Object.entries(e)) {
          if (k === 'values') {
            if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
              fail(ctx.scope, `${field}.elements[${i}].values`, v, 'is not a map of strings; under fasttemplate values is a string map');
            }
          } else if (typeof v !== 'string') {
            fail(ctx.scope, `${field}.elements[${i}].${k}`, v, 'is not a string; under fasttemplate list values are strings (quote it, e.g. \'3\'), or set goTemplate: true for any JSON');
          }
        }
      }
      const keys = ctx.goTemplate ? jsonPaths(e) : flatKeys(e);
      params = params === undefined ? keys : params.filter((k) => keys.includes(k));
    });
    json.elements = o.elements.map((e) => JSON.parse(JSON.stringify(e)));
  }
  if (o.elementsYaml !== undefined) {
    if (typeof o.elementsYaml !== 'string') fail(ctx.scope, `${field}.elementsYaml`, o.elementsYaml, 'is not a string');
    json.elementsYaml = o.elementsYaml;
    params = ['*'];
  }
  if (o.elements !== undefined && o.elements.length === 0 && o.elementsYaml === undefined) {
    json.elements = [];
  }
  return { json, params: params ?? [] };
}
