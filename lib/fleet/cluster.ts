import * as fs from 'fs';
import { ValidationError } from '../errors';
import { checkInteger, checkNamespace, checkNonEmpty, fail, show } from '../_internal/values';
import { Destination, IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../argocd/destination';
import { IAppProject } from '../argocd/project-ref';
import { methodName } from '../_internal/method-name';

/**
 * Authentication through AWS IAM (EKS), with the identity of Argo CD's own pods
 * (`config.awsAuthConfig`). Holds no secret.
 */
export interface AwsAuthConfig {
  /** The EKS cluster's name. */
  readonly clusterName: string;

  /**
   * The IAM role Argo CD assumes to reach the cluster (written as `roleARN`).
   *
   * @default - not written; Argo CD's own IAM identity
   */
  readonly roleArn?: string;

  /**
   * The AWS profile to use (from a config file mounted into Argo CD).
   *
   * @default - not written; the default profile
   */
  readonly profile?: string;
}

/**
 * Authentication through an exec credential plugin run by Argo CD (`config.execProviderConfig`),
 * e.g. `argocd-k8s-auth`, `kubelogin`, `gke-gcloud-auth-plugin`. The plugin finds the credentials
 * itself (workload identity, a mounted file); none are written here.
 */
export interface ExecProviderConfig {
  /** The command to run, e.g. `argocd-k8s-auth`. */
  readonly command: string;

  /**
   * Arguments. Credentials are refused (`--token`, `--password`, `--client-secret`, ...).
   *
   * @default - none
   */
  readonly args?: string[];

  /**
   * Environment variables for the plugin. Names that look like credentials (containing TOKEN,
   * SECRET, PASSWORD, PRIVATE, CREDENTIAL, API_KEY or ACCESS_KEY) are refused.
   *
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * The ExecCredential API version.
   *
   * @default 'client.authentication.k8s.io/v1beta1'
   */
  readonly apiVersion?: string;

  /**
   * A message shown when the command is missing.
   *
   * @default - not written
   */
  readonly installHint?: string;
}

/**
 * TLS settings for the cluster's API server (`config.tlsClientConfig`), without client
 * certificates or keys.
 */
export interface TlsClientConfig {
  /**
   * The API server's CA certificate, PEM, base64-encoded (as in a kubeconfig's
   * `certificate-authority-data`). A private key is refused.
   *
   * @default - not written; the system's trusted CAs
   */
  readonly caData?: string;

  /**
   * The server name to verify the certificate against.
   *
   * @default - not written; the host of `server`
   */
  readonly serverName?: string;

  /**
   * Skip certificate verification.
   *
   * @default - not written; certificates are verified
   */
  readonly insecure?: boolean;
}

/**
 * The connection settings of a cluster Secret (`config`), limited to what holds no secret.
 * Bearer tokens, passwords and client keys cannot be expressed; a bearer token comes from a secret
 * store through `ClusterCredentials.bearerTokenFromStore()`.
 */
export interface ClusterConfig {
  /**
   * AWS IAM authentication.
   *
   * @default - none
   */
  readonly awsAuthConfig?: AwsAuthConfig;

  /**
   * Exec plugin authentication.
   *
   * @default - none
   */
  readonly execProviderConfig?: ExecProviderConfig;

  /**
   * TLS settings.
   *
   * @default - none
   */
  readonly tlsClientConfig?: TlsClientConfig;
}

/**
 * How a cluster is registered in Argo CD, besides its name, server and connection settings.
 */
export interface ClusterRegistrationOptions {
  /**
   * Labels on the cluster Secret; the clusters generator selects on them and exposes them as
   * `{{metadata.labels.<key>}}`.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on the cluster Secret; the clusters generator exposes them as
   * `{{metadata.annotations.<key>}}`.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Make the cluster project-scoped: only this project's Applications may deploy to it.
   *
   * @default - not written; a global cluster
   */
  readonly project?: IAppProject;

  /**
   * Limit Argo CD to these namespaces of the cluster.
   *
   * @default - not written; every namespace
   */
  readonly namespaces?: string[];

  /**
   * With `namespaces`, whether Argo CD may also manage cluster-scoped objects.
   *
   * @default - not written; Argo CD's default (false with namespaces)
   */
  readonly clusterResources?: boolean;

  /**
   * The application controller shard that manages the cluster.
   *
   * @default - not written; Argo CD assigns a shard
   */
  readonly shard?: number;
}

/**
 * Props for `Cluster`.
 */
export interface ClusterProps extends ClusterRegistrationOptions {
  /** The name the cluster is registered under in Argo CD (`Destination.clusterName()`, `{{name}}` in the clusters generator). */
  readonly name: string;

  /** The API server URL, e.g. `https://prod.k8s.example.com`. */
  readonly server: string;

  /**
   * Connection settings that hold no secret.
   *
   * @default - none (`config: {}` is written; credentials then come from a secret store)
   */
  readonly config?: ClusterConfig;
}

/**
 * Options for `Cluster.fromKubeconfig()`: what a kubeconfig does not hold.
 */
export interface KubeconfigClusterOptions extends ClusterRegistrationOptions {
  /**
   * The name to register the cluster under.
   *
   * @default - the kubeconfig context's name
   */
  readonly name?: string;

  /**
   * AWS IAM authentication to add.
   *
   * @default - none
   */
  readonly awsAuthConfig?: AwsAuthConfig;

  /**
   * Exec plugin authentication to add.
   *
   * @default - none
   */
  readonly execProviderConfig?: ExecProviderConfig;
}

const CREDENTIAL_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_?KEY)/i;
const CREDENTIAL_ARG = /^--?(token|password|client-secret|client-key|secret|bearer-token|api-key)(=|$)/i;

