// Writes TypeScript source for the imported program: values (objects, arrays, strings, numbers),
// calls of the library's factories and `new` expressions, laid out deterministically. A value that
// fits in the line width is written on one line; otherwise each element gets a line of its own,
// indented by two spaces, with a trailing comma, as the README's examples are written.

/** A piece of code in a value: a call, a constructor, a reference to a variable. */
export class Code {
  /** A reference to a name, or any expression written as it is. */
  public static ref(text: string): Code {
    return new Code(text, undefined, []);
  }

  /** `callee(arg, ...)`. */
  public static call(callee: string, ...args: unknown[]): Code {
    return new Code(callee, 'call', args);
  }

  /** `new callee(arg, ...)`. */
  public static construct(callee: string, ...args: unknown[]): Code {
    return new Code(callee, 'new', args);
  }

  private constructor(
    readonly callee: string,
    readonly form: 'call' | 'new' | undefined,
    readonly args: readonly unknown[],
  ) {}
}

/** The widest line the writer aims for. */
export const LINE_WIDTH = 110;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string as a single-quoted TypeScript literal. */
export function quote(s: string): string {
  const json = JSON.stringify(s); // escapes control characters, backslashes and double quotes
  const body = json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `'${body}'`;
}

/** An object key: bare when it is an identifier, quoted otherwise. */
export function key(k: string): string {
  return IDENTIFIER.test(k) && k !== '__proto__' ? k : quote(k);
}

/** A name for a variable made from any text (`api-production` becomes `apiProduction`). */
export function variableName(text: string, taken: Set<string>): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  let name = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  if (name === '' || /^[0-9]/.test(name)) name = `x${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  if (RESERVED.has(name)) name = `${name}_`;
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = `${name}${i}`;
  taken.add(candidate);
  return candidate;
}

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'let',
  'static', 'yield', 'await', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'app',
  'undefined', 'NaN', 'Infinity', 'arguments', 'eval',
]);

/** Writes `value` as TypeScript, starting at column `column` of a line indented by `indent` spaces. */
export function render(value: unknown, indent: number, column: number = indent): string {
  const flat = renderFlat(value);
  if (flat !== undefined && column + flat.length <= LINE_WIDTH) return flat;
  return renderBroken(value, indent, column);
}

function renderFlat(value: unknown): string | undefined {
  if (value instanceof Code) {
    if (value.form === undefined) return value.callee;
    const args = value.args.map(renderFlat);
    if (args.some((a) => a === undefined || a.includes('\n'))) return undefined;
    return `${value.form === 'new' ? 'new ' : ''}${value.callee}(${args.join(', ')})`;
  }
  if (Array.isArray(value)) {
    const items = value.map(renderFlat);
    if (items.some((a) => a === undefined)) return undefined;
    return `[${items.join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const parts: string[] = [];
    for (const [k, v] of entries) {
      const r = renderFlat(v);
      if (r === undefined) return undefined;
      parts.push(shorthand(k, v) ? k : `${key(k)}: ${r}`);
    }
    return `{ ${parts.join(', ')} }`;
  }
  return scalar(value);
}

function scalar(value: unknown): string {
  if (typeof value === 'string') {
    // a string of several lines reads better as the lines it is
    return value.includes('\n') && !value.includes('`') && !value.includes('${') && !value.includes('\\') && !/[\r\u2028\u2029]/.test(value) && !/[^\n\t\x20-\x7e\u00a0-\uffff]/.test(value)
      ? `\`${value}\``
      : quote(value);
  }
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0';
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  throw new Error(`cannot write a value of type ${typeof value} as code`);
}

function renderBroken(value: unknown, indent: number, column: number): string {
  const pad = ' '.repeat(indent + 2);
  if (value instanceof Code && value.form !== undefined) {
    const head = `${value.form === 'new' ? 'new ' : ''}${value.callee}(`;
    const args = value.args;
    // the last argument an object or array: the others on the first line (when they fit), it opens there
    const last = args[args.length - 1];
    const init = args.slice(0, -1).map(renderFlat);
    const prefix = head + init.map((a) => `${a}, `).join('');
    if (args.length > 0 && isBreakable(last) && init.every((a) => a !== undefined) && column + prefix.length <= LINE_WIDTH) {
      return `${prefix}${renderBroken(last, indent, column + prefix.length)})`;
    }
    return `${head}\n${args.map((a) => `${pad}${render(a, indent + 2)},\n`).join('')}${' '.repeat(indent)})`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${pad}${render(v, indent + 2)},\n`).join('')}${' '.repeat(indent)}]`;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Code)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${pad}${shorthand(k, v) ? k : `${key(k)}: ${render(v, indent + 2, indent + 2 + key(k).length + 2)}`},\n`).join('')}${' '.repeat(indent)}}`;
  }
  return renderFlat(value) ?? scalar(value);
}

/** Whether `k: v` is written `k` (a variable of the key's name). */
function shorthand(k: string, v: unknown): boolean {
  return v instanceof Code && v.form === undefined && v.callee === k && IDENTIFIER.test(k);
}

function isBreakable(v: unknown): boolean {
  return Array.isArray(v) || (v !== null && typeof v === 'object' && !(v instanceof Code)) || (v instanceof Code && v.form !== undefined);
}

/** Leaves out the keys whose value is `undefined`. */
export function defined(o: { [k: string]: unknown }): { [k: string]: unknown } {
  const out: { [k: string]: unknown } = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
