import { ApiObject, Chart, Duration } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { Application } from '../../lib/argocd/application';
import { AppProject, ProjectDestination } from '../../lib/argocd/app-project';
import { ApplicationSet } from '../../lib/argocd/application-set';
import { ApplicationSource } from '../../lib/argocd/application-source';
import { ApplicationSetGenerator } from '../../lib/argocd/generators/generator';
import { ApplicationSetPreview } from '../../lib/argocd/preview/application-set-preview';
import { Destination } from '../../lib/argocd/destination';
import { Cluster } from '../../lib/fleet/cluster';
import { Environment, IChartBuilder } from '../../lib/repo/environment';
import { GitOpsRepo } from '../../lib/repo/gitops-repo';
import { RepoLayout } from '../../lib/repo/layout';
import { AppDeletion } from '../../lib/repo/app-deletion';
import { schemaProblems } from '../support/crds';
import { loadSeed } from '../support/seeds';

const REPO = 'https://github.com/myorg/infra-repo.git';

class ConfigMapApp implements IChartBuilder {
  constructor(private readonly name = 'api') {}
  public buildChart(chart: Chart, env: Environment): void {
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${this.name}-config`, namespace: this.name }, data: { env: env.name } });
  }
}

function setup(outputRoot = '.') {
  const app = new ArgoCdApp();
  const repo = new GitOpsRepo(app, 'repo', { repoUrl: REPO, targetRevision: 'main', outputRoot });
  return { app, repo };
}

function files(app: ArgoCdApp) {
  const out = app.synthFiles();
  expect(schemaProblems(out.map((f) => f.manifest))).toEqual([]);
  return out;
}

function byPath(app: ArgoCdApp): Map<string, any> {
  return new Map(files(app).map((f) => [f.path, f.manifest]));
}

describe('GitOpsRepo layout', () => {
  test('writes the design documents layout: clusters/<env>, apps/<app>/<env>, projects/<env>, bootstrap', () => {
    // GIVEN
    const { app, repo } = setup();
    const prod = new Cluster({ name: 'production', server: 'https://prod.k8s.example.com' });
    // WHEN
    const env = repo.addEnvironment('production', { clusters: [prod] });
    env.addProject('production', { sourceRepos: [REPO], destinations: [ProjectDestination.server(prod.server, '*')] });
    env.addApp('api', { builder: new ConfigMapApp() });
    // THEN
    expect(files(app).map((f) => f.path)).toEqual([
      'apps/api/production/configmap_api_api-config.yaml',
      'bootstrap/application_argocd_production-root.yaml',
      'clusters/production/application_argocd_api-production.yaml',
      'clusters/production/application_argocd_production-projects.yaml',
      'projects/production/appproject_argocd_production.yaml',
    ]);
  });

  test('a custom layout moves the directories, and source paths follow', () => {
    const app = new ArgoCdApp();
    const repo = new GitOpsRepo(app, 'repo', {
      repoUrl: REPO, targetRevision: 'main', outputRoot: 'dist',
      layout: RepoLayout.custom({ app: 'apps/{app}/overlays/{env}', environment: 'envs/{env}', bootstrap: 'recovery' }),
    });
    const env = repo.addEnvironment('staging');
    const d = env.addApp('api', { builder: new ConfigMapApp() });
    const out = byPath(app);
    expect([...out.keys()].sort()).toEqual([
      'apps/api/overlays/staging/configmap_api_api-config.yaml',
      'envs/staging/application_argocd_api-staging.yaml',
      'recovery/application_argocd_staging-root.yaml',
    ]);
    expect(d.path).toBe('dist/apps/api/overlays/staging');
    expect(out.get('envs/staging/application_argocd_api-staging.yaml').spec.source.path).toBe('dist/apps/api/overlays/staging');
    expect(out.get('recovery/application_argocd_staging-root.yaml').spec.source.path).toBe('dist/envs/staging');
  });

  test('fails when a layout pattern misses its placeholder', () => {
    expect(() => RepoLayout.custom({ app: 'apps/{app}' })).toThrow(
      "layout.app 'apps/{app}' does not contain {env}; every {app} and {env} must get a directory of its own");
  });

  test('fails when the repo is not in an ArgoCdApp', async () => {
    const { App } = await import('cdk8s');
    expect(() => new GitOpsRepo(new App(), 'repo', { repoUrl: REPO })).toThrow(
      '[repo] GitOpsRepo must be placed in an ArgoCdApp, which runs its path and root-app checks; create it with new GitOpsRepo(new ArgoCdApp(...), ...)');
  });
});

describe('App of Apps', () => {
  test('one root per environment in seed 01 shape, child paths computed from the chart', () => {
    // GIVEN
    const { app, repo } = setup();
    const prod = new Cluster({ name: 'production', server: 'https://prod.k8s.example.com' });
    const project = AppProject.fromProjectName(repo, 'prodproj', 'production');
    // WHEN
    for (const name of ['dev', 'staging']) repo.addEnvironment(name).addApp('web', { builder: new ConfigMapApp(`web-${name}`) });
    // seed 01's child carries no finalizer: its workloads outlive it (AppDeletion.ORPHAN)
    const env = repo.addEnvironment('production', { clusters: [prod], project, deletion: AppDeletion.ORPHAN });
    const apiChart = new Chart(app, 'api-prod');
    new ApiObject(apiChart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api' } });
    env.addApp('api', { chart: apiChart, namespace: 'production' });
    // THEN
    const out = byPath(app);
    const [root, child] = loadSeed('01-root-app-of-apps.yaml');
    expect(out.get('bootstrap/application_argocd_production-root.yaml')).toEqual(root);
    expect(out.get('clusters/production/application_argocd_api-production.yaml')).toEqual({
      ...child, spec: { ...child.spec, source: { ...child.spec.source, path: 'apps/api/production' } },
    });
    for (const name of ['dev', 'staging']) {
      expect(out.get(`bootstrap/application_argocd_${name}-root.yaml`).spec.source.path).toBe(`clusters/${name}`);
    }
  });

  describe('cascade deletion of child Applications', () => {
    const RESOURCES = 'resources-finalizer.argocd.argoproj.io';
    const child = (out: Map<string, any>, env: string, name: string) => out.get(`clusters/${env}/application_argocd_${name}.yaml`);

    test('by default a child carries the foreground resources finalizer, so removing the app from code removes its workloads', () => {
      // GIVEN
      const { app, repo } = setup();
      // WHEN
      const env = repo.addEnvironment('dev');
      env.addProject('dev', { sourceRepos: [REPO], destinations: [ProjectDestination.inCluster('*')] });
      env.addApp('api', { builder: new ConfigMapApp() });
      // THEN
      const out = byPath(app);
      expect(repo.deletion).toBe(AppDeletion.CASCADE_FOREGROUND);
      expect(env.deletion).toBe(AppDeletion.CASCADE_FOREGROUND);
      expect(child(out, 'dev', 'api-dev').metadata.finalizers).toEqual([RESOURCES]);
      expect(child(out, 'dev', 'dev-projects').metadata.finalizers).toEqual([RESOURCES]);
      expect(out.get('bootstrap/application_argocd_dev-root.yaml').metadata.finalizers).toEqual([RESOURCES]);
    });

    test('the repository, an environment and an app each choose: background, orphan', () => {
      // GIVEN
      const app = new ArgoCdApp();
      const repo = new GitOpsRepo(app, 'repo', { repoUrl: REPO, targetRevision: 'main', deletion: AppDeletion.CASCADE_BACKGROUND });
      // WHEN
      const dev = repo.addEnvironment('dev');
      dev.addApp('api', { builder: new ConfigMapApp() });
      dev.addApp('db', { builder: new ConfigMapApp('db'), deletion: AppDeletion.ORPHAN });
      const prod = repo.addEnvironment('production', { deletion: AppDeletion.ORPHAN });
      prod.addApp('api', { builder: new ConfigMapApp() });
      prod.addApp('cache', { builder: new ConfigMapApp('cache'), deletion: AppDeletion.CASCADE_FOREGROUND });
      // THEN
      const out = byPath(app);
      expect(child(out, 'dev', 'api-dev').metadata.finalizers).toEqual([`${RESOURCES}/background`]);
      expect(child(out, 'dev', 'db-dev').metadata.finalizers).toBeUndefined();
      expect(child(out, 'production', 'api-production').metadata.finalizers).toBeUndefined();
      expect(child(out, 'production', 'cache-production').metadata.finalizers).toEqual([RESOURCES]);
      // roots keep the foreground finalizer whatever the choice
      expect(out.get('bootstrap/application_argocd_production-root.yaml').metadata.finalizers).toEqual([RESOURCES]);
      expect(String(prod.deletion)).toBe('AppDeletion.ORPHAN');
    });

    test('fails when deletion is not an AppDeletion', () => {
      expect(() => new GitOpsRepo(new ArgoCdApp(), 'repo', { repoUrl: REPO, deletion: 'orphan' as any }))
        .toThrowError("[repo] deletion 'orphan' is not an AppDeletion; use AppDeletion.CASCADE_FOREGROUND, AppDeletion.CASCADE_BACKGROUND or AppDeletion.ORPHAN");
      const { repo } = setup();
      expect(() => repo.addEnvironment('dev').addApp('api', { builder: new ConfigMapApp(), deletion: {} as any }))
        .toThrowError("[repo/dev] app 'api' deletion {} is not an AppDeletion; use AppDeletion.CASCADE_FOREGROUND, AppDeletion.CASCADE_BACKGROUND or AppDeletion.ORPHAN");
    });
  });

  test('children are ordered by sync waves, explicit or derived from dependencies', () => {
    const { app, repo } = setup();
    const env = repo.addEnvironment('dev');
    const monitoring = env.addApp('monitoring', { builder: new ConfigMapApp('monitoring'), wave: -1 });
    const db = env.addApp('db', { builder: new ConfigMapApp('db') });
    const api = env.addApp('api', { builder: new ConfigMapApp() });
    api.addDependency(db);
    const out = byPath(app);
    const wave = (n: string) => out.get(`clusters/dev/application_argocd_${n}-dev.yaml`).metadata.annotations?.['argocd.argoproj.io/sync-wave'];
    expect(wave('monitoring')).toBe('-1');
    expect(Number(wave('api') ?? 0)).toBeGreaterThan(Number(wave('db') ?? 0));
    expect(monitoring.application.name).toBe('monitoring-dev');
  });

  test('a self-managed root lives in the directory it syncs, like seed 01', () => {
    // GIVEN
    const { app, repo } = setup();
    const prod = new Cluster({ name: 'production', server: 'https://prod.k8s.example.com' });
    // WHEN
    const env = repo.addEnvironment('production', { clusters: [prod], selfManagedRoot: true });
    env.addProject('production', { sourceRepos: [REPO], destinations: [ProjectDestination.server(prod.server, '*')] });
    env.addApp('api', { builder: new ConfigMapApp() });
    // THEN
    const out = byPath(app);
    expect([...out.keys()].filter((p) => p.startsWith('bootstrap/'))).toEqual([]);
    expect(out.get('clusters/production/application_argocd_production-root.yaml').spec.source.path).toBe('clusters/production');
    expect(env.bootstrapFile).toBe('clusters/production/application_argocd_production-root.yaml');
    expect(env.recoveryCommands('v3.5.1')[2]).toBe('kubectl apply -f clusters/production/application_argocd_production-root.yaml');
  });

  test('production can require a manual sync', () => {
    const { app, repo } = setup();
    const env = repo.addEnvironment('production', { syncPolicy: {} });
    env.addApp('api', { builder: new ConfigMapApp() });
    const child = byPath(app).get('clusters/production/application_argocd_api-production.yaml');
    expect(child.spec.syncPolicy?.automated).toBeUndefined();
  });

  test('the bootstrap file and the recovery commands', () => {
    const { app, repo } = setup('examples/platform/dist');
    const env = repo.addEnvironment('production');
    env.addApp('api', { builder: new ConfigMapApp() });
    expect(env.bootstrapFile).toBe('examples/platform/dist/bootstrap/application_argocd_production-root.yaml');
    expect(env.recoveryCommands('v2.13.0')).toEqual([
      'kubectl create namespace argocd',
      'kubectl apply -n argocd --server-side -f https://raw.githubusercontent.com/argoproj/argo-cd/v2.13.0/manifests/install.yaml',
      'kubectl apply -f examples/platform/dist/bootstrap/application_argocd_production-root.yaml',
    ]);
    const bootstrap = files(app).filter((f) => f.path.startsWith('bootstrap/'));
    expect(bootstrap.map((f) => `examples/platform/dist/${f.path}`)).toEqual([env.bootstrapFile]);
    expect(bootstrap[0].manifest.spec.source.path).toBe('examples/platform/dist/clusters/production');
  });

  describe('one ordered recovery', () => {
    const install = (v: string) => `kubectl apply -n argocd --server-side -f https://raw.githubusercontent.com/argoproj/argo-cd/${v}/manifests/install.yaml`;
    const crds = (t = '10m') => `kubectl wait --for=condition=Established --timeout=${t} crd/applications.argoproj.io crd/appprojects.argoproj.io`;

    function platform() {
      const { app, repo } = setup('examples/platform/dist');
      const clusters = ['dev', 'production'].map((name) => new Cluster({ name, server: `https://${name}.k8s.example.com` }));
      // the management environment is added after dev: it still comes back first
      const dev = repo.addEnvironment('dev', { clusters: [clusters[0]] });
      const management = repo.addEnvironment('management');
      const production = repo.addEnvironment('production', { clusters: [clusters[1]], selfManagedRoot: true });
      for (const env of [dev, management, production]) env.addApp('api', { builder: new ConfigMapApp() });
      return { app, repo, dev, management, production };
    }

    test('installs Argo CD once, brings the management root back and waits for it, then the other roots', () => {
      // GIVEN
      const { app, repo } = platform();
      // WHEN
      const commands = repo.recoveryCommands({ argoCdVersion: 'v3.5.1' });
      // THEN
      expect(commands).toEqual([
        'kubectl create namespace argocd',
        install('v3.5.1'),
        crds(),
        'kubectl apply -f examples/platform/dist/bootstrap/application_argocd_management-root.yaml',
        "kubectl wait -n argocd --for=jsonpath='{.status.sync.status}'=Synced --timeout=10m application/management-root",
        'kubectl apply -f examples/platform/dist/bootstrap/application_argocd_dev-root.yaml',
        'kubectl apply -f examples/platform/dist/clusters/production/application_argocd_production-root.yaml',
      ]);
      // every file applied is a root the app writes, each applied once
      const written = new Map(files(app).map((f) => [`examples/platform/dist/${f.path}`, f.manifest]));
      const applied = commands.filter((c) => c.startsWith('kubectl apply -f ')).map((c) => c.slice('kubectl apply -f '.length));
      expect(new Set(applied).size).toBe(applied.length);
      expect(applied.map((f) => written.get(f)?.metadata.name)).toEqual(['management-root', 'dev-root', 'production-root']);
    });

    test('the management environment can be named; without one without clusters, the first environment comes back first', () => {
      const { repo, production } = platform();
      const commands = repo.recoveryCommands({ managementEnvironment: production, timeout: Duration.minutes(90) });
      expect(commands.slice(1, 5)).toEqual([
        install('stable'),
        crds('1h30m'),
        'kubectl apply -f examples/platform/dist/clusters/production/application_argocd_production-root.yaml',
        "kubectl wait -n argocd --for=jsonpath='{.status.sync.status}'=Synced --timeout=1h30m application/production-root",
      ]);
      expect(commands.filter((c) => c.includes('install.yaml'))).toHaveLength(1);

      const other = setup();
      const dev = other.repo.addEnvironment('dev', { clusters: [new Cluster({ name: 'dev', server: 'https://dev.example.com' })] });
      other.repo.addEnvironment('staging', { clusters: [new Cluster({ name: 'staging', server: 'https://staging.example.com' })] });
      expect(other.repo.recoveryCommands()[3]).toBe(`kubectl apply -f ${dev.bootstrapFile}`);
    });

    test('a management root synced by hand is not waited for', () => {
      const { repo } = setup();
      repo.addEnvironment('management', { rootSyncPolicy: {} });
      repo.addEnvironment('dev');
      expect(repo.recoveryCommands().slice(3)).toEqual([
        'kubectl apply -f bootstrap/application_argocd_management-root.yaml',
        'kubectl apply -f bootstrap/application_argocd_dev-root.yaml',
      ]);
    });

    test('fails when the repository has no environment, or the management environment is another repository\'s', () => {
      const { repo } = setup();
      expect(() => repo.recoveryCommands()).toThrowError("[repo] recoveryCommands: the repository has no environment, so there is no root to apply; add one with repo.addEnvironment()");
      const other = new GitOpsRepo(new ArgoCdApp(), 'other', { repoUrl: REPO });
      const foreign = other.addEnvironment('dev');
      repo.addEnvironment('dev');
      expect(() => repo.recoveryCommands({ managementEnvironment: foreign }))
        .toThrowError("[repo] recoveryCommands: managementEnvironment 'other/dev' is not an environment of this repository (environments: dev); pass one of repo.environments");
    });
  });

  test('fails when an environment deploys nothing, since its directory is then missing from Git', () => {
    const { app, repo } = setup();
    repo.addEnvironment('qa');
    expect(() => app.synthFiles()).toThrow("[repo/Bootstrap/qa-root/Resource] spec.source.path 'clusters/qa' of Application 'qa-root' is not written by this app");
  });

  test('fails when an app is added twice or with no source', () => {
    const { repo } = setup();
    const env = repo.addEnvironment('dev');
    env.addApp('api', { builder: new ConfigMapApp() });
    expect(() => env.addApp('api', { builder: new ConfigMapApp() })).toThrow("[repo/dev] app 'api' is already deployed in environment 'dev'; give each app its own id");
    expect(() => env.addApp('web', {})).toThrow("[repo/dev] app 'web' 'nothing' must give exactly one of chart, builder and source");
    expect(() => repo.addEnvironment('dev')).toThrow("[repo] environment 'dev' already exists; give each environment its own name");
  });
});

