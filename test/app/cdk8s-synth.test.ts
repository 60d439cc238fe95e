// End to end under the cdk8s CLI: `cdk8s synth` deletes its own `output` before running the app,
// so the committed directory is the ArgoCdApp's `outdir`, written atomically by the app.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, test } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CDK8S = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-synth-'));
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));
// the app imports cdk8s as a user's project would
fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');

fs.writeFileSync(path.join(project, 'cdk8s.yaml'), `language: typescript\napp: ${TSX} main.ts\noutput: .cdk8s.out\n`);
fs.writeFileSync(path.join(project, 'main.ts'), `
import { ApiObject, Chart } from 'cdk8s';
import { ArgoCdApp } from ${JSON.stringify(path.join(ROOT, 'lib'))};
const app = new ArgoCdApp({ outdir: 'gitops' });
const chart = new Chart(app, 'apps');
new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: process.env.CM_NAME ?? 'settings', namespace: 'team' } });
if (process.env.BREAK) chart.node.addValidation({ validate: () => ['broken on purpose'] });
app.synth();
`);

function synth(env: NodeJS.ProcessEnv = {}) {
  return spawnSync(CDK8S, ['synth', '--check-upgrade=false'], { cwd: project, encoding: 'utf-8', env: { ...process.env, ...env } });
}

function tree(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('under npx cdk8s synth', () => {
  test('the app writes its committed output; the CLI lists a scratch copy', () => {
    const r = synth();
    expect(r.status).toBe(0);
    expect(tree(path.join(project, 'gitops'))).toEqual(['apps/configmap_team_settings.yaml']);
    expect(tree(path.join(project, '.cdk8s.out'))).toEqual(['apps/configmap_team_settings.yaml']);
    expect(r.stdout).toContain('.cdk8s.out/apps/configmap_team_settings.yaml');
  });

  test('a failed synth leaves the previous output untouched', () => {
    const before = fs.readFileSync(path.join(project, 'gitops', 'apps', 'configmap_team_settings.yaml'), 'utf-8');
    const r = synth({ BREAK: '1', CM_NAME: 'renamed' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('[apps] broken on purpose');
    expect(tree(path.join(project, 'gitops'))).toEqual(['apps/configmap_team_settings.yaml']);
    expect(fs.readFileSync(path.join(project, 'gitops', 'apps', 'configmap_team_settings.yaml'), 'utf-8')).toBe(before);
  });

  test('a successful synth replaces the output: renamed objects leave no stale file', () => {
    const r = synth({ CM_NAME: 'renamed' });
    expect(r.status).toBe(0);
    expect(tree(path.join(project, 'gitops'))).toEqual(['apps/configmap_team_renamed.yaml']);
  });
});
