// The manifest checks a GitOpsRepo registers on its ArgoCdApp: Application paths must be written by
// the app, and no pruning Application may manage the objects that run Argo CD. Internal.
import { IManifestCheck, RenderedManifest } from '../manifest-check';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../argocd/destination';
import { ProjectCheck } from '../argocd/project-check';
import { checkGeneratedNameClashes } from '../argocd/generated-name-check';
import { ApplicationSetPreview } from '../argocd/preview/application-set-preview';
import { decodeClusterSecret } from '../argocd/preview/_generators';
import { isDnsSubdomain } from '../_internal/values';
import { dumpYaml } from '../_internal/yaml';
import { repositoryIdentity } from '../_internal/repo-url';
import { methodName } from '../_internal/method-name';
import { nearest } from '../_internal/nearest';

/** What the checks need to know about the repository. */
export interface RepoFacts {
  readonly repoUrl: string;
  /** The output directory's path in the repository ('.' for the root). */
  readonly outputRoot: string;
  /** Repository paths written by something other than this app. */
  readonly externalPaths: () => string[];
  /** Cluster servers or names registered by something other than this app. */
  readonly externalClusters: () => string[];
  /** The clusters the environments declare (registered here or elsewhere). */
  readonly declaredClusters: () => Array<{ readonly name: string; readonly server: string }>;
  readonly argoCdNamespace: string;
}

/** Normalizes a repository path: no `./`, no trailing `/`, '.' for the root. */
export function normalizeRepoPath(p: string): string {
  const parts = String(p).split('/').filter((x) => x !== '' && x !== '.');
  return parts.length ? parts.join('/') : '.';
}

/** `dir` (relative to the output directory) as a repository path. */
export function repoPathOf(outputRoot: string, dir: string): string {
  if (outputRoot === '.') return normalizeRepoPath(dir);
  if (dir === '.') return outputRoot;
  return normalizeRepoPath(`${outputRoot}/${dir}`);
}

/** The rendered manifests by their directory as a repository path. */
function byDirectory(manifests: RenderedManifest[], outputRoot: string): Map<string, RenderedManifest[]> {
  const out = new Map<string, RenderedManifest[]>();
  for (const m of manifests) {
    const dir = repoPathOf(outputRoot, dirOf(m.file));
    const list = out.get(dir);
    if (list) list.push(m);
    else out.set(dir, [m]);
  }
  return out;
}

/** The manifests an Application source at repository path `p` syncs (below it too when it recurses). */
function syncedBy(index: Map<string, RenderedManifest[]>, p: string, recurse: boolean): RenderedManifest[] {
  if (!recurse) return index.get(p) ?? [];
  const out: RenderedManifest[] = [];
  for (const [dir, list] of index) if (isUnder(dir, p)) out.push(...list);
  return out;
}

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '.' : file.slice(0, i);
}

export function isUnder(p: string, root: string): boolean {
  return root === '.' || p === root || p.startsWith(`${root}/`);
}

/** The Git sources of a rendered Application that point at this repository, with their field names. */
export function repoSources(app: any, facts: RepoFacts): Array<{ field: string; source: any }> {
  const spec = app.spec ?? {};
  const list: Array<{ field: string; source: any }> = [];
  // a hydrated Application renders its dry source (and Argo CD ignores spec.source)
  if (spec.sourceHydrator) list.push({ field: 'spec.sourceHydrator.drySource', source: spec.sourceHydrator.drySource });
  else if (Array.isArray(spec.sources)) spec.sources.forEach((s: any, i: number) => list.push({ field: `spec.sources[${i}]`, source: s }));
  else if (spec.source) list.push({ field: 'spec.source', source: spec.source });
  const url = repositoryIdentity(facts.repoUrl);
  return list.filter(({ source }) => source && typeof source.path === 'string' && source.chart === undefined
    && typeof source.repoURL === 'string' && repositoryIdentity(source.repoURL) === url);
}

export function isApplication(m: any): boolean {
  return m?.kind === 'Application' && typeof m?.apiVersion === 'string' && m.apiVersion.startsWith('argoproj.io/');
}

/** The (at most) three written paths nearest to `p`, by edit distance, then alphabetically. */
export function nearestPaths(p: string, written: string[], count = 3): string[] {
  return nearest(p, written, count);
}

/**
 * Every Application whose source is this repository must point at a directory the app writes
 * (or one declared external). Paths outside the output root are not checked.
 */
export class RepoPathCheck implements IManifestCheck {
  constructor(private readonly facts: RepoFacts) {}

