// `npm run bench`: issue 7's fleet-scale benchmark. See bench/README.md for what each figure means.
//
//   npm run bench                       # sizes 0.1, 1 and 10
//   npm run bench -- --sizes 0.1,1      # skip 10x
//   npm run bench -- --runs 3           # rounds (default 5 up to 1x, 3 above)
//   npm run bench -- --triples 1        # runs of B, C and D in each round (default 3 up to 1x, 1 above)
//   npm run bench -- --memory-runs 3    # memory processes per figure (default 5 up to 1x, 1 above)
//   npm run bench -- --in-process-only  # leave out the whole-process figures (bench/processes.ts)
//   npm run bench -- --no-npm-test      # leave out the whole-process figure of `npm test`
//
// The parent process only orchestrates: every size is timed in a child process of its own (so
// that one size's heap does not slow the next), and the peak memory of B and D is measured in
// more children per size (a process's peak resident set only ever grows), several of each since
// the peak depends on when V8 collects. The children run this file compiled to JavaScript against
// the library as it is published: the jsii build in build/ (`npm run bench` builds it first). At
// 1x more B memory children run the fleet's TypeScript under tsx, as a user's app runs: against
// the library as published, and with the library's TypeScript compiled in the process too, and
// the whole `cdk8s-argocd check` command is timed as CI runs it.
// first, so that it can redirect the library's modules before they load
import { BENCH_LIBRARY_ENV, BUILT, LIB, libraryBuildPath } from './_library-from-build';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { dumpYaml, loadYamlDocuments } from '../lib/_internal/yaml';
import { WRITER_THREAD_ENV } from '../lib/app/_writer-thread';
import { ArgoCdApp } from '../lib/app/argocd-app';
import { ApplicationSetPreview } from '../lib/argocd/preview/application-set-preview';
import { BUNDLE_FILE } from '../lib/app/_bundle';
import { bundleOutput } from '../lib/cli/_app-runner';
import { DriftReport, compareOutput, hasDrift } from '../lib/cli/check';
import { CommittedFiles } from '../lib/cli/_committed';
import { scanObject } from '../lib/external-secrets/_secret-scan';
import { flagValue, median } from './_common';
import { APP_NAMES, REPO_URL, buildFleet, clustersAt } from './fleet';

// ---------------------------------------------------------------------------------------------
// arguments

interface Args {
  readonly sizes: number[];
  readonly runs?: number;
  /** Triples of B, C and D per round (default 3 up to 1x, 1 above). */
  readonly triples?: number;
  /** Memory children per figure (default 5 up to 1x, 1 above). */
  readonly memoryRuns?: number;
  readonly phase?: string;
  readonly size: number;
  readonly work?: string;
  readonly committed?: string;
  readonly dir: string;
  /** Time the baseline A above 1x too (cdk8s's App.synth is quadratic in the number of charts). */
  readonly baselineAllSizes: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string): string | undefined => flagValue(argv, flag);
  const sizes = (get('--sizes') ?? '0.1,1,10').split(',').map(Number);
  if (sizes.some((s) => !(s > 0))) throw new Error(`--sizes takes positive numbers separated by commas, got ${get('--sizes')}`);
  const runs = get('--runs');
  const triples = get('--triples');
  const memoryRuns = get('--memory-runs');
  return {
    sizes,
    runs: runs === undefined ? undefined : Number(runs),
    triples: triples === undefined ? undefined : Number(triples),
    memoryRuns: memoryRuns === undefined ? undefined : Number(memoryRuns),
    phase: get('--phase'),
    size: Number(get('--size') ?? '1'),
    work: get('--work'),
    committed: get('--committed'),
    // an in-memory file system by default: the figures then measure the library, not a disk shared
    // with other work (on a busy ext4 disk, one file write took from 15 to 700 µs in our runs)
    dir: get('--dir') ?? (fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir()),
    baselineAllSizes: argv.includes('--baseline-all-sizes'),
  };
}

// ---------------------------------------------------------------------------------------------
// helpers

