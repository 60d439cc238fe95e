// The nearest candidates to a misspelt name or path, for "did you mean" lists in messages.

/** Levenshtein distance between `a` and `b`. */
export function editDistance(a: string, b: string): number {
  const prev = new Array(b.length + 1).fill(0).map((_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The (at most) `count` candidates nearest to `x` by edit distance, then alphabetically; duplicates once. */
export function nearest(x: string, candidates: Iterable<string>, count = 3): string[] {
  return [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(x, c) }))
    .sort((p, q) => p.d - q.d || (p.c < q.c ? -1 : p.c > q.c ? 1 : 0))
    .slice(0, count)
    .map((p) => p.c);
}
