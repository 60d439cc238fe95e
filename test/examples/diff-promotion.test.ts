// The flagship example's promotion through `cdk8s-argocd diff`: a Git repository holding a copy of
// examples/platform (its code and committed output) on main, and a branch that promotes dev's api
// tag to staging. The Markdown report (what the GitHub Actions recipe posts on the pull request)
// is committed as examples/ci/diff-promotion.md; this test regenerates it and compares
// (UPDATE_DIFF_PROMOTION=1 rewrites it).
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import { REPO_ROOT, TSX } from '../cli/_fixture';
import { commitAll, git, makeRepo, writeFiles } from '../cli/_git-repo';
import { REPO_URL, VERSIONS } from '../../examples/platform/config';

const PLATFORM = path.join(REPO_ROOT, 'examples', 'platform');
const EXPECTED = path.join(REPO_ROOT, 'examples', 'ci', 'diff-promotion.md');

/** A repository with examples/platform at the path its output names, its library linked from this checkout. */
function platformRepo(): string {
  const dir = makeRepo(REPO_URL);
  fs.cpSync(PLATFORM, path.join(dir, 'examples', 'platform'), { recursive: true, filter: (src) => !src.endsWith('README.md') });
  for (const link of ['lib', 'imports', 'node_modules']) fs.symlinkSync(path.join(REPO_ROOT, link), path.join(dir, link), 'dir');
  writeFiles(dir, { 'cdk8s.yaml': `app: ${TSX} examples/platform/main.ts\n`, '.gitignore': 'node_modules\n' });
  commitAll(dir, 'the platform');
  return dir;
}

async function run(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (s: string) => { stdout += s; } }, stderr: { write: (s: string) => { stderr += s; } }, cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { code, stdout, stderr };
}

describe('diff of the flagship example', () => {
  it('promoting the api tag to staging changes one Application in one environment: its Deployment and the migration hook that runs the same image, in sync order; the committed Markdown', async () => {
    const dir = platformRepo();
    git(dir, 'checkout', '--quiet', '-b', 'promote-api');
    const config = path.join(dir, 'examples', 'platform', 'config.ts');
    const from = `'api': { dev: '${VERSIONS.get('api', 'dev')}', staging: '${VERSIONS.get('api', 'staging')}',`;
    const to = `'api': { dev: '${VERSIONS.get('api', 'dev')}', staging: '${VERSIONS.get('api', 'dev')}',`;
    const text = fs.readFileSync(config, 'utf-8');
    expect(text).toContain(from);
    expect(VERSIONS.get('api', 'dev')).not.toBe(VERSIONS.get('api', 'staging'));
    fs.writeFileSync(config, text.replace(from, to));
    const synth = require('child_process').spawnSync(TSX, ['examples/platform/main.ts'], { cwd: dir, encoding: 'utf-8' });
    expect(synth.status, synth.stderr).toBe(0);
    commitAll(dir, 'promote api to staging');

    const json = await run(dir, ['diff', '--base', 'main', '--json']);
    expect(json.code, json.stderr).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.base.output).toBe('committed');
    expect(report.head.output).toBe('committed');
    expect(report.applications.map((a: any) => [a.environment, a.name, a.change, a.generatedBy])).toEqual([['staging', 'api-staging', 'changed', 'api']]);
    const [app] = report.applications;
    expect(app.fields).toEqual([]);
    expect(app.objects.map((o: any) => [o.key, o.change, o.phase, o.wave, o.hook])).toEqual([
      ['batch/Job/api/api-migrate', 'changed', 'PreSync', 0, true],
      ['apps/Deployment/api/api', 'changed', 'Sync', 1, false],
    ]);
    for (const o of app.objects) {
      expect(o.diff.split('\n').filter((l: string) => /^[-+] /.test(l)).map((l: string) => l.replace(/\s+/g, ' '))).toEqual([
        `- image: ghcr.io/myorg/api:${VERSIONS.get('api', 'staging')}`,
        `+ image: ghcr.io/myorg/api:${VERSIONS.get('api', 'dev')}`,
      ]);
    }
    expect(report.projects).toEqual([]);
    expect(report.unmanaged).toEqual([]);
    expect(report.attention).toEqual([]);

    const md = await run(dir, ['diff', '--base', 'main', '--format', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout).not.toContain(dir);
    if (process.env.UPDATE_DIFF_PROMOTION === '1') fs.writeFileSync(EXPECTED, md.stdout);
    expect(md.stdout).toBe(fs.readFileSync(EXPECTED, 'utf-8'));
  }, 120_000);
});
