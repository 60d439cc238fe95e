// `cdk8s-argocd diff` rendering a Helm chart and a Kustomize directory of the repository with the
// real helm and kustomize (`npm run test:render` builds them with Go and puts them on PATH), in Git
// repositories made in a temporary folder: the head changes one value, and the report holds
// exactly the rendered objects' change.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { REPO_ROOT, TSX } from './_fixture';
import { commitAll, gitState, makeRepo, writeFiles } from './_git-repo';

const MODEL_APP = path.join(REPO_ROOT, 'test', 'fixtures', 'cli-apps', 'model-app.ts');
const REPO = 'https://github.com/example/gitops.git';
const IN_CLUSTER = 'https://kubernetes.default.svc';

if (!process.env.CDK8S_ARGOCD_HELM || !process.env.CDK8S_ARGOCD_KUSTOMIZE) {
  throw new Error('CDK8S_ARGOCD_HELM and CDK8S_ARGOCD_KUSTOMIZE are not set: run these tests with `npm run test:render`');
}

/** The JSON report of `diff`, and with `withText` the text one too. */
async function diffJson(cwd: string, args: string[], withText = false): Promise<{ code: number; report: any; text: string }> {
  let stdout = '';
  let stderr = '';
  const io = (out: (s: string) => void) => ({ write: out });
  const code = await runCli(['diff', '--json', ...args], { stdout: io((s) => { stdout += s; }), stderr: io((s) => { stderr += s; }), cwd, env: { ...process.env, NO_COLOR: '1' } });
  let report: any;
  try {
    report = JSON.parse(stdout);
  } catch {
    throw new Error(`not JSON (exit ${code}): ${stdout}\n${stderr}`);
  }
  let text = '';
  if (withText) await runCli(['diff', ...args], { stdout: io((s) => { text += s; }), stderr: io(() => undefined), cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { code, report, text };
}

const project = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: 'team', namespace: 'argocd' },
  spec: { sourceRepos: [REPO], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] },
};

function application(name: string, source: any): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: { project: 'team', source: { repoURL: REPO, targetRevision: 'main', ...source }, destination: { server: IN_CLUSTER, namespace: name }, syncPolicy: { automated: { prune: true } } },
  };
}

const CHART = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'message: hello\nreplicas: 1\n',
  'charts/web/templates/configmap.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: {{ .Release.Name }}-config',
    '  namespace: {{ .Release.Namespace }}',
    'data:',
    '  message: {{ .Values.message | quote }}',
    '  list: {{ .Values.list | quote }}',
    '  app: {{ .Values.app | quote }}',
    '',
  ].join('\n'),
  'charts/web/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  ports:\n    - port: 80\n',
};

const KUSTOMIZATION = {
  'kustomize/api/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
  'kustomize/api/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app: api',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: api',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: ghcr.io/example/api:v1',
    '',
  ].join('\n'),
};

const web = application('web', {
  path: 'charts/web',
  helm: {
    valueFiles: ['values.yaml', 'values-prod.yaml'],
    parameters: [{ name: 'list', value: 'a,b' }, { name: 'app', value: '${ARGOCD_APP_NAME}' }],
  },
});
const api = (image: string) => application('api', {
  path: 'kustomize/api',
  kustomize: { namePrefix: 'prod-', images: [image], commonLabels: { team: 'platform' } },
});

/** A repository with the chart, the kustomization and the Applications (written by the model app), committed on main. */
function repo(prodMessage: string, image: string, extra: { files?: { [f: string]: string }; apps?: any[] } = {}): string {
  const dir = makeRepo(REPO);
  writeFiles(dir, { 'cdk8s.yaml': `app: ${TSX} ${MODEL_APP}\n`, '.gitignore': 'node_modules/\n', ...CHART, ...KUSTOMIZATION, 'charts/web/values-prod.yaml': `message: ${prodMessage}\n`, ...extra.files });
  model(dir, image, extra.apps);
  commitAll(dir, 'base');
  return dir;
}

