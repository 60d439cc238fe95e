// The compiled, shared-subschema and cached validators give exactly the verdicts and errors of the
// plain compile of the strict schema (what `validate --crds` did before it compiled identical
// subschemas once and kept the compiled code), on the examples' objects and on broken copies.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadYamlDocuments } from '../../lib/_internal/yaml';
import { AJV_OPTIONS, SchemaCompiler, compiledSchema, defaultCacheDirectory, shareIdenticalSubschemas, strictSchema } from '../../lib/validation/_crd-schema-compile';
import { CrdSchemaValidator } from '../../lib/validation/crd-schema-validator';
import { CRDS_DIR, HAVE_CRDS } from '../support/crds';

const ROOT = path.join(__dirname, '..', '..');

/** Every CRD version schema under CRDS_DIR, by `apiVersion/kind`. */
function crdSchemas(): Map<string, any> {
  const out = new Map<string, any>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        for (const crd of loadYamlDocuments(fs.readFileSync(p, 'utf-8'))) {
          if (crd?.kind !== 'CustomResourceDefinition') continue;
          for (const v of crd.spec.versions) out.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, v.schema.openAPIV3Schema);
        }
      }
    }
  };
  walk(CRDS_DIR);
  return out;
}

/** Every object the examples commit whose kind a CRD defines. */
function exampleObjects(schemas: Map<string, any>): any[] {
  const out: any[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name) && p.split(path.sep).includes('dist')) {
        for (const doc of loadYamlDocuments(fs.readFileSync(p, 'utf-8'))) {
          if (doc && schemas.has(`${doc.apiVersion}/${doc.kind}`)) out.push(doc);
        }
      }
    }
  };
  walk(path.join(ROOT, 'examples'));
  return out;
}

/** What an error says, without the schema path (which names the shared definitions). */
function verdict(fn: ValidateFunction, doc: any): { valid: boolean; errors: any[] } {
  const valid = fn(doc) as boolean;
  return { valid, errors: (fn.errors ?? []).map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, params: e.params, message: e.message })) };
}

