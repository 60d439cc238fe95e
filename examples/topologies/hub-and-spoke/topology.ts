// Hub and spoke: one Argo CD on the management cluster manages dev, staging and production.
// Spoke credentials come from AWS Secrets Manager through External Secrets (dev, staging) or from
// the hub's own IAM identity (production, EKS); no credential is committed.
import {
  ApplicationSource, AwsAuth, Cluster, ClusterCredentials, ClusterSecretStore, LabelSelectorOperator,
  SecretStoreProvider,
} from '../../../lib';
import { HubAndSpoke } from '../../../lib/fleet/topologies/hub-and-spoke';
import { REPO_URL, REVISION, monitoringAgent, webService } from '../shared';

/**
 * The hub-and-spoke repository, written to `outdir` (`<outdir>/hub/`).
 *
 * @param outdir where `synth()` writes
 */
export function buildHubAndSpoke(outdir: string): HubAndSpoke {
  const fleet = new HubAndSpoke({
    repoUrl: REPO_URL,
    targetRevision: REVISION,
    outdir,
    outputRoot: 'examples/topologies/hub-and-spoke/dist',
  });

  // the store the spokes' bearer tokens are read from, served by ESO on the management cluster
  const store = new ClusterSecretStore(fleet.hub.environment.chart, 'aws-secrets-manager', {
    provider: SecretStoreProvider.awsSecretsManager({
      region: 'eu-west-1',
      auth: AwsAuth.serviceAccount({ name: 'external-secrets', namespace: 'external-secrets' }),
    }),
  });
  const tokenOf = (name: string) => ClusterCredentials.bearerTokenFromStore({ store, remoteKey: `argocd/clusters/${name}`, property: 'token' });

  const dev = new Cluster({ name: 'dev', server: 'https://dev.k8s.example.com', labels: { env: 'dev', tier: 'nonprod' } });
  const staging = new Cluster({ name: 'staging', server: 'https://staging.k8s.example.com', labels: { env: 'staging', tier: 'nonprod' } });
  const production = new Cluster({
    name: 'production',
    server: 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com',
    labels: { env: 'production', tier: 'prod' },
    annotations: { 'example.com/owner': 'platform-team' },
    config: { awsAuthConfig: { clusterName: 'production', roleArn: 'arn:aws:iam::123456789012:role/argocd-production' } },
  });
  fleet.addSpoke(dev, { credentials: tokenOf('dev') });
  fleet.addSpoke(staging, { credentials: tokenOf('staging') });
  fleet.addSpoke(production);

  // an ApplicationSet over every spoke
  fleet.deployToSpokes('monitoring', { builder: monitoringAgent, wave: -1 });
  // an ApplicationSet over the spokes whose env label is staging or production
  fleet.deployToSpokes('web', {
    builder: webService('web', 'ghcr.io/myorg/web:1.4.2'),
    selector: { matchExpressions: [{ key: 'env', operator: LabelSelectorOperator.IN, values: ['staging', 'production'] }] },
  });
  // one Application on one spoke
  fleet.addApp('guestbook', {
    cluster: dev,
    source: ApplicationSource.git({ repoUrl: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'guestbook' }),
  });
  return fleet;
}
