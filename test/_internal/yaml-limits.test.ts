import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { YAML_MAX_ALIAS_NODES, YAML_MAX_BYTES, YamlLimitError, loadYaml, loadYamlDocuments } from '../../lib/_internal/yaml';
import { readYamlPath } from '../../lib/cli/_repo';
import { loadGoYaml } from '../../lib/argocd/preview/_go-values';

/** A "billion laughs" ApplicationSet: `levels` anchors, each a list of ten aliases of the one before. */
function laughs(levels: number): string {
  const lines = ['apiVersion: argoproj.io/v1alpha1', 'kind: ApplicationSet', 'metadata:', '  name: lol', 'x:', '  l0: &l0 ["lol"]'];
  for (let i = 1; i <= levels; i++) {
    lines.push(`  l${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}]`);
  }
  lines.push('spec:', '  generators:', '    - list:', `        elements: [*l${levels}]`, '  template: {}');
  return `${lines.join('\n')}\n`;
}

describe('YAML load bounds', () => {
  it('fails when aliases expand a document past the bound (a billion laughs), naming the file and the limit', () => {
    expect(() => loadYamlDocuments(laughs(9), { source: 'apps/lol.yaml' })).toThrow(YamlLimitError);
    expect(() => loadYamlDocuments(laughs(9), { source: 'apps/lol.yaml' })).toThrow(
      new RegExp(`^apps/lol\\.yaml, document 1: its aliases expand it to more than \\d+ nodes .*aliases may add at most ${YAML_MAX_ALIAS_NODES} nodes to a document`));
  });

  it('fails before expanding: 10^40 nodes are refused (walking them would never end)', () => {
    expect(() => loadYaml(laughs(40), { source: 'deep.yaml' })).toThrow(/^deep\.yaml, document 1: its aliases expand it/);
  });

  it('fails when an alias refers to a node that contains it', () => {
    expect(() => loadYamlDocuments('a: &a [1, *a]\n', { source: 'cycle.yaml' })).toThrow(/cycle\.yaml, document 1: an alias refers to a node that contains it/);
  });

  it('names the document of a stream that expands too far', () => {
    const text = `a: 1\n---\n${laughs(7)}`;
    expect(() => loadYamlDocuments(text, { source: 's.yaml' })).toThrow(/^s\.yaml, document 2: /);
  });

  it('keeps ordinary aliases and merge keys', () => {
    const text = 'defaults: &d {replicas: 2, image: nginx}\nprod: {<<: *d, replicas: 3}\nlist: [*d, *d]\n';
    expect(loadYamlDocuments(text)).toEqual([jsyaml.load(text)]);
    // up to the bound aliases are fine: 5 levels of ten is 10^5 nodes
    expect(() => loadYaml(laughs(5))).not.toThrow();
  });

  it('fails when the text is larger than the byte bound, before parsing', () => {
    const text = `a: "${'x'.repeat(YAML_MAX_BYTES)}"\n`;
    expect(() => loadYamlDocuments(text, { source: 'big.yaml' })).toThrow(
      new RegExp(`^big\\.yaml: ${YAML_MAX_BYTES + 6} bytes of YAML, more than the limit of ${YAML_MAX_BYTES} bytes`));
  });

  it('counts bytes, not characters, against the byte bound', () => {
    const text = `a: "${'é'.repeat(YAML_MAX_BYTES / 2 + 1)}"\n`;
    expect(() => loadYaml(text)).toThrow(/^YAML: \d+ bytes of YAML, more than the limit/);
  });

  it('fails in the readers of preview and graph (readYamlPath), naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lol-'));
    try {
      fs.mkdirSync(path.join(dir, 'apps'));
      fs.writeFileSync(path.join(dir, 'apps', 'lol.yaml'), laughs(9));
      expect(() => readYamlPath(path.join(dir, 'apps'), dir)).toThrow(/^apps\/lol\.yaml, document 1: its aliases expand it/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails in the Helm values reader of the preview (sigs.k8s.io/yaml decoding)', () => {
    expect(() => loadGoYaml(laughs(9))).toThrow(YamlLimitError);
  });
});
