import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { loadYamlDocuments } from '../../lib/_internal/yaml';
import { isCredentialName, isLiteral, looksLikeToken, scanObject, secretlintReports } from '../../lib/external-secrets/_secret-scan';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'secrets');
const credentials: { name: string; rule: string; parts?: string[]; manifest: any }[] = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'credentials.json'), 'utf-8')).cases;
const lookAlikes: { name: string; manifest: any; allow?: string[] }[] = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'look-alikes.json'), 'utf-8')).cases;

/** The case's manifest with its value put in (values are split in the fixture file). */
function manifestOf(c: { parts?: string[]; manifest: any }): any {
  if (!c.parts) return c.manifest;
  return JSON.parse(JSON.stringify(c.manifest).replace('"@@"', JSON.stringify(c.parts.join(''))));
}

function valueOf(c: { parts?: string[] }): string {
  return (c.parts ?? []).join('');
}

describe('secret scan: the credential corpus', () => {
  test('holds at least 50 shapes, from the secretlint preset and from the attacks on the guard', () => {
    expect(credentials.length).toBeGreaterThanOrEqual(50);
    expect(credentials.filter((c) => c.rule.startsWith('secretlint/')).length).toBeGreaterThanOrEqual(30);
    expect(credentials.filter((c) => c.rule.startsWith('kubernetes/')).length).toBeGreaterThanOrEqual(30);
  });

  test.each(credentials.map((c) => [c.name, c] as const))('fails when the object holds %s', (_name, c) => {
    const findings = scanObject(manifestOf(c), 'apps/object.yaml');
    expect(findings.flatMap((f) => f.rule.split(', ')).some((r) => r.startsWith(c.rule))).toBe(true);
    // never the value in what is reported
    const value = valueOf(c);
    if (value !== '') for (const f of findings) expect(`${f.path} ${f.rule} ${f.what}`).not.toContain(value.slice(0, 12));
  });
});

describe('secret scan: look-alikes pass', () => {
  test.each(lookAlikes.map((c) => [c.name, c] as const))('passes %s', (_name, c) => {
    expect(scanObject(c.manifest, 'apps/object.yaml', c.allow ? { keys: new Set(c.allow) } : undefined)).toEqual([]);
  });

  test('passes every committed example output and every seed manifest', () => {
    const files = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true })
      .flatMap((e) => e.isDirectory() ? files(path.join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(d, e.name)] : []);
    const root = path.join(__dirname, '..', '..');
    const seeds = path.resolve(root, process.env.CRDS_DIR ? path.join(process.env.CRDS_DIR, '..') : '../shared', 'reference', 'seed-manifests');
    const all = [...files(path.join(root, 'examples')), ...(fs.existsSync(seeds) ? files(seeds) : [])];
    expect(all.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const f of all) {
      for (const doc of loadYamlDocuments(fs.readFileSync(f, 'utf-8'))) {
        // the examples' cluster Secrets are allowed by the library (ClusterSecret) for their keys
        const allow = doc?.kind === 'Secret' && doc?.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster'
          ? { keys: new Set(Object.keys(doc.stringData ?? {})) } : undefined;
        for (const x of scanObject(doc, f, allow)) found.push(`${f} ${x.path} ${x.rule}`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe('secret scan: the synchronous driver of secretlint\'s rules agrees with @secretlint/core', () => {
  test('same findings (rule, message id, range) on every corpus value and every look-alike', async () => {
    const core: any = await import('@secretlint/core');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const preset = require('@secretlint/secretlint-rule-preset-recommend');
    const texts = [
      ...credentials.map(valueOf).filter((v) => v !== ''),
      ...lookAlikes.map((c) => JSON.stringify(c.manifest, null, 1)),
      ...credentials.map((c) => JSON.stringify(manifestOf(c), null, 1)),
    ];
    for (const content of texts) {
      const result = await core.lintSource({
        source: { content, filePath: '/repo/apps/object.yaml', ext: '.yaml', contentType: 'text' },
        options: { config: { rules: [{ id: preset.creator.meta.id, rule: preset.creator }] } },
      });
      const expected = result.messages.map((m: any) => `${String(m.ruleId).replace(/^@secretlint\/secretlint-rule-/, 'secretlint/')}/${m.messageId} ${m.range[0]}-${m.range[1]}`).sort();
      const actual = secretlintReports(content, '/repo/apps/object.yaml').map((r) => `${r.rule} ${r.start}-${r.end}`).sort();
      expect(actual).toEqual(expected);
    }
  });

  test('secretlint-disable comments in a value switch nothing off', () => {
    const token = ['ghp_', 'Zk3mQ9vT2xLp8RwY4nBc6HdJ1sFgA7eUoKiM'].join('');
    expect(secretlintReports(`# secretlint-disable\n${token}\n`, 'x.yaml').map((r) => r.rule)).toEqual(['secretlint/github/GITHUB_TOKEN']);
  });
});

describe('secret scan: names and values', () => {
  test('credential names', () => {
    for (const n of ['password', 'db.password', 'DB_PASSWORD', 'bearerToken', 'X-Api-Key', 'clientSecret', 'Authorization', 'privateKey', 'auth.postgresPassword', 'example.com/token', 'apiKey']) {
      expect([n, isCredentialName(n)]).toEqual([n, true]);
    }
    for (const n of ['secretKey', 'passwordSecret', 'existingSecret', 'auth.existingSecret', 'tokenTTL', 'username', 'secretName', 'key', 'usePasswordFiles', 'TOKEN_FILE', 'passwordSecretRef', 'adminPasswordKey']) {
      expect([n, isCredentialName(n)]).toEqual([n, false]);
    }
  });

  test('references are not literals', () => {
    for (const v of ['$slack-token', 'Bearer $webhook-token', '<path:secret/data/db#password>', '{{ .password }}', '${DB_PASSWORD}', '$(TOKEN)', '', '  ']) {
      expect([v, isLiteral(v)]).toEqual([v, false]);
    }
    for (const v of ['hunter2', 'Bearer abc123', 'pa$$word']) expect([v, isLiteral(v)]).toEqual([v, true]);
  });

  test('tokens and what looks like one', () => {
    for (const v of ['Zk3mQ9vT2xLp8RwY4nBc6HdJ1sFg', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcmdvIn0.c2lnbmF0dXJl', '3f786850e387550fdab836ed7e6dc881']) {
      expect([v, looksLikeToken(v)]).toEqual([v, true]);
    }
    for (const v of ['prod-europe-west1-cluster-01', 'arn:aws:iam::123456789012:role/argocd', '/usr/local/bin/aws-iam-authenticator', 'client.authentication.k8s.io/v1beta1', 'eu-west-1']) {
      expect([v, looksLikeToken(v)]).toEqual([v, false]);
    }
  });
});
