// What an ArgoCdApp writes for the cdk8s CLI (cdk8s-cli 2.x) besides its committed output:
// - `cdk8s synth --stdout` makes an empty scratch directory with mkdtemp (`<tmpdir>/cdk8s-XXXXXX`),
//   passes it as CDK8S_OUTDIR, and pipes every `.yaml` file the app writes there to its stdout, all
//   files at once and without separators. Without --stdout it removes its output directory before
//   running the app, so CDK8S_OUTDIR never exists yet. An app that finds an existing, empty
//   `cdk8s-XXXXXX` directory right under the temp directory writes one file there, its documents
//   separated by `---` (one file: the CLI's concurrent pipes cannot interleave it), and leaves its
//   committed output alone.
// - with validation plugins configured, the CLI sets CDK8S_RECORD_CONSTRUCT_METADATA=true and reads
//   `construct-metadata.json` from CDK8S_OUTDIR: `{ version: '1.0.0', resources: { <metadata.name>:
//   { path: <construct path> } } }`, looked up by the name a plugin reports (cdk8s's own App writes
//   the same file).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppProps, YamlOutputType } from 'cdk8s';
import { ValidationError } from '../errors';
import { dumpYamlDocuments } from '../_internal/yaml';

/** The file a `cdk8s synth --stdout` synthesis writes into the CLI's scratch directory. */
export const STDOUT_FILE = 'manifests.yaml';

/** The file the cdk8s CLI reads construct paths from. */
export const CONSTRUCT_METADATA_FILE = 'construct-metadata.json';

const STATE = Symbol.for('cdk8s-argocd.cdk8sCli');

interface CliState {
  /** CDK8S_OUTDIR as first seen, and whether it was the --stdout scratch directory then. */
  readonly outdir: string;
  readonly stdout: boolean;
  /** Whether this process has written the stdout file yet (later apps append to it). */
  wroteStdout: boolean;
  /** Construct paths by object name, over every app of this process. */
  readonly metadata: Map<string, string>;
}

function state(): CliState | undefined {
  const outdir = process.env.CDK8S_OUTDIR;
  if (outdir === undefined || outdir === '') return undefined;
  const g = globalThis as any;
  const known: CliState | undefined = g[STATE];
  if (known && known.outdir === outdir) return known;
  const fresh: CliState = { outdir, stdout: isStdoutScratch(outdir), wroteStdout: false, metadata: new Map() };
  g[STATE] = fresh;
  return fresh;
}

/** Whether `dir` is what `cdk8s synth --stdout` makes: an empty `cdk8s-XXXXXX` right under the temp directory. */
function isStdoutScratch(dir: string): boolean {
  const abs = path.resolve(dir);
  if (!/^cdk8s-[A-Za-z0-9]{6}$/.test(path.basename(abs))) return false;
  let tmp: string;
  let parent: string;
  try {
    tmp = fs.realpathSync(os.tmpdir());
    parent = fs.realpathSync(path.dirname(abs));
    return parent === tmp && fs.statSync(abs).isDirectory() && fs.readdirSync(abs).length === 0;
  } catch {
    return false;
  }
}

/**
 * The scratch directory of `cdk8s synth --stdout` when this process runs under it (decided when
 * first asked, before anything is written there), else undefined.
 */
export function cdk8sStdoutDir(): string | undefined {
  const s = state();
  return s?.stdout ? s.outdir : undefined;
}

/** Writes `manifests` as one multi-document YAML file into the --stdout scratch directory (appended after earlier apps). */
export function writeStdoutManifests(dir: string, manifests: readonly unknown[]): void {
  const s = state();
  if (manifests.length === 0) return;
  const text = dumpYamlDocuments(manifests);
  const file = path.join(dir, STDOUT_FILE);
  if (s?.wroteStdout) fs.appendFileSync(file, `---\n${text}`);
  else fs.writeFileSync(file, text);
  if (s) s.wroteStdout = true;
}

/** Whether construct metadata is wanted: `recordConstructMetadata`, else CDK8S_RECORD_CONSTRUCT_METADATA=true (set by the cdk8s CLI). */
export function constructMetadataWanted(props: AppProps): boolean {
  return props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
}

/**
 * Writes `construct-metadata.json` into `dir` for `objects` (and those of the apps of this process
 * written before), by object name. Two objects of one name keep the first construct path in file
 * order, as the file can hold only one.
 */
export function writeConstructMetadata(dir: string, objects: ReadonlyArray<{ manifest: any; constructPath: string }>): void {
  const s = state();
  const byName = s && path.resolve(s.outdir) === path.resolve(dir) ? s.metadata : new Map<string, string>();
  for (const o of objects) {
    const name = o.manifest?.metadata?.name;
    if (typeof name === 'string' && !byName.has(name)) byName.set(name, o.constructPath);
  }
  const resources: { [name: string]: { path: string } } = {};
  for (const [name, p] of byName) resources[name] = { path: p };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, CONSTRUCT_METADATA_FILE), JSON.stringify({ version: '1.0.0', resources }));
}

/**
 * Refuses the cdk8s `AppProps` an ArgoCdApp cannot honour: its layout is fixed (a folder per chart,
 * a file per object, named `<kind>_<namespace>_<name>.yaml`), because Environment's recovery
 * commands, fleet topologies and the drift check name those files.
 */
export function checkCdk8sAppProps<P extends AppProps>(props: P): P {
  const type = props.yamlOutputType;
  if (type !== undefined && type !== YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) {
    const name = (YamlOutputType as any)[type] ?? String(type);
    throw new ValidationError(`ArgoCdApp: yamlOutputType YamlOutputType.${name} is not supported: an ArgoCdApp always writes a folder per chart and a file per object (YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, the only value accepted); move charts with OutputDirectory.set()`);
  }
  const ext = props.outputFileExtension;
  if (ext !== undefined && ext !== '.yaml') {
    throw new ValidationError(`ArgoCdApp: outputFileExtension ${JSON.stringify(ext)} is not supported: every file is named <kind>_<namespace>_<name>.yaml ('.yaml', the only value accepted), as recovery commands and fleet topologies expect`);
  }
  return props;
}
