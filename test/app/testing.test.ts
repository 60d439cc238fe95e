import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fs from 'fs';
import { describe, expect, test } from 'vitest';
import {
  AppProject, Application, ApplicationSource, ArgoCdApp, ArgoCdTesting, Destination, HookAnnotationCheck, IManifestCheck,
  Errors, ProjectDestination, RenderedManifest, SyncWave,
} from '../../lib';

const REPO = 'https://github.com/myorg/api.git';
const OTHER = 'https://github.com/other/x.git';

/** A chart with a project and one Application, whose source `repoUrl` the project may not permit. */
function projectChart(chart: Chart, repoUrl: string): void {
  const project = new AppProject(chart, 'production', {
    sourceRepos: ['https://github.com/myorg/*'],
    destinations: [ProjectDestination.inCluster('production')],
  });
  new Application(chart, 'api', {
    project,
    source: ApplicationSource.git({ repoUrl, targetRevision: 'main', path: 'deploy' }),
    destination: Destination.inCluster('production'),
  });
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('ArgoCdTesting', () => {
  test('a project violation fails through ArgoCdTesting.synth, but not through cdk8s Testing.synth', () => {
    const chart = new Chart(Testing.app(), 'platform');
    projectChart(chart, OTHER);
    // cdk8s' own Testing runs the construct validations only
    const plain = Testing.synth(chart);
    expect(plain.map((m) => m.kind)).toEqual(['AppProject', 'Application']);
    const e = errorOf(() => ArgoCdTesting.synth(chart));
    expect(Errors.isValidationError(e)).toBe(true);
    expect(e.message).toContain("[platform/api/Resource] Application 'api' spec.source.repoURL 'https://github.com/other/x.git' is not permitted by project 'production'");
  });

  test('the error is the one a synthesis of an ArgoCdApp throws', () => {
    const app = new ArgoCdApp({ outdir: fs.mkdtempSync('/tmp/argocd-testing-') });
    const chart = new Chart(app, 'platform');
    projectChart(chart, OTHER);
    const synthError = errorOf(() => app.synthFiles());
    expect(errorOf(() => ArgoCdTesting.synth(chart)).message).toBe(synthError.message);
    // and under a plain App, with the same tree
    const plainChart = new Chart(Testing.app(), 'platform');
    projectChart(plainChart, OTHER);
    expect(errorOf(() => ArgoCdTesting.synth(plainChart)).message).toBe(synthError.message);
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });

  test('a chart that passes gives what Testing.synth gives, and writes nothing', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    projectChart(chart, REPO);
    const before = fs.readdirSync(app.outdir);
    const manifests = ArgoCdTesting.synth(chart);
    expect(manifests).toEqual(Testing.synth(chart));
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['AppProject/production', 'Application/api']);
    expect(fs.readdirSync(app.outdir)).toEqual(before);
  });

  test('synthFiles returns the files an ArgoCdApp would write, for any construct of the app', () => {
    const chart = new Chart(Testing.app(), 'platform');
    projectChart(chart, REPO);
    const files = ArgoCdTesting.synthFiles(chart.node.findChild('api'));
    expect(files.map((f) => f.path)).toEqual(['platform/application_argocd_api.yaml', 'platform/appproject_argocd_production.yaml']);
    const app = new ArgoCdApp({ outdir: fs.mkdtempSync('/tmp/argocd-testing-') });
    projectChart(new Chart(app, 'platform'), REPO);
    expect(files).toEqual(app.synthFiles());
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });

  test('hook annotations, the plaintext-secret guard and file clashes run too', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { 'argocd.argoproj.io/hook': 'PreSyncc' } } });
    new ApiObject(chart, 's', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter2' } });
    new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dup' } });
    new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dup' } });
    expect(Testing.synth(chart)).toHaveLength(4);
    const secretAndClash = errorOf(() => ArgoCdTesting.synth(chart)).message;
    expect(secretAndClash).toContain('[c/s]');
    expect(secretAndClash).toContain('[c/b] Service \'dup\' is written to c/service_dup.yaml, which [c/a] already writes');
    chart.node.tryRemoveChild('s');
    chart.node.tryRemoveChild('b');
    expect(errorOf(() => ArgoCdTesting.synth(chart)).message).toContain("[c/cm]");
    expect(new HookAnnotationCheck(chart).check([{ manifest: Testing.synth(chart)[0], constructPath: 'c/cm', file: 'x' }]).length).toBe(1);
  });

  test('checks added to an ArgoCdApp run, and sync waves are derived under a plain App', () => {
    const app = new ArgoCdApp({ outdir: fs.mkdtempSync('/tmp/argocd-testing-') });
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    const seen: string[] = [];
    const check: IManifestCheck = { check: (ms: RenderedManifest[]) => { seen.push(...ms.map((m) => m.file)); return ['[c/cm] refused by the added check']; } };
    app.addCheck(check);
    expect(errorOf(() => ArgoCdTesting.synth(chart)).message).toContain('[c/cm] refused by the added check');
    expect(seen).toEqual(['c/configmap_x.yaml']);
    fs.rmSync(app.outdir, { recursive: true, force: true });

    const plain = new Chart(Testing.app(), 'w');
    const first = new ApiObject(plain, 'first', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first' } });
    const second = new ApiObject(plain, 'second', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second' } });
    SyncWave.after(second, first);
    const waves = ArgoCdTesting.synth(plain).map((m) => m.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
    expect(waves).toEqual([undefined, '1']);
  });

  test('a construct outside any App is refused with its path', () => {
    const root = new Construct(undefined as any, 'root');
    const chart = new Chart(root, 'c');
    expect(() => ArgoCdTesting.synthFiles(chart)).toThrow(/\[root\/c\] ArgoCdTesting: the root of this construct is not a cdk8s App/);
  });
});
