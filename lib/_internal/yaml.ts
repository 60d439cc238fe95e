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
    /^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$/.test(data) ||
    /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(data) ||
    /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/.test(data) ||
    /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$/.test(data) ||
    /^\d{4}-\d\d?-\d\d?([Tt]|\s+|$)/.test(data) ||
    data === '<<' || data === '=' || data === ''),
  construct: (data: string) => data,
});

const DUMP_SCHEMA = jsyaml.DEFAULT_SCHEMA.extend({ implicit: [YAML11_EXTRAS] });

/** Serializes one document (no leading `---`). Keys are written in the order given. */
export function dumpYaml(doc: unknown): string {
  return jsyaml.dump(doc, { schema: DUMP_SCHEMA, lineWidth: -1, noRefs: true, sortKeys: false });
}

/** Serializes documents separated by `---` lines. */
export function dumpYamlDocuments(docs: readonly unknown[]): string {
  return docs.map(dumpYaml).join('---\n');
}

/** Parses every document of a YAML stream (empty documents dropped). */
export function loadYamlDocuments(text: string): any[] {
  return jsyaml.loadAll(text).filter((d) => d !== null && d !== undefined);
}
