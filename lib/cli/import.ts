// `cdk8s-argocd import <dir-or-files...> --out <dir>`: writes a TypeScript program of the
// library's constructs that synthesizes the objects of existing Argo CD YAML (lib/import/).
// `--check` synthesizes the written program and compares it with the input, object by object.
// Exit codes: 0 ok, 1 a round-trip difference, 2 usage or input error.
import * as fs from 'fs';
import * as path from 'path';
import { ImportError, ImportResult, importObjects } from '../import/importer';
import { ImportInputError, ImportSource, readInputs } from '../import/read';
import { CliIo, EXIT_ERROR, EXIT_FINDING, EXIT_OK, errorLine, plural, summary, withProgress } from './_output';

/** Options of `runImport`. */
export interface ImportOptions {
  /** The folder to write main.ts (and, when absent, cdk8s.yaml and package.json) into. */
  readonly out?: string;
  /** Synthesize the written program and compare it with the input. */
  readonly check?: boolean;
  /** Print a JSON report. */
  readonly json?: boolean;
  /** The text read for `-` (default: the process's standard input). */
  readonly stdinText?: string;
}

/** Runs `import`. */
export async function runImport(io: CliIo, targets: readonly string[], options: ImportOptions): Promise<number> {
  if (!options.out) {
    errorLine(io, 'import needs --out <dir>: the folder to write the program into');
    return EXIT_ERROR;
  }
  let result: ImportResult;
  try {
    const sources: ImportSource[] = targets.map((t) => (t === '-' ? { path: '-', text: options.stdinText ?? fs.readFileSync(0, 'utf-8') } : { path: path.resolve(io.cwd, t) }));
    const inputs = readInputs(sources);
    result = await withProgress(io, options.check ? 'importing and checking' : 'importing', () => importObjects(inputs, { check: options.check }));
  } catch (e) {
    if (e instanceof ImportError || e instanceof ImportInputError) {
      errorLine(io, e.message);
      return EXIT_ERROR;
    }
    throw e;
  }
  const out = path.resolve(io.cwd, options.out);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'main.ts'), result.program);
  const written = ['main.ts'];
  if (!fs.existsSync(path.join(out, 'cdk8s.yaml'))) {
    fs.writeFileSync(path.join(out, 'cdk8s.yaml'), 'language: typescript\napp: npx tsx main.ts\noutput: .cdk8s.out   # add to .gitignore\n');
    written.push('cdk8s.yaml');
  }
  if (!fs.existsSync(path.join(out, 'package.json'))) {
    fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({
      name: path.basename(out).toLowerCase().replace(/[^a-z0-9._-]/g, '-') || 'gitops',
      private: true,
      scripts: { synth: 'cdk8s synth' },
      dependencies: { 'cdk8s': '^2', 'cdk8s-argocd': '*', 'cdk8s-plus-28': '^2', 'constructs': '^10' },
      devDependencies: { 'cdk8s-cli': '^2', 'tsx': '^4', 'typescript': '^5' },
    }, null, 2)}\n`);
    written.push('package.json');
  }
  const failed = result.checked && result.differences.length > 0;
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ ok: !failed, out, written, objects: result.objects, structure: result.structure, checked: result.checked, differences: result.differences }, null, 2)}\n`);
  } else {
    for (const o of result.objects) {
      const how = o.fallback ? `${o.as} (${o.fallback})` : o.as;
      const patched = o.patched.length > 0 ? `; through JSON patches: ${o.patched.join(', ')}` : '';
      io.stdout.write(`${o.from} -> dist/${o.to ?? '?'}  ${o.kind} ${o.name} as ${how}${patched}\n`);
    }
    for (const r of result.structure) {
      const head = `structure: ${r.from} ${r.name} is an App of Apps root (syncs ${r.directory}/, ${plural(r.children, 'Application')})`;
      io.stdout.write(r.reason === undefined ? `${head}; written as environment '${r.environment!.name}' of a GitOpsRepo\n` : `${head}; kept as plain Applications: ${r.reason}\n`);
    }
    for (const d of result.differences) io.stdout.write(`round trip: ${d.from}: ${d.what}\n`);
    const typed = result.objects.filter((o) => o.as !== 'ApiObject').length;
    const text = `${plural(result.objects.length, 'object')} imported (${typed} as typed constructs, ${result.objects.length - typed} as ApiObject) into ${path.join(options.out, 'main.ts')}`
      + (result.checked ? (failed ? `; the round trip differs in ${plural(result.differences.length, 'object')}` : '; the round trip gives the same objects') : '');
    summary(io, !failed, text);
  }
  return failed ? EXIT_FINDING : EXIT_OK;
}
