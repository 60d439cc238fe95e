// Go value model and fmt formatting for the offline ApplicationSet template engine.
//
// This file reimplements Go behaviour (reflect type names, fmt's %v / printf verbs,
// strconv.FormatFloat(f, 'g', -1, 64), strconv.Quote, encoding/json output) because Argo CD
// renders ApplicationSet templates with Go's text/template and the preview must match it exactly.
//
// Value model (JavaScript value -> Go value):
// - string -> string; number -> float64 (every number decoded from JSON is a float64 in Go);
// - bigint -> int; GoInt64 -> int64 (what sprig's arithmetic returns);
// - boolean -> bool; null -> a nil interface{}; undefined -> an invalid reflect.Value (missing key);
// - arrays -> []interface {} (or the slice type tagged with goType); plain objects ->
//   map[string]interface {} (or the map type tagged with goType).
import { ValidationError } from '../../errors';

/** The error the preview's template engine throws, worded as Argo CD / Go word it. */
export class TemplateError extends ValidationError {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** A Go int64 (sprig's arithmetic results), distinct from int (bigint) and float64 (number). */
export class GoInt64 {
  constructor(public readonly v: bigint) {}
}

/** Any value the engine handles. */
export type GoValue = string | number | bigint | boolean | null | undefined | GoInt64 | GoValue[] | GoMap;
/** A Go map with string keys. */
export interface GoMap { [key: string]: GoValue }

const GO_TYPE = Symbol('goType');

/** Tags an array or object with its Go type (e.g. `[]string`, `map[string]string`). */
export function withGoType<T extends object>(value: T, type: string): T {
  Object.defineProperty(value, GO_TYPE, { value: type, enumerable: false, configurable: true });
  return value;
}

export function isMap(v: unknown): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoInt64);
}

export function isInt(v: unknown): v is bigint | GoInt64 {
  return typeof v === 'bigint' || v instanceof GoInt64;
}

export function intValue(v: bigint | GoInt64): bigint {
  return typeof v === 'bigint' ? v : v.v;
}

/** Go's reflect type string of a value (`interface {}` for a nil interface). */
export function goTypeName(v: GoValue): string {
  if (v === undefined || v === null) return 'interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt64) return 'int64';
  const tagged = (v as any)[GO_TYPE] as string | undefined;
  if (tagged) return tagged;
  return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
}

/** Go's reflect.Kind name of a value, as sprig's kindOf prints it. */
export function goKindName(v: GoValue): string {
  if (v === undefined || v === null) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt64) return 'int64';
  return Array.isArray(v) ? 'slice' : 'map';
}

/** text/template's truth: empty strings, zero numbers, nil and empty collections are false. */
export function isTrue(v: GoValue): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'boolean') return v;
  if (v instanceof GoInt64) return v.v !== 0n;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

/** Sorted keys, as Go's fmt and text/template's range visit a string-keyed map. */
export function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort(compareGoStrings);
}

/** Go's string comparison: by UTF-8 bytes (equivalently by code point). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ca = Array.from(a);
  const cb = Array.from(b);
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i].codePointAt(0)!;
    const y = cb[i].codePointAt(0)!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return ca.length - cb.length < 0 ? -1 : ca.length === cb.length ? 0 : 1;
}

/** UTF-8 byte length of a string (Go's len). */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Floats

interface Digits { neg: boolean; digits: string; exp: number } // value = 0.d1d2... * 10^exp

function shortestDigits(f: number): Digits {
  const neg = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  if (a === 0) return { neg, digits: '0', exp: 1 };
  const [mant, e] = a.toExponential().split('e');
  const digits = mant.replace('.', '').replace(/0+$/, '') || '0';
  return { neg, digits, exp: parseInt(e, 10) + 1 };
}

function expSuffix(e: number, letter = 'e'): string {
  const sign = e < 0 ? '-' : '+';
  const abs = Math.abs(e);
  return `${letter}${sign}${abs < 10 ? '0' : ''}${abs}`;
}

