// Loads `ApplicationSetPreview` (lib/argocd/preview/application-set-preview.ts) when it exists, so
// that graph and preview work with or without it. Loaded at run time by path: the CLI is not part
// of the jsii API and must not fail to compile while the module is being written.
import * as fs from 'fs';
import * as path from 'path';

/** What the CLI needs of `ApplicationSetPreview`. */
export interface ApplicationSetPreviewLike {
  /**
   * The Application manifests an ApplicationSet generates, sorted by name; throws on an expansion
   * error or duplicate names.
   */
  expand(manifest: any, world: PreviewWorld): any[];
}

/** The outside world an ApplicationSet expansion reads. */
export interface PreviewWorld {
  /** Cluster Secrets (labelled `argocd.argoproj.io/secret-type: cluster`). */
  readonly clusterSecrets?: any[];
  /** For each repoURL, file path -> content. */
  readonly repositories?: { [repoUrl: string]: { [path: string]: string } };
}

/**
 * `ApplicationSetPreview`, or undefined when the module is not there.
 *
 * @throws Error when the module is there but fails to load
 */
export function loadApplicationSetPreview(): ApplicationSetPreviewLike | undefined {
  const base = path.join(__dirname, '..', 'argocd', 'preview', 'application-set-preview');
  if (!['.ts', '.js'].some((ext) => fs.existsSync(base + ext))) return undefined;
  let mod: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(base);
  } catch (e: any) {
    throw new Error(`ApplicationSetPreview failed to load: ${String(e?.message ?? e).split('\n')[0]}`);
  }
  const cls = mod?.ApplicationSetPreview;
  return cls && typeof cls.expand === 'function' ? cls : undefined;
}
