// `cdk8s-argocd windows`: what the sync windows of the committed AppProjects say at a given time
// (now by default): which windows are open, when each opens and closes next, and, for an
// Application, whether it may sync automatically or manually then. The evaluation is Argo CD
// v3.5.1's (lib/argocd/sync-windows.ts); the YAML is the committed one, read as Git sees it.
import * as fs from 'fs';
import * as path from 'path';
import { compareStrings } from '../_internal/values';
import { loadYamlDocuments } from '../_internal/yaml';
import { SyncDecision, SyncWindowState, SyncWindows } from '../argocd/sync-windows';
import { UsageError, listFiles } from './_app-runner';
import { CliIo, EXIT_ERROR, EXIT_FINDING, EXIT_OK, errorLine, plural, readStdin, summary } from './_output';
import { RepoObject, STDIN_FILE, gitCheckout, gitFiles } from './_repo';

/** Options of `runWindows`. */
export interface WindowsOptions {
  /** The moment to evaluate at (RFC 3339); absent: now. */
  readonly at?: string;
  /** An Application's name: also say whether it may sync then. */
  readonly app?: string;
  /** Print a JSON report. */
  readonly json?: boolean;
}

/** One project of the report. */
interface ProjectReport {
  readonly name: string;
  readonly namespace?: string;
  readonly file: string;
  readonly windows: SyncWindowState[];
}

/** One Application of the report (with `--app`). */
interface AppReport extends SyncDecision {
  readonly name: string;
  readonly namespace?: string;
  readonly file: string;
  readonly project: string;
  /** false when no committed AppProject has the Application's project name (Argo CD's `default`, say) */
  readonly projectFound: boolean;
}

function isKind(m: any, kind: string): boolean {
  return m && m.kind === kind && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('argoproj.io/');
}

/** The objects of one file's YAML; a parse error names the file. */
function readYaml(text: string, file: string): RepoObject[] {
  let docs: unknown[];
  try {
    docs = loadYamlDocuments(text, { source: file });
  } catch (e: any) {
    const message = String(e?.message ?? e);
    throw new UsageError(message.startsWith(file) ? message : `${file === '-' ? 'standard input' : file}: ${message}`);
  }
  return docs.filter((manifest) => manifest !== null && typeof manifest === 'object').map((manifest) => ({ file, manifest }));
}

/** Where the YAML was read from, for messages. */
function describeSource(target: string | undefined): string {
  if (target === undefined) return 'the YAML files of the checkout';
  return target === '-' ? 'standard input' : target;
}

/**
 * The committed YAML: the files Git tracks (and untracked, not ignored ones), those under
 * `target`, or standard input when `target` is `-`.
 */
/** How files read from standard input are named in reports, as `preview -` names them. */
const STDIN_NAME = STDIN_FILE;

function committedObjects(io: CliIo, target: string | undefined, stdin: string | undefined): RepoObject[] {
  if (target === '-') return readYaml(stdin ?? '', STDIN_NAME);
  const fromPath = (abs: string) => {
    const files = fs.statSync(abs).isDirectory()
      ? listFiles(abs).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(abs, ...f.split('/')))
      : [abs];
    return files.flatMap((f) => readYaml(fs.readFileSync(f, 'utf-8'), path.relative(io.cwd, f).split(path.sep).join('/')));
  };
  if (target !== undefined) {
    const abs = path.resolve(io.cwd, target);
    if (!fs.existsSync(abs)) throw new UsageError(`${target}: no such file or folder`);
    return fromPath(abs);
  }
  const git = gitCheckout(io.cwd);
  if (!git) return fromPath(io.cwd);
  const objects: RepoObject[] = [];
  for (const file of gitFiles(git.root).filter((f) => /\.ya?ml$/.test(f))) {
    let docs: any[];
    try {
      docs = loadYamlDocuments(fs.readFileSync(path.join(git.root, file), 'utf-8'));
    } catch {
      continue; // not Kubernetes YAML (or not YAML at all): no AppProject in it
    }
    for (const manifest of docs) if (manifest && typeof manifest === 'object') objects.push({ file, manifest });
  }
  return objects;
}

function parseAt(at: string | undefined): Date {
  if (at === undefined) return new Date();
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;
  const d = new Date(at);
  if (!rfc3339.test(at) || Number.isNaN(d.getTime())) {
    throw new UsageError(`--at ${at}: not an RFC 3339 time; use e.g. 2026-12-24T22:30:00Z or 2026-12-24T23:30:00+01:00`);
  }
  return d;
}

function describeWindow(w: SyncWindowState): string {
  const head = `#${w.index} ${w.kind} '${w.schedule}' for ${w.duration}${w.timeZone !== 'UTC' ? ` (${w.timeZone})` : ''}${w.manualSync ? ', manual syncs allowed' : ''}`;
  if (w.problem?.startsWith('cannot')) return `${head}: ${w.problem}`;
  const closes = w.closesAt ? `closes ${w.closesAt.toISOString()}` : 'does not close';
  const state = w.active
    ? `open now, ${closes}`
    : w.opensAt ? `closed, opens ${w.opensAt.toISOString()}, ${closes}` : 'closed, never opens';
  return `${head}: ${state}${w.problem ? ` (note: ${w.problem})` : ''}`;
}

