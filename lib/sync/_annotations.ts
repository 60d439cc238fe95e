// Argo CD annotation keys and the parsing rules Argo CD applies to their values. Internal.
import { ApiObject } from 'cdk8s';

/** `argocd.argoproj.io/sync-wave` */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** `argocd.argoproj.io/hook` */
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
/** `argocd.argoproj.io/hook-delete-policy` */
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';
/** `argocd.argoproj.io/sync-options` */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** `argocd.argoproj.io/compare-options` */
export const COMPARE_OPTIONS_ANNOTATION = 'argocd.argoproj.io/compare-options';
/** `helm.sh/hook-weight`, Argo CD's fallback when the sync-wave annotation is absent or unparsable */
export const HELM_HOOK_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';
/** `helm.sh/hook`, read by Argo CD when `argocd.argoproj.io/hook` names no hook type */
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';
/** `helm.sh/hook-delete-policy`, added by Argo CD to `argocd.argoproj.io/hook-delete-policy` */
export const HELM_HOOK_DELETE_POLICY_ANNOTATION = 'helm.sh/hook-delete-policy';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Parses `text` the way Go's `strconv.Atoi` does on a 64-bit platform (what Argo CD uses for
 * sync waves): an optional sign and decimal digits, nothing else, within int64. Returns undefined
 * where Atoi fails (Argo CD then silently uses wave 0).
 */
export function parseGoInt(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const big = BigInt(text);
  if (big < INT64_MIN || big > INT64_MAX) return undefined;
  return Number(big);
}

/**
 * Splits a comma-separated annotation value the way gitops-engine's `GetAnnotationCSVs` does:
 * items trimmed, empty items dropped.
 */
export function splitCsv(value: string): string[] {
  return [...new Set(value.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
}

/**
 * Parses `text` as `strconv.Atoi` does, keeping all 64 bits (a JavaScript number loses the low
 * digits beyond 2^53). Returns undefined where Atoi fails.
 */
export function parseGoInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const big = BigInt(text);
  return big < INT64_MIN || big > INT64_MAX ? undefined : big;
}

/**
 * The raw value of an annotation as stored on the object (a string, or a cdk8s `Lazy`), without
 * resolving it. Reads cdk8s's private annotation map: cdk8s offers no getter for annotations.
 */
export function rawAnnotation(obj: ApiObject, key: string): unknown {
  const map = (obj.metadata as any).annotations;
  return map && typeof map === 'object' ? map[key] : undefined;
}
