import { IConstruct } from 'constructs';

/**
 * An Argo CD AppProject, declared in this app (`AppProject`) or outside it
 * (`AppProject.fromProjectName()`).
 */
export interface IAppProject extends IConstruct {
  /**
   * The project's name (`metadata.name`), as Applications refer to it in `spec.project`.
   */
  readonly projectName: string;

  /**
   * Whether the project is declared outside this app; its rules are then unknown and not checked.
   */
  readonly external: boolean;
}
