// Keeps of a wire struct only the fields the library's props type has, with the types it has, so
// that the written program compiles (TypeScript refuses unknown fields in an object literal). What
// is left out is put back by the JSON patches the comparison adds.
import { NotExpressible } from './_context';

/** A field's type: a scalar type name, a string list, a string map, or a nested shape. */
export type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'map' | 'any' | Shape | [Shape];

/** The fields of a props struct; a `!` after a name marks it required. */
export interface Shape { readonly [field: string]: FieldType }

/** `value` cut to `shape`; NotExpressible when a required field is missing or of another type. */
export function pick(value: unknown, shape: Shape, what: string): { [k: string]: unknown } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new NotExpressible(`${what} that is not an object`);
  const out: { [k: string]: unknown } = {};
  for (const [spec, type] of Object.entries(shape)) {
    const required = spec.endsWith('!');
    const field = required ? spec.slice(0, -1) : spec;
    const v = (value as any)[field];
    const ok = v !== undefined && fits(v, type);
    if (ok) out[field] = convert(v, type, `${what}.${field}`);
    else if (required) throw new NotExpressible(`${what} without a ${field} the library can say`);
  }
  return out;
}

/** A list of structs cut to `shape`, or undefined when it is not a list. */
export function pickList(value: unknown, shape: Shape, what: string): Array<{ [k: string]: unknown }> | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((v, i) => pick(v, shape, `${what}[${i}]`));
}

function fits(v: unknown, type: FieldType): boolean {
  if (type === 'any') return true;
  if (type === 'string' || type === 'number' || type === 'boolean') return typeof v === type;
  if (type === 'string[]') return Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (type === 'map') return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
  if (Array.isArray(type)) return Array.isArray(v);
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function convert(v: unknown, type: FieldType, what: string): unknown {
  if (Array.isArray(type)) return (v as unknown[]).map((x, i) => pick(x, type[0], `${what}[${i}]`));
  if (typeof type === 'object') return pick(v, type, what);
  return v;
}

export const RESOURCE_KIND: Shape = { 'group!': 'string', 'kind!': 'string' };
export const CLUSTER_RESOURCE_KIND: Shape = { 'group!': 'string', 'kind!': 'string', 'name': 'string' };
export const IGNORE_DIFFERENCE: Shape = {
  'group': 'string', 'kind!': 'string', 'name': 'string', 'namespace': 'string',
  'jsonPointers': 'string[]', 'jqPathExpressions': 'string[]', 'managedFieldsManagers': 'string[]',
};
export const AUTOMATED: Shape = { prune: 'boolean', selfHeal: 'boolean', allowEmpty: 'boolean', enabled: 'boolean' };
export const NAMESPACE_METADATA: Shape = { labels: 'map', annotations: 'map' };
export const DESTINATION_SERVICE_ACCOUNT: Shape = { 'server!': 'string', 'namespace': 'string', 'defaultServiceAccount!': 'string' };
export const ORPHANED_RESOURCES: Shape = { warn: 'boolean', ignore: [{ group: 'string', kind: 'string', name: 'string' }] };
export const HELM_PARAMETER: Shape = { 'name!': 'string', 'value!': 'string', 'forceString': 'boolean' };
export const HELM_FILE_PARAMETER: Shape = { 'name!': 'string', 'path!': 'string' };
export const KUSTOMIZE_REPLICA: Shape = { 'name!': 'string', 'count!': 'number' };
export const KUSTOMIZE_PATCH: Shape = {
  patch: 'string', path: 'string', options: 'any',
  target: { group: 'string', version: 'string', kind: 'string', name: 'string', namespace: 'string', labelSelector: 'string', annotationSelector: 'string' },
};
export const PLUGIN_PARAMETER: Shape = { 'name!': 'string', 'string': 'string', 'array': 'string[]', 'map': 'map' };
export const JSONNET_VARIABLE: Shape = { 'name!': 'string', 'value!': 'string', 'code': 'boolean' };
