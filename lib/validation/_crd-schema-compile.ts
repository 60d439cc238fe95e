// Turning a CRD version's schema into a validating function, and keeping the result on disk.
//
// Measured on the flagship example (`validate --crds ../shared/crds`, 34 objects of 5 CRD kinds),
// CPU time of the CLI's own process before this module: 4.5 s for the whole command, of which
// compiling the ApplicationSet schema with ajv 2.5-2.7 s and about 260 MB of heap (its strict
// schema is 382 KB of JSON: every generator is repeated inside matrix and merge generators, each
// with a full Application template), ClusterSecretStore 0.55 s, Application 0.4-0.6 s,
// ExternalSecret 0.12 s, AppProject 0.03 s; validating the 34 objects took under 2 ms in all.
//
// Two things bring this down, and neither changes a verdict or an error:
// - identical subschemas are compiled once: every repeated JSON subtree becomes one entry of
//   `definitions` reached by `$ref`; ajv compiles each definition to one function (with
//   `inlineRefs: false`) and calls it where the subtree was, with the same instance path, so the
//   errors (message, instance path, parameters, order) are the ones the whole tree gives. The
//   ApplicationSet schema shrinks to 21 KB and compiles in about 0.2 s with about 16 MB.
// - the compiled code (ajv's standalone code generation) is kept in a cache directory as a
//   CommonJS module (`<key>.cjs`), keyed by a hash of the CRD schema, ajv's version and location,
//   the options, the rewriting code and this module's format, so a later run `require`s it
//   instead of compiling: the figures are in README.md ("Validating against CRDs"). The cache is
//   an optimisation only: a directory that cannot be created or written means no cache (the
//   function ajv compiled is used), an entry that does not load is compiled again, and entries
//   are written to a temporary file then renamed, so a reader never sees half an entry.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type Ajv from 'ajv';
import type { Options, ValidateFunction } from 'ajv';

/** The ObjectMeta fields a manifest may carry; the root's `metadata` is checked against them. */
const OBJECT_META_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object' } },
  },
};

/** The ajv options every schema is compiled with (the cache key holds them). */
export const AJV_OPTIONS: Options = { allErrors: true, strict: false, validateFormats: false };

/** Subtrees whose JSON text is shorter than this stay where they are (`{"type":"string"}` is 17). */
const SHARE_AT_LENGTH = 64;

/** Bumped whenever what is written to the cache, or how a schema is rewritten, changes. */
const CACHE_FORMAT = 2;

/** Rewrites a CRD structural schema into a strict JSON schema. */
export function strictSchema(schema: any, root = false): any {
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as any).map(([pk, pv]) => [pk, strictSchema(pv)]));
    } else if (k === 'items' || k === 'additionalProperties' || k === 'not') {
      out[k] = typeof v === 'object' ? strictSchema(v) : v;
    } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      out[k] = (v as any[]).map((s) => strictSchema(s));
    } else if (k === 'description' || k.startsWith('x-kubernetes-') || k === 'default') {
      continue;
    } else {
      out[k] = v;
    }
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (schema.nullable) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    delete out.nullable;
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  if (root) {
    out.properties = { ...out.properties, metadata: OBJECT_META_SCHEMA };
  }
  return out;
}

/** Calls `f` on every subschema directly below `schema` (the keywords `strictSchema` descends into). */
function eachSubschema(schema: any, f: (sub: any) => void): void {
  const visit = (s: any) => {
    if (s !== null && typeof s === 'object' && !Array.isArray(s)) f(s);
  };
  if (schema.properties !== null && typeof schema.properties === 'object') Object.values(schema.properties).forEach(visit);
  visit(schema.items);
  visit(schema.additionalProperties);
  visit(schema.not);
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(schema[k])) schema[k].forEach(visit);
}

/** Copies `schema`, replacing every subschema below it with `replace(subschema)`. */
function mapSubschemas(schema: any, replace: (sub: any) => any): any {
  const isSchema = (s: any) => s !== null && typeof s === 'object' && !Array.isArray(s);
  const out = { ...schema };
  if (schema.properties !== null && typeof schema.properties === 'object') {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, isSchema(v) ? replace(v) : v]));
  }
  for (const k of ['items', 'additionalProperties', 'not']) if (isSchema(schema[k])) out[k] = replace(schema[k]);
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(schema[k])) out[k] = schema[k].map((s: any) => (isSchema(s) ? replace(s) : s));
  return out;
}

// keywords that would make a moved subtree mean something else, or that the rewrite itself uses
const REFERENCE_KEYWORDS = ['$ref', '$id', 'id', '$defs', 'definitions', '$anchor', '$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor', '$schema'];

