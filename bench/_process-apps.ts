// The programs bench/processes.ts times as whole processes, compiled by it (esbuild) into one
// CommonJS file with the library's imports turned into requires of its jsii build, as a user's
// compiled app runs the published library. `node apps.cjs <program>`, configured by environment:
//
//   fleet      the fleet (bench/fleet.ts) at CDK8S_ARGOCD_BENCH_SCALE, synthesized by ArgoCdApp into
//              CDK8S_ARGOCD_BENCH_OUTDIR
//   platform   the flagship example (examples/platform) synthesized into CDK8S_ARGOCD_BENCH_OUTDIR
//   load       loads cdk8s and cdk8s-plus-28, then the library's package root, and nothing else
//   yaml       the plain peer: every document of CDK8S_ARGOCD_BENCH_DOCS (JSON) written with js-yaml
//              and writeFileSync to its path under CDK8S_ARGOCD_BENCH_OUTDIR
//   models     the @kubernetes-models peer: the same documents as kubernetes-models and
//              @kubernetes-models/argo-cd objects, each `validate()`d, then written as `yaml` does
//   cdk8s      plain cdk8s: the same documents as `ApiObject`s, one chart per directory, synthesized
//              by cdk8s' App in its one-file-per-resource mode into CDK8S_ARGOCD_BENCH_OUTDIR
//
// With CDK8S_ARGOCD_BENCH_REPORT set, the program writes there, at exit, its CPU time (all
// threads) and wall time from the moment cdk8s and cdk8s-plus-28 were loaded (or, for the peers,
// from its start), and what it wrote.
import * as fs from 'fs';
import * as path from 'path';

const cpuStart = process.cpuUsage();
const wallStart = performance.now();
const program = process.argv[2];
const outdir = process.env.CDK8S_ARGOCD_BENCH_OUTDIR ?? '';
const report = process.env.CDK8S_ARGOCD_BENCH_REPORT;

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
let cpuLoaded = cpuStart;
let wallLoaded = wallStart;
let files = 0;

function loadCdk8s(): void {
  require('cdk8s');
  require('cdk8s-plus-28');
  cpuLoaded = process.cpuUsage();
  wallLoaded = performance.now();
}

interface Doc {
  readonly path: string;
  readonly doc: any;
}

function readDocs(): Doc[] {
  return JSON.parse(fs.readFileSync(process.env.CDK8S_ARGOCD_BENCH_DOCS!, 'utf-8'));
}

function writeAll(docs: Doc[], dump: (doc: any) => string): void {
  const dirs = new Set<string>();
  for (const d of docs) {
    const file = path.join(outdir, d.path);
    const dir = path.dirname(file);
    if (!dirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    fs.writeFileSync(file, dump(d.doc));
  }
  files = docs.length;
}

// the options the library's writer gives js-yaml (lib/_internal/yaml.ts), without its schema and
// its quoting of the strings Go would read as something else
const YAML_OPTIONS = { lineWidth: -1, noRefs: true, sortKeys: false };

switch (program) {
  case 'fleet': {
    loadCdk8s();
    const { buildFleet } = require('./fleet') as typeof import('./fleet');
    const app = buildFleet(Number(process.env.CDK8S_ARGOCD_BENCH_SCALE ?? '1'), outdir).app;
    app.synth();
    break;
  }
  case 'platform': {
    loadCdk8s();
    const { buildPlatform } = require('../examples/platform/platform') as typeof import('../examples/platform/platform');
    buildPlatform(outdir).synth();
    break;
  }
  case 'load': {
    loadCdk8s();
    require('../lib');
    break;
  }
  case 'yaml': {
    const jsyaml = require('js-yaml');
    writeAll(readDocs(), (doc) => jsyaml.dump(doc, YAML_OPTIONS));
    break;
  }
  case 'models': {
    // kubernetes-models and @kubernetes-models/argo-cd are ES modules only
    void modelClasses().then((models) => {
      const jsyaml = require('js-yaml');
      writeAll(readDocs(), (doc) => {
        const Model = models.get(`${doc.apiVersion}/${doc.kind}`);
        if (Model === undefined) return jsyaml.dump(doc, YAML_OPTIONS);
        const m = new Model(doc);
        m.validate();
        return jsyaml.dump(m.toJSON(), YAML_OPTIONS);
      });
    });
    break;
  }
  case 'cdk8s': {
    loadCdk8s();
    const { ApiObject, App, Chart, YamlOutputType } = require('cdk8s') as typeof import('cdk8s');
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    const charts = new Map<string, InstanceType<typeof Chart>>();
    const docs = readDocs();
    docs.forEach((d, i) => {
      const dir = path.dirname(d.path);
      let chart = charts.get(dir);
      if (chart === undefined) {
        chart = new Chart(app, dir.replace(/[^A-Za-z0-9-]/g, '-') || 'root');
        charts.set(dir, chart);
      }
      new ApiObject(chart, `o${i}`, d.doc);
    });
    app.synth();
    files = docs.length;
    break;
  }
  default:
    throw new Error(`unknown program ${program}: fleet, platform, load, yaml, models or cdk8s`);
}

/** The kubernetes-models classes of the kinds the fleet writes, by `apiVersion/kind`. */
async function modelClasses(): Promise<Map<string, any>> {
  const modules: { [apiVersion: string]: string } = {
    'v1': 'kubernetes-models/v1',
    'apps/v1': 'kubernetes-models/apps/v1',
    'batch/v1': 'kubernetes-models/batch/v1',
    'policy/v1': 'kubernetes-models/policy/v1',
    'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
    'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
    'rbac.authorization.k8s.io/v1': 'kubernetes-models/rbac.authorization.k8s.io/v1',
    'argoproj.io/v1alpha1': '@kubernetes-models/argo-cd/argoproj.io/v1alpha1',
  };
  const out = new Map<string, any>();
  for (const [apiVersion, name] of Object.entries(modules)) {
    const mod = await import(name);
    for (const [kind, cls] of Object.entries(mod as { [k: string]: any })) {
      if (typeof cls === 'function' && typeof cls.prototype?.validate === 'function') out.set(`${apiVersion}/${kind}`, cls);
    }
  }
  return out;
}

process.on('exit', () => {
  if (!report) return;
  const cpuExit = process.cpuUsage();
  fs.writeFileSync(report, JSON.stringify({
    program,
    cpuMs: cpuMs(cpuExit) - cpuMs(cpuLoaded),
    wallMs: performance.now() - wallLoaded,
    loadCpuMs: cpuMs(cpuLoaded) - cpuMs(cpuStart),
    files,
  }));
});
