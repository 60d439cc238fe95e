import { IConstruct } from 'constructs';
import { checkNonEmpty } from '../../_internal/values';
import { GeneratorBindContext, valuesParams } from './_params';
import { _checkFilterRegexps, _checkRequeue } from './clusters';
import { GeneratorOptions } from './generator-options';
import { BasicAuth, ConfigMapKeyRef, SecretKeyRef, _basicAuth, _configMapRef, _secretRef } from './secret-ref';

/** Options every SCM provider takes. */
export interface ScmProviderCommonOptions {
  /**
   * One parameter set per branch instead of per repository (default branch only).
   *
   * @default false (not written)
   */
  readonly allBranches?: boolean;
}

/** GitHub (or GitHub Enterprise) organization. */
export interface GithubScmOptions extends ScmProviderCommonOptions {
  /** The organization. */
  readonly organization: string;
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
   * Leave archived repositories out.
   *
   * @default false (not written)
   */
  readonly excludeArchivedRepos?: boolean;
}

/** GitLab group. */
export interface GitlabScmOptions extends ScmProviderCommonOptions {
  /** The group (ID or full path). */
  readonly group: string;
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
   * A CA certificate for the API.
   *
   * @default - the system's
   */
  readonly caRef?: ConfigMapKeyRef;
  /**
   * Skip TLS verification.
   *
   * @default false (not written)
   */
  readonly insecure?: boolean;
  /**
   * Include subgroups.
   *
   * @default false (not written)
   */
  readonly includeSubgroups?: boolean;
  /**
   * Include projects shared with the group.
   *
   * @default - not written; GitLab's default (true)
   */
  readonly includeSharedProjects?: boolean;
  /**
   * Include archived projects.
   *
   * @default false (not written)
   */
  readonly includeArchivedRepos?: boolean;
  /**
   * Only projects with this topic.
   *
   * @default - every project
   */
  readonly topic?: string;
}

/** Gitea organization or user. */
export interface GiteaScmOptions extends ScmProviderCommonOptions {
  /** The owner. */
  readonly owner: string;
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
   * Leave archived repositories out.
   *
   * @default false (not written)
   */
  readonly excludeArchivedRepos?: boolean;
}

/** Bitbucket Cloud workspace. */
export interface BitbucketScmOptions extends ScmProviderCommonOptions {
  /** The workspace. */
  readonly owner: string;
  /** The user name. */
  readonly user: string;
  /** Where the app password is. */
  readonly appPasswordRef: SecretKeyRef;
}

/** Bitbucket Server (Data Center) project. */
export interface BitbucketServerScmOptions extends ScmProviderCommonOptions {
  /** The server URL. */
  readonly api: string;
  /** The project key. */
  readonly project: string;
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
   * A CA certificate for the API.
   *
   * @default - the system's
   */
  readonly caRef?: ConfigMapKeyRef;
  /**
   * Skip TLS verification.
   *
   * @default false (not written)
   */
  readonly insecure?: boolean;
}

/** Azure DevOps team project. */
export interface AzureDevOpsScmOptions extends ScmProviderCommonOptions {
  /** The organization. */
  readonly organization: string;
  /** The team project. */
  readonly teamProject: string;
  /** Where the personal access token is. */
  readonly accessTokenRef: SecretKeyRef;
  /**
   * The API URL, for Azure DevOps Server.
   *
   * @default - not written; https://dev.azure.com
   */
  readonly api?: string;
}

/** A tag filter for AWS CodeCommit. */
export interface AwsCodeCommitTagFilter {
  /** The tag key. */
  readonly key: string;
  /**
   * The tag value.
   *
   * @default - any value
   */
  readonly value?: string;
}

/** AWS CodeCommit repositories. */
export interface AwsCodeCommitScmOptions extends ScmProviderCommonOptions {
  /**
   * The region.
   *
   * @default - the region Argo CD runs in
   */
  readonly region?: string;
  /**
   * An IAM role to assume.
   *
   * @default - Argo CD's own identity
   */
  readonly role?: string;
  /**
   * Only repositories with these tags.
   *
   * @default - every repository
   */
  readonly tagFilters?: AwsCodeCommitTagFilter[];
}

