// The app layer (lib/app) and the constructs of lib/argocd do not import each other: checks
// register themselves (lib/_internal/checks.ts) and the facts one synthesis shares live in
// lib/_internal/synthesis.ts, which both sides import. Read from the import statements of the files.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { describe, expect, test } from 'vitest';

const LIB = path.resolve(__dirname, '..', '..', 'lib');

/** Every .ts file below `dir`, absolute. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/** The modules `file` imports, exports from or requires, resolved when relative. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => (f.fileName.startsWith('.') ? path.resolve(path.dirname(file), f.fileName) : f.fileName));
}

/** `from -> to` for every import of a file below `fromDir` of a module below `toDir`. */
function crossings(fromDir: string, toDir: string): string[] {
  const to = path.join(LIB, toDir) + path.sep;
  const out: string[] = [];
  for (const file of sources(path.join(LIB, fromDir))) {
    for (const target of importsOf(file)) {
      if (`${target}${path.sep}`.startsWith(to) || target.startsWith(to)) out.push(`${path.relative(LIB, file)} -> ${path.relative(LIB, target)}`);
    }
  }
  return out;
}

describe('layering', () => {
  test('the import reader sees static, side-effect, re-export and require imports', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'layering-'));
    const file = path.join(dir, 'x.ts');
    fs.writeFileSync(file, "import { a } from './a';\nimport './b';\nexport * from '../c';\nconst d = require('./d');\nimport type { E } from 'e';\n");
    try {
      expect(importsOf(file)).toEqual([path.join(dir, 'a'), path.join(dir, 'b'), path.resolve(dir, '..', 'c'), path.join(dir, 'd'), 'e']);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('lib/app imports nothing of lib/argocd', () => {
    expect(sources(path.join(LIB, 'app')).length).toBeGreaterThan(3);
    expect(crossings('app', 'argocd')).toEqual([]);
  });

  test('lib/argocd imports nothing of lib/app', () => {
    expect(sources(path.join(LIB, 'argocd')).length).toBeGreaterThan(10);
    expect(crossings('argocd', 'app')).toEqual([]);
  });

  test('the shared modules import neither side', () => {
    for (const shared of ['_internal/synthesis.ts', '_internal/checks.ts', 'manifest-check.ts']) {
      const targets = importsOf(path.join(LIB, shared)).map((t) => path.relative(LIB, t));
      expect(targets.filter((t) => t.startsWith('app') || t.startsWith('argocd')), shared).toEqual([]);
    }
  });
});
