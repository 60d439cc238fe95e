// A client of the oracle (oracle/, Argo CD v3.5.1's own code as a Go program): one process per test
// file, kept running, asked over its JSON-lines protocol. Requests are pipelined: ask() writes at
// once and resolves when the answer with the same id comes back, so a property test can send a
// whole batch before it waits.
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as readline from 'readline';

/** One answer of the oracle: `ok` false carries Argo CD's own error text in `error`. */
export interface OracleAnswer<T = any> {
  readonly ok: boolean;
  readonly result?: T;
  readonly error?: string;
  /** true when the oracle did not understand the request (a bug in the test, not an answer) */
  readonly protocol?: boolean;
}

class Oracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, (a: OracleAnswer) => void>();
  private nextId = 1;
  private stderr = '';
  private exited: string | undefined;

  constructor(binary: string) {
    this.child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      const a = JSON.parse(line);
      const resolve = this.pending.get(a.id);
      if (!resolve) throw new Error(`oracle answered an unknown id: ${line.slice(0, 200)}`);
      this.pending.delete(a.id);
      resolve(a);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = `oracle exited (${signal ?? code}): ${this.stderr.slice(-2000)}`;
      for (const resolve of this.pending.values()) resolve({ ok: false, error: this.exited, protocol: true });
      this.pending.clear();
    });
  }

  /** Asks one question; rejects only on a protocol error (unknown op, malformed input, crash). */
  async ask<T = any>(op: string, input?: unknown): Promise<OracleAnswer<T>> {
    if (this.exited) throw new Error(this.exited);
    const id = this.nextId++;
    const answer = new Promise<OracleAnswer<T>>((resolve) => this.pending.set(id, resolve));
    this.child.stdin.write(`${JSON.stringify({ id, op, input })}\n`);
    const a = await answer;
    if (a.protocol) throw new Error(`oracle: ${op}: ${a.error}`);
    return a;
  }

  /** Asks many questions at once (pipelined) and returns the answers in order. */
  askAll<T = any>(op: string, inputs: readonly unknown[]): Promise<OracleAnswer<T>[]> {
    return Promise.all(inputs.map((input) => this.ask<T>(op, input)));
  }

  close(): void {
    this.child.stdin.end();
  }
}

let shared: Oracle | undefined;

/** The oracle of this test file (started on first use, ended when the test process exits). */
export function oracle(): Oracle {
  if (!shared) {
    const binary = process.env.CDK8S_ARGOCD_ORACLE;
    if (!binary) throw new Error('CDK8S_ARGOCD_ORACLE is not set: run the differential tests with `npm run test:argo`');
    shared = new Oracle(binary);
    process.once('beforeExit', () => shared?.close());
  }
  return shared;
}

/**
 * fast-check parameters of a differential property: `--runs N` (ARGO_RUNS) overrides the test's
 * own count; `--seed S` (ARGO_SEED) replays a run. fast-check prints the seed and the shrunk
 * counterexample of any failure; the seed of every run is printed here too, so a passing run can
 * be repeated.
 */
export function argoRuns(defaultRuns: number, name: string): { numRuns: number; seed: number } {
  const numRuns = process.env.ARGO_RUNS ? Number(process.env.ARGO_RUNS) : defaultRuns;
  const seed = process.env.ARGO_SEED ? Number(process.env.ARGO_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  // eslint-disable-next-line no-console
  console.log(`${name}: ${numRuns} random cases, seed ${seed} (replay: npm run test:argo -- --seed ${seed})`);
  return { numRuns, seed };
}

/** Records a domain's count of compared cases for the README's "Checked against Argo CD" table. */
export function recordCases(domain: string, compared: number, agreed: number): void {
  // eslint-disable-next-line no-console
  console.log(`[argo-cases] ${JSON.stringify({ domain, compared, agreed })}`);
}
