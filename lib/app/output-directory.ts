import { Chart } from 'cdk8s';
import { ValidationError } from '../errors';
import { show } from '../_internal/values';
import { MAX_NAME_BYTES } from './_write';

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
      throw new ValidationError(`output directory ${show(directory)} is not a relative path inside the output directory; use a path like 'apps/api/production' without '..', '\\' or a leading '/', each name at most 255 bytes`, chart);
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
    for (const id of ids) {
      // a construct id becomes a directory name: one that is not a plain name would write outside
      // the output directory ('..') or into another chart's directory ('.', '', 'a/b')
      if (id === '.' || id === '..' || id === '' || /[\\/\0]/.test(id)) {
        throw new ValidationError(`construct id ${show(id)} cannot be a directory of the output (the chart's directory is made of its construct ids); rename the construct, or give the chart a directory with OutputDirectory.set(chart, 'apps/api')`, chart);
      }
      if (Buffer.byteLength(id) > MAX_NAME_BYTES) {
        throw new ValidationError(`construct id ${show(id)} is ${Buffer.byteLength(id)} bytes, longer than a file system allows for a directory name (${MAX_NAME_BYTES}); shorten it, or give the chart a directory with OutputDirectory.set(chart, 'apps/api')`, chart);
      }
    }
    return ids.length === 0 ? '.' : ids.join('/');
  }

  /** @internal */
  public static _normalize(directory: string): string | undefined {
    if (typeof directory !== 'string' || directory.includes('\\') || directory.startsWith('/') || directory.includes('\0')) {
      return undefined;
    }
    const parts = directory.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.some((p) => p === '..' || Buffer.byteLength(p) > MAX_NAME_BYTES)) return undefined;
    return parts.length === 0 ? '.' : parts.join('/');
  }

  private constructor() {}
}
