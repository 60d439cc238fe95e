import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { loadYamlDocuments } from '../_internal/yaml';

/**
 * One problem found by `CrdSchemaValidator`.
 */
export interface SchemaProblem {
  /**
   * JSON pointer to the offending value, `/spec/source/repoURL` for example.
   */
  readonly pointer: string;

  /**
   * What is wrong, in the schema validator's words.
   */
  readonly message: string;
}

const OBJECT_META_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object' } },
  },
};

/**
 * Validates objects strictly against CustomResourceDefinition schemas: unknown fields are errors
 * (unless the schema preserves unknown fields there), as are wrong types and missing required
 * fields. `metadata` is checked against the ObjectMeta fields a manifest may carry.
 *
 * Objects whose apiVersion and kind no loaded CRD serves are not checked (see `covers`).
 */
export class CrdSchemaValidator {
  /**
   * Loads every CRD (`kind: CustomResourceDefinition`) in the YAML files under `dir`, recursively.
   *
   * @param dir a folder of CRD files
   */
  public static fromDirectory(dir: string): CrdSchemaValidator {
    const validator = new CrdSchemaValidator();
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const p = path.join(d, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(entry.name)) {
          for (const doc of loadYamlDocuments(fs.readFileSync(p, 'utf-8'), { source: p })) {
            if (doc?.kind === 'CustomResourceDefinition') validator.addCrd(doc);
          }
        }
      }
    };
    walk(dir);
    return validator;
  }

  // ajv is loaded when the first schema is compiled, not when the library is: loading it costs
  // about 60 modules that a synthesis without CRD validation never uses
  private ajvInstance?: Ajv;
  private readonly schemas = new Map<string, any>();
  private readonly compiled = new Map<string, ValidateFunction>();

  private ajv(): Ajv {
    if (!this.ajvInstance) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const AjvClass: typeof Ajv = require('ajv').default;
      this.ajvInstance = new AjvClass({ allErrors: true, strict: false, validateFormats: false });
    }
    return this.ajvInstance;
  }

  /**
   * Adds one CustomResourceDefinition (parsed) to the validator.
   *
   * @param crd the CRD object
   */
  public addCrd(crd: any): void {
    const group = crd.spec.group;
    const kind = crd.spec.names.kind;
    for (const version of crd.spec.versions ?? []) {
      const schema = version.schema?.openAPIV3Schema;
      if (!schema) continue;
      this.schemas.set(`${group}/${version.name}/${kind}`, { schema, served: version.served !== false });
    }
  }

  /**
   * Whether a loaded CRD defines this apiVersion and kind.
   *
   * @param apiVersion e.g. `argoproj.io/v1alpha1`
   * @param kind e.g. `Application`
   */
  public covers(apiVersion: string, kind: string): boolean {
    return this.schemas.has(`${apiVersion}/${kind}`);
  }

  /**
   * Validates one object. Returns no problems for kinds no loaded CRD defines.
   *
   * @param manifest the object
   */
  public validate(manifest: any): SchemaProblem[] {
    const key = `${manifest?.apiVersion}/${manifest?.kind}`;
    const entry = this.schemas.get(key);
    if (!entry) return [];
    const problems: SchemaProblem[] = [];
    if (!entry.served) {
      problems.push({ pointer: '/apiVersion', message: `${manifest.apiVersion} is not served for ${manifest.kind} by the loaded CRD` });
    }
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv().compile(strict(entry.schema, true));
      this.compiled.set(key, fn);
    }
    if (!fn(manifest)) {
      for (const e of fn.errors ?? []) {
        const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as any).additionalProperty}'` : '';
        problems.push({ pointer: e.instancePath || '/', message: `${e.message}${extra}` });
      }
    }
    return problems;
  }
}

/** Rewrites a CRD structural schema into a strict JSON schema. */
function strict(schema: any, root = false): any {
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as any).map(([pk, pv]) => [pk, strict(pv)]));
    } else if (k === 'items' || k === 'additionalProperties' || k === 'not') {
      out[k] = typeof v === 'object' ? strict(v) : v;
    } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      out[k] = (v as any[]).map((s) => strict(s));
    } else if (k === 'description' || k.startsWith('x-kubernetes-') || k === 'default') {
      continue;
    } else {
      out[k] = v;
    }
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (schema.nullable) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    delete out.nullable;
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  if (root) {
    out.properties = { ...out.properties, metadata: OBJECT_META_SCHEMA };
  }
  return out;
}
