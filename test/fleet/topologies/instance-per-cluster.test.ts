import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Lazy } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { besideOutputs } from '../../support/files';
import { buildInstancePerCluster } from '../../../examples/topologies/instance-per-cluster/topology';
import { Application } from '../../../lib/argocd/application';
import { ApplicationSource } from '../../../lib/argocd/application-source';
import { Destination } from '../../../lib/argocd/destination';
import { Cluster } from '../../../lib/fleet/cluster';
import { InstancePerCluster } from '../../../lib/fleet/topologies/instance-per-cluster';
import { checkedFiles, expectCommitted, writtenDirectories } from '../../support/topologies';

const ROOT = 'examples/topologies/instance-per-cluster/dist';
const REPO = 'https://github.com/myorg/infra-repo.git';
const IN_CLUSTER = 'https://kubernetes.default.svc';
const tmp = () => path.join(os.tmpdir(), 'cdk8s-argocd-ipc-unused');
const edge = (name: string) => new Cluster({ name, server: `https://${name}.example.com` });
const helm = ApplicationSource.helmChart({ repoUrl: 'https://charts.example.com', chart: 'x', version: '1.0.0' });

describe('InstancePerCluster (example)', () => {
  test('one instance per cluster, each with its own output directory and root reading only its own path', () => {
    // GIVEN / WHEN
    const fleet = buildInstancePerCluster(tmp());
    const files = checkedFiles(fleet);
    // THEN
    const names = ['store-berlin', 'store-paris', 'store-austin'];
    expect(fleet.instances.map((i) => i.name)).toEqual(names);
    expect(fleet.instances.map((i) => i.app.outdir)).toEqual(names.map((n) => path.join(tmp(), n)));
    const roots = [...files.keys()].filter((p) => p.includes('/bootstrap/'));
    expect(roots).toEqual([
      'store-austin/bootstrap/application_argocd_store-austin-root.yaml',
      'store-berlin/bootstrap/application_argocd_store-berlin-root.yaml',
      'store-paris/bootstrap/application_argocd_store-paris-root.yaml',
    ]);
    for (const n of names) {
      expect(files.get(`${n}/bootstrap/application_argocd_${n}-root.yaml`).spec.source.path).toBe(`${ROOT}/${n}/clusters/${n}`);
      // everything an instance reads lies in its own directory
      const own = [...files.entries()].filter(([p, m]) => p.startsWith(`${n}/`) && m.kind === 'Application');
      for (const [, app] of own) {
        if (app.spec.source.repoURL === REPO) expect(app.spec.source.path.startsWith(`${ROOT}/${n}/`)).toBe(true);
      }
    }
  });

  test('nothing central: every Application deploys in-cluster, no cluster is registered, no ApplicationSet', () => {
    const fleet = buildInstancePerCluster(tmp());
    const files = checkedFiles(fleet);
    const manifests = [...files.values()];
    expect(manifests.filter((m) => m.kind === 'Application').every((m) => m.spec.destination.server === IN_CLUSTER)).toBe(true);
    expect(manifests.filter((m) => ['Secret', 'ExternalSecret', 'ApplicationSet'].includes(m.kind))).toEqual([]);
    expect(fleet.instances.every((i) => i.managedClusters.length === 0 && i.inClusterOnly)).toBe(true);
  });

  test('apps land on the selected clusters with computed, written paths', () => {
    const fleet = buildInstancePerCluster(tmp());
    const files = checkedFiles(fleet);
    const written = writtenDirectories(files, ROOT);
    const apps = [...files.entries()].filter(([, m]) => m.kind === 'Application' && !m.metadata.name.endsWith('-root')).map(([p]) => p);
    expect(apps).toEqual([
      'store-austin/clusters/store-austin/application_argocd_monitoring-store-austin.yaml',
      'store-austin/clusters/store-austin/application_argocd_point-of-sale-store-austin.yaml',
      'store-berlin/clusters/store-berlin/application_argocd_gdpr-proxy-store-berlin.yaml',
      'store-berlin/clusters/store-berlin/application_argocd_monitoring-store-berlin.yaml',
      'store-berlin/clusters/store-berlin/application_argocd_point-of-sale-store-berlin.yaml',
      'store-paris/clusters/store-paris/application_argocd_gdpr-proxy-store-paris.yaml',
      'store-paris/clusters/store-paris/application_argocd_monitoring-store-paris.yaml',
      'store-paris/clusters/store-paris/application_argocd_point-of-sale-store-paris.yaml',
    ]);
    const pos = files.get('store-paris/clusters/store-paris/application_argocd_point-of-sale-store-paris.yaml');
    expect(pos.spec.source.path).toBe(`${ROOT}/store-paris/apps/point-of-sale/store-paris`);
    expect(written.has(pos.spec.source.path)).toBe(true);
    // the builder received the cluster itself
    expect(files.get('store-austin/apps/monitoring/store-austin/configmap_monitoring_monitoring-agent.yaml').data).toEqual({ 'cluster': 'store-austin', 'label.env': 'production', 'label.region': 'us' });
  });

  test('the committed dist/ is what main.ts produces', () => {
    expectCommitted(buildInstancePerCluster(tmp()), path.join(__dirname, '..', '..', '..', 'examples', 'topologies', 'instance-per-cluster', 'dist'));
  });
});

