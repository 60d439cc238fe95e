import { ValidationError } from '../../errors';
import { AppDeployment } from '../../repo/environment';
import { Cluster } from '../cluster';
import { LocalAppOptions } from './app-options';
import { ArgoCdInstance } from './argocd-instance';
import { localApps } from './_local-apps';
import { FleetTopology, FleetTopologyProps } from './fleet-topology';
import { methodName } from '../../_internal/method-name';

/**
 * Props for `InstancePerCluster`.
 */
export interface InstancePerClusterProps extends FleetTopologyProps {
  /**
   * The clusters, each getting an Argo CD instance of its own; more with `addCluster()`.
   *
   * @default - none
   */
  readonly clusters?: Cluster[];
}

/**
 * Instance per cluster (edge, air-gapped): every cluster runs its own Argo CD, which deploys only
 * to the cluster it runs in; nothing is central and no cluster is registered anywhere.
 *
 * Each instance is an `ArgoCdInstance` with its own output directory, named after the cluster
 * (`<outdir>/<cluster>/`), because each Argo CD reads only its own root path, and object names,
 * projects and checks are per instance; such a directory can be mirrored into an air-gapped
 * cluster's Git server on its own.
 *
 * ```
 * <cluster>/bootstrap/application_argocd_<cluster>-root.yaml   kubectl apply on that cluster
 * <cluster>/clusters/<cluster>/                                its child Applications (in-cluster)
 * <cluster>/apps/<app>/<cluster>/                              what each app deploys there
 * ```
 *
 * @example
 * const edges = new InstancePerCluster({ repoUrl, outdir: 'dist', outputRoot: 'dist', clusters: [edge1, edge2] });
 * edges.addApp('pos', { builder: pointOfSale });
 * edges.synth();
 */
export class InstancePerCluster extends FleetTopology {
  private readonly byCluster = new Map<Cluster, ArgoCdInstance>();

  constructor(props: InstancePerClusterProps) {
    super(props);
    for (const c of props.clusters ?? []) this.addCluster(c);
  }

  /**
   * Adds a cluster with an Argo CD instance of its own, named after the cluster, that manages
   * only that cluster.
   *
   * @param cluster the cluster; its name must be a DNS label (it names the instance's directory)
   */
  public addCluster(cluster: Cluster): ArgoCdInstance {
    if (!(cluster instanceof Cluster)) {
      throw new ValidationError(`cluster ${String(cluster)} is not a Cluster; use new Cluster({...})`);
    }
    const instance = this._addInstance(cluster.name, { hostCluster: cluster, inClusterOnly: true });
    this.byCluster.set(cluster, instance);
    return instance;
  }

  /** The clusters, in the order added (a copy). */
  public get clusters(): Cluster[] {
    return [...this.byCluster.keys()];
  }

  /**
   * The instance running in `cluster`.
   *
   * @param cluster a cluster added with `addCluster()`
   */
  public instanceOf(cluster: Cluster): ArgoCdInstance {
    const i = this.byCluster.get(cluster);
    if (!i) {
      throw new ValidationError(`cluster '${cluster?.name}' has no Argo CD instance in this topology (clusters: ${this.clusters.map((c) => c.name).join(', ') || 'none'}); add it with ${methodName('addCluster')}`);
    }
    return i;
  }

  /**
   * Deploys an app on each cluster by the cluster's own instance: one in-cluster Application per
   * instance, manifests in `<cluster>/apps/<app>/<cluster>/`.
   *
   * @param id the app's name
   * @param options what to deploy and on which clusters
   */
  public addApp(id: string, options: LocalAppOptions): AppDeployment[] {
    return localApps(id, options, this.clusters, (c) => this.instanceOf(c));
  }
}
