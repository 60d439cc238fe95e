// `npm run bench`: issue 7's fleet-scale benchmark. See bench/README.md for what each figure means.
//
//   npm run bench                       # sizes 0.1, 1 and 10
//   npm run bench -- --sizes 0.1,1      # skip 10x
//   npm run bench -- --runs 3           # runs per figure (default 5 up to 1x, 3 above)
//
// The parent process only orchestrates: every size is timed in a child process of its own (so
// that one size's heap does not slow the next), and the peak memory of B and D is measured in
// two more children per size, since a process's peak resident set only ever grows. The children
// run this file compiled to JavaScript (bundled with esbuild, packages left external), as the
// published library runs; one more child at 1x runs it under tsx, to show what a TypeScript
// runner adds to the peak.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { dumpYaml, loadYamlDocuments } from '../lib/_internal/yaml';
import { replaceDirectory } from '../lib/app/_write';
import { ApplicationSetPreview } from '../lib/argocd/preview/application-set-preview';
import { compareOutput, hasDrift } from '../lib/cli/check';
import { APP_NAMES, REPO_URL, buildFleet, clustersAt } from './fleet';

// ---------------------------------------------------------------------------------------------
// arguments

interface Args {
  readonly sizes: number[];
  readonly runs?: number;
  readonly phase?: string;
  readonly size: number;
  readonly work?: string;
  readonly committed?: string;
  readonly dir: string;
  /** Time the baseline A above 1x too (cdk8s's App.synth is quadratic in the number of charts). */
  readonly baselineAllSizes: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (get('--sizes') ?? '0.1,1,10').split(',').map(Number);
  if (sizes.some((s) => !(s > 0))) throw new Error(`--sizes takes positive numbers separated by commas, got ${get('--sizes')}`);
  const runs = get('--runs');
  return {
    sizes,
    runs: runs === undefined ? undefined : Number(runs),
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` `runs` times with a full GC before each, returns the median milliseconds. */
function timeIt(runs: number, fn: () => void, after?: () => void): { ms: number; all: number[] } {
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const t = performance.now();
    fn();
    all.push(performance.now() - t);
    after?.();
  }
  return { ms: median(all), all };
}

function defaultRuns(size: number): number {
  return size > 1 ? 3 : 5;
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

interface SizeResult {
  scale: number;
  clusters: number;
  applications: number;
  objects: number;
  runs: number;
  constructionMs: number;
  aMs: number;
  bMs: number;
  bRenderMs: number;
  bWriteMs: number;
  rMs: number;
  cMs: number;
  dMs: number;
  eMs: number;
  eApplications: number;
  aMatchesB: boolean;
  all: { [phase: string]: number[] };
  peakRssMb?: { b: number; d: number };
  /** Peak RSS of the B child at 1x run under tsx (TypeScript compiled in the process) instead of compiled. */
  tsxPeakRssMb?: number;
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

  // B: the library's synthesis, writer included
  const b = timeIt(runs, () => app.synth());

  // B's two parts: rendering (validation, toJson, checks, YAML) and writing
  const bRender = timeIt(runs, () => app.synthFiles());
  const files = app.synthFiles();
  const bWrite = timeIt(runs, () => replaceDirectory(committed, files));
  const manifests = files.map((f) => f.manifest);

  // R: cdk8s's own rendering, ApiObject.toJson() of every object B writes (with the waves B
  // derived in place): a part of B that no library on top of cdk8s can avoid
  const objects = fleet!.app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  const r = timeIt(runs, () => {
    for (const o of objects) o.toJson();
  });

  // C: the serialization floor
  const c = timeIt(runs, () => {
    for (const m of manifests) dumpYaml(m);
  });

  // D: check on the unchanged output: synthesize into a scratch directory as `cdk8s-argocd check`
  // has the app do (CDK8S_ARGOCD_OUTDIR), then compare with check's own compareOutput
  let drift = false;
  const d = timeIt(runs, () => {
    const produced = app.synthFiles();
    replaceDirectory(scratch, produced);
    const report = compareOutput(scratch, produced.map((f) => f.path), path.resolve(committed));
    drift = drift || hasDrift(report) || report.files !== files.length;
  }, () => fs.rmSync(scratch, { recursive: true, force: true }));
  if (drift) throw new Error('check reported drift on unchanged output');

  // A: the same final objects as plain cdk8s ApiObjects, in the same charts, synthesized by
  // cdk8s-core's App.synth
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
  // cdk8s's App.synth grows with charts x objects (every chart's toJson validates and resolves the
  // whole app): 1.2 s at 0.1x, 14 s at 1x, over 20 minutes at 10x. Above 1x it is timed only with
  // --baseline-all-sizes, once.
  const timeA = scale <= 1 || args.baselineAllSizes;
  const a = timeA ? timeIt(scale > 1 ? 1 : runs, () => plain.synth()) : { ms: NaN, all: [] as number[] };

  // A's output holds the same objects as B's
  let aMatchesB = true;
  if (timeA) {
    const aDocs = new Map<string, string>();
    for (const file of fs.readdirSync(aOut)) {
      for (const doc of loadYamlDocuments(fs.readFileSync(path.join(aOut, file), 'utf-8'))) aDocs.set(keyOf(doc), canonical(doc));
    }
    aMatchesB = aDocs.size === manifests.length && manifests.every((m) => aDocs.get(keyOf(m)) === canonical(m));
  }

  // E: matrix ApplicationSet expansion
  const { manifest, world } = matrixWorld(scale);
  let generated = 0;
  const e = timeIt(runs, () => {
    generated = ApplicationSetPreview.expand(manifest, world).length;
  });

  return {
    scale,
    clusters: fleet!.clusters.length,
    applications: fleet!.applications,
    objects: manifests.length,
    runs,
    constructionMs: median(constructions),
    aMs: a.ms,
    bMs: b.ms,
    bRenderMs: bRender.ms,
    bWriteMs: bWrite.ms,
    rMs: r.ms,
    cMs: c.ms,
    dMs: d.ms,
    eMs: e.ms,
    eApplications: generated,
    aMatchesB,
    all: { construction: constructions, a: a.all, b: b.all, bRender: bRender.all, bWrite: bWrite.all, r: r.all, c: c.all, d: d.all, e: e.all },
  };
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

function memoryD(args: Args): number {
  const scratch = path.join(args.work!, 'mem-d');
  const { app } = buildFleet(args.size, args.committed!);
  const produced = app.synthFiles();
  replaceDirectory(scratch, produced);
  const report = compareOutput(scratch, produced.map((f) => f.path), path.resolve(args.committed!));
  if (hasDrift(report)) throw new Error('check reported drift on unchanged output');
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
}

function child(argv: string[], mode: ChildMode): any {
  const entry = mode.bundle ? [mode.bundle] : [...process.execArgv.filter((a) => !a.startsWith('--expose-gc')), __filename];
  const r = spawnSync(process.execPath, [...mode.flags, ...entry, ...argv], {
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`benchmark child ${argv.join(' ')} failed with exit code ${r.status}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`benchmark child ${argv.join(' ')} printed no result`);
  return JSON.parse(line.slice('RESULT '.length));
}

