// `cdk8s-argocd diff` end to end, in real Git repositories made in a temporary folder: the base is
// a commit, the head the working tree (or a commit); the JSON report is parsed and compared.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { REPO_ROOT, TSX } from './_fixture';
import { commitAll, git, gitState, makeRepo, writeFiles } from './_git-repo';

const MODEL_APP = path.join(REPO_ROOT, 'test', 'fixtures', 'cli-apps', 'model-app.ts');
const REPO = 'https://github.com/example/gitops.git';
const IN_CLUSTER = 'https://kubernetes.default.svc';
const FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** Runs the CLI in-process; stdout, stderr and the exit code. */
async function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, tty = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => { stdout += s; }, isTTY: tty },
    stderr: { write: (s: string) => { stderr += s; } },
    cwd,
    env: { ...process.env, NO_COLOR: '', ...env },
  });
  return { code, stdout, stderr };
}

async function diffJson(cwd: string, ...args: string[]): Promise<{ code: number; report: any }> {
  const r = await run(cwd, ['diff', '--json', ...args]);
  let report: any;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, report };
}

function application(name: string, p: string, opts: { namespace?: string; server?: string; revision?: string; finalizer?: boolean; labels?: any; recurse?: boolean; project?: string } = {}): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', ...(opts.labels ? { labels: opts.labels } : {}), ...(opts.finalizer ? { finalizers: [FINALIZER] } : {}) },
    spec: {
      project: opts.project ?? 'team',
      source: { repoURL: REPO, targetRevision: opts.revision ?? 'main', path: p, ...(opts.recurse ? { directory: { recurse: true } } : {}) },
      destination: { server: opts.server ?? IN_CLUSTER, namespace: opts.namespace ?? name },
      syncPolicy: { automated: { prune: true } },
    },
  };
}

function project(sourceRepos: string[]): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'team', namespace: 'argocd' },
    spec: { sourceRepos, destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] },
  };
}

function configMap(name: string, namespace: string, data: any, annotations?: any): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, data };
}

function clusterSecret(name: string, server: string, env: string): any {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `cluster-${name}`, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', env } },
    stringData: { name, server, config: '{}' },
  };
}

/** A repository whose app writes `model` (see model-app.ts), synthesized and committed on main. */
function modelRepo(model: any): string {
  const dir = makeRepo(REPO);
  writeFiles(dir, { 'cdk8s.yaml': `app: ${TSX} ${MODEL_APP}\n`, '.gitignore': 'node_modules/\n' });
  setModel(dir, model);
  commitAll(dir, 'base');
  return dir;
}

