import { IConstruct } from 'constructs';
import { checkNonEmpty } from '../../_internal/values';
import { GeneratorBindContext, valuesParams } from './_params';
import { _checkFilterRegexps, _checkRequeue } from './clusters';
import { GeneratorOptions } from './generator-options';
import { BasicAuth, ConfigMapKeyRef, SecretKeyRef, _basicAuth, _configMapRef, _secretRef } from './secret-ref';

/** A GitHub repository's pull requests. */
export interface GithubPullRequestOptions {
  /** The owner (organization or user). */
  readonly owner: string;
  /** The repository. */
  readonly repo: string;
  /**
   * The API URL, for GitHub Enterprise.
   *
   * @default - not written; https://api.github.com
   */
  readonly api?: string;
  /**
   * Where the token is.
   *
   * @default - anonymous, or the GitHub App in `appSecretName`
   */
  readonly tokenRef?: SecretKeyRef;
  /**
   * A Secret holding GitHub App credentials.
   *
   * @default - none
   */
  readonly appSecretName?: string;
  /**
   * Only pull requests with all these labels.
   *
   * @default - every pull request
   */
  readonly labels?: string[];
}

/** A GitLab project's merge requests. */
export interface GitlabPullRequestOptions {
  /** The project (ID or full path). */
  readonly project: string;
  /**
   * The API URL, for self-hosted GitLab.
   *
   * @default - not written; https://gitlab.com
   */
  readonly api?: string;
  /**
   * Where the token is.
   *
   * @default - anonymous
   */
  readonly tokenRef?: SecretKeyRef;
  /**
   * Only merge requests with all these labels.
   *
   * @default - every merge request
   */
  readonly labels?: string[];
  /**
   * Only merge requests in this state, e.g. `opened`.
   *
   * @default - not written; every state
   */
  readonly pullRequestState?: string;
  /**
   * Skip TLS verification.
   *
   * @default false (not written)
   */
  readonly insecure?: boolean;
  /**
   * A CA certificate for the API.
   *
   * @default - the system's
   */
  readonly caRef?: ConfigMapKeyRef;
}

/** A Gitea repository's pull requests. */
export interface GiteaPullRequestOptions {
  /** The owner. */
  readonly owner: string;
  /** The repository. */
  readonly repo: string;
  /** The Gitea URL. */
  readonly api: string;
  /**
   * Where the token is.
   *
   * @default - anonymous
   */
  readonly tokenRef?: SecretKeyRef;
  /**
   * Skip TLS verification.
   *
   * @default false (not written)
   */
  readonly insecure?: boolean;
  /**
   * Only pull requests with all these labels.
   *
   * @default - every pull request
   */
  readonly labels?: string[];
}

/** A Bitbucket Server repository's pull requests. */
export interface BitbucketServerPullRequestOptions {
  /** The project key. */
  readonly project: string;
  /** The repository. */
  readonly repo: string;
  /** The server URL. */
  readonly api: string;
  /**
   * Basic authentication.
   *
   * @default - anonymous, or `bearerTokenRef`
   */
  readonly basicAuth?: BasicAuth;
  /**
   * Where a bearer token is.
   *
   * @default - anonymous, or `basicAuth`
   */
  readonly bearerTokenRef?: SecretKeyRef;
  /**
   * Skip TLS verification.
   *
   * @default false (not written)
   */
  readonly insecure?: boolean;
  /**
   * A CA certificate for the API.
   *
   * @default - the system's
   */
  readonly caRef?: ConfigMapKeyRef;
}

/** A Bitbucket Cloud repository's pull requests. */
export interface BitbucketPullRequestOptions {
  /** The workspace. */
  readonly owner: string;
  /** The repository. */
  readonly repo: string;
  /**
   * The API URL.
   *
   * @default - not written; https://api.bitbucket.org/2.0
   */
  readonly api?: string;
  /**
   * Basic authentication.
   *
   * @default - anonymous, or `bearerTokenRef`
   */
  readonly basicAuth?: BasicAuth;
  /**
   * Where a bearer token is.
   *
   * @default - anonymous, or `basicAuth`
   */
  readonly bearerTokenRef?: SecretKeyRef;
}

