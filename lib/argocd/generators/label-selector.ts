import { IConstruct } from 'constructs';
import { fail } from '../../_internal/values';

/**
 * The operator of a label selector requirement.
 */
export enum LabelSelectorOperator {
  /** The label's value is one of `values`. */
  IN = 'In',
  /** The label is absent, or its value is none of `values`. */
  NOT_IN = 'NotIn',
  /** The label is present (no `values`). */
  EXISTS = 'Exists',
  /** The label is absent (no `values`). */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/**
 * One requirement of a label selector (`matchExpressions[]`).
 */
export interface LabelSelectorRequirement {
  /** The label (or, in a post-selector, the parameter) key. */
  readonly key: string;

  /** How the key's value is compared. */
  readonly operator: LabelSelectorOperator;

  /**
   * The values; required for In and NotIn, forbidden for Exists and DoesNotExist.
   *
   * @default - none
   */
  readonly values?: string[];
}

/**
 * A Kubernetes label selector: every matchLabels entry and every matchExpressions requirement
 * must hold. An empty selector selects everything.
 */
export interface LabelSelector {
  /**
   * Labels that must have exactly these values.
   *
   * @default - none
   */
  readonly matchLabels?: { [key: string]: string };

  /**
   * Requirements that must all hold.
   *
   * @default - none
   */
  readonly matchExpressions?: LabelSelectorRequirement[];
}

const OPERATORS = Object.values(LabelSelectorOperator) as string[];

/** Checks and renders a label selector. @internal */
export function renderLabelSelector(scope: IConstruct | undefined, field: string, s: LabelSelector): any {
  const out: any = {};
  if (s.matchLabels && Object.keys(s.matchLabels).length) {
    for (const [k, v] of Object.entries(s.matchLabels)) {
      if (typeof v !== 'string') fail(scope, `${field}.matchLabels.${k}`, v, 'is not a string; label values are strings, e.g. \'true\'');
    }
    out.matchLabels = { ...s.matchLabels };
  }
  if (s.matchExpressions?.length) {
    out.matchExpressions = s.matchExpressions.map((e, i) => {
      const f = `${field}.matchExpressions[${i}]`;
      if (!OPERATORS.includes(e.operator)) {
        fail(scope, `${f}.operator`, e.operator, `is not a label selector operator; use one of ${OPERATORS.join(', ')} (LabelSelectorOperator)`);
      }
      const n = e.values?.length ?? 0;
      if ((e.operator === LabelSelectorOperator.IN || e.operator === LabelSelectorOperator.NOT_IN) && n === 0) {
        fail(scope, `${f}.values`, e.values ?? [], `must not be empty for operator ${e.operator}; give at least one value`);
      }
      if ((e.operator === LabelSelectorOperator.EXISTS || e.operator === LabelSelectorOperator.DOES_NOT_EXIST) && n > 0) {
        fail(scope, `${f}.values`, e.values, `must be empty for operator ${e.operator}; leave values out`);
      }
      return { key: e.key, operator: e.operator, ...(n ? { values: [...e.values!] } : {}) };
    });
  }
  return out;
}
