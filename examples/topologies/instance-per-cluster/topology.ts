// Instance per cluster: three edge clusters (stores), each running its own Argo CD that deploys
// only to itself; nothing is central and no cluster is registered anywhere. Each instance's
// directory can be mirrored into its site's Git server on its own.
import { ApplicationSource, Cluster } from '../../../lib';
import { InstancePerCluster } from '../../../lib/fleet/topologies/instance-per-cluster';
import { REPO_URL, REVISION, monitoringAgent, webService } from '../shared';

/**
 * The instance-per-cluster repository, written to `outdir` (`<outdir>/<cluster>/`).
 *
 * @param outdir where `synth()` writes
 */
export function buildInstancePerCluster(outdir: string): InstancePerCluster {
  const edge = (name: string, region: string) => new Cluster({
    name,
    server: `https://${name}.edge.example.com:6443`,
    labels: { env: 'production', region },
  });
  const berlin = edge('store-berlin', 'eu');
  const paris = edge('store-paris', 'eu');
  const austin = edge('store-austin', 'us');

  const fleet = new InstancePerCluster({
    repoUrl: REPO_URL,
    targetRevision: REVISION,
    outdir,
    outputRoot: 'examples/topologies/instance-per-cluster/dist',
    clusters: [berlin, paris, austin],
  });

  // on every store, by the store's own Argo CD
  fleet.addApp('monitoring', { builder: monitoringAgent, wave: -1 });
  fleet.addApp('point-of-sale', { builder: webService('point-of-sale', 'ghcr.io/myorg/pos:2.7.0') });
  // only in the EU stores, from a Helm chart
  fleet.addApp('gdpr-proxy', {
    clusters: [berlin, paris],
    source: ApplicationSource.helmChart({ repoUrl: 'https://charts.example.com', chart: 'gdpr-proxy', version: '0.9.1' }),
  });
  return fleet;
}
