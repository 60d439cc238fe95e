// One duration form: every duration the library writes (Argo CD's retry backoff and sync windows,
// ESO's refresh intervals, given or defaulted) is Go's Duration.String() with its zero components
// left out (`1h`, `3m`, `1h30m`, `0s` for zero), and reads back as the duration given.
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseGoDuration, renderGoDuration, ZERO_GO_DURATION } from '../../lib/_internal/go-duration';
import { Application, AppProject, ApplicationSource, Destination, SyncWindowKind } from '../../lib';
import { ExternalSecret } from '../../lib/external-secrets/external-secret';
import { ClusterExternalSecret } from '../../lib/external-secrets/cluster-external-secret';
import { PushSecret } from '../../lib/external-secrets/push-secret';
import { ClusterSecretStore } from '../../lib/external-secrets/secret-store';

/** The one form: hours, minutes, seconds in that order, each left out when zero; `0s` alone for zero. */
const ONE_FORM = /^(?:[1-9]\d*h)?(?:[1-9]\d?m)?(?:[1-9]\d?s)?$/;

/** Every string under a key ending in `duration`, `Duration`, `refreshInterval` or `refreshTime`. */
function durationsIn(value: unknown, path = ''): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => durationsIn(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const here = path ? `${path}.${k}` : k;
    if (typeof v === 'string' && /(^duration|Duration|^refreshInterval|^refreshTime)$/.test(k)) return [[here, v] as [string, string]];
    return durationsIn(v, here);
  });
}

describe('durations: one form everywhere the library writes one', () => {
  test('renders whole seconds as Go\'s Duration.String() without zero components, and reads them back (property)', () => {
    const seed = 20261207;
    console.log(`go-duration one-form property: seed ${seed}`);
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 33 }), (s) => {
      const text = renderGoDuration(Duration.seconds(s), 'spec.x');
      expect(text).toMatch(ONE_FORM);
      expect(parseGoDuration(text)).toBe(s);
    }), { seed, numRuns: 2000 });
    expect(renderGoDuration(Duration.hours(1), 'spec.x')).toBe('1h');
    expect(renderGoDuration(Duration.minutes(3), 'spec.x')).toBe('3m');
    expect(renderGoDuration(Duration.seconds(3601), 'spec.x')).toBe('1h1s');
    expect(ZERO_GO_DURATION).toBe('0s');
  });

  test('the manifests write the same form for given and defaulted durations (Argo CD and ESO)', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const store = ClusterSecretStore.fromName(chart, 'aws', 'aws');
    const project = new AppProject(chart, 'shop', { sourceRepos: ['*'] });
    project.addSyncWindow({ kind: SyncWindowKind.DENY, schedule: '0 22 * * *', duration: Duration.hours(8), applications: ['*'] });
    new Application(chart, 'web', {
      project,
      source: ApplicationSource.git({ repoUrl: 'https://git.example.com/web.git', path: 'web' }),
      destination: Destination.inCluster('shop'),
      syncPolicy: { retry: { limit: 5, backoff: { duration: Duration.seconds(5), factor: 2, maxDuration: Duration.minutes(3) } } },
    });
    new ExternalSecret(chart, 'defaulted', { store, data: [{ secretKey: 'k', remoteKey: 'r' }] });
    new ExternalSecret(chart, 'given', { store, refreshInterval: Duration.minutes(90), data: [{ secretKey: 'k', remoteKey: 'r' }] });
    new ExternalSecret(chart, 'off', { store, refreshInterval: Duration.seconds(0), data: [{ secretKey: 'k', remoteKey: 'r' }] });
    new ClusterExternalSecret(chart, 'cluster', { store, refreshTime: Duration.minutes(1), namespaces: ['shop'], data: [{ secretKey: 'k', remoteKey: 'r' }] });
    new PushSecret(chart, 'push', {
      stores: [store],
      secret: kplus.Secret.fromSecretName(chart, 'db', 'db'),
      data: [{ secretKey: 'k', remoteKey: 'r' }],
    });
    // WHEN
    const found = durationsIn(Testing.synth(chart));
    // THEN
    expect(found.map(([, v]) => v).sort()).toEqual(['0s', '1h', '1h', '1h', '1h30m', '1m', '3m', '5s', '8h'].sort());
    for (const [where, v] of found) {
      expect(v === ZERO_GO_DURATION || ONE_FORM.test(v), `${where} ${v}`).toBe(true);
    }
  });
});
