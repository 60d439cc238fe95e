import * as fs from 'fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Graph, buildRepoGraph, syncPlanGraph, syncPlanOf, syncSteps, toDot, toMermaid } from '../../lib/cli/graph';
import { cli, makeProject } from './_fixture';

/** Parses the Mermaid this CLI writes: node id -> first label line, and edges by those names. */
function parseMermaid(text: string): { nodes: Record<string, string>; edges: string[] } {
  const nodes: Record<string, string> = {};
  const edges: string[] = [];
  for (const line of text.split('\n')) {
    const node = /^ {2}(\w+)[[({]+"([^"<]*)(?:<br\/>[^"]*)?"[\])}]+$/.exec(line);
    if (node) {
      nodes[node[1]] = node[2];
      continue;
    }
    const edge = /^ {2}(\w+) (-->|-\.->|==>)(?:\|([^|]*)\|)? (\w+)$/.exec(line);
    if (edge) edges.push(`${nodes[edge[1]]} ${edge[2]}${edge[3] ? ` [${edge[3]}]` : ''} ${nodes[edge[4]]}`);
  }
  return { nodes, edges };
}

/** Parses the DOT this CLI writes into `from -> to` edges by node label. */
function parseDot(text: string): string[] {
  const labels: Record<string, string> = {};
  const edges: string[] = [];
  for (const line of text.split('\n')) {
    const node = /^ {2}(\w+) \[label="([^"\\]*)/.exec(line);
    if (node && !line.includes('->')) labels[node[1]] = node[2];
    const edge = /^ {2}(\w+) -> (\w+)/.exec(line);
    if (edge) edges.push(`${labels[edge[1]]} -> ${labels[edge[2]]}`);
  }
  return edges;
}

const app = (name: string, path: string, dest: any, extra: any = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' },
  spec: { project: 'default', source: { repoURL: 'https://github.com/o/r.git', path, ...extra }, destination: dest },
});

describe('buildRepoGraph', () => {
  const objects = [
    { file: 'root/application_root.yaml', manifest: app('root', 'apps', { server: 'https://kubernetes.default.svc', namespace: 'argocd' }) },
    { file: 'apps/application_a.yaml', manifest: app('a', 'workloads/a', { name: 'prod', namespace: 'a' }) },
    { file: 'apps/team/application_b.yaml', manifest: app('b', 'workloads/b', { name: 'prod', namespace: 'b' }) },
    { file: 'apps/appset.yaml', manifest: { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'set', namespace: 'argocd' }, spec: { template: { spec: { project: 'default' } } } } },
    { file: 'clusters/prod.yaml', manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } }, data: { name: Buffer.from('prod').toString('base64'), server: Buffer.from('https://prod').toString('base64') } } },
  ];

  it('finds children in the directory a source path names, and only below it with recurse', () => {
    const flat = parseMermaid(toMermaid(buildRepoGraph(objects))).edges;
    expect(flat.filter((e) => e.includes('-->'))).toEqual(['root --> a', 'root --> set']);
    const recursive = [{ ...objects[0], manifest: app('root', 'apps', { name: 'in-cluster' }, { directory: { recurse: true } }) }, ...objects.slice(1)];
    expect(parseMermaid(toMermaid(buildRepoGraph(recursive))).edges.filter((e) => e.includes('-->'))).toEqual(['root --> a', 'root --> b', 'root --> set']);
  });

  it('links destinations to cluster Secrets by name and marks roots', () => {
    const g = buildRepoGraph(objects);
    expect(g.nodes.filter((n) => n.root).map((n) => n.label.split('\n')[0])).toEqual(['root', 'b']);
    expect(parseMermaid(toMermaid(g)).edges.filter((e) => e.includes('==>'))).toEqual([
      'root ==> [argocd] in-cluster',
      'a ==> [a] prod',
      'b ==> [b] prod',
    ]);
    expect(g.notes).toEqual(['ApplicationSets are drawn without the Applications they generate (no expansion was given)']);
  });

  it('ignores sources from another repository when the repository URL is known', () => {
    const g = buildRepoGraph(objects, { repoUrl: 'git@github.com:o/other.git' });
    expect(g.edges.filter((e) => e.kind === 'child')).toEqual([]);
    const same = buildRepoGraph(objects, { repoUrl: 'git@github.com:o/r.git' });
    expect(same.edges.filter((e) => e.kind === 'child')).toHaveLength(2);
  });

  it('draws what an ApplicationSet generates, and notes expansion errors', () => {
    const expand = (m: any) => {
      if (m.metadata.name !== 'set') throw new Error('boom');
      return [app('set-x', 'w/x', { server: 'https://prod', namespace: 'x' })];
    };
    const g = buildRepoGraph(objects, { expand });
    expect(parseMermaid(toMermaid(g)).edges).toContain('set -.-> [generates] set-x');
    expect(parseMermaid(toMermaid(g)).edges).toContain('set-x ==> [x] prod');
    expect(parseDot(toDot(g))).toContain('set -> set-x');
  });
});

