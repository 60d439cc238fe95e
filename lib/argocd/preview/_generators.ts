// ApplicationSet parameter generation as Argo CD's applicationset/generators package does it:
// Transform (generator template merge, interpolation of a matrix's second child, post-selectors),
// list, clusters, git directories and files, matrix, merge, pullRequest and scmProvider, over a
// described outside world instead of a cluster and repo-server. Error messages use Argo CD's wording.
// Internal: not exported from the package.
import * as posixPath from 'path/posix';
import { ValidationError } from '../../errors';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../destination';
import { doublestarMatch } from './_doublestar';
import { gitPathspecMatch } from './_git-pathspec';
import { flattenDot, flattenToStrings, goSprintV, loadGoYaml, sanitizeName, slugMake } from './_go-values';
import { LabelSelectorError, labelSelectorMatches, parseLabelSelector, selectorMatches } from './_label-selector';
import { GoBadPatternError, goPathMatch } from './_path-match';
import { GoRegexp } from '../../_internal/go-regexp';
import { goQuote } from './_go-fmt';

/** A parameter set. */
export type Params = Record<string, any>;

/** The error expansion throws, worded as Argo CD words the same failure. */
export class PreviewError extends ValidationError {
  /**
   * @param message the message, in Argo CD's wording
   */
  constructor(message: string) {
    super(message);
    this.name = 'PreviewError';
  }
}

/** String rendering as Argo CD's `utils.Render` does it (fasttemplate or Go text/template). */
export interface ParamRenderer {
  /**
   * `Render.Replace(tmpl, params, useGoTemplate, goTemplateOptions)`, with the ApplicationSet's
   * goTemplateOptions unless `goTemplateOptions` is given.
   */
  replace(template: string, params: Params, goTemplateOptions?: readonly string[]): string;
}

/** The outside world, normalized. */
export interface WorldInput {
  readonly clusterSecrets?: readonly any[];
  readonly repositories?: { readonly [repoURL: string]: { readonly [path: string]: string } };
  readonly gitFileGlobbing?: string;
  readonly pullRequests?: readonly any[];
  readonly scmRepositories?: readonly any[];
}

/** Everything a generator needs. */
export interface GenContext {
  readonly appSetName: string;
  readonly goTemplate: boolean;
  readonly goTemplateOptions: readonly string[];
  readonly world: WorldInput;
  readonly renderer: ParamRenderer;
}

/** One generator's parameter sets and its merged template. */
export interface TransformResult {
  readonly params: Params[];
  readonly template: any;
}