// `node --expose-gc` does not reach the process tsx starts; the children get the flag directly,
// and this fallback covers a direct `npx tsx bench/run.ts`.
const gc: () => void = (globalThis as any).gc ?? (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
})();

function defaultRuns(size: number): number {
  return size > 1 ? 3 : 5;
}

/** Triples of B, C and D per round (see timeSize). */
function defaultTriples(size: number): number {
  return size > 1 ? 1 : 3;
}

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

// ---------------------------------------------------------------------------------------------
// E: the matrix ApplicationSet and what its generators read

function matrixWorld(scale: number): { manifest: any; world: any } {
  const clusters = clustersAt(scale);
  const clusterSecrets = clusters.map((c) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `cluster-${c.name}`,
      namespace: 'argocd',
      labels: { 'argocd.argoproj.io/secret-type': 'cluster', 'fleet.example.com/managed': 'true', env: c.env },
    },
    stringData: { name: c.name, server: c.server, config: '{"tlsClientConfig":{"insecure":false}}' },
  }));
  const files: { [p: string]: string } = { 'README.md': '# platform\n' };
  for (const name of APP_NAMES) {
    files[`services/${name}/kustomization.yaml`] = 'resources: [deployment.yaml]\n';
    files[`services/${name}/deployment.yaml`] = 'kind: Deployment\n';
  }
  const manifest = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'fleet-matrix', namespace: 'argocd' },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{
        matrix: {
          generators: [
            { clusters: { selector: { matchLabels: { 'fleet.example.com/managed': 'true' } } } },
            { git: { repoURL: REPO_URL, revision: 'main', directories: [{ path: 'services/*' }] } },
          ],
        },
      }],
      template: {
        metadata: { name: '{{.name}}-{{.path.basename}}', labels: { env: '{{index .metadata.labels "env"}}' } },
        spec: {
          project: '{{index .metadata.labels "env"}}',
          source: { repoURL: REPO_URL, targetRevision: 'main', path: '{{.path.path}}' },
          destination: { server: '{{.server}}', namespace: '{{.path.basename}}' },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
        },
      },
    },
  };
  return { manifest, world: { clusterSecrets, repositories: { [REPO_URL]: files } } };
}

// ---------------------------------------------------------------------------------------------
// child: timings of one size

interface Spread {
  median: number;
  min: number;
  max: number;
  all: number[];
}

function spread(xs: number[]): Spread {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), all: xs };
}

interface SizeResult {
  scale: number;
  clusters: number;
  applications: number;
  objects: number;
  runs: number;
  /** Triples of B, C and D per round. */
  triples: number;
  constructionMs: number;
  aMs: number;
  bMs: number;
  /** B with the writer thread off (CDK8S_ARGOCD_WRITER_THREAD=never). */
  b1Ms: number;
  /** How B wrote its files (`thread` at fleet size on a multi-core machine). */
  bWriter: string;
  /** cdk8s' own `ApiObject.toJson()` of every object: what B renders with. */
  rMs: number;
  sMs: number;
  cMs: number;
  dMs: number;
  eMs: number;
  eApplications: number;
  aMatchesB: boolean;
  /** B/C and D/B taken within each triple of B, C and D, B/A within each round (the round's median B), over all of them. */
  ratios: { bOverA: Spread | null; bOverC: Spread; dOverB: Spread };
  all: { [phase: string]: number[] };
  /** Peak RSS of the memory children: the median, the least and the most, for B and for D. */
  peakRssMb?: { b: Spread; d: Spread };
  /** Peak RSS of B children at 1x whose app (the fleet) runs under tsx with the library as published (build/lib). */
  tsxAppPeakRssMb?: Spread;
  /** Peak RSS of B children at 1x run wholly under tsx (the library's TypeScript compiled in the process too). */
  tsxPeakRssMb?: Spread;
  /** Wall time of the whole `cdk8s-argocd check` command at 1x, app process included. */
  cliCheckMs?: Spread;
}

