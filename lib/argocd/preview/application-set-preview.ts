import { GenContext, Params, ParamRenderer, PreviewError, SECRET_TYPE_LABEL, transform } from './_generators';
import { APPLICATION_SHAPE, applyTemplatePatch, renderTemplate, RenderOptions } from './_render';

export { PreviewError } from './_generators';

/**
 * How the git files generator selects files, as the ApplicationSet controller's
 * `--enable-new-git-file-globbing` flag decides.
 */
export enum GitFileGlobbing {
  /**
   * Argo CD's default: `git ls-files -- <pattern>` pathspecs, where `*`, `?` and `[...]` also
   * match `/` and a pattern naming a directory selects every file under it.
   */
  LEGACY = 'legacy',
  /** `--enable-new-git-file-globbing`: bmatcuk/doublestar globs, `*` stays within a segment, `**` spans segments. */
  DOUBLESTAR = 'doublestar',
}

/** A pull request the pullRequest generator would list. */
export interface PreviewPullRequest {
  /** The pull request number. */
  readonly number: number;
  /**
   * The title.
   * @default ''
   */
  readonly title?: string;
  /** The head (source) branch. */
  readonly branch: string;
  /**
   * The target (base) branch.
   * @default ''
   */
  readonly targetBranch?: string;
  /** The SHA of the head commit. */
  readonly headSha: string;
  /**
   * The author's login.
   * @default ''
   */
  readonly author?: string;
  /**
   * The labels (exposed as `labels` under goTemplate only, as Argo CD does).
   * @default - no labels
   */
  readonly labels?: string[];
}

/** A repository (and branch) the scmProvider generator would list. */
export interface PreviewScmRepository {
  /** The organization (or group, owner, project) holding the repository. */
  readonly organization: string;
  /** The repository name. */
  readonly repository: string;
  /**
   * The provider's id of the repository (`repository_id`).
   * @default - none: `repository_id` is nil, as for a provider that gives no id; fasttemplate then
   *   leaves `{{repository_id}}` as written and a Go template prints `<no value>`
   */
  readonly repositoryId?: string;
  /** The clone URL for the generator's clone protocol. */
  readonly url: string;
  /** The branch. */
  readonly branch: string;
  /** The SHA of the branch head. */
  readonly sha: string;
  /**
   * The repository's labels (topics), joined with `,` into `labels`.
   * @default - no labels
   */
  readonly labels?: string[];
}

/** What the generators would read from outside the ApplicationSet. */
export interface PreviewWorld {
  /**
   * Secret manifests labelled `argocd.argoproj.io/secret-type: cluster` (`data` base64 or
   * `stringData`; keys name, server, project, ...); the clusters generator reads them.
   * @default - no cluster Secrets: the clusters generator sees only the in-cluster cluster
   */
  readonly clusterSecrets?: any[];
  /**
   * For each repoURL, its files at the generator's revision (path to content); a directory exists
   * where a file lies under it. The git generators read them.
   * @default - no repositories: a git generator fails, naming the missing repoURL
   */
  readonly repositories?: { [repoURL: string]: { [path: string]: string } };
  /**
   * How the git files generator matches its patterns.
   * @default GitFileGlobbing.LEGACY
   */
  readonly gitFileGlobbing?: GitFileGlobbing;
  /**
   * The open pull requests the SCM provider would return (the generator's `filters` with
   * branchMatch, targetBranchMatch and titleMatch are applied to them).
   * @default - not described: a pullRequest generator fails
   */
  readonly pullRequests?: PreviewPullRequest[];
  /**
   * The repositories the SCM provider would return (the generator's `filters` with
   * repositoryMatch, branchMatch and labelMatch are applied to them).
   * @default - not described: an scmProvider generator fails
   */
  readonly scmRepositories?: PreviewScmRepository[];
}

const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * Offline expansion of an ApplicationSet: the Application manifests Argo CD's ApplicationSet
 * controller would generate, without a cluster or repo-server.
 */
