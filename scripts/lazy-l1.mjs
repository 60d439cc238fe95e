// Runs after the jsii build (`npm run build`): the package root's `l1` namespace (the generated
// bindings of imports/, 3.6 MB of JavaScript, about 50 ms of a library load of about 130) is
// required when it is first read, not when the package root is loaded. TypeScript compiles
// `export * as l1 from '../imports'` (the form jsii reads as a submodule) to an assignment that
// loads the bindings at once; this turns that assignment into a getter returning the same module
// object, the way TypeScript itself re-exports with `export *`. The constructs require the
// bindings they use when first built (lib/_internal/lazy.ts).
//
// node scripts/lazy-l1.mjs [FILE]   (default build/lib/index.js)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EAGER = 'exports.l1 = __importStar(require("../imports"));';
const LAZY = 'Object.defineProperty(exports, "l1", { enumerable: true, configurable: true, get: function () { return __importStar(require("../imports")); } });';

/** Rewrites `file`'s `l1` export into a getter; throws when the compiled form is not the expected one. */
export function lazyL1(file) {
  const text = readFileSync(file, 'utf-8');
  if (text.includes(LAZY)) return false;
  const count = text.split(EAGER).length - 1;
  if (count !== 1) throw new Error(`${file}: expected one \`${EAGER}\`, found ${count} (has the TypeScript output changed?)`);
  writeFileSync(file, text.replace(EAGER, LAZY));
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  lazyL1(resolve(process.argv[2] ?? join(root, 'build', 'lib', 'index.js')));
}
