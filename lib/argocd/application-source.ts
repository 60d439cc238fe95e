import { dumpYaml } from '../_internal/yaml';
import { checkFiniteNumbers, checkInteger, checkNonEmpty, fail, show } from '../_internal/values';
import { ApplicationSpecSource, ApplicationSpecSourceKustomizeReplicasCount } from '../../imports/application-argoproj.io';
import { SpecContext, checkNotTemplated, skipCheck } from './_context';
import { methodName } from '../_internal/method-name';

/**
 * Helm values given inline (`helm.values`): a YAML string, or an object the library renders to YAML.
 */
export class HelmValues {
  /**
   * Values as YAML text, written exactly as given.
   *
   * @param yaml the values file content
   */
  public static fromString(yaml: string): HelmValues {
    return new HelmValues(yaml);
  }

  /**
   * Values as an object, rendered to YAML text (keys in the order given).
   * To write a structured `valuesObject` instead, use `HelmOptions.valuesObject`.
   *
   * @param values the values
   */
  public static fromObject(values: { [key: string]: any }): HelmValues {
    checkFiniteNumbers(undefined, 'helm values', values);
    return new HelmValues(dumpYaml(values));
  }

  private constructor(
    /** The values as YAML text. */
    public readonly yaml: string,
  ) {}
}

/**
 * A Helm parameter (`--set name=value`).
 */
export interface HelmParameter {
  /** The value's path, e.g. `image.tag`. */
  readonly name: string;
  /** The value, always a string in the manifest (`"true"`, `"3"`). */
  readonly value: string;
  /**
   * Pass the value as a string (`--set-string`).
   *
   * @default - not written; Helm infers the type
   */
  readonly forceString?: boolean;
}

/**
 * A Helm file parameter (`--set-file name=path`).
 */
export interface HelmFileParameter {
  /** The value's path. */
  readonly name: string;
  /** The file, relative to the source's path. */
  readonly path: string;
}

/**
 * Options for rendering a Helm chart (`source.helm`).
 */
export interface HelmOptions {
  /**
   * The Helm release name.
   *
   * @default - not written; Argo CD uses the Application's name
   */
  readonly releaseName?: string;

  /**
   * Values files, relative to the chart, or `$ref/path` into another source of this Application.
   *
   * @default - none
   */
  readonly valueFiles?: string[];

  /**
   * Inline values (`helm.values`).
   *
   * @default - none
   */
  readonly values?: HelmValues;

  /**
   * Inline values as a structured object (`helm.valuesObject`); wins over `values` in Argo CD.
   *
   * @default - none
   */
  readonly valuesObject?: { [key: string]: any };

  /**
   * Parameters, like `helm --set`.
   *
   * @default - none
   */
  readonly parameters?: HelmParameter[];

  /**
   * File parameters, like `helm --set-file`.
   *
   * @default - none
   */
  readonly fileParameters?: HelmFileParameter[];

  /**
   * Skip the chart's CRDs.
   *
   * @default - not written; CRDs are installed
   */
  readonly skipCrds?: boolean;

  /**
   * Skip the chart's test manifests.
   *
   * @default - not written; tests are rendered
   */
  readonly skipTests?: boolean;

  /**
   * Skip the chart's values schema validation.
   *
   * @default - not written; values are validated
   */
  readonly skipSchemaValidation?: boolean;

  /**
   * Pass repository credentials to every domain the chart pulls from.
   *
   * @default - not written; credentials go only to the chart's repository
   */
  readonly passCredentials?: boolean;

  /**
   * Ignore value files that do not exist.
   *
   * @default - not written; a missing value file fails the sync
   */
  readonly ignoreMissingValueFiles?: boolean;

  /**
   * The namespace Helm renders into (`.Release.Namespace`).
   *
   * @default - not written; the destination namespace
   */
  readonly namespace?: string;

  /**
   * The Kubernetes version Helm renders for (`.Capabilities.KubeVersion`).
   *
   * @default - not written; the destination cluster's version
   */
  readonly kubeVersion?: string;

  /**
   * API versions Helm renders for (`.Capabilities.APIVersions`).
   *
   * @default - not written; the destination cluster's API versions
   */
  readonly apiVersions?: string[];

