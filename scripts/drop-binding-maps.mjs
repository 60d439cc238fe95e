// Runs after the jsii build (`npm run build`): the generated bindings in build/imports ship
// without source maps. Their JavaScript is the generated code itself, line for line what the
// TypeScript says, and their maps carry the whole TypeScript source (`inlineSources`, which the
// library's own maps keep: lib/ is not published as TypeScript): 8 MB of maps, 4 MB of them the
// ApplicationSet CRD's. Node reads and keeps every map of every module it loads once source maps
// are on (tsx turns them on, as does `--enable-source-maps`), which cost about 25 MB of a
// synthesis' resident memory. Without the maps, stack traces name the bindings' JavaScript, which
// is in the package; the TypeScript they were compiled from is not.
//
// node scripts/drop-binding-maps.mjs [DIR]   (default build/imports)
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAP_COMMENT = /\n\/\/# sourceMappingURL=([^\n]*)\n?$/;

/**
 * Removes the source map of every `.js` file directly in `dir`: the trailing
 * `//# sourceMappingURL=` comment, and the map file it names when that is a file beside it.
 * Returns the `.js` files changed, sorted. Files without the comment are left as they are.
 */
export function dropSourceMaps(dir) {
  const changed = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.js')) continue;
    const file = join(dir, name);
    const text = readFileSync(file, 'utf-8');
    const m = MAP_COMMENT.exec(text);
    if (!m) continue;
    const url = m[1].trim();
    writeFileSync(file, `${text.slice(0, m.index)}\n`);
    // a map file beside the JavaScript (never a data: URL, never a path out of dir)
    if (/^[^/\\:]+\.map$/.test(url) && existsSync(join(dir, url))) rmSync(join(dir, url));
    changed.push(name);
  }
  return changed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = resolve(process.argv[2] ?? join(root, 'build', 'imports'));
  dropSourceMaps(dir);
}
