// The plaintext-secret scan. Every object an ArgoCdApp writes is read here, string by string, as
// it is serialized (keys and values, unescaped; Secret `data` also base64-decoded; JSON and YAML
// held in strings parsed and read the same way), before it is handed to the writer. Two rule sets:
//
// - secretlint's recommended preset (`@secretlint/secretlint-rule-preset-recommend`): private keys,
//   basic-auth and database URLs, and the tokens of the major providers (AWS, GCP, GitHub, GitLab,
//   Slack, npm, OpenAI, Anthropic, Stripe, ...). `@secretlint/core` only lints asynchronously and
//   synthesis is synchronous, so the preset's rules are driven here through secretlint's rule API
//   (`create(context)` -> `{ file(source) }`; every rule of the preset reports synchronously, and a
//   test holds this driver to `@secretlint/core`'s answers). The preset's comment filter
//   (`secretlint-disable` directives) is left out: no string in a manifest switches the scan off.
// - the library's Kubernetes rules: a Secret with values by any spelling of its kind, wherever it
//   is (a List's items, an annotation such as kubectl's last-applied-configuration, a Helm values
//   string); credential fields of Argo CD cluster configs (bearer tokens, passwords, keys, exec
//   plugin arguments and environment, CA data that is not a certificate); fields named like a
//   credential (a password, token, API key, credentials...) that hold a literal; credentials in
//   URLs (`user:password@`, `?token=`).
//
// Messages name the file, the path inside it and the rule, never the value.
import { loadYaml } from '../_internal/yaml';

/** One finding of the scan. */
export interface SecretFinding {
  /** The path inside the object, e.g. `stringData.password` or `spec.source.helm.values (YAML) auth.password`. */
  readonly path: string;
  /** The rules, comma-separated: secretlint rule ids with their message ids, or `kubernetes/<rule>`. */
  readonly rule: string;
  /** What was found, without the value. */
  readonly what: string;
}

/** Keys of a Secret's `data`/`stringData` allowed in plain text, by `PlaintextSecret.allow()`. */
export interface SecretScanAllow {
  /** The keys allowed. */
  readonly keys: ReadonlySet<string>;
}

// ---- secretlint's recommended preset, driven synchronously ----

interface Report { readonly rule: string; readonly start: number; readonly end: number }

interface PresetRule {
  meta: { id: string; type: string; supportedContentTypes?: string[] };
  create(context: unknown, options: unknown): { file?: (source: unknown) => unknown };
}

const COMMENT_FILTER = '@secretlint/secretlint-rule-filter-comments';

let handlers: { id: string; file: (source: unknown) => unknown }[] | undefined;
let sink: Report[] = [];

/** The preset's rules, created once: each reports into `sink`. */
function presetHandlers(): { id: string; file: (source: unknown) => unknown }[] {
  if (handlers) return handlers;
  // an ES module; Node loads it with require() (Node >= 20.19)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const preset = require('@secretlint/secretlint-rule-preset-recommend');
  const rules: PresetRule[] = preset.rules;
  const out: { id: string; file: (source: unknown) => unknown }[] = [];
  for (const rule of rules) {
    if (rule.meta.id === COMMENT_FILTER || rule.meta.type !== 'scanner') continue;
    const id = rule.meta.id.replace(/^@secretlint\/secretlint-rule-/, 'secretlint/');
    const context = {
      sharedOptions: {},
      locale: 'en',
      // the message texts hold the secret: only the message id is kept
      createTranslator: () => (messageId: string) => ({ message: messageId, messageId }),
      report: (d: { message: { messageId?: string }; range: [number, number] }) => {
        sink.push({ rule: `${id}/${d.message.messageId ?? 'found'}`, start: d.range[0], end: d.range[1] });
      },
      ignore: () => {},
    };
    // the preset's defaults (AWS account and access key IDs are not reported: they are not secret)
    const h = rule.create(context, {});
    if (h.file) out.push({ id, file: h.file });
  }
  handlers = out;
  return out;
}

