// The manifest check of an Argo CD instance that manages only the cluster it runs in
// (instance per cluster, the fleet instances of cockpit and fleet). Internal.
import { IManifestCheck, RenderedManifest } from '../../manifest-check';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../../argocd/destination';
import { CLUSTER_SECRET_TYPE_LABEL } from '../cluster-secret';

/**
 * Every Application deploys in-cluster, and no cluster Secret registers another cluster.
 */
export class InClusterOnlyCheck implements IManifestCheck {
  constructor(private readonly instance: string) {}

  public check(manifests: RenderedManifest[]): string[] {
    const problems: string[] = [];
    const fix = `instance '${this.instance}' manages only the cluster it runs in (destination ${IN_CLUSTER_SERVER} or name in-cluster); `
      + 'deploy to another cluster from that cluster\'s own instance';
    for (const m of manifests) {
      const o = m.manifest;
      const argo = typeof o?.apiVersion === 'string' && o.apiVersion.startsWith('argoproj.io/');
      if (argo && o.kind === 'Application') {
        const d = o.spec?.destination ?? {};
        const inCluster = d.name !== undefined ? d.name === IN_CLUSTER_NAME : d.server === IN_CLUSTER_SERVER;
        if (!inCluster) {
          const where = d.name !== undefined ? `name '${d.name}'` : `server '${d.server}'`;
          problems.push(`[${m.constructPath}] spec.destination ${where} of Application '${o.metadata?.name}' is not the cluster Argo CD runs in: ${fix}`);
        }
      }
      const labels = o?.kind === 'Secret' ? o.metadata?.labels : o?.kind === 'ExternalSecret' ? o.spec?.target?.template?.metadata?.labels : undefined;
      const server = o?.kind === 'Secret' ? o.stringData?.server : o?.spec?.target?.template?.data?.server;
      if (labels?.[CLUSTER_SECRET_TYPE_LABEL] === 'cluster' && server !== IN_CLUSTER_SERVER) {
        problems.push(`[${m.constructPath}] ${o.kind} '${o.metadata?.name}' registers cluster '${server}': ${fix}`);
      }
    }
    return problems;
  }
}
