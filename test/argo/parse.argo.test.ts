// parse: the oracle reads YAML as Go does (sigs.k8s.io/yaml, what Argo CD and kubectl use).
import { describe, expect, it } from 'vitest';
import { oracle } from './support/oracle';

describe('oracle parse', () => {
  it('reads multi-document YAML as Go does, numbers included', async () => {
    const a = await oracle().ask('parse', { yaml: 'a: 0X1F\nb: "0X1F"\n---\nc: [1, x]\n' });
    expect(a.ok).toBe(true);
    expect(a.result.documents.map((d: string) => JSON.parse(d))).toEqual([{ a: 31, b: '0X1F' }, { c: [1, 'x'] }]);
  });

  it('answers Go\'s error for YAML it refuses', async () => {
    const a = await oracle().ask('parse', { yaml: 'a: [1\n' });
    expect(a.ok).toBe(false);
    expect(a.error).toMatch(/yaml/);
  });
});
