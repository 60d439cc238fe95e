import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

// scripts/drop-binding-maps.mjs runs after the jsii build on build/imports, as `npm run build` runs it
const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'drop-binding-maps.mjs');

describe('drop-binding-maps (after the build, on the generated bindings)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'binding-maps-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf-8');

  test('removes the sourceMappingURL comment and the map file beside each .js, and nothing else', () => {
    write('a.js', '"use strict";\nexports.a = 1;\n//# sourceMappingURL=a.js.map');
    write('a.js.map', '{"version":3,"sources":["../../imports/a.ts"],"sourcesContent":["export const a = 1;"]}');
    write('a.d.ts', 'export declare const a = 1;\n');
    write('b.js', '"use strict";\nexports.b = 2;\n');
    write('c.js', 'exports.c = 3;\n//# sourceMappingURL=c.js.map\n');
    write('c.js.map', '{}');
    write('d.js', 'exports.d = 4;\n//# sourceMappingURL=missing.js.map');
    write('keep.js.map', '{}');

    execFileSync(process.execPath, [SCRIPT, dir]);

    expect(read('a.js')).toBe('"use strict";\nexports.a = 1;\n');
    expect(read('b.js')).toBe('"use strict";\nexports.b = 2;\n');
    expect(read('c.js')).toBe('exports.c = 3;\n');
    expect(read('d.js')).toBe('exports.d = 4;\n');
    expect(read('a.d.ts')).toBe('export declare const a = 1;\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.d.ts', 'a.js', 'b.js', 'c.js', 'd.js', 'keep.js.map']);
  });

  test('removes inline (data:) and out-of-folder map comments too, and never deletes a file outside the folder', () => {
    const outside = path.join(dir, 'outside.map');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(outside, '{}');
    fs.writeFileSync(path.join(dir, 'sub', 'e.js'), 'exports.e = 5;\n//# sourceMappingURL=../outside.map');
    fs.writeFileSync(path.join(dir, 'sub', 'f.js'), 'exports.f = 6;\n//# sourceMappingURL=data:application/json;base64,e30=');

    execFileSync(process.execPath, [SCRIPT, path.join(dir, 'sub')]);

    // the comments go (the JavaScript no longer names a map), the file outside stays
    expect(fs.readFileSync(path.join(dir, 'sub', 'e.js'), 'utf-8')).toBe('exports.e = 5;\n');
    expect(fs.readFileSync(path.join(dir, 'sub', 'f.js'), 'utf-8')).toBe('exports.f = 6;\n');
    expect(fs.existsSync(outside)).toBe(true);
  });

  test('is idempotent: a second run changes nothing', () => {
    write('a.js', 'exports.a = 1;\n//# sourceMappingURL=a.js.map');
    write('a.js.map', '{}');
    execFileSync(process.execPath, [SCRIPT, dir]);
    const after = read('a.js');
    execFileSync(process.execPath, [SCRIPT, dir]);
    expect(read('a.js')).toBe(after);
    expect(fs.readdirSync(dir)).toEqual(['a.js']);
  });
});
