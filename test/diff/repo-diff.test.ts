// The diff computation and its Markdown, on sides made by hand (no Git, no synthesis).
import { describe, expect, it } from 'vitest';
import { DiffReport, diffSummary, formatMarkdown, formatText } from '../../lib/cli/_diff-format';
import { colorsFor } from '../../lib/cli/_output';
import { fieldChanges } from '../../lib/diff/_field-diff';
import { objectKey } from '../../lib/diff/_object-key';
import { DiffSide, SideApplication } from '../../lib/diff/model';
import { diffSides, isProduction } from '../../lib/diff/repo-diff';

function app(name: string, opts: { objects?: any[]; finalizer?: boolean; generatedBy?: string; labels?: any; revision?: string } = {}): SideApplication {
  const manifest = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', ...(opts.labels ? { labels: opts.labels } : {}), ...(opts.finalizer ? { finalizers: ['resources-finalizer.argocd.argoproj.io'] } : {}) },
    spec: { project: 'p', source: { repoURL: 'r', path: `apps/${name}`, targetRevision: opts.revision ?? 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: name } },
  };
  return {
    key: `argocd/${name}`,
    manifest,
    ...(opts.generatedBy ? { generatedBy: opts.generatedBy } : { file: `clusters/${name}.yaml` }),
    sources: [{ index: 0, repoURL: 'r', path: `apps/${name}`, type: 'directory', what: `directory apps/${name} of this repository`, version: 'main', description: `directory apps/${name} of this repository`, objects: (opts.objects ?? []).map((m, i) => ({ file: `apps/${name}/${i}.yaml`, manifest: m })) }],
  };
}

function side(label: string, applications: SideApplication[], objects: any[] = []): DiffSide {
  return { label, output: 'committed', notes: [], errors: [], objects: objects.map((m) => ({ file: 'x.yaml', manifest: m })), applications, clusters: [] };
}

const cm = (name: string, data: any) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('field changes', () => {
  it('name leaves by path, arrays by index, and skip what is equal', () => {
    expect(fieldChanges({ a: { b: 1, c: [1, 2] }, 'x.y': 1 }, { a: { b: 2, c: [1] }, 'x.y': 1, d: 'new' })).toEqual([
      { path: 'a.b', before: 1, after: 2 },
      { path: 'a.c[1]', before: 2 },
      { path: 'd', after: 'new' },
    ]);
    expect(fieldChanges({ a: [{ k: 1 }] }, { a: [{ k: 1 }] })).toEqual([]);
    expect(fieldChanges({ a: { 'app.kubernetes.io/name': 'x' } }, { a: { 'app.kubernetes.io/name': 'y' } })).toEqual([{ path: 'a["app.kubernetes.io/name"]', before: 'x', after: 'y' }]);
  });

  it('object keys: core group, destination namespace for namespaced objects only, generateName', () => {
    expect(objectKey(cm('a', {}), 'web')).toBe('core/ConfigMap/web/a');
    expect(objectKey({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } }, 'web')).toBe('core/Namespace/_/web');
    expect(objectKey({ apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'm-', namespace: 'x' } })).toBe('batch/Job/x/m-*');
    expect(['production', 'prod', 'eu-prod-1', 'Production'].map(isProduction)).toEqual([true, true, true, true]);
    expect(['product', 'preprod', 'staging', 'produce'].map(isProduction)).toEqual([false, false, false, false]);
  });
});

