// `cdk8s-argocd graph`: a picture of the repository read from the synthesized YAML (apps, child
// apps, ApplicationSets and what they generate, projects, clusters), or one Application's sync plan
// (phases and waves), as Mermaid or DOT.
import { compareStrings } from '../_internal/values';
import { AppRun, appErrorText, resolveAppCommand, runApp, UsageError } from './_app-runner';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../argocd/destination';
import { ApplicationSetPreview } from '../argocd/preview/application-set-preview';
import { SyncPlan } from '../sync/sync-plan';
import { repositoriesFor } from './preview';
import { CliIo, EXIT_ERROR, EXIT_OK, errorLine, plural, summary, withProgress } from './_output';
import * as path from 'path';
import { RepoObject, gitCheckout, parseRepoFlags, readOutputs, withRepoFlagHint } from './_repo';
import { sameRepository } from '../_internal/repo-url';

/** The kinds of node a graph holds. */
export type GraphNodeKind = 'application' | 'applicationset' | 'generated' | 'project' | 'cluster' | 'phase';

/** The kinds of edge a graph holds. */
export type GraphEdgeKind = 'child' | 'generates' | 'project' | 'destination' | 'next' | 'on-failure';

/** A node of a graph. */
export interface GraphNode {
  /** A stable identifier, safe in Mermaid and DOT. */
  readonly id: string;
  /** What the node stands for. */
  readonly kind: GraphNodeKind;
  /** The text shown (lines separated by `\n`). */
  readonly label: string;
  /** Whether an Application is a root (nothing in the repository deploys it). */
  readonly root?: boolean;
}

/** An edge of a graph. */
export interface GraphEdge {
  /** The source node id. */
  readonly from: string;
  /** The target node id. */
  readonly to: string;
  /** What the edge means. */
  readonly kind: GraphEdgeKind;
  /** The text on the edge, when any. */
  readonly label?: string;
}

/** A graph ready to render. */
export interface Graph {
  /** The nodes, in a deterministic order. */
  readonly nodes: GraphNode[];
  /** The edges, in a deterministic order. */
  readonly edges: GraphEdge[];
  /** Remarks for the reader (expansion errors, what was not drawn). */
  readonly notes: string[];
}

/** Options of `buildRepoGraph`. */
export interface RepoGraphOptions {
  /** The URL of the repository the files are in; when set, only sources from it find children. */
  readonly repoUrl?: string;
  /** Expands an ApplicationSet into the Applications it generates; absent: not expanded. */
  readonly expand?: (applicationSet: any) => any[];
}


function isKind(m: any, kind: string): boolean {
  return m && m.kind === kind && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('argoproj.io/');
}

function sourcesOf(spec: any): any[] {
  if (!spec) return [];
  if (spec.sourceHydrator) return spec.sourceHydrator.drySource ? [spec.sourceHydrator.drySource] : [];
  if (Array.isArray(spec.sources)) return spec.sources;
  return spec.source ? [spec.source] : [];
}

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

function normDir(p: string): string {
  return p.split('/').filter((s) => s !== '' && s !== '.').join('/');
}

class IdMaker {
  private readonly used = new Set<string>();
  private readonly byKey = new Map<string, string>();
  public id(key: string): string {
    const existing = this.byKey.get(key);
    if (existing) return existing;
    const base = key.replace(/[^A-Za-z0-9_]/g, '_').replace(/_+/g, '_');
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.byKey.set(key, id);
    return id;
  }
}

/** The files an Application source reads from this repository: its path (and below, with `directory.recurse`). */
function sourceReads(source: any, repoUrl: string | undefined, file: string): boolean {
  if (typeof source?.path !== 'string') return false;
  if (repoUrl !== undefined && typeof source.repoURL === 'string' && !sameRepository(source.repoURL, repoUrl)) return false;
  const dir = normDir(source.path);
  const fdir = dirOf(file);
  if (fdir === dir) return true;
  return source.directory?.recurse === true && (dir === '' || fdir.startsWith(`${dir}/`));
}

