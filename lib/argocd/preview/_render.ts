// Rendering of an ApplicationSet's Application template for one parameter set, reimplemented
// from Argo CD (applicationset/utils: Render.RenderTemplateParams, Render.Replace, and the
// controller's templatePatch handling) because the offline preview must match it exactly:
//
// - with no parameters at all, the template is returned untouched (RenderTemplateParams);
// - every string of the tree is templated, and so is every map key ("keys can be templated as
//   well as values"); numbers and booleans are copied; map entries whose value is null are
//   dropped (nil map values are skipped);
// - fasttemplate mode substitutes `{{ key }}` from the flat string map (see _fasttemplate.ts);
//   goTemplate mode parses each string as its own Go template (`template.New("")` with sprig)
//   and executes it with the nested params, goTemplateOptions applied;
// - templatePatch is rendered the same way (even without parameters), read as JSON when it
//   starts with `{`, as YAML otherwise, and applied as a Kubernetes strategic merge patch
//   against the Application type: maps merge, `null` deletes, lists are replaced, except
//   `metadata.finalizers` (patchStrategy merge: union, the patch's items first).
// The resources finalizer and the forced namespace are the caller's (expand's) business.
import * as jsyaml from 'js-yaml';
import { YamlLimitError, loadYaml } from '../../_internal/yaml';
import { renderFastTemplate } from './_fasttemplate';
import { GoTemplateOptions, ParsedTemplate, executeGoTemplate, parseGoTemplate, parseGoTemplateOptions } from './_gotemplate';
import { GoInt64, GoMap, GoValue, TemplateError, fromJsonValue, goJson, goQuote, isMap } from './_go-fmt';
import { APPLICATION_TYPE, goJsonSyntaxError, goJsonTypeError } from './_go-json';

export { TemplateError } from './_go-fmt';

/** The ApplicationSet's templating switches. */
export interface RenderOptions {
  /** `spec.goTemplate`. */
  goTemplate: boolean;
  /** `spec.goTemplateOptions`, e.g. `['missingkey=error']`. */
  goTemplateOptions: string[];
}

type Replacer = (text: string) => string;

// Parsed templates by text, shared by every rendering: one ApplicationSet renders the same fields
// for every parameter set, and a parsed template is never modified by an execution.
const PARSED = new Map<string, ParsedTemplate>();
const PARSED_LIMIT = 10_000;

function goReplacer(params: Record<string, any>, options: RenderOptions): Replacer {
  const opts: GoTemplateOptions = parseGoTemplateOptions(options.goTemplateOptions);
  // Argo CD executes every string with the parameter set's own Go map: what sprig's set, unset and
  // merge change in it is seen by the strings rendered after, in this rendering and the next ones
  // of the same parameter set (its templatePatch, a generator's values rendered one after another)
  const data = goDataOf(params);
  return (text) => {
    let tmpl = PARSED.get(text);
    if (!tmpl) {
      try {
        tmpl = parseGoTemplate(text);
      } catch (e) {
        throw new TemplateError(`failed to parse template ${text}: ${(e as Error).message}`);
      }
      if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
      PARSED.set(text, tmpl);
    }
    let out: string;
    try {
      out = executeGoTemplate(tmpl, data, opts);
    } catch (e) {
      throw new TemplateError(`failed to execute go template ${text}: ${(e as Error).message}`);
    }
    if (MUTATES.test(text)) writeBack(params, data);
    return out;
  };
}

/** The sprig functions that change a map they are given (the parameters when given `.`). */
const MUTATES = /\b(set|unset|merge|mustMerge|mergeOverwrite|mustMergeOverwrite)\b/;

/**
 * The Go data of each parameter set, kept while the set's own entries are the ones it was made
 * from (so that a value a template stored keeps its Go type, an int staying an int), made anew
 * once anything else replaced an entry.
 */
const GO_DATA = new WeakMap<object, { readonly data: GoMap; readonly entries: Map<string, unknown> }>();

