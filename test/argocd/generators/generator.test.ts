import { Chart, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { AppProject } from '../../../lib/argocd/app-project';
import { ApplicationSet } from '../../../lib/argocd/application-set';
import { ApplicationSource } from '../../../lib/argocd/application-source';
import { Destination } from '../../../lib/argocd/destination';
import { ApplicationSetGenerator } from '../../../lib/argocd/generators/generator';
import { LabelSelectorOperator } from '../../../lib/argocd/generators/label-selector';
import { PullRequestProvider } from '../../../lib/argocd/generators/pull-request';
import { CloneProtocol, ScmProvider } from '../../../lib/argocd/generators/scm-provider';
import { schemaProblems } from '../../support/crds';
import { thrownMessage as error } from '../../support/errors';

const REPO = 'https://github.com/myorg/k8s-manifests.git';

function build(generator: ApplicationSetGenerator, name: string, goTemplate = false): { chart: Chart; appSet: ApplicationSet } {
  const chart = Testing.chart();
  const project = AppProject.fromProjectName(chart, 'proj', 'default');
  const appSet = new ApplicationSet(chart, 'set', {
    goTemplate,
    generators: [generator],
    template: {
      name,
      project,
      source: ApplicationSource.git({ repoUrl: REPO, path: 'apps' }),
      destination: Destination.inCluster('apps'),
    },
  });
  return { chart, appSet };
}

function synthGenerators(generator: ApplicationSetGenerator, name: string, goTemplate = false): any[] {
  const { chart } = build(generator, name, goTemplate);
  const manifests = Testing.synth(chart);
  expect(schemaProblems(manifests)).toEqual([]);
  return manifests[0].spec.generators;
}


const list = (key: string) => ApplicationSetGenerator.list({ elements: [{ [key]: 'a' }, { [key]: 'b' }] });
const clusters = () => ApplicationSetGenerator.clusters({ selector: { matchLabels: { env: 'prod' } } });
const dirs = () => ApplicationSetGenerator.gitDirectories({ repoUrl: REPO, revision: 'main', directories: ['apps/*'] });

describe('generators', () => {
  test('clusters with matchExpressions, values and a post-selector', () => {
    const g = ApplicationSetGenerator.clusters({
      selector: { matchExpressions: [{ key: 'env', operator: LabelSelectorOperator.IN, values: ['prod'] }, { key: 'tier', operator: LabelSelectorOperator.EXISTS }] },
      values: { revision: 'main' },
      postSelector: { matchLabels: { 'metadata.labels.region': 'eu' } },
    });
    expect(synthGenerators(g, '{{name}}-{{values.revision}}-{{metadata.labels.region}}')).toEqual([{
      clusters: {
        selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }, { key: 'tier', operator: 'Exists' }] },
        values: { revision: 'main' },
      },
      selector: { matchLabels: { 'metadata.labels.region': 'eu' } },
    }]);
  });

  test('git directories with pathParamPrefix, under goTemplate', () => {
    const g = ApplicationSetGenerator.gitDirectories({ repoUrl: REPO, revision: 'HEAD', directories: ['apps/*'], excludeDirectories: ['apps/old'], pathParamPrefix: 'app', requeueAfterSeconds: 60 });
    expect(synthGenerators(g, '{{ .app.path.basename }}', true)).toEqual([{
      git: { repoURL: REPO, revision: 'HEAD', pathParamPrefix: 'app', requeueAfterSeconds: 60, directories: [{ path: 'apps/*' }, { path: 'apps/old', exclude: true }] },
    }]);
  });

  test('git files accept any key from the files', () => {
    const g = ApplicationSetGenerator.gitFiles({ repoUrl: REPO, revision: 'HEAD', files: ['clusters/*/config.json'], excludeFiles: ['clusters/old/config.json'] });
    expect(synthGenerators(g, '{{cluster.name}}-{{path.basename}}')).toEqual([{
      git: { repoURL: REPO, revision: 'HEAD', files: [{ path: 'clusters/*/config.json' }, { path: 'clusters/old/config.json', exclude: true }] },
    }]);
  });

  test('list under goTemplate takes any JSON and elementsYaml', () => {
    const g = ApplicationSetGenerator.list({ elements: [{ env: 'dev', replicas: 1, tags: ['a'] }] });
    expect(synthGenerators(g, 'x-{{ .env }}-{{ .replicas }}', true)).toEqual([{ list: { elements: [{ env: 'dev', replicas: 1, tags: ['a'] }] } }]);
  });

  test('matrix of clusters and git produces both parameter sets', () => {
    const { appSet } = build(ApplicationSetGenerator.matrix(clusters(), dirs()), '{{path.basename}}-{{name}}');
    expect(appSet.parameters).toContain('path.basename');
    expect(appSet.parameters).toContain('name');
  });

  test('merge with a nested matrix, three children', () => {
    const g = ApplicationSetGenerator.merge(['server'], clusters(),
      ApplicationSetGenerator.list({ elements: [{ server: 'https://a', size: 'big' }] }),
      ApplicationSetGenerator.matrix(clusters(), ApplicationSetGenerator.gitDirectories({ repoUrl: REPO, revision: 'HEAD', directories: ['x/*'] })));
    const [m] = synthGenerators(g, '{{name}}-{{size}}');
    expect(m.merge.mergeKeys).toEqual(['server']);
    expect(m.merge.generators).toHaveLength(3);
    expect(m.merge.generators[2].matrix.generators[1].git.repoURL).toBe(REPO);
  });

  test('a second level of nesting writes repoURL inside untyped levels', () => {
    const inner = ApplicationSetGenerator.matrix(dirs(), list('env'));
    const g = ApplicationSetGenerator.matrix(clusters(), inner);
    const [m] = synthGenerators(g, '{{name}}-{{env}}-{{path.basename}}');
    expect(m.matrix.generators[1].matrix.generators[0].git.repoURL).toBe(REPO);
    expect(g.depth).toBe(2);
  });

  test('scmProvider and pullRequest write secret references only', () => {
    const scm = ApplicationSetGenerator.scmProvider({
      provider: ScmProvider.github({ organization: 'myorg', tokenRef: { secretName: 'gh', key: 'token' }, allBranches: true }),
      filters: [{ repositoryMatch: '^api', pathsExist: ['deploy'] }],
      cloneProtocol: CloneProtocol.HTTPS,
    });
    expect(synthGenerators(scm, '{{repository}}-{{branchNormalized}}')).toEqual([{
      scmProvider: {
        github: { organization: 'myorg', allBranches: true, tokenRef: { secretName: 'gh', key: 'token' } },
        filters: [{ repositoryMatch: '^api', pathsExist: ['deploy'] }],
        cloneProtocol: 'https',
      },
    }]);
    const pr = ApplicationSetGenerator.pullRequest({
      provider: PullRequestProvider.gitlab({ project: '123', tokenRef: { secretName: 'gl', key: 'token' }, pullRequestState: 'opened' }),
      filters: [{ branchMatch: '^feature-' }],
    });
    expect(synthGenerators(pr, 'pr-{{number}}')).toEqual([{
      pullRequest: { gitlab: { project: '123', pullRequestState: 'opened', tokenRef: { secretName: 'gl', key: 'token' } }, filters: [{ branchMatch: '^feature-' }] },
    }]);
  });

  test('filter regular expressions must be Go\'s: (?i) passes, a lookahead fails with Go\'s message', () => {
    const provider = ScmProvider.github({ organization: 'myorg' });
    expect(synthGenerators(ApplicationSetGenerator.scmProvider({ provider, filters: [{ repositoryMatch: '(?i)^API-[[:alnum:]]+$' }] }), '{{repository}}')[0].scmProvider.filters)
      .toEqual([{ repositoryMatch: '(?i)^API-[[:alnum:]]+$' }]);
    expect(error(() => build(ApplicationSetGenerator.scmProvider({ provider, filters: [{}, { branchMatch: '^(?!main$)' }] }), '{{repository}}')))
      .toBe("[test/set] spec.generators[0].scmProvider.filters[1].branchMatch '^(?!main$)' is not a regular expression Go compiles (error parsing regexp: invalid or unsupported Perl syntax: `(?!`); Argo CD would fail the generator; write it in Go's RE2 syntax (no lookarounds or backreferences)");
    const pr = PullRequestProvider.github({ owner: 'o', repo: 'r' });
    expect(error(() => build(ApplicationSetGenerator.pullRequest({ provider: pr, filters: [{ titleMatch: '(wip)\\1' }] }), 'pr-{{number}}')))
      .toBe("[test/set] spec.generators[0].pullRequest.filters[0].titleMatch '(wip)\\1' is not a regular expression Go compiles (error parsing regexp: invalid escape sequence: `\\1`); Argo CD would fail the generator; write it in Go's RE2 syntax (no lookarounds or backreferences)");
  });

  test('every SCM and pull request provider validates against the CRD', () => {
    const ref = { secretName: 's', key: 'k' };
    for (const provider of [
      ScmProvider.gitlab({ group: 'g', includeSubgroups: true, caRef: { configMapName: 'ca', key: 'ca.crt' } }),
      ScmProvider.gitea({ owner: 'o', api: 'https://gitea' }),
      ScmProvider.bitbucket({ owner: 'o', user: 'u', appPasswordRef: ref }),
      ScmProvider.bitbucketServer({ api: 'https://bb', project: 'P', basicAuth: { username: 'u', passwordRef: ref } }),
      ScmProvider.azureDevOps({ organization: 'o', teamProject: 't', accessTokenRef: ref }),
      ScmProvider.awsCodeCommit({ region: 'eu-west-1', tagFilters: [{ key: 'team', value: 'a' }] }),
    ]) {
      synthGenerators(ApplicationSetGenerator.scmProvider({ provider }), '{{repository}}');
    }
    for (const provider of [
      PullRequestProvider.github({ owner: 'o', repo: 'r', labels: ['preview'] }),
      PullRequestProvider.gitea({ owner: 'o', repo: 'r', api: 'https://gitea' }),
      PullRequestProvider.bitbucketServer({ project: 'P', repo: 'r', api: 'https://bb', bearerTokenRef: ref }),
      PullRequestProvider.bitbucket({ owner: 'o', repo: 'r', basicAuth: { username: 'u', passwordRef: ref } }),
      PullRequestProvider.azureDevOps({ organization: 'o', project: 'p', repo: 'r', tokenRef: ref }),
    ]) {
      synthGenerators(ApplicationSetGenerator.pullRequest({ provider }), 'pr-{{number}}');
    }
  });

  test('clusterDecisionResource and plugin accept any parameter', () => {
    expect(synthGenerators(ApplicationSetGenerator.clusterDecisionResource({ configMapRef: 'ocm', labelSelector: { matchLabels: { a: 'b' } } }), '{{clusterName}}'))
      .toEqual([{ clusterDecisionResource: { configMapRef: 'ocm', labelSelector: { matchLabels: { a: 'b' } } } }]);
    expect(synthGenerators(ApplicationSetGenerator.plugin({ configMapRef: 'my-plugin', inputParameters: { a: [1] }, values: { x: 'y' } }), '{{anything}}'))
      .toEqual([{ plugin: { configMapRef: { name: 'my-plugin' }, input: { parameters: { a: [1] } }, values: { x: 'y' } } }]);
  });

  test('a generator template override is written and checked', () => {
    const g = ApplicationSetGenerator.list({ elements: [{ env: 'dev' }], template: { name: 'override-{{env}}', projectName: 'team-{{env}}' } });
    const [m] = synthGenerators(g, 'x-{{env}}');
    expect(m.list.template).toEqual({ metadata: { name: 'override-{{env}}' }, spec: { project: 'team-{{env}}', destination: {} } });
  });

  describe('checks', () => {
    test('fails when matrix/merge nest three levels, naming the ApplicationSet and the generator\'s place', () => {
      const level2 = ApplicationSetGenerator.matrix(ApplicationSetGenerator.matrix(list('a'), list('b')), list('c'));
      const level3 = ApplicationSetGenerator.matrix(list('d'), level2);
      expect(error(() => build(level3, '{{a}}'))).toMatchInlineSnapshot(`"[test/set] spec.generators[0].matrix.generators[1] 'matrix(matrix(list, list), list)' nests matrix/merge 3 levels deep; Argo CD evaluates one nested level only (a matrix or merge inside a matrix or merge, whose children are plain generators); flatten it or split the ApplicationSet"`);
      // also when added after construction, at its index
      const { appSet } = build(list('a'), '{{a}}');
      expect(error(() => appSet.addGenerator(ApplicationSetGenerator.mergeOf({ mergeKeys: ['a'], generators: [level2, list('a')] }))))
        .toMatch(/^\[test\/set\] spec\.generators\[1\]\.merge\.generators\[0\] 'matrix\(matrix\(list, list\), list\)' nests matrix\/merge 3 levels deep; /);
    });

    test('fails when merge has fewer than two generators', () => {
      expect(error(() => ApplicationSetGenerator.mergeOf({ mergeKeys: ['a'], generators: [list('a')] }))).toMatchInlineSnapshot(`"merge.generators 1 is too few generators; merge needs two or more (the base and at least one override)"`);
    });

    test('fails when merge has no merge keys', () => {
      expect(error(() => ApplicationSetGenerator.merge([], list('a'), list('a')))).toMatchInlineSnapshot(`"merge.mergeKeys [] is empty; give the parameters that pair sets, e.g. ['server']"`);
    });

    test('fails when a merge key is not produced by every merged generator', () => {
      const { chart } = build(ApplicationSetGenerator.merge(['server'], clusters(), list('env')), '{{name}}');
      expect(error(() => Testing.synth(chart))).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/set] spec.generators[0].merge.mergeKeys[0] 'server' is not produced by spec.generators[0].merge.generators[1] (list, which produces: env); use a key every merged generator produces"
      `);
    });

    test('fails when a merge key is nested under goTemplate', () => {
      const g = ApplicationSetGenerator.merge(['values.selector'],
        ApplicationSetGenerator.clusters({ values: { selector: 'a' } }), ApplicationSetGenerator.clusters({ values: { selector: 'a' } }));
      const { chart } = build(g, '{{ .name }}', true);
      expect(error(() => Testing.synth(chart))).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/set] spec.generators[0].merge.mergeKeys[0] 'values.selector' is not a top-level key; under goTemplate merge keys are looked up at the top level of the parameters, so a nested key never matches; merge on a top-level key (e.g. move it out of values)"
      `);
    });

    test('fails when a fasttemplate list value is not a string', () => {
      expect(error(() => build(ApplicationSetGenerator.list({ elements: [{ replicas: 3 }] }), 'x'))).toMatchInlineSnapshot(`"[test/set] spec.generators[0].list.elements[0].replicas 3 is not a string; under fasttemplate list values are strings (quote it, e.g. '3'), or set goTemplate: true for any JSON"`);
    });

    test('fails when a list has neither elements nor elementsYaml', () => {
      expect(error(() => build(ApplicationSetGenerator.list({}), 'x'))).toMatchInlineSnapshot(`"[test/set] spec.generators[0].list.elements undefined is missing; give elements or elementsYaml"`);
    });

    test('fails when a generator template placeholder is not produced', () => {
      const g = ApplicationSetGenerator.list({ elements: [{ env: 'dev' }], template: { name: 'x-{{cluster}}' } });
      const { chart } = build(g, 'x-{{env}}');
      expect(error(() => Testing.synth(chart))).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/set] spec.generators[0].list.template.metadata.name 'x-{{cluster}}' uses 'cluster', which is not produced by spec.generators[0] (list); they produce: env; use one of those, or produce it with the generators (e.g. a list element key or values)"
      `);
    });

    test('fails when a label selector requirement has no values for In', () => {
      expect(error(() => build(ApplicationSetGenerator.clusters({ selector: { matchExpressions: [{ key: 'env', operator: LabelSelectorOperator.IN }] } }), '{{name}}'))).toMatchInlineSnapshot(`"[test/set] spec.generators[0].clusters.selector.matchExpressions[0].values [] must not be empty for operator In; give at least one value"`);
    });

    test('fails when a git generator has no patterns', () => {
      expect(error(() => build(ApplicationSetGenerator.gitDirectories({ repoUrl: REPO, revision: 'HEAD', directories: [] }), '{{path}}'))).toMatchInlineSnapshot(`"[test/set] spec.generators[0].git.directories [] is empty; give at least one pattern, e.g. 'apps/*'"`);
    });

    test('fails when requeueAfterSeconds is negative', () => {
      expect(error(() => build(ApplicationSetGenerator.gitDirectories({ repoUrl: REPO, revision: 'HEAD', directories: ['a'], requeueAfterSeconds: -1 }), '{{path}}'))).toMatchInlineSnapshot(`"[test/set] spec.generators[0].git.requeueAfterSeconds -1 is less than 0; use 0 or more"`);
    });

    test('fails when a matrix template uses a key no child produces', () => {
      const { chart } = build(ApplicationSetGenerator.matrix(clusters(), dirs()), '{{path.basename}}-{{env}}');
      expect(error(() => Testing.synth(chart))).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/set] spec.template.metadata.name '{{path.basename}}-{{env}}' uses 'env', which is not produced by the generators; they produce: metadata.annotations.*, metadata.labels.*, name, nameNormalized, path, path.basename, path.basenameNormalized, path[*], project, server; use one of those, or produce it with the generators (e.g. a list element key or values)"
      `);
    });
  });
});