function timeSize(args: Args): SizeResult {
  const scale = args.size;
  const runs = args.runs ?? defaultRuns(scale);
  const work = args.work!;
  const committed = path.join(work, 'committed');
  const scratch = path.join(work, 'scratch');
  const aOut = path.join(work, 'cdk8s');

  // construction (reported, not part of B)
  const constructions: number[] = [];
  let fleet = undefined as ReturnType<typeof buildFleet> | undefined;
  const buildRuns = scale > 1 ? 1 : runs;
  for (let i = 0; i < buildRuns; i++) {
    fleet = undefined;
    gc();
    const t = performance.now();
    fleet = buildFleet(scale, committed);
    constructions.push(performance.now() - t);
  }
  const app = fleet!.app;

  // cdk8s's App.synth grows with charts x objects (every chart's toJson validates and resolves the
  // whole app): 1.2 s at 0.1x, 14 s at 1x, over 20 minutes at 10x. Above 1x it is timed only with
  // --baseline-all-sizes, once.
  const timeA = scale <= 1 || args.baselineAllSizes;
  const aRuns = timeA ? (scale > 1 ? 1 : runs) : 0;

  // What the figures after B need, made once after B's first run (untimed): the files B writes,
  // the objects it renders, the plain cdk8s app of the same objects (A) and the matrix (E).
  let prepared: { files: ReturnType<typeof app.synthFiles>; manifests: any[]; objects: ApiObject[]; plain: App } | undefined;
  const prepare = () => {
    const files = app.synthFiles();
    const manifests = files.map((f) => f.manifest);
    const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    // A: the same final objects as plain cdk8s ApiObjects, in the same charts
    const plain = new App({ outdir: aOut });
    const charts = new Map<string, Chart>();
    files.forEach((f, i) => {
      const top = f.constructPath.split('/')[0];
      let chart = charts.get(top);
      if (!chart) {
        chart = new Chart(plain, top);
        charts.set(top, chart);
      }
      const obj = new ApiObject(chart, `o${i}`, f.manifest);
      if (f.manifest.metadata?.name === undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/name'));
    });
    return { files, manifests, objects, plain };
  };
  const { manifest: matrix, world } = matrixWorld(scale);
  let generated = 0;
  let drift = false;

  // One measurement of each figure, a full GC before each.
  const measure = (fn: () => void, after?: () => void): number => {
    gc();
    const t = performance.now();
    fn();
    const ms = performance.now() - t;
    after?.();
    return ms;
  };
  const figures: { [name: string]: () => number } = {
    // B: the library's synthesis, writer included, as `npx cdk8s synth` runs it (at fleet size on a
    // machine with more than one core, a second thread writes the YAML)
    b: () => measure(() => app.synth()),
    // B1: the same with the writer thread off
    b1: () => withEnv(WRITER_THREAD_ENV, 'never', () => measure(() => app.synth())),
    // R: cdk8s's own rendering, ApiObject.toJson() of every object B writes (with the waves B
    // derived in place), as any cdk8s app renders, and as B renders
    r: () => measure(() => {
      for (const o of prepared!.objects) o.toJson();
    }),
    // S: the plaintext-secret guard alone, the secret scan B runs on every object it writes
    s: () => measure(() => {
      for (const f of prepared!.files) scanObject(f.manifest, f.path);
    }),
    // C: the serialization floor
    c: () => measure(() => {
      for (const m of prepared!.manifests) dumpYaml(m);
    }),
    // D: check on the unchanged output, as `cdk8s-argocd check` has the app do it: synthesize into
    // a scratch directory as one bundle file (CDK8S_ARGOCD_OUTDIR, CDK8S_ARGOCD_BUNDLE), then read
    // it and compare with check's own bundleOutput and compareOutput. The committed files are read
    // before the clock starts: the command reads them while the app's process starts and builds
    // its tree (the whole command is timed below, as cliCheck)
    d: () => {
      const ahead = CommittedFiles.read(committed);
      return measure(() => {
        const report = checkInProcess(app, scratch, committed, ahead);
        drift = drift || hasDrift(report) || report.files !== prepared!.files.length;
      }, () => fs.rmSync(scratch, { recursive: true, force: true }));
    },
    // E: matrix ApplicationSet expansion
    e: () => measure(() => {
      generated = ApplicationSetPreview.expand(matrix, world).length;
    }),
    a: () => measure(() => prepared!.plain.synth()),
  };

  // The figures are taken round by round, and every ratio is taken between figures timed one
  // right after the other: the machine's speed drifts over a process's minutes (by a third and
  // more, on a shared machine; A took 16.6-34.0 s within one process), and a ratio of two figures
  // timed minutes apart would measure that drift. Each round opens with `triples` runs of B, C
  // and D, each triple in an order that rotates from one to the next, and each triple gives one
  // B/C and one D/B; then one run of each other figure. The first triple of round 1 starts with B,
  // so that B's first run is a synthesis in a fresh process, as `cdk8s synth` runs.
  const all: { [name: string]: number[] } = { b: [], b1: [], r: [], s: [], c: [], d: [], e: [], a: [] };
  const perRound = { bOverC: [] as number[], dOverB: [] as number[], bOverA: [] as number[] };
  let bWriter = 'unknown';
  const run = (name: string): number => {
    const ms = figures[name]();
    if (name === 'b' && all.b.length === 0) bWriter = app._lastWriter ?? 'unknown';
    prepared ??= prepare();
    all[name].push(ms);
    return ms;
  };
  const triples = args.triples ?? defaultTriples(scale);
  for (let round = 0; round < runs; round++) {
    const bs: number[] = [];
    for (let j = 0; j < triples; j++) {
      const first = ['b', 'c', 'd'];
      const k = (round * triples + j) % 3;
      const t: { [name: string]: number } = {};
      for (const name of [...first.slice(k), ...first.slice(0, k)]) t[name] = run(name);
      perRound.bOverC.push(t.b / t.c);
      perRound.dOverB.push(t.d / t.b);
      bs.push(t.b);
    }
    for (const name of ['b1', 'r', 's', 'e']) run(name);
    if (round < aRuns) perRound.bOverA.push(median(bs) / run('a'));
    if (drift) throw new Error('check reported drift on unchanged output');
  }

  // A's output holds the same objects as B's
  const manifests = prepared!.manifests;
  let aMatchesB = true;
  if (timeA) {
    const aDocs = new Map<string, string>();
    for (const file of fs.readdirSync(aOut)) {
      for (const doc of loadYamlDocuments(fs.readFileSync(path.join(aOut, file), 'utf-8'))) aDocs.set(keyOf(doc), canonical(doc));
    }
    aMatchesB = aDocs.size === manifests.length && manifests.every((m) => aDocs.get(keyOf(m)) === canonical(m));
  }

  const med = (xs: number[]) => (xs.length === 0 ? NaN : median(xs));
  return {
    scale,
    clusters: fleet!.clusters.length,
    applications: fleet!.applications,
    objects: manifests.length,
    runs,
    triples,
    constructionMs: median(constructions),
    aMs: med(all.a),
    bMs: med(all.b),
    b1Ms: med(all.b1),
    bWriter,
    rMs: med(all.r),
    sMs: med(all.s),
    cMs: med(all.c),
    dMs: med(all.d),
    eMs: med(all.e),
    eApplications: generated,
    aMatchesB,
    ratios: {
      bOverA: perRound.bOverA.length === 0 ? null : spread(perRound.bOverA),
      bOverC: spread(perRound.bOverC),
      dOverB: spread(perRound.dOverB),
    },
    all: { construction: constructions, ...all },
  };
}

/** Runs `fn` with the environment variable `name` set to `value`. */
function withEnv<T>(name: string, value: string, fn: () => T): T {
  const was = process.env[name];
  process.env[name] = value;
  try {
    return fn();
  } finally {
    if (was === undefined) delete process.env[name];
    else process.env[name] = was;
  }
}

function keyOf(m: any): string {
  const meta = m.metadata ?? {};
  return `${m.kind}/${meta.namespace ?? ''}/${meta.name ?? meta.generateName}`;
}

function canonical(x: any): string {
  return JSON.stringify(x, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
    : v));
}

