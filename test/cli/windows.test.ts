// `cdk8s-argocd windows` over committed AppProject YAML. The expected answers follow Argo CD
// v3.5.1's pkg/apis/application/v1alpha1/types.go: SyncWindows.Matches (applications, clusters and
// namespaces globs), SyncWindows.active / inactiveAllows (robfig/cron's Next from
// `now + offset - duration`, the zone offset of SyncWindow.scheduleOffsetByTimeZone) and
// SyncWindows.CanSync (an active deny blocks, manualSync lets manual syncs through, an inactive
// allow window blocks when no allow window is active).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cli } from './_fixture';

const PROJECTS = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: shop, namespace: argocd }
spec:
  syncWindows:
    # 0: every night 22:00-23:00 UTC, web only, manual syncs allowed
    - { kind: deny, schedule: '0 22 * * *', duration: 1h, applications: [web], manualSync: true }
    # 1: weekdays 06:00-09:00 in Berlin (05:00-08:00 UTC in winter), batch-* namespaces
    - { kind: allow, schedule: '0 6 * * 1-5', duration: 3h, namespaces: ['batch-*'], timeZone: Europe/Berlin }
    # 2: every night 00:00-02:00 UTC, clusters named or addressed prod-*
    - { kind: deny, schedule: '0 0 * * *', duration: 2h, clusters: ['prod-*'] }
