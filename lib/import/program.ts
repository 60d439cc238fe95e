// Writes the program: one chart per input directory (written back to the same directory with
// `OutputDirectory.set()`), the AppProjects first so that Applications can refer to them, then
// every other object of each chart; each object through its importer, or as an `ApiObject` when the
// L2 API cannot say it, with the JSON patches the comparison found after it, each commented.
import { Code, defined, key, render, variableName } from './_code';
import { ImportContext, ImportedConstruct, Imports, NotExpressible } from './_context';
import { PatchOp, fieldName } from './_diff';
import { importApiObject } from './api-object';
import { importAppProject } from './app-project';
import { importApplication } from './application';
import { clusterSecretsIn, generatedProjects, importApplicationSet } from './application-set';
import { Constants } from './constants';
import { RepoPlan } from './structure';
import { VersionTable } from './versions';
import { STORE_KINDS, TYPED_MORE, storeKey, typedMore } from './typed-more';

/** One object read from the input. */
export interface InputObject {
  /** Its file, relative to the input root (`-` for standard input). */
  readonly file: string;
  /** Its document in the file, from 1. */
  readonly document: number;
  readonly manifest: any;
}

/** How one object is written. */
export interface Unit {
  readonly input: InputObject;
  readonly chart: ChartPlan;
  readonly id: string;
  /** The L2 class, or `ApiObject`. */
  how: string;
  /** Why the object is written as an `ApiObject` although a typed construct exists. */
  fallback?: string;
  /** The patches the comparison found. */
  patches: PatchOp[];
  /** For a Secret allowed in plain text: the reason given to `PlaintextSecret.allow()`. */
  allowReason?: string;
}

/** One chart of the program. */
export interface ChartPlan {
  readonly id: string;
  readonly directory: string;
  readonly files: Set<string>;
  readonly ids: Set<string>;
  /** The chart's construct path when it is not `id` (an environment's chart of a GitOpsRepo). */
  constructPath?: string;
}

const TYPED: { [kind: string]: (ctx: ImportContext, obj: any) => ImportedConstruct } = {
  'argoproj.io/Application': importApplication,
  'argoproj.io/AppProject': importAppProject,
  'argoproj.io/ApplicationSet': importApplicationSet,
  ...TYPED_MORE,
};

/** The importer a manifest has, when the library has a typed construct for it. */
export function typedImporter(m: any): ((ctx: ImportContext, obj: any) => ImportedConstruct) | undefined {
  const group = typeof m.apiVersion === 'string' ? m.apiVersion.split('/')[0] : '';
  return TYPED[`${group}/${m.kind}`] ?? typedMore(m);
}

/** The identity an object is matched by between the input and the synthesized output. */
export function identity(m: any): string {
  const meta = m?.metadata ?? {};
  const group = typeof m?.apiVersion === 'string' && m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '';
  return `${group}/${m?.kind}/${meta.namespace ?? ''}/${meta.name ?? ''}`;
}

