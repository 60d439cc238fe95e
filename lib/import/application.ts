// An Argo CD Application as `new Application(chart, id, {...})`: project, sources (single and
// multi-source with refs, or the source hydrator), destination, sync policy with retry and its
// backoff as Durations, ignoreDifferences, info, revisionHistoryLimit and finalizers.
import { Code, defined } from './_code';
import { ImportContext, ImportedConstruct, NotExpressible } from './_context';
import { importSource } from './application-source';
import { AUTOMATED, IGNORE_DIFFERENCE, NAMESPACE_METADATA, pick, pickList } from './_shape';
import { metadataProps, syncWaveStatements } from './metadata';

const isObject = (v: unknown): v is { [k: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);

const IN_CLUSTER = 'https://kubernetes.default.svc';

const SYNC_OPTIONS: { [wire: string]: string } = {
  'CreateNamespace=true': 'CREATE_NAMESPACE',
  'PrunePropagationPolicy=foreground': 'PRUNE_PROPAGATION_FOREGROUND',
  'PrunePropagationPolicy=background': 'PRUNE_PROPAGATION_BACKGROUND',
  'PrunePropagationPolicy=orphan': 'PRUNE_PROPAGATION_ORPHAN',
  'PruneLast=true': 'PRUNE_LAST',
  'ApplyOutOfSyncOnly=true': 'APPLY_OUT_OF_SYNC_ONLY',
  'ServerSideApply=true': 'SERVER_SIDE_APPLY',
  'Replace=true': 'REPLACE',
  'Validate=false': 'SKIP_SCHEMA_VALIDATION',
  'SkipDryRunOnMissingResource=true': 'SKIP_DRY_RUN_ON_MISSING_RESOURCE',
  'FailOnSharedResource=true': 'FAIL_ON_SHARED_RESOURCE',
  'RespectIgnoreDifferences=true': 'RESPECT_IGNORE_DIFFERENCES',
  'Prune=false': 'PRUNE_DISABLED',
  'Prune=confirm': 'PRUNE_CONFIRM',
  'Delete=false': 'DELETE_DISABLED',
  'Delete=confirm': 'DELETE_CONFIRM',
  'ClientSideApplyMigration=false': 'DISABLE_CLIENT_SIDE_APPLY_MIGRATION',
};

/** `Application` props from an Application object. */
export function importApplication(ctx: ImportContext, obj: any): ImportedConstruct {
  const spec = obj.spec;
  if (!isObject(spec)) throw new NotExpressible('an Application without a spec');
  const meta = metadataProps(obj, { defaultNamespace: 'argocd' });
  const props = defined({
    ...meta.props,
    project: ctx.projectRef(typeof spec.project === 'string' ? spec.project : 'default'),
    finalizers: finalizers(ctx, obj.metadata?.finalizers),
    ...specOptions(ctx, spec),
  });
  return { className: 'Application', module: 'cdk8s-argocd', props, after: syncWaveStatements(ctx, meta.wave) };
}

/** The props an Application and an ApplicationSet's template share (`ApplicationSpecOptions`). */
export function specOptions(ctx: ImportContext, spec: any): { [k: string]: unknown } {
  const out: { [k: string]: unknown } = {};
  if (spec.sourceHydrator !== undefined) out.sourceHydrator = hydrator(ctx, spec.sourceHydrator);
  else if (Array.isArray(spec.sources)) out.sources = spec.sources.map((s: any) => importSource(ctx, s));
  else if (spec.source !== undefined) out.source = importSource(ctx, spec.source);
  if (spec.destination !== undefined) out.destination = destination(ctx, spec.destination);
  if (spec.syncPolicy !== undefined) out.syncPolicy = syncPolicy(ctx, spec.syncPolicy);
  if (Array.isArray(spec.ignoreDifferences)) out.ignoreDifferences = pickList(spec.ignoreDifferences, IGNORE_DIFFERENCE, 'an ignoreDifferences entry');
  if (Array.isArray(spec.info) && spec.info.every((i: any) => isObject(i) && typeof i.name === 'string' && typeof i.value === 'string')) {
    const names = new Set(spec.info.map((i: any) => i.name));
    if (names.size === spec.info.length) out.info = Object.fromEntries(spec.info.map((i: any) => [i.name, i.value]));
  }
  if (typeof spec.revisionHistoryLimit === 'number') out.revisionHistoryLimit = spec.revisionHistoryLimit;
  return out;
}

function hydrator(ctx: ImportContext, h: any): unknown {
  if (!isObject(h) || !isObject(h.drySource) || !isObject(h.syncSource)) throw new NotExpressible('a source hydrator without drySource or syncSource');
  return defined({
    drySource: importSource(ctx, h.drySource),
    syncBranch: h.syncSource.targetBranch,
    syncPath: h.syncSource.path,
    hydrateToBranch: isObject(h.hydrateTo) ? h.hydrateTo.targetBranch : undefined,
  });
}

/** `Destination.server()`, `.clusterName()` or `.inCluster()`. */
export function destination(ctx: ImportContext, d: any): Code {
  if (!isObject(d)) throw new NotExpressible('a destination that is not an object');
  const D = ctx.lib('Destination');
  const ns = typeof d.namespace === 'string' ? [d.namespace] : [];
  if (typeof d.server === 'string' && d.name === undefined) {
    return d.server === IN_CLUSTER ? Code.call(`${D}.inCluster`, ...ns) : Code.call(`${D}.server`, d.server, ...ns);
  }
  if (typeof d.name === 'string' && d.server === undefined) return Code.call(`${D}.clusterName`, d.name, ...ns);
  throw new NotExpressible('a destination with both server and name, or neither');
}

function finalizers(ctx: ImportContext, list: unknown): Code[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const F = ctx.lib('ApplicationFinalizer');
  return list.map((f) => {
    if (f === 'resources-finalizer.argocd.argoproj.io') return Code.ref(`${F}.RESOURCES`);
    if (f === 'resources-finalizer.argocd.argoproj.io/background') return Code.ref(`${F}.RESOURCES_BACKGROUND`);
    return Code.call(`${F}.custom`, String(f));
  });
}

/** A sync option as `SyncOption.X` or `SyncOption.custom('...')`. */
export function syncOption(ctx: ImportContext, o: unknown): Code {
  const S = ctx.lib('SyncOption');
  const name = typeof o === 'string' ? SYNC_OPTIONS[o] : undefined;
  return name ? Code.ref(`${S}.${name}`) : Code.call(`${S}.custom`, String(o));
}

function syncPolicy(ctx: ImportContext, p: any): unknown {
  if (!isObject(p)) throw new NotExpressible('a syncPolicy that is not an object');
  const retry = isObject(p.retry) ? defined({
    limit: p.retry.limit,
    backoff: isObject(p.retry.backoff) ? defined({
      duration: duration(ctx, p.retry.backoff.duration),
      factor: p.retry.backoff.factor,
      maxDuration: duration(ctx, p.retry.backoff.maxDuration),
    }) : undefined,
    refresh: p.retry.refresh,
  }) : undefined;
  return defined({
    automated: isObject(p.automated) ? pick(p.automated, AUTOMATED, 'spec.syncPolicy.automated') : undefined,
    syncOptions: Array.isArray(p.syncOptions) ? p.syncOptions.map((o: unknown) => syncOption(ctx, o)) : undefined,
    retry,
    managedNamespaceMetadata: isObject(p.managedNamespaceMetadata) ? pick(p.managedNamespaceMetadata, NAMESPACE_METADATA, 'managedNamespaceMetadata') : undefined,
  });
}

/**
 * A Go duration string (`5s`, `3m`, `1h30m`) as a cdk8s `Duration` in the largest unit that says
 * it whole; undefined for a value that is not one (the comparison then patches the field).
 */
export function duration(ctx: ImportContext, text: unknown): Code | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!m || text === '') return undefined;
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  if (!Number.isSafeInteger(seconds) || seconds === 0) return undefined;
  const D = ctx.imports.use('cdk8s', 'Duration');
  if (seconds % 3600 === 0) return Code.call(`${D}.hours`, seconds / 3600);
  if (seconds % 60 === 0) return Code.call(`${D}.minutes`, seconds / 60);
  return Code.call(`${D}.seconds`, seconds);
}
