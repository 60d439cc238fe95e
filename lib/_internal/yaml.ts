// YAML output and input for manifests.
//
// Kubernetes and Argo CD read YAML with sigs.k8s.io/yaml, whose scalars are resolved by go-yaml v2
// (go.yaml.in/yaml/v2 resolve.go): a plain `yes`, `on`, `0X1F`, `+_1`, `0_x10` or `1e1_0` is not a
// string there, and a typed decode of such a label, annotation or Helm parameter then fails. js-yaml
// already quotes the YAML 1.1 booleans and the numbers its own schema knows; the extra implicit type
// below teaches its dumper the rest: every plain scalar go-yaml v2 resolves to something else than
// a string (`goResolvesNonString`, written from its resolve()), and the remaining YAML 1.1 forms
// other readers know (sexagesimal numbers, `=`), so that every string stays a string for every
// reader. It is never used to load: it only makes the dumper quote. Quoting more than needed is
// harmless; quoting less is the bug this guards against.
import * as jsyaml from 'js-yaml';

// The YAML 1.1 forms js-yaml's own schema does not quote. Exported for the property test that
// holds `isYaml11Implicit` to them.
export const YAML11_FORMS: readonly RegExp[] = [
  /^[-+]?(0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+|0o[0-7_]+)$/,
  /^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$/,
  /^[-+]?[0-9._]*[eE][-+]?[0-9]+$/,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/,
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$/,
  /^\d{4}-\d\d?-\d\d?([Tt]|\s+|$)/,
];
const BOOL_OR_NULL = YAML11_FORMS[5];

// go-yaml v2's resolve() for a plain scalar starting with a digit or a sign, after it removed every
// `_`: strconv.ParseInt/ParseUint with base 0 (sign, then 0x/0X, 0b/0B, 0o/0O, a leading 0 for
// octal, or decimal; taken whatever the range, which only over-quotes), its yamlStyleFloat, and its
// own `0b`/`-0b` retry with strconv base 2 (which takes a sign after the prefix: `0b-1` is -1).
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_BINARY = /^(0b[-+]?|-0b)[01]+$/;
// its resolveMap: the scalars it looks up whole (the first character must be in its hint table)
const GO_WORDS = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF',
  '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);

/**
 * Whether go-yaml v2 (the reader behind sigs.k8s.io/yaml, which Argo CD and kubectl use) resolves
 * the plain scalar `data` to something else than the string `data`: a bool, null, an int, a float
 * or a timestamp. Follows go.yaml.in/yaml/v2 resolve.go: the first character picks the hint
 * (`+-0-9`, `.`, `yYnNtTfFoO~`; anything else is a string), then the whole-word table, then for
 * digits and signs a timestamp (`YYYY-M-D...`), and the numbers of `GO_INT`, `GO_FLOAT` and
 * `GO_BINARY` with every underscore removed; for `.`, a float (strconv.ParseFloat; its underscore
 * rules are not checked, which only over-quotes).
 */
export function goResolvesNonString(data: string): boolean {
  if (data.length === 0) return true;
  const c = data.charCodeAt(0);
  const digitOrSign = (c >= 48 && c <= 57) || c === 43 || c === 45;
  if (digitOrSign || c === 46) {
    if (GO_WORDS.has(data)) return true;
    const plain = data.includes('_') ? data.replace(/_/g, '') : data;
    if (c === 46) return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(plain);
    return YAML11_FORMS[6].test(data) || GO_INT.test(plain) || GO_FLOAT.test(plain) || GO_BINARY.test(plain);
  }
  return GO_WORDS.has(data);
}

/**
 * Whether a YAML reader may take the plain scalar `data` for something other than a string: go-yaml
 * v2's resolution (`goResolvesNonString`) or a YAML 1.1 form js-yaml's schema leaves out. The
 * dumper asks this of every string it writes (keys included), so the first character decides
 * first: every form starts with a digit, a sign, a dot, `_`, `e` or `E` (an exponent after
 * underscores or without mantissa), one of `yYnNoOtTfF~`, or is `<<`, `=` or empty.
 */
