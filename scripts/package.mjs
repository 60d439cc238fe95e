// npm run package: the jsii packages of every language into dist/ (jsii-pacmak), from the build
// in build/ and .jsii (npm run build first).
//   dist/python  the wheel and sdist (PyPI cdk8s-argocd, module cdk8s_argocd)
//   dist/java    the Maven repository (io.github.cdk8s-argocd:cdk8s-argocd)
//   dist/go      the Go module (github.com/cdk8s-argocd/cdk8s-argocd-go/cdk8sargocd)
//   dist/dotnet  the C# sources only (no .NET SDK here: generated, neither built nor tested)
// Java and Go are built with -R: Maven Central and the Go module proxy reached from here do not
// serve org.cdk8s nor cdk8s-core-go/cdk8s-plus-go, so jsii-pacmak also generates the bindings of
// cdk8s, cdk8s-plus-28 and constructs from their npm packages (the versions package.json pins) into
// node_modules/<package>/dist/, where the language tests find them (and a cache, see below).
// Usage: node scripts/package.mjs [python] [java] [go] [dotnet]   (default: all four)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const all = ['python', 'java', 'go', 'dotnet'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const t of wanted) if (!all.includes(t)) { console.error(`unknown target '${t}'; use ${all.join(', ')}`); process.exit(2); }

function pacmak(args) {
  const started = Date.now();
  const r = spawnSync('npx', ['jsii-pacmak', '--no-npmignore', ...args], { stdio: 'inherit', env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' } });
  console.log(`jsii-pacmak ${args.join(' ')}: ${r.status === 0 ? 'ok' : 'failed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) process.exit(1);
}

if (wanted.includes('python')) pacmak(['--targets', 'python']);
const recursive = wanted.filter((t) => t === 'java' || t === 'go');
// The bindings of cdk8s, cdk8s-plus-28 and constructs take most of the time (Java: minutes) and
// change only with package-lock.json: they are kept under $LANGUAGES_CACHE, keyed by it, and
// put back into node_modules before jsii-pacmak runs (whose fingerprints then skip them).
const root = path.resolve(import.meta.dirname, '..');
const cache = path.join(process.env.LANGUAGES_CACHE ?? path.join(os.homedir(), '.cache', 'cdk8s-argocd-languages'),
  `pacmak-deps-${createHash('sha256').update(fs.readFileSync(path.join(root, 'package-lock.json'))).digest('hex').slice(0, 16)}`);
const deps = ['cdk8s', 'cdk8s-plus-28', 'constructs'];
if (recursive.length) {
  for (const d of deps) {
    for (const t of recursive) {
      const from = path.join(cache, d, t);
      const to = path.join(root, 'node_modules', d, 'dist', t);
      if (fs.existsSync(from) && !fs.existsSync(to)) fs.cpSync(from, to, { recursive: true });
    }
  }
  pacmak(['-R', ...recursive.flatMap((t) => ['--targets', t])]);
  for (const d of deps) {
    for (const t of recursive) {
      const from = path.join(root, 'node_modules', d, 'dist', t);
      const to = path.join(cache, d, t);
      if (fs.existsSync(from) && !fs.existsSync(to)) fs.cpSync(from, to, { recursive: true });
    }
  }
}
if (wanted.includes('dotnet')) pacmak(['--code-only', '--targets', 'dotnet']);