describe('InstancePerCluster', () => {
  const make = () => new InstancePerCluster({ repoUrl: REPO, outdir: tmp(), clusters: [edge('a'), edge('b')] });

  test('fails when an Application of an instance deploys to another cluster', () => {
    // GIVEN
    const fleet = make();
    const a = fleet.instance('a');
    fleet.addApp('web', { source: helm });
    // WHEN a hand-written Application leaves the cluster
    new Application(a.environment.chart, 'escape', { project: a.environment.project, source: helm, destination: Destination.server('https://b.example.com', 'x') });
    // THEN
    expect(() => fleet.synthFiles()).toThrow(
      "instance 'a': synthesis failed with 2 errors:\n  [a/a/Applications/escape/Resource] spec.destination.server 'https://b.example.com' of Application 'escape' is not a cluster this app registers or declares "
      + "(known servers: none, and the cluster Argo CD runs in), so Argo CD would find no cluster with that URL; register it with a Cluster in an environment, or declare a cluster registered by other means with repo.addExternalCluster('https://b.example.com')\n"
      + "  [a/a/Applications/escape/Resource] spec.destination server 'https://b.example.com' of Application 'escape' is not the cluster Argo CD runs in: "
      + "instance 'a' manages only the cluster it runs in (destination https://kubernetes.default.svc or name in-cluster); deploy to another cluster from that cluster's own instance");
  });

  test('synth removes the directory (and spare) of an instance that no longer exists, and leaves output alone while redirected', () => {
    // GIVEN two syntheses with instances a and b: each instance keeps its replaced output as a spare
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-stale-'));
    for (let i = 0; i < 2; i++) {
      const first = new InstancePerCluster({ repoUrl: REPO, outdir, clusters: [edge('a'), edge('b')] });
      first.addApp('web', { source: helm });
      first.synth();
    }
    expect(besideOutputs(outdir)).toEqual(['.a.spare', '.b.spare', 'a', 'b']);
    // WHEN b is gone, under the drift check's redirection
    const second = () => {
      const t = new InstancePerCluster({ repoUrl: REPO, outdir, clusters: [edge('a')] });
      t.addApp('web', { source: helm });
      return t;
    };
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-scratch-'));
    process.env.CDK8S_ARGOCD_OUTDIR = scratch;
    try {
      second().synth();
    } finally {
      delete process.env.CDK8S_ARGOCD_OUTDIR;
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    // THEN the committed output is untouched; a plain synth removes b and its spare
    expect(besideOutputs(outdir)).toEqual(['.a.spare', '.b.spare', 'a', 'b']);
    second().synth();
    expect(besideOutputs(outdir)).toEqual(['.a.spare', 'a']);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('synth renders each instance once and puts every directory in place only when all succeeded', () => {
    // GIVEN two instances, each with an object whose rendering is counted
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-once-'));
    const renders: string[] = [];
    const build = (failB: boolean) => {
      const fleet = new InstancePerCluster({ repoUrl: REPO, outdir, clusters: [edge('a'), edge('b')] });
      fleet.addApp('web', { source: helm });
      for (const name of ['a', 'b']) {
        new ApiObject(fleet.instance(name).environment.chart, 'counted', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'counted', namespace: 'tools', annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } },
          data: Lazy.any({ produce: () => (renders.push(name), { at: name }) }),
        });
      }
      if (failB) {
        new Application(fleet.instance('b').environment.chart, 'escape', { project: fleet.instance('b').environment.project, source: helm, destination: Destination.server('https://elsewhere.example.com', 'x') });
      }
      return fleet;
    };
    // WHEN it synthesizes
    build(false).synth();
    // THEN each instance's objects rendered once, and both directories are in place, nothing staged left
    expect(renders.sort()).toEqual(['a', 'b']);
    expect(besideOutputs(outdir)).toEqual(['a', 'b']);
    const before = new Map(['a', 'b'].map((n) => [n, fs.readdirSync(path.join(outdir, n), { recursive: true }).sort()]));
    const marker = path.join(outdir, 'a', 'marker.yaml');
    fs.writeFileSync(marker, 'from the first synth');
    // WHEN instance b fails the next time
    expect(() => build(true).synth()).toThrow(/^instance 'b': synthesis failed with/);
    // THEN a, which succeeded, was not put in place either (its old directory, marker included, is
    // still there); its staging directory is kept as a's spare, and nothing else is left beside them
    expect(fs.readFileSync(marker, 'utf-8')).toBe('from the first synth');
    expect(besideOutputs(outdir)).toEqual(['.a.spare', 'a', 'b']);
    for (const n of ['a', 'b']) expect([...fs.readdirSync(path.join(outdir, n), { recursive: true })].filter((f) => f !== 'marker.yaml').sort()).toEqual(before.get(n));
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('synth writes the copy for CDK8S_OUTDIR only once every instance succeeded', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-copy-'));
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-copy-cli-'));
    const build = (failB: boolean) => {
      const fleet = new InstancePerCluster({ repoUrl: REPO, outdir, clusters: [edge('a'), edge('b')] });
      fleet.addApp('web', { source: helm });
      if (failB) {
        new Application(fleet.instance('b').environment.chart, 'escape', { project: fleet.instance('b').environment.project, source: helm, destination: Destination.server('https://elsewhere.example.com', 'x') });
      }
      return fleet;
    };
    process.env.CDK8S_OUTDIR = copy;
    try {
      expect(() => build(true).synth()).toThrow(/^instance 'b'/);
      expect(fs.readdirSync(copy)).toEqual([]);
      build(false).synth();
    } finally {
      delete process.env.CDK8S_OUTDIR;
    }
    // every instance's files, as written into its own directory
    const written = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.yaml')).sort();
    const ours = [...written(path.join(outdir, 'a')), ...written(path.join(outdir, 'b'))].sort();
    expect(written(copy)).toEqual(ours);
    expect(ours.length).toBeGreaterThan(2);
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.rmSync(copy, { recursive: true, force: true });
  });

  test('fails when a cluster is registered in an instance', () => {
    const fleet = make();
    expect(() => fleet.instance('a').registerCluster(edge('b'))).toThrow(
      "[a/a] cluster 'b' cannot be registered in instance 'a', which manages only the cluster it runs in; deploy to that cluster from its own Argo CD instance");
  });

  test('fails when an instance deploys to other clusters', () => {
    const fleet = make();
    expect(() => fleet.instance('a').deployToClusters('web', { source: helm })).toThrow(
      "[a/a] app 'web' cannot be deployed to other clusters by instance 'a', which manages only the cluster it runs in; use addApp() (Python: add_app(), Go: AddApp())");
  });

  test('fails when a cluster is added twice', () => {
    const fleet = make();
    expect(() => fleet.addCluster(edge('a'))).toThrow("instance 'a' already exists in this topology; every Argo CD instance needs a name (and directory) of its own");
  });

  test('fails when a cluster name cannot name a directory', () => {
    expect(() => make().addCluster(new Cluster({ name: 'Edge_1', server: 'https://e.example.com' }))).toThrow(
      "instance name 'Edge_1' is not a valid name; use at most 63 lowercase letters, digits and '-' (a cluster or group name becomes the instance's directory)");
  });

  test('fails when an app targets a cluster without an instance', () => {
    expect(() => make().addApp('web', { source: helm, clusters: [edge('c')] })).toThrow(
      "cluster 'c' has no Argo CD instance in this topology (clusters: a, b); add it with addCluster() (Python: add_cluster(), Go: AddCluster())");
  });

  test('fails when an app is added before any cluster', () => {
    expect(() => new InstancePerCluster({ repoUrl: REPO }).addApp('web', { source: helm })).toThrow(
      "app 'web' has no cluster to deploy to: no cluster has an instance of its own yet; add the clusters first");
  });

  test('fails when an instance does not exist', () => {
    expect(() => make().instance('c')).toThrow("instance 'c' does not exist (instances: a, b)");
  });
});
