import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { show } from '../_internal/values';
import { SyncWave } from './sync-wave';
import { installDerivation, policyMapOf } from './_wave-solver';

/**
 * A default sync wave per object kind for every API object below a scope, so that a team sets
 * the ordering once rather than on every object.
 *
 * - an explicit wave (`SyncWave.applyTo`, or an annotation written by hand) wins;
 * - a wave derived from a dependency is never lower than the policy's wave for the object's kind;
 * - an inner scope's policy wins over an outer one for the kinds it names;
 * - objects of other kinds keep no annotation (Argo CD's wave 0), unless a dependency gives them one.
 *
 * Kinds are matched exactly (`Deployment`, `Application`, ...), whatever the API group.
 *
 * @example
 * WavePolicy.of(chart, { Namespace: -1, ConfigMap: 0, Secret: 0, Deployment: 1, Service: 2, Ingress: 3 });
 */
export class WavePolicy {
  /**
   * The policy of `scope`, created on first use, with the waves of `waves` added to it.
   *
   * @param scope the scope whose API objects the policy covers (a chart, or any construct)
   * @param waves wave per kind, for example `{ Namespace: -1, Deployment: 1 }`
   * @throws ValidationError when a wave is not an integer, a kind is empty, or a kind already has a wave in this policy
   */
  public static of(scope: IConstruct, waves: { [kind: string]: number } = {}): WavePolicy {
    const policy = new WavePolicy(scope);
    for (const [kind, wave] of Object.entries(waves)) policy.addKind(kind, wave);
    installDerivation(scope);
    return policy;
  }

  /**
   * The scope the policy covers.
   */
  public readonly scope: IConstruct;

  private constructor(scope: IConstruct) {
    this.scope = scope;
    policyMapOf(scope, true);
  }

  /**
   * Sets the default wave of one kind.
   *
   * @param kind an object kind, for example `Deployment`
   * @param wave an integer wave
   * @throws ValidationError when the wave is not an integer, the kind is empty, or already has a wave in this policy
   */
  public addKind(kind: string, wave: number): void {
    if (typeof kind !== 'string' || kind.trim() === '') {
      throw new ValidationError(`wave policy kind ${show(kind)} must be a non-empty kind such as 'Deployment'`, this.scope);
    }
    const w = SyncWave.of(wave).value;
    const map = policyMapOf(this.scope, true)!;
    const existing = map.get(kind);
    if (existing !== undefined) {
      throw new ValidationError(`wave policy already gives kind '${kind}' wave ${existing}; set each kind once per scope`, this.scope);
    }
    map.set(kind, w);
  }

  /**
   * The wave this policy gives `kind`, or undefined when it names no wave for it.
   *
   * @param kind an object kind
   */
  public waveFor(kind: string): number | undefined {
    return policyMapOf(this.scope, false)?.get(kind);
  }

  /**
   * The kinds this policy names, with their waves (a copy).
   */
  public get waves(): { [kind: string]: number } {
    const out: { [kind: string]: number } = {};
    for (const [k, v] of policyMapOf(this.scope, false) ?? []) out[k] = v;
    return out;
  }
}
