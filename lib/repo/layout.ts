import { ValidationError } from '../errors';
import { show } from '../_internal/values';
import { OutputDirectory } from '../app/output-directory';

/**
 * Where a `GitOpsRepo` writes each part of the repository, relative to the app's output
 * directory. Patterns may use `{env}` (the environment's name) and `{app}` (the app's name).
 */
export interface RepoLayoutProps {
  /**
   * The directory an environment's root Application syncs: its child Applications.
   * Must contain `{env}`.
   *
   * @default 'clusters/{env}'
   */
  readonly environment?: string;

  /**
   * The directory of what one app deploys in one environment. Must contain `{app}` and `{env}`.
   *
   * @default 'apps/{app}/{env}'
   */
  readonly app?: string;

  /**
   * The directory of an environment's AppProjects. Must contain `{env}`.
   *
   * @default 'projects/{env}'
   */
  readonly projects?: string;

  /**
   * The directory of the files to `kubectl apply` after a disaster (the root Applications).
   *
   * @default 'bootstrap'
   */
  readonly bootstrap?: string;
}

/**
 * The directory layout of a GitOps repository.
 *
 * The default is the design documents' layout:
 *
 * ```
 * bootstrap/                 the root Application of every environment (kubectl apply after a disaster)
 * clusters/<env>/            what an environment's root syncs: child Applications, cluster Secrets
 * apps/<app>/<env>/          what one app deploys in one environment
 * projects/<env>/            an environment's AppProjects (synced by the child Application `<env>-projects`)
 * ```
 *
 * @example
 * RepoLayout.custom({ app: 'apps/{app}/overlays/{env}' })
 */
export class RepoLayout {
  /**
   * The design documents' layout: `clusters/{env}`, `apps/{app}/{env}`, `projects/{env}`, `bootstrap`.
   */
  public static readonly DEFAULT = new RepoLayout({});

  /**
   * A layout with some or all directories changed.
   *
   * @param props the directories to change; the others keep the default
   */
  public static custom(props: RepoLayoutProps): RepoLayout {
    return new RepoLayout(props);
  }

  /** The pattern of an environment's directory. */
  public readonly environmentPattern: string;
  /** The pattern of an app's directory in one environment. */
  public readonly appPattern: string;
  /** The pattern of an environment's projects directory. */
  public readonly projectsPattern: string;
  /** The bootstrap directory. */
  public readonly bootstrapDirectory: string;

  private constructor(props: RepoLayoutProps) {
    this.environmentPattern = checkPattern('layout.environment', props.environment ?? 'clusters/{env}', ['{env}']);
    this.appPattern = checkPattern('layout.app', props.app ?? 'apps/{app}/{env}', ['{app}', '{env}']);
    this.projectsPattern = checkPattern('layout.projects', props.projects ?? 'projects/{env}', ['{env}']);
    this.bootstrapDirectory = checkPattern('layout.bootstrap', props.bootstrap ?? 'bootstrap', []);
    const envDir = this.environmentDirectory('x-env');
    const others = [this.appDirectory('x-app', 'x-env'), this.projectsDirectory('x-env'), this.bootstrapDirectory];
    if (others.includes(envDir)) {
      throw new ValidationError(`layout.environment ${show(this.environmentPattern)} is the same directory as another part of the layout; give every part a directory of its own`);
    }
  }

  /**
   * An environment's directory, e.g. `clusters/production`.
   *
   * @param env the environment's name
   */
  public environmentDirectory(env: string): string {
    return this.environmentPattern.split('{env}').join(env);
  }

  /**
   * An app's directory in one environment, e.g. `apps/api/production`.
   *
   * @param app the app's name
   * @param env the environment's name
   */
  public appDirectory(app: string, env: string): string {
    return this.appPattern.split('{app}').join(app).split('{env}').join(env);
  }

  /**
   * An environment's projects directory, e.g. `projects/production`.
   *
   * @param env the environment's name
   */
  public projectsDirectory(env: string): string {
    return this.projectsPattern.split('{env}').join(env);
  }
}

function checkPattern(field: string, pattern: string, required: string[]): string {
  const normalized = OutputDirectory._normalize(pattern);
  if (normalized === undefined || normalized === '.') {
    throw new ValidationError(`${field} ${show(pattern)} is not a relative directory; use a path like 'clusters/{env}' without '..', '\\' or a leading '/'`);
  }
  const missing = required.filter((r) => !normalized.includes(r));
  if (missing.length) {
    throw new ValidationError(`${field} ${show(pattern)} does not contain ${missing.join(' and ')}; every ${required.join(' and ')} must get a directory of its own`);
  }
  const unknown = (normalized.match(/\{[^}]*\}/g) ?? []).filter((p) => p !== '{env}' && p !== '{app}');
  if (unknown.length) {
    throw new ValidationError(`${field} ${show(pattern)} uses unknown placeholder ${unknown[0]}; use {env} and {app}`);
  }
  return normalized;
}
