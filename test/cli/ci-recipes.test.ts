import * as fs from 'fs';
import * as path from 'path';
import * as jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { REPO_ROOT } from './_fixture';

const CI = path.join(REPO_ROOT, 'examples', 'ci');

/** The `cdk8s-argocd` invocations in a shell line: [command, ...args]. */
function invocations(line: string): string[][] {
  return [...line.matchAll(/npx cdk8s-argocd ([^\n;&|]+)/g)].map((m) => m[1].trim().split(/\s+/));
}

/** The long options a command's --help lists (the program's own for an option such as `--version`). */
async function optionsOf(command: string): Promise<string[]> {
  let out = '';
  const code = await runCli(command.startsWith('-') ? ['--help'] : [command, '--help'], { stdout: { write: (s: string) => { out += s; } }, stderr: { write: () => undefined }, cwd: REPO_ROOT, env: {} });
  expect(code).toBe(0);
  return [...out.matchAll(/--[a-z-]+/g)].map((m) => m[0]);
}

async function expectValid(inv: string[][]): Promise<void> {
  for (const [command, ...args] of inv) {
    const known = await optionsOf(command);
    for (const a of [command, ...args].filter((x) => x.startsWith('--'))) expect(known).toContain(a);
  }
}

describe('CI recipes', () => {
  it('the GitHub Actions workflow runs check and validate on pull requests', async () => {
    const wf = jsyaml.load(fs.readFileSync(path.join(CI, 'github-actions.yml'), 'utf-8')) as any;
    expect(Object.keys(wf.on)).toContain('pull_request');
    const steps: any[] = Object.values(wf.jobs).flatMap((j: any) => j.steps);
    const inv = steps.filter((s) => typeof s.run === 'string').flatMap((s) => invocations(s.run));
    expect(inv.map((i) => i[0])).toEqual(['--version', 'check', 'validate']);
    expect(steps.findIndex((s) => s.run === 'npm ci')).toBeLessThan(steps.findIndex((s) => /cdk8s-argocd check/.test(s.run ?? '')));
    await expectValid(inv);
  });

  it('a recipe using an option no command lists (a removed or deprecated spelling) fails the check', async () => {
    await expect(expectValid([['check', '--output', 'dist']])).rejects.toThrow();
    await expect(expectValid([['preview', 'dist', '--format', 'yaml']])).resolves.toBeUndefined();
  });

  it('the diff workflow posts the Markdown report as one pull-request comment', async () => {
    const wf = jsyaml.load(fs.readFileSync(path.join(CI, 'github-actions-diff.yml'), 'utf-8')) as any;
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const steps: any[] = Object.values(wf.jobs).flatMap((j: any) => j.steps);
    // the base branch must be there for its temporary worktree: a full clone
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout@')).with['fetch-depth']).toBe(0);
    const inv = steps.filter((s) => typeof s.run === 'string').flatMap((s) => invocations(s.run));
    expect(inv.map((i) => i[0])).toEqual(['diff']);
    const diffStep = steps.findIndex((s) => /cdk8s-argocd diff/.test(s.run ?? ''));
    expect(steps.findIndex((s) => s.run === 'npm ci')).toBeLessThan(diffStep);
    const run: string = steps[diffStep].run;
    expect(inv[0].slice(1, 5)).toEqual(['--base', '"origin/$BASE_REF"', '--format', 'markdown']);
    // the base ref reaches the shell through the environment, never pasted into the script
    expect(run).not.toContain('${{');
    expect(steps[diffStep].env.BASE_REF).toBe('${{ github.base_ref }}');
    // exit 1 (changes) passes, 2 (an error) fails the job
    expect(run).toMatch(/test "\$code" -le 1/);
    const out = /> (\S+\.md)/.exec(run)![1];
    const comment = steps[diffStep + 1];
    expect(comment.uses).toMatch(/^actions\/github-script@/);
    expect(comment.with.script).toContain(`readFileSync('${out}'`);
    expect(comment.with.script).toMatch(/updateComment/);
    await expectValid(inv);
    // the choices the recipe passes are accepted
    let help = '';
    await runCli(['diff', '--help'], { stdout: { write: (s: string) => { help += s; } }, stderr: { write: () => undefined }, cwd: REPO_ROOT, env: {} });
    expect(help).toMatch(/choices: "text", "json", "markdown"/);
  });

  it('the pre-commit hooks run check', async () => {
    const cfg = jsyaml.load(fs.readFileSync(path.join(CI, 'pre-commit-config.yaml'), 'utf-8')) as any;
    const hooks: any[] = cfg.repos.flatMap((r: any) => r.hooks);
    expect(hooks.map((h) => invocations(h.entry))).toEqual([[['check']]]);
    expect(hooks[0].pass_filenames).toBe(false);
    const script = path.join(CI, 'githooks', 'pre-commit');
    expect(fs.statSync(script).mode & 0o111).not.toBe(0);
    const inv = invocations(fs.readFileSync(script, 'utf-8'));
    expect(inv).toEqual([['check']]);
    await expectValid(inv);
  });
});
