// Comparison of expanded Applications with Argo CD's: Argo CD renders into Go structs and writes
// them back with `omitempty`, so a field rendered empty ("", {}, [], null) is absent from its
// Application while the library's plain-JSON rendering keeps it; both sides drop such fields before
// comparing (entries of labels and annotations, Go maps, keep their empty values). Applications are
// compared in name order (Argo CD's order comes out of Go maps for merge and clusters).

/** The outcome of one library expansion. */
export type LibraryExpansion = { ok: true; applications: any[] } | { ok: false; error: string };

/** Runs an expansion, catching its error. */
export function libraryExpansion(run: () => any[]): LibraryExpansion {
  try {
    return { ok: true, applications: run() };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function dropEmpty(value: unknown, keepEmptyEntries: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => dropEmpty(v, false));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const keep = keepEmptyEntries && typeof v === 'string';
      const d = keep ? v : dropEmpty(v, k === 'labels' || k === 'annotations');
      if (!keep && (d === '' || d === null || d === undefined || (Array.isArray(d) && d.length === 0) || (typeof d === 'object' && d !== null && Object.keys(d).length === 0))) continue;
      out[k] = d;
    }
    return out;
  }
  return value;
}

/** Applications as compared: metadata and spec, empty fields dropped, sorted by name (bytes). */
export function comparableApplications(apps: any[]): any[] {
  return apps
    .map((a) => dropEmpty({ metadata: a.metadata ?? {}, spec: a.spec ?? {} }, false) as any)
    .sort((x, y) => Buffer.compare(Buffer.from(x.metadata?.name ?? ''), Buffer.from(y.metadata?.name ?? '')));
}
