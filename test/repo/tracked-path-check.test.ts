import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { Application } from '../../lib/argocd/application';
import { ApplicationSource } from '../../lib/argocd/application-source';
import { Destination } from '../../lib/argocd/destination';
import { GitOpsRepo } from '../../lib/repo/gitops-repo';

const REPO = 'https://github.com/myorg/infra-repo.git';
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** GIVEN a checkout holding `files` (committed), whose origin is `origin` when given. */
function checkout(files: string[], origin?: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tracked-path-'));
  dirs.push(root);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), 'x: 1\n');
  }
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'files');
  if (origin) git('remote', 'add', 'origin', origin);
  return root;
}

/** An app writing to `<root>/gitops` with one hand-written Application reading `sourcePath`. */
function appWith(root: string, sourcePath: string) {
  const app = new ArgoCdApp({ outdir: path.join(root, 'gitops') });
  const repo = new GitOpsRepo(app, 'repo', { repoUrl: REPO, targetRevision: 'main', outputRoot: 'gitops' });
  const env = repo.addEnvironment('staging');
  new Application(env.chart, 'api', {
    project: env.project,
    source: ApplicationSource.git({ repoUrl: 'git@github.com:myorg/infra-repo.git', targetRevision: 'main', path: sourcePath }),
    destination: Destination.inCluster('api'),
  });
  return { app, repo };
}

const FILES = ['apps/api/overlays/staging/kustomization.yaml', 'apps/api/overlays/production/kustomization.yaml', 'apps/api/base/deployment.yaml', 'README.md'];

describe('source paths outside the output root', () => {
  test('fail when no tracked file lies in them, with the nearest existing paths', () => {
    const root = checkout(FILES, REPO);
    const { app } = appWith(root, 'apps/api/overlay/staging');
    expect(() => app.synthFiles()).toThrowError(
      "[repo/staging/Applications/api/Resource] spec.source.path 'apps/api/overlay/staging' of Application 'api' is no directory of this repository's Git checkout "
      + `(${root}), so Argo CD would find no manifests in ${REPO}; nearest existing paths: apps/api/overlays/staging, apps/api/overlays, apps/api/overlays/production; `
      + 'fix the path, commit the directory, or declare a path written by other means with repo.addExternalPath()');
  });

  test('pass when the directory holds tracked files, or is declared external', () => {
    const root = checkout(FILES, REPO);
    expect(appWith(root, 'apps/api/overlays/staging/').app.synthFiles().length).toBeGreaterThan(0);
    const { app, repo } = appWith(root, 'legacy/api');
    repo.addExternalPath('legacy');
    expect(app.synthFiles().length).toBeGreaterThan(0);
  });

  test('are not checked outside a Git checkout, in one without origin, or in a checkout of another repository', () => {
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'tracked-path-'));
    dirs.push(plain);
    expect(appWith(plain, 'apps/api/overlay/staging').app.synthFiles().length).toBeGreaterThan(0);
    expect(appWith(checkout(FILES), 'apps/api/overlay/staging').app.synthFiles().length).toBeGreaterThan(0);
    const other = checkout(FILES, 'https://github.com/someone/else.git');
    expect(appWith(other, 'apps/api/overlay/staging').app.synthFiles().length).toBeGreaterThan(0);
    const same = checkout(FILES, 'https://github.com/MyOrg/infra-repo');
    expect(() => appWith(same, 'apps/api/overlay/staging').app.synthFiles()).toThrowError(/is no directory of this repository's Git checkout/);
  });
});
