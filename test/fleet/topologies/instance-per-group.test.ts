import * as os from 'os';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { buildInstancePerGroup } from '../../../examples/topologies/instance-per-group/topology';
import { ApplicationSource } from '../../../lib/argocd/application-source';
import { Cluster } from '../../../lib/fleet/cluster';
import { InstancePerGroup } from '../../../lib/fleet/topologies/instance-per-group';
import { checkedFiles, expand, expectCommitted, writtenDirectories } from '../../support/topologies';

const ROOT = 'examples/topologies/instance-per-group/dist';
const REPO = 'https://github.com/myorg/infra-repo.git';
const tmp = () => path.join(os.tmpdir(), 'cdk8s-argocd-ipg-unused');
const aws = (name: string, labels: { [k: string]: string } = {}) => new Cluster({
  name, server: `https://${name}.example.com`, labels, config: { awsAuthConfig: { clusterName: name } },
});
const helm = ApplicationSource.helmChart({ repoUrl: 'https://charts.example.com', chart: 'x', version: '1.0.0' });

describe('InstancePerGroup (example)', () => {
  test('one instance per group, each managing exactly its group\'s clusters', () => {
    // GIVEN / WHEN
    const fleet = buildInstancePerGroup(tmp());
    const files = checkedFiles(fleet);
    // THEN
    expect(fleet.groups).toEqual(['emea', 'amer']);
    for (const g of fleet.groups) {
      const instance = fleet.instance(g);
      expect(instance.managedClusters.map((c) => c.name)).toEqual([`${g}-dev`, `${g}-prod`]);
      expect(instance.managedClusters.every((c) => fleet.groupOfCluster(c) === g)).toBe(true);
      const registrations = [...files.entries()]
        .filter(([, m]) => (m.kind === 'Secret' || m.kind === 'ExternalSecret'))
        .filter(([p]) => p.startsWith(`${g}/`)).map(([p]) => p);
      expect(registrations).toEqual([
        `${g}/clusters/${g}/externalsecret_argocd_cluster-${g}-dev.yaml`,
        `${g}/clusters/${g}/secret_argocd_cluster-${g}-prod.yaml`,
      ]);
      const root = files.get(`${g}/bootstrap/application_argocd_${g}-root.yaml`);
      expect(root.spec.source.path).toBe(`${ROOT}/${g}/clusters/${g}`);
    }
    // each region reads tokens from its own store
    expect(files.get('amer/clusters/amer/externalsecret_argocd_cluster-amer-dev.yaml').spec.secretStoreRef.name).toBe('aws-secrets-manager-us-east-1');
  });

  test('each group\'s ApplicationSets expand over that group\'s clusters only', () => {
    const fleet = buildInstancePerGroup(tmp());
    const files = checkedFiles(fleet);
    const written = writtenDirectories(files, ROOT);
    for (const g of fleet.groups) {
      const monitoring = expand(fleet.instance(g), files, 'monitoring');
      expect(monitoring.map((a) => [a.metadata.name, a.spec.destination.server])).toEqual([
        [`monitoring-${g}-dev`, `https://dev.${g}.k8s.example.com`],
        [`monitoring-${g}-prod`, `https://prod.${g}.k8s.example.com`],
      ]);
      const web = expand(fleet.instance(g), files, 'web');
      expect(web.map((a) => a.metadata.name)).toEqual([`web-${g}-prod`]);
      for (const a of [...monitoring, ...web]) expect(written.has(a.spec.source.path), a.spec.source.path).toBe(true);
    }
  });

  test('the committed dist/ is what main.ts produces', () => {
    expectCommitted(buildInstancePerGroup(tmp()), path.join(__dirname, '..', '..', '..', 'examples', 'topologies', 'instance-per-group', 'dist'));
  });
});

describe('InstancePerGroup', () => {
  const make = () => {
    const fleet = new InstancePerGroup({ repoUrl: REPO, outdir: tmp() });
    fleet.addGroup('team-a');
    fleet.addGroup('team-b');
    return fleet;
  };

  test('deployToClusters() names the groups, or picks those with a matching cluster', () => {
    const fleet = make();
    fleet.addCluster('team-a', aws('a1', { env: 'prod' }));
    fleet.addCluster('team-b', aws('b1', { env: 'dev' }));
    expect(fleet.deployToClusters('web', { source: helm, selector: { matchLabels: { env: 'prod' } } }).map((s) => s.node.path)).toEqual(['team-a/team-a/Fleet-web']);
    expect(fleet.deployToClusters('api', { source: helm, groups: ['team-b'] }).map((s) => s.clusters.map((c) => c.name))).toEqual([['b1']]);
    checkedFiles(fleet);
  });

  test('fails when a cluster is added to a second group', () => {
    const fleet = make();
    const c = aws('shared');
    fleet.addCluster('team-a', c);
    expect(() => fleet.addCluster('team-b', c)).toThrow(
      "cluster 'shared' is already managed by group 'team-a'; a cluster belongs to one group's Argo CD (two instances managing one cluster fight over its objects)");
  });

  test('fails when a group does not exist', () => {
    expect(() => make().addCluster('team-c', aws('x'))).toThrow("group 'team-c' does not exist (groups: team-a, team-b); add it with addGroup() (Python: add_group(), Go: AddGroup())");
  });

  test('fails when a selector matches no cluster of any group', () => {
    const fleet = make();
    fleet.addCluster('team-a', aws('a1', { env: 'dev' }));
    expect(() => fleet.deployToClusters('web', { source: helm, selector: { matchLabels: { env: 'prod' } } })).toThrow(
      "app 'web' selector {\"matchLabels\":{\"env\":\"prod\"}} matches no cluster of any group (groups: team-a, team-b); fix the selector, add the clusters first, or name the groups");
  });

  test('fails when a group is added twice', () => {
    expect(() => make().addGroup('team-a')).toThrow("instance 'team-a' already exists in this topology; every Argo CD instance needs a name (and directory) of its own");
  });
});
