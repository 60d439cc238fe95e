#!/usr/bin/env node
// Regenerates the L1 bindings in imports/ from upstream CRD files with `cdk8s import`.
//
//   npm run import                 # CRDs from ../shared/crds
//   npm run import -- /path/crds   # or CRDS_DIR=/path/crds npm run import
//   npm run import -- --online     # the pinned upstream URLs listed in cdk8s.yaml's imports:
//
// The CRD folder must hold argo-cd/ and external-secrets/ with the upstream file names.
// Only the generated TypeScript is committed; the CRDs themselves never are.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// run by tsx (npm run import): the rewrite of the conversions is the one the synthesis applies
import { assignDefinedFields, JSON2JSII_FILTER } from '../lib/_internal/json2jsii.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const online = process.argv[2] === '--online';
const crds = resolve(online ? '.' : process.argv[2] ?? process.env.CRDS_DIR ?? join(root, '..', 'shared', 'crds'));

/** module name, CRD file (relative to the CRD folder), class prefix */
const IMPORTS = [
  ['application', 'argo-cd/application-crd.yaml', 'Argo'],
  ['appproject', 'argo-cd/appproject-crd.yaml', 'Argo'],
  ['applicationset', 'argo-cd/applicationset-crd.yaml', 'Argo'],
  ['externalsecret', 'external-secrets/external-secrets.io_externalsecrets.yaml', 'Eso'],
  ['clusterexternalsecret', 'external-secrets/external-secrets.io_clusterexternalsecrets.yaml', 'Eso'],
  ['secretstore', 'external-secrets/external-secrets.io_secretstores.yaml', 'Eso'],
  ['clustersecretstore', 'external-secrets/external-secrets.io_clustersecretstores.yaml', 'Eso'],
  ['pushsecret', 'external-secrets/external-secrets.io_pushsecrets.yaml', 'Eso'],
];

/** The URL cdk8s.yaml pins for a module, for --online. */
function onlineSpec(name) {
  const line = readFileSync(join(root, 'cdk8s.yaml'), 'utf-8').split('\n').find((l) => l.trim().startsWith(`- ${name}:=`));
  if (!line) throw new Error(`cdk8s.yaml names no import '${name}'`);
  return line.trim().slice(2);
}

for (const [, file] of online ? [] : IMPORTS) {
  if (!existsSync(join(crds, file))) {
    console.error(`import: ${join(crds, file)} not found; pass the CRD folder as the first argument or CRDS_DIR`);
    process.exit(2);
  }
}

/**
 * jsii rejects properties named like Java getters (`getXxx`). The generated structs keep such a
 * property for TypeScript users, marked `@jsii ignore` so that the assembly leaves it out.
 */
