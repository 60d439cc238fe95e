// Monitoring: the upstream kube-prometheus-stack Helm chart (Prometheus, Alertmanager, Grafana),
// plus what the platform team adds to it: the api's alert rules and dashboard, and Grafana's admin
// login from AWS Secrets Manager. One Application syncs both sources together (multi-source).
import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ApplicationSource, ClusterSecretStore, Environment, ExternalSecret, IChartBuilder, ResourceOptions,
  ResourceSyncOption, Versions, WavePolicy,
} from '../../../lib';
import { EnvName, SETTINGS } from '../config';
import { SECRET_STORE_NAME } from './secret-store';

/** The namespace monitoring runs in. */
export const MONITORING_NAMESPACE = 'monitoring';

/** The Helm repository of kube-prometheus-stack. */
export const PROMETHEUS_COMMUNITY_CHARTS = 'https://prometheus-community.github.io/helm-charts';

/** The upstream chart, at the version of the environment, with the environment's values. */
export function kubePrometheusStack(env: EnvName, versions: Versions): ApplicationSource {
  const s = SETTINGS[env];
  return ApplicationSource.helmChart({
    repoUrl: PROMETHEUS_COMMUNITY_CHARTS,
    chart: 'kube-prometheus-stack',
    version: versions.get('kube-prometheus-stack', env),
    releaseName: 'kube-prometheus-stack',
    valuesObject: {
      prometheus: { prometheusSpec: { retention: `${s.metricsRetentionDays}d`, ruleSelectorNilUsesHelmValues: false } },
      grafana: {
        // written by the ExternalSecret below
        admin: { existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
        ingress: { enabled: true, ingressClassName: 'nginx', hosts: [`grafana.${s.domain}`] },
        sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard' } },
      },
    },
  });
}

/** Builds apps/monitoring/<env>/: the platform's additions to the chart. */
export class Monitoring implements IChartBuilder {
  public buildChart(chart: Chart, environment: Environment): void {
    const env = environment.name as EnvName;
    WavePolicy.of(chart, { ExternalSecret: -1, ConfigMap: 0, PrometheusRule: 1 });

    new ExternalSecret(chart, 'grafana-admin', {
      name: 'grafana-admin',
      store: ClusterSecretStore.fromName(chart, 'store', SECRET_STORE_NAME),
      refreshInterval: Duration.hours(1),
      data: [
        { secretKey: 'admin-user', remoteKey: `${env}/monitoring/grafana`, property: 'username' },
        { secretKey: 'admin-password', remoteKey: `${env}/monitoring/grafana`, property: 'password' },
      ],
    });

    // Grafana's sidecar loads every ConfigMap labelled grafana_dashboard
    new kplus.ConfigMap(chart, 'api-dashboard', {
      metadata: { name: 'api-dashboard', labels: { grafana_dashboard: '1' } },
      data: {
        'api.json': JSON.stringify({
          title: `api (${env})`,
          uid: `api-${env}`,
          panels: [
            { type: 'timeseries', title: 'Requests per second', targets: [{ expr: 'sum(rate(http_requests_total{namespace="api"}[5m]))' }] },
            { type: 'timeseries', title: '5xx ratio', targets: [{ expr: 'sum(rate(http_requests_total{namespace="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="api"}[5m]))' }] },
          ],
        }, null, 2) + '\n',
      },
    });

    const rules = new ApiObject(chart, 'api-rules', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'api' },
      spec: {
        groups: [{
          name: 'api',
          rules: [{
            alert: 'ApiHighErrorRate',
            expr: 'sum(rate(http_requests_total{namespace="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="api"}[5m])) > 0.05',
            for: '10m',
            labels: { severity: env === 'production' ? 'page' : 'ticket' },
            annotations: { summary: `More than 5% of api requests fail in ${env}` },
          }],
        }],
      },
    });
    // the chart of the other source installs the PrometheusRule CRD in the same sync, so the dry
    // run of the first sync cannot know the kind yet
    ResourceOptions.applyTo(rules, { syncOptions: [ResourceSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE] });
  }
}