/** Writes the model and synthesizes it into the working tree's committed output. */
function setModel(dir: string, model: any): void {
  writeFiles(dir, { 'model.json': `${JSON.stringify(model, null, 2)}\n` });
  const r = require('child_process').spawnSync(TSX, [MODEL_APP], { cwd: dir, encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`model app failed: ${r.stderr}`);
}

describe('diff: Applications', () => {
  it('an Application added, removed and changed, a project permission change; the working tree and git state untouched', async () => {
    const base = {
      projects: [project([REPO])],
      root: [application('api', 'dist/apps/api', { finalizer: true }), application('old', 'dist/apps/old', { finalizer: true })],
      'apps/api': [configMap('api', 'api', { port: '8080' })],
      'apps/old': [configMap('old', 'old', { x: '1' })],
    };
    const dir = modelRepo(base);
    setModel(dir, {
      projects: [project([REPO, 'https://github.com/example/charts.git'])],
      root: [application('api', 'dist/apps/api', { finalizer: true, revision: 'v2' }), application('new', 'dist/apps/new')],
      'apps/api': [configMap('api', 'api', { port: '8080' })],
      'apps/new': [configMap('new', 'new', { y: '1' })],
    });
    const before = gitState(dir);
    const { code, report } = await diffJson(dir, '--base', 'main');
    expect(code).toBe(1);
    expect(gitState(dir)).toEqual(before);
    expect(report.base).toMatchObject({ label: 'main', output: 'committed', applications: 2 });
    expect(report.head).toMatchObject({ label: 'working tree', output: 'committed', applications: 2 });
    expect(report.applications.map((a: any) => [a.name, a.change])).toEqual([['api', 'changed'], ['new', 'added'], ['old', 'removed']]);
    const api = report.applications[0];
    expect(api.fields).toEqual([{ path: 'spec.source.targetRevision', before: 'main', after: 'v2' }]);
    expect(api.objects).toEqual([]);
    const added = report.applications[1];
    expect(added.objects.map((o: any) => [o.key, o.change, o.afterFile])).toEqual([['core/ConfigMap/new/new', 'created', 'dist/apps/new/configmap_new_new.yaml']]);
    const old = report.applications[2];
    expect(old.objects.map((o: any) => [o.key, o.change, o.note])).toEqual([['core/ConfigMap/old/old', 'pruned', 'deleted with the Application (resources finalizer)']]);
    expect(report.projects).toEqual([{ key: 'argocd/team', change: 'changed', fields: [{ path: 'spec.sourceRepos[1]', after: 'https://github.com/example/charts.git' }] }]);
    expect(report.attention.map((f: any) => [f.flag, f.about])).toEqual([['deleted-with-resources', 'Application old'], ['project-permissions', 'AppProject team']]);
    expect(report.unmanaged).toEqual([]);
  }, 60_000);

  it('an ApplicationSet whose change adds and removes generated Applications; production flagged; grouped by environment and cluster', async () => {
    const appSet = (envs: string[]) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'guestbook', namespace: 'argocd' },
      spec: {
        goTemplate: true,
        generators: [{ clusters: { selector: { matchExpressions: [{ key: 'env', operator: 'In', values: envs }] } } }],
        template: {
          metadata: { name: 'guestbook-{{.name}}' },
          spec: { project: 'team', source: { repoURL: REPO, targetRevision: 'main', path: 'dist/apps/guestbook' }, destination: { server: '{{.server}}', namespace: 'guestbook' } },
        },
      },
    });
    const clusters = [clusterSecret('dev', 'https://dev.example.com', 'dev'), clusterSecret('staging', 'https://staging.example.com', 'staging'), clusterSecret('prod', 'https://prod.example.com', 'production')];
    const dir = modelRepo({ projects: [project([REPO])], clusters, root: [appSet(['dev', 'staging'])], 'apps/guestbook': [configMap('guestbook', 'guestbook', { a: '1' })] });
    setModel(dir, { projects: [project([REPO])], clusters, root: [appSet(['staging', 'production'])], 'apps/guestbook': [configMap('guestbook', 'guestbook', { a: '1' })] });
    const { code, report } = await diffJson(dir, '--base', 'main');
    expect(code).toBe(1);
    expect(report.applications.map((a: any) => [a.environment, a.cluster, a.name, a.change, a.generatedBy])).toEqual([
      ['dev', 'dev', 'guestbook-dev', 'removed', 'guestbook'],
      ['production', 'prod', 'guestbook-prod', 'added', 'guestbook'],
    ]);
    expect(report.applications[1].objects.map((o: any) => [o.key, o.change])).toEqual([['core/ConfigMap/guestbook/guestbook', 'created']]);
    // Argo CD's ApplicationSet controller gives generated Applications the resources finalizer
    expect(report.attention.map((f: any) => f.flag)).toEqual(['deleted-with-resources', 'production']);
    // the ApplicationSet object itself changed, in the file no Application applies
    expect(report.unmanaged.map((o: any) => [o.key, o.change])).toEqual([['argoproj.io/ApplicationSet/argocd/guestbook', 'changed']]);
  }, 60_000);
});