/** The generator kinds, in the order of Argo CD's ApplicationSetGenerator struct fields. */
export const GENERATOR_KINDS = ['list', 'clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'plugin', 'matrix', 'merge'] as const;
const TERMINAL_KINDS = ['list', 'clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'plugin'];

/** The label that marks an Argo CD cluster Secret (value `cluster`). */
export const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

function relevantKinds(gen: any): string[] {
  if (!isObject(gen)) return [];
  return GENERATOR_KINDS.filter((k) => gen[k] !== undefined && gen[k] !== null);
}

/**
 * Argo CD's `Transform`: for each generator kind set on `gen`, merge its template over
 * `baseTemplate`, interpolate the generator with `genParams` (a matrix's second child), generate
 * the parameter sets and keep those the post-selector accepts.
 */
export function transform(gen: any, baseTemplate: any, genParams: Params, ctx: GenContext): TransformResult[] {
  let requirements;
  try {
    requirements = parseLabelSelector(gen?.selector);
  } catch (e) {
    if (e instanceof LabelSelectorError) throw new PreviewError(`error parsing label selector: ${e.message}`);
    throw e;
  }
  const res: TransformResult[] = [];
  for (const kind of relevantKinds(gen)) {
    const template = mergoMerge(clone(gen[kind]?.template ?? {}), baseTemplate ?? {});
    let interpolated = gen;
    if (Object.keys(genParams).length !== 0) interpolated = interpolateGenerator(gen, genParams, ctx);
    const params = generateParams(kind, interpolated, ctx);
    const filtered = gen.selector !== undefined && gen.selector !== null
      ? params.filter((p) => selectorMatches(requirements, flattenToStrings(p)))
      : params;
    res.push({ params: filtered, template });
  }
  return res;
}

/** The generator kinds whose type has a `Values map[string]string` field (getFilteredGeneratorTypes). */
const VALUES_KINDS = new Set(['clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'plugin']);

function isMissingKeyError(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : '';
  return msg.includes('map has no entry for key') || msg.includes("can't evaluate field");
}

/**
 * `RenderGeneratorParams` (applicationset/utils/utils.go): every string (and map key) of the
 * generator templated with `params`, except the `values` of the generator types that have them:
 * those are pre-resolved, under goTemplate with `missingkey=error` in place of the
 * ApplicationSet's missingkey option, and a value whose key is missing is kept as written, to be
 * resolved later against the generator's own parameters.
 */
export function interpolateGenerator(gen: any, params: Params, ctx: GenContext): any {
  const resolveOptions = ctx.goTemplate
    ? [...ctx.goTemplateOptions.filter((o) => !o.startsWith('missingkey=')), 'missingkey=error']
    : ctx.goTemplateOptions;
  const walk = (v: any): any => {
    if (typeof v === 'string') return ctx.renderer.replace(v, params);
    if (Array.isArray(v)) return v.map(walk);
    if (isObject(v)) {
      const out: Record<string, any> = {};
      for (const [k, x] of Object.entries(v)) {
        if (x === null || x === undefined) continue;
        out[ctx.renderer.replace(k, params)] = walk(x);
      }
      return out;
    }
    return v;
  };
  const preResolve = (values: Record<string, any>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
      const text = String(v);
      try {
        out[k] = ctx.renderer.replace(text, params, resolveOptions);
      } catch (e) {
        if (isMissingKeyError(e)) {
          out[k] = text;
          continue;
        }
        throw new PreviewError(`failed to pre-resolve Values key ${goQuote(k)}: ${(e as Error).message}`);
      }
    }
    return out;
  };
  const walkJson = (v: any): any => {
    try {
      return walk(v);
    } catch (e) {
      if (e instanceof Error) throw new PreviewError(`failed to deeply replace JSON field contents: ${e.message}`);
      throw e;
    }
  };
  const walkKind = (kind: string, g: any): any => {
    if (!isObject(g)) return walk(g);
    const out: Record<string, any> = {};
    for (const [k, x] of Object.entries(g)) {
      if (x === null || x === undefined) continue;
      if (k === 'values' && VALUES_KINDS.has(kind) && isObject(x)) out[k] = preResolve(x);
      else if (k === 'generators' && (kind === 'matrix' || kind === 'merge') && Array.isArray(x)) out[k] = x.map(walkGenerator);
      // ListGenerator.Elements are apiextensionsv1.JSON: rendered through JSON, errors wrapped
      else if (k === 'elements' && kind === 'list' && Array.isArray(x)) out[k] = x.map(walkJson);
      else out[ctx.renderer.replace(k, params)] = walk(x);
    }
    return out;
  };
  const walkGenerator = (g: any): any => {
    if (!isObject(g)) return walk(g);
    const out: Record<string, any> = {};
    for (const [k, x] of Object.entries(g)) {
      if (x === null || x === undefined) continue;
      out[k] = (GENERATOR_KINDS as readonly string[]).includes(k) ? walkKind(k, x) : walk(x);
    }
    return out;
  };
  try {
    return walkGenerator(gen);
  } catch (e) {
    if (e instanceof Error) throw new PreviewError(`failed to replace parameters in generator: ${e.message}`);
    throw e;
  }
}

/**
 * mergo.Merge(dst, src) without override over JSON: src fills what dst leaves empty (missing, null,
 * "", false, 0, empty list or map); objects are merged key by key.
 */
export function mergoMerge(dst: any, src: any): any {
  if (!isObject(dst) || !isObject(src)) return isEmptyValue(dst) ? clone(src) : dst;
  const out: Record<string, any> = { ...dst };
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined || v === null) continue;
    if (isObject(out[k]) && isObject(v)) out[k] = mergoMerge(out[k], v);
    else if (isEmptyValue(out[k])) out[k] = clone(v);
  }
  return out;
}

function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).length === 0;
  return false;
}

/** mergo.Merge(dst, src, WithOverride) over JSON maps: src wins at the leaves, nested maps merge. */
export function mergoOverride(dst: Params, src: Params): Params {
  const out: Params = { ...dst };
  for (const [k, v] of Object.entries(src)) {
    if (isObject(out[k]) && isObject(v) && Object.keys(out[k]).length > 0) out[k] = mergoOverride(out[k], v);
    else out[k] = clone(v);
  }
  return out;
}

function toStringMap(p: Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) out[k] = goSprintV(v);
  return out;
}

/** utils.CombineStringMaps: both printed with %v; a key with two different values is an error. */
export function combineStringMaps(a: Params, b: Params): Params {
  const res: Params = toStringMap(a);
  for (const [k, v] of Object.entries(toStringMap(b))) {
    if (Object.prototype.hasOwnProperty.call(res, k) && res[k] !== v) {
      throw new PreviewError(`found duplicate key ${k} with different value, a: ${res[k]} ,b: ${v}`);
    }
    res[k] = v;
  }
  return res;
}

