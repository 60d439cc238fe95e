// constructs: the library's L2 constructs synthesized with random props, written by the library's
// YAML writer, are read by Go (the oracle's `parse`, sigs.k8s.io/yaml) as the rendered objects and
// accepted by the API server (the oracle's `validate`: apiextensions-apiserver v0.36.1 over the
// CRDs folder) with no error and nothing pruned. Props are biased to the boundaries: number-like
// strings in labels, annotations, info and Helm parameters, integers at the edges of their Go
// types, durations up to Go's longest. When the library refuses the props, the refusal must be a
// ValidationError naming the construct path.
import { Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppProject, Application, ApplicationSource, Destination, ProjectDestination, SyncWindowKind } from '../../lib';
import { ExternalSecret } from '../../lib/external-secrets/external-secret';
import { ClusterSecretStore } from '../../lib/external-secrets/secret-store';
import { dumpYaml } from '../../lib/_internal/yaml';
import { ValidationError } from '../../lib/errors';
import { CRDS_DIR } from '../support/crds';
import { argoRuns, oracle, recordCases } from './support/oracle';
import storedCases from '../fixtures/oracle/constructs.json';

const TWELVE = ['0X1F', '+0X1', '0B11', '0O17', '0O_7', '+_1', '0_8', '0_x10', '1e_5', '1e+_5', '1_e_5', '1e1_0'];
const LOOKALIKES = [...TWELVE, 'y', 'N', 'on', 'Off', '~', 'null', 'true', '1e3', '0x10', '017', '1_000', '1:20', '.5', '2024-01-02', '', ' ', '-', '0b-1'];
const anyString = fc.oneof(fc.constantFrom(...LOOKALIKES), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }));
// label values the API server accepts (metadata.labels: a qualified-name-like value, 63 characters at most)
const labelValue = fc.oneof(fc.constantFrom(...LOOKALIKES.filter((s) => /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(s))), fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?$/));
const key = fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,6}[a-z0-9])?$/);
const int64Edge = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 10 }) }, { weight: 1, arbitrary: fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 2 ** 62, 2 ** 63 - 1024, 2 ** 63, 1e21, 2 ** 64) });
const int32Edge = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 10 }) }, { weight: 1, arbitrary: fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32) });
const seconds = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 100000 }) }, { weight: 1, arbitrary: fc.constantFrom(9223372036, 9223372037, 1e7 * 86400) });

const props = fc.record({
  labels: fc.dictionary(key, labelValue, { maxKeys: 4 }),
  annotations: fc.dictionary(key, anyString, { maxKeys: 4 }),
  info: fc.dictionary(fc.oneof(anyString, key).filter((k) => k.trim() !== ''), anyString, { maxKeys: 4 }),
  helm: fc.uniqueArray(fc.record({ name: fc.oneof(key, fc.constantFrom(...TWELVE)), value: anyString }), { maxLength: 4, selector: (h) => h.name }),
  retryLimit: fc.option(int64Edge, { nil: undefined }),
  factor: fc.option(fc.oneof(fc.constant(1), int64Edge), { nil: undefined }),
  backoff: fc.option(seconds, { nil: undefined }),
  maxBackoff: fc.option(seconds, { nil: undefined }),
  revisionHistoryLimit: fc.option(int64Edge, { nil: undefined }),
  replicas: fc.array(int32Edge, { maxLength: 2 }),
  windowSeconds: seconds,
  refreshSeconds: fc.option(fc.oneof(fc.constant(0), seconds), { nil: undefined }),
  secretLabels: fc.dictionary(key, labelValue, { maxKeys: 3 }).map((d) => ({ ...d })),
  secretData: fc.dictionary(key, anyString, { maxKeys: 3 }).map((d) => ({ ...d })),
  remoteKeys: fc.uniqueArray(fc.record({ secretKey: key, remoteKey: fc.oneof(key, fc.constantFrom(...TWELVE)), property: fc.option(fc.oneof(key, fc.constantFrom(...LOOKALIKES)), { nil: undefined }) }), { minLength: 1, maxLength: 3, selector: (d) => d.secretKey }),
  valuesObject: fc.option(fc.dictionary(key, fc.oneof(anyString, fc.double(), fc.integer(), int64Edge, fc.boolean(), fc.constant(null), fc.array(fc.double(), { maxLength: 3 })), { maxKeys: 4 }).map((d) => ({ ...d })), { nil: undefined }),
});

type Props = typeof props extends fc.Arbitrary<infer T> ? T : never;