/**
 * A Kubernetes cluster Argo CD deploys to: its registered name, API server, the labels the clusters
 * generator selects on, and connection settings that hold no secret.
 *
 * A `Cluster` is a value; register it in Argo CD with a `ClusterSecret` (or
 * `Environment.registerCluster()`), and deploy to it with `cluster.destination('ns')`.
 *
 * @example
 * const prod = new Cluster({
 *   name: 'production', server: 'https://prod.k8s.example.com',
 *   labels: { env: 'production' },
 *   config: { awsAuthConfig: { clusterName: 'prod', roleArn: 'arn:aws:iam::123456789012:role/argocd' } },
 * });
 */
export class Cluster {
  /**
   * The cluster Argo CD runs in (`https://kubernetes.default.svc`), registered as `in-cluster`.
   *
   * @param labels labels for the clusters generator (a cluster Secret for in-cluster is only needed to label it)
   */
  public static inCluster(labels?: { [key: string]: string }): Cluster {
    return new Cluster({ name: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER, labels });
  }

  /**
   * Reads a cluster's name, server and CA certificate from a kubeconfig file, through
   * `@kubernetes/client-node`. Users (tokens, client certificates and keys, passwords) are never
   * read.
   *
   * @param file the kubeconfig file
   * @param context the context to read
   * @param options what the kubeconfig does not hold (labels, project, auth config)
   */
  public static fromKubeconfig(file: string, context: string, options: KubeconfigClusterOptions = {}): Cluster {
    // @kubernetes/client-node is an ES module; Node loads it with require() (Node >= 20.19).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KubeConfig } = require('@kubernetes/client-node');
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (e: any) {
      throw new ValidationError(`kubeconfig ${show(file)} cannot be read: ${String(e?.message ?? e).split('\n')[0]}`);
    }
    const ctx = kc.getContextObject(context);
    if (!ctx) {
      const known = (kc.getContexts() as Array<{ name: string }>).map((c) => c.name).sort();
      throw new ValidationError(`kubeconfig context ${show(context)} is not in ${file} (contexts: ${known.length ? known.join(', ') : 'none'}); pass one of them`);
    }
    const c = kc.getCluster(ctx.cluster);
    if (!c) {
      throw new ValidationError(`kubeconfig context ${show(context)} refers to cluster ${show(ctx.cluster)}, which ${file} does not define; fix the kubeconfig`);
    }
    let caData: string | undefined = c.caData;
    if (caData === undefined && c.caFile) {
      caData = fs.readFileSync(c.caFile).toString('base64');
    }
    const tls: TlsClientConfig = {
      ...(caData ? { caData } : {}),
      ...(c.tlsServerName ? { serverName: c.tlsServerName } : {}),
      ...(c.skipTLSVerify ? { insecure: true } : {}),
    };
    return new Cluster({
      name: options.name ?? ctx.name,
      server: c.server,
      labels: options.labels,
      annotations: options.annotations,
      project: options.project,
      namespaces: options.namespaces,
      clusterResources: options.clusterResources,
      shard: options.shard,
      config: {
        ...(Object.keys(tls).length ? { tlsClientConfig: tls } : {}),
        ...(options.awsAuthConfig ? { awsAuthConfig: options.awsAuthConfig } : {}),
        ...(options.execProviderConfig ? { execProviderConfig: options.execProviderConfig } : {}),
      },
    });
  }

