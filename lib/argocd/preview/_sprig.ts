// The sprig (v3) functions Argo CD's ApplicationSet controller registers, plus Argo CD's own
// (normalize, slugify, toYaml, fromYaml, fromYamlArray), reimplemented for the offline preview.
//
// Argo CD uses sprig.GenericFuncMap() minus `env`, `expandenv` and `getHostByName`; the preview
// must produce what Argo CD produces, so each function follows sprig's Go code: its parameter
// types (text/template checks them), its result types (int64 from arithmetic, []string from
// splitList) and its panics/errors. Functions that are non-deterministic or need the outside
// world (dates, random, crypto, semver, urls) are listed in UNSUPPORTED_SPRIG and fail clearly.
// The plain Errors thrown here are Go's runtime errors and panics in Go's wording; they never reach
// a user as they are: _render.ts wraps every one into a TemplateError naming the template.
import { createHash } from 'node:crypto';
import * as jsyaml from 'js-yaml';
import { YamlLimitError, loadYaml as loadBoundedYaml } from '../../_internal/yaml';
import { GoRegexp } from '../../_internal/go-regexp';
import { goJsonSyntaxError } from './_go-json';
import {
  GoInt64, GoMap, GoValue, fromJsonValue, formatGoFloat, formatValue, goJson, goKindName, goQuote, goTypeName,
  intValue, isInt, isMap, sortedKeys, withGoType,
} from './_go-fmt';

/** A parameter type as text/template sees it (it converts and checks arguments by it). */
export type ArgType = 'any' | 'value' | 'string' | 'int' | 'int64' | 'float64' | 'bool' | 'list' | 'map' | 'strings';

/** A template function: Go signature and implementation. Throwing an Error means `error calling`. */
export interface GoFunc {
  readonly builtin?: boolean;
  readonly params: readonly ArgType[];
  readonly variadic?: ArgType;
  readonly fn: (args: GoValue[], ctx: { missingKey: string }) => GoValue;
}

// ---------------------------------------------------------------------------------------------
// Conversions (spf13/cast as sprig uses it)

function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    switch (s[i - 1]) {
      case '.': if (foundZero) return s.slice(0, i - 1); break;
      case '0': foundZero = true; break;
      default: return s;
    }
  }
  return s;
}

function parseGoInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F](_?[0-9a-fA-F])*|0[oO][0-7](_?[0-7])*|0[bB][01](_?[01])*|0(_?[0-7])*|[1-9](_?[0-9])*)$/.exec(s);
  if (!m) return undefined;
  let d = m[2].replace(/_/g, '');
  if (/^0[0-7]+$/.test(d)) d = '0o' + d.slice(1);
  else if (/^0[oO]/.test(d)) d = '0o' + d.slice(2);
  let v = BigInt(d);
  if (m[1] === '-') v = -v;
  if (v < -(2n ** 63n) || v >= 2n ** 63n) return undefined;
  return v;
}

function wrapInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** cast.ToInt64 (errors give 0). */
export function toInt64(v: GoValue): bigint {
  if (isInt(v)) return intValue(v);
  if (typeof v === 'number') return Number.isFinite(v) ? wrapInt64(BigInt(Math.trunc(v))) : -(2n ** 63n);
  if (typeof v === 'string') return parseGoInt(trimZeroDecimal(v)) ?? 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return 0n;
}

/** cast.ToFloat64 (errors give 0). */
export function toFloat64(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (isInt(v)) return Number(intValue(v));
  if (typeof v === 'string') {
    const t = v.replace(/_/g, '');
    if (/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|[iI]nf(inity)?|NaN)$/.test(t) || /^[+-]?0[xX]/.test(t)) {
      const f = /inf/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t);
      return Number.isNaN(f) && !/NaN/.test(t) ? 0 : f;
    }
    return 0;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}

/** sprig's strval: strings as they are, the rest as fmt's %v. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  return formatValue(v === undefined ? null : v, false);
}

/** sprig's strslice. */
function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) {
    return v.filter((x) => x !== null && x !== undefined).map(strval);
  }
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

function strings(list: string[]): GoValue[] {
  return withGoType(list as GoValue[], '[]string');
}

function ints(list: bigint[]): GoValue[] {
  return withGoType(list as GoValue[], '[]int');
}

/** sprig's empty. */
export function empty(v: GoValue): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.length === 0;
  if (typeof v === 'number') return v === 0;
  if (isInt(v)) return intValue(v) === 0n;
  if (typeof v === 'boolean') return !v;
  if (Array.isArray(v)) return v.length === 0;
  return Object.keys(v).length === 0;
}

function deepEqual(a: GoValue, b: GoValue): boolean {
  if (goTypeName(a) !== goTypeName(b)) return false;
  if (isInt(a) && isInt(b)) return intValue(a) === intValue(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return a === b;
}

function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) return withGoType(v.map(deepCopy), goTypeName(v));
  if (isMap(v)) {
    const out: GoMap = {};
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k]);
    return withGoType(out, goTypeName(v));
  }
  return v;
}

function nilPanic(): never {
  throw new Error('runtime error: invalid memory address or nil pointer dereference');
}

function listOf(v: GoValue, what: string): GoValue[] {
  if (v === undefined || v === null) nilPanic();
  if (Array.isArray(v)) return v;
  throw new Error(`Cannot ${what} on type ${goKindName(v)}`);
}

