import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { IManifestCheck, RenderedManifest } from '../manifest-check';
import { SecretFinding, SecretScanAllow, scanObject } from './_secret-scan';

/** What `PlaintextSecret.allow()` recorded: in memory, never read back from the written object. */
interface AllowRecord extends SecretScanAllow {
  readonly reason: string;
}

const ALLOWED = Symbol.for('cdk8s-argocd.PlaintextSecret.allowed');

/** The allows of this process (shared by two copies of the library). */
function allowed(): WeakMap<ApiObject, AllowRecord> {
  const g = globalThis as any;
  return g[ALLOWED] ??= new WeakMap<ApiObject, AllowRecord>();
}

/**
 * Explicit permission for one core `Secret` to carry values in plain text.
 *
 * @example
 * const secret = new kplus.Secret(chart, 'ca', { stringData: { 'ca.crt': publicCaPem } });
 * PlaintextSecret.allow(secret, 'public CA certificate, not a secret');
 */
export class PlaintextSecret {
  /**
   * The annotation that shows reviewers of the Git repository why a Secret carries values in
   * plain text. It is written for them only: the guard never reads it (an annotation set by hand
   * allows nothing).
   */
  public static readonly ALLOWED_REASON_ANNOTATION = 'cdk8s-argocd.io/plaintext-allowed-reason';

  /**
   * Allows a Secret to be written with the given `data` or `stringData` keys. The permission is
   * recorded by this call, for this construct and these keys only: a key added later (by
   * `addStringData()` or a JSON patch) still fails synthesis, and the secret scan still reads the
   * values (a private key or a known token in them fails it too). The reason is written in the
   * annotation `cdk8s-argocd.io/plaintext-allowed-reason`, where reviewers of the Git repository
   * see it.
   *
   * @param secret the Secret: a cdk8s-plus `Secret`, an `ApiObject`, or any construct whose
   *   default child is one
   * @param reason why the values may be in Git (e.g. 'public CA certificate, not a secret')
   * @param keys the keys of `data` and `stringData` allowed
   *   @default - the keys the Secret has when `allow()` is called
   */
  public static allow(secret: IConstruct, reason: string, keys?: string[]): void {
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
    let allowedKeys: string[];
    if (keys !== undefined) {
      if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k === '')) {
        throw new ValidationError(`PlaintextSecret.allow() keys ${JSON.stringify(keys)} is not a list of key names; list the data and stringData keys that may be in plain text`, secret);
      }
      allowedKeys = keys;
    } else {
      let json: any;
      try {
        json = obj.toJson();
      } catch (e: any) {
        throw new ValidationError(`PlaintextSecret.allow() cannot read the Secret's keys yet (${String(e?.message ?? e).split('\n')[0]}); list them: PlaintextSecret.allow(secret, reason, ['<key>', ...])`, secret);
      }
      allowedKeys = [...Object.keys(json?.data ?? {}), ...Object.keys(json?.stringData ?? {})];
    }
    const previous = allowed().get(obj);
    allowed().set(obj, { reason: reason.trim(), keys: new Set([...(previous?.keys ?? []), ...allowedKeys]) });
    obj.metadata.addAnnotation(PlaintextSecret.ALLOWED_REASON_ANNOTATION, reason.trim());
  }

  private constructor() {}
}

/**
 * The findings of the secret scan in one rendered object, as synthesis messages: each names the
 * construct, the file, the path inside it and the rule, never the value.
 *
 * @param entry the object as it will be written
 * @param obj the ApiObject that produced it (its `PlaintextSecret.allow()`, if any, applies)
 * @internal
 */
export function _secretProblems(entry: RenderedManifest, obj: ApiObject | undefined): string[] {
  const allow = obj ? allowed().get(obj) : undefined;
  return scanObject(entry.manifest, entry.file, allow).map((f) => message(entry, f, allow !== undefined));
}

function message(entry: RenderedManifest, f: SecretFinding, wasAllowed: boolean): string {
  let fix: string;
  if (f.rule.startsWith('kubernetes/secret-with-values')) {
    fix = wasAllowed
      ? "list the key in PlaintextSecret.allow(secret, '<reason>', [<keys>]) if it may be in Git, or keep it in a secret store and fetch it with an ExternalSecret"
      : "keep the values in a secret store and fetch them with an ExternalSecret, or, if they may be in Git, call PlaintextSecret.allow(secret, '<reason>')";
  } else {
    fix = 'keep the credential in a secret store and refer to it (an ExternalSecret, a $<key> of argocd-notifications-secret, a <path:...> placeholder); secret values never enter Git';
  }
  return `[${entry.constructPath}] ${entry.file} ${f.path === '' ? '(the object)' : f.path}: ${f.what} (rule ${f.rule}); ${fix}`;
}

/**
 * A manifest check that fails synthesis when a secret would be written in plain text, wherever it
 * comes from (an `ApiObject`, a cdk8s-plus construct, an `Include` of a YAML file, a JSON patch).
 * It reads every object as it will be serialized: every string (keys and values; Secret `data`
 * base64-decoded; JSON and YAML held in strings parsed and read the same way) goes through
 * secretlint's recommended rules (private keys, URLs with passwords, the tokens of the major
 * providers), and every object through the library's Kubernetes rules: a Secret with values (by
 * any spelling of its kind, also inside a `List` or an annotation), the credential fields of Argo
 * CD cluster configs, fields named like a credential holding a literal, credentials in URLs.
 * References pass: `$slack-token`, `<path:...>`, `{{ .token }}`, `${VAR}`.
 *
 * `ArgoCdApp` runs this scan on every object before it is handed to the writer; this check is for
 * apps that run manifest checks of their own.
 */
export class PlaintextSecretGuard implements IManifestCheck {
  /**
   * @param scope any construct of the app whose objects are checked, to find the Secrets
   *   `PlaintextSecret.allow()` allows
   *   @default - no Secret is allowed
   */
  public constructor(private readonly scope?: IConstruct) {}

  /**
   * Returns one message for each finding.
   *
   * @param manifests every object the app writes
   */
  public check(manifests: RenderedManifest[]): string[] {
    const byPath = new Map<string, ApiObject>();
    if (this.scope) {
      for (const c of this.scope.node.root.node.findAll()) if (ApiObject.isApiObject(c)) byPath.set(c.node.path, c as ApiObject);
    }
    return manifests.flatMap((m) => _secretProblems(m, byPath.get(m.constructPath)));
  }
}
