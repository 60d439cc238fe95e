// Seeds 02 and 09 (../shared/reference/seed-manifests), written with the typed ApplicationSet
// API. test/examples/application-set-seeds.test.ts compares the output with the seed files.
import { Construct } from 'constructs';
import { AppProject } from '../../lib/argocd/app-project';
import { ApplicationSet } from '../../lib/argocd/application-set';
import { ApplicationSource, HelmValues } from '../../lib/argocd/application-source';
import { Destination } from '../../lib/argocd/destination';
import { ApplicationSetGenerator } from '../../lib/argocd/generators/generator';

const INFRA_REPO = 'https://github.com/myorg/infra-repo.git';
const MANIFESTS_REPO = 'https://github.com/myorg/k8s-manifests.git';

const ENVIRONMENTS = [
  { env: 'dev', cluster: 'https://dev.k8s.example.com', namespace: 'dev' },
  { env: 'staging', cluster: 'https://staging.k8s.example.com', namespace: 'staging' },
  { env: 'production', cluster: 'https://prod.k8s.example.com', namespace: 'production' },
];

/** 02: one ApplicationSet for all environments (list generator), as the seed file has it. */
export function seed02ApplicationSetList(scope: Construct): void {
  new ApplicationSet(scope, 'api-all-envs', {
    generators: [ApplicationSetGenerator.list({ elements: ENVIRONMENTS })],
    template: {
      name: 'api-{{env}}',
      project: AppProject.fromProjectName(scope, 'default', 'default'),
      source: ApplicationSource.git({ repoUrl: INFRA_REPO, targetRevision: 'main', path: 'apps/api/overlays/{{env}}' }),
      destination: Destination.server('{{cluster}}', '{{namespace}}'),
      syncPolicy: { automated: { prune: true } },
    },
  });
}

/**
 * 02's intent: self-heal only in dev. `selfHeal` is a boolean, so it cannot hold a placeholder;
 * under goTemplate, `templatePatch` sets it per generated Application.
 */
export function seed02ApplicationSetListSelfHealInDev(scope: Construct): ApplicationSet {
  return new ApplicationSet(scope, 'api-all-envs', {
    goTemplate: true,
    generators: [ApplicationSetGenerator.list({ elements: ENVIRONMENTS })],
    template: {
      name: 'api-{{ .env }}',
      project: AppProject.fromProjectName(scope, 'default', 'default'),
      source: ApplicationSource.git({ repoUrl: INFRA_REPO, targetRevision: 'main', path: 'apps/api/overlays/{{ .env }}' }),
      destination: Destination.server('{{ .cluster }}', '{{ .namespace }}'),
      syncPolicy: { automated: { prune: true } },
    },
    templatePatch: [
      'spec:',
      '  syncPolicy:',
      '    automated:',
      '      prune: true',
      '      selfHeal: {{ eq .env "dev" }}',
      '',
    ].join('\n'),
  });
}

/** 09: git directories with an exclusion, clusters, and a matrix of both. */
export function seed09ApplicationSetGitClusterMatrix(scope: Construct): void {
  const defaultProject = AppProject.fromProjectName(scope, 'default', 'default');
  const productionClusters = () => ApplicationSetGenerator.clusters({ selector: { matchLabels: { env: 'production' } } });

  new ApplicationSet(scope, 'microservices', {
    generators: [ApplicationSetGenerator.gitDirectories({
      repoUrl: MANIFESTS_REPO,
      revision: 'main',
      directories: ['apps/*'],
      excludeDirectories: ['apps/deprecated-*'],
    })],
    template: {
      name: '{{path.basename}}',
      project: defaultProject,
      source: ApplicationSource.git({ repoUrl: MANIFESTS_REPO, targetRevision: 'main', path: '{{path}}/overlays/production' }),
      destination: Destination.inCluster('{{path.basename}}'),
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  });

  new ApplicationSet(scope, 'monitoring-stack', {
    generators: [productionClusters()],
    template: {
      name: 'monitoring-{{name}}',
      project: AppProject.fromProjectName(scope, 'infrastructure', 'infrastructure'),
      source: ApplicationSource.git({
        repoUrl: MANIFESTS_REPO,
        targetRevision: 'main',
        path: 'infrastructure/monitoring',
        helm: { values: HelmValues.fromString('cluster: {{name}}\nregion: {{metadata.labels.region}}\n') },
      }),
      destination: Destination.server('{{server}}', 'monitoring'),
    },
  });

  new ApplicationSet(scope, 'multi-cluster-apps', {
    generators: [ApplicationSetGenerator.matrix(
      productionClusters(),
      ApplicationSetGenerator.gitDirectories({ repoUrl: MANIFESTS_REPO, revision: 'main', directories: ['apps/*'] }),
    )],
    template: {
      name: '{{path.basename}}-{{name}}',
      project: defaultProject,
      source: ApplicationSource.git({ repoUrl: MANIFESTS_REPO, targetRevision: 'main', path: '{{path}}' }),
      destination: Destination.server('{{server}}', '{{path.basename}}'),
    },
  });
}

/** The ApplicationSet seeds, by seed file name. */
export const APPLICATION_SET_SEEDS: { [file: string]: (scope: Construct) => void } = {
  '02-applicationset-list.yaml': seed02ApplicationSetList,
  '09-applicationset-git-cluster-matrix.yaml': seed09ApplicationSetGitClusterMatrix,
};