/**
 * The secretlint findings in `content` (as the file `filePath` would hold it): rule and range.
 *
 * @internal exported for the test that compares this driver with `@secretlint/core`
 */
export function secretlintReports(content: string, filePath: string): Report[] {
  const hs = presetHandlers();
  const found: Report[] = [];
  const source = { content, filePath, ext: '.yaml', contentType: 'text' };
  const saved = sink;
  sink = found;
  try {
    for (const h of hs) {
      const r = h.file(source) as any;
      if (r && typeof r.then === 'function') {
        // an invariant: the rules are the bundled secretlint preset's, none of which a user adds
        throw new Error(`secret scan rule ${h.id} answered asynchronously; the scan cannot wait for it`);
      }
    }
  } finally {
    sink = saved;
  }
  return found;
}

// ---- what is a literal ----

const PLACEHOLDERS: RegExp[] = [
  /^\$[A-Za-z0-9_.-]+$/, // Argo CD notifications: $slack-token
  /^\$\{[^{}]+\}$/, // ${VAR}
  /^\$\([^()]+\)$/, // $(VAR)
  /^<[^<>]*>$/, // <path:...> (argocd-vault-plugin), <placeholder>
  /^[A-Za-z]+ +(\$[A-Za-z0-9_.-]+|\$\{[^{}]+\})$/, // Bearer $token
  /^ref\+[a-z0-9]+:\/\/\S+$/, // vals references
];

/** Whether `v` is a value rather than a reference to one (a `$key`, `<path:...>`, a template). */
export function isLiteral(v: string): boolean {
  const t = v.trim();
  if (t === '') return false;
  if (t.includes('{{') && t.includes('}}')) return false; // Go / ESO / Helm templates
  if (t.includes('<path:')) return false;
  for (const p of PLACEHOLDERS) if (p.test(t)) return false;
  return true;
}

/**
 * Whether `s` looks like a generated token: 20 characters or more of one run of token characters,
 * upper and lower case and digits mixed at random (names, paths and versions are not), or 32 hex
 * digits or more, or a JWT.
 */
export function looksLikeToken(s: string): boolean {
  const t = s.trim();
  if (/^[0-9a-f]{32,}$/.test(t) || /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.test(t)) return true;
  if (t.length < 20 || !/^[A-Za-z0-9+/=_.~-]+$/.test(t)) return false;
  if (!/[0-9]/.test(t) || !/[a-z]/.test(t) || !/[A-Z]/.test(t)) return false;
  const counts = new Map<string, number>();
  for (const c of t) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / t.length) * Math.log2(n / t.length);
  return bits >= 3.5;
}

// ---- names ----

const norm = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, '');

// a field whose name ends so holds a credential when it holds a literal
const CREDENTIAL_SUFFIXES = [
  'password', 'passwd', 'passphrase', 'pwd', 'token', 'secret', 'apikey', 'privatekey', 'clientkey',
  'keydata', 'secretaccesskey', 'accesskeysecret', 'authorization', 'credential', 'credentials', 'cookie',
  'signingkey', 'encryptionkey', 'masterkey',
];
// ... unless it names a switch or a Secret to read (`existingSecret: db-credentials`)
const NOT_CREDENTIAL = /^(existing|use|create|generate|auto|enable|require|skip|allow|disable|insecure|rotate|show|with)/;
// a field so named holds credentials in all it contains
const CREDENTIAL_CONTAINERS = new Set(['credentials', 'credential', 'apikeys', 'secrets', 'tokens', 'passwords', 'basicauth']);
// fields inside those that name a credential rather than hold it
// a path below a container that passes through an object named `...Ref` (`passwordRef`, `tokenRef`)
const REFERENCE_OBJECT = /\.[A-Za-z]*Ref\./;
const NOT_HELD = /(^|[^a-z])(user|username|login|email|name|ref|file|path|key|namespace|selector|type|kind|url|server|host|port)$/i;