function generateParams(kind: string, gen: any, ctx: GenContext): Params[] {
  const g = gen[kind];
  switch (kind) {
    case 'list': return listParams(g, ctx);
    case 'clusters': return clusterParams(g, ctx);
    case 'git': return gitParams(g, ctx);
    case 'matrix': return matrixParams(g, ctx);
    case 'merge': return mergeParams(g, ctx);
    case 'pullRequest': return pullRequestParams(g, ctx);
    case 'scmProvider': return scmProviderParams(g, ctx);
    case 'clusterDecisionResource':
      throw new PreviewError('the clusterDecisionResource generator reads a duck-typed resource from the cluster; the preview has no world input for it');
    case 'plugin':
      throw new PreviewError('the plugin generator calls a plugin service; the preview has no world input for it');
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// values

function appendTemplatedValues(values: any, params: Params, ctx: GenContext): void {
  if (!isObject(values) || Object.keys(values).length === 0) return;
  const rendered: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    try {
      rendered[k] = ctx.renderer.replace(String(v), params);
    } catch (e) {
      if (e instanceof Error) throw new PreviewError(`failed to replace templated string: failed to replace templated string with rendered values: ${e.message}`);
      throw e;
    }
  }
  if (ctx.goTemplate) params.values = rendered;
  else for (const [k, v] of Object.entries(rendered)) params[`values.${k}`] = v;
}

// ---------------------------------------------------------------------------------------------
// list

/**
 * The parameter sets that are Go's nil map in Argo CD (a fasttemplate list element with no keys, a
 * null item of elementsYaml): read like an empty map, but writing into one panics.
 */
const NIL_PARAMS = new WeakSet<Params>();

function nilParams(): Params {
  const p: Params = {};
  NIL_PARAMS.add(p);
  return p;
}

/** Argo CD's list generator wraps a nil error here, so its message ends in Go's `%!w(<nil>)`. */
const NOT_A_STRING = 'error parsing value as string %!w(<nil>)';

/**
 * One list element as Argo CD's list generator reads it (applicationset/generators/list.go
 * GenerateParams): under goTemplate the element as it is; under fasttemplate every value must be a
 * string, and so must every member of `values` (flattened to `values.<key>`), or parameter
 * generation fails with `error parsing value as string`.
 */
function processElement(element: any, ctx: GenContext): Params {
  const el: Params = isObject(element) ? clone(element) : {};
  if (ctx.goTemplate) return element === null ? nilParams() : el;
  // the generator assigns its element's parameter set inside the loop over the element's keys: an
  // element with none leaves Go's nil map in its place
  if (Object.keys(el).length === 0) return nilParams();
  const params: Params = {};
  for (const [key, value] of Object.entries(el)) {
    if (key === 'values') {
      if (!isObject(value)) throw new PreviewError('error parsing values map');
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw new PreviewError(NOT_A_STRING);
        params[`values.${k}`] = v;
      }
    } else {
      if (typeof value !== 'string') throw new PreviewError(NOT_A_STRING);
      params[key] = value;
    }
  }
  return params;
}

function listParams(g: any, ctx: GenContext): Params[] {
  const res: Params[] = [];
  for (const element of g.elements ?? []) {
    if (element !== null && !isObject(element)) {
      throw new PreviewError(`error unmarshling list element json: cannot unmarshal ${Array.isArray(element) ? 'array' : typeof element} into Go value of type map[string]interface {}`);
    }
    res.push(processElement(element, ctx));
  }
  if (typeof g.elementsYaml === 'string' && g.elementsYaml !== '') {
    let parsed: unknown;
    try {
      parsed = loadGoYaml(g.elementsYaml);
    } catch (e) {
      throw new PreviewError(`error unmarshling decoded ElementsYaml ${(e as Error).message}`);
    }
    const decoding = 'error unmarshling decoded ElementsYaml error unmarshaling JSON: while decoding JSON: json: cannot unmarshal';
    if (parsed !== null && !Array.isArray(parsed)) throw new PreviewError(`${decoding} ${goJsonKind(parsed)} into Go value of type []map[string]interface {}`);
    const item = Array.isArray(parsed) ? parsed.find((x) => x !== null && !isObject(x)) : undefined;
    if (item !== undefined) throw new PreviewError(`${decoding} ${goJsonKind(item)} into Go value of type map[string]interface {}`);
    // elementsYaml items are appended as parsed, in either template mode (no string check)
    for (const element of (parsed as any[] | null) ?? []) res.push(isObject(element) ? clone(element) : nilParams());
  }
  return res;
}

// ---------------------------------------------------------------------------------------------
// clusters

