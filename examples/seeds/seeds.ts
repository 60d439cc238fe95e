// The design documents' example manifests (../shared/reference/seed-manifests), written with the
// typed API. Each function builds one seed into a chart; test/examples/seeds.test.ts compares the
// output with the seed files, document by document.
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AppProject, Application, ApplicationFinalizer, ApplicationSource, Destination, HelmValues,
  PolicyAction, PolicyResource, ProjectDestination, RolePolicy, SyncOption,
} from '../../lib';

const INFRA_REPO = 'https://github.com/myorg/infra-repo.git';
const MANIFESTS_REPO = 'https://github.com/myorg/k8s-manifests.git';

/** 01: App of Apps: the hand-applied root Application and one child. */
export function seed01RootAppOfApps(scope: Construct): void {
  new Application(scope, 'production-root', {
    project: AppProject.fromProjectName(scope, 'default', 'default'),
    finalizers: [ApplicationFinalizer.RESOURCES],
    source: ApplicationSource.git({ repoUrl: INFRA_REPO, targetRevision: 'main', path: 'clusters/production' }),
    destination: Destination.inCluster('argocd'),
    syncPolicy: { automated: { prune: true, selfHeal: true } },
  });
  new Application(scope, 'api-production', {
    project: AppProject.fromProjectName(scope, 'production', 'production'),
    source: ApplicationSource.git({ repoUrl: INFRA_REPO, targetRevision: 'main', path: 'apps/api/overlays/production' }),
    destination: Destination.server('https://prod.k8s.example.com', 'production'),
    syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [SyncOption.CREATE_NAMESPACE] },
  });
}

/** 03: every common Application field. */
export function seed03ApplicationFull(scope: Construct): void {
  new Application(scope, 'myapp-production', {
    project: AppProject.fromProjectName(scope, 'production', 'production'),
    finalizers: [ApplicationFinalizer.RESOURCES],
    source: ApplicationSource.git({ repoUrl: MANIFESTS_REPO, targetRevision: 'main', path: 'apps/myapp/overlays/production' }),
    destination: Destination.inCluster('production'),
    syncPolicy: {
      automated: { prune: true, selfHeal: true, allowEmpty: false },
      syncOptions: [
        SyncOption.CREATE_NAMESPACE,
        SyncOption.PRUNE_PROPAGATION_FOREGROUND,
        SyncOption.PRUNE_LAST,
        SyncOption.APPLY_OUT_OF_SYNC_ONLY,
      ],
      retry: {
        limit: 5,
        backoff: { duration: Duration.seconds(5), factor: 2, maxDuration: Duration.minutes(3) },
      },
    },
    ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
    info: { url: 'https://myapp.example.com' },
  });
}

/** 04: a Helm chart with release name, value files, inline values and parameters. */
export function seed04ApplicationHelm(scope: Construct): void {
  new Application(scope, 'myapp-helm', {
    project: AppProject.fromProjectName(scope, 'default', 'default'),
    source: ApplicationSource.helmChart({
      repoUrl: 'https://charts.example.com',
      chart: 'myapp',
      version: '1.5.0',
      releaseName: 'myapp',
      valueFiles: ['values-production.yaml'],
      values: HelmValues.fromObject({
        replicaCount: 3,
        image: { tag: 'v2.1.0' },
        resources: { requests: { cpu: '200m', memory: '256Mi' } },
      }),
      parameters: [
        { name: 'ingress.enabled', value: 'true' },
        { name: 'ingress.host', value: 'myapp.example.com' },
      ],
    }),
    destination: Destination.inCluster('production'),
  });
}

/** 05: Kustomize with images, a name prefix, common labels and annotations. */
export function seed05ApplicationKustomize(scope: Construct): void {
  new Application(scope, 'myapp-kustomize', {
    project: AppProject.fromProjectName(scope, 'default', 'default'),
    source: ApplicationSource.kustomize({
      repoUrl: MANIFESTS_REPO,
      targetRevision: 'main',
      path: 'apps/myapp/overlays/production',
      images: ['myregistry.io/myapp:v2.1.0'],
      namePrefix: 'prod-',
      commonLabels: { env: 'production' },
      commonAnnotations: { team: 'backend' },
    }),
    destination: Destination.inCluster('production'),
  });
}

