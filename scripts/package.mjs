// npm run package: the jsii packages of every language into dist/ (jsii-pacmak), from the build
// in build/ and .jsii (npm run build first).
//   dist/python  the wheel and sdist (PyPI cdk8s-argocd, module cdk8s_argocd)
//   dist/java    the Maven repository (io.github.cdk8s-argocd:cdk8s-argocd)
//   dist/go      the Go module (github.com/cdk8s-argocd/cdk8s-argocd-go/cdk8sargocd)
//   dist/dotnet  the C# sources only (no .NET SDK here: generated, neither built nor tested)
// Java and Go are built with -R: Maven Central and the Go module proxy reached from here do not
// serve org.cdk8s nor cdk8s-core-go/cdk8s-plus-go, so jsii-pacmak also generates the bindings of
// cdk8s, cdk8s-plus-28 and constructs from their npm packages (the versions package.json pins) into
// node_modules/<package>/dist/, where the language tests find them.
// Usage: node scripts/package.mjs [python] [java] [go] [dotnet]   (default: all four)
import { spawnSync } from 'node:child_process';

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
if (recursive.length) pacmak(['-R', ...recursive.flatMap((t) => ['--targets', t])]);
if (wanted.includes('dotnet')) pacmak(['--code-only', '--targets', 'dotnet']);
