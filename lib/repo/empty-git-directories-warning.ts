// Warns about a git directories generator reading this repository whose patterns select no
// directory: the ApplicationSet would generate nothing from it.
import { IManifestCheck, RenderedManifest } from '../manifest-check';
import { filterApps, listDirectories } from '../argocd/preview/_generators';
import { repositoryIdentity } from '../_internal/repo-url';
import { RepoFacts, repoPathOf } from './_checks';
import { checkoutFiles } from './tracked-path-check';

interface DirectoriesGenerator {
  readonly field: string;
  readonly git: any;
}

function directoriesGenerators(generators: any[] | undefined, field: string): DirectoriesGenerator[] {
  const out: DirectoriesGenerator[] = [];
  (generators ?? []).forEach((g: any, i: number) => {
    const at = `${field}[${i}]`;
    if (Array.isArray(g?.git?.directories) && g.git.directories.length > 0) out.push({ field: `${at}.git`, git: g.git });
    if (g?.matrix) out.push(...directoriesGenerators(g.matrix.generators, `${at}.matrix.generators`));
    if (g?.merge) out.push(...directoriesGenerators(g.merge.generators, `${at}.merge.generators`));
  });
  return out;
}

/**
 * A warning for each git directories generator reading this repository whose `directories`
 * patterns select no directory of it: the directories the app writes, and, in a Git checkout of
 * this repository, the checkout's. Patterns with `{{...}}` (filled in by a matrix) are not judged.
 */
export class EmptyGitDirectoriesWarning implements IManifestCheck {
  constructor(private readonly facts: RepoFacts, private readonly outdir: () => string) {}

  public check(manifests: RenderedManifest[]): string[] {
    const url = repositoryIdentity(this.facts.repoUrl);
    let directories: string[] | undefined;
    const warnings: string[] = [];
    for (const m of manifests) {
      const set = m.manifest;
      if (set?.kind !== 'ApplicationSet' || !String(set.apiVersion ?? '').startsWith('argoproj.io/')) continue;
      for (const { field, git } of directoriesGenerators(set.spec?.generators, 'spec.generators')) {
        if (typeof git.repoURL !== 'string' || repositoryIdentity(git.repoURL) !== url) continue;
        const patterns: any[] = git.directories;
        if (patterns.some((d) => String(d?.path ?? '').includes('{{'))) continue;
        directories ??= this.directories(manifests);
        if (filterApps(patterns, directories).length > 0) continue;
        const shown = patterns.map((d) => `${d?.exclude ? 'exclude ' : ''}'${d?.path}'`).join(', ');
        warnings.push(`[${m.constructPath}] ${field}.directories (${shown}) of ApplicationSet '${set.metadata?.name}' select no directory of ${this.facts.repoUrl}, `
          + 'so this generator would give Argo CD no Application; check the pattern against the layout (Argo CD matches each path with Go\'s path.Match, one segment per \'*\')');
      }
    }
    return warnings;
  }

  private directories(manifests: RenderedManifest[]): string[] {
    const files: { [path: string]: string } = {};
    for (const m of manifests) files[repoPathOf(this.facts.outputRoot, m.file)] = '';
    for (const f of checkoutFiles(this.outdir(), this.facts.outputRoot, this.facts.repoUrl)?.files ?? []) files[f] = '';
    return listDirectories(files);
  }
}
