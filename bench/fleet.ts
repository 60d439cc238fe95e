// The fleet the benchmark synthesizes: issue 7's "one Argo CD instance at capacity", built with the
// library's public API.
//
// At scale 1: 50 clusters in three environments (dev, staging, prod), 30 apps per cluster, that is
// 1,500 Applications, written into one App of Apps directory per environment (`clusters/<env>`)
// and reached from one root Application per environment (`bootstrap`); one ApplicationSet per app
// (preview environments through the clusters generator); one AppProject per environment; and for
// every (cluster, app) a cdk8s chart of eight objects (cdk8s-plus-28 Deployment, Service,
// ConfigMap, ServiceAccount, HorizontalPodAutoscaler, PodDisruptionBudget, Ingress, and an
// ExternalSecret) under `apps/<app>/<cluster>`, with a WavePolicy per chart, dependency-derived
// waves, explicit waves and a PreSync HookJob in every fifth app. About 13,800 objects.
//
// The scale multiplies the number of clusters (5 at 0.1, 500 at 10); apps per cluster stay 30.
import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppProject, Application, ApplicationFinalizer, ApplicationSet, ApplicationSetGenerator, ApplicationSource,
  ArgoCdApp, Cluster, ClusterCredentials, ClusterSecret, ClusterSecretStore, Destination, ExternalSecret,
  HookDeletePolicy, HookJob, HookPhase, OutputDirectory, ProjectDestination, SyncOption, SyncWave,
  WavePolicy,
} from '../lib';

export const REPO_URL = 'https://github.com/example-org/platform.git';
export const ENVIRONMENTS = ['dev', 'staging', 'prod'];
export const APPS_PER_CLUSTER = 30;
export const BASE_CLUSTERS = 50;

/** The app names (30): lowercase, DNS-safe. */
export const APP_NAMES: string[] = Array.from({ length: APPS_PER_CLUSTER }, (_, i) => `svc${String(i).padStart(2, '0')}`);

/** One cluster of the fleet. */
export interface FleetCluster {
  readonly name: string;
  readonly env: string;
  readonly server: string;
}

/** The clusters at a scale: `round(50 * scale)`, at least one, dealt round-robin to the environments. */
export function clustersAt(scale: number): FleetCluster[] {
  const n = Math.max(1, Math.round(BASE_CLUSTERS * scale));
  return Array.from({ length: n }, (_, i) => {
    const env = ENVIRONMENTS[i % ENVIRONMENTS.length];
    const name = `${env}-c${String(i).padStart(3, '0')}`;
    return { name, env, server: `https://${name}.k8s.example.com` };
  });
}

/** What `buildFleet` returns. */
export interface Fleet {
  readonly app: ArgoCdApp;
  readonly clusters: FleetCluster[];
  /** Number of Applications written in the App of Apps directories. */
  readonly applications: number;
}

/**
 * Builds the fleet into a fresh `ArgoCdApp` writing to `outdir`.
 *
 * @param scale 1 for issue 7's size (~14,000 objects)
 * @param outdir the app's output directory
 */