describe('sync plan', () => {
  it('orders phases and waves as Argo CD applies them', () => {
    const m = (kind: string, name: string, annotations: Record<string, string> = {}) => ({ kind, metadata: { name, annotations } });
    const steps = syncSteps([
      m('Deployment', 'api', { 'argocd.argoproj.io/sync-wave': '2' }),
      m('Job', 'smoke', { 'argocd.argoproj.io/hook': 'PostSync' }),
      m('Job', 'migrate', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-1' }),
      m('Job', 'cleanup', { 'argocd.argoproj.io/hook': 'SyncFail' }),
      m('Job', 'skipped', { 'argocd.argoproj.io/hook': 'Skip' }),
      m('ConfigMap', 'cfg'),
      m('Namespace', 'ns', { 'argocd.argoproj.io/sync-wave': '-5' }),
    ]);
    expect(steps).toEqual([
      { phase: 'PreSync', wave: -1, objects: ['Job/migrate'] },
      { phase: 'Sync', wave: -5, objects: ['Namespace/ns'] },
      { phase: 'Sync', wave: 0, objects: ['ConfigMap/cfg'] },
      { phase: 'Sync', wave: 2, objects: ['Deployment/api'] },
      { phase: 'PostSync', wave: 0, objects: ['Job/smoke'] },
      { phase: 'SyncFail', wave: 0, objects: ['Job/cleanup'] },
    ]);
    const g: Graph = syncPlanGraph(steps, 'api');
    expect(g.edges.map((e) => `${e.from} ${e.kind} ${e.to}`)).toEqual([
      'PreSync_wm1 next Sync_wm5',
      'Sync_wm5 next Sync_w0',
      'Sync_w0 next Sync_w2',
      'Sync_w2 next PostSync_w0',
      'PostSync_w0 on-failure SyncFail_w0',
    ]);
  });
});

describe('sync plan warnings', () => {
  // gitops-engine's pkg/sync/hook/helm (pre-install -> PreSync) and pkg/sync/sync_context.go: a hook
  // with a fixed name is not created again while an earlier one exists; only BeforeHookCreation
  // deletes it first
  const helmHook = {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: 'db-init', namespace: 'api', annotations: { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-delete-policy': 'hook-succeeded' } },
  };
  const warning = 'Job api/db-init: hook with a fixed name and delete policies HookSucceeded (no BeforeHookCreation): while an earlier Job of that name exists (left after a failed run), Argo CD does not create it again; add BeforeHookCreation, or use metadata.generateName';

  it('are the notes of the graph, in mermaid and dot comments', () => {
    const { steps, warnings } = syncPlanOf([helmHook, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'api' } }]);
    expect(steps).toEqual([{ phase: 'PreSync', wave: 0, objects: ['Job/db-init'] }, { phase: 'Sync', wave: 0, objects: ['ConfigMap/cfg'] }]);
    expect(warnings).toEqual([warning]);
    const g = syncPlanGraph(steps, 'api', warnings);
    expect(g.notes).toEqual([`warning: ${warning}`]);
    expect(toMermaid(g, 'TD').split('\n')).toContain(`  %% warning: ${warning}`);
    expect(toDot(g, 'TB').split('\n')).toContain(`  // warning: ${warning}`);
  });

  it('none when every hook deletes its predecessor first', () => {
    const ok = { ...helmHook, metadata: { ...helmHook.metadata, annotations: { ...helmHook.metadata.annotations, 'helm.sh/hook-delete-policy': 'before-hook-creation' } } };
    const { steps, warnings } = syncPlanOf([ok]);
    expect(warnings).toEqual([]);
    expect(syncPlanGraph(steps, 'api', warnings).notes).toEqual([]);
  });
});

describe('cdk8s-argocd graph (end to end)', () => {
  const dir = makeProject();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('draws the app of apps with projects and clusters', async () => {
    const r = await cli(dir, ['graph']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('flowchart LR\n')).toBe(true);
    const { edges } = parseMermaid(r.stdout);
    const expanded = edges.some((e) => e.includes('[generates]'));
    expect(edges.filter((e) => !e.includes('[generates]') && !e.startsWith('guestbook-'))).toEqual([
      'root --> api',
      'root --> web',
      'root --> guestbooks',
      'api -.-> [project] team',
      'api ==> [api] prod',
      'web -.-> [project] team',
      'web ==> [web] in-cluster',
      'root -.-> [project] default',
      'root ==> [argocd] in-cluster',
      ...(expanded ? [] : ['guestbooks -.-> [project] team']),
    ]);
    expect(r.stderr).toMatch(/graph: 3 Applications \(1 root\), 1 ApplicationSet, \d generated Applications?, 2 projects, 2 clusters\n$/);
  });

  it('draws the sync plan of one app', async () => {
    const r = await cli(dir, ['graph', '--sync-plan', 'api', '--format', 'dot']);
    expect(r.code).toBe(0);
    expect(parseDot(r.stdout)).toEqual([
      'PreSync · wave 0 -> Sync · wave 0',
      'Sync · wave 0 -> Sync · wave 1',
    ]);
    // Argo CD moves the Namespace before the first object in it: the PreSync hook
    expect(r.stdout).toContain('PreSync_w0 [label="PreSync · wave 0\\nNamespace/api\\nJob/migrate", shape=box];');
    // Job/migrate is a named PreSync hook deleted only on success (HookSucceeded)
    const warning = 'Job api/migrate: hook with a fixed name and delete policies HookSucceeded (no BeforeHookCreation): while an earlier Job of that name exists (left after a failed run), Argo CD does not create it again; add BeforeHookCreation, or use metadata.generateName';
    expect(r.stdout.split('\n')).toContain(`  // warning: ${warning}`);
    expect(r.stderr.split('\n')).toContain(`warning: ${warning}`);
    expect(r.stderr).toContain('sync plan of api: 4 objects in 3 steps, 1 warning');
  });

  it('shows the sync plan warnings as mermaid comments too', async () => {
    const r = await cli(dir, ['graph', '--sync-plan', 'api']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  %% warning: '))).toEqual([
      '  %% warning: Job api/migrate: hook with a fixed name and delete policies HookSucceeded (no BeforeHookCreation): while an earlier Job of that name exists (left after a failed run), Argo CD does not create it again; add BeforeHookCreation, or use metadata.generateName',
    ]);
  });
});
