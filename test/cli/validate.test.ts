import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { validationProblems } from '../../lib/cli/validate';
import { cli, makeProject, snapshot } from './_fixture';

/** A minimal Application CRD, so that the test does not depend on a CRD folder. */
const APPLICATION_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: applications.argoproj.io
spec:
  group: argoproj.io
  names: { kind: Application, plural: applications }
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: { type: string }
            kind: { type: string }
            metadata: { type: object }
            spec:
              type: object
              properties:
                project: { type: string }
                source:
                  type: object
                  properties:
                    repoURL: { type: string }
                    path: { type: string }
                    targetRevision: { type: string }
                destination:
                  type: object
                  properties:
                    server: { type: string }
                    name: { type: string }
                    namespace: { type: string }
`;

describe('validationProblems', () => {
  it('splits a ValidationError message into its problems', () => {
    expect(validationProblems('synthesis failed with 2 errors:\n  [a] x is wrong\n  [b] y is wrong')).toEqual(['[a] x is wrong', '[b] y is wrong']);
    expect(validationProblems('something odd')).toEqual(['something odd']);
  });
});

describe('cdk8s-argocd validate (end to end)', () => {
  const dir = makeProject();
  const crds = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-crds-'));
  fs.writeFileSync(path.join(crds, 'application.yaml'), APPLICATION_CRD);
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(crds, { recursive: true, force: true });
  });

  it("fails with exit code 1 and the app's validation errors, writing nothing", async () => {
    const before = snapshot(dir);
    const r = await cli(dir, ['validate'], { FIXTURE_MODE: 'invalid' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('✗ [apps] spec.source is missing: an Application needs at least one source\nvalidation failed: 1 problem\n');
    expect(snapshot(dir)).toEqual(before);
  });

  it('fails when an object has a field its CRD does not define (--crds, --json)', async () => {
    const r = await cli(dir, ['validate', '--crds', crds, '--json'], { FIXTURE_MODE: 'unknown-field', XDG_CACHE_HOME: crds });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      validationErrors: [],
      schemaProblems: [{
        file: 'dist/apps/application_argocd_odd.yaml',
        kind: 'Application',
        name: 'odd',
        pointer: '/spec/source',
        message: "must NOT have additional properties 'targetRevison'",
      }],
      warnings: [],
      summary: 'validation failed: 1 schema problem in 1 file',
    });
  });

  it('keeps compiled schemas in the user cache when the project has no node_modules; later runs, and runs without a writable cache, report the same', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-cache-'));
    try {
      const env = { FIXTURE_MODE: 'unknown-field', XDG_CACHE_HOME: cache };
      const first = await cli(dir, ['validate', '--crds', crds, '--json'], env);
      expect(first.code).toBe(1);
      const entries = fs.readdirSync(path.join(cache, 'cdk8s-argocd', 'crd-schemas'));
      expect(entries).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.cjs$/)]);
      expect(await cli(dir, ['validate', '--crds', crds, '--json'], env)).toEqual(first);
      const blocked = path.join(cache, 'not-a-folder');
      fs.writeFileSync(blocked, '');
      expect(await cli(dir, ['validate', '--crds', crds, '--json'], { ...env, XDG_CACHE_HOME: blocked })).toEqual(first);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('fails with exit code 2 when the CRD folder does not exist', async () => {
    const r = await cli(dir, ['validate', '--crds', 'no-such-folder']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --crds no-such-folder: no such folder\n');
  });

  it('fails when the app writes a file that is not valid YAML, or a document that is not a Kubernetes object', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-bad-yaml-'));
    try {
      const writer = path.join(scratch, 'writer.js');
      fs.writeFileSync(writer, [
        "const fs = require('fs'), path = require('path');",
        'const out = process.env.CDK8S_OUTDIR;',
        'fs.mkdirSync(out, { recursive: true });',
        "fs.writeFileSync(path.join(out, 'broken.yaml'), 'kind: ConfigMap\\nmetadata: [1\\n');",
        "fs.writeFileSync(path.join(out, 'scalar.yaml'), 'just text\\n');",
        "fs.writeFileSync(path.join(out, 'fine.yaml'), 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: x\\n');",
      ].join('\n'));
      const r = await cli(scratch, ['validate', '--app', `${process.execPath} ${writer}`, '--json']);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out.schemaProblems.map((p: any) => [p.file, p.message.replace(/:.*/s, '')])).toEqual([
        ['dist/broken.yaml', 'is not valid YAML'],
        ['dist/scalar.yaml', 'is not a Kubernetes object'],
      ]);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('fails with exit code 2 when the app synthesizes nothing', async () => {
    const r = await cli(dir, ['validate', '--app', 'true']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: 'true' exited 0 but synthesized no files");
  });
});
