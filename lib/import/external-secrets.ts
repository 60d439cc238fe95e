// External Secrets Operator objects through the library's constructs: `new ExternalSecret(...)`
// (data, dataFrom through `ExternalSecretDataFrom`, the target and its template through
// `TemplateFrom`, refreshInterval as a `Duration`), `SecretStore` and `ClusterSecretStore` (their
// provider through the `SecretStoreProvider` factory that writes it back exactly, else
// `SecretStoreProvider.custom()`), `ClusterExternalSecret` and `PushSecret`. A store named by an
// ExternalSecret is the store's own variable when the input declares it, else a reference declared
// with `fromName(..., { managedOutsideApp: true })`. Each object is constructed here first: what
// the constructs refuse is written as it is, with the library's message.
import { Duration } from 'cdk8s';
import { renderGoDuration } from '../_internal/go-duration';
import {
  ConversionStrategy, CreationPolicy, DecodingStrategy, DeletionPolicy, ExternalSecretApiVersion, MetadataPolicy,
  RefreshPolicy, SecretGeneratorKind, TemplateMergePolicy, TemplateScope, TemplateTarget,
} from '../external-secrets/external-secret';
import { ESO_DEFAULT_REFRESH_INTERVAL } from '../external-secrets/_common';
import { PushSecretDeletionPolicy, PushSecretUpdatePolicy } from '../external-secrets/push-secret';
import { AzureEnvironment, CaProviderType, VaultKvVersion } from '../external-secrets/secret-store-provider';
import { LabelSelectorOperator } from '../argocd/generators/label-selector';
import { Code, defined } from './_code';
import { ImportContext, ImportedConstruct, NotExpressible } from './_context';
import { evaluate, firstLine, recorded, tryConstruct } from './_evaluate';
import { duration } from './application';
import { sameValue } from './_diff';
import { HOOK_ANNOTATIONS, MetadataProps, hookOptions, hookStatement, metadataProps, syncWaveStatements } from './metadata';

const isObject = (v: unknown): v is { [k: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringMap = (v: unknown): v is { [k: string]: string } => isObject(v) && Object.values(v).every((x) => typeof x === 'string');
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

const GROUP = 'external-secrets.io';

/** `Enum.MEMBER` for a wire value of one of the library's string enums; undefined when it is none of them. */
function member(ctx: ImportContext, enumName: string, values: object, wire: unknown): Code | undefined {
  const entry = Object.entries(values).find(([, v]) => v === wire);
  return entry ? Code.ref(`${ctx.lib(enumName)}.${entry[0]}`) : undefined;
}

/**
 * A Go duration as a cdk8s `Duration` when the library writes it back as the same text (`1h`, `90s`
 * written `1m30s` is not: it is left to the patch); `0s` as `Duration.seconds(0)` where `zero` allows it.
 */
function goDuration(ctx: ImportContext, text: unknown, zero = false): Code | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === '0s') return zero ? Code.call(`${ctx.imports.use('cdk8s', 'Duration')}.seconds`, 0) : undefined;
  const d = duration(ctx, text);
  if (d === undefined) return undefined;
  const seconds = Number(d.args[0]) * (d.callee.endsWith('hours') ? 3600 : d.callee.endsWith('minutes') ? 60 : 1);
  return renderGoDuration(Duration.seconds(seconds), 'refreshInterval') === text ? d : undefined;
}

/** Throws NotExpressible with the library's message when it refuses the construct. */
function check(className: string, id: string, props: unknown, refs: { [name: string]: unknown } = {}): void {
  const { error } = tryConstruct(className, id, props, () => refs);
  if (error !== undefined) throw new NotExpressible(`${className} refuses it: ${error}`);
}

