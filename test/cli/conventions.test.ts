// Conventions every command follows: --version, --json everywhere, `-` for standard input, one
// spelling for formats (--format) and output folders (--out), the old spellings as deprecated
// aliases; and the messages that name the flag that fixes a repository URL mismatch.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import * as yaml from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpYamlDocuments } from '../../lib/_internal/yaml';
import { runCli } from '../../lib/cli/main';
import { REPO_ROOT, cli, makeProject, spawnCli } from './_fixture';

const REPO = 'https://github.com/example/gitops.git';

/** Runs the CLI in this process with `input` as standard input. */
async function cliWithStdin(cwd: string, args: string[], input: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdin: Readable.from([Buffer.from(input)]),
    stdout: { write: (s: string) => { stdout += s; } },
    stderr: { write: (s: string) => { stderr += s; } },
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code, stdout, stderr };
}

const listAppSet = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name: 'guestbooks', namespace: 'argocd' },
  spec: {
    generators: [{ list: { elements: [{ env: 'dev' }, { env: 'prod' }] } }],
    template: {
      metadata: { name: 'guestbook-{{env}}' },
      spec: { project: 'default', source: { repoURL: REPO, targetRevision: 'main', path: 'apps/{{env}}' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'gb' } },
    },
  },
};

const clustersAppSet = {
  ...listAppSet,
  metadata: { name: 'per-cluster', namespace: 'argocd' },
  spec: { ...listAppSet.spec, generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }], template: { ...listAppSet.spec.template, metadata: { name: 'gb-{{name}}' } } },
};

const gitAppSet = {
  ...listAppSet,
  metadata: { name: 'dirs', namespace: 'argocd' },
  spec: { ...listAppSet.spec, generators: [{ git: { repoURL: REPO, revision: 'main', directories: [{ path: 'apps/*' }] } }], template: { ...listAppSet.spec.template, metadata: { name: 'app-{{path.basename}}' } } },
};

const tmpDirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-conventions-'));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function gitInit(dir: string, origin?: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  if (origin) git('remote', 'add', 'origin', origin);
}

