import { ApiObject, Chart } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { OutputDirectory } from '../../lib/app/output-directory';
import { ProjectDestination } from '../../lib/argocd/app-project';
import { ApplicationSet } from '../../lib/argocd/application-set';
import { ApplicationSource } from '../../lib/argocd/application-source';
import { Destination } from '../../lib/argocd/destination';
import { ApplicationSetGenerator } from '../../lib/argocd/generators/generator';
import { GitOpsRepo } from '../../lib/repo/gitops-repo';

const REPO = 'https://github.com/myorg/infra-repo.git';

function setup() {
  const app = new ArgoCdApp();
  const repo = new GitOpsRepo(app, 'repo', { repoUrl: REPO, targetRevision: 'main' });
  const env = repo.addEnvironment('production');
  env.addProject('production', { sourceRepos: [REPO], destinations: [ProjectDestination.inCluster('*')] });
  env.addApp('api', { builder: { buildChart: (chart: Chart) => { new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api', namespace: 'api' } }); } } });
  return { app, repo, env };
}

describe('warnings', () => {
  test('none for a repository whose every chart is read', () => {
    const { app } = setup();
    app.synthFiles();
    expect(app.warnings).toEqual([]);
  });

  test('a chart no Application reads is a warning, not a failure', () => {
    const { app } = setup();
    const orphan = new Chart(app, 'orphan');
    OutputDirectory.set(orphan, 'apps/forgotten');
    new ApiObject(orphan, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'x' } });
    expect(app.synthFiles().length).toBeGreaterThan(0);
    expect(app.warnings).toEqual(["[orphan] chart writes apps/forgotten/ (1 file), which no Application of this app reads, so Argo CD would never apply it; deploy it with Environment.addApp(), point an Application at it, or leave the chart out"]);
  });

  test('a git directories generator matching nothing is a warning', () => {
    const { app, env } = setup();
    new ApplicationSet(env.chart, 'previews', {
      generators: [ApplicationSetGenerator.gitDirectories({ repoUrl: REPO, revision: 'main', directories: ['app/*/production'] })],
      template: {
        name: 'preview-{{path[1]}}',
        projectName: 'production',
        source: ApplicationSource.git({ repoUrl: REPO, targetRevision: 'main', path: '{{path}}' }),
        destination: Destination.inCluster('preview'),
      },
    });
    app.synthFiles();
    expect(app.warnings).toEqual([
      "[repo/production/Applications/previews/Resource] spec.generators[0].git.directories ('app/*/production') of ApplicationSet 'previews' select no directory of https://github.com/myorg/infra-repo.git, so this generator would give Argo CD no Application; check the pattern against the layout (Argo CD matches each path with Go's path.Match, one segment per '*')",
    ]);
  });
});
