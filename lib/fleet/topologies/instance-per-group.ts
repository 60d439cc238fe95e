import { ValidationError } from '../../errors';
import { show } from '../../_internal/values';
import { RegisterClusterOptions } from '../../repo/environment';
import { Cluster } from '../cluster';
import { LabelSelector, renderLabelSelector } from '../../argocd/generators/label-selector';
import { labelSelectorMatches } from '../../argocd/preview/_label-selector';
import { CLUSTER_SECRET_TYPE_LABEL, ClusterSecret } from '../cluster-secret';
import { FleetAppOptions } from './app-options';
import { ArgoCdInstance } from './argocd-instance';
import { FleetApplicationSet } from './fleet-application-set';
import { FleetTopology, FleetTopologyProps } from './fleet-topology';
import { methodName } from '../../_internal/method-name';

/**
 * Options for `InstancePerGroup.addGroup()`.
 */
export interface AddGroupOptions {
  /**
   * The cluster the group's Argo CD runs in; builders of its own apps receive it.
   *
   * @default - `Cluster.inCluster()`
   */
  readonly hostCluster?: Cluster;
}

/**
 * Options for `InstancePerGroup.deployToClusters()`.
 */
export interface GroupFleetAppOptions extends FleetAppOptions {
  /**
   * The groups whose instance gets the ApplicationSet.
   *
   * @default - every group with at least one registered cluster the selector matches at the time
   *   of the call
   */
  readonly groups?: string[];
}

/**
 * Props for `InstancePerGroup`.
 */
export interface InstancePerGroupProps extends FleetTopologyProps {}

/**
 * Instance per logical group (team, region or environment group): one Argo CD per group, each
 * managing its group's clusters through cluster Secrets registered in it. A cluster belongs to
 * exactly one group: two instances managing one cluster would fight over its objects.
 *
 * Each group's instance writes its own directory, `<outdir>/<group>/` (same layout as the hub of
 * `HubAndSpoke`): `bootstrap/` (its root, applied on the cluster the group's Argo CD runs in),
 * `clusters/<group>/` (cluster Secrets, ApplicationSets) and `apps/<app>/<cluster>/`.
 *
 * @example
 * const fleet = new InstancePerGroup({ repoUrl, outdir: 'dist', outputRoot: 'dist' });
 * fleet.addGroup('emea');
 * fleet.addCluster('emea', euProd, { credentials });
 * fleet.deployToClusters('monitoring', { builder: monitoring });
 */
export class InstancePerGroup extends FleetTopology {
  private readonly groupOf = new Map<Cluster, string>();

  constructor(props: InstancePerGroupProps) {
    super(props);
  }

  /**
   * Adds a group with an Argo CD instance of its own, named after the group.
   *
   * @param name the group's name (a DNS label), e.g. `team-payments` or `emea`
   * @param options where the group's Argo CD runs
   */
  public addGroup(name: string, options: AddGroupOptions = {}): ArgoCdInstance {
    return this._addInstance(name, { hostCluster: options.hostCluster });
  }

  /** The groups' names, in the order added. */
  public get groups(): string[] {
    return this.instances.map((i) => i.name);
  }

  /**
   * Registers a cluster in its group's instance.
   *
   * @param group the group's name
   * @param cluster the cluster
   * @param options where the credentials come from
   */
  public addCluster(group: string, cluster: Cluster, options: RegisterClusterOptions = {}): ClusterSecret {
    const instance = this.groupInstance(group);
    const owner = this.groupOf.get(cluster) ?? [...this.groupOf.entries()].find(([c]) => c.server === cluster?.server || c.name === cluster?.name)?.[1];
    if (owner !== undefined) {
      throw new ValidationError(`cluster '${cluster.name}' is already managed by group '${owner}'; a cluster belongs to one group's Argo CD (two instances managing one cluster fight over its objects)`);
    }
    const secret = instance.registerCluster(cluster, options);
    this.groupOf.set(cluster, group);
    return secret;
  }

  /**
   * The group that manages `cluster`, or undefined.
   *
   * @param cluster a cluster
   */
  public groupOfCluster(cluster: Cluster): string | undefined {
    return this.groupOf.get(cluster);
  }

  /**
   * Deploys an app to the selected clusters of the groups: one ApplicationSet over the clusters
   * generator in each group's instance.
   *
   * @param id the app's name
   * @param options what to deploy, to which clusters, by which groups
   */
  public deployToClusters(id: string, options: GroupFleetAppOptions): FleetApplicationSet[] {
    const { groups, ...appOptions } = options;
    let instances: ArgoCdInstance[];
    if (groups !== undefined) {
      instances = groups.map((g) => this.groupInstance(g));
    } else {
      instances = this.instances.filter((i) => i.managedClusters.some((c) => selects(appOptions.selector, c)));
      if (instances.length === 0) {
        throw new ValidationError(`app '${id}' selector ${JSON.stringify(appOptions.selector ?? {})} matches no cluster of any group (groups: ${this.groups.join(', ') || 'none'}); `
          + 'fix the selector, add the clusters first, or name the groups');
      }
    }
    return instances.map((i) => i.deployToClusters(id, appOptions));
  }

  private groupInstance(group: string): ArgoCdInstance {
    if (!this.groups.includes(group)) {
      throw new ValidationError(`group ${show(group)} does not exist (groups: ${this.groups.join(', ') || 'none'}); add it with ${methodName('addGroup')}`);
    }
    return this.instance(group);
  }
}

/** Whether a fleet app's selector (default: every registered cluster) matches a cluster's Secret labels. */
function selects(selector: LabelSelector | undefined, cluster: Cluster): boolean {
  if (!selector) return true;
  const rendered = renderLabelSelector(undefined, 'spec.generators[0].clusters.selector', selector);
  return labelSelectorMatches(rendered, { ...cluster.labels, [CLUSTER_SECRET_TYPE_LABEL]: 'cluster' });
}
