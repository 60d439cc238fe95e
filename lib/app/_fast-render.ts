// Rendering ApiObjects at fleet scale: the same result as cdk8s' own `ApiObject.toJson()`, in one
// pass instead of three.
//
// cdk8s (2.x, lib/api-object.ts) renders an object as `sanitizeValue(resolve([], data, obj))`:
// `resolve()` (lib/resolve.ts) walks the manifest, and for every value, a leaf or not, looks up
// `App.of(obj).resolvers` (a walk up the construct tree), allocates a `ResolutionContext` and a copy
// of the key path, and copies every object and array; `sanitizeValue()` (lib/_util.ts) then copies
// the whole tree again to sort keys and drop nulls. On a fleet of 14,000 objects this is a third of
// a synthesis. While an `ArgoCdApp` synthesizes, `ApiObject.prototype.toJson` is replaced by
// `fastToJson` below, which resolves and sanitizes in one walk: the generated L1 classes call
// `super.toJson()`, so they reach it too, and their own conversion runs unchanged.
//
// This is a reimplementation of cdk8s' behaviour, kept exact on purpose (and held to it by
// test/app/fast-render.property.test.ts, which compares it with cdk8s' own implementation on random
// manifests):
// - it is used only for objects of the synthesizing app, and only when that app's resolvers are
//   exactly cdk8s' three built-in ones (`LazyResolver`, `ImplicitTokenResolver`,
//   `NumberStringUnionResolver`, which read neither the key path nor the object); any custom
//   resolver, or an object of another app, renders through cdk8s' own code;
// - values are resolved in cdk8s' order (insertion order, depth first; `Lazy.produce()` and
//   `resolve()` are called as often and in the same order), then keys are sorted as
//   `sanitizeValue` sorts them (unless `CDK8S_DISABLE_SORT` is set), nulls are dropped from objects
//   and turned into `undefined` in arrays;
// - what `resolve()` returns unchanged (class instances no resolver replaces, objects of another
//   realm, objects without a prototype) is sanitized, or refused with cdk8s' message, only once every
//   value has been resolved, in `sanitizeValue`'s order, as cdk8s does;
// - an object with an own `__proto__` key goes through exact ports of the two functions instead
//   (cdk8s' assignment `result['__proto__'] = v` changes that object's prototype).
//
// Metadata is rendered the same way: cdk8s' `ApiObjectMetadataDefinition.toJson()` (lib/metadata.ts)
// is `sanitizeValue(resolve([], {...}, apiObject), { filterEmptyArrays: true, filterEmptyObjects:
// true })` (always sorted), called for every object's metadata and for every cdk8s-plus pod
// template's; while the app synthesizes it is replaced by `fastMetadataToJson`, the same walk with
// empty arrays and objects dropped as `sanitizeValue` drops them.
import { ApiObject, ApiObjectMetadataDefinition, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { plainObject } from '../../imports/_defined-only';
import { compareStrings } from '../_internal/values';

/**
 * A value `resolve()` returned as it is (a class instance, an object of another realm) or an object
 * with an own `__proto__` key, resolved: `sanitizeValue()` takes it (or refuses it) once the whole
 * manifest is resolved, as in cdk8s, where it runs after `resolve()`.
 */
class Deferred {
  constructor(readonly resolved: any) {}
}

interface WalkState {
  readonly sortKeys: boolean;
  /** `sanitizeValue`'s `filterEmptyArrays` and `filterEmptyObjects` (both set, as metadata sets them). */
  readonly filterEmpty: boolean;
  /** Set once a `Deferred` has been put into the tree. */
  deferred: boolean;
}

const hasOwn = Object.prototype.hasOwnProperty;


// cdk8s' classes as constants: the compiled `cdk8s_1.Lazy` reads a getter of cdk8s' index module
// at every use, and applyResolvers() runs for every value of every manifest
const LAZY = Lazy;

/** cdk8s' three resolvers, applied in cdk8s' order until none replaces the value. */
function applyResolvers(value: any): any {
  for (;;) {
    if (value == null) return value;
    // LazyResolver
    if (value instanceof LAZY) {
      value = value.produce();
      continue;
    }
    // ImplicitTokenResolver
    if (typeof value.resolve === 'function') {
      value = value.resolve();
      continue;
    }
    // NumberStringUnionResolver (plain dictionaries are left alone)
    if (value.constructor !== Object) {
      const t = typeof value.value;
      if (t === 'number' || t === 'string') {
        value = { value: value.value };
        continue;
      }
    }
    return value;
  }
}

/** `sanitizeValue(resolve(value))` in one walk, but for the `Deferred` parts. */
function walk(raw: any, st: WalkState): any {
  const value = applyResolvers(raw);
  if (value == null) return undefined;
  if (Array.isArray(value)) {
    // resolve() maps the array (holes stay holes), sanitizeValue() drops it when empty
    if (st.filterEmpty && value.length === 0) return undefined;
    return value.map((x) => walk(x, st));
  }
  if (value.constructor == Object) {
    if (hasOwn.call(value, '__proto__')) {
      st.deferred = true;
      return new Deferred(portResolveResolved(value));
    }
    let keys = Object.keys(value);
    const n = keys.length;
    // resolve() reads every entry first (Object.entries), then resolves them in order
    let vals = new Array(n);
    for (let i = 0; i < n; i++) vals[i] = value[keys[i]];
    // resolved in order; the entries that resolve to null or undefined, which sanitizeValue()
    // drops, are dropped here already (a null or undefined value is no resolver's: skipped), so
    // that only the entries kept are sorted (the generated conversions and cdk8s-plus leave many
    // fields undefined)
    let m = 0;
    for (let i = 0; i < n; i++) {
      const raw = vals[i];
      if (raw == null) continue;
      const v = walk(raw, st);
      if (v == null) continue;
      keys[m] = keys[i];
      vals[m] = v;
      m++;
    }
    if (st.sortKeys && m > 1) {
      if (m <= 24) {
        // insertion sort of the key and value lists together: the objects of a manifest have a
        // handful of keys
        for (let i = 1; i < m; i++) {
          const k = keys[i];
          const v = vals[i];
          let j = i - 1;
          while (j >= 0 && keys[j] > k) {
            keys[j + 1] = keys[j];
            vals[j + 1] = vals[j];
            j--;
          }
          keys[j + 1] = k;
          vals[j + 1] = v;
        }
      } else {
        keys.length = m;
        vals.length = m;
        const order = sortedIndexes(keys);
        const sortedKeys = order.map((i) => keys[i]);
        vals = order.map((i) => vals[i]);
        keys = sortedKeys;
      }
    }
    if (st.filterEmpty && m === 0) return undefined;
    // plainObject(): an ordinary object whose hidden classes are shared across a fleet (see there)
    const out: any = plainObject();
    for (let i = 0; i < m; i++) out[keys[i]] = vals[i];
    return out;
  }
  // resolve() returns anything else as it is; sanitizeValue() returns primitives and functions
  // as they are, and takes or refuses objects later
  if (typeof value !== 'object') return value;
  st.deferred = true;
  return new Deferred(value);
}

/** The indexes of `keys` in the order of `keys.slice().sort()` (keys are distinct). */
function sortedIndexes(keys: string[]): number[] {
  const n = keys.length;
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => compareStrings(keys[a], keys[b]));
}