function jsiiCompatible(source) {
  return source.replace(/(\n(\s*)\* @schema [^\n]*#get[A-Z][^\n]*\n)(\s*\*\/\n\s*readonly get[A-Z])/g,
    '$1$2* @jsii ignore\n$3');
}

/**
 * The generated `toJson_*` conversions drop undefined values with
 * `Object.entries(x).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})`,
 * which copies the object once per property: at fleet scale that is most of the garbage an L1
 * conversion leaves (and a large share of a synthesis' peak memory). The same result, built once:
 * keys in the same order, undefined values left out, a `__proto__` key kept as an own property as
 * the object literal keeps it.
 */
const FILTER = 'Object.entries($1).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})';
/** The module (in imports/, not exported as L1) that holds the replacement. */
const HELPERS = '_defined-only';
const HELPERS_SOURCE = `
/**
 * \`${FILTER.replace('$1', 'x')}\`, without a copy per property.
 *
 * @internal
 */
export function definedOnly(x: any): Record<string, any> {
  // Object.entries() throws for null and undefined, where for...in would not iterate: the same error
  if (x === null || x === undefined) Object.keys(x);
  const out: Record<string, any> = plainObject();
  // for...in with an own-property test: the same keys in the same order as Object.entries(), without
  // an array per entry (half the time on a fleet's conversions)
  for (const k in x) {
    if (!hasOwn.call(x, k)) continue;
    const v = x[k];
    if (v === undefined) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

/**
 * A new ordinary object (prototype \`Object.prototype\`, \`constructor\` \`Object\`), indistinguishable
 * from \`{}\`, whose hidden classes start from a root of their own: V8 keeps at most about 1,500
 * transitions from one map, and code that fills \`{}\` objects with data keys (an Ingress's rules
 * keyed by host in cdk8s-plus) can use up those of \`{}\`'s root map on a fleet, after which every
 * object built from \`{}\` gets hidden classes of its own.
 *
 * @internal
 */
export function plainObject(): Record<string, any> {
  return new (PlainObject as any)();
}

const hasOwn = Object.prototype.hasOwnProperty;

function PlainObject(this: object): void {
  // an ordinary object with Object.prototype: nothing to set
}
PlainObject.prototype = Object.prototype;
`;

/**
 * The filter replaced by `definedOnly()`, and each conversion of an object type rewritten to assign
 * its defined fields to one new object instead of copying a literal (`assignDefinedFields`, the
 * rewrite the synthesis applies to other packages' bindings).
 */
function withoutCopyPerProperty(source) {
  const filtered = source.replace(JSON2JSII_FILTER, 'definedOnly($1)');
  if (filtered === source) return source;
  if (/Object\.entries\([^\n]*\.reduce\(\(r, i\)/.test(filtered)) throw new Error('import: a filter the post-processing does not recognise');
  const replaced = assignDefinedFields(filtered, { filter: 'definedOnly', factory: 'plainObject', temp: 'v', types: { result: 'Record<string, any>', temp: 'unknown' } });
  if (replaced.includes('return definedOnly(result);')) throw new Error('import: a conversion the post-processing does not recognise');
  // after the imports at the top of the module, what the module uses
  const helpers = ['definedOnly', 'plainObject'].filter((h) => replaced.includes(`${h}(`));
  const at = replaced.indexOf('\n', replaced.lastIndexOf('\nimport ') + 1);
  return `${replaced.slice(0, at + 1)}import { ${helpers.join(', ')} } from './${HELPERS}';\n${replaced.slice(at + 1)}`;
}

const cli = join(root, 'node_modules', '.bin', 'cdk8s');
const work = mkdtempSync(join(tmpdir(), 'cdk8s-argocd-import-'));
try {
  for (const [name, file, prefix] of IMPORTS) {
    execFileSync(cli, ['import', '--no-save', '--check-upgrade=false', '-l', 'typescript', '-o', work,
      '--class-prefix', prefix, online ? onlineSpec(name) : `${name}:=${join(crds, file)}`], { stdio: ['ignore', 'ignore', 'inherit'], cwd: work });
  }
  const out = join(root, 'imports');
  rmSync(out, { recursive: true, force: true });
  renameSync(work, out);
  chmodSync(out, 0o755);
  const modules = readdirSync(out).filter((f) => f.endsWith('.ts')).sort();
  const header = '// generated by scripts/import.mjs (npm run import); do not edit\n';
  for (const m of modules) {
    const p = join(out, m);
    writeFileSync(p, header + withoutCopyPerProperty(jsiiCompatible(readFileSync(p, 'utf-8'))));
  }
  writeFileSync(join(out, `${HELPERS}.ts`), header + HELPERS_SOURCE);
  writeFileSync(join(out, 'index.ts'), header + modules.map((m) => `export * from './${m.replace(/\.ts$/, '')}';\n`).join(''));
  console.log(`imports: ${modules.length} modules from ${online ? 'cdk8s.yaml URLs' : crds}`);
} catch (e) {
  rmSync(work, { recursive: true, force: true });
  throw e;
}
