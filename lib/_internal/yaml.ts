// YAML output and input for manifests.
//
// Kubernetes and Argo CD read YAML with go-yaml (YAML 1.1 rules): a plain `yes`, `on`, `0x10`,
// `1_000` or `1:20` is not a string there. js-yaml already quotes the YAML 1.1 booleans and the
// numbers it knows; the extra implicit type below teaches its dumper the remaining YAML 1.1
// forms (underscored and sexagesimal numbers), so that every string stays a string for every
// reader. It is never used to load: it only makes the dumper quote.
import * as jsyaml from 'js-yaml';

const YAML11_EXTRAS = new jsyaml.Type('tag:yaml.org,2002:yaml11-number', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && (
    /^[-+]?(0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+|0o[0-7_]+)$/.test(data) ||
    /^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$/.test(data) ||
    /^[-+]?[0-9._]*[eE][-+]?[0-9]+$/.test(data) ||
    /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(data) ||
    /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/.test(data) ||
    /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$/.test(data) ||
    /^\d{4}-\d\d?-\d\d?([Tt]|\s+|$)/.test(data) ||
    data === '<<' || data === '=' || data === ''),
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
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = protect(value[i], saved);
      if (v !== value[i]) (out ??= [...value])[i] = v;
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const p = protect(v, saved);
      if (p !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = p;
    }
    return out ?? value;
  }
  return value;
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
