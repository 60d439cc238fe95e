import { spawnSync } from 'child_process';
import * as path from 'path';
import { describe, expect, test } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');

/** The npm packages a fresh Node process has loaded after running `code` (CommonJS, with tsx). */
function loadedPackages(code: string): string[] {
  const script = `
    require('tsx/cjs');
    ${code}
    const out = new Set();
    for (const m of Object.keys(require.cache)) {
      const i = m.lastIndexOf('node_modules/');
      if (i < 0) continue;
      const r = m.slice(i + 13).split('/');
      out.add(r[0].startsWith('@') ? r[0] + '/' + r[1] : r[0]);
    }
    process.stdout.write(JSON.stringify([...out].sort()));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf-8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

// The heavy bundled dependencies are loaded only by the feature that needs them:
// @kubernetes/client-node (about half the installed package) by Cluster.fromKubeconfig, ajv by
// CrdSchemaValidator, secretlint's preset by the plaintext-secret scan.
describe('loading the library', () => {
  const lib = "const lib = require('./lib/index.ts');";

  test('loads neither @kubernetes/client-node, ajv nor secretlint', () => {
    const loaded = loadedPackages(lib);
    expect(loaded).toContain('cdk8s'); // the probe sees the packages the library does load
    expect(loaded).not.toContain('@kubernetes/client-node');
    expect(loaded).not.toContain('ajv');
    expect(loaded.filter((p) => p.startsWith('@secretlint/'))).toEqual([]);
  });

  test('Cluster.fromKubeconfig loads @kubernetes/client-node', () => {
    const kubeconfig = path.join(ROOT, 'test', 'package', 'kubeconfig.yaml');
    const loaded = loadedPackages(`${lib} lib.Cluster.fromKubeconfig(${JSON.stringify(kubeconfig)}, 'dev');`);
    expect(loaded).toContain('@kubernetes/client-node');
  });

  test('a CrdSchemaValidator loads ajv when it first compiles a schema', () => {
    const crds = path.join(ROOT, 'test', 'package');
    const loaded = loadedPackages(`${lib} const v = lib.CrdSchemaValidator.fromDirectory(${JSON.stringify(crds)}, { cache: false }); `
      + "v.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } });");
    expect(loaded).toContain('ajv');
  });
});