/**
 * Replaces every `Deferred` in `walk`'s output with what `sanitizeValue()` makes of it, visiting
 * the tree in `sanitizeValue()`'s order (so the first value it refuses is the one cdk8s names);
 * with `filterEmpty`, a key whose value sanitizes to nothing is dropped, and an object left empty
 * is dropped in turn, as `sanitizeValue()` drops them.
 */
function settle(x: any, sortKeys: boolean, filterEmpty: boolean): any {
  if (x instanceof Deferred) return portSanitize(x.resolved, sortKeys, filterEmpty);
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) {
    x.forEach((v, i) => {
      x[i] = settle(v, sortKeys, filterEmpty);
    });
    return x;
  }
  const keys = sortKeys ? Object.keys(x).sort() : Object.keys(x);
  for (const k of keys) {
    const v = settle(x[k], sortKeys, filterEmpty);
    if (v == null) delete x[k];
    else x[k] = v;
  }
  return filterEmpty && Object.keys(x).length === 0 ? undefined : x;
}

/** cdk8s' `resolve()` with its built-in resolvers (which read neither the key nor the object). */
function portResolve(raw: any): any {
  return portResolveResolved(applyResolvers(raw));
}

/** `portResolve()` of a value no resolver replaces. */
function portResolveResolved(value: any): any {
  if (value == null) return value;
  if (Array.isArray(value)) return value.map((x) => portResolve(x));
  if (value.constructor == Object) {
    const result: any = {};
    for (const [k, v] of Object.entries(value)) result[k] = portResolve(v);
    return result;
  }
  return value;
}