/** Stand-ins for the program's store variables, for constructing an object here. */
function storeStandIns(props: unknown): { [name: string]: unknown } {
  const out: { [name: string]: unknown } = {};
  const walk = (v: unknown): void => {
    if (v instanceof Code) {
      const ref = (v as any)._store as { kind: string; name: string } | undefined;
      if (ref) out[v.callee] = { storeName: ref.name, storeKind: ref.kind, node: { path: v.callee } };
      v.args.forEach(walk);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) Object.values(v).forEach(walk);
  };
  walk(props);
  return out;
}

/** The store reference of a `secretStoreRef`, marked so that `storeStandIns` can stand in for it. */
function storeRef(ctx: ImportContext, ref: unknown, namespace: string | undefined, field: string): Code {
  if (!isObject(ref) || typeof ref.name !== 'string') throw new NotExpressible(`a ${field} without a name`);
  const kind = ref.kind === undefined ? 'SecretStore' : ref.kind;
  if (kind !== 'SecretStore' && kind !== 'ClusterSecretStore') throw new NotExpressible(`a ${field} of kind '${String(kind)}'`);
  if (Object.keys(ref).some((k) => k !== 'name' && k !== 'kind')) throw new NotExpressible(`a ${field} with fields other than name and kind`);
  const code = ctx.storeRef(kind, ref.name, namespace);
  Object.defineProperty(code, '_store', { value: { kind, name: ref.name }, enumerable: false });
  return code;
}

/**
 * The metadata props, and the statements after the construct: the hook annotations through
 * `Hook.applyTo()` (with the sync wave) when it writes exactly them, else the wave through `SyncWave`.
 */
function metadata(ctx: ImportContext, obj: any): MetadataProps & { after?: (v: string) => string[] } {
  const meta = metadataProps(obj);
  const annotations = meta.props.annotations as { [k: string]: string } | undefined;
  const hook = annotations ? hookOptions(annotations) : undefined;
  if (!hook) return { ...meta, after: syncWaveStatements(ctx, meta.wave) };
  const rest = { ...annotations };
  delete rest[HOOK_ANNOTATIONS.HOOK];
  delete rest[HOOK_ANNOTATIONS.HOOK_DELETE_POLICY];
  const props = { ...meta.props };
  if (Object.keys(rest).length > 0) props.annotations = rest;
  else delete props.annotations;
  return { props, wave: meta.wave, after: (v) => [hookStatement(ctx, hook, meta.wave, v)] };
}

// ---- ExternalSecret and ClusterExternalSecret ----

/** Whether a spec carries the defaults the library writes (`writeServerDefaults`, its default). */
function hasServerDefaults(spec: any): boolean {
  const target = isObject(spec.target) ? spec.target : {};
  if (target.creationPolicy === undefined || target.deletionPolicy === undefined) return false;
  const refs = [
    ...(Array.isArray(spec.data) ? spec.data.map((d: any) => d?.remoteRef) : []),
    ...(Array.isArray(spec.dataFrom) ? spec.dataFrom.map((d: any) => d?.extract ?? d?.find).filter((x: unknown) => x !== undefined) : []),
  ];
  return refs.every((r: any) => isObject(r) && r.conversionStrategy !== undefined && r.decodingStrategy !== undefined);
}

