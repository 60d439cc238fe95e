import { Chart } from 'cdk8s';
import { ApplicationSource } from '../../argocd/application-source';
import { LabelSelector } from '../../argocd/generators/label-selector';
import { IAppProject } from '../../argocd/project-ref';
import { SyncPolicy } from '../../argocd/sync-policy';
import { Cluster } from '../cluster';

/**
 * Builds what an app deploys to one cluster into a chart the library creates. A one-method
 * interface, so that one builder serves every cluster of a fleet.
 *
 * @example
 * const ingress: IClusterChartBuilder = {
 *   buildChart(chart, cluster) {
 *     new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress' }, data: { region: cluster.labels.region } });
 *   },
 * };
 */
export interface IClusterChartBuilder {
  /**
   * Adds the app's objects for `cluster` to `chart`.
   *
   * @param chart the chart, written to the app's directory for `cluster` (`apps/<app>/<cluster>`)
   * @param cluster the cluster the chart is deployed to
   */
  buildChart(chart: Chart, cluster: Cluster): void;
}

/**
 * What an app deploys, where and how, shared by the topologies' app methods.
 */
export interface TopologyAppOptions {
  /**
   * Builds the app's manifests, once per cluster; each chart is written to `apps/<app>/<cluster>`.
   *
   * @default - none; give exactly one of builder and source
   */
  readonly builder?: IClusterChartBuilder;

  /**
   * A source outside the output (a Helm chart, another repository), the same for every cluster.
   *
   * @default - none; give exactly one of builder and source
   */
  readonly source?: ApplicationSource;

  /**
   * The namespace the app deploys to.
   *
   * @default - the app's id
   */
  readonly namespace?: string;

  /**
   * The project of the Applications.
   *
   * @default - the instance environment's project (Argo CD's `default` unless projects were added)
   */
  readonly project?: IAppProject;

  /**
   * The sync policy of the Applications.
   *
   * @default - automated prune and self-heal, and CreateNamespace=true
   */
  readonly syncPolicy?: SyncPolicy;

  /**
   * The sync wave of the Application (or ApplicationSet) inside the instance root's sync.
   *
   * @default - none (wave 0)
   */
  readonly wave?: number;
}

/**
 * How an app is deployed to every selected cluster an Argo CD instance manages, through one
 * ApplicationSet over the clusters generator (`FleetApplicationSet`).
 */
export interface FleetAppOptions extends TopologyAppOptions {
  /**
   * Which registered clusters, by the labels of their cluster Secret (the `Cluster`'s labels).
   *
   * @default - every cluster registered with a cluster Secret, not the cluster Argo CD runs in
   *   (`matchLabels: { argocd.argoproj.io/secret-type: cluster }`, Argo CD's idiom for that)
   */
  readonly selector?: LabelSelector;

  /**
   * The ApplicationSet's name; generated Applications are named `<app>-<cluster>`.
   *
   * @default - the app's id
   */
  readonly name?: string;
}

/**
 * How an app is deployed by the Argo CD instances that run in the clusters themselves, one
 * Application per instance, in-cluster.
 */
export interface LocalAppOptions extends TopologyAppOptions {
  /**
   * The clusters whose own instance deploys the app.
   *
   * @default - every cluster that has an instance of its own at the time of the call
   */
  readonly clusters?: Cluster[];
}

/**
 * How an app is deployed by one Argo CD instance: one Application.
 */
export interface InstanceAppOptions extends TopologyAppOptions {
  /**
   * A chart the caller built, written to the app's directory; instead of builder and source.
   *
   * @default - none; give exactly one of builder, chart and source
   */
  readonly chart?: Chart;

  /**
   * The cluster to deploy to: the cluster the instance runs in, or one registered in it.
   *
   * @default - the cluster the instance runs in (in-cluster destination)
   */
  readonly cluster?: Cluster;

  /**
   * The Application's name.
   *
   * @default - `<app>-<cluster>` on a registered cluster, `<app>-<instance>` in-cluster
   */
  readonly name?: string;
}
