// The metadata every L2 construct takes (name, namespace, labels, annotations) and the Argo CD
// annotations the typed API writes itself: the sync wave (`SyncWave.of(n).applyTo()`) and hooks
// (`Hook.applyTo()`), taken out of the annotations when the typed call writes exactly them.
import { ImportContext } from './_context';

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';
const HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';

const PHASES: { [wire: string]: string } = {
  PreSync: 'PRE_SYNC', Sync: 'SYNC', PostSync: 'POST_SYNC', SyncFail: 'SYNC_FAIL', PreDelete: 'PRE_DELETE', PostDelete: 'POST_DELETE', Skip: 'SKIP',
};
const POLICIES: { [wire: string]: string } = {
  HookSucceeded: 'HOOK_SUCCEEDED', HookFailed: 'HOOK_FAILED', BeforeHookCreation: 'BEFORE_HOOK_CREATION',
};

/** The metadata props of an L2 construct, and the sync wave taken out of its annotations. */
export interface MetadataProps {
  readonly props: { [k: string]: unknown };
  readonly wave?: number;
}

/**
 * `name`, `namespace`, `labels` and `annotations` props. `defaultNamespace` is the namespace the
 * construct writes when given none: it is left out when the object has it, and written `''` when
 * the object has no namespace.
 */
export function metadataProps(obj: any, options: { defaultNamespace?: string } = {}): MetadataProps {
  const m = obj.metadata ?? {};
  const props: { [k: string]: unknown } = { name: m.name };
  const ns: unknown = m.namespace;
  if (options.defaultNamespace !== undefined) {
    if (ns === undefined) props.namespace = '';
    else if (ns !== options.defaultNamespace) props.namespace = ns;
  } else if (ns !== undefined) props.namespace = ns;
  if (isStringMap(m.labels) && Object.keys(m.labels).length > 0) props.labels = m.labels;
  let wave: number | undefined;
  if (isStringMap(m.annotations)) {
    const annotations = { ...m.annotations };
    wave = integerWave(annotations[SYNC_WAVE]);
    if (wave !== undefined) delete annotations[SYNC_WAVE];
    if (Object.keys(annotations).length > 0) props.annotations = annotations;
  }
  return { props, wave };
}

/** The statement writing the sync wave through the typed API, for the construct's variable. */
export function syncWaveStatements(ctx: ImportContext, wave: number | undefined): ((v: string) => string[]) | undefined {
  if (wave === undefined) return undefined;
  const S = ctx.lib('SyncWave');
  return (v) => [`${S}.of(${wave}).applyTo(${v});`];
}

/** A sync wave written as an integer that reads back as itself (`"5"`, `"-1"`). */
export function integerWave(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^-?(0|[1-9][0-9]*)$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && String(n) === value ? n : undefined;
}

/** What `Hook.applyTo()` would say for an object's annotations, or undefined when it cannot say exactly them. */
export function hookOptions(annotations: { [k: string]: string }): { phases: string[]; deletePolicies: string[]; wave?: number } | undefined {
  const hook = annotations[HOOK];
  const policy = annotations[HOOK_DELETE_POLICY];
  if (hook === undefined || policy === undefined) return undefined;
  const phases = hook.split(',');
  const policies = policy.split(',');
  if (!phases.every((p) => PHASES[p]) || !policies.every((p) => POLICIES[p])) return undefined;
  if (new Set(phases).size !== phases.length || new Set(policies).size !== policies.length) return undefined;
  if (phases.includes('Skip') && phases.length > 1) return undefined;
  return { phases, deletePolicies: policies };
}

/** The `Hook.applyTo()` statement for the options, for the construct's variable. */
export function hookStatement(ctx: ImportContext, options: { phases: string[]; deletePolicies: string[] }, wave: number | undefined, v: string): string {
  const H = ctx.lib('Hook');
  const P = ctx.lib('HookPhase');
  const D = ctx.lib('HookDeletePolicy');
  const phases = options.phases.map((p) => `${P}.${PHASES[p]}`).join(', ');
  const policies = options.deletePolicies.map((p) => `${D}.${POLICIES[p]}`).join(', ');
  return `${H}.applyTo(${v}, { phases: [${phases}], deletePolicies: [${policies}]${wave !== undefined ? `, wave: ${wave}` : ''} });`;
}

export const HOOK_ANNOTATIONS = { SYNC_WAVE, HOOK, HOOK_DELETE_POLICY };

function isStringMap(v: unknown): v is { [k: string]: string } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}