describe('path check', () => {
  test('fails when an Application points at a path this app does not write', () => {
    // GIVEN
    const { app, repo } = setup();
    const env = repo.addEnvironment('production');
    env.addApp('api', { builder: new ConfigMapApp() });
    // WHEN a hand-typed path with a typo
    new Application(env.chart, 'typo', {
      project: env.project,
      source: ApplicationSource.git({ repoUrl: 'https://github.com/myorg/infra-repo', targetRevision: 'main', path: 'apps/api/prodction' }),
      destination: Destination.inCluster('api'),
    });
    // THEN
    expect(() => app.synthFiles()).toThrow(
      "[repo/production/Applications/typo/Resource] spec.source.path 'apps/api/prodction' of Application 'typo' is not written by this app, "
      + `so Argo CD would find no manifests in ${REPO}; nearest written paths: apps/api/production, clusters/production, bootstrap; `
      + 'let the library compute the path (Environment.addApp() (Python: Environment.add_app(), Go: Environment_AddApp())), or declare a path written by other means with repo.addExternalPath() (Python: repo.add_external_path(), Go: repo.AddExternalPath())');
  });

  test('knows this repository by its SSH address too', () => {
    const { app, repo } = setup();
    const env = repo.addEnvironment('production');
    env.addApp('api', { builder: new ConfigMapApp() });
    new Application(env.chart, 'typo', {
      project: env.project,
      source: ApplicationSource.git({ repoUrl: 'git@github.com:MyOrg/infra-repo.git', targetRevision: 'main', path: 'apps/api/prodction' }),
      destination: Destination.inCluster('api'),
    });
    expect(() => app.synthFiles()).toThrow("spec.source.path 'apps/api/prodction' of Application 'typo' is not written by this app");
  });

  test('checks the dry source path of a hydrated Application', () => {
    const { app, repo } = setup();
    const env = repo.addEnvironment('production');
    env.addApp('api', { builder: new ConfigMapApp() });
    new Application(env.chart, 'hydrated', {
      project: env.project,
      sourceHydrator: {
        drySource: ApplicationSource.git({ repoUrl: REPO, targetRevision: 'main', path: 'apps/api/prod' }),
        syncBranch: 'environments/production',
        syncPath: 'api',
      },
      destination: Destination.inCluster('api'),
    });
    expect(() => app.synthFiles()).toThrow("spec.sourceHydrator.drySource.path 'apps/api/prod' of Application 'hydrated' is not written by this app");
  });

  test('passes other repositories, paths outside the output root and declared external paths', () => {
    const { app, repo } = setup('dist');
    const env = repo.addEnvironment('dev');
    const add = (id: string, repoUrl: string, path: string) => new Application(env.chart, id, {
      project: env.project, source: ApplicationSource.git({ repoUrl, path }), destination: Destination.inCluster('x'),
    });
    add('other-repo', 'https://github.com/other/repo.git', 'anything');
    add('outside', REPO, 'charts/hand-written');
    add('external', REPO, 'dist/legacy/manifests');
    repo.addExternalPath('dist/legacy');
    expect(() => files(app)).not.toThrow();
  });

  test('recurse covers written subdirectories', () => {
    const { app, repo } = setup();
    const env = repo.addEnvironment('dev');
    env.addApp('api', { builder: new ConfigMapApp() });
    new Application(env.chart, 'all-apps', {
      project: env.project,
      source: ApplicationSource.git({ repoUrl: REPO, path: 'apps', directory: { recurse: true } }),
      destination: Destination.inCluster('x'),
    });
    expect(() => files(app)).not.toThrow();
  });
});

