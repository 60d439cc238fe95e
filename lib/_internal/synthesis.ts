// The facts one synthesis shares: the app's constructs listed once, each object rendered once, and
// answers that many constructs' validations and checks need (every cluster Secret, each
// ApplicationSet's expansion). The app layer opens and closes a synthesis here; constructs and
// checks read through it. Neither side imports the other: both import this module.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

interface Synthesis {
  readonly memo: Map<string, unknown>;
  /** On once the root's validations (which derive sync waves, and so change annotations) have run. */
  renders?: Map<ApiObject, any>;
}

/** The syntheses under way, by the root of their tree. */
const active = new WeakMap<IConstruct, Synthesis>();

/**
 * Runs `fn` as one synthesis of `root`'s tree: memos are on until it returns (the tree cannot
 * change while it is validated, rendered and checked). A synthesis already under way for `root`
 * is joined, not restarted.
 *
 * @internal
 */
export function _synthesizing<T>(root: IConstruct, fn: () => T): T {
  if (active.has(root)) return fn();
  active.set(root, { memo: new Map() });
  try {
    return fn();
  } finally {
    active.delete(root);
  }
}

/**
 * From now until the synthesis of `root` ends, `_renderOnce()` keeps what it renders (call it once
 * the root's validations have run: before that, annotations may still change).
 *
 * @internal
 */
export function _keepRenders(root: IConstruct): void {
  const s = active.get(root);
  if (s && !s.renders) s.renders = new Map();
}

/**
 * Computes `produce()` once per synthesis of `scope`'s tree for `key`; outside a synthesis it
 * computes every time.
 *
 * @internal
 */
export function _memo<T>(scope: IConstruct, key: string, produce: () => T): T {
  const s = active.get(scope.node.root);
  if (!s) return produce();
  if (!s.memo.has(key)) s.memo.set(key, produce());
  return s.memo.get(key) as T;
}

/**
 * Every construct of `scope`'s tree in (pre)order: `node.findAll()` of the root, listed once per
 * synthesis.
 *
 * @internal
 */
export function _allConstructs(scope: IConstruct): IConstruct[] {
  const root = scope.node.root;
  return _memo(root, 'constructs', () => root.node.findAll());
}

/**
 * Every `ApiObject` of `scope`'s tree in (pre)order, listed once per synthesis.
 *
 * @internal
 */
export function _allApiObjects(scope: IConstruct): ApiObject[] {
  return _memo(scope, 'apiObjects', () => _allConstructs(scope).filter((c): c is ApiObject => c instanceof ApiObject));
}

/**
 * `obj.toJson()`, computed once per synthesis once `_keepRenders()` was called for its tree:
 * validations that need rendered objects (cluster Secrets for ApplicationSet expansion, an
 * ApplicationSet's own manifest) and the rendering itself share one result. Callers must not
 * modify the returned object.
 *
 * @internal
 */
export function _renderOnce(obj: ApiObject): any {
  const cache = active.get(obj.node.root)?.renders;
  if (!cache) return obj.toJson();
  let json = cache.get(obj);
  if (json === undefined && !cache.has(obj)) {
    json = obj.toJson();
    cache.set(obj, json);
  }
  return json;
}
