// An Application's source as the library's factory: `ApplicationSource.git()`, `.helmChart()`,
// `.kustomize()`, `.plugin()` or `.ref()`, with the wire names turned into the props' names.
// What a factory cannot say is left to the JSON patches the program adds after comparing.
import { Code, defined } from './_code';
import { ImportContext, NotExpressible } from './_context';
import { HELM_FILE_PARAMETER, HELM_PARAMETER, JSONNET_VARIABLE, KUSTOMIZE_PATCH, KUSTOMIZE_REPLICA, PLUGIN_PARAMETER, pickList } from './_shape';

const isObject = (v: unknown): v is { [k: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The factory call for one source (`spec.source`, an entry of `spec.sources`, a dry source). */
export function importSource(ctx: ImportContext, s: any): Code {
  if (!isObject(s) || typeof s.repoURL !== 'string') throw new NotExpressible('a source without repoURL');
  const common = defined({
    repoUrl: s.repoURL,
    targetRevision: s.targetRevision,
    tagPrefix: s.tagPrefix,
    sourceName: s.name,
    ref: s.ref,
  });
  const kinds = ['directory', 'helm', 'kustomize', 'plugin'].filter((k) => s[k] !== undefined);
  const factory = (name: string, props: unknown) => Code.call(`${ctx.lib('ApplicationSource')}.${name}`, props);
  if (typeof s.chart === 'string') {
    if (kinds.some((k) => k !== 'helm')) throw new NotExpressible('a chart source with directory, kustomize or plugin options');
    const { targetRevision, ...rest } = common;
    return factory('helmChart', defined({ ...rest, chart: s.chart, version: targetRevision, ...helmOptions(ctx, s.helm) }));
  }
  if (typeof s.path !== 'string') {
    if (kinds.length > 0 || s.ref === undefined) throw new NotExpressible('a source without path, chart or ref');
    return factory('ref', common);
  }
  const withPath = insertAfter(common, common.targetRevision !== undefined ? 'targetRevision' : 'repoUrl', { path: s.path });
  if (kinds.length === 1 && kinds[0] === 'kustomize' && isObject(s.kustomize) && Object.keys(s.kustomize).length > 0) {
    return factory('kustomize', defined({ ...withPath, ...kustomizeOptions(s.kustomize) }));
  }
  if (kinds.length === 1 && kinds[0] === 'plugin' && isObject(s.plugin) && Object.keys(s.plugin).length > 0) {
    return factory('plugin', defined({ ...withPath, ...pluginOptions(s.plugin) }));
  }
  if (kinds.length > 1) throw new NotExpressible(`a source with ${kinds.join(' and ')} options at once`);
  return factory('git', defined({
    ...withPath,
    directory: isObject(s.directory) ? directoryOptions(s.directory) : s.directory,
    helm: isObject(s.helm) ? helmOptions(ctx, s.helm) : s.helm,
    kustomize: isObject(s.kustomize) ? kustomizeOptions(s.kustomize) : s.kustomize,
    plugin: isObject(s.plugin) ? pluginOptions(s.plugin) : s.plugin,
  }));
}

function insertAfter(o: { [k: string]: unknown }, after: string, extra: { [k: string]: unknown }): { [k: string]: unknown } {
  const out: { [k: string]: unknown } = {};
  for (const [k, v] of Object.entries(o)) {
    out[k] = v;
    if (k === after) Object.assign(out, extra);
  }
  return out;
}

function helmOptions(ctx: ImportContext, h: any): { [k: string]: unknown } {
  if (h === undefined) return {};
  if (!isObject(h)) throw new NotExpressible('helm options that are not an object');
  return defined({
    releaseName: h.releaseName,
    valueFiles: h.valueFiles,
    values: typeof h.values === 'string' ? Code.call(`${ctx.lib('HelmValues')}.fromString`, h.values) : h.values,
    valuesObject: h.valuesObject,
    parameters: pickList(h.parameters, HELM_PARAMETER, 'a Helm parameter'),
    fileParameters: pickList(h.fileParameters, HELM_FILE_PARAMETER, 'a Helm file parameter'),
    skipCrds: h.skipCrds,
    skipTests: h.skipTests,
    skipSchemaValidation: h.skipSchemaValidation,
    passCredentials: h.passCredentials,
    ignoreMissingValueFiles: h.ignoreMissingValueFiles,
    namespace: h.namespace,
    kubeVersion: h.kubeVersion,
    apiVersions: h.apiVersions,
    helmVersion: h.version,
  });
}

function kustomizeOptions(k: any): { [k: string]: unknown } {
  return defined({
    images: k.images,
    namePrefix: k.namePrefix,
    nameSuffix: k.nameSuffix,
    commonLabels: k.commonLabels,
    commonAnnotations: k.commonAnnotations,
    commonAnnotationsEnvsubst: k.commonAnnotationsEnvsubst,
    forceCommonLabels: k.forceCommonLabels,
    forceCommonAnnotations: k.forceCommonAnnotations,
    labelWithoutSelector: k.labelWithoutSelector,
    labelIncludeTemplates: k.labelIncludeTemplates,
    namespace: k.namespace,
    replicas: pickList(k.replicas, KUSTOMIZE_REPLICA, 'a Kustomize replica'),
    patches: pickList(k.patches, KUSTOMIZE_PATCH, 'a Kustomize patch'),
    components: k.components,
    ignoreMissingComponents: k.ignoreMissingComponents,
    kustomizeVersion: k.version,
    kubeVersion: k.kubeVersion,
    apiVersions: k.apiVersions,
  });
}

function directoryOptions(d: any): { [k: string]: unknown } {
  const j = isObject(d.jsonnet) ? d.jsonnet : {};
  return defined({
    recurse: d.recurse,
    include: d.include,
    exclude: d.exclude,
    jsonnetExtVars: pickList(j.extVars, JSONNET_VARIABLE, 'a Jsonnet variable'),
    jsonnetTlas: pickList(j.tlas, JSONNET_VARIABLE, 'a Jsonnet variable'),
    jsonnetLibs: j.libs,
  });
}

function pluginOptions(p: any): { [k: string]: unknown } {
  let env: { [k: string]: unknown } | undefined;
  if (Array.isArray(p.env) && p.env.every((e: any) => isObject(e) && typeof e.name === 'string' && typeof e.value === 'string')) {
    const names = new Set(p.env.map((e: any) => e.name));
    if (names.size === p.env.length) env = Object.fromEntries(p.env.map((e: any) => [e.name, e.value]));
  }
  return defined({ pluginName: p.name, env, parameters: pickList(p.parameters, PLUGIN_PARAMETER, 'a plugin parameter') });
}
