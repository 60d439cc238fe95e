#!/usr/bin/env node
// The language tests: the apps under test/languages/<language>/ run against the package that
// `npm run package` built into dist/ and the published cdk8s packages of that language, and each
// app's output is compared byte for byte with its TypeScript twin's (test/languages/ts/); the
// language's own test of a synth-time error runs too, and for Python `cdk8s-argocd check` in a
// Python project.
//   node test/languages/run.mjs python|java|go [--report FILE]
// FILE receives {numPassedTests, numFailedTests, success}, the fields .ci/run adds up from vitest's
// JSON reports. Slow setups are cached under $LANGUAGES_CACHE (default ~/.cache/cdk8s-argocd-languages),
// keyed by the pin files: the Python virtual environment by requirements.txt, the Maven repository
// by pom.xml; Go uses its own module cache.
// Exit codes: 0 every case passed, 1 a case failed, 2 usage or setup error.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const HERE = path.join(ROOT, 'test', 'languages');
const CACHE = process.env.LANGUAGES_CACHE ?? path.join(os.homedir(), '.cache', 'cdk8s-argocd-languages');
const APPS = ['quickstart', 'multienv'];

const args = process.argv.slice(2);
const lang = args[0];
const reportAt = args.indexOf('--report') >= 0 ? args[args.indexOf('--report') + 1] : undefined;
if (!['python', 'java', 'go'].includes(lang) || (args.includes('--report') && !reportAt)) {
  console.error('usage: node test/languages/run.mjs python|java|go [--report FILE]');
  process.exit(2);
}

const env = { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', NO_COLOR: '1' };
const results = [];
function record(name, ok, detail = '') {
  results.push({ name, ok });
  console.log(`${ok ? '✓' : '✗'} ${lang}: ${name}${ok || !detail ? '' : `\n    ${detail.split('\n').join('\n    ')}`}`);
}
function finish(setupFailed) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed + (setupFailed ? 1 : 0);
  if (reportAt) fs.writeFileSync(reportAt, JSON.stringify({ numPassedTests: passed, numFailedTests: failed, success: failed === 0 }));
  console.log(`${lang}: ${passed} passed, ${failed} failed`);
  process.exit(setupFailed ? 2 : failed ? 1 : 0);
}
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf-8', env, maxBuffer: 256 * 1024 * 1024, ...opts });
  return { status: r.error ? -1 : r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}
function must(what, cmd, argv, opts) {
  const started = Date.now();
  const r = run(cmd, argv, opts);
  if (r.status !== 0) {
    console.error(`${lang}: ${what} failed (${cmd} ${argv.join(' ')}):\n${r.out.slice(-4000)}`);
    finish(true);
  }
  console.log(`${lang}: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return r.out;
}
const sha = (...files) => createHash('sha256').update(files.map((f) => fs.readFileSync(f)).join('\0')).digest('hex').slice(0, 16);

/** Every file under dir (hidden ones too), relative, sorted. */
function filesOf(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else out.push(path.relative(dir, p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}
/** The differences between two output directories, as text ('' when byte for byte equal). */
function compare(expected, actual) {
  const a = filesOf(expected), b = filesOf(actual);
  const problems = [];
  for (const f of a) if (!b.includes(f)) problems.push(`missing ${f}`);
  for (const f of b) if (!a.includes(f)) problems.push(`extra ${f}`);
  for (const f of a) {
    if (b.includes(f) && !fs.readFileSync(path.join(expected, f)).equals(fs.readFileSync(path.join(actual, f)))) problems.push(`differs ${f}`);
  }
  if (a.length === 0) problems.push('the TypeScript app wrote no file');
  return problems.join('\n');
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-argocd-${lang}-`));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

// the TypeScript twins, run from the source
const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
for (const a of APPS) must(`TypeScript ${a}`, tsx, [path.join(HERE, 'ts', `${a}.ts`)], { cwd: ROOT, env: { ...env, OUTDIR: path.join(scratch, 'ts', a) } });

