// End to end under the cdk8s CLI: `cdk8s synth` deletes its own `output` before running the app,
// so the committed directory is the ArgoCdApp's `outdir`, written atomically by the app.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, test } from 'vitest';
import * as yaml from 'yaml';

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
if (process.env.MORE) {
  new ApiObject(chart, 'more', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'more', namespace: 'team' }, data: { a: '1' } });
  const other = new Chart(app, 'infra');
  new ApiObject(other, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
}
if (process.env.BREAK) chart.node.addValidation({ validate: () => ['broken on purpose'] });
app.synth();
`);

function synth(env: NodeJS.ProcessEnv = {}, args: string[] = [], cwd = project) {
  return spawnSync(CDK8S, ['synth', '--check-upgrade=false', ...args], { cwd, encoding: 'utf-8', env: { ...process.env, ...env } });
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

describe('under npx cdk8s synth --stdout', () => {
  test('prints every object as a multi-document YAML stream and leaves the committed output alone', () => {
    const committed = path.join(project, 'gitops');
    const before = fs.readFileSync(path.join(committed, 'apps', 'configmap_team_renamed.yaml'), 'utf-8');
    const r = synth({ MORE: '1', CM_NAME: 'changed' }, ['--stdout']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const docs = yaml.parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ConfigMap/changed', 'ConfigMap/more', 'Namespace/team']);
    expect(tree(committed)).toEqual(['apps/configmap_team_renamed.yaml']);
    expect(fs.readFileSync(path.join(committed, 'apps', 'configmap_team_renamed.yaml'), 'utf-8')).toBe(before);
  });

  test('a failed synth prints the errors and no object', () => {
    const r = synth({ BREAK: '1' }, ['--stdout']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('[apps] broken on purpose');
    expect(yaml.parseAllDocuments(r.stdout).filter((d) => d.contents !== null)).toEqual([]);
  });
});

describe('under npx cdk8s synth with a validation plugin', () => {
  // a local plugin (cdk8s-cli's plugin interface): flags every ConfigMap with a key `a`
  const validated = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-validate-'));
  afterAll(() => fs.rmSync(validated, { recursive: true, force: true }));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(validated, 'node_modules'), 'dir');
  fs.copyFileSync(path.join(project, 'main.ts'), path.join(validated, 'main.ts'));
  const plugin = path.join(validated, 'plugin');
  fs.mkdirSync(plugin);
  fs.writeFileSync(path.join(plugin, 'package.json'), JSON.stringify({ name: 'no-key-a', version: '1.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(plugin, 'index.js'), `
class NoKeyA {
  async validate(context) {
    let failed = false;
    for (const file of context.manifests) {
      for (const o of context.parseManifest(file)) {
        if (o && o.kind === 'ConfigMap' && o.data && 'a' in o.data) {
          failed = true;
          context.report.addViolation({ ruleName: 'no-key-a', recommendation: 'do not use key a', fix: 'rename it',
            violatingResources: [{ resourceName: o.metadata.name, manifestPath: file, locations: ['data.a'] }] });
        }
      }
    }
    context.report.submit(failed ? 'failure' : 'success');
  }
}
module.exports = { NoKeyA };
`);
  fs.writeFileSync(path.join(validated, 'cdk8s.yaml'), `language: typescript\napp: ${TSX} main.ts\noutput: .cdk8s.out\nvalidations:\n  - package: ${plugin}\n    version: 1.0.0\n    class: NoKeyA\n`);

  test.each([[[]], [['--stdout']]])('the report names the construct path of the violating object (%j)', (args: string[]) => {
    const reports = path.join(validated, `reports-${args.length}.json`);
    const r = synth({ MORE: '1' }, [...args, '--validation-reports-output-file', reports], validated);
    expect(r.status).not.toBe(0);
    const json = JSON.parse(fs.readFileSync(reports, 'utf-8'));
    const constructs = json.reports[0].violations[0].violatingConstructs;
    expect(constructs.map((c: any) => [c.resourceName, c.constructPath])).toEqual([['more', 'apps/more']]);
    expect(r.stdout).toContain('Construct Path: apps/more');
  });
});
