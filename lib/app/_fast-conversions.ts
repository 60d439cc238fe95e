// The generated L1 conversions at fleet scale: the same result as json2jsii's `toJson_*` functions
// (the code `cdk8s import` writes, and cdk8s-plus' own imports/k8s.js), without a copy of the
// object per property.
//
// Every generated conversion ends with
// `Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})`,
// and maps (labels, annotations, data) go through the same expression: it copies the object once
// per property, so its cost grows with the square of the number of keys. On a fleet of 14,000
// objects through cdk8s-plus that is the largest single cost of rendering, and much of the garbage.
// This project's own bindings in imports/ are post-processed at import time (scripts/import.mjs);
// bindings of other packages (cdk8s-plus' KubeDeployment and the like) are left as they are on
// disk, and while an `ArgoCdApp` synthesizes, the `toJson()` of their L1 classes is replaced by one
// that calls recompiled copies of the same conversions in which only that expression is replaced by
// `definedOnly()` (imports/_defined-only.ts: the same keys in the same order, undefined values left
// out, a `__proto__` key kept as an own property, as the spread keeps it), and the object literal
// of an object type's fields, then filtered, by assignments of its defined fields to one new object
// (`assignDefinedFields` in lib/_internal/json2jsii.ts).
//
// It applies only where the generated code is exactly what json2jsii writes, and falls back to the
// class' own `toJson()` otherwise:
// - the class' `toJson()` is json2jsii's (`const resolved = super.toJson(); return {
//   ...Cls.GVK, ...toJson_XProps(resolved) }`), and the class and its conversion are exports of one
//   loaded CommonJS module;
// - every exported `toJson_*` function of that module is recompiled from its own source text
//   (`Function.prototype.toString`), never the module as a whole (nothing of the module runs
//   again), and only when every free name in each is another exported conversion of the module or
//   one of the few globals the generated code uses (`Object`, `undefined`); anything else, and the
//   module keeps its own code.
// test/app/fast-conversions.property.test.ts holds the copies to the originals on random input.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { definedOnly, plainObject } from '../../imports/_defined-only';
import { assignDefinedFields, JSON2JSII_FILTER } from '../_internal/json2jsii';

/** json2jsii's `toJson()` of an L1 class. */
const CLASS_TO_JSON = /^toJson\(\)\s*\{\s*const resolved = super\.toJson\(\);\s*return \{\s*\.\.\.([A-Za-z_$][\w$]*)\.GVK,\s*\.\.\.(toJson_[\w$]+)\(resolved\),?\s*\};?\s*\}$/;

/** json2jsii's conversion functions: `function toJson_X(obj) { ... }`. */
const CONVERSION = /^function (toJson_[\w$]+)\(obj\) \{/;

/** The names a generated conversion may use besides its module's other conversions. */
const KNOWN_NAMES = new Set(['function', 'if', 'return', 'const', 'let', 'undefined', 'null', 'true', 'false', 'obj', 'result', 'r', 'i', 'y', 'Object', '__definedOnly', '__plainObject', '__v']);

type Conversion = (obj: any) => any;

/** A module's exports: its recompiled conversions (by name), or undefined when it has none usable. */
const recompiled = new WeakMap<object, Map<string, Conversion> | undefined>();

/** A class: its faster `toJson()` and the original it replaces, or undefined when it has none. */
const replacements = new WeakMap<Function, { original: Function; fast: Function } | undefined>();

/**
 * Recompiles the exported `toJson_*` conversions of a module with json2jsii's filter replaced by
 * `definedOnly()`; undefined when any conversion is not json2jsii's simple form or uses a name it
 * does not define, or when no conversion has the filter.
 */
function recompile(exports: any): Map<string, Conversion> | undefined {
  const names = Object.keys(exports).filter((n) => n.startsWith('toJson_') && typeof exports[n] === 'function');
  if (names.length === 0) return undefined;
  const own = new Set(names);
  const sources: string[] = [];
  let replacedAny = false;
  for (const name of names) {
    const fn = exports[name];
    const text: string = Function.prototype.toString.call(fn);
    const head = CONVERSION.exec(text);
    if (fn.name !== name || !head || head[1] !== name) return undefined;
    const filtered = text.replace(JSON2JSII_FILTER, (_m, arg) => {
      replacedAny = true;
      return `__definedOnly(${arg})`;
    });
    const replaced = assignDefinedFields(filtered, { filter: '__definedOnly', factory: '__plainObject', temp: '__v' });
    if (!freeNamesKnown(replaced, own)) return undefined;
    sources.push(replaced);
  }
  if (!replacedAny) return undefined;
  try {
    const factory = new Function('__definedOnly', '__plainObject', `'use strict';\n${sources.join('\n')}\nreturn { ${names.join(', ')} };`);
    const made = factory(definedOnly, plainObject);
    return new Map(names.map((n) => [n, made[n] as Conversion]));
  } catch {
    return undefined;
  }
}

/**
 * Whether every name `source` reads is a known one: every identifier outside string literals and
 * comments, and not after `.` (a property), must be in `KNOWN_NAMES` or `own`. Generated conversions
 * declare nothing but `result` and the arrow parameters `r`, `i` and `y`, quote their keys with `'`,
 * and hold no other literal but numbers; anything else (a double quote, a template, a regular
 * expression, a block comment) is refused.
 */
function freeNamesKnown(source: string, own: Set<string>): boolean {
  let code = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "'") {
      // a single-quoted string: skipped
      for (i++; i < source.length && source[i] !== "'"; i++) {
        if (source[i] === '\\') i++;
        else if (source[i] === '\n') return false;
      }
      if (i >= source.length) return false;
      code += ' ';
    } else if (ch === '/') {
      if (source[i + 1] !== '/') return false;
      while (i < source.length && source[i] !== '\n') i++;
      code += ' ';
    } else if (ch === '"' || ch === '`') {
      return false;
    } else {
      code += ch;
    }
  }
  const ident = /[A-Za-z_$][\w$]*/g;
  let m: RegExpExecArray | null;
  while ((m = ident.exec(code)) !== null) {
    if (m.index > 0 && code[m.index - 1] === '.' && code[m.index - 2] !== '.') continue; // a property (`a.b`, `a?.b`), not a spread
    if (m.index > 0 && /[\w$]/.test(code[m.index - 1])) continue; // part of a number literal such as 1e5
    if (!KNOWN_NAMES.has(m[0]) && !own.has(m[0])) return false;
  }
  return true;
}