type Render = (scope: IConstruct, field: string) => any;

function flags(o: any, keys: string[]): any {
  const out: any = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/**
 * The SCM provider an scmProvider generator lists repositories from. Credentials are only ever
 * Secret references.
 */
export class ScmProvider {
  /**
   * GitHub.
   *
   * @param options the organization and credentials
   */
  public static github(options: GithubScmOptions): ScmProvider {
    return new ScmProvider('github', (scope, f) => {
      checkNonEmpty(scope, `${f}.organization`, options.organization);
      return {
        ...flags(options, ['organization', 'api', 'appSecretName', 'allBranches', 'excludeArchivedRepos']),
        ...(options.tokenRef ? { tokenRef: _secretRef(scope, `${f}.tokenRef`, options.tokenRef) } : {}),
      };
    });
  }

  /**
   * GitLab.
   *
   * @param options the group and credentials
   */
  public static gitlab(options: GitlabScmOptions): ScmProvider {
    return new ScmProvider('gitlab', (scope, f) => {
      checkNonEmpty(scope, `${f}.group`, options.group);
      return {
        ...flags(options, ['group', 'api', 'insecure', 'includeSubgroups', 'includeSharedProjects', 'includeArchivedRepos', 'topic', 'allBranches']),
        ...(options.tokenRef ? { tokenRef: _secretRef(scope, `${f}.tokenRef`, options.tokenRef) } : {}),
        ...(options.caRef ? { caRef: _configMapRef(scope, `${f}.caRef`, options.caRef) } : {}),
      };
    });
  }

  /**
   * Gitea.
   *
   * @param options the owner, URL and credentials
   */
  public static gitea(options: GiteaScmOptions): ScmProvider {
    return new ScmProvider('gitea', (scope, f) => {
      checkNonEmpty(scope, `${f}.owner`, options.owner);
      checkNonEmpty(scope, `${f}.api`, options.api);
      return {
        ...flags(options, ['owner', 'api', 'insecure', 'allBranches', 'excludeArchivedRepos']),
        ...(options.tokenRef ? { tokenRef: _secretRef(scope, `${f}.tokenRef`, options.tokenRef) } : {}),
      };
    });
  }

  /**
   * Bitbucket Cloud.
   *
   * @param options the workspace and credentials
   */
  public static bitbucket(options: BitbucketScmOptions): ScmProvider {
    return new ScmProvider('bitbucket', (scope, f) => {
      checkNonEmpty(scope, `${f}.owner`, options.owner);
      checkNonEmpty(scope, `${f}.user`, options.user);
      return {
        ...flags(options, ['owner', 'user', 'allBranches']),
        appPasswordRef: _secretRef(scope, `${f}.appPasswordRef`, options.appPasswordRef),
      };
    });
  }

  /**
   * Bitbucket Server.
   *
   * @param options the server, project and credentials
   */
  public static bitbucketServer(options: BitbucketServerScmOptions): ScmProvider {
    return new ScmProvider('bitbucketServer', (scope, f) => {
      checkNonEmpty(scope, `${f}.api`, options.api);
      checkNonEmpty(scope, `${f}.project`, options.project);
      return {
        ...flags(options, ['api', 'project', 'insecure', 'allBranches']),
        ...(options.basicAuth ? { basicAuth: _basicAuth(scope, `${f}.basicAuth`, options.basicAuth) } : {}),
        ...(options.bearerTokenRef ? { bearerToken: { tokenRef: _secretRef(scope, `${f}.bearerToken.tokenRef`, options.bearerTokenRef) } } : {}),
        ...(options.caRef ? { caRef: _configMapRef(scope, `${f}.caRef`, options.caRef) } : {}),
      };
    });
  }

  /**
   * Azure DevOps.
   *
   * @param options the organization, team project and credentials
   */
  public static azureDevOps(options: AzureDevOpsScmOptions): ScmProvider {
    return new ScmProvider('azureDevOps', (scope, f) => {
      checkNonEmpty(scope, `${f}.organization`, options.organization);
      checkNonEmpty(scope, `${f}.teamProject`, options.teamProject);
      return {
        ...flags(options, ['organization', 'teamProject', 'api', 'allBranches']),
        accessTokenRef: _secretRef(scope, `${f}.accessTokenRef`, options.accessTokenRef),
      };
    });
  }

  /**
   * AWS CodeCommit.
   *
   * @param options region, role and tag filters
   */
  public static awsCodeCommit(options: AwsCodeCommitScmOptions = {}): ScmProvider {
    return new ScmProvider('awsCodeCommit', (scope, f) => {
      (options.tagFilters ?? []).forEach((t, i) => checkNonEmpty(scope, `${f}.tagFilters[${i}].key`, t.key));
      return {
        ...flags(options, ['region', 'role', 'allBranches']),
        ...(options.tagFilters?.length ? { tagFilters: options.tagFilters.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}) })) } : {}),
      };
    });
  }

  private constructor(
    /** The provider's key in the manifest, e.g. `github`. */
    public readonly key: string,
    private readonly renderer: Render,
  ) {}

  /** @internal */
  public _render(scope: IConstruct, field: string): any {
    return this.renderer(scope, `${field}.${this.key}`);
  }
}

