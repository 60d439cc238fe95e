import { IConstruct } from 'constructs';
import { checkNonEmpty, fail } from '../_internal/values';

/**
 * The server URL of the cluster Argo CD runs in.
 */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/**
 * The name Argo CD registers the cluster it runs in under.
 */
export const IN_CLUSTER_NAME = 'in-cluster';

/**
 * Where an Application deploys: a cluster (by API server URL or by its registered name) and a
 * namespace.
 *
 * @example
 * Destination.server('https://prod.k8s.example.com', 'production')
 * Destination.clusterName('prod-eu', 'production')
 * Destination.inCluster('argocd')
 */
export class Destination {
  /**
   * A cluster by its API server URL.
   *
   * @param server the cluster's API server URL, e.g. `https://prod.k8s.example.com`
   * @param namespace the target namespace for namespaced objects that set none
   */
  public static server(server: string, namespace?: string): Destination {
    return new Destination(server, undefined, namespace);
  }

  /**
   * A cluster by the name it is registered under in Argo CD (the cluster Secret's `name`).
   *
   * @param name the registered cluster name
   * @param namespace the target namespace for namespaced objects that set none
   */
  public static clusterName(name: string, namespace?: string): Destination {
    return new Destination(undefined, name, namespace);
  }

  /**
   * The cluster Argo CD runs in (`https://kubernetes.default.svc`).
   *
   * @param namespace the target namespace for namespaced objects that set none
   */
  public static inCluster(namespace?: string): Destination {
    return new Destination(IN_CLUSTER_SERVER, undefined, namespace);
  }

  private constructor(
    /** The API server URL, when the destination is given by server. */
    public readonly serverUrl: string | undefined,
    /** The registered cluster name, when the destination is given by name. */
    public readonly registeredName: string | undefined,
    /** The namespace, when given. */
    public readonly namespace: string | undefined,
  ) {}

  /** @internal */
  public _check(scope: IConstruct | undefined, field: string): void {
    if (this.serverUrl !== undefined) checkNonEmpty(scope, `${field}.server`, this.serverUrl);
    if (this.registeredName !== undefined) checkNonEmpty(scope, `${field}.name`, this.registeredName);
    if (this.namespace !== undefined && this.namespace.trim() === '') {
      fail(scope, `${field}.namespace`, this.namespace, 'must not be empty; leave it out instead');
    }
  }

  /** @internal */
  public _toKube(): { server?: string; name?: string; namespace?: string } {
    const out: { server?: string; name?: string; namespace?: string } = {};
    if (this.registeredName !== undefined) out.name = this.registeredName;
    if (this.namespace !== undefined) out.namespace = this.namespace;
    if (this.serverUrl !== undefined) out.server = this.serverUrl;
    return out;
  }
}