describe('root-app guard', () => {
  test('fails when a pruning root would sync the argocd namespace and Argo CD config', () => {
    // GIVEN
    const { app, repo } = setup();
    const env = repo.addEnvironment('production');
    // WHEN Argo CD's own objects are written into the root's directory
    new ApiObject(env.chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
    new ApiObject(env.chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'argocd' } });
    // THEN
    const hits = "(spec.source.path 'clusters/production' holds Namespace 'argocd' (clusters/production/namespace_argocd.yaml), "
      + "ConfigMap 'argocd-cm' in namespace 'argocd' (clusters/production/configmap_argocd_argocd-cm.yaml)); a pruning Application on Argo CD's own cluster must sync only Applications, ApplicationSets, AppProjects "
      + "and cluster/repository Secrets in 'argocd': move these objects to an Application without automated prune, or annotate each with argocd.argoproj.io/sync-options: Prune=false";
    expect(() => app.synthFiles()).toThrow(
      "[repo/Bootstrap/production-root/Resource] spec.syncPolicy.automated.prune true on Application 'production-root' would let Argo CD prune the objects that run it " + hits);
  });

  test('fails when a child app with prune deploys Argo CD\'s Deployment in-cluster', () => {
    const { app, repo } = setup();
    const env = repo.addEnvironment('dev');
    env.addApp('argocd', {
      builder: { buildChart: (chart: Chart) => { new ApiObject(chart, 'd', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'argocd-server' } }); } },
    });
    expect(() => app.synthFiles()).toThrow(/\[repo\/dev\/Applications\/App-argocd\/Resource\] spec.syncPolicy.automated.prune true on Application 'argocd-dev' would let Argo CD prune the objects that run it \(spec.source.path 'apps\/argocd\/dev' holds Deployment 'argocd-server' in namespace 'argocd'/);
  });

  test('passes without prune, with Prune=false, on a remote cluster, and for Applications, projects and cluster Secrets', () => {
    const { app, repo } = setup();
    const env = repo.addEnvironment('dev', { syncPolicy: { automated: { selfHeal: true } } });
    env.addApp('argocd-config', {
      builder: { buildChart: (chart: Chart) => { new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'argocd' } }); } },
    });
    const pinned = new ApiObject(env.chart, 'rbac', {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'argocd-rbac-cm', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } },
    });
    expect(pinned).toBeDefined();
    const remote = new Cluster({ name: 'edge', server: 'https://edge.example.com', config: { awsAuthConfig: { clusterName: 'edge' } } });
    env.registerCluster(remote);
    env.addProject('dev', { sourceRepos: [REPO], destinations: [ProjectDestination.server('*', '*')] });
    env.addApp('edge-argocd', {
      cluster: remote,
      namespace: 'argocd',
      syncPolicy: { automated: { prune: true } },
      builder: { buildChart: (chart: Chart) => { new ApiObject(chart, 'd', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'argocd-server' } }); } },
    });
    expect(() => files(app)).not.toThrow();
  });
});

