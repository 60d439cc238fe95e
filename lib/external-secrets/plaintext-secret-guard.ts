import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { IManifestCheck, RenderedManifest } from '../app/manifest-check';

/**
 * Explicit permission for one core `Secret` to carry values in plain text.
 *
 * @example
 * const secret = new kplus.Secret(chart, 'ca', { stringData: { 'ca.crt': publicCaPem } });
 * PlaintextSecret.allow(secret, 'public CA certificate, not a secret');
 */
export class PlaintextSecret {
  /**
   * The annotation that records why a Secret may carry values in plain text.
   */
  public static readonly ALLOWED_REASON_ANNOTATION = 'cdk8s-argocd.io/plaintext-allowed-reason';

  /**
   * Allows a Secret to be written with `data` or `stringData`, recording why in the annotation
   * `cdk8s-argocd.io/plaintext-allowed-reason`, where reviewers of the Git repository see it.
   *
   * @param secret the Secret: a cdk8s-plus `Secret`, an `ApiObject`, or any construct whose
   *   default child is one
   * @param reason why the values may be in Git (e.g. 'public CA certificate, not a secret')
   */
  public static allow(secret: IConstruct, reason: string): void {
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new ValidationError(`${PlaintextSecret.ALLOWED_REASON_ANNOTATION} ${JSON.stringify(reason ?? null)} is empty; give the reason the Secret may be written in plain text`, secret);
    }
    let obj: ApiObject | undefined;
    if (ApiObject.isApiObject(secret)) obj = secret as ApiObject;
    else {
      const child = secret.node.defaultChild;
      if (child && ApiObject.isApiObject(child)) obj = child as ApiObject;
    }
    if (!obj) {
      throw new ValidationError('PlaintextSecret.allow() needs a Secret: an ApiObject, or a construct (such as a cdk8s-plus Secret) whose default child is one', secret);
    }
    if (obj.apiVersion !== 'v1' || obj.kind !== 'Secret') {
      throw new ValidationError(`PlaintextSecret.allow() needs a core Secret, got ${obj.apiVersion} ${obj.kind}`, secret);
    }
    obj.metadata.addAnnotation(PlaintextSecret.ALLOWED_REASON_ANNOTATION, reason.trim());
  }

  private constructor() {}
}

/**
 * A manifest check that fails synthesis when a core `Secret` (apiVersion v1, kind Secret) with
 * non-empty `data` or `stringData` would be written, wherever it comes from (an `ApiObject`, a
 * cdk8s-plus `Secret`, an imported chart). Secret values belong in a secret store, fetched by an
 * `ExternalSecret`; a Secret that may be in Git anyway is allowed with `PlaintextSecret.allow()`.
 * Secrets without values (a template a controller fills) pass.
 *
 * `ArgoCdApp` registers it by default.
 */
export class PlaintextSecretGuard implements IManifestCheck {
  /**
   * Returns one message for each Secret written with values and not allowed.
   *
   * @param manifests every object the app writes
   */
  public check(manifests: RenderedManifest[]): string[] {
    const problems: string[] = [];
    for (const m of manifests) {
      const obj = m.manifest;
      if (obj?.apiVersion !== 'v1' || obj?.kind !== 'Secret') continue;
      const dataKeys = Object.keys(obj.data ?? {});
      const stringDataKeys = Object.keys(obj.stringData ?? {});
      if (dataKeys.length === 0 && stringDataKeys.length === 0) continue;
      const reason = obj.metadata?.annotations?.[PlaintextSecret.ALLOWED_REASON_ANNOTATION];
      if (typeof reason === 'string' && reason.trim() !== '') continue;
      const fields = [
        ...(dataKeys.length ? [`data (${dataKeys.join(', ')})`] : []),
        ...(stringDataKeys.length ? [`stringData (${stringDataKeys.join(', ')})`] : []),
      ].join(' and ');
      const ns = obj.metadata?.namespace ? ` in namespace '${obj.metadata.namespace}'` : '';
      problems.push(`[${m.constructPath}] Secret '${obj.metadata?.name}'${ns} would be written to ${m.file} with values in plain text: ${fields}; `
        + 'keep the values in a secret store and fetch them with an ExternalSecret, '
        + 'or, if they may be in Git, call PlaintextSecret.allow(secret, \'<reason>\')');
    }
    return problems;
  }
}