/** `ExternalSecretOptions` of an ExternalSecret spec; `defaultTarget` is the target name written when none is given. */
function externalSecretOptions(ctx: ImportContext, spec: any, namespace: string | undefined, defaultTarget: string | undefined): { [k: string]: unknown } {
  if (!isObject(spec)) throw new NotExpressible('an ExternalSecret without a spec');
  const writeDefaults = hasServerDefaults(spec);
  const target = isObject(spec.target) ? spec.target : {};
  const omit = (value: unknown, dflt: unknown) => (writeDefaults && value === dflt ? undefined : value);
  const enumOf = (name: string, values: object, wire: unknown, dflt?: string) => (wire === undefined || omit(wire, dflt) === undefined ? undefined : member(ctx, name, values, wire));
  const remote = (r: any, withMetadata: boolean) => defined({
    property: typeof r.property === 'string' ? r.property : undefined,
    version: typeof r.version === 'string' ? r.version : undefined,
    conversionStrategy: enumOf('ConversionStrategy', ConversionStrategy, r.conversionStrategy, ConversionStrategy.DEFAULT),
    decodingStrategy: enumOf('DecodingStrategy', DecodingStrategy, r.decodingStrategy, DecodingStrategy.NONE),
    metadataPolicy: withMetadata ? enumOf('MetadataPolicy', MetadataPolicy, r.metadataPolicy, MetadataPolicy.NONE) : undefined,
  });
  const data = Array.isArray(spec.data) ? spec.data.map((d: any, i: number) => {
    if (!isObject(d) || typeof d.secretKey !== 'string' || !isObject(d.remoteRef) || typeof d.remoteRef.key !== 'string') {
      throw new NotExpressible(`spec.data[${i}] without a secretKey and a remoteRef.key`);
    }
    return defined({ secretKey: d.secretKey, remoteKey: d.remoteRef.key, ...remote(d.remoteRef, true) });
  }) : undefined;
  const dataFrom = Array.isArray(spec.dataFrom) ? spec.dataFrom.map((d: any, i: number) => dataFromEntry(ctx, d, i, remote)) : undefined;
  const refresh = spec.refreshInterval === undefined || (writeDefaults && spec.refreshInterval === ESO_DEFAULT_REFRESH_INTERVAL)
    ? undefined : goDuration(ctx, spec.refreshInterval, true);
  return defined({
    store: spec.secretStoreRef !== undefined ? storeRef(ctx, spec.secretStoreRef, namespace, 'secretStoreRef') : undefined,
    refreshInterval: refresh,
    refreshPolicy: enumOf('RefreshPolicy', RefreshPolicy, spec.refreshPolicy),
    targetName: typeof target.name === 'string' && !(writeDefaults && target.name === defaultTarget) ? target.name : undefined,
    creationPolicy: enumOf('CreationPolicy', CreationPolicy, target.creationPolicy, CreationPolicy.OWNER),
    deletionPolicy: enumOf('DeletionPolicy', DeletionPolicy, target.deletionPolicy, DeletionPolicy.RETAIN),
    immutable: typeof target.immutable === 'boolean' ? target.immutable : undefined,
    template: isObject(target.template) ? template(ctx, target.template) : undefined,
    data: data && data.length > 0 ? data : undefined,
    dataFrom: dataFrom && dataFrom.length > 0 ? dataFrom : undefined,
    writeServerDefaults: writeDefaults ? undefined : false,
  });
}