describe.skipIf(!HAVE_CRDS)('compiled CRD schemas give the verdicts of the plain compile', () => {
  const schemas = HAVE_CRDS ? crdSchemas() : new Map<string, any>();
  const objects = HAVE_CRDS ? exampleObjects(schemas) : [];
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-cache-'));
  const reference = new Map<string, ValidateFunction>();
  const cold = new Map<string, ValidateFunction>();
  const warm = new Map<string, ValidateFunction>();
  const uncached = new Map<string, ValidateFunction>();
  const kinds = [...new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`))].sort();

  beforeAll(() => {
    const ajv = new Ajv(AJV_OPTIONS);
    const coldCompiler = new SchemaCompiler(cacheDir);
    const noCache = new SchemaCompiler(undefined);
    for (const k of kinds) {
      reference.set(k, ajv.compile(strictSchema(schemas.get(k), true)));
      cold.set(k, coldCompiler.compile(schemas.get(k)));
      uncached.set(k, noCache.compile(schemas.get(k)));
    }
    // a second compiler over the same folder loads what the first one wrote
    const warmCompiler = new SchemaCompiler(cacheDir);
    for (const k of kinds) warm.set(k, warmCompiler.compile(schemas.get(k)));
  }, 120_000);
  afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  /** Asserts the four paths agree on `doc`; returns the reference verdict. */
  const agree = (doc: any) => {
    const k = `${doc.apiVersion}/${doc.kind}`;
    const want = verdict(reference.get(k)!, doc);
    expect(verdict(cold.get(k)!, doc)).toEqual(want);
    expect(verdict(warm.get(k)!, doc)).toEqual(want);
    expect(verdict(uncached.get(k)!, doc)).toEqual(want);
    return want;
  };

  test('the examples cover the Argo CD and External Secrets kinds, and every cache entry was written', () => {
    expect(kinds).toEqual(expect.arrayContaining([
      'argoproj.io/v1alpha1/AppProject', 'argoproj.io/v1alpha1/Application', 'argoproj.io/v1alpha1/ApplicationSet',
      'external-secrets.io/v1/ClusterSecretStore', 'external-secrets.io/v1/ExternalSecret',
    ]));
    const entries = fs.readdirSync(cacheDir);
    expect(entries.filter((f) => /^[0-9a-f]{64}\.cjs$/.test(f))).toHaveLength(kinds.length);
    expect(entries.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test("every example object is valid on every path", () => {
    for (const doc of objects) expect(agree(doc)).toEqual({ valid: true, errors: [] });
  });

  test('an unknown field deep inside an ApplicationSet generator, a wrong type and a missing required field give the same errors', () => {
    const appSet = objects.find((o) => o.kind === 'ApplicationSet');
    const broken = structuredClone(appSet);
    broken.spec.generators = [{
      matrix: {
        generators: [
          { list: { elements: [], elementz: [] } },
          { clusters: { selector: { matchLabels: { a: 'b' } }, valuez: {} } },
          { git: { repoURL: 7, revision: 'main' } },
        ],
      },
    }];
    delete broken.spec.template.spec.destination;
    broken.spec.template.spec.project = ['default'];
    broken.spec.syncPolicy = { preserveResourcesOnDeletion: 'yes' };
    broken.spec.unknownTopLevel = true;
    broken.metadata.labelz = {};
    const v = agree(broken);
    expect(v.valid).toBe(false);
    expect(v.errors.map((e) => `${e.instancePath} ${e.keyword} ${e.params.additionalProperty ?? e.params.missingProperty ?? e.params.type ?? ''}`)).toEqual(expect.arrayContaining([
      '/metadata additionalProperties labelz',
      '/spec additionalProperties unknownTopLevel',
      '/spec/generators/0/matrix/generators/0/list additionalProperties elementz',
      '/spec/generators/0/matrix/generators/1/clusters additionalProperties valuez',
      '/spec/generators/0/matrix/generators/2/git/repoURL type string',
      '/spec/template/spec required destination',
      '/spec/template/spec/project type string',
      '/spec/syncPolicy/preserveResourcesOnDeletion type boolean',
    ]));
  });

  test('random changes to the example objects give the same verdicts and errors on every path', () => {
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
    console.log(`crd schema mutations: seed ${seed} (replay: FC_SEED=${seed} npx vitest run test/validation/crd-schema-validator.test.ts)`);
    const values = fc.oneof(
      fc.string({ maxLength: 4 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null),
      fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
    );
    const mutation = fc.record({
      doc: fc.nat(objects.length - 1),
      edits: fc.array(fc.record({
        at: fc.nat(),
        op: fc.constantFrom('set', 'delete', 'add'),
        key: fc.oneof(fc.constantFrom('name', 'spec', 'template', 'generators', 'matrix', 'list', 'elements', 'source', 'type'), fc.string({ minLength: 1, maxLength: 6 })),
        value: values,
      }), { minLength: 1, maxLength: 4 }),
    });
    let invalid = 0;
    fc.assert(fc.property(mutation, ({ doc, edits }) => {
      const obj = structuredClone(objects[doc]);
      for (const e of edits) {
        // every object or array inside the document, in document order, one of which is edited
        const nodes: any[] = [];
        const collect = (n: any) => {
          if (n === null || typeof n !== 'object') return;
          nodes.push(n);
          Object.values(n).forEach(collect);
        };
        collect(obj);
        const node = nodes[e.at % nodes.length];
        const keys = Object.keys(node);
        if (Array.isArray(node)) {
          if (e.op === 'add' || keys.length === 0) node.push(e.value);
          else if (e.op === 'delete') node.splice(e.at % node.length, 1);
          else node[e.at % node.length] = e.value;
        } else if (e.op === 'add' || keys.length === 0) {
          node[e.key] = e.value;
        } else if (e.op === 'delete') {
          delete node[keys[e.at % keys.length]];
        } else {
          node[keys[e.at % keys.length]] = e.value;
        }
      }
      if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || !reference.has(`${obj.apiVersion}/${obj.kind}`)) return;
      if (!agree(obj).valid) invalid++;
    }), { seed, numRuns: 400 });
    // the property is about invalid objects as much as valid ones
    expect(invalid).toBeGreaterThan(100);
  });

  test('sharing shrinks the ApplicationSet schema to a fraction of its size', () => {
    const k = 'argoproj.io/v1alpha1/ApplicationSet';
    const plain = JSON.stringify(strictSchema(schemas.get(k), true)).length;
    const shared = JSON.stringify(compiledSchema(schemas.get(k))).length;
    expect(shared * 10).toBeLessThan(plain);
  });

  test('CrdSchemaValidator reports the same problems with and without the cache', () => {
    const withCache = CrdSchemaValidator.fromDirectory(CRDS_DIR, { cacheDirectory: cacheDir });
    const without = CrdSchemaValidator.fromDirectory(CRDS_DIR, { cache: false });
    const appSet = structuredClone(objects.find((o) => o.kind === 'ApplicationSet'));
    appSet.spec.generators = [{ list: { elements: [], elementz: [] } }];
    const problems = withCache.validate(appSet);
    expect(problems).toEqual([{ pointer: '/spec/generators/0/list', message: "must NOT have additional properties 'elementz'" }]);
    expect(without.validate(appSet)).toEqual(problems);
  });
});

/** A small CRD whose schema has two identical subtrees. */
function widgetCrd(extra: Record<string, any> = {}): any {
  const part = { type: 'object', properties: { size: { type: 'integer' }, label: { type: 'string' } }, required: ['size'] };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    spec: {
      group: 'example.com',
      names: { kind: 'Widget' },
      versions: [{
        name: 'v1',
        served: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: { type: 'object', properties: { left: part, right: structuredClone(part), ...extra } } } } },
      }],
    },
  };
}

const WIDGET = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { left: { size: 1 }, right: { size: 'big', colour: 'red' } } };
const WIDGET_PROBLEMS = [
  { pointer: '/spec/right', message: "must NOT have additional properties 'colour'" },
  { pointer: '/spec/right/size', message: 'must be integer' },
];

describe('the compiled schema cache', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-cache-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const validator = (cacheDirectory: string) => {
    const v = new CrdSchemaValidator({ cacheDirectory });
    v.addCrd(widgetCrd());
    return v;
  };
  const entries = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d).sort() : []);

  test('identical subschemas become one shared definition', () => {
    const schema = compiledSchema(widgetCrd().spec.versions[0].schema.openAPIV3Schema);
    expect(Object.keys(schema.definitions)).toEqual(['s0']);
    expect(schema.properties.spec.properties.left).toEqual({ $ref: '#/definitions/s0' });
    expect(schema.properties.spec.properties.right).toEqual({ $ref: '#/definitions/s0' });
  });

  test('a schema that already has references is compiled as it is', () => {
    const schema = { type: 'object', properties: { a: { $ref: '#/properties/b' }, b: { type: 'object', properties: { x: { type: 'string' }, y: { type: 'string' } } }, c: { type: 'object', properties: { x: { type: 'string' }, y: { type: 'string' } } } } };
    expect(shareIdenticalSubschemas(schema)).toBe(schema);
  });

  test('writes one entry per compiled schema, and a later validator loads it', () => {
    const dir = path.join(tmp(), 'nested', 'crd-schemas');
    expect(validator(dir).validate(WIDGET)).toEqual(WIDGET_PROBLEMS);
    const [entry] = entries(dir);
    expect(entries(dir)).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.cjs$/)]);
    // GIVEN an entry that says something else, with a header that matches its content
    const text = fs.readFileSync(path.join(dir, entry), 'utf-8');
    const code = '"use strict";module.exports = function v(data) { v.errors = [{ instancePath: "/from-cache", message: "planted", keyword: "x", params: {} }]; return false; };';
    const hash = require('crypto').createHash('sha256').update(code).digest('hex');
    fs.writeFileSync(path.join(dir, entry), `${text.split(' ').slice(0, 2).join(' ')} ${hash}\n${code}`);
    // THEN a new validator uses it instead of compiling
    expect(validator(dir).validate(WIDGET)).toEqual([{ pointer: '/from-cache', message: 'planted' }]);
  });

  test('a truncated, edited or unreadable entry is compiled again and rewritten', () => {
    const dir = tmp();
    validator(dir).validate(WIDGET);
    const [entry] = entries(dir);
    const file = path.join(dir, entry);
    const good = fs.readFileSync(file, 'utf-8');
    for (const bad of [good.slice(0, good.length / 2), good.replace('must be', 'must bee'), '', 'garbage']) {
      fs.writeFileSync(file, bad);
      expect(validator(dir).validate(WIDGET)).toEqual(WIDGET_PROBLEMS);
      expect(fs.readFileSync(file, 'utf-8')).toBe(good);
    }
    fs.rmSync(file);
    fs.mkdirSync(file);
    expect(validator(dir).validate(WIDGET)).toEqual(WIDGET_PROBLEMS);
  });

  test('a cache folder that cannot be created or written means no cache, never an error', () => {
    const blocker = path.join(tmp(), 'a-file');
    fs.writeFileSync(blocker, '');
    expect(validator(path.join(blocker, 'crd-schemas')).validate(WIDGET)).toEqual(WIDGET_PROBLEMS);
    expect(validator(blocker).validate(WIDGET)).toEqual(WIDGET_PROBLEMS);
    expect(fs.readFileSync(blocker, 'utf-8')).toBe('');
  });

  test('temporary files left by an interrupted run are not read as entries', () => {
    const dir = tmp();
    validator(dir).validate(WIDGET);
    const [entry] = entries(dir);
    fs.writeFileSync(path.join(dir, `${entry}.1234.abcdef.tmp`), 'half an entr');
    fs.rmSync(path.join(dir, entry));
    expect(validator(dir).validate(WIDGET)).toEqual(WIDGET_PROBLEMS);
    expect(entries(dir)).toEqual([`${entry}.1234.abcdef.tmp`, entry].sort());
  });

  test('another schema content is another entry; cache: false writes nothing', () => {
    const dir = tmp();
    validator(dir).validate(WIDGET);
    const other = new CrdSchemaValidator({ cacheDirectory: dir });
    other.addCrd(widgetCrd({ extra: { type: 'string' } }));
    expect(other.validate(WIDGET)).toEqual(WIDGET_PROBLEMS);
    expect(entries(dir)).toHaveLength(2);
    const none = tmp();
    const off = new CrdSchemaValidator({ cache: false, cacheDirectory: none });
    off.addCrd(widgetCrd());
    expect(off.validate(WIDGET)).toEqual(WIDGET_PROBLEMS);
    expect(entries(none)).toEqual([]);
  });

  test('the default folder is node_modules/.cache in the nearest folder with node_modules, else the user cache', () => {
    const base = tmp();
    const project = path.join(base, 'project');
    fs.mkdirSync(path.join(project, 'node_modules'), { recursive: true });
    fs.mkdirSync(path.join(project, 'apps', 'web'), { recursive: true });
    expect(defaultCacheDirectory(path.join(project, 'apps', 'web'), {})).toBe(path.join(project, 'node_modules', '.cache', 'cdk8s-argocd', 'crd-schemas'));
    const loose = path.join(base, 'loose');
    fs.mkdirSync(loose);
    // a node_modules above the temporary folder, if any, is the nearest one
    let above: string | undefined;
    for (let d = base; above === undefined && path.dirname(d) !== d; d = path.dirname(d)) {
      if (fs.existsSync(path.join(path.dirname(d), 'node_modules'))) above = path.join(path.dirname(d), 'node_modules', '.cache', 'cdk8s-argocd', 'crd-schemas');
    }
    const home = path.join(os.homedir(), '.cache', 'cdk8s-argocd', 'crd-schemas');
    expect(defaultCacheDirectory(loose, { XDG_CACHE_HOME: path.join(base, 'xdg') })).toBe(above ?? path.join(base, 'xdg', 'cdk8s-argocd', 'crd-schemas'));
    expect(defaultCacheDirectory(loose, { XDG_CACHE_HOME: 'relative' })).toBe(above ?? home);
    expect(defaultCacheDirectory(loose, {})).toBe(above ?? home);
  });
});