  /** The registered name. */
  public readonly name: string;
  /** The API server URL. */
  public readonly server: string;
  /** The project the cluster is scoped to, when it is. */
  public readonly project?: IAppProject;
  /** Namespaces Argo CD may manage, when limited. */
  public readonly namespaces?: string[];
  /** Whether Argo CD may manage cluster-scoped objects with `namespaces`, when given. */
  public readonly clusterResources?: boolean;
  /** The controller shard, when given. */
  public readonly shard?: number;
  /** Connection settings (no secrets). */
  public readonly config: ClusterConfig;

  private readonly _labels: { [key: string]: string };
  private readonly _annotations: { [key: string]: string };

  constructor(props: ClusterProps) {
    checkNonEmpty(undefined, 'cluster.name', props.name);
    checkNonEmpty(undefined, 'cluster.server', props.server);
    if (!/^https?:\/\/[^\s/]+/.test(props.server)) {
      fail(undefined, `cluster '${props.name}' server`, props.server, 'is not an API server URL; use https://host[:port]');
    }
    if (/^https?:\/\/[^/]*@/.test(props.server)) {
      fail(undefined, `cluster '${props.name}' server`, props.server.replace(/\/\/[^/]*@/, '//***@'), `holds credentials (user:password@); credentials never enter Git: remove them and use ${methodName('ClusterCredentials.bearerTokenFromStore')}`);
    }
    (props.namespaces ?? []).forEach((ns, i) => checkNamespace(undefined, `cluster '${props.name}' namespaces[${i}]`, ns));
    if (props.shard !== undefined) checkInteger(undefined, `cluster '${props.name}' shard`, props.shard, 0);
    checkConfig(props.name, props.config ?? {});
    this.name = props.name;
    this.server = props.server;
    this.project = props.project;
    this.namespaces = props.namespaces ? [...props.namespaces] : undefined;
    this.clusterResources = props.clusterResources;
    this.shard = props.shard;
    this.config = props.config ?? {};
    this._labels = { ...(props.labels ?? {}) };
    this._annotations = { ...(props.annotations ?? {}) };
  }

  /** Labels on the cluster Secret (a copy). */
  public get labels(): { [key: string]: string } {
    return { ...this._labels };
  }

  /** Annotations on the cluster Secret (a copy). */
  public get annotations(): { [key: string]: string } {
    return { ...this._annotations };
  }

  /** Whether this is the cluster Argo CD runs in. */
  public get isInCluster(): boolean {
    return this.server === IN_CLUSTER_SERVER;
  }

  /** Whether the cluster's config lets Argo CD authenticate without a stored secret (AWS IAM, exec plugin, or in-cluster). */
  public get authenticatesWithoutSecret(): boolean {
    return this.isInCluster || this.config.awsAuthConfig !== undefined || this.config.execProviderConfig !== undefined;
  }

  /**
   * A destination on this cluster, by server URL.
   *
   * @param namespace the target namespace
   */
  public destination(namespace?: string): Destination {
    return Destination.server(this.server, namespace);
  }