  public check(manifests: RenderedManifest[]): string[] {
    const written = new Set<string>();
    for (const m of manifests) written.add(repoPathOf(this.facts.outputRoot, dirOf(m.file)));
    const writtenList = [...written].sort();
    const external = this.facts.externalPaths().map(normalizeRepoPath);
    const problems: string[] = [];
    for (const m of manifests) {
      if (!isApplication(m.manifest)) continue;
      for (const { field, source } of repoSources(m.manifest, this.facts)) {
        const p = normalizeRepoPath(source.path);
        if (!isUnder(p, this.facts.outputRoot)) continue;
        if (written.has(p)) continue;
        if (external.some((e) => isUnder(p, e))) continue;
        if (source.directory?.recurse === true && writtenList.some((w) => isUnder(w, p))) continue;
        const near = nearestPaths(p, writtenList);
        problems.push(`[${m.constructPath}] ${field}.path '${source.path}' of Application '${m.manifest.metadata?.name}' is not written by this app, `
          + `so Argo CD would find no manifests in ${this.facts.repoUrl}; nearest written paths: ${near.length ? near.join(', ') : 'none'}; `
          + `let the library compute the path (${methodName('Environment.addApp')}), or declare a path written by other means with ${methodName('repo.addExternalPath')}`);
      }
    }
    return problems;
  }
}

// Kinds that are cluster-scoped, for telling which objects land in the destination namespace.
const CLUSTER_SCOPED = new Set([
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume',
  'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'APIService', 'CSIDriver',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'ClusterSecretStore', 'ClusterExternalSecret', 'ClusterIssuer',
  'ClusterPushSecret', 'ClusterGenerator',
]);

const PRUNE_OFF = /(^|,)\s*Prune=(false|confirm)\s*(,|$)/;

/** Why `obj`, synced by an Application whose destination namespace is `destNs`, runs Argo CD; undefined when it does not. */
function argoCdOwnReason(obj: any, destNs: string | undefined, argoNs: string): string | undefined {
  const kind = obj?.kind;
  const name = String(obj?.metadata?.name ?? '');
  const group = String(obj?.apiVersion ?? '').includes('/') ? String(obj.apiVersion).split('/')[0] : '';
  if (PRUNE_OFF.test(String(obj?.metadata?.annotations?.['argocd.argoproj.io/sync-options'] ?? ''))) return undefined;
  if (kind === 'Namespace') return name === argoNs ? `Namespace '${name}'` : undefined;
  if (kind === 'CustomResourceDefinition') {
    return obj?.spec?.group === 'argoproj.io' ? `CustomResourceDefinition '${name}' (deleting it deletes every Application)` : undefined;
  }
  if (CLUSTER_SCOPED.has(kind)) return name.startsWith('argocd-') || name === 'argocd' ? `${kind} '${name}'` : undefined;
  const ns = obj?.metadata?.namespace ?? destNs;
  if (ns !== argoNs) return undefined;
  if (group === 'argoproj.io' && ['Application', 'ApplicationSet', 'AppProject'].includes(kind)) return undefined;
  if (group === '' && kind === 'Secret' && obj?.metadata?.labels?.['argocd.argoproj.io/secret-type'] !== undefined) return undefined;
  if (group === 'external-secrets.io' && kind === 'ExternalSecret') {
    const target = String(obj?.spec?.target?.name ?? name);
    return target.startsWith('argocd-') ? `ExternalSecret '${name}' writing Secret '${target}'` : undefined;
  }
  return `${kind} '${name}' in namespace '${ns}'`;
}

/**
 * An Application with automated prune, deploying to the cluster Argo CD runs in, must not sync the
 * objects that run Argo CD: its namespace, its CRDs, its own (`argocd-*`) cluster objects, and any
 * object in its namespace other than Applications, ApplicationSets, AppProjects, Argo CD
 * configuration Secrets (labelled `argocd.argoproj.io/secret-type`) and ExternalSecrets that do
 * not write an `argocd-*` Secret. Objects annotated `argocd.argoproj.io/sync-options: Prune=false`
 * (or `Prune=confirm`) are never pruned and pass. Only the files of this repository's output are
 * seen.
 */
export class ArgoCdSelfPruneGuard implements IManifestCheck {
  constructor(private readonly facts: RepoFacts) {}

