// Runs every ```ts block of README.md, so the documentation cannot drift from the API. Each block
// gets the library's exports, cdk8s' Chart/Duration/ApiObject and cdk8s-plus as `kplus` in scope,
// plus an `app` and a `chart` unless it declares its own; then the app must synthesize cleanly.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
const blocks = [...fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const work = fs.mkdtempSync(path.join(ROOT, 'test', '.readme-'));
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-out-'));

beforeAll(() => {
  process.env.CDK8S_ARGOCD_OUTDIR = outdir;
});
afterAll(() => {
  delete process.env.CDK8S_ARGOCD_OUTDIR;
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(outdir, { recursive: true, force: true });
});

let names: string[] = [];
beforeAll(async () => {
  names = Object.keys(await import(LIB)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
});

function moduleFor(block: string): string {
  const body = block.replace(/^import [\s\S]*?from '[^']*';\n/gm, '');
  const declares = (name: string) => new RegExp(`(const|let) ${name}\\b`).test(body);
  return [
    "import { ApiObject, Chart, Duration } from 'cdk8s';",
    "import * as kplus from 'cdk8s-plus-28';",
    `import * as L from ${JSON.stringify(LIB)};`,
    `const { ${names.join(', ')} } = L as any;`,
    declares('app') ? '' : 'const app = new L.ArgoCdApp();',
    declares('chart') || declares('app') ? '' : "const chart = new Chart(app, 'readme');",
    body,
    'export { app, ApiObject, Duration, kplus };',
  ].join('\n');
}

describe('README', () => {
  test('has TypeScript examples', () => {
    expect(blocks.length).toBeGreaterThan(3);
  });

  blocks.forEach((block, i) => {
    test(`example ${i + 1} runs and synthesizes (${block.split('\n').find((l) => l.trim() && !l.startsWith('import'))?.trim().slice(0, 60)})`, async () => {
      const file = path.join(work, `block${i}.ts`);
      fs.writeFileSync(file, moduleFor(block));
      const mod = await import(file);
      expect(mod.app.synthFiles().length).toBeGreaterThan(0);
    });
  });
});
