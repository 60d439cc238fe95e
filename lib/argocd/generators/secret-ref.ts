import { IConstruct } from 'constructs';
import { checkNonEmpty } from '../../_internal/values';

/**
 * A key of a Secret in Argo CD's namespace that holds a credential (a token or password). The
 * library never takes the credential itself.
 */
export interface SecretKeyRef {
  /** The Secret's name. */
  readonly secretName: string;

  /** The key in the Secret's data. */
  readonly key: string;
}

/**
 * A key of a ConfigMap in Argo CD's namespace that holds a CA certificate.
 */
export interface ConfigMapKeyRef {
  /** The ConfigMap's name. */
  readonly configMapName: string;

  /** The key in the ConfigMap's data. */
  readonly key: string;
}

/**
 * Basic authentication: a user name and a Secret key holding the password.
 */
export interface BasicAuth {
  /** The user name. */
  readonly username: string;

  /** Where the password is. */
  readonly passwordRef: SecretKeyRef;
}

/** @internal */
export function _secretRef(scope: IConstruct, field: string, ref: SecretKeyRef): any {
  checkNonEmpty(scope, `${field}.secretName`, ref?.secretName);
  checkNonEmpty(scope, `${field}.key`, ref?.key);
  return { secretName: ref.secretName, key: ref.key };
}

/** @internal */
export function _configMapRef(scope: IConstruct, field: string, ref: ConfigMapKeyRef): any {
  checkNonEmpty(scope, `${field}.configMapName`, ref?.configMapName);
  checkNonEmpty(scope, `${field}.key`, ref?.key);
  return { configMapName: ref.configMapName, key: ref.key };
}

/** @internal */
export function _basicAuth(scope: IConstruct, field: string, auth: BasicAuth): any {
  checkNonEmpty(scope, `${field}.username`, auth?.username);
  return { username: auth.username, passwordRef: _secretRef(scope, `${field}.passwordRef`, auth.passwordRef) };
}
