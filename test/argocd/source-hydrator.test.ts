import { Chart, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import {
  AppProject, Application, ApplicationSet, ApplicationSetGenerator, ApplicationSource, ArgoCdApp, Destination, HelmValues,
} from '../../lib';
import { schemaProblems } from '../support/crds';
import { thrownMessage as error } from '../support/errors';

const REPO = 'https://github.com/myorg/infra.git';
const dry = (options: { path?: string; targetRevision?: string } = {}) =>
  ApplicationSource.git({ repoUrl: REPO, targetRevision: options.targetRevision ?? 'main', path: options.path ?? 'apps/api' });

function setup() {
  const chart = Testing.chart();
  const project = AppProject.fromProjectName(chart, 'proj', 'team-a');
  return { chart, project };
}


describe('Application with the source hydrator', () => {
  test('writes spec.sourceHydrator (and no spec.source), valid against the CRD', () => {
    const { chart, project } = setup();
    new Application(chart, 'api', {
      project,
      destination: Destination.inCluster('api'),
      sourceHydrator: {
        drySource: ApplicationSource.git({ repoUrl: REPO, targetRevision: 'main', path: 'charts/api', helm: { values: HelmValues.fromObject({ replicas: 2 }) } }),
        syncBranch: 'environments/dev',
        syncPath: 'api',
        hydrateToBranch: 'environments/dev-next',
      },
    });
    const manifests = Testing.synth(chart);
    expect(schemaProblems(manifests)).toEqual([]);
    expect(manifests[0].spec).toEqual({
      project: 'team-a',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'api' },
      sourceHydrator: {
        drySource: { repoURL: REPO, targetRevision: 'main', path: 'charts/api', helm: { values: 'replicas: 2\n' } },
        syncSource: { targetBranch: 'environments/dev', path: 'api' },
        hydrateTo: { targetBranch: 'environments/dev-next' },
      },
    });
  });

  test('a sync repository of its own is written; a Kustomize dry source works', () => {
    const { chart, project } = setup();
    new Application(chart, 'api', {
      project,
      destination: Destination.inCluster('api'),
      sourceHydrator: {
        drySource: ApplicationSource.kustomize({ repoUrl: REPO, targetRevision: 'v1.2.0', path: 'overlays/dev', images: ['api:v2'] }),
        syncBranch: 'main',
        syncPath: 'dev/api',
        syncRepoUrl: 'https://github.com/myorg/rendered.git',
      },
    });
    const [m] = Testing.synth(chart);
    expect(schemaProblems([m])).toEqual([]);
    expect(m.spec.sourceHydrator.drySource.kustomize).toEqual({ images: ['api:v2'] });
    expect(m.spec.sourceHydrator.syncSource).toEqual({ targetBranch: 'main', path: 'dev/api', repoURL: 'https://github.com/myorg/rendered.git' });
  });

  test.each([
    ['source and sourceHydrator together', (c: Chart, project: AppProject) => new Application(c, 'api', {
      project, destination: Destination.inCluster('api'), source: dry(), sourceHydrator: { drySource: dry(), syncBranch: 'env/dev', syncPath: 'api' },
    }), "[test/api] spec.sourceHydrator 'https://github.com/myorg/infra.git' and spec.source are both set; a hydrated Application syncs from its sync branch and Argo CD ignores spec.source; keep one"],
    ['a Helm chart from a chart repository as dry source', (c: Chart, project: AppProject) => new Application(c, 'api', {
      project, destination: Destination.inCluster('api'),
      sourceHydrator: { drySource: ApplicationSource.helmChart({ repoUrl: 'https://charts.example.com', chart: 'api', version: '1.0.0' }), syncBranch: 'env/dev', syncPath: 'api' },
    }), "[test/api] spec.sourceHydrator.drySource 'https://charts.example.com' is Helm chart 'api' from a chart repository; the source hydrator renders a directory of a Git repository: use ApplicationSource.git(), .kustomize() or .plugin()"],
    ['a dry source without a revision', (c: Chart, project: AppProject) => new Application(c, 'api', {
      project, destination: Destination.inCluster('api'),
      sourceHydrator: { drySource: ApplicationSource.git({ repoUrl: REPO, path: 'apps/api' }), syncBranch: 'env/dev', syncPath: 'api' },
    }), '[test/api] spec.sourceHydrator.drySource.targetRevision undefined must be a non-empty string'],
    ['a dry source with tagPrefix (not a field of a dry source)', (c: Chart, project: AppProject) => new Application(c, 'api', {
      project, destination: Destination.inCluster('api'),
      sourceHydrator: { drySource: ApplicationSource.git({ repoUrl: REPO, targetRevision: '1.*', tagPrefix: 'api/', path: 'apps/api' }), syncBranch: 'env/dev', syncPath: 'api' },
    }), "[test/api] spec.sourceHydrator.drySource.tagPrefix 'api/' is not a field of a dry source; remove tagPrefix"],
    ['an empty sync branch (Argo CD: syncSource.targetBranch is required)', (c: Chart, project: AppProject) => new Application(c, 'api', {
      project, destination: Destination.inCluster('api'), sourceHydrator: { drySource: dry(), syncBranch: '', syncPath: 'api' },
    }), "[test/api] spec.sourceHydrator.syncSource.targetBranch '' must be a non-empty string"],
    ['a sync path leaving the repository', (c: Chart, project: AppProject) => new Application(c, 'api', {
      project, destination: Destination.inCluster('api'), sourceHydrator: { drySource: dry(), syncBranch: 'env/dev', syncPath: '../api' },
    }), "[test/api] spec.sourceHydrator.syncSource.path '../api' must be relative to the repository root and stay inside it; remove the leading '/' or '..'"],
    ['an empty hydrateTo branch', (c: Chart, project: AppProject) => new Application(c, 'api', {
      project, destination: Destination.inCluster('api'), sourceHydrator: { drySource: dry(), syncBranch: 'env/dev', syncPath: 'api', hydrateToBranch: ' ' },
    }), "[test/api] spec.sourceHydrator.hydrateTo.targetBranch ' ' must be a non-empty string"],
  ])('fails on %s', (_name, make, message) => {
    const { chart, project } = setup();
    expect(error(() => make(chart, project as unknown as AppProject))).toBe(message);
  });

  test('addSource() on a hydrated Application fails', () => {
    const { chart, project } = setup();
    const app = new Application(chart, 'api', { project, destination: Destination.inCluster('api'), sourceHydrator: { drySource: dry(), syncBranch: 'env/dev', syncPath: 'api' } });
    expect(error(() => app.addSource(dry()))).toBe("[test/api] spec.source 'https://github.com/myorg/infra.git' cannot be added: the Application uses sourceHydrator, and Argo CD ignores spec.source for a hydrated Application");
  });

  test('an ApplicationSet template may use the hydrator, with placeholders', () => {
    const { chart, project } = setup();
    new ApplicationSet(chart, 'set', {
      generators: [ApplicationSetGenerator.list({ elements: [{ env: 'dev' }, { env: 'prod' }] })],
      template: {
        name: 'api-{{env}}',
        project,
        destination: Destination.inCluster('api-{{env}}'),
        sourceHydrator: { drySource: dry({ path: 'apps/api/{{env}}' }), syncBranch: 'environments/{{env}}', syncPath: 'api' },
      },
    });
    const [m] = Testing.synth(chart);
    expect(schemaProblems([m])).toEqual([]);
    expect(m.spec.template.spec.sourceHydrator.syncSource.targetBranch).toBe('environments/{{env}}');
    expect(m.spec.template.spec.source).toBeUndefined();
  });

  test('the project must permit the dry source repository, as Argo CD checks', () => {
    const app = new ArgoCdApp();
    const chart = new Chart(app, 'c');
    const project = new AppProject(chart, 'team-a', { sourceRepos: ['https://github.com/other/*'], destinations: [] as any });
    new Application(chart, 'api', { project, destination: Destination.inCluster('api'), sourceHydrator: { drySource: dry(), syncBranch: 'env/dev', syncPath: 'api' } });
    expect(error(() => app.synthFiles())).toContain(`[c/api/Resource] Application 'api' spec.sourceHydrator.drySource.repoURL '${REPO}' is not permitted by project 'team-a' (sourceRepos: https://github.com/other/*); add it with project.addSourceRepo() (Python: project.add_source_repo(), Go: project.AddSourceRepo())`);
  });
});
