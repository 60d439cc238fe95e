import { ValidationError } from '../../errors';
import { AppDeployment, RegisterClusterOptions } from '../../repo/environment';
import { Cluster } from '../cluster';
import { ClusterSecret } from '../cluster-secret';
import { FleetAppOptions, InstanceAppOptions } from './app-options';
import { ArgoCdInstance } from './argocd-instance';
import { FleetApplicationSet } from './fleet-application-set';
import { FleetTopology, FleetTopologyProps } from './fleet-topology';
import { methodName } from '../../_internal/method-name';

/**
 * Props for `HubAndSpoke`.
 */
export interface HubAndSpokeProps extends FleetTopologyProps {
  /**
   * The hub instance's name (its directory, environment and root `<hub>-root`).
   *
   * @default 'hub'
   */
  readonly hubName?: string;

  /**
   * The management cluster the hub runs in; builders of the hub's own apps receive it.
   *
   * @default - `Cluster.inCluster()`
   */
  readonly managementCluster?: Cluster;
}

/**
 * Hub and spoke (centralized): one Argo CD on a management cluster manages every cluster
 * through cluster Secrets registered in it; apps reach the spokes through ApplicationSets over
 * the clusters generator (`deployToSpokes()`) or one Application per spoke (`addApp()`).
 *
 * Output (`<outdir>/<hub>/`):
 *
 * ```
 * hub/bootstrap/application_argocd_hub-root.yaml     kubectl apply on the management cluster
 * hub/clusters/hub/                                  cluster Secrets (wave -2), ApplicationSets, Applications
 * hub/apps/<app>/<spoke>/                            what an app deploys to one spoke
 * ```
 *
 * @example
 * const fleet = new HubAndSpoke({ repoUrl, targetRevision: 'main', outdir: 'dist', outputRoot: 'dist' });
 * fleet.addSpoke(prod, { credentials: ClusterCredentials.bearerTokenFromStore({ store, remoteKey: 'clusters/prod', property: 'token' }) });
 * fleet.deployToSpokes('monitoring', { builder: monitoring });
 * fleet.synth();
 */
export class HubAndSpoke extends FleetTopology {
  /** The hub: the one Argo CD instance. */
  public readonly hub: ArgoCdInstance;

  constructor(props: HubAndSpokeProps) {
    super(props);
    this.hub = this._addInstance(props.hubName ?? 'hub', { hostCluster: props.managementCluster });
  }

  /** The spokes, in the order added (a copy). */
  public get spokes(): Cluster[] {
    return this.hub.managedClusters;
  }

  /**
   * Registers a spoke in the hub: its cluster Secret, written by an ExternalSecret from a store
   * (`ClusterCredentials.bearerTokenFromStore()`) or holding no secret (awsAuthConfig,
   * execProviderConfig).
   *
   * @param cluster the spoke
   * @param options where the credentials come from
   */
  public addSpoke(cluster: Cluster, options: RegisterClusterOptions = {}): ClusterSecret {
    if (cluster instanceof Cluster && (cluster.isInCluster || cluster === this.hub.hostCluster)) {
      throw new ValidationError(`cluster '${cluster.name}' is the management cluster the hub runs in, not a spoke; deploy to it with ${methodName('addApp')} without a cluster`, this.hub.environment);
    }
    return this.hub.registerCluster(cluster, options);
  }

  /**
   * Deploys an app to every spoke the selector matches, with one ApplicationSet over the
   * clusters generator.
   *
   * @param id the app's name
   * @param options what to deploy and to which spokes
   */
  public deployToSpokes(id: string, options: FleetAppOptions): FleetApplicationSet {
    return this.hub.deployToClusters(id, options);
  }

  /**
   * Deploys an app with one Application to one spoke (`cluster`), or to the management cluster.
   *
   * @param id the app's name
   * @param options what to deploy and where
   */
  public addApp(id: string, options: InstanceAppOptions): AppDeployment {
    return this.hub.addApp(id, options);
  }
}