---
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: quiet, namespace: argocd }
spec: {}
`;

const APPS = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: web, namespace: argocd }
spec:
  project: shop
  destination: { server: https://kubernetes.default.svc, namespace: shop }
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: job, namespace: argocd }
spec:
  project: shop
  destination: { server: https://kubernetes.default.svc, namespace: batch-nightly }
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: api, namespace: argocd }
spec:
  project: shop
  destination: { name: prod-1, namespace: api }
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: stray, namespace: argocd }
spec:
  project: default
  destination: { server: https://kubernetes.default.svc, namespace: stray }
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A folder with `files` (relative path -> content). */
function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-windows-'));
  dirs.push(dir);
  for (const [f, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), content);
  }
  return dir;
}

const iso = (s: string) => new Date(s).toISOString();

describe('windows: a folder of committed YAML', () => {
  const dir = folder({ 'projects/shop.yaml': PROJECTS, 'apps/apps.yaml': APPS, 'README.md': '# not YAML' });

  it('--json: every project and window, with Argo CD active state and the next opening and closing', async () => {
    const r = await cli(dir, ['windows', '.', '--at', '2026-12-07T22:30:00Z', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.at).toBe(iso('2026-12-07T22:30:00Z'));
    expect(report.applications).toBeUndefined();
    expect(report.projects.map((p: any) => [p.name, p.namespace, p.file])).toEqual([
      ['quiet', 'argocd', 'projects/shop.yaml'],
      ['shop', 'argocd', 'projects/shop.yaml'],
    ]);
    expect(report.projects[0].windows).toEqual([]);
    expect(report.projects[1].windows).toEqual([
      { index: 0, kind: 'deny', schedule: '0 22 * * *', duration: '1h', timeZone: 'UTC', manualSync: true, active: true, closesAt: iso('2026-12-07T23:00:00Z') },
      // Monday 22:30 UTC: next opening Tuesday 06:00 Berlin (UTC+1 in December)
      { index: 1, kind: 'allow', schedule: '0 6 * * 1-5', duration: '3h', timeZone: 'Europe/Berlin', manualSync: false, active: false,
        opensAt: iso('2026-12-08T05:00:00Z'), closesAt: iso('2026-12-08T08:00:00Z') },
      { index: 2, kind: 'deny', schedule: '0 0 * * *', duration: '2h', timeZone: 'UTC', manualSync: false, active: false,
        opensAt: iso('2026-12-08T00:00:00Z'), closesAt: iso('2026-12-08T02:00:00Z') },
    ]);
  });

  it('text: one line per window and a summary', async () => {
    const r = await cli(dir, ['windows', '.', '--at', '2026-12-07T22:30:00Z']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual([
      'project quiet (projects/shop.yaml): no sync windows, syncs are never blocked',
      'project shop (projects/shop.yaml): 3 sync windows',
      "  #0 deny '0 22 * * *' for 1h, manual syncs allowed: open now, closes 2026-12-07T23:00:00.000Z",
      "  #1 allow '0 6 * * 1-5' for 3h (Europe/Berlin): closed, opens 2026-12-08T05:00:00.000Z, closes 2026-12-08T08:00:00.000Z",
      "  #2 deny '0 0 * * *' for 2h: closed, opens 2026-12-08T00:00:00.000Z, closes 2026-12-08T02:00:00.000Z",
      'sync windows at 2026-12-07T22:30:00.000Z: 2 projects, 1 open',
    ]);
  });

  it('--at with an offset is the same moment as in UTC', async () => {
    const utc = JSON.parse((await cli(dir, ['windows', '.', '--at', '2026-12-07T22:30:00Z', '--json'])).stdout);
    const berlin = JSON.parse((await cli(dir, ['windows', '.', '--at', '2026-12-07T23:30:00+01:00', '--json'])).stdout);
    expect(berlin).toEqual(utc);
  });

  it('--app inside a deny window with manualSync: automated sync blocked (exit 1), manual allowed', async () => {
    const r = await cli(dir, ['windows', '.', '--at', '2026-12-07T22:30:00Z', '--app', 'web', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).applications).toEqual([{
      name: 'web', namespace: 'argocd', file: 'apps/apps.yaml', project: 'shop', projectFound: true,
      automatic: false, manual: true, matchingWindows: [0], activeWindows: [0],
    }]);
    const text = await cli(dir, ['windows', '.', '--at', '2026-12-07T22:30:00Z', '--app', 'web']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Application argocd/web (project shop): automated sync blocked, manual sync allowed; windows #0 (open) apply\n');
    expect(text.stdout).toContain('; automated sync of web blocked\n');
  });

  it('--app outside its deny window: both allowed (exit 0)', async () => {
    const r = await cli(dir, ['windows', '.', '--at', '2026-12-07T23:00:00Z', '--app', 'web', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).applications[0]).toMatchObject({ automatic: true, manual: true, matchingWindows: [0], activeWindows: [] });
  });

  it('--app matched by namespace: inside its allow window (time zone Berlin) it syncs, outside both are blocked', async () => {
    const inside = await cli(dir, ['windows', '.', '--at', '2026-12-08T07:59:59Z', '--app', 'job', '--json']);
    expect(inside.code).toBe(0);
    expect(JSON.parse(inside.stdout).applications[0]).toMatchObject({ automatic: true, manual: true, matchingWindows: [1], activeWindows: [1] });
    // 08:00 UTC is 09:00 in Berlin: the allow window has closed, and without manualSync manual syncs are blocked too
    const after = await cli(dir, ['windows', '.', '--at', '2026-12-08T08:00:00Z', '--app', 'job', '--json']);
    expect(after.code).toBe(1);
    expect(JSON.parse(after.stdout).applications[0]).toMatchObject({ automatic: false, manual: false, matchingWindows: [1], activeWindows: [] });
    // Saturday: the weekday window does not open
    const saturday = await cli(dir, ['windows', '.', '--at', '2026-12-12T06:00:00Z', '--app', 'job', '--json']);
    expect(saturday.code).toBe(1);
    const w1 = JSON.parse(saturday.stdout).projects[1].windows[1];
    expect([w1.active, w1.opensAt, w1.closesAt]).toEqual([false, iso('2026-12-14T05:00:00Z'), iso('2026-12-14T08:00:00Z')]);
  });

  it('--app matched by cluster name: blocked inside the deny window, manual too', async () => {
    const r = await cli(dir, ['windows', '.', '--at', '2026-12-08T01:00:00Z', '--app', 'api', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).applications[0]).toMatchObject({ project: 'shop', automatic: false, manual: false, matchingWindows: [2], activeWindows: [2] });
  });

  it('--app whose project is not committed: said so, syncs not blocked by anything known (exit 0)', async () => {
    const r = await cli(dir, ['windows', '.', '--at', '2026-12-08T01:00:00Z', '--app', 'stray']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Application argocd/stray (project default): no committed AppProject 'default'; its windows are unknown\n");
  });

  it('--app naming no Application: exit 2, the names there are', async () => {
    const r = await cli(dir, ['windows', '.', '--app', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--app nope: no committed Application of that name; there are api, job, stray, web');
  });

  it('a single file', async () => {
    const r = await cli(dir, ['windows', 'projects/shop.yaml', '--at', '2026-12-08T01:00:00Z', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.projects.map((p: any) => p.name)).toEqual(['quiet', 'shop']);
    expect(report.projects[1].windows.map((w: any) => w.active)).toEqual([false, false, true]);
  });

  it('an unknown time zone: noted, read as UTC as Argo CD does; a bad schedule: the window cannot be evaluated, syncs blocked', async () => {
    const d = folder({
      'p.yaml': `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: odd }
