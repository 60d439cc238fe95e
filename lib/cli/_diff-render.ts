// Local rendering for `cdk8s-argocd diff`: a Helm chart or a Kustomize directory of this repository
// rendered with the `helm` or `kustomize` found on PATH (or named by CDK8S_ARGOCD_HELM /
// CDK8S_ARGOCD_KUSTOMIZE), with the command line Argo CD v3.5.1's repo-server runs
// (reposerver/repository/repository.go helmTemplate and GenerateManifests, util/helm/cmd.go
// template, util/kustomize/kustomize.go Build), in a copy of the side's files: Argo CD edits the
// kustomization (`kustomize edit`) and Helm may write Chart.lock and charts/, which must not reach
// the checkout. What cannot be rendered offline (a value file of another repository or a URL) is
// reported as the reason the source is only named.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dumpYaml, loadYaml, loadYamlDocuments } from '../_internal/yaml';
import { RepoObject } from './_repo';

/** The environment variable naming each binary (else it is looked up on PATH). */
export const TOOL_ENV = { helm: 'CDK8S_ARGOCD_HELM', kustomize: 'CDK8S_ARGOCD_KUSTOMIZE' } as const;
/** Extra `kustomize build` flags, as argocd-cm's `kustomize.buildOptions` gives them to Argo CD. */
export const KUSTOMIZE_BUILD_OPTIONS_ENV = 'CDK8S_ARGOCD_KUSTOMIZE_BUILD_OPTIONS';

/** How long one render may take before it is stopped and reported. */
const RENDER_TIMEOUT_MS = 120_000;

/** A tool found, or why not. */
export type ToolLookup = { readonly path: string } | { readonly missing: string };

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds `helm` or `kustomize`: the env variable's path when it is set, else the first on PATH. */
export function findTool(name: 'helm' | 'kustomize', env: NodeJS.ProcessEnv): ToolLookup {
  const variable = TOOL_ENV[name];
  const given = env[variable];
  if (given !== undefined && given !== '') {
    return isExecutable(given) ? { path: given } : { missing: `${variable}=${given} is not an executable file` };
  }
  for (const dir of String(env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return { path: candidate };
  }
  return { missing: `${name} is not on PATH (nor named by ${variable})` };
}

/** Argo CD's environment of a manifest generation (repository.go newEnv), for `${VAR}` in options. */
export interface RenderEnv {
  readonly [name: string]: string;
}

/**
 * Go's os.Expand with Argo CD's mapping (v1alpha1.Env.Envsubst): `$NAME` and `${NAME}` become the
 * variable's value, an unknown one the empty string, `$$` a `$`. Written after Go's os/env.go
 * (Expand, getShellName), which must be matched exactly.
 */
export function envsubst(s: string, env: RenderEnv): string {
  const lookup = (name: string) => (name === '$' ? '$' : Object.prototype.hasOwnProperty.call(env, name) ? env[name] : '');
  let out = '';
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '$' && j + 1 < s.length) {
      out += s.slice(i, j);
      const [name, w] = shellName(s.slice(j + 1));
      if (name === '' && w > 0) {
        // invalid syntax (`${}`, `${` unclosed): eaten
      } else if (name === '') {
        // a `$` not followed by a name stays
        out += s[j];
      } else {
        out += lookup(name);
      }
      j += w;
      i = j + 1;
    }
  }
  return i === 0 ? s : out + s.slice(i);
}

function isShellSpecial(c: string): boolean {
  return '*#$@!?-'.includes(c) || (c >= '0' && c <= '9');
}

function isAlphaNum(c: string): boolean {
  return c === '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/** Go's getShellName: the name after a `$` and how many characters it takes. */
function shellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && isShellSpecial(s[1]) && s[2] === '}') return [s[1], 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') return i === 1 ? ['', 2] : [s.slice(1, i), i + 1];
    }
    return ['', 1];
  }
  if (isShellSpecial(s[0])) return [s[0], 1];
  let i = 0;
  while (i < s.length && isAlphaNum(s[i])) i++;
  return [s.slice(0, i), i];
}

