// The parameters a generator produces, per template mode, and how a template reference is matched
// against them. Internal: not exported from the package.
//
// A parameter is written the way the template refers to it:
// - fasttemplate: the flat key, e.g. `path.basename`, `metadata.labels.env`, `values.x`, `path[0]`;
// - goTemplate: the field path without the leading dot, e.g. `path.basename`, `metadata.labels.env`.
// Wildcards: `metadata.labels.*` (any key under the prefix), `path[*]` (any index), `*` (anything:
// the generator's output depends on inputs only known at run time, e.g. a git file's content).
import { IConstruct } from 'constructs';

/** How a generator is being bound. */
export interface GeneratorBindContext {
  /** The ApplicationSet messages are about. */
  readonly scope: IConstruct;
  /** Whether the ApplicationSet uses Go templates. */
  readonly goTemplate: boolean;
  /** The wire path of the generator, e.g. `spec.generators[0]` or `spec.generators[0].matrix.generators[1]`. */
  readonly field: string;
}

/** A string of a generator-level template override, with where it is. */
export interface TemplateText {
  readonly field: string;
  readonly text: string;
}

/** What binding a generator gives its consumer (STYLE 5.8). */
export interface GeneratorBinding {
  /** The generator as written to `spec.generators[]`. */
  readonly json: any;
  /** The parameters every parameter set holds, per the template mode. */
  readonly params: string[];
  /** Problems found while binding (merge keys, ...), collected rather than thrown. */
  readonly problems: string[];
  /** Strings of generator template overrides, to check against `params`. */
  readonly templates: TemplateText[];
}

/** Whether `ref` (a fasttemplate key or a Go field path without the dot) is produced by `params`. */
export function isProduced(ref: string, params: readonly string[]): boolean {
  for (const p of params) {
    if (p === '*' || p === ref) return true;
    if (p.endsWith('.*') && ref.startsWith(p.slice(0, -1)) && ref.length > p.length - 1) return true;
    if (p.endsWith('[*]') && ref.startsWith(p.slice(0, -3)) && /^\[\d+\]$/.test(ref.slice(p.length - 3))) return true;
    // a Go path to a map that holds produced keys, e.g. `.path` or `.metadata.labels`
    if (p.startsWith(`${ref}.`)) return true;
  }
  return false;
}

/** Sorted, deduplicated. */
export function uniqueSorted(params: Iterable<string>): string[] {
  return [...new Set(params)].sort();
}

/** The params of a string map `values` field: `values.<k>` (both modes spell it the same way). */
export function valuesParams(values: { [key: string]: string } | undefined): string[] {
  return Object.keys(values ?? {}).map((k) => `values.${k}`);
}

/** The dotted paths of a JSON value (goTemplate): every map key, and `key.*` below arrays and opaque values. */
export function jsonPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return prefix ? [prefix] : [];
  if (Array.isArray(value)) return prefix ? [prefix, `${prefix}.*`] : [];
  const out: string[] = prefix ? [prefix] : [];
  for (const [k, v] of Object.entries(value)) out.push(...jsonPaths(v, prefix ? `${prefix}.${k}` : k));
  return out;
}

/** The flat keys of a JSON value as Argo CD flattens it for fasttemplate (jeremywohl/flatten, dot style). */
export function flatKeys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return prefix ? [prefix] : [];
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((x, i) => [String(i), x]) : Object.entries(value);
  const out: string[] = [];
  for (const [k, v] of entries) out.push(...flatKeys(v, prefix ? `${prefix}.${k}` : k));
  return out;
}

/** Renames the L1's `repoUrl` keys to the wire's `repoURL` (the L1 does so for the levels it types). */
export function toWire(json: any): any {
  if (Array.isArray(json)) return json.map(toWire);
  if (json === null || typeof json !== 'object') return json;
  const out: any = {};
  for (const [k, v] of Object.entries(json)) out[k === 'repoUrl' ? 'repoURL' : k] = toWire(v);
  return out;
}
