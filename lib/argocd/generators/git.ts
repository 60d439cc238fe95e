import { checkNonEmpty, fail } from '../../_internal/values';
import { GeneratorBindContext, valuesParams } from './_params';
import { _checkRequeue } from './clusters';
import { GeneratorOptions } from './generator-options';

/**
 * Options shared by the git generators.
 */
export interface GitGeneratorOptions extends GeneratorOptions {
  /** The Git repository, e.g. `https://github.com/myorg/k8s-manifests.git`. */
  readonly repoUrl: string;

  /** The branch, tag or commit to read, e.g. `main` or `HEAD` (required by the CRD). */
  readonly revision: string;

  /**
   * Put the path parameters under this prefix: `<prefix>.path`, `<prefix>.path.basename`
   * (goTemplate: `.<prefix>.path.basename`); needed to use two git generators in one matrix.
   *
   * @default - no prefix: `path`, `path.basename`, ...
   */
  readonly pathParamPrefix?: string;

  /**
   * Extra parameters, `values.<key>`.
   *
   * @default - none
   */
  readonly values?: { [key: string]: string };

  /**
   * How often Argo CD polls the repository, in seconds.
   *
   * @default - not written; Argo CD's default (3 minutes)
   */
  readonly requeueAfterSeconds?: number;
}

/**
 * Options for `ApplicationSetGenerator.gitDirectories()`: one parameter set per directory.
 *
 * Parameters (fasttemplate): `path`, `path.basename`, `path.basenameNormalized`, `path[<n>]`;
 * (goTemplate): `.path.path`, `.path.basename`, `.path.basenameNormalized`, `.path.segments`.
 */
export interface GitDirectoriesGeneratorOptions extends GitGeneratorOptions {
  /** Directory patterns (Go's `path.Match`), e.g. `apps/*`. */
  readonly directories: string[];

  /**
   * Directory patterns to leave out; an exclusion wins over every inclusion.
   *
   * @default - none
   */
  readonly excludeDirectories?: string[];
}

/**
 * Options for `ApplicationSetGenerator.gitFiles()`: one parameter set per JSON/YAML file (or per
 * list item in it), holding the file's flattened content and its path.
 *
 * Parameters: the file's keys, plus `path`, `path.basename`, `path.filename`,
 * `path.basenameNormalized`, `path.filenameNormalized`, `path[<n>]` (goTemplate: `.path.path`,
 * `.path.segments`, ...).
 */
export interface GitFilesGeneratorOptions extends GitGeneratorOptions {
  /** File patterns, e.g. `clusters/**\/config.json`. */
  readonly files: string[];

  /**
   * File patterns to leave out.
   *
   * @default - none
   */
  readonly excludeFiles?: string[];
}

function common(o: GitGeneratorOptions, ctx: GeneratorBindContext): any {
  const field = `${ctx.field}.git`;
  checkNonEmpty(ctx.scope, `${field}.repoURL`, o.repoUrl);
  checkNonEmpty(ctx.scope, `${field}.revision`, o.revision);
  if (o.pathParamPrefix !== undefined) checkNonEmpty(ctx.scope, `${field}.pathParamPrefix`, o.pathParamPrefix);
  _checkRequeue(ctx, field, o.requeueAfterSeconds);
  return {
    // the L1's name; the L1 writes it as repoURL (see toWire() for levels the L1 does not type)
    repoUrl: o.repoUrl,
    revision: o.revision,
    ...(o.pathParamPrefix !== undefined ? { pathParamPrefix: o.pathParamPrefix } : {}),
    ...(o.values && Object.keys(o.values).length ? { values: { ...o.values } } : {}),
    ...(o.requeueAfterSeconds !== undefined ? { requeueAfterSeconds: o.requeueAfterSeconds } : {}),
  };
}

function patterns(ctx: GeneratorBindContext, field: string, include: string[], exclude: string[] | undefined): any[] {
  if (!Array.isArray(include) || include.length === 0) {
    fail(ctx.scope, field, include, 'is empty; give at least one pattern, e.g. \'apps/*\'');
  }
  const out: any[] = [];
  for (const p of include) {
    checkNonEmpty(ctx.scope, field, p);
    out.push({ path: p });
  }
  for (const p of exclude ?? []) {
    checkNonEmpty(ctx.scope, field, p);
    out.push({ path: p, exclude: true });
  }
  return out;
}

function pathParams(ctx: GeneratorBindContext, prefix: string | undefined, files: boolean): string[] {
  const base = prefix ? `${prefix}.path` : 'path';
  const leaves = files ? ['basename', 'filename', 'basenameNormalized', 'filenameNormalized'] : ['basename', 'basenameNormalized'];
  if (ctx.goTemplate) {
    return [`${base}.path`, ...leaves.map((l) => `${base}.${l}`), `${base}.segments`, `${base}.segments.*`];
  }
  return [base, ...leaves.map((l) => `${base}.${l}`), `${base}[*]`];
}

/** @internal */
export function _bindGitDirectories(o: GitDirectoriesGeneratorOptions, ctx: GeneratorBindContext): { json: any; params: string[] } {
  const json = common(o, ctx);
  json.directories = patterns(ctx, `${ctx.field}.git.directories`, o.directories, o.excludeDirectories);
  return { json, params: [...pathParams(ctx, o.pathParamPrefix, false), ...valuesParams(o.values)] };
}

/** @internal */
export function _bindGitFiles(o: GitFilesGeneratorOptions, ctx: GeneratorBindContext): { json: any; params: string[] } {
  const json = common(o, ctx);
  json.files = patterns(ctx, `${ctx.field}.git.files`, o.files, o.excludeFiles);
  // the files' content is only known to the repo-server: any key may be produced
  return { json, params: [...pathParams(ctx, o.pathParamPrefix, true), ...valuesParams(o.values), '*'] };
}