  /**
   * The Helm major version to render with (`helm.version`, e.g. `v3`).
   *
   * @default - not written; Argo CD's Helm 3
   */
  readonly helmVersion?: string;
}

/**
 * A Kustomize replica override.
 */
export interface KustomizeReplica {
  /** The workload's name. */
  readonly name: string;
  /** The replica count. */
  readonly count: number;
}

/**
 * Which objects a Kustomize patch applies to.
 */
export interface KustomizePatchTarget {
  /**
   * The API group.
   *
   * @default - any group
   */
  readonly group?: string;
  /**
   * The API version.
   *
   * @default - any version
   */
  readonly version?: string;
  /**
   * The kind.
   *
   * @default - any kind
   */
  readonly kind?: string;
  /**
   * The object name.
   *
   * @default - any name
   */
  readonly name?: string;
  /**
   * The namespace.
   *
   * @default - any namespace
   */
  readonly namespace?: string;
  /**
   * A label selector, e.g. `app=web`.
   *
   * @default - no label selector
   */
  readonly labelSelector?: string;
  /**
   * An annotation selector.
   *
   * @default - no annotation selector
   */
  readonly annotationSelector?: string;
}

/**
 * A Kustomize patch: inline (`patch`) or a file (`path`).
 */
export interface KustomizePatch {
  /**
   * The patch as YAML or JSON text.
   *
   * @default - none; then `path` is required
   */
  readonly patch?: string;

  /**
   * A patch file, relative to the kustomization.
   *
   * @default - none; then `patch` is required
   */
  readonly path?: string;

  /**
   * Which objects to patch.
   *
   * @default - the objects the patch itself names
   */
  readonly target?: KustomizePatchTarget;

  /**
   * Patch options, e.g. `allowNameChange`, `allowKindChange`.
   *
   * @default - none
   */
  readonly options?: { [key: string]: boolean };
}

/**
 * Options for building with Kustomize (`source.kustomize`).
 */
export interface KustomizeOptions {
  /**
   * Image overrides, e.g. `myregistry.io/myapp:v2.1.0` or `old=new:tag`.
   *
   * @default - none
   */
  readonly images?: string[];

  /**
   * A prefix for every object's name.
   *
   * @default - none
   */
  readonly namePrefix?: string;

  /**
   * A suffix for every object's name.
   *
   * @default - none
   */
  readonly nameSuffix?: string;

  /**
   * Labels added to every object.
   *
   * @default - none
   */
  readonly commonLabels?: { [key: string]: string };

  /**
   * Annotations added to every object.
   *
   * @default - none
   */
  readonly commonAnnotations?: { [key: string]: string };

  /**
   * Substitute environment variables in commonAnnotations values.
   *
   * @default - not written; no substitution
   */
  readonly commonAnnotationsEnvsubst?: boolean;

  /**
   * Overwrite labels the manifests already have.
   *
   * @default - not written; existing labels are kept
   */
  readonly forceCommonLabels?: boolean;

  /**
   * Overwrite annotations the manifests already have.
   *
   * @default - not written; existing annotations are kept
   */
  readonly forceCommonAnnotations?: boolean;

  /**
   * Apply commonLabels to metadata only, not to selectors.
   *
   * @default - not written; selectors get the labels too
   */
  readonly labelWithoutSelector?: boolean;

  /**
   * Apply commonLabels to pod templates too (with labelWithoutSelector).
   *
   * @default - not written
   */
  readonly labelIncludeTemplates?: boolean;

  /**
   * The namespace for every namespaced object.
   *
   * @default - none; the manifests' own namespaces
   */
  readonly namespace?: string;

  /**
   * Replica overrides.
   *
   * @default - none
   */
  readonly replicas?: KustomizeReplica[];

  /**
   * Patches.
   *
   * @default - none
   */
  readonly patches?: KustomizePatch[];

  /**
   * Kustomize components to include.
   *
   * @default - none
   */
  readonly components?: string[];

  /**
   * Ignore components that do not exist.
   *
   * @default - not written; a missing component fails the build
   */
  readonly ignoreMissingComponents?: boolean;

  /**
   * The Kustomize version (as configured in Argo CD) to build with.
   *
   * @default - not written; Argo CD's bundled Kustomize
   */
  readonly kustomizeVersion?: string;