describe('diff: manifests', () => {
  it('a manifest change, a moved file that is no change, and prunes, in sync order with waves and hooks', async () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } };
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [] } };
    const hook = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'web', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'm:1' }] } } } };
    const dir = modelRepo({
      projects: [project([REPO])],
      root: [application('web', 'dist/apps/web', { recurse: true })],
      'apps/web/a': [configMap('moved', 'web', { same: 'yes' }), configMap('late', 'web', { v: '1' }, { 'argocd.argoproj.io/sync-wave': '5' }), hook],
      'apps/web/b': [ns, crd, configMap('kept', 'web', { k: '1' }, { 'argocd.argoproj.io/sync-options': 'Prune=false' })],
    });
    setModel(dir, {
      projects: [project([REPO])],
      root: [application('web', 'dist/apps/web', { recurse: true })],
      'apps/web/a': [configMap('late', 'web', { v: '2' }, { 'argocd.argoproj.io/sync-wave': '5' }), { ...hook, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'm:2' }] } } } }],
      'apps/web/c': [configMap('moved', 'web', { same: 'yes' })],
    });
    const { code, report } = await diffJson(dir, '--base', 'main');
    expect(code).toBe(1);
    expect(report.applications).toHaveLength(1);
    const web = report.applications[0];
    expect(web.objects.map((o: any) => [o.key, o.change, o.phase, o.wave, o.hook])).toEqual([
      ['batch/Job/web/migrate', 'changed', 'PreSync', 0, true],
      ['core/ConfigMap/web/late', 'changed', 'Sync', 5, false],
      // pruned last, in the base's sync order (kinds in Argo CD's order)
      // the Namespace had been moved before its first object, the PreSync hook (SyncPlan's rule)
      ['core/Namespace/_/web', 'pruned', 'PreSync', 0, false],
      ['core/ConfigMap/web/kept', 'pruned', 'Sync', 0, false],
      ['apiextensions.k8s.io/CustomResourceDefinition/_/widgets.example.com', 'pruned', 'Sync', 0, false],
    ]);
    expect(web.objects[1].diff.split('\n').filter((l: string) => /^[-+] /.test(l))).toEqual(["-  v: '1'", "+  v: '2'"]);
    expect(web.objects[3].note).toBe('kept in the cluster: the object says Prune=false');
    expect(web.moved).toEqual([{ key: 'core/ConfigMap/web/moved', from: 'dist/apps/web/a/configmap_web_moved.yaml', to: 'dist/apps/web/c/configmap_web_moved.yaml' }]);
    expect(report.attention.map((f: any) => f.flag)).toEqual(['prune-namespace', 'prune-crd']);
  }, 60_000);

  it('a promotion (one image tag) is exactly one object change in one environment', async () => {
    const envs = ['dev', 'staging', 'production'];
    const deployment = (tag: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'api' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: `ghcr.io/example/api:${tag}` }] } } },
    });
    const model = (tags: { [env: string]: string }) => ({
      projects: [project([REPO])],
      clusters: envs.map((e) => clusterSecret(e, `https://${e}.example.com`, e)),
      root: envs.map((e) => application(`api-${e}`, `dist/apps/api/${e}`, { namespace: 'api', server: `https://${e}.example.com`, labels: { env: e } })),
      ...Object.fromEntries(envs.flatMap((e) => [[`apps/api/${e}`, [deployment(tags[e]), configMap('api', 'api', { env: e })]]])),
    });
    const dir = modelRepo(model({ dev: 'v2', staging: 'v1', production: 'v1' }));
    setModel(dir, model({ dev: 'v2', staging: 'v2', production: 'v1' }));
    const { code, report } = await diffJson(dir, '--base', 'main');
    expect(code).toBe(1);
    expect(report.applications.map((a: any) => [a.environment, a.cluster, a.name, a.change])).toEqual([['staging', 'staging', 'api-staging', 'changed']]);
    expect(report.applications[0].fields).toEqual([]);
    expect(report.applications[0].objects.map((o: any) => [o.key, o.change])).toEqual([['apps/Deployment/api/api', 'changed']]);
    expect(report.applications[0].objects[0].diff.split('\n').filter((l: string) => /^[-+] /.test(l))).toEqual(['-        - image: ghcr.io/example/api:v1', '+        - image: ghcr.io/example/api:v2']);
    expect(report.attention).toEqual([]);
  }, 60_000);

  it('Helm sources of other repositories are named as rendered by Argo CD, with the chart version change', async () => {
    const monitoring = (version: string) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'monitoring', namespace: 'argocd' },
      spec: {
        project: 'team',
        sources: [
          { repoURL: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', targetRevision: version, helm: { valueFiles: ['$values/dist/apps/monitoring/values.yaml'] } },
          { repoURL: REPO, targetRevision: 'main', ref: 'values' },
          { repoURL: REPO, targetRevision: 'main', path: 'dist/apps/monitoring' },
        ],
        destination: { server: IN_CLUSTER, namespace: 'monitoring' },
      },
    });
    const dir = modelRepo({ projects: [project(['*'])], root: [monitoring('57.2.0')], 'apps/monitoring': [configMap('dash', 'monitoring', { a: '1' })] });
    setModel(dir, { projects: [project(['*'])], root: [monitoring('58.0.0')], 'apps/monitoring': [configMap('dash', 'monitoring', { a: '1' })] });
    const { code, report } = await diffJson(dir, '--base', 'main');
    expect(code).toBe(1);
    const [m] = report.applications;
    expect(m.fields).toEqual([{ path: 'spec.sources[0].targetRevision', before: '57.2.0', after: '58.0.0' }]);
    expect(m.rendered).toEqual([{
      index: 0,
      what: 'Helm chart kube-prometheus-stack from https://prometheus-community.github.io/helm-charts',
      beforeVersion: '57.2.0',
      afterVersion: '58.0.0',
      before: 'Helm chart kube-prometheus-stack 57.2.0 from https://prometheus-community.github.io/helm-charts',
      after: 'Helm chart kube-prometheus-stack 58.0.0 from https://prometheus-community.github.io/helm-charts',
      changed: true,
    }]);
    expect(m.objects).toEqual([]);
    const text = await run(dir, ['diff', '--base', 'main'], { NO_COLOR: '1' });
    expect(text.stdout).toContain('rendered by Argo CD: Helm chart kube-prometheus-stack from https://prometheus-community.github.io/helm-charts: 57.2.0 → 58.0.0\n');
  }, 60_000);
});