// ---------------------------------------------------------------------------------------------
// Strings

function runes(s: string): string[] {
  return Array.from(s);
}

function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const sep = !/^[\p{L}\p{N}_]$/u.test(prev);
    out += sep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function untitle(s: string): string {
  return s.split(/(\s+)/).map((w) => (/^\s+$/.test(w) || w === '' ? w : w[0].toLowerCase() + w.slice(1))).join('');
}

function initials(s: string): string {
  return s.split(/\s+/).filter((w) => w !== '').map((w) => runes(w)[0]).join('');
}

function swapcase(s: string): string {
  let out = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (ch !== lower) out += lower;
    else if (ch !== upper) out += upper;
    else out += ch;
  }
  return out;
}

const isConnector = (c: string) => c === '-' || c === '_' || /^\s$/u.test(c);

/** xstrings.ToCamelCase. */
function camelcase(s: string): string {
  const rs = runes(s);
  if (rs.length === 0) return '';
  let out = '';
  let i = 0;
  let r0 = '';
  for (; i < rs.length; i++) {
    r0 = rs[i];
    if (!isConnector(r0)) { r0 = r0.toUpperCase(); i++; break; }
    out += r0;
    if (i === rs.length - 1) return out;
  }
  for (; i < rs.length; i++) {
    const r1 = r0;
    r0 = rs[i];
    if (isConnector(r0) && isConnector(r1)) { out += r1; continue; }
    if (isConnector(r1)) r0 = r0.toUpperCase();
    else out += r1;
  }
  return out + r0;
}

/** xstrings.ToSnakeCase / ToKebabCase (words split at case changes and separators). */
function delimitedCase(s: string, connector: string): string {
  const words: string[] = [];
  const parts = s.split(/[^\p{L}\p{N}]+/u).filter((p) => p !== '');
  for (const part of parts) {
    const m = part.match(/\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+\p{N}*|\p{Lu}+\p{N}*|\p{N}+\p{Ll}*|\p{L}+/gu) ?? [part];
    words.push(...m);
  }
  return words.map((w) => w.toLowerCase()).join(connector);
}

function nospace(s: string): string {
  return s.replace(/\s/gu, '');
}

function abbrev(width: bigint, s: string): string {
  if (width < 4n) return s;
  const w = Number(width);
  if (s === '') return '';
  if (s.length <= w) return s;
  return s.slice(0, w - 3) + '...';
}

function byteSlice(s: string, a: number, b?: number): string {
  const buf = Buffer.from(s, 'utf8');
  if (a < 0 || (b !== undefined && (b > buf.length || a > b)) || a > buf.length) {
    throw new Error(`runtime error: slice bounds out of range [${a}:${b ?? buf.length}] with length ${buf.length}`);
  }
  return buf.subarray(a, b).toString('utf8');
}

function trunc(c: bigint, s: string): string {
  const len = Buffer.byteLength(s, 'utf8');
  const n = Number(c);
  if (n < 0 && len + n > 0) return byteSlice(s, len + n);
  if (n >= 0 && len > n) return byteSlice(s, 0, n);
  return s;
}

function substr(start: bigint, end: bigint, s: string): string {
  const a = Number(start);
  const b = Number(end);
  const len = Buffer.byteLength(s, 'utf8');
  if (a < 0) return byteSlice(s, 0, b);
  if (b < 0 || b > len) return byteSlice(s, a);
  return byteSlice(s, a, b);
}

// ---------------------------------------------------------------------------------------------
// Regular expressions (Go's regexp, see lib/_internal/go-regexp.ts)

/** `regexp.Compile` for sprig's must* functions: Go's parse error is the template's error. */
function mustCompile(expr: string): GoRegexp {
  return GoRegexp.compile(expr);
}