  /**
   * The Kubernetes version Kustomize renders for (Helm charts inside kustomizations).
   *
   * @default - not written; the destination cluster's version
   */
  readonly kubeVersion?: string;

  /**
   * API versions Kustomize renders for.
   *
   * @default - not written; the destination cluster's API versions
   */
  readonly apiVersions?: string[];
}

/**
 * A Jsonnet variable: a string value or Jsonnet code.
 */
export interface JsonnetVariable {
  /** The variable's name. */
  readonly name: string;
  /** The value. */
  readonly value: string;
  /**
   * Whether `value` is Jsonnet code rather than a string.
   *
   * @default false
   */
  readonly code?: boolean;
}

/**
 * Options for a plain directory of manifests (`source.directory`).
 */
export interface DirectoryOptions {
  /**
   * Read subdirectories too.
   *
   * @default - not written; only the directory itself
   */
  readonly recurse?: boolean;

  /**
   * A glob of files to include, e.g. `*.yaml` or `{a.yaml,b.yaml}`.
   *
   * @default - every manifest file
   */
  readonly include?: string;

  /**
   * A glob of files to exclude; wins over include.
   *
   * @default - none
   */
  readonly exclude?: string;

  /**
   * Jsonnet external variables.
   *
   * @default - none
   */
  readonly jsonnetExtVars?: JsonnetVariable[];

  /**
   * Jsonnet top-level arguments.
   *
   * @default - none
   */
  readonly jsonnetTlas?: JsonnetVariable[];

  /**
   * Jsonnet library paths.
   *
   * @default - none
   */
  readonly jsonnetLibs?: string[];
}

/**
 * A parameter for a config management plugin.
 */
export interface PluginParameter {
  /** The parameter's name. */
  readonly name: string;
  /**
   * A string value.
   *
   * @default - none
   */
  readonly string?: string;
  /**
   * An array value.
   *
   * @default - none
   */
  readonly array?: string[];
  /**
   * A map value.
   *
   * @default - none
   */
  readonly map?: { [key: string]: string };
}

/**
 * Options for a config management plugin (`source.plugin`).
 */
export interface PluginOptions {
  /**
   * The plugin's name; Argo CD discovers a plugin when it is left out.
   *
   * @default - not written; the plugin is discovered
   */
  readonly pluginName?: string;

  /**
   * Environment variables for the plugin, in the order given.
   *
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Parameters for the plugin.
   *
   * @default - none
   */
  readonly parameters?: PluginParameter[];
}

/**
 * What every source has.
 */
export interface SourceOptions {
  /** The repository URL: a Git URL, a Helm repository, or an OCI registry. */
  readonly repoUrl: string;

  /**
   * The revision: a branch, tag or commit for Git; ignored for Helm chart sources (use `version`).
   *
   * @default - not written; Argo CD uses HEAD
   */
  readonly targetRevision?: string;

  /**
   * Git only: keep the tags with this prefix when `targetRevision` is a semver constraint, and
   * compare them without it (Argo CD 3.5). With `tagPrefix: 'component-b/'` and
   * `targetRevision: '1.0.*'`, tag `component-b/1.0.1` is chosen.
   *
   * @default - not written; every tag is a candidate
   */
  readonly tagPrefix?: string;

  /**
   * The source's name, to address it in a multi-source Application.
   *
   * @default - none
   */
  readonly sourceName?: string;

  /**
   * A reference name, so other sources of the same Application can read files from this one as
   * `$<ref>/path` (for example Helm value files).
   *
   * @default - none
   */
  readonly ref?: string;
}

/**
 * A directory in a Git repository.
 */
export interface GitSourceOptions extends SourceOptions {
  /** The directory, relative to the repository root. */
  readonly path: string;

  /**
   * Plain-directory options (recurse, include, exclude, Jsonnet).
   *
   * @default - none
   */
  readonly directory?: DirectoryOptions;

  /**
   * Render the directory as a Helm chart with these options.
   *
   * @default - not a Helm source unless Argo CD detects a Chart.yaml
   */
  readonly helm?: HelmOptions;

  /**
   * Build the directory with Kustomize with these options.
   *
   * @default - not a Kustomize source unless Argo CD detects a kustomization
   */
  readonly kustomize?: KustomizeOptions;

