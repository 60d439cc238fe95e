// The typed importers of External Secrets Operator objects and of Argo CD's notifications
// ConfigMap, as program.ts dispatches to them.
import { ImportContext, ImportedConstruct } from './_context';
import {
  importClusterExternalSecret, importClusterSecretStore, importExternalSecret, importPushSecret, importSecretStore,
} from './external-secrets';
import { importNotificationsConfig } from './notifications';

/** Importers by `<API group>/<kind>`. */
export const TYPED_MORE: { [kind: string]: (ctx: ImportContext, obj: any) => ImportedConstruct } = {
  'external-secrets.io/ExternalSecret': importExternalSecret,
  'external-secrets.io/ClusterExternalSecret': importClusterExternalSecret,
  'external-secrets.io/SecretStore': importSecretStore,
  'external-secrets.io/ClusterSecretStore': importClusterSecretStore,
  'external-secrets.io/PushSecret': importPushSecret,
};

/** The kinds an ExternalSecret names as its store. */
export const STORE_KINDS: readonly string[] = ['SecretStore', 'ClusterSecretStore'];

/** What a store is known by: a SecretStore by its namespace as well. */
export function storeKey(kind: string, name: string, namespace: string | undefined): string {
  return kind === 'SecretStore' ? `${kind}/${namespace ?? ''}/${name}` : `${kind}/${name}`;
}

/** The importer of an object known by more than its kind: the notifications ConfigMap. */
export function typedMore(m: any): ((ctx: ImportContext, obj: any) => ImportedConstruct) | undefined {
  if (m?.apiVersion === 'v1' && m.kind === 'ConfigMap' && m.metadata?.name === 'argocd-notifications-cm') return importNotificationsConfig;
  return undefined;
}