describe('--version and --json', () => {
  it('--version prints the version of package.json', () => {
    const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf-8')).version;
    const r = spawnCli(tmp(), ['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it.each(['check', 'validate', 'graph', 'preview', 'windows'])('%s accepts --json', async (command) => {
    const r = await cli(REPO_ROOT, [command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}--json +print a machine-readable JSON report on stdout$/m);
  });

  it('no command lists -o or --output any more', async () => {
    for (const command of ['check', 'validate', 'graph', 'preview', 'windows']) {
      const r = await cli(REPO_ROOT, [command, '--help']);
      expect(r.stdout).not.toMatch(/-o,|--output/);
    }
  });
});

describe('preview', () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'appset.yaml'), dumpYamlDocuments([listAppSet]));

  it('- reads the YAML from standard input', async () => {
    const r = await cliWithStdin(dir, ['preview', '-', '--format', 'yaml'], dumpYamlDocuments([listAppSet]));
    expect(r.code).toBe(0);
    expect(yaml.parseAllDocuments(r.stdout).map((d) => d.toJS().metadata.name)).toEqual(['guestbook-dev', 'guestbook-prod']);
  });

  it('-o/--output still works, with a deprecation notice on stderr', async () => {
    const r = await cli(dir, ['preview', '.', '--output', 'yaml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: --output <format> is deprecated and will be removed; use --format <format>\n');
    expect(yaml.parseAllDocuments(r.stdout).map((d) => d.toJS().metadata.name)).toEqual(['guestbook-dev', 'guestbook-prod']);
    const short = await cli(dir, ['preview', '.', '-o', 'yaml']);
    expect(short.stdout).toBe(r.stdout);
    expect(short.stderr).toContain('is deprecated');
  });

  it('--json reports what was generated', async () => {
    const r = await cli(dir, ['preview', '.', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(true);
    expect(json.rows.map((row: any) => row.application)).toEqual(['guestbook-dev', 'guestbook-prod']);
    expect(json.summary).toBe('preview: 2 Applications generated by 1 ApplicationSet');
    expect(r.stderr).toBe('');
  });

  it('an ApplicationSet of a clusters generator with no cluster Secret beside it says why it generated nothing', async () => {
    const r = await cliWithStdin(dir, ['preview', '-'], dumpYamlDocuments([clustersAppSet]));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('note: ApplicationSet per-cluster (<stdin>) generated no Application: its clusters generator reads cluster Secrets (Secrets labelled argocd.argoproj.io/secret-type: cluster), and the files read hold none; preview a folder that holds the cluster Secrets too');
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'staging', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'staging' } }, stringData: { name: 'staging', server: 'https://staging.example.com' } };
    const other = await cliWithStdin(dir, ['preview', '-', '--json'], dumpYamlDocuments([clustersAppSet, secret]));
    expect(JSON.parse(other.stdout).notes).toEqual(['ApplicationSet per-cluster (<stdin>) generated no Application: its clusters generator reads cluster Secrets (Secrets labelled argocd.argoproj.io/secret-type: cluster), and none of the 1 cluster Secret read matches its selector']);
  });

  it('a repository the origin remote does not name: the error says which --repo flag fixes it', async () => {
    const checkout = tmp();
    gitInit(checkout, 'https://github.com/example/another.git');
    fs.mkdirSync(path.join(checkout, 'apps', 'api'), { recursive: true });
    fs.writeFileSync(path.join(checkout, 'apps', 'api', 'kustomization.yaml'), 'resources: []\n');
    fs.writeFileSync(path.join(checkout, 'appset.yaml'), dumpYamlDocuments([gitAppSet]));
    const r = await cli(checkout, ['preview', 'appset.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`repository ${REPO} has no local folder (the checkout's origin (git remote get-url origin) is https://github.com/example/another.git, another repository); pass --repo ${REPO}=<folder of its checkout>`);
    expect(r.stderr).not.toContain('world.repositories');
    const fixed = await cli(checkout, ['preview', 'appset.yaml', '--repo', `${REPO}=.`]);
    expect(fixed.stderr).toBe('');
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('app-api');
  });
});

describe('windows', () => {
  it('- reads the AppProjects from standard input', async () => {
    const project = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team', namespace: 'argocd' }, spec: { syncWindows: [{ kind: 'deny', schedule: '0 22 * * *', duration: '1h', applications: ['*'] }] } };
    const r = await cliWithStdin(tmp(), ['windows', '-', '--at', '2026-01-05T22:30:00Z', '--json'], dumpYamlDocuments([project]));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.projects.map((p: any) => [p.name, p.file, p.windows.length, p.windows[0].active])).toEqual([['team', '<stdin>', 1, true]]);
  });
});

describe('check and graph on a project', () => {
  const dir = makeProject();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("check: --out names the committed folder, -o/--output is a deprecated alias, and diff headers name files as the report lines do", async () => {
    const committed = fs.readdirSync(path.join(dir, 'dist'), { recursive: true, withFileTypes: true }).find((e) => e.isFile() && e.name.endsWith('.yaml'))!;
    const file = path.relative(path.join(dir, 'dist'), path.join(committed.parentPath, committed.name)).split(path.sep).join('/');
    fs.appendFileSync(path.join(dir, 'dist', file), '# edited\n');
    const r = await cli(dir, ['check', '--out', 'dist']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContain(`changed: dist/${file}`);
    expect(lines).toContain(`--- a/dist/${file}`);
    expect(lines).toContain(`+++ b/dist/${file}`);
    const old = await cli(dir, ['check', '-o', 'dist']);
    expect(old.code).toBe(1);
    expect(old.stdout).toBe(r.stdout);
    expect(old.stderr).toContain('warning: --output <dir> is deprecated and will be removed; use --out <dir>\n');
  });

  it('graph --json prints nodes and edges; an origin that names another repository gets a note naming --repo', async () => {
    gitInit(dir, 'https://github.com/example/elsewhere.git');
    const r = await cli(dir, ['graph', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(true);
    expect(json.notes[0]).toBe(`no source names this repository: this checkout's origin (git remote get-url origin) is https://github.com/example/elsewhere.git, the sources name ${REPO}; if one of them is this repository, pass --repo ${REPO}=. so that children are found`);
    const childEdges = (j: any) => j.edges.filter((e: any) => e.kind === 'child').length;
    expect(childEdges(json)).toBe(0);
    const fixed = JSON.parse((await cli(dir, ['graph', '--json', '--repo', `${REPO}=.`])).stdout);
    expect(fixed.notes.filter((n: string) => n.startsWith('no source names'))).toEqual([]);
    expect(childEdges(fixed)).toBeGreaterThanOrEqual(3);
  });
});
