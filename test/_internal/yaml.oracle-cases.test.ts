// Cases of the yaml domain found against Go's reader (test/argo/yaml.argo.test.ts), replayed
// without Go: test/fixtures/oracle/yaml.json holds, for each string, what sigs.k8s.io/yaml over
// go-yaml v2 (go.yaml.in/yaml/v2 resolve.go, the reader of Argo CD v3.5.1 and kubectl) made of it
// written unquoted. Every string Go does not read back as itself must be quoted by the writer.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { dumpYaml, goResolvesNonString, loadYamlDocuments } from '../../lib/_internal/yaml';

interface Case { readonly string: string; readonly goReads?: unknown; readonly goError?: string }
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'oracle', 'yaml.json'), 'utf8'));
const cases: Case[] = fixture.cases;
const quoted: (Case & { readonly written: string })[] = fixture.quoted;

describe('YAML writer against go-yaml v2 resolve() (recorded oracle cases)', () => {
  test('the fixture holds the twelve strings of issue 28, each read by Go as a number', () => {
    const twelve = ['0X1F', '+0X1', '0B11', '0O17', '0O_7', '+_1', '0_8', '0_x10', '1e_5', '1e+_5', '1_e_5', '1e1_0'];
    for (const s of twelve) expect(typeof cases.find((c) => c.string === s)?.goReads, s).toBe('number');
  });

  test.each(cases.filter((c) => c.goError !== undefined || c.goReads !== c.string).map((c) => [c.string, c] as const))(
    '%j, which Go reads unquoted as something else, is quoted and stays a string', (s, c) => {
      expect(goResolvesNonString(s), JSON.stringify(c)).toBe(true);
      for (const doc of [{ v: s }, { [s]: 'x' }, { l: [s] }]) {
        const text = dumpYaml(doc);
        expect(text).not.toContain(` ${s}\n`);
        expect(text.startsWith(`${s}:`)).toBe(false);
        expect(loadYamlDocuments(text)).toEqual([doc]);
      }
    });

  test.each(cases.filter((c) => c.goError === undefined && c.goReads === c.string).map((c) => [c.string] as const))(
    '%j, which Go reads unquoted as the same string, round-trips', (s) => {
      expect(loadYamlDocuments(dumpYaml({ v: s }))).toEqual([{ v: s }]);
    });

  test.each(quoted.filter((c) => c.goError !== undefined || c.goReads !== c.string).map((c) => [c.string, c] as const))(
    '%j, which Go misreads or refuses double-quoted raw, is written with the character escaped', (s, c) => {
      for (const doc of [{ v: s }, { [s]: 'x' }, { l: [s] }]) {
        const text = dumpYaml(doc);
        expect(text, JSON.stringify(c)).not.toMatch(/[\u007f-\u009f\u2028\u2029]/);
        expect(loadYamlDocuments(text)).toEqual([doc]);
      }
    });
});
