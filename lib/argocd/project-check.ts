import { IConstruct } from 'constructs';
import { _registerCheck } from '../_internal/checks';
import { _allConstructs, _memo } from '../_internal/synthesis';
import { IManifestCheck, RenderedManifest } from '../manifest-check';
import { _Expansion, _expansionKey } from './_expansion';
import { checkGeneratedNameClashes } from './generated-name-check';
import { ApplicationSetPreview } from './preview/application-set-preview';
import { isDnsSubdomain, show } from '../_internal/values';
import { destinationPermitted, GlobPanicError, goPathMatch, isAppNamespacePermitted, isSourcePermitted, KnownCluster } from './_glob';
import { permissionSources, projectSpecProblems } from './_project-rules';
import { methodName } from '../_internal/method-name';

/**
 * Project-aware validation over the rendered manifests of an app: the checks Argo CD runs only
 * inside its controller, run before anything is written.
 *
 * For every Application:
 * - the project named in `spec.project` is an AppProject of the app, or is declared external
 *   with `AppProject.fromProjectName()` (also `default`, which is only accepted when declared);
 * - the project permits every source `repoURL` (`spec.source` and `spec.sources`), the
 *   destination (server or name, and namespace) and the Application's own namespace (apps in any
 *   namespace), with Argo CD's glob and `!` rules;
 * - the Application's name is a valid Kubernetes name.
 *
 * Across all objects, a kind/namespace/name appears once. Every AppProject object (also those
 * not written by `AppProject`) is checked against Argo CD's project validation.
 *
 * Projects declared external are not checked: their rules are unknown here.
 *
 * Every synthesis of an `ArgoCdApp` runs it, and so does `ArgoCdTesting`.
 */
export class ProjectCheck implements IManifestCheck {
  /**
   * Argo CD's `AppProject.IsGroupKindPermitted`: whether a project spec permits objects of a
   * group and kind. Namespaced kinds are permitted unless a namespace whitelist exists and does
   * not list them, or the namespace blacklist lists them; cluster-scoped kinds only when the
   * cluster whitelist lists them and the cluster blacklist does not. Group, kind and name are
   * Go `filepath.Match` patterns.
   *
   * @param projectSpec the AppProject's `spec`, as rendered
   * @param group the API group (`''` for the core group)
   * @param kind the kind
   * @param clusterScoped whether the kind is cluster-scoped
   * @param name the object's name, for cluster list entries that name objects; when absent such
   * entries are left out of the decision
   */
  public static kindPermitted(projectSpec: any, group: string, kind: string, clusterScoped: boolean, name?: string): boolean {
    const spec = projectSpec ?? {};
    const inList = (list: any[] | undefined) => (list ?? []).some((item) => {
      if (goPathMatch(String(item?.kind ?? ''), kind) !== true) return false;
      if (goPathMatch(String(item?.group ?? ''), group) !== true) return false;
      if (item?.name === undefined || item.name === '') return true;
      return name !== undefined && goPathMatch(String(item.name), name) === true;
    });
    if (!clusterScoped) {
      const white = spec.namespaceResourceWhitelist;
      const whitelisted = white === undefined || white === null || (white.length !== 0 && inList(white));
      const blacklisted = inList(spec.namespaceResourceBlacklist);
      return whitelisted && !blacklisted;
    }
    return inList(spec.clusterResourceWhitelist) && !inList(spec.clusterResourceBlacklist);
  }

  /**
   * @param root the app (or any construct of it): its tree is searched for projects declared
   * external with `AppProject.fromProjectName()`
   */
  constructor(private readonly root: IConstruct) {}

