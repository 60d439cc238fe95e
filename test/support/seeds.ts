import * as fs from 'fs';
import * as path from 'path';
import { loadYamlDocuments } from '../../lib/_internal/yaml';

export const SEEDS_DIR = path.join(__dirname, '..', 'fixtures', 'seeds');

/** The documents of a seed manifest file from test/fixtures/seeds. */
export function loadSeed(file: string): any[] {
  return loadYamlDocuments(fs.readFileSync(path.join(SEEDS_DIR, file), 'utf-8'));
}

/** `kind/namespace/name` of a manifest, to pair documents. */
export function identity(m: any): string {
  return `${m.kind}/${m.metadata?.namespace ?? ''}/${m.metadata?.name ?? m.metadata?.generateName ?? ''}`;
}

/** Sorts manifests by identity, for document-by-document comparison. */
export function byIdentity(manifests: any[]): any[] {
  return [...manifests].sort((a, b) => identity(a).localeCompare(identity(b)));
}
