// YAML output and input for manifests.
//
// Kubernetes and Argo CD read YAML with go-yaml (YAML 1.1 rules): a plain `yes`, `on`, `0x10`,
// `1_000` or `1:20` is not a string there. js-yaml already quotes the YAML 1.1 booleans and the
// numbers it knows; the extra implicit type below teaches its dumper the remaining YAML 1.1
// forms (underscored and sexagesimal numbers), so that every string stays a string for every
// reader. It is never used to load: it only makes the dumper quote.
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

/**
 * Whether a YAML 1.1 reader takes the plain scalar `data` for something other than a string (in
 * the forms js-yaml's schema leaves out). The dumper asks this of every string it writes, so the
 * first character decides first: every form starts with a digit, a sign, a dot, `_`, `e` or `E`
 * (an exponent after underscores or without mantissa), one of `yYnNoOtTfF~`, or is `<<`, `=` or
 * empty.
 */
export function isYaml11Implicit(data: string): boolean {
  if (data.length === 0) return true;
  const c = data.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) { // 0-9 + - .
    for (let i = 0; i < YAML11_FORMS.length; i++) if (i !== 5 && YAML11_FORMS[i].test(data)) return true;
    return false;
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
// JSON double-quoted scalars instead, which every YAML reader reads the same way.
const MARK = '__cdk8s_argocd_quoted_';

function needsQuotes(s: string): boolean {
  if (!s.includes('\n')) return false;
  return /[ \t]\n|[ \t]$|\n[ \t]+(\n|$)|^[ \t]/.test(s);
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
  return text.replace(new RegExp(`${MARK}(\\d+)__`, 'g'), (_, i) => JSON.stringify(saved[Number(i)]));
}

/** Serializes documents separated by `---` lines. */
export function dumpYamlDocuments(docs: readonly unknown[]): string {
  return docs.map(dumpYaml).join('---\n');
}

/** Parses every document of a YAML stream (empty documents dropped). */
export function loadYamlDocuments(text: string): any[] {
  return jsyaml.loadAll(text).filter((d) => d !== null && d !== undefined);
}
