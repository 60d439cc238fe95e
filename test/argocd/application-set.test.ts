import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AppProject } from '../../lib/argocd/app-project';
import {
  ApplicationSet, ApplicationSetProps, ApplicationSetStrategy, ApplicationsSyncPolicy, DeletionOrder,
  GoTemplateOption, MaxUpdate, RollingSyncOperator,
} from '../../lib/argocd/application-set';
import { ApplicationSource } from '../../lib/argocd/application-source';
import { Destination } from '../../lib/argocd/destination';
import { ApplicationSetGenerator } from '../../lib/argocd/generators/generator';
import { schemaProblems } from '../support/crds';
import { thrownMessage } from '../support/errors';

const REPO = 'https://github.com/myorg/infra.git';

function setup() {
  const chart = Testing.chart();
  const project = AppProject.fromProjectName(chart, 'proj', 'team-a');
  return { chart, project };
}

function synth(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
  expect(schemaProblems(manifests)).toEqual([]);
  return manifests;
}

const envs = () => ApplicationSetGenerator.list({ elements: [{ env: 'dev' }, { env: 'prod' }] });

function appSet(chart: Chart, project: any, overrides: Partial<ApplicationSetProps> = {}, template: any = {}): ApplicationSet {
  return new ApplicationSet(chart, 'api', {
    generators: [envs()],
    ...overrides,
    template: {
      name: 'api-{{env}}',
      project,
      source: ApplicationSource.git({ repoUrl: REPO, targetRevision: 'main', path: 'apps/api/{{env}}' }),
      destination: Destination.clusterName('{{env}}', 'api'),
      ...template,
    },
  });
}

