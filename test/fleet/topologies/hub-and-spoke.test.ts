import * as os from 'os';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { buildHubAndSpoke } from '../../../examples/topologies/hub-and-spoke/topology';
import { ApplicationSource } from '../../../lib/argocd/application-source';
import { Cluster } from '../../../lib/fleet/cluster';
import { HubAndSpoke } from '../../../lib/fleet/topologies/hub-and-spoke';
import { checkedFiles, credentialProblems, expand, expectCommitted, writtenDirectories } from '../../support/topologies';

const ROOT = 'examples/topologies/hub-and-spoke/dist';
const REPO = 'https://github.com/myorg/infra-repo.git';
const tmp = () => path.join(os.tmpdir(), 'cdk8s-argocd-hub-unused');

const aws = (name: string, labels: { [k: string]: string } = {}) => new Cluster({
  name, server: `https://${name}.example.com`, labels, config: { awsAuthConfig: { clusterName: name } },
});
const configMap = { buildChart: (chart: any, cluster: Cluster) => { new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { cluster: cluster.name } }); } };

describe('HubAndSpoke (example)', () => {
  test('one instance, the hub, with one root reading its own directory', () => {
    // GIVEN / WHEN
    const fleet = buildHubAndSpoke(tmp());
    const files = checkedFiles(fleet);
    // THEN
    expect(fleet.instances.map((i) => i.name)).toEqual(['hub']);
    expect([...files.keys()].every((p) => p.startsWith('hub/'))).toBe(true);
    const roots = [...files.keys()].filter((p) => p.includes('/bootstrap/'));
    expect(roots).toEqual(['hub/bootstrap/application_argocd_hub-root.yaml']);
    const root = files.get(roots[0]);
    expect(root.spec.destination).toEqual({ namespace: 'argocd', server: 'https://kubernetes.default.svc' });
    expect(root.spec.source.path).toBe(`${ROOT}/hub/clusters/hub`);
    expect(fleet.hub.environment.recoveryCommands('v3.1.0')[2]).toBe(`kubectl apply -f ${ROOT}/hub/bootstrap/application_argocd_hub-root.yaml`);
  });

  test('the hub manages every spoke through a cluster Secret: from a store through an ExternalSecret, or awsAuthConfig', () => {
    const fleet = buildHubAndSpoke(tmp());
    const files = checkedFiles(fleet);
    expect(fleet.spokes.map((c) => c.name)).toEqual(['dev', 'staging', 'production']);
    for (const name of ['dev', 'staging']) {
      const es = files.get(`hub/clusters/hub/externalsecret_argocd_cluster-${name}.yaml`);
      expect(es.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-2');
      expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
      expect(es.spec.data[0].remoteRef).toMatchObject({ key: `argocd/clusters/${name}`, property: 'token' });
      expect(es.spec.target.template.metadata.labels['argocd.argoproj.io/secret-type']).toBe('cluster');
      expect(JSON.parse(es.spec.target.template.data.config)).toEqual({ bearerToken: '{{ .bearerToken }}' });
    }
    const prod = files.get('hub/clusters/hub/secret_argocd_cluster-production.yaml');
    expect(prod.metadata.labels).toEqual({ 'env': 'production', 'tier': 'prod', 'argocd.argoproj.io/secret-type': 'cluster' });
    expect(JSON.parse(prod.stringData.config)).toEqual({ awsAuthConfig: { clusterName: 'production', roleARN: 'arn:aws:iam::123456789012:role/argocd-production' } });
  });

  test('ApplicationSets over the clusters generator expand to one Application per selected spoke, reading written paths', () => {
    const fleet = buildHubAndSpoke(tmp());
    const files = checkedFiles(fleet);
    const written = writtenDirectories(files, ROOT);
    const monitoring = expand(fleet.hub, files, 'monitoring');
    expect(monitoring.map((a) => [a.metadata.name, a.spec.destination.server, a.spec.source.path])).toEqual([
      ['monitoring-dev', 'https://dev.k8s.example.com', `${ROOT}/hub/apps/monitoring/dev`],
      ['monitoring-production', 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com', `${ROOT}/hub/apps/monitoring/production`],
      ['monitoring-staging', 'https://staging.k8s.example.com', `${ROOT}/hub/apps/monitoring/staging`],
    ]);
    const web = expand(fleet.hub, files, 'web');
    expect(web.map((a) => a.metadata.name)).toEqual(['web-production', 'web-staging']);
    for (const a of [...monitoring, ...web]) {
      expect(written.has(a.spec.source.path), a.spec.source.path).toBe(true);
      expect(a.spec.destination.server).not.toBe('https://kubernetes.default.svc');
    }
    expect(fleet.hub.fleetApps.map((s) => [s.app, s.clusters.map((c) => c.name)])).toEqual([
      ['monitoring', ['dev', 'staging', 'production']],
      ['web', ['staging', 'production']],
    ]);
    // one Application on one spoke
    expect(files.get('hub/clusters/hub/application_argocd_guestbook-dev.yaml').spec.destination).toEqual({ namespace: 'guestbook', server: 'https://dev.k8s.example.com' });
  });

  test('the committed dist/ is what main.ts produces', () => {
    expectCommitted(buildHubAndSpoke(tmp()), path.join(__dirname, '..', '..', '..', 'examples', 'topologies', 'hub-and-spoke', 'dist'));
  });
});

describe('HubAndSpoke', () => {
  const make = () => new HubAndSpoke({ repoUrl: REPO, outdir: tmp() });

  test('a spoke registered after deployToSpokes() gets its chart and Application too', () => {
    const fleet = make();
    fleet.addSpoke(aws('a'));
    const set = fleet.deployToSpokes('agent', { builder: configMap });
    fleet.addSpoke(aws('b'));
    const files = checkedFiles(fleet);
    expect(set.clusters.map((c) => c.name)).toEqual(['a', 'b']);
    expect(files.has('hub/apps/agent/b/configmap_x.yaml')).toBe(true);
    expect(expand(fleet.hub, files, 'agent').map((a) => a.metadata.name)).toEqual(['agent-a', 'agent-b']);
  });

  test('fails when the management cluster is added as a spoke', () => {
    expect(() => make().addSpoke(Cluster.inCluster())).toThrow(
      "[hub/hub] cluster 'in-cluster' is the management cluster the hub runs in, not a spoke; deploy to it with addApp() (Python: add_app(), Go: AddApp()) without a cluster");
  });

  test('fails when a spoke is added twice', () => {
    const fleet = make();
    fleet.addSpoke(aws('a'));
    expect(() => fleet.addSpoke(new Cluster({ name: 'a2', server: 'https://a.example.com', config: { awsAuthConfig: { clusterName: 'a' } } }))).toThrow(
      "[hub/hub] cluster 'a2' (https://a.example.com) is already registered in instance 'hub' as 'a' (https://a.example.com); register each cluster once, under one name");
  });

  test('fails when an app deploys to a cluster that is not a spoke', () => {
    const fleet = make();
    fleet.addSpoke(aws('a'));
    expect(() => fleet.addApp('web', { cluster: aws('b'), source: ApplicationSource.git({ repoUrl: REPO, path: 'x' }) })).toThrow(
      "[hub/hub] app 'web' deploys to cluster 'b', which is not registered in instance 'hub' (registered: a); Argo CD would report the cluster as not found: register it with registerCluster() (Python: register_cluster(), Go: RegisterCluster())");
  });

  test('fails when a selector matches no spoke', () => {
    const fleet = make();
    fleet.addSpoke(aws('a', { env: 'dev' }));
    fleet.deployToSpokes('web', { builder: configMap, selector: { matchLabels: { env: 'prod' } } });
    expect(() => fleet.synthFiles()).toThrow(
      "[hub/hub/Fleet-web] spec.generators[0].clusters.selector {\"matchLabels\":{\"env\":\"prod\"}} of app 'web' matches no cluster registered in instance 'hub' (registered: a (env=dev)); fix the selector's labels, or register the cluster first");
  });

  test('fails when a fleet app gives both or neither of builder and source', () => {
    const fleet = make();
    expect(() => fleet.deployToSpokes('web', {})).toThrow("[hub/hub/Fleet-web] app 'web' 'nothing' must give exactly one of builder and source");
    expect(() => fleet.deployToSpokes('api', { builder: configMap, source: ApplicationSource.git({ repoUrl: REPO, path: 'x' }) })).toThrow(
      "[hub/hub/Fleet-api] app 'api' 'builder, source' must give exactly one of builder and source");
  });

  test('fails when an app id is used twice', () => {
    const fleet = make();
    fleet.addSpoke(aws('a'));
    fleet.deployToSpokes('web', { builder: configMap });
    expect(() => fleet.addApp('web', { builder: configMap })).toThrow("[hub/hub] app 'web' is already deployed by instance 'hub'; give each app its own id");
  });

  test('fails when a per-cluster builder meets a cluster name that cannot be a directory', () => {
    const fleet = make();
    fleet.deployToSpokes('web', { builder: configMap });
    expect(() => fleet.addSpoke(new Cluster({ name: 'prod.eu', server: 'https://p.example.com', config: { awsAuthConfig: { clusterName: 'p' } } }))).toThrow(
      "[hub/hub/Fleet-web] cluster name 'prod.eu' cannot name the directory of app 'web' (apps/web/<cluster>); register the cluster under a name of at most 63 lowercase letters, digits and '-'");
  });

  test('fails when an instance name is not a DNS label', () => {
    expect(() => new HubAndSpoke({ repoUrl: REPO, hubName: 'Hub' })).toThrow(
      "instance name 'Hub' is not a valid name; use at most 63 lowercase letters, digits and '-' (a cluster or group name becomes the instance's directory)");
  });

  test('fails when outputRoot leaves the repository', () => {
    expect(() => new HubAndSpoke({ repoUrl: REPO, outputRoot: '../x' })).toThrow(
      "outputRoot '../x' is not a relative path inside the repository; use a path like 'examples/topologies/hub-and-spoke/dist' or '.'");
  });
});

describe('credential scan used by the topology tests', () => {
  test('flags a literal bearer token and a Secret with data, passes the ExternalSecret placeholder', () => {
    const file = (p: string, manifest: any) => ({ path: p, manifest, constructPath: p, content: JSON.stringify(manifest) });
    expect(credentialProblems([
      file('a.yaml', { kind: 'Secret', metadata: { name: 'a' }, stringData: { config: '{"bearerToken":"abc"}' } }),
      file('b.yaml', { kind: 'Secret', metadata: { name: 'b' }, data: { x: 'eA==' } }),
      file('c.yaml', { kind: 'ExternalSecret', metadata: { name: 'c' }, spec: { target: { template: { data: { config: '{"bearerToken":"{{ .bearerToken }}"}' } } } } }),
    ])).toEqual([
      "a.yaml: bearer token 'abc'",
      'a.yaml: config.bearerToken',
      'b.yaml: Secret with data',
    ]);
  });
});
