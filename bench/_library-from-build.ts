// Imported first by bench/run.ts, before anything of the library. With
// CDK8S_ARGOCD_BENCH_LIBRARY=build (which the parent sets for one memory child at 1x), every module
// of the library's sources (lib/**/*.ts) that the bench and the fleet require resolves to its jsii
// build in build/lib instead: the fleet's TypeScript then runs under tsx as a user's app does, with
// the library as it is published. Without the variable it does nothing.
import * as path from 'path';

/** The variable that turns the redirection on (value `build`). */
export const BENCH_LIBRARY_ENV = 'CDK8S_ARGOCD_BENCH_LIBRARY';

// (only from the TypeScript sources: in the bench's compiled bundle the library is the build already)
if (process.env[BENCH_LIBRARY_ENV] === 'build' && __filename.endsWith('.ts')) {
  const Module = require('module');
  const lib = path.resolve(__dirname, '..', 'lib');
  const built = path.resolve(__dirname, '..', 'build', 'lib');
  const previous = Module._resolveFilename;
  Module._resolveFilename = function resolveToBuild(this: unknown, ...args: unknown[]): string {
    const file: string = previous.apply(this, args);
    const rel = path.relative(lib, file);
    if (rel.startsWith('..') || path.isAbsolute(rel) || !file.endsWith('.ts')) return file;
    return path.join(built, `${rel.slice(0, -'.ts'.length)}.js`);
  };
}
