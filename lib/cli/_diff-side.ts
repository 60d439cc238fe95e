// One side of `cdk8s-argocd diff`: the app at a checkout (the working tree, or a temporary worktree
// of a ref) synthesized into a scratch directory, its committed output read when it is current
// (the drift check's comparison says so), every ApplicationSet expanded with the world `preview`
// uses, and the manifests every Application's sources apply. Everything is read while the
// checkout exists: a temporary worktree is removed afterwards.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { compareStrings } from '../_internal/values';
import { loadYamlDocuments } from '../_internal/yaml';
import { sameRepository } from '../_internal/repo-url';
import { globMatch } from '../argocd/_glob';
import { ApplicationSetPreview } from '../argocd/preview/application-set-preview';
import { ClusterInfo, DiffSide, SideApplication, SideSource } from '../diff/model';
import { SynthOutput, appErrorText, resolveAppCommand, runApp, UsageError } from './_app-runner';
import { compareOutput, hasDrift } from './check';
import { LocalRenderer, RenderFiles } from './_diff-render';
import { git } from './_git-worktree';
import { CliIo, plural } from './_output';
import { expandAll, repositoryFiles } from './preview';
import { RepoObject } from './_repo';

/** Where and how to read one side. */
export interface SideOptions {
  /** The ref as given, or `working tree`. */
  readonly label: string;
  /** The commit, when the side is one. */
  readonly commit?: string;
  /** The checkout's root (absolute). */
  readonly root: string;
  /** Where the app runs (the checkout's counterpart of the working directory). */
  readonly cwd: string;
  /** `--app`. */
  readonly app?: string;
  /** This repository's URL (`origin`), when known. */
  readonly origin?: string;
  /** A side without an app to run (no cdk8s.yaml) is empty instead of an error. */
  readonly emptyWithoutApp: boolean;
}

/** Argo CD's manifest file names in a directory source (reposerver's `manifestFile`). */
const MANIFEST_FILE = /^.*\.(yaml|yml|json|jsonnet)$/;

function rel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

/** `./a/b/` → `a/b`; `.` and `/` → ``. */
function normalizeSourcePath(p: string): string {
  const n = path.posix.normalize(p.replace(/^\/+/, '')).replace(/\/+$/, '');
  return n === '.' ? '' : n;
}

function under(dir: string, file: string): boolean {
  return dir === '' || file.startsWith(`${dir}/`);
}

/** The relative path of `file` below `dir`, when it is inside (directly unless `recurse`). */
function inDirectory(dir: string, file: string, recurse: boolean): string | undefined {
  if (!under(dir, file)) return undefined;
  const r = dir === '' ? file : file.slice(dir.length + 1);
  return recurse || !r.includes('/') ? r : undefined;
}

function decode(secret: any, key: string): string | undefined {
  const s = secret?.stringData?.[key];
  if (typeof s === 'string') return s;
  const d = secret?.data?.[key];
  return typeof d === 'string' ? Buffer.from(d, 'base64').toString('utf-8') : undefined;
}

/** The registered clusters of `objects` (cluster Secrets, and those ExternalSecrets write). */
export function clustersIn(objects: readonly RepoObject[]): ClusterInfo[] {
  return ApplicationSetPreview.clusterSecretsIn(objects.map((o) => o.manifest)).map((s) => ({
    name: decode(s, 'name') ?? '',
    server: decode(s, 'server') ?? '',
    labels: { ...(s.metadata?.labels ?? {}) },
  }));
}

/** The files of the checkout as the side's repository: the committed output replaced by what the side reads. */
class SideFiles implements RenderFiles {
  /** Repository-relative paths of the checkout's files outside the output directories. */
  public readonly other: string[];
  private readonly outputDirs: string[];

  constructor(private readonly root: string, outputs: readonly { dir: string; files: Map<string, string> }[]) {
    this.outputDirs = outputs.map((o) => o.dir);
    const listed = repositoryFiles(root);
    this.other = Object.keys(listed).filter((f) => !this.outputDirs.some((d) => under(d, f)));
    this.files = {};
    for (const f of this.other) {
      Object.defineProperty(this.files, f, { enumerable: true, get: () => Object.getOwnPropertyDescriptor(listed, f)!.get!() });
    }
    for (const o of outputs) {
      for (const [f, text] of o.files) {
        const file = o.dir === '' ? f : `${o.dir}/${f}`;
        this.files[file] = text;
        this.outputs[file] = text;
      }
    }
  }