describe('project kinds check', () => {
  function withProject(props: Record<string, unknown>, build: (chart: Chart) => void) {
    const { app, repo } = setup();
    const prod = new Cluster({ name: 'production', server: 'https://prod.k8s.example.com' });
    const env = repo.addEnvironment('production', { clusters: [prod] });
    const project = env.addProject('production', { sourceRepos: [REPO], destinations: [ProjectDestination.server(prod.server, '*')], ...props });
    env.addApp('api', { project, builder: { buildChart: build } });
    return app;
  }
  const quota = (chart: Chart) => { new ApiObject(chart, 'q', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota' } }); };
  const namespace = (chart: Chart) => { new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'api' } }); };

  test('fails when an app deploys a namespaced kind its project denies', () => {
    const app = withProject({ namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }] }, quota);
    expect(() => app.synthFiles()).toThrow("[repo/production/Applications/App-api/Resource] Application 'api-production' deploys ResourceQuota 'quota' (apps/api/production/resourcequota_quota.yaml), which project 'production' does not permit (namespaceResourceWhitelist: any; namespaceResourceBlacklist: \"\"/ResourceQuota); allow it with project.allowNamespaceResource({ group: '', kind: 'ResourceQuota' }) or take it off the deny list");
  });

  test('fails when an app deploys a cluster-scoped kind its project does not allow', () => {
    const app = withProject({}, namespace);
    expect(() => app.synthFiles()).toThrow("[repo/production/Applications/App-api/Resource] Application 'api-production' deploys the cluster-scoped Namespace 'api' (apps/api/production/namespace_api.yaml), which project 'production' does not permit (clusterResourceWhitelist: none; clusterResourceBlacklist: none); allow it with project.allowClusterResource({ group: '', kind: 'Namespace' })");
  });

  test('passes kinds the project allows', () => {
    const app = withProject({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] }, (chart) => { namespace(chart); quota(chart); });
    expect(files(app).map((f) => f.path)).toContain('apps/api/production/namespace_api.yaml');
  });
});