/**
 * Go's strconv.FormatFloat(f, 'g', -1, 64), which is what fmt's %v prints for a float64: the
 * shortest digits that round-trip, in exponent form when the decimal exponent is below -4 or at
 * least 6 (`1e+06` for a million, `123456` stays, `1.5e+07`), with at least two exponent digits.
 */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const d = shortestDigits(f);
  const sign = d.neg ? '-' : '';
  const x = d.exp - 1;
  // strconv: "%e is used if the exponent from the conversion is less than -4 or greater than or
  // equal to the precision. if precision was the shortest possible, use precision 6".
  const eprec = 6;
  if (x < -4 || x >= eprec) {
    const m = d.digits.length > 1 ? `${d.digits[0]}.${d.digits.slice(1)}` : d.digits;
    return `${sign}${m}${expSuffix(x)}`;
  }
  // %f with as many fractional digits as needed
  if (d.exp <= 0) return `${sign}0.${'0'.repeat(-d.exp)}${d.digits}`;
  if (d.exp >= d.digits.length) return `${sign}${d.digits}${'0'.repeat(d.exp - d.digits.length)}`;
  return `${sign}${d.digits.slice(0, d.exp)}.${d.digits.slice(d.exp)}`;
}

/** |f| as an exact fraction num / den (den a power of two): a float64 is m * 2^e exactly. */
function exactFraction(f: number): { num: bigint; den: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(f));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = expBits === 0 ? frac : frac | (1n << 52n);
  const e = expBits === 0 ? -1074 : expBits - 1075;
  return e >= 0 ? { num: m << BigInt(e), den: 1n } : { num: m, den: 1n << BigInt(-e) };
}

/** num / den rounded to an integer, halves to even (strconv's decimal rounding of the exact value). */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) return q + 1n;
  return q;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** The digits of |f| rounded to `prec` places after the point (strconv 'f' with a precision). */
function fixedDigits(f: number, prec: number): string {
  const { num, den } = exactFraction(f);
  const q = roundHalfEven(num * pow10(prec), den).toString().padStart(prec + 1, '0');
  return prec === 0 ? q : `${q.slice(0, q.length - prec)}.${q.slice(q.length - prec)}`;
}

/** |f| rounded to prec+1 significant digits: the digits and the decimal exponent of the first. */
function significantDigits(f: number, prec: number): { digits: string; x: number } {
  if (f === 0) return { digits: '0'.repeat(prec + 1), x: 0 };
  const { num, den } = exactFraction(f);
  let x = Math.floor(Math.log10(Math.abs(f)));
  // 10^x <= |f| < 10^(x+1), checked exactly
  const atLeast = (k: number) => (k >= 0 ? num >= pow10(k) * den : num * pow10(-k) >= den);
  while (!atLeast(x)) x--;
  while (atLeast(x + 1)) x++;
  const shift = prec - x;
  let q = shift >= 0 ? roundHalfEven(num * pow10(shift), den) : roundHalfEven(num, den * pow10(-shift));
  if (q === pow10(prec + 1)) {
    q /= 10n;
    x++;
  }
  return { digits: q.toString(), x };
}

/** strconv.FormatFloat(f, 'e', prec, 64). */
export function formatGoExp(f: number, prec: number, upper = false): string {
  if (!Number.isFinite(f)) return formatGoFloat(f);
  const { digits, x } = significantDigits(f, prec);
  const m = prec > 0 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const sign = f < 0 || Object.is(f, -0) ? '-' : '';
  return `${sign}${m}${expSuffix(x, upper ? 'E' : 'e')}`;
}

/** strconv.FormatFloat(f, 'f', prec, 64): exact, halves rounded to even (`%.0f` of 2.5 is `2`). */
export function formatGoFixed(f: number, prec: number): string {
  if (!Number.isFinite(f)) return formatGoFloat(f);
  const neg = f < 0 || Object.is(f, -0);
  return (neg ? '-' : '') + fixedDigits(f, prec);
}

