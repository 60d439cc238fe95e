// `cdk8s-argocd import`: App of Apps roots. A root with the shape GitOpsRepo.addEnvironment()
// writes becomes an environment of one GitOpsRepo; any other stays a plain Application, and the
// result says why. Every case is round-tripped (--check: object by object) and compiled.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, test } from 'vitest';
import { importObjects } from '../../lib/import/importer';
import { InputObject } from '../../lib/import/program';
import { readInputs } from '../../lib/import/read';
import { compile } from '../support/compile-program';

const SEEDS = path.join(__dirname, '..', 'fixtures', 'seeds');
const scratch: string[] = [];
afterAll(() => { for (const d of scratch) fs.rmSync(d, { recursive: true, force: true }); });

/** A seed file laid out as the repository its comments describe: each document in the file its first comment names. */
function layOut(seed: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-structure-'));
  scratch.push(dir);
  const text = fs.readFileSync(path.join(SEEDS, seed), 'utf-8');
  for (const doc of text.split(/^---\s*$/m)) {
    const file = /^# (\S+\.ya?ml)/m.exec(doc.trim())?.[1];
    if (!file) throw new Error(`a document of ${seed} names no file`);
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), `${doc.trim()}\n`);
  }
  return dir;
}

const input = (file: string, yamlText: string): InputObject[] =>
  parseAllDocuments(yamlText).map((d, i) => ({ file, document: i + 1, manifest: d.toJSON() }));

const REPO = 'https://github.com/myorg/infra.git';
const root = (env: string, extra: { metadata?: object; syncPolicy?: object | null } = {}) => `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${env}-root, namespace: argocd, finalizers: [resources-finalizer.argocd.argoproj.io], ${Object.entries(extra.metadata ?? {}).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} }
spec:
  project: default
  source: { repoURL: ${REPO}, targetRevision: main, path: clusters/${env} }
  destination: { server: https://kubernetes.default.svc, namespace: argocd }
${extra.syncPolicy === null ? '' : `  syncPolicy: ${JSON.stringify(extra.syncPolicy ?? { automated: { prune: true, selfHeal: true } })}`}
`;
const child = (name: string, p: string, namespace = name) => `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name}, namespace: argocd }
spec:
  project: default
  source: { repoURL: ${REPO}, targetRevision: main, path: ${p} }
  destination: { server: https://kubernetes.default.svc, namespace: ${namespace} }
  syncPolicy: { automated: { prune: true, selfHeal: true } }
`;
const configMap = (namespace: string) => `
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: ${namespace} }
data: { a: b }
`;

