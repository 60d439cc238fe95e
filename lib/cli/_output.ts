// Terminal output for the command line: colors (only on a terminal, never with NO_COLOR), the
// summary line each command ends with, and a progress indicator on stderr for long runs.

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** A finding: drift, a validation failure, an expansion error. */
export const EXIT_FINDING = 1;
/** A usage error or a synthesis error. */
export const EXIT_ERROR = 2;

/** A writable stream as the CLI needs it (process.stdout, or a buffer in tests). */
export interface OutStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Where a command writes, and what it knows about its environment. */
export interface CliIo {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  /** The working directory the command runs in. */
  readonly cwd: string;
  /** The environment passed on to the app. */
  readonly env: NodeJS.ProcessEnv;
  /** Standard input, read where a command is given `-` for a file (default: the process's). */
  readonly stdin?: AsyncIterable<string | Buffer>;
}

/** All of standard input as text (`-` given for a file). */
export async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of io.stdin ?? process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf-8');
}

/** Writes a deprecation notice for an old option spelling on stderr. */
export function deprecated(io: CliIo, old: string, replacement: string): void {
  io.stderr.write(`warning: ${old} is deprecated and will be removed; use ${replacement}\n`);
}

/** Color functions; identity functions when colors are off. */
export interface Colors {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

/** Whether to color text written to `stream`: a terminal, and NO_COLOR unset or empty. */
export function colorEnabled(stream: OutStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** Color functions for `stream`. */
export function colorsFor(stream: OutStream, env: NodeJS.ProcessEnv): Colors {
  const on = colorEnabled(stream, env);
  const wrap = (open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return {
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    bold: wrap(1, 22),
    dim: wrap(2, 22),
  };
}

/** Writes a command's summary line: green for success, red for a finding or an error. */
export function summary(io: CliIo, ok: boolean, text: string): void {
  const c = colorsFor(io.stdout, io.env);
  io.stdout.write(`${ok ? c.green(text) : c.red(text)}\n`);
}

/** Writes an error line to stderr. */
export function errorLine(io: CliIo, text: string): void {
  const c = colorsFor(io.stderr, io.env);
  io.stderr.write(`${c.red('error:')} ${text}\n`);
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Runs `work`, showing `label` with a spinner on stderr when it takes longer than `delayMs` and
 * stderr is a terminal. The spinner line is erased when the work ends.
 */
export async function withProgress<T>(io: CliIo, label: string, work: () => Promise<T>, delayMs = 2000): Promise<T> {
  if (io.stderr.isTTY !== true) return work();
  const started = Date.now();
  let frame = 0;
  let shown = false;
  const timer = setInterval(() => {
    const elapsed = Date.now() - started;
    if (elapsed < delayMs) return;
    shown = true;
    io.stderr.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label} (${Math.floor(elapsed / 1000)}s)`);
  }, 100);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    if (shown) io.stderr.write('\r\u001b[2K');
  }
}

/** `1 file`, `2 files`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