function build(chart: Chart, p: Props): void {
  const project = new AppProject(chart, 'proj', { name: 'team-a', sourceRepos: ['*'], destinations: [ProjectDestination.server('*', '*')] });
  project.addSyncWindow({ kind: SyncWindowKind.ALLOW, schedule: '0 6 * * *', duration: Duration.seconds(p.windowSeconds), namespaces: ['*'] });
  const helm = p.helm.length > 0 || p.valuesObject ? { parameters: p.helm.length > 0 ? p.helm : undefined, valuesObject: p.valuesObject } : undefined;
  new Application(chart, 'helm', {
    project,
    labels: p.labels,
    annotations: p.annotations,
    info: p.info,
    source: ApplicationSource.git({ repoUrl: 'https://example.com/r.git', path: 'chart', helm }),
    destination: Destination.inCluster('apps'),
    revisionHistoryLimit: p.revisionHistoryLimit,
    syncPolicy: {
      retry: {
        limit: p.retryLimit,
        backoff: p.factor === undefined && p.backoff === undefined && p.maxBackoff === undefined ? undefined : {
          factor: p.factor,
          duration: p.backoff === undefined ? undefined : Duration.seconds(Math.min(p.backoff, p.maxBackoff ?? p.backoff)),
          maxDuration: p.maxBackoff === undefined ? undefined : Duration.seconds(Math.max(p.maxBackoff, p.backoff ?? 0)),
        },
      },
    },
  });
  new ExternalSecret(chart, 'secret', {
    namespace: 'apps',
    store: ClusterSecretStore.fromName(chart, 'store', 'aws'),
    refreshInterval: p.refreshSeconds === undefined ? undefined : Duration.seconds(p.refreshSeconds),
    data: p.remoteKeys,
    template: { labels: p.secretLabels, annotations: p.secretData, data: Object.keys(p.secretData).length > 0 ? p.secretData : undefined },
  });
  if (p.replicas.length > 0) {
    new Application(chart, 'kustomize', {
      project,
      source: ApplicationSource.kustomize({ repoUrl: 'https://example.com/r.git', path: 'k', replicas: p.replicas.map((count, i) => ({ name: `d${i}`, count })) }),
      destination: Destination.inCluster('apps'),
    });
  }
}

/**
 * What a manifest is as JSON, keeping the sign of a negative zero: `JSON.stringify` writes -0 as
 * `0`, but the YAML renders `-0.0` and Go reads (and writes back) -0, so a JSON round trip here
 * would expect a value neither side holds.
 */
function asJson(x: unknown): unknown {
  if (Array.isArray(x)) return x.map((v) => (v === undefined ? null : asJson(v)));
  if (x && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined).map(([k, v]) => [k, asJson(v)]));
  }
  return x;
}

describe('constructs: what the L2 constructs synthesize is read by Go as rendered and kept by the API server', () => {
  it('Application, AppProject and ExternalSecret with random props (property)', async () => {
    let compared = 0;
    let agreed = 0;
    let refused = 0;
    const reasons = new Set<string>();
    await fc.assert(
      fc.asyncProperty(props, async (p) => {
        const chart = Testing.chart();
        let manifests: any[];
        try {
          build(chart, p);
          manifests = Testing.synth(chart);
        } catch (e: any) {
          // a refusal must be the library's own, with the construct path (no cdk8s or Go-less crash)
          expect(e, String(e?.stack)).toBeInstanceOf(ValidationError);
          expect(e.message).toMatch(/^\[test\/(proj|helm|kustomize|secret)\] /);
          refused++;
          reasons.add(e.message.replace(/ [^ ]+ is /, ' _ is ').slice(0, 140));
          return;
        }
        const texts = manifests.map(dumpYaml);
        const parsed = await oracle().askAll('parse', texts.map((yaml) => ({ yaml })));
        compared += manifests.length;
        parsed.forEach((a, i) => {
          expect(a.error, texts[i]).toBeUndefined();
          expect(a.result.documents.map((d: string) => JSON.parse(d)), texts[i]).toEqual([asJson(manifests[i])]);
        });
        const v = await oracle().ask('validate', { crds: CRDS_DIR, objects: parsed.map((a) => a.result.documents[0]) });
        v.result.results.forEach((r: any, i: number) => {
          expect(r.served, texts[i]).toBe(true);
          expect(r.errors, texts[i]).toEqual([]);
          expect(r.pruned, texts[i]).toEqual([]);
        });
        agreed += manifests.length;
      }),
      // the prop sets that once disagreed run first, every run (test/fixtures/oracle/constructs.json)
      { ...argoRuns(1500, 'constructs'), examples: storedCases.map((c) => [c.props as unknown as Props]) },
    );
    // eslint-disable-next-line no-console
    console.log(`constructs: ${refused} prop sets refused by the library: ${[...reasons].slice(0, 12).join(' | ')}`);
    recordCases('constructs', compared, agreed);
  });
});