/** cdk8s' `sanitizeValue()` (`filterEmpty`: both `filterEmptyArrays` and `filterEmptyObjects`). */
function portSanitize(obj: any, sortKeys: boolean, filterEmpty: boolean): any {
  if (obj == null) return undefined;
  if (typeof obj !== 'object') return obj;
  if (Array.isArray(obj)) {
    if (filterEmpty && obj.length === 0) return undefined;
    return obj.map((x) => portSanitize(x, sortKeys, filterEmpty));
  }
  if (obj.constructor.name !== 'Object') {
    throw new Error(`can't render non-simple object of type '${obj.constructor.name}'`);
  }
  const newObj: any = {};
  const keys = sortKeys ? Object.keys(obj).sort() : Object.keys(obj);
  for (const key of keys) {
    const newValue = portSanitize(obj[key], sortKeys, filterEmpty);
    if (newValue != null) newObj[key] = newValue;
  }
  if (filterEmpty && Object.keys(newObj).length === 0) return undefined;
  return newObj;
}

/**
 * `sanitizeValue(resolve([], data, obj), { sortKeys, filterEmptyArrays: filterEmpty,
 * filterEmptyObjects: filterEmpty })` for an object of an app whose resolvers are cdk8s' built-in
 * ones.
 */
function resolveAndSanitize(data: any, sortKeys: boolean, filterEmpty: boolean): any {
  const st: WalkState = { sortKeys, filterEmpty, deferred: false };
  const json = walk(data, st);
  return st.deferred ? settle(json, sortKeys, filterEmpty) : json;
}

const ORIGINAL_TO_JSON = ApiObject.prototype.toJson;
const ORIGINAL_METADATA_TO_JSON = ApiObjectMetadataDefinition.prototype.toJson;
const FAST_TO_JSON = Symbol.for('cdk8s-argocd.fastToJson');

/** The apps whose objects currently render through `fastToJson` (a stack: syntheses can nest). */
const activeApps: App[] = [];

/**
 * `CDK8S_DISABLE_SORT` as the outermost synthesis found it: read once per synthesis rather than
 * once per object (cdk8s reads it in every `toJson()`; nothing changes it during a synthesis).
 */
let sortDisabled = false;