  /** Path to content (read when asked for), as the preview's repository. */
  public readonly files: { [path: string]: string };

  public read(file: string): string {
    return fs.readFileSync(path.join(this.root, ...file.split('/')), 'utf-8');
  }

  /** Writes the side's repository below `dest`: the checkout's files as they are (bytes and mode), the outputs as read. */
  public copyTo(dest: string): void {
    for (const f of this.other) {
      const from = path.join(this.root, ...f.split('/'));
      if (!fs.existsSync(from)) continue; // deleted in the working tree, still in the index
      const to = path.join(dest, ...f.split('/'));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
      fs.chmodSync(to, fs.statSync(from).mode & 0o777);
    }
    for (const [f, text] of Object.entries(this.outputs)) {
      const to = path.join(dest, ...f.split('/'));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, text);
    }
  }

  /** The output files (repository-relative path to text). */
  private readonly outputs: { [path: string]: string } = {};
}

/** Reads a side; throws when its app fails to synthesize. */
export async function loadSide(io: CliIo, options: SideOptions): Promise<DiffSide> {
  let command: string;
  let config: { output?: string };
  try {
    ({ command, config } = resolveAppCommand(options.cwd, options.app));
  } catch (e) {
    if (!(e instanceof UsageError) || !options.emptyWithoutApp) throw e;
    return { label: options.label, ...(options.commit ? { commit: options.commit } : {}), output: 'empty', notes: [`${options.label} has no app to run (no cdk8s.yaml with an 'app:' entry): it counts as empty`], errors: [], objects: [], applications: [], clusters: [] };
  }
  const run = await runApp({ command, cwd: options.cwd, env: io.env, cdk8sOutput: config.output, readAhead: {} });
  let renderer: LocalRenderer | undefined;
  try {
    if (run.exitCode !== 0) {
      throw new Error(`${options.label}: synthesis failed ('${command}' exited with code ${run.exitCode}): ${appErrorText(run)}`);
    }
    if (run.outputs.length === 0) throw new Error(`${options.label}: '${command}' exited 0 but synthesized no files`);
    const notes: string[] = [];
    let drifted = 0;
    const outputs = run.outputs.map((o) => {
      const report = compareOutput(o, run.committed(o.outdir));
      const current = !hasDrift(report);
      const dir = rel(options.root, o.outdir);
      if (!current) {
        drifted++;
        const n = report.changed.length + report.missing.length + report.stale.length;
        notes.push(`${options.label}: the committed output ${dir} is not what the code synthesizes (${plural(n, 'file')} differ): this diff shows what the code synthesizes; Argo CD reads what is committed (run 'npx cdk8s synth' and commit)`);
      }
      return { dir, files: outputTexts(o, current) };
    });
    const objects: RepoObject[] = [];
    for (const o of outputs) {
      for (const [f, text] of o.files) {
        if (!/\.ya?ml$/.test(f)) continue;
        const file = o.dir === '' ? f : `${o.dir}/${f}`;
        for (const manifest of loadYamlDocuments(text, { source: file })) {
          if (manifest && typeof manifest === 'object') objects.push({ file, manifest });
        }
      }
    }
    const files = new SideFiles(options.root, outputs);
    const isThisRepo = (url: string, p: string | undefined) => (options.origin ? sameRepository(options.origin, url)
      : p !== undefined && Object.keys(files.files).some((f) => under(normalizeSourcePath(p), f)));
    const repositories: { [url: string]: { [p: string]: string } } = {};
    for (const o of objects) {
      if (o.manifest?.kind !== 'ApplicationSet') continue;
      for (const url of repoUrls(o.manifest)) if (options.origin && sameRepository(options.origin, url)) repositories[url] = files.files;
    }
    const expanded = expandAll(ApplicationSetPreview, objects, repositories);
    const applications: SideApplication[] = [];
    renderer = new LocalRenderer(files, io.env, options.commit ?? headCommit(options.root));
    const renderErrors: string[] = [];
    const ctx: SourceContext = { objects, files, isThisRepo, renderer, errors: renderErrors, label: options.label };
    const resolve = (manifest: any) => sourcesOf(manifest, ctx);
    for (const o of objects) {
      if (o.manifest?.kind !== 'Application' || !String(o.manifest?.apiVersion ?? '').startsWith('argoproj.io/')) continue;
      applications.push({ key: appKey(o.manifest), manifest: o.manifest, file: o.file, sources: resolve(o.manifest) });
    }
    for (const g of expanded.generated) {
      for (const a of g.applications) applications.push({ key: appKey(a), manifest: a, generatedBy: g.applicationSet, sources: resolve(a) });
    }
    return {
      label: options.label,
      ...(options.commit ? { commit: options.commit } : {}),
      output: drifted > 0 ? 'synthesized' : 'committed',
      notes,
      errors: [...expanded.errors.map((e) => `${options.label}: ${e}`), ...renderErrors],
      objects,
      applications,
      clusters: clustersIn(objects),
    };
  } finally {
    renderer?.cleanup();
    run.cleanup();
  }
}

