import { ApplicationFinalizer } from '../argocd/application';
import { show } from '../_internal/values';
import { ValidationError } from '../errors';
import { IConstruct } from 'constructs';

/**
 * What Argo CD does with an app's workloads when the child Application the repository writes for
 * it is deleted: when the app is removed from code (the environment's root prunes the child), or
 * when someone deletes the child by hand.
 *
 * The choice is written as the child's resources finalizer, Argo CD's own switch
 * (docs/user-guide/app_deletion.md): its application controller deletes an Application's objects
 * before the Application only when the finalizer is set.
 *
 * @example
 * new GitOpsRepo(app, 'infra', { repoUrl, deletion: AppDeletion.CASCADE_BACKGROUND });
 * repo.addEnvironment('production', { deletion: AppDeletion.ORPHAN });
 */
export class AppDeletion {
  /**
   * Foreground cascading deletion (`resources-finalizer.argocd.argoproj.io`): Argo CD deletes the
   * app's objects, waits until they are gone, then removes the Application. The default: what
   * Argo CD's ApplicationSet controller gives the Applications it generates, and what "Git is the
   * source of truth" asks for.
   */
  public static readonly CASCADE_FOREGROUND = new AppDeletion('CASCADE_FOREGROUND', ApplicationFinalizer.RESOURCES);

  /**
   * Background cascading deletion (`resources-finalizer.argocd.argoproj.io/background`): Argo CD
   * removes the Application at once and the app's objects are deleted in the background.
   */
  public static readonly CASCADE_BACKGROUND = new AppDeletion('CASCADE_BACKGROUND', ApplicationFinalizer.RESOURCES_BACKGROUND);

  /**
   * No finalizer: deleting the Application leaves the app's objects running, unmanaged (Argo CD's
   * non-cascading delete). Removing an app from code then stops Argo CD managing it, nothing more.
   */
  public static readonly ORPHAN = new AppDeletion('ORPHAN', undefined);

  /** @internal */
  public static _check(scope: IConstruct, field: string, value: unknown): void {
    if (value !== undefined && !(value instanceof AppDeletion)) {
      throw new ValidationError(`${field} ${show(value)} is not an AppDeletion; use AppDeletion.CASCADE_FOREGROUND, AppDeletion.CASCADE_BACKGROUND or AppDeletion.ORPHAN`, scope);
    }
  }

  private constructor(
    /** The choice's name, e.g. `CASCADE_FOREGROUND`. */
    public readonly name: string,
    /** The finalizer written to the child Application, or none (`ORPHAN`). */
    public readonly finalizer?: ApplicationFinalizer,
  ) {}

  /** The choice's name, as in `AppDeletion.CASCADE_FOREGROUND`. */
  public toString(): string {
    return `AppDeletion.${this.name}`;
  }
}
