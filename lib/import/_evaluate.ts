// Runs a piece of the program being written, here and now, against this copy of the library: the
// factory calls and constructors an importer wrote (`SecretStoreProvider.vault({...})`,
// `new ExternalSecret(chart, id, {...})`). An importer uses it to learn, before writing anything,
// whether the typed API accepts an object (and if not, the library's own message, for the summary)
// and what the typed API writes for it (to choose between two ways of saying the same thing).
import * as cdk8s from 'cdk8s';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as lib from '../index';
import { Code } from './_code';
import { ImportContext, Imports } from './_context';

/** The names a written program can use: the library's, cdk8s' and cdk8s-plus-28's exports. */
function namespace(): { [name: string]: any } {
  return { ...kplus, ...cdk8s, ...lib };
}

let names: { [name: string]: any } | undefined;

/**
 * The value `value` stands for: plain values as they are, a `Code` called, constructed or looked up.
 * `refs` gives the values of the program's own variables (`app`, a chart, a store); a name found
 * neither there nor among the exports throws.
 */
export function evaluate(value: unknown, refs: { [name: string]: unknown } = {}): any {
  if (value instanceof Code) {
    const target = lookup(value.callee, refs);
    if (value.form === undefined) return target.value;
    const args = value.args.map((a) => evaluate(a, refs));
    if (value.form === 'new') return new target.value(...args);
    return target.value.apply(target.parent, args);
  }
  if (Array.isArray(value)) return value.map((v) => evaluate(v, refs));
  if (value !== null && typeof value === 'object') {
    const out: { [k: string]: unknown } = {};
    for (const [k, v] of Object.entries(value)) out[k] = evaluate(v, refs);
    return out;
  }
  return value;
}

function lookup(path: string, refs: { [name: string]: unknown }): { value: any; parent: any } {
  names ??= namespace();
  const parts = path.split('.');
  let parent: any;
  let value: any = Object.prototype.hasOwnProperty.call(refs, parts[0]) ? refs[parts[0]] : names[parts[0]];
  if (value === undefined) throw new Error(`the written program uses '${parts[0]}', which is not known here`);
  for (const p of parts.slice(1)) {
    parent = value;
    value = value?.[p];
    if (value === undefined) throw new Error(`the written program uses '${path}', which is not known here`);
  }
  return { value, parent };
}

/** A chart of its own app, for constructing one object apart from the others. */
export function scratchChart(namespace?: string): Chart {
  return new Chart(new App({ outdir: '/nonexistent' }), 'import', namespace !== undefined ? { namespace } : {});
}

/**
 * Constructs `className` with `props` in a scratch chart, or returns the message of the error the
 * library throws (without its construct path). `refs` as for `evaluate`; `chart` is bound to the
 * scratch chart.
 */
export function tryConstruct(className: string, id: string, props: unknown, refs: (chart: Chart) => { [name: string]: unknown } = () => ({})): { construct?: Construct; error?: string } {
  const chart = scratchChart();
  try {
    const all = { chart, app: chart.node.scope, ...refs(chart) };
    const construct = evaluate(Code.construct(className, Code.ref('chart'), id, props), all) as Construct;
    return { construct };
  } catch (e) {
    return { error: firstLine(e) };
  }
}

/**
 * Runs an importer with the names it imports recorded, and imports them only when it returns: an
 * importer that throws NotExpressible halfway leaves no unused import in the program.
 */
export function recorded<T>(ctx: ImportContext, f: (ctx: ImportContext) => T): T {
  const names: Array<[string, string]> = [];
  let done = false;
  // once the importer returned, what it writes later (its statements after the construct) imports directly
  const use = (module: string, n: string) => (done ? ctx.imports.use(module, n) : (names.push([module, n]), n));
  const trial: ImportContext = {
    ...ctx,
    projectRef: (name) => ctx.projectRef(name),
    storeRef: (kind, name, namespace) => ctx.storeRef(kind, name, namespace),
    imports: { use } as Imports,
    lib: (n: string) => use('cdk8s-argocd', n),
  };
  const out = f(trial);
  done = true;
  for (const [module, n] of names) ctx.imports.use(module, n);
  return out;
}

/** An error's message, its first line, without the construct path: for a comment or a summary line. */
export function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return (message.split('\n')[0] ?? '').replace(/^\[[^\]]*\]\s*/, '').trim();
}
