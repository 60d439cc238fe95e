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
const WAIVED = Symbol.for('cdk8s-argocd.PlaintextSecret.waived');

/** The allows of this process (shared by two copies of the library). */
function allowed(): WeakMap<ApiObject, AllowRecord> {
  const g = globalThis as any;
  return g[ALLOWED] ??= new WeakMap<ApiObject, AllowRecord>();
}

/** The waivers of this process, per object (shared by two copies of the library). */
function waived(): WeakMap<ApiObject, SecretScanWaiver[]> {
  const g = globalThis as any;
  return g[WAIVED] ??= new WeakMap<ApiObject, SecretScanWaiver[]>();
}

/**
 * One finding of the secret scan that a reviewer judged not to be a secret: the place and the
 * rule, as the synthesis message names them.
 */
export interface SecretScanWaiver {
  /**
   * The path inside the object, exactly as the message prints it after the file name, e.g.
   * `data.example` or `spec.source.helm.values (YAML) docs.sampleUrl`.
   */
  readonly path: string;

  /**
   * A rule the message names in `(rule ...)`, e.g. `kubernetes/credential-field` or
   * `secretlint/@secretlint/secretlint-rule-basicauth`. A finding is waived only when every rule
   * it names is waived at its path. `kubernetes/secret-with-values` cannot be waived: a Secret's
   * keys are allowed with `PlaintextSecret.allow()`.
   */
  readonly rule: string;

  /** Why the finding is not a secret; written, with the path and rule, in the annotation `cdk8s-argocd.io/secret-scan-waived` for reviewers. */
  readonly reason: string;
}

/** Finds the ApiObject a construct stands for: itself or its default child. */
function apiObjectOf(c: IConstruct): ApiObject | undefined {
  if (ApiObject.isApiObject(c)) return c as ApiObject;
  const child = c.node.defaultChild;
  return child && ApiObject.isApiObject(child) ? (child as ApiObject) : undefined;
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
    const obj = apiObjectOf(secret);
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

  /**
   * The annotation in which `waive()` writes, for reviewers, the waived findings and their
   * reasons, as a JSON list of `{"path", "rule", "reason"}`. Like the allow annotation, it is
   * never read back: set by hand, it waives nothing.
   */
  public static readonly WAIVED_ANNOTATION = 'cdk8s-argocd.io/secret-scan-waived';

  /**
   * Waives one finding of the secret scan on one object, for a value that looks like a credential
   * and is not one (a documented example URL, a public test key). The waiver is recorded by this
   * call, in memory, for this object, this path and this rule only: another rule at the same path,
   * the same rule elsewhere, or a finding in another object still fails. A waiver that matches no
   * finding fails synthesis, so none outlives the value it was written for.
   *
   * @param obj the object: an `ApiObject`, or a construct whose default child is one
   * @param waiver the path and rule, as the synthesis message names them, and the reason
   */
  public static waive(obj: IConstruct, waiver: SecretScanWaiver): void {
    const target = apiObjectOf(obj);
    if (!target) {
      throw new ValidationError('PlaintextSecret.waive() needs an object: an ApiObject, or a construct whose default child is one', obj);
    }
    for (const field of ['path', 'rule', 'reason'] as const) {
      const v = (waiver as any)?.[field];
      if (typeof v !== 'string' || v.trim() === '') {
        throw new ValidationError(`PlaintextSecret.waive() ${field} ${JSON.stringify(v ?? null)} is empty; give the ${field === 'reason' ? 'reason the value is not a secret' : `${field} the synthesis message names`}`, obj);
      }
    }
    if (waiver.rule.trim().startsWith('kubernetes/secret-with-values')) {
      throw new ValidationError(`PlaintextSecret.waive() cannot waive rule ${waiver.rule.trim()}; a Secret's keys are allowed with PlaintextSecret.allow(secret, '<reason>', [<keys>])`, obj);
    }
    const record: SecretScanWaiver = { path: waiver.path.trim(), rule: waiver.rule.trim(), reason: waiver.reason.trim() };
    const list = waived().get(target) ?? [];
    list.push(record);
    waived().set(target, list);
    target.metadata.addAnnotation(PlaintextSecret.WAIVED_ANNOTATION, JSON.stringify(list));
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
  const waivers = obj ? waived().get(obj) ?? [] : [];
  const used = new Set<SecretScanWaiver>();
  const out: string[] = [];
  for (const f of scanObject(entry.manifest, entry.file, allow)) {
    const rules = f.rule.split(', ');
    const covering = rules.map((r) => waivers.find((w) => w.path === f.path && w.rule === r));
    for (const w of covering) if (w) used.add(w);
    if (covering.some((w) => w === undefined)) out.push(message(entry, f, allow !== undefined));
  }
  for (const w of waivers) {
    if (!used.has(w)) {
      out.push(`[${entry.constructPath}] ${entry.file} ${w.path}: PlaintextSecret.waive() for rule ${w.rule} matches no finding of the secret scan (a waiver covers one path and one rule, as the message names them; a finding with several rules needs each waived); remove the waiver or correct its path and rule`);
    }
  }
  return out;
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