describe('ApplicationSet', () => {
  test('synthesizes generators, template, and defaults', () => {
    // GIVEN
    const { chart, project } = setup();
    // WHEN
    appSet(chart, project);
    // THEN
    const [m] = synth(chart);
    expect(m).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'api', namespace: 'argocd' },
      spec: {
        generators: [{ list: { elements: [{ env: 'dev' }, { env: 'prod' }] } }],
        template: {
          metadata: { name: 'api-{{env}}' },
          spec: {
            project: 'team-a',
            source: { repoURL: REPO, targetRevision: 'main', path: 'apps/api/{{env}}' },
            destination: { name: '{{env}}', namespace: 'api' },
          },
        },
      },
    });
  });

  test('goTemplate writes missingkey=error by default', () => {
    const { chart, project } = setup();
    appSet(chart, project, { goTemplate: true }, { name: 'api-{{ .env }}', source: ApplicationSource.git({ repoUrl: REPO, path: 'apps/{{ .env }}' }), destination: Destination.clusterName('{{ .env }}') });
    const [m] = synth(chart);
    expect(m.spec.goTemplate).toBe(true);
    expect(m.spec.goTemplateOptions).toEqual(['missingkey=error']);
  });

  test('goTemplateOptions can be set explicitly, also to none', () => {
    const { chart, project } = setup();
    appSet(chart, project, { goTemplate: true, goTemplateOptions: [] }, { name: 'api-{{ .env }}', source: ApplicationSource.git({ repoUrl: REPO, path: 'apps' }), destination: Destination.inCluster() });
    const [m] = synth(chart);
    expect(m.spec.goTemplateOptions).toBeUndefined();
    expect(GoTemplateOption.custom('missingkey=zero').value).toBe('missingkey=zero');
  });

  test('writes syncPolicy, strategy, ignoreApplicationDifferences, preservedFields, labels', () => {
    const { chart, project } = setup();
    appSet(chart, project, {
      labels: { team: 'a' },
      annotations: { note: 'x' },
      syncPolicy: { preserveResourcesOnDeletion: true, applicationsSync: ApplicationsSyncPolicy.CREATE_UPDATE },
      strategy: ApplicationSetStrategy.rollingSync({
        steps: [
          { matchExpressions: [{ key: 'env', operator: RollingSyncOperator.IN, values: ['dev'] }], maxUpdate: MaxUpdate.count(1) },
          { matchExpressions: [{ key: 'env', operator: RollingSyncOperator.NOT_IN, values: ['dev'] }], maxUpdate: MaxUpdate.percent(25) },
        ],
        deletionOrder: DeletionOrder.REVERSE,
      }),
      ignoreApplicationDifferences: [{ name: 'api-dev', jsonPointers: ['/spec/source/targetRevision'] }, { jqPathExpressions: ['.spec.source.helm.values'] }],
      preservedFields: { annotations: ['a'], labels: ['b'] },
    }, { labels: { env: '{{env}}' }, finalizers: ['resources-finalizer.argocd.argoproj.io'] });
    const [m] = synth(chart);
    expect(m.metadata).toEqual({ name: 'api', namespace: 'argocd', labels: { team: 'a' }, annotations: { note: 'x' } });
    expect(m.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true, applicationsSync: 'create-update' });
    expect(m.spec.strategy).toEqual({
      type: 'RollingSync',
      deletionOrder: 'Reverse',
      rollingSync: {
        steps: [
          { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }], maxUpdate: 1 },
          { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }], maxUpdate: '25%' },
        ],
      },
    });
    expect(m.spec.ignoreApplicationDifferences).toEqual([{ name: 'api-dev', jsonPointers: ['/spec/source/targetRevision'] }, { jqPathExpressions: ['.spec.source.helm.values'] }]);
    expect(m.spec.preservedFields).toEqual({ annotations: ['a'], labels: ['b'] });
    expect(m.spec.template.metadata).toEqual({ name: 'api-{{env}}', labels: { env: '{{env}}' }, finalizers: ['resources-finalizer.argocd.argoproj.io'] });
  });

  test('allAtOnce strategy', () => {
    const { chart, project } = setup();
    appSet(chart, project, { strategy: ApplicationSetStrategy.allAtOnce({ deletionOrder: DeletionOrder.ALL_AT_ONCE }) });
    const [m] = synth(chart);
    expect(m.spec.strategy).toEqual({ type: 'AllAtOnce', deletionOrder: 'AllAtOnce' });
  });

  test('addGenerator and addSource after construction reach the output', () => {
    const { chart, project } = setup();
    const a = new ApplicationSet(chart, 'api', {
      template: { name: 'api-{{env}}', project, destination: Destination.clusterName('{{env}}') },
    });
    a.addGenerator(envs());
    a.addSource(ApplicationSource.git({ repoUrl: REPO, path: 'apps/{{env}}' }));
    const [m] = synth(chart);
    expect(m.spec.generators).toHaveLength(1);
    expect(m.spec.template.spec.source.path).toBe('apps/{{env}}');
    expect(a.generators).toHaveLength(1);
    expect(a.parameters).toEqual(['env']);
  });

  test('projectName may hold a placeholder', () => {
    const { chart } = setup();
    appSet(chart, undefined, {}, { projectName: '{{env}}' });
    const [m] = synth(chart);
    expect(m.spec.template.spec.project).toBe('{{env}}');
  });

  test('preview() expands the generated Applications', () => {
    const { chart, project } = setup();
    const a = appSet(chart, project);
    expect(a.preview().map((x: any) => x.metadata.name)).toEqual(['api-dev', 'api-prod']);
  });

  test('preview() reads cluster Secrets declared in the same app', () => {
    const { chart, project } = setup();
    new (require('cdk8s').ApiObject)(chart, 'prod-cluster', {
      apiVersion: 'v1', kind: 'Secret',
      metadata: { name: 'prod', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', 'env': 'production' } },
      stringData: { name: 'prod', server: 'https://prod.example.com' },
    });
    const a = new ApplicationSet(chart, 'mon', {
      generators: [ApplicationSetGenerator.clusters({ selector: { matchLabels: { env: 'production' } } })],
      template: {
        name: 'mon-{{name}}', project,
        source: ApplicationSource.git({ repoUrl: REPO, path: 'mon' }),
        destination: Destination.server('{{server}}', 'monitoring'),
      },
    });
    expect(a.preview().map((x: any) => [x.metadata.name, x.spec.destination.server])).toEqual([['mon-prod', 'https://prod.example.com']]);
  });

  describe('checks', () => {
    const synthError = (chart: Chart): string => thrownMessage(() => Testing.synth(chart));
    const ctorError = thrownMessage;

    test('fails when a template placeholder is not produced by the generators', () => {
      const { chart, project } = setup();
      appSet(chart, project, {}, { name: 'api-{{envv}}' });
      expect(synthError(chart)).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/api] spec.template.metadata.name 'api-{{envv}}' uses 'envv', which is not produced by the generators; they produce: env; use one of those, or produce it with the generators (e.g. a list element key or values)"
      `);
    });

    test('fails when a goTemplate field is not produced by the generators', () => {
      const { chart, project } = setup();
      appSet(chart, project, { goTemplate: true }, { name: 'api-{{ .cluster }}', source: ApplicationSource.git({ repoUrl: REPO, path: 'apps' }), destination: Destination.inCluster() });
      expect(synthError(chart)).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/api] spec.template.metadata.name 'api-{{ .cluster }}' uses '.cluster', which is not produced by the generators; they produce: .env; use one of those, or produce it with the generators (e.g. a list element key or values)"
      `);
    });

    test('fails when a templatePatch placeholder is not produced by the generators', () => {
      const { chart, project } = setup();
      appSet(chart, project, { goTemplate: true, templatePatch: 'spec:\n  syncPolicy:\n    automated:\n      selfHeal: {{ eq .environment "dev" }}\n' }, { name: 'api-{{ .env }}', source: ApplicationSource.git({ repoUrl: REPO, path: 'apps' }), destination: Destination.inCluster() });
      expect(synthError(chart)).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/api] spec.templatePatch 'spec:
          syncPolicy:
            automated:
              selfHeal: {{ eq .environment "dev" }}
        ' uses '.environment', which is not produced by the generators; they produce: .env; use one of those, or produce it with the generators (e.g. a list element key or values)"
      `);
    });

    test('fails when a placeholder is not produced by every top-level generator', () => {
      const { chart, project } = setup();
      appSet(chart, project, { generators: [envs(), ApplicationSetGenerator.list({ elements: [{ name: 'x' }] })] });
      expect(synthError(chart)).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/api] spec.template.metadata.name 'api-{{env}}' uses 'env', which is not produced by spec.generators[1] (list); they produce: name; use one of those, or produce it with the generators (e.g. a list element key or values)
          [test/api] spec.template.spec.destination.name '{{env}}' uses 'env', which is not produced by spec.generators[1] (list); they produce: name; use one of those, or produce it with the generators (e.g. a list element key or values)
          [test/api] spec.template.spec.source.path 'apps/api/{{env}}' uses 'env', which is not produced by spec.generators[1] (list); they produce: name; use one of those, or produce it with the generators (e.g. a list element key or values)"
      `);
    });

    test('fails when a fasttemplate placeholder holds an expression', () => {
      const { chart, project } = setup();
      appSet(chart, project, {}, { annotations: { heal: "{{ eq env 'dev' }}" } });
      expect(synthError(chart)).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/api] spec.template.metadata.annotations.heal '{{ eq env 'dev' }}' uses 'eq env 'dev'', which is not produced by the generators (fasttemplate has no expressions; set goTemplate: true for Go templates); they produce: env; use one of those, or produce it with the generators (e.g. a list element key or values)"
      `);
    });

    test('fails when a boolean field holds a placeholder', () => {
      const { chart, project } = setup();
      expect(ctorError(() => appSet(chart, project, {}, { syncPolicy: { automated: { selfHeal: "{{ eq env 'dev' }}" as any } } }))).toMatchInlineSnapshot(`"[test/api] spec.template.spec.syncPolicy.automated.selfHeal '{{ eq env 'dev' }}' is not a boolean; to vary it per generated Application use templatePatch"`);
    });

    test('fails when a number field holds a placeholder', () => {
      const { chart, project } = setup();
      expect(ctorError(() => appSet(chart, project, {}, { revisionHistoryLimit: '{{limit}}' as any }))).toMatchInlineSnapshot(`"[test/api] spec.template.spec.revisionHistoryLimit '{{limit}}' is not a string field in the CRD and cannot hold a placeholder; set it per generated Application with templatePatch"`);
    });

    test('fails when templatePatch is set without goTemplate', () => {
      const { chart, project } = setup();
      expect(ctorError(() => appSet(chart, project, { templatePatch: 'spec: {}' }))).toMatchInlineSnapshot(`"[test/api] spec.templatePatch 'spec: {}' needs goTemplate; set goTemplate: true (Argo CD renders templatePatch with Go templates only)"`);
    });

    test('fails when goTemplateOptions are set without goTemplate', () => {
      const { chart, project } = setup();
      expect(ctorError(() => appSet(chart, project, { goTemplateOptions: [GoTemplateOption.MISSING_KEY_ERROR] }))).toMatchInlineSnapshot(`"[test/api] spec.goTemplateOptions ["missingkey=error"] has no effect without goTemplate; set goTemplate: true or remove the options"`);
    });

    test('fails when there is no generator', () => {
      const { chart, project } = setup();
      appSet(chart, project, { generators: [] });
      expect(synthError(chart)).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/api] spec.generators is empty: an ApplicationSet needs at least one generator; pass generators or call addGenerator() (Python: add_generator(), Go: AddGenerator())"
      `);
    });

    test('fails when the template has no source', () => {
      const { chart, project } = setup();
      appSet(chart, project, {}, { source: undefined });
      expect(synthError(chart)).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/api] spec.template.spec.source is missing: the template needs at least one source; pass source, sources or sourceHydrator, or call addSource() (Python: add_source(), Go: AddSource())"
      `);
    });

    test('fails when the template has no project', () => {
      const { chart } = setup();
      expect(ctorError(() => appSet(chart, undefined))).toMatchInlineSnapshot(`"[test/api] spec.template.spec.project undefined is missing; give project (an AppProject or AppProject.fromProjectName() (Python: AppProject.from_project_name(), Go: AppProject_FromProjectName())) or projectName (may hold a placeholder)"`);
    });

    test('fails when both project and projectName are set', () => {
      const { chart, project } = setup();
      expect(ctorError(() => appSet(chart, project, {}, { projectName: '{{env}}' }))).toMatchInlineSnapshot(`"[test/api] spec.template.spec.project '{{env}}' is set together with project; give project or projectName, not both"`);
    });

    test('fails when a generated name is not a valid Kubernetes name', () => {
      const { chart, project } = setup();
      appSet(chart, project, { generators: [ApplicationSetGenerator.list({ elements: [{ env: 'Dev_1' }] })] });
      expect(synthError(chart)).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/api] spec.template.metadata.name generates 'api-Dev_1', which is not a valid Kubernetes name; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. normalize the parameter, or use nameNormalized)"
      `);
    });

    test('fails when two generated Applications have the same name', () => {
      const { chart, project } = setup();
      appSet(chart, project, { generators: [ApplicationSetGenerator.list({ elements: [{ env: 'dev' }, { env: 'dev' }] })] });
      expect(synthError(chart)).toMatchInlineSnapshot(`
        "Validation failed with the following errors:
          [test/api] spec.generators cannot be expanded: ApplicationSet api contains applications with duplicate name: api-dev; fix the template or the generators' input"
      `);
    });

    test('fails when a generator is added twice', () => {
      const { chart, project } = setup();
      const g = envs();
      expect(ctorError(() => appSet(chart, project, { generators: [g, g] }))).toMatchInlineSnapshot(`"[test/api] spec.generators[1] 'list' is already added"`);
    });

    test('fails when the template name is not a valid name', () => {
      const { chart, project } = setup();
      expect(ctorError(() => appSet(chart, project, {}, { name: 'API' }))).toMatchInlineSnapshot(`"[test/api] spec.template.metadata.name 'API' is not a valid Kubernetes name; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"`);
    });

    test('fails when a rolling sync step uses another operator', () => {
      expect(ctorError(() => ApplicationSetStrategy.rollingSync({ steps: [{ matchExpressions: [{ key: 'env', operator: 'Exists' as any, values: ['x'] }] }] }))).toMatchInlineSnapshot(`"spec.strategy.rollingSync.steps[0].matchExpressions[0].operator 'Exists' is not allowed; rolling sync steps support In and NotIn only (RollingSyncOperator)"`);
    });

    test('fails when a rolling sync has no steps', () => {
      expect(ctorError(() => ApplicationSetStrategy.rollingSync({ steps: [] }))).toMatchInlineSnapshot(`"spec.strategy.rollingSync.steps [] is empty; give at least one step"`);
    });

    test('fails when maxUpdate is more than 100%', () => {
      // Argo CD v3.5.1 ApplicationSetRolloutStep.MaxUpdate is an *intstr.IntOrString: an int32
      expect(ctorError(() => MaxUpdate.count(2 ** 31))).toBe("spec.strategy.rollingSync.steps[].maxUpdate 2147483648 is out of the range of Go's int32, the type the field is read into; use a whole number from 0 to 2147483647");
      expect(MaxUpdate.count(2 ** 31 - 1).value).toBe(2 ** 31 - 1);
      expect(ctorError(() => MaxUpdate.percent(120))).toMatchInlineSnapshot(`"spec.strategy.rollingSync.steps[].maxUpdate '120%' is more than 100%; use 0 to 100"`);
    });

    test('fails when an ignoreApplicationDifferences entry ignores nothing', () => {
      const { chart, project } = setup();
      expect(ctorError(() => appSet(chart, project, { ignoreApplicationDifferences: [{ name: 'x' }] }))).toMatchInlineSnapshot(`"[test/api] spec.ignoreApplicationDifferences[0] {"name":"x"} ignores nothing; give jsonPointers or jqPathExpressions"`);
    });
  });

  test('property: the placeholder check accepts exactly the templates whose keys the list produces', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
    fc.assert(fc.property(
      fc.uniqueArray(key, { minLength: 1, maxLength: 4 }),
      fc.uniqueArray(key, { minLength: 1, maxLength: 4 }),
      (produced, used) => {
        const chart = Testing.chart();
        const project = AppProject.fromProjectName(chart, 'proj', 'team-a');
        const element: { [k: string]: string } = {};
        for (const k of produced) element[k] = 'v';
        new ApplicationSet(chart, 'a', {
          generators: [ApplicationSetGenerator.list({ elements: [element] })],
          template: {
            name: 'app',
            project,
            source: ApplicationSource.git({ repoUrl: REPO, path: used.map((k) => `{{${k}}}`).join('/') }),
            destination: Destination.inCluster(),
          },
        });
        const ok = used.every((k) => produced.includes(k));
        let threw = false;
        try {
          Testing.synth(chart);
        } catch (e: any) {
          threw = /which is not produced by the generators/.test(e.message);
        }
        return threw === !ok;
      },
    ), { numRuns: 60 });
  });
});
