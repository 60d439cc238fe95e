// The `cdk8s-argocd` command line: check, validate, graph, preview, windows, diff.
// Exit codes: 0 ok, 1 a finding (drift, validation failure, expansion error), 2 usage or synthesis error.
import { Command, CommanderError, Option } from 'commander';
import { runCheck } from './check';
import { runDiff } from './diff';
import { runGraph } from './graph';
import * as fs from 'fs';
import * as path from 'path';
import { runImport } from './import';
import { CliIo, EXIT_ERROR, EXIT_OK, deprecated } from './_output';
import { runPreview } from './preview';
import { runValidate } from './validate';
import { runWindows } from './windows';

/** This package's version, from its package.json (two folders up, from the source and from the build alike). */
function packageVersion(): string {
  for (const up of [['..', '..'], ['..', '..', '..']]) {
    const file = path.join(__dirname, ...up, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf-8'));
      if (pkg.name === 'cdk8s-argocd' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not there: the next candidate
    }
  }
  return 'unknown';
}

const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  a finding (drift, validation failure, expansion error)
  2  usage error or synthesis error`;

/**
 * Runs the command line with `argv` (the arguments after the program name) and returns the exit
 * code. Writes only to `io`.
 *
 * @param argv e.g. `['check', '--json']`
 * @param io streams, working directory and environment
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code = EXIT_OK;
  const program = new Command('cdk8s-argocd')
    .description('Checks, validates, draws and previews a GitOps repository written with cdk8s-argocd.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .version(packageVersion(), '-V, --version', 'print the version of cdk8s-argocd')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);

  const appOption = () => new Option('-a, --app <command>', "the command that synthesizes the app (default: cdk8s.yaml's 'app:')");
  const jsonOption = () => new Option('--json', 'print a machine-readable JSON report on stdout');

  program.command('check')
    .description('Synthesizes the app into a scratch directory and compares it with the committed output (never modifies it).')
    .addOption(appOption())
    .option('--out <dir>', 'the committed output directory (default: the one the app writes)')
    .addOption(new Option('-o, --output <dir>', 'deprecated spelling of --out').hideHelp())
    .addOption(jsonOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (opts) => {
      if (opts.output !== undefined) deprecated(io, '--output <dir>', '--out <dir>');
      code = await runCheck(io, { app: opts.app, out: opts.out ?? opts.output, json: opts.json });
    });

  program.command('validate')
    .description("Runs the app's synthesis and validations without writing the committed output; optionally checks every object against CRD schemas.")
    .addOption(appOption())
    .option('--crds <dir>', 'check every synthesized object strictly against the CustomResourceDefinitions in this folder')
    .addOption(jsonOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (opts) => { code = await runValidate(io, opts); });

  program.command('graph')
    .description('Draws the repository (apps, child apps, ApplicationSets, projects, clusters) or one app\'s sync plan from the synthesized YAML.')
    .addOption(appOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
    .option('--sync-plan <app>', "draw the phases and waves of this Application's objects instead")
    .option('--repo <url=dir>', 'read the files of repository URL from a local folder (repeatable); --repo URL=. says URL is this repository when the origin remote does not', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addOption(jsonOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (opts) => { code = await runGraph(io, opts); });

  program.command('preview')
    .description('Expands every ApplicationSet found in synthesized YAML into the Applications Argo CD would generate.')
    .argument('<file-or-dir>', 'a YAML file or a folder of synthesized YAML, - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'yaml']).default('table'))
    .addOption(new Option('-o, --output <format>', 'deprecated spelling of --format').choices(['table', 'yaml']).hideHelp())
    .option('--repo <url=dir>', 'read the files of repository URL from a local folder (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addOption(jsonOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (target, opts) => {
      if (opts.output !== undefined) deprecated(io, '--output <format>', '--format <format>');
      code = await runPreview(io, target, { format: opts.output ?? opts.format, repo: opts.repo, json: opts.json });
    });

  program.command('windows')
    .description("Says what the committed AppProjects' sync windows allow at a time (now by default): which are open, when each opens and closes next, and whether an Application may sync.")
    .argument('[file-or-dir]', 'a YAML file or folder, - for standard input (default: the YAML files of the Git checkout)')
    .option('--at <time>', 'the moment to evaluate at, RFC 3339 (default: now)')
    .option('--app <name>', 'also say whether this Application may sync automatically and manually then')
    .addOption(jsonOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (target, opts) => { code = await runWindows(io, target, opts); });

  program.command('import')
    .description('Writes a TypeScript program of cdk8s-argocd constructs that synthesizes the objects of existing Argo CD YAML (files, folders walked recursively, - for standard input).')
    .argument('<dir-or-files...>', 'YAML files or folders to import')
    .option('--out <dir>', 'the folder to write main.ts into (and cdk8s.yaml and package.json when absent)')
    .option('--check', 'synthesize the written program and compare it with the input object by object; exit 1 on any difference')
    .addOption(jsonOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (targets, opts) => { code = await runImport(io, targets, opts); });

  program.command('diff')
    .description('Says what merging a change does in Argo CD: the Applications (written or generated by ApplicationSets) added, removed and changed, and the manifests each creates, changes and prunes, by cluster and environment.')
    .option('--base <ref>', 'the state before (default: the merge base of HEAD with the default branch)')
    .option('--head <ref>', 'the state after (default: the working tree)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .addOption(jsonOption())
    .addOption(appOption())
    .addHelpText('after', `
Exit codes:
  0  no change
  1  changes
  2  usage error, or a side failed to synthesize`)
    .action(async (opts) => { code = await runDiff(io, opts); });

  for (const c of program.commands) {
    c.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  }

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_ERROR;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version' ? EXIT_OK : EXIT_ERROR;
    }
    io.stderr.write(`error: ${(e as Error)?.stack ?? e}\n`);
    return EXIT_ERROR;
  }
}

/** Runs the command line on the process's arguments, streams and environment, and exits. */
export async function main(): Promise<void> {
  // `cdk8s-argocd graph | head`: a closed pipe ends the command quietly
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const code = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  });
  process.exitCode = code;
}

if (require.main === module) {
  void main();
}
