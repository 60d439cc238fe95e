// Real Git repositories for the `diff` tests: made in a temporary folder, committed with fixed
// names and dates (so that commits are the same on every run), removed after the test file.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll } from 'vitest';

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Runs git in `dir`; its stdout. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf-8', env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A new repository on branch `main` with `origin` set to `origin` (never fetched). */
export function makeRepo(origin: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-repo-'));
  made.push(dir);
  git(dir, 'init', '--quiet', '-b', 'main');
  git(dir, 'remote', 'add', 'origin', origin);
  return dir;
}

/** Writes `files` (path → content) below `dir`. */
export function writeFiles(dir: string, files: { [file: string]: string }): void {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
}

/** Commits everything; the commit. */
export function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** What git sees besides the commits: the worktrees it lists and the status of the working tree. */
export function gitState(dir: string): { worktrees: string; status: string } {
  return { worktrees: git(dir, 'worktree', 'list', '--porcelain'), status: git(dir, 'status', '--porcelain', '--ignored') };
}
