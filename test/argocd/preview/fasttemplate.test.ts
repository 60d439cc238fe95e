import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastTemplateKeys, isFastTemplated, renderFastTemplate } from '../../../lib/argocd/preview/_fasttemplate';

describe('renderFastTemplate', () => {
  const params = { 'path.basename': 'guestbook', 'metadata.labels.env': 'prod', 'values.x': 'X', 'empty': '' };

  it('replaces tags, trimming spaces inside them', () => {
    expect(renderFastTemplate('{{path.basename}}-{{ metadata.labels.env }}-{{\tvalues.x\n}}', params)).toBe('guestbook-prod-X');
    expect(renderFastTemplate('a{{empty}}b', params)).toBe('ab');
  });

  it('leaves unknown tags exactly as they were', () => {
    expect(renderFastTemplate('{{ path.basename }}/{{  unknown  }}/{{}}', params)).toBe('guestbook/{{  unknown  }}/{{}}');
  });

  it('leaves tags of non-string parameters as they are', () => {
    expect(renderFastTemplate('{{n}}-{{b}}-{{o}}', { n: 3, b: true, o: { a: 'x' } })).toBe('{{n}}-{{b}}-{{o}}');
  });

  it('inserts values raw (no JSON escaping)', () => {
    expect(renderFastTemplate('v: {{x}}', { x: 'a"b\nc\\d' })).toBe('v: a"b\nc\\d');
  });

  it('does not template strings where no single line holds {{ ... }}', () => {
    expect(isFastTemplated('{{a\n}}')).toBe(false);
    expect(renderFastTemplate('{{a\n}}', { a: 'x' })).toBe('{{a\n}}');
    // once one line qualifies, every tag of the string is replaced, also one spanning lines
    expect(renderFastTemplate('{{ a }}\n{{b\n}}', { a: 'x', b: 'y' })).toBe('x\ny');
  });

  it('cuts a tag at the first closing delimiter', () => {
    expect(renderFastTemplate('{{ {{a}} }}', { '{{a': 'Z' })).toBe('Z }}');
  });

  it('fails when a tag is not closed', () => {
    expect(() => renderFastTemplate('{{a}} {{b', { a: 'x' })).toThrow(
      'invalid template: Cannot find end tag="}}" in the template="{{a}} {{b" starting from "b"',
    );
  });

  it('is the identity on strings without tags (property)', () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes('{{')), fc.dictionary(fc.string(), fc.string()), (s, p) => {
      expect(renderFastTemplate(s, p)).toBe(s);
    }));
  });

  it('leaves every tag as written when no parameter matches (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      let text: string | undefined;
      try {
        text = renderFastTemplate(s, {});
      } catch (e: any) {
        // the only failure: an opening tag without its end, as Argo CD reports it
        expect(s).toContain('{{');
        expect(e.message).toMatch(/Cannot find end tag/);
        return;
      }
      expect(text).toBe(s);
    }));
  });
});

describe('fastTemplateKeys', () => {
  it('lists trimmed tag names once, in order', () => {
    expect(fastTemplateKeys('{{ path.basename }}-{{values.x}}-{{path.basename}}-{{ }}')).toEqual(['path.basename', 'values.x']);
    expect(fastTemplateKeys('plain')).toEqual([]);
    expect(fastTemplateKeys('{{a\n}}')).toEqual([]);
  });
});
