// `import --check` failing: the comparison of the written program's output with the input, fed
// two object sets that differ, and the command's exit code and report when it finds differences.
// The import itself never hands the check a program that differs (every difference of its first
// synthesis becomes a JSON patch before the check runs), so the command is given an import result
// that holds differences.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, test, vi } from 'vitest';
import { runImport } from '../../lib/cli/import';
import { compare } from '../../lib/import/importer';
import { InputObject, plan } from '../../lib/import/program';

vi.mock('../../lib/import/importer', async (original) => {
  const actual: any = await original();
  return {
    ...actual,
    // the command's import, answering with one difference when asked to check
    importObjects: vi.fn(async (inputs: InputObject[], options: { check?: boolean } = {}) => ({
      program: 'app.synth();\n',
      objects: inputs.map((i) => ({ from: `${i.file}#${i.document}`, kind: i.manifest.kind, name: i.manifest.metadata.name, as: 'ApplicationSet', patched: [], to: 'applicationset_argocd_api.yaml' })),
      differences: options.check ? [{ from: '-#1', what: 'applicationset_argocd_api.yaml differs: spec.goTemplate (missing)' }] : [],
      checked: options.check === true,
      structure: [],
    })),
  };
});

const set = (name: string, extra: any = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name, namespace: 'argocd' },
  spec: { generators: [{ list: { elements: [{ env: 'dev' }] } }], template: { metadata: { name: '{{env}}' }, spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc' } } }, ...extra },
});

describe('the comparison', () => {
  const inputs: InputObject[] = [
    { file: 'sets/a.yaml', document: 1, manifest: set('a', { goTemplate: true }) },
    { file: 'sets/b.yaml', document: 1, manifest: set('b') },
  ];

  test('finds no difference when the synthesized objects are the input', () => {
    expect(compare(plan(inputs), inputs.map((i) => ({ file: `sets/applicationset_argocd_${i.manifest.metadata.name}.yaml`, manifest: i.manifest })))).toEqual([]);
  });

  test('names a changed field, a missing object and an extra one', () => {
    // GIVEN a synthesis where a lost its goTemplate, b is absent and c was never in the input
    const withoutGoTemplate = JSON.parse(JSON.stringify(inputs[0].manifest));
    delete withoutGoTemplate.spec.goTemplate;
    const synthesized = [
      { file: 'sets/applicationset_argocd_a.yaml', manifest: withoutGoTemplate },
      { file: 'sets/applicationset_argocd_c.yaml', manifest: set('c') },
    ];
    // THEN every difference is reported, object by object
    expect(compare(plan(inputs), synthesized)).toEqual([
      { from: 'sets/a.yaml#1', what: 'sets/applicationset_argocd_a.yaml differs: spec.goTemplate (missing)' },
      { from: 'sets/b.yaml#1', what: 'ApplicationSet argoproj.io/ApplicationSet/argocd/b is not synthesized' },
      { from: 'sets/applicationset_argocd_c.yaml', what: 'ApplicationSet argoproj.io/ApplicationSet/argocd/c is synthesized but not in the input' },
    ]);
  });
});

describe('import --check', () => {
  test('fails with exit 1 when the round trip differs, naming the object and the field', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'import-check-'));
    try {
      const stdout: string[] = [];
      const io = { stdout: { write: (s: string) => stdout.push(s) }, stderr: { write: () => true }, cwd: out, env: { NO_COLOR: '1' } };
      const yamlText = 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: { name: api, namespace: argocd }\nspec: {}\n';
      // WHEN the round trip finds a difference
      const code = await runImport(io, ['-'], { out: 'prog', check: true, stdinText: yamlText });
      // THEN the command exits 1 and says where
      expect(code).toBe(1);
      expect(stdout.join('')).toContain('round trip: -#1: applicationset_argocd_api.yaml differs: spec.goTemplate (missing)');
      expect(stdout.join('')).toContain('the round trip differs in 1 object');
      // and without --check there is nothing to compare: exit 0
      expect(await runImport(io, ['-'], { out: 'prog', stdinText: yamlText })).toBe(0);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