/** The commit checked out (`ARGOCD_APP_REVISION` of the working tree's renders); empty before the first commit. */
function headCommit(root: string): string {
  try {
    return git(root, 'rev-parse', '--verify', '--quiet', 'HEAD');
  } catch {
    return '';
  }
}

/** The text of every file of an output: the committed file when the output is current, else the synthesized one. */
function outputTexts(o: SynthOutput, current: boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of o.files) {
    out.set(f, current ? fs.readFileSync(path.join(o.outdir, ...f.split('/')), 'utf-8') : o.read(f).toString('utf-8'));
  }
  return out;
}

function appKey(m: any): string {
  return `${m?.metadata?.namespace ?? ''}/${m?.metadata?.name ?? ''}`;
}

function repoUrls(x: any, out: string[] = []): string[] {
  if (Array.isArray(x)) x.forEach((v) => repoUrls(v, out));
  else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      if (k === 'repoURL' && typeof v === 'string') out.push(v);
      else repoUrls(v, out);
    }
  }
  return out;
}

/** What resolving the sources of a side's Applications needs. */
interface SourceContext {
  readonly objects: readonly RepoObject[];
  readonly files: SideFiles;
  readonly isThisRepo: (url: string, p: string | undefined) => boolean;
  readonly renderer: LocalRenderer;
  /** Where render errors go (the side's errors). */
  readonly errors: string[];
  /** The side's label. */
  readonly label: string;
}

function sourcesOf(app: any, ctx: SourceContext): SideSource[] {
  const spec = app?.spec ?? {};
  const list: any[] = Array.isArray(spec.sources) && spec.sources.length > 0 ? spec.sources : spec.source ? [spec.source] : [];
  return list.map((s, index) => sourceOf(app, s ?? {}, index, ctx));
}

/**
 * How Argo CD renders a directory of this repository (repository.go GetAppSourceType): the one
 * option set (`kustomize`, `helm`, `directory`, `plugin`), else discovery over the directory's own
 * files (discovery.go Discover: a name ending in `Chart.yaml` is Helm, a kustomization Kustomize,
 * and of both the one walked last wins: `kustomization.yaml` after `Chart.yaml`), else plain
 * manifests (Jsonnet too).
 */
function toolOf(s: any, names: ReadonlySet<string>): 'Helm chart' | 'Kustomize' | 'plugin' | 'Jsonnet' | undefined {
  const explicit = [s.kustomize ? 'Kustomize' : undefined, s.helm ? 'Helm chart' : undefined, s.directory ? 'directory' : undefined, s.plugin ? 'plugin' : undefined].filter((x) => x !== undefined);
  if (explicit.length === 1 && explicit[0] !== 'directory') return explicit[0] as 'Helm chart' | 'Kustomize' | 'plugin';
  if (explicit.length === 0) {
    // filepath.Walk visits names in byte order; the last that matches decides
    let found: 'Helm chart' | 'Kustomize' | undefined;
    for (const n of [...names].sort(compareStrings)) {
      if (n.endsWith('Chart.yaml')) found = 'Helm chart';
      if (n === 'kustomization.yaml' || n === 'kustomization.yml' || n === 'Kustomization') found = 'Kustomize';
    }
    if (found !== undefined) return found;
  }
  return [...names].some((n) => n.endsWith('.jsonnet')) || s.directory?.jsonnet ? 'Jsonnet' : undefined;
}