/**
 * Argo CD's parseKubeVersion (k8s.io/apimachinery version.ParseGeneric, then String()): `v1.29.3-gke.1`
 * is `1.29.3`; undefined when it is not a version (Argo CD fails the generation then).
 */
export function parseKubeVersion(v: string): string | undefined {
  // apimachinery's versionMatchRE `^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*$` in RE2's terms (`\s` is
  // [\t\n\f\r ], `.` all but a newline); `(.*)*` written `[^\n]*`, the same language without the
  // backtracking that would make a backtracking engine exponential
  const m = /^[\t\n\f\r ]*v?([0-9]+(?:\.[0-9]+)*)[^\n]*$/.exec(v);
  if (!m) return undefined;
  const parts = m[1].split('.');
  if (parts.length < 2 || (parts[0].startsWith('0') && parts[0] !== '0')) return undefined;
  // strconv.ParseUint(comp, 10, 0): a uint of 64 bits
  const numbers = parts.map((p) => BigInt(p));
  if (numbers.some((n) => n > 0xffffffffffffffffn)) return undefined;
  return numbers.map(String).join('.');
}

/** Argo CD's cleanSetParameters: commas escaped unless the value is a `{a,b}` list. */
function cleanSetParameter(v: string): string {
  if (v.startsWith('{') && v.endsWith('}')) return v;
  let out = '';
  let prev = '';
  for (const ch of v) {
    out += ch === ',' && prev !== '\\' ? '\\,' : ch;
    prev = ch;
  }
  return out;
}

/** What a render gives: the objects and the command lines, or why there are none. */
export type RenderResult =
  | { readonly objects: RepoObject[]; readonly commands: string[] }
  | { readonly notRendered: string; readonly error: boolean };

/** The files of a side, copied into a scratch folder for each render. */
export interface RenderFiles {
  /** Writes the side's files (as Argo CD would check them out) below `dest`. */
  copyTo(dest: string): void;
}