describe('ApplicationSets over this repository', () => {
  function withAppSet(nameTemplate: string) {
    const { app, repo } = setup();
    const prod = new Cluster({ name: 'production', server: 'https://prod.k8s.example.com' });
    const env = repo.addEnvironment('production', { clusters: [prod] });
    env.addProject('production', { sourceRepos: [REPO], destinations: [ProjectDestination.server(prod.server, '*')] });
    env.addApp('api', { builder: new ConfigMapApp('api') });
    env.addApp('web', { builder: new ConfigMapApp('web') });
    new ApplicationSet(env.chart, 'previews', {
      generators: [ApplicationSetGenerator.gitDirectories({ repoUrl: REPO, revision: 'main', directories: ['apps/*/production'] })],
      template: {
        name: nameTemplate,
        projectName: 'production',
        source: ApplicationSource.git({ repoUrl: REPO, targetRevision: 'main', path: '{{path}}' }),
        destination: Destination.server(prod.server, 'preview-{{path[1]}}'),
      },
    });
    return app;
  }

  test('are expanded over the files the app writes', () => {
    const app = withAppSet('preview-{{path[1]}}');
    const appSet = files(app).find((f) => f.manifest.kind === 'ApplicationSet')!;
    const apps = ApplicationSetPreview.expand(appSet.manifest, { repositories: { [REPO]: Object.fromEntries(files(app).map((f) => [f.path, ''])) } });
    expect(apps.map((a) => a.metadata.name)).toEqual(['preview-api', 'preview-web']);
  });

  test('fails when the generated names are not Kubernetes names', () => {
    expect(() => withAppSet('{{path}}').synthFiles()).toThrow("[repo/production/Applications/previews/Resource] ApplicationSet 'previews' generates the name 'apps/api/production' from this repository's files, which is not a valid Kubernetes name; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. path.basenameNormalized)");
  });

  test('fails when two generated Applications share a name', () => {
    expect(() => withAppSet('preview-{{path.basename}}').synthFiles()).toThrow("[repo/production/Applications/previews/Resource] ApplicationSet 'previews' cannot be expanded over this repository's files: ApplicationSet previews contains applications with duplicate name: preview-production");
  });
});