describe('diffSides', () => {
  /** An Application whose one source is a chart of this repository, rendered here (`objects`) or only named (`notRendered`). */
  function chartApp(digest: string, render: { objects: any[] } | { notRendered: string }): SideApplication {
    const a = app('web');
    const what = 'Helm chart charts/web in this repository';
    const rendered = 'objects' in render
      ? { objects: render.objects.map((m) => ({ file: 'charts/web/templates/cm.yaml', manifest: m })), renderCommands: ['helm template . --name-template web --namespace web --include-crds'] }
      : { notRendered: render.notRendered };
    return { ...a, sources: [{ index: 0, repoURL: 'r', path: 'charts/web', type: 'rendered', what, version: `files ${digest}`, description: `${what} (files ${digest})`, ...rendered }] };
  }

  it('a chart rendered here on both sides: its objects are compared, its files\' digest is no change of its own', () => {
    const d = diffSides(side('base', [chartApp('aaa', { objects: [cm('web', { m: '1' })] })]), side('head', [chartApp('bbb', { objects: [cm('web', { m: '2' })] })]));
    expect(d.applications.map((a) => [a.name, a.objects.map((o) => [o.key, o.change, o.afterFile]), a.notes])).toEqual([['web', [['core/ConfigMap/web/web', 'changed', 'charts/web/templates/cm.yaml']], []]]);
    expect(d.applications[0].rendered).toEqual([{
      index: 0, what: 'Helm chart charts/web in this repository', beforeVersion: 'files aaa', afterVersion: 'files bbb',
      before: 'Helm chart charts/web in this repository (files aaa)', after: 'Helm chart charts/web in this repository (files bbb)',
      changed: false, renderedWith: ['helm template . --name-template web --namespace web --include-crds'],
    }]);
    const text = formatText({ base: side('base', []), head: side('head', []), diff: d }, colorsFor({ write: () => undefined, isTTY: false }, {}));
    expect(text).toContain('    rendered here as Argo CD renders it: Helm chart charts/web in this repository: helm template . --name-template web --namespace web --include-crds\n');
    // the same objects from other files: no change at all
    expect(diffSides(side('base', [chartApp('aaa', { objects: [cm('web', { m: '1' })] })]), side('head', [chartApp('bbb', { objects: [cm('web', { m: '1' })] })])).applications).toEqual([]);
  });

  it('a chart rendered on one side only: nothing is created or pruned, it is named with the other side\'s reason', () => {
    const d = diffSides(side('base', [chartApp('aaa', { objects: [cm('web', { m: '1' })] })]), side('head', [chartApp('bbb', { notRendered: 'helm template failed (exit 1): boom' })]));
    expect(d.applications.map((a) => [a.name, a.objects, a.notes])).toEqual([['web', [], ['source 0 is rendered here on the base only, so its objects are not compared; it is named by its files']]]);
    expect(d.applications[0].rendered).toEqual([{
      index: 0, what: 'Helm chart charts/web in this repository', beforeVersion: 'files aaa', afterVersion: 'files bbb',
      before: 'Helm chart charts/web in this repository (files aaa)', after: 'Helm chart charts/web in this repository (files bbb)',
      changed: true, notRendered: 'helm template failed (exit 1): boom',
    }]);
    const text = formatText({ base: side('base', []), head: side('head', []), diff: d }, colorsFor({ write: () => undefined, isTTY: false }, {}));
    expect(text).toContain('    rendered by Argo CD: Helm chart charts/web in this repository: files aaa → files bbb (not rendered here: helm template failed (exit 1): boom)\n');
  });

  it('an Application without the resources finalizer leaves its objects; one an ApplicationSet keeps by policy is not deleted', () => {
    const appSet = { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'set' }, spec: { syncPolicy: { applicationsSync: 'create-update' } } };
    const d = diffSides(
      side('base', [app('plain', { objects: [cm('a', {})] }), app('gen', { generatedBy: 'set', finalizer: true, objects: [cm('b', {})] })]),
      side('head', [], [appSet]),
    );
    expect(d.applications.map((a) => [a.name, a.change, a.objects.length, a.notes, a.flags])).toEqual([
      ['gen', 'removed', 0, ['ApplicationSet set no longer generates it, but its applicationsSync policy create-update keeps the Application'], []],
      ['plain', 'removed', 0, ['the Application has no resources finalizer: its objects stay in the cluster, no longer managed'], []],
    ]);
    expect(d.flags).toEqual([]);
  });

  it('an Application whose objects differ only in key order, or only moved, is no change', () => {
    const d = diffSides(side('base', [app('a', { objects: [{ kind: 'ConfigMap', apiVersion: 'v1', data: { x: '1', y: '2' }, metadata: { name: 'c' } }] })]), side('head', [app('a', { objects: [cm('c', { y: '2', x: '1' })] })]));
    expect(d.applications).toEqual([]);
  });
});