  /**
   * Returns one message for each problem found.
   *
   * @param manifests every object the app writes
   */
  public check(manifests: RenderedManifest[]): string[] {
    const errors: string[] = [];
    const external = new Set<string>();
    for (const c of _allConstructs(this.root)) {
      const x = c as any;
      if (typeof x.projectName === 'string' && x.external === true) external.add(x.projectName);
    }

    // One pass sorts out Argo CD's own objects (a handful of a fleet's objects; the rest is left
    // after one look at its apiVersion); the checks below then run in this order over them.
    const projects: RenderedManifest[] = [];
    const applications: RenderedManifest[] = [];
    const applicationSets: RenderedManifest[] = [];
    const named: RenderedManifest[] = [];
    for (const m of manifests) {
      const manifest = m.manifest;
      const apiVersion = manifest?.apiVersion;
      if (typeof apiVersion === 'string') {
        if (!apiVersion.startsWith('argoproj.io/')) continue;
        switch (manifest.kind) {
          case 'AppProject': projects.push(m); break;
          case 'Application': applications.push(m); break;
          case 'ApplicationSet': applicationSets.push(m); break;
        }
      } else if (!String(apiVersion ?? '').startsWith('argoproj.io/')) {
        continue;
      }
      if (manifest?.metadata?.name) named.push(m);
    }

    for (const p of projects) {
      const name = p.manifest.metadata?.name;
      for (const msg of projectSpecProblems(name, p.manifest.spec)) {
        errors.push(`[${p.constructPath}] AppProject '${name}' ${msg}`);
      }
    }

    // Argo CD's own objects (Applications, ApplicationSets, AppProjects) all live in the Argo CD
    // instance, so their names must be unique across the app. The objects Applications deploy go to
    // their destinations' clusters; two environments may well deploy the same name to two clusters,
    // and within one directory the file names already keep them unique.
    const seen = new Map<string, RenderedManifest>();
    for (const m of named) {
      const meta = m.manifest.metadata;
      const group = String(m.manifest.apiVersion ?? '').includes('/') ? String(m.manifest.apiVersion).split('/')[0] : '';
      const key = `${group}/${m.manifest.kind}/${meta.namespace ?? ''}/${meta.name}`;
      const other = seen.get(key);
      if (other) {
        const where = meta.namespace ? `namespace '${meta.namespace}'` : 'the cluster';
        errors.push(`[${m.constructPath}] ${m.manifest.kind} '${meta.name}' is defined twice in ${where} (also by [${other.constructPath}]); names must be unique per kind and namespace; rename one`);
      } else {
        seen.set(key, m);
      }
    }

    const known = applications.length || applicationSets.length ? knownClusters(manifests.map((x) => x.manifest)) : [];
    for (const m of applications) {
      errors.push(...this.checkApplication(m, projects, external, known));
    }

    // Applications generated by ApplicationSets whose input is known here (list elements, and
    // clusters registered in this app): checked like the others, once expanded.
    let clusterSecrets: any[] | undefined;
    for (const m of applicationSets) {
      if (!generatorsKnown(m.manifest.spec?.generators)) continue;
      const expand = (): _Expansion => {
        clusterSecrets ??= ApplicationSetPreview.clusterSecretsIn(manifests.map((x) => x.manifest));
        try {
          return { applications: ApplicationSetPreview.expand(m.manifest, { clusterSecrets }) };
        } catch (e: any) {
          return { error: String(e?.message ?? e) };
        }
      };
      const expansion = _memo(this.root, _expansionKey(m.constructPath), expand);
      errors.push(...checkGeneratedNameClashes(applications, m, expansion.applications ?? []));
      for (const generated of expansion.applications ?? []) {
        errors.push(...this.checkApplication({ ...m, manifest: generated }, projects, external, known, ` (generated by ApplicationSet '${m.manifest.metadata?.name}')`));
      }
    }
    return errors;
  }