function model(dir: string, image: string, apps: any[] = []): void {
  writeFiles(dir, { 'model.json': `${JSON.stringify({ projects: [project], root: [web, api(image), ...apps] }, null, 2)}\n` });
  const r = require('child_process').spawnSync(TSX, [MODEL_APP], { cwd: dir, encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`model app failed: ${r.stderr}`);
}

function changedLines(diff: string): string[] {
  return diff.split('\n').filter((l) => /^[-+] /.test(l));
}

describe('diff: Helm charts and Kustomize directories of this repository, rendered with helm and kustomize', () => {
  it('a value file change is exactly the ConfigMap change helm template renders, with the command line Argo CD runs', async () => {
    const dir = repo('hello from prod', 'ghcr.io/example/api:v1');
    writeFiles(dir, { 'charts/web/values-prod.yaml': 'message: bye from prod\n' });
    const before = gitState(dir);
    const { code, report, text } = await diffJson(dir, ['--base', 'main'], true);
    expect(code).toBe(1);
    expect(gitState(dir)).toEqual(before);
    expect(report.base.errors).toEqual([]);
    expect(report.head.errors).toEqual([]);
    expect(report.applications.map((a: any) => [a.name, a.change])).toEqual([['web', 'changed']]);
    const [w] = report.applications;
    expect(w.fields).toEqual([]);
    expect(w.notes).toEqual([]);
    expect(w.objects.map((o: any) => [o.key, o.change, o.beforeFile, o.afterFile, o.phase, o.wave])).toEqual([
      ['core/ConfigMap/web/web-config', 'changed', 'charts/web/templates/configmap.yaml', 'charts/web/templates/configmap.yaml', 'Sync', 0],
    ]);
    expect(changedLines(w.objects[0].diff)).toEqual(['-  message: hello from prod', '+  message: bye from prod']);
    // the list parameter's comma escaped (cleanSetParameters), ${ARGOCD_APP_NAME} substituted
    expect(w.objects[0].diff).toContain("  list: a,b\n");
    expect(w.objects[0].diff).toContain('  app: web\n');
    const command = "helm template . --name-template web --namespace web --set 'list=a\\,b' --set app=web --values ./charts/web/values.yaml --values ./charts/web/values-prod.yaml --include-crds";
    expect(w.rendered).toEqual([{
      index: 0,
      what: 'Helm chart charts/web in this repository',
      beforeVersion: expect.stringMatching(/^files [0-9a-f]{12}$/),
      afterVersion: expect.stringMatching(/^files [0-9a-f]{12}$/),
      before: expect.stringMatching(/^Helm chart charts\/web in this repository \(files [0-9a-f]{12}\)$/),
      after: expect.stringMatching(/^Helm chart charts\/web in this repository \(files [0-9a-f]{12}\)$/),
      changed: false,
      renderedWith: [command],
    }]);
    expect(w.rendered[0].beforeVersion).not.toBe(w.rendered[0].afterVersion);
    expect(text).toContain(`    rendered here as Argo CD renders it: Helm chart charts/web in this repository: ${command}\n`);
    expect(text).toContain('    ~ core/ConfigMap/web/web-config changed (Sync, wave 0; charts/web/templates/configmap.yaml)\n');
  });

  it('an image change in the Application\'s kustomize options is exactly the Deployment change kustomize builds, the kustomization untouched', async () => {
    const dir = repo('hello', 'ghcr.io/example/api=ghcr.io/example/api:v1');
    model(dir, 'ghcr.io/example/api=ghcr.io/example/api:v2');
    const kustomization = fs.readFileSync(path.join(dir, 'kustomize/api/kustomization.yaml'), 'utf-8');
    const { code, report } = await diffJson(dir, ['--base', 'main']);
    expect(code).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'kustomize/api/kustomization.yaml'), 'utf-8')).toBe(kustomization);
    expect(report.head.errors).toEqual([]);
    expect(report.applications.map((a: any) => [a.name, a.change])).toEqual([['api', 'changed']]);
    const [a] = report.applications;
    expect(a.fields).toEqual([{ path: 'spec.source.kustomize.images[0]', before: 'ghcr.io/example/api=ghcr.io/example/api:v1', after: 'ghcr.io/example/api=ghcr.io/example/api:v2' }]);
    // namePrefix and commonLabels applied by kustomize edit, as Argo CD does
    expect(a.objects.map((o: any) => [o.key, o.change, o.afterFile])).toEqual([['apps/Deployment/api/prod-api', 'changed', 'kustomize/api']]);
    expect(changedLines(a.objects[0].diff)).toEqual(['-        - image: ghcr.io/example/api:v1', '+        - image: ghcr.io/example/api:v2']);
    expect(a.objects[0].diff).toContain('      team: platform\n');
    expect(a.rendered.map((r: any) => [r.changed, r.renderedWith])).toEqual([[false, [
      'kustomize edit set nameprefix -- prod-',
      'kustomize edit set image ghcr.io/example/api=ghcr.io/example/api:v2',
      'kustomize edit add label team:platform',
      'kustomize build kustomize/api',
    ]]]);
  });

  it('a change of the chart\'s files that renders the same objects is no change', async () => {
    const dir = repo('hello', 'ghcr.io/example/api:v1');
    writeFiles(dir, { 'charts/web/values.yaml': '# the defaults\nmessage: hello\nreplicas: 1\n', 'kustomize/api/deployment.yaml': `# the api\n${KUSTOMIZATION['kustomize/api/deployment.yaml']}` });
    const { code, report } = await diffJson(dir, ['--base', 'main']);
    expect(report.applications).toEqual([]);
    expect(report.head.errors).toEqual([]);
    expect(code).toBe(0);
  });

  it('a value file of a ref source of this repository, inline values, a release name and a Kubernetes version, as Argo CD passes them', async () => {
    const site = (v: string) => ({
      ...application('site', {}),
      spec: {
        ...application('site', {}).spec,
        source: undefined,
        sources: [
          { repoURL: REPO, targetRevision: 'main', path: 'charts/web', helm: { releaseName: 'front', valueFiles: ['$values/envs/prod/site.yaml'], valuesObject: { app: v }, kubeVersion: 'v1.29.3-gke.1' } },
          { repoURL: REPO, targetRevision: 'main', ref: 'values' },
        ],
      },
    });
    const dir = repo('hello', 'ghcr.io/example/api:v1', { files: { 'envs/prod/site.yaml': 'message: from the ref\n' }, apps: [site('one')] });
    writeFiles(dir, {
      'envs/prod/site.yaml': 'message: changed in the ref\n',
      'charts/web/templates/kube.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-kube\ndata:\n  version: {{ .Capabilities.KubeVersion.Version | quote }}\n',
    });
    model(dir, 'ghcr.io/example/api:v1', [site('two')]);
    const { code, report } = await diffJson(dir, ['--base', 'main']);
    expect(code).toBe(1);
    expect(report.head.errors).toEqual([]);
    // both render the new template: the Kubernetes version Helm renders for is the Application's in
    // site, Helm's default in web
    expect(report.applications.map((a: any) => [a.name, a.objects.map((o: any) => [o.key, o.change])])).toEqual([
      ['site', [['core/ConfigMap/site/front-config', 'changed'], ['core/ConfigMap/site/front-kube', 'created']]],
      ['web', [['core/ConfigMap/web/web-kube', 'created']]],
    ]);
    const [s, w] = report.applications;
    expect(changedLines(s.objects[0].diff)).toEqual(['-  message: from the ref', '+  message: changed in the ref', '-  app: one', '+  app: two']);
    expect(changedLines(s.objects[1].diff)).toContain('+  version: v1.29.3');
    expect(changedLines(w.objects[0].diff).filter((l) => l.includes('version:'))).not.toContain('+  version: v1.29.3');
    expect(s.rendered.map((r: any) => r.renderedWith)).toEqual([["helm template . --name-template front --namespace site --kube-version 1.29.3 --values ./envs/prod/site.yaml --values '<values from source.helm.values/valuesObject>' --include-crds"]]);
  });

  it('a chart that fails to render is named, with helm\'s error in the report, and its objects are not compared', async () => {
    const dir = repo('hello', 'ghcr.io/example/api:v1');
    writeFiles(dir, { 'charts/web/templates/broken.yaml': 'kind: {{ .Values.missing.key }}\n' });
    const { code, report, text } = await diffJson(dir, ['--base', 'main'], true);
    expect(code).toBe(1);
    expect(report.head.errors).toHaveLength(1);
    expect(report.head.errors[0]).toMatch(/^working tree: Application argocd\/web, source 0 \(Helm chart charts\/web in this repository\): helm template failed \(exit 1\): .*nil pointer evaluating interface \{\}\.key.*; it is named, not rendered$/s);
    const [w] = report.applications;
    expect(w.name).toBe('web');
    expect(w.objects).toEqual([]);
    expect(w.notes).toEqual(['source 0 is rendered here on the base only, so its objects are not compared; it is named by its files']);
    expect(w.rendered).toHaveLength(1);
    expect(w.rendered[0]).toMatchObject({ changed: true, notRendered: expect.stringMatching(/^helm template failed/) });
    expect(w.rendered[0].renderedWith).toBeUndefined();
    expect(text).toMatch(/rendered by Argo CD: Helm chart charts\/web in this repository: files [0-9a-f]{12} → files [0-9a-f]{12} \(not rendered here: helm template failed/);
    expect(text).toContain('✗ working tree: Application argocd/web, source 0');
  });
});
