// Objects are compared by what identifies them in the cluster, group/kind/namespace/name, not by
// the file they are written in: a file moved or renamed is not a change.
import { SyncPlan } from '../sync/sync-plan';

const CLUSTER_SCOPED = new Set(SyncPlan.builtInClusterScopedKinds());

/** The API group of an `apiVersion` (`apps/v1` → `apps`, `v1` → ``). */
export function groupOf(apiVersion: unknown): string {
  const v = String(apiVersion ?? '');
  const slash = v.indexOf('/');
  return slash < 0 ? '' : v.slice(0, slash);
}

/** Whether the object's kind is one of Kubernetes' built-in cluster-scoped kinds. */
export function isClusterScoped(manifest: any): boolean {
  const group = groupOf(manifest?.apiVersion);
  const kind = String(manifest?.kind ?? '');
  return CLUSTER_SCOPED.has(group === '' ? kind : `${kind}.${group}`);
}

/**
 * The key of an object: `group/kind/namespace/name`, with `core` for the core group and `_` for
 * no namespace. An object without a namespace is in `defaultNamespace` (the Application's
 * destination namespace, as Argo CD places it) unless its kind is cluster-scoped.
 *
 * @param manifest the object
 * @param defaultNamespace where a namespaced object without a namespace goes
 */
export function objectKey(manifest: any, defaultNamespace: string = ''): string {
  const group = groupOf(manifest?.apiVersion) || 'core';
  const kind = String(manifest?.kind ?? '');
  const meta = manifest?.metadata ?? {};
  const name = meta.name ? String(meta.name) : meta.generateName ? `${meta.generateName}*` : '';
  const namespace = isClusterScoped(manifest) ? '' : String(meta.namespace ?? '') || defaultNamespace;
  return `${group}/${kind}/${namespace || '_'}/${name}`;
}
