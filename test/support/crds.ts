// Strict CRD validation for tests. CRDS_DIR names the CRD folder (default ../shared/crds beside
// the repository). Where the folder is absent, the checks say so plainly and are skipped.
import * as fs from 'fs';
import * as path from 'path';
import { CrdSchemaValidator } from '../../lib/validation/crd-schema-validator';

export const CRDS_DIR = path.resolve(process.env.CRDS_DIR ?? path.join(__dirname, '..', '..', '..', 'shared', 'crds'));
export const HAVE_CRDS = fs.existsSync(CRDS_DIR);

let validator: CrdSchemaValidator | undefined;

/** The validator over CRDS_DIR; undefined (with a note on stderr, once) when the folder is absent. */
export function crdValidator(): CrdSchemaValidator | undefined {
  if (!HAVE_CRDS) {
    if (!(globalThis as any).__crdsNoted) {
      (globalThis as any).__crdsNoted = true;
      process.stderr.write(`CRD folder ${CRDS_DIR} not found: strict CRD schema checks are skipped (set CRDS_DIR)\n`);
    }
    return undefined;
  }
  validator ??= CrdSchemaValidator.fromDirectory(CRDS_DIR);
  return validator;
}

/**
 * Returns `kind/name: pointer message` lines for every schema problem in `manifests`; empty when
 * all validate (or when the CRDs are absent). Use with `expect(...).toEqual([])`.
 */
export function schemaProblems(manifests: any[]): string[] {
  const v = crdValidator();
  if (!v) return [];
  const out: string[] = [];
  for (const m of manifests) {
    for (const p of v.validate(m)) out.push(`${m.kind}/${m.metadata?.name}: ${p.pointer} ${p.message}`);
  }
  return out;
}

/** Throws when a manifest of an Argo CD or ESO kind is not covered by a loaded CRD (typo guard). */
export function expectCovered(manifests: any[]): void {
  const v = crdValidator();
  if (!v) return;
  for (const m of manifests) {
    if (/argoproj\.io|external-secrets\.io/.test(m.apiVersion) && !v.covers(m.apiVersion, m.kind)) {
      throw new Error(`no CRD for ${m.apiVersion} ${m.kind}`);
    }
  }
}
