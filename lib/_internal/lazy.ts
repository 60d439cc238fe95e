// Loading the library loads what every synthesis needs; a module that only some constructs, checks
// or commands use is required the first time one of them runs. Each use says what it saves (the
// figures: `npm run bench:processes`, "library load").

/**
 * A function returning what `load` returns, calling `load` once, at the first call. `load` is a
 * `require()` of the module to put off: `lazy(() => require('./x') as typeof import('./x'))`.
 */
export function lazy<T>(load: () => T): () => T {
  let loaded: { readonly value: T } | undefined;
  return () => (loaded ??= { value: load() }).value;
}
