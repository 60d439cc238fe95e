// How a spec is being rendered: for an Application (every value checked) or for an
// ApplicationSet template (strings may hold `{{ }}` placeholders, checked later against the generators).
import { IConstruct } from 'constructs';
import { fail } from '../_internal/values';

export interface SpecContext {
  /** The construct messages are about. */
  readonly scope: IConstruct;
  /** Whether string values may be `{{ }}` placeholders. */
  readonly templated: boolean;
}

/** Whether `value` holds a template placeholder. */
export function isTemplated(value: unknown): boolean {
  return typeof value === 'string' && value.includes('{{');
}

/** Whether a value should be skipped by a value check: a placeholder in a template. */
export function skipCheck(ctx: SpecContext, value: unknown): boolean {
  return ctx.templated && isTemplated(value);
}

/** Throws for a placeholder in a field whose CRD type is not a string. */
export function checkNotTemplated(ctx: SpecContext, field: string, value: unknown): void {
  if (isTemplated(value)) {
    fail(ctx.scope, field, value, 'is not a string field in the CRD and cannot hold a placeholder; set it per generated Application with templatePatch');
  }
}