/** Whether a field so named holds a credential (`password`, `db.password`, `X-Api-Key`, `bearerToken`). */
export function isCredentialName(name: string): boolean {
  const n = norm(name);
  if (n === '' || !CREDENTIAL_SUFFIXES.some((s) => n.endsWith(s))) return false;
  // the last part of a dotted name decides (`auth.existingSecret` names a Secret)
  const last = norm(name.split(/[./]/).filter((x) => x !== '').pop() ?? name);
  if (/(password|passwd|token|key|credentials?|tls|cert|auth)secret$/.test(n)) return false; // names the Secret holding it
  return CREDENTIAL_SUFFIXES.includes(n) || !NOT_CREDENTIAL.test(last);
}

const SECRET_KIND = /^\s*secret\s*$/i;

function field(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const l = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === l) return obj[k];
  return undefined;
}

// ---- paths ----

function seg(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? `.${key}` : `['${key.replace(/'/g, "\\'")}']`;
}

function join(path: string, key: string | number): string {
  const s = seg(key);
  return path === '' && s.startsWith('.') ? s.slice(1) : `${path}${s}`;
}

// ---- the walk ----

interface Leaf { readonly path: string; readonly line: string }

class Scan {
  public readonly findings: SecretFinding[] = [];
  public readonly leaves: Leaf[] = [];
  private readonly seen = new Set<string>();