export function isYaml11Implicit(data: string): boolean {
  if (data.length === 0) return true;
  const c = data.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) { // 0-9 + - .
    for (let i = 0; i < YAML11_FORMS.length; i++) if (i !== 5 && YAML11_FORMS[i].test(data)) return true;
    return goResolvesNonString(data);
  }
  switch (c) {
    case 121: case 89: case 110: case 78: case 111: case 79: case 116: case 84: case 102: case 70: case 126: // yYnNoOtTfF~
      return data.length <= 5 && BOOL_OR_NULL.test(data);
    case 101: case 69: case 95: // e E _ (an exponent after underscores or nothing)
      return YAML11_FORMS[2].test(data);
    case 60: // <
      return data === '<<';
    case 61: // =
      return data === '=';
    default:
      return false;
  }
}

const YAML11_EXTRAS = new jsyaml.Type('tag:yaml.org,2002:yaml11-number', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && isYaml11Implicit(data),
  construct: (data: string) => data,
});

const DUMP_SCHEMA = jsyaml.DEFAULT_SCHEMA.extend({ implicit: [YAML11_EXTRAS] });

// Block scalars are ambiguous across readers when a line holds only spaces or ends in spaces
// (readers disagree on whether such lines are content or chomped). Those strings are written as
// JSON double-quoted scalars instead, which every YAML reader reads the same way. So are strings
// holding NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR: js-yaml writes them raw, and go-yaml v2 (a
// YAML 1.1 reader) takes them for line breaks and folds them into spaces; they are escaped.
const MARK = '__cdk8s_argocd_quoted_';
const YAML11_BREAKS = /[\u0085\u2028\u2029]/;

function needsQuotes(s: string): boolean {
  if (YAML11_BREAKS.test(s)) return true;
  if (!s.includes('\n')) return false;
  return /[ \t]\n|[ \t]$|\n[ \t]+(\n|$)|^[ \t]/.test(s);
}

/**
 * A JSON string (a YAML double-quoted scalar) with escaped, beyond what JSON escapes, the
 * characters go-yaml v2 refuses raw ("control characters are not allowed": DEL, the C1 controls,
 * BOM, U+FFFE, U+FFFF) and the YAML 1.1 line breaks it would fold (NEL, U+2028, U+2029).
 */
function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function protect(value: unknown, saved: string[]): unknown {
  if (typeof value === 'string') {
    if (!needsQuotes(value)) return value;
    saved.push(value);
    return `${MARK}${saved.length - 1}__`;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v === null || (typeof v !== 'object' && typeof v !== 'string')) continue;
      const p = protect(v, saved);
      if (p !== v) (out ??= [...value])[i] = p;
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    const v = obj[k];
    if (v === null || (typeof v !== 'object' && typeof v !== 'string')) continue;
    const p = protect(v, saved);
    if (p !== v) (out ??= { ...obj })[k] = p;
  }
  return out ?? value;
}

/** Serializes one document (no leading `---`). Keys are written in the order given. */
export function dumpYaml(doc: unknown): string {
  const saved: string[] = [];
  const text = jsyaml.dump(protect(doc, saved), { schema: DUMP_SCHEMA, lineWidth: -1, noRefs: true, sortKeys: false });
  if (saved.length === 0) return text;
  return text.replace(new RegExp(`${MARK}(\\d+)__`, 'g'), (_, i) => doubleQuoted(saved[Number(i)]));
}

/** Serializes documents separated by `---` lines. */
export function dumpYamlDocuments(docs: readonly unknown[]): string {
  return docs.map(dumpYaml).join('---\n');
}

/**
 * The most bytes of YAML text one load reads. The largest upstream CRD (Argo CD's ApplicationSet)
 * is 1.4 MB; a committed file or a pull request's YAML larger than this is refused unread.
 */