/**
 * Builds the repository graph: Applications (roots marked), the Applications and ApplicationSets
 * each one deploys (an Application whose source path holds other Application manifests is their
 * parent), what each ApplicationSet generates (with `expand`), the projects apps belong to, and the
 * clusters they deploy to (cluster Secrets, matched by server or name; the in-cluster destination
 * is always known).
 *
 * @param objects the objects, with repository-relative file paths
 * @param options the repository URL and the ApplicationSet expander
 */
export function buildRepoGraph(objects: readonly RepoObject[], options: RepoGraphOptions = {}): Graph {
  const ids = new IdMaker();
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const notes: string[] = [];
  const nodeIds = new Set<string>();
  const addNode = (n: GraphNode) => {
    if (!nodeIds.has(n.id)) {
      nodeIds.add(n.id);
      nodes.push(n);
    }
  };

  const apps = objects.filter((o) => isKind(o.manifest, 'Application'));
  const appSets = objects.filter((o) => isKind(o.manifest, 'ApplicationSet'));
  const projects = objects.filter((o) => isKind(o.manifest, 'AppProject'));
  const clusters = ApplicationSetPreview.clusterSecretsIn(objects.map((o) => o.manifest));

  const keyOf = (prefix: string, m: any) => `${prefix}:${m.metadata?.namespace ?? ''}/${m.metadata?.name ?? ''}`;
  const appId = (m: any) => ids.id(keyOf('app', m));
  const appSetId = (m: any) => ids.id(keyOf('appset', m));
  const projectId = (name: string) => ids.id(`project:${name}`);

  // clusters: by server and by name
  const clusterByServer = new Map<string, string>();
  const clusterByName = new Map<string, string>();
  const inClusterId = ids.id('cluster:in-cluster');
  for (const c of clusters) {
    const data = { ...decodeData(c.data), ...(c.stringData ?? {}) };
    const server = data.server;
    const name = data.name ?? c.metadata?.name;
    if (typeof server !== 'string') continue;
    const id = server === IN_CLUSTER_SERVER ? inClusterId : ids.id(`cluster:${server}`);
    addNode({ id, kind: 'cluster', label: `${name}\n${server}` });
    clusterByServer.set(server, id);
    if (typeof name === 'string') clusterByName.set(name, id);
  }
  const destinationOf = (dest: any): string | undefined => {
    if (!dest) return undefined;
    if (typeof dest.server === 'string') {
      const known = clusterByServer.get(dest.server);
      if (known) return known;
      if (dest.server === IN_CLUSTER_SERVER) {
        addNode({ id: inClusterId, kind: 'cluster', label: `in-cluster\n${IN_CLUSTER_SERVER}` });
        return inClusterId;
      }
      const id = ids.id(`cluster:${dest.server}`);
      addNode({ id, kind: 'cluster', label: dest.server });
      clusterByServer.set(dest.server, id);
      return id;
    }
    if (typeof dest.name === 'string') {
      const known = clusterByName.get(dest.name);
      if (known) return known;
      if (dest.name === IN_CLUSTER_NAME) {
        addNode({ id: inClusterId, kind: 'cluster', label: `in-cluster\n${IN_CLUSTER_SERVER}` });
        return inClusterId;
      }
      const id = ids.id(`cluster-name:${dest.name}`);
      addNode({ id, kind: 'cluster', label: dest.name });
      clusterByName.set(dest.name, id);
      return id;
    }
    return undefined;
  };

  for (const p of projects) {
    const name = p.manifest.metadata?.name;
    addNode({ id: projectId(name), kind: 'project', label: `${name}\nAppProject` });
  }
  const linkProject = (from: string, project: unknown) => {
    if (typeof project !== 'string' || project === '' || project.includes('{{')) return;
    const id = projectId(project);
    addNode({ id, kind: 'project', label: `${project}\nAppProject` });
    edges.push({ from, to: id, kind: 'project' });
  };
  const linkDestination = (from: string, dest: any) => {
    const to = destinationOf(dest);
    if (to) edges.push({ from, to, kind: 'destination', ...(dest.namespace ? { label: String(dest.namespace) } : {}) });
  };

  // which Application deploys which Application / ApplicationSet
  const deployable = [...apps, ...appSets];
  const parents = new Map<RepoObject, RepoObject[]>();
  for (const parent of apps) {
    for (const child of deployable) {
      if (child === parent) continue;
      if (sourcesOf(parent.manifest.spec).some((s) => sourceReads(s, options.repoUrl, child.file))) {
        parents.set(child, [...(parents.get(child) ?? []), parent]);
      }
    }
  }

  for (const a of [...apps.filter((x) => !parents.has(x)), ...apps.filter((x) => parents.has(x))]) {
    const m = a.manifest;
    const root = !parents.has(a);
    addNode({ id: appId(m), kind: 'application', label: `${m.metadata?.name}\nApplication${root ? ' (root)' : ''}`, root });
  }
  for (const s of appSets) {
    addNode({ id: appSetId(s.manifest), kind: 'applicationset', label: `${s.manifest.metadata?.name}\nApplicationSet` });
  }
  for (const child of deployable) {
    const to = isKind(child.manifest, 'Application') ? appId(child.manifest) : appSetId(child.manifest);
    for (const parent of parents.get(child) ?? []) edges.push({ from: appId(parent.manifest), to, kind: 'child' });
  }
  for (const a of apps) {
    linkProject(appId(a.manifest), a.manifest.spec?.project);
    linkDestination(appId(a.manifest), a.manifest.spec?.destination);
  }
  for (const s of appSets) {
    const from = appSetId(s.manifest);
    if (!options.expand) {
      linkProject(from, s.manifest.spec?.template?.spec?.project);
      continue;
    }
    let generated: any[];
    try {
      generated = options.expand(s.manifest);
    } catch (e: any) {
      notes.push(`ApplicationSet ${s.manifest.metadata?.name}: ${e?.message ?? e}`);
      linkProject(from, s.manifest.spec?.template?.spec?.project);
      continue;
    }
    for (const g of generated) {
      const id = ids.id(keyOf('generated', g));
      addNode({ id, kind: 'generated', label: `${g.metadata?.name}\ngenerated Application` });
      edges.push({ from, to: id, kind: 'generates' });
      linkProject(id, g.spec?.project);
      linkDestination(id, g.spec?.destination);
    }
  }
  if (!options.expand && appSets.length > 0) notes.push('ApplicationSets are drawn without the Applications they generate (no expansion was given)');
  return { nodes, edges: dedupeEdges(edges), notes };
}

