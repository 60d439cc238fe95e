// The ApplicationSet expansion the CLI's graph and preview commands use.
import { ApplicationSetPreview, PreviewWorld } from '../argocd/preview/application-set-preview';

export { PreviewWorld };

/** What the CLI needs of `ApplicationSetPreview`. */
export interface ApplicationSetPreviewLike {
  /**
   * The Application manifests an ApplicationSet generates, sorted by name; throws on an expansion
   * error or duplicate names.
   */
  expand(manifest: any, world: PreviewWorld): any[];
}

/** `ApplicationSetPreview`. */
export function loadApplicationSetPreview(): ApplicationSetPreviewLike | undefined {
  return ApplicationSetPreview;
}