function describeDecision(a: AppReport): string {
  const where = `Application ${a.namespace ? `${a.namespace}/` : ''}${a.name} (project ${a.project})`;
  if (!a.projectFound) return `${where}: no committed AppProject '${a.project}'; its windows are unknown`;
  if (a.error) return `${where}: syncs blocked, Argo CD cannot evaluate its windows: ${a.error}`;
  const said = (ok: boolean) => (ok ? 'allowed' : 'blocked');
  const windows = a.matchingWindows.length === 0
    ? 'no window applies to it'
    : `windows ${a.matchingWindows.map((i) => `#${i}${a.activeWindows.includes(i) ? ' (open)' : ''}`).join(', ')} apply`;
  return `${where}: automated sync ${said(a.automatic)}, manual sync ${said(a.manual)}; ${windows}`;
}

/**
 * Runs `cdk8s-argocd windows`. Exit code 0; 1 when `--app` names an Application whose automated
 * sync is blocked at that time (by a window, or because Argo CD cannot evaluate its windows); 2 on
 * a usage error, YAML that cannot be read, or no AppProject in it.
 *
 * @param io streams and working directory
 * @param target a YAML file or folder, `-` for standard input; absent: the committed YAML of the checkout
 * @param options `--at`, `--app`, `--json`
 */
export async function runWindows(io: CliIo, target: string | undefined, options: WindowsOptions): Promise<number> {
  try {
    const at = parseAt(options.at);
    const objects = committedObjects(io, target, target === '-' ? await readStdin(io) : undefined);
    const projects = objects.filter((o) => isKind(o.manifest, 'AppProject'))
      .sort((a, b) => compareStrings(String(a.manifest.metadata?.name), String(b.manifest.metadata?.name)) || compareStrings(a.file, b.file));
    if (projects.length === 0) {
      throw new UsageError(`no AppProject in ${describeSource(target)} (${plural(objects.length, 'object')} read); `
        + 'pass the file or folder that holds the committed AppProjects, or - to read them from standard input');
    }
    const evaluated = new Map<string, { report: ProjectReport; windows: SyncWindows }>();
    for (const p of projects) {
      const windows = SyncWindows.fromAppProjectManifest(p.manifest);
      const name = String(p.manifest.metadata?.name ?? '');
      if (!evaluated.has(name)) {
        evaluated.set(name, { windows, report: { name, namespace: p.manifest.metadata?.namespace, file: p.file, windows: windows.at(at).windows } });
      }
    }
    const apps: AppReport[] = [];
    if (options.app !== undefined) {
      const found = objects.filter((o) => isKind(o.manifest, 'Application') && o.manifest.metadata?.name === options.app);
      if (found.length === 0) {
        const names = [...new Set(objects.filter((o) => isKind(o.manifest, 'Application')).map((o) => String(o.manifest.metadata?.name)))].sort(compareStrings);
        throw new UsageError(`--app ${options.app}: no committed Application of that name; there are ${names.length ? names.join(', ') : 'none'}`);
      }
      for (const o of found) {
        const m = o.manifest;
        const project = String(m.spec?.project ?? 'default');
        const e = evaluated.get(project);
        const dst = m.spec?.destination ?? {};
        const decision: SyncDecision = e
          ? e.windows.at(at).decide({ application: m.metadata?.name, namespace: dst.namespace, server: dst.server, clusterName: dst.name })
          : { automatic: true, manual: true, matchingWindows: [], activeWindows: [] };
        apps.push({ ...decision, name: m.metadata?.name, namespace: m.metadata?.namespace, file: o.file, project, projectFound: e !== undefined });
      }
    }
    const reports = [...evaluated.values()].map((e) => e.report);
    const blocked = apps.filter((a) => !a.automatic);
    const code = blocked.length > 0 ? EXIT_FINDING : EXIT_OK;
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ at: at.toISOString(), projects: reports, applications: options.app !== undefined ? apps : undefined }, null, 2)}\n`);
      return code;
    }
    for (const p of reports) {
      io.stdout.write(`project ${p.name} (${p.file}): ${p.windows.length === 0 ? 'no sync windows, syncs are never blocked' : plural(p.windows.length, 'sync window')}\n`);
      for (const w of p.windows) io.stdout.write(`  ${describeWindow(w)}\n`);
    }
    for (const a of apps) io.stdout.write(`${describeDecision(a)}\n`);
    const open = reports.reduce((n, p) => n + p.windows.filter((w) => w.active).length, 0);
    const verdict = blocked.length > 0 ? `; automated sync of ${blocked.map((a) => a.name).filter((n, i, all) => all.indexOf(n) === i).join(', ')} blocked` : '';
    summary(io, code === EXIT_OK, `sync windows at ${at.toISOString()}: ${plural(reports.length, 'project')}, ${open} open${verdict}`);
    return code;
  } catch (e: any) {
    errorLine(io, e.message);
    return EXIT_ERROR;
  }
}
