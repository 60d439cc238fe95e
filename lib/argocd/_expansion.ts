// What an ApplicationSet's validation and the project check share: each ApplicationSet is expanded
// once per synthesis, kept in the synthesis' memo under `_expansionKey()`.

/**
 * The Applications an ApplicationSet generates, or why it cannot be expanded.
 * @internal
 */
export interface _Expansion {
  readonly applications?: any[];
  readonly error?: string;
}

/**
 * The synthesis-memo key under which an ApplicationSet's expansion is kept.
 * @internal
 */
export function _expansionKey(apiObjectPath: string): string {
  return `applicationset-expansion:${apiObjectPath}`;
}
