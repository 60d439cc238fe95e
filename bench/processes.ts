// `npm run bench` (second part) or `npm run bench:processes`: what users wait for, as whole
// processes. See bench/README.md ("Whole processes") for every figure and its target.
//
//   npm run bench:processes                        # every figure, 1x fleet, 5 runs each
//   npm run bench:processes -- --sizes 1,10        # also the growth to 10x
//   npm run bench:processes -- --runs 3
//   npm run bench:processes -- --no-npm-test       # leave out the `npm test` figure
//
// Every program runs in a process of its own, started the way a user starts it, with its output
// on the disk the repository is on (a scratch directory `.bench-work/` in the repository, which git
// ignores). Figures that are compared are timed one right after the other, alternating, and their
// ratio is the median of the ratios of each pair (the machine's speed drifts over minutes). A cold
// run starts with no previous output (nor its spare); the warm runs that follow each replace the
// output the run before wrote, as a user's next synthesis does. Targets are judged on wall time
// (what users wait for); the CPU time of every Node.js process of a run, summed over its threads,
// is printed beside it, since on a machine other work keeps busy it moves less than wall time.
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { flagValue, median } from './_common';

const REPO = path.resolve(__dirname, '..');
const WORK = path.join(REPO, '.bench-work');
const BUILT_CLI = path.join(REPO, 'build', 'lib', 'cli', 'main.js');
const PROBE = path.join(__dirname, '_process-probe.cjs');
const CRDS = path.resolve(process.env.CRDS_DIR ?? path.join(REPO, '..', 'shared', 'crds'));

interface Args {
  readonly sizes: number[];
  readonly runs: number;
  readonly npmTest: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string): string | undefined => flagValue(argv, flag);
  const sizes = (get('--sizes') ?? '1').split(',').map(Number);
  if (sizes.some((s) => !(s > 0))) throw new Error(`--sizes takes positive numbers separated by commas, got ${get('--sizes')}`);
  const runs = Number(get('--runs') ?? '5');
  if (!(runs >= 1)) throw new Error(`--runs takes a positive number, got ${get('--runs')}`);
  return { sizes: sizes.includes(1) ? sizes : [1, ...sizes], runs, npmTest: !argv.includes('--no-npm-test') };
}

// ---------------------------------------------------------------------------------------------
// running a process

interface Run {
  readonly wallMs: number;
  /** The largest peak resident set of the Node.js processes it ran, in MB. */
  readonly peakMb: number;
  /** The CPU time of the Node.js processes it ran, all threads, summed. */
  readonly cpuMs: number;
  /** What the program itself reported (bench/_process-apps.ts), if anything. */
  readonly report?: { cpuMs: number; wallMs: number; files: number };
}