function dataFromEntry(ctx: ImportContext, d: any, i: number, remote: (r: any, withMetadata: boolean) => { [k: string]: unknown }): Code {
  const F = ctx.lib('ExternalSecretDataFrom');
  if (!isObject(d)) throw new NotExpressible(`spec.dataFrom[${i}] that is not an object`);
  const kinds = ['extract', 'find', 'sourceRef'].filter((k) => d[k] !== undefined);
  if (kinds.length !== 1) throw new NotExpressible(`spec.dataFrom[${i}] with ${kinds.length === 0 ? 'no extract, find or sourceRef' : kinds.join(' and ')}`);
  const rewrite = Array.isArray(d.rewrite) ? d.rewrite.map((r: any, j: number) => {
    const R = ctx.lib('SecretKeyRewrite');
    if (isObject(r) && isObject(r.regexp) && typeof r.regexp.source === 'string' && typeof r.regexp.target === 'string' && Object.keys(r).length === 1) {
      return Code.call(`${R}.regexp`, r.regexp.source, r.regexp.target);
    }
    if (isObject(r) && isObject(r.transform) && typeof r.transform.template === 'string' && Object.keys(r).length === 1) return Code.call(`${R}.transform`, r.transform.template);
    throw new NotExpressible(`spec.dataFrom[${i}].rewrite[${j}], neither a regexp nor a transform`);
  }) : undefined;
  if (kinds[0] === 'extract') {
    const e = d.extract;
    if (!isObject(e) || typeof e.key !== 'string') throw new NotExpressible(`spec.dataFrom[${i}].extract without a key`);
    return Code.call(`${F}.extract`, defined({ remoteKey: e.key, ...remote(e, true), rewrite }));
  }
  if (kinds[0] === 'find') {
    const f = d.find;
    if (!isObject(f)) throw new NotExpressible(`spec.dataFrom[${i}].find that is not an object`);
    return Code.call(`${F}.find`, defined({
      nameRegexp: isObject(f.name) && typeof f.name.regexp === 'string' ? f.name.regexp : undefined,
      tags: isStringMap(f.tags) && Object.keys(f.tags).length > 0 ? f.tags : undefined,
      path: typeof f.path === 'string' ? f.path : undefined,
      ...remote(f, false),
      rewrite,
    }));
  }
  const g = d.sourceRef?.generatorRef;
  if (!isObject(g) || typeof g.name !== 'string') throw new NotExpressible(`spec.dataFrom[${i}].sourceRef without a generatorRef`);
  const kind = member(ctx, 'SecretGeneratorKind', SecretGeneratorKind, g.kind);
  if (!kind) throw new NotExpressible(`spec.dataFrom[${i}] with generator kind '${String(g.kind)}'`);
  return Code.call(`${F}.generator`, kind, g.name, ...(rewrite ? [rewrite] : []));
}

function template(ctx: ImportContext, t: any): { [k: string]: unknown } {
  const T = () => ctx.lib('TemplateFrom');
  const target = (x: any) => (x.target === undefined || x.target === TemplateTarget.DATA ? [] : [member(ctx, 'TemplateTarget', TemplateTarget, x.target) ?? Code.ref(`${ctx.lib('TemplateTarget')}.DATA`)]);
  const templateFrom = Array.isArray(t.templateFrom) ? t.templateFrom.map((tf: any, i: number) => {
    if (!isObject(tf)) throw new NotExpressible(`spec.target.template.templateFrom[${i}] that is not an object`);
    if (typeof tf.literal === 'string') return Code.call(`${T()}.literal`, tf.literal, ...target(tf));
    for (const k of ['configMap', 'secret'] as const) {
      const o = tf[k];
      if (isObject(o) && typeof o.name === 'string' && Array.isArray(o.items)) {
        const items = o.items.map((it: any) => defined({
          key: it?.key,
          templateAs: it?.templateAs === undefined || it.templateAs === TemplateScope.VALUES ? undefined : member(ctx, 'TemplateScope', TemplateScope, it.templateAs),
        }));
        return Code.call(`${T()}.${k}`, o.name, items, ...target(tf));
      }
    }
    throw new NotExpressible(`spec.target.template.templateFrom[${i}], neither a literal, a configMap nor a secret`);
  }) : undefined;
  const meta = isObject(t.metadata) ? t.metadata : {};
  return defined({
    type: typeof t.type === 'string' ? t.type : undefined,
    data: isStringMap(t.data) && Object.keys(t.data).length > 0 ? t.data : undefined,
    templateFrom: templateFrom && templateFrom.length > 0 ? templateFrom : undefined,
    labels: isStringMap(meta.labels) && Object.keys(meta.labels).length > 0 ? meta.labels : undefined,
    annotations: isStringMap(meta.annotations) && Object.keys(meta.annotations).length > 0 ? meta.annotations : undefined,
    mergePolicy: t.mergePolicy === undefined || t.mergePolicy === TemplateMergePolicy.REPLACE ? undefined : member(ctx, 'TemplateMergePolicy', TemplateMergePolicy, t.mergePolicy),
  });
}

