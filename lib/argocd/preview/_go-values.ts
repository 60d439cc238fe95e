// Go value helpers the ApplicationSet generators rely on: `fmt.Sprintf("%v", v)` of decoded JSON,
// jeremywohl/flatten (DotStyle), sigs.k8s.io/yaml decoding (YAML 1.1 scalars, numbers as float64),
// Argo CD's SanitizeName and gosimple/slug's Make (MaxLength 50, `_` -> `-`).
// Internal: not exported from the package.
import * as jsyaml from 'js-yaml';
import { loadYaml } from '../../_internal/yaml';
import { formatGoFloat } from './_gotemplate';

/** `fmt.Sprintf("%v", v)` for a value decoded from JSON (numbers are float64 in Go). */
export function goSprintV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatGoFloat(v);
  if (Array.isArray(v)) return `[${v.map(goSprintV).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return `map[${keys.map((k) => `${k}:${goSprintV((v as any)[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** jeremywohl/flatten with DotStyle: nested maps and arrays become `a.b` / `a.0` keys; empty ones vanish. */
export function flattenDot(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (prefix: string, value: unknown, top: boolean) => {
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((x, i) => [String(i), x])
      : Object.entries(value as object);
    for (const [k, x] of entries) {
      const key = top ? k : `${prefix}.${k}`;
      if (x !== null && typeof x === 'object') walk(key, x, false);
      else out[key] = x;
    }
  };
  walk('', obj, true);
  return out;
}

/** Flattens and prints every value with `%v`, as Argo CD does before evaluating a post-selector. */
export function flattenToStrings(obj: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(flattenDot(obj))) out[k] = goSprintV(v);
  return out;
}

// go-yaml v2 (behind sigs.k8s.io/yaml) resolves YAML 1.1 booleans; timestamps stay strings when
// decoded into interface{}; every number becomes a JSON number, then a float64.
const YAML11_BOOL = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(data),
  construct: (data: string) => /^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(data),
  predicate: (x: unknown) => typeof x === 'boolean',
  represent: { lowercase: (x: any) => (x ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

const T = (jsyaml as any).types as Record<string, jsyaml.Type>;
const GO_YAML_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [T.null, YAML11_BOOL, T.int, T.float, T.merge],
  explicit: [T.binary, T.omap, T.pairs, T.set],
});

/** Parses one YAML (or JSON) document the way sigs.k8s.io/yaml.Unmarshal into interface{} does. */
export function loadGoYaml(text: string): unknown {
  const doc = loadYaml(text, { schema: GO_YAML_SCHEMA });
  return normalizeJson(doc);
}

function normalizeJson(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(normalizeJson);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = normalizeJson(x);
    return out;
  }
  return v;
}

/** Argo CD's `utils.SanitizeName`: lowercase, `[^-a-z0-9.]` -> `-`, 253 bytes, trim `-` and `.`. */
export function sanitizeName(name: string): string {
  let s = name.toLowerCase().replace(/[^-a-z0-9.]/gu, '-');
  if (Buffer.byteLength(s, 'utf8') > 253) s = s.slice(0, 253);
  return s.replace(/^[-.]+|[-.]+$/g, '');
}

const SLUG_MAX = 50;

/**
 * gosimple/slug `Make` as the pullRequest generator configures it (MaxLength 50, `_` -> `-`,
 * smart truncation at the last `-`). Non-ASCII letters are folded by removing diacritics
 * (unidecode's transliteration of other scripts is not reproduced).
 */
export function slugMake(input: string): string {
  let s = input.trim();
  s = s.split('_').join('-');
  s = s.replace(/&/g, 'and').replace(/@/g, 'at').replace(/["'\u2019]/g, '').replace(/[\u2012\u2013\u2014\u2015]/g, '-');
  s = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  s = s.toLowerCase();
  s = s.replace(/[^a-zA-Z0-9\-_]/g, '-');
  s = s.replace(/-+/g, '-');
  s = s.replace(/^[-_]+|[-_]+$/g, '');
  if (s.length > SLUG_MAX) {
    let cut = -1;
    for (let i = SLUG_MAX; i >= 0; i--) {
      if (s[i] === '-') {
        cut = i;
        break;
      }
    }
    s = cut >= 0 ? s.slice(0, cut) : s.slice(0, SLUG_MAX);
  }
  return s;
}
