// Runs a written program the way `cdk8s synth` would (`tsx main.ts`), against this copy of the
// library, and reads back every object it synthesizes. The program is copied into a scratch
// directory of its own, where `cdk8s-argocd` resolves to this library (a small package in a
// directory on NODE_PATH) and `cdk8s`, `constructs` and `cdk8s-plus-28` to the ones it uses, so
// that what is compared is what this version writes.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadYamlDocuments } from '../_internal/yaml';

/** One object a program synthesized. */
export interface SynthesizedObject {
  /** Its file, relative to the output directory, with `/` separators. */
  readonly file: string;
  /** The object, parsed. */
  readonly manifest: any;
}

/** What running a program gave. */
export interface ProgramRun {
  readonly ok: boolean;
  readonly objects: SynthesizedObject[];
  /** The program's standard error (its synthesis errors), when it failed. */
  readonly error: string;
}

/** Runs `source` (the text of a main.ts) and returns the objects it writes. */
export async function runProgram(source: string): Promise<ProgramRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-argocd-import-'));
  try {
    const shim = path.join(dir, 'shim');
    writeShim(shim);
    fs.writeFileSync(path.join(dir, 'main.ts'), source);
    const outdir = path.join(dir, 'dist');
    const nodePath = [shim, ...dependencyRoots()].join(path.delimiter);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: nodePath, CDK8S_ARGOCD_OUTDIR: outdir, CDK8S_OUTDIR: path.join(dir, '.cdk8s.out') };
    delete env.CDK8S_ARGOCD_BUNDLE;
    delete env.CDK8S_ARGOCD_REPORT;
    const { code, stderr } = await spawnNode([...tsxArgs(), 'main.ts'], dir, env);
    if (code !== 0) return { ok: false, objects: [], error: stderr.trim() || `the program exited with ${code}` };
    return { ok: true, objects: readObjects(outdir), error: '' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function spawnNode(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf-8');
    child.stderr.on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function tsxArgs(): string[] {
  let loader: string;
  try {
    loader = require.resolve('tsx/cjs');
  } catch {
    throw new Error("running the written program needs tsx (npm install -D tsx), as `cdk8s synth` with 'app: npx tsx main.ts' does");
  }
  return ['--require', loader];
}

/** The library's entry point: its TypeScript source in a checkout, its build in the package. */
function libraryEntry(): string {
  for (const ext of ['.ts', '.js']) {
    const f = path.join(__dirname, '..', `index${ext}`);
    if (fs.existsSync(f)) return f;
  }
  throw new Error(`the library's entry point is missing beside ${__dirname}`);
}

function writeShim(shim: string): void {
  const pkg = path.join(shim, 'cdk8s-argocd');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'cdk8s-argocd', main: 'index.js' }));
  fs.writeFileSync(path.join(pkg, 'index.js'), `module.exports = require(${JSON.stringify(libraryEntry())});\n`);
}

/** The node_modules directories holding the library's own cdk8s, constructs and cdk8s-plus-28. */
function dependencyRoots(): string[] {
  const roots = new Set<string>();
  for (const dep of ['cdk8s', 'constructs', 'cdk8s-plus-28']) {
    try {
      const main = require.resolve(`${dep}/package.json`);
      roots.add(path.dirname(path.dirname(main)));
    } catch {
      // a dependency that is not installed: the program's own import of it fails with Node's message
    }
  }
  return [...roots];
}

function readObjects(outdir: string): SynthesizedObject[] {
  const out: SynthesizedObject[] = [];
  const walk = (dir: string, rel: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(dir, entry.name);
      const file = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(abs, file);
      else if (entry.name.endsWith('.yaml')) {
        for (const manifest of loadYamlDocuments(fs.readFileSync(abs, 'utf-8'), { source: file })) out.push({ file, manifest });
      }
    }
  };
  walk(outdir, '');
  return out;
}
