import * as os from 'os';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { buildCockpitAndFleet } from '../../../examples/topologies/cockpit-and-fleet/topology';
import { ApplicationSource } from '../../../lib/argocd/application-source';
import { Cluster } from '../../../lib/fleet/cluster';
import { CockpitAndFleet } from '../../../lib/fleet/topologies/cockpit-and-fleet';
import { checkedFiles, expand, expectCommitted, writtenDirectories } from '../../support/topologies';

const ROOT = 'examples/topologies/cockpit-and-fleet/dist';
const REPO = 'https://github.com/myorg/infra-repo.git';
const IN_CLUSTER = 'https://kubernetes.default.svc';
const tmp = () => path.join(os.tmpdir(), 'cdk8s-argocd-caf-unused');
const aws = (name: string, labels: { [k: string]: string } = {}) => new Cluster({
  name, server: `https://${name}.example.com`, labels, config: { awsAuthConfig: { clusterName: name } },
});
const helm = ApplicationSource.helmChart({ repoUrl: 'https://charts.example.com', chart: 'x', version: '1.0.0' });

describe('CockpitAndFleet (example)', () => {
  test('the cockpit registers every fleet cluster; each fleet cluster has its own instance and root', () => {
    // GIVEN / WHEN
    const fleet = buildCockpitAndFleet(tmp());
    const files = checkedFiles(fleet);
    // THEN
    const fleetNames = ['payments', 'search', 'analytics'];
    expect(fleet.instances.map((i) => i.name)).toEqual(['cockpit', ...fleetNames]);
    expect(fleet.cockpit.managedClusters.map((c) => c.name)).toEqual(fleetNames);
    expect([...files.keys()].filter((p) => p.includes('/bootstrap/'))).toEqual([
      'analytics/bootstrap/application_argocd_analytics-root.yaml',
      'cockpit/bootstrap/application_argocd_cockpit-root.yaml',
      'payments/bootstrap/application_argocd_payments-root.yaml',
      'search/bootstrap/application_argocd_search-root.yaml',
    ]);
    for (const n of ['cockpit', ...fleetNames]) {
      expect(files.get(`${n}/bootstrap/application_argocd_${n}-root.yaml`).spec.source.path).toBe(`${ROOT}/${n}/clusters/${n}`);
    }
    // cluster registrations exist only in the cockpit
    const registrations = [...files.entries()].filter(([, m]) => m.kind === 'Secret' || m.kind === 'ExternalSecret').map(([p]) => p);
    expect(registrations).toEqual([
      'cockpit/clusters/cockpit/externalsecret_argocd_cluster-payments.yaml',
      'cockpit/clusters/cockpit/externalsecret_argocd_cluster-search.yaml',
      'cockpit/clusters/cockpit/secret_argocd_cluster-analytics.yaml',
    ]);
  });

  test('one recovery: the cockpit first, then each fleet cluster, Argo CD installed once on each', () => {
    // GIVEN
    const fleet = buildCockpitAndFleet(tmp());
    const files = checkedFiles(fleet);
    // WHEN
    const lines = fleet.recoveryCommands({ argoCdVersion: 'v3.5.1' });
    // THEN
    const headers = lines.filter((l) => l.startsWith('# '));
    expect(headers.map((h) => h.match(/instance '([^']+)'/)?.[1])).toEqual(fleet.instances.map((i) => i.name));
    expect(fleet.instances[0].name).toBe('cockpit');
    expect(lines.filter((l) => l.includes('install.yaml'))).toHaveLength(fleet.instances.length);
    // each instance's block: its header, its install, its root, before the next instance's header
    fleet.instances.forEach((instance, i) => {
      const start = lines.indexOf(headers[i]);
      const end = i + 1 < headers.length ? lines.indexOf(headers[i + 1]) : lines.length;
      const block = lines.slice(start + 1, end);
      expect(block).toEqual(instance.repo.recoveryCommands({ argoCdVersion: 'v3.5.1' }));
      const applied = block.filter((l) => l.startsWith('kubectl apply -f ')).map((l) => l.slice(`kubectl apply -f ${ROOT}/`.length));
      expect(applied).toEqual([`${instance.name}/bootstrap/application_argocd_${instance.name}-root.yaml`]);
      expect(files.has(applied[0])).toBe(true);
    });
  });

  test('the platform context reaches the fleet through ApplicationSets over cluster labels', () => {
    const fleet = buildCockpitAndFleet(tmp());
    const files = checkedFiles(fleet);
    const written = writtenDirectories(files, ROOT);
    const names = (set: string) => expand(fleet.cockpit, files, set).map((a) => a.metadata.name);
    expect(names('policies')).toEqual(['policies-analytics', 'policies-payments', 'policies-search']);
    expect(names('cert-manager')).toEqual(['cert-manager-analytics', 'cert-manager-payments', 'cert-manager-search']);
    expect(names('ingress-nginx')).toEqual(['ingress-nginx-payments', 'ingress-nginx-search']);
    expect(names('monitoring')).toEqual(['monitoring-analytics', 'monitoring-payments', 'monitoring-search']);
    const certManager = expand(fleet.cockpit, files, 'cert-manager')[1];
    expect(certManager.spec.source).toMatchObject({ repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', targetRevision: 'v1.16.1' });
    expect(certManager.spec.destination).toEqual({ namespace: 'cert-manager', server: 'https://payments.k8s.example.com' });
    for (const a of expand(fleet.cockpit, files, 'policies')) expect(written.has(a.spec.source.path), a.spec.source.path).toBe(true);
    expect(files.get('cockpit/clusters/cockpit/applicationset_argocd_policies.yaml').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-2');
  });

  test('team apps are deployed in-cluster by each fleet cluster\'s own instance', () => {
    const fleet = buildCockpitAndFleet(tmp());
    const files = checkedFiles(fleet);
    const teamApps = [...files.entries()].filter(([p, m]) => !p.startsWith('cockpit/') && m.kind === 'Application' && !m.metadata.name.endsWith('-root'));
    expect(teamApps.map(([p, m]) => [p, m.spec.destination.server])).toEqual([
      ['analytics/clusters/analytics/application_argocd_reports-analytics.yaml', IN_CLUSTER],
      ['payments/clusters/payments/application_argocd_payments-api-payments.yaml', IN_CLUSTER],
      ['search/clusters/search/application_argocd_search-api-search.yaml', IN_CLUSTER],
    ]);
    expect(files.get('payments/clusters/payments/application_argocd_payments-api-payments.yaml').spec.source.path).toBe(`${ROOT}/payments/apps/payments-api/payments`);
    expect(fleet.fleetClusters.every((c) => fleet.instanceOf(c).inClusterOnly)).toBe(true);
  });

  test('the committed dist/ is what main.ts produces', () => {
    expectCommitted(buildCockpitAndFleet(tmp()), path.join(__dirname, '..', '..', '..', 'examples', 'topologies', 'cockpit-and-fleet', 'dist'));
  });
});

describe('CockpitAndFleet', () => {
  const make = () => new CockpitAndFleet({ repoUrl: REPO, outdir: tmp() });

  test('fails when a platform app and a team app share a namespace on a fleet cluster', () => {
    // GIVEN
    const fleet = make();
    const a = aws('a');
    fleet.addFleetCluster(a);
    fleet.addPlatformApp('monitoring', { source: helm });
    // WHEN
    fleet.addTeamApp('metrics', { source: helm, namespace: 'monitoring' });
    // THEN
    expect(() => fleet.synthFiles()).toThrow(
      "[cockpit/cockpit] namespace 'monitoring' on fleet cluster 'a' is deployed by platform app 'monitoring' (instance 'cockpit') and by team app 'metrics' (instance 'a'); "
      + 'two Argo CD instances would fight over its objects: give one of them another namespace');
  });

  test('fails when the cockpit\'s own cluster is added to the fleet', () => {
    expect(() => make().addFleetCluster(Cluster.inCluster())).toThrow(
      "[cockpit/cockpit] cluster 'in-cluster' is the cockpit's own cluster, not a fleet cluster; give a fleet cluster its API server URL");
  });

  test('fails when a team app targets a cluster outside the fleet', () => {
    const fleet = make();
    fleet.addFleetCluster(aws('a'));
    expect(() => fleet.addTeamApp('web', { source: helm, clusters: [aws('b')] })).toThrow(
      "cluster 'b' is not a fleet cluster (fleet: a); add it with addFleetCluster() (Python: add_fleet_cluster(), Go: AddFleetCluster())");
  });

  test('fails when a fleet cluster is named like the cockpit', () => {
    expect(() => make().addFleetCluster(aws('cockpit'))).toThrow(
      "instance 'cockpit' already exists in this topology; every Argo CD instance needs a name (and directory) of its own");
  });
});
