// Reading synthesized YAML as a repository: objects with their repository-relative file paths, the
// local Git checkout (root, origin URL, tracked files), and repository URL comparison.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { compareStrings } from '../_internal/values';
import { loadYamlDocuments } from '../_internal/yaml';
import { SynthOutput, listFiles } from './_app-runner';

/** One object read from YAML. */
export interface RepoObject {
  /** The file, relative to the repository root (`/` separators). */
  readonly file: string;
  /** The parsed object. */
  readonly manifest: any;
}

/** The Git checkout around `dir`, when there is one. */
export interface GitCheckout {
  /** The repository root (absolute). */
  readonly root: string;
  /** `git remote get-url origin`, when set. */
  readonly origin?: string;
}

/** The Git checkout containing `dir`; undefined outside a repository (or without git). */
export function gitCheckout(dir: string): GitCheckout | undefined {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  let root: string;
  try {
    root = git('rev-parse', '--show-toplevel');
  } catch {
    return undefined;
  }
  let origin: string | undefined;
  try {
    origin = git('remote', 'get-url', 'origin') || undefined;
  } catch {
    origin = undefined;
  }
  return { root, origin };
}

/** The files Git tracks in the checkout (and untracked, not ignored ones), relative to its root. */
export function gitFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  return [...new Set(out.split('\0').filter((f) => f !== ''))].sort(compareStrings);
}

/**
 * Every object of the synthesized outputs, with its path as the committed file would have it
 * relative to `repoRoot`.
 */
export function readOutputs(outputs: readonly SynthOutput[], repoRoot: string): RepoObject[] {
  const objects: RepoObject[] = [];
  for (const o of outputs) {
    const base = path.relative(repoRoot, o.outdir).split(path.sep).join('/');
    for (const f of o.files) {
      if (!/\.ya?ml$/.test(f)) continue;
      const file = base === '' ? f : `${base}/${f}`;
      for (const manifest of loadYamlDocuments(o.read(f).toString('utf-8'), { source: file })) {
        objects.push({ file, manifest });
      }
    }
  }
  return objects;
}

/** Every object in a YAML file, or in the YAML files under a folder; paths relative to `base`. */
export function readYamlPath(target: string, base: string): RepoObject[] {
  const stat = fs.statSync(target);
  const files = stat.isDirectory()
    ? listFiles(target).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(target, ...f.split('/')))
    : [target];
  const objects: RepoObject[] = [];
  for (const abs of files) {
    const file = path.relative(base, abs).split(path.sep).join('/');
    for (const manifest of loadYamlDocuments(fs.readFileSync(abs, 'utf-8'), { source: file })) {
      if (manifest && typeof manifest === 'object') objects.push({ file, manifest });
    }
  }
  return objects;
}