/** What a render needs to know of its Application and source. */
export interface RenderRequest {
  /** The Application's manifest. */
  readonly app: any;
  /** The source (`spec.source` or one of `spec.sources`). */
  readonly source: any;
  /** The source's path in the repository, normalized (`''` for the root). */
  readonly dir: string;
  /** Whether a repository URL is this repository. */
  readonly isThisRepo: (url: string) => boolean;
}

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`;
}

function commandLine(tool: string, args: readonly string[]): string {
  return [tool, ...args].map(quote).join(' ');
}

/** Splits rendered YAML into objects (Lists expanded), each with Helm's `# Source:` file when it gives one. */
function splitRendered(text: string, fileOf: (source: string | undefined) => string): RepoObject[] {
  const out: RepoObject[] = [];
  for (const chunk of text.split(/^---[ \t]*(?:#.*)?$/m)) {
    const source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim();
    for (const d of loadYamlDocuments(chunk, { source: source ?? 'rendered output' })) {
      for (const o of d?.kind === 'List' && Array.isArray(d.items) ? d.items : [d]) {
        if (o && typeof o === 'object' && !Array.isArray(o)) out.push({ file: fileOf(source), manifest: o });
      }
    }
  }
  return out;
}

class RenderError extends Error {}

/** Renders the sources of one side; `cleanup()` removes every scratch folder. */
export class LocalRenderer {
  private readonly tools: { helm?: ToolLookup; kustomize?: ToolLookup } = {};
  private readonly scratch: string[] = [];

  /**
   * @param files the side's files
   * @param env the process environment (PATH, the tool variables)
   * @param revision the side's commit, Argo CD's ARGOCD_APP_REVISION
   */
  constructor(private readonly files: RenderFiles, private readonly env: NodeJS.ProcessEnv, private readonly revision: string) {}

  /** The tool, or why there is none (looked up once). */
  public tool(name: 'helm' | 'kustomize'): ToolLookup {
    return (this.tools[name] ??= findTool(name, this.env));
  }

  public cleanup(): void {
    for (const d of this.scratch.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  }

  /** A fresh copy of the side's files; its root. */
  private copy(): { parent: string; root: string } {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-argocd-render-'));
    this.scratch.push(parent);
    const root = path.join(parent, 'repo');
    fs.mkdirSync(root);
    this.files.copyTo(root);
    return { parent, root };
  }

  private argoEnv(r: RenderRequest): RenderEnv {
    const m = r.app?.metadata ?? {};
    const ns = String(m.namespace ?? '');
    // the instance name (argo.InstanceName): `<namespace>_<name>` outside the control plane's
    // namespace, taken to be `argocd`
    const appName = ns === '' || ns === 'argocd' ? String(m.name ?? '') : `${ns}_${m.name ?? ''}`;
    return {
      ARGOCD_APP_NAME: appName,
      ARGOCD_APP_NAMESPACE: String(r.app?.spec?.destination?.namespace ?? ''),
      ARGOCD_APP_PROJECT_NAME: String(r.app?.spec?.project ?? ''),
      ARGOCD_APP_REVISION: this.revision,
      ARGOCD_APP_REVISION_SHORT: this.revision.slice(0, 7),
      ARGOCD_APP_REVISION_SHORT_8: this.revision.slice(0, 8),
      ARGOCD_APP_SOURCE_REPO_URL: String(r.source?.repoURL ?? ''),
      ARGOCD_APP_SOURCE_PATH: String(r.source?.path ?? ''),
      ARGOCD_APP_SOURCE_TARGET_REVISION: String(r.source?.targetRevision ?? ''),
    };
  }

  private run(tool: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, what: string): string {
    const r = spawnSync(tool, args, { cwd, env, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024, timeout: RENDER_TIMEOUT_MS });
    if (r.error) throw new RenderError(`${what} failed: ${r.error.message}`);
    if (r.status !== 0) {
      const err = String(r.stderr ?? '').trim() || String(r.stdout ?? '').trim() || `exit code ${r.status}`;
      throw new RenderError(`${what} failed (exit ${r.status ?? r.signal}): ${err}`);
    }
    return String(r.stdout ?? '');
  }

  /** `helm template` of a chart of this repository (repository.go helmTemplate). */
  public helm(r: RenderRequest): RenderResult {
    return this.renderWith('helm', (helm) => this.renderHelm(helm, r));
  }

  private renderHelm(helm: string, r: RenderRequest): RenderResult {
    const app = r.app;
    const h = r.source.helm ?? {};
    const env = this.argoEnv(r);
    const refs = refSources(app);
    const { parent, root } = this.copy();
    const appPath = path.join(root, ...r.dir.split('/').filter((x) => x !== ''));
    if (!fs.existsSync(appPath)) throw new RenderError(`the chart folder ${r.dir || '.'} does not exist`);
    const resolve = (raw: string, field: string) => this.resolveFile(raw, field, appPath, root, refs, r, env);
    const kubeVersionRaw = typeof h.kubeVersion === 'string' && h.kubeVersion !== '' ? h.kubeVersion : '';
    const kubeVersion = kubeVersionRaw === '' ? '' : parseKubeVersion(kubeVersionRaw);
    if (kubeVersion === undefined) throw new RenderError(`could not parse kubernetes version ${kubeVersionRaw}`);
    const name = String(app?.metadata?.name ?? '');
    const releaseName = typeof h.releaseName === 'string' && h.releaseName !== '' ? h.releaseName : name;
    const namespace = typeof h.namespace === 'string' && h.namespace !== '' ? h.namespace : String(app?.spec?.destination?.namespace ?? '');
    const values: string[] = [];
    for (const [i, raw] of (Array.isArray(h.valueFiles) ? h.valueFiles : []).entries()) {
      const p = resolve(String(raw), `helm.valueFiles[${i}]`);
      if (!fs.existsSync(p) && h.ignoreMissingValueFiles === true) continue;
      if (!values.includes(p)) values.push(p);
    }
    let extra: string | undefined;
    const inline = h.valuesObject !== undefined && h.valuesObject !== null ? dumpYaml(h.valuesObject) : typeof h.values === 'string' && h.values !== '' ? h.values : undefined;
    if (inline !== undefined) {
      extra = path.join(parent, 'values-from-source.yaml');
      fs.writeFileSync(extra, inline);
    }
    const set: string[] = [];
    const setString: string[] = [];
    for (const p of Array.isArray(h.parameters) ? h.parameters : []) {
      (p.forceString === true ? setString : set).push(`${p.name}=${cleanSetParameter(envsubst(String(p.value ?? ''), env))}`);
    }
    const setFile: string[] = [];
    for (const [i, p] of (Array.isArray(h.fileParameters) ? h.fileParameters : []).entries()) {
      setFile.push(`${p.name}=${cleanSetParameter(resolve(String(p.path), `helm.fileParameters[${i}].path`))}`);
    }
    // util/helm/cmd.go template(), flag for flag
    const args = ['template', '.', '--name-template', releaseName];
    if (namespace !== '') args.push('--namespace', namespace);
    if (kubeVersion !== '') args.push('--kube-version', kubeVersion);
    for (const s of set) args.push('--set', s);
    for (const s of setString) args.push('--set-string', s);
    for (const s of setFile) args.push('--set-file', s);
    for (const v of values) args.push('--values', v);
    if (extra !== undefined) args.push('--values', extra);
    for (const v of Array.isArray(h.apiVersions) ? h.apiVersions : []) args.push('--api-versions', String(v));
    if (h.skipCrds !== true) args.push('--include-crds');
    if (h.skipSchemaValidation === true) args.push('--skip-schema-validation');
    if (h.skipTests === true) args.push('--skip-tests');
    // a Helm home of its own, as Argo CD gives every generation (cmd.go runWithStdin)
    const home = path.join(parent, 'helm-home');
    const helmEnv = { ...this.env, XDG_CACHE_HOME: `${home}/cache`, XDG_CONFIG_HOME: `${home}/config`, XDG_DATA_HOME: `${home}/data`, HELM_CONFIG_HOME: `${home}/config` };
    const shown = (a: string[]) => commandLine('helm', a.map((x) => x.split(root).join('.').replace(extra ?? '\0', '<values from source.helm.values/valuesObject>')));
    const commands: string[] = [];
    let out: string;
    try {
      out = this.run(helm, args, appPath, helmEnv, 'helm template');
    } catch (e: any) {
      // Argo CD builds missing dependencies and tries again (repository.go runHelmBuild)
      if (!(e instanceof RenderError) || !/found in requirements\.yaml, but missing in charts|found in Chart\.yaml, but missing in charts\/ directory/.test(e.message)) throw e;
      this.run(helm, ['dependency', 'build'], appPath, helmEnv, 'helm dependency build');
      commands.push(shown(['dependency', 'build']));
      out = this.run(helm, args, appPath, helmEnv, 'helm template');
    }
    commands.push(shown(args));
    const chartName = chartNameOf(appPath);
    const fileOf = (source: string | undefined) => {
      if (source === undefined) return r.dir || '.';
      const rest = chartName !== undefined && source.startsWith(`${chartName}/`) ? source.slice(chartName.length + 1) : source;
      return r.dir === '' ? rest : `${r.dir}/${rest}`;
    };
    return { objects: splitRendered(out, fileOf), commands };
  }

  /**
   * A value file's absolute path in the copy (pathutil.ResolveValueFilePathOrUrl: relative to the
   * chart, absolute from the repository root, `$ref/...` into the source with that ref).
   */
  private resolveFile(raw: string, field: string, appPath: string, root: string, refs: Map<string, any>, r: RenderRequest, env: RenderEnv): string {
    let base = appPath;
    let p = raw;
    const ref = raw.startsWith('$') ? refs.get(raw.split('/')[0]) : undefined;
    if (ref !== undefined) {
      const url = String(ref.repoURL ?? '');
      if (!r.isThisRepo(url)) throw new Unrenderable(`${field} ${raw} is in another repository (${url}), which cannot be read offline`);
      base = root;
      p = envsubst(`/${raw.split('/').slice(1).join('/')}`, env);
    } else {
      p = envsubst(raw, env);
      if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p) && !/^[a-zA-Z]:[\\/]/.test(p)) {
        throw new Unrenderable(`${field} ${raw} is a URL, which is not fetched offline`);
      }
    }
    if (/[*?[]/.test(p)) throw new Unrenderable(`${field} ${raw} is a glob pattern, which is not expanded here`);
    const abs = p.startsWith('/') ? path.join(root, p) : path.join(base, p);
    const relToRoot = path.relative(root, abs);
    if (relToRoot.startsWith('..') || path.isAbsolute(relToRoot)) {
      throw new RenderError(`${field} ${raw}: value file is outside the repository (Argo CD refuses it)`);
    }
    return abs;
  }

  /** `kustomize edit` of the Application's options, then `kustomize build` (kustomize.go Build). */
  public kustomize(r: RenderRequest): RenderResult {
    return this.renderWith('kustomize', (kustomize) => this.renderKustomize(kustomize, r));
  }

  /** Runs `render` with the tool's path; a missing tool, or whatever goes wrong, is this source's result, not the diff's error. */
  private renderWith(name: 'helm' | 'kustomize', render: (toolPath: string) => RenderResult): RenderResult {
    const tool = this.tool(name);
    if (!('path' in tool)) return { notRendered: tool.missing, error: false };
    try {
      return render(tool.path);
    } catch (e: any) {
      // the tool, its output that is not YAML, the copy
      if (e instanceof Unrenderable) return { notRendered: e.message, error: false };
      return { notRendered: e instanceof RenderError ? e.message : `rendering failed: ${e?.message ?? e}`, error: true };
    }
  }

  private renderKustomize(kustomize: string, r: RenderRequest): RenderResult {
    const k = r.source.kustomize ?? {};
    const env = this.argoEnv(r);
    // parsed before anything runs, as in Argo CD's GenerateManifests
    const kubeVersion = typeof k.kubeVersion === 'string' && k.kubeVersion !== '' ? parseKubeVersion(k.kubeVersion) : '';
    if (kubeVersion === undefined) throw new RenderError(`could not parse kubernetes version ${k.kubeVersion}`);
    const { root } = this.copy();
    const appPath = path.join(root, ...r.dir.split('/').filter((x) => x !== ''));
    if (!fs.existsSync(appPath)) throw new RenderError(`the folder ${r.dir || '.'} does not exist`);
    const commands: string[] = [];
    const runEnv = { ...this.env, ...env };
    const edit = (args: string[]) => {
      commands.push(commandLine('kustomize', args));
      this.run(kustomize, args, appPath, runEnv, `kustomize ${args.slice(0, 3).join(' ')}`);
    };
    const map = (m: any, subst: boolean) => Object.keys(m).sort().map((key) => `${key}:${subst ? envsubst(String(m[key]), env) : String(m[key])}`);
    if (typeof k.namePrefix === 'string' && k.namePrefix !== '') edit(['edit', 'set', 'nameprefix', '--', k.namePrefix]);
    if (typeof k.nameSuffix === 'string' && k.nameSuffix !== '') edit(['edit', 'set', 'namesuffix', '--', k.nameSuffix]);
    if (Array.isArray(k.images) && k.images.length > 0) edit(['edit', 'set', 'image', ...k.images.map((i: any) => envsubst(String(i), env))]);
    if (Array.isArray(k.replicas) && k.replicas.length > 0) {
      edit(['edit', 'set', 'replicas', ...k.replicas.map((x: any) => {
        const count = typeof x.count === 'number' ? x.count : /^-?\d+$/.test(String(x.count)) ? Number(x.count) : NaN;
        if (!Number.isInteger(count)) throw new RenderError(`kustomize.replicas ${x.name}: count ${JSON.stringify(x.count)} is not an integer`);
        return `${x.name}=${count}`;
      })]);
    }
    if (k.commonLabels && typeof k.commonLabels === 'object' && Object.keys(k.commonLabels).length > 0) {
      const flags = [...(k.forceCommonLabels === true ? ['--force'] : []), ...(k.labelWithoutSelector === true ? ['--without-selector'] : []), ...(k.labelIncludeTemplates === true ? ['--include-templates'] : [])];
      edit(['edit', 'add', 'label', ...flags, ...map(k.commonLabels, true)]);
    }
    if (k.commonAnnotations && typeof k.commonAnnotations === 'object' && Object.keys(k.commonAnnotations).length > 0) {
      edit(['edit', 'add', 'annotation', ...(k.forceCommonAnnotations === true ? ['--force'] : []), ...map(k.commonAnnotations, k.commonAnnotationsEnvsubst === true)]);
    }
    if (typeof k.namespace === 'string' && k.namespace !== '') edit(['edit', 'set', 'namespace', '--', k.namespace]);
    if (Array.isArray(k.patches) && k.patches.length > 0) {
      // no `kustomize edit` adds a patch: Argo CD appends them to the kustomization's `patches`
      const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].find((f) => fs.existsSync(path.join(appPath, f)));
      if (file === undefined) throw new RenderError('kustomization file not found in the path');
      const kPath = path.join(appPath, file);
      const doc: any = loadYaml(fs.readFileSync(kPath, 'utf-8'), { source: file });
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new RenderError(`${file} is not a map`);
      if (doc.patches !== undefined && !Array.isArray(doc.patches)) throw new RenderError(`'patches' of ${file} is not a list`);
      doc.patches = [...(doc.patches ?? []), ...k.patches];
      fs.writeFileSync(kPath, dumpYaml(doc));
      commands.push('# kustomization updated with source.kustomize.patches (Argo CD appends them; no kustomize edit command does)');
    }
    if (Array.isArray(k.components) && k.components.length > 0) {
      const found = k.ignoreMissingComponents === true ? k.components.filter((c: any) => fs.existsSync(path.join(appPath, String(c)))) : k.components;
      if (found.length > 0) edit(['edit', 'add', 'component', ...found.map(String)]);
    }
    const options = String(this.env[KUSTOMIZE_BUILD_OPTIONS_ENV] ?? '').split(/\s+/).filter((x) => x !== '');
    const build = ['build', appPath, ...options];
    if (options.some((o) => o.includes('--enable-helm'))) {
      if (kubeVersion !== '') build.push('--helm-kube-version', kubeVersion);
      for (const v of Array.isArray(k.apiVersions) ? k.apiVersions : []) build.push('--helm-api-versions', String(v));
    }
    const out = this.run(kustomize, build, root, runEnv, 'kustomize build');
    commands.push(commandLine('kustomize', build.map((x) => (x === appPath ? (r.dir === '' ? '.' : r.dir) : x))));
    return { objects: splitRendered(out, () => r.dir || '.'), commands };
  }
}

class Unrenderable extends Error {}

/** `$<ref>` → the source with that `ref` (the Application's RefSources). */
function refSources(app: any): Map<string, any> {
  const out = new Map<string, any>();
  const sources = Array.isArray(app?.spec?.sources) ? app.spec.sources : [];
  for (const s of sources) if (s && typeof s.ref === 'string' && s.ref !== '') out.set(`$${s.ref}`, s);
  return out;
}

function chartNameOf(appPath: string): string | undefined {
  try {
    const c: any = loadYaml(fs.readFileSync(path.join(appPath, 'Chart.yaml'), 'utf-8'));
    return typeof c?.name === 'string' ? c.name : undefined;
  } catch {
    return undefined;
  }
}