describe('cluster registration check', () => {
  function repoWithApp(destination: Destination, prepare?: (repo: GitOpsRepo, env: Environment) => void) {
    const { app, repo } = setup();
    const env = repo.addEnvironment('production');
    env.addApp('api', { builder: new ConfigMapApp() });
    prepare?.(repo, env);
    new Application(env.chart, 'hand-made', { project: env.project, source: ApplicationSource.git({ repoUrl: 'https://github.com/other/repo.git', path: 'x' }), destination });
    return app;
  }

  test('fails when an Application deploys to a cluster nothing registers or declares', () => {
    const app = repoWithApp(Destination.server('https://prod.k8s.exmaple.com', 'api'), (_repo, env) => {
      env.registerCluster(new Cluster({ name: 'prod', server: 'https://prod.k8s.example.com', config: { awsAuthConfig: { clusterName: 'prod' } } }));
    });
    expect(() => app.synthFiles()).toThrow(
      "[repo/production/Applications/hand-made/Resource] spec.destination.server 'https://prod.k8s.exmaple.com' of Application 'hand-made' is not a cluster this app registers or declares "
      + '(known servers: https://prod.k8s.example.com, and the cluster Argo CD runs in), so Argo CD would find no cluster with that URL; '
      + "register it with a Cluster in an environment, or declare a cluster registered by other means with repo.addExternalCluster('https://prod.k8s.exmaple.com')");
  });

  test('fails for a destination by an unknown name too', () => {
    const app = repoWithApp(Destination.clusterName('staging', 'api'));
    expect(() => app.synthFiles()).toThrow("spec.destination.name 'staging' of Application 'hand-made' is not a cluster this app registers or declares (known names: none, and the cluster Argo CD runs in), so Argo CD would find no cluster with that name;");
  });

  test.each([
    ['the cluster Argo CD runs in, by server', Destination.inCluster('api'), undefined],
    ['the cluster Argo CD runs in, by name', Destination.clusterName('in-cluster', 'api'), undefined],
    ['a registered cluster, by name (trailing slash ignored on servers)', Destination.clusterName('prod', 'api'), (_r: GitOpsRepo, env: Environment) => {
      env.registerCluster(new Cluster({ name: 'prod', server: 'https://prod.k8s.example.com/', config: { awsAuthConfig: { clusterName: 'prod' } } }));
    }],
    ["an environment's declared cluster", Destination.server('https://edge.example.com', 'api'), (repo: GitOpsRepo) => {
      repo.addEnvironment('edge', { clusters: [new Cluster({ name: 'edge', server: 'https://edge.example.com' })] }).addApp('web', { builder: new ConfigMapApp('web') });
    }],
    ['a cluster declared external', Destination.server('https://legacy.example.com', 'api'), (repo: GitOpsRepo) => repo.addExternalCluster('https://legacy.example.com')],
    ['any server while a registration reads its server from a secret store', Destination.server('https://anything.example.com', 'api'), (_r: GitOpsRepo, env: Environment) => {
      new ApiObject(env.chart, 'from-store', {
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'cluster-x', namespace: 'argocd' },
        spec: { target: { template: { metadata: { labels: { 'argocd.argoproj.io/secret-type': 'cluster' } }, data: { name: 'x', server: '{{ .server }}' } } } },
      });
    }],
  ])('passes %s', (_name, destination, prepare) => {
    const app = repoWithApp(destination, prepare as any);
    expect(() => app.synthFiles()).not.toThrow();
  });
});