export class ApplicationSetPreview {
  /**
   * The cluster Secrets among `manifests`, as the clusters generator would see them in the cluster:
   * Secrets labelled `argocd.argoproj.io/secret-type: cluster`, and the Secrets that
   * ExternalSecrets with such a label on their target template will write (their templated fields,
   * such as a bearer token, stay placeholders; name, server and labels are what generators read).
   *
   * @param manifests synthesized objects of any kind
   */
  public static clusterSecretsIn(manifests: any[]): any[] {
    const out: any[] = [];
    for (const m of manifests) {
      if (m?.kind === 'Secret' && m.metadata?.labels?.[SECRET_TYPE_LABEL] === 'cluster') {
        out.push(m);
      } else if (m?.kind === 'ExternalSecret' && String(m.apiVersion ?? '').startsWith('external-secrets.io/')) {
        const template = m.spec?.target?.template;
        const labels = template?.metadata?.labels;
        if (labels?.[SECRET_TYPE_LABEL] !== 'cluster') continue;
        out.push({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: m.spec?.target?.name ?? m.metadata?.name,
            ...(m.metadata?.namespace ? { namespace: m.metadata.namespace } : {}),
            labels: { ...labels },
            ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
          },
          stringData: { ...(template.data ?? {}) },
        });
      }
    }
    return out;
  }

  /**
   * Expands an ApplicationSet manifest (plain JSON, as synthesized) into the Applications Argo CD
   * would generate, sorted by name.
   *
   * Throws a `PreviewError` (a `ValidationError`) worded as Argo CD words the failure, for example
   * `ApplicationSet api contains applications with duplicate name: api-dev`.
   *
   * @param manifest the ApplicationSet manifest (`apiVersion`, `kind`, `metadata`, `spec`)
   * @param world what the generators read from outside: cluster Secrets, repository files, pull
   *   requests, SCM repositories
   */
  public static expand(manifest: any, world?: PreviewWorld): any[] {
    if (manifest === null || typeof manifest !== 'object' || manifest.kind !== 'ApplicationSet') {
      throw new PreviewError(`manifest kind ${JSON.stringify(manifest?.kind)} is not ApplicationSet; pass an ApplicationSet manifest`);
    }
    const name: string = manifest.metadata?.name ?? '';
    const namespace: string | undefined = manifest.metadata?.namespace;
    const spec = manifest.spec ?? {};
    const options: RenderOptions = { goTemplate: spec.goTemplate === true, goTemplateOptions: [...(spec.goTemplateOptions ?? [])] };
    const renderer: ParamRenderer = {
      replace: (s, params, goTemplateOptions) => replaceString(s, params, goTemplateOptions ? { ...options, goTemplateOptions: [...goTemplateOptions] } : options),
    };
    const ctx: GenContext = {
      appSetName: name,
      goTemplate: options.goTemplate,
      goTemplateOptions: options.goTemplateOptions,
      world: world ?? {},
      renderer,
    };
    const preserve = spec.syncPolicy?.preserveResourcesOnDeletion === true;

    const apps: any[] = [];
    for (const generator of spec.generators ?? []) {
      for (const result of transform(generator, spec.template ?? {}, {}, ctx)) {
        for (const params of result.params) {
          let rendered = renderApplication(result.template, params, options, preserve);
          if (typeof spec.templatePatch === 'string') {
            rendered = withProjectOf(rendered, applyTemplatePatch(rendered, spec.templatePatch, params, options));
          }
          apps.push(toApplication(rendered, namespace));
        }
      }
    }

    const seen = new Set<string>();
    for (const app of apps) {
      const appName = app.metadata.name ?? '';
      if (seen.has(appName)) {
        throw new PreviewError(`ApplicationSet ${name} contains applications with duplicate name: ${appName}`);
      }
      seen.add(appName);
    }
    return apps.sort((a, b) => compareNames(a.metadata.name ?? '', b.metadata.name ?? ''));
  }

  private constructor() {}
}

function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The template's metadata fields Argo CD keeps (ApplicationSetTemplateMeta) and its spec. */
function templateApplication(template: any): any {
  const meta = template?.metadata ?? {};
  const metadata: Params = {};
  for (const k of ['name', 'namespace', 'labels', 'annotations', 'finalizers']) {
    if (meta[k] !== undefined && meta[k] !== null) metadata[k] = JSON.parse(JSON.stringify(meta[k]));
  }
  return { metadata, spec: JSON.parse(JSON.stringify(template?.spec ?? {})) };
}

/** `RenderTemplateParams`: an empty parameter set leaves the template as it is, finalizer included. */
function renderApplication(template: any, params: Params, options: RenderOptions, preserve: boolean): any {
  const tmpl = templateApplication(template);
  if (Object.keys(params).length === 0) return tmpl;
  const rendered = renderTemplate(tmpl, params, options, APPLICATION_SHAPE);
  const finalizers = rendered.metadata?.finalizers;
  if (!preserve && (!Array.isArray(finalizers) || finalizers.length === 0)) {
    rendered.metadata = { ...(rendered.metadata ?? {}), finalizers: [RESOURCES_FINALIZER] };
  }
  return rendered;
}

/**
 * Argo CD's applyTemplatePatch puts the rendered template's `spec.project` back after patching: a
 * templatePatch can never move an Application to another project (a security boundary).
 */
function withProjectOf(rendered: any, patched: any): any {
  const spec = { ...(patched?.spec ?? {}) };
  if (rendered?.spec?.project === undefined) delete spec.project;
  else spec.project = rendered.spec.project;
  return { ...patched, spec };
}

function toApplication(rendered: any, namespace: string | undefined): any {
  const metadata: Params = { ...(rendered.metadata ?? {}) };
  if (namespace !== undefined) metadata.namespace = namespace;
  else delete metadata.namespace;
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata, spec: rendered.spec ?? {} };
}

/** `Render.Replace` for one string (generator values and the interpolation of a matrix's second child). */
function replaceString(s: string, params: Params, options: RenderOptions): string {
  return String(renderTemplate(s, params, options));
}

