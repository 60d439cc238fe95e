// Application source paths of this repository that lie outside the output root (written by hand,
// by other tools) are checked against the files of the Git checkout the output is committed in.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { IManifestCheck, RenderedManifest } from '../manifest-check';
import { nearest } from '../_internal/nearest';
import { repositoryIdentity } from '../_internal/repo-url';
import { RepoFacts, isApplication, isUnder, normalizeRepoPath, repoSources } from './_checks';

/** The directories of a Git checkout: every directory holding a file git tracks or would add. */
export interface CheckoutDirectories {
  /** The checkout's root (absolute). */
  readonly root: string;
  /** Every directory with a file in it or below it, as repository paths ('.' for the root). */
  readonly directories: ReadonlySet<string>;
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
}

/**
 * The checkout the output directory `outdir` is committed in, when `outdir` sits at `outputRoot`
 * inside a Git checkout of this repository (its `origin` names `repoUrl`, in any spelling);
 * undefined otherwise (not a checkout, git not installed, no `origin`, another repository).
 */
export function checkoutDirectories(outdir: string, outputRoot: string, repoUrl: string): CheckoutDirectories | undefined {
  const checkout = checkoutFiles(outdir, outputRoot, repoUrl);
  if (!checkout) return undefined;
  const directories = new Set<string>(['.']);
  for (const file of checkout.files) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) directories.add(parts.slice(0, i).join('/'));
  }
  return { root: checkout.root, directories };
}

/** As `checkoutDirectories()`, the checkout's root and its files (tracked, or untracked and not ignored). */
export function checkoutFiles(outdir: string, outputRoot: string, repoUrl: string): { readonly root: string; readonly files: string[] } | undefined {
  const depth = outputRoot === '.' ? 0 : outputRoot.split('/').length;
  let root = path.resolve(outdir);
  for (let i = 0; i < depth; i++) root = path.dirname(root);
  if (path.resolve(root, outputRoot) !== path.resolve(outdir) || !fs.existsSync(root)) return undefined;
  let top: string;
  try {
    top = git(root, ['rev-parse', '--show-toplevel']).trim();
  } catch {
    return undefined;
  }
  if (fs.realpathSync(top) !== fs.realpathSync(root)) return undefined;
  let origin = '';
  try {
    origin = git(root, ['remote', 'get-url', 'origin']).trim();
  } catch {
    return undefined;
  }
  if (origin === '' || repositoryIdentity(origin) !== repositoryIdentity(repoUrl)) return undefined;
  let listed: string;
  try {
    listed = git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  } catch {
    return undefined;
  }
  return { root, files: listed.split('\0').filter((f) => f !== '') };
}

/**
 * Every Application whose source is this repository and whose path lies outside the output root
 * must name a directory of the Git checkout (a directory holding a tracked file, or an untracked
 * one git would add), or one declared with `repo.addExternalPath()`. No check runs outside a Git
 * checkout whose `origin` is this repository.
 */
export class TrackedPathCheck implements IManifestCheck {
  constructor(private readonly facts: RepoFacts, private readonly outdir: () => string) {}

  public check(manifests: RenderedManifest[]): string[] {
    const external = this.facts.externalPaths().map(normalizeRepoPath);
    let checkout: CheckoutDirectories | undefined | null = null;
    const problems: string[] = [];
    for (const m of manifests) {
      if (!isApplication(m.manifest)) continue;
      for (const { field, source } of repoSources(m.manifest, this.facts)) {
        const p = normalizeRepoPath(source.path);
        if (isUnder(p, this.facts.outputRoot) || external.some((e) => isUnder(p, e))) continue;
        if (p.split('/').some((x) => x === '..') || p.includes('{{')) continue;
        if (checkout === null) checkout = checkoutDirectories(this.outdir(), this.facts.outputRoot, this.facts.repoUrl);
        if (checkout === undefined) return [];
        if (checkout.directories.has(p)) continue;
        const near = nearest(p, [...checkout.directories].filter((d) => d !== '.' && !isUnder(d, this.facts.outputRoot)));
        problems.push(`[${m.constructPath}] ${field}.path '${source.path}' of Application '${m.manifest.metadata?.name}' is no directory of this repository's Git checkout `
          + `(${checkout.root}), so Argo CD would find no manifests in ${this.facts.repoUrl}; nearest existing paths: ${near.length ? near.join(', ') : 'none'}; `
          + 'fix the path, commit the directory, or declare a path written by other means with repo.addExternalPath()');
      }
    }
    return problems;
  }
}
