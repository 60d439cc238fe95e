import { ApplicationSpecSourceHydrator } from '../../imports/application-argoproj.io';
import { checkNonEmpty, fail } from '../_internal/values';
import { SpecContext } from './_context';
import { ApplicationSource, _checkRepoPath } from './application-source';

/**
 * Argo CD's source hydrator (`spec.sourceHydrator`, beta since Argo CD 3.5): Argo CD renders the
 * dry source (Helm, Kustomize, plain manifests or a plugin), commits the plain manifests to a
 * branch, and syncs the Application from that branch, so that what is deployed is reviewable in Git.
 * The hydrator must be enabled in Argo CD (`hydrator.enabled: "true"` and the commit server).
 *
 * @example
 * new Application(chart, 'api', {
 *   project,
 *   destination: Destination.inCluster('api'),
 *   sourceHydrator: {
 *     drySource: ApplicationSource.git({ repoUrl: 'https://github.com/myorg/infra.git', targetRevision: 'main', path: 'apps/api' }),
 *     syncBranch: 'environments/dev',
 *     syncPath: 'api',
 *   },
 * });
 */
export interface SourceHydratorOptions {
  /**
   * Where the dry ("don't repeat yourself") manifests live: `ApplicationSource.git()`,
   * `.kustomize()` or `.plugin()`, with a `path` and a `targetRevision` (the revision to hydrate).
   */
  readonly drySource: ApplicationSource;

  /**
   * The branch the hydrated manifests are synced from (`syncSource.targetBranch`), e.g.
   * `environments/dev`; Argo CD commits to it unless `hydrateToBranch` is set.
   */
  readonly syncBranch: string;

  /**
   * The directory of that branch the hydrated manifests are written to and synced from
   * (`syncSource.path`), relative to the repository root.
   */
  readonly syncPath: string;

  /**
   * The repository of the hydrated manifests (`syncSource.repoURL`).
   *
   * @default - not written; the dry source's repository
   */
  readonly syncRepoUrl?: string;

  /**
   * A staging branch Argo CD commits the hydrated manifests to instead (`hydrateTo.targetBranch`);
   * something else (a pull request, a promotion tool) moves them to `syncBranch`.
   *
   * @default - not written; Argo CD commits to `syncBranch`
   */
  readonly hydrateToBranch?: string;
}

/**
 * Checks and renders `spec.sourceHydrator` with Argo CD's rules (util/argo's
 * validateSourceHydrator, the CRD's required fields).
 *
 * @internal
 */
export function _renderSourceHydrator(ctx: SpecContext, h: SourceHydratorOptions): ApplicationSpecSourceHydrator {
  const field = 'spec.sourceHydrator';
  if (!(h.drySource instanceof ApplicationSource)) {
    fail(ctx.scope, `${field}.drySource`, h.drySource, 'is not an ApplicationSource; use ApplicationSource.git(), .kustomize() or .plugin()');
  }
  const drySource = h.drySource._renderDry(ctx, `${field}.drySource`);
  checkNonEmpty(ctx.scope, `${field}.syncSource.targetBranch`, h.syncBranch);
  _checkRepoPath(ctx, `${field}.syncSource.path`, h.syncPath);
  if (h.syncRepoUrl !== undefined) checkNonEmpty(ctx.scope, `${field}.syncSource.repoURL`, h.syncRepoUrl);
  if (h.hydrateToBranch !== undefined) checkNonEmpty(ctx.scope, `${field}.hydrateTo.targetBranch`, h.hydrateToBranch);
  return {
    drySource,
    syncSource: {
      targetBranch: h.syncBranch,
      path: h.syncPath,
      ...(h.syncRepoUrl !== undefined ? { repoUrl: h.syncRepoUrl } : {}),
    },
    ...(h.hydrateToBranch !== undefined ? { hydrateTo: { targetBranch: h.hydrateToBranch } } : {}),
  };
}