function dedupeEdges(edges: GraphEdge[]): GraphEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const k = `${e.from}\0${e.to}\0${e.kind}\0${e.label ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function decodeData(data: any): Record<string, string> {
  const out: Record<string, string> = {};
  if (!data || typeof data !== 'object') return out;
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === 'string') out[k] = Buffer.from(v, 'base64').toString('utf-8');
  }
  return out;
}

/** One step of a sync plan: the objects applied together in one phase and wave. */
export interface SyncStep {
  /** The phase: PreSync, Sync, PostSync, SyncFail, PreDelete or PostDelete. */
  readonly phase: string;
  /** The sync wave. */
  readonly wave: number;
  /** `Kind/name` of each object, in the order Argo CD applies them. */
  readonly objects: string[];
}

/**
 * Groups objects into steps of one phase and wave, in the order Argo CD applies them (computed by
 * `SyncPlan`: phase, wave, kind order, name; Namespaces and CRDs moved before their first user).
 * Deletion hooks (PreDelete, PostDelete) follow; objects Argo CD never applies are left out.
 *
 * @param manifests the objects an Application deploys
 */
export function syncSteps(manifests: readonly any[]): SyncStep[] {
  return syncPlanOf(manifests).steps;
}

/**
 * The steps of `syncSteps` and the SyncPlan's warnings (a named hook without BeforeHookCreation,
 * the same object twice, annotations Argo CD cannot read, ...).
 *
 * @param manifests the objects an Application deploys
 */
export function syncPlanOf(manifests: readonly any[]): { steps: SyncStep[]; warnings: string[] } {
  const plan = SyncPlan.fromManifests([...manifests]);
  const steps: Array<{ phase: string; wave: number; objects: string[] }> = [];
  for (const s of [...plan.steps, ...plan.deletionHooks]) {
    const last = steps[steps.length - 1];
    const label = `${s.kind}/${s.name}`;
    if (last && last.phase === s.phase && last.wave === s.wave) last.objects.push(label);
    else steps.push({ phase: String(s.phase), wave: s.wave, objects: [label] });
  }
  return { steps, warnings: [...plan.warnings] };
}

/** The prefix of a note that is a SyncPlan warning. */
const WARNING = 'warning: ';

/**
 * The sync plan of one Application as a graph: one node per phase and wave, chained in apply
 * order; SyncFail hooks hang off the last step before them, deletion hooks form a chain apart.
 *
 * @param steps from `syncSteps`
 * @param appName shown in the notes
 * @param warnings the SyncPlan's warnings, kept as notes (`warning: ...`) of the graph
 */
export function syncPlanGraph(steps: readonly SyncStep[], appName: string, warnings: readonly string[] = []): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const ids = new IdMaker();
  let previous: string | undefined;
  let lastBeforeFail: string | undefined;
  let previousDelete: string | undefined;
  for (const s of steps) {
    const id = ids.id(`${s.phase}_w${s.wave < 0 ? `m${-s.wave}` : s.wave}`);
    nodes.push({ id, kind: 'phase', label: `${s.phase} · wave ${s.wave}\n${s.objects.join('\n')}` });
    if (s.phase === 'SyncFail') {
      if (lastBeforeFail) edges.push({ from: lastBeforeFail, to: id, kind: 'on-failure', label: 'on failure' });
      continue;
    }
    if (s.phase === 'PreDelete' || s.phase === 'PostDelete') {
      if (previousDelete) edges.push({ from: previousDelete, to: id, kind: 'next' });
      previousDelete = id;
      continue;
    }
    if (previous) edges.push({ from: previous, to: id, kind: 'next' });
    previous = id;
    lastBeforeFail = id;
  }
  const notes = steps.length === 0 ? [`Application ${appName} deploys no objects from this repository`] : [];
  return { nodes, edges, notes: [...notes, ...warnings.map((w) => `${WARNING}${w}`)] };
}

function mermaidText(s: string): string {
  return s.replace(/"/g, '#quot;').split('\n').join('<br/>');
}

/** Renders a graph as a Mermaid flowchart (renders on GitHub). */
export function toMermaid(graph: Graph, direction: 'LR' | 'TD' = 'LR'): string {
  const lines = [`flowchart ${direction}`];
  for (const n of graph.nodes) {
    const t = `"${mermaidText(n.label)}"`;
    const shape = n.kind === 'applicationset' ? `{{${t}}}`
      : n.kind === 'project' ? `([${t}])`
        : n.kind === 'cluster' ? `[(${t})]`
          : n.root ? `[[${t}]]`
            : `[${t}]`;
    lines.push(`  ${n.id}${shape}`);
  }
  for (const e of graph.edges) {
    const arrow = e.kind === 'child' || e.kind === 'next' ? '-->' : e.kind === 'destination' ? '==>' : '-.->';
    const label = e.label ?? (e.kind === 'generates' || e.kind === 'project' ? e.kind : undefined);
    lines.push(`  ${e.from} ${arrow}${label !== undefined ? `|${mermaidText(label).replace(/\|/g, '#124;')}|` : ''} ${e.to}`);
  }
  const classes: Record<string, string> = { generated: 'stroke-dasharray: 4 2', project: 'fill:#f5f5f5', cluster: 'fill:#e8f0fe' };
  for (const [kind, style] of Object.entries(classes)) {
    const members = graph.nodes.filter((n) => n.kind === kind).map((n) => n.id);
    if (members.length > 0) {
      lines.push(`  classDef ${kind} ${style}`);
      lines.push(`  class ${members.join(',')} ${kind}`);
    }
  }
  for (const note of graph.notes) lines.push(`  %% ${note.replace(/\n/g, ' ')}`);
  return `${lines.join('\n')}\n`;
}

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Renders a graph in Graphviz DOT. */
export function toDot(graph: Graph, direction: 'LR' | 'TB' = 'LR'): string {
  const lines = ['digraph repository {', `  rankdir=${direction};`, '  node [fontname="Helvetica"];'];
  for (const n of graph.nodes) {
    const shape = n.kind === 'applicationset' ? 'hexagon' : n.kind === 'project' ? 'ellipse' : n.kind === 'cluster' ? 'cylinder' : 'box';
    const style = n.kind === 'generated' ? ', style=dashed' : n.root ? ', peripheries=2' : '';
    lines.push(`  ${n.id} [label=${dotString(n.label)}, shape=${shape}${style}];`);
  }
  for (const e of graph.edges) {
    const attrs: string[] = [];
    const label = e.label ?? (e.kind === 'generates' || e.kind === 'project' ? e.kind : undefined);
    if (label !== undefined) attrs.push(`label=${dotString(label)}`);
    if (e.kind === 'generates' || e.kind === 'project' || e.kind === 'on-failure') attrs.push('style=dashed');
    if (e.kind === 'destination') attrs.push('style=bold');
    lines.push(`  ${e.from} -> ${e.to}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  for (const note of graph.notes) lines.push(`  // ${note.replace(/\n/g, ' ')}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Options of `graph`. */
export interface GraphOptions {
  /** The app command; default `cdk8s.yaml`'s `app:`. */
  readonly app?: string;
  /** `mermaid` (default) or `dot`. */
  readonly format?: string;
  /** Draw this Application's sync plan instead of the repository. */
  readonly syncPlan?: string;
  /** `URL=DIR` pairs: read repository URL from a local folder (`DIR` the checkout: URL is this repository). */
  readonly repo?: string[];
  /** A machine-readable JSON report (nodes, edges, notes) on stdout instead of the diagram. */
  readonly json?: boolean;
}

/**
 * A note when no Application or ApplicationSet names this repository's URL in a source while some
 * name others: children are found only through sources of this repository, so the graph has none.
 */
function repoUrlNote(objects: readonly RepoObject[], repoUrl: string | undefined, fromFlag: boolean): string | undefined {
  if (repoUrl === undefined) return undefined;
  const urls = new Set<string>();
  for (const o of objects) {
    if (!isKind(o.manifest, 'Application') && !isKind(o.manifest, 'ApplicationSet')) continue;
    const spec = isKind(o.manifest, 'ApplicationSet') ? o.manifest.spec?.template?.spec : o.manifest.spec;
    for (const src of sourcesOf(spec)) if (typeof src?.repoURL === 'string') urls.add(src.repoURL);
  }
  if (urls.size === 0 || [...urls].some((u) => sameRepository(u, repoUrl))) return undefined;
  const named = [...urls].sort(compareStrings);
  const whence = fromFlag ? `--repo names ${repoUrl} for this checkout` : `this checkout's origin (git remote get-url origin) is ${repoUrl}`;
  return `no source names this repository: ${whence}, the sources name ${named.join(', ')}; if one of them is this repository, pass --repo ${named[0]}=. so that children are found`;
}

