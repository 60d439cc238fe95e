// `cdk8s-argocd preview`: expands every ApplicationSet found in synthesized YAML into the
// Applications Argo CD would generate, offline, with `ApplicationSetPreview`.
import { ApplicationSetPreview } from '../argocd/preview/application-set-preview';
import * as fs from 'fs';
import * as path from 'path';
import { dumpYamlDocuments } from '../_internal/yaml';
import { compareStrings } from '../_internal/values';
import { listFiles, UsageError } from './_app-runner';
import { CliIo, EXIT_ERROR, EXIT_FINDING, EXIT_OK, colorsFor, errorLine, plural, readStdin, summary } from './_output';
import { PreviewWorld } from '../argocd/preview/application-set-preview';

/** What `expandAll` needs of `ApplicationSetPreview` (tests pass a stand-in). */
export interface ApplicationSetPreviewLike {
  /** The Application manifests an ApplicationSet generates, sorted by name; throws on an error. */
  expand(manifest: any, world: PreviewWorld): any[];
}
import { RepoObject, gitCheckout, gitFiles, parseRepoFlags, readYamlPath, readYamlText, withRepoFlagHint } from './_repo';
import { sameRepository } from '../_internal/repo-url';

/** One generated Application, as the table shows it. */
export interface PreviewRow {
  /** The ApplicationSet's name. */
  readonly applicationSet: string;
  /** The generated Application's name. */
  readonly application: string;
  /** Its project. */
  readonly project: string;
  /** `server-or-name/namespace`. */
  readonly destination: string;
  /** The source path(s) or chart(s), comma-separated. */
  readonly path: string;
}

/** The result of expanding every ApplicationSet. */
export interface PreviewResult {
  /** The generated Applications, by ApplicationSet, in file order. */
  readonly generated: Array<{ applicationSet: string; applications: any[] }>;
  /** One message per expansion error or duplicate. */
  readonly errors: string[];
  /** Why an ApplicationSet generated nothing, when the files read explain it. */
  readonly notes: string[];
}

/** Whether any generator (also nested in a matrix or merge) is a clusters generator. */
function usesClusters(x: any): boolean {
  if (Array.isArray(x)) return x.some(usesClusters);
  if (!x || typeof x !== 'object') return false;
  return Object.entries(x).some(([k, v]) => (k === 'clusters' && v !== null && typeof v === 'object') || usesClusters(v));
}

/**
 * Expands every ApplicationSet among `objects`; cluster Secrets among them are the clusters.
 * Errors (and Applications generated twice across ApplicationSets) are collected, not thrown.
 *
 * @param preview the expander
 * @param objects the objects read from YAML
 * @param repositories repository files by repoURL
 */
export function expandAll(preview: ApplicationSetPreviewLike, objects: readonly RepoObject[], repositories: PreviewWorld['repositories'] = {}): PreviewResult {
  const clusterSecrets = ApplicationSetPreview.clusterSecretsIn(objects.map((o) => o.manifest));
  const appSets = objects.filter((o) => o.manifest?.kind === 'ApplicationSet' && String(o.manifest?.apiVersion).startsWith('argoproj.io/'));
  const generated: PreviewResult['generated'] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  const seen = new Map<string, string>();
  for (const s of appSets) {
    const name = String(s.manifest.metadata?.name);
    let applications: any[];
    try {
      applications = preview.expand(s.manifest, { clusterSecrets, repositories });
    } catch (e: any) {
      errors.push(`ApplicationSet ${name} (${s.file}): ${e?.message ?? e}`);
      continue;
    }
    for (const a of applications) {
      const key = `${a.metadata?.namespace ?? ''}/${a.metadata?.name}`;
      const other = seen.get(key);
      if (other !== undefined) {
        errors.push(`ApplicationSet ${name} (${s.file}): generates Application ${a.metadata?.name}, which ApplicationSet ${other} generates too`);
      }
      seen.set(key, name);
    }
    if (applications.length === 0 && usesClusters(s.manifest.spec?.generators)) {
      notes.push(`ApplicationSet ${name} (${s.file}) generated no Application: its clusters generator reads cluster Secrets (Secrets labelled argocd.argoproj.io/secret-type: cluster), and ${clusterSecrets.length === 0
        ? 'the files read hold none; preview a folder that holds the cluster Secrets too'
        : `none of the ${plural(clusterSecrets.length, 'cluster Secret')} read matches its selector`}`);
    }
    generated.push({ applicationSet: name, applications });
  }
  return { generated, errors, notes };
}

/** The table rows of a preview. */
export function previewRows(result: PreviewResult): PreviewRow[] {
  const rows: PreviewRow[] = [];
  for (const g of result.generated) {
    for (const a of g.applications) {
      const spec = a.spec ?? {};
      const sources: any[] = Array.isArray(spec.sources) ? spec.sources : spec.source ? [spec.source] : [];
      const dest = spec.destination ?? {};
      rows.push({
        applicationSet: g.applicationSet,
        application: String(a.metadata?.name ?? ''),
        project: String(spec.project ?? ''),
        destination: `${dest.server ?? dest.name ?? ''}${dest.namespace ? `/${dest.namespace}` : ''}`,
        path: sources.map((s) => s.path ?? (s.chart ? `${s.chart}@${s.targetRevision ?? ''}` : s.repoURL ?? '')).join(', '),
      });
    }
  }
  return rows;
}