  /**
   * Render the directory with a config management plugin.
   *
   * @default - no plugin
   */
  readonly plugin?: PluginOptions;
}

/**
 * A chart from a Helm repository or an OCI registry.
 */
export interface HelmChartSourceOptions extends HelmOptions {
  /** The chart repository (`https://charts.example.com`) or OCI registry (`oci://registry.example.com/charts`). */
  readonly repoUrl: string;

  /** The chart's name. */
  readonly chart: string;

  /** The chart version (written as `targetRevision`), e.g. `1.5.0`; may be a semver range. */
  readonly version: string;

  /**
   * The source's name, to address it in a multi-source Application.
   *
   * @default - none
   */
  readonly sourceName?: string;
}

/**
 * A Kustomize directory in a Git repository.
 */
export interface KustomizeSourceOptions extends KustomizeOptions, SourceOptions {
  /** The directory holding the kustomization, relative to the repository root. */
  readonly path: string;
}

/**
 * A directory rendered by a config management plugin.
 */
export interface PluginSourceOptions extends PluginOptions, SourceOptions {
  /** The directory, relative to the repository root. */
  readonly path: string;
}

/**
 * Where an Application's manifests come from.
 *
 * @example
 * ApplicationSource.git({ repoUrl: 'https://github.com/myorg/infra.git', targetRevision: 'main', path: 'apps/api' })
 * ApplicationSource.helmChart({ repoUrl: 'https://charts.example.com', chart: 'myapp', version: '1.5.0' })
 * ApplicationSource.kustomize({ repoUrl, path: 'apps/api/overlays/production', images: ['api:v2'] })
 */
export class ApplicationSource {
  /**
   * A directory of a Git repository: plain manifests, or Helm, Kustomize or a plugin with options.
   *
   * @param options the source
   */
  public static git(options: GitSourceOptions): ApplicationSource {
    return new ApplicationSource('git', options);
  }

  /**
   * A chart from a Helm repository or an OCI registry.
   *
   * @param options the chart and its options
   */
  public static helmChart(options: HelmChartSourceOptions): ApplicationSource {
    return new ApplicationSource('helmChart', options);
  }

  /**
   * A Kustomize directory of a Git repository.
   *
   * @param options the directory and Kustomize options
   */
  public static kustomize(options: KustomizeSourceOptions): ApplicationSource {
    return new ApplicationSource('kustomize', options);
  }

  /**
   * A directory rendered by a config management plugin.
   *
   * @param options the directory and plugin options
   */
  public static plugin(options: PluginSourceOptions): ApplicationSource {
    return new ApplicationSource('plugin', options);
  }

  /**
   * A repository used only as a reference by the Application's other sources (`$<ref>/path`).
   *
   * @param options the repository, its revision, and `ref`
   */
  public static ref(options: SourceOptions): ApplicationSource {
    return new ApplicationSource('ref', options);
  }

  private constructor(private readonly type: string, private readonly options: any) {}

  /** The repository URL. */
  public get repoUrl(): string {
    return this.options.repoUrl;
  }

  /** The path in the repository, for sources that have one. */
  public get path(): string | undefined {
    return this.options.path;
  }

  /** The reference name, when the source has one. */
  public get refName(): string | undefined {
    return this.options.ref;
  }

  /**
   * The source as a source hydrator's dry source: a Git directory with a path and a revision.
   *
   * @internal
   */
  public _renderDry(ctx: SpecContext, field: string): any {
    const o = this.options;
    if (this.type === 'helmChart' || this.type === 'ref') {
      const what = this.type === 'ref' ? 'a reference-only source' : `Helm chart '${o.chart}' from a chart repository`;
      fail(ctx.scope, field, o.repoUrl, `is ${what}; the source hydrator renders a directory of a Git repository: use ApplicationSource.git(), .kustomize() or .plugin()`);
    }
    if (o.sourceName !== undefined) fail(ctx.scope, `${field}.name`, o.sourceName, 'is not a field of a dry source; remove sourceName');
    if (o.tagPrefix !== undefined) fail(ctx.scope, `${field}.tagPrefix`, o.tagPrefix, 'is not a field of a dry source; remove tagPrefix');
    if (o.ref !== undefined) fail(ctx.scope, `${field}.ref`, o.ref, 'is not a field of a dry source; remove ref');
    checkNonEmpty(ctx.scope, `${field}.targetRevision`, o.targetRevision);
    return this._render(ctx, field);
  }

