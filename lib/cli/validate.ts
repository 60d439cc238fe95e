// `cdk8s-argocd validate`: runs the app's synthesis (and so every validation and manifest check)
// into a scratch directory, and optionally checks every object strictly against CRD schemas.
import * as fs from 'fs';
import * as path from 'path';
import { loadYamlDocuments } from '../_internal/yaml';
import { defaultCacheDirectory } from '../validation/_crd-schema-compile';
import { CrdSchemaValidator } from '../validation/crd-schema-validator';
import { AppRun, SynthOutput, appErrorText, isValidationFailure, resolveAppCommand, runApp, UsageError } from './_app-runner';
import { displayPath } from './check';
import { CliIo, EXIT_ERROR, EXIT_FINDING, EXIT_OK, colorsFor, errorLine, plural, summary, withProgress } from './_output';

/** One object that does not match its CRD schema. */
export interface CrdProblem {
  /** The file, as the committed output would hold it (relative to the working directory). */
  readonly file: string;
  /** The object's kind. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /** JSON pointer to the offending value. */
  readonly pointer: string;
  /** What is wrong. */
  readonly message: string;
}

/** The result of checking synthesized files against CRDs. */
export interface CrdCheckResult {
  /** Every problem, in file order. */
  readonly problems: CrdProblem[];
  /** How many objects a loaded CRD covers (and were checked). */
  readonly checked: number;
  /** How many objects no loaded CRD covers. */
  readonly uncovered: number;
}

/**
 * Reads every YAML file of the synthesized outputs (a file that is not YAML, or a document that is
 * not a Kubernetes object, is a problem) and checks every object against the CRDs a validator
 * holds, when one is given.
 *
 * @param validator the CRD validator, if any
 * @param outputs the synthesized outputs
 * @param cwd file names are shown relative to it, under the committed output directory
 */
export function checkAgainstCrds(validator: CrdSchemaValidator | undefined, outputs: readonly SynthOutput[], cwd: string): CrdCheckResult {
  const problems: CrdProblem[] = [];
  let checked = 0;
  let uncovered = 0;
  for (const o of outputs) {
    for (const f of o.files) {
      if (!/\.ya?ml$/.test(f)) continue;
      const file = displayPath(cwd, path.join(o.outdir, ...f.split('/')));
      // every file must be YAML that reads as Kubernetes objects, whether or not CRDs are given
      let docs: any[];
      try {
        docs = loadYamlDocuments(o.read(f).toString('utf-8'), { source: file });
      } catch (e: any) {
        problems.push({ file, kind: '', name: '', pointer: '', message: `is not valid YAML: ${String(e.message).split('\n')[0]}` });
        continue;
      }
      for (const doc of docs) {
        if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
          problems.push({ file, kind: '', name: '', pointer: '', message: 'is not a Kubernetes object: a document needs a string apiVersion and kind' });
          continue;
        }
        if (!validator?.covers(doc?.apiVersion, doc?.kind)) {
          uncovered++;
          continue;
        }
        checked++;
        for (const p of validator.validate(doc)) {
          problems.push({
            file,
            kind: String(doc.kind),
            name: String(doc.metadata?.name ?? ''),
            pointer: p.pointer,
            message: p.message,
          });
        }
      }
    }
  }
  return { problems, checked, uncovered };
}

/** The problem lines of a `ValidationError` message (`[path] message`), or the whole message. */
export function validationProblems(message: string): string[] {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('['));
  return lines.length > 0 ? lines : [message.trim()];
}

/** Options of `validate`. */
export interface ValidateOptions {
  /** The app command; default `cdk8s.yaml`'s `app:`. */
  readonly app?: string;
  /** A folder of CRD files to check every object against. */
  readonly crds?: string;
  /** Machine-readable output. */
  readonly json?: boolean;
}

