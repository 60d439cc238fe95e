import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelSelectorError, labelSelectorMatches, parseLabelSelector } from '../../../lib/argocd/preview/_label-selector';

describe('label selectors (metav1.LabelSelector)', () => {
  const labels = { env: 'prod', region: 'eu' };

  it.each([
    [{ matchLabels: { env: 'prod' } }, true],
    [{ matchLabels: { env: 'dev' } }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'prod'] }] }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] }, true], // a missing key is "not in"
    [{ matchExpressions: [{ key: 'region', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'region', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'region', operator: 'In', values: ['us'] }] }, false],
    [{}, true],
  ])('%j on {env: prod, region: eu} is %s', (selector, want) => {
    expect(labelSelectorMatches(selector, labels)).toBe(want);
  });

  it('fails on In without values, Exists with values, and unknown operators', () => {
    expect(() => parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }))
      .toThrow("values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty");
    expect(() => parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }))
      .toThrow('values set must be empty for exists and does not exist');
    expect(() => parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }))
      .toThrow(LabelSelectorError);
  });

  it('matchLabels {k: v} matches exactly the label sets holding k=v', () => {
    const word = fc.string({ minLength: 1, maxLength: 5 });
    fc.assert(fc.property(word, word, fc.dictionary(word, word), (k, v, set) => {
      expect(labelSelectorMatches({ matchLabels: { [k]: v } }, set)).toBe(Object.prototype.hasOwnProperty.call(set, k) && set[k] === v);
      expect(labelSelectorMatches({}, set)).toBe(true);
    }));
  });
});