function goDataOf(params: Record<string, any>): GoMap {
  const cached = GO_DATA.get(params);
  if (cached && cached.entries.size === Object.keys(params).length && Object.entries(params).every(([k, v]) => cached.entries.get(k) === v)) {
    return cached.data;
  }
  const data = fromJsonValue(params) as GoMap;
  GO_DATA.set(params, { data, entries: new Map(Object.entries(params)) });
  return data;
}

/** Writes what a template changed in the Go data back into the parameter set, for what reads it next. */
function writeBack(params: Record<string, any>, data: GoMap): void {
  for (const k of Object.keys(params)) if (!Object.prototype.hasOwnProperty.call(data, k)) delete params[k];
  for (const [k, v] of Object.entries(data)) params[k] = toParamValue(v);
  GO_DATA.set(params, { data, entries: new Map(Object.entries(params)) });
}

function toParamValue(v: GoValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GoInt64) return Number(v.v);
  if (Array.isArray(v)) return v.map(toParamValue);
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toParamValue(x)]));
  return v;
}

function replacer(params: Record<string, any>, options: RenderOptions): Replacer {
  if (options.goTemplate) return goReplacer(params, options);
  return (text) => renderFastTemplate(text, params);
}

/**
 * The order in which Argo CD's deeplyReplace (reflection over the Go struct) visits the fields of
 * the Application it renders: Go struct field order (ApplicationSpec: source, destination,
 * project, ...), so that when several fields fail, the same one is reported first. A struct lists
 * its fields with the shape of each; a slice gives its element's; maps (labels, annotations) and
 * what is not listed have no shape and are visited in the object's own order (Go ranges over a map
 * in an order of its own, which varies from run to run). Field lists follow Argo CD v3.5.1's
 * pkg/apis/application/v1alpha1 types.go and apimachinery's ObjectMeta.
 */
type Shape = { readonly fields: readonly (readonly [string, Shape?])[] } | { readonly elem: Shape } | { readonly json: true };

/** A runtime.RawExtension (helm valuesObject): rendered through JSON, its errors wrapped as Go wraps them. */
const JSON_SHAPE: Shape = { json: true };

const fieldsOf = (...fields: (string | readonly [string, Shape?])[]): Shape => ({ fields: fields.map((f) => (typeof f === 'string' ? [f] as const : f)) });
const sliceOf = (elem: Shape): Shape => ({ elem });

const HELM_SHAPE = fieldsOf('valueFiles', ['parameters', sliceOf(fieldsOf('name', 'value', 'forceString'))], 'releaseName', 'values',
  ['fileParameters', sliceOf(fieldsOf('name', 'path'))], 'version', 'passCredentials', 'ignoreMissingValueFiles', 'skipCrds', ['valuesObject', JSON_SHAPE],
  'namespace', 'kubeVersion', 'apiVersions', 'skipTests', 'skipSchemaValidation');
const KUSTOMIZE_SHAPE = fieldsOf('namePrefix', 'nameSuffix', 'images', 'commonLabels', 'version', 'commonAnnotations', 'forceCommonLabels',
  'forceCommonAnnotations', 'namespace', 'commonAnnotationsEnvsubst', 'replicas', 'patches', 'components', 'ignoreMissingComponents',
  'labelWithoutSelector', 'kubeVersion', 'apiVersions', 'labelIncludeTemplates');
const DIRECTORY_SHAPE = fieldsOf('recurse', 'jsonnet', 'exclude', 'include');
const PLUGIN_SHAPE = fieldsOf('name', 'env', 'parameters');
const SOURCE_SHAPE = fieldsOf('repoURL', 'path', 'targetRevision', ['helm', HELM_SHAPE], ['kustomize', KUSTOMIZE_SHAPE], ['directory', DIRECTORY_SHAPE],
  ['plugin', PLUGIN_SHAPE], 'chart', 'ref', 'name', 'tagPrefix');
