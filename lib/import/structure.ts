// Structure the import recognizes in the input: App of Apps roots, Applications whose git source
// is a directory of the input that holds other Applications. A root with exactly the shape
// `GitOpsRepo.addEnvironment()` writes becomes an environment of one `GitOpsRepo` (the root is the
// environment's, its directory the environment's chart); any other is written as plain
// Applications, and the summary says why.
import type { InputObject } from './program';

const isObject = (v: unknown): v is { [k: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** One App of Apps root found in the input. */
export interface AppOfApps {
  /** `file#document` of the root. */
  readonly from: string;
  readonly name: string;
  /** The input directory it syncs. */
  readonly directory: string;
  /** How many Applications that directory holds (the root itself left out). */
  readonly children: number;
  /** Why it is not written as a GitOpsRepo environment; undefined when it is one. */
  reason?: string;
  /** The environment's name and options, when the root has its shape. */
  readonly environment?: EnvironmentPlan;
}

/** An App of Apps root written as `repo.addEnvironment(name, options)`. */
export interface EnvironmentPlan {
  readonly name: string;
  /** The root, as the input holds it. */
  readonly root: InputObject;
  /** The input directory of the environment (`clusters/<env>`), its chart's. */
  readonly directory: string;
  /** The root's own file's directory: `bootstrap`, or the environment's (selfManagedRoot). */
  readonly rootDirectory: string;
  readonly selfManagedRoot: boolean;
  /** The root's name when it is not `<env>-root`. */
  readonly rootName?: string;
  /** The root has no automated sync: `rootSyncPolicy: {}`. */
  readonly manualRoot: boolean;
  readonly repoUrl: string;
  readonly targetRevision: string;
  readonly outputRoot: string;
  readonly namespace: string;
}

/** The one GitOpsRepo the environments are written in, with what its checks must be told. */
export interface RepoPlan {
  readonly repoUrl: string;
  readonly targetRevision: string;
  readonly outputRoot: string;
  readonly namespace: string;
  readonly environments: EnvironmentPlan[];
  /** Paths of this repository under outputRoot that Applications read and the input does not hold. */
  readonly externalPaths: string[];
  /** Clusters Applications deploy to that the input does not register. */
  readonly externalClusters: string[];
}

function directoryOf(file: string): string {
  return file === '-' || !file.includes('/') ? '.' : file.slice(0, file.lastIndexOf('/'));
}

function normalize(p: string): string {
  return p.replace(/^\.\//, '').replace(/\/+$/, '');
}

/** The App of Apps roots of the input, in input order. */
export function appOfAppsRoots(inputs: readonly InputObject[]): AppOfApps[] {
  const apps = inputs.filter((i) => i.manifest?.kind === 'Application' && String(i.manifest.apiVersion ?? '').startsWith('argoproj.io/'));
  const dirs = [...new Set(apps.map((i) => directoryOf(i.file)))].filter((d) => d !== '.');
  const out: AppOfApps[] = [];
  for (const root of apps) {
    const s = root.manifest.spec?.source;
    if (!isObject(s) || typeof s.path !== 'string' || s.chart !== undefined || root.manifest.spec?.sources !== undefined) continue;
    const path = normalize(s.path);
    // the input may be a folder inside the repository (an output directory): its directories end the source path
    const dir = dirs.filter((d) => path === d || path.endsWith(`/${d}`)).sort((a, b) => b.length - a.length)[0];
    if (dir === undefined) continue;
    const recurse = isObject(s.directory) && s.directory.recurse === true;
    const children = apps.filter((a) => a !== root && (directoryOf(a.file) === dir || (recurse && directoryOf(a.file).startsWith(`${dir}/`))));
    if (children.length === 0) continue;
    out.push({
      from: `${root.file}#${root.document}`,
      name: String(root.manifest.metadata?.name ?? ''),
      directory: dir,
      children: children.length,
      ...environmentFit(root, dir),
    });
  }
  return out;
}

/**
 * Whether the root has the shape `GitOpsRepo.addEnvironment()` writes (lib/repo/environment.ts):
 * `clusters/<env>` synced by the root in project `default`, in-cluster in the Argo CD namespace,
 * automated prune and self-heal (or `syncPolicy: {}`: `rootSyncPolicy: {}`), the resources
 * finalizer and nothing else, its file in `bootstrap/` or (selfManagedRoot) in `clusters/<env>/`.
 */
function environmentFit(root: InputObject, dir: string): { reason?: string; environment?: EnvironmentPlan } {
  const m = root.manifest;
  const env = dir.slice(dir.lastIndexOf('/') + 1);
  const misfits: string[] = [];
  if (dir !== `clusters/${env}`) misfits.push(`its directory ${dir}/ is not clusters/<env>/ at the top of the input, the layout GitOpsRepo writes (RepoLayout.DEFAULT)`);
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(env)) misfits.push(`'${env}' is not an environment name (a DNS label)`);
  if ((m.spec?.project ?? 'default') !== 'default') misfits.push(`its project is '${m.spec.project}', not 'default'`);
  const d = m.spec?.destination ?? {};
  const ns = m.metadata?.namespace ?? 'argocd';
  if (!(d.server === IN_CLUSTER && d.name === undefined && d.namespace === ns)) misfits.push(`it does not deploy to server ${IN_CLUSTER}, namespace '${ns}' (its own)`);
  const sp = m.spec?.syncPolicy;
  const auto = sp?.automated;
  const automatic = isObject(sp) && Object.keys(sp).length === 1 && isObject(auto) && Object.keys(auto).length === 2 && auto.prune === true && auto.selfHeal === true;
  // rootSyncPolicy: {} is written as an empty syncPolicy
  const manual = isObject(sp) && Object.keys(sp).length === 0;
  if (!automatic && !manual) misfits.push(`its sync policy is ${sp === undefined ? 'absent' : JSON.stringify(sp)}, neither automated prune and self-heal alone nor {} (no automated sync), the two a root is written with`);
  const f = m.metadata?.finalizers;
  if (!(Array.isArray(f) && f.length === 1 && f[0] === 'resources-finalizer.argocd.argoproj.io')) misfits.push('its finalizers are not the resources finalizer alone');
  const extra = Object.keys(m.metadata ?? {}).filter((k) => !['name', 'namespace', 'finalizers'].includes(k));
  if (extra.length > 0) misfits.push(`its metadata has ${extra.join(', ')}, which an environment's root does not`);
  const specExtra = Object.keys(m.spec ?? {}).filter((k) => !['project', 'source', 'destination', 'syncPolicy'].includes(k));
  if (specExtra.length > 0) misfits.push(`its spec has ${specExtra.join(', ')}, which an environment's root does not`);
  const s = m.spec.source;
  const srcExtra = Object.keys(s).filter((k) => !['repoURL', 'targetRevision', 'path'].includes(k));
  if (srcExtra.length > 0) misfits.push(`its source has ${srcExtra.join(', ')}, which an environment's root does not`);
  if (typeof s.repoURL !== 'string' || typeof s.targetRevision !== 'string' || s.repoURL === '' || s.targetRevision === '') misfits.push('its source has no repoURL and targetRevision');
  const rootDirectory = directoryOf(root.file);
  const selfManagedRoot = rootDirectory === dir;
  if (!selfManagedRoot && rootDirectory !== 'bootstrap') misfits.push(`its file is in ${rootDirectory}/, neither bootstrap/ nor ${dir}/, where GitOpsRepo writes a root`);
  if (s.path !== dir && !String(s.path).endsWith(`/${dir}`)) misfits.push(`its source path '${s.path}' is not written as GitOpsRepo writes it (no ./ or trailing /)`);
  if (misfits.length > 0) return { reason: `not the shape of a GitOpsRepo environment: ${misfits.join('; ')}` };
  const name = String(m.metadata.name);
  return {
    environment: {
      name: env, root, directory: dir, rootDirectory, selfManagedRoot,
      ...(name !== `${env}-root` ? { rootName: name } : {}),
      manualRoot: manual,
      repoUrl: s.repoURL, targetRevision: s.targetRevision,
      outputRoot: s.path === dir ? '.' : s.path.slice(0, -dir.length - 1),
      namespace: ns,
    },
  };
}

/**
 * The GitOpsRepo the roots with an environment's shape are written in: those of the first such
 * root's repository, revision, output root and namespace (one repository per program: each writes
 * its own bootstrap directory). The others get their reason.
 */
export function repoPlan(roots: AppOfApps[], inputs: readonly InputObject[]): RepoPlan | undefined {
  const fits = roots.filter((r) => r.environment !== undefined);
  if (fits.length === 0) return undefined;
  const first = fits[0].environment!;
  const environments: EnvironmentPlan[] = [];
  for (const r of fits) {
    const e = r.environment!;
    if (e.repoUrl !== first.repoUrl || e.targetRevision !== first.targetRevision || e.outputRoot !== first.outputRoot || e.namespace !== first.namespace) {
      r.reason = `the shape of a GitOpsRepo environment, but of another repository than ${fits[0].name}'s (${e.repoUrl} at ${e.targetRevision}, output root ${e.outputRoot}, namespace ${e.namespace}); one GitOpsRepo per program`;
    } else if (environments.some((x) => x.name === e.name)) {
      r.reason = `the shape of a GitOpsRepo environment, but environment '${e.name}' already has a root`;
    } else {
      environments.push(e);
    }
  }
  const dirs = new Set(inputs.map((i) => directoryOf(i.file)));
  const prefix = first.outputRoot === '.' ? '' : `${first.outputRoot}/`;
  const externalPaths = new Set<string>();
  const registered = new Set<string>();
  for (const i of inputs) {
    const m = i.manifest;
    if (m?.kind === 'Secret' && m.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster') {
      for (const k of ['server', 'name']) {
        const v = m.stringData?.[k] ?? (typeof m.data?.[k] === 'string' ? Buffer.from(m.data[k], 'base64').toString('utf-8') : undefined);
        if (typeof v === 'string') registered.add(v);
      }
    }
  }
  const externalClusters = new Set<string>();
  for (const i of inputs) {
    const m = i.manifest;
    if (m?.kind !== 'Application' || !String(m.apiVersion ?? '').startsWith('argoproj.io/')) continue;
    const sources = [m.spec?.source, ...(Array.isArray(m.spec?.sources) ? m.spec.sources : [])].filter(isObject);
    for (const src of sources) {
      if (src.repoURL !== first.repoUrl || typeof src.path !== 'string') continue;
      const p = normalize(src.path);
      if (prefix !== '' && !p.startsWith(prefix) && p !== first.outputRoot) continue;
      const rel = prefix === '' ? p : p.slice(prefix.length);
      if (!dirs.has(rel) && rel !== '' && !rel.includes('{{')) externalPaths.add(p);
    }
    const d = m.spec?.destination ?? {};
    const target = typeof d.server === 'string' ? d.server : typeof d.name === 'string' ? d.name : undefined;
    if (target !== undefined && target !== IN_CLUSTER && target !== 'in-cluster' && !registered.has(target)) externalClusters.add(target);
  }
  return {
    repoUrl: first.repoUrl, targetRevision: first.targetRevision, outputRoot: first.outputRoot, namespace: first.namespace,
    environments, externalPaths: [...externalPaths].sort(), externalClusters: [...externalClusters].sort(),
  };
}