  /** @internal */
  public _render(ctx: SpecContext, field: string): ApplicationSpecSource {
    const o = this.options;
    checkNonEmpty(ctx.scope, `${field}.repoURL`, o.repoUrl);
    const out: any = { repoUrl: o.repoUrl };
    if (o.sourceName !== undefined) {
      checkNonEmpty(ctx.scope, `${field}.name`, o.sourceName);
      out.name = o.sourceName;
    }
    if (o.tagPrefix !== undefined) {
      checkNonEmpty(ctx.scope, `${field}.tagPrefix`, o.tagPrefix);
      if (o.targetRevision === undefined) {
        fail(ctx.scope, `${field}.tagPrefix`, o.tagPrefix, 'only filters the tags a semver targetRevision is resolved against, and targetRevision is not set; set it to a constraint such as \'1.0.*\', or remove tagPrefix');
      }
      out.tagPrefix = o.tagPrefix;
    }
    if (o.ref !== undefined) {
      if (!skipCheck(ctx, o.ref) && !/^[A-Za-z0-9_-]+$/.test(o.ref)) {
        fail(ctx.scope, `${field}.ref`, o.ref, 'is not a valid reference name; use letters, digits, \'-\' and \'_\'');
      }
      out.ref = o.ref;
    }
    switch (this.type) {
      case 'git': {
        _checkRepoPath(ctx, `${field}.path`, o.path);
        out.path = o.path;
        if (o.targetRevision !== undefined) out.targetRevision = o.targetRevision;
        const kinds = ['directory', 'helm', 'kustomize', 'plugin'].filter((k) => o[k] !== undefined);
        if (kinds.length > 1) {
          fail(ctx.scope, field, kinds.join(', '), 'are mutually exclusive: a source is rendered one way; keep one of directory, helm, kustomize, plugin');
        }
        if (o.directory) out.directory = renderDirectory(ctx, `${field}.directory`, o.directory);
        if (o.helm) out.helm = renderHelm(ctx, `${field}.helm`, o.helm);
        if (o.kustomize) out.kustomize = renderKustomize(ctx, `${field}.kustomize`, o.kustomize);
        if (o.plugin) out.plugin = renderPlugin(ctx, `${field}.plugin`, o.plugin);
        break;
      }
      case 'helmChart': {
        checkNonEmpty(ctx.scope, `${field}.chart`, o.chart);
        checkNonEmpty(ctx.scope, `${field}.targetRevision`, o.version);
        out.chart = o.chart;
        out.targetRevision = o.version;
        const helm = renderHelm(ctx, `${field}.helm`, o);
        if (helm) out.helm = helm;
        break;
      }
      case 'kustomize': {
        _checkRepoPath(ctx, `${field}.path`, o.path);
        out.path = o.path;
        if (o.targetRevision !== undefined) out.targetRevision = o.targetRevision;
        out.kustomize = renderKustomize(ctx, `${field}.kustomize`, o) ?? {};
        break;
      }
      case 'plugin': {
        _checkRepoPath(ctx, `${field}.path`, o.path);
        out.path = o.path;
        if (o.targetRevision !== undefined) out.targetRevision = o.targetRevision;
        out.plugin = renderPlugin(ctx, `${field}.plugin`, o) ?? {};
        break;
      }
      case 'ref': {
        if (o.ref === undefined) {
          fail(ctx.scope, `${field}.ref`, o.ref, 'is required for a reference-only source; set ref, e.g. \'values\'');
        }
        if (o.targetRevision !== undefined) out.targetRevision = o.targetRevision;
        break;
      }
    }
    return out as ApplicationSpecSource;
  }
}

/**
 * Throws unless `path` is a non-empty path relative to the repository root that stays inside it
 * (placeholders in templates are left alone).
 *
 * @internal
 */
export function _checkRepoPath(ctx: SpecContext, field: string, path: unknown): void {
  checkNonEmpty(ctx.scope, field, path);
  if (skipCheck(ctx, path)) return;
  const p = path as string;
  if (p.startsWith('/') || p.split('/').includes('..')) {
    fail(ctx.scope, field, p, 'must be relative to the repository root and stay inside it; remove the leading \'/\' or \'..\'');
  }
}

