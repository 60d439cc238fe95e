// Go's encoding/json reading of a templatePatch into Argo CD's Application type, for its error
// texts: the syntax check Go runs first (encoding/json scanner.go: `invalid character '}' looking
// for beginning of value`, `unexpected end of JSON input`), then the type errors of decoding into
// the Application struct (`json: cannot unmarshal string into Go struct field Application.spec of
// type v1alpha1.ApplicationSpec`; the first one in document order, as Go reports it). The types
// are those of Argo CD v3.5.1's pkg/apis/application/v1alpha1 for the fields the preview renders;
// fields it does not know are ignored, as Go ignores unknown fields.
// Internal: not exported from the package.

/** Go's quoteChar of one byte of the input. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const s = JSON.stringify(String.fromCharCode(c));
  const inner = c < 0x20 || c === 0x7f ? goEscape(c) : s.slice(1, -1);
  return `'${inner}'`;
}

function goEscape(c: number): string {
  switch (c) {
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x0b: return '\\v';
    default: return `\\x${c.toString(16).padStart(2, '0')}`;
  }
}

class SyntaxError extends Error {}

/** Go's checkValid: the first syntax error of `text`, in Go's words, or undefined. */
export function goJsonSyntaxError(text: string): string | undefined {
  const b = Buffer.from(text, 'utf8');
  let i = 0;
  const eof = () => { throw new SyntaxError('unexpected end of JSON input'); };
  const bad = (c: number, context: string) => { throw new SyntaxError(`invalid character ${quoteChar(c)} ${context}`); };
  const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  const skip = () => { while (i < b.length && isSpace(b[i])) i++; };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      if (i + k >= b.length) eof();
      if (b[i + k] !== word.charCodeAt(k)) bad(b[i + k], `in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`);
    }
    i += word.length;
  };
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  const number = () => {
    if (b[i] === 0x2d) { i++; if (i >= b.length) eof(); if (!isDigit(b[i])) bad(b[i], 'in numeric literal'); }
    if (b[i] === 0x30) i++;
    else while (i < b.length && isDigit(b[i])) i++;
    if (i < b.length && b[i] === 0x2e) {
      i++;
      if (i >= b.length) eof();
      if (!isDigit(b[i])) bad(b[i], 'after decimal point in numeric literal');
      while (i < b.length && isDigit(b[i])) i++;
    }
    if (i < b.length && (b[i] === 0x65 || b[i] === 0x45)) {
      i++;
      if (i < b.length && (b[i] === 0x2b || b[i] === 0x2d)) i++;
      if (i >= b.length) eof();
      if (!isDigit(b[i])) bad(b[i], 'in exponent of numeric literal');
      while (i < b.length && isDigit(b[i])) i++;
    }
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= b.length) eof();
      const c = b[i];
      if (c === 0x22) { i++; return; }
      if (c === 0x5c) {
        i++;
        if (i >= b.length) eof();
        const e = b[i];
        if (e === 0x75) {
          for (let k = 1; k <= 4; k++) {
            if (i + k >= b.length) eof();
            if (!/[0-9a-fA-F]/.test(String.fromCharCode(b[i + k]))) bad(b[i + k], 'in \\u hexadecimal character escape');
          }
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) bad(e, 'in string escape code');
        i++;
        continue;
      }
      if (c < 0x20) bad(c, 'in string literal');
      i++;
    }
  };
  const value = (): void => {
    skip();
    if (i >= b.length) eof();
    const c = b[i];
    if (c === 0x7b) {
      i++;
      skip();
      if (i >= b.length) eof();
      if (b[i] === 0x7d) { i++; return; }
      for (;;) {
        skip();
        if (i >= b.length) eof();
        if (b[i] !== 0x22) bad(b[i], 'looking for beginning of object key string');
        string();
        skip();
        if (i >= b.length) eof();
        if (b[i] !== 0x3a) bad(b[i], 'after object key');
        i++;
        value();
        skip();
        if (i >= b.length) eof();
        if (b[i] === 0x2c) { i++; continue; }
        if (b[i] === 0x7d) { i++; return; }
        bad(b[i], 'after object key:value pair');
      }
    }
    if (c === 0x5b) {
      i++;
      skip();
      if (i >= b.length) eof();
      if (b[i] === 0x5d) { i++; return; }
      for (;;) {
        value();
        skip();
        if (i >= b.length) eof();
        if (b[i] === 0x2c) { i++; continue; }
        if (b[i] === 0x5d) { i++; return; }
        bad(b[i], 'after array element');
      }
    }
    if (c === 0x22) return string();
    if (c === 0x2d || isDigit(c)) return number();
    if (c === 0x74) return literal('true');
    if (c === 0x66) return literal('false');
    if (c === 0x6e) return literal('null');
    bad(c, 'looking for beginning of value');
  };
  try {
    value();
    skip();
    if (i < b.length) bad(b[i], 'after top-level value');
  } catch (e) {
    if (e instanceof SyntaxError) return e.message;
    throw e;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// types

type GoType =
  | { kind: 'string' | 'bool' | 'int64' | 'any'; name: string }
  | { kind: 'struct'; name: string; short: string; fields: () => Record<string, GoType> }
  | { kind: 'slice'; name: string; elem: () => GoType }
  | { kind: 'map'; name: string; elem: () => GoType };

const STRING: GoType = { kind: 'string', name: 'string' };
const BOOL: GoType = { kind: 'bool', name: 'bool' };
const INT64: GoType = { kind: 'int64', name: 'int64' };
const ANY: GoType = { kind: 'any', name: 'runtime.RawExtension' };
const STRINGS: GoType = { kind: 'slice', name: '[]string', elem: () => STRING };
const STRING_MAP: GoType = { kind: 'map', name: 'map[string]string', elem: () => STRING };
const struct = (pkg: string, short: string, fields: () => Record<string, GoType>): GoType => ({ kind: 'struct', name: `${pkg}.${short}`, short, fields });
const slice = (name: string, elem: () => GoType): GoType => ({ kind: 'slice', name, elem });

const OBJECT_META = struct('v1', 'ObjectMeta', () => ({
  name: STRING, generateName: STRING, namespace: STRING, selfLink: STRING, uid: STRING, resourceVersion: STRING,
  generation: INT64, labels: STRING_MAP, annotations: STRING_MAP, finalizers: STRINGS,
}));
const HELM_PARAMETER = struct('v1alpha1', 'HelmParameter', () => ({ name: STRING, value: STRING, forceString: BOOL }));
const HELM = struct('v1alpha1', 'ApplicationSourceHelm', () => ({
  valueFiles: STRINGS, parameters: slice('[]v1alpha1.HelmParameter', () => HELM_PARAMETER), releaseName: STRING, values: STRING,
  valuesObject: ANY, version: STRING, passCredentials: BOOL, ignoreMissingValueFiles: BOOL, skipCrds: BOOL, namespace: STRING,
  kubeVersion: STRING, apiVersions: STRINGS, skipTests: BOOL, skipSchemaValidation: BOOL,
}));
const SOURCE = struct('v1alpha1', 'ApplicationSource', () => ({
  repoURL: STRING, path: STRING, targetRevision: STRING, helm: HELM, chart: STRING, ref: STRING, name: STRING,
}));
const DESTINATION = struct('v1alpha1', 'ApplicationDestination', () => ({ server: STRING, namespace: STRING, name: STRING }));
const AUTOMATED = struct('v1alpha1', 'SyncPolicyAutomated', () => ({ prune: BOOL, selfHeal: BOOL, allowEmpty: BOOL, enabled: BOOL }));
const SYNC_POLICY = struct('v1alpha1', 'SyncPolicy', () => ({ automated: AUTOMATED, syncOptions: { kind: 'slice', name: 'v1alpha1.SyncOptions', elem: () => STRING } }));
const INFO = struct('v1alpha1', 'Info', () => ({ name: STRING, value: STRING }));
const SPEC = struct('v1alpha1', 'ApplicationSpec', () => ({
  source: SOURCE, destination: DESTINATION, project: STRING, syncPolicy: SYNC_POLICY, info: slice('[]v1alpha1.Info', () => INFO),
  revisionHistoryLimit: INT64, sources: slice('v1alpha1.ApplicationSources', () => SOURCE),
}));
/** Argo CD's v1alpha1.Application (the fields the preview renders). */
export const APPLICATION_TYPE = struct('v1alpha1', 'Application', () => ({ apiVersion: STRING, kind: STRING, metadata: OBJECT_META, spec: SPEC }));

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v !== null && typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'number' ? 'number' : 'string';
}

