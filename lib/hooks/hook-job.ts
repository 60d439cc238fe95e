import { JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ValidationError } from '../errors';
import { show } from '../_internal/values';
import { Hook, HookDeletePolicy, HookPhase } from './hook';

/**
 * Props for `HookJob`: a cdk8s-plus `JobProps` plus when Argo CD runs it.
 */
export interface HookJobProps extends kplus.JobProps {
  /**
   * The phase the Job runs in. Give `phase` or `phases`, not both.
   *
   * @default - none; `phases` must be given instead
   */
  readonly phase?: HookPhase;

  /**
   * The phases the Job runs in, when it runs in several. Give `phase` or `phases`, not both.
   *
   * @default - none; `phase` must be given instead
   */
  readonly phases?: HookPhase[];

  /**
   * When Argo CD deletes the Job.
   *
   * @default - [HookDeletePolicy.BEFORE_HOOK_CREATION] (Argo CD's default), written explicitly
   */
  readonly deletePolicies?: HookDeletePolicy[];

  /**
   * The Job's sync wave within its phase.
   *
   * @default - no wave written (wave 0), unless a wave policy or a dependency gives one
   */
  readonly wave?: number;

  /**
   * Writes `metadata.generateName` instead of `metadata.name`, so that every sync creates a new
   * Job (`schema-migrate-` gives `schema-migrate-x7k2p`). Cannot be combined with `metadata.name`.
   *
   * @default - the Job has a fixed name (`metadata.name`, or one cdk8s generates)
   */
  readonly generateName?: string;
}

/**
 * A cdk8s-plus `Job` that Argo CD runs as a hook: database migrations before the sync, smoke
 * tests after it, clean-up when it fails.
 *
 * Everything of `kplus.Job` stays available (`addContainer`, `env`, volumes, `Duration`s).
 * cdk8s-plus writes its secure defaults (container `resources`, `securityContext`s,
 * `automountServiceAccountToken: false`, ...); for an object of exactly your own shape, use
 * `Hook.applyTo` on a plain `ApiObject` instead.
 *
 * @example
 * new HookJob(this, 'migrate', {
 *   phase: HookPhase.PRE_SYNC,
 *   deletePolicies: [HookDeletePolicy.HOOK_SUCCEEDED],
 *   wave: -1,
 *   containers: [{ name: 'migrate', image: 'myapp:v2.1.0', command: ['./migrate', 'up'] }],
 * });
 */
export class HookJob extends kplus.Job {
  /**
   * The phases the Job runs in.
   */
  public readonly phases: HookPhase[];

  /**
   * When Argo CD deletes the Job.
   */
  public readonly deletePolicies: HookDeletePolicy[];

  constructor(scope: Construct, id: string, props: HookJobProps) {
    super(scope, id, props);
    if (props.phase !== undefined && props.phases !== undefined) {
      throw new ValidationError('phase and phases are both given; give one of them', this);
    }
    if (props.phase === undefined && props.phases === undefined) {
      throw new ValidationError(`a hook Job needs a phase; set phase (or phases) to one of ${Object.values(HookPhase).join(', ')}`, this);
    }
    this.phases = Hook._checkPhases(this, props.phases ?? [props.phase!]);
    this.deletePolicies = Hook._checkPolicies(this, props.deletePolicies ?? [HookDeletePolicy.BEFORE_HOOK_CREATION]);
    Hook.applyTo(this, { phases: this.phases, deletePolicies: this.deletePolicies, wave: props.wave });

    if (props.generateName !== undefined) {
      if (props.metadata?.name !== undefined) {
        throw new ValidationError(`generateName ${show(props.generateName)} and metadata.name ${show(props.metadata.name)} are both given; give one of them`, this);
      }
      if (typeof props.generateName !== 'string' || !/^[a-z0-9]([-a-z0-9.]*)?$/.test(props.generateName) || props.generateName.length > 248) {
        throw new ValidationError(`metadata.generateName ${show(props.generateName)} is not a valid name prefix; use at most 248 lowercase letters, digits, '-' and '.', starting with a letter or digit, for example 'schema-migrate-'`, this);
      }
      this.apiObject.metadata.add('generateName', props.generateName);
      this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/name'));
    }
  }
}