/** Runs `validate`; returns the exit code. */
export async function runValidate(io: CliIo, options: ValidateOptions): Promise<number> {
  let run: AppRun | undefined;
  try {
    const { command, config } = resolveAppCommand(io.cwd, options.app);
    const crdDir = options.crds === undefined ? undefined : path.resolve(io.cwd, options.crds);
    if (crdDir !== undefined && (!fs.existsSync(crdDir) || !fs.statSync(crdDir).isDirectory())) throw new UsageError(`--crds ${options.crds}: no such folder`);
    // the app's process starts first, and the CRD files are read while it runs: reading the
    // flagship's 3.5 MB of CRD YAML takes the CLI about 0.3 s of CPU, which the app's second of
    // synthesis on another core hides
    const pending = withProgress(io, 'synthesizing', () => runApp({ command, cwd: io.cwd, env: io.env, cdk8sOutput: config.output }));
    let validator: CrdSchemaValidator | undefined;
    if (crdDir !== undefined) {
      try {
        validator = CrdSchemaValidator.fromDirectory(crdDir, { cacheDirectory: defaultCacheDirectory(io.cwd, io.env) });
      } catch (e) {
        (await pending.catch(() => undefined))?.cleanup();
        throw e;
      }
    }
    run = await pending;
    if (run.exitCode !== 0) {
      const error = appErrorText(run);
      if (!isValidationFailure(run)) {
        if (options.json) io.stdout.write(`${JSON.stringify({ ok: false, error: `synthesis failed: ${error}` }, null, 2)}\n`);
        else {
          io.stderr.write(`${error}\n`);
          summary(io, false, `error: synthesis failed ('${command}' exited with code ${run.exitCode})`);
        }
        return EXIT_ERROR;
      }
      const problems = validationProblems(error);
      const line = `validation failed: ${plural(problems.length, 'problem')}`;
      if (options.json) {
        io.stdout.write(`${JSON.stringify({ ok: false, validationErrors: problems, schemaProblems: [], warnings: [], summary: line }, null, 2)}\n`);
      } else {
        const c = colorsFor(io.stdout, io.env);
        for (const p of problems) io.stdout.write(`${c.red('✗')} ${p}\n`);
        summary(io, false, line);
      }
      return EXIT_FINDING;
    }
    const objects = run.outputs.reduce((a, o) => a + o.files.length, 0);
    if (objects === 0) {
      throw new Error(`'${command}' exited 0 but synthesized no files (${run.outputs.length === 0 ? 'no app reported a synthesis: does the program call app.synth()?' : 'every app it synthesized is empty'}); nothing was validated`);
    }
    const warnings = run.outputs.flatMap((o) => o.warnings ?? []);
    const all = checkAgainstCrds(validator, run.outputs, io.cwd);
    const crd = validator ? all : undefined;
    const problems = all.problems;
    const line = problems.length > 0
      ? `validation failed: ${plural(problems.length, 'schema problem')} in ${plural(new Set(problems.map((p) => p.file)).size, 'file')}`
      : `ok: ${plural(objects, 'file')} valid${crd ? `; ${crd.checked} checked against CRDs, ${crd.uncovered} of kinds no CRD defines` : ''}${warnings.length ? `; ${plural(warnings.length, 'warning')}` : ''}`;
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ ok: problems.length === 0, validationErrors: [], schemaProblems: problems, warnings, summary: line }, null, 2)}\n`);
    } else {
      const c = colorsFor(io.stdout, io.env);
      for (const w of warnings) io.stdout.write(`${c.yellow('!')} warning: ${w}\n`);
      for (const p of problems) io.stdout.write(p.kind === '' ? `${c.red('✗')} ${p.file} ${p.message}\n` : `${c.red('✗')} ${p.file}: ${p.kind}/${p.name} ${c.bold(p.pointer)} ${p.message}\n`);
      summary(io, problems.length === 0, line);
    }
    return problems.length > 0 ? EXIT_FINDING : EXIT_OK;
  } catch (e: any) {
    if (options.json) io.stdout.write(`${JSON.stringify({ ok: false, error: e.message }, null, 2)}\n`);
    else errorLine(io, e.message);
    return EXIT_ERROR;
  } finally {
    run?.cleanup();
  }
}