/** `ExternalSecret` props from an ExternalSecret object. */
export function importExternalSecret(outer: ImportContext, obj: any): ImportedConstruct {
  return recorded(outer, (ctx) => {
    const version = obj.apiVersion === ExternalSecretApiVersion.V1 ? undefined : member(ctx, 'ExternalSecretApiVersion', ExternalSecretApiVersion, obj.apiVersion);
    if (!version && obj.apiVersion !== ExternalSecretApiVersion.V1) throw new NotExpressible(`an ExternalSecret of ${String(obj.apiVersion)} (the library writes ${Object.values(ExternalSecretApiVersion).join(' or ')})`);
    const meta = metadata(ctx, obj);
    const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : undefined;
    const namespace = typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : undefined;
    const props = defined({
      ...meta.props,
      apiVersion: version,
      ...externalSecretOptions(ctx, obj.spec, namespace, name),
    });
    check('ExternalSecret', name ?? 'external-secret', props, storeStandIns(props));
    return { className: 'ExternalSecret', module: 'cdk8s-argocd', props, after: meta.after };
  });
}

/** `ClusterExternalSecret` props from a ClusterExternalSecret object. */
export function importClusterExternalSecret(outer: ImportContext, obj: any): ImportedConstruct {
  return recorded(outer, (ctx) => {
    if (obj.apiVersion !== `${GROUP}/v1`) throw new NotExpressible(`a ClusterExternalSecret of ${String(obj.apiVersion)} (the library writes ${GROUP}/v1)`);
    const spec = isObject(obj.spec) ? obj.spec : {};
    const meta = metadata(ctx, obj);
    const esMeta = isObject(spec.externalSecretMetadata) ? spec.externalSecretMetadata : {};
    const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : undefined;
    const selectors = Array.isArray(spec.namespaceSelectors) ? spec.namespaceSelectors.map((s: any) => defined({
      matchLabels: isStringMap(s?.matchLabels) && Object.keys(s.matchLabels).length > 0 ? s.matchLabels : undefined,
      matchExpressions: Array.isArray(s?.matchExpressions) ? s.matchExpressions.map((e: any) => defined({
        key: e?.key,
        operator: member(ctx, 'LabelSelectorOperator', LabelSelectorOperator, e?.operator) ?? e?.operator,
        values: isStringList(e?.values) && e.values.length > 0 ? e.values : undefined,
      })) : undefined,
    })) : undefined;
    const props = defined({
      ...meta.props,
      externalSecretName: typeof spec.externalSecretName === 'string' ? spec.externalSecretName : undefined,
      externalSecretLabels: isStringMap(esMeta.labels) && Object.keys(esMeta.labels).length > 0 ? esMeta.labels : undefined,
      externalSecretAnnotations: isStringMap(esMeta.annotations) && Object.keys(esMeta.annotations).length > 0 ? esMeta.annotations : undefined,
      namespaces: isStringList(spec.namespaces) && spec.namespaces.length > 0 ? spec.namespaces : undefined,
      namespaceSelectors: selectors && selectors.length > 0 ? selectors : undefined,
      refreshTime: goDuration(ctx, spec.refreshTime),
      ...externalSecretOptions(ctx, spec.externalSecretSpec, undefined, typeof spec.externalSecretName === 'string' ? spec.externalSecretName : name),
    });
    check('ClusterExternalSecret', name ?? 'cluster-external-secret', props, storeStandIns(props));
    return { className: 'ClusterExternalSecret', module: 'cdk8s-argocd', props, after: meta.after };
  });
}

