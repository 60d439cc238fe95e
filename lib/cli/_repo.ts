// Reading synthesized YAML as a repository: objects with their repository-relative file paths, the
// local Git checkout (root, origin URL, tracked files), and repository URL comparison.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { compareStrings } from '../_internal/values';
import { loadYamlDocuments } from '../_internal/yaml';
import { SynthOutput, UsageError, listFiles } from './_app-runner';

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

/** A `--repo URL=DIR` flag: read repository URL's files from a local folder. */
export interface LocalRepository {
  readonly url: string;
  /** The folder (absolute). */
  readonly dir: string;
}

/** Parses `--repo URL=DIR` flags; folders relative to `cwd`. */
export function parseRepoFlags(values: readonly string[] | undefined, cwd: string): LocalRepository[] {
  const local: LocalRepository[] = [];
  for (const r of values ?? []) {
    const eq = r.lastIndexOf('=');
    if (eq <= 0 || eq === r.length - 1) throw new UsageError(`--repo ${r}: use --repo <url>=<folder>`);
    local.push({ url: r.slice(0, eq), dir: path.resolve(cwd, r.slice(eq + 1)) });
  }
  return local;
}

/** The name standard input's objects are given as their file (`-` given for a file). */
export const STDIN_FILE = '<stdin>';

/** Every object in YAML text read from standard input. */
export function readYamlText(text: string): RepoObject[] {
  return loadYamlDocuments(text, { source: STDIN_FILE })
    .filter((m) => m && typeof m === 'object')
    .map((manifest) => ({ file: STDIN_FILE, manifest }));
}

const NOT_DESCRIBED = /repository (\S+) is not described in the preview world; add its files to world\.repositories/g;

/**
 * An expansion error as the command line says it: the preview API asks for `world.repositories`,
 * the command line for `--repo URL=DIR`. Says what the local checkout's origin is, since the
 * commands read this repository's files only when `git remote get-url origin` names the same
 * repository.
 */
export function withRepoFlagHint(message: string, git: GitCheckout | undefined): string {
  return message.replace(NOT_DESCRIBED, (_, url: string) => {
    const origin = git === undefined ? 'this folder is not in a Git checkout'
      : git.origin === undefined ? `the checkout at ${git.root} has no origin remote`
        : `the checkout's origin (git remote get-url origin) is ${git.origin}, another repository`;
    return `repository ${url} has no local folder (${origin}); pass --repo ${url}=<folder of its checkout>`;
  });
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
