// What differs between environments, in one place: the versions running in each environment (the
// promotion table), the clusters, and the per-environment settings of the apps.
import { Cluster, Versions } from '../../lib';

/** The Git repository this code writes and Argo CD reads. */
export const REPO_URL = 'https://github.com/myorg/infra-repo.git';

/** The branch Argo CD follows. */
export const TARGET_REVISION = 'main';

/** Where the output sits inside the repository (Application source paths are computed from it). */
export const OUTPUT_ROOT = 'examples/platform/dist';

/** The workload environments, in promotion order. */
export const ENVIRONMENTS = ['dev', 'staging', 'production'] as const;
export type EnvName = typeof ENVIRONMENTS[number];

/**
 * The version of every component in every environment. CI writes a new api tag into `dev`; a
 * promotion copies it to the next environment's line, and only that environment's files change:
 *
 *   api: { dev: 'v2.2.0', staging: 'v2.2.0', production: 'v2.1.0' }   // promote v2.2.0 to staging
 */
export const VERSIONS = new Versions({
  'api': { dev: 'v2.2.0', staging: 'v2.1.0', production: 'v2.1.0' },
  'web': { dev: 'v1.8.0', staging: 'v1.8.0', production: 'v1.7.3' },
  'kube-prometheus-stack': { dev: '58.0.0', staging: '58.0.0', production: '57.2.0' },
});

/** What an app needs to know about the environment it is built for. */
export interface EnvSettings {
  /** The AWS account and region of the environment's EKS cluster. */
  readonly awsAccountId: string;
  readonly awsRegion: string;
  /** The DNS zone of the environment's public endpoints. */
  readonly domain: string;
  /** Replicas of api and web. */
  readonly replicas: number;
  /** Days of metrics Prometheus keeps. */
  readonly metricsRetentionDays: number;
}

export const SETTINGS: { [env in EnvName]: EnvSettings } = {
  dev: { awsAccountId: '111111111111', awsRegion: 'eu-west-1', domain: 'dev.example.com', replicas: 1, metricsRetentionDays: 3 },
  staging: { awsAccountId: '222222222222', awsRegion: 'eu-west-1', domain: 'staging.example.com', replicas: 2, metricsRetentionDays: 7 },
  production: { awsAccountId: '333333333333', awsRegion: 'eu-west-1', domain: 'example.com', replicas: 3, metricsRetentionDays: 30 },
};

// The API server endpoints EKS assigned (`aws eks describe-cluster --query cluster.endpoint`).
const EKS_ENDPOINTS: { [env in EnvName]: string } = {
  dev: '5E2B8F41C07D93A6E1F0B4C29D8A7E31',
  staging: '9C4D1A7B3E60F2D85B19C0E4A7F63D28',
  production: 'B71F0E39D4A2C86E5F13A09D7C42B6E5',
};

/** The management cluster Argo CD runs on (its own AWS account and region). */
export const MANAGEMENT = { awsAccountId: '000000000000', awsRegion: 'eu-west-1', argoCdUrl: 'https://argocd.example.com' };

/**
 * The workload clusters: one EKS cluster per environment, each in its own AWS account. Argo CD runs
 * on a separate management cluster (hub and spoke) and reaches them through AWS IAM: its
 * application controller (IRSA) assumes the `argocd-deployer` role of each account, which the
 * cluster maps to a Kubernetes identity. The cluster Secrets hold no token, so they can be committed.
 *
 * The labels are what the clusters generator of the api ApplicationSet selects on.
 */
export const CLUSTERS: { [env in EnvName]: Cluster } = Object.fromEntries(ENVIRONMENTS.map((env) => {
  const s = SETTINGS[env];
  return [env, new Cluster({
    name: env,
    server: `https://${EKS_ENDPOINTS[env]}.gr7.${s.awsRegion}.eks.amazonaws.com`,
    labels: { 'env': env, 'region': s.awsRegion, 'myorg.io/workloads': 'true' },
    annotations: { 'myorg.io/aws-account': s.awsAccountId, 'myorg.io/domain': s.domain },
    config: {
      awsAuthConfig: { clusterName: `${env}-${s.awsRegion}`, roleArn: `arn:aws:iam::${s.awsAccountId}:role/argocd-deployer` },
    },
  })];
})) as { [env in EnvName]: Cluster };
