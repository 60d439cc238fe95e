// The cdk8s AppProps an ArgoCdApp cannot honour are refused; recordConstructMetadata is honoured.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, YamlOutputType } from 'cdk8s';
import { afterEach, describe, expect, test } from 'vitest';
import * as yaml from 'yaml';
import { ArgoCdApp } from '../../lib';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'app-props-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('yamlOutputType and outputFileExtension', () => {
  test.each([YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_CHART, YamlOutputType.FILE_PER_RESOURCE])('yamlOutputType %s is refused, naming the prop, the value and the one accepted', (type) => {
    expect(() => new ArgoCdApp({ outdir: tmp(), yamlOutputType: type })).toThrow(
      new RegExp(`^ArgoCdApp: yamlOutputType YamlOutputType\\.${YamlOutputType[type]} is not supported: .*FOLDER_PER_CHART_FILE_PER_RESOURCE, the only value accepted`),
    );
  });

  test('YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, what an ArgoCdApp writes, is accepted', () => {
    const outdir = tmp();
    const app = new ArgoCdApp({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, outputFileExtension: '.yaml' });
    new ApiObject(new Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    app.synth();
    expect(fs.readdirSync(path.join(outdir, 'c'))).toEqual(['configmap_x.yaml']);
  });

  test.each(['.k8s.yaml', '.yml', ''])('outputFileExtension %j is refused', (ext) => {
    expect(() => new ArgoCdApp({ outdir: tmp(), outputFileExtension: ext })).toThrow(
      `ArgoCdApp: outputFileExtension ${JSON.stringify(ext)} is not supported: every file is named <kind>_<namespace>_<name>.yaml ('.yaml', the only value accepted)`,
    );
  });
});

describe('recordConstructMetadata', () => {
  const saved = process.env.CDK8S_OUTDIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = saved;
  });

  test('writes construct-metadata.json into CDK8S_OUTDIR, by object name, as the cdk8s CLI reads it', () => {
    const outdir = tmp();
    const cli = path.join(tmp(), 'cli-out');
    process.env.CDK8S_OUTDIR = cli;
    const app = new ArgoCdApp({ outdir, recordConstructMetadata: true });
    const chart = new Chart(app, 'apps');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team' } });
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    app.synth();
    expect(JSON.parse(fs.readFileSync(path.join(cli, 'construct-metadata.json'), 'utf-8'))).toEqual({
      version: '1.0.0',
      resources: { settings: { path: 'apps/cm' }, team: { path: 'apps/ns' } },
    });
    // the committed output holds only the objects
    expect(fs.readdirSync(outdir).filter((f) => !f.startsWith('.'))).toEqual(['apps']);
  });

  test('without it nothing is written besides the files', () => {
    const cli = path.join(tmp(), 'cli-out');
    process.env.CDK8S_OUTDIR = cli;
    const app = new ArgoCdApp({ outdir: tmp() });
    new ApiObject(new Chart(app, 'apps'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    app.synth();
    expect(fs.existsSync(path.join(cli, 'construct-metadata.json'))).toBe(false);
    expect(fs.readdirSync(path.join(cli, 'apps'))).toEqual(['configmap_settings.yaml']);
  });
});

describe('under cdk8s synth --stdout (its scratch directory as CDK8S_OUTDIR)', () => {
  const saved = process.env.CDK8S_OUTDIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = saved;
  });

  test('every app of the process writes into one multi-document manifests.yaml; the committed output is left alone', () => {
    // what cdk8s-cli does: mkdtemp(<tmpdir>/cdk8s-)
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-'));
    dirs.push(scratch);
    process.env.CDK8S_OUTDIR = scratch;
    const outdir = tmp();
    for (const name of ['one', 'two']) {
      const app = new ArgoCdApp({ outdir });
      const chart = new Chart(app, name);
      new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
      new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      app.synth();
    }
    expect(fs.readdirSync(scratch)).toEqual(['manifests.yaml']);
    const docs = yaml.parseAllDocuments(fs.readFileSync(path.join(scratch, 'manifests.yaml'), 'utf-8')).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ConfigMap/one', 'Namespace/one', 'ConfigMap/two', 'Namespace/two']);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('a CDK8S_OUTDIR that is not that scratch directory gets the usual copy', () => {
    const named = path.join(tmp(), 'cdk8s-abcdef');
    fs.mkdirSync(named);
    process.env.CDK8S_OUTDIR = named;
    const outdir = tmp();
    const app = new ArgoCdApp({ outdir });
    new ApiObject(new Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    app.synth();
    expect(fs.readdirSync(named)).toEqual(['c']);
    expect(fs.readdirSync(path.join(outdir, 'c'))).toEqual(['configmap_x.yaml']);
  });
});
