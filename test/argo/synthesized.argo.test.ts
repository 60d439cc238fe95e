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
import { ApiObject, Chart } from 'cdk8s';
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

  /** Every problem Go finds with the files: another object read, a validation error, a field pruned or unknown. */
  async function problemsOf(source: Source, files: SynthesizedFile[], count = true): Promise<{ problems: string[]; documents: string[] }> {
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
        if (count) totals.notServed.set(k, (totals.notServed.get(k) ?? 0) + 1);
        // an Argo CD or ESO kind no CRD serves is a typo or a version the CRDs do not have
        if (/argoproj\.io|external-secrets\.io/.test(o.apiVersion)) problems.push(`${owners[i]}: ${r.reason}`);
        return;
      }
      if (count) totals.validated++;
      for (const e of r.errors) problems.push(`${owners[i]}: ${e}`);
      for (const p of r.pruned) problems.push(`${owners[i]}: pruned ${p}`);
    });
    return { problems, documents };
  }

  for (const source of SOURCES) {
    it(`${source.name}: every file parses in Go to the rendered object and validates with nothing pruned`, async () => {
      const files = source.files();
      expect(files.length).toBeGreaterThan(0);
      const { problems, documents } = await problemsOf(source, files);
      expect(problems).toEqual([]);
      totals.files += files.length;
      totals.objects += documents.length;
    });
  }

  it('a typo in a core object is caught: unknown fields and wrong types of Deployment, Service, ConfigMap', async () => {
    const app = new ArgoCdApp({ outdir: tmp() });
    const chart = new Chart(app, 'typos');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, dta: { a: 'b' } } as any);
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: '80' }] } } as any);
    new ApiObject(chart, 'deploy', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x', imagePullPolicyy: 'Always' }] } } },
    } as any);
    const { problems } = await problemsOf({ name: 'typos', files: () => [] }, app.synthFiles(), false);
    expect(problems.sort()).toEqual([
      'typos/configmap_cm.yaml: unknown field dta',
      'typos/deployment_d.yaml: unknown field spec.template.spec.containers[0].imagePullPolicyy',
      'typos/service_svc.yaml: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32',
    ]);
  });

  it('counts what was compared', () => {
    // eslint-disable-next-line no-console
    console.log(`synthesized: ${totals.files} files, ${totals.objects} objects, ${totals.validated} validated against the CRDs; not served by them: ${JSON.stringify(Object.fromEntries(totals.notServed))}`);
    expect(totals.validated).toBeGreaterThan(0);
    recordCases('synthesized', totals.objects, totals.objects);
  });
});