/** Plans the charts and construct ids of the objects. */
export function plan(inputs: readonly InputObject[]): Unit[] {
  const charts = new Map<string, ChartPlan>();
  const chartIds = new Set<string>();
  const units: Unit[] = [];
  // each file's objects are written to the file's directory; a file with an object another file
  // of that directory already has (same kind, namespace and name: the same output file) gets a
  // directory of its own, named after it
  const fileDirs = new Map<string, string>();
  const written = new Map<string, Set<string>>();
  const outputName = (m: any) => `${String(m.kind).toLowerCase()}_${m.metadata?.namespace ?? ''}_${m.metadata?.name ?? ''}`;
  for (const file of [...new Set(inputs.map((i) => i.file))]) {
    const base = file === '-' || !file.includes('/') ? '.' : file.slice(0, file.lastIndexOf('/'));
    const names = inputs.filter((i) => i.file === file && i.manifest.metadata?.name !== undefined).map((i) => outputName(i.manifest));
    let dir = base;
    if (names.some((n) => written.get(dir)?.has(n))) {
      const stem = (file === '-' ? 'stdin' : file.slice(file.lastIndexOf('/') + 1)).replace(/\.ya?ml$/, '');
      dir = base === '.' ? stem : `${base}/${stem}`;
      for (let i = 2; names.some((n) => written.get(dir)?.has(n)); i++) dir = base === '.' ? `${stem}-${i}` : `${base}/${stem}-${i}`;
    }
    if (!written.has(dir)) written.set(dir, new Set());
    for (const n of names) written.get(dir)!.add(n);
    fileDirs.set(file, dir);
  }
  for (const input of inputs) {
    const dir = fileDirs.get(input.file)!;
    let chart = charts.get(dir);
    if (!chart) {
      let id = dir === '.' ? 'root' : dir.replace(/\//g, '-');
      for (let i = 2; chartIds.has(id); i++) id = `${dir === '.' ? 'root' : dir.replace(/\//g, '-')}-${i}`;
      chartIds.add(id);
      chart = { id, directory: dir, files: new Set(), ids: new Set() };
      charts.set(dir, chart);
    }
    chart.files.add(input.file);
    const m = input.manifest;
    const name = String(m.metadata?.name ?? m.metadata?.generateName ?? String(m.kind).toLowerCase());
    const kind = String(m.kind).toLowerCase();
    const candidates = [name, `${kind}-${name}`, `${kind}-${m.metadata?.namespace ?? ''}-${name}`];
    let id = candidates.find((c) => !chart!.ids.has(c) && !c.includes('/') && c !== '') ?? `${kind}-${name}`.replace(/\//g, '-');
    for (let i = 2; chart.ids.has(id); i++) id = `${candidates[1].replace(/\//g, '-')}-${i}`;
    chart.ids.add(id);
    units.push({ input, chart, id, how: typedImporter(m) ? 'typed' : 'ApiObject', patches: [] });
  }
  return units;
}

/** The program for the units, as the text of a main.ts. */
export function writeProgram(units: readonly Unit[], repo?: RepoPlan): string {
  const imports = new Imports();
  const taken = new Set<string>(['app']);
  for (const u of units) u.chart.constructPath = undefined;
  const lib = (name: string) => imports.use('cdk8s-argocd', name);
  // the App of Apps roots written as environments of a GitOpsRepo: the root is the environment's,
  // its directory the environment's chart, the bootstrap directory the repository's
  const roots = new Set<InputObject>();
  const given = new Map<ChartPlan, string>();
  const repoLines: string[] = [];
  const constants = Constants.of(units.map((u) => u.input.manifest), taken);
  const versions = VersionTable.of(units, taken);
  if (repo) {
    const repoVar = variableName('repo', taken);
    const source = constants.substitute(Code.call('ApplicationSource.git', { repoUrl: repo.repoUrl, targetRevision: repo.targetRevision })) as Code;
    const props: { [k: string]: unknown } = { ...(source.args[0] as object) };
    if (repo.outputRoot !== '.') props.outputRoot = repo.outputRoot;
    if (repo.namespace !== 'argocd') props.argoCdNamespace = repo.namespace;
    repoLines.push('// App of Apps roots with the shape of GitOpsRepo environments: each root is its environment\'s');
    const head = `const ${repoVar} = `;
    repoLines.push(`${head}${render(Code.construct(lib('GitOpsRepo'), Code.ref('app'), 'repo', props), 0, head.length)};`);
    for (const p of repo.externalPaths) repoLines.push(`${repoVar}.addExternalPath(${render(p, 0)}); // read by an Application, not in the input`);
    for (const c of repo.externalClusters) repoLines.push(`${repoVar}.addExternalCluster(${render(c, 0)}); // deployed to, not registered by the input`);
    for (const e of repo.environments) {
      roots.add(e.root);
      const v = variableName(e.name, taken);
      const options = defined({
        rootName: e.rootName,
        rootSyncPolicy: e.manualRoot ? {} : undefined,
        selfManagedRoot: e.selfManagedRoot ? true : undefined,
      });
      const call = Code.call(`${repoVar}.addEnvironment`, e.name, ...(Object.keys(options).length > 0 ? [options] : []));
      repoLines.push(`const ${v} = ${render(call, 0, `const ${v} = `.length)};`);
      const envChart = units.find((u) => u.chart.directory === e.directory)?.chart;
      if (envChart) {
        given.set(envChart, `${v}.chart`);
        envChart.constructPath = `repo/${e.name}/Applications`;
      }
      const rootChart = units.find((u) => u.input === e.root)?.chart;
      if (rootChart && !e.selfManagedRoot && rootChart.directory === 'bootstrap' && !given.has(rootChart)) {
        given.set(rootChart, `${repoVar}.bootstrap`);
        rootChart.constructPath = 'repo/Bootstrap';
      }
    }
    repoLines.push('');
  }
  const charts = [...new Set(units.map((u) => u.chart))];
  const chartVars = new Map<ChartPlan, string>();
  for (const c of charts) chartVars.set(c, given.get(c) ?? variableName(c.directory === '.' ? 'root' : c.directory, taken));

  // projects: the imported AppProject's variable, or a reference declared once
  const projectUnits = new Map<string, Unit>();
  for (const u of units) {
    if (u.fallback === undefined && u.input.manifest.kind === 'AppProject' && typedImporter(u.input.manifest)) {
      const name = u.input.manifest.metadata?.name;
      if (typeof name === 'string' && !projectUnits.has(name)) projectUnits.set(name, u);
    }
  }
  // secret stores, the same way: the imported store's variable, or a reference declared once
  const storeUnits = new Map<string, Unit>();
  for (const u of units) {
    const m = u.input.manifest;
    if (u.fallback === undefined && STORE_KINDS.includes(m.kind) && typedImporter(m) && typeof m.metadata?.name === 'string') {
      const k = storeKey(m.kind, m.metadata.name, m.metadata.namespace);
      if (!storeUnits.has(k)) storeUnits.set(k, u);
    }
  }
  const unitVars = new Map<Unit, string>();
  const projectVar = (u: Unit) => {
    let v = unitVars.get(u);
    if (!v) unitVars.set(u, (v = variableName(`${u.input.manifest.metadata.name}-${storeUnits.get(storeKey(u.input.manifest.kind, u.input.manifest.metadata?.name, u.input.manifest.metadata?.namespace)) === u ? 'store' : 'project'}`, taken)));
    return v;
  };
  const storeReferences: Array<{ v: string; text: string }> = [];
  const storeReferenceVars = new Map<string, string>();
  const references: Array<{ v: string; text: string }> = [];
  const referenceVars = new Map<string, string>();
  const usedReferences = new Set<string>();
  const referenceIds = new Set(charts.map((c) => c.id));
  let declaring = false;
  const ctx: ImportContext = {
    imports,
    lib,
    projectRef: (name) => {
      const u = projectUnits.get(name);
      if (u) return Code.ref(projectVar(u));
      let v = referenceVars.get(name);
      if (!v) {
        v = variableName(`${name}-project`, taken);
        referenceVars.set(name, v);
        let id = `project-${name}`;
        for (let i = 2; referenceIds.has(id); i++) id = `project-${name}-${i}`;
        referenceIds.add(id);
        references.push({ v, text: `${lib('AppProject')}.fromProjectName(app, ${render(id, 0)}, ${render(name, 0)});` });
      }
      if (!declaring) usedReferences.add(v);
      return Code.ref(v);
    },
    storeRef: (kind, name, namespace) => {
      const u = storeUnits.get(storeKey(kind, name, namespace)) ?? (kind === 'SecretStore' ? storeUnits.get(storeKey(kind, name, undefined)) : undefined);
      // stores are written first: one its importer could not say is an ApiObject by now
      if (u && u.fallback === undefined) return Code.ref(projectVar(u));
      const k = `${kind}/${name}`;
      let v = storeReferenceVars.get(k);
      if (!v) {
        v = variableName(`${name}-store`, taken);
        storeReferenceVars.set(k, v);
        let id = `store-${name}`;
        for (let i = 2; referenceIds.has(id); i++) id = `store-${name}-${i}`;
        referenceIds.add(id);
        storeReferences.push({ v, text: `${lib(kind)}.fromName(app, ${render(id, 0)}, ${render(name, 0)}, { managedOutsideApp: true });` });
      }
      return Code.ref(v);
    },
  };
  const isReferenced = (u: Unit) => isProject(u, projectUnits) || isStore(u, storeUnits);

  let secrets: any[] | undefined;
  const clusterSecrets = () => (secrets ??= clusterSecretsIn(units.map((u) => u.input.manifest)));
  const blocks = new Map<ChartPlan, string[]>();
  const projectBlocks: string[] = [];
  const ordered = [...units].sort((a, b) => Number(isReferenced(b)) - Number(isReferenced(a)));
  for (const u of ordered) {
    if (roots.has(u.input)) {
      u.how = 'GitOpsRepo';
      continue;
    }
    const declare = (name: string) => { declaring = true; ctx.projectRef(name); declaring = false; };
    const lines = unitCode(ctx, u, chartVars.get(u.chart)!, isReferenced(u) ? projectVar(u) : undefined, taken, declare, clusterSecrets, constants, versions);
    if (isReferenced(u)) projectBlocks.push(...lines);
    else {
      if (!blocks.has(u.chart)) blocks.set(u.chart, []);
      blocks.get(u.chart)!.push(...lines);
    }
  }

  const versionLines = versions.declaration(() => lib('Versions'));
  if (charts.some((c) => !given.has(c))) {
    imports.use('cdk8s', 'Chart');
    lib('OutputDirectory');
  }
  lib('ArgoCdApp');
  const out: string[] = [];
  out.push('// Written by `cdk8s-argocd import`: the imported objects as constructs. `npx cdk8s synth` writes them to dist/.');
  out.push(...imports.lines(), '');
  out.push("const app = new ArgoCdApp({ outdir: 'dist' });", '');
  const own = charts.filter((c) => !given.has(c));
  for (const c of own) {
    const v = chartVars.get(c)!;
    out.push(`// ${[...c.files].sort().join(', ')}`);
    out.push(`const ${v} = new Chart(app, ${render(c.id, 0)});`);
    out.push(`OutputDirectory.set(${v}, ${render(c.directory, 0)});`);
  }
  if (own.length > 0) out.push('');
  const declarations = constants.declarations();
  if (declarations.length > 0) out.push('// values the imported objects repeat', ...declarations, '');
  if (versionLines.length > 0) out.push(...versionLines, '');
  out.push(...repoLines);
  if (references.length > 0) {
    out.push('// projects declared outside this repository');
    for (const r of references) out.push(usedReferences.has(r.v) ? `const ${r.v} = ${r.text}` : r.text);
    out.push('');
  }
  // a store no object of the input names needs no variable
  for (const u of storeUnits.values()) {
    const v = unitVars.get(u);
    if (v === undefined) continue;
    const uses = (text: string) => (text.match(new RegExp(`\\b${v}\\b`, 'g')) ?? []).length;
    const total = projectBlocks.reduce((n, l) => n + uses(l), 0) + [...blocks.values()].flat().reduce((n, l) => n + uses(l), 0);
    const i = projectBlocks.findIndex((l) => l.startsWith(`const ${v} = new `));
    if (total === 1 && i >= 0) projectBlocks[i] = projectBlocks[i].slice(`const ${v} = `.length);
  }
  // a store reference is left out when what named it was written as it is after all
  const body = [...projectBlocks, ...[...blocks.values()].flat()].join('\n');
  const usedStores = storeReferences.filter((r) => new RegExp(`\\b${r.v}\\b`).test(body));
  if (usedStores.length > 0) {
    out.push('// secret stores declared outside this repository');
    for (const r of usedStores) out.push(`const ${r.v} = ${r.text}`);
    out.push('');
  }
  if (projectBlocks.length > 0) out.push(...projectBlocks);
  for (const c of charts) {
    const lines = blocks.get(c);
    if (lines) out.push(...lines);
  }
  out.push('app.synth();', '');
  return out.join('\n');
}

function isProject(u: Unit, projects: Map<string, Unit>): boolean {
  return u.input.manifest.kind === 'AppProject' && projects.get(u.input.manifest.metadata?.name) === u;
}

function isStore(u: Unit, stores: Map<string, Unit>): boolean {
  const m = u.input.manifest;
  return STORE_KINDS.includes(m.kind) && stores.get(storeKey(m.kind, m.metadata?.name, m.metadata?.namespace)) === u;
}

/** The statements of one unit; sets its `how` and, when its importer cannot say it, its fallback. */
function unitCode(ctx: ImportContext, u: Unit, chartVar: string, variable: string | undefined, taken: Set<string>, declare?: (project: string) => void, clusterSecrets: () => any[] = () => [], constants?: Constants, versions?: VersionTable): string[] {
  let imported: ImportedConstruct | undefined;
  let afterLines: string[] = [];
  const importer = u.fallback === undefined ? typedImporter(u.input.manifest) : undefined;
  if (u.input.manifest.kind === 'ApplicationSet' && declare) for (const p of generatedProjects(u.input.manifest, clusterSecrets())) declare(p);
  if (importer) {
    try {
      imported = importer(ctx, u.input.manifest);
      afterLines = imported.after ? imported.after('__VAR__') : [];
    } catch (e) {
      if (!(e instanceof NotExpressible)) throw e;
      u.fallback = `the typed construct cannot say ${e.message}`;
      imported = undefined;
    }
  }
  if (!imported) {
    // an ApplicationSet's template names its project: declared, so that the app's checks of the
    // Applications it generates know it
    const m = u.input.manifest;
    const project = m.kind === 'ApplicationSet' ? m.spec?.template?.spec?.project : undefined;
    if (typeof project === 'string' && !project.includes('{{') && project !== '' && declare) declare(project);
    imported = importApiObject(ctx, u.input.manifest);
    afterLines = imported.after ? imported.after('__VAR__') : [];
  }
  if (u.allowReason !== undefined && imported.className === 'ApiObject') {
    const m = u.input.manifest;
    const props = imported.props as any;
    const annotations = { ...(props.metadata?.annotations ?? {}) };
    delete annotations['cdk8s-argocd.io/plaintext-allowed-reason'];
    const metadata = { ...props.metadata };
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
    const keys = [...new Set([...Object.keys(m.data ?? {}), ...Object.keys(m.stringData ?? {})])];
    const P = ctx.lib('PlaintextSecret');
    const previous = imported.after;
    const reason = u.allowReason;
    imported = {
      ...imported,
      props: { ...props, metadata },
      after: (v) => [...(previous ? previous(v) : []), `${P}.allow(${v}, ${render(reason, 0)}, ${render(keys, 0)});`],
    };
    afterLines = imported.after!('__VAR__');
  }
  u.how = imported.className;
  ctx.imports.use(imported.module, imported.className);
  let props = { ...((constants ? constants.substitute(imported.props) : imported.props) as { [k: string]: unknown }) };
  if (versions && imported.className === 'ApiObject') props = versions.substitute(u, props) as { [k: string]: unknown };
  if (imported.className !== 'ApiObject' && props.name === u.id) delete props.name;
  if (imported.className === 'ApiObject' && u.input.manifest.metadata?.name === undefined) {
    u.patches = [{ op: 'remove', path: '/metadata/name' }, ...u.patches.filter((p) => p.path !== '/metadata/name')];
  }
  const patchLines = u.patches.map((p) => patchStatement(ctx, p, imported!.className, '__VAR__'));
  const needsVar = variable !== undefined || afterLines.length > 0 || patchLines.length > 0;
  const v = variable ?? (needsVar ? variableName(u.id, taken) : '');
  const lines: string[] = [];
  if (u.fallback) lines.push(`// ${u.input.manifest.kind} as it is: ${u.fallback}`);
  const construct = Code.construct(imported.className, Code.ref(chartVar), u.id, props);
  const head = needsVar ? `const ${v} = ` : '';
  lines.push(`${head}${render(construct, 0, head.length)};`);
  for (const l of [...afterLines, ...patchLines]) lines.push(l.split('__VAR__').join(v));
  lines.push('');
  return lines;
}

function patchStatement(ctx: ImportContext, p: PatchOp, className: string, v: string): string {
  const J = ctx.imports.use('cdk8s', 'JsonPatch');
  const target = className === 'ApiObject' ? v : `${ctx.imports.use('cdk8s', 'ApiObject')}.of(${v})`;
  const why = p.path === '/metadata/name' && p.op === 'remove'
    ? 'metadata.name: the object has only generateName'
    : `${fieldName(p.path)}: not said by ${className}'s props; written as it is`;
  const head = `${target}.addJsonPatch(`;
  const call = p.op === 'remove' ? Code.call(`${J}.remove`, p.path) : Code.call(`${J}.${p.op}`, p.path, p.value);
  return `// ${why}\n${head}${render(call, 0, head.length)});`;
}

export { key };
