// A reference to a store by name (`SecretStore.fromName()`, `ClusterSecretStore.fromName()`) that
// no store of the app carries: a typo ESO reports only in the cluster (SecretSyncedError).
import { IConstruct } from 'constructs';
import { nearest } from '../_internal/nearest';
import { ISecretStore, _isManagedOutsideApp } from './secret-store';

/**
 * Problems with `store`, referred to in `field`, when no store `declared` in the
 * app has its name: none when the app declares no store at all (nothing to compare with) or the
 * reference is marked `managedOutsideApp`.
 */
export function checkStoreDeclared(field: string, store: ISecretStore, declared: ReadonlyArray<ISecretStore & IConstruct>): string[] {
  if (declared.length === 0 || _isManagedOutsideApp(store)) return [];
  if (declared.some((s) => s.storeName === store.storeName)) return [];
  const near = nearest(store.storeName, declared.map((s) => s.storeName))
    .map((n) => {
      const s = declared.find((d) => d.storeName === n)!;
      return `${s.storeKind} '${n}' at [${s.node.path}]`;
    });
  const factory = `${store.storeKind}.fromName(scope, id, '${store.storeName}', { managedOutsideApp: true })`;
  return [`${field} refers to ${store.storeKind} '${store.storeName}', which no store of this app declares (nearest declared: ${near.join(', ')}); `
    + `ESO would leave the ExternalSecret failing with SecretSyncedError; fix the name, or, for a store managed outside this app, use ${factory}`];
}
