// Small shared helpers for messages and value checks. Internal: not exported from the package.
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';

/** Renders a value the way messages quote it: strings in single quotes, the rest as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // JSON writes NaN as null
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Throws a ValidationError `<field> <value> <problem>` about `scope`. */
export function fail(scope: IConstruct | undefined, field: string, value: unknown, problem: string): never {
  throw new ValidationError(`${field} ${show(value)} ${problem}`, scope);
}

/** Formats `<field> <value> <problem>` for a collected (lazy) validation message. */
export function problem(field: string, value: unknown, text: string): string {
  return `${field} ${show(value)} ${text}`;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes DNS-1123 label (namespaces, most names that become labels): 63 characters at most. */
export function isDnsLabel(value: string): boolean {
  return value.length > 0 && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** Kubernetes DNS-1123 subdomain (object names): 253 characters at most. */
export function isDnsSubdomain(value: string): boolean {
  return value.length > 0 && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** Throws unless `value` is a valid object name (DNS-1123 subdomain). */
export function checkObjectName(scope: IConstruct | undefined, field: string, value: string): void {
  if (!isDnsSubdomain(value)) {
    fail(scope, field, value, 'is not a valid Kubernetes name; use at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit');
  }
}

/** Throws unless `value` is a valid namespace name (DNS-1123 label). */
export function checkNamespace(scope: IConstruct | undefined, field: string, value: string): void {
  if (!isDnsLabel(value)) {
    fail(scope, field, value, 'is not a valid namespace; use at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit');
  }
}

/** Throws unless `value` is a non-empty string. */
export function checkNonEmpty(scope: IConstruct | undefined, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(scope, field, value, 'must be a non-empty string');
  }
}

/**
 * The Go integer types a number field lands in, with their ranges as JavaScript numbers: the
 * largest double below 2^63 is 2^63 - 1024, so `value < 2 ** 63` is exact for int64.
 */
export type GoIntType = 'int64' | 'int32';
const GO_INT_RANGES: Record<GoIntType, { readonly min: number; readonly belowMax: number; readonly text: string }> = {
  int64: { min: -(2 ** 63), belowMax: 2 ** 63, text: '-9223372036854775808 to 9223372036854775807' },
  int32: { min: -(2 ** 31), belowMax: 2 ** 31, text: '-2147483648 to 2147483647' },
};

/**
 * Throws unless `value` is an integer that Go's `goType` holds (the type of the field Argo CD or
 * the External Secrets Operator decodes it into: default int64), optionally at least `min`. A
 * number outside the Go type would be written as digits Go cannot decode into the field (`2**63`)
 * or in exponent form (`1e+21`), and the whole object would be refused.
 */
export function checkInteger(scope: IConstruct | undefined, field: string, value: unknown, min?: number, goType: GoIntType = 'int64'): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    fail(scope, field, value, 'is not an integer; use a whole number');
  }
  if (min !== undefined && value < min) {
    fail(scope, field, value, `is less than ${min}; use ${min} or more`);
  }
  const range = GO_INT_RANGES[goType];
  if (value < range.min || value >= range.belowMax) {
    const from = min !== undefined ? `${min} to ${range.text.split(' to ')[1]}` : range.text;
    fail(scope, field, value, `is out of the range of Go's ${goType}, the type the field is read into; use a whole number from ${from}`);
  }
}

/**
 * Throws for the first NaN or infinite number anywhere in `value` (a free-form object written as
 * YAML): the writer can only write them as `.nan` and `.inf`, which Go's YAML reader
 * (sigs.k8s.io/yaml) cannot turn into JSON, so kubectl, Argo CD and Helm would refuse the file.
 */
export function checkFiniteNumbers(scope: IConstruct | undefined, field: string, value: unknown): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      fail(scope, field, value, 'is not a finite number; Go\'s YAML reader (sigs.k8s.io/yaml) cannot read .nan or .inf and would refuse the whole file; use a finite number or a string');
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkFiniteNumbers(scope, `${field}[${i}]`, v));
    return;
  }
  for (const [k, v] of Object.entries(value)) checkFiniteNumbers(scope, `${field}.${k}`, v);
}

/** Removes keys whose value is undefined, keeping the order of the others. */
export function compact<T extends object>(obj: T): T {
  const out: any = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Returns undefined for an empty array or object, the value otherwise. */
export function undefinedIfEmpty<T>(value: T): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  if (typeof value === 'object' && Object.keys(value as any).length === 0) return undefined;
  return value;
}

/** Orders strings by UTF-16 code units (deterministic and locale-independent, unlike `localeCompare`). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