function pick(o: any, keys: string[], out: any): void {
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
}

function renderHelm(ctx: SpecContext, field: string, o: HelmOptions): any {
  const out: any = {};
  for (const k of ['skipCrds', 'skipTests', 'skipSchemaValidation', 'passCredentials', 'ignoreMissingValueFiles'] as const) {
    if (o[k] !== undefined) {
      checkNotTemplated(ctx, `${field}.${k}`, o[k]);
      out[k] = o[k];
    }
  }
  pick(o, ['releaseName', 'namespace', 'kubeVersion'], out);
  if (o.apiVersions) out.apiVersions = [...o.apiVersions];
  if (o.valueFiles) {
    o.valueFiles.forEach((v, i) => checkNonEmpty(ctx.scope, `${field}.valueFiles[${i}]`, v));
    out.valueFiles = [...o.valueFiles];
  }
  if (o.values !== undefined) {
    if (!(o.values instanceof HelmValues)) {
      fail(ctx.scope, `${field}.values`, o.values, `is not HelmValues; use ${methodName('HelmValues.fromString')} or ${methodName('HelmValues.fromObject')}`);
    }
    out.values = o.values.yaml;
  }
  if (o.valuesObject !== undefined) {
    checkFiniteNumbers(ctx.scope, `${field}.valuesObject`, o.valuesObject);
    out.valuesObject = o.valuesObject;
  }
  if (o.parameters) {
    const seen = new Set<string>();
    out.parameters = o.parameters.map((p, i) => {
      checkNonEmpty(ctx.scope, `${field}.parameters[${i}].name`, p.name);
      if (typeof p.value !== 'string') {
        fail(ctx.scope, `${field}.parameters[${i}].value`, p.value, 'is not a string; Helm parameters are strings in the manifest (write "true", "3")');
      }
      if (seen.has(p.name)) fail(ctx.scope, `${field}.parameters[${i}].name`, p.name, 'is set twice; keep one value per parameter');
      seen.add(p.name);
      return { name: p.name, value: p.value, ...(p.forceString !== undefined ? { forceString: p.forceString } : {}) };
    });
  }
  if (o.fileParameters) {
    out.fileParameters = o.fileParameters.map((p, i) => {
      checkNonEmpty(ctx.scope, `${field}.fileParameters[${i}].name`, p.name);
      checkNonEmpty(ctx.scope, `${field}.fileParameters[${i}].path`, p.path);
      return { name: p.name, path: p.path };
    });
  }
  if (o.helmVersion !== undefined) {
    if (!skipCheck(ctx, o.helmVersion) && o.helmVersion !== 'v3') {
      fail(ctx.scope, `${field}.version`, o.helmVersion, 'is not a Helm version Argo CD supports; use \'v3\'');
    }
    out.version = o.helmVersion;
  }
  return Object.keys(out).length ? out : undefined;
}