interface ClusterSecret {
  readonly name: string;
  readonly server: string;
  readonly project?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** A cluster Secret's name, server, project, labels and annotations (data decoded, stringData as is). */
export function decodeClusterSecret(secret: any): ClusterSecret {
  return decodeSecret(secret);
}

function decodeSecret(secret: any): ClusterSecret {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret?.data ?? {})) data[k] = Buffer.from(String(v), 'base64').toString('utf8');
  for (const [k, v] of Object.entries(secret?.stringData ?? {})) data[k] = String(v);
  return {
    name: data.name ?? '',
    server: data.server ?? '',
    project: data.project,
    labels: { ...(secret?.metadata?.labels ?? {}) },
    annotations: { ...(secret?.metadata?.annotations ?? {}) },
  };
}

function clusterParams(g: any, ctx: GenContext): Params[] {
  const selector = g.selector ?? {};
  const ignoreLocal = (selector.matchExpressions ?? []).length > 0 || Object.keys(selector.matchLabels ?? {}).length > 0;
  let requirements;
  try {
    requirements = parseLabelSelector({
      matchLabels: { ...(selector.matchLabels ?? {}), [SECRET_TYPE_LABEL]: 'cluster' },
      matchExpressions: selector.matchExpressions ?? [],
    });
  } catch (e) {
    throw new PreviewError(`error getting cluster secrets: error converting label selector: ${(e as Error).message}`);
  }
  // secrets keyed by their cluster name, the last one of a name wins
  const byName = new Map<string, ClusterSecret>();
  for (const secret of ctx.world.clusterSecrets ?? []) {
    if (!selectorMatches(requirements, secret?.metadata?.labels ?? {})) continue;
    const decoded = decodeSecret(secret);
    byName.delete(decoded.name);
    byName.set(decoded.name, decoded);
  }
  // Argo CD ranges over a map of secrets by name (an unspecified order; here: by name), then
  // appends the in-cluster cluster last
  const secrets = [...byName.values()].sort((x, y) => compareBytes(x.name, y.name));
  const all: Params[] = [];
  for (const s of secrets) {
    const params: Params = { name: s.name, nameNormalized: sanitizeName(s.name), server: s.server, project: s.project ?? '' };
    if (ctx.goTemplate) {
      const meta: Params = {};
      if (Object.keys(s.annotations).length > 0) meta.annotations = s.annotations;
      if (Object.keys(s.labels).length > 0) meta.labels = s.labels;
      params.metadata = meta;
    } else {
      for (const [k, v] of Object.entries(s.annotations)) params[`metadata.annotations.${k}`] = v;
      for (const [k, v] of Object.entries(s.labels)) params[`metadata.labels.${k}`] = v;
    }
    wrapValues(() => appendTemplatedValues(g.values, params, ctx), 'error appending templated values for cluster');
    all.push(params);
  }
  if (!ignoreLocal && !secrets.some((s) => s.server === IN_CLUSTER_SERVER)) {
    const params: Params = { name: IN_CLUSTER_NAME, nameNormalized: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER, project: '' };
    wrapValues(() => appendTemplatedValues(g.values, params, ctx), 'error appending templated values for local cluster');
    all.push(params);
  }
  return g.flatList ? [{ clusters: all }] : all;
}

function wrapValues(fn: () => void, prefix: string): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) throw new PreviewError(`${prefix}: ${e.message}`);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// git

function repoFiles(repoURL: string, ctx: GenContext, what: string): { readonly [path: string]: string } {
  const files = ctx.world.repositories?.[repoURL];
  if (files === undefined) {
    throw new PreviewError(`${what}: repository ${repoURL} is not described in the preview world; add its files to world.repositories`);
  }
  return files;
}

/** The repository's directories as the repo-server lists them: walk order, hidden ones skipped. */
export function listDirectories(files: { readonly [path: string]: string }): string[] {
  const tree = new Map<string, Set<string>>();
  const add = (dir: string, child: string) => {
    if (!tree.has(dir)) tree.set(dir, new Set());
    tree.get(dir)!.add(child);
  };
  for (const file of Object.keys(files)) {
    const parts = normalizePath(file).split('/');
    for (let i = 0; i < parts.length - 1; i++) add(parts.slice(0, i).join('/'), parts[i]);
  }
  const out: string[] = [];
  const walk = (dir: string) => {
    const children = [...(tree.get(dir) ?? [])].sort(compareBytes);
    for (const child of children) {
      if (child.startsWith('.')) continue;
      const rel = dir === '' ? child : `${dir}/${child}`;
      if (!tree.has(rel) && !hasFilesUnder(files, rel)) continue;
      out.push(rel);
      walk(rel);
    }
  };
  walk('');
  return out;
}