/** 08: two AppProjects with repos, destinations, resource lists and roles. */
export function seed08AppProject(scope: Construct): void {
  const production = new AppProject(scope, 'production', {
    description: 'Production environment project',
    sourceRepos: ['https://github.com/myorg/*', 'https://charts.example.com'],
    destinations: [
      ProjectDestination.inCluster('production'),
      ProjectDestination.server('https://us-east.k8s.example.com', 'production'),
    ],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    namespaceResourceWhitelist: [
      { group: 'apps', kind: 'Deployment' },
      { group: '', kind: 'Service' },
      { group: 'networking.k8s.io', kind: 'Ingress' },
    ],
  });
  production.addRole('developer', {
    description: 'Developer access',
    policies: [
      RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.GET }),
      RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.SYNC }),
    ],
    groups: ['dev-team'],
  });
  production.addRole('admin', {
    description: 'Admin access',
    policies: [RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.ALL })],
    groups: ['platform-team'],
  });

  const myapp = new AppProject(scope, 'myapp', {
    description: 'MyApp Project',
    sourceRepos: ['https://github.com/example/*', 'https://charts.example.com'],
    destinations: [ProjectDestination.inCluster('myapp-*')],
    namespaceResourceBlacklist: [
      { group: '', kind: 'ResourceQuota' },
      { group: '', kind: 'LimitRange' },
    ],
  });
  myapp.addRole('developer', {
    groups: ['myapp-developers'],
    policies: [RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.ALL })],
  });
}

/** 12: an Application deploying Cluster API objects, and the same app on a second cluster. */
export function seed12ClusterApiApplication(scope: Construct): void {
  new Application(scope, 'capi-capz-quickstart', {
    namespace: '',
    project: AppProject.fromProjectName(scope, 'default', 'default'),
    source: ApplicationSource.git({
      repoUrl: 'git@github.com:PacktPublishing/Implementing-GitOps-with-Kubernetes.git',
      targetRevision: 'HEAD',
      path: './chapter-6-gitops-architectural-designs-and-operational-control/chapter-6-centralized-kubernetes-cluster-creation/',
    }),
    destination: Destination.inCluster('capi-capz-quickstart'),
    syncPolicy: {
      automated: { prune: false, selfHeal: true },
      syncOptions: [SyncOption.CREATE_NAMESPACE, SyncOption.SKIP_SCHEMA_VALIDATION],
    },
  });
  new Application(scope, 'myapp-us-east', {
    project: AppProject.fromProjectName(scope, 'multi-cluster', 'multi-cluster'),
    source: ApplicationSource.git({ repoUrl: MANIFESTS_REPO, targetRevision: 'main', path: 'apps/myapp/overlays/us-east' }),
    destination: Destination.server('https://us-east.k8s.example.com', 'production'),
  });
}

/** 13: a GitOps-friendly Helm release. */
export function seed13HelmReleaseProduction(scope: Construct): void {
  new Application(scope, 'myapp-production', {
    project: AppProject.fromProjectName(scope, 'default', 'default'),
    source: ApplicationSource.helmChart({
      repoUrl: 'https://charts.example.com',
      chart: 'myapp',
      version: '1.2.3',
      valueFiles: ['values-production.yaml'],
      parameters: [
        { name: 'replicaCount', value: '5' },
        { name: 'image.tag', value: 'v1.2.3' },
      ],
    }),
    destination: Destination.inCluster('production'),
    syncPolicy: { automated: { prune: true, selfHeal: true } },
  });
}

/** Every seed this module reproduces, by seed file name. */
export const SEEDS: { [file: string]: (scope: Construct) => void } = {
  '01-root-app-of-apps.yaml': seed01RootAppOfApps,
  '03-application-full.yaml': seed03ApplicationFull,
  '04-application-helm.yaml': seed04ApplicationHelm,
  '05-application-kustomize.yaml': seed05ApplicationKustomize,
  '08-appproject.yaml': seed08AppProject,
  '12-cluster-api-application.yaml': seed12ClusterApiApplication,
  '13-helm-release-production.yaml': seed13HelmReleaseProduction,
};
