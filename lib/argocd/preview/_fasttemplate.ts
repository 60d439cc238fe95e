// Argo CD's default ("fasttemplate") ApplicationSet templating, reimplemented for the offline
// preview because its behaviour must be matched exactly:
//
// - a string is templated only when Go's regexp `.*{{.*}}.*` matches it, i.e. when some single
//   line holds `{{` followed by `}}` (Go's `.` does not cross newlines); otherwise it is returned
//   as it is, even when a tag spans lines;
// - valyala/fasttemplate then cuts the string at every `{{` and the next `}}` (an opening `{{`
//   without a closing `}}` is an error: `invalid template: Cannot find end tag=...`);
// - a tag is looked up after strings.TrimSpace; it is replaced only when the parameter exists
//   and is a string; unknown tags, empty tags and non-string parameters are written back exactly
//   as they were (`{{` + tag + `}}`, inner spaces kept);
// - replacement values are inserted raw: since Argo CD templates each string field of the
//   Application separately (not the JSON text of the whole Application, as ApplicationSet
//   versions before Argo CD 2.5 did), there is no JSON escaping of quotes or newlines.
import { TemplateError, goQuote } from './_go-fmt';

const IS_TEMPLATED = /\{\{[^\n]*\}\}/;

/** Whether Argo CD would template this string at all (Go's `.*{{.*}}.*`, `.` not matching `\n`). */
export function isFastTemplated(text: string): boolean {
  return IS_TEMPLATED.test(text);
}

interface Part { text: string; tag?: string }

function parse(text: string): Part[] {
  const parts: Part[] = [];
  let s = text;
  for (;;) {
    const n = s.indexOf('{{');
    if (n < 0) {
      parts.push({ text: s });
      return parts;
    }
    const before = s.slice(0, n);
    s = s.slice(n + 2);
    const e = s.indexOf('}}');
    if (e < 0) {
      throw new TemplateError(`invalid template: Cannot find end tag=${goQuote('}}')} in the template=${goQuote(text)} starting from ${goQuote(s)}`);
    }
    parts.push({ text: before, tag: s.slice(0, e) });
    s = s.slice(e + 2);
  }
}

/** Go's strings.TrimSpace (Unicode white space). */
function trimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');
}

/**
 * Renders `text` as Argo CD's fasttemplate mode does with the flat parameter map `params`
 * (keys like `path.basename`, `metadata.labels.env`, `values.x`). Only string parameters are
 * substituted; every other tag is left exactly as written.
 */
export function renderFastTemplate(text: string, params: Readonly<Record<string, unknown>>): string {
  if (!isFastTemplated(text)) return text;
  let out = '';
  for (const part of parse(text)) {
    out += part.text;
    if (part.tag === undefined) continue;
    const key = trimSpace(part.tag);
    const value = Object.prototype.hasOwnProperty.call(params, key) ? params[key] : undefined;
    out += key.length > 0 && typeof value === 'string' ? value : `{{${part.tag}}}`;
  }
  return out;
}

/**
 * The trimmed tag names of `text`, in order, without duplicates and without empty tags, as the
 * fasttemplate renderer would look them up. Strings Argo CD does not template (no line holding
 * `{{ ... }}`) have none. Throws TemplateError for an unterminated tag.
 */
export function fastTemplateKeys(text: string): string[] {
  if (!isFastTemplated(text)) return [];
  const keys: string[] = [];
  for (const part of parse(text)) {
    if (part.tag === undefined) continue;
    const key = trimSpace(part.tag);
    if (key.length > 0 && !keys.includes(key)) keys.push(key);
  }
  return keys;
}