const SYNC_POLICY_SHAPE = fieldsOf(['automated', fieldsOf('prune', 'selfHeal', 'allowEmpty', 'enabled')], 'syncOptions',
  ['retry', fieldsOf('limit', ['backoff', fieldsOf('duration', 'factor', 'maxDuration')], 'refresh')], ['managedNamespaceMetadata', fieldsOf('labels', 'annotations')]);
const SPEC_SHAPE = fieldsOf(['source', SOURCE_SHAPE], ['destination', fieldsOf('server', 'namespace', 'name')], 'project', ['syncPolicy', SYNC_POLICY_SHAPE],
  ['ignoreDifferences', sliceOf(fieldsOf('group', 'kind', 'name', 'namespace', 'jsonPointers', 'jqPathExpressions', 'managedFieldsManagers'))],
  ['info', sliceOf(fieldsOf('name', 'value'))], 'revisionHistoryLimit', ['sources', sliceOf(SOURCE_SHAPE)],
  ['sourceHydrator', fieldsOf(['drySource', fieldsOf('repoURL', 'targetRevision', 'path', ['helm', HELM_SHAPE], ['kustomize', KUSTOMIZE_SHAPE], ['directory', DIRECTORY_SHAPE], ['plugin', PLUGIN_SHAPE])],
    ['syncSource', fieldsOf('targetBranch', 'path', 'repoURL')], ['hydrateTo', fieldsOf('targetBranch')])]);
/** The template as an Application: ObjectMeta (name, namespace, labels, annotations, finalizers), then the spec. */
export const APPLICATION_SHAPE: Shape = fieldsOf(['metadata', fieldsOf('name', 'namespace', 'labels', 'annotations', 'finalizers')], ['spec', SPEC_SHAPE]);

function deepReplace(value: unknown, replace: Replacer, shape?: Shape): unknown {
  if (shape && 'json' in shape) {
    try {
      return deepReplace(value, replace);
    } catch (e) {
      if (e instanceof TemplateError) throw new TemplateError(`failed to deeply replace JSON field contents: ${e.message}`);
      throw e;
    }
  }
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) {
    const elem = shape && 'elem' in shape ? shape.elem : undefined;
    return value.map((v) => (v === null || v === undefined ? v : deepReplace(v, replace, elem)));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    // visited in Go's order (a struct's fields first, in their order), written in the object's own
    const fields = shape && 'fields' in shape ? shape.fields : [];
    const rank = new Map(fields.map(([name], i) => [name, i]));
    const visit = entries.map((_, i) => i).sort((a, b) => (rank.get(entries[a][0]) ?? rank.size + a) - (rank.get(entries[b][0]) ?? rank.size + b));
    const done: ([string, unknown] | undefined)[] = [];
    for (const i of visit) {
      const [k, v] = entries[i];
      if (v === null || v === undefined) continue;
      const field = fields[rank.get(k) ?? -1];
      const copy = deepReplace(v, replace, field?.[1]);
      done[i] = [replace(k), copy];
    }
    const out: Record<string, unknown> = {};
    for (const e of done) if (e) out[e[0]] = e[1];
    return out;
  }
  return value;
}

function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/**
 * Renders the ApplicationSet template (the `template` object: {metadata, spec}) for one
 * parameter set, as Argo CD does: with fasttemplate, every string (values and map keys) has its
 * tags replaced from the flat params; with goTemplate, every string is a Go template executed
 * with the nested params as data, fields visited in the order of `shape` (APPLICATION_SHAPE for
 * an Application template). Returns a new object. Errors are TemplateErrors worded as
 * Argo CD words them (`failed to execute go template {{.x}}: template: base:1:2: executing "base" at
 * <.x>: map has no entry for key "x"`).
 */
export function renderTemplate(template: any, params: Record<string, any>, options: RenderOptions, shape?: Shape): any {
  if (Object.keys(params).length === 0) return clone(template);
  return deepReplace(template, replacer(params, options), shape);
}

/**
 * The patch as Argo CD reads it (controllers/template/patch.go applyTemplatePatch): text starting
 * with `{` is JSON, anything else YAML converted to JSON; then json.Unmarshal into an
 * Application must succeed, so syntax and type errors are Go's.
 */