/** `PushSecret` props from a PushSecret object. */
export function importPushSecret(outer: ImportContext, obj: any): ImportedConstruct {
  return recorded(outer, (ctx) => {
    if (obj.apiVersion !== `${GROUP}/v1alpha1`) throw new NotExpressible(`a PushSecret of ${String(obj.apiVersion)} (the library writes ${GROUP}/v1alpha1)`);
    const spec = isObject(obj.spec) ? obj.spec : {};
    const meta = metadata(ctx, obj);
    const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : 'push-secret';
    const namespace = typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : undefined;
    const secretName = spec.selector?.secret?.name;
    if (typeof secretName !== 'string') throw new NotExpressible('a PushSecret whose selector is not a Secret by name');
    if (!Array.isArray(spec.secretStoreRefs)) throw new NotExpressible('a PushSecret without secretStoreRefs');
    const S = ctx.imports.use('cdk8s-plus-28', 'Secret');
    const props = defined({
      ...meta.props,
      stores: spec.secretStoreRefs.map((r: unknown, i: number) => storeRef(ctx, r, namespace, `spec.secretStoreRefs[${i}]`)),
      secret: Code.call(`${S}.fromSecretName`, Code.ref('app'), `${name}-secret`, secretName),
      data: Array.isArray(spec.data) ? spec.data.map((d: any, i: number) => {
        const r = d?.match?.remoteRef;
        if (!isObject(r) || typeof r.remoteKey !== 'string') throw new NotExpressible(`spec.data[${i}] without a match.remoteRef.remoteKey`);
        return defined({ secretKey: typeof d.match.secretKey === 'string' ? d.match.secretKey : undefined, remoteKey: r.remoteKey, property: typeof r.property === 'string' ? r.property : undefined });
      }) : undefined,
      deletionPolicy: spec.deletionPolicy === undefined || spec.deletionPolicy === 'None' ? undefined : member(ctx, 'PushSecretDeletionPolicy', PushSecretDeletionPolicy, spec.deletionPolicy),
      updatePolicy: spec.updatePolicy === undefined || spec.updatePolicy === 'Replace' ? undefined : member(ctx, 'PushSecretUpdatePolicy', PushSecretUpdatePolicy, spec.updatePolicy),
      refreshInterval: spec.refreshInterval === ESO_DEFAULT_REFRESH_INTERVAL ? undefined : goDuration(ctx, spec.refreshInterval),
    });
    check('PushSecret', name, props, storeStandIns(props));
    return { className: 'PushSecret', module: 'cdk8s-argocd', props, after: meta.after };
  });
}

// ---- SecretStore and ClusterSecretStore ----

/** `SecretStore` props from a SecretStore object. */
export function importSecretStore(ctx: ImportContext, obj: any): ImportedConstruct {
  return store(ctx, obj, 'SecretStore');
}

/** `ClusterSecretStore` props from a ClusterSecretStore object. */
export function importClusterSecretStore(ctx: ImportContext, obj: any): ImportedConstruct {
  return store(ctx, obj, 'ClusterSecretStore');
}

function store(outer: ImportContext, obj: any, className: 'SecretStore' | 'ClusterSecretStore'): ImportedConstruct {
  return recorded(outer, (ctx) => {
    if (obj.apiVersion !== `${GROUP}/v1`) throw new NotExpressible(`a ${className} of ${String(obj.apiVersion)} (the library writes ${GROUP}/v1)`);
    const spec = isObject(obj.spec) ? obj.spec : {};
    const meta = metadata(ctx, obj);
    if (className === 'ClusterSecretStore') delete meta.props.namespace;
    const namespace = typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : undefined;
    let conditions: { [k: string]: unknown } = {};
    if (className === 'ClusterSecretStore' && Array.isArray(spec.conditions) && spec.conditions.length === 1 && isObject(spec.conditions[0])
      && Object.keys(spec.conditions[0]).every((k) => k === 'namespaces' || k === 'namespaceRegexes')) {
      const c = spec.conditions[0];
      conditions = defined({
        namespaces: isStringList(c.namespaces) && c.namespaces.length > 0 ? c.namespaces : undefined,
        namespaceRegexes: isStringList(c.namespaceRegexes) && c.namespaceRegexes.length > 0 ? c.namespaceRegexes : undefined,
      });
    }
    const props = defined({
      ...meta.props,
      provider: provider(ctx, spec.provider, className === 'ClusterSecretStore', namespace),
      controller: typeof spec.controller === 'string' ? spec.controller : undefined,
      refreshInterval: goDuration(ctx, spec.refreshInterval),
      ...conditions,
    });
    const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : className.toLowerCase();
    check(className, name, props);
    return { className, module: 'cdk8s-argocd', props, after: meta.after };
  });
}