// ---------------------------------------------------------------------------------------------
// children: peak memory of B and of D

function memoryB(args: Args): number {
  const { app } = buildFleet(args.size, path.join(args.work!, 'mem-b'));
  // no forced GC here: it would change how V8 sizes the heap afterwards, and a user's app does
  // not force one either
  const built = process.memoryUsage();
  console.error(`  [${args.size}x] after construction: rss ${(built.rss / 2 ** 20).toFixed(0)} MB, heap used ${(built.heapUsed / 2 ** 20).toFixed(0)} MB, peak so far ${maxRssMb().toFixed(0)} MB`);
  app.synth();
  return maxRssMb();
}

/**
 * What `cdk8s-argocd check` has the app do, and then does itself, in this process: the app's
 * synthesis into `scratch` as one bundle file (as under CDK8S_ARGOCD_OUTDIR and
 * CDK8S_ARGOCD_BUNDLE), read back and compared with the output committed in `committed`, whose
 * files the command read while the app ran (`ahead`).
 */
function checkInProcess(app: ArgoCdApp, scratch: string, committed: string, ahead: CommittedFiles): DriftReport {
  const produced = app._synthInto(scratch, undefined, true);
  return compareOutput(bundleOutput(path.resolve(committed), scratch, produced, path.join(scratch, BUNDLE_FILE)), ahead);
}

