import { Chart } from 'cdk8s';
import { ValidationError } from '../errors';
import { show } from '../_internal/values';

const DIRECTORY = Symbol.for('cdk8s-argocd.OutputDirectory');

/**
 * Where a chart's manifests are written, relative to the app's output directory.
 *
 * Every chart gets a directory of its own; each object in it is written to one file. By default
 * the directory is the chart's construct path (`production/api` for a chart `api` inside a
 * construct `production`); set it to the path Argo CD should read instead:
 *
 * @example
 * const chart = new Chart(app, 'api-production');
 * OutputDirectory.set(chart, 'apps/api/production');
 */
export class OutputDirectory {
  /**
   * Writes `chart`'s manifests to `directory`, a relative path with `/` separators.
   *
   * @param chart the chart
   * @param directory a relative path such as `clusters/production` (no `..`, no leading `/`)
   */
  public static set(chart: Chart, directory: string): void {
    const normalized = OutputDirectory._normalize(directory);
    if (normalized === undefined) {
      throw new ValidationError(`output directory ${show(directory)} is not a relative path inside the output directory; use a path like 'apps/api/production' without '..', '\\' or a leading '/'`, chart);
    }
    Object.defineProperty(chart, DIRECTORY, { value: normalized, configurable: true, enumerable: false });
  }

  /**
   * The directory `chart`'s manifests are written to.
   *
   * @param chart the chart
   * @returns the relative directory (`.` for the output directory itself)
   */
  public static of(chart: Chart): string {
    const explicit = (chart as any)[DIRECTORY];
    if (explicit !== undefined) return explicit;
    const ids = chart.node.scopes.slice(1).map((c) => c.node.id);
    return ids.length === 0 ? '.' : ids.join('/');
  }

  /** @internal */
  public static _normalize(directory: string): string | undefined {
    if (typeof directory !== 'string' || directory.includes('\\') || directory.startsWith('/') || directory.includes('\0')) {
      return undefined;
    }
    const parts = directory.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.some((p) => p === '..')) return undefined;
    return parts.length === 0 ? '.' : parts.join('/');
  }

  private constructor() {}
}
