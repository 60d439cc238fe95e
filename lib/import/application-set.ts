// An Argo CD ApplicationSet as `new ApplicationSet(chart, id, {...})`: its generators (lib/import/
// generators.ts), the template (the Application's spec through the Application importer's
// `specOptions()`, its project as the project's variable or, with placeholders, `projectName`), both
// template modes (goTemplate with its options, fasttemplate), templatePatch, the set's own sync
// policy, the rolling sync strategy, ignoreApplicationDifferences and preservedFields. A field the
// props cannot say, or one the construct would refuse, is left out here and patched back by the
// comparison.
import { ApplicationSetPreview } from '../argocd/preview/application-set-preview';
import { Code, defined } from './_code';
import { ImportContext, ImportedConstruct, NotExpressible } from './_context';
import { importGenerators, projectProp } from './generators';
import { specOptions } from './application';
import { metadataProps, syncWaveStatements } from './metadata';

const isObject = (v: unknown): v is { [k: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isStringMap = (v: unknown): v is { [k: string]: string } => isObject(v) && Object.values(v).every((x) => typeof x === 'string');

const GO_TEMPLATE_OPTIONS: { [wire: string]: string } = {
  'missingkey=error': 'MISSING_KEY_ERROR',
  'missingkey=zero': 'MISSING_KEY_ZERO',
  'missingkey=default': 'MISSING_KEY_DEFAULT',
};

const APPLICATIONS_SYNC: { [wire: string]: string } = {
  'create-only': 'CREATE_ONLY', 'create-update': 'CREATE_UPDATE', 'create-delete': 'CREATE_DELETE', 'sync': 'SYNC',
};

const DELETION_ORDER: { [wire: string]: string } = { AllAtOnce: 'ALL_AT_ONCE', Reverse: 'REVERSE' };

/** The largest `maxUpdate` count: Kubernetes' IntOrString holds an int32. */
const MAX_INT32 = 2 ** 31 - 1;

/** `ApplicationSet` props from an ApplicationSet object. */
export function importApplicationSet(ctx: ImportContext, obj: any): ImportedConstruct {
  const spec = obj.spec;
  if (!isObject(spec)) throw new NotExpressible('an ApplicationSet without a spec');
  // the construct always writes a namespace (default argocd); one without it would be another object
  if (typeof obj.metadata?.namespace !== 'string' || obj.metadata.namespace === '') throw new NotExpressible('an ApplicationSet without metadata.namespace');
  const meta = metadataProps(obj, { defaultNamespace: 'argocd' });
  const goTemplate = spec.goTemplate === true;
  const props = defined({
    ...meta.props,
    goTemplate: goTemplate ? true : undefined,
    goTemplateOptions: goTemplate ? goTemplateOptions(ctx, spec.goTemplateOptions) : undefined,
    generators: importGenerators(ctx, spec.generators),
    template: template(ctx, spec.template),
    // without goTemplate the construct refuses templatePatch (Argo CD renders it with Go templates only)
    templatePatch: goTemplate && typeof spec.templatePatch === 'string' && spec.templatePatch.trim() !== '' ? spec.templatePatch : undefined,
    syncPolicy: syncPolicy(ctx, spec.syncPolicy),
    strategy: strategy(ctx, spec.strategy),
    ignoreApplicationDifferences: ignoreApplicationDifferences(spec.ignoreApplicationDifferences),
    preservedFields: preservedFields(spec.preservedFields),
  });
  return { className: 'ApplicationSet', module: 'cdk8s-argocd', props, after: syncWaveStatements(ctx, meta.wave) };
}

/** `spec.template`: the generated Application's metadata and spec (`ApplicationSetTemplate`). */
function template(ctx: ImportContext, t: unknown): { [k: string]: unknown } {
  if (!isObject(t) || !isObject(t.spec)) throw new NotExpressible('an ApplicationSet without a template spec');
  const meta = isObject(t.metadata) ? t.metadata : {};
  if (typeof meta.name !== 'string' || meta.name === '') throw new NotExpressible('a template without metadata.name');
  if (typeof t.spec.project !== 'string' || t.spec.project === '') throw new NotExpressible('a template without spec.project');
  if (t.spec.destination === undefined) throw new NotExpressible('a template without spec.destination');
  return defined({
    name: meta.name,
    namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined,
    labels: isStringMap(meta.labels) && Object.keys(meta.labels).length > 0 ? meta.labels : undefined,
    annotations: isStringMap(meta.annotations) && Object.keys(meta.annotations).length > 0 ? meta.annotations : undefined,
    finalizers: isStringList(meta.finalizers) && meta.finalizers.length > 0 ? meta.finalizers : undefined,
    ...projectProp(ctx, t.spec.project),
    ...specOptions(ctx, t.spec),
  });
}

/** Left out when they are the construct's default under goTemplate (`missingkey=error` alone); `[]` for none. */
function goTemplateOptions(ctx: ImportContext, list: unknown): Code[] | undefined {
  if (list === undefined) return [];
  if (!isStringList(list) || list.length === 0 || list.some((o) => o.trim() === '')) return [];
  if (list.length === 1 && list[0] === 'missingkey=error') return undefined;
  const O = ctx.lib('GoTemplateOption');
  return list.map((o) => (GO_TEMPLATE_OPTIONS[o] ? Code.ref(`${O}.${GO_TEMPLATE_OPTIONS[o]}`) : Code.call(`${O}.custom`, o)));
}

function syncPolicy(ctx: ImportContext, p: unknown): { [k: string]: unknown } | undefined {
  if (!isObject(p)) return undefined;
  const out = defined({
    preserveResourcesOnDeletion: typeof p.preserveResourcesOnDeletion === 'boolean' ? p.preserveResourcesOnDeletion : undefined,
    applicationsSync: typeof p.applicationsSync === 'string' && APPLICATIONS_SYNC[p.applicationsSync]
      ? Code.ref(`${ctx.lib('ApplicationsSyncPolicy')}.${APPLICATIONS_SYNC[p.applicationsSync]}`) : undefined,
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * `ApplicationSetStrategy.allAtOnce()` or `.rollingSync()`; undefined (the whole strategy then
 * patched) when a step is one the construct refuses: no steps, an operator other than In and
 * NotIn, a requirement without values.
 */
function strategy(ctx: ImportContext, s: unknown): Code | undefined {
  if (!isObject(s)) return undefined;
  const S = ctx.lib('ApplicationSetStrategy');
  const order = typeof s.deletionOrder === 'string' && DELETION_ORDER[s.deletionOrder]
    ? { deletionOrder: Code.ref(`${ctx.lib('DeletionOrder')}.${DELETION_ORDER[s.deletionOrder]}`) } : {};
  if (s.type === 'AllAtOnce') return Object.keys(order).length > 0 ? Code.call(`${S}.allAtOnce`, order) : Code.call(`${S}.allAtOnce`);
  if (s.type !== 'RollingSync' || !isObject(s.rollingSync) || !Array.isArray(s.rollingSync.steps) || s.rollingSync.steps.length === 0) return undefined;
  const steps: unknown[] = [];
  for (const step of s.rollingSync.steps) {
    if (!isObject(step)) return undefined;
    const expressions = step.matchExpressions ?? [];
    if (!Array.isArray(expressions)) return undefined;
    const matchExpressions: unknown[] = [];
    for (const e of expressions) {
      if (!isObject(e) || typeof e.key !== 'string' || e.key.trim() === '' || (e.operator !== 'In' && e.operator !== 'NotIn') || !isStringList(e.values) || e.values.length === 0) return undefined;
      matchExpressions.push({ key: e.key, operator: Code.ref(`${ctx.lib('RollingSyncOperator')}.${e.operator === 'In' ? 'IN' : 'NOT_IN'}`), values: e.values });
    }
    steps.push(defined({ matchExpressions, maxUpdate: maxUpdate(ctx, step.maxUpdate) }));
  }
  return Code.call(`${S}.rollingSync`, { steps, ...order });
}

/** `MaxUpdate.count(n)` or `.percent(p)`; undefined (patched) for any other value. */
function maxUpdate(ctx: ImportContext, v: unknown): Code | undefined {
  const M = ctx.lib('MaxUpdate');
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_INT32) return Code.call(`${M}.count`, v);
  const m = typeof v === 'string' ? /^(0|[1-9][0-9]?|100)%$/.exec(v) : null;
  return m ? Code.call(`${M}.percent`, Number(m[1])) : undefined;
}

/** The entries, or undefined (patched) when one is an entry the construct refuses. */
function ignoreApplicationDifferences(list: unknown): unknown[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: unknown[] = [];
  for (const d of list) {
    if (!isObject(d)) return undefined;
    const jsonPointers = d.jsonPointers === undefined ? [] : d.jsonPointers;
    const jqPathExpressions = d.jqPathExpressions === undefined ? [] : d.jqPathExpressions;
    if (!isStringList(jsonPointers) || !isStringList(jqPathExpressions) || (d.name !== undefined && typeof d.name !== 'string')) return undefined;
    if (jsonPointers.some((p) => !p.startsWith('/')) || jsonPointers.length + jqPathExpressions.length === 0) return undefined;
    out.push(defined({
      name: d.name,
      jsonPointers: jsonPointers.length > 0 ? jsonPointers : undefined,
      jqPathExpressions: jqPathExpressions.length > 0 ? jqPathExpressions : undefined,
    }));
  }
  return out;
}

function preservedFields(p: unknown): { [k: string]: unknown } | undefined {
  if (!isObject(p)) return undefined;
  const out = defined({
    annotations: isStringList(p.annotations) && p.annotations.length > 0 ? p.annotations : undefined,
    labels: isStringList(p.labels) && p.labels.length > 0 ? p.labels : undefined,
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The cluster Secrets among the input objects, as the app's checks find them in the program's output. */
export function clusterSecretsIn(manifests: any[]): any[] {
  return ApplicationSetPreview.clusterSecretsIn(manifests);
}

/**
 * The projects the Applications an ApplicationSet generates name, where the app's checks expand it
 * (list elements, clusters registered in the input): declared with `AppProject.fromProjectName()`
 * like any project the input does not hold, so that a project named by a placeholder
 * (`project: '{{env}}'`) is known to the checks too. Empty when the generators' input is only known
 * at run time.
 */
export function generatedProjects(manifest: any, clusterSecrets: any[]): string[] {
  let applications: any[];
  try {
    applications = ApplicationSetPreview.expand(manifest, { clusterSecrets });
  } catch {
    return [];
  }
  const names = applications.map((a) => a?.spec?.project).filter((p): p is string => typeof p === 'string' && p !== '' && !p.includes('{{'));
  return [...new Set(names)].sort();
}