  public find(path: string, rule: string, what: string): void {
    const k = `${path}\0${rule}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.findings.push({ path, rule, what });
  }

  /** Reads `v` at `path`; `allow` only for the written object itself. */
  public walk(v: unknown, path: string, key: string, depth: number, allow?: SecretScanAllow): void {
    if (typeof v === 'string') {
      this.text(v, path, key, depth);
      return;
    }
    if (v === null || typeof v !== 'object') {
      if (v !== undefined) this.leaves.push({ path, line: `${key}: ${String(v)}` });
      return;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) this.leaves.push({ path, line: `${key}: []` });
      for (let i = 0; i < v.length; i++) this.walk(v[i], join(path, i), key, depth);
      return;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 0) this.leaves.push({ path, line: `${key}: {}` });
    this.objectRules(obj, path, depth, allow);
    for (const k of keys) this.walk(obj[k], join(path, k), k, depth);
  }

  private text(s: string, path: string, key: string, depth: number): void {
    this.leaves.push({ path, line: `${key}: ${s}` });
    if (key !== '' && isCredentialName(key) && isLiteral(s) && !/^(true|false|null)$/i.test(s.trim())) {
      this.find(path, 'kubernetes/credential-field', `a field named '${key}' holds a literal value, not a reference`);
    }
    urlRules(this, s, path);
    // secretlint's private key rule knows RSA keys only by their first bytes: EC and Ed25519 keys
    // pass it, so any PEM private key block with a body is reported here
    if (s.includes('PRIVATE KEY') && PEM_PRIVATE_KEY.test(s)) this.find(path, 'kubernetes/private-key', 'a PEM private key');
    // secretlint's npm rule reads files named .npmrc only; a ConfigMap key holds one just as well
    if (s.includes('_authToken')) {
      for (const m of s.matchAll(NPMRC_TOKEN)) if (isLiteral(m[1])) this.find(path, 'kubernetes/npmrc-token', 'an .npmrc auth token');
    }
    this.embedded(s, path, depth);
  }

  /** JSON or YAML held in a string, read as objects of its own. */
  private embedded(s: string, path: string, depth: number): void {
    if (depth >= 4 || s.length > (1 << 20)) return;
    const t = s.trimStart();
    let doc: unknown;
    let as: string;
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        doc = JSON.parse(s);
        as = 'JSON';
      } catch {
        return;
      }
    } else if (s.includes('\n') && /^[ \t]*[^\s#:][^\n:]*:( |$)/m.test(s)) {
      try {
        doc = loadYaml(s);
        as = 'YAML';
      } catch {
        return;
      }
    } else {
      return;
    }
    if (doc === null || typeof doc !== 'object') return;
    const inner = new Scan();
    inner.walk(doc, '', '', depth + 1);
    for (const f of inner.findings) this.find(`${path} (${as}) ${f.path}`, f.rule, f.what);
    // the text rules read the string itself already
  }

  private objectRules(obj: Record<string, unknown>, path: string, depth: number, allow?: SecretScanAllow): void {
    const kind = field(obj, 'kind');
    if (typeof kind === 'string' && SECRET_KIND.test(kind)) this.secretRule(obj, path, depth, allow);
    // a name/value pair (an env var, a Helm parameter, a header): the value is named by `name`
    const name = obj.name;
    const value = obj.value;
    if (typeof name === 'string' && typeof value === 'string' && isLiteral(value)) {
      const p = join(path, 'value');
      if (isCredentialName(name)) this.find(p, 'kubernetes/credential-field', `'${name}' holds a literal value, not a reference`);
      else if (/headers\[\d+\]$/.test(path) && looksLikeToken(value.replace(/^[A-Za-z]+ /, ''))) {
        this.find(p, 'kubernetes/credential-header', `header '${name}' holds a token`);
      }
    }
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (v !== null && typeof v === 'object' && CREDENTIAL_CONTAINERS.has(norm(k))) {
        for (const leaf of stringLeaves(v, join(path, k))) {
          // a field inside a reference object (`basicAuth.passwordRef.secretName`, the shape of
          // Argo CD's SCM and pull request generators) names a Secret; it does not hold one
          if (REFERENCE_OBJECT.test(leaf.path.slice(join(path, k).length))) continue;
          if (isLiteral(leaf.value) && (isCredentialName(leaf.key) || !NOT_HELD.test(leaf.key))) this.find(leaf.path, 'kubernetes/credential-field', `'${k}' holds a literal value, not a reference`);
        }
      }
    }
    if ('execProviderConfig' in obj || 'tlsClientConfig' in obj || 'bearerToken' in obj || 'awsAuthConfig' in obj) {
      clusterConfigRules(this, obj, path);
    }
  }

  private secretRule(obj: Record<string, unknown>, path: string, depth: number, allow?: SecretScanAllow): void {
    for (const part of ['data', 'stringData']) {
      const values = field(obj, part);
      if (values === null || typeof values !== 'object' || Array.isArray(values)) continue;
      for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
        const p = join(join(path, part), k);
        if (!allow || !allow.keys.has(k)) {
          this.find(p, 'kubernetes/secret-with-values', allow
            ? `key '${k}' of a Secret is not among the keys PlaintextSecret.allow() allows (${[...allow.keys].sort().join(', ') || 'none'})`
            : 'a Secret holds a value in plain text');
        }
        // the bytes a base64 value stands for are read too
        if (part === 'data' && typeof v === 'string') {
          const decoded = decodeBase64Text(v);
          if (decoded !== undefined) this.text(decoded, `${p} (base64)`, k, depth);
        }
      }
    }
  }
}

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\\n]*[A-Za-z0-9+/=]{40,}/;
const NPMRC_TOKEN = /_authToken\s*=\s*(\S+)/g;

function stringLeaves(v: unknown, path: string, key = ''): { path: string; key: string; value: string }[] {
  if (typeof v === 'string') return [{ path, key, value: v }];
  if (v === null || typeof v !== 'object') return [];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringLeaves(x, join(path, i), key));
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => stringLeaves(x, join(path, k), k));
}

/** The text a base64 string stands for, when it is valid base64 of UTF-8 text. */
function decodeBase64Text(v: string): string | undefined {
  const t = v.replace(/\s+/g, '');
  if (t.length < 8 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) return undefined;
  const s = Buffer.from(t, 'base64').toString('utf-8');
  return s.includes('\uFFFD') ? undefined : s;
}

// ---- URLs ----

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/:@?#'"]+):([^\s/@?#'"]*)@/gi;
const URL_QUERY = /[?&]([A-Za-z0-9_.-]+)=([^&#\s'"]+)/g;
const CREDENTIAL_PARAM = /^(x-amz-signature|sig|signature|token|access_token|accesstoken|auth|auth_token|authtoken|api_key|apikey|key|secret|client_secret|password|passwd|private_token|code)$/i;

function urlRules(scan: Scan, s: string, path: string): void {
  if (!s.includes('://')) return;
  for (const m of s.matchAll(URL_USERINFO)) {
    if (m[3] !== '' && isLiteral(m[3]) && !/^\$/.test(m[3])) {
      scan.find(path, 'kubernetes/url-credentials', `a ${m[1]} URL holds a user and password (user:password@)`);
    }
  }
  for (const m of s.matchAll(URL_QUERY)) {
    if (CREDENTIAL_PARAM.test(m[1]) && isLiteral(decodeURIComponentSafe(m[2])) && !/^\$/.test(m[2])) {
      scan.find(path, 'kubernetes/url-credentials', `a URL passes '${m[1]}' in its query`);
    }
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---- Argo CD cluster configs (util/clusterauth, v1alpha1.ClusterConfig) ----

const CREDENTIAL_FLAG = /^--?([A-Za-z0-9-]*(token|password|passwd|secret|api-?key|credential|private-key|client-key|auth)[A-Za-z0-9-]*)(=(.*))?$/i;
const FILE_FLAG = /(file|path|dir|env|name|ref|id|type|mode|provider|cache)$/i;

function clusterConfigRules(scan: Scan, config: Record<string, unknown>, path: string): void {
  const tls = config.tlsClientConfig;
  if (tls !== null && typeof tls === 'object' && !Array.isArray(tls)) {
    const t = tls as Record<string, unknown>;
    for (const k of ['caData', 'certData']) {
      const v = t[k];
      if (typeof v !== 'string' || v.trim() === '') continue;
      const decoded = decodeBase64Text(v) ?? '';
      const rest = decoded.replace(/-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g, '').trim();
      if (!decoded.includes('-----BEGIN CERTIFICATE-----') || rest !== '') {
        scan.find(join(join(path, 'tlsClientConfig'), k), 'kubernetes/cluster-config', `${k} holds something other than PEM certificates (base64)`);
      } else {
        scan.walk(decoded, `${join(join(path, 'tlsClientConfig'), k)} (base64)`, k, 4);
      }
    }
    if (typeof t.keyData === 'string' && t.keyData.trim() !== '') {
      scan.find(join(join(path, 'tlsClientConfig'), 'keyData'), 'kubernetes/cluster-config', 'a client key');
    }
  }
  for (const k of ['bearerToken', 'password']) {
    const v = config[k];
    if (typeof v === 'string' && isLiteral(v)) scan.find(join(path, k), 'kubernetes/cluster-config', `${k} holds a literal value`);
  }
  const exec = config.execProviderConfig;
  if (exec === null || typeof exec !== 'object' || Array.isArray(exec)) return;
  const e = exec as Record<string, unknown>;
  const ep = join(path, 'execProviderConfig');
  const env = e.env;
  const envEntries: [string, unknown, string][] = Array.isArray(env)
    ? env.map((x: any, i) => [String(x?.name ?? ''), x?.value, join(join(join(ep, 'env'), i), 'value')])
    : env !== null && typeof env === 'object' ? Object.entries(env as Record<string, unknown>).map(([n, v]) => [n, v, join(join(ep, 'env'), n)]) : [];
  for (const [n, v, p] of envEntries) {
    if (typeof v !== 'string' || !isLiteral(v)) continue;
    if (isCredentialName(n) || looksLikeToken(v) || /(token|secret|password|passwd|credential|auth|key)/i.test(n) && !FILE_FLAG.test(n)) {
      scan.find(p, 'kubernetes/cluster-config', `the exec plugin's environment variable '${n}' holds a credential`);
    }
  }
  const words: [string, string][] = [];
  if (typeof e.command === 'string') for (const w of e.command.split(/\s+/)) words.push([w, join(ep, 'command')]);
  if (Array.isArray(e.args)) {
    e.args.forEach((a, i) => {
      if (typeof a === 'string') for (const w of a.split(/\s+/)) words.push([w, join(join(ep, 'args'), i)]);
    });
  }
  for (let i = 0; i < words.length; i++) {
    const [w, p] = words[i];
    const unquoted = w.replace(/^['"]|['"]$/g, '');
    const m = CREDENTIAL_FLAG.exec(unquoted);
    if (m && !FILE_FLAG.test(m[1])) {
      const value = m[4] ?? words[i + 1]?.[0];
      if (value !== undefined && isLiteral(value) && !value.startsWith('-')) {
        scan.find(p, 'kubernetes/cluster-config', `the exec plugin is passed a credential (${m[1]})`);
        continue;
      }
    }
    // a short flag followed by a token (`-t <token>`), a variable assignment, or a bare token
    const assigned = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(unquoted);
    if (assigned && (isCredentialName(assigned[1]) || looksLikeToken(assigned[2]))) {
      scan.find(p, 'kubernetes/cluster-config', `the exec plugin sets '${assigned[1]}' to a credential`);
    } else if (looksLikeToken(unquoted.replace(/^-[A-Za-z]=?/, ''))) {
      scan.find(p, 'kubernetes/cluster-config', 'the exec plugin is passed something that looks like a token');
    }
  }
}

// ---- one object ----

/**
 * Every finding in `manifest`: the library's Kubernetes rules on its objects, and secretlint's
 * recommended preset on its strings. `allow` lists the `data`/`stringData` keys the object's own
 * Secret may hold (`PlaintextSecret.allow()`); it covers nothing else.
 *
 * @param manifest the object as it will be serialized
 * @param file the file it is written to (secretlint's rules read the name)
 * @param allow the keys `PlaintextSecret.allow()` allows, when it was called for this object
 */
export function scanObject(manifest: unknown, file: string, allow?: SecretScanAllow): SecretFinding[] {
  const scan = new Scan();
  scan.walk(manifest, '', '', 0, allow);
  const leaves = scan.leaves;
  if (leaves.length > 0) {
    const starts: number[] = [];
    let content = '';
    for (const l of leaves) {
      starts.push(content.length);
      content += `${l.line}\n`;
    }
    for (const r of secretlintReports(content, file)) {
      // the leaf the finding starts in (binary search over the start offsets)
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= r.start) lo = mid;
        else hi = mid - 1;
      }
      scan.find(leaves[lo].path, r.rule, 'a credential secretlint knows the shape of');
    }
  }
  return merge(scan.findings);
}

