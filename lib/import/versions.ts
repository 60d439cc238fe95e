// Container image tags that differ, or repeat, per environment: in the layout GitOpsRepo writes,
// `apps/<app>/<env>/` holds what an app deploys in one environment. An image named in two or more
// environments' directories, with one tag in each, becomes a row of one `Versions` table, and every
// `image:` of it reads its tag from the table: `image: \`ghcr.io/myorg/api:${versions.get('api', 'staging')}\``.
// A promotion is then one edit of the table, as in a program written with the library.
import { Code, render, variableName } from './_code';
import type { Unit } from './program';

const isObject = (v: unknown): v is { [k: string]: unknown } => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Code);

/** `apps/<app>/<env>` (at any depth): the environment of a unit's directory. */
function environmentOf(u: Unit): string | undefined {
  return /(?:^|\/)apps\/[^/]+\/([^/]+)$/.exec(u.chart.directory)?.[1];
}

/** `ghcr.io/myorg/api:v2.1.0` as name and tag; undefined for a digest, a variable or no tag. */
function splitImage(image: string): { name: string; tag: string } | undefined {
  const m = /^([^\s@:]+(?::\d+)?(?:\/[^\s@:]+)*):([\w][\w.-]{0,127})$/.exec(image);
  return m ? { name: m[1], tag: m[2] } : undefined;
}

function images(value: unknown, out: string[]): void {
  if (Array.isArray(value)) for (const v of value) images(v, out);
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'image' && typeof v === 'string') out.push(v);
      else images(v, out);
    }
  }
}

/** The per-environment image tags of the units, and their substitution into ApiObject props. */
export class VersionTable {
  /** Finds the images named in two or more environments' directories with one tag each. */
  public static of(units: readonly Unit[], taken: Set<string>): VersionTable {
    const byName = new Map<string, Map<string, Set<string>>>();
    for (const u of units) {
      const env = environmentOf(u);
      if (env === undefined) continue;
      const found: string[] = [];
      images(u.input.manifest, found);
      for (const i of found) {
        const s = splitImage(i);
        if (!s) continue;
        if (!byName.has(s.name)) byName.set(s.name, new Map());
        const envs = byName.get(s.name)!;
        if (!envs.has(env)) envs.set(env, new Set());
        envs.get(env)!.add(s.tag);
      }
    }
    const rows = new Map<string, { component: string; tags: Map<string, string> }>();
    const components = new Set<string>();
    for (const [name, envs] of [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (envs.size < 2 || [...envs.values()].some((t) => t.size !== 1)) continue;
      // the image's last path segment names the row, unless another image has it too
      let component = name.slice(name.lastIndexOf('/') + 1);
      if (components.has(component)) component = name;
      components.add(component);
      rows.set(name, { component, tags: new Map([...envs.entries()].map(([e, t]) => [e, [...t][0]])) });
    }
    return new VersionTable(rows, rows.size > 0 ? variableName('versions', taken) : '');
  }

  private used = false;

  private constructor(private readonly rows: Map<string, { component: string; tags: Map<string, string> }>, private readonly variable: string) {}

  /** `props` of a unit written as an ApiObject, with its images' tags read from the table. */
  public substitute(u: Unit, props: unknown): unknown {
    const env = environmentOf(u);
    if (env === undefined || this.rows.size === 0) return props;
    const walk = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(walk);
      if (!isObject(value)) return value;
      const out: { [k: string]: unknown } = {};
      for (const [k, v] of Object.entries(value)) {
        const s = k === 'image' && typeof v === 'string' ? splitImage(v) : undefined;
        const row = s ? this.rows.get(s.name) : undefined;
        if (s && row && row.tags.get(env) === s.tag) {
          this.used = true;
          // a template literal: the name and the tag come back as the same string
          out[k] = Code.ref(`\`${s.name.replace(/[`$\\]/g, '\\$&')}:\${${this.variable}.get(${render(row.component, 0)}, ${render(env, 0)})}\``);
        } else out[k] = walk(v);
      }
      return out;
    };
    return walk(props);
  }

  /** The table's declaration, when a unit used it: `const versions = new Versions({...});`. */
  public declaration(versionsClass: () => string): string[] {
    if (!this.used) return [];
    const table: { [component: string]: { [env: string]: string } } = {};
    for (const row of this.rows.values()) table[row.component] = Object.fromEntries([...row.tags.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const head = `const ${this.variable} = `;
    return ['// image tags per environment (apps/<app>/<env>/): a promotion is one edit here', `${head}${render(Code.construct(versionsClass(), table), 0, head.length)};`];
  }
}
