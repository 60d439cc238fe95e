// Pieces the four topology examples share: the repository, and small apps built per cluster.
import { ApiObject, Chart } from 'cdk8s';
import { ApplicationSource, Cluster } from '../../lib';
import { IClusterChartBuilder } from '../../lib/fleet/topologies/app-options';

/** The infra repository every Argo CD instance of the examples reads. */
export const REPO_URL = 'https://github.com/myorg/infra-repo.git';

/** The branch the instances read. */
export const REVISION = 'main';

/** A monitoring agent whose configuration names the cluster it runs on (from the cluster's labels). */
export const monitoringAgent: IClusterChartBuilder = {
  buildChart(chart: Chart, cluster: Cluster) {
    new ApiObject(chart, 'config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'monitoring-agent', namespace: 'monitoring' },
      data: { cluster: cluster.name, ...prefixed('label.', cluster.labels) },
    });
  },
};

/** A small web service; replicas follow the cluster's `env` label. */
export function webService(name: string, image: string): IClusterChartBuilder {
  return {
    buildChart(chart: Chart, cluster: Cluster) {
      const labels = { 'app.kubernetes.io/name': name };
      new ApiObject(chart, 'deployment', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: name, labels },
        spec: {
          replicas: cluster.labels.env === 'production' ? 3 : 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name, image, ports: [{ containerPort: 8080 }] }] },
          },
        },
      });
      new ApiObject(chart, 'service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: name, labels },
        spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
      });
    },
  };
}

/** A Kyverno policy requiring a `team` label on every Deployment. */
export const policies: IClusterChartBuilder = {
  buildChart(chart: Chart, cluster: Cluster) {
    new ApiObject(chart, 'require-team-label', {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'require-team-label' },
      spec: {
        validationFailureAction: cluster.labels.env === 'production' ? 'Enforce' : 'Audit',
        rules: [{
          name: 'check-team',
          match: { any: [{ resources: { kinds: ['Deployment'] } }] },
          validate: { message: 'every Deployment needs a team label', pattern: { metadata: { labels: { team: '?*' } } } },
        }],
      },
    });
  },
};

/** The ingress-nginx Helm chart. */
export const ingressNginx = ApplicationSource.helmChart({
  repoUrl: 'https://kubernetes.github.io/ingress-nginx',
  chart: 'ingress-nginx',
  version: '4.11.3',
});

/** The cert-manager Helm chart, with its CRDs. */
export const certManager = ApplicationSource.helmChart({
  repoUrl: 'https://charts.jetstack.io',
  chart: 'cert-manager',
  version: 'v1.16.1',
  valuesObject: { crds: { enabled: true } },
});

function prefixed(prefix: string, m: { [k: string]: string }): { [k: string]: string } {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [`${prefix}${k}`, v]));
}