/** Formats rows as an aligned text table with a header. */
export function formatTable(rows: readonly PreviewRow[]): string {
  const header = ['APPLICATIONSET', 'APPLICATION', 'PROJECT', 'DESTINATION', 'PATH'];
  const cells = [header, ...rows.map((r) => [r.applicationSet, r.application, r.project, r.destination, r.path])];
  const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  return cells.map((c) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

/**
 * Files of a folder as a repository for the preview: `git ls-files` in a checkout, every file
 * otherwise. Contents are read only when the expansion asks for them.
 */
export function repositoryFiles(dir: string): { [path: string]: string } {
  const git = gitCheckout(dir);
  const files = git && path.resolve(git.root) === path.resolve(dir) ? gitFiles(dir) : listFiles(dir);
  const out: { [path: string]: string } = {};
  for (const f of files) {
    let cached: string | undefined;
    Object.defineProperty(out, f, {
      enumerable: true,
      get: () => (cached ??= fs.readFileSync(path.join(dir, ...f.split('/')), 'utf-8')),
    });
  }
  return out;
}

/** Every `repoURL` string in an object, deeply. */
function repoUrlsIn(x: any, out: Set<string>): Set<string> {
  if (Array.isArray(x)) x.forEach((v) => repoUrlsIn(v, out));
  else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      if (k === 'repoURL' && typeof v === 'string') out.add(v);
      else repoUrlsIn(v, out);
    }
  }
  return out;
}

/**
 * The `repositories` of a preview world: for every repoURL the ApplicationSets name that matches
 * a local folder (same URL after normalization), that folder's files (read lazily).
 *
 * @param appSets ApplicationSet manifests
 * @param local repository URLs and their local folders
 */
export function repositoriesFor(appSets: readonly any[], local: ReadonlyArray<{ url: string; dir: string }>): { [url: string]: { [path: string]: string } } {
  const repositories: { [url: string]: { [path: string]: string } } = {};
  const filesOf = new Map<string, { [path: string]: string }>();
  for (const url of [...repoUrlsIn(appSets, new Set())].sort(compareStrings)) {
    const match = local.find((l) => sameRepository(l.url, url));
    if (!match) continue;
    if (!filesOf.has(match.dir)) filesOf.set(match.dir, repositoryFiles(match.dir));
    repositories[url] = filesOf.get(match.dir)!;
  }
  return repositories;
}

/** Options of `preview`. */
export interface PreviewOptions {
  /** `table` (default) or `yaml`. */
  readonly format?: string;
  /** A machine-readable JSON report on stdout instead. */
  readonly json?: boolean;
  /** `URL=DIR` pairs: read repository URL from a local folder. */
  readonly repo?: string[];
}

/** Runs `preview`; returns the exit code. `target` `-` reads the YAML from standard input. */
export async function runPreview(io: CliIo, target: string, options: PreviewOptions): Promise<number> {
  try {
    const format = options.format ?? 'table';
    if (format !== 'table' && format !== 'yaml') throw new UsageError(`--format ${format}: use table or yaml`);
    const stdin = target === '-';
    const abs = path.resolve(io.cwd, target);
    if (!stdin && !fs.existsSync(abs)) throw new UsageError(`${target}: no such file or folder`);
    const local = parseRepoFlags(options.repo, io.cwd);
    const dir = stdin ? io.cwd : fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
    const git = gitCheckout(dir);
    if (git?.origin) local.push({ url: git.origin, dir: git.root });

    const objects = stdin ? readYamlText(await readStdin(io)) : readYamlPath(abs, git?.root ?? dir);
    const repositories = repositoriesFor(objects.filter((o) => o.manifest?.kind === 'ApplicationSet').map((o) => o.manifest), local);

    const expanded = expandAll(ApplicationSetPreview, objects, repositories);
    const result = { ...expanded, errors: expanded.errors.map((e) => withRepoFlagHint(e, git)) };
    const rows = previewRows(result);
    const line = result.errors.length > 0
      ? `preview failed: ${plural(result.errors.length, 'error')}; ${plural(rows.length, 'Application')} generated by ${plural(result.generated.length, 'ApplicationSet')}`
      : `preview: ${plural(rows.length, 'Application')} generated by ${plural(result.generated.length, 'ApplicationSet')}`;
    if (options.json) {
      const json = { ok: result.errors.length === 0, generated: result.generated, rows, errors: result.errors, notes: result.notes, summary: line };
      io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return result.errors.length > 0 ? EXIT_FINDING : EXIT_OK;
    }
    if (format === 'yaml') io.stdout.write(dumpYamlDocuments(result.generated.flatMap((g) => g.applications)));
    else if (rows.length > 0) io.stdout.write(formatTable(rows));
    const c = colorsFor(io.stderr, io.env);
    for (const e of result.errors) io.stderr.write(`${c.red('✗')} ${e}\n`);
    for (const n of result.notes) io.stderr.write(`note: ${n}\n`);
    // with --format yaml the summary goes to stderr, so that stdout stays valid YAML
    summary(format === 'yaml' ? { ...io, stdout: io.stderr } : io, result.errors.length === 0, line);
    return result.errors.length > 0 ? EXIT_FINDING : EXIT_OK;
  } catch (e: any) {
    if (options.json) io.stdout.write(`${JSON.stringify({ ok: false, error: e.message }, null, 2)}\n`);
    else errorLine(io, e.message);
    return EXIT_ERROR;
  }
}
