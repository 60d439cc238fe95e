// Values the input repeats, written once: a repository URL or a target revision that several
// Applications (or ApplicationSet templates) name becomes a constant of the program
// (`const repoUrl = 'https://github.com/myorg/infra.git';`), and each source factory refers to it.
import { Code, render, variableName } from './_code';

const isObject = (v: unknown): v is { [k: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The props of a source factory that may refer to a constant, with the name the constant is given. */
const FIELDS: { [prop: string]: { wire: string; name: string } } = {
  repoUrl: { wire: 'repoURL', name: 'repoUrl' },
  targetRevision: { wire: 'targetRevision', name: 'targetRevision' },
};

/** The constants of a program: for each source prop, the variable of each repeated value. */
export class Constants {
  /** Finds the values repeated in `manifests`' sources and names them, reserving the names in `taken`. */
  public static of(manifests: readonly any[], taken: Set<string>): Constants {
    const counts = new Map<string, Map<string, number>>();
    for (const m of manifests) {
      for (const s of sources(m)) {
        // a chart's targetRevision is its version, not the repository's revision
        if (!isObject(s) || typeof s.chart === 'string') continue;
        for (const [prop, f] of Object.entries(FIELDS)) {
          const v = s[f.wire];
          if (typeof v !== 'string' || v === '' || v.includes('{{')) continue;
          if (!counts.has(prop)) counts.set(prop, new Map());
          counts.get(prop)!.set(v, (counts.get(prop)!.get(v) ?? 0) + 1);
        }
      }
    }
    const c = new Constants();
    for (const [prop, byValue] of counts) {
      const repeated = [...byValue.entries()].filter(([, n]) => n > 1).sort(([a, n], [b, k]) => k - n || (a < b ? -1 : a > b ? 1 : 0));
      const vars = new Map<string, string>();
      repeated.forEach(([value], i) => {
        const name = i === 0 ? FIELDS[prop].name : prop === 'repoUrl' ? `${repoStem(value)}-url` : `revision-${value}`;
        vars.set(value, variableName(name, taken));
      });
      if (vars.size > 0) c.vars.set(prop, vars);
    }
    return c;
  }

  private readonly vars = new Map<string, Map<string, string>>();
  private readonly used = new Set<string>();

  private constructor() {}

  /** `props` with the repeated values of its source factories' props replaced by their constants. */
  public substitute(value: unknown): unknown {
    if (value instanceof Code) {
      if (value.form === 'call' && /(^|\.)ApplicationSource\.[A-Za-z]+$/.test(value.callee) && isObject(value.args[0])) {
        const props: { [k: string]: unknown } = { ...value.args[0] };
        for (const prop of Object.keys(FIELDS)) {
          const v = this.vars.get(prop)?.get(props[prop] as string);
          if (typeof props[prop] === 'string' && v !== undefined) {
            props[prop] = Code.ref(v);
            this.used.add(v);
          }
        }
        return Code.call(value.callee, this.substitute(props), ...value.args.slice(1).map((a) => this.substitute(a)));
      }
      if (value.form === undefined) return value;
      const args = value.args.map((a) => this.substitute(a));
      return value.form === 'new' ? Code.construct(value.callee, ...args) : Code.call(value.callee, ...args);
    }
    if (Array.isArray(value)) return value.map((v) => this.substitute(v));
    if (isObject(value)) {
      const out: { [k: string]: unknown } = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.substitute(v);
      return out;
    }
    return value;
  }

  /** The declarations of the constants the program used, in a stable order. */
  public declarations(): string[] {
    const out: string[] = [];
    for (const byValue of this.vars.values()) {
      for (const [value, v] of byValue) if (this.used.has(v)) out.push(`const ${v} = ${render(value, 0)};`);
    }
    return out;
  }
}

function sources(m: any): unknown[] {
  const spec = m?.kind === 'ApplicationSet' ? m.spec?.template?.spec : m?.kind === 'Application' ? m.spec : undefined;
  if (!isObject(spec)) return [];
  return [
    spec.source,
    ...(Array.isArray(spec.sources) ? spec.sources : []),
    spec.sourceHydrator?.drySource,
  ].filter((s) => s !== undefined);
}

/** `infra-repo` for `https://github.com/myorg/infra-repo.git`. */
function repoStem(url: string): string {
  const last = url.replace(/\/+$/, '').split(/[/:]/).pop() ?? 'repo';
  return last.replace(/\.git$/, '') || 'repo';
}