/** strconv.FormatFloat(f, 'g', prec, 64) with an explicit precision. */
function formatGoGeneral(f: number, prec: number): string {
  if (!Number.isFinite(f)) return formatGoFloat(f);
  if (prec === 0) prec = 1;
  const { digits: all, x } = significantDigits(f, prec - 1);
  const digits = all.replace(/0+$/, '') || '0';
  const sign = f < 0 || Object.is(f, -0) ? '-' : '';
  let eprec = prec;
  if (eprec > digits.length && digits.length >= x + 1) eprec = digits.length;
  if (x < -4 || x >= eprec) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}${expSuffix(x)}`;
  }
  const dp = x + 1;
  if (dp <= 0) return `${sign}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return `${sign}${digits}${'0'.repeat(dp - digits.length)}`;
  return `${sign}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

// ---------------------------------------------------------------------------------------------
// Quoting

/** Go's strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x07) out += '\\a';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0b) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (c >= 0x80 && !isPrintRune(ch)) {
      out += c > 0xffff ? '\\U' + c.toString(16).padStart(8, '0') : '\\u' + c.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

function isPrintRune(ch: string): boolean {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch) || ch === ' ';
}

// ---------------------------------------------------------------------------------------------
// fmt

/** fmt's %v of a value (what text/template prints for an action, and sprig's toString). */
export function formatValue(v: GoValue, top = true): string {
  if (v === undefined) return top ? '<no value>' : '<nil>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatGoFloat(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof GoInt64) return v.v.toString();
  if (Array.isArray(v)) return '[' + v.map((e) => formatValue(e, false)).join(' ') + ']';
  return 'map[' + sortedKeys(v).map((k) => `${k}:${formatValue(v[k], false)}`).join(' ') + ']';
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function goSprint(args: GoValue[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const isString = typeof args[i] === 'string';
    if (i > 0 && !isString && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(args[i] === undefined ? null : args[i], false);
  }
  return out;
}

/** fmt.Sprintln: always spaces between operands, newline at the end. */
export function goSprintln(args: GoValue[]): string {
  return args.map((a) => formatValue(a === undefined ? null : a, false)).join(' ') + '\n';
}

interface Spec {
  minus: boolean; plus: boolean; sharp: boolean; space: boolean; zero: boolean;
  /** %#v: Go syntax */
  sharpV?: boolean;
  /** %+v: field names (no sign on numbers) */
  plusV?: boolean;
  width?: number; prec?: number;
}

/** %#v: a value in Go syntax, as fmt prints an interface{} holding it. */
function goSyntax(v: GoValue, top: boolean): string {
  if (v === undefined || v === null) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return formatGoFloat(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (isInt(v)) return intValue(v).toString();
  if (Array.isArray(v)) return `${goTypeName(v)}{${v.map((e) => goSyntax(e, false)).join(', ')}}`;
  void top;
  return `${goTypeName(v)}{${sortedKeys(v).map((k) => `${goQuote(k)}:${goSyntax(v[k], false)}`).join(', ')}}`;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined || Array.from(s).length >= spec.width) return s;
  const n = spec.width - Array.from(s).length;
  if (spec.minus) return s + ' '.repeat(n);
  if (spec.zero && numeric) {
    const m = /^[+\- ]/.exec(s);
    if (m) return m[0] + '0'.repeat(n) + s.slice(1);
    return '0'.repeat(n) + s;
  }
  return ' '.repeat(n) + s;
}

/** fmt's badVerb: the operand printed with %v under the same flags, width and precision (fmt/print.go). */
function badVerb(verb: string, v: GoValue, spec?: Spec): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${spec === undefined ? formatValue(v, false) : formatOne(v, 'v', spec)})`;
}

function signed(s: string, neg: boolean, spec: Spec): string {
  if (neg) return '-' + s;
  if (spec.plus) return '+' + s;
  if (spec.space) return ' ' + s;
  return s;
}

function formatInt(n: bigint, verb: string, spec: Spec): string {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let s: string;
  switch (verb) {
    case 'd': case 'v': s = a.toString(10); break;
    case 'x': s = a.toString(16); if (spec.sharp) s = '0x' + s; break;
    case 'X': s = a.toString(16).toUpperCase(); if (spec.sharp) s = '0X' + s; break;
    case 'o': s = a.toString(8); if (spec.sharp) s = '0' + s; break;
    case 'O': s = '0o' + a.toString(8); break;
    case 'b': s = a.toString(2); break;
    case 'c': return String.fromCodePoint(Number(n));
    case 'q': return goQuote(String.fromCodePoint(Number(n))).replace(/^"|"$/g, "'");
    case 'U': s = 'U+' + a.toString(16).toUpperCase().padStart(4, '0'); break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 's': case 't':
      return badVerb(verb, n);
    default: return badVerb(verb, n);
  }
  if (spec.prec !== undefined && verb !== 'U') s = s.padStart(spec.prec, '0');
  return pad(signed(s, neg, spec), spec, spec.prec === undefined);
}