  public check(manifests: RenderedManifest[]): string[] {
    const argoNs = this.facts.argoCdNamespace;
    const problems: string[] = [];
    let index: Map<string, RenderedManifest[]> | undefined;
    for (const m of manifests) {
      const app = m.manifest;
      if (!isApplication(app)) continue;
      const policy = app.spec?.syncPolicy ?? {};
      const automated = policy.automated;
      if (!automated || automated.prune !== true || automated.enabled === false) continue;
      if ((policy.syncOptions ?? []).some((o: string) => PRUNE_OFF.test(o))) continue;
      const dest = app.spec?.destination ?? {};
      const inCluster = dest.server === IN_CLUSTER_SERVER || dest.name === IN_CLUSTER_NAME;
      if (!inCluster) continue;
      for (const { field, source } of repoSources(app, this.facts)) {
        const hits: string[] = [];
        index ??= byDirectory(manifests, this.facts.outputRoot);
        for (const other of syncedBy(index, normalizeRepoPath(source.path), source.directory?.recurse === true)) {
          const reason = argoCdOwnReason(other.manifest, dest.namespace, argoNs);
          if (reason) hits.push(`${reason} (${other.file})`);
        }
        if (hits.length === 0) continue;
        problems.push(`[${m.constructPath}] spec.syncPolicy.automated.prune true on Application '${app.metadata?.name}' would let Argo CD prune the objects that run it `
          + `(${field}.path '${source.path}' holds ${hits.join(', ')}); a pruning Application on Argo CD's own cluster must sync only Applications, ApplicationSets, AppProjects `
          + `and cluster/repository Secrets in '${argoNs}': move these objects to an Application without automated prune, `
          + 'or annotate each with argocd.argoproj.io/sync-options: Prune=false');
      }
    }
    return problems;
  }
}

/** `''` for the core group (`v1`), else the group of `apps/v1`. */
function groupOf(apiVersion: unknown): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

function listed(list: any[] | undefined): string {
  return list?.length ? list.map((r) => `${r.group || '""'}/${r.kind}${r.name ? `/${r.name}` : ''}`).join(', ') : 'none';
}

/**
 * The kinds an Application deploys from this repository (the objects in the directory its path
 * names) must be permitted by its project's cluster and namespace resource lists, as Argo CD
 * checks at sync time. Projects declared outside the app are not checked.
 */
export class ProjectKindCheck implements IManifestCheck {
  constructor(private readonly facts: RepoFacts) {}

  public check(manifests: RenderedManifest[]): string[] {
    const projects = new Map<string, any>();
    for (const m of manifests) {
      if (m.manifest?.kind === 'AppProject' && String(m.manifest.apiVersion ?? '').startsWith('argoproj.io/')) {
        projects.set(m.manifest.metadata?.name, m.manifest);
      }
    }
    const problems: string[] = [];
    let index: Map<string, RenderedManifest[]> | undefined;
    for (const m of manifests) {
      const app = m.manifest;
      if (!isApplication(app)) continue;
      const projectName = app.spec?.project;
      const project = projects.get(projectName);
      if (!project) continue;
      const spec = project.spec ?? {};
      for (const { source } of repoSources(app, this.facts)) {
        index ??= byDirectory(manifests, this.facts.outputRoot);
        for (const obj of syncedBy(index, normalizeRepoPath(source.path), source.directory?.recurse === true)) {
          const o = obj.manifest;
          if (typeof o?.kind !== 'string') continue;
          const group = groupOf(o.apiVersion);
          const clusterScoped = CLUSTER_SCOPED.has(o.kind);
          if (ProjectCheck.kindPermitted(spec, group, o.kind, clusterScoped, o.metadata?.name)) continue;
          const shown = `${o.kind} '${o.metadata?.name ?? o.metadata?.generateName}' (${obj.file})`;
          const groupText = group === '' ? "''" : `'${group}'`;
          problems.push(clusterScoped
            ? `[${m.constructPath}] Application '${app.metadata?.name}' deploys the cluster-scoped ${shown}, which project '${projectName}' does not permit `
              + `(clusterResourceWhitelist: ${listed(spec.clusterResourceWhitelist)}; clusterResourceBlacklist: ${listed(spec.clusterResourceBlacklist)}); `
              + `allow it with project.allowClusterResource({ group: ${groupText}, kind: '${o.kind}' })`
            : `[${m.constructPath}] Application '${app.metadata?.name}' deploys ${shown}, which project '${projectName}' does not permit `
              + `(namespaceResourceWhitelist: ${spec.namespaceResourceWhitelist ? listed(spec.namespaceResourceWhitelist) : 'any'}; namespaceResourceBlacklist: ${listed(spec.namespaceResourceBlacklist)}); `
              + `allow it with project.allowNamespaceResource({ group: ${groupText}, kind: '${o.kind}' }) or take it off the deny list`);
        }
      }
    }
    return problems;
  }
}

/** The repoURLs of the git generators in a generator list, nested ones included. */
function gitRepoUrls(generators: any[] | undefined): string[] {
  const out: string[] = [];
  for (const g of generators ?? []) {
    if (typeof g?.git?.repoURL === 'string') out.push(g.git.repoURL);
    out.push(...gitRepoUrls(g?.matrix?.generators ?? g?.merge?.generators));
  }
  return out;
}