describe('diff: Helm and Kustomize directories of this repository without helm or kustomize', () => {
  it('are named as rendered by Argo CD, with the digest of their files and why they are not rendered here', async () => {
    const source = (name: string, p: string, extra: any) => {
      const a = application(name, p);
      return { ...a, spec: { ...a.spec, source: { ...a.spec.source, ...extra } } };
    };
    const files = (message: string) => ({
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/values.yaml': `message: ${message}\n`,
      'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  m: {{ .Values.message }}\n',
      'kustomize/api/kustomization.yaml': 'resources: [cm.yaml]\n',
      'kustomize/api/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  m: ${message}\n`,
    });
    const model = { projects: [project([REPO])], root: [source('web', 'charts/web', {}), source('api', 'kustomize/api', { kustomize: { namePrefix: 'p-' } })] };
    const dir = makeRepo(REPO);
    writeFiles(dir, { 'cdk8s.yaml': `app: ${TSX} ${MODEL_APP}\n`, '.gitignore': 'node_modules/\n', ...files('a') });
    setModel(dir, model);
    commitAll(dir, 'base');
    writeFiles(dir, files('b'));
    // neither helm nor kustomize reachable: PATH without them, the variables empty
    const bare = (process.env.PATH ?? '').split(path.delimiter).filter((d) => !['helm', 'kustomize'].some((t) => fs.existsSync(path.join(d, t)))).join(path.delimiter);
    const env = { PATH: bare, CDK8S_ARGOCD_HELM: '', CDK8S_ARGOCD_KUSTOMIZE: '' };
    const r = await run(dir, ['diff', '--json', '--base', 'main'], env);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.head.errors).toEqual([]);
    expect(report.applications.map((a: any) => [a.name, a.objects, a.notes])).toEqual([['api', [], []], ['web', [], []]]);
    const digest = expect.stringMatching(/^files [0-9a-f]{12}$/);
    expect(report.applications.map((a: any) => a.rendered)).toEqual([
      [{ index: 0, what: 'Kustomize kustomize/api in this repository', beforeVersion: digest, afterVersion: digest, before: expect.any(String), after: expect.any(String), changed: true, notRendered: 'kustomize is not on PATH (nor named by CDK8S_ARGOCD_KUSTOMIZE)' }],
      [{ index: 0, what: 'Helm chart charts/web in this repository', beforeVersion: digest, afterVersion: digest, before: expect.any(String), after: expect.any(String), changed: true, notRendered: 'helm is not on PATH (nor named by CDK8S_ARGOCD_HELM)' }],
    ]);
    const text = await run(dir, ['diff', '--base', 'main'], { ...env, NO_COLOR: '1', CDK8S_ARGOCD_HELM: path.join(dir, 'no-such-helm') });
    expect(text.stdout).toMatch(/\n {4}rendered by Argo CD: Helm chart charts\/web in this repository: files [0-9a-f]{12} → files [0-9a-f]{12} \(not rendered here: CDK8S_ARGOCD_HELM=\S+no-such-helm is not an executable file\)\n/);
  }, 60_000);
});

