// Helpers for the fleet topology tests: strict CRD validation, the credential scan, the committed
// example output, and the expansion of an ApplicationSet over an instance's declared clusters.
import * as fs from 'fs';
import * as path from 'path';
import { expect } from 'vitest';
import { SynthesizedFile } from '../../lib/app/argocd-app';
import { listFiles } from '../../lib/cli/_app-runner';
import { ApplicationSetPreview } from '../../lib/argocd/preview/application-set-preview';
import { ArgoCdInstance } from '../../lib/fleet/topologies/argocd-instance';
import { FleetTopology } from '../../lib/fleet/topologies/fleet-topology';
import { expectCovered, schemaProblems } from './crds';

/** Every file of a topology, checked: CRD schemas, no credentials. Map from path to manifest. */
export function checkedFiles(topology: FleetTopology): Map<string, any> {
  const files = topology.synthFiles();
  const manifests = files.map((f) => f.manifest);
  expectCovered(manifests);
  expect(schemaProblems(manifests)).toEqual([]);
  expect(credentialProblems(files)).toEqual([]);
  return new Map(files.map((f) => [f.path, f.manifest]));
}

/** Anything in the output that looks like a credential. */
export function credentialProblems(files: SynthesizedFile[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    const m = f.manifest;
    // annotations are prose (e.g. the plaintext-allowed reason), not data
    const { annotations: _prose, ...metadata } = m.metadata ?? {};
    const data = JSON.stringify({ ...m, metadata });
    if (/PRIVATE KEY|password|passwd|keyData|certData|client-key|eyJhbGciOi/i.test(data)) problems.push(`${f.path}: credential-like text`);
    for (const token of f.content.matchAll(/bearerToken\\?"\s*:\s*\\?"([^"\\]*)/g)) {
      if (token[1] !== '{{ .bearerToken }}') problems.push(`${f.path}: bearer token '${token[1]}'`);
    }
    if (m.kind === 'Secret') {
      if (m.data !== undefined) problems.push(`${f.path}: Secret with data`);
      const config = JSON.parse(m.stringData?.config ?? '{}');
      for (const key of ['bearerToken', 'password', 'username']) if (key in config) problems.push(`${f.path}: config.${key}`);
      if (config.tlsClientConfig && ('keyData' in config.tlsClientConfig || 'certData' in config.tlsClientConfig)) problems.push(`${f.path}: client certificate`);
    }
  }
  return problems;
}

/** Lists the files under `dir` (spares left out), relative, with `/` separators, sorted. */
export function listCommitted(dir: string): string[] {
  // as git sees them: the spares the instances keep beside their directories are not committed
  return listFiles(dir);
}

/** The committed `dist/` of an example equals what the topology produces, file for file, byte for byte. */
export function expectCommitted(topology: FleetTopology, dist: string): void {
  const files = topology.synthFiles();
  expect(listCommitted(dist)).toEqual(files.map((f) => f.path));
  for (const f of files) {
    expect(fs.readFileSync(path.join(dist, ...f.path.split('/')), 'utf-8'), f.path).toBe(f.content);
  }
}

/** The Applications an ApplicationSet of `instance` generates over the clusters the instance declares. */
export function expand(instance: ArgoCdInstance, files: Map<string, any>, appSetName: string): any[] {
  const ns = instance.repo.argoCdNamespace;
  const file = `${instance.name}/${instance.environment.directory}/applicationset_${ns}_${appSetName}.yaml`;
  const manifest = files.get(file);
  expect(manifest, file).toBeDefined();
  return ApplicationSetPreview.expand(manifest, instance.previewWorld());
}

/** The repository directories (relative to the topology's outputRoot) that hold at least one file. */
export function writtenDirectories(files: Map<string, any>, outputRoot: string): Set<string> {
  return new Set([...files.keys()].map((p) => `${outputRoot}/${p.slice(0, p.lastIndexOf('/'))}`));
}
