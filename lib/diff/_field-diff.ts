// Field-level differences between two JSON values (an Application's spec and metadata, an
// AppProject's spec): one entry per leaf that differs, named by its path.

/** One field that differs. */
export interface FieldChange {
  /** The field's path: `spec.source.targetRevision`, `spec.syncPolicy.syncOptions[1]`. */
  readonly path: string;
  /** The value before; absent when the field is new. */
  readonly before?: unknown;
  /** The value after; absent when the field is gone. */
  readonly after?: unknown;
}

function isObject(x: unknown): x is { [k: string]: unknown } {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function childPath(prefix: string, key: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key);
  if (prefix === '') return plain ? key : JSON.stringify(key);
  return plain ? `${prefix}.${key}` : `${prefix}[${JSON.stringify(key)}]`;
}

/**
 * Every field that differs between `before` and `after`, depth first, keys in sorted order.
 * Objects are compared key by key and arrays index by index; a value whose type changes (or that
 * appears or disappears) is one change.
 *
 * @param before the value before (undefined: absent)
 * @param after the value after (undefined: absent)
 * @param prefix the path of the values themselves
 */
export function fieldChanges(before: unknown, after: unknown, prefix: string = ''): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, prefix, out);
  return out;
}

function walk(a: unknown, b: unknown, p: string, out: FieldChange[]): void {
  if (a === undefined && b === undefined) return;
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) walk(a[k], b[k], childPath(p, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${p}[${i}]`, out);
    return;
  }
  if (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b)) return;
  out.push({ path: p, ...(a !== undefined ? { before: a } : {}), ...(b !== undefined ? { after: b } : {}) });
}

/** A value as one short line: JSON, strings unquoted when plain. */
export function showValue(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (typeof v === 'string' && /^[^\s"'{}[\],]+$/.test(v)) return v;
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** `spec.source.targetRevision: main → v2` (or `+ path: value`, `- path: value`). */
export function showFieldChange(c: FieldChange): string {
  if (c.before === undefined) return `+ ${c.path}: ${showValue(c.after)}`;
  if (c.after === undefined) return `- ${c.path}: ${showValue(c.before)}`;
  return `~ ${c.path}: ${showValue(c.before)} → ${showValue(c.after)}`;
}