describe('App of Apps roots', () => {
  test("seed 01's self-managed root becomes a GitOpsRepo environment, with the path and cluster the input does not hold declared", async () => {
    // GIVEN seed 01 as the repository it describes: clusters/production/{root-app,api-app}.yaml
    const r = await importObjects(readInputs([{ path: layOut('01-root-app-of-apps.yaml') }]), { check: true });
    // THEN the round trip is exact and the root is the environment's
    expect(r.differences).toEqual([]);
    expect(r.structure.map((s) => [s.name, s.reason, s.environment?.name])).toEqual([['production-root', undefined, 'production']]);
    expect(r.objects.map((o) => `${o.name} ${o.as} ${o.patched.join(',')}`.trim())).toEqual(['api-production Application', 'production-root GitOpsRepo']);
    expect(r.program).toContain("const repo = new GitOpsRepo(app, 'repo', { repoUrl, targetRevision });");
    expect(r.program).toContain("const production = repo.addEnvironment('production', { selfManagedRoot: true });");
    // the child's overlay and its cluster are not in the input: declared, so the repository's checks pass
    expect(r.program).toContain("repo.addExternalPath('apps/api/overlays/production');");
    expect(r.program).toContain("repo.addExternalCluster('https://prod.k8s.example.com');");
    expect(r.program).toContain("new Application(production.chart, 'api-production', {");
    expect(r.program).not.toContain('new Chart(');
    expect(compile([r.program])).toEqual([]);
  }, 120_000);

  test('roots in bootstrap/ become environments, other objects of bootstrap/ go to the repository\'s bootstrap chart, a manual root is rootSyncPolicy: {}', async () => {
    const inputs = [
      ...input('bootstrap/roots.yaml', `${root('dev')}---${root('prod', { syncPolicy: {} })}---${configMap('argocd')}`),
      ...input('clusters/dev/apps.yaml', child('api-dev', 'apps/api/dev', 'api')),
      ...input('clusters/prod/apps.yaml', child('api-prod', 'apps/api/prod', 'api')),
      ...input('apps/api/dev/cm.yaml', configMap('api')),
      ...input('apps/api/prod/cm.yaml', configMap('api')),
    ];
    const r = await importObjects(inputs, { check: true });
    expect(r.differences).toEqual([]);
    expect(r.structure.map((s) => `${s.name} ${s.reason ?? s.environment?.name}`)).toEqual(['dev-root dev', 'prod-root prod']);
    expect(r.program).toContain("const dev = repo.addEnvironment('dev');");
    expect(r.program).toContain("const prod = repo.addEnvironment('prod', { rootSyncPolicy: {} });");
    expect(r.program).toContain("new ApiObject(repo.bootstrap, 'settings', {");
    expect(r.program).not.toContain('addExternalPath');
    expect(r.objects.filter((o) => o.patched.length > 0)).toEqual([]);
    expect(compile([r.program])).toEqual([]);
  }, 120_000);

  test('a root GitOpsRepo does not write as the input holds it stays a plain Application, and the result says why', async () => {
    const inputs = [
      ...input('bootstrap/dev.yaml', root('dev', { metadata: { labels: { team: 'platform' } } })),
      ...input('roots/stage.yaml', root('stage')),
      ...input('clusters/dev/apps.yaml', child('api-dev', 'apps/api/dev', 'api')),
      ...input('clusters/stage/apps.yaml', child('api-stage', 'apps/api/stage', 'api')),
    ];
    const r = await importObjects(inputs, { check: true });
    expect(r.differences).toEqual([]);
    expect(r.structure.map((s) => `${s.name}: ${s.reason}`)).toEqual([
      'dev-root: not the shape of a GitOpsRepo environment: its metadata has labels, which an environment\'s root does not',
      'stage-root: not the shape of a GitOpsRepo environment: its file is in roots/, neither bootstrap/ nor clusters/stage/, where GitOpsRepo writes a root',
    ]);
    expect(r.objects.filter((o) => o.kind === 'Application').map((o) => o.as)).toEqual(['Application', 'Application', 'Application', 'Application']);
    expect(r.program).not.toContain('GitOpsRepo');
  }, 120_000);

  test("a GitOpsRepo whose checks refuse the program is given up: the roots are plain Applications, with the check's message", async () => {
    // GIVEN a child that prunes automatically in-cluster and syncs a ConfigMap in the Argo CD
    // namespace: GitOpsRepo's root-app guard refuses it (Argo CD would sync it)
    const inputs = [
      ...input('bootstrap/dev.yaml', root('dev')),
      ...input('clusters/dev/apps.yaml', child('settings-dev', 'apps/settings/dev', 'argocd')),
      ...input('apps/settings/dev/cm.yaml', configMap('argocd')),
    ];
    const r = await importObjects(inputs, { check: true });
    expect(r.differences).toEqual([]);
    expect(r.structure).toHaveLength(1);
    expect(r.structure[0].reason).toMatch(/^the shape of a GitOpsRepo environment, but the repository's checks refuse the program written with it: .*settings/);
    expect(r.program).not.toContain('GitOpsRepo');
    expect(r.objects.find((o) => o.name === 'dev-root')!.as).toBe('Application');
  }, 120_000);
});

describe('image tags per environment', () => {
  const deployment = (name: string, ...images: string[]) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${name} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [${images.map((image, i) => `{ name: c${i}, image: '${image}' }`).join(', ')}]
`;

  test('an image in two or more environments\' app directories, with one tag in each, reads its tag from a Versions table', async () => {
    const inputs = [
      ...input('apps/api/dev/deploy.yaml', deployment('api', 'ghcr.io/myorg/api:v2.2.0', 'busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')),
      ...input('apps/api/prod/deploy.yaml', deployment('api', 'ghcr.io/myorg/api:v2.1.0', 'busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')),
      // only in one environment, and one with two tags in one environment: written as they are
      ...input('apps/web/dev/deploy.yaml', deployment('web', 'ghcr.io/myorg/web:v1', 'registry:5000/side:1', 'registry:5000/side:2')),
      ...input('apps/web/prod/deploy.yaml', deployment('web', 'registry:5000/side:3')),
    ];
    const r = await importObjects(inputs, { check: true });
    expect(r.differences).toEqual([]);
    expect(r.objects.filter((o) => o.patched.length > 0)).toEqual([]);
    expect(r.program).toContain("const versions = new Versions({ api: { dev: 'v2.2.0', prod: 'v2.1.0' } });");
    expect(r.program).toContain("image: `ghcr.io/myorg/api:${versions.get('api', 'dev')}`");
    expect(r.program).toContain("image: `ghcr.io/myorg/api:${versions.get('api', 'prod')}`");
    expect(r.program).toContain("image: 'ghcr.io/myorg/web:v1'");
    expect(r.program).toContain("image: 'registry:5000/side:3'");
    expect(compile([r.program])).toEqual([]);
  }, 120_000);
});