  /** @param origin said after the Application's name, e.g. which ApplicationSet generated it */
  private checkApplication(m: RenderedManifest, projects: RenderedManifest[], external: Set<string>, clusters: KnownCluster[], origin = ''): string[] {
    const out: string[] = [];
    const app = m.manifest;
    const name = app.metadata?.name;
    const appNs: string | undefined = app.metadata?.namespace;
    const prefix = `[${m.constructPath}] Application '${name}'${origin}`;
    if (typeof name !== 'string' || !isDnsSubdomain(name)) {
      out.push(`${prefix} metadata.name is not a valid Kubernetes name; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`);
    }
    const projectName: string = app.spec?.project ?? '';
    const candidates = projects.filter((p) => p.manifest.metadata?.name === projectName);
    if (candidates.length === 0) {
      if (external.has(projectName)) return out;
      const known = [...new Set(projects.map((p) => p.manifest.metadata?.name))].sort();
      out.push(`${prefix} spec.project ${show(projectName)} is not an AppProject of this app (projects: ${known.length ? known.join(', ') : 'none'}); create it with new AppProject() or declare it with ${methodName('AppProject.fromProjectName')}`);
      return out;
    }
    const project = candidates.find((p) => p.manifest.metadata?.namespace === appNs) ?? candidates[0];
    const spec = project.manifest.spec ?? {};
    const controllerNs: string = project.manifest.metadata?.namespace ?? 'argocd';
    const p = `project '${projectName}'`;

    const sources = permissionSources(app.spec);
    const repos: string[] = spec.sourceRepos ?? [];
    for (const { field, repoURL: url } of sources) {
      // a source without a repository is refused before the project is asked (validateSourcePermissions)
      if (url === '') continue;
      const permitted = panicAsProblem(out, `${prefix} ${field} '${url}'`, p, 'sourceRepos', () => isSourcePermitted(repos, url));
      if (permitted === false) {
        out.push(`${prefix} ${field} '${url}' is not permitted by ${p} (sourceRepos: ${list(repos)}); add it with ${methodName('project.addSourceRepo')}`);
      }
    }

    const dest = app.spec?.destination ?? {};
    const destinations: any[] = spec.destinations ?? [];
    const shown = [dest.server !== undefined ? `server '${dest.server}'` : undefined, dest.name !== undefined ? `name '${dest.name}'` : undefined,
      `namespace '${dest.namespace ?? ''}'`].filter(Boolean).join(', ');
    const verdict = panicAsProblem(out, `${prefix} spec.destination (${shown})`, p, 'destinations', () => destinationPermitted(projectName, spec, dest, clusters, false));
    if (verdict === undefined) {
      // reported by panicAsProblem
    } else if (verdict.error !== undefined) {
      out.push(`${prefix} spec.destination (${shown}) is refused by Argo CD (${verdict.error}); set either server or name`);
    } else if (verdict.permitted === false && verdict.notScoped) {
      out.push(`${prefix} spec.destination (${shown}) is not permitted by ${p}: permitOnlyProjectScopedClusters is set, and no cluster Secret with project '${projectName}' has server '${verdict.cluster?.server}' or name '${verdict.cluster?.name}'; set project: '${projectName}' on the cluster's Secret`);
    } else if (verdict.permitted === false) {
      const allowed = destinations.map((d) => `${d.server ?? d.name ?? ''}/${d.namespace ?? ''}`);
      out.push(`${prefix} spec.destination (${shown}) is not permitted by ${p} (destinations: ${list(allowed)}); add it with ${methodName('project.addDestination')}`);
    }

    const sourceNamespaces: string[] = spec.sourceNamespaces ?? [];
    if (panicAsProblem(out, `${prefix} metadata.namespace '${appNs}'`, p, 'sourceNamespaces', () => isAppNamespacePermitted(sourceNamespaces, appNs, controllerNs)) === false) {
      out.push(`${prefix} metadata.namespace '${appNs}' is not permitted by ${p} (apps in any namespace: Applications outside '${controllerNs}' need the namespace in sourceNamespaces: ${list(sourceNamespaces)}); add it with ${methodName('project.addSourceNamespace')}`);
    }
    return out;
  }
}

/**
 * Runs one of Argo CD's project matchers; where its glob matcher panics (Argo CD's request fails),
 * reports that as a finding about `subject` (which already names the construct path) and returns
 * undefined.
 */
function panicAsProblem<T>(out: string[], subject: string, project: string, list: string, run: () => T): T | undefined {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof GlobPanicError)) throw e;
    out.push(`${subject} cannot be checked against ${project}: its ${list} ${e.message}; Argo CD would fail the request instead of deciding`);
    return undefined;
  }
}

/** Whether every generator reads only input known here: list elements, or cluster Secrets. */
function generatorsKnown(generators: any[] | undefined): boolean {
  if (!Array.isArray(generators) || generators.length === 0) return false;
  return generators.every((g) => {
    if (g?.list) return g.list.elementsYaml === undefined;
    if (g?.clusters) return true;
    const nested = g?.matrix?.generators ?? g?.merge?.generators;
    return Array.isArray(nested) && generatorsKnown(nested);
  });
}

function list(values: string[]): string {
  return values.length ? values.join(', ') : 'none';
}

/**
 * The clusters the cluster Secrets among the manifests register (written directly, or by an
 * ExternalSecret's template): server, name and project, where they are plain values.
 */
function knownClusters(manifests: readonly any[]): KnownCluster[] {
  const out: KnownCluster[] = [];
  for (const secret of ApplicationSetPreview.clusterSecretsIn([...manifests])) {
    // null: templated, not known here
    const value = (key: string): string | null => {
      const plain = secret.stringData?.[key];
      if (typeof plain === 'string') return plain.includes('{{') ? null : plain;
      const encoded = secret.data?.[key];
      return typeof encoded === 'string' ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    };
    const server = value('server');
    const name = value('name');
    const project = value('project');
    if (!server || name === null || project === null) continue;
    out.push({ server: server.replace(/\/+$/, ''), name, project });
  }
  return out;
}

// every synthesis of an ArgoCdApp, and ArgoCdTesting, runs the project check
_registerCheck('project', (root) => new ProjectCheck(root));