function memoryD(args: Args): number {
  const scratch = path.join(args.work!, 'mem-d');
  // the command's read-ahead, done while the app builds its tree, is in this process too
  const ahead = CommittedFiles.read(args.committed!);
  const { app } = buildFleet(args.size, args.committed!);
  const report = checkInProcess(app, scratch, args.committed!, ahead);
  if (hasDrift(report)) throw new Error('check reported drift on unchanged output');
  fs.rmSync(scratch, { recursive: true, force: true });
  return maxRssMb();
}

// ---------------------------------------------------------------------------------------------
// parent

/** How a child runs: compiled (the bundle) or under tsx, with or without V8 flags. */
interface ChildMode {
  /** The compiled bundle to run; undefined: this TypeScript file under tsx. */
  readonly bundle?: string;
  /** Extra V8 flags (timing children get --expose-gc and a large heap; memory children none). */
  readonly flags: string[];
  /** Extra environment variables. */
  readonly env?: { [name: string]: string };
}

function child(argv: string[], mode: ChildMode): any {
  const entry = mode.bundle ? [mode.bundle] : [...process.execArgv.filter((a) => !a.startsWith('--expose-gc')), __filename];
  const r = spawnSync(process.execPath, [...mode.flags, ...entry, ...argv], {
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...mode.env },
  });
  if (r.status !== 0) throw new Error(`benchmark child ${argv.join(' ')} failed with exit code ${r.status}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`benchmark child ${argv.join(' ')} printed no result`);
  return JSON.parse(line.slice('RESULT '.length));
}

/**
 * Runs the whole `cdk8s-argocd check` command (the published CLI, build/lib/cli/main.js) on the
 * fleet committed in `work`, with this bundle's `app` phase as the app; returns its wall time in
 * ms. Throws unless it reports the output up to date.
 */
function cliCheck(bundle: string, size: number, work: string): number {
  const committed = path.join(work, 'cli-committed');
  const appArgs = [bundle, '--phase', 'app', '--size', String(size), '--committed', committed];
  const app = [process.execPath, ...appArgs].map((a) => JSON.stringify(a)).join(' ');
  if (!fs.existsSync(committed)) {
    const made = spawnSync(process.execPath, appArgs, { stdio: 'inherit' });
    if (made.status !== 0) throw new Error('the check command\'s app failed');
  }
  const main = path.join(BUILT, 'cli', 'main.js');
  const t = performance.now();
  const r = spawnSync(process.execPath, [main, 'check', '--app', app], { cwd: work, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (r.status !== 0 || !/^ok: /m.test(r.stdout)) throw new Error(`the check command failed (exit code ${r.status}): ${r.stdout.slice(-500)}${r.stderr.slice(-500)}`);
  return ms;
}

/** The newest modification time of a file below `dir` with one of `exts`. */
function newestMtime(dir: string, exts: string[]): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, exts));
    else if (exts.some((x) => e.name.endsWith(x)) && !e.name.endsWith('.d.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Compiles this file and bench/fleet.ts into one CommonJS file under node_modules/.cache, with
 * every import of the library's sources (`lib/...`) turned into a `require` of its jsii build in
 * build/lib: the children run the library as it is published (and its packages resolve as from
 * the repository).
 */
async function bundleSelf(): Promise<string> {
  const repo = path.resolve(__dirname, '..');
  if (!fs.existsSync(path.join(BUILT, 'index.js'))
    || newestMtime(BUILT, ['.js']) < Math.max(newestMtime(LIB, ['.ts']), newestMtime(path.join(repo, 'imports'), ['.ts']))) {
    throw new Error('build/ is missing or older than lib/ and imports/: run `npm run build` first (`npm run bench` does)');
  }
  const out = path.join(repo, 'node_modules', '.cache', 'cdk8s-argocd-bench', 'run.cjs');
  // esbuild is what tsx compiles with; a dev dependency of this repository, loaded only here
  const esbuild = require('esbuild');
  await esbuild.build({
    entryPoints: [__filename],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    outfile: out,
    logLevel: 'warning',
    plugins: [{
      name: 'library-from-build',
      setup(build: any) {
        build.onResolve({ filter: /(^|\/)lib(\/|$)/ }, (a: any) => {
          const target = libraryBuildPath(path.resolve(a.resolveDir, a.path));
          return target === undefined ? undefined : { path: target, external: true };
        });
      },
    }],
  });
  return out;
}

const fmtMs = (ms: number | null): string => (ms === null || !Number.isFinite(ms) ? 'not run' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtUs = (us: number): string => `${us.toFixed(1)} µs`;
const fmtX = (x: number | null): string => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(2));
const fmtMb = (s: Spread): string => (s.min === s.max ? `${s.median.toFixed(0)} MB` : `${s.median.toFixed(0)} MB (${s.min.toFixed(0)}–${s.max.toFixed(0)})`);

const fmtSpreadMs = (s: Spread): string => `${fmtMs(s.median)} (${fmtMs(s.min)}–${fmtMs(s.max)})`;

const fmtRatio = (s: Spread | null): string => (s === null ? 'not run' : `${fmtX(s.median)} (${fmtX(s.min)}–${fmtX(s.max)})`);

/** A ratio target: met when the median of the per-round ratios is at most `limit`. */
function ratioTarget(s: Spread | null, limit: number): { value: number | null; limit: string; met: boolean | null } {
  if (s === null) return { value: null, limit: `<= ${limit}`, met: null };
  return { value: s.median, limit: `<= ${limit}`, met: s.median <= limit };
}

function defaultMemoryRuns(size: number): number {
  return size > 1 ? 1 : 5;
}

async function main(args: Args): Promise<void> {
  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  };
  console.log(`cdk8s-argocd bench: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}`);

  const bundle = await bundleSelf();
  const timing: ChildMode = { bundle, flags: ['--expose-gc', '--max-old-space-size=16384'] };
  const memory: ChildMode = { bundle, flags: [] }; // V8's defaults: the memory a user's synth takes
  const root = fs.mkdtempSync(path.join(args.dir, 'cdk8s-argocd-bench-'));
  const results: SizeResult[] = [];
  try {
    for (const size of args.sizes) {
      const work = path.join(root, `x${size}`);
      fs.mkdirSync(work, { recursive: true });
      const runs = args.runs ?? defaultRuns(size);
      const triples = args.triples ?? defaultTriples(size);
      process.stdout.write(`size ${size}x: timing (${runs} rounds, ${triples} of B, C and D in each) ... `);
      const r: SizeResult = child(['--phase', 'time', '--size', String(size), '--runs', String(runs), '--triples', String(triples), '--work', work], timing);
      const memRuns = args.memoryRuns ?? defaultMemoryRuns(size);
      process.stdout.write(`${r.objects} objects; peak memory (${memRuns} processes each) ... `);
      const b: number[] = [];
      const d: number[] = [];
      for (let i = 0; i < memRuns; i++) {
        b.push(child(['--phase', 'mem-b', '--size', String(size), '--work', work], memory));
        d.push(child(['--phase', 'mem-d', '--size', String(size), '--work', work, '--committed', path.join(work, 'committed')], memory));
      }
      r.peakRssMb = { b: spread(b), d: spread(d) };
      if (size === 1) {
        // the same B with the fleet's TypeScript under tsx, as a user's app runs: with the library
        // as published, and with the library's TypeScript compiled in the process too
        const tsxApp: number[] = [];
        const tsxAll: number[] = [];
        for (let i = 0; i < Math.min(memRuns, 3); i++) {
          tsxApp.push(child(['--phase', 'mem-b', '--size', String(size), '--work', work], { flags: [], env: { [BENCH_LIBRARY_ENV]: 'build' } }));
          tsxAll.push(child(['--phase', 'mem-b', '--size', String(size), '--work', work], { flags: [] }));
        }
        r.tsxAppPeakRssMb = spread(tsxApp);
        r.tsxPeakRssMb = spread(tsxAll);
        // the drift check as CI runs it: the command, its app process, its scratch directory in
        // the OS temp directory
        process.stdout.write('check command ... ');
        const cli: number[] = [];
        for (let i = 0; i < Math.min(memRuns, 3); i++) cli.push(cliCheck(bundle, size, work));
        r.cliCheckMs = spread(cli);
      }
      console.log('done');
      results.push(r);
      fs.rmSync(work, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }

  const base = results.find((r) => r.scale === 1) ?? results[0];
  const big = results.find((r) => r.scale === 10);
  const perObj = (r: SizeResult) => (r.bMs * 1000) / r.objects;

  const header = ['size', 'objects', 'construction', 'A cdk8s', 'B library', 'B one thread', 'R cdk8s toJson', 'S secret scan', 'C yaml', 'D check', 'E matrix', 'B/A', 'B/C', 'D/B', 'B per object', 'growth', 'peak B', 'peak D'];
  const rows = results.map((r) => [
    `${r.scale}x`,
    String(r.objects),
    fmtMs(r.constructionMs),
    fmtMs(r.aMs),
    `${fmtMs(r.bMs)}${r.bWriter === 'thread' ? '' : ` (${r.bWriter})`}`,
    fmtMs(r.b1Ms),
    fmtMs(r.rMs),
    fmtMs(r.sMs),
    fmtMs(r.cMs),
    fmtMs(r.dMs),
    `${fmtMs(r.eMs)} (${r.eApplications} apps)`,
    fmtX(r.ratios.bOverA?.median ?? null),
    fmtX(r.ratios.bOverC.median),
    fmtX(r.ratios.dOverB.median),
    fmtUs(perObj(r)),
    fmtX(perObj(r) / perObj(base)),
    fmtMb(r.peakRssMb!.b),
    fmtMb(r.peakRssMb!.d),
  ]);
  const table = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < 1 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
  console.log();
  console.log(`Output written to ${args.dir}. Medians of ${results.map((r) => `${r.runs} rounds at ${r.scale}x (${r.triples} of B, C and D in each)`).join(', ')}; every other figure once a round; B/C and D/B are the medians of the ratios within each triple of B, C and D timed one after the other, B/A of the ratios within each round; ${machine.cores} cores, Node ${machine.node}.`);
  console.log(table);
  console.log();

  const peak = Math.max(base.peakRssMb!.b.median, base.peakRssMb!.d.median);
  const targets: { [name: string]: { value: number | null; limit: string; met: boolean | null } } = {
    'B/A <= 1.0': ratioTarget(base.ratios.bOverA, 1.0),
    'B/C <= 2.0': ratioTarget(base.ratios.bOverC, 2.0),
    'D/B <= 1.1': ratioTarget(base.ratios.dOverB, 1.1),
    [`E < 1 s (${base.eApplications.toLocaleString('en-US')} Applications)`]: { value: base.eMs, limit: '< 1000 ms', met: base.eMs < 1000 },
    [`peak memory < 300 MB at ${base.scale}x (median)`]: { value: peak, limit: '< 300 MB', met: peak < 300 },
    [`per-object time at 10x <= 1.3 x at ${base.scale}x`]: big
      ? { value: perObj(big) / perObj(base), limit: '<= 1.3', met: perObj(big) / perObj(base) <= 1.3 }
      : { value: null, limit: '<= 1.3', met: null },
  };
  if (base.tsxAppPeakRssMb !== undefined && base.tsxPeakRssMb !== undefined) {
    console.log(`peak B at 1x with the app's TypeScript under tsx: ${fmtMb(base.tsxAppPeakRssMb)} with the library as published, ${fmtMb(base.tsxPeakRssMb)} with the library's TypeScript compiled in the process too`);
  }
  if (base.cliCheckMs) {
    console.log(`the whole check command at 1x (\`cdk8s-argocd check\`: the app's process with construction, the comparison; scratch in ${os.tmpdir()}): ${fmtSpreadMs(base.cliCheckMs)}`);
  }
  console.log(`ratios at ${base.scale}x (median, least–most): B/A ${fmtRatio(base.ratios.bOverA)} over ${base.ratios.bOverA?.all.length ?? 0} rounds, B/C ${fmtRatio(base.ratios.bOverC)} and D/B ${fmtRatio(base.ratios.dOverB)} over ${base.ratios.bOverC.all.length} triples`);
  console.log(`at ${base.scale}x: R/C = ${fmtX(base.rMs / base.cMs)} (rendering alone, against serialization alone); B one thread / C = ${fmtX(base.b1Ms / base.cMs)}; S/B = ${fmtX(base.sMs / base.bMs)} (the secret scan's share of a synthesis)`);
  console.log();
  console.log(`targets (at ${base.scale}x):`);
  for (const [name, t] of Object.entries(targets)) {
    const v = t.value === null ? 'not run' : Number(t.value.toFixed(2));
    console.log(`  ${t.met === null ? 'skip' : t.met ? 'met ' : 'MISS'}  ${name}: ${v}`);
  }
  for (const r of results) {
    if (!r.aMatchesB) console.log(`  warning: at ${r.scale}x, A's output does not hold the same objects as B's`);
  }

  const out = path.join(__dirname, 'results.json');
  fs.writeFileSync(out, `${JSON.stringify({ machine, dir: args.dir, results, targets, table }, null, 2)}\n`);
  console.log(`\nwritten: ${path.relative(process.cwd(), out)}`);

  // then what users wait for, as whole processes (bench/processes.ts)
  if (!process.argv.includes('--in-process-only')) {
    console.log();
    const passed = [...(args.runs === undefined ? [] : ['--runs', String(args.runs)]), ...(process.argv.includes('--no-npm-test') ? ['--no-npm-test'] : [])];
    const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'processes.ts'), '--sizes', args.sizes.filter((s) => s >= 1).join(',') || '1', ...passed], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = 1;
  }
}

// ---------------------------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));
switch (args.phase) {
  case undefined:
    main(args).catch((e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    });
    break;
  case 'time':
    console.log(`RESULT ${JSON.stringify(timeSize(args))}`);
    break;
  case 'mem-b':
    console.log(`RESULT ${JSON.stringify(memoryB(args))}`);
    break;
  case 'mem-d':
    console.log(`RESULT ${JSON.stringify(memoryD(args))}`);
    break;
  case 'app':
    // the app `cdk8s-argocd check` runs (cliCheck): the fleet, committed to --committed
    buildFleet(args.size, args.committed!).app.synth();
    break;
  default:
    throw new Error(`unknown --phase ${args.phase}`);
}
