// What the npm package weighs: the tarball and its unpacked size (npm pack --dry-run), each bundled
// dependency's install size (its package and the packages it depends on, as installed in
// node_modules; a package two of them share counts in both) and load time (require() in a fresh
// Node process, median of several runs), and the library's own load time from build/ with the
// bundled dependencies it loads. Needs npm run build.
//   node scripts/package-weight.mjs [--runs N] [--json]
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || (args.includes('--runs') ? NaN : 5);
if (!Number.isInteger(runs) || runs < 1) { console.error('--runs takes a whole number, 1 or more'); process.exit(2); }
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8'));

/** The directory `name` resolves to from `from` (node_modules lookup, as Node does it). */
function resolveDir(name, from) {
  for (let d = from; ; d = path.dirname(d)) {
    const p = path.join(d, 'node_modules', name);
    if (fs.existsSync(path.join(p, 'package.json'))) return p;
    if (d === path.dirname(d)) return undefined;
  }
}
function dirBytes(dir, skip) {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (!(e.name === 'node_modules' && skip)) n += dirBytes(p, skip); } else if (e.isFile()) n += fs.statSync(p).size;
  }
  return n;
}
/** Bytes of `name` and every package it depends on (production dependencies), each once. */
function installBytes(name) {
  const seen = new Set();
  const todo = [resolveDir(name, root)];
  let bytes = 0;
  while (todo.length) {
    const dir = todo.pop();
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    bytes += dirBytes(dir, true);
    const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf-8'));
    for (const d of Object.keys({ ...p.dependencies, ...p.optionalDependencies })) todo.push(resolveDir(d, dir));
  }
  return { bytes, packages: seen.size };
}
/** Median milliseconds of require(`target`) in a fresh process, and the bundled packages it loaded. */
function loadTime(target) {
  const code = `const t = process.hrtime.bigint(); require(${JSON.stringify(target)}); const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const names = new Set(); for (const m of Object.keys(require.cache)) { const i = m.lastIndexOf('node_modules/'); if (i < 0) continue; const r = m.slice(i + 13).split('/'); names.add(r[0].startsWith('@') ? r[0] + '/' + r[1] : r[0]); }
    process.stdout.write(JSON.stringify({ ms, names: [...names] }));`;
  const times = [];
  let names = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf-8' });
    if (r.status !== 0) throw new Error(`require(${target}) failed: ${r.stderr}`);
    const o = JSON.parse(r.stdout);
    times.push(o.ms);
    names = o.names;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], names };
}

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];
const deps = (pkg.bundledDependencies ?? []).map((name) => ({ name, ...installBytes(name), load: loadTime(name).ms }));
const library = loadTime(path.join(root, 'build', 'lib', 'index.js'));
const report = {
  tarballBytes: packed.size,
  unpackedBytes: packed.unpackedSize,
  files: packed.entryCount,
  bundled: deps.map((d) => ({ name: d.name, installBytes: d.bytes, packages: d.packages, loadMs: Number(d.load.toFixed(1)) })),
  libraryLoadMs: Number(library.ms.toFixed(1)),
  bundledLoadedByLibrary: (pkg.bundledDependencies ?? []).filter((n) => library.names.includes(n)),
};
if (args.includes('--json')) { console.log(JSON.stringify(report, null, 2)); process.exit(0); }
console.log(`tarball ${mb(report.tarballBytes)}, unpacked ${mb(report.unpackedBytes)} in ${report.files} files`);
console.log('| bundled dependency | install size (with its dependencies) | packages | load time |');
console.log('| --- | ---: | ---: | ---: |');
for (const d of report.bundled) console.log(`| ${d.name} | ${mb(d.installBytes)} | ${d.packages} | ${d.loadMs} ms |`);
console.log(`library (build/lib/index.js): ${report.libraryLoadMs} ms to load (median of ${runs}); bundled dependencies it loads: ${report.bundledLoadedByLibrary.join(', ') || 'none'}`);