/**
 * Every Application deploys to a cluster Argo CD knows: the cluster it runs in
 * (`https://kubernetes.default.svc`, `in-cluster`), one whose cluster Secret (or the ExternalSecret
 * that writes it) the app writes, one of the environments' clusters, or one declared with
 * `addExternalCluster()`. Otherwise Argo CD would report that no cluster has that URL or name. A registration whose server or name comes from
 * a secret store (a placeholder) could be any cluster, so it silences the check for that field.
 */
export class ClusterRegistrationCheck implements IManifestCheck {
  constructor(private readonly facts: RepoFacts) {}

  public check(manifests: RenderedManifest[]): string[] {
    const servers = new Set<string>([IN_CLUSTER_SERVER]);
    const names = new Set<string>([IN_CLUSTER_NAME]);
    let anyServer = false;
    let anyName = false;
    for (const secret of ApplicationSetPreview.clusterSecretsIn(manifests.map((m) => m.manifest))) {
      const c = decodeClusterSecret(secret);
      if (c.server === '' || c.server.includes('{{')) anyServer = true;
      else servers.add(trimSlash(c.server));
      if (c.name === '' || c.name.includes('{{')) anyName = true;
      else names.add(c.name);
    }
    for (const c of this.facts.declaredClusters()) {
      servers.add(trimSlash(c.server));
      names.add(c.name);
    }
    const external = new Set(this.facts.externalClusters().map(trimSlash));
    const registered = (set: Set<string>) => [...set].filter((x) => x !== IN_CLUSTER_SERVER && x !== IN_CLUSTER_NAME).sort();
    const problems: string[] = [];
    for (const m of manifests) {
      const app = m.manifest;
      if (!isApplication(app)) continue;
      const dest = app.spec?.destination ?? {};
      const [field, value, known, any, what] = typeof dest.server === 'string'
        ? ['server', dest.server, servers, anyServer, 'URL'] as const
        : ['name', dest.name, names, anyName, 'name'] as const;
      if (typeof value !== 'string' || value.includes('{{') || any) continue;
      if (known.has(trimSlash(value)) || external.has(trimSlash(value))) continue;
      const list = registered(known);
      problems.push(`[${m.constructPath}] spec.destination.${field} '${value}' of Application '${app.metadata?.name}' is not a cluster this app registers or declares `
        + `(known ${field}s: ${list.length ? list.join(', ') : 'none'}, and the cluster Argo CD runs in), so Argo CD would find no cluster with that ${what}; `
        + `register it with a Cluster in an environment, or declare a cluster registered by other means with repo.addExternalCluster('${value}')`);
    }
    return problems;
  }
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

/**
 * ApplicationSets whose git generators read this repository are expanded over the files the app
 * writes (the repository as it will be after the commit), and the Applications they generate are
 * checked: the expansion succeeds, names are valid Kubernetes names, no two share a name.
 */
export class RepoApplicationSetCheck implements IManifestCheck {
  constructor(private readonly facts: RepoFacts) {}

  public check(manifests: RenderedManifest[]): string[] {
    const url = repositoryIdentity(this.facts.repoUrl);
    const problems: string[] = [];
    let files: { [path: string]: string } | undefined;
    let clusterSecrets: any[] | undefined;
    for (const m of manifests) {
      const set = m.manifest;
      if (set?.kind !== 'ApplicationSet' || !String(set.apiVersion ?? '').startsWith('argoproj.io/')) continue;
      const urls = gitRepoUrls(set.spec?.generators);
      if (urls.length === 0 || !urls.every((u) => repositoryIdentity(u) === url)) continue;
      files ??= Object.fromEntries(manifests.map((x) => [repoPathOf(this.facts.outputRoot, x.file), dumpYaml(x.manifest)]));
      clusterSecrets ??= ApplicationSetPreview.clusterSecretsIn(manifests.map((x) => x.manifest));
      const repositories: { [repoUrl: string]: { [path: string]: string } } = {};
      for (const u of urls) repositories[u] = files;
      let apps: any[];
      try {
        apps = ApplicationSetPreview.expand(set, { clusterSecrets, repositories });
      } catch (e: any) {
        problems.push(`[${m.constructPath}] ApplicationSet '${set.metadata?.name}' cannot be expanded over this repository's files: ${e?.message ?? e}`);
        continue;
      }
      problems.push(...checkGeneratedNameClashes(manifests.filter((x) => isApplication(x.manifest)), m, apps));
      for (const a of apps) {
        const n = a.metadata?.name;
        if (typeof n !== 'string' || !isDnsSubdomain(n)) {
          problems.push(`[${m.constructPath}] ApplicationSet '${set.metadata?.name}' generates the name '${n}' from this repository's files, which is not a valid Kubernetes name; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. path.basenameNormalized)`);
        }
      }
    }
    return problems;
  }
}