/** Runs `command` (a shell command line) in `cwd`, timing it whole, every Node.js process probed. */
function run(command: string, cwd: string, env: NodeJS.ProcessEnv = {}, expectStatus = 0): Run {
  const probeDir = fs.mkdtempSync(path.join(WORK, 'probe-'));
  const report = path.join(probeDir, 'report.json');
  const started = process.hrtime.bigint();
  const r: SpawnSyncReturns<string> = spawnSync(command, {
    cwd,
    shell: true,
    encoding: 'utf-8',
    maxBuffer: 1 << 30,
    env: {
      ...process.env,
      NO_COLOR: '1',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${PROBE}`.trim(),
      CDK8S_ARGOCD_BENCH_PROBE_DIR: probeDir,
      CDK8S_ARGOCD_BENCH_REPORT: report,
      ...env,
    },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== expectStatus) {
    throw new Error(`${command} (in ${cwd}) exited with ${r.status ?? r.signal}, expected ${expectStatus}:\n${r.stdout}\n${r.stderr}`);
  }
  let peakKb = 0;
  let cpuMs = 0;
  let programReport: Run['report'];
  for (const f of fs.readdirSync(probeDir)) {
    const data = JSON.parse(fs.readFileSync(path.join(probeDir, f), 'utf-8'));
    if (f === 'report.json') programReport = data;
    else {
      peakKb = Math.max(peakKb, data.maxRssKb);
      cpuMs += data.cpuMs;
    }
  }
  fs.rmSync(probeDir, { recursive: true, force: true });
  return { wallMs, peakMb: peakKb / 1024, cpuMs, report: programReport };
}

/** Removes an ArgoCdApp's output directory with its spare and work directory: the next run is cold. */
function clearOutput(outdir: string): void {
  for (const d of [outdir, path.join(path.dirname(outdir), `.${path.basename(outdir)}.spare`), path.join(path.dirname(outdir), `.${path.basename(outdir)}.synth`)]) {
    fs.rmSync(d, { recursive: true, force: true });
  }
}

/** Every file below `dir`, relative, sorted. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// the figures

interface Figure {
  readonly name: string;
  readonly result: string;
  readonly target: string;
  /** null: not measured. */
  readonly met: boolean | null;
  readonly value?: number;
}

const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtX = (x: number): string => x.toFixed(2);
/** The median ratio of the CPU times of pairs of runs, as a note beside a wall-time ratio. */
const cpuNote = (a: Run[], b: Run[]): string => `; CPU ${fmtX(median(a.map((r, i) => r.cpuMs / b[i].cpuMs)))} (${fmtMs(median(a.map((r) => r.cpuMs)))} against ${fmtMs(median(b.map((r) => r.cpuMs)))})`;
const range = (xs: number[], f: (x: number) => string): string => (xs.length > 1 ? ` (${f(Math.min(...xs))}–${f(Math.max(...xs))})` : '');

async function bundleApps(): Promise<string> {
  const out = path.join(REPO, 'node_modules', '.cache', 'cdk8s-argocd-bench', 'apps.cjs');
  // esbuild is what tsx compiles with; a dev dependency of this repository, loaded only here
  const esbuild = require('esbuild');
  const built = path.join(REPO, 'build', 'lib');
  await esbuild.build({
    entryPoints: [path.join(__dirname, '_process-apps.ts')],
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
          const rel = path.relative(path.join(REPO, 'lib'), path.resolve(a.resolveDir, a.path));
          if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
          return { path: path.join(built, rel), external: true };
        });
      },
    }],
  });
  return out;
}

async function main(args: Args): Promise<void> {
  if (!fs.existsSync(BUILT_CLI)) throw new Error('build/ is missing: run `npm run build` first (`npm run bench` does)');
  console.log(`cdk8s-argocd bench, whole processes: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, output in ${WORK}`);
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
  const apps = await bundleApps();
  const node = (program: string): string => `node ${JSON.stringify(apps)} ${program}`;
  const figures: Figure[] = [];
  const n = args.runs;
  const step = (what: string): void => {
    process.stdout.write(`${what} ... `);
  };

  // -- small: the flagship example
  step('small: the flagship synthesized, compiled');
  const smallOut = path.join(WORK, 'platform', 'dist');
  clearOutput(smallOut);
  const smallCold = run(node('platform'), REPO, { CDK8S_ARGOCD_BENCH_OUTDIR: smallOut });
  const smallWarm = Array.from({ length: n }, () => run(node('platform'), REPO, { CDK8S_ARGOCD_BENCH_OUTDIR: smallOut }));
  const smallObjects = listFiles(smallOut).filter((f) => f.endsWith('.yaml')).length;
  const smallCpu = median(smallWarm.map((r) => r.report!.cpuMs));
  figures.push({
    name: `small (the flagship, ${smallObjects} files): the library's CPU from cdk8s and cdk8s-plus loaded to exit`,
    result: `${fmtMs(smallCpu)}${range(smallWarm.map((r) => r.report!.cpuMs), fmtMs)}; cold ${fmtMs(smallCold.report!.cpuMs)}; whole process ${fmtMs(median(smallWarm.map((r) => r.wallMs)))} wall`,
    target: '<= 300 ms',
    met: smallCpu <= 300,
    value: smallCpu,
  });
  console.log('done');

  step('small: cdk8s-argocd check against the synthesis it runs');
  // both as CI has them: the app command of the repository's cdk8s.yaml, from the repository root
  const appCommand = 'node --import tsx examples/platform/main.ts';
  const checkRatios: number[] = [];
  const checkMs: number[] = [];
  const synthMs: number[] = [];
  const checkRuns: Run[] = [];
  const synthRuns: Run[] = [];
  for (let i = 0; i < n; i++) {
    const s = run(appCommand, REPO);
    const c = run(`node ${JSON.stringify(BUILT_CLI)} check`, REPO);
    synthRuns.push(s);
    checkRuns.push(c);
    synthMs.push(s.wallMs);
    checkMs.push(c.wallMs);
    checkRatios.push(c.wallMs / s.wallMs);
  }
  const checkRatio = median(checkRatios);
  figures.push({
    name: `small: \`cdk8s-argocd check\` / the synthesis it runs (\`${appCommand}\`), wall`,
    result: `${fmtX(checkRatio)}${range(checkRatios, fmtX)}: ${fmtMs(median(checkMs))} against ${fmtMs(median(synthMs))}${cpuNote(checkRuns, synthRuns)}`,
    target: '<= 1.3',
    met: checkRatio <= 1.3,
    value: checkRatio,
  });
  console.log('done');

  // -- library load
  step('library load on top of cdk8s and cdk8s-plus-28');
  const loadRuns = Array.from({ length: n * 2 }, () => run(node('load'), REPO).report!);
  const loads = loadRuns.map((r) => r.wallMs);
  const load = median(loads);
  figures.push({ name: 'library load (the package root) on top of cdk8s and cdk8s-plus-28, wall', result: `${fmtMs(load)}${range(loads, fmtMs)}; CPU ${fmtMs(median(loadRuns.map((r) => r.cpuMs)))}`, target: '<= 150 ms', met: load <= 150, value: load });
  console.log('done');

  // -- validate --crds on the flagship
  if (fs.existsSync(CRDS)) {
    step('validate --crds on the flagship');
    const v = Array.from({ length: Math.min(n, 3) }, () => run(`node ${JSON.stringify(BUILT_CLI)} validate --crds ${JSON.stringify(CRDS)}`, REPO));
    const vMs = median(v.map((r) => r.wallMs));
    const vMb = Math.max(...v.map((r) => r.peakMb));
    figures.push({ name: '`validate --crds` on the flagship, wall', result: `${fmtMs(vMs)}${range(v.map((r) => r.wallMs), fmtMs)}`, target: '<= 2 s', met: vMs <= 2000, value: vMs });
    figures.push({ name: '`validate --crds` on the flagship, peak memory (the largest process)', result: `${vMb.toFixed(0)} MB`, target: '<= 200 MB', met: vMb <= 200, value: vMb });
    console.log('done');
  } else {
    figures.push({ name: '`validate --crds` on the flagship', result: `not run: no CRD folder at ${CRDS} (set CRDS_DIR)`, target: '<= 2 s, <= 200 MB', met: null });
  }

  // -- the fleet at 1x
  const fleetDir = path.join(WORK, 'fleet');
  const fleetOut = path.join(fleetDir, 'dist');
  const fleetEnv = (scale: number) => ({ CDK8S_ARGOCD_BENCH_SCALE: String(scale), CDK8S_ARGOCD_BENCH_OUTDIR: fleetOut });
  step('1x fleet: the app on its own, compiled');
  clearOutput(fleetOut);
  const fleetCold = run(node('fleet'), REPO, fleetEnv(1));
  const fleetFiles = listFiles(fleetOut);
  console.log(`${fleetFiles.length} files`);

  // the documents, for the peers (untimed)
  const jsyaml = require('js-yaml');
  const docsFile = path.join(WORK, 'fleet-docs.json');
  fs.writeFileSync(docsFile, JSON.stringify(fleetFiles.map((f) => ({ path: f, doc: jsyaml.load(fs.readFileSync(path.join(fleetOut, f), 'utf-8')) }))));

  step('1x fleet under `npx cdk8s synth` against the app on its own');
  const cliDir = path.join(WORK, 'fleet-cli');
  fs.mkdirSync(cliDir, { recursive: true });
  fs.writeFileSync(path.join(cliDir, 'cdk8s.yaml'), `language: typescript\napp: ${node('fleet')}\noutput: cdk8s.out\n`);
  const underCli: number[] = [];
  const alone: number[] = [];
  const cliRatios: number[] = [];
  let cliPeak = 0;
  const aloneRuns: Run[] = [];
  const cliRuns: Run[] = [];
  for (let i = 0; i < n; i++) {
    const a = run(node('fleet'), REPO, fleetEnv(1));
    const c = run('npx cdk8s synth', cliDir, fleetEnv(1));
    aloneRuns.push(a);
    cliRuns.push(c);
    alone.push(a.wallMs);
    underCli.push(c.wallMs);
    cliRatios.push(c.wallMs / a.wallMs);
    cliPeak = Math.max(cliPeak, c.peakMb);
  }
  const cliRatio = median(cliRatios);
  figures.push({
    name: '1x fleet: `npx cdk8s synth` / the same app run on its own (node, compiled), wall',
    result: `${fmtX(cliRatio)}${range(cliRatios, fmtX)}: ${fmtMs(median(underCli))} against ${fmtMs(median(alone))}${cpuNote(cliRuns, aloneRuns)}`,
    target: '<= 1.5',
    met: cliRatio <= 1.5,
    value: cliRatio,
  });
  console.log('done');

  step('1x fleet against the @kubernetes-models peer and the plain js-yaml script');
  const peerOut = (p: string) => path.join(WORK, `peer-${p}`);
  const lib: Run[] = [];
  const models: Run[] = [];
  const plain: Run[] = [];
  const overModels: number[] = [];
  const overPlain: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = run(node('fleet'), REPO, fleetEnv(1));
    fs.rmSync(peerOut('models'), { recursive: true, force: true });
    const m = run(node('models'), REPO, { CDK8S_ARGOCD_BENCH_DOCS: docsFile, CDK8S_ARGOCD_BENCH_OUTDIR: peerOut('models') });
    fs.rmSync(peerOut('yaml'), { recursive: true, force: true });
    const y = run(node('yaml'), REPO, { CDK8S_ARGOCD_BENCH_DOCS: docsFile, CDK8S_ARGOCD_BENCH_OUTDIR: peerOut('yaml') });
    lib.push(b);
    models.push(m);
    plain.push(y);
    overModels.push(b.wallMs / m.wallMs);
    overPlain.push(b.wallMs / y.wallMs);
  }
  const same = (dir: string): number => fleetFiles.filter((f) => {
    try {
      return fs.readFileSync(path.join(dir, f)).equals(fs.readFileSync(path.join(fleetOut, f)));
    } catch {
      return false;
    }
  }).length;
  const libMs = median(lib.map((r) => r.wallMs));
  const mRatio = median(overModels);
  const yRatio = median(overPlain);
  figures.push({
    name: `1x fleet as a whole process / the @kubernetes-models peer (\`validate()\` and js-yaml; ${same(peerOut('models'))} of ${fleetFiles.length} files the same bytes)`,
    result: `${fmtX(mRatio)}${range(overModels, fmtX)}: ${fmtMs(libMs)} against ${fmtMs(median(models.map((r) => r.wallMs)))}${cpuNote(lib, models)}`,
    target: '<= 1.0',
    met: mRatio <= 1.0,
    value: mRatio,
  });
  figures.push({
    name: `1x fleet as a whole process / the plain js-yaml script (${same(peerOut('yaml'))} of ${fleetFiles.length} files the same bytes)`,
    result: `${fmtX(yRatio)}${range(overPlain, fmtX)}: ${fmtMs(libMs)} against ${fmtMs(median(plain.map((r) => r.wallMs)))}${cpuNote(lib, plain)}`,
    target: '<= 1.5',
    met: yRatio <= 1.5,
    value: yRatio,
  });
  const peak = median(lib.map((r) => r.peakMb));
  figures.push({ name: '1x fleet: peak memory of the app', result: `${peak.toFixed(0)} MB${range(lib.map((r) => r.peakMb), (x) => x.toFixed(0))}`, target: '< 300 MB', met: peak < 300, value: peak });
  console.log('done');

  step('1x fleet against plain cdk8s (one file per resource), cold');
  const cdk8sOut = peerOut('cdk8s');
  const coldRatios: number[] = [];
  const coldLib: number[] = [fleetCold.wallMs];
  const coldCdk8s: number[] = [];
  const coldLibRuns: Run[] = [];
  const coldCdk8sRuns: Run[] = [];
  for (let i = 0; i < n; i++) {
    clearOutput(fleetOut);
    const b = i === 0 ? fleetCold : run(node('fleet'), REPO, fleetEnv(1));
    if (i > 0) coldLib.push(b.wallMs);
    fs.rmSync(cdk8sOut, { recursive: true, force: true });
    const a = run(node('cdk8s'), REPO, { CDK8S_ARGOCD_BENCH_DOCS: docsFile, CDK8S_ARGOCD_BENCH_OUTDIR: cdk8sOut });
    coldLibRuns.push(b);
    coldCdk8sRuns.push(a);
    coldCdk8s.push(a.wallMs);
    coldRatios.push(b.wallMs / a.wallMs);
  }
  const coldRatio = median(coldRatios);
  figures.push({
    name: '1x fleet, cold: the library / plain cdk8s writing one file per resource for the same documents, whole processes',
    result: `${fmtX(coldRatio)}${range(coldRatios, fmtX)}: ${fmtMs(median(coldLib))} against ${fmtMs(median(coldCdk8s))}${cpuNote(coldLibRuns, coldCdk8sRuns)}`,
    target: '<= 0.5',
    met: coldRatio <= 0.5,
    value: coldRatio,
  });
  console.log('done');

  // -- growth
  const perObject = (scale: number): number => {
    clearOutput(fleetOut);
    run(node('fleet'), REPO, fleetEnv(scale)); // cold, then warm runs
    const runs = Array.from({ length: scale > 1 ? Math.min(n, 2) : n }, () => run(node('fleet'), REPO, fleetEnv(scale)).wallMs);
    return median(runs) / listFiles(fleetOut).length;
  };
  const big = args.sizes.filter((s) => s > 1);
  if (big.length > 0) {
    step(`growth to ${big.join(', ')}x`);
    const base = perObject(1);
    for (const s of big) {
      const g = perObject(s) / base;
      figures.push({ name: `per-object time at ${s}x / at 1x, whole processes (warm)`, result: fmtX(g), target: '<= 1.3', met: g <= 1.3, value: g });
    }
    console.log('done');
  } else {
    figures.push({ name: 'per-object time at 10x / at 1x, whole processes', result: 'not run (`-- --sizes 1,10`)', target: '<= 1.3', met: null });
  }

  // -- npm test
  if (args.npmTest) {
    step('npm test');
    const t = run('npm test --silent -- --reporter=dot', REPO);
    figures.push({ name: '`npm test`, wall', result: fmtMs(t.wallMs), target: '<= 2 min', met: t.wallMs <= 120_000, value: t.wallMs });
    console.log('done');
  } else {
    figures.push({ name: '`npm test`, wall', result: 'not run (`--no-npm-test`)', target: '<= 2 min', met: null });
  }

  fs.rmSync(WORK, { recursive: true, force: true });

  console.log();
  console.log('| figure | result | target | |');
  console.log('| --- | --- | --- | --- |');
  for (const f of figures) console.log(`| ${f.name} | ${f.result} | ${f.target} | ${f.met === null ? 'not measured' : f.met ? 'met' : '**missed**'} |`);
  const out = path.join(__dirname, 'results-processes.json');
  fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), cores: os.cpus().length, node: process.version, runs: n, figures }, null, 2)}\n`);
  console.log(`\n(written to ${path.relative(REPO, out)})`);
}

main(parseArgs(process.argv.slice(2))).catch((e) => {
  console.error(e);
  process.exit(1);
});