/**
 * The provider as the library's factory that writes it back exactly (the AWS, Vault, Google,
 * Azure and Kubernetes providers, for the auth methods the factories have), or as
 * `SecretStoreProvider.custom(name, config)`, which writes it as it is.
 */
function provider(ctx: ImportContext, p: unknown, clusterScoped: boolean, namespace: string | undefined): Code {
  if (!isObject(p) || Object.keys(p).length !== 1 || !isObject(Object.values(p)[0])) throw new NotExpressible('a store whose provider is not one object of one provider');
  const [name, config] = Object.entries(p)[0] as [string, any];
  const P = ctx.lib('SecretStoreProvider');
  // the factory is tried with names recorded, not imported: imported only when it is the one written
  try {
    return recorded(ctx, (trial) => {
      const typed = typedProvider(trial, P, name, config);
      if (!typed || !sameValue(evaluate(typed)._bind(undefined, clusterScoped, namespace), p)) throw new NotExpressible('not the factory');
      return typed;
    });
  } catch {
    // no factory writes it back exactly, or the factory refuses it: written through custom(),
    // which says why if it refuses too
  }
  const custom = Code.call(`${P}.custom`, name, config);
  try {
    evaluate(custom);
  } catch (e) {
    throw new NotExpressible(`SecretStoreProvider.custom() refuses its provider: ${firstLine(e)}`);
  }
  return custom;
}