function renderKustomize(ctx: SpecContext, field: string, o: KustomizeOptions): any {
  const out: any = {};
  for (const k of ['commonAnnotationsEnvsubst', 'forceCommonLabels', 'forceCommonAnnotations', 'labelWithoutSelector', 'labelIncludeTemplates', 'ignoreMissingComponents'] as const) {
    if (o[k] !== undefined) {
      checkNotTemplated(ctx, `${field}.${k}`, o[k]);
      out[k] = o[k];
    }
  }
  pick(o, ['namePrefix', 'nameSuffix', 'namespace', 'kubeVersion'], out);
  if (o.images) {
    o.images.forEach((img, i) => checkNonEmpty(ctx.scope, `${field}.images[${i}]`, img));
    out.images = [...o.images];
  }
  if (o.commonLabels) out.commonLabels = { ...o.commonLabels };
  if (o.commonAnnotations) out.commonAnnotations = { ...o.commonAnnotations };
  if (o.components) out.components = [...o.components];
  if (o.apiVersions) out.apiVersions = [...o.apiVersions];
  if (o.kustomizeVersion !== undefined) out.version = o.kustomizeVersion;
  if (o.replicas) {
    out.replicas = o.replicas.map((r, i) => {
      checkNonEmpty(ctx.scope, `${field}.replicas[${i}].name`, r.name);
      checkInteger(ctx.scope, `${field}.replicas[${i}].count`, r.count, 0, 'int32'); // intstr.IntOrString holds an int32
      return { name: r.name, count: ApplicationSpecSourceKustomizeReplicasCount.fromNumber(r.count) };
    });
  }
  if (o.patches) {
    out.patches = o.patches.map((p, i) => {
      if ((p.patch === undefined) === (p.path === undefined)) {
        fail(ctx.scope, `${field}.patches[${i}]`, p, 'must have exactly one of patch (inline) or path (a file)');
      }
      const patch: any = {};
      pick(p, ['patch', 'path'], patch);
      if (p.target) {
        const t: any = {};
        pick(p.target, ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'], t);
        patch.target = t;
      }
      if (p.options) patch.options = { ...p.options };
      return patch;
    });
  }
  return Object.keys(out).length ? out : undefined;
}

function renderDirectory(ctx: SpecContext, field: string, o: DirectoryOptions): any {
  const out: any = {};
  if (o.recurse !== undefined) {
    checkNotTemplated(ctx, `${field}.recurse`, o.recurse);
    out.recurse = o.recurse;
  }
  pick(o, ['include', 'exclude'], out);
  const vars = (list: JsonnetVariable[] | undefined, f: string) => list?.map((v, i) => {
    checkNonEmpty(ctx.scope, `${f}[${i}].name`, v.name);
    return { name: v.name, value: v.value, ...(v.code !== undefined ? { code: v.code } : {}) };
  });
  const jsonnet: any = {};
  if (o.jsonnetExtVars) jsonnet.extVars = vars(o.jsonnetExtVars, `${field}.jsonnet.extVars`);
  if (o.jsonnetTlas) jsonnet.tlas = vars(o.jsonnetTlas, `${field}.jsonnet.tlas`);
  if (o.jsonnetLibs) jsonnet.libs = [...o.jsonnetLibs];
  if (Object.keys(jsonnet).length) out.jsonnet = jsonnet;
  return out;
}

function renderPlugin(ctx: SpecContext, field: string, o: PluginOptions): any {
  const out: any = {};
  if (o.pluginName !== undefined) {
    checkNonEmpty(ctx.scope, `${field}.name`, o.pluginName);
    out.name = o.pluginName;
  }
  if (o.env) out.env = Object.entries(o.env).map(([name, value]) => ({ name, value }));
  if (o.parameters) {
    out.parameters = o.parameters.map((p, i) => {
      checkNonEmpty(ctx.scope, `${field}.parameters[${i}].name`, p.name);
      const set = ['string', 'array', 'map'].filter((k) => (p as any)[k] !== undefined);
      if (set.length !== 1) {
        fail(ctx.scope, `${field}.parameters[${i}]`, p.name, `must have exactly one of string, array or map (has ${set.length === 0 ? 'none' : set.join(', ')})`);
      }
      const param: any = { name: p.name };
      pick(p, ['string', 'array', 'map'], param);
      return param;
    });
  }
  return Object.keys(out).length ? out : undefined;
}

/** Checks `$ref/...` value files against the refs of the sources. @internal */
export function checkValueFileRefs(ctx: SpecContext, sources: ApplicationSpecSource[]): void {
  const refs = new Map<string, number>();
  sources.forEach((s, i) => {
    if (s.ref === undefined) return;
    if (refs.has(s.ref)) {
      fail(ctx.scope, `spec.sources[${i}].ref`, s.ref, `is already the ref of spec.sources[${refs.get(s.ref)}]; give each source its own ref`);
    }
    refs.set(s.ref, i);
  });
  sources.forEach((s, i) => {
    (s.helm?.valueFiles ?? []).forEach((v, j) => {
      const m = /^\$([^/]+)\//.exec(v);
      if (!m || skipCheck(ctx, v)) return;
      if (!refs.has(m[1])) {
        const known = [...refs.keys()];
        fail(ctx.scope, `spec.sources[${i}].helm.valueFiles[${j}]`, v, `refers to source ref ${show(m[1])}, which no source of this Application has (refs: ${known.length ? known.join(', ') : 'none'}); add ApplicationSource.ref({ repoUrl, ref: '${m[1]}' })`);
      }
    });
  });
}