const PRIORITY = ['kubernetes/secret-with-values', 'kubernetes/cluster-config', 'kubernetes/private-key', 'kubernetes/url-credentials',
  'kubernetes/credential-header', 'kubernetes/credential-field', 'kubernetes/npmrc-token', 'secretlint/'];
const rank = (rule: string) => {
  const i = PRIORITY.findIndex((p) => rule.startsWith(p));
  return i < 0 ? PRIORITY.length : i;
};

/**
 * One finding a place: the findings of one string (its base64 meaning included) become one, with
 * every rule named, the first in `PRIORITY` telling what was found; a string whose JSON or YAML has
 * findings of its own is reported there, at the inner paths.
 */
function merge(findings: readonly SecretFinding[]): SecretFinding[] {
  const byPath = new Map<string, SecretFinding[]>();
  for (const f of findings) {
    const p = f.path.replace(/ \(base64\)$/, '');
    const list = byPath.get(p);
    if (list) list.push(f);
    else byPath.set(p, [f]);
  }
  const paths = [...byPath.keys()];
  const out: SecretFinding[] = [];
  for (const [p, list] of byPath) {
    if (paths.some((q) => q !== p && q.startsWith(`${p} (`) && !q.startsWith(`${p} (base64)`))) continue;
    const sorted = [...list].sort((a, b) => rank(a.rule) - rank(b.rule));
    const rules = [...new Set(sorted.map((f) => f.rule))];
    out.push({ path: p, rule: rules.join(', '), what: sorted[0].what });
  }
  return out;
}
