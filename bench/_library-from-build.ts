// Imported first by bench/run.ts, before anything of the library. With
// CDK8S_ARGOCD_BENCH_LIBRARY=build (which the parent sets for the memory children at 1x that run
// the fleet under tsx), every module of the library's sources (lib/**/*.ts) that the bench and the
// fleet require resolves to its jsii build in build/lib instead: the fleet's TypeScript then runs
// under tsx as a user's app does, with the library as it is published. Without the variable it
// does nothing.
import * as path from 'path';

/** The variable that turns the redirection on (value `build`). */
export const BENCH_LIBRARY_ENV = 'CDK8S_ARGOCD_BENCH_LIBRARY';

/** The library's sources. */
export const LIB = path.resolve(__dirname, '..', 'lib');
/** Their jsii build. */
export const BUILT = path.resolve(__dirname, '..', 'build', 'lib');

/**
 * Where the jsii build puts what `file` (an absolute path) is in the library's sources: the same
 * path below build/lib, extension as given; undefined when `file` is not below lib/.
 */
export function libraryBuildPath(file: string): string | undefined {
  const rel = path.relative(LIB, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return path.join(BUILT, rel);
}

// (only from the TypeScript sources: in the bench's compiled bundle the library is the build already)
if (process.env[BENCH_LIBRARY_ENV] === 'build' && __filename.endsWith('.ts')) {
  const Module = require('module');
  const previous = Module._resolveFilename;
  Module._resolveFilename = function resolveToBuild(this: unknown, ...args: unknown[]): string {
    const file: string = previous.apply(this, args);
    const built = file.endsWith('.ts') ? libraryBuildPath(file) : undefined;
    return built === undefined ? file : `${built.slice(0, -'.ts'.length)}.js`;
  };
}