// ---- per language: setup, a runner for each app, the error tests ----
let runApp; // (app, outdir) => {status, out}
if (lang === 'python') {
  const wheel = fs.existsSync(path.join(ROOT, 'dist', 'python')) && fs.readdirSync(path.join(ROOT, 'dist', 'python')).find((f) => f.endsWith('.whl'));
  if (!wheel) { console.error('python: no wheel in dist/python; run npm run build && npm run package'); finish(true); }
  const pyDir = path.join(HERE, 'python');
  const venv = path.join(CACHE, `python-venv-${sha(path.join(pyDir, 'requirements.txt'))}`);
  const py = path.join(venv, 'bin', 'python');
  if (!fs.existsSync(py)) {
    fs.rmSync(venv, { recursive: true, force: true });
    must('virtual environment', 'python3', ['-m', 'venv', venv]);
    must('pip install -r requirements.txt', py, ['-m', 'pip', 'install', '-q', '-r', path.join(pyDir, 'requirements.txt')]);
  } else console.log(`python: virtual environment from the cache (${venv})`);
  must(`pip install ${wheel}`, py, ['-m', 'pip', 'install', '-q', '--no-deps', '--force-reinstall', path.join(ROOT, 'dist', 'python', wheel)]);
  runApp = (a, outdir) => run(py, [path.join(pyDir, `${a}.py`)], { cwd: pyDir, env: { ...env, OUTDIR: outdir } });
  for (const a of APPS) {
    const outdir = path.join(scratch, lang, a);
    const r = runApp(a, outdir);
    record(`${a} synthesizes what its TypeScript twin does, byte for byte`, r.status === 0 && !compare(path.join(scratch, 'ts', a), outdir), r.status === 0 ? compare(path.join(scratch, 'ts', a), outdir) : r.out.slice(-3000));
  }
  // the error tests (unittest, one result line per test with -v)
  const t = run(py, ['-m', 'unittest', '-v', 'test_errors.py'], { cwd: pyDir });
  const lines = [...t.out.matchAll(/^(test_\w+) \([^)]*\)(?:\n.*?)? \.\.\. (ok|FAIL|ERROR)$/gm)];
  for (const m of lines) record(`test_errors.${m[1]}`, m[2] === 'ok', t.out.slice(-3000));
  if (lines.length === 0 || (t.status !== 0 && lines.every((m) => m[2] === 'ok'))) record('test_errors.py runs', false, t.out.slice(-3000));
  // cdk8s-argocd check in a Python project whose cdk8s.yaml runs `python main.py`
  const project = path.join(scratch, 'python-project');
  fs.mkdirSync(project);
  fs.copyFileSync(path.join(pyDir, 'quickstart.py'), path.join(project, 'main.py'));
  fs.writeFileSync(path.join(project, 'cdk8s.yaml'), 'language: python\napp: python main.py\noutput: .cdk8s.out\n');
  const pyEnv = { ...env, PATH: `${path.join(venv, 'bin')}${path.delimiter}${env.PATH}`, VIRTUAL_ENV: venv };
  delete pyEnv.OUTDIR;
  const cli = path.join(ROOT, 'bin', 'cdk8s-argocd.js');
  const synth = run('python', ['main.py'], { cwd: project, env: pyEnv });
  const committed = path.join(project, 'gitops', 'apps', 'application_argocd_guestbook.yaml');
  const same = run('node', [cli, 'check'], { cwd: project, env: pyEnv });
  record('cdk8s-argocd check of a Python project (app: python main.py) passes on its committed output', synth.status === 0 && same.status === 0 && /guestbook|1 file|equal|up to date/i.test(same.out), `${synth.out}\n${same.out}`.slice(-3000));
  if (fs.existsSync(committed)) fs.appendFileSync(committed, '# edited by hand\n');
  const drift = run('node', [cli, 'check'], { cwd: project, env: pyEnv });
  record('cdk8s-argocd check of a Python project reports a hand edit as drift (exit 1, naming the file)', drift.status === 1 && drift.out.includes('application_argocd_guestbook.yaml'), drift.out.slice(-3000));
} else if (lang === 'go') {
  const goDir = path.join(HERE, 'go');
  if (!fs.existsSync(path.join(ROOT, 'dist', 'go', 'cdk8sargocd', 'go.mod'))) { console.error('go: no module in dist/go; run npm run build && npm run package'); finish(true); }
  const bin = path.join(scratch, 'bin');
  for (const a of APPS) must(`go build ./${a}`, 'go', ['build', '-o', path.join(bin, a), `./${a}`], { cwd: goDir });
  runApp = (a, outdir) => run(path.join(bin, a), [], { cwd: goDir, env: { ...env, OUTDIR: outdir } });
  for (const a of APPS) {
    const outdir = path.join(scratch, lang, a);
    const r = runApp(a, outdir);
    record(`${a} synthesizes what its TypeScript twin does, byte for byte`, r.status === 0 && !compare(path.join(scratch, 'ts', a), outdir), r.status === 0 ? compare(path.join(scratch, 'ts', a), outdir) : r.out.slice(-3000));
  }
  const t = run('go', ['test', '-count=1', '-v', './synth'], { cwd: goDir });
  const lines = [...t.out.matchAll(/^--- (PASS|FAIL): (\w+)/gm)];
  for (const m of lines) record(`synth.${m[2]}`, m[1] === 'PASS', t.out.slice(-3000));
  if (lines.length === 0 || (t.status !== 0 && lines.every((m) => m[1] === 'PASS'))) record('go test ./synth runs', false, t.out.slice(-3000));
} else {
  const javaDir = path.join(HERE, 'java');
  if (!fs.existsSync(path.join(ROOT, 'dist', 'java', 'io'))) { console.error('java: no Maven repository in dist/java; run npm run build && npm run package'); finish(true); }
  const cpFile = path.join(scratch, 'classpath.txt');
  // the local repositories hold the freshly built 0.1.0: Maven's copy in ~/.m2 is replaced
  fs.rmSync(path.join(os.homedir(), '.m2', 'repository', 'io', 'github', 'cdk8s-argocd'), { recursive: true, force: true });
  must('mvn test-compile', 'mvn', ['-B', '-q', 'test-compile', 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], { cwd: javaDir });
  const classpath = [path.join(javaDir, 'target', 'classes'), fs.readFileSync(cpFile, 'utf-8').trim()].join(path.delimiter);
  const main = { quickstart: 'example.Quickstart', multienv: 'example.Multienv' };
  runApp = (a, outdir) => run('java', ['-cp', classpath, main[a]], { cwd: javaDir, env: { ...env, OUTDIR: outdir } });
  for (const a of APPS) {
    const outdir = path.join(scratch, lang, a);
    const r = runApp(a, outdir);
    record(`${a} synthesizes what its TypeScript twin does, byte for byte`, r.status === 0 && !compare(path.join(scratch, 'ts', a), outdir), r.status === 0 ? compare(path.join(scratch, 'ts', a), outdir) : r.out.slice(-3000));
  }
  const reports = path.join(javaDir, 'target', 'surefire-reports');
  fs.rmSync(reports, { recursive: true, force: true });
  const t = run('mvn', ['-B', 'surefire:test'], { cwd: javaDir });
  const cases = [];
  if (fs.existsSync(reports)) {
    for (const f of fs.readdirSync(reports).filter((n) => n.startsWith('TEST-') && n.endsWith('.xml'))) {
      const xml = fs.readFileSync(path.join(reports, f), 'utf-8');
      // each <testcase ...> up to the next one: a <failure> or <error> inside marks it failed
      const starts = [...xml.matchAll(/<testcase\b([^>]*)>/g)];
      starts.forEach((m, i) => {
        const attr = (k) => (m[1].match(new RegExp(`\\b${k}="([^"]*)"`)) ?? [])[1] ?? '?';
        const body = m[1].endsWith('/') ? '' : xml.slice(m.index + m[0].length, i + 1 < starts.length ? starts[i + 1].index : xml.length);
        cases.push({ name: `${attr('classname').replace(/^example\./, '')}.${attr('name')}`, ok: !/<(failure|error)\b/.test(body.split('</testcase>')[0]) });
      });
    }
  }
  for (const c of cases) record(c.name, c.ok, t.out.slice(-3000));
  if (cases.length === 0 || (t.status !== 0 && cases.every((c) => c.ok))) record('mvn surefire:test runs', false, t.out.slice(-3000));
}
finish(false);