describe('diff: refs, output and errors', () => {
  it('no change is exit 0; --head compares two commits; colour only on a terminal without NO_COLOR', async () => {
    const model = { projects: [project([REPO])], root: [application('api', 'dist/apps/api')], 'apps/api': [configMap('api', 'api', { port: '1' })] };
    const dir = modelRepo(model);
    const same = await run(dir, ['diff', '--base', 'main'], { NO_COLOR: '' }, false);
    expect(same.code).toBe(0);
    expect(same.stdout).not.toContain('\u001b[');
    expect(same.stdout.trim().split('\n').pop()).toBe('no change (main → working tree): 1 Application, the same manifests');
    setModel(dir, { ...model, 'apps/api': [configMap('api', 'api', { port: '2' })] });
    const first = git(dir, 'rev-parse', 'HEAD');
    commitAll(dir, 'port 2');
    // the working tree equals HEAD now; --base HEAD~1 --head HEAD is the change
    const { code, report } = await diffJson(dir, '--base', first, '--head', 'HEAD');
    expect(code).toBe(1);
    expect(report.head).toMatchObject({ label: 'HEAD', commit: git(dir, 'rev-parse', 'HEAD') });
    expect(report.applications[0].objects.map((o: any) => o.key)).toEqual(['core/ConfigMap/api/api']);
    const colored = await run(dir, ['diff', '--base', first], { NO_COLOR: '' }, true);
    expect(colored.stdout).toContain('\u001b[32m+');
    const noColor = await run(dir, ['diff', '--base', first], { NO_COLOR: '1' }, true);
    expect(noColor.stdout).not.toContain('\u001b[');
    expect(noColor.code).toBe(1);
  }, 90_000);

  it('the default base is the merge base with the default branch; a base without an app counts as empty', async () => {
    const dir = makeRepo(REPO);
    writeFiles(dir, { 'README.md': 'nothing yet\n' });
    commitAll(dir, 'empty');
    git(dir, 'checkout', '--quiet', '-b', 'feature');
    writeFiles(dir, { 'cdk8s.yaml': `app: ${TSX} ${MODEL_APP}\n` });
    setModel(dir, { projects: [project([REPO])], root: [application('api', 'dist/apps/api')], 'apps/api': [configMap('api', 'api', { port: '1' })] });
    const { code, report } = await diffJson(dir);
    expect(code).toBe(1);
    expect(report.base).toMatchObject({ label: 'merge base with main', output: 'empty', commit: git(dir, 'rev-parse', 'main') });
    expect(report.applications.map((a: any) => [a.name, a.change])).toEqual([['api', 'added']]);
  }, 60_000);

  it('errors exit 2 and leave no worktree: an unknown ref, a base that fails to synthesize, a bad format', async () => {
    // the committed model names a project that does not exist: the base's synthesis fails
    const dir = makeRepo(REPO);
    writeFiles(dir, { 'cdk8s.yaml': `app: ${TSX} ${MODEL_APP}\n`, 'model.json': JSON.stringify({ projects: [project([REPO])], root: [application('api', 'dist/apps/api', { project: 'nope' })] }) });
    commitAll(dir, 'broken');
    const before = gitState(dir);
    const unknown = await diffJson(dir, '--base', 'no-such-branch');
    expect(unknown.code).toBe(2);
    expect(unknown.report.error).toMatch(/--base\/--head no-such-branch: not a commit/);
    setModel(dir, { projects: [project([REPO])], root: [application('api', 'dist/apps/api')], 'apps/api': [] });
    const after = gitState(dir);
    const failed = await run(dir, ['diff', '--base', 'main'], { NO_COLOR: '1' });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/^error: main: synthesis failed .*spec\.project 'nope'/s);
    expect(gitState(dir)).toEqual(after);
    expect(before.worktrees).toEqual(after.worktrees);
    expect(fs.readdirSync(require('os').tmpdir()).filter((f) => f.startsWith('cdk8s-argocd-diff-')).filter((f) => fs.existsSync(path.join(require('os').tmpdir(), f, 'tree', 'model.json')) && fs.readFileSync(path.join(require('os').tmpdir(), f, 'tree', 'model.json'), 'utf-8').includes('"nope"'))).toEqual([]);
    const bad = await run(dir, ['diff', '--format', 'yaml']);
    expect(bad.code).toBe(2);
  }, 60_000);
});
