// Helpers for the command-line tests: a throw-away project folder holding cdk8s.yaml and the
// committed output of test/fixtures/cli-apps/app-of-apps.ts, and two ways to run the CLI.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { readTree } from '../support/files';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
export const FIXTURE_APP = path.join(REPO_ROOT, 'test', 'fixtures', 'cli-apps', 'app-of-apps.ts');
export const BIN = path.join(REPO_ROOT, 'bin', 'cdk8s-argocd.js');

let template: string | undefined;

// registered while the test file that imports this module is collected
afterAll(() => {
  if (template) fs.rmSync(template, { recursive: true, force: true });
  template = undefined;
});

/** A fresh project folder with cdk8s.yaml and committed output (`dist/`) of the fixture app. */
export function makeProject(): string {
  if (!template) {
    template = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-template-'));
    fs.writeFileSync(path.join(template, 'cdk8s.yaml'), `app: ${TSX} ${FIXTURE_APP}\noutput: cdk8s.out\n`);
    const r = spawnSync(TSX, [FIXTURE_APP], { cwd: template, encoding: 'utf-8', env: { ...process.env, FIXTURE_MODE: '' } });
    if (r.status !== 0) throw new Error(`fixture app failed: ${r.stderr}`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-project-'));
  fs.cpSync(template, dir, { recursive: true });
  return dir;
}

/** The result of one CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process (the app it runs is still a child process). */
export async function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => { stdout += s; } },
    stderr: { write: (s: string) => { stderr += s; } },
    cwd,
    env: { ...process.env, NO_COLOR: '1', FIXTURE_MODE: '', ...env },
  });
  return { code, stdout, stderr };
}

/** Runs the real bin (bin/cdk8s-argocd.js) in a child process. */
export function spawnCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf-8', env: { ...process.env, FIXTURE_MODE: '', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir` with its content and mode, to prove a command changed nothing. */
export function snapshot(dir: string): Record<string, string> {
  return readTree(dir, (p) => `${fs.statSync(p).mode}:${fs.readFileSync(p, 'utf-8')}`);
}
