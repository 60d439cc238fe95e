import * as fs from 'fs';
import * as path from 'path';
import type { ValidateFunction } from 'ajv';
import { loadYamlDocuments } from '../_internal/yaml';
import { SchemaCompiler, defaultCacheDirectory } from './_crd-schema-compile';

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

/**
 * Options of a `CrdSchemaValidator`.
 */
export interface CrdSchemaValidatorOptions {
  /**
   * Whether compiled schemas are kept on disk between runs (see `cacheDirectory`). A schema is
   * compiled the first time an object of its kind and version is validated; with the cache, a
   * later validator loads the compiled code instead. The verdicts are the same either way.
   *
   * @default true
   */
  readonly cache?: boolean;

  /**
   * Where compiled schemas are kept. A folder that cannot be created or written means no cache,
   * never an error.
   *
   * @default - `node_modules/.cache/cdk8s-argocd/crd-schemas` in the nearest folder at or above the
   * working directory that has a `node_modules` folder; otherwise
   * `$XDG_CACHE_HOME/cdk8s-argocd/crd-schemas`, or `~/.cache/cdk8s-argocd/crd-schemas`
   */
  readonly cacheDirectory?: string;
}

/**
 * Validates objects strictly against CustomResourceDefinition schemas: unknown fields are errors
 * (unless the schema preserves unknown fields there), as are wrong types and missing required
 * fields. `metadata` is checked against the ObjectMeta fields a manifest may carry.
 *
 * Objects whose apiVersion and kind no loaded CRD serves are not checked (see `covers`). Only the
 * schemas of the kinds and versions validated are compiled, each once, and the compiled code is
 * cached on disk (see `CrdSchemaValidatorOptions`).
 */
export class CrdSchemaValidator {
  /**
   * Loads every CRD (`kind: CustomResourceDefinition`) in the YAML files under `dir`, recursively.
   *
   * @param dir a folder of CRD files
   * @param options cache options
   */
  public static fromDirectory(dir: string, options: CrdSchemaValidatorOptions = {}): CrdSchemaValidator {
    const validator = new CrdSchemaValidator(options);
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

  private readonly schemas = new Map<string, any>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly compiler: SchemaCompiler;

  /**
   * An empty validator; add CRDs with `addCrd`.
   *
   * @param options cache options
   */
  constructor(options: CrdSchemaValidatorOptions = {}) {
    const cacheDirectory = options.cache === false ? undefined : (options.cacheDirectory ?? defaultCacheDirectory(process.cwd(), process.env));
    this.compiler = new SchemaCompiler(cacheDirectory);
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
      fn = this.compiler.compile(entry.schema);
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
