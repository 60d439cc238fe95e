// Reads the objects to import: YAML files (every document) and directories walked recursively,
// or standard input for `-`. Paths are relative to the directory given (or to the file's own
// directory), with `/` separators, so the layout can be written back.
import * as fs from 'fs';
import * as path from 'path';
import { loadYamlDocuments } from '../_internal/yaml';
import { InputObject } from './program';

/** Where the objects come from: paths, or `-` with the text of standard input. */
export interface ImportSource {
  readonly path: string;
  /** The text, for `-`. */
  readonly text?: string;
}

/** An input that cannot be read; the message names it. */
export class ImportInputError extends Error {}

/** Every object of the sources, in order: files sorted within a directory, documents in order. */
export function readInputs(sources: readonly ImportSource[]): InputObject[] {
  const out: InputObject[] = [];
  for (const s of sources) {
    if (s.path === '-') {
      out.push(...parse(s.text ?? '', '-'));
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(s.path);
    } catch {
      throw new ImportInputError(`${s.path}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      for (const rel of walk(s.path, '')) out.push(...parse(fs.readFileSync(path.join(s.path, ...rel.split('/')), 'utf-8'), rel));
    } else {
      out.push(...parse(fs.readFileSync(s.path, 'utf-8'), path.basename(s.path)));
    }
  }
  return out;
}

function walk(dir: string, rel: string): string[] {
  const files: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) files.push(...walk(path.join(dir, e.name), r));
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) files.push(r);
  }
  return files;
}

function parse(text: string, file: string): InputObject[] {
  let docs: any[];
  try {
    docs = loadYamlDocuments(text, { source: file });
  } catch (e) {
    throw new ImportInputError(`${file}: ${(e as Error).message}`);
  }
  const out: InputObject[] = [];
  docs.forEach((manifest, i) => {
    if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
      throw new ImportInputError(`${file}, document ${i + 1}: not a Kubernetes object (a mapping with apiVersion and kind)`);
    }
    if (typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string') {
      throw new ImportInputError(`${file}, document ${i + 1}: not a Kubernetes object: apiVersion and kind must be strings`);
    }
    out.push({ file, document: i + 1, manifest });
  });
  return out;
}