function typedProvider(ctx: ImportContext, P: string, name: string, c: any): Code | undefined {
  const sa = (r: any) => defined({ name: r?.name, namespace: r?.namespace, audiences: isStringList(r?.audiences) && r.audiences.length > 0 ? r.audiences : undefined });
  const key = (r: any) => defined({ name: r?.name, key: r?.key, namespace: r?.namespace });
  const ca = (r: any) => (isObject(r) ? defined({ type: member(ctx, 'CaProviderType', CaProviderType, r.type), name: r.name, key: r.key, namespace: r.namespace }) : undefined);
  if (name === 'aws') {
    const factory = c.service === 'SecretsManager' ? 'awsSecretsManager' : c.service === 'ParameterStore' ? 'awsParameterStore' : undefined;
    if (!factory) return undefined;
    const A = () => ctx.lib('AwsAuth');
    let auth: Code | undefined;
    if (isObject(c.auth?.jwt)) auth = Code.call(`${A()}.serviceAccount`, sa(c.auth.jwt.serviceAccountRef));
    else if (isObject(c.auth?.secretRef)) {
      const s = c.auth.secretRef;
      auth = Code.call(`${A()}.secretRef`, defined({ accessKeyId: key(s.accessKeyIDSecretRef), secretAccessKey: key(s.secretAccessKeySecretRef), sessionToken: s.sessionTokenSecretRef ? key(s.sessionTokenSecretRef) : undefined }));
    }
    return Code.call(`${P}.${factory}`, defined({ region: c.region, role: c.role, additionalRoles: c.additionalRoles, externalId: c.externalID, prefix: c.prefix, auth }));
  }
  if (name === 'vault') {
    const V = () => ctx.lib('VaultAuth');
    const a = c.auth ?? {};
    let auth: Code | undefined;
    if (isObject(a.kubernetes)) auth = Code.call(`${V()}.kubernetes`, defined({ role: a.kubernetes.role, mountPath: a.kubernetes.mountPath === 'kubernetes' ? undefined : a.kubernetes.mountPath, serviceAccount: a.kubernetes.serviceAccountRef ? sa(a.kubernetes.serviceAccountRef) : undefined }));
    else if (isObject(a.tokenSecretRef)) auth = Code.call(`${V()}.tokenSecret`, key(a.tokenSecretRef));
    else if (isObject(a.appRole)) auth = Code.call(`${V()}.appRole`, defined({ roleId: a.appRole.roleId, secretIdSecret: key(a.appRole.secretRef), path: a.appRole.path === 'approle' ? undefined : a.appRole.path }));
    else if (isObject(a.jwt)) auth = Code.call(`${V()}.jwt`, defined({ serviceAccount: sa(a.jwt.kubernetesServiceAccountToken?.serviceAccountRef), role: a.jwt.role, path: a.jwt.path === 'jwt' ? undefined : a.jwt.path }));
    if (!auth) return undefined;
    return Code.call(`${P}.vault`, defined({ server: c.server, auth, path: c.path, version: c.version === 'v2' ? undefined : member(ctx, 'VaultKvVersion', VaultKvVersion, c.version), namespace: c.namespace, caProvider: ca(c.caProvider) }));
  }
  if (name === 'gcpsm') {
    const G = () => ctx.lib('GcpAuth');
    let auth: Code | undefined;
    const w = c.auth?.workloadIdentity;
    if (isObject(w)) auth = Code.call(`${G()}.workloadIdentity`, defined({ serviceAccount: sa(w.serviceAccountRef), clusterLocation: w.clusterLocation, clusterName: w.clusterName, clusterProjectId: w.clusterProjectID }));
    else if (isObject(c.auth?.secretRef)) auth = Code.call(`${G()}.serviceAccountKey`, key(c.auth.secretRef.secretAccessKeySecretRef));
    return Code.call(`${P}.gcpSecretManager`, defined({ projectId: c.projectID, location: c.location, auth }));
  }
  if (name === 'azurekv') {
    const Z = () => ctx.lib('AzureAuth');
    let auth: Code | undefined;
    if (c.authType === 'ServicePrincipal') auth = Code.call(`${Z()}.servicePrincipal`, { tenantId: c.tenantId, clientId: key(c.authSecretRef?.clientId), clientSecret: key(c.authSecretRef?.clientSecret) });
    else if (c.authType === 'ManagedIdentity') auth = Code.call(`${Z()}.managedIdentity`, ...(c.identityId !== undefined ? [c.identityId] : []));
    else if (c.authType === 'WorkloadIdentity') auth = Code.call(`${Z()}.workloadIdentity`, sa(c.serviceAccountRef));
    if (!auth) return undefined;
    const env = c.environmentType === undefined || c.environmentType === 'PublicCloud' ? undefined : member(ctx, 'AzureEnvironment', AzureEnvironment, c.environmentType);
    return Code.call(`${P}.azureKeyVault`, defined({ vaultUrl: c.vaultUrl, auth, environment: env }));
  }
  if (name === 'kubernetes') {
    const K = () => ctx.lib('KubernetesAuth');
    const a = c.auth ?? {};
    let auth: Code | undefined;
    if (isObject(a.serviceAccount)) auth = Code.call(`${K()}.serviceAccount`, sa(a.serviceAccount));
    else if (isObject(a.token?.bearerToken)) auth = Code.call(`${K()}.tokenSecret`, key(a.token.bearerToken));
    else if (isObject(a.cert)) auth = Code.call(`${K()}.clientCertificate`, key(a.cert.clientCert), key(a.cert.clientKey));
    if (!auth) return undefined;
    return Code.call(`${P}.kubernetes`, defined({
      auth,
      remoteNamespace: c.remoteNamespace === 'default' ? undefined : c.remoteNamespace,
      serverUrl: c.server?.url === 'kubernetes.default' ? undefined : c.server?.url,
      caProvider: ca(c.server?.caProvider),
    }));
  }
  return undefined;
}
