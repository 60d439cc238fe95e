import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { beforeAll, describe, expect, test } from 'vitest';
import { VERSIONS } from '../../examples/platform/config';
import { buildPlatform } from '../../examples/platform/platform';
import { ApplicationSetPreview, GitOpsRepo, SynthesizedFile, Versions } from '../../lib';
import { expectCovered, schemaProblems } from '../support/crds';

const DIST = path.join(__dirname, '..', '..', 'examples', 'platform', 'dist');
const ENVS = ['dev', 'staging', 'production'];

/** The flagship synthesized in memory, as main.ts builds it. */
function synth(versions?: Versions): SynthesizedFile[] {
  return buildPlatform(path.join(os.tmpdir(), 'platform-unused'), versions).synthFiles();
}

/** Every file below `dir`, relative, with `/` separators, sorted. */
function listDir(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? listDir(path.join(dir, e.name), rel) : [rel];
  }).sort();
}

/** `versions` with one entry changed. */
function withVersion(versions: Versions, component: string, env: string, version: string): Versions {
  const table: { [c: string]: { [e: string]: string } } = {};
  for (const c of versions.components) table[c] = versions.of(c);
  table[component] = { ...table[component], [env]: version };
  return new Versions(table);
}

describe('examples/platform', () => {
  let files: SynthesizedFile[];
  let byPath: Map<string, any>;
  const manifests = () => files.map((f) => f.manifest);
  const ofKind = (kind: string) => files.filter((f) => f.manifest.kind === kind);

  beforeAll(() => {
    files = synth();
    byPath = new Map(files.map((f) => [f.path, f.manifest]));
  });

  test('writes the layout: bootstrap, clusters/<env>, projects/<env>, apps/<app>/<env>', () => {
    const dirs = [...new Set(files.map((f) => path.posix.dirname(f.path)))].sort();
    expect(dirs).toEqual([
      ...['dev', 'production', 'staging'].map((e) => `apps/api/${e}`),
      'apps/argocd-config/management',
      ...['dev', 'production', 'staging'].flatMap((e) => [`apps/monitoring/${e}`]),
      ...['dev', 'production', 'staging'].map((e) => `apps/secret-store/${e}`),
      ...['dev', 'production', 'staging'].map((e) => `apps/web/${e}`),
      'bootstrap',
      'clusters/dev', 'clusters/management', 'clusters/production', 'clusters/staging',
      'projects/dev', 'projects/management', 'projects/production', 'projects/staging',
    ]);
  });

  test('one root Application per environment in bootstrap/, each syncing its clusters/<env>/', () => {
    const roots = files.filter((f) => f.path.startsWith('bootstrap/'));
    expect(roots.map((f) => f.manifest.metadata.name).sort()).toEqual(['dev-root', 'management-root', 'production-root', 'staging-root']);
    for (const r of roots) {
      const env = r.manifest.metadata.name.replace(/-root$/, '');
      expect(r.manifest.kind).toBe('Application');
      expect(r.manifest.spec.source.path).toBe(`examples/platform/dist/clusters/${env}`);
      expect(r.manifest.spec.source.repoURL).toBe('https://github.com/myorg/infra-repo.git');
      expect(r.manifest.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    }
  });

  test('an AppProject per environment; the production project freezes weekends and lets only SRE sync', () => {
    const projects = ofKind('AppProject').map((f) => f.manifest);
    expect(projects.map((p) => p.metadata.name).sort()).toEqual(['dev', 'management', 'production', 'staging']);
    const prod = byPath.get('projects/production/appproject_argocd_production.yaml');
    expect(prod.spec.syncWindows).toEqual([expect.objectContaining({ kind: 'deny', manualSync: false })]);
    const developer = prod.spec.roles.find((r: any) => r.name === 'developer');
    expect(developer.policies.some((p: string) => p.includes(', sync,'))).toBe(false);
    const devRole = byPath.get('projects/dev/appproject_argocd_dev.yaml').spec.roles.find((r: any) => r.name === 'developer');
    expect(devRole.policies.some((p: string) => p.includes(', sync,'))).toBe(true);
  });

  test('production Applications have no automated sync; dev and staging do', () => {
    for (const env of ENVS) {
      const children = files.filter((f) => f.path.startsWith(`clusters/${env}/`) && f.manifest.kind === 'Application' && !f.manifest.metadata.name.endsWith('-projects'));
      expect(children.map((f) => f.manifest.metadata.name).sort()).toEqual([`monitoring-${env}`, `secret-store-${env}`, `web-${env}`]);
      for (const c of children) {
        if (env === 'production') expect(c.manifest.spec.syncPolicy.automated).toBeUndefined();
        else expect(c.manifest.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      }
    }
    const api = ApplicationSetPreview.expand(byPath.get('clusters/management/applicationset_argocd_api.yaml'), {
      clusterSecrets: ofKind('Secret').map((f) => f.manifest),
    });
    const automated = Object.fromEntries(api.map((a) => [a.metadata.name, a.spec.syncPolicy.automated]));
    expect(automated).toEqual({
      'api-dev': { prune: true, selfHeal: true },
      'api-staging': { prune: true, selfHeal: true },
      'api-production': undefined,
    });
  });

  test('the api ApplicationSet deploys apps/api/<env> to every workload cluster, and no addApp() Application collides with it', () => {
    const [set] = ofKind('ApplicationSet');
    expect(set.path).toBe('clusters/management/applicationset_argocd_api.yaml');
    expect(set.manifest.spec.generators[0].clusters.selector.matchLabels).toEqual({ 'myorg.io/workloads': 'true' });
    const generated = ApplicationSetPreview.expand(set.manifest, { clusterSecrets: ofKind('Secret').map((f) => f.manifest) });
    expect(generated.map((a) => [a.metadata.name, a.spec.project, a.spec.source.path])).toEqual([
      ['api-dev', 'dev', 'examples/platform/dist/apps/api/dev'],
      ['api-production', 'production', 'examples/platform/dist/apps/api/production'],
      ['api-staging', 'staging', 'examples/platform/dist/apps/api/staging'],
    ]);
    const applications = ofKind('Application').map((f) => f.manifest);
    for (const g of generated) {
      expect(applications.filter((a) => a.metadata.name === g.metadata.name)).toEqual([]);
      expect(applications.filter((a) => a.spec.source?.path === g.spec.source.path)).toEqual([]);
    }
  });

  test('api has a PreSync migration (after its PreSync ExternalSecret) and a PostSync smoke test', () => {
    for (const env of ENVS) {
      const hook = (file: string) => byPath.get(`apps/api/${env}/${file}`).metadata.annotations;
      expect(hook('job_api-migrate.yaml')).toMatchObject({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' });
      expect(hook('externalsecret_api-db.yaml')).toMatchObject({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-1' });
      expect(hook('job_api-smoke-test.yaml')).toMatchObject({ 'argocd.argoproj.io/hook': 'PostSync' });
      // the migration must not need a Sync-phase object (the ConfigMap) to start
      const migrate = byPath.get(`apps/api/${env}/job_api-migrate.yaml`).spec.template.spec.containers[0];
      expect(migrate.envFrom).toEqual([{ secretRef: { name: 'api-db' } }]);
      // waves in the app chart: ConfigMap 0, Deployment 1, Service 2, Ingress 3
      const wave = (file: string) => byPath.get(`apps/api/${env}/${file}`).metadata.annotations['argocd.argoproj.io/sync-wave'];
      expect(['configmap_api-config.yaml', 'deployment_api.yaml', 'service_api.yaml', 'ingress_api.yaml'].map(wave)).toEqual(['0', '1', '2', '3']);
    }
  });

  test('secrets come from ClusterSecretStores on AWS Secrets Manager with IRSA; no Secret holds a credential', () => {
    const stores = ofKind('ClusterSecretStore').map((f) => f.manifest);
    expect(stores).toHaveLength(4);
    for (const s of stores) {
      expect(s.spec.provider.aws).toMatchObject({ service: 'SecretsManager', auth: { jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } } });
      expect(s.spec.conditions[0].namespaces.length).toBeGreaterThan(0);
    }
    const externalSecrets = ofKind('ExternalSecret').map((f) => f.manifest);
    expect(externalSecrets.map((e) => e.metadata.name).sort()).toEqual([
      'api-db', 'api-db', 'api-db', 'argocd-notifications-secret', 'grafana-admin', 'grafana-admin', 'grafana-admin',
    ]);
    for (const e of externalSecrets) expect(e.spec.secretStoreRef.kind).toBe('ClusterSecretStore');
    // the only Secrets written are cluster registrations, authenticating through AWS IAM
    for (const s of ofKind('Secret').map((f) => f.manifest)) {
      expect(s.metadata.labels['argocd.argoproj.io/secret-type']).toBe('cluster');
      expect(Object.keys(s.stringData).sort()).toEqual(['config', 'name', 'server']);
      expect(Object.keys(JSON.parse(s.stringData.config))).toEqual(['awsAuthConfig']);
    }
  });

  test('registers the dev, staging and production clusters in their environment directories, before the apps', () => {
    const secrets = ofKind('Secret');
    expect(secrets.map((f) => f.path)).toEqual(ENVS.map((e) => `clusters/${e}/secret_argocd_cluster-${e}.yaml`).sort());
    for (const f of secrets) {
      expect(f.manifest.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-2');
      expect(JSON.parse(f.manifest.stringData.config).awsAuthConfig.roleARN).toMatch(/^arn:aws:iam::\d{12}:role\/argocd-deployer$/);
    }
  });

  test('notifications: Slack with $slack-token, triggers, and subscriptions on production apps', () => {
    const cm = byPath.get('apps/argocd-config/management/configmap_argocd_argocd-notifications-cm.yaml');
    expect(yaml.load(cm.data['service.slack'])).toMatchObject({ token: '$slack-token' });
    expect(Object.keys(cm.data).filter((k) => k.startsWith('trigger.')).sort()).toEqual([
      'trigger.on-health-degraded', 'trigger.on-out-of-sync', 'trigger.on-sync-failed', 'trigger.on-sync-succeeded',
    ]);
    expect(yaml.load(cm.data.subscriptions)).toEqual([expect.objectContaining({ recipients: ['slack:prod-deployments'], selector: 'env=production' })]);
    // the default subscription selects env=production: every production Application carries the label
    const production = ofKind('Application').filter((f) => f.path.startsWith('clusters/production/') && !f.manifest.metadata.name.endsWith('-projects'));
    for (const f of production) expect(f.manifest.metadata.labels).toEqual({ env: 'production' });
    expect(byPath.get('clusters/production/application_argocd_web-production.yaml').metadata.annotations)
      .toEqual({ 'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'web-team' });
    // the Argo CD config is never pruned by an Application
    expect(byPath.get('clusters/management/application_argocd_argocd-config.yaml').spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: true });
  });

  test('every Argo CD and ESO object validates strictly against the CRDs', () => {
    expectCovered(manifests());
    expect(schemaProblems(manifests())).toEqual([]);
  });

  test('the committed examples/platform/dist is exactly what the code produces', () => {
    expect(listDir(DIST)).toEqual(files.map((f) => f.path).sort());
    for (const f of files) {
      expect(fs.readFileSync(path.join(DIST, ...f.path.split('/')), 'utf-8'), f.path).toBe(f.content);
    }
  });

  test('every ApplicationSet in the committed output expands with the cluster Secrets found there', () => {
    const committed = listDir(DIST).flatMap((p) => yaml.loadAll(fs.readFileSync(path.join(DIST, p), 'utf-8')) as any[]);
    const clusterSecrets = committed.filter((m) => m.kind === 'Secret' && m.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster');
    expect(clusterSecrets).toHaveLength(3);
    const sets = committed.filter((m) => m.kind === 'ApplicationSet');
    expect(sets.length).toBeGreaterThan(0);
    for (const s of sets) {
      const generated = ApplicationSetPreview.expand(s, { clusterSecrets });
      expect(generated.length, s.metadata.name).toBe(3);
      expect(schemaProblems(generated)).toEqual([]);
    }
  });

  test('synthesis is deterministic', () => {
    const again = synth();
    expect(again.map((f) => [f.path, f.content])).toEqual(files.map((f) => [f.path, f.content]));
  });

  test('promoting dev\'s api tag to staging is a one-line change that touches only staging\'s api files', () => {
    // WHEN
    const promoted = synth(withVersion(VERSIONS, 'api', 'staging', VERSIONS.get('api', 'dev')));
    // THEN
    const before = new Map(files.map((f) => [f.path, f.content]));
    expect(promoted.map((f) => f.path)).toEqual(files.map((f) => f.path));
    const changed = promoted.filter((f) => before.get(f.path) !== f.content).map((f) => f.path);
    expect(changed).toEqual(['apps/api/staging/deployment_api.yaml', 'apps/api/staging/job_api-migrate.yaml']);
    const image = (fs: SynthesizedFile[]) => fs.find((f) => f.path === 'apps/api/staging/deployment_api.yaml')!.manifest.spec.template.spec.containers[0].image;
    expect(image(files)).toBe(`ghcr.io/myorg/api:${VERSIONS.get('api', 'staging')}`);
    expect(image(promoted)).toBe(`ghcr.io/myorg/api:${VERSIONS.get('api', 'dev')}`);
  });
});

describe('flagship disaster recovery', () => {
  test('the commands both READMEs show are what the repository prints, and every file they apply is committed', () => {
    // GIVEN
    const app = buildPlatform(path.join(os.tmpdir(), 'platform-unused'));
    const repo = app.node.findChild('platform') as GitOpsRepo;
    // WHEN
    const commands = repo.recoveryCommands({ argoCdVersion: 'v3.5.1' });
    // THEN
    const shown = (file: string) => {
      const text = fs.readFileSync(file, 'utf8');
      const at = text.indexOf('kubectl create namespace argocd');
      return text.slice(at, text.indexOf('```', at)).split('\n').map((l) => l.trim()).filter(Boolean);
    };
    expect(shown(path.join(__dirname, '..', '..', 'examples', 'platform', 'README.md'))).toEqual(commands);
    expect(shown(path.join(__dirname, '..', '..', 'README.md'))).toEqual(commands);
    expect(commands.filter((c) => c.includes('install.yaml'))).toHaveLength(1);
    for (const c of commands.filter((l) => l.startsWith('kubectl apply -f '))) {
      expect(fs.existsSync(path.join(DIST, c.slice('kubectl apply -f examples/platform/dist/'.length))), c).toBe(true);
    }
  });
});