function hasFilesUnder(files: { readonly [path: string]: string }, dir: string): boolean {
  return Object.keys(files).some((f) => normalizePath(f).startsWith(`${dir}/`));
}

function normalizePath(p: string): string {
  return p.replace(/^\.\//, '').replace(/^\/+/, '');
}

function compareBytes(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

/** The directories of `allPaths` the git directories generator entries `directories` select (excludes applied). */
export function filterApps(directories: any[], allPaths: string[]): string[] {
  const res: string[] = [];
  for (const appPath of allPaths) {
    let include = false;
    let exclude = false;
    for (const requested of directories) {
      let match: boolean;
      try {
        match = goPathMatch(String(requested?.path ?? ''), appPath);
      } catch (e) {
        if (e instanceof GoBadPatternError) continue; // Argo CD logs the error and skips the pattern
        throw e;
      }
      if (match && !requested.exclude) include = true;
      if (match && requested.exclude) exclude = true;
    }
    if (include && !exclude) res.push(appPath);
  }
  return res;
}

function gitParams(g: any, ctx: GenContext): Params[] {
  if (Array.isArray(g.directories) && g.directories.length > 0) return wrap(() => gitDirectoryParams(g, ctx), 'error generating params from git');
  if (Array.isArray(g.files) && g.files.length > 0) return wrap(() => gitFileParams(g, ctx), 'error generating params from git');
  throw new PreviewError('ApplicationSet is empty');
}

function gitDirectoryParams(g: any, ctx: GenContext): Params[] {
  const files = repoFiles(g.repoURL, ctx, 'error getting directories from repo');
  const apps = filterApps(g.directories, listDirectories(files));
  const prefix: string = g.pathParamPrefix ?? '';
  return apps.map((a) => {
    const params: Params = {};
    if (ctx.goTemplate) {
      const p = { path: a, basename: posixPath.basename(a), basenameNormalized: sanitizeName(posixPath.basename(a)), segments: a.split('/') };
      if (prefix !== '') params[prefix] = { path: p };
      else params.path = p;
    } else {
      const name = prefix !== '' ? `${prefix}.path` : 'path';
      params[name] = a;
      params[`${name}.basename`] = posixPath.basename(a);
      params[`${name}.basenameNormalized`] = sanitizeName(posixPath.basename(a));
      a.split('/').forEach((v, k) => {
        if (v !== '') params[`${name}[${k}]`] = v;
      });
    }
    wrapValues(() => appendTemplatedValues(g.values, params, ctx), 'error generating params from apps: failed to append templated values');
    return params;
  });
}

function goPathDir(p: string): string {
  const d = posixPath.dirname(p);
  return d === '' ? '.' : d;
}

function goPathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  const i = trimmed.lastIndexOf('/');
  return i >= 0 ? trimmed.slice(i + 1) : trimmed;
}

function selectFiles(pattern: string, files: { readonly [path: string]: string }, ctx: GenContext, repoURL: string, revision: string): string[] {
  const paths = Object.keys(files).map(normalizePath);
  if ((ctx.world.gitFileGlobbing ?? 'legacy') === 'doublestar') {
    const cleaned = posixPath.normalize(pattern === '' ? '.' : pattern).replace(/\/+$/, '') || '.';
    const dirs = new Set<string>();
    for (const p of paths) {
      const parts = p.split('/');
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    }
    const matched: string[] = [];
    try {
      for (const d of [...dirs].sort(compareBytes)) {
        if (doublestarMatch(cleaned, d)) {
          throw new PreviewError(`rpc error: code = Internal desc = unable to read files. repo ${repoURL} with revision ${revision} pattern ${pattern}: read ${d}: is a directory`);
        }
      }
      for (const p of paths) if (doublestarMatch(cleaned, p)) matched.push(p);
    } catch (e) {
      if (e instanceof PreviewError) throw e;
      throw new PreviewError(`rpc error: code = Internal desc = unable to list files. repo ${repoURL} with revision ${revision} pattern ${pattern}: syntax error in pattern`);
    }
    return matched;
  }
  if (pattern.startsWith(':')) {
    throw new PreviewError(`git files pattern ${JSON.stringify(pattern)} uses pathspec magic (a pattern starting with ':', such as ':(glob)...' or ':!...'): Argo CD's repo-server passes it to git ls-files, which applies the magic, but the offline preview does not model it; write the pattern without magic`);
  }
  return paths.filter((p) => gitPathspecMatch(pattern, p));
}

function gitFileParams(g: any, ctx: GenContext): Params[] {
  const files = repoFiles(g.repoURL, ctx, 'error retrieving Git files');
  const byPath = new Map<string, string>();
  for (const [k, v] of Object.entries(files)) byPath.set(normalizePath(k), v);
  const includes = g.files.filter((f: any) => !f?.exclude).map((f: any) => String(f?.path ?? ''));
  const excludes = g.files.filter((f: any) => f?.exclude).map((f: any) => String(f?.path ?? ''));
  const selected = new Set<string>();
  for (const p of includes) for (const f of selectFiles(p, files, ctx, g.repoURL, g.revision ?? '')) selected.add(f);
  for (const p of excludes) for (const f of selectFiles(p, files, ctx, g.repoURL, g.revision ?? '')) selected.delete(f);
  const sorted = [...selected].sort(compareBytes);
  const all: Params[] = [];
  for (const filePath of sorted) {
    try {
      all.push(...paramsFromGitFile(filePath, byPath.get(filePath) ?? '', g, ctx));
    } catch (e) {
      if (e instanceof PreviewError) throw new PreviewError(`unable to process file '${filePath}' from repository '${g.repoURL}': ${e.message}`);
      throw e;
    }
  }
  return all;
}

function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : 'object';
}

