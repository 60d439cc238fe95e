// One in-cluster Application per cluster, each deployed by the cluster's own instance (instance per
// cluster, the fleet of cockpit and fleet). Internal.
import { ValidationError } from '../../errors';
import { AppDeployment } from '../../repo/environment';
import { Cluster } from '../cluster';
import { LocalAppOptions } from './app-options';
import type { ArgoCdInstance } from './argocd-instance';

/**
 * One in-cluster Application per selected cluster, each deployed by that cluster's own instance.
 */
export function localApps(id: string, options: LocalAppOptions, all: Cluster[], instanceOf: (c: Cluster) => ArgoCdInstance): AppDeployment[] {
  const targets = options.clusters ?? all;
  if (targets.length === 0) {
    throw new ValidationError(`app '${id}' has no cluster to deploy to: no cluster has an instance of its own yet; add the clusters first`);
  }
  const instances = targets.map(instanceOf);
  return instances.map((i) => i.addApp(id, {
    builder: options.builder,
    source: options.source,
    namespace: options.namespace,
    project: options.project,
    syncPolicy: options.syncPolicy,
    wave: options.wave,
  }));
}
