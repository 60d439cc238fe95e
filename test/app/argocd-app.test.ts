import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import {
  AppProject, ApplicationSet, ApplicationSetGenerator, ApplicationSource, ArgoCdApp, Destination, IManifestCheck, OutputDirectory,
  PlaintextSecret, RenderedManifest,
} from '../../lib';
import { ValidationError } from '../../lib/errors';
import { _renderOnce } from '../../lib/_internal/synthesis';
import { loadYamlDocuments } from '../../lib/_internal/yaml';
import { readTree, besideOutputs } from '../support/files';

const made: string[] = [];
function tmpdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'argocd-app-test-'));
  made.push(d);
  return d;
}
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function configMap(scope: Chart, id: string, name: string, namespace?: string, data: Record<string, string> = { a: '1' }): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data } as any);
}

describe('ArgoCdApp', () => {
  test('writes one file per object, in a directory per chart, names with the namespace', () => {
    // GIVEN
    const outdir = path.join(tmpdir(), 'out');
    const app = new ArgoCdApp({ outdir });
    const a = new Chart(app, 'a');
    configMap(a, 'x', 'settings', 'dev');
    configMap(a, 'y', 'settings', 'prod');
    const b = new Chart(app, 'b');
    OutputDirectory.set(b, 'apps/b/production');
    new ApiObject(b, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } });
    // WHEN
    app.synth();
    // THEN
    const tree = readTree(outdir);
    expect(Object.keys(tree).sort()).toEqual([
      'a/configmap_dev_settings.yaml',
      'a/configmap_prod_settings.yaml',
      'apps/b/production/namespace_prod.yaml',
    ]);
    expect(loadYamlDocuments(tree['a/configmap_prod_settings.yaml'])).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'prod' }, data: { a: '1' } },
    ]);
  });

  test('the same code gives the same bytes', () => {
    const build = (outdir: string) => {
      const app = new ArgoCdApp({ outdir });
      const c = new Chart(app, 'c');
      for (let i = 0; i < 20; i++) configMap(c, `cm${i}`, `cm-${(i * 7) % 20}`, 'ns', { z: 'yes', a: '0x10', m: '1_000' });
      app.synth();
      return readTree(outdir);
    };
    const first = build(path.join(tmpdir(), 'one'));
    const second = build(path.join(tmpdir(), 'two'));
    expect(second).toEqual(first);
    expect(first['c/configmap_ns_cm-0.yaml']).toBe("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-0\n  namespace: ns\ndata:\n  a: '0x10'\n  m: '1_000'\n  z: 'yes'\n");
  });

  test('a failed synth leaves the previous output untouched', () => {
    const outdir = path.join(tmpdir(), 'out');
    const good = new ArgoCdApp({ outdir });
    configMap(new Chart(good, 'c'), 'x', 'settings', 'dev');
    good.synth();
    const before = readTree(outdir);

    const bad = new ArgoCdApp({ outdir });
    const c = new Chart(bad, 'c');
    configMap(c, 'x', 'other', 'dev');
    c.node.addValidation({ validate: () => ['something is wrong'] });
    expect(() => bad.synth()).toThrow('synthesis failed with 1 error:\n  [c] something is wrong');
    expect(readTree(outdir)).toEqual(before);
    expect(besideOutputs(path.dirname(outdir))).toEqual(['out']);
  });

  test('files that synthesis no longer produces disappear', () => {
    const outdir = path.join(tmpdir(), 'out');
    const first = new ArgoCdApp({ outdir });
    const c1 = new Chart(first, 'c');
    configMap(c1, 'x', 'keep', 'dev');
    configMap(c1, 'y', 'gone', 'dev');
    first.synth();
    const second = new ArgoCdApp({ outdir });
    configMap(new Chart(second, 'c'), 'x', 'keep', 'dev');
    second.synth();
    expect(Object.keys(readTree(outdir))).toEqual(['c/configmap_dev_keep.yaml']);
  });

  test('file names: the kind lowercased, every character but A-Z, a-z, 0-9, ., _ and - replaced by -', () => {
    const part = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'Z', '9', '.', '_', '-', '/', ':', ' ', 'ü', '\u{1F600}', '\\') });
    fc.assert(fc.property(part, part, fc.option(part, { nil: undefined }), (kind, name, namespace) => {
      const app = new ArgoCdApp({ outdir: tmpdir() });
      new ApiObject(new Chart(app, 'c'), 'x', { apiVersion: 'v1', kind, metadata: { name, namespace } } as any);
      const unsafe = (p: string) => p.replace(/[^A-Za-z0-9._-]/g, '-');
      const want = namespace ? `c/${unsafe(kind.toLowerCase())}_${unsafe(namespace)}_${unsafe(name)}.yaml` : `c/${unsafe(kind.toLowerCase())}_${unsafe(name)}.yaml`;
      expect(app.synthFiles().map((f) => f.path)).toEqual([want]);
    }), { numRuns: 60 });
  });

  test('fails when two objects would be written to the same file', () => {
    const app = new ArgoCdApp({ outdir: tmpdir() });
    const c = new Chart(app, 'c');
    configMap(c, 'x', 'settings', 'dev');
    configMap(c, 'y', 'settings', 'dev');
    expect(() => app.synthFiles()).toThrow("synthesis failed with 1 error:\n  [c/y] ConfigMap 'settings' is written to c/configmap_dev_settings.yaml, which [c/x] already writes; give one of them another name or namespace, or move one chart with OutputDirectory.set()");
  });

  test('reports every validation error at once', () => {
    const app = new ArgoCdApp({ outdir: tmpdir() });
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    a.node.addValidation({ validate: () => ['first'] });
    b.node.addValidation({ validate: () => ['second', 'third'] });
    let error: any;
    try {
      app.synthFiles();
    } catch (e) {
      error = e;
    }
    expect(ValidationError.isValidationError(error)).toBe(true);
    expect(error.message).toBe('synthesis failed with 3 errors:\n  [a] first\n  [b] second\n  [b] third');
  });

  test('manifest checks see every rendered object', () => {
    const app = new ArgoCdApp({ outdir: tmpdir() });
    const c = new Chart(app, 'c');
    configMap(c, 'x', 'one', 'dev');
    configMap(c, 'y', 'two', 'dev');
    const seen: string[] = [];
    const check: IManifestCheck = {
      check: (ms: RenderedManifest[]) => {
        seen.push(...ms.map((m) => `${m.constructPath} ${m.file}`));
        return ms.filter((m) => m.manifest.metadata.name === 'two').map((m) => `[${m.constructPath}] no twos`);
      },
    };
    app.addCheck(check);
    expect(() => app.synthFiles()).toThrow('[c/y] no twos');
    expect(seen).toEqual(['c/x c/configmap_dev_one.yaml', 'c/y c/configmap_dev_two.yaml']);
  });

  test('CDK8S_ARGOCD_OUTDIR overrides the output directory; CDK8S_OUTDIR gets links to its files', () => {
    const override = path.join(tmpdir(), 'override');
    const cli = path.join(tmpdir(), 'cli');
    process.env.CDK8S_ARGOCD_OUTDIR = override;
    process.env.CDK8S_OUTDIR = cli;
    try {
      const app = new ArgoCdApp({ outdir: path.join(tmpdir(), 'configured') });
      configMap(new Chart(app, 'c'), 'x', 'settings', 'dev');
      app.synth();
      expect(app.outdir).toBe(override);
      expect(Object.keys(readTree(override))).toEqual(['c/configmap_dev_settings.yaml']);
      expect(readTree(cli)).toEqual(readTree(override));
      // hard links: the bytes are written once
      const a = fs.statSync(path.join(cli, 'c/configmap_dev_settings.yaml'));
      const b = fs.statSync(path.join(override, 'c/configmap_dev_settings.yaml'));
      expect(a.ino).toBe(b.ino);
      // the next synthesis (into a CDK8S_OUTDIR that was not removed) links its own files
      const again = new ArgoCdApp({ outdir: path.join(tmpdir(), 'configured') });
      configMap(new Chart(again, 'c'), 'x', 'settings', 'prod');
      again.synth();
      expect(fs.statSync(path.join(cli, 'c/configmap_prod_settings.yaml')).ino).toBe(fs.statSync(path.join(override, 'c/configmap_prod_settings.yaml')).ino);
    } finally {
      delete process.env.CDK8S_ARGOCD_OUTDIR;
      delete process.env.CDK8S_OUTDIR;
    }
  });

  test('CDK8S_OUTDIR on another file system than the output gets copies', () => {
    const other = ['/dev/shm', os.tmpdir()].find((d) => fs.existsSync(d) && fs.statSync(d).dev !== fs.statSync(os.tmpdir()).dev);
    if (other === undefined) return; // one file system only: links always work here
    const cli = fs.mkdtempSync(path.join(other, 'argocd-app-cli-'));
    process.env.CDK8S_OUTDIR = path.join(cli, 'out');
    try {
      const outdir = path.join(tmpdir(), 'configured');
      const app = new ArgoCdApp({ outdir });
      configMap(new Chart(app, 'c'), 'x', 'settings', 'dev');
      configMap(new Chart(app, 'd'), 'y', 'other', 'dev');
      app.synth();
      expect(readTree(path.join(cli, 'out'))).toEqual(readTree(outdir));
    } finally {
      delete process.env.CDK8S_OUTDIR;
      fs.rmSync(cli, { recursive: true, force: true });
    }
  });

  test('fails when an output directory leaves the output root', () => {
    const app = new ArgoCdApp({ outdir: tmpdir() });
    const c = new Chart(app, 'c');
    expect(() => OutputDirectory.set(c, '../elsewhere')).toThrow("[c] output directory '../elsewhere' is not a relative path inside the output directory; use a path like 'apps/api/production' without '..', '\\' or a leading '/', each name at most 255 bytes");
    expect(() => OutputDirectory.set(c, '/abs')).toThrow(ValidationError);
    OutputDirectory.set(c, './apps//api/');
    expect(OutputDirectory.of(c)).toBe('apps/api');
  });

  test('nested charts default to their construct path', () => {
    const app = new ArgoCdApp({ outdir: tmpdir() });
    const outer = new Chart(app, 'production');
    const inner = new Chart(outer, 'api');
    expect(OutputDirectory.of(outer)).toBe('production');
    expect(OutputDirectory.of(inner)).toBe('production/api');
  });
});