const UNMARSHAL = 'unable to parse file: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal';

/**
 * A git file's parameter objects as Argo CD's generateParamsFromGitFile reads them: a map (an
 * empty or null file counts as an empty map) is one object; otherwise the file must be a list of
 * maps, one object per item (an empty list gives none, a null item an empty object).
 */
function parseGitFile(content: string): Params[] {
  let doc: unknown;
  try {
    doc = loadGoYaml(firstDocument(content));
  } catch (e) {
    throw new PreviewError(`unable to parse file: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return [{}];
  if (isObject(doc)) return [doc];
  if (Array.isArray(doc)) {
    const bad = doc.find((x) => x !== null && !isObject(x));
    if (bad !== undefined) throw new PreviewError(`${UNMARSHAL} ${goJsonKind(bad)} into Go value of type map[string]interface {}`);
    return doc.map((x) => (x === null ? {} : (x as Params)));
  }
  throw new PreviewError(`${UNMARSHAL} ${goJsonKind(doc)} into Go value of type []map[string]interface {}`);
}

function firstDocument(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let started = false;
  for (const line of lines) {
    if (/^---(\s|$)/.test(line)) {
      if (started) break;
      started = true;
      continue;
    }
    if (/^\.\.\.(\s|$)/.test(line)) break;
    if (line.trim() !== '' && !line.trim().startsWith('#')) started = true;
    out.push(line);
  }
  return out.join('\n');
}

function paramsFromGitFile(filePath: string, content: string, g: any, ctx: GenContext): Params[] {
  const prefix: string = g.pathParamPrefix ?? '';
  return parseGitFile(content).map((obj) => {
    const params: Params = {};
    const dir = goPathDir(filePath);
    if (ctx.goTemplate) {
      Object.assign(params, clone(obj));
      const p = {
        path: dir,
        basename: goPathBase(dir),
        filename: goPathBase(filePath),
        basenameNormalized: sanitizeName(goPathBase(dir)),
        filenameNormalized: sanitizeName(goPathBase(filePath)),
        segments: dir.split('/'),
      };
      if (prefix !== '') params[prefix] = { path: p };
      else params.path = p;
    } else {
      for (const [k, v] of Object.entries(flattenDot(obj))) params[k] = goSprintV(v);
      const name = prefix !== '' ? `${prefix}.path` : 'path';
      params[name] = dir;
      params[`${name}.basename`] = goPathBase(dir);
      params[`${name}.filename`] = goPathBase(filePath);
      params[`${name}.basenameNormalized`] = sanitizeName(goPathBase(dir));
      params[`${name}.filenameNormalized`] = sanitizeName(goPathBase(filePath));
      dir.split('/').forEach((v, k) => {
        if (v !== '') params[`${name}[${k}]`] = v;
      });
    }
    try {
      appendTemplatedValues(g.values, params, ctx);
    } catch (e) {
      throw new PreviewError(`failed to append templated values: ${(e as Error).message}`);
    }
    return params;
  });
}

// ---------------------------------------------------------------------------------------------
// matrix and merge

/** A nested generator as Argo CD decodes it: a nested matrix/merge's own children lose matrix and merge. */
function nestedToGenerator(child: any, terminal: boolean): any {
  if (!isObject(child)) return {};
  const out: Params = {};
  for (const k of terminal ? TERMINAL_KINDS : GENERATOR_KINDS) if (child[k] !== undefined && child[k] !== null) out[k] = child[k];
  if (child.selector !== undefined && child.selector !== null) out.selector = child.selector;
  if (!terminal) {
    for (const k of ['matrix', 'merge']) {
      if (isObject(out[k])) {
        out[k] = { ...out[k], generators: (out[k].generators ?? []).map((c: any) => nestedToGenerator(c, true)) };
      }
    }
  }
  return out;
}

function combineMatrixParams(preferred: Params, fallback: Params | undefined, ctx: GenContext): Params {
  if (ctx.goTemplate) {
    let tmp: Params = {};
    if (fallback && Object.keys(fallback).length > 0) tmp = mergoOverride(tmp, fallback);
    if (Object.keys(preferred).length > 0) tmp = mergoOverride(tmp, preferred);
    return tmp;
  }
  return combineStringMaps(preferred, fallback ?? {});
}

/** MatrixGenerator.GenerateParams: the second child rendered with each parameter set of the first. */
function matrixParams(g: any, ctx: GenContext): Params[] {
  const children: any[] = g?.generators ?? [];
  if (children.length < 2) throw new PreviewError('found less than two generators, Matrix support only two');
  if (children.length > 2) throw new PreviewError('found more than two generators, Matrix support only two');
  const res: Params[] = [];
  const g0 = wrap(() => matrixChildParams(children[0], {}, ctx), 'error failed to get params for first generator in matrix generator');
  for (const a of g0) {
    const g1 = wrap(() => matrixChildParams(children[1], a, ctx), 'failed to get params for second generator in the matrix generator');
    for (const b of g1) {
      res.push(ctx.goTemplate
        ? combineMatrixParams(a, b, ctx)
        : wrap(() => combineStringMaps(a, b), 'failed to combine string maps with merging params for the matrix generator'));
    }
  }
  return res;
}

function wrap<T>(fn: () => T, prefix: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && ValidationError.isValidationError(e)) throw new PreviewError(`${prefix}: ${e.message}`);
    throw e;
  }
}

/**
 * MatrixGenerator.getParams: the child (a nested matrix or merge included) goes through Transform,
 * which renders it with `params` (RenderGeneratorParams) and applies its selector.
 */
function matrixChildParams(child: any, params: Params, ctx: GenContext): Params[] {
  const gen = nestedToGenerator(child, false);
  const t = wrap(() => transform(gen, {}, params, ctx), 'child generator returned an error on parameter generation');
  if (t.length === 0) throw new PreviewError('child generator generated no parameters');
  if (t.length > 1) throw new PreviewError('found more than one generator in matrix.Generators');
  return t[0].params;
}

function mergeChildParams(child: any, ctx: GenContext): Params[] {
  const gen = nestedToGenerator(child, false);
  const t = wrap(() => transform(gen, {}, {}, ctx), 'child generator returned an error on parameter generation');
  if (t.length === 0) throw new PreviewError('child generator generated no parameters');
  if (t.length > 1) throw new PreviewError('found more than one generator in matrix.Generators');
  return t[0].params;
}

/** Go's json.Marshal of the merge-key map (keys sorted, missing keys null). */
function mergeKeyOf(mergeKeys: readonly string[], p: Params): string {
  const keys = [...new Set(mergeKeys)].sort(compareBytes);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(p[k] ?? null)}`).join(',')}}`;
}

function paramSetsByMergeKey(mergeKeys: readonly string[], sets: Params[]): Map<string, Params> {
  if (mergeKeys.length < 1) throw new PreviewError('error getting param sets by merge key: no merge keys were specified, Merge requires at least one');
  const out = new Map<string, Params>();
  for (const p of sets) {
    const key = mergeKeyOf(mergeKeys, p);
    if (out.has(key)) {
      throw new PreviewError(`error getting param sets by merge key: the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was ${key}`);
    }
    out.set(key, p);
  }
  return out;
}

/** The runtime error Go raises writing into a nil map, which Argo CD's Reconcile recovers and returns. */
const NIL_MAP_PANIC = 'assignment to entry in nil map';
const NIL_MAP_PANIC_EXPLAINED = "(Argo CD's ApplicationSet controller panics here, recovers, and fails the reconcile with this error, "
  + 'generating and changing no Application, then retries: a merge generator\'s first generator yields a parameter set with no keys '
  + '(a fasttemplate list element written {}, or a null elementsYaml item), which Argo CD keeps as a nil map, and a later generator\'s '
  + 'parameter set with the same merge key is copied into it; give the element a key, such as the merge key)';

function mergeParams(g: any, ctx: GenContext): Params[] {
  const children: any[] = g?.generators ?? [];
  if (children.length < 2) throw new PreviewError('found less than two generators, Merge requires two or more');
  const sets: Params[][] = [];
  children.forEach((child, i) => {
    sets.push(wrap(() => wrap(() => mergeChildParams(child, ctx), `error getting params from generator ${i + 1} of ${children.length}`), 'error getting param sets from generators'));
  });
  const mergeKeys: string[] = (g.mergeKeys ?? []).map(String);
  const base = paramSetsByMergeKey(mergeKeys, sets[0]);
  for (const other of sets.slice(1)) {
    const byKey = paramSetsByMergeKey(mergeKeys, other);
    for (const [key, baseSet] of base) {
      const override = byKey.get(key);
      if (override === undefined) continue;
      if (ctx.goTemplate) {
        // mergo makes a map of a nil one before it writes
        base.set(key, mergoOverride(baseSet, override));
        continue;
      }
      // maps.Copy writes the override's entries into the base set itself
      if (Object.keys(override).length === 0) continue;
      if (NIL_PARAMS.has(baseSet)) throw new PreviewError(`${NIL_MAP_PANIC} ${NIL_MAP_PANIC_EXPLAINED}`);
      base.set(key, { ...baseSet, ...override });
    }
  }
  return [...base.values()];
}

// ---------------------------------------------------------------------------------------------
// pullRequest and scmProvider

function goRegexp(pattern: string, field: string): GoRegexp {
  try {
    return GoRegexp.compile(pattern);
  } catch (e) {
    throw new PreviewError(`error listing repos: error compiling ${field} regexp ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