function formatFloatVerb(f: number, verb: string, spec: Spec): string {
  let s: string;
  switch (verb) {
    case 'v': case 'g': s = spec.prec === undefined ? formatGoFloat(f) : formatGoGeneral(f, spec.prec); break;
    case 'G': s = (spec.prec === undefined ? formatGoFloat(f) : formatGoGeneral(f, spec.prec)).toUpperCase(); break;
    case 'f': case 'F': s = formatGoFixed(f, spec.prec ?? 6); break;
    case 'e': s = formatGoExp(f, spec.prec ?? 6); break;
    case 'E': s = formatGoExp(f, spec.prec ?? 6, true); break;
    default: return badVerb(verb, f, spec);
  }
  if (!s.startsWith('-') && !s.startsWith('+')) s = signed(s, false, spec);
  else if (s.startsWith('+') && !spec.plus) s = s.slice(1) === 'Inf' ? '+Inf' : s;
  return pad(s, spec, Number.isFinite(f));
}

function formatStringVerb(str: string, verb: string, spec: Spec): string {
  let s: string;
  switch (verb) {
    case 'v': case 's': s = spec.prec !== undefined ? Array.from(str).slice(0, spec.prec).join('') : str; break;
    case 'q': s = spec.sharp && !str.includes('`') ? '`' + str + '`' : goQuote(str); break;
    case 'x': case 'X': {
      let h = Buffer.from(str, 'utf8').toString('hex');
      if (verb === 'X') h = h.toUpperCase();
      s = h;
      break;
    }
    default: return badVerb(verb, str, spec);
  }
  return pad(s, spec, false);
}

function formatOne(v: GoValue, verb: string, spec: Spec): string {
  if (verb === 'T') return pad(v === undefined || v === null ? '<nil>' : goTypeName(v), spec, false);
  if (v === undefined || v === null) {
    return verb === 'v' ? pad('<nil>', spec, false) : badVerb(verb, null);
  }
  // a nil operand prints <nil> even under %#v; nil inside a map or slice is interface {}(nil)
  if (verb === 'v' && spec.sharpV) return pad(goSyntax(v, true), spec, false);
  if (typeof v === 'string') return formatStringVerb(v, verb, spec);
  if (typeof v === 'number') return formatFloatVerb(v, verb, spec);
  if (isInt(v)) return formatInt(intValue(v), verb, spec);
  if (typeof v === 'boolean') {
    if (verb === 'v' || verb === 't') return pad(v ? 'true' : 'false', spec, false);
    return badVerb(verb, v);
  }
  if (Array.isArray(v)) {
    if (verb === 'x' || verb === 'X' || verb === 'q' || verb === 'd' || verb === 's' || verb === 'v' || verb === 'f' || verb === 'g' || verb === 'e' || verb === 't') {
      return '[' + v.map((e) => formatOne(e, verb, spec)).join(' ') + ']';
    }
    return badVerb(verb, v);
  }
  return 'map[' + sortedKeys(v).map((k) => `${formatOne(k, verb, spec)}:${formatOne(v[k], verb, spec)}`).join(' ') + ']';
}

/** fmt's parsenum: digits from i, at most 1e6. */
function parseNum(format: string, i: number, end: number): { num: number; ok: boolean; i: number } {
  if (i >= end) return { num: 0, ok: false, i };
  let num = 0;
  let ok = false;
  for (; i < end && format[i] >= '0' && format[i] <= '9'; i++) {
    if (num > 1e6) return { num: 0, ok: false, i: end };
    num = num * 10 + (format.charCodeAt(i) - 48);
    ok = true;
  }
  return { num, ok, i };
}

/** fmt's parseArgNumber: `[n]` at format[i] -> zero-based index, bytes consumed, whether it parsed. */
function parseArgNumber(format: string, i: number): { index: number; wid: number; ok: boolean } {
  if (format.length - i < 3) return { index: 0, wid: 1, ok: false };
  for (let j = i + 1; j < format.length; j++) {
    if (format[j] === ']') {
      const n = parseNum(format, i + 1, j);
      if (!n.ok || n.i !== j) return { index: 0, wid: j - i + 1, ok: false };
      return { index: n.num - 1, wid: j - i + 1, ok: true };
    }
  }
  return { index: 0, wid: 1, ok: false };
}

/**
 * fmt.Sprintf as Go's doPrintf runs it: flags, width and precision (`*` included), explicit
 * argument indexes (`%[2]v`, BADINDEX, no EXTRA check once reordered), `%+v` and `%#v`.
 */