/**
 * The same schema with every subtree that occurs more than once (and is about SHARE_AT_LENGTH
 * characters of JSON or more) moved to `definitions` and reached by `$ref`. Subtrees are shared
 * only when their JSON text is identical (same keys in the same order), so the copy checks
 * properties in the same order as the original. A schema that already uses references (none of a
 * structural CRD schema does) is returned unchanged.
 */
export function shareIdenticalSubschemas(schema: any): any {
  if (usesReferences(schema)) return schema;
  // Every subschema gets the number of its class of identical subtrees. Its signature is its JSON
  // text with each subschema below replaced by that subschema's number, so that signatures stay
  // short and each node is read once: two subtrees are identical when their signatures are.
  const classOf = new Map<any, number>();
  const classes = new Map<string, number>();
  const size: number[] = [];
  const count: number[] = [];
  const isSchema = (v: any) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const visit = (node: any): number => {
    let weight = 0;
    const ref = (sub: any) => {
      const c = visit(sub);
      weight += size[c];
      return `#${c}`;
    };
    const parts: string[] = [];
    for (const [k, v] of Object.entries(node)) {
      if (v === undefined) continue;
      let t: string;
      if (k === 'properties' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
        t = `{${Object.entries(v).filter(([, x]) => x !== undefined).map(([pk, pv]) => `${JSON.stringify(pk)}:${isSchema(pv) ? ref(pv) : JSON.stringify(pv)}`).join(',')}}`;
      } else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && isSchema(v)) {
        t = ref(v);
      } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) {
        t = `[${v.map((x) => (isSchema(x) ? ref(x) : JSON.stringify(x ?? null))).join(',')}]`;
      } else {
        t = JSON.stringify(v);
      }
      parts.push(`${JSON.stringify(k)}:${t}`);
    }
    const signature = `{${parts.join(',')}}`;
    let c = classes.get(signature);
    if (c === undefined) {
      c = classes.size;
      classes.set(signature, c);
      size.push(weight + signature.length);
      count.push(0);
    }
    count[c]++;
    classOf.set(node, c);
    return c;
  };
  eachSubschema(schema, visit);
  const definitions: Record<string, any> = {};
  const names = new Map<number, string>();
  const rewrite = (node: any): any => {
    const c = classOf.get(node)!;
    if (count[c] < 2 || size[c] < SHARE_AT_LENGTH) return mapSubschemas(node, rewrite);
    let name = names.get(c);
    if (name === undefined) {
      name = `s${names.size}`;
      names.set(c, name);
      definitions[name] = mapSubschemas(node, rewrite);
    }
    return { $ref: `#/definitions/${name}` };
  };
  const root = mapSubschemas(schema, rewrite);
  return names.size === 0 ? schema : { ...root, definitions };
}

/** Whether a keyword of `REFERENCE_KEYWORDS` appears in `schema` or a subschema. */
function usesReferences(schema: any): boolean {
  if (REFERENCE_KEYWORDS.some((k) => k in schema)) return true;
  let found = false;
  eachSubschema(schema, (sub) => {
    found ||= usesReferences(sub);
  });
  return found;
}

/** What a CRD version's schema is compiled from: the strict schema with shared subschemas. */
export function compiledSchema(openApiV3Schema: any): any {
  return shareIdenticalSubschemas(strictSchema(openApiV3Schema, true));
}

/**
 * The cache directory: `node_modules/.cache/cdk8s-argocd/crd-schemas` in the nearest folder at or
 * above `cwd` that has a `node_modules`; otherwise `$XDG_CACHE_HOME/cdk8s-argocd/crd-schemas`, or
 * `~/.cache/cdk8s-argocd/crd-schemas`.
 */
export function defaultCacheDirectory(cwd: string, env: NodeJS.ProcessEnv): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    try {
      if (fs.statSync(path.join(dir, 'node_modules')).isDirectory()) return path.join(dir, 'node_modules', '.cache', 'cdk8s-argocd', 'crd-schemas');
    } catch {
      // no node_modules here: look further up
    }
    if (path.dirname(dir) === dir) break;
  }
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'cdk8s-argocd', 'crd-schemas');
}

/** Compiles schemas to standalone code and loads it, through an optional cache directory. */
export class SchemaCompiler {
  // ajv is loaded when the first schema is compiled, not when the library is: loading it costs
  // about 60 modules that a synthesis without CRD validation never uses
  private ajvInstance?: Ajv;

  /** @param cacheDirectory where compiled schemas are kept; undefined: compile every time */
  constructor(private readonly cacheDirectory: string | undefined) {}