function pullRequestParams(g: any, ctx: GenContext): Params[] {
  const pulls = ctx.world.pullRequests;
  if (pulls === undefined) {
    throw new PreviewError('the pullRequest generator lists pull requests from the SCM provider; describe them in world.pullRequests to preview it');
  }
  const filters: any[] = g.filters ?? [];
  const selected = pulls.filter((pr) => filters.length === 0 || filters.some((f) => {
    if (f?.branchMatch && !goRegexp(f.branchMatch, 'branchMatch').test(pr.branch ?? '')) return false;
    if (f?.targetBranchMatch && !goRegexp(f.targetBranchMatch, 'targetBranchMatch').test(pr.targetBranch ?? '')) return false;
    if (f?.titleMatch && !goRegexp(f.titleMatch, 'titleMatch').test(pr.title ?? '')) return false;
    return true;
  }));
  return selected.map((pr) => {
    const sha = String(pr.headSha ?? '');
    const params: Params = {
      number: String(pr.number),
      title: pr.title ?? '',
      branch: pr.branch ?? '',
      branch_slug: slugMake(pr.branch ?? ''),
      target_branch: pr.targetBranch ?? '',
      target_branch_slug: slugMake(pr.targetBranch ?? ''),
      head_sha: sha,
      head_short_sha: sha.slice(0, 8),
      head_short_sha_7: sha.slice(0, 7),
      author: pr.author ?? '',
    };
    // a pull request the world gives without labels has Go's nil slice (GitHub's provider collects
    // label names into a nil slice): toYaml writes `null`, toJson `null`
    if (ctx.goTemplate) params.labels = pr.labels === undefined || pr.labels === null ? null : [...pr.labels];
    wrapValues(() => appendTemplatedValues(g.values, params, ctx), 'failed to append templated values');
    return params;
  });
}

