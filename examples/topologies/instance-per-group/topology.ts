// Instance per logical group: one Argo CD per region (emea, amer), each managing its region's
// clusters; a cluster belongs to exactly one region's Argo CD.
import { AwsAuth, Cluster, ClusterCredentials, ClusterSecretStore, SecretStoreProvider } from '../../../lib';
import { InstancePerGroup } from '../../../lib/fleet/topologies/instance-per-group';
import { REPO_URL, REVISION, monitoringAgent, webService } from '../shared';

/**
 * The instance-per-group repository, written to `outdir` (`<outdir>/<group>/`).
 *
 * @param outdir where `synth()` writes
 */
export function buildInstancePerGroup(outdir: string): InstancePerGroup {
  const fleet = new InstancePerGroup({
    repoUrl: REPO_URL,
    targetRevision: REVISION,
    outdir,
    outputRoot: 'examples/topologies/instance-per-group/dist',
  });

  const regions: Array<[string, string]> = [['emea', 'eu-west-1'], ['amer', 'us-east-1']];
  for (const [group, awsRegion] of regions) {
    const instance = fleet.addGroup(group);
    // each region's Argo CD reads its clusters' tokens from its own region's store
    const store = new ClusterSecretStore(instance.environment.chart, 'store', {
      name: `aws-secrets-manager-${awsRegion}`,
      provider: SecretStoreProvider.awsSecretsManager({
        region: awsRegion,
        auth: AwsAuth.serviceAccount({ name: 'external-secrets', namespace: 'external-secrets' }),
      }),
    });
    const dev = new Cluster({ name: `${group}-dev`, server: `https://dev.${group}.k8s.example.com`, labels: { env: 'dev', region: group } });
    const prod = new Cluster({
      name: `${group}-prod`,
      server: `https://prod.${group}.k8s.example.com`,
      labels: { env: 'production', region: group },
      config: { awsAuthConfig: { clusterName: `${group}-prod`, roleArn: `arn:aws:iam::123456789012:role/argocd-${group}` } },
    });
    fleet.addCluster(group, dev, {
      credentials: ClusterCredentials.bearerTokenFromStore({ store, remoteKey: `argocd/clusters/${dev.name}`, property: 'token' }),
    });
    fleet.addCluster(group, prod);
  }

  // every cluster of every group
  fleet.deployToClusters('monitoring', { builder: monitoringAgent, wave: -1 });
  // the production clusters, by each region's own Argo CD
  fleet.deployToClusters('web', { builder: webService('web', 'ghcr.io/myorg/web:1.4.2'), selector: { matchLabels: { env: 'production' } } });
  return fleet;
}
