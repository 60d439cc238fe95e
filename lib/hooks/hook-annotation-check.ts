import { IConstruct } from 'constructs';
import { IManifestCheck, RenderedManifest } from '../manifest-check';
import { show } from '../_internal/values';
import {
  COMPARE_OPTIONS_ANNOTATION, HELM_HOOK_ANNOTATION, HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION, parseGoInt, splitCsv,
  SYNC_OPTIONS_ANNOTATION, SYNC_WAVE_ANNOTATION,
} from '../sync/_annotations';
import { CompareOption, ResourceOptions, ResourceSyncOption } from '../sync/resource-options';
import { HookDeletePolicy, HookPhase } from './hook';

const PHASES = Object.values(HookPhase) as string[];
/** The delete policies Argo CD v3.5.1 knows (gitops-engine common/types.go NewHookDeletePolicy; not `Never`). */
const POLICIES = (Object.values(HookDeletePolicy) as string[]).filter((p) => p !== HookDeletePolicy.NEVER);
/** gitops-engine hook/helm/type.go: the Helm hooks Argo CD maps to a phase when its own annotation names none. */
const HELM_MAPPED = ['pre-install', 'pre-upgrade', 'post-install', 'post-upgrade'];
/** The annotations Argo CD reads from each object, in the order they are checked. */
const CHECKED_ANNOTATIONS = [HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION, SYNC_WAVE_ANNOTATION, SYNC_OPTIONS_ANNOTATION, COMPARE_OPTIONS_ANNOTATION];

/**
 * Checks the Argo CD annotations of every rendered object, whoever wrote them (this library,
 * cdk8s-plus, a plain `ApiObject`, a JSON patch): Argo CD accepts bad values without a word and
 * then misbehaves silently.
 *
 * - `argocd.argoproj.io/hook`: every phase must be one Argo CD knows (a misspelt phase makes
 *   Argo CD never apply the object); `Skip` only on its own;
 * - `argocd.argoproj.io/hook-delete-policy`: every policy must be one Argo CD knows (an unknown
 *   one is ignored);
 * - `argocd.argoproj.io/sync-wave`: must parse as an integer (Argo CD treats `abc` as wave 0);
 * - `argocd.argoproj.io/sync-options` and `argocd.argoproj.io/compare-options`: every option
 *   must be a known one, or a custom one applied through `ResourceOptions` in the same app.
 *
 * `ArgoCdApp` registers this check by default.
 */
export class HookAnnotationCheck implements IManifestCheck {
  private readonly scope?: IConstruct;

  /**
   * @param scope any construct of the app, to accept the custom options applied in it
   */
  constructor(scope?: IConstruct) {
    this.scope = scope;
  }

  /**
   * Returns one message for each bad annotation value.
   *
   * @param manifests every object the app writes
   */
  public check(manifests: RenderedManifest[]): string[] {
    const customSync = this.scope ? ResourceOptions._customSyncOptions(this.scope) : new Set<string>();
    const customCompare = this.scope ? ResourceOptions._customCompareOptions(this.scope) : new Set<string>();
    const knownSync = new Set([...ResourceSyncOption.knownValues(), ...customSync]);
    const knownCompare = new Set([...CompareOption.knownValues(), ...customCompare]);
    const out: string[] = [];
    for (const m of manifests) {
      const annotations = m.manifest?.metadata?.annotations;
      if (!annotations || typeof annotations !== 'object') continue;
      for (const p of checkAnnotations(annotations, knownSync, knownCompare)) {
        out.push(`[${m.constructPath}] ${p}`);
      }
    }
    return out;
  }
}

function field(key: string): string {
  return `metadata.annotations['${key}']`;
}

function checkAnnotations(annotations: { [key: string]: unknown }, knownSync: Set<string>, knownCompare: Set<string>): string[] {
  const problems: string[] = [];
  for (const key of CHECKED_ANNOTATIONS) {
    if (!(key in annotations)) continue;
    const value = annotations[key];
    if (typeof value !== 'string') {
      problems.push(`${field(key)} ${show(value)} is not a string; annotation values must be strings`);
      continue;
    }
    switch (key) {
      case HOOK_ANNOTATION: {
        const items = splitCsv(value);
        // gitops-engine hook/hook.go Types: with no type of its own, Argo CD reads helm.sh/hook
        const helm = annotations[HELM_HOOK_ANNOTATION];
        const fallback = typeof helm === 'string' && splitCsv(helm).some((h) => HELM_MAPPED.includes(h))
          ? `so Argo CD runs this object as the helm.sh/hook '${helm}' says` : 'so Argo CD would never apply this object';
        if (items.length === 0) {
          problems.push(`${field(key)} ${show(value)} names no hook phase, ${fallback}; use one or more of ${PHASES.join(', ')}`);
          break;
        }
        const bad = items.filter((i) => !PHASES.includes(i));
        if (bad.length > 0) {
          const effect = bad.length === items.length ? fallback : 'which Argo CD ignores';
          problems.push(`${field(key)} ${show(value)} has unknown hook phase${bad.length > 1 ? 's' : ''} ${bad.map((b) => `'${b}'`).join(', ')}, ${effect}; use one or more of ${PHASES.join(', ')} (HookPhase)`);
        } else if (items.includes(HookPhase.SKIP) && items.length > 1) {
          problems.push(`${field(key)} ${show(value)} combines 'Skip' with other phases; Argo CD ignores 'Skip' unless it is the only phase, so use it alone`);
        }
        break;
      }
      case HOOK_DELETE_POLICY_ANNOTATION: {
        const bad = splitCsv(value).filter((i) => !POLICIES.includes(i));
        if (bad.length > 0) {
          problems.push(`${field(key)} ${show(value)} has unknown delete polic${bad.length > 1 ? 'ies' : 'y'} ${bad.map((b) => `'${b}'`).join(', ')}, which Argo CD v3.5.1 ignores; use one or more of ${POLICIES.join(', ')} (HookDeletePolicy)`);
        }
        break;
      }
      case SYNC_WAVE_ANNOTATION: {
        if (parseGoInt(value) === undefined) {
          problems.push(`${field(key)} ${show(value)} is not an integer, so Argo CD would silently use wave 0; use a whole number such as '-1' or '2' (SyncWave.of())`);
        }
        break;
      }
      case SYNC_OPTIONS_ANNOTATION: {
        const bad = splitCsv(value).filter((i) => !knownSync.has(i));
        if (bad.length > 0) {
          problems.push(`${field(key)} ${show(value)} has unknown sync option${bad.length > 1 ? 's' : ''} ${bad.map((b) => `'${b}'`).join(', ')}, which Argo CD ignores; use one or more of ${[...knownSync].join(', ')} (ResourceSyncOption), or ResourceSyncOption.custom() for a newer one`);
        }
        break;
      }
      case COMPARE_OPTIONS_ANNOTATION: {
        const bad = splitCsv(value).filter((i) => !knownCompare.has(i));
        if (bad.length > 0) {
          problems.push(`${field(key)} ${show(value)} has unknown compare option${bad.length > 1 ? 's' : ''} ${bad.map((b) => `'${b}'`).join(', ')}, which Argo CD ignores; use one or more of ${[...knownCompare].join(', ')} (CompareOption), or CompareOption.custom() for a newer one`);
        }
        break;
      }
    }
  }
  return problems;
}
