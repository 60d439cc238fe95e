import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { show } from '../_internal/values';
import { HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION } from '../sync/_annotations';
import { SyncWave } from '../sync/sync-wave';

/**
 * When Argo CD runs a hook (`argocd.argoproj.io/hook`).
 */
export enum HookPhase {
  /** Before the objects of the Sync phase are applied (database migrations). */
  PRE_SYNC = 'PreSync',
  /** With the objects of the Sync phase, after every PreSync hook succeeded. */
  SYNC = 'Sync',
  /** After every Sync-phase object is applied and healthy (smoke tests, notifications). */
  POST_SYNC = 'PostSync',
  /** When the sync operation fails (clean-up). */
  SYNC_FAIL = 'SyncFail',
  /** Before the Application's objects are deleted, when the Application is deleted. */
  PRE_DELETE = 'PreDelete',
  /** After the Application's objects are deleted, when the Application is deleted. */
  POST_DELETE = 'PostDelete',
  /** Never applied by Argo CD (only valid on its own). */
  SKIP = 'Skip',
}

/**
 * When Argo CD deletes a hook object (`argocd.argoproj.io/hook-delete-policy`).
 */
export enum HookDeletePolicy {
  /** After the hook succeeded. */
  HOOK_SUCCEEDED = 'HookSucceeded',
  /** After the hook failed. */
  HOOK_FAILED = 'HookFailed',
  /** Before the hook is created again at the next sync (Argo CD's default). */
  BEFORE_HOOK_CREATION = 'BeforeHookCreation',
  /**
   * Never: the hook object stays. Argo CD v3.5.1 does not know it (gitops-engine's
   * `NewHookDeletePolicy`): it ignores it, and a hook with no other policy gets
   * BeforeHookCreation. `Hook.applyTo` and `HookJob` refuse it; kept for newer Argo CD versions.
   */
  NEVER = 'Never',
}

/**
 * Options for `Hook.applyTo`.
 */
export interface HookOptions {
  /**
   * The phases the hook runs in; several phases run the same object in each.
   */
  readonly phases: HookPhase[];

  /**
   * When Argo CD deletes the hook object.
   *
   * @default - [HookDeletePolicy.BEFORE_HOOK_CREATION] (Argo CD's default), written explicitly
   */
  readonly deletePolicies?: HookDeletePolicy[];

  /**
   * The hook's sync wave within its phase.
   *
   * @default - no wave written (wave 0), unless a wave policy or a dependency gives one
   */
  readonly wave?: number;
}

const PHASES = Object.values(HookPhase) as string[];
/** The delete policies Argo CD v3.5.1 knows (gitops-engine common/types.go NewHookDeletePolicy). */
const POLICIES = [HookDeletePolicy.HOOK_SUCCEEDED, HookDeletePolicy.HOOK_FAILED, HookDeletePolicy.BEFORE_HOOK_CREATION] as string[];

/**
 * Makes any API object an Argo CD hook: writes `argocd.argoproj.io/hook`,
 * `argocd.argoproj.io/hook-delete-policy` and, when given, `argocd.argoproj.io/sync-wave`.
 *
 * @example
 * Hook.applyTo(job, { phases: [HookPhase.PRE_SYNC], deletePolicies: [HookDeletePolicy.HOOK_SUCCEEDED], wave: -1 });
 */
export class Hook {
  /**
   * The `argocd.argoproj.io/hook` annotation key.
   */
  public static readonly ANNOTATION = HOOK_ANNOTATION;

  /**
   * The `argocd.argoproj.io/hook-delete-policy` annotation key.
   */
  public static readonly DELETE_POLICY_ANNOTATION = HOOK_DELETE_POLICY_ANNOTATION;

  /**
   * Makes `construct`'s default API object (`ApiObject.of(construct)`) a hook.
   *
   * @param construct the construct or API object
   * @param options phases, delete policies and wave
   * @throws ValidationError when no phase is given, a phase or policy is given twice or is not one
   *   Argo CD v3.5.1 knows (`Never` included), or `Skip` is combined with another phase
   */
  public static applyTo(construct: IConstruct, options: HookOptions): void {
    const obj = ApiObject.of(construct);
    const phases = Hook._checkPhases(obj, options.phases);
    const policies = Hook._checkPolicies(obj, options.deletePolicies ?? [HookDeletePolicy.BEFORE_HOOK_CREATION]);
    const wave = options.wave === undefined ? undefined : SyncWave.of(options.wave);
    obj.metadata.addAnnotation(HOOK_ANNOTATION, phases.join(','));
    obj.metadata.addAnnotation(HOOK_DELETE_POLICY_ANNOTATION, policies.join(','));
    wave?.applyTo(obj);
  }

  /** @internal */
  public static _checkPhases(scope: IConstruct | undefined, phases: HookPhase[] | undefined): HookPhase[] {
    const field = `metadata.annotations['${HOOK_ANNOTATION}']`;
    if (!Array.isArray(phases) || phases.length === 0) {
      throw new ValidationError(`${field} needs at least one hook phase; use one or more of ${PHASES.join(', ')}`, scope);
    }
    const seen = new Set<string>();
    for (const p of phases) {
      if (!PHASES.includes(p)) {
        throw new ValidationError(`${field} ${show(p)} is not a hook phase; use one of ${PHASES.join(', ')}`, scope);
      }
      if (seen.has(p)) {
        throw new ValidationError(`${field} lists hook phase '${p}' twice; list each phase once`, scope);
      }
      seen.add(p);
    }
    if (seen.has(HookPhase.SKIP) && phases.length > 1) {
      throw new ValidationError(`${field} combines 'Skip' with ${phases.filter((p) => p !== HookPhase.SKIP).map((p) => `'${p}'`).join(', ')}; Argo CD ignores 'Skip' unless it is the only phase, so use it alone`, scope);
    }
    return [...phases];
  }

  /** @internal */
  public static _checkPolicies(scope: IConstruct | undefined, policies: HookDeletePolicy[]): HookDeletePolicy[] {
    const field = `metadata.annotations['${HOOK_DELETE_POLICY_ANNOTATION}']`;
    if (!Array.isArray(policies) || policies.length === 0) {
      throw new ValidationError(`${field} needs at least one delete policy; use one or more of ${POLICIES.join(', ')}, or leave deletePolicies out for BeforeHookCreation`, scope);
    }
    const seen = new Set<string>();
    for (const p of policies) {
      if (p === HookDeletePolicy.NEVER) {
        throw new ValidationError(`${field} 'Never' is not a delete policy Argo CD v3.5.1 knows: it ignores it${policies.length === 1 ? ' and deletes the hook before creating it again (BeforeHookCreation, its default)' : ''}; use ${POLICIES.join(', ')}, or give the object no hook annotation to keep it`, scope);
      }
      if (!POLICIES.includes(p)) {
        throw new ValidationError(`${field} ${show(p)} is not a hook delete policy; use one of ${POLICIES.join(', ')}`, scope);
      }
      if (seen.has(p)) {
        throw new ValidationError(`${field} lists delete policy '${p}' twice; list each policy once`, scope);
      }
      seen.add(p);
    }
    return [...policies];
  }

  private constructor() {}
}
