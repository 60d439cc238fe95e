import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { PlaintextSecret, PlaintextSecretGuard } from '../../lib/external-secrets/plaintext-secret-guard';

// a documentation example that the scanner reads as a URL with a password
const SAMPLE_URL = 'https://user:example@registry.example.com/charts';

function app() {
  const a = new ArgoCdApp({ outdir: Testing.app().outdir });
  return { app: a, chart: new Chart(a, 'prod', { namespace: 'production' }) };
}

function problems(a: ArgoCdApp): string[] {
  try {
    a.synthFiles();
    return [];
  } catch (e: any) {
    return String(e.message).split('\n').slice(1).map((l) => l.trim());
  }
}

/** The path and rules a message names. */
function finding(line: string): { path: string; rules: string[] } {
  const m = /^\[[^\]]*\] \S+ (.*?): .* \(rule ([^)]+)\);/.exec(line);
  if (!m) throw new Error(`not a finding: ${line}`);
  return { path: m[1], rules: m[2].split(', ') };
}

function docs(chart: Chart, data: Record<string, string>) {
  return new ApiObject(chart, 'docs', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'docs' }, data });
}

describe('PlaintextSecret.waive()', () => {
  test('a finding fails until each rule at its path is waived with the path and rules the message names', () => {
    const { app: a, chart } = app();
    const cm = docs(chart, { example: SAMPLE_URL });
    const lines = problems(a);
    expect(lines).toHaveLength(1);
    const { path, rules } = finding(lines[0]);
    expect(path).toEqual('data.example');
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) PlaintextSecret.waive(cm, { path, rule, reason: 'documentation example, no such user' });
    const [file] = a.synthFiles();
    expect(file.manifest.data).toEqual({ example: SAMPLE_URL });
    expect(JSON.parse(file.manifest.metadata.annotations[PlaintextSecret.WAIVED_ANNOTATION]))
      .toEqual(rules.map((rule) => ({ path: 'data.example', rule, reason: 'documentation example, no such user' })));
  });

  test('waiving only some of the rules of a finding leaves it failing', () => {
    const { app: a, chart } = app();
    const cm = docs(chart, { example: SAMPLE_URL });
    const { path, rules } = finding(problems(a)[0]);
    expect(rules).toEqual(['kubernetes/url-credentials', 'secretlint/basicauth/BasicAuth']);
    PlaintextSecret.waive(cm, { path, rule: rules[0], reason: 'x' });
    expect(problems(a).map((l) => finding(l))).toEqual([{ path, rules }]);
    PlaintextSecret.waive(cm, { path, rule: rules[1], reason: 'x' });
    expect(problems(a)).toEqual([]);
  });

  test('a waiver covers its own path and object only', () => {
    const { app: a, chart } = app();
    const cm = docs(chart, { example: SAMPLE_URL, other: SAMPLE_URL });
    const other = new ApiObject(chart, 'docs2', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'docs2' }, data: { example: SAMPLE_URL } });
    const all = problems(a);
    expect(all.map((l) => `${l.slice(0, l.indexOf(']') + 1)} ${finding(l).path}`)).toEqual([
      '[prod/docs] data.example', '[prod/docs] data.other', '[prod/docs2] data.example',
    ]);
    for (const rule of finding(all[0]).rules) PlaintextSecret.waive(cm, { path: 'data.example', rule, reason: 'sample' });
    expect(problems(a).map((l) => `${l.slice(0, l.indexOf(']') + 1)} ${finding(l).path}`)).toEqual([
      '[prod/docs] data.other', '[prod/docs2] data.example',
    ]);
    expect(other.node.path).toEqual('prod/docs2');
  });

  test('a waiver that matches no finding fails synthesis, naming the object, path and rule', () => {
    const { app: a, chart } = app();
    const cm = docs(chart, { example: 'https://registry.example.com/charts' });
    PlaintextSecret.waive(cm, { path: 'data.example', rule: 'kubernetes/url-credentials', reason: 'was a sample' });
    expect(problems(a)).toEqual([
      '[prod/docs] prod/configmap_production_docs.yaml data.example: PlaintextSecret.waive() for rule kubernetes/url-credentials matches no finding of the secret scan (a waiver covers one path and one rule, as the message names them; a finding with several rules needs each waived); remove the waiver or correct its path and rule',
    ]);
  });

  test("a Secret's values cannot be waived, only allowed", () => {
    const { chart } = app();
    const s = new kplus.Secret(chart, 's', { stringData: { a: 'b' } });
    expect(() => PlaintextSecret.waive(s, { path: 'stringData.a', rule: 'kubernetes/secret-with-values', reason: 'x' }))
      .toThrow("PlaintextSecret.waive() cannot waive rule kubernetes/secret-with-values; a Secret's keys are allowed with PlaintextSecret.allow(secret, '<reason>', [<keys>])");
  });

  test('empty fields are refused with the construct path', () => {
    const { chart } = app();
    const cm = docs(chart, {});
    expect(() => PlaintextSecret.waive(cm, { path: ' ', rule: 'r', reason: 'x' })).toThrow(/prod\/docs.*PlaintextSecret.waive\(\) path " " is empty/s);
    expect(() => PlaintextSecret.waive(cm, { path: 'data.a', rule: 'r', reason: '' })).toThrow(/reason "" is empty; give the reason the value is not a secret/);
  });

  test('the annotation written for reviewers waives nothing when set by hand', () => {
    const { app: a, chart } = app();
    const cm = docs(chart, { example: SAMPLE_URL });
    cm.metadata.addAnnotation(PlaintextSecret.WAIVED_ANNOTATION, JSON.stringify([{ path: 'data.example', rule: 'kubernetes/url-credentials', reason: 'trust me' }]));
    expect(problems(a)).toHaveLength(1);
  });

  test('PlaintextSecretGuard honours waivers found through its scope', () => {
    const chart = Testing.chart();
    const cm = docs(chart, { example: SAMPLE_URL });
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'docs' }, data: { example: SAMPLE_URL } };
    const entry = { manifest, constructPath: cm.node.path, file: 'configmap_docs.yaml' };
    const before = new PlaintextSecretGuard(chart).check([entry]);
    expect(before).toHaveLength(1);
    for (const rule of finding(before[0]).rules) PlaintextSecret.waive(cm, { path: 'data.example', rule, reason: 'sample' });
    expect(new PlaintextSecretGuard(chart).check([entry])).toEqual([]);
  });
});