  /**
   * The cluster Secret's `config` value as JSON, with an optional bearer token expression (an
   * ExternalSecret template placeholder, never a token).
   * @internal
   */
  public _configJson(bearerTokenExpression?: string): string {
    const c = this.config;
    const out: any = {};
    if (bearerTokenExpression !== undefined) out.bearerToken = bearerTokenExpression;
    if (c.awsAuthConfig) {
      const a = c.awsAuthConfig;
      out.awsAuthConfig = { clusterName: a.clusterName, ...(a.roleArn ? { roleARN: a.roleArn } : {}), ...(a.profile ? { profile: a.profile } : {}) };
    }
    if (c.execProviderConfig) {
      const e = c.execProviderConfig;
      out.execProviderConfig = {
        command: e.command,
        ...(e.args?.length ? { args: [...e.args] } : {}),
        ...(e.env && Object.keys(e.env).length ? { env: { ...e.env } } : {}),
        apiVersion: e.apiVersion ?? 'client.authentication.k8s.io/v1beta1',
        ...(e.installHint ? { installHint: e.installHint } : {}),
      };
    }
    if (c.tlsClientConfig) {
      const t = c.tlsClientConfig;
      out.tlsClientConfig = {
        ...(t.insecure !== undefined ? { insecure: t.insecure } : {}),
        ...(t.serverName ? { serverName: t.serverName } : {}),
        ...(t.caData ? { caData: t.caData } : {}),
      };
    }
    return JSON.stringify(out);
  }

  /**
   * The cluster Secret's keys other than `config`, as strings.
   * @internal
   */
  public _secretFields(): { [key: string]: string } {
    const out: { [key: string]: string } = { name: this.name, server: this.server };
    if (this.namespaces?.length) out.namespaces = this.namespaces.join(',');
    if (this.clusterResources !== undefined) out.clusterResources = String(this.clusterResources);
    if (this.project) out.project = this.project.projectName;
    if (this.shard !== undefined) out.shard = String(this.shard);
    return out;
  }
}

function checkConfig(name: string, config: ClusterConfig): void {
  const known = ['awsAuthConfig', 'execProviderConfig', 'tlsClientConfig'];
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      fail(undefined, `cluster '${name}' config.${key}`, '...', `cannot be expressed; credentials never enter Git: the config allows ${known.join(', ')}, and a bearer token comes from a secret store with ${methodName('ClusterCredentials.bearerTokenFromStore')}`);
    }
  }
  const tls = config.tlsClientConfig;
  if (tls) {
    for (const key of Object.keys(tls)) {
      if (!['caData', 'serverName', 'insecure'].includes(key)) {
        fail(undefined, `cluster '${name}' config.tlsClientConfig.${key}`, '...', 'cannot be expressed; client certificates and keys never enter Git: authenticate with awsAuthConfig, execProviderConfig or a bearer token from a secret store');
      }
    }
    if (tls.caData !== undefined) {
      const decoded = Buffer.from(tls.caData, 'base64').toString('utf-8');
      if (/PRIVATE KEY/.test(decoded) || /PRIVATE KEY/.test(tls.caData)) {
        fail(undefined, `cluster '${name}' config.tlsClientConfig.caData`, '<redacted>', 'holds a private key; caData is the API server\'s public CA certificate: remove the key, and keep keys in a secret store');
      }
    }
  }
  if (config.awsAuthConfig) checkNonEmpty(undefined, `cluster '${name}' config.awsAuthConfig.clusterName`, config.awsAuthConfig.clusterName);
  const exec = config.execProviderConfig;
  if (exec) {
    checkNonEmpty(undefined, `cluster '${name}' config.execProviderConfig.command`, exec.command);
    for (const envName of Object.keys(exec.env ?? {})) {
      if (CREDENTIAL_NAME.test(envName)) {
        fail(undefined, `cluster '${name}' config.execProviderConfig.env`, envName, 'looks like a credential; credentials never enter Git: let the exec plugin read them in the cluster (workload identity or a mounted secret)');
      }
    }
    (exec.args ?? []).forEach((arg, i) => {
      if (CREDENTIAL_ARG.test(arg)) {
        fail(undefined, `cluster '${name}' config.execProviderConfig.args[${i}]`, arg.replace(/=.*/, '=***'), 'passes a credential; credentials never enter Git: let the exec plugin read them in the cluster (workload identity or a mounted secret)');
      }
    });
  }
}