/**
 * Compiles this file and what it imports from the repository into one CommonJS file under
 * node_modules/.cache (so that the packages it leaves external resolve as from the repository).
 */
function bundleSelf(): string {
  const repo = path.resolve(__dirname, '..');
  const out = path.join(repo, 'node_modules', '.cache', 'cdk8s-argocd-bench', 'run.cjs');
  // esbuild is what tsx compiles with; a dev dependency of this repository, loaded only here
  const esbuild = require('esbuild');
  esbuild.buildSync({
    entryPoints: [__filename],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    outfile: out,
    logLevel: 'warning',
  });
  return out;
}

const fmtMs = (ms: number | null): string => (ms === null || !Number.isFinite(ms) ? 'not run' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtUs = (us: number): string => `${us.toFixed(1)} µs`;
const fmtX = (x: number | null): string => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(2));

function main(args: Args): void {
  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  };
  console.log(`cdk8s-argocd bench: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}`);

  const bundle = bundleSelf();
  const timing: ChildMode = { bundle, flags: ['--expose-gc', '--max-old-space-size=16384'] };
  const memory: ChildMode = { bundle, flags: [] }; // V8's defaults: the memory a user's synth takes
  const root = fs.mkdtempSync(path.join(args.dir, 'cdk8s-argocd-bench-'));
  const results: SizeResult[] = [];
  try {
    for (const size of args.sizes) {
      const work = path.join(root, `x${size}`);
      fs.mkdirSync(work, { recursive: true });
      const runs = args.runs ?? defaultRuns(size);
      process.stdout.write(`size ${size}x: timing (${runs} runs each) ... `);
      const r: SizeResult = child(['--phase', 'time', '--size', String(size), '--runs', String(runs), '--work', work], timing);
      process.stdout.write(`${r.objects} objects; peak memory ... `);
      const b = child(['--phase', 'mem-b', '--size', String(size), '--work', work], memory);
      const d = child(['--phase', 'mem-d', '--size', String(size), '--work', work, '--committed', path.join(work, 'committed')], memory);
      r.peakRssMb = { b, d };
      if (size === 1) {
        // the same B under tsx, which compiles the TypeScript in the process
        r.tsxPeakRssMb = child(['--phase', 'mem-b', '--size', String(size), '--work', work], { flags: [] });
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

  const header = ['size', 'objects', 'construction', 'A cdk8s', 'B library', '(render + write)', 'R toJson', 'C yaml', 'D check', 'E matrix', 'B/A', 'B/C', 'B/(R+C)', 'D/B', 'B per object', 'growth', 'peak B', 'peak D'];
  const rows = results.map((r) => [
    `${r.scale}x`,
    String(r.objects),
    fmtMs(r.constructionMs),
    fmtMs(r.aMs),
    fmtMs(r.bMs),
    `${fmtMs(r.bRenderMs)} + ${fmtMs(r.bWriteMs)}`,
    fmtMs(r.rMs),
    fmtMs(r.cMs),
    fmtMs(r.dMs),
    `${fmtMs(r.eMs)} (${r.eApplications} apps)`,
    fmtX(r.bMs / r.aMs),
    fmtX(r.bMs / r.cMs),
    fmtX(r.bMs / (r.rMs + r.cMs)),
    fmtX(r.dMs / r.bMs),
    fmtUs(perObj(r)),
    fmtX(perObj(r) / perObj(base)),
    `${r.peakRssMb!.b.toFixed(0)} MB`,
    `${r.peakRssMb!.d.toFixed(0)} MB`,
  ]);
  const table = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < 1 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
  console.log();
  console.log(`Output written to ${args.dir}. Medians of ${results.map((r) => `${r.runs} runs at ${r.scale}x`).join(', ')}; ${machine.cores} cores, Node ${machine.node}.`);
  console.log(table);
  console.log();

  const targets: { [name: string]: { value: number | null; limit: string; met: boolean | null } } = {
    'B/A <= 1.0': { value: base.bMs / base.aMs, limit: '<= 1.0', met: base.bMs / base.aMs <= 1.0 },
    'B/C <= 2.0': { value: base.bMs / base.cMs, limit: '<= 2.0', met: base.bMs / base.cMs <= 2.0 },
    'D/B <= 1.1': { value: base.dMs / base.bMs, limit: '<= 1.1', met: base.dMs / base.bMs <= 1.1 },
    'E < 1 s (1,500 Applications)': { value: base.eMs, limit: '< 1000 ms', met: base.eMs < 1000 },
    'peak memory < 300 MB at 1x': { value: Math.max(base.peakRssMb!.b, base.peakRssMb!.d), limit: '< 300 MB', met: Math.max(base.peakRssMb!.b, base.peakRssMb!.d) < 300 },
    'per-object time at 10x <= 1.3 x at 1x': big
      ? { value: perObj(big) / perObj(base), limit: '<= 1.3', met: perObj(big) / perObj(base) <= 1.3 }
      : { value: null, limit: '<= 1.3', met: null },
  };
  if (base.tsxPeakRssMb !== undefined) {
    console.log(`peak B at 1x under tsx (TypeScript compiled in the process, as \`npx tsx main.ts\` runs an app): ${base.tsxPeakRssMb.toFixed(0)} MB`);
    console.log(`R (cdk8s's ApiObject.toJson() of every object) is ${fmtX(base.rMs / base.cMs)} x C at ${base.scale}x: B/C cannot be below ${fmtX(1 + base.rMs / base.cMs)} while rendering and serialization run one after the other`);
    console.log();
  }
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
}

// ---------------------------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));
switch (args.phase) {
  case undefined:
    main(args);
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
  default:
    throw new Error(`unknown --phase ${args.phase}`);
}