/**
 * The first error of Go's json.Unmarshal of `value` (already parsed) into `type`, in Go's words,
 * or undefined.
 */
export function goJsonTypeError(value: unknown, type: GoType): string | undefined {
  let first: string | undefined;
  const fail = (v: unknown, t: GoType, where: { struct: string; path: string[] } | undefined, raw?: string) => {
    if (first !== undefined) return;
    const what = raw ?? jsonKind(v);
    first = where
      ? `json: cannot unmarshal ${what} into Go struct field ${where.struct}.${where.path.join('.')} of type ${t.name}`
      : `json: cannot unmarshal ${what} into Go value of type ${t.name}`;
  };
  const walk = (v: unknown, t: GoType, where: { struct: string; path: string[] } | undefined) => {
    if (v === null || t.kind === 'any') return;
    switch (t.kind) {
      case 'string': if (typeof v !== 'string') fail(v, t, where); return;
      case 'bool': if (typeof v !== 'boolean') fail(v, t, where); return;
      case 'int64':
        if (typeof v !== 'number') fail(v, t, where);
        else if (!Number.isInteger(v)) fail(v, t, where, `number ${String(v)}`);
        return;
      case 'slice':
        if (!Array.isArray(v)) { fail(v, t, where); return; }
        for (const e of v) walk(e, t.elem(), where);
        return;
      case 'map':
        if (v === null || typeof v !== 'object' || Array.isArray(v)) { fail(v, t, where); return; }
        for (const e of Object.values(v as object)) walk(e, t.elem(), where);
        return;
      case 'struct': {
        if (typeof v !== 'object' || Array.isArray(v)) { fail(v, t, where); return; }
        const fields = t.fields();
        for (const [k, x] of Object.entries(v as object)) {
          const ft = fields[k] ?? Object.entries(fields).find(([name]) => name.toLowerCase() === k.toLowerCase())?.[1];
          if (!ft) continue;
          walk(x, ft, { struct: t.short, path: [...(where?.path ?? []), k] });
        }
      }
    }
  };
  walk(value, type, undefined);
  return first;
}