export function buildFleet(scale: number, outdir: string): Fleet {
  const app = new ArgoCdApp({ outdir });
  const clusters = clustersAt(scale);

  // Projects: one per environment, allowing this repo and the environment's clusters.
  const projectsChart = new Chart(app, 'projects');
  OutputDirectory.set(projectsChart, 'projects');
  const projects = new Map<string, AppProject>();
  for (const env of ENVIRONMENTS) {
    projects.set(env, new AppProject(projectsChart, env, {
      namespace: 'argocd',
      description: `${env} workloads`,
      sourceRepos: [REPO_URL],
      destinations: [
        ProjectDestination.server(`https://${env}-*.k8s.example.com`, 'svc*'),
        ProjectDestination.inCluster('argocd'),
      ],
      namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
    }));
  }

  // App of Apps roots: one per environment, syncing `clusters/<env>`.
  const bootstrap = new Chart(app, 'bootstrap');
  OutputDirectory.set(bootstrap, 'bootstrap');
  const envCharts = new Map<string, Chart>();
  for (const env of ENVIRONMENTS) {
    new Application(bootstrap, `root-${env}`, {
      name: `root-${env}`,
      namespace: 'argocd',
      project: projects.get(env)!,
      finalizers: [ApplicationFinalizer.RESOURCES],
      source: ApplicationSource.git({ repoUrl: REPO_URL, targetRevision: 'main', path: `clusters/${env}` }),
      destination: Destination.inCluster('argocd'),
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    const chart = new Chart(app, `clusters-${env}`);
    OutputDirectory.set(chart, `clusters/${env}`);
    envCharts.set(env, chart);
  }

  // Every cluster registered in Argo CD: a cluster Secret written by an ExternalSecret (the
  // bearer token comes from the store), labelled for the preview ApplicationSets below.
  const registrations = new Chart(app, 'registrations');
  OutputDirectory.set(registrations, 'clusters/registrations');
  const vault = ClusterSecretStore.fromName(registrations, 'vault', 'vault');
  clusters.forEach((c, i) => {
    const previewLabels: { [key: string]: string } = {};
    APP_NAMES.forEach((name, j) => {
      if ((i + j) % 5 === 0) previewLabels[`preview.example.com/${name}`] = 'enabled';
    });
    new ClusterSecret(registrations, c.name, {
      cluster: new Cluster({ name: c.name, server: c.server, labels: { env: c.env, ...previewLabels } }),
      credentials: ClusterCredentials.bearerTokenFromStore({ store: vault, remoteKey: `argocd/clusters/${c.name}`, property: 'token' }),
    });
  });

  // One ApplicationSet per app: preview copies on the clusters labelled for it.
  const appsets = new Chart(app, 'applicationsets');
  OutputDirectory.set(appsets, 'applicationsets');
  for (const name of APP_NAMES) {
    new ApplicationSet(appsets, name, {
      name: `${name}-preview`,
      goTemplate: true,
      generators: [ApplicationSetGenerator.clusters({ selector: { matchLabels: { [`preview.example.com/${name}`]: 'enabled' } } })],
      template: {
        name: `{{.name}}-${name}-preview`,
        projectName: '{{index .metadata.labels "env"}}',
        source: ApplicationSource.git({ repoUrl: REPO_URL, targetRevision: 'main', path: `apps/${name}/{{.name}}` }),
        destination: Destination.server('{{.server}}', `${name}-preview`),
        syncPolicy: { syncOptions: [SyncOption.CREATE_NAMESPACE] },
      },
    });
  }

  let applications = 0;
  for (const cluster of clusters) {
    const envChart = envCharts.get(cluster.env)!;
    const project = projects.get(cluster.env)!;
    let platform: Application | undefined;
    APP_NAMES.forEach((name, i) => {
      const dir = `apps/${name}/${cluster.name}`;
      const application = new Application(envChart, `${cluster.name}-${name}`, {
        name: `${cluster.name}-${name}`,
        namespace: 'argocd',
        project,
        source: ApplicationSource.git({ repoUrl: REPO_URL, targetRevision: 'main', path: dir }),
        destination: Destination.server(cluster.server, `${name}-${cluster.name}`),
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: [SyncOption.CREATE_NAMESPACE],
          retry: { limit: 5, backoff: { duration: Duration.seconds(5), factor: 2, maxDuration: Duration.minutes(3) } },
        },
      });
      applications++;
      // the first app is the cluster's platform app: an explicit early wave; every third app waits for it
      if (i === 0) {
        SyncWave.of(-5).applyTo(application);
        platform = application;
      } else if (i % 3 === 0) {
        SyncWave.after(application, platform!);
      }
      buildAppChart(app, `${cluster.name}-${name}-chart`, dir, name, cluster, i);
    });
  }

  return { app, clusters, applications };
}

/** The chart one Application deploys: eight objects, nine with a hook. */
function buildAppChart(app: ArgoCdApp, id: string, dir: string, name: string, cluster: FleetCluster, index: number): void {
  const chart = new Chart(app, id, { namespace: `${name}-${cluster.name}`, labels: { 'app.kubernetes.io/part-of': name } });
  OutputDirectory.set(chart, dir);
  WavePolicy.of(chart, { ServiceAccount: -2, ConfigMap: -1, ExternalSecret: -1 });

  const serviceAccount = new kplus.ServiceAccount(chart, 'sa', { metadata: { name } });
  const config = new kplus.ConfigMap(chart, 'config', {
    metadata: { name: `${name}-config` },
    data: { LOG_LEVEL: 'info', CLUSTER: cluster.name, ENVIRONMENT: cluster.env, FEATURE_FLAGS: 'a,b,c' },
  });
  const store = ClusterSecretStore.fromName(chart, 'store', 'vault');
  const secret = new ExternalSecret(chart, 'db', {
    name: `${name}-db`,
    store,
    refreshInterval: Duration.hours(1),
    data: [
      { secretKey: 'username', remoteKey: `${cluster.env}/${name}/db`, property: 'username' },
      { secretKey: 'password', remoteKey: `${cluster.env}/${name}/db`, property: 'password' },
    ],
  });
  const deployment = new kplus.Deployment(chart, 'deployment', {
    metadata: { name },
    serviceAccount,
    automountServiceAccountToken: false,
    podMetadata: { labels: { app: name } },
    containers: [{
      name: 'app',
      image: `registry.example.com/${name}:1.${index}.0`,
      portNumber: 8080,
      envFrom: [kplus.Env.fromConfigMap(config)],
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
      },
      securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true, user: 1000, group: 1000 },
    }],
  });
  SyncWave.after(deployment, secret);
  const service = new kplus.Service(chart, 'service', {
    metadata: { name },
    selector: deployment,
    ports: [{ port: 80, targetPort: 8080 }],
  });
  new kplus.HorizontalPodAutoscaler(chart, 'hpa', {
    metadata: { name },
    target: deployment,
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
  });
  new kplus.k8s.KubePodDisruptionBudget(chart, 'pdb', {
    metadata: { name },
    spec: { minAvailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: { app: name } } },
  });
  new kplus.Ingress(chart, 'ingress', {
    metadata: { name },
    rules: [{ host: `${name}.${cluster.name}.example.com`, backend: kplus.IngressBackend.fromService(service) }],
  });
  if (index % 5 === 0) {
    new HookJob(chart, 'migrate', {
      phase: HookPhase.PRE_SYNC,
      deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION, HookDeletePolicy.HOOK_SUCCEEDED],
      generateName: `${name}-migrate-`,
      securityContext: { ensureNonRoot: true, user: 1000, group: 1000 },
      containers: [{
        name: 'migrate',
        image: `registry.example.com/${name}-migrations:1.${index}.0`,
        command: ['/migrate', 'up'],
        securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true, user: 1000, group: 1000 },
      }],
    });
  }
}
