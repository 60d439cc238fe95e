// Helpers shared by the External Secrets constructs. Internal: not exported from the package.
import { Chart, Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { durationMilliseconds, renderGoDuration, ZERO_GO_DURATION } from '../_internal/go-duration';
import { ClusterSecretStore, ISecretStore, SecretStore, SecretStoreKind } from './secret-store';
import { checkStoreDeclared } from './undeclared-store-check';

/**
 * ESO's default refresh interval (one hour, `1h0m0s` in its CRDs), written in the library's one
 * duration form, `1h`: Go reads both as the same duration, and the API server keeps the string
 * written, so Argo CD compares `1h` with `1h`.
 */
export const ESO_DEFAULT_REFRESH_INTERVAL = renderGoDuration(Duration.hours(1), 'refreshInterval');

/**
 * Renders a Duration as a Go duration string for field `field`, with the error about `scope`.
 * With `allowZero`, a zero Duration renders as `0s` (ESO: no periodic refresh).
 */
export function goDuration(scope: IConstruct, field: string, d: Duration, allowZero = false): string {
  if (allowZero && durationMilliseconds(d) === 0) return ZERO_GO_DURATION;
  return renderGoDuration(d, field, scope);
}

/** Whether `x` looks like an ISecretStore. */
export function isSecretStoreRef(x: any): x is ISecretStore {
  return x !== null && typeof x === 'object' && typeof x.storeName === 'string'
    && (x.storeKind === SecretStoreKind.SECRET_STORE || x.storeKind === SecretStoreKind.CLUSTER_SECRET_STORE);
}

/**
 * Checks a reference to `store` from `consumer` (an object in `namespace`, undefined when unknown
 * or when the consumer spans namespaces) against the stores declared in the same app.
 * Returns the problems, each naming the store's construct path.
 */
export function checkStoreReference(consumer: IConstruct, field: string, store: ISecretStore, namespace: string | undefined, spansNamespaces = false): string[] {
  const sameName = declaredStores(consumer).filter((s) => s.storeName === store.storeName);
  if (sameName.length === 0) return checkStoreDeclared(field, store, declaredStores(consumer));
  const namespaced = sameName.filter((s) => SecretStore.isSecretStore(s)) as SecretStore[];
  const cluster = sameName.filter((s) => ClusterSecretStore.isClusterSecretStore(s)) as ClusterSecretStore[];
  const ref = `${store.storeKind} '${store.storeName}'`;
  if (store.storeKind === SecretStoreKind.CLUSTER_SECRET_STORE) {
    if (cluster.length === 0) {
      return [`${field} refers to ${ref}, but this app declares '${store.storeName}' as a SecretStore at [${namespaced[0].node.path}]; refer to that store itself (kind SecretStore), or declare a ClusterSecretStore`];
    }
    const problems: string[] = [];
    for (const c of cluster) {
      if (namespace !== undefined && !spansNamespaces && !c._allowsNamespace(namespace)) {
        problems.push(`${field} refers to ${ref} at [${c.node.path}], which only serves namespaces ${c._allowedNamespaces!.join(', ')}, not '${namespace}'; add '${namespace}' to the store's namespaces`);
      }
    }
    return problems;
  }
  // a SecretStore reference
  if (namespaced.length === 0) {
    return [`${field} refers to ${ref}, but this app declares '${store.storeName}' as a ClusterSecretStore at [${cluster[0].node.path}]; refer to that store itself (kind ClusterSecretStore), or use ClusterSecretStore.fromName()`];
  }
  if (spansNamespaces || namespace === undefined) return [];
  if (namespaced.some((s) => s.namespace === undefined || s.namespace === namespace)) return [];
  const where = namespaced.map((s) => `[${s.node.path}] in namespace '${s.namespace}'`).join(', ');
  return [`${field} refers to ${ref} from namespace '${namespace}', but this app declares it at ${where}; a SecretStore serves only its own namespace: declare one in '${namespace}', or use a ClusterSecretStore`];
}

const DECLARED_STORES = Symbol.for('cdk8s-argocd.external-secrets.declaredStores');

/**
 * Records a `SecretStore` or `ClusterSecretStore` on its app's root, so that checking a reference
 * does not search the whole tree once per consumer (quadratic at fleet size).
 */
export function registerDeclaredStore(store: SecretStore | ClusterSecretStore): void {
  const root = store.node.root as any;
  let list = root[DECLARED_STORES] as IConstruct[] | undefined;
  if (!list) {
    list = [];
    Object.defineProperty(root, DECLARED_STORES, { value: list, enumerable: false });
  }
  list.push(store);
}

/** The stores declared in `consumer`'s app that are still in its tree, in tree (pre)order, as `findAll()` lists them. */
function declaredStores(consumer: IConstruct): Array<SecretStore | ClusterSecretStore> {
  const list = ((consumer.node.root as any)[DECLARED_STORES] ?? []) as IConstruct[];
  const attached = list.filter((c) => {
    for (let x = c; x.node.scope; x = x.node.scope) {
      if (x.node.scope.node.tryFindChild(x.node.id) !== x) return false;
    }
    return true;
  });
  if (attached.length < 2) return attached as Array<SecretStore | ClusterSecretStore>;
  const keys = new Map(attached.map((c) => [c, treePosition(c)]));
  return attached.sort((a, b) => compareTreePositions(keys.get(a)!, keys.get(b)!)) as Array<SecretStore | ClusterSecretStore>;
}

function treePosition(c: IConstruct): number[] {
  const out: number[] = [];
  for (let x = c; x.node.scope; x = x.node.scope) out.push(x.node.scope.node.children.indexOf(x));
  return out.reverse();
}

function compareTreePositions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The namespace an object constructed in `scope` with `explicit` namespace lands in, when known. */
export function effectiveNamespace(scope: IConstruct, explicit: string | undefined): string | undefined {
  return explicit ?? Chart.of(scope).namespace;
}