/** An Azure DevOps repository's pull requests. */
export interface AzureDevOpsPullRequestOptions {
  /** The organization. */
  readonly organization: string;
  /** The project. */
  readonly project: string;
  /** The repository. */
  readonly repo: string;
  /**
   * The API URL, for Azure DevOps Server.
   *
   * @default - not written; https://dev.azure.com
   */
  readonly api?: string;
  /**
   * Where the token is.
   *
   * @default - anonymous
   */
  readonly tokenRef?: SecretKeyRef;
  /**
   * Only pull requests with all these labels.
   *
   * @default - every pull request
   */
  readonly labels?: string[];
}

type Render = (scope: IConstruct, field: string) => any;

function pick(o: any, keys: string[]): any {
  const out: any = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = Array.isArray(o[k]) ? [...o[k]] : o[k];
  return out;
}

function auth(scope: IConstruct, f: string, o: { basicAuth?: BasicAuth; bearerTokenRef?: SecretKeyRef; tokenRef?: SecretKeyRef; caRef?: ConfigMapKeyRef }): any {
  return {
    ...(o.tokenRef ? { tokenRef: _secretRef(scope, `${f}.tokenRef`, o.tokenRef) } : {}),
    ...(o.basicAuth ? { basicAuth: _basicAuth(scope, `${f}.basicAuth`, o.basicAuth) } : {}),
    ...(o.bearerTokenRef ? { bearerToken: { tokenRef: _secretRef(scope, `${f}.bearerToken.tokenRef`, o.bearerTokenRef) } } : {}),
    ...(o.caRef ? { caRef: _configMapRef(scope, `${f}.caRef`, o.caRef) } : {}),
  };
}

function required(scope: IConstruct, f: string, o: any, keys: string[]): void {
  for (const k of keys) checkNonEmpty(scope, `${f}.${k}`, o[k]);
}

/**
 * The service a pullRequest generator lists pull requests from. Credentials are only ever Secret
 * references.
 */
export class PullRequestProvider {
  /**
   * GitHub.
   *
   * @param options the repository and credentials
   */
  public static github(options: GithubPullRequestOptions): PullRequestProvider {
    return new PullRequestProvider('github', (s, f) => {
      required(s, f, options, ['owner', 'repo']);
      return { ...pick(options, ['owner', 'repo', 'api', 'appSecretName', 'labels']), ...auth(s, f, options) };
    });
  }

  /**
   * GitLab.
   *
   * @param options the project and credentials
   */
  public static gitlab(options: GitlabPullRequestOptions): PullRequestProvider {
    return new PullRequestProvider('gitlab', (s, f) => {
      required(s, f, options, ['project']);
      return { ...pick(options, ['project', 'api', 'labels', 'pullRequestState', 'insecure']), ...auth(s, f, options) };
    });
  }

  /**
   * Gitea.
   *
   * @param options the repository, URL and credentials
   */
  public static gitea(options: GiteaPullRequestOptions): PullRequestProvider {
    return new PullRequestProvider('gitea', (s, f) => {
      required(s, f, options, ['owner', 'repo', 'api']);
      return { ...pick(options, ['owner', 'repo', 'api', 'insecure', 'labels']), ...auth(s, f, options) };
    });
  }

  /**
   * Bitbucket Server.
   *
   * @param options the repository, server and credentials
   */
  public static bitbucketServer(options: BitbucketServerPullRequestOptions): PullRequestProvider {
    return new PullRequestProvider('bitbucketServer', (s, f) => {
      required(s, f, options, ['project', 'repo', 'api']);
      return { ...pick(options, ['project', 'repo', 'api', 'insecure']), ...auth(s, f, options) };
    });
  }