function scmProviderParams(g: any, ctx: GenContext): Params[] {
  const repos = ctx.world.scmRepositories;
  if (repos === undefined) {
    throw new PreviewError('the scmProvider generator lists repositories from the SCM provider; describe them in world.scmRepositories to preview it');
  }
  const filters: any[] = g.filters ?? [];
  const selected = repos.filter((r) => filters.length === 0 || filters.some((f) => {
    if (f?.repositoryMatch && !goRegexp(f.repositoryMatch, 'repositoryMatch').test(r.repository ?? '')) return false;
    if (f?.branchMatch && !goRegexp(f.branchMatch, 'branchMatch').test(r.branch ?? '')) return false;
    if (f?.labelMatch) {
      const re = goRegexp(f.labelMatch, 'labelMatch');
      if (!(r.labels ?? []).some((l: string) => re.test(l))) return false;
    }
    return true;
  }));
  return selected.map((r) => {
    const sha = String(r.sha ?? '');
    const params: Params = {
      organization: r.organization ?? '',
      repository: r.repository ?? '',
      // nil when the provider gives no id: fasttemplate then leaves {{repository_id}} as written
      repository_id: r.repositoryId ?? null,
      url: r.url ?? '',
      branch: r.branch ?? '',
      sha,
      short_sha: sha.slice(0, 8),
      short_sha_7: sha.slice(0, 7),
      labels: (r.labels ?? []).join(','),
      branchNormalized: sanitizeName(r.branch ?? ''),
    };
    wrapValues(() => appendTemplatedValues(g.values, params, ctx), 'failed to append templated values');
    return params;
  });
}

export { labelSelectorMatches };