  /** The validating function for a CRD version's `openAPIV3Schema`. */
  public compile(openApiV3Schema: any): ValidateFunction {
    const key = cacheKey(openApiV3Schema);
    const file = this.cacheDirectory === undefined ? undefined : path.join(this.cacheDirectory, `${key}.cjs`);
    if (file !== undefined) {
      const cached = loadEntry(file, key);
      if (cached) return cached;
    }
    const { fn, code } = this.generate(compiledSchema(openApiV3Schema));
    // the entry just written is what a later run loads: the same function either way
    if (file !== undefined && code !== undefined && storeEntry(file, key, code)) return loadEntry(file, key) ?? fn;
    return fn;
  }

  /**
   * The function ajv compiles from `schema`, and its standalone code as a module that requires
   * ajv's runtime helpers by absolute path (undefined when the code requires anything else).
   */
  private generate(schema: any): { fn: ValidateFunction; code?: string } {
    if (!this.ajvInstance) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const AjvClass: typeof Ajv = require('ajv').default;
      this.ajvInstance = new AjvClass({ ...AJV_OPTIONS, inlineRefs: false, code: { source: true } });
    }
    const ajv = this.ajvInstance;
    const fn = ajv.compile(schema);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const standaloneCode: (a: Ajv, f: ValidateFunction) => string = require('ajv/dist/standalone').default;
    const code = withRuntimePaths(standaloneCode(ajv, fn));
    // the instance keeps every schema it compiled (and its source); a validator compiles each kind once
    ajv.removeSchema(schema);
    return { fn, code };
  }
}

const REQUIRE_CALL = /\brequire\(("(?:[^"\\]|\\.)*")\)/g;

/**
 * Standalone code requires ajv's runtime helpers by package name (`require("ajv/dist/runtime/equal")`),
 * which a module in the cache directory would resolve from there, to another ajv or to none: they
 * are required by the absolute path this module resolves them to (part of the cache key). Returns
 * undefined when the code requires anything else.
 */
function withRuntimePaths(code: string): string | undefined {
  let foreign = false;
  const out = code.replace(REQUIRE_CALL, (_, literal: string) => {
    const id: string = JSON.parse(literal);
    if (!id.startsWith('ajv/dist/runtime/')) {
      foreign = true;
      return _;
    }
    return `require(${JSON.stringify(require.resolve(id))})`;
  });
  return foreign ? undefined : out;
}

/** The version and folder of the ajv in use (part of the cache key). */
function ajvVersion(): string {
  const pkg = require.resolve('ajv/package.json');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return `${require(pkg).version} ${path.dirname(pkg)}`;
}

let rewriteFingerprint: string | undefined;

/**
 * What decides how a CRD schema is rewritten before ajv compiles it: the text of the rewriting
 * functions and their constants, so that a change to them is a new key without anyone having to
 * remember to bump CACHE_FORMAT.
 */
function rewriteCode(): string {
  rewriteFingerprint ??= sha256([strictSchema, shareIdenticalSubschemas, usesReferences, eachSubschema, mapSubschemas, compiledSchema].map(String).join('\n')
    + JSON.stringify({ OBJECT_META_SCHEMA, SHARE_AT_LENGTH, REFERENCE_KEYWORDS }));
  return rewriteFingerprint;
}

/**
 * The cache key of a CRD version's schema: a hash of its content, ajv's version and folder (the
 * entry requires its runtime helpers by path), the options, the rewriting code and the entry format. Hashing the schema as the CRD has it (3 ms for the
 * ApplicationSet's) rather than the rewritten one spares a warm run the rewrite (about 70 ms).
 */
function cacheKey(openApiV3Schema: any): string {
  return sha256(JSON.stringify({ format: CACHE_FORMAT, ajv: ajvVersion(), options: AJV_OPTIONS, rewrite: rewriteCode(), schema: openApiV3Schema }));
}

// An entry is `// <key> <sha256 of the code>\n<code>`: a truncated or edited entry does not match.
const HEADER = /^\/\/ ([0-9a-f]{64}) ([0-9a-f]{64})\n/;

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * The function an entry exports, or undefined when the entry is missing, does not match `key` or
 * its hash, or does not load. The module is not kept in the module cache: an entry rewritten since
 * this process last required it is read again.
 */
function loadEntry(file: string, key: string): ValidateFunction | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch {
    return undefined;
  }
  const m = HEADER.exec(text);
  if (!m || m[1] !== key) return undefined;
  if (sha256(text.slice(m[0].length)) !== m[2]) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file);
    const fn = mod?.default ?? mod;
    return typeof fn === 'function' ? fn as ValidateFunction : undefined;
  } catch {
    return undefined;
  } finally {
    // the function is kept by the validator; the module cache need not keep the entry's source
    delete require.cache[file];
  }
}

/** Writes an entry; false when it could not be written. */
function storeEntry(file: string, key: string, code: string): boolean {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, `// ${key} ${sha256(code)}\n${code}`);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    // no cache then (read-only, full or missing folder): the schema was compiled all the same
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do
    }
    return false;
  }
}