export const YAML_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The most nodes (mappings, sequences and scalars) that aliases may add to one document beyond
 * the nodes written in it. js-yaml resolves an alias to the anchored value itself, so loading is
 * linear in the text; but every reader that walks or copies the result walks each alias as often
 * as it is used, and nine nested levels of ten aliases (a "billion laughs") are a billion nodes.
 */
export const YAML_MAX_ALIAS_NODES = 1_000_000;

/** Options of `loadYaml` and `loadYamlDocuments`. */
export interface LoadYamlOptions {
  /** Named in errors: the file the text was read from. */
  readonly source?: string;
  /** The js-yaml schema (js-yaml's default schema when absent). */
  readonly schema?: jsyaml.Schema;
}

/**
 * Thrown when YAML text is larger than `YAML_MAX_BYTES`, or a document's aliases would expand it
 * by more than `YAML_MAX_ALIAS_NODES` nodes.
 */
export class YamlLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlLimitError';
  }
}

/**
 * Parses every document of a YAML stream (empty documents dropped), refusing text larger than
 * `YAML_MAX_BYTES` before parsing and a document whose aliases expand it by more than
 * `YAML_MAX_ALIAS_NODES` nodes before anyone walks it. Every reader of YAML that a user (or a pull
 * request) wrote goes through here or `loadYaml`.
 */
export function loadYamlDocuments(text: string, options: LoadYamlOptions = {}): any[] {
  checkYamlSize(text, options.source);
  const docs = jsyaml.loadAll(text, undefined, options.schema ? { schema: options.schema } : undefined);
  const mayAlias = text.includes('*');
  const out: any[] = [];
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    if (d === null || d === undefined) continue;
    if (mayAlias) checkAliasExpansion(d, text.length, options.source, i + 1);
    out.push(d);
  }
  return out;
}

/** Parses one YAML document, with the bounds of `loadYamlDocuments`. */
export function loadYaml(text: string, options: LoadYamlOptions = {}): unknown {
  checkYamlSize(text, options.source);
  const doc = jsyaml.load(text, options.schema ? { schema: options.schema } : undefined);
  if (text.includes('*')) checkAliasExpansion(doc, text.length, options.source, 1);
  return doc;
}

function where(source: string | undefined, doc?: number): string {
  const s = source === undefined ? 'YAML' : source;
  return doc === undefined ? s : `${s}, document ${doc}`;
}

function checkYamlSize(text: string, source: string | undefined): void {
  // a UTF-16 length above the limit may still be few enough bytes; count them only then
  if (text.length * 3 <= YAML_MAX_BYTES) return;
  const bytes = Buffer.byteLength(text, 'utf-8');
  if (bytes > YAML_MAX_BYTES) {
    throw new YamlLimitError(`${where(source)}: ${bytes} bytes of YAML, more than the limit of ${YAML_MAX_BYTES} bytes one file may have; refused unread`);
  }
}

/**
 * Counts the nodes of `doc` as a reader walking it would meet them (an aliased value once for every
 * use) without walking any value twice, and throws as soon as there are more than the text could
 * hold without aliases (one a character) plus `YAML_MAX_ALIAS_NODES`, or when an alias refers to a
 * node that contains it.
 */
function checkAliasExpansion(doc: unknown, textLength: number, source: string | undefined, index: number): void {
  const limit = textLength + YAML_MAX_ALIAS_NODES;
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  const fail = (what: string): never => {
    throw new YamlLimitError(`${where(source, index)}: ${what}; aliases may add at most ${YAML_MAX_ALIAS_NODES} nodes to a document, so it is refused before it is expanded`);
  };
  const size = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = sizes.get(v);
    if (known !== undefined) return known;
    if (open.has(v)) fail('an alias refers to a node that contains it (a cycle, without end when expanded)');
    open.add(v);
    let n = 1;
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) {
      n += size(c);
      if (n > limit) fail(`its aliases expand it to more than ${limit} nodes (${textLength} characters of text and ${YAML_MAX_ALIAS_NODES} more)`);
    }
    open.delete(v);
    sizes.set(v, n);
    return n;
  };
  size(doc);
}
