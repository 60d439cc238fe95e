import * as os from 'os';
import { Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  AppProject, Application, ApplicationFinalizer, ApplicationProps, ApplicationSource, ArgoCdApp,
  Destination, HelmValues, SyncOption,
} from '../../lib';
import { ValidationError } from '../../lib/errors';
import { dumpYaml, loadYamlDocuments } from '../../lib/_internal/yaml';
import { schemaProblems } from '../support/crds';

const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/);
const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '' && !s.includes('{{'));
const relPath = fc.array(label, { minLength: 1, maxLength: 4 }).map((a) => a.join('/'));
const repoUrl = label.map((l) => `https://git.example.com/${l}.git`);

const source = fc.oneof(
  fc.record({ repoUrl, path: relPath, targetRevision: fc.option(text, { nil: undefined }), recurse: fc.option(fc.boolean(), { nil: undefined }) })
    .map((o) => ApplicationSource.git({ repoUrl: o.repoUrl, path: o.path, targetRevision: o.targetRevision, directory: o.recurse === undefined ? undefined : { recurse: o.recurse } })),
  fc.record({ chart: label, version: text, releaseName: fc.option(label, { nil: undefined }), values: fc.dictionary(label, text, { maxKeys: 3 }) })
    .map((o) => ApplicationSource.helmChart({ repoUrl: 'https://charts.example.com', chart: o.chart, version: o.version, releaseName: o.releaseName, values: HelmValues.fromObject(o.values) })),
  fc.record({ repoUrl, path: relPath, namePrefix: fc.option(label, { nil: undefined }), images: fc.array(label, { maxLength: 2 }) })
    .map((o) => ApplicationSource.kustomize({ repoUrl: o.repoUrl, path: o.path, namePrefix: o.namePrefix, images: o.images })),
);

const syncOptions = fc.subarray([
  SyncOption.CREATE_NAMESPACE, SyncOption.PRUNE_LAST, SyncOption.APPLY_OUT_OF_SYNC_ONLY, SyncOption.SERVER_SIDE_APPLY,
  SyncOption.SKIP_SCHEMA_VALIDATION, SyncOption.FAIL_ON_SHARED_RESOURCE, SyncOption.RESPECT_IGNORE_DIFFERENCES,
  SyncOption.PRUNE_PROPAGATION_ORPHAN, SyncOption.DELETE_CONFIRM, SyncOption.DISABLE_CLIENT_SIDE_APPLY_MIGRATION,
]);

const validProps = fc.record({
  name: label,
  namespace: fc.option(label, { nil: undefined }),
  sources: fc.array(source, { minLength: 1, maxLength: 3 }),
  server: fc.boolean(),
  destNamespace: fc.option(label, { nil: undefined }),
  automated: fc.option(fc.record({ prune: fc.option(fc.boolean(), { nil: undefined }), selfHeal: fc.option(fc.boolean(), { nil: undefined }) }), { nil: undefined }),
  syncOptions,
  retryLimit: fc.option(fc.integer({ min: -1, max: 10 }), { nil: undefined }),
  backoffSeconds: fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
  pointers: fc.array(relPath.map((p) => `/${p}`), { maxLength: 2 }),
  info: fc.dictionary(label, text, { maxKeys: 3 }),
  finalizer: fc.boolean(),
});

type Valid = typeof validProps extends fc.Arbitrary<infer T> ? T : never;

function toProps(scope: Chart, v: Valid): ApplicationProps {
  return {
    name: v.name,
    namespace: v.namespace,
    project: AppProject.fromProjectName(scope, 'project', 'team-a'),
    sources: v.sources.length > 1 ? v.sources : undefined,
    source: v.sources.length === 1 ? v.sources[0] : undefined,
    destination: v.server ? Destination.server('https://k8s.example.com', v.destNamespace) : Destination.clusterName('prod', v.destNamespace),
    syncPolicy: {
      automated: v.automated,
      syncOptions: v.syncOptions,
      retry: v.retryLimit === undefined ? undefined : { limit: v.retryLimit, backoff: v.backoffSeconds ? { duration: Duration.seconds(v.backoffSeconds), factor: 2, maxDuration: Duration.seconds(v.backoffSeconds * 10) } : undefined },
    },
    ignoreDifferences: v.pointers.length ? [{ group: 'apps', kind: 'Deployment', jsonPointers: v.pointers }] : undefined,
    info: v.info,
    finalizers: v.finalizer ? [ApplicationFinalizer.RESOURCES] : undefined,
  };
}

function synthOne(build: (chart: Chart) => void): any[] {
  const app = new ArgoCdApp({ outdir: os.tmpdir() });
  const chart = new Chart(app, 'c');
  build(chart);
  return app.synthFiles().map((f) => f.content);
}

/** One way to break an otherwise valid Application; each must give a ValidationError. */
const breakers: Array<[string, (p: ApplicationProps) => ApplicationProps]> = [
  ['uppercase name', (p) => ({ ...p, name: `${p.name}X` })],
  ['namespace too long', (p) => ({ ...p, namespace: 'n'.repeat(64) })],
  ['destination namespace with a dot', (p) => ({ ...p, destination: Destination.inCluster('a.b') })],
  ['empty repo URL', (p) => ({ ...p, source: ApplicationSource.git({ repoUrl: '', path: 'a' }), sources: undefined })],
  ['path outside the repository', (p) => ({ ...p, source: ApplicationSource.git({ repoUrl: 'https://x', path: 'a/../../b' }), sources: undefined })],
  ['fractional retry limit', (p) => ({ ...p, syncPolicy: { retry: { limit: 0.5 } } })],
  ['sub-second backoff', (p) => ({ ...p, syncPolicy: { retry: { backoff: { duration: Duration.millis(10) } } } })],
  ['conflicting sync options', (p) => ({ ...p, syncPolicy: { syncOptions: [SyncOption.PRUNE_DISABLED, SyncOption.PRUNE_CONFIRM] } })],
  ['pointer without slash', (p) => ({ ...p, ignoreDifferences: [{ kind: 'Deployment', jsonPointers: ['spec'] }] })],
  ['negative history limit', (p) => ({ ...p, revisionHistoryLimit: -3 })],
  ['no source', (p) => ({ ...p, source: undefined, sources: undefined })],
  ['string as automated flag', (p) => ({ ...p, syncPolicy: { automated: { prune: 'true' as any } } })],
];

describe('Application (property-based)', () => {
  test('random valid Applications synthesize to YAML that parses back and validates strictly', () => {
    fc.assert(fc.property(validProps, (v) => {
      const files = synthOne((chart) => new Application(chart, 'app', toProps(chart, v)));
      expect(files).toHaveLength(1);
      const [doc] = loadYamlDocuments(files[0]);
      expect(dumpYaml(doc)).toBe(files[0]);
      expect(doc.metadata.name).toBe(v.name);
      expect(schemaProblems([doc])).toEqual([]);
    }), { numRuns: 150 });
  });

  test('random invalid Applications give the library\'s error, never another exception and never YAML', () => {
    fc.assert(fc.property(validProps, fc.constantFrom(...breakers), (v, [, breakIt]) => {
      let files: string[] | undefined;
      let error: unknown;
      try {
        files = synthOne((chart) => new Application(chart, 'app', breakIt(toProps(chart, v))));
      } catch (e) {
        error = e;
      }
      expect(files).toBeUndefined();
      expect(ValidationError.isValidationError(error)).toBe(true);
      expect(error).toBeInstanceOf(ValidationError);
    }), { numRuns: 200 });
  });
});
