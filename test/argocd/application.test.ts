import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import {
  AppProject, Application, ApplicationFinalizer, ApplicationSource, Destination, HelmValues,
  SyncOption,
} from '../../lib';
import { ValidationError } from '../../lib/errors';
import { schemaProblems } from '../support/crds';

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

describe('Application', () => {
  test('synthesizes name, namespace, project, source and destination', () => {
    // GIVEN
    const { chart, project } = setup();
    // WHEN
    const app = new Application(chart, 'api', {
      project,
      source: ApplicationSource.git({ repoUrl: REPO, targetRevision: 'main', path: 'apps/api' }),
      destination: Destination.server('https://prod.example.com', 'api'),
    });
    // THEN
    const [m] = synth(chart);
    expect(m).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'api', namespace: 'argocd' },
      spec: {
        project: 'team-a',
        source: { repoURL: REPO, targetRevision: 'main', path: 'apps/api' },
        destination: { server: 'https://prod.example.com', namespace: 'api' },
      },
    });
    expect(app.name).toBe('api');
    expect(app.namespace).toBe('argocd');
    expect(app.projectName).toBe('team-a');
  });

  test('an empty namespace leaves metadata.namespace out', () => {
    const { chart, project } = setup();
    const app = new Application(chart, 'api', {
      namespace: '',
      project,
      source: ApplicationSource.git({ repoUrl: REPO, path: 'apps/api' }),
      destination: Destination.clusterName('prod', 'api'),
    });
    const [m] = synth(chart);
    expect(m.metadata).toEqual({ name: 'api' });
    expect(m.spec.destination).toEqual({ name: 'prod', namespace: 'api' });
    expect(app.namespace).toBeUndefined();
  });

  test('a second source switches to spec.sources, and $ref value files resolve', () => {
    const { chart, project } = setup();
    const app = new Application(chart, 'api', {
      project,
      source: ApplicationSource.helmChart({
        repoUrl: 'oci://registry.example.com/charts', chart: 'api', version: '2.0.1',
        valueFiles: ['$values/apps/api/values-prod.yaml'],
      }),
      destination: Destination.inCluster('api'),
    });
    app.addSource(ApplicationSource.ref({ repoUrl: REPO, targetRevision: 'main', ref: 'values' }));
    const [m] = synth(chart);
    expect(m.spec.source).toBeUndefined();
    expect(m.spec.sources).toEqual([
      { repoURL: 'oci://registry.example.com/charts', chart: 'api', targetRevision: '2.0.1', helm: { valueFiles: ['$values/apps/api/values-prod.yaml'] } },
      { repoURL: REPO, targetRevision: 'main', ref: 'values' },
    ]);
  });

  test('mutators called after construction reach the output', () => {
    const { chart, project } = setup();
    const app = new Application(chart, 'api', {
      project,
      source: ApplicationSource.git({ repoUrl: REPO, path: 'apps/api' }),
      destination: Destination.inCluster('api'),
    });
    app.addSyncOption(SyncOption.SERVER_SIDE_APPLY);
    app.addFinalizer(ApplicationFinalizer.RESOURCES_BACKGROUND);
    app.addInfo('owner', 'team-a');
    app.addIgnoreDifference({ kind: 'Secret', jqPathExpressions: ['.data'] });
    const [m] = synth(chart);
    expect(m.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io/background']);
    expect(m.spec.syncPolicy).toEqual({ syncOptions: ['ServerSideApply=true'] });
    expect(m.spec.info).toEqual([{ name: 'owner', value: 'team-a' }]);
    expect(m.spec.ignoreDifferences).toEqual([{ kind: 'Secret', jqPathExpressions: ['.data'] }]);
  });

  test('renders Kustomize, directory, plugin and Helm options to the CRD schema', () => {
    const { chart, project } = setup();
    new Application(chart, 'kustomize', {
      project,
      destination: Destination.inCluster('a'),
      source: ApplicationSource.kustomize({
        repoUrl: REPO, path: 'apps/a', nameSuffix: '-v2', namespace: 'a', components: ['../../components/x'],
        replicas: [{ name: 'web', count: 3 }],
        patches: [{ target: { kind: 'Deployment', name: 'web' }, patch: '- op: replace\n  path: /spec/replicas\n  value: 2\n' }],
      }),
    });
    new Application(chart, 'directory', {
      project,
      destination: Destination.inCluster('a'),
      source: ApplicationSource.git({
        repoUrl: REPO, path: 'apps/b',
        directory: { recurse: true, include: '*.yaml', exclude: 'test-*', jsonnetTlas: [{ name: 'env', value: 'prod' }], jsonnetLibs: ['vendor'] },
      }),
    });
    new Application(chart, 'plugin', {
      project,
      destination: Destination.inCluster('a'),
      source: ApplicationSource.plugin({
        repoUrl: REPO, path: 'apps/c', pluginName: 'cdk8s', env: { ENV: 'prod' },
        parameters: [{ name: 'list', array: ['a', 'b'] }, { name: 'm', map: { k: 'v' } }],
      }),
    });
    new Application(chart, 'helm', {
      project,
      destination: Destination.inCluster('a'),
      source: ApplicationSource.git({
        repoUrl: REPO, path: 'charts/d',
        helm: {
          valuesObject: { replicaCount: 2 }, skipCrds: true, fileParameters: [{ name: 'config', path: 'files/config.json' }],
          parameters: [{ name: 'x', value: 'yes', forceString: true }],
        },
      }),
    });
    const ms = synth(chart);
    expect(ms.map((m) => Object.keys(m.spec.source).sort())).toEqual([
      ['kustomize', 'path', 'repoURL'],
      ['directory', 'path', 'repoURL'],
      ['path', 'plugin', 'repoURL'],
      ['helm', 'path', 'repoURL'],
    ]);
    expect(ms[0].spec.source.kustomize.replicas).toEqual([{ name: 'web', count: 3 }]);
    expect(ms[2].spec.source.plugin).toEqual({
      name: 'cdk8s', env: [{ name: 'ENV', value: 'prod' }],
      parameters: [{ name: 'list', array: ['a', 'b'] }, { name: 'm', map: { k: 'v' } }],
    });
    expect(ms[3].spec.source.helm.parameters).toEqual([{ name: 'x', value: 'yes', forceString: true }]);
  });

  test('HelmValues.fromObject writes YAML text that keeps look-alike strings strings', () => {
    const { chart, project } = setup();
    new Application(chart, 'api', {
      project,
      destination: Destination.inCluster('a'),
      source: ApplicationSource.helmChart({
        repoUrl: 'https://charts.example.com', chart: 'api', version: '1.0.0',
        values: HelmValues.fromObject({ enabled: 'yes', port: '8080', n: 3 }),
      }),
    });
    const [m] = synth(chart);
    expect(m.spec.source.helm.values).toBe("enabled: 'yes'\nport: '8080'\n'n': 3\n");
  });

  test('tagPrefix narrows the tags a semver targetRevision is resolved against', () => {
    const { chart, project } = setup();
    new Application(chart, 'api', {
      project,
      source: ApplicationSource.git({ repoUrl: REPO, targetRevision: '1.0.*', tagPrefix: 'component-b/', path: 'apps/api' }),
      destination: Destination.inCluster('api'),
    });
    const [m] = synth(chart);
    expect(m.spec.source).toEqual({ repoURL: REPO, targetRevision: '1.0.*', tagPrefix: 'component-b/', path: 'apps/api' });
  });

  describe('errors', () => {
    const source = ApplicationSource.git({ repoUrl: REPO, path: 'apps/api' });
    const destination = Destination.inCluster('api');

    test('fails when the name is not a Kubernetes name', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { name: 'API_1', project, source, destination }))
        .toThrow("[test/api] metadata.name 'API_1' is not a valid Kubernetes name; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
    });

    test('fails when the destination namespace is invalid', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { project, source, destination: Destination.inCluster('Prod') }))
        .toThrow("[test/api] spec.destination.namespace 'Prod' is not a valid namespace; use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit");
    });

    test('fails when source and sources are both set', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { project, source, sources: [source], destination }))
        .toThrow(`[test/api] spec.source '${REPO}' and spec.sources are both set; use source for one, sources for several`);
    });

    test('fails when tagPrefix has no targetRevision to filter tags for', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { project, source: ApplicationSource.git({ repoUrl: REPO, tagPrefix: 'component-b/', path: 'apps/api' }), destination }))
        .toThrow("[test/api] spec.source.tagPrefix 'component-b/' only filters the tags a semver targetRevision is resolved against, and targetRevision is not set; set it to a constraint such as '1.0.*', or remove tagPrefix");
    });

    test('fails at synthesis when there is no source', () => {
      const { chart, project } = setup();
      new Application(chart, 'api', { project, destination });
      expect(() => Testing.synth(chart)).toThrow('[test/api] spec.source is missing: an Application needs at least one source; pass source, sources or sourceHydrator, or call addSource() (Python: add_source(), Go: AddSource())');
    });

    test('fails when two sync options set the same key', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', {
        project, source, destination,
        syncPolicy: { syncOptions: [SyncOption.PRUNE_PROPAGATION_FOREGROUND, SyncOption.PRUNE_PROPAGATION_BACKGROUND] },
      })).toThrow("[test/api] spec.syncPolicy.syncOptions 'PrunePropagationPolicy=background' conflicts with 'PrunePropagationPolicy=foreground'; keep one value for PrunePropagationPolicy");
    });

    test('fails when a sync option is added twice', () => {
      const { chart, project } = setup();
      const app = new Application(chart, 'api', { project, source, destination, syncPolicy: { syncOptions: [SyncOption.CREATE_NAMESPACE] } });
      expect(() => app.addSyncOption(SyncOption.CREATE_NAMESPACE)).toThrow("[test/api] spec.syncPolicy.syncOptions 'CreateNamespace=true' is already set");
    });

    test('fails when a custom sync option is not Key=value', () => {
      expect(() => SyncOption.custom('CreateNamespace')).toThrow("syncOption 'CreateNamespace' is not of the form Key=value (for example CreateNamespace=true)");
      expect(() => SyncOption.custom('CreateNamespace')).toThrow(ValidationError);
    });

    test('fails when the retry limit is not an integer', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { project, source, destination, syncPolicy: { retry: { limit: 1.5 } } }))
        .toThrow('[test/api] spec.syncPolicy.retry.limit 1.5 is not an integer; use a whole number');
    });

    // Argo CD v3.5.1 pkg/apis/application/v1alpha1/types.go: RetryStrategy.Limit int64,
    // Backoff.Factor *int64, ApplicationSpec.RevisionHistoryLimit *int64
    test('fails when the retry limit is beyond Go\'s int64 (written as 1e+21 or 9223372036854775808, which Go cannot decode)', () => {
      const { chart, project } = setup();
      const range = "is out of the range of Go's int64, the type the field is read into; use a whole number from -9223372036854775808 to 9223372036854775807";
      expect(() => new Application(chart, 'a', { project, source, destination, syncPolicy: { retry: { limit: 1e21 } } }))
        .toThrow(`[test/a] spec.syncPolicy.retry.limit 1e+21 ${range}`);
      expect(() => new Application(chart, 'b', { project, source, destination, syncPolicy: { retry: { limit: 2 ** 63 } } }))
        .toThrow(`[test/b] spec.syncPolicy.retry.limit 9223372036854776000 ${range}`);
      expect(() => new Application(chart, 'c', { project, source, destination, syncPolicy: { retry: { limit: -(2 ** 63) - 4096 } } }))
        .toThrow(`[test/c] spec.syncPolicy.retry.limit -9223372036854780000 ${range}`);
      expect(() => new Application(chart, 'd', { project, source, destination, revisionHistoryLimit: 2 ** 63 }))
        .toThrow("[test/d] spec.revisionHistoryLimit 9223372036854776000 is out of the range of Go's int64, the type the field is read into; use a whole number from 0 to 9223372036854775807");
      expect(() => new Application(chart, 'e', { project, source, destination, syncPolicy: { retry: { backoff: { factor: 2 ** 64 } } } }))
        .toThrow("[test/e] spec.syncPolicy.retry.backoff.factor 18446744073709552000 is out of the range of Go's int64, the type the field is read into; use a whole number from 1 to 9223372036854775807");
    });

    test('accepts the largest and smallest int64 a number holds', () => {
      const { chart, project } = setup();
      const big = new Application(chart, 'a', { project, source, destination, revisionHistoryLimit: 2 ** 63 - 1024, syncPolicy: { retry: { limit: -(2 ** 63) } } });
      const spec = Testing.synth(chart).find((m: any) => m.metadata.name === big.name)!.spec;
      expect(spec.revisionHistoryLimit).toBe(2 ** 63 - 1024);
      expect(spec.syncPolicy.retry.limit).toBe(-(2 ** 63));
    });

    test('fails when a backoff duration is longer than Go\'s longest duration (time.ParseDuration: invalid duration)', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'a', { project, source, destination, syncPolicy: { retry: { backoff: { duration: Duration.days(1e7) } } } }))
        .toThrow("[test/a] spec.syncPolicy.retry.backoff.duration '864000000000000ms' is longer than Go's longest duration, 2562047h47m16s (time.ParseDuration refuses it as an invalid duration); use a shorter duration");
      expect(() => new Application(chart, 'b', { project, source, destination, syncPolicy: { retry: { backoff: { maxDuration: Duration.seconds(9223372037) } } } }))
        .toThrow("[test/b] spec.syncPolicy.retry.backoff.maxDuration '9223372037000ms' is longer than Go's longest duration");
      new Application(chart, 'c', { project, source, destination, syncPolicy: { retry: { backoff: { maxDuration: Duration.seconds(9223372036) } } } });
      expect(Testing.synth(chart).find((m: any) => m.metadata.name === 'c')?.spec.syncPolicy.retry.backoff.maxDuration).toBe('2562047h47m16s');
    });

    test('fails, naming the construct and the field, when a backoff duration is NaN or infinite', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'a', { project, source, destination, syncPolicy: { retry: { backoff: { duration: Duration.seconds(NaN) } } } }))
        .toThrow("[test/a] spec.syncPolicy.retry.backoff.duration 'NaNms' is not a finite duration; use Duration.seconds(), Duration.minutes() or Duration.hours() with a finite number");
      expect(() => new Application(chart, 'b', { project, source, destination, syncPolicy: { retry: { backoff: { maxDuration: Duration.hours(Infinity) } } } }))
        .toThrow("[test/b] spec.syncPolicy.retry.backoff.maxDuration 'Infinityms' is not a finite duration");
    });

    test('fails when Helm values hold NaN or Infinity, which Go\'s YAML reader cannot read (.nan, .inf)', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'a', { project, destination, source: ApplicationSource.helmChart({ repoUrl: REPO, chart: 'c', version: '1.0.0', valuesObject: { a: { b: [1, NaN] } } }) }))
        .toThrow("[test/a] spec.source.helm.valuesObject.a.b[1] NaN is not a finite number; Go's YAML reader (sigs.k8s.io/yaml) cannot read .nan or .inf and would refuse the whole file; use a finite number or a string");
      expect(() => HelmValues.fromObject({ x: Infinity })).toThrow('helm values.x Infinity is not a finite number');
    });

    test('fails when a backoff duration is not whole seconds', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { project, source, destination, syncPolicy: { retry: { backoff: { duration: Duration.millis(1500) } } } }))
        .toThrow("[test/api] spec.syncPolicy.retry.backoff.duration '1500ms' is not a positive whole number of seconds; use Duration.seconds(), Duration.minutes() or Duration.hours()");
    });

    test('fails when the first backoff wait is longer than the longest', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', {
        project, source, destination,
        syncPolicy: { retry: { backoff: { duration: Duration.minutes(5), maxDuration: Duration.minutes(3) } } },
      })).toThrow("[test/api] spec.syncPolicy.retry.backoff.duration '5m' is longer than maxDuration '3m'; make maxDuration at least the first wait");
    });

    test('fails when managedNamespaceMetadata is set without CreateNamespace', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', {
        project, source, destination, syncPolicy: { managedNamespaceMetadata: { labels: { team: 'a' } } },
      })).toThrow('[test/api] spec.syncPolicy.managedNamespaceMetadata {"labels":{"team":"a"}} has no effect without SyncOption.CREATE_NAMESPACE; add that option or remove the metadata');
    });

    test('fails when an ignoreDifferences entry ignores nothing', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { project, source, destination, ignoreDifferences: [{ group: 'apps', kind: 'Deployment' }] }))
        .toThrow("[test/api] spec.ignoreDifferences[0] 'Deployment' ignores nothing; give jsonPointers, jqPathExpressions or managedFieldsManagers");
    });

    test('fails when a JSON pointer does not start with /', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { project, source, destination, ignoreDifferences: [{ kind: 'Deployment', jsonPointers: ['spec/replicas'] }] }))
        .toThrow("[test/api] spec.ignoreDifferences[0].jsonPointers[0] 'spec/replicas' is not a JSON pointer; it must start with '/', e.g. '/spec/replicas'");
    });

    test('fails when a git source is rendered two ways', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', {
        project, destination,
        source: ApplicationSource.git({ repoUrl: REPO, path: 'a', helm: { releaseName: 'a' }, kustomize: { namePrefix: 'a-' } }),
      })).toThrow("[test/api] spec.source 'helm, kustomize' are mutually exclusive: a source is rendered one way; keep one of directory, helm, kustomize, plugin");
    });

    test('fails when a path leaves the repository', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { project, destination, source: ApplicationSource.git({ repoUrl: REPO, path: '../other' }) }))
        .toThrow("[test/api] spec.source.path '../other' must be relative to the repository root and stay inside it; remove the leading '/' or '..'");
    });

    test('fails when the repo URL is empty', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { project, destination, source: ApplicationSource.git({ repoUrl: ' ', path: 'a' }) }))
        .toThrow("[test/api] spec.source.repoURL ' ' must be a non-empty string");
    });

    test('fails when a Helm parameter is set twice', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', {
        project, destination,
        source: ApplicationSource.helmChart({ repoUrl: 'https://c', chart: 'c', version: '1', parameters: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] }),
      })).toThrow("[test/api] spec.source.helm.parameters[1].name 'a' is set twice; keep one value per parameter");
    });

    test('fails when a value file refers to a ref no source has', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', {
        project, destination,
        sources: [
          ApplicationSource.helmChart({ repoUrl: 'https://c', chart: 'c', version: '1', valueFiles: ['$values/prod.yaml'] }),
          ApplicationSource.ref({ repoUrl: REPO, ref: 'config' }),
        ],
      })).toThrow("[test/api] spec.sources[0].helm.valueFiles[0] '$values/prod.yaml' refers to source ref 'values', which no source of this Application has (refs: config); add ApplicationSource.ref({ repoUrl, ref: 'values' })");
    });

    test('fails when a reference-only source has no ref', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { project, destination, source: ApplicationSource.ref({ repoUrl: REPO }) }))
        .toThrow("[test/api] spec.source.ref undefined is required for a reference-only source; set ref, e.g. 'values'");
    });

    test('fails when both resources finalizers are set', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', {
        project, source, destination, finalizers: [ApplicationFinalizer.RESOURCES, ApplicationFinalizer.RESOURCES_BACKGROUND],
      })).toThrow("[test/api] metadata.finalizers 'resources-finalizer.argocd.argoproj.io/background' conflicts with the other resources finalizer; keep one of RESOURCES and RESOURCES_BACKGROUND");
    });

    test('fails when a plugin parameter has no value or two', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', {
        project, destination,
        source: ApplicationSource.plugin({ repoUrl: REPO, path: 'a', parameters: [{ name: 'p', string: 'a', array: ['b'] }] }),
      })).toThrow("[test/api] spec.source.plugin.parameters[0] 'p' must have exactly one of string, array or map (has string, array)");
    });

    test('fails when revisionHistoryLimit is negative', () => {
      const { chart, project } = setup();
      expect(() => new Application(chart, 'api', { project, source, destination, revisionHistoryLimit: -1 }))
        .toThrow('[test/api] spec.revisionHistoryLimit -1 is less than 0; use 0 or more');
    });
  });
});
