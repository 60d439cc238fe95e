// synthesized: every file the examples and the seed reproductions synthesize is read by Go as the
// library meant it and is accepted by the API server as it is, nothing pruned. For each file:
// - the oracle's `parse` (sigs.k8s.io/yaml, as Argo CD and kubectl read it) of the file's bytes
//   equals the object the library rendered before writing (SynthesizedFile.manifest) and js-yaml's
//   load of the same bytes;
// - the committed output (examples/**/dist) is byte for byte what the code synthesizes now;
// - the oracle's `validate` (apiextensions-apiserver v0.36.1 over the CRDs folder: pruning,
//   defaulting, the OpenAPI schema, CEL rules) answers no error and no pruned field for every object
//   of a kind the CRDs serve; objects of built-in kinds (ConfigMap, Deployment, ...) decode strictly
//   into their k8s.io/api types (no unknown field, no wrong type); other kinds are counted.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { buildPlatform } from '../../examples/platform/platform';
import { APPLICATION_SET_SEEDS } from '../../examples/seeds/application-sets';
import { SEEDS } from '../../examples/seeds/seeds';
import { buildCockpitAndFleet } from '../../examples/topologies/cockpit-and-fleet/topology';
import { buildHubAndSpoke } from '../../examples/topologies/hub-and-spoke/topology';
import { buildInstancePerCluster } from '../../examples/topologies/instance-per-cluster/topology';
import { buildInstancePerGroup } from '../../examples/topologies/instance-per-group/topology';
import { ArgoCdApp, SynthesizedFile } from '../../lib';
import { loadYamlDocuments } from '../../lib/_internal/yaml';
import { CRDS_DIR } from '../support/crds';
import { oracle, recordCases } from './support/oracle';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const tmp = () => path.join(os.tmpdir(), 'synthesized-argo-unused');

interface Source {
  readonly name: string;
  readonly files: () => SynthesizedFile[];
  /** the committed output the files must equal, if any */
  readonly dist?: string;
}

const SOURCES: Source[] = [
  { name: 'examples/platform', files: () => buildPlatform(tmp()).synthFiles(), dist: path.join(EXAMPLES, 'platform', 'dist') },
  { name: 'examples/topologies/cockpit-and-fleet', files: () => buildCockpitAndFleet(tmp()).synthFiles(), dist: path.join(EXAMPLES, 'topologies', 'cockpit-and-fleet', 'dist') },
  { name: 'examples/topologies/hub-and-spoke', files: () => buildHubAndSpoke(tmp()).synthFiles(), dist: path.join(EXAMPLES, 'topologies', 'hub-and-spoke', 'dist') },
  { name: 'examples/topologies/instance-per-cluster', files: () => buildInstancePerCluster(tmp()).synthFiles(), dist: path.join(EXAMPLES, 'topologies', 'instance-per-cluster', 'dist') },
  { name: 'examples/topologies/instance-per-group', files: () => buildInstancePerGroup(tmp()).synthFiles(), dist: path.join(EXAMPLES, 'topologies', 'instance-per-group', 'dist') },
  ...Object.entries({ ...SEEDS, ...APPLICATION_SET_SEEDS }).map(([file, build]) => ({
    name: `examples/seeds ${file}`,
    files: () => {
      const app = new ArgoCdApp({ outdir: tmp() });
      build(new Chart(app, 'seed'));
      return app.synthFiles();
    },
  })),
];

/** JSON's view of an object (undefined dropped), as Go's JSON answer carries it. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('synthesized: what the examples and seeds write is what Go reads and what the API server keeps', () => {
  const totals = { files: 0, objects: 0, validated: 0, notServed: new Map<string, number>() };

  for (const source of SOURCES) {
    it(`${source.name}: every file parses in Go to the rendered object and validates with nothing pruned`, async () => {
      const files = source.files();
      expect(files.length).toBeGreaterThan(0);
      const parsed = await oracle().askAll('parse', files.map((f) => ({ yaml: f.content })));
      const documents: string[] = [];
      const owners: string[] = [];
      files.forEach((f, i) => {
        if (source.dist) expect(fs.readFileSync(path.join(source.dist, ...f.path.split('/')), 'utf8'), `${source.name}/${f.path} is not what the code synthesizes`).toBe(f.content);
        const a = parsed[i];
        expect(a.error, f.path).toBeUndefined();
        const docs: string[] = a.result.documents;
        const goObjects = docs.map((d) => JSON.parse(d));
        expect(goObjects, `${f.path}: Go reads another object than the library rendered`).toEqual([plain(f.manifest)]);
        expect(goObjects, `${f.path}: Go and js-yaml read the file differently`).toEqual(loadYamlDocuments(f.content).map(plain));
        documents.push(...docs);
        owners.push(...docs.map(() => f.path));
      });
      const v = await oracle().ask('validate', { crds: CRDS_DIR, objects: documents });
      expect(v.error).toBeUndefined();
      const problems: string[] = [];
      v.result.results.forEach((r: any, i: number) => {
        const o = JSON.parse(documents[i]);
        if (!r.served) {
          // a built-in kind: decoded strictly into its k8s.io/api type, nothing may be unknown or mistyped
          for (const e of r.errors) problems.push(`${owners[i]}: ${e}`);
          for (const p of r.pruned) problems.push(`${owners[i]}: unknown field ${p}`);
          const k = `${o.apiVersion} ${o.kind}${r.builtIn ? ' (decoded strictly)' : ''}`;
          totals.notServed.set(k, (totals.notServed.get(k) ?? 0) + 1);
          // an Argo CD or ESO kind no CRD serves is a typo or a version the CRDs do not have
          if (/argoproj\.io|external-secrets\.io/.test(o.apiVersion)) problems.push(`${owners[i]}: ${r.reason}`);
          return;
        }
        totals.validated++;
        for (const e of r.errors) problems.push(`${owners[i]}: ${e}`);
        for (const p of r.pruned) problems.push(`${owners[i]}: pruned ${p}`);
      });
      expect(problems).toEqual([]);
      totals.files += files.length;
      totals.objects += documents.length;
    });
  }

  it('counts what was compared', () => {
    // eslint-disable-next-line no-console
    console.log(`synthesized: ${totals.files} files, ${totals.objects} objects, ${totals.validated} validated against the CRDs; not served by them: ${JSON.stringify(Object.fromEntries(totals.notServed))}`);
    expect(totals.validated).toBeGreaterThan(0);
    recordCases('synthesized', totals.objects, totals.objects);
  });
});