/** The loaded CommonJS module that exports `cls` under its name and the conversion `conversion`. */
function moduleExporting(cls: Function, conversion: string): any | undefined {
  const cache: { [file: string]: NodeModule | undefined } = typeof require === 'function' && require.cache ? require.cache : {};
  for (const file of Object.keys(cache)) {
    const exports = cache[file]?.exports;
    if (exports && typeof exports === 'object' && exports[cls.name] === cls && typeof exports[conversion] === 'function') return exports;
  }
  return undefined;
}

/** The faster `toJson()` for instances of `cls`, made once per class; undefined when there is none. */
function replacementFor(cls: Function): { original: Function; fast: Function } | undefined {
  if (replacements.has(cls)) return replacements.get(cls);
  let made: { original: Function; fast: Function } | undefined;
  try {
    made = makeReplacement(cls);
  } catch {
    made = undefined;
  }
  replacements.set(cls, made);
  return made;
}

function makeReplacement(cls: Function): { original: Function; fast: Function } | undefined {
  const proto = cls.prototype;
  if (!Object.prototype.hasOwnProperty.call(proto, 'toJson')) return undefined;
  const original = proto.toJson;
  if (typeof original !== 'function') return undefined;
  const shape = CLASS_TO_JSON.exec(Function.prototype.toString.call(original));
  if (!shape || shape[1] !== cls.name) return undefined;
  const gvk = (cls as any).GVK;
  if (!gvk || typeof gvk !== 'object') return undefined;
  const exports = moduleExporting(cls, shape[2]);
  if (!exports) return undefined;
  if (!recompiled.has(exports)) recompiled.set(exports, recompile(exports));
  const convert = recompiled.get(exports)?.get(shape[2]);
  if (!convert) return undefined;
  const parent = Object.getPrototypeOf(proto);
  // what the original does, with `super.toJson()` looked up as `super` looks it up (on the
  // prototype's prototype, at the time of the call)
  const fast = function toJson(this: ApiObject): any {
    const resolved = parent.toJson.call(this);
    return { ...(cls as any).GVK, ...convert(resolved) };
  };
  return { original, fast };
}

/**
 * Runs `fn` with the json2jsii L1 classes of `constructs` converting through the recompiled
 * conversions (see the top of this file); every class gets its own `toJson()` back afterwards.
 *
 * @internal
 */
export function _withFastConversions<T>(constructs: readonly IConstruct[], fn: () => T): T {
  const classes = new Set<Function>();
  for (const c of constructs) {
    if (c instanceof ApiObject) classes.add(c.constructor);
  }
  const installed: { proto: any; original: Function }[] = [];
  // a class and the classes it extends (a user's class extending KubeDeployment renders through
  // KubeDeployment's toJson)
  const seen = new Set<Function>();
  for (const start of classes) {
    for (let cls: Function | null = start; cls && cls !== ApiObject && cls !== Function.prototype && !seen.has(cls); cls = Object.getPrototypeOf(cls)) {
      seen.add(cls);
      const r = replacementFor(cls);
      if (r && cls.prototype.toJson === r.original) {
        cls.prototype.toJson = r.fast;
        installed.push({ proto: cls.prototype, original: r.original });
      }
    }
  }
  try {
    return fn();
  } finally {
    for (const { proto, original } of installed) proto.toJson = original;
  }
}

/**
 * The recompiled conversion `name` of the module `exports`, for the tests that hold it to the
 * original; undefined when the module's conversions are not recompiled.
 *
 * @internal
 */
export function _recompiledConversion(exports: object, name: string): Conversion | undefined {
  if (!recompiled.has(exports)) recompiled.set(exports, recompile(exports));
  return recompiled.get(exports)?.get(name);
}
