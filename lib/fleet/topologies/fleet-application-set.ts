import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ValidationError } from '../../errors';
import { checkNamespace, fail, isDnsLabel } from '../../_internal/values';
import { OutputDirectory } from '../../app/output-directory';
import { ApplicationSet } from '../../argocd/application-set';
import { ApplicationSource } from '../../argocd/application-source';
import { Destination } from '../../argocd/destination';
import { ApplicationSetGenerator } from '../../argocd/generators/generator';
import { LabelSelector, renderLabelSelector } from '../../argocd/generators/label-selector';
import { labelSelectorMatches } from '../../argocd/preview/_label-selector';
import { SyncOption } from '../../argocd/sync-policy';
import { SyncWave } from '../../sync/sync-wave';
import { Cluster } from '../cluster';
import { CLUSTER_SECRET_TYPE_LABEL } from '../cluster-secret';
import { FleetAppOptions } from './app-options';
import type { ArgoCdInstance } from './argocd-instance';

/**
 * Props for `FleetApplicationSet`.
 */
export interface FleetApplicationSetProps extends FleetAppOptions {
  /** The Argo CD instance that deploys the app (the ApplicationSet is written to its environment's directory). */
  readonly instance: ArgoCdInstance;

  /** The app's name: `apps/<app>/<cluster>` and the generated Applications' `<app>-<cluster>`. */
  readonly app: string;
}

/**
 * An app deployed to every cluster an Argo CD instance manages whose cluster Secret matches a
 * label selector: one ApplicationSet over the clusters generator, written to the instance's
 * environment directory, generating `<app>-<cluster>` Applications that deploy to `{{server}}`.
 *
 * With a builder, the manifests are written per declared cluster to `apps/<app>/<cluster>` and
 * the template reads `apps/<app>/{{name}}`; the builder runs for every registered cluster the
 * selector matches, also those registered later. At synthesis the selector must match at least
 * one registered cluster (a selector matching nothing is almost always a label typo).
 *
 * Usually created with `ArgoCdInstance.deployToClusters()` or a topology's app methods.
 */
export class FleetApplicationSet extends Construct {
  /** The ApplicationSet. */
  public readonly applicationSet: ApplicationSet;
  /** The app's name. */
  public readonly app: string;
  /** The selector over cluster Secret labels. */
  public readonly selector: LabelSelector;
  /** The namespace the app deploys to. */
  public readonly namespace: string;

  private readonly props: FleetApplicationSetProps;
  private readonly renderedSelector: any;
  private readonly _charts = new Map<Cluster, Chart>();
  private readonly _clusters: Cluster[] = [];

  constructor(scope: Construct, id: string, props: FleetApplicationSetProps) {
    super(scope, id);
    this.props = props;
    this.app = props.app;
    if (!isDnsLabel(this.app)) {
      fail(this, 'app', this.app, 'is not a valid app name; use at most 63 lowercase letters, digits and \'-\'');
    }
    if ((props.builder === undefined) === (props.source === undefined)) {
      fail(this, `app '${this.app}'`, props.builder && props.source ? 'builder, source' : 'nothing', 'must give exactly one of builder and source');
    }
    if (props.builder !== undefined && typeof props.builder.buildChart !== 'function') {
      fail(this, `app '${this.app}' builder`, props.builder, 'has no buildChart(chart, cluster) method');
    }
    if (props.source !== undefined && !(props.source instanceof ApplicationSource)) {
      fail(this, `app '${this.app}' source`, props.source, 'is not an ApplicationSource; use ApplicationSource.git(), .helmChart(), ...');
    }
    this.namespace = props.namespace ?? this.app;
    checkNamespace(this, `app '${this.app}' namespace`, this.namespace);
    this.selector = props.selector ?? { matchLabels: { [CLUSTER_SECRET_TYPE_LABEL]: 'cluster' } };
    this.renderedSelector = renderLabelSelector(this, 'spec.generators[0].clusters.selector', this.selector);

    const instance = props.instance;
    const env = instance.environment;
    const repo = instance.repo;
    const source = props.builder
      ? repo.sourceAt(repo.layout.appDirectory(this.app, '{{name}}'))
      : props.source!;
    this.applicationSet = new ApplicationSet(env.chart, `AppSet-${this.app}`, {
      name: props.name ?? this.app,
      namespace: repo.argoCdNamespace,
      generators: [ApplicationSetGenerator.clusters({ selector: this.selector })],
      template: {
        name: `${this.app}-{{nameNormalized}}`,
        project: props.project ?? env.project,
        source,
        destination: Destination.server('{{server}}', this.namespace),
        syncPolicy: props.syncPolicy ?? { automated: { prune: true, selfHeal: true }, syncOptions: [SyncOption.CREATE_NAMESPACE] },
      },
    });
    if (props.wave !== undefined) SyncWave.of(props.wave).applyTo(this.applicationSet.apiObject);
    this.node.addValidation({ validate: () => this.validateMatches() });
  }

  /** The registered clusters the selector matches, in the order registered (a copy). */
  public get clusters(): Cluster[] {
    return [...this._clusters];
  }

  /**
   * The chart written for `cluster` (with a builder), or undefined.
   *
   * @param cluster a registered cluster
   */
  public chartFor(cluster: Cluster): Chart | undefined {
    return this._charts.get(cluster);
  }

  /**
   * Whether the selector matches a cluster's Secret labels.
   *
   * @param cluster the cluster
   */
  public matches(cluster: Cluster): boolean {
    return labelSelectorMatches(this.renderedSelector, { ...cluster.labels, [CLUSTER_SECRET_TYPE_LABEL]: 'cluster' });
  }

  /**
   * A cluster was registered in the instance: deploy to it when the selector matches.
   * @internal
   */
  public _offer(cluster: Cluster): void {
    if (!this.matches(cluster) || this._clusters.includes(cluster)) return;
    this._clusters.push(cluster);
    const builder = this.props.builder;
    if (!builder) return;
    if (!isDnsLabel(cluster.name)) {
      throw new ValidationError(`cluster name '${cluster.name}' cannot name the directory of app '${this.app}' (apps/${this.app}/<cluster>); `
        + 'register the cluster under a name of at most 63 lowercase letters, digits and \'-\'', this);
    }
    const chart = new Chart(this, `Cluster-${cluster.name}`, { disableResourceNameHashes: true });
    OutputDirectory.set(chart, this.props.instance.repo.layout.appDirectory(this.app, cluster.name));
    builder.buildChart(chart, cluster);
    this._charts.set(cluster, chart);
  }

  private validateMatches(): string[] {
    if (this._clusters.length > 0) return [];
    const registered = this.props.instance.managedClusters
      .map((c) => `${c.name} (${Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'no labels'})`);
    return [`spec.generators[0].clusters.selector ${JSON.stringify(this.renderedSelector)} of app '${this.app}' matches no cluster registered in instance '${this.props.instance.name}' `
      + `(registered: ${registered.length ? registered.join('; ') : 'none'}); fix the selector's labels, or register the cluster first`];
  }
}