spec:
  syncWindows:
    - { kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['*'], timeZone: Mars/Olympus }
    - { kind: deny, schedule: '@daily', duration: 1h, namespaces: [shop] }
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: web }
spec: { project: odd, destination: { server: https://kubernetes.default.svc, namespace: shop } }
`,
    });
    const r = await cli(d, ['windows', 'p.yaml', '--at', '2026-12-07T22:30:00Z', '--app', 'web', '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.projects[0].windows[0]).toMatchObject({ timeZone: 'UTC', active: true, problem: "time zone 'Mars/Olympus' is unknown; Argo CD reads the schedule in UTC" });
    expect(report.projects[0].windows[1]).toMatchObject({ active: false, problem: "cannot parse schedule '@daily': parser does not accept descriptors: @daily" });
    expect(report.applications[0]).toMatchObject({
      automatic: false, manual: false, matchingWindows: [0, 1],
      error: "invalid sync windows: cannot parse schedule '@daily': parser does not accept descriptors: @daily",
    });
    const text = await cli(d, ['windows', 'p.yaml', '--at', '2026-12-07T22:30:00Z', '--app', 'web']);
    expect(text.stdout).toContain("#1 deny '@daily' for 1h: cannot parse schedule '@daily'");
    expect(text.stdout).toContain('Application web (project odd): syncs blocked, Argo CD cannot evaluate its windows: invalid sync windows:');
  });
});

describe('windows: usage errors (exit 2)', () => {
  const dir = folder({ 'p.yaml': PROJECTS, 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n' });

  it.each(['tomorrow', '2026-12-07', '2026-12-07T22:30:00', '2026-13-07T22:30:00Z', '1765146600'])('--at %s is refused', async (at) => {
    const r = await cli(dir, ['windows', '.', '--at', at]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`--at ${at}: not an RFC 3339 time; use e.g. 2026-12-24T22:30:00Z`);
  });

  it('no AppProject in what was read', async () => {
    const r = await cli(dir, ['windows', 'cm.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no AppProject in cm.yaml (1 object read); pass the file or folder that holds the committed AppProjects');
  });

  it('a path that does not exist', async () => {
    const r = await cli(dir, ['windows', 'nowhere']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nowhere: no such file or folder');
  });

  it('YAML that cannot be parsed', async () => {
    const d = folder({ 'bad.yaml': 'kind: AppProject\n  spec: [\n' });
    const r = await cli(d, ['windows', 'bad.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml: bad indentation of a mapping entry');
  });
});

describe('windows: - reads standard input (the real bin)', () => {
  const run = (args: string[], input: string) => {
    const r = spawnSync(process.execPath, [BIN, 'windows', ...args], { input, encoding: 'utf-8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('projects and Applications from standard input', () => {
    const r = run(['-', '--at', '2026-12-07T22:30:00Z', '--app', 'web', '--json'], `${PROJECTS}---\n${APPS}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.projects.map((p: any) => [p.name, p.file])).toEqual([['quiet', '<stdin>'], ['shop', '<stdin>']]);
    expect(report.applications[0]).toMatchObject({ name: 'web', file: '<stdin>', automatic: false, manual: true });
  });

  it('standard input without an AppProject', () => {
    const r = run(['-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no AppProject in standard input (1 object read)');
  });
});

describe('windows: without a path, the YAML files of the Git checkout', () => {
  it('reads tracked and untracked files, not ignored ones', async () => {
    const dir = folder({ '.gitignore': 'ignored/\n', 'shop.yaml': PROJECTS, 'ignored/other.yaml': PROJECTS.replace(/name: shop/, 'name: ignored') });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', 'shop.yaml'], { cwd: dir });
    fs.writeFileSync(path.join(dir, 'untracked.yml'), APPS);
    const r = await cli(dir, ['windows', '--at', '2026-12-07T22:30:00Z', '--app', 'job', '--json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.projects.map((p: any) => [p.name, p.file])).toEqual([['quiet', 'shop.yaml'], ['shop', 'shop.yaml']]);
    expect(report.applications.map((a: any) => [a.name, a.file, a.automatic])).toEqual([['job', 'untracked.yml', false]]);
    expect(r.code).toBe(1);
  });
});