/** How generated Applications clone the repository (`url` parameter). */
export enum CloneProtocol {
  /** SSH (Argo CD's default). */
  SSH = 'ssh',
  /** HTTPS. */
  HTTPS = 'https',
}

/** A repository filter; all set fields must match, and a repository passes when any filter does. */
export interface ScmProviderFilter {
  /**
   * A regular expression over the repository name.
   *
   * @default - any name
   */
  readonly repositoryMatch?: string;
  /**
   * Paths that must exist in the repository.
   *
   * @default - none
   */
  readonly pathsExist?: string[];
  /**
   * Paths that must not exist in the repository.
   *
   * @default - none
   */
  readonly pathsDoNotExist?: string[];
  /**
   * A regular expression over the repository's labels (topics).
   *
   * @default - any labels
   */
  readonly labelMatch?: string;
  /**
   * A regular expression over the branch name.
   *
   * @default - any branch
   */
  readonly branchMatch?: string;
}

/**
 * Options for `ApplicationSetGenerator.scmProvider()`.
 *
 * Parameters: `organization`, `repository`, `repository_id`, `url`, `branch`, `branchNormalized`,
 * `sha`, `short_sha`, `short_sha_7`, `labels`, `values.<key>`.
 */
export interface ScmProviderGeneratorOptions extends GeneratorOptions {
  /** The provider. */
  readonly provider: ScmProvider;
  /**
   * Which repositories.
   *
   * @default - every repository
   */
  readonly filters?: ScmProviderFilter[];
  /**
   * The protocol of the `url` parameter.
   *
   * @default - not written; Argo CD uses ssh
   */
  readonly cloneProtocol?: CloneProtocol;
  /**
   * Extra parameters, `values.<key>`.
   *
   * @default - none
   */
  readonly values?: { [key: string]: string };
  /**
   * How often Argo CD lists the repositories, in seconds.
   *
   * @default - not written; Argo CD's default (30 minutes)
   */
  readonly requeueAfterSeconds?: number;
}

/** @internal */
export function _bindScmProvider(o: ScmProviderGeneratorOptions, ctx: GeneratorBindContext): { json: any; params: string[] } {
  const field = `${ctx.field}.scmProvider`;
  _checkRequeue(ctx, field, o.requeueAfterSeconds);
  _checkFilterRegexps(ctx, field, o.filters as any, ['repositoryMatch', 'labelMatch', 'branchMatch']);
  const json: any = o.provider._render(ctx.scope, field);
  const out: any = { [o.provider.key]: json };
  if (o.filters?.length) out.filters = o.filters.map((f) => ({ ...f }));
  if (o.cloneProtocol !== undefined) out.cloneProtocol = o.cloneProtocol;
  if (o.values && Object.keys(o.values).length) out.values = { ...o.values };
  if (o.requeueAfterSeconds !== undefined) out.requeueAfterSeconds = o.requeueAfterSeconds;
  const params = ['organization', 'repository', 'repository_id', 'url', 'branch', 'branchNormalized', 'sha', 'short_sha', 'short_sha_7', 'labels'];
  if (ctx.goTemplate) params.push('labels.*');
  return { json: out, params: [...params, ...valuesParams(o.values)] };
}
