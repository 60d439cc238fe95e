import { ValidationError } from '../errors';
import { show } from '../_internal/values';

/**
 * Per-environment versions (image tags, chart versions), declared once, so that a promotion is a
 * one-line change: copy dev's version to staging's line, and only staging's files change.
 *
 * @example
 * const versions = new Versions({
 *   api: { dev: 'v2.2.0', staging: 'v2.1.0', production: 'v2.1.0' },
 *   'monitoring-chart': { dev: '58.0.0', staging: '58.0.0', production: '57.2.0' },
 * });
 * versions.get('api', 'staging'); // 'v2.1.0'
 */
export class Versions {
  private readonly table: { [component: string]: { [env: string]: string } };

  /**
   * @param versions the version of every component in every environment: `{ <component>: { <env>: <version> } }`
   */
  constructor(versions: { [component: string]: { [env: string]: string } }) {
    this.table = {};
    for (const [component, byEnv] of Object.entries(versions ?? {})) {
      if (byEnv === null || typeof byEnv !== 'object') {
        throw new ValidationError(`versions.${component} ${show(byEnv)} is not a map of environment to version; write { dev: 'v1', production: 'v1' }`);
      }
      this.table[component] = {};
      for (const [env, version] of Object.entries(byEnv)) {
        if (typeof version !== 'string' || version.trim() === '') {
          throw new ValidationError(`versions.${component}.${env} ${show(version)} is not a version; use a non-empty string such as 'v2.1.0'`);
        }
        this.table[component][env] = version;
      }
    }
  }

  /**
   * The version of a component in an environment.
   *
   * @param component e.g. `api`
   * @param environment e.g. `staging`
   * @throws ValidationError when the table has no such entry
   */
  public get(component: string, environment: string): string {
    const byEnv = this.table[component];
    if (!byEnv) {
      throw new ValidationError(`versions has no component ${show(component)} (components: ${Object.keys(this.table).join(', ') || 'none'}); add it to the Versions table`);
    }
    const v = byEnv[environment];
    if (v === undefined) {
      throw new ValidationError(`versions.${component} has no version for environment ${show(environment)} (environments: ${Object.keys(byEnv).join(', ') || 'none'}); add ${environment}: '<version>'`);
    }
    return v;
  }

  /** The components, in the order declared. */
  public get components(): string[] {
    return Object.keys(this.table);
  }

  /**
   * The versions of a component by environment (a copy).
   *
   * @param component e.g. `api`
   */
  public of(component: string): { [env: string]: string } {
    if (!this.table[component]) this.get(component, '');
    return { ...this.table[component] };
  }
}
