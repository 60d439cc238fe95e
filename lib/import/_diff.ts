// The JSON patch operations that turn one object into another, smallest first: a field added,
// removed or replaced, lists replaced whole when their lengths differ. What the comparison of the
// written program with the input uses, both to add the escape hatch's patches and to report.

/** One JSON patch operation (RFC 6902). */
export interface PatchOp {
  readonly op: 'add' | 'remove' | 'replace';
  /** A JSON pointer. */
  readonly path: string;
  readonly value?: unknown;
}

const isObject = (v: unknown): v is { [k: string]: unknown } => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether two parsed YAML values are the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k], b[k]));
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
}

/** The operations that turn `actual` into `expected`. */
export function diff(actual: unknown, expected: unknown, pointer: string = ''): PatchOp[] {
  if (sameValue(actual, expected)) return [];
  if (isObject(actual) && isObject(expected)) {
    const ops: PatchOp[] = [];
    for (const k of Object.keys(actual)) {
      if (!Object.prototype.hasOwnProperty.call(expected, k)) ops.push({ op: 'remove', path: `${pointer}/${escape(k)}` });
    }
    for (const [k, v] of Object.entries(expected)) {
      const p = `${pointer}/${escape(k)}`;
      if (!Object.prototype.hasOwnProperty.call(actual, k)) ops.push({ op: 'add', path: p, value: v });
      else ops.push(...diff(actual[k], v, p));
    }
    return ops;
  }
  if (Array.isArray(actual) && Array.isArray(expected) && actual.length === expected.length) {
    return actual.flatMap((x, i) => diff(x, expected[i], `${pointer}/${i}`));
  }
  return [{ op: 'replace', path: pointer, value: expected }];
}

/** A key as a JSON pointer token (`~` and `/` escaped). */
export function escape(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A JSON pointer as a dotted field name for messages (`spec.source.helm`). */
export function fieldName(pointer: string): string {
  if (pointer === '') return '(the whole object)';
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((t, i) => (/^[0-9]+$/.test(t) ? `[${t}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(t) ? `${i === 0 ? '' : '.'}${t}` : `[${JSON.stringify(t)}]`)).join('');
}