function sourceOf(app: any, s: any, index: number, ctx: SourceContext): SideSource {
  const { objects, files, isThisRepo } = ctx;
  const repoURL = String(s.repoURL ?? '');
  const targetRevision = s.targetRevision === undefined ? undefined : String(s.targetRevision);
  const at = targetRevision ?? 'HEAD';
  const common = { index, repoURL, ...(targetRevision !== undefined ? { targetRevision } : {}) };
  if (typeof s.chart === 'string' && s.chart !== '') {
    return { ...common, chart: s.chart, type: 'rendered', what: `Helm chart ${s.chart} from ${repoURL}`, version: at, description: `Helm chart ${s.chart} ${at} from ${repoURL}` };
  }
  if (s.path === undefined || s.path === null) {
    return { ...common, type: 'ref', what: `${repoURL}${s.ref ? ` (ref ${s.ref})` : ''}`, version: at, description: `${repoURL} at ${at}${s.ref ? ` (ref ${s.ref})` : ''}` };
  }
  const dir = normalizeSourcePath(String(s.path));
  const withPath = { ...common, path: dir };
  if (!isThisRepo(repoURL, s.path)) {
    const tool = s.helm ? 'Helm chart' : s.kustomize ? 'Kustomize' : s.plugin ? 'plugin' : 'directory';
    const what = `${tool} ${dir === '' ? '.' : dir} of ${repoURL}`;
    return { ...withPath, type: 'rendered', what, version: at, description: `${what} at ${at}` };
  }
  const recurse = s.directory?.recurse === true;
  const all = Object.keys(files.files).sort(compareStrings);
  const here = all.filter((f) => inDirectory(dir, f, false) !== undefined);
  const names = new Set(here.map((f) => f.slice(dir === '' ? 0 : dir.length + 1)));
  const tool = toolOf(s, names);
  if (tool !== undefined) {
    // Argo CD renders it; what is always known here is whether any of its files changed
    const hash = createHash('sha256');
    for (const f of all.filter((x) => under(dir, x))) hash.update(`${f}\0${files.files[f]}\0`);
    const what = `${tool} ${dir === '' ? '.' : dir} in this repository`;
    const version = `files ${hash.digest('hex').slice(0, 12)}`;
    const named = { ...withPath, type: 'rendered' as const, what, version, description: `${what} (${version})` };
    if (tool !== 'Helm chart' && tool !== 'Kustomize') return named;
    // and where helm or kustomize is at hand, the objects it renders, as Argo CD renders them
    const request = { app, source: s, dir, isThisRepo: (url: string) => url === repoURL || isThisRepo(url, undefined) };
    const result = tool === 'Helm chart' ? ctx.renderer.helm(request) : ctx.renderer.kustomize(request);
    if ('objects' in result) return { ...named, objects: result.objects, renderCommands: result.commands };
    if (result.error) ctx.errors.push(`${ctx.label}: Application ${appKey(app)}, source ${index} (${what}): ${result.notRendered}; it is named, not rendered`);
    return { ...named, notRendered: result.notRendered };
  }
  const include = typeof s.directory?.include === 'string' ? s.directory.include : '';
  const exclude = typeof s.directory?.exclude === 'string' ? s.directory.exclude : '';
  const chosen = (f: string) => {
    const r = inDirectory(dir, f, recurse);
    if (r === undefined || !MANIFEST_FILE.test(path.posix.basename(f))) return false;
    if (exclude !== '' && globMatch(exclude, r)) return false;
    return include === '' || globMatch(include, r);
  };
  const out: RepoObject[] = objects.filter((o) => chosen(o.file));
  const fromOutputs = new Set(out.map((o) => o.file));
  for (const f of files.other) {
    if (fromOutputs.has(f) || !chosen(f)) continue;
    const text = files.files[f];
    const docs = f.endsWith('.json') ? [JSON.parse(text)] : loadYamlDocuments(text, { source: f });
    for (const d of docs.flatMap((x: any) => (x?.kind === 'List' && Array.isArray(x.items) ? x.items : [x]))) {
      if (d && typeof d === 'object') out.push({ file: f, manifest: d });
    }
  }
  const what = `directory ${dir === '' ? '.' : dir} of this repository`;
  return { ...withPath, type: 'directory', what, version: at, description: what, objects: out };
}
