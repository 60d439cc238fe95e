// A small multi-environment repository, in TypeScript: an AppProject, an Application with a Helm
// source, an ApplicationSet, a hook and an ExternalSecret per environment. The Python, Java and Go
// apps beside it build the same tree.
import { Chart, Duration } from 'cdk8s';
import {
  AppProject, Application, ApplicationSet, ApplicationSetGenerator, ApplicationSource, ArgoCdApp,
  AwsAuth, ClusterSecretStore, Destination, ExternalSecret, HelmValues, HookDeletePolicy, HookJob,
  HookPhase, ProjectDestination, SecretStoreProvider, SyncOption,
} from '../../../lib';

const app = new ArgoCdApp({ outdir: process.env.OUTDIR ?? 'gitops' });
const envs: Record<string, string> = { dev: 'https://dev.k8s.example.com', prod: 'https://prod.k8s.example.com' };
for (const env of Object.keys(envs)) {
  const chart = new Chart(app, env);
  const project = new AppProject(chart, 'project', {
    name: `team-${env}`,
    description: `Team apps in ${env}`,
    sourceRepos: ['https://github.com/myorg/*', 'https://charts.example.com'],
    destinations: [ProjectDestination.server(envs[env], '*')],
  });
  new Application(chart, 'podinfo', {
    name: `podinfo-${env}`,
    project,
    source: ApplicationSource.helmChart({
      repoUrl: 'https://charts.example.com',
      chart: 'podinfo',
      version: '6.7.0',
      releaseName: 'podinfo',
      values: HelmValues.fromObject({ replicaCount: env === 'prod' ? 3 : 1, ui: { message: `hello ${env}` } }),
    }),
    destination: Destination.server(envs[env], 'podinfo'),
    syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [SyncOption.CREATE_NAMESPACE] },
  });
  new ApplicationSet(chart, 'services', {
    name: `services-${env}`,
    generators: [ApplicationSetGenerator.list({ elements: [{ svc: 'api' }, { svc: 'worker' }] })],
    template: {
      name: `{{svc}}-${env}`,
      project,
      source: ApplicationSource.git({ repoUrl: 'https://github.com/myorg/services.git', targetRevision: 'main', path: `{{svc}}/${env}` }),
      destination: Destination.server(envs[env], '{{svc}}'),
    },
  });
  new HookJob(chart, 'db-migrate', {
    phase: HookPhase.PRE_SYNC,
    deletePolicies: [HookDeletePolicy.HOOK_SUCCEEDED],
    wave: -1,
    containers: [{ image: 'myorg/migrate:1.4.2', command: ['./migrate', 'up'] }],
  });
  const store = new ClusterSecretStore(chart, 'aws', {
    provider: SecretStoreProvider.awsSecretsManager({
      region: 'eu-west-1',
      auth: AwsAuth.serviceAccount({ name: 'external-secrets', namespace: 'external-secrets' }),
    }),
  });
  new ExternalSecret(chart, 'db', {
    namespace: 'podinfo',
    store,
    refreshInterval: Duration.hours(1),
    data: [{ secretKey: 'password', remoteKey: `${env}/db`, property: 'password' }],
  });
}
app.synth();
