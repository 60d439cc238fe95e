// Cockpit and fleet: a central Argo CD (the cockpit) deploys the platform context (ingress
// controller, cert-manager, policies, monitoring) to every fleet cluster through ApplicationSets
// over the clusters' labels; each fleet cluster runs its own Argo CD for its team's apps.
import { AwsAuth, Cluster, ClusterCredentials, ClusterSecretStore, SecretStoreProvider } from '../../../lib';
import { CockpitAndFleet } from '../../../lib/fleet/topologies/cockpit-and-fleet';
import { REPO_URL, REVISION, certManager, ingressNginx, monitoringAgent, policies, webService } from '../shared';

/**
 * The cockpit-and-fleet repository, written to `outdir` (`<outdir>/cockpit/` and `<outdir>/<cluster>/`).
 *
 * @param outdir where `synth()` writes
 */
export function buildCockpitAndFleet(outdir: string): CockpitAndFleet {
  const fleet = new CockpitAndFleet({
    repoUrl: REPO_URL,
    targetRevision: REVISION,
    outdir,
    outputRoot: 'examples/topologies/cockpit-and-fleet/dist',
  });

  const store = new ClusterSecretStore(fleet.cockpit.environment.chart, 'aws-secrets-manager', {
    provider: SecretStoreProvider.awsSecretsManager({
      region: 'eu-west-1',
      auth: AwsAuth.serviceAccount({ name: 'external-secrets', namespace: 'external-secrets' }),
    }),
  });
  const payments = new Cluster({ name: 'payments', server: 'https://payments.k8s.example.com', labels: { team: 'payments', env: 'production', ingress: 'public' } });
  const search = new Cluster({ name: 'search', server: 'https://search.k8s.example.com', labels: { team: 'search', env: 'production', ingress: 'public' } });
  const analytics = new Cluster({
    name: 'analytics',
    server: 'https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
    labels: { team: 'analytics', env: 'production', ingress: 'internal' },
    config: { awsAuthConfig: { clusterName: 'analytics', roleArn: 'arn:aws:iam::123456789012:role/argocd-cockpit' } },
  });
  for (const c of [payments, search]) {
    fleet.addFleetCluster(c, { credentials: ClusterCredentials.bearerTokenFromStore({ store, remoteKey: `argocd/clusters/${c.name}`, property: 'token' }) });
  }
  fleet.addFleetCluster(analytics);

  // the platform context, from the cockpit; policies and cert-manager first
  fleet.addPlatformApp('policies', { builder: policies, namespace: 'kyverno', wave: -2 });
  fleet.addPlatformApp('cert-manager', { source: certManager, wave: -1 });
  fleet.addPlatformApp('ingress-nginx', { source: ingressNginx, selector: { matchLabels: { ingress: 'public' } } });
  fleet.addPlatformApp('monitoring', { builder: monitoringAgent });

  // the teams' apps, by each fleet cluster's own Argo CD
  fleet.addTeamApp('payments-api', { builder: webService('payments-api', 'ghcr.io/myorg/payments-api:3.2.0'), clusters: [payments] });
  fleet.addTeamApp('search-api', { builder: webService('search-api', 'ghcr.io/myorg/search-api:1.0.4'), clusters: [search] });
  fleet.addTeamApp('reports', { builder: webService('reports', 'ghcr.io/myorg/reports:0.3.1'), clusters: [analytics] });
  return fleet;
}