export function goSprintf(format: string, args: GoValue[]): string {
  const arg = (n: number): GoValue => (args[n] === undefined ? null : args[n]);
  let out = '';
  let argNum = 0;
  let reordered = false;
  let goodArgNum = true;
  const end = format.length;
  const argNumber = (i: number): { argNum: number; i: number; found: boolean } => {
    if (i >= end || format[i] !== '[') return { argNum, i, found: false };
    reordered = true;
    const p = parseArgNumber(format, i);
    if (p.ok && p.index >= 0 && p.index < args.length) return { argNum: p.index, i: i + p.wid, found: true };
    goodArgNum = false;
    return { argNum, i: i + p.wid, found: p.ok };
  };
  const intFromArg = (): { n: number; ok: boolean } => {
    let n = 0;
    let ok = false;
    if (argNum < args.length) {
      const v = arg(argNum);
      if (isInt(v)) {
        n = Number(intValue(v as bigint | GoInt64));
        ok = true;
        if (n > 1e6 || n < -1e6) { n = 0; ok = false; }
      }
      argNum++;
    }
    return { n, ok };
  };
  let i = 0;
  while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== '%') i++;
    if (i > lasti) out += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < end; i++) {
      const f = format[i];
      if (f === '#') spec.sharp = true;
      else if (f === '0') spec.zero = !spec.minus;
      else if (f === '+') spec.plus = true;
      else if (f === '-') { spec.minus = true; spec.zero = false; }
      else if (f === ' ') spec.space = true;
      else break;
    }
    let r = argNumber(i);
    argNum = r.argNum; i = r.i;
    let afterIndex = r.found;
    if (i < end && format[i] === '*') {
      i++;
      const w = intFromArg();
      if (!w.ok) out += '%!(BADWIDTH)';
      else {
        spec.width = w.n;
        if (w.n < 0) { spec.width = -w.n; spec.minus = true; spec.zero = false; }
      }
      afterIndex = false;
    } else {
      const n = parseNum(format, i, end);
      i = n.i;
      if (n.ok) spec.width = n.num;
      if (afterIndex && n.ok) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      r = argNumber(i);
      argNum = r.argNum; i = r.i; afterIndex = r.found;
      if (i < end && format[i] === '*') {
        i++;
        const p = intFromArg();
        if (p.ok && p.n >= 0) spec.prec = p.n;
        if (!p.ok) out += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const n = parseNum(format, i, end);
        i = n.i;
        spec.prec = n.ok ? n.num : 0;
      }
    }
    if (!afterIndex) {
      r = argNumber(i);
      argNum = r.argNum; i = r.i; afterIndex = r.found;
    }
    if (i >= end) { out += '%!(NOVERB)'; break; }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') { out += '%'; continue; }
    if (!goodArgNum) { out += `%!${verb}(BADINDEX)`; continue; }
    if (argNum >= args.length) { out += `%!${verb}(MISSING)`; continue; }
    if (verb === 'v') {
      spec.sharpV = spec.sharp; spec.sharp = false;
      spec.plusV = spec.plus; spec.plus = false;
    }
    out += formatOne(arg(argNum), verb, spec);
    argNum++;
  }
  if (!reordered && argNum < args.length) {
    out += '%!(EXTRA ' + args.slice(argNum).map((a) => {
      const v = a === undefined ? null : a;
      return v === null ? '<nil>' : `${goTypeName(v)}=${formatValue(v, false)}`;
    }).join(', ') + ')';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// encoding/json

/** Go's encoding/json Marshal (sorted keys, HTML-safe escaping unless `escapeHtml` is false). */
export function goJson(v: GoValue, indent = '', escapeHtml = true, level = 0): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return jsonString(v, escapeHtml);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TemplateError(`json: unsupported value: ${formatGoFloat(v)}`);
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof GoInt64) return v.v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const nl = indent ? '\n' + indent.repeat(level + 1) : '';
  const end = indent ? '\n' + indent.repeat(level) : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + v.map((e) => nl + goJson(e, indent, escapeHtml, level + 1)).join(',') + end + ']';
  }
  const keys = sortedKeys(v);
  if (keys.length === 0) return '{}';
  return '{' + keys.map((k) => nl + jsonString(k, escapeHtml) + sep + goJson(v[k], indent, escapeHtml, level + 1)).join(',') + end + '}';
}

function jsonString(s: string, escapeHtml: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20) out += '\\u00' + c.toString(16).padStart(2, '0');
    else if (escapeHtml && (ch === '<' || ch === '>' || ch === '&')) out += '\\u00' + c.toString(16);
    else if (c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16);
    else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return out + '"';
}

/** Decodes JSON the way Go's json.Unmarshal into interface{} does (numbers become float64). */
export function fromJsonValue(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(v)) return v.map(fromJsonValue);
  const out: GoMap = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = fromJsonValue(x);
  return out;
}
