// Finds the template placeholders in a rendered template and checks them against the parameters
// the generators produce. Internal: not exported from the package.
import { show } from '../../_internal/values';
import { fastTemplateKeys } from '../preview/_fasttemplate';
import { goTemplateFieldPaths } from '../preview/_gotemplate';
import { isProduced } from './_params';

/** The references in `text`: fasttemplate keys, or Go field paths without the leading dot. */
export function placeholderRefs(text: string, goTemplate: boolean): string[] {
  return goTemplate ? goTemplateFieldPaths(text) : fastTemplateKeys(text);
}

/** Every string in `json`, with its wire path under `field`. */
export function stringsOf(json: unknown, field: string): Array<{ field: string; text: string }> {
  if (typeof json === 'string') return [{ field, text: json }];
  if (json === null || typeof json !== 'object') return [];
  const out: Array<{ field: string; text: string }> = [];
  if (Array.isArray(json)) json.forEach((x, i) => out.push(...stringsOf(x, `${field}[${i}]`)));
  else for (const [k, v] of Object.entries(json)) out.push(...stringsOf(v, `${field}.${k}`));
  return out;
}

/** Shows the produced parameters for a message. */
export function showParams(params: readonly string[], goTemplate: boolean): string {
  if (params.length === 0) return 'none';
  return params.filter((p) => p !== '*').map((p) => (goTemplate ? `.${p}` : p)).join(', ');
}

/** Problems for the references in `strings` that `params` does not produce. */
export function missingPlaceholderProblems(strings: Array<{ field: string; text: string }>, params: readonly string[], goTemplate: boolean, who: string): string[] {
  const problems: string[] = [];
  for (const { field, text } of strings) {
    let refs: string[];
    try {
      refs = placeholderRefs(text, goTemplate);
    } catch (e: any) {
      problems.push(`${field} ${show(text)} is not a valid ${goTemplate ? 'Go template' : 'fasttemplate'} (${e.message}); fix the placeholder syntax`);
      continue;
    }
    for (const ref of refs) {
      if (isProduced(ref, params)) continue;
      const shown = goTemplate ? `.${ref}` : ref;
      const hint = !goTemplate && /\s/.test(ref) ? ' (fasttemplate has no expressions; set goTemplate: true for Go templates)' : '';
      problems.push(`${field} ${show(text)} uses ${show(shown)}, which is not produced by ${who}${hint}; they produce: ${showParams(params, goTemplate)}; use one of those, or produce it with the generators (e.g. a list element key or values)`);
    }
  }
  return problems;
}
