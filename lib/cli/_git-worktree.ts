// Git for `cdk8s-argocd diff`: refs resolved to commits, the default base (the merge base with the
// default branch), and a temporary worktree of a commit, removed afterwards whatever happens (an
// error, Ctrl-C): nothing is left that git would see, neither the folder nor its entry in
// `git worktree list`.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError } from './_app-runner';

/** Runs git in `cwd`; its stdout, trimmed. Throws with git's stderr. */
export function git(cwd: string, ...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 }).trim();
  } catch (e: any) {
    const err = String(e?.stderr ?? e?.message ?? e).trim();
    throw new Error(`git ${args.join(' ')}: ${err}`);
  }
}

/** The commit a ref names; a `UsageError` naming the ref when it names none. */
export function resolveCommit(root: string, ref: string): string {
  try {
    return git(root, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    throw new UsageError(`--base/--head ${ref}: not a commit of this repository (git rev-parse found nothing; a shallow CI checkout needs 'fetch-depth: 0')`);
  }
}

/**
 * The default base: the merge base of HEAD and the default branch (`origin/HEAD`, else the first
 * of origin/main, origin/master, main, master that exists).
 */
export function defaultBase(root: string): { label: string; commit: string } {
  let branch: string | undefined;
  try {
    branch = git(root, 'rev-parse', '--abbrev-ref', 'origin/HEAD');
  } catch {
    branch = undefined;
  }
  if (!branch || branch === 'origin/HEAD') {
    branch = ['origin/main', 'origin/master', 'main', 'master'].find((b) => {
      try {
        git(root, 'rev-parse', '--verify', '--quiet', `${b}^{commit}`);
        return true;
      } catch {
        return false;
      }
    });
  }
  if (!branch) throw new UsageError('no default branch found (origin/HEAD, origin/main, origin/master, main, master): pass --base <ref>');
  let commit: string;
  try {
    commit = git(root, 'merge-base', 'HEAD', branch);
  } catch {
    throw new UsageError(`HEAD and ${branch} have no merge base: pass --base <ref>`);
  }
  return { label: `merge base with ${branch}`, commit };
}

/** Folders removed on a signal, while their worktree exists. */
const live = new Set<() => void>();
let handlersInstalled = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const clean of [...live]) clean();
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  handlersInstalled = false;
  process.kill(process.pid, signal);
}

/**
 * Runs `work` in a temporary worktree of `commit` (detached, in the system's temporary folder),
 * then removes the worktree and its registration, also when `work` throws or the process is
 * interrupted. `node_modules` of the checkout (at its root and at `cwdRel`) is linked into the
 * worktree, so that the app's command finds its dependencies.
 *
 * @param root the checkout's root
 * @param commit what to check out
 * @param cwdRel the working directory, relative to the root
 * @param work what to do there: gets the worktree's root
 */
export async function withWorktree<T>(root: string, commit: string, cwdRel: string, work: (dir: string) => Promise<T>): Promise<T> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-argocd-diff-'));
  const dir = path.join(parent, 'tree');
  let removed = false;
  const clean = () => {
    if (removed) return;
    removed = true;
    live.delete(clean);
    try {
      git(root, 'worktree', 'remove', '--force', '--force', dir);
    } catch {
      // not registered (add failed), or locked: the folder goes, and prune forgets it
    }
    fs.rmSync(parent, { recursive: true, force: true });
    try {
      git(root, 'worktree', 'prune');
    } catch {
      // nothing to prune
    }
  };
  live.add(clean);
  if (!handlersInstalled) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    handlersInstalled = true;
  }
  try {
    git(root, 'worktree', 'add', '--detach', '--quiet', dir, commit);
    for (const r of new Set(['', cwdRel])) {
      const have = path.join(root, r, 'node_modules');
      const want = path.join(dir, r, 'node_modules');
      if (fs.existsSync(have) && fs.existsSync(path.dirname(want)) && !fs.existsSync(want)) fs.symlinkSync(have, want, 'dir');
    }
    return await work(dir);
  } finally {
    clean();
    if (live.size === 0 && handlersInstalled) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      handlersInstalled = false;
    }
  }
}
