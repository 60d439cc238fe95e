// Errors thrown at a call on a construct name the construct: one representative per construct kind
// of the errors that once were plain Errors or carried no construct path.
import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import {
  AppProject, ApplicationSet, ApplicationSetGenerator, ApplicationSource, ArgoCdApp, Destination, GitOpsRepo,
  SyncWindowKind,
} from '../lib';
import { ArgoApplication } from '../imports/application-argoproj.io';
import { ArgoAppProject } from '../imports/appproject-argoproj.io';
import { writerThreadWanted } from '../lib/app/_writer-thread';
import { ValidationError } from '../lib/errors';

const REPO = 'https://git.example.com/team-a/api.git';

/** The error `run` throws, checked to be a ValidationError. */
function thrown(run: () => unknown): ValidationError {
  try {
    run();
  } catch (e) {
    expect(ValidationError.isValidationError(e), String(e)).toBe(true);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

const list = (key: string, ...values: string[]) => ApplicationSetGenerator.list({ elements: values.map((v) => ({ [key]: v })) });

function appSet(chart: Chart, generator: ApplicationSetGenerator, name = 'api-{{env}}'): ApplicationSet {
  return new ApplicationSet(chart, 'api', {
    generators: [generator],
    template: {
      name,
      project: AppProject.fromProjectName(chart, 'default', 'default'),
      source: ApplicationSource.git({ repoUrl: REPO, path: 'apps' }),
      destination: Destination.inCluster('apps'),
    },
  });
}

describe('errors at calls name the construct path', () => {
  const cases: Array<[string, (chart: Chart) => unknown, string, RegExp]> = [
    ['ApplicationSet: a third matrix/merge level', (chart) => {
      const level2 = ApplicationSetGenerator.matrix(ApplicationSetGenerator.matrix(list('a', 'x'), list('b', 'y')), list('c', 'z'));
      appSet(chart, ApplicationSetGenerator.matrix(list('env', 'dev'), level2));
    }, 'c/api', /^spec\.generators\[0\]\.matrix\.generators\[1\] 'matrix\(matrix\(list, list\), list\)' nests matrix\/merge 3 levels deep; /],
    ['ApplicationSet: preview() where Argo CD\'s controller would fail', (chart) => appSet(chart, list('env', 'dev', 'dev')).preview(),
      'c/api', /^preview: Argo CD's ApplicationSet controller would fail: ApplicationSet api contains applications with duplicate name: api-dev$/],
    ['AppProject: sync windows at an invalid time', (chart) => new AppProject(chart, 'team-a').syncWindowsAt(new Date('nope')),
      'c/team-a', /^time 'Invalid Date' is not a valid Date; pass e\.g\. /],
    ['AppProject: a sync window pattern Argo CD\'s glob matcher panics on', (chart) => {
      const p = new AppProject(chart, 'team-a');
      p.addSyncWindow({ kind: SyncWindowKind.DENY, schedule: '0 22 * * *', duration: Duration.hours(2), applications: ['a{,}'] });
    }, 'c/team-a', /^spec\.syncWindows\[0\]\.applications\[0\] 'a\{,\}' makes Argo CD's glob matcher \(gobwas\/glob\) panic \(.*matching "a" against "a\{,\}"\)/],
    ['GitOpsRepo: an environment that does not exist', (chart) => {
      const repo = new GitOpsRepo(chart.node.root as ArgoCdApp, 'infra', { repoUrl: REPO });
      repo.environment('nope');
    }, 'infra', /^environment 'nope' does not exist \(environments: none\); /],
  ];

  for (const [name, run, path, message] of cases) {
    test(name, () => {
      // GIVEN
      const app = new ArgoCdApp({ outdir: '/tmp/unused-errors' });
      const chart = new Chart(app, 'c');
      // WHEN
      const e = thrown(() => run(chart));
      // THEN
      expect(e.constructPath).toBe(path);
      expect(e.message.startsWith(`[${path}] `), e.message).toBe(true);
      expect(e.message.slice(path.length + 3)).toMatch(message);
    });
  }

  test('an Application whose project check Argo CD\'s glob matcher cannot answer: the finding names the Application', () => {
    // GIVEN
    const app = new ArgoCdApp({ outdir: '/tmp/unused-errors' });
    const chart = new Chart(app, 'prod');
    // an AppProject refuses the pattern up front; one written as a plain object reaches the check
    new ArgoAppProject(chart, 'team-a', {
      metadata: { name: 'team-a', namespace: 'argocd' },
      spec: { sourceRepos: ['*'], destinations: [{ server: 'https://kubernetes.default.svc{', namespace: 'team-a' }] },
    });
    new ArgoApplication(chart, 'api', {
      metadata: { name: 'api', namespace: 'argocd' },
      spec: { project: 'team-a', destination: { server: 'https://kubernetes.default.svc', namespace: 'team-a' }, source: { repoUrl: REPO, path: '.', targetRevision: 'HEAD' } },
    });
    // WHEN
    const e = thrown(() => app.synthFiles());
    // THEN
    expect(e.message).toMatch(/\n {2}\[prod\/api\] Application 'api' spec\.destination \(.*\) cannot be checked against project 'team-a': .*panics/);
  });

  test('an environment variable is not a construct: its error names the variable, as a ValidationError', () => {
    const saved = process.env.CDK8S_ARGOCD_WRITER_THREAD;
    process.env.CDK8S_ARGOCD_WRITER_THREAD = 'yes';
    try {
      const e = thrown(() => writerThreadWanted(10));
      expect(e.constructPath).toBeUndefined();
      expect(e.message).toMatch(/^CDK8S_ARGOCD_WRITER_THREAD is 'yes'; use 'auto' /);
    } finally {
      if (saved === undefined) delete process.env.CDK8S_ARGOCD_WRITER_THREAD;
      else process.env.CDK8S_ARGOCD_WRITER_THREAD = saved;
    }
  });

  test('a second matrix/merge level is accepted; a third fails when the ApplicationSet is made', () => {
    const chart = Testing.chart();
    const level2 = ApplicationSetGenerator.matrix(list('env', 'dev'), ApplicationSetGenerator.merge(['a'], list('a', 'x'), list('a', 'x')));
    expect(() => appSet(chart, level2)).not.toThrow();
    const level3 = ApplicationSetGenerator.matrix(list('env', 'dev'), ApplicationSetGenerator.matrix(list('c', 'z'), ApplicationSetGenerator.merge(['a'], list('a', 'x'), list('a', 'x'))));
    expect(thrown(() => appSet(new Chart(Testing.app(), 'other'), level3)).message)
      .toMatch(/^\[other\/api\] spec\.generators\[0\]\.matrix\.generators\[1\] 'matrix\(list, merge\(list, list\)\)' nests matrix\/merge 3 levels deep; /);
  });
});
