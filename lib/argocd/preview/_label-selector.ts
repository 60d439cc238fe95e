// Kubernetes metav1.LabelSelector evaluation (matchLabels and matchExpressions with In, NotIn,
// Exists, DoesNotExist) over a flat string map, the way Argo CD's ApplicationSet post-selectors
// and the clusters generator use it. Internal: not exported from the package.

/** A parsed requirement. */
interface Requirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/** A label selector problem, worded as Kubernetes words it. */
export class LabelSelectorError extends Error {}

/** Parses a `{matchLabels, matchExpressions}` object; throws LabelSelectorError on a bad one. */
export function parseLabelSelector(selector: any): Requirement[] {
  const reqs: Requirement[] = [];
  if (selector === null || selector === undefined) return reqs;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    reqs.push({ key: k, operator: 'In', values: [String(v)] });
  }
  for (const expr of selector.matchExpressions ?? []) {
    const op = expr?.operator;
    const values: string[] = (expr?.values ?? []).map((x: unknown) => String(x));
    switch (op) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          throw new LabelSelectorError(`values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty`);
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          throw new LabelSelectorError(`values: Invalid value: ${JSON.stringify(values)}: values set must be empty for exists and does not exist`);
        }
        break;
      default:
        throw new LabelSelectorError(`${JSON.stringify(String(op))} is not a valid pod selector operator`);
    }
    reqs.push({ key: String(expr.key), operator: op, values });
  }
  return reqs;
}

/** Whether the labels satisfy every requirement (an empty selector matches everything). */
export function selectorMatches(requirements: readonly Requirement[], labels: Readonly<Record<string, string>>): boolean {
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'In': return has && r.values.includes(labels[r.key]);
      case 'NotIn': return !has || !r.values.includes(labels[r.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
    }
    return false;
  });
}

/** Convenience: parse then match. */
export function labelSelectorMatches(selector: any, labels: Readonly<Record<string, string>>): boolean {
  return selectorMatches(parseLabelSelector(selector), labels);
}