describe('Markdown for a pull-request comment', () => {
  const many = (n: number, lines: number) => diffSides(
    side('main', Array.from({ length: n }, (_, i) => app(`app-${String(i).padStart(3, '0')}`, { labels: { env: 'production' }, objects: [cm('c', Object.fromEntries(Array.from({ length: lines }, (_, j) => [`k${j}`, 'before'])))] }))),
    side('working tree', Array.from({ length: n }, (_, i) => app(`app-${String(i).padStart(3, '0')}`, { labels: { env: 'production' }, objects: [cm('c', Object.fromEntries(Array.from({ length: lines }, (_, j) => [`k${j}`, 'after'])))] }))),
  );
  const report = (n: number, lines: number): DiffReport => {
    const diff = many(n, lines);
    return { base: side('main', []), head: side('working tree', []), diff };
  };

  it('one collapsed section per Application under its environment and cluster; long diffs cut with a count', () => {
    const r = report(2, 100);
    const md = formatMarkdown(r, diffSummary(r));
    expect(md.match(/<details>/g)).toHaveLength(2);
    expect(md.match(/^#### production · in-cluster$/gm)).toHaveLength(1);
    // 100 keys changed: 200 lines of changes, 60 shown
    expect(md).toMatch(/… \d+ more lines/);
    expect(md).toContain('> [!WARNING]');
  });

  it('stays under the budget and says how many sections it left out', () => {
    const r = report(300, 5);
    const md = formatMarkdown(r, diffSummary(r), 20000);
    expect(md.length).toBeLessThanOrEqual(20000);
    const shown = md.match(/<details>/g)!.length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(300);
    expect(md).toContain(`… ${300 - shown} more sections not shown`);
  });

  it('an Application with many objects shows the first 30 and counts the rest', () => {
    const objects = (v: string) => Array.from({ length: 45 }, (_, i) => cm(`c${String(i).padStart(2, '0')}`, { v }));
    const diff = diffSides(side('main', [app('big', { objects: objects('1') })]), side('working tree', [app('big', { objects: objects('2') })]));
    const r: DiffReport = { base: side('main', []), head: side('working tree', []), diff };
    const md = formatMarkdown(r, diffSummary(r));
    expect(md.match(/```diff/g)).toHaveLength(30);
    expect(md).toContain('… and 15 more objects');
  });

  it('text lists every Application and ends with its attention flags', () => {
    const r = report(3, 1);
    const text = formatText(r, colorsFor({ write: () => undefined }, {}));
    expect(text.match(/^~ app-\d+ changed/gm)).toHaveLength(3);
    expect(text).toContain('needs attention:');
    expect(diffSummary(r)).toBe('changes (main → working tree): 3 Applications (0 added, 0 removed, 3 changed), 3 objects created, changed or pruned; 3 to look at');
  });
});

describe('App of Apps', () => {
  it('a child Application that changes is listed on its own; a parent that changes nothing else is not', () => {
    const child = (rev: string) => app('child', { revision: rev });
    const root = (rev: string) => app('root', { objects: [child(rev).manifest] });
    const d = diffSides(side('main', [root('v1'), child('v1')]), side('working tree', [root('v2'), child('v2')]));
    expect(d.applications.map((a) => [a.name, a.change, a.fields])).toEqual([['child', 'changed', [{ path: 'spec.source.targetRevision', before: 'v1', after: 'v2' }]]]);
    // a child added is an object the parent creates
    const e = diffSides(side('main', [app('root')]), side('working tree', [app('root', { objects: [child('v1').manifest] }), child('v1')]));
    expect(e.applications.map((a) => [a.name, a.change, a.objects.map((o) => [o.key, o.change])])).toEqual([
      ['child', 'added', []],
      ['root', 'changed', [['argoproj.io/Application/argocd/child', 'created']]],
    ]);
  });
});