/** Runs `graph`; returns the exit code. */
export async function runGraph(io: CliIo, options: GraphOptions): Promise<number> {
  let run: AppRun | undefined;
  try {
    const format = options.format ?? 'mermaid';
    if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`--format ${format}: use mermaid or dot`);
    const { command, config } = resolveAppCommand(io.cwd, options.app);
    run = await withProgress(io, 'synthesizing', () => runApp({ command, cwd: io.cwd, env: io.env, cdk8sOutput: config.output }));
    if (run.exitCode !== 0) {
      if (options.json) {
        io.stdout.write(`${JSON.stringify({ ok: false, error: `synthesis failed: ${appErrorText(run)}` }, null, 2)}\n`);
        return EXIT_ERROR;
      }
      io.stderr.write(`${appErrorText(run)}\n`);
      summary(io, false, `error: synthesis failed ('${command}' exited with code ${run.exitCode})`);
      return EXIT_ERROR;
    }
    const git = gitCheckout(io.cwd);
    const repoRoot = git?.root ?? io.cwd;
    const objects = readOutputs(run.outputs, repoRoot);
    const local = parseRepoFlags(options.repo, io.cwd);
    // this repository's URL: a --repo naming the checkout (or the folder the command runs in), else the origin
    const self = local.find((l) => l.dir === path.resolve(repoRoot) || l.dir === path.resolve(io.cwd));
    const repoUrl = self?.url ?? git?.origin;
    if (git?.origin && !self) local.push({ url: git.origin, dir: git.root });
    const urlNote = repoUrlNote(objects, repoUrl, self !== undefined);
    let graph: Graph;
    let line: string;
    if (options.syncPlan !== undefined) {
      const app = objects.find((o) => isKind(o.manifest, 'Application') && o.manifest.metadata?.name === options.syncPlan);
      if (!app) {
        const names = objects.filter((o) => isKind(o.manifest, 'Application')).map((o) => o.manifest.metadata?.name).sort(compareStrings);
        throw new UsageError(`--sync-plan ${options.syncPlan}: the app writes no Application of that name; it writes ${names.length ? names.join(', ') : 'none'}`);
      }
      const deployed = objects.filter((o) => sourcesOf(app.manifest.spec).some((s) => sourceReads(s, repoUrl, o.file))).map((o) => o.manifest);
      const { steps, warnings } = syncPlanOf(deployed);
      graph = syncPlanGraph(steps, options.syncPlan, warnings);
      line = `sync plan of ${options.syncPlan}: ${plural(deployed.length, 'object')} in ${plural(steps.length, 'step')}`
        + (warnings.length > 0 ? `, ${plural(warnings.length, 'warning')}` : '');
    } else {
      const clusterSecrets = ApplicationSetPreview.clusterSecretsIn(objects.map((o) => o.manifest));
      const appSets = objects.filter((o) => isKind(o.manifest, 'ApplicationSet')).map((o) => o.manifest);
      const repositories = repositoriesFor(appSets, local);
      const expand = (m: any) => ApplicationSetPreview.expand(m, { clusterSecrets, repositories });
      graph = buildRepoGraph(objects, { repoUrl, expand });
      const count = (k: GraphNodeKind) => graph.nodes.filter((n) => n.kind === k).length;
      line = `graph: ${plural(count('application'), 'Application')} (${graph.nodes.filter((n) => n.root).length} root), ${plural(count('applicationset'), 'ApplicationSet')}, ${plural(count('generated'), 'generated Application')}, ${plural(count('project'), 'project')}, ${plural(count('cluster'), 'cluster')}`;
    }
    graph = { ...graph, notes: [...(urlNote ? [urlNote] : []), ...graph.notes.map((n) => withRepoFlagHint(n, git))] };
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ ok: true, nodes: graph.nodes, edges: graph.edges, notes: graph.notes, summary: line }, null, 2)}\n`);
      return EXIT_OK;
    }
    const text = format === 'dot'
      ? toDot(graph, options.syncPlan !== undefined ? 'TB' : 'LR')
      : toMermaid(graph, options.syncPlan !== undefined ? 'TD' : 'LR');
    io.stdout.write(text);
    for (const note of graph.notes) io.stderr.write(note.startsWith(WARNING) ? `${note}\n` : `note: ${note}\n`);
    // the summary goes to stderr so that stdout stays a valid diagram
    summary({ ...io, stdout: io.stderr }, true, line);
    return EXIT_OK;
  } catch (e: any) {
    if (options.json) io.stdout.write(`${JSON.stringify({ ok: false, error: e.message }, null, 2)}\n`);
    else errorLine(io, e.message);
    return EXIT_ERROR;
  } finally {
    run?.cleanup();
  }
}
