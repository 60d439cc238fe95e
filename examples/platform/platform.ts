// The platform team's infra repository, as one program: an Argo CD on a management cluster (hub and
// spoke) deploys api, web and monitoring to a dev, a staging and a production EKS cluster.
//
//   bootstrap/                     the root Application of every environment: `kubectl apply` after a disaster
//   clusters/<env>/                what an environment's root syncs: child Applications, cluster Secrets
//   projects/<env>/                the environment's AppProject
//   apps/<app>/<env>/              what an app deploys in an environment
//
// `management` is the hub itself: Argo CD's own configuration (notifications) and the api
// ApplicationSet, which spans the three workload environments.
import { ApiObject, Chart, Duration } from 'cdk8s';
import {
  AppProject, ApplicationSet, ApplicationSetGenerator, ApplicationSource, ArgoCdApp, Destination,
  Environment, GitOpsRepo, LabelSelectorOperator, NotificationSubscription, OutputDirectory,
  PolicyAction, PolicyResource, ProjectDestination, RolePolicy, SyncOption, SyncPolicy, SyncWindowKind,
  Versions,
} from '../../lib';
import { buildApi, API_NAMESPACE } from './apps/api';
import { ArgoCdConfig, ENV_LABEL } from './apps/argocd-config';
import { Monitoring, MONITORING_NAMESPACE, PROMETHEUS_COMMUNITY_CHARTS, kubePrometheusStack } from './apps/monitoring';
import { ESO_NAMESPACE, buildSecretStore } from './apps/secret-store';
import { Web } from './apps/web';
import { CLUSTERS, ENVIRONMENTS, EnvName, OUTPUT_ROOT, REPO_URL, SETTINGS, TARGET_REVISION, VERSIONS } from './config';

const WEB_NAMESPACE = 'web';

/** Who may do what, by SSO group. */
const GROUPS = { developers: 'myorg:developers', sre: 'myorg:sre' };

/**
 * Builds the whole repository into an app that writes `outdir`.
 *
 * @param outdir the output directory (examples/platform/dist for the committed output)
 * @param versions the promotion table; tests pass a changed one
 */
export function buildPlatform(outdir: string, versions: Versions = VERSIONS): ArgoCdApp {
  const app = new ArgoCdApp({ outdir });
  const repo = new GitOpsRepo(app, 'platform', { repoUrl: REPO_URL, targetRevision: TARGET_REVISION, outputRoot: OUTPUT_ROOT });

  // --- the hub: Argo CD's own configuration -------------------------------------------------
  const management = repo.addEnvironment('management');
  const managementProject = management.addProject('management', {
    description: 'Argo CD\'s own configuration on the management cluster',
    sourceRepos: [REPO_URL],
    destinations: [ProjectDestination.inCluster(repo.argoCdNamespace)],
    clusterResourceWhitelist: [{ group: 'external-secrets.io', kind: 'ClusterSecretStore' }],
  });
  managementProject.addRole('sre', {
    description: 'SRE manage Argo CD\'s configuration',
    groups: [GROUPS.sre],
    policies: [RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.ALL })],
  });
  // Argo CD's own ConfigMap and Secret: synced and self-healed, never pruned (a root that prunes
  // Argo CD's configuration can take Argo CD down with it; the library refuses that setup).
  management.addApp('argocd-config', {
    name: 'argocd-config',
    builder: new ArgoCdConfig(),
    namespace: repo.argoCdNamespace,
    syncPolicy: { automated: { prune: false, selfHeal: true } },
  });

  // --- the workload environments ------------------------------------------------------------
  for (const name of ENVIRONMENTS) {
    const cluster = CLUSTERS[name];
    const production = name === 'production';
    const env = repo.addEnvironment(name, {
      clusters: [cluster],
      // dev and staging follow Git on their own; production changes only when someone syncs it
      syncPolicy: production ? manualSync() : autoSync(),
    });

    // Registers the cluster in Argo CD (a cluster Secret, wave -2, before anything deploys to it).
    // awsAuthConfig authenticates with IAM, so the Secret holds no credential.
    env.registerCluster(cluster);

    addProject(env, name);

    // ESO's store on the cluster, before the apps whose ExternalSecrets read from it
    env.addApp('secret-store', {
      namespace: ESO_NAMESPACE,
      wave: -1,
      builder: { buildChart: (chart) => { buildSecretStore(chart, { region: SETTINGS[name].awsRegion, namespaces: [API_NAMESPACE, MONITORING_NAMESPACE] }); } },
    });

    const web = env.addApp('web', { builder: new Web(versions), namespace: WEB_NAMESPACE });

    // one Application, two sources: the upstream chart and our rules, dashboard and secret
    const monitoring = env.addApp('monitoring', { builder: new Monitoring(), namespace: MONITORING_NAMESPACE });
    monitoring.application.addSource(kubePrometheusStack(name, versions));
    // the chart's CRDs are too large for client-side apply's last-applied annotation
    monitoring.application.addSyncOption(SyncOption.SERVER_SIDE_APPLY);

    for (const d of [web, monitoring, env.app('secret-store')]) {
      ApiObject.of(d.application).metadata.addLabel(ENV_LABEL, name);
    }
    if (production) {
      // the owning team hears about its failures; the deployments channel hears about everything
      // (the default subscription in argocd-config.ts)
      NotificationSubscription.of({ trigger: 'on-sync-failed', service: 'slack', recipients: ['web-team'] }).applyTo(web.application);
      NotificationSubscription.of({ trigger: 'on-health-degraded', service: 'slack', recipients: ['sre'] }).applyTo(monitoring.application);
    }

    // The api's manifests for this environment. They are deployed by the api ApplicationSet below,
    // not by addApp(): written here, to the directory the layout gives them.
    const api = new Chart(env, 'Api', { disableResourceNameHashes: true });
    OutputDirectory.set(api, repo.layout.appDirectory('api', name));
    buildApi(api, name, versions);
  }

  addApiApplicationSet(repo, management);
  return app;
}