/** cdk8s' `ApiObject.toJson()`, for objects of an app in `activeApps`; otherwise cdk8s' own. */
function fastToJson(this: ApiObject): any {
  // `props` and `patches` are private in cdk8s' typings: an ApiObject without them (another cdk8s
  // version) renders through cdk8s' own code
  const self = this as any;
  const props = self.props;
  const patches = self.patches;
  if (props === undefined || !Array.isArray(patches) || !inActiveApp(this)) {
    return ORIGINAL_TO_JSON.call(this);
  }
  try {
    const data = { ...props, metadata: this.metadata.toJson() };
    const sortKeys = !sortDisabled;
    const json = resolveAndSanitize(data, sortKeys, false);
    // JsonPatch.apply with no operations returns the document itself
    const patched = patches.length === 0 ? json : JsonPatch.apply(json, ...patches);
    // reorder top-level keys: apiVersion, kind and metadata first (as cdk8s does)
    const result: any = plainObject();
    const orderedKeys = ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)];
    for (const k of orderedKeys) {
      if (k in patched) result[k] = patched[k];
    }
    return result;
  } catch (e) {
    throw new Error(`Failed serializing construct at path '${this.node.path}' with name '${this.name}': ${e}`);
  }
}
Object.defineProperty(fastToJson, FAST_TO_JSON, { value: true });

/** Whether `obj` belongs to an app in `activeApps` (false for a construct outside any app). */
function inActiveApp(obj: ApiObject): boolean {
  if (activeApps.length === 0) return false;
  let app: App;
  try {
    app = App.of(obj);
  } catch {
    return false;
  }
  return activeApps.includes(app);
}

/** cdk8s' `ApiObjectMetadataDefinition.toJson()`, for the metadata of an object of an app in `activeApps`. */
function fastMetadataToJson(this: ApiObjectMetadataDefinition): any {
  // the fields are private in cdk8s' typings: a definition without them (another cdk8s version)
  // renders through cdk8s' own code
  const self = this as any;
  const attributes = self._additionalAttributes;
  if (attributes === undefined || !(self.apiObject instanceof ApiObject) || !inActiveApp(self.apiObject)) {
    return ORIGINAL_METADATA_TO_JSON.call(this);
  }
  // the same object as cdk8s resolves, built in the same order (getters of the additional
  // attributes run here, as in cdk8s' spread)
  const data = {
    ...attributes,
    name: this.name,
    namespace: this.namespace,
    annotations: self.annotations,
    finalizers: self.finalizers,
    ownerReferences: self.ownerReferences,
    labels: self.labels,
  };
  return resolveAndSanitize(data, true, true);
}
Object.defineProperty(fastMetadataToJson, FAST_TO_JSON, { value: true });

/** Whether `app`'s resolvers are exactly cdk8s' three built-in ones, in cdk8s' order. */
function hasBuiltInResolversOnly(app: App): boolean {
  const r = app.resolvers;
  return r.length === 3
    && r[0]?.constructor === LazyResolver
    && r[1]?.constructor === ImplicitTokenResolver
    && r[2]?.constructor === NumberStringUnionResolver;
}

/**
 * Runs `fn` with the objects of `app` rendering through the one-pass `toJson()` (when the app's
 * resolvers allow it; otherwise `fn` runs unchanged).
 *
 * @internal
 */
export function _withFastRendering<T>(app: App, fn: () => T): T {
  if (!hasBuiltInResolversOnly(app)) return fn();
  const proto = ApiObject.prototype as any;
  const installedHere = proto.toJson === ORIGINAL_TO_JSON;
  if (!installedHere && !(proto.toJson && proto.toJson[FAST_TO_JSON])) {
    // someone else replaced toJson; leave theirs in place
    return fn();
  }
  // metadata likewise, unless someone else replaced its toJson (then theirs renders it)
  const meta = ApiObjectMetadataDefinition.prototype as any;
  const metadataHere = meta.toJson === ORIGINAL_METADATA_TO_JSON;
  if (installedHere) proto.toJson = fastToJson;
  if (metadataHere) meta.toJson = fastMetadataToJson;
  if (activeApps.length === 0) sortDisabled = !!process.env.CDK8S_DISABLE_SORT;
  activeApps.push(app);
  try {
    return fn();
  } finally {
    activeApps.pop();
    if (installedHere) proto.toJson = ORIGINAL_TO_JSON;
    if (metadataHere) meta.toJson = ORIGINAL_METADATA_TO_JSON;
  }
}
