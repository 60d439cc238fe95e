import { ValidationError } from '../../errors';
import { AppDeployment, RegisterClusterOptions } from '../../repo/environment';
import { Cluster } from '../cluster';
import { FleetAppOptions, LocalAppOptions } from './app-options';
import { ArgoCdInstance } from './argocd-instance';
import { FleetApplicationSet } from './fleet-application-set';
import { FleetTopology, FleetTopologyProps } from './fleet-topology';
import { localApps } from './_local-apps';
import { methodName } from '../../_internal/method-name';

/**
 * Props for `CockpitAndFleet`.
 */
export interface CockpitAndFleetProps extends FleetTopologyProps {
  /**
   * The central instance's name (its directory, environment and root `<cockpit>-root`).
   *
   * @default 'cockpit'
   */
  readonly cockpitName?: string;

  /**
   * The cluster the cockpit runs in.
   *
   * @default - `Cluster.inCluster()`
   */
  readonly cockpitCluster?: Cluster;
}

/**
 * Cockpit and fleet: a central Argo CD (the cockpit) deploys the shared platform context
 * (ingress controller, cert-manager, policies, monitoring) to every fleet cluster through
 * ApplicationSets over the clusters generator and the clusters' labels, while each fleet cluster
 * runs its own Argo CD, with its own root, for its team's apps (in-cluster only).
 *
 * A namespace on a fleet cluster belongs to one of the two: a platform app and a team app
 * deploying to the same namespace of the same cluster fail synthesis, since the two Argo CD
 * instances would fight over its objects.
 *
 * ```
 * cockpit/bootstrap/application_argocd_cockpit-root.yaml   kubectl apply on the cockpit cluster
 * cockpit/clusters/cockpit/                                fleet cluster Secrets, platform ApplicationSets
 * cockpit/apps/<platform app>/<cluster>/                   the platform context per cluster
 * <cluster>/bootstrap/application_argocd_<cluster>-root.yaml  kubectl apply on the fleet cluster
 * <cluster>/clusters/<cluster>/                            the team's Applications (in-cluster)
 * <cluster>/apps/<team app>/<cluster>/                     what each team app deploys
 * ```
 *
 * @example
 * const fleet = new CockpitAndFleet({ repoUrl, outdir: 'dist', outputRoot: 'dist' });
 * fleet.addFleetCluster(payments, { credentials });
 * fleet.addPlatformApp('cert-manager', { source: certManagerChart, selector: { matchLabels: { tier: 'prod' } } });
 * fleet.addTeamApp('api', { builder: api, clusters: [payments] });
 */
export class CockpitAndFleet extends FleetTopology {
  /** The central instance. */
  public readonly cockpit: ArgoCdInstance;

  private readonly fleetInstances = new Map<Cluster, ArgoCdInstance>();
  private readonly platformApps: FleetApplicationSet[] = [];
  private readonly teamApps: Array<{ id: string; cluster: Cluster; namespace: string }> = [];

  constructor(props: CockpitAndFleetProps) {
    super(props);
    this.cockpit = this._addInstance(props.cockpitName ?? 'cockpit', { hostCluster: props.cockpitCluster });
    this.cockpit.environment.node.addValidation({ validate: () => this.namespaceConflicts() });
  }

  /** The fleet clusters, in the order added (a copy). */
  public get fleetClusters(): Cluster[] {
    return [...this.fleetInstances.keys()];
  }

  /**
   * Adds a fleet cluster: registered in the cockpit (its cluster Secret, from a store or without
   * a secret), and given an Argo CD instance of its own, named after the cluster, that manages
   * only that cluster.
   *
   * @param cluster the fleet cluster; its name must be a DNS label (it names the instance's directory)
   * @param options where the cockpit gets its credentials
   */
  public addFleetCluster(cluster: Cluster, options: RegisterClusterOptions = {}): ArgoCdInstance {
    if (cluster instanceof Cluster && (cluster.isInCluster || cluster === this.cockpit.hostCluster)) {
      throw new ValidationError(`cluster '${cluster.name}' is the cockpit's own cluster, not a fleet cluster; give a fleet cluster its API server URL`, this.cockpit.environment);
    }
    const instance = this._addInstance(cluster.name, { hostCluster: cluster, inClusterOnly: true });
    this.cockpit.registerCluster(cluster, options);
    this.fleetInstances.set(cluster, instance);
    return instance;
  }

  /**
   * The Argo CD instance running in a fleet cluster.
   *
   * @param cluster a cluster added with `addFleetCluster()`
   */
  public instanceOf(cluster: Cluster): ArgoCdInstance {
    const i = this.fleetInstances.get(cluster);
    if (!i) {
      throw new ValidationError(`cluster '${cluster?.name}' is not a fleet cluster (fleet: ${this.fleetClusters.map((c) => c.name).join(', ') || 'none'}); add it with ${methodName('addFleetCluster')}`);
    }
    return i;
  }

  /**
   * Deploys a part of the platform context from the cockpit to every fleet cluster the selector
   * matches: one ApplicationSet over the clusters generator in the cockpit.
   *
   * @param id the app's name, e.g. `cert-manager`
   * @param options what to deploy and to which fleet clusters
   */
  public addPlatformApp(id: string, options: FleetAppOptions): FleetApplicationSet {
    const set = this.cockpit.deployToClusters(id, options);
    this.platformApps.push(set);
    return set;
  }

  /**
   * Deploys a team's app by the fleet clusters' own instances: one in-cluster Application per
   * selected fleet cluster.
   *
   * @param id the app's name
   * @param options what to deploy and on which fleet clusters
   */
  public addTeamApp(id: string, options: LocalAppOptions): AppDeployment[] {
    const targets = options.clusters ?? this.fleetClusters;
    const deployments = localApps(id, { ...options, clusters: targets }, this.fleetClusters, (c) => this.instanceOf(c));
    for (const c of targets) this.teamApps.push({ id, cluster: c, namespace: options.namespace ?? id });
    return deployments;
  }

  private namespaceConflicts(): string[] {
    const problems: string[] = [];
    for (const t of this.teamApps) {
      for (const p of this.platformApps) {
        if (p.namespace === t.namespace && p.clusters.includes(t.cluster)) {
          problems.push(`namespace '${t.namespace}' on fleet cluster '${t.cluster.name}' is deployed by platform app '${p.app}' (instance '${this.cockpit.name}') `
            + `and by team app '${t.id}' (instance '${t.cluster.name}'); two Argo CD instances would fight over its objects: give one of them another namespace`);
        }
      }
    }
    return problems;
  }
}