  /**
   * Bitbucket Cloud.
   *
   * @param options the repository and credentials
   */
  public static bitbucket(options: BitbucketPullRequestOptions): PullRequestProvider {
    return new PullRequestProvider('bitbucket', (s, f) => {
      required(s, f, options, ['owner', 'repo']);
      return { ...pick(options, ['owner', 'repo', 'api']), ...auth(s, f, options) };
    });
  }

  /**
   * Azure DevOps.
   *
   * @param options the repository and credentials
   */
  public static azureDevOps(options: AzureDevOpsPullRequestOptions): PullRequestProvider {
    return new PullRequestProvider('azuredevops', (s, f) => {
      required(s, f, options, ['organization', 'project', 'repo']);
      return { ...pick(options, ['organization', 'project', 'repo', 'api', 'labels']), ...auth(s, f, options) };
    });
  }

  private constructor(
    /** The provider's key in the manifest, e.g. `github`, `azuredevops`. */
    public readonly key: string,
    private readonly renderer: Render,
  ) {}

  /** @internal */
  public _render(scope: IConstruct, field: string): any {
    return this.renderer(scope, `${field}.${this.key}`);
  }
}

/** A pull request filter; a pull request passes when any filter matches. */
export interface PullRequestFilter {
  /**
   * A regular expression over the source branch.
   *
   * @default - any branch
   */
  readonly branchMatch?: string;
  /**
   * A regular expression over the target branch.
   *
   * @default - any branch
   */
  readonly targetBranchMatch?: string;
  /**
   * A regular expression over the title.
   *
   * @default - any title
   */
  readonly titleMatch?: string;
}

/**
 * Options for `ApplicationSetGenerator.pullRequest()`.
 *
 * Parameters: `number`, `title`, `branch`, `branch_slug`, `target_branch`, `target_branch_slug`,
 * `head_sha`, `head_short_sha`, `head_short_sha_7`, `author`, `labels` (goTemplate), `values.<key>`.
 */
export interface PullRequestGeneratorOptions extends GeneratorOptions {
  /** The service and repository. */
  readonly provider: PullRequestProvider;
  /**
   * Which pull requests.
   *
   * @default - every open pull request
   */
  readonly filters?: PullRequestFilter[];
  /**
   * Extra parameters, `values.<key>`.
   *
   * @default - none
   */
  readonly values?: { [key: string]: string };
  /**
   * How often Argo CD lists pull requests, in seconds.
   *
   * @default - not written; Argo CD's default (30 minutes)
   */
  readonly requeueAfterSeconds?: number;
  /**
   * Produce no parameter sets, instead of failing, when the repository does not exist.
   *
   * @default false (not written)
   */
  readonly continueOnRepoNotFoundError?: boolean;
}

/** @internal */
export function _bindPullRequest(o: PullRequestGeneratorOptions, ctx: GeneratorBindContext): { json: any; params: string[] } {
  const field = `${ctx.field}.pullRequest`;
  _checkRequeue(ctx, field, o.requeueAfterSeconds);
  _checkFilterRegexps(ctx, field, o.filters as any, ['branchMatch', 'targetBranchMatch', 'titleMatch']);
  const out: any = { [o.provider.key]: o.provider._render(ctx.scope, field) };
  if (o.filters?.length) out.filters = o.filters.map((f) => ({ ...f }));
  if (o.values && Object.keys(o.values).length) out.values = { ...o.values };
  if (o.requeueAfterSeconds !== undefined) out.requeueAfterSeconds = o.requeueAfterSeconds;
  if (o.continueOnRepoNotFoundError !== undefined) out.continueOnRepoNotFoundError = o.continueOnRepoNotFoundError;
  const params = ['number', 'title', 'branch', 'branch_slug', 'target_branch', 'target_branch_slug', 'head_sha', 'head_short_sha', 'head_short_sha_7', 'author'];
  if (ctx.goTemplate) params.push('labels', 'labels.*');
  return { json: out, params: [...params, ...valuesParams(o.values)] };
}