describe('ArgoCdApp rendering within one synthesis', () => {
  function clusterFleet() {
    const app = new ArgoCdApp({ outdir: tmpdir() });
    const chart = new Chart(app, 'fleet');
    const secret = new ApiObject(chart, 'cluster-prod', {
      apiVersion: 'v1', kind: 'Secret',
      metadata: { name: 'cluster-prod', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'prod' } },
      stringData: { name: 'prod', server: 'https://prod.example.com' },
    } as any);
    // a cluster Secret is plaintext by design here; the guard wants that said
    PlaintextSecret.allow(secret, 'test fixture: a cluster without credentials');
    const project = AppProject.fromProjectName(chart, 'proj', 'default');
    new ApplicationSet(chart, 'api', {
      generators: [ApplicationSetGenerator.clusters({ selector: { matchLabels: { env: 'prod' } } })],
      template: {
        name: 'api-{{name}}',
        project,
        source: ApplicationSource.git({ repoUrl: 'https://github.com/example/repo.git', targetRevision: 'main', path: 'apps/api' }),
        destination: Destination.server('{{server}}', 'api'),
      },
    });
    let calls = 0;
    const toJson = secret.toJson.bind(secret);
    secret.toJson = () => {
      calls++;
      return toJson();
    };
    return { app, secret, calls: () => calls };
  }

  test('renders each object once although an ApplicationSet expansion also reads it', () => {
    const { app, calls } = clusterFleet();
    const files = app.synthFiles();
    expect(calls()).toBe(1);
    expect(files.map((f) => f.path)).toContain('fleet/secret_argocd_cluster-prod.yaml');
    app.synthFiles();
    expect(calls()).toBe(2);
  });

  test('a change between two syntheses shows in the second (nothing is kept from the first)', () => {
    const { app, secret } = clusterFleet();
    const first = app.synthFiles().find((f) => f.path === 'fleet/secret_argocd_cluster-prod.yaml')!;
    secret.metadata.addLabel('team', 'a');
    const second = app.synthFiles().find((f) => f.path === 'fleet/secret_argocd_cluster-prod.yaml')!;
    expect(first.manifest.metadata.labels.team).toBeUndefined();
    expect(second.manifest.metadata.labels.team).toBe('a');
    // and outside a synthesis, objects render afresh
    secret.metadata.addLabel('tier', 'gold');
    expect(_renderOnce(secret).metadata.labels.tier).toBe('gold');
  });
});
