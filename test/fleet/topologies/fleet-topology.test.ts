// FleetTopology.synth() removes only what the library wrote (lib/fleet/topologies/fleet-topology.ts).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, test } from 'vitest';
import { ApplicationSource } from '../../../lib/argocd/application-source';
import { Cluster } from '../../../lib/fleet/cluster';
import { InstancePerCluster } from '../../../lib/fleet/topologies/instance-per-cluster';
import { readTree, scratchDirs, besideOutputs } from '../../support/files';

const scratch = scratchDirs('fleet-topology-test');
afterEach(() => scratch.removeAll());
const REPO = 'https://github.com/myorg/infra-repo.git';
const edge = (name: string) => new Cluster({ name, server: `https://${name}.example.com` });
const helm = ApplicationSource.helmChart({ repoUrl: 'https://charts.example.com', chart: 'x', version: '1.0.0' });

function synth(outdir: string, clusters: string[]): void {
  const t = new InstancePerCluster({ repoUrl: REPO, outdir, clusters: clusters.map(edge) });
  t.addApp('web', { source: helm });
  t.synth();
}

describe('FleetTopology.synth', () => {
  test('with outdir at a repository root, removes a gone instance\'s directory and never the repository\'s own files', () => {
    // GIVEN a repository whose root is the topology's outdir, with sources, a README and a git directory
    const repo = scratch.make();
    execFileSync('git', ['init', '-q'], { cwd: repo });
    fs.mkdirSync(path.join(repo, 'src'));
    fs.writeFileSync(path.join(repo, 'src', 'main.ts'), 'code');
    fs.mkdirSync(path.join(repo, 'docs'));
    fs.writeFileSync(path.join(repo, 'docs', 'notes.yaml'), 'a: 1');
    fs.writeFileSync(path.join(repo, 'docs', 'README.md'), 'docs');
    fs.writeFileSync(path.join(repo, 'README.md'), 'readme');
    // WHEN instances a and b are synthesized, then only a
    synth(repo, ['a', 'b']);
    synth(repo, ['a']);
    // THEN b, its spare and its work directory are gone; everything else is as it was
    expect(besideOutputs(repo)).toEqual(['.a.spare', '.git', 'README.md', 'a', 'docs', 'src']);
    expect(readTree(path.join(repo, 'src'))).toEqual({ 'main.ts': 'code' });
    expect(readTree(path.join(repo, 'docs'))).toEqual({ 'notes.yaml': 'a: 1', 'README.md': 'docs' });
    expect(fs.existsSync(path.join(repo, '.git', 'HEAD'))).toBe(true);
  });

  test('keeps a gone instance\'s directory that holds anything the library does not write', () => {
    const outdir = scratch.make();
    synth(outdir, ['a', 'b']);
    fs.writeFileSync(path.join(outdir, 'b', 'bootstrap', 'NOTES.md'), 'mine');
    synth(outdir, ['a']);
    expect(besideOutputs(outdir)).toEqual(['.a.spare', 'a', 'b']);
    expect(fs.readFileSync(path.join(outdir, 'b', 'bootstrap', 'NOTES.md'), 'utf-8')).toBe('mine');
  });
});
