import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { SYNC_WAVE_ANNOTATION } from './_annotations';
import { installDerivation } from './_wave-solver';

const MAX_WAVE = Number.MAX_SAFE_INTEGER;

/**
 * An Argo CD sync wave: an integer, negative allowed, written as the
 * `argocd.argoproj.io/sync-wave` annotation.
 *
 * Within a sync phase, Argo CD applies lower waves first and waits for every object of a wave to
 * be healthy before the next wave starts. Objects without the annotation are in wave 0.
 *
 * Waves can also be derived: when object B must come after object A (cdk8s
 * `b.node.addDependency(a)` or `SyncWave.after(b, a)`), the library gives B a wave greater than
 * A's when the app is synthesized. Derivation is always on in an `ArgoCdApp`; in a plain cdk8s
 * `App` it is switched on by the first use of `SyncWave.after`, `SyncWave.applyTo`,
 * `WavePolicy.of` or `SyncWave.deriveFromDependencies`. Dependencies on whole charts are not
 * turned into waves (cdk8s adds those between nested charts by itself); put them on the objects
 * or constructs instead.
 *
 * @example
 * SyncWave.of(-1).applyTo(namespace);
 * SyncWave.after(api, migrations); // api's wave > migrations' wave
 */
export class SyncWave {
  /**
   * The `argocd.argoproj.io/sync-wave` annotation key.
   */
  public static readonly ANNOTATION = SYNC_WAVE_ANNOTATION;

  /**
   * A sync wave.
   *
   * @param wave an integer; negative waves run before the objects without a wave
   * @throws ValidationError when `wave` is not an integer
   */
  public static of(wave: number): SyncWave {
    if (typeof wave !== 'number' || !Number.isInteger(wave)) {
      throw new ValidationError(`sync wave must be an integer, got ${String(wave)}`);
    }
    if (Math.abs(wave) > MAX_WAVE) {
      throw new ValidationError(`sync wave ${String(wave)} is out of range; use a whole number between ${-MAX_WAVE} and ${MAX_WAVE}`);
    }
    return new SyncWave(wave);
  }

  /**
   * Makes `later` come after each of `earlier` in the sync: `later`'s wave (derived, unless set
   * explicitly) is greater than each of theirs. Same as `later.node.addDependency(...earlier)`,
   * which also switches derivation on in a plain cdk8s `App`.
   *
   * @param later the construct or API object to sync later
   * @param earlier the constructs or API objects it waits for
   */
  public static after(later: IConstruct, ...earlier: IConstruct[]): void {
    later.node.addDependency(...earlier);
    installDerivation(later);
  }

  /**
   * Switches dependency-derived waves on for the app that `scope` belongs to (already on in an
   * `ArgoCdApp`). Derivation runs when the app is validated, that is at every synthesis.
   *
   * @param scope any construct of the app
   */
  public static deriveFromDependencies(scope: IConstruct): void {
    installDerivation(scope);
  }

  /**
   * The wave number.
   */
  public readonly value: number;

  private constructor(value: number) {
    this.value = value;
  }

  /**
   * Writes this wave on `construct`'s default API object (`ApiObject.of(construct)`), for example
   * a cdk8s-plus `Deployment`, an `Application` (to order the children of an App of Apps) or a
   * plain `ApiObject`. An explicit wave wins over a wave policy; a dependency it contradicts is
   * reported at synthesis.
   *
   * @param construct the construct or API object
   */
  public applyTo(construct: IConstruct): void {
    const obj = ApiObject.of(construct);
    obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, this.toString());
    installDerivation(construct);
  }

  /**
   * The annotation value, for example `"-1"`.
   */
  public toString(): string {
    return String(this.value);
  }
}