/** `regexp.MustCompile` for sprig's other functions: the panic text/template reports. */
function panicCompile(expr: string): GoRegexp {
  try {
    return GoRegexp.compile(expr);
  } catch (e) {
    const quoted = /^[^`\u0000-\u0008\u000a-\u001f\u007f]*$/.test(expr) ? `\`${expr}\`` : JSON.stringify(expr);
    throw new Error(`regexp: Compile(${quoted}): ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Paths (Go's path package)

export function goPathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  const out = (rooted ? '/' : '') + parts.join('/');
  return out === '' ? '.' : out;
}

function goPathBase(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  const i = p.lastIndexOf('/');
  if (i >= 0) p = p.slice(i + 1);
  return p === '' ? '/' : p;
}

function goPathDir(p: string): string {
  const i = p.lastIndexOf('/');
  return goPathClean(p.slice(0, i + 1));
}

function goPathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

// ---------------------------------------------------------------------------------------------
// Dicts

function asMap(v: GoValue): GoMap {
  if (v === undefined || v === null) return {};
  return v as GoMap;
}

function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const k of Object.keys(src)) {
    const s = src[k];
    const d = dst[k];
    if (isMap(d) && isMap(s)) {
      mergeInto(d, s, overwrite);
    } else if (!Object.prototype.hasOwnProperty.call(dst, k) || empty(d)) {
      if (!(overwrite && empty(s) && Object.prototype.hasOwnProperty.call(dst, k))) dst[k] = s;
    } else if (overwrite && !empty(s)) {
      dst[k] = s;
    }
  }
}

function digFromDict(dict: GoMap, def: GoValue, keys: string[]): GoValue {
  const [k, ...ns] = keys;
  if (!Object.prototype.hasOwnProperty.call(dict, k)) return def;
  const step = dict[k];
  if (ns.length === 0) return step;
  if (!isMap(step) || goTypeName(step) !== 'map[string]interface {}') {
    throw new Error(`interface conversion: interface {} is ${step === null ? 'nil' : goTypeName(step)}, not map[string]interface {}`);
  }
  return digFromDict(step, def, ns);
}

// ---------------------------------------------------------------------------------------------
// Math

function decimalParts(f: number): [bigint, number] {
  const s = formatGoFloat(f);
  if (!/^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(s)) return [BigInt(Math.trunc(f)), 0];
  let [mant, exp] = s.split('e');
  let e = exp ? parseInt(exp, 10) : 0;
  const neg = mant.startsWith('-');
  if (neg) mant = mant.slice(1);
  const [ip, fp = ''] = mant.split('.');
  let digits = BigInt(ip + fp);
  let scale = fp.length - e;
  if (scale < 0) { digits *= 10n ** BigInt(-scale); scale = 0; }
  e = 0;
  return [neg ? -digits : digits, scale];
}

function decimalOp(a: GoValue, rest: GoValue[], op: '+' | '-' | '*' | '/'): number {
  let acc = toFloat64(a);
  for (const r of rest) {
    const b = toFloat64(r);
    if (op === '/') {
      if (b === 0) throw new Error('decimal division by 0');
      acc = Number((acc / b).toPrecision(16));
      continue;
    }
    const [x, sx] = decimalParts(acc);
    const [y, sy] = decimalParts(b);
    let v: bigint;
    let scale: number;
    if (op === '*') { v = x * y; scale = sx + sy; } else {
      scale = Math.max(sx, sy);
      const xx = x * 10n ** BigInt(scale - sx);
      const yy = y * 10n ** BigInt(scale - sy);
      v = op === '+' ? xx + yy : xx - yy;
    }
    acc = Number(`${v}e-${scale}`);
  }
  return acc;
}

// ---------------------------------------------------------------------------------------------
// YAML (sigs.k8s.io/yaml, which goes through JSON)

const YAML11_QUOTE = new jsyaml.Type('tag:yaml.org,2002:yaml11-quote', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && (
    /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/.test(data) ||
    /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(data) ||
    /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*)$/.test(data)),
  construct: (data: string) => data,
});
const TO_YAML_SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [YAML11_QUOTE] });

/** What json.Marshal then json.Unmarshal leave of a value (ints become float64, keys sorted). */
function jsonRoundTrip(v: GoValue): unknown {
  return JSON.parse(goJson(v === undefined ? null : v, '', false));
}

function toYaml(v: GoValue): string {
  const plain = jsonRoundTrip(v);
  const text = jsyaml.dump(plain, {
    schema: TO_YAML_SCHEMA, sortKeys: true, noArrayIndent: true, lineWidth: -1, noRefs: true, quotingType: '"',
  });
  return text.replace(/\n$/, '');
}

function loadYaml(text: string): unknown {
  try {
    return loadBoundedYaml(text, { source: 'fromYaml', schema: jsyaml.CORE_SCHEMA });
  } catch (e) {
    if (e instanceof YamlLimitError) throw e;
    const reason = (e as { reason?: string; mark?: { line: number } });
    throw new Error(`error converting YAML to JSON: yaml: line ${(reason.mark?.line ?? 0) + 1}: ${reason.reason ?? (e as Error).message}`);
  }
}

function fromYaml(text: string): GoMap {
  const v = loadYaml(text);
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    const what = Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'number';
    throw new Error(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${what} into Go value of type map[string]interface {}`);
  }
  return fromJsonValue(JSON.parse(JSON.stringify(v))) as GoMap;
}

function fromYamlArray(text: string): GoValue[] {
  const v = loadYaml(text);
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) {
    const what = typeof v === 'object' ? 'object' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'number';
    throw new Error(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${what} into Go value of type []interface {}`);
  }
  return fromJsonValue(JSON.parse(JSON.stringify(v))) as GoValue[];
}

// ---------------------------------------------------------------------------------------------
// Argo CD's own

/** Argo CD's SanitizeName (`normalize`). */
export function sanitizeName(name: string): string {
  let n = name.toLowerCase().replace(/[^-a-z0-9.]/gu, '-');
  if (Buffer.byteLength(n, 'utf8') > 253) n = Buffer.from(n, 'utf8').subarray(0, 253).toString('utf8');
  return n.replace(/^[-.]+|[-.]+$/g, '');
}

/** Argo CD's SlugifyName (`slugify [maxSize] [smartTruncate] name`), gosimple/slug underneath. */
export function slugifyName(args: GoValue[]): string {
  let maxSize = 50;
  let smart = true;
  let name = '';
  args.forEach((arg, idx) => {
    if (idx === args.length - 1) {
      if (typeof arg !== 'string') throw new Error(`interface conversion: interface {} is ${arg === null || arg === undefined ? 'nil' : goTypeName(arg)}, not string`);
      name = arg;
    } else if (idx === 0) {
      if (typeof arg !== 'bigint') throw new Error(`interface conversion: interface {} is ${arg === null || arg === undefined ? 'nil' : goTypeName(arg)}, not int`);
      maxSize = Number(arg);
    } else if (idx === 1) {
      if (typeof arg !== 'boolean') throw new Error(`interface conversion: interface {} is ${arg === null || arg === undefined ? 'nil' : goTypeName(arg)}, not bool`);
      smart = arg;
    }
  });
  let slug = sanitizeName(name).trim();
  slug = slug.replace(/&/g, 'and').replace(/@/g, 'at');
  slug = slug.toLowerCase();
  if (!smart && slug.length >= maxSize) slug = slug.slice(0, Math.max(0, maxSize));
  slug = slug.replace(/[^a-zA-Z0-9\-_]/g, '-').replace(/-+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  if (maxSize > 0 && smart && slug.length > maxSize) {
    let cut = -1;
    for (let i = maxSize; i >= 0; i--) if (slug[i] === '-') { cut = i; break; }
    slug = cut >= 0 ? slug.slice(0, cut) : slug.slice(0, maxSize);
  }
  return slug;
}

// ---------------------------------------------------------------------------------------------
// The function map

const s1 = (fn: (s: string) => GoValue): GoFunc => ({ params: ['string'], fn: ([a]) => fn(a as string) });
const s2 = (fn: (a: string, b: string) => GoValue): GoFunc => ({ params: ['string', 'string'], fn: ([a, b]) => fn(a as string, b as string) });
const i64 = (v: bigint) => new GoInt64(wrapInt64(v));

function push(list: GoValue, v: GoValue): GoValue[] {
  return [...listOf(list, 'push'), v];
}

function uniq(list: GoValue[]): GoValue[] {
  const out: GoValue[] = [];
  for (const x of list) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
}

function sliceFn(list: GoValue, idx: GoValue[]): GoValue {
  const l = listOf(list, 'slice');
  if (l.length === 0) return null;
  const start = idx.length > 0 ? Number(toInt64(idx[0])) : 0;
  const end = idx.length < 2 ? l.length : Number(toInt64(idx[1]));
  if (start < 0 || end > l.length || start > end) throw new Error(`reflect: slice index out of range`);
  return withGoType(l.slice(start, end), goTypeName(l));
}

function untilStep(start: bigint, stop: bigint, step: bigint): GoValue[] {
  const v: bigint[] = [];
  if (stop < start) {
    if (step >= 0n) return ints(v);
    for (let i = start; i > stop; i += step) v.push(i);
    return ints(v);
  }
  if (step <= 0n) return ints(v);
  for (let i = start; i < stop; i += step) v.push(i);
  return ints(v);
}

function typeIsLike(target: string, v: GoValue): boolean {
  const t = v === null || v === undefined ? '<nil>' : goTypeName(v);
  return t === target || '*' + t === target;
}

function b32(s: string, decode: boolean): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  if (!decode) {
    const bytes = Buffer.from(s, 'utf8');
    let bits = 0;
    let value = 0;
    let out = '';
    for (const byte of bytes) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) { out += alphabet[(value >>> (bits - 5)) & 31]; bits -= 5; }
    }
    if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
    while (out.length % 8 !== 0) out += '=';
    return out;
  }
  const clean = s.replace(/=+$/, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (let i = 0; i < clean.length; i++) {
    const idx = alphabet.indexOf(clean[i]);
    if (idx < 0) return `illegal base32 data at input byte ${i}`;
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out).toString('utf8');
}

function b64dec(s: string): string {
  const clean = s;
  for (let i = 0; i < clean.length; i++) {
    if (!/[A-Za-z0-9+/=]/.test(clean[i])) return `illegal base64 data at input byte ${i}`;
  }
  if (clean.length % 4 !== 0) return `illegal base64 data at input byte ${clean.length - (clean.length % 4)}`;
  return Buffer.from(clean, 'base64').toString('utf8');
}

function adler32(s: string): string {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(s, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

function round(a: GoValue, p: bigint, opt: GoValue[]): number {
  const roundOn = opt.length > 0 ? (opt[0] as number) : 0.5;
  const val = toFloat64(a);
  const pow = Math.pow(10, Number(p));
  const digit = pow * val;
  const frac = digit - Math.trunc(digit);
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

/** sprig functions (and Argo CD's), by name. */
export const SPRIG_FUNCS: Record<string, GoFunc> = {
  hello: { params: [], fn: () => 'Hello!' },

  // strings
  abbrev: { params: ['int', 'string'], fn: ([w, s]) => abbrev(w as bigint, s as string) },
  trunc: { params: ['int', 'string'], fn: ([c, s]) => trunc(c as bigint, s as string) },
  trim: s1((s) => s.replace(/^\s+|\s+$/gu, '')),
  upper: s1((s) => s.toUpperCase()),
  lower: s1((s) => s.toLowerCase()),
  title: s1(goTitle),
  untitle: s1(untitle),
  substr: { params: ['int', 'int', 'string'], fn: ([a, b, s]) => substr(a as bigint, b as bigint, s as string) },
  repeat: {
    params: ['int', 'string'],
    fn: ([c, s]) => {
      if ((c as bigint) < 0n) throw new Error('strings: negative Repeat count');
      return (s as string).repeat(Number(c));
    },
  },
  trimall: s2((a, b) => goTrim(b, a)),
  trimAll: s2((a, b) => goTrim(b, a)),
  trimSuffix: s2((a, b) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
  trimPrefix: s2((a, b) => (b.startsWith(a) ? b.slice(a.length) : b)),
  nospace: s1(nospace),
  initials: s1(initials),
  swapcase: s1(swapcase),
  snakecase: s1((s) => delimitedCase(s, '_')),
  camelcase: s1(camelcase),
  kebabcase: s1((s) => delimitedCase(s, '-')),
  contains: s2((a, b) => b.includes(a)),
  hasPrefix: s2((a, b) => b.startsWith(a)),
  hasSuffix: s2((a, b) => b.endsWith(a)),
  quote: { params: [], variadic: 'any', fn: (a) => a.filter((x) => x !== null && x !== undefined).map((x) => goQuote(strval(x))).join(' ') },
  squote: { params: [], variadic: 'any', fn: (a) => a.filter((x) => x !== null && x !== undefined).map((x) => `'${strval(x)}'`).join(' ') },
  cat: { params: [], variadic: 'any', fn: (a) => a.filter((x) => x !== null && x !== undefined).map(strval).join(' ') },
  indent: { params: ['int', 'string'], fn: ([n, s]) => indent(n as bigint, s as string) },
  nindent: { params: ['int', 'string'], fn: ([n, s]) => '\n' + indent(n as bigint, s as string) },
  replace: { params: ['string', 'string', 'string'], fn: ([o, n, s]) => (s as string).split(o as string).join(n as string) },
  plural: { params: ['string', 'string', 'int'], fn: ([one, many, c]) => ((c as bigint) === 1n ? one : many) },
  sha1sum: s1((s) => createHash('sha1').update(s, 'utf8').digest('hex')),
  sha256sum: s1((s) => createHash('sha256').update(s, 'utf8').digest('hex')),
  adler32sum: s1(adler32),
  toString: { params: ['any'] as ArgType[], fn: ([v]: GoValue[]) => strval(v) } as GoFunc,

  // conversions
  atoi: s1((s) => {
    if (!/^[+-]?\d+$/.test(s)) return 0n;
    const v = BigInt(s);
    const max = 2n ** 63n - 1n;
    return v > max ? max : v < -max - 1n ? -max - 1n : v;
  }),
  int64: { params: ['any'], fn: ([v]) => i64(toInt64(v)) },
  int: { params: ['any'], fn: ([v]) => toInt64(v) },
  float64: { params: ['any'], fn: ([v]) => toFloat64(v) },
  split: {
    params: ['string', 'string'],
    fn: ([sep, orig]) => {
      const parts = goSplit(orig as string, sep as string);
      const m: GoMap = {};
      parts.forEach((p, i) => { m['_' + i] = p; });
      return withGoType(m, 'map[string]string');
    },
  },
  splitList: { params: ['string', 'string'], fn: ([sep, orig]) => strings(goSplit(orig as string, sep as string)) },
  splitn: {
    params: ['string', 'int', 'string'],
    fn: ([sep, n, orig]) => {
      const parts = goSplitN(orig as string, sep as string, Number(n));
      const m: GoMap = {};
      parts.forEach((p, i) => { m['_' + i] = p; });
      return withGoType(m, 'map[string]string');
    },
  },
  toStrings: { params: ['any'], fn: ([v]) => strings(strslice(v)) },
  until: { params: ['int'], fn: ([c]) => untilStep(0n, c as bigint, (c as bigint) < 0n ? -1n : 1n) },
  untilStep: { params: ['int', 'int', 'int'], fn: ([a, b, c]) => untilStep(a as bigint, b as bigint, c as bigint) },

  // math
  add1: { params: ['any'], fn: ([v]) => i64(toInt64(v) + 1n) },
  add: { params: [], variadic: 'any', fn: (a) => i64(a.reduce<bigint>((s, x) => s + toInt64(x), 0n)) },
  sub: { params: ['any', 'any'], fn: ([a, b]) => i64(toInt64(a) - toInt64(b)) },
  div: {
    params: ['any', 'any'],
    fn: ([a, b]) => {
      const d = toInt64(b);
      if (d === 0n) throw new Error('runtime error: integer divide by zero');
      return i64(toInt64(a) / d);
    },
  },
  mod: {
    params: ['any', 'any'],
    fn: ([a, b]) => {
      const d = toInt64(b);
      if (d === 0n) throw new Error('runtime error: integer divide by zero');
      return i64(toInt64(a) % d);
    },
  },
  mul: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => i64(r.reduce<bigint>((s, x) => wrapInt64(s * toInt64(x)), toInt64(a))) },
  add1f: { params: ['any'], fn: ([a]) => decimalOp(a, [1n], '+') },
  addf: { params: [], variadic: 'any', fn: (a) => decimalOp(0, a, '+') },
  subf: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => decimalOp(a, r, '-') },
  divf: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => decimalOp(a, r, '/') },
  mulf: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => decimalOp(a, r, '*') },
  biggest: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => i64(r.reduce<bigint>((m, x) => (toInt64(x) > m ? toInt64(x) : m), toInt64(a))) },
  max: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => i64(r.reduce<bigint>((m, x) => (toInt64(x) > m ? toInt64(x) : m), toInt64(a))) },
  min: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => i64(r.reduce<bigint>((m, x) => (toInt64(x) < m ? toInt64(x) : m), toInt64(a))) },
  maxf: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => r.reduce<number>((m, x) => Math.max(m, toFloat64(x)), toFloat64(a)) },
  minf: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => r.reduce<number>((m, x) => Math.min(m, toFloat64(x)), toFloat64(a)) },
  ceil: { params: ['any'], fn: ([a]) => Math.ceil(toFloat64(a)) },
  floor: { params: ['any'], fn: ([a]) => Math.floor(toFloat64(a)) },
  round: { params: ['any', 'int'], variadic: 'float64', fn: ([a, p, ...o]) => round(a, p as bigint, o) },

  // string slices
  join: { params: ['string', 'any'], fn: ([sep, v]) => strslice(v).join(sep as string) },
  sortAlpha: {
    params: ['any'],
    fn: ([v]) => {
      if (Array.isArray(v)) return strings(strslice(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      return strings([strval(v)]);
    },
  },

  // defaults
  default: { params: ['any'], variadic: 'any', fn: ([d, ...given]) => (given.length === 0 || empty(given[0]) ? d : given[0]) },
  empty: { params: ['any'], fn: ([v]) => empty(v) },
  coalesce: { params: [], variadic: 'any', fn: (a) => a.find((x) => !empty(x)) ?? null },
  all: { params: [], variadic: 'any', fn: (a) => a.every((x) => !empty(x)) },
  any: { params: [], variadic: 'any', fn: (a) => a.some((x) => !empty(x)) },
  compact: { params: ['any'], fn: ([v]) => listOf(v, 'compact').filter((x) => !empty(x)) },
  mustCompact: { params: ['any'], fn: ([v]) => listOf(v, 'compact').filter((x) => !empty(x)) },
  fromJson: { params: ['string'], fn: ([s]) => { try { return fromJsonValue(JSON.parse(s as string)); } catch { return null; } } },
  mustFromJson: {
    params: ['string'],
    fn: ([s]) => {
      // json.Unmarshal's error: the syntax check's text, in Go's words
      const syntax = goJsonSyntaxError(s as string);
      if (syntax !== undefined) throw new Error(syntax);
      return fromJsonValue(JSON.parse(s as string));
    },
  },
  toJson: { params: ['any'], fn: ([v]) => goJson(v) },
  mustToJson: { params: ['any'], fn: ([v]) => goJson(v) },
  toPrettyJson: { params: ['any'], fn: ([v]) => goJson(v, '  ') },
  mustToPrettyJson: { params: ['any'], fn: ([v]) => goJson(v, '  ') },
  toRawJson: { params: ['any'], fn: ([v]) => goJson(v, '', false) },
  mustToRawJson: { params: ['any'], fn: ([v]) => goJson(v, '', false) },
  ternary: { params: ['any', 'any', 'bool'], fn: ([t, f, c]) => (c ? t : f) },
  deepCopy: { params: ['any'], fn: ([v]) => deepCopy(v) },
  mustDeepCopy: { params: ['any'], fn: ([v]) => deepCopy(v) },

  // reflection
  typeOf: { params: ['any'], fn: ([v]) => (v === null || v === undefined ? '<nil>' : goTypeName(v)) },
  typeIs: { params: ['string', 'any'], fn: ([t, v]) => (v === null || v === undefined ? '<nil>' : goTypeName(v)) === t },
  typeIsLike: { params: ['string', 'any'], fn: ([t, v]) => typeIsLike(t as string, v) },
  // reflect.ValueOf(nil).Kind() is Invalid: sprig's kindOf prints "invalid" for nil
  kindOf: { params: ['any'], fn: ([v]) => (v === null || v === undefined ? 'invalid' : goKindName(v)) },
  kindIs: { params: ['string', 'any'], fn: ([t, v]) => (v === null || v === undefined ? t === 'invalid' : goKindName(v) === t) },
  deepEqual: { params: ['any', 'any'], fn: ([a, b]) => deepEqual(a, b) },

  // paths
  base: s1(goPathBase),
  dir: s1(goPathDir),
  clean: s1(goPathClean),
  ext: s1(goPathExt),
  isAbs: s1((p) => p.startsWith('/')),
  osBase: s1(goPathBase),
  osClean: s1(goPathClean),
  osDir: s1(goPathDir),
  osExt: s1(goPathExt),
  osIsAbs: s1((p) => p.startsWith('/')),

  // encoding
  b64enc: s1((s) => Buffer.from(s, 'utf8').toString('base64')),
  b64dec: s1(b64dec),
  b32enc: s1((s) => b32(s, false)),
  b32dec: s1((s) => b32(s, true)),

  // data structures
  tuple: { params: [], variadic: 'any', fn: (a) => [...a] },
  list: { params: [], variadic: 'any', fn: (a) => [...a] },
  dict: {
    params: [], variadic: 'any',
    fn: (a) => {
      const d: GoMap = {};
      for (let i = 0; i < a.length; i += 2) d[strval(a[i])] = i + 1 < a.length ? a[i + 1] : '';
      return d;
    },
  },
  get: { params: ['map', 'string'], fn: ([d, k]) => (Object.prototype.hasOwnProperty.call(asMap(d), k as string) ? asMap(d)[k as string] : '') },
  set: {
    params: ['map', 'string', 'any'],
    fn: ([d, k, v]) => {
      if (d === null) throw new Error('assignment to entry in nil map');
      asMap(d)[k as string] = v;
      return d;
    },
  },
  unset: { params: ['map', 'string'], fn: ([d, k]) => { if (d !== null) delete asMap(d)[k as string]; return d; } },
  hasKey: { params: ['map', 'string'], fn: ([d, k]) => Object.prototype.hasOwnProperty.call(asMap(d), k as string) },
  pluck: {
    params: ['string'], variadic: 'map',
    fn: ([k, ...ds]) => ds.filter((d) => Object.prototype.hasOwnProperty.call(asMap(d), k as string)).map((d) => asMap(d)[k as string]),
  },
  keys: { params: [], variadic: 'map', fn: (ds) => strings(ds.flatMap((d) => sortedKeys(asMap(d)))) },
  pick: {
    params: ['map'], variadic: 'string',
    fn: ([d, ...ks]) => {
      const out: GoMap = {};
      for (const k of ks as string[]) if (Object.prototype.hasOwnProperty.call(asMap(d), k)) out[k] = asMap(d)[k];
      return out;
    },
  },
  omit: {
    params: ['map'], variadic: 'string',
    fn: ([d, ...ks]) => {
      const out: GoMap = {};
      for (const k of Object.keys(asMap(d))) if (!(ks as string[]).includes(k)) out[k] = asMap(d)[k];
      return out;
    },
  },
  merge: { params: ['map'], variadic: 'map', fn: ([d, ...srcs]) => { for (const s of srcs) mergeInto(asMap(d), asMap(s), false); return d; } },
  mustMerge: { params: ['map'], variadic: 'map', fn: ([d, ...srcs]) => { for (const s of srcs) mergeInto(asMap(d), asMap(s), false); return d; } },
  mergeOverwrite: { params: ['map'], variadic: 'map', fn: ([d, ...srcs]) => { for (const s of srcs) mergeInto(asMap(d), asMap(s), true); return d; } },
  mustMergeOverwrite: { params: ['map'], variadic: 'map', fn: ([d, ...srcs]) => { for (const s of srcs) mergeInto(asMap(d), asMap(s), true); return d; } },
  values: { params: ['map'], fn: ([d]) => sortedKeys(asMap(d)).map((k) => asMap(d)[k]) },

  append: { params: ['any', 'any'], fn: ([l, v]) => push(l, v) },
  push: { params: ['any', 'any'], fn: ([l, v]) => push(l, v) },
  mustAppend: { params: ['any', 'any'], fn: ([l, v]) => push(l, v) },
  mustPush: { params: ['any', 'any'], fn: ([l, v]) => push(l, v) },
  prepend: { params: ['any', 'any'], fn: ([l, v]) => [v, ...listOf(l, 'prepend')] },
  mustPrepend: { params: ['any', 'any'], fn: ([l, v]) => [v, ...listOf(l, 'prepend')] },
  first: { params: ['any'], fn: ([l]) => listOf(l, 'find first')[0] ?? null },
  mustFirst: { params: ['any'], fn: ([l]) => listOf(l, 'find first')[0] ?? null },
  rest: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find rest'); return x.length === 0 ? null : x.slice(1); } },
  mustRest: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find rest'); return x.length === 0 ? null : x.slice(1); } },
  last: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find last'); return x.length === 0 ? null : x[x.length - 1]; } },
  mustLast: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find last'); return x.length === 0 ? null : x[x.length - 1]; } },
  initial: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find initial'); return x.length === 0 ? null : x.slice(0, -1); } },
  mustInitial: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find initial'); return x.length === 0 ? null : x.slice(0, -1); } },
  reverse: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find reverse'); return x.length === 0 ? null : [...x].reverse(); } },
  mustReverse: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find reverse'); return x.length === 0 ? null : [...x].reverse(); } },
  uniq: { params: ['any'], fn: ([l]) => uniq(listOf(l, 'find uniq')) },
  mustUniq: { params: ['any'], fn: ([l]) => uniq(listOf(l, 'find uniq')) },
  without: { params: ['any'], variadic: 'any', fn: ([l, ...o]) => listOf(l, 'find without').filter((x) => !o.some((y) => deepEqual(x, y))) },
  mustWithout: { params: ['any'], variadic: 'any', fn: ([l, ...o]) => listOf(l, 'find without').filter((x) => !o.some((y) => deepEqual(x, y))) },
  has: {
    params: ['any', 'any'],
    fn: ([needle, hay]) => {
      if (hay === null || hay === undefined) return false;
      return listOf(hay, 'find has').some((x) => deepEqual(x, needle));
    },
  },
  mustHas: {
    params: ['any', 'any'],
    fn: ([needle, hay]) => (hay === null || hay === undefined ? false : listOf(hay, 'find has').some((x) => deepEqual(x, needle))),
  },
  slice: { params: ['any'], variadic: 'any', fn: ([l, ...i]) => sliceFn(l, i) },
  mustSlice: { params: ['any'], variadic: 'any', fn: ([l, ...i]) => sliceFn(l, i) },
  concat: {
    params: [], variadic: 'any',
    fn: (ls) => {
      let res: GoValue[] | null = null;
      for (const l of ls) {
        if (l === null || l === undefined) nilPanic();
        if (!Array.isArray(l)) throw new Error(`Cannot concat type ${goKindName(l)} as list`);
        res = [...(res ?? []), ...l];
      }
      return res;
    },
  },
  dig: {
    params: [], variadic: 'any',
    fn: (ps) => {
      if (ps.length < 3) throw new Error('dig needs at least three arguments');
      const dict = ps[ps.length - 1];
      if (!isMap(dict) || goTypeName(dict) !== 'map[string]interface {}') {
        throw new Error(`interface conversion: interface {} is ${dict === null || dict === undefined ? 'nil' : goTypeName(dict)}, not map[string]interface {}`);
      }
      const keys = ps.slice(0, -2).map((k) => {
        if (typeof k !== 'string') throw new Error(`interface conversion: interface {} is ${k === null || k === undefined ? 'nil' : goTypeName(k)}, not string`);
        return k;
      });
      return digFromDict(dict, ps[ps.length - 2], keys);
    },
  },
  chunk: {
    params: ['int', 'any'],
    fn: ([size, l]) => {
      const x = listOf(l, 'chunk');
      const n = Number(size);
      const out: GoValue[] = [];
      for (let i = 0; i < x.length; i += n) out.push(x.slice(i, i + n));
      return withGoType(out, '[][]interface {}');
    },
  },

  // flow control
  fail: { params: ['string'], fn: ([m]) => { throw new Error(m as string); } },

  // regex
  regexMatch: s2((re, s) => { try { return GoRegexp.compile(re).test(s); } catch { return false; } }), // regexp.MatchString, error ignored
  mustRegexMatch: s2((re, s) => mustCompile(re).test(s)),
  regexFindAll: { params: ['string', 'string', 'int'], fn: ([re, s, n]) => strings(panicCompile(re as string).findAll(s as string, Number(n)).map((m) => m.text)) },
  mustRegexFindAll: { params: ['string', 'string', 'int'], fn: ([re, s, n]) => strings(mustCompile(re as string).findAll(s as string, Number(n)).map((m) => m.text)) },
  regexFind: s2((re, s) => panicCompile(re).find(s)?.text ?? ''),
  mustRegexFind: s2((re, s) => mustCompile(re).find(s)?.text ?? ''),
  regexReplaceAll: { params: ['string', 'string', 'string'], fn: ([re, s, r]) => panicCompile(re as string).replaceAll(s as string, r as string) },
  mustRegexReplaceAll: { params: ['string', 'string', 'string'], fn: ([re, s, r]) => mustCompile(re as string).replaceAll(s as string, r as string) },
  regexReplaceAllLiteral: { params: ['string', 'string', 'string'], fn: ([re, s, r]) => panicCompile(re as string).replaceAll(s as string, r as string, true) },
  mustRegexReplaceAllLiteral: { params: ['string', 'string', 'string'], fn: ([re, s, r]) => mustCompile(re as string).replaceAll(s as string, r as string, true) },
  regexSplit: { params: ['string', 'string', 'int'], fn: ([re, s, n]) => { const r = panicCompile(re as string).split(s as string, Number(n)); return r === null ? null : strings(r); } },
  mustRegexSplit: { params: ['string', 'string', 'int'], fn: ([re, s, n]) => { const r = mustCompile(re as string).split(s as string, Number(n)); return r === null ? null : strings(r); } },
  regexQuoteMeta: s1((s) => GoRegexp.quoteMeta(s)),

  // Argo CD's additions
  normalize: s1(sanitizeName),
  slugify: { params: [], variadic: 'any', fn: (a) => slugifyName(a) },
  toYaml: { params: ['any'], fn: ([v]) => toYaml(v) },
  fromYaml: s1(fromYaml),
  fromYamlArray: s1(fromYamlArray),
};

/**
 * sprig functions Argo CD allows that the preview does not reimplement (dates, randomness,
 * crypto, semver, urls, ...): they parse, and executing them fails with a clear message.
 */
export const UNSUPPORTED_SPRIG: ReadonlySet<string> = new Set([
  'ago', 'date', 'date_in_zone', 'date_modify', 'dateInZone', 'dateModify', 'duration', 'durationRound',
  'htmlDate', 'htmlDateInZone', 'must_date_modify', 'mustDateModify', 'mustToDate', 'now', 'toDate', 'unixEpoch',
  'abbrevboth', 'randAlphaNum', 'randAlpha', 'randAscii', 'randNumeric', 'randSeededNumeric', 'shuffle', 'wrap', 'wrapWith',
  'seq', 'toDecimal', 'randInt', 'bcrypt', 'htpasswd', 'genPrivateKey', 'derivePassword', 'buildCustomCert', 'genCA',
  'genCAWithKey', 'genSelfSignedCert', 'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'encryptAES',
  'decryptAES', 'randBytes', 'uuidv4', 'semver', 'semverCompare', 'urlParse', 'urlJoin', 'sha512sum',
]);

function goTrim(s: string, cutset: string): string {
  const set = new Set(Array.from(cutset));
  const rs = Array.from(s);
  let a = 0;
  let b = rs.length;
  while (a < b && set.has(rs[a])) a++;
  while (b > a && set.has(rs[b - 1])) b--;
  return rs.slice(a, b).join('');
}

function goSplit(s: string, sep: string): string[] {
  if (sep === '') return Array.from(s);
  return s.split(sep);
}

function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (n < 0) return goSplit(s, sep);
  if (sep === '') {
    const rs = Array.from(s);
    if (rs.length <= n) return rs;
    return [...rs.slice(0, n - 1), rs.slice(n - 1).join('')];
  }
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

function indent(n: bigint, s: string): string {
  const pad = ' '.repeat(Math.max(0, Number(n)));
  return pad + s.split('\n').join('\n' + pad);
}