function toJsonPatch(text: string): unknown {
  let json: string;
  if (text.trim().startsWith('{')) {
    json = text;
  } else {
    let doc: unknown;
    try {
      doc = loadYaml(text, { source: 'templatePatch', schema: jsyaml.CORE_SCHEMA });
    } catch (e) {
      if (e instanceof YamlLimitError) throw new TemplateError(e.message);
      const err = e as { reason?: string; mark?: { line: number } };
      throw new TemplateError(`error while converting template to json ${goQuote(text)}: yaml: line ${(err.mark?.line ?? 0) + 1}: ${err.reason ?? (e as Error).message}`);
    }
    // sigs.k8s.io/yaml YAMLToJSON writes with encoding/json: keys sorted, HTML characters escaped
    json = goJson(fromJsonValue(doc === undefined ? null : doc));
  }
  const syntax = goJsonSyntaxError(json);
  if (syntax !== undefined) throw new TemplateError(`invalid templatePatch ${goQuote(json)}: ${syntax}`);
  const patch = JSON.parse(json);
  const typeError = goJsonTypeError(patch, APPLICATION_TYPE);
  if (typeError !== undefined) throw new TemplateError(`invalid templatePatch ${goQuote(json)}: ${typeError}`);
  return patch;
}

const MERGE_LISTS = new Set(['metadata.finalizers']);

function discardNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(discardNulls);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== null) out[k] = discardNulls(x);
    return out;
  }
  return v;
}

function strategicMerge(original: Record<string, unknown>, patch: Record<string, unknown>, path: string): Record<string, unknown> {
  const directive = patch.$patch;
  if (directive === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return discardNulls(rest) as Record<string, unknown>;
  }
  if (directive === 'delete') return {};
  const out: Record<string, unknown> = { ...original };
  for (const [k, pv] of Object.entries(patch)) {
    if (k === '$patch' || k.startsWith('$setElementOrder/') || k === '$retainKeys') continue;
    const p = path ? `${path}.${k}` : k;
    if (pv === null) {
      delete out[k];
      continue;
    }
    if (!(k in out)) {
      if (isPlainObject(pv) && pv.$patch === 'delete') continue;
      out[k] = discardNulls(isPlainObject(pv) && pv.$patch === 'replace' ? strategicMerge({}, pv, p) : pv);
      continue;
    }
    const ov = out[k];
    if (isPlainObject(ov) && isPlainObject(pv)) {
      if (pv.$patch === 'delete') { delete out[k]; continue; }
      out[k] = strategicMerge(ov, pv, p);
    } else if (Array.isArray(ov) && Array.isArray(pv) && MERGE_LISTS.has(p)) {
      // apimachinery's mergeSlice for a list of primitives (normalizeElementOrder without
      // $setElementOrder): the patch's items first, in the patch's order, then the original's others
      const both = [...pv, ...ov];
      out[k] = both.filter((x, i) => both.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i);
    } else {
      out[k] = discardNulls(pv);
    }
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Applies `templatePatch` (a Go/fasttemplate template producing YAML or JSON) to an already
 * rendered Application, as Argo CD does: the patch is rendered with the same params and options
 * (`error replacing values in templatePatch: ...` on failure), converted to JSON, and applied as
 * a strategic merge patch of the Application type.
 */
export function applyTemplatePatch(rendered: any, templatePatch: string, params: Record<string, any>, options: RenderOptions): any {
  let text: string;
  try {
    text = replacer(params, options)(templatePatch);
  } catch (e) {
    throw new TemplateError(`error replacing values in templatePatch: ${(e as Error).message}`);
  }
  const patch = toJsonPatch(text);
  if (patch === null) return clone(rendered);
  if (!isPlainObject(patch)) throw new TemplateError(`invalid templatePatch ${goQuote(JSON.stringify(patch))}: not an object`);
  return strategicMerge(clone(rendered) as Record<string, unknown>, patch, '');
}