/** Automated sync for dev and staging. */
function autoSync(): SyncPolicy {
  return {
    automated: { prune: true, selfHeal: true },
    syncOptions: [SyncOption.CREATE_NAMESPACE, SyncOption.PRUNE_LAST],
    retry: { limit: 5, backoff: { duration: Duration.seconds(5), factor: 2, maxDuration: Duration.minutes(3) } },
  };
}

/** No `automated`: production is synced by hand, after approval. */
function manualSync(): SyncPolicy {
  return { syncOptions: [SyncOption.CREATE_NAMESPACE, SyncOption.PRUNE_LAST] };
}

/**
 * The environment's AppProject (seed 08's shape): this repository and the monitoring chart, the
 * environment's cluster and namespaces only, and the cluster-scoped kinds the apps need.
 */
function addProject(env: Environment, name: EnvName): AppProject {
  const server = CLUSTERS[name].server;
  const project = env.addProject(name, {
    description: `${name} environment`,
    sourceRepos: [REPO_URL, PROMETHEUS_COMMUNITY_CHARTS],
    // kube-system: the chart's Services for scraping the control plane
    destinations: [API_NAMESPACE, WEB_NAMESPACE, MONITORING_NAMESPACE, ESO_NAMESPACE, 'kube-system']
      .map((ns) => ProjectDestination.server(server, ns)),
    clusterResourceWhitelist: [
      { group: '', kind: 'Namespace' },
      { group: 'external-secrets.io', kind: 'ClusterSecretStore' },
      // kube-prometheus-stack
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
    ],
    // quotas and network policies belong to the platform team, not to the apps
    namespaceResourceBlacklist: [
      { group: '', kind: 'ResourceQuota' },
      { group: '', kind: 'LimitRange' },
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
    ],
  });
  const production = name === 'production';
  project.addRole('developer', {
    description: production ? 'Developers see production' : `Developers deploy to ${name}`,
    groups: [GROUPS.developers],
    policies: [
      RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.GET }),
      RolePolicy.allow({ resource: PolicyResource.LOGS, action: PolicyAction.GET }),
      ...(production ? [] : [RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.SYNC })]),
    ],
  });
  project.addRole('sre', {
    description: `SRE operate ${name}`,
    groups: [GROUPS.sre],
    policies: [RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.ALL })],
  });
  if (production) {
    // no production syncs over the weekend (Friday 16:00 to Monday 08:00), manual ones included
    project.addSyncWindow({
      kind: SyncWindowKind.DENY,
      schedule: '0 16 * * 5',
      duration: Duration.hours(64),
      applications: ['*'],
      manualSync: false,
      timeZone: 'Europe/Dublin',
      description: 'weekend freeze',
    });
  }
  return project;
}

/**
 * The api across environments: one ApplicationSet on the hub, whose clusters generator creates
 * `api-<env>` for every workload cluster registered in Argo CD, reading `apps/api/<env>/`.
 *
 * Why the api is deployed this way and not with `addApp()` like web: the api is the service that
 * grows to more clusters (a second production region, a load-test cluster). With the clusters
 * generator, registering a cluster labelled `env: <env>` is all it takes to run the api there, and
 * removing it removes the api with it. Each environment's manifests are still written by this
 * program to `apps/api/<env>/`, so a promotion is the same one-line change as for web. There is
 * exactly one Application per api deployment: the ApplicationSet's, never a second one from addApp.
 *
 * The generated Applications follow the environments' rules: project `<env>`, automated sync
 * except in production (templatePatch), the `env` label the notification subscriptions select on.
 */
function addApiApplicationSet(repo: GitOpsRepo, management: Environment): ApplicationSet {
  const env = '{{ .metadata.labels.env }}';
  return new ApplicationSet(management.chart, 'api', {
    name: 'api',
    namespace: repo.argoCdNamespace,
    goTemplate: true,
    generators: [ApplicationSetGenerator.clusters({
      selector: {
        matchLabels: { 'myorg.io/workloads': 'true' },
        matchExpressions: [{ key: ENV_LABEL, operator: LabelSelectorOperator.IN, values: [...ENVIRONMENTS] }],
      },
    })],
    template: {
      name: `api-${env}`,
      projectName: env,
      labels: { [ENV_LABEL]: env, 'app.kubernetes.io/name': 'api' },
      source: ApplicationSource.git({
        repoUrl: repo.repoUrl,
        targetRevision: repo.targetRevision,
        path: `${repo.outputRoot}/${repo.layout.appDirectory('api', env)}`,
      }),
      destination: Destination.server('{{ .server }}', API_NAMESPACE),
      syncPolicy: manualSync(),
      info: { url: 'https://api.{{ index .metadata.annotations "myorg.io/domain" }}' },
    },
    // Non-string fields cannot hold placeholders; the patch turns automated sync on outside
    // production, and subscribes the api team to production sync failures.
    templatePatch: [
      '{{- if ne .metadata.labels.env "production" }}',
      'spec:',
      '  syncPolicy:',
      '    automated:',
      '      prune: true',
      '      selfHeal: true',
      '{{- else }}',
      'metadata:',
      '  annotations:',
      '    notifications.argoproj.io/subscribe.on-sync-failed.slack: api-team',
      '{{- end }}',
      '',
    ].join('\n'),
    // deleting the ApplicationSet (or a typo in its selector) must not delete the api everywhere
    syncPolicy: { preserveResourcesOnDeletion: true },
  });
}
