// The writer thread: at fleet scale, `ArgoCdApp.synth()` turns manifests into YAML and writes the
// files on a second thread while the main thread renders and checks the rest, so that serializing
// and writing (about half of a synthesis of 14,000 objects) overlap with rendering.
//
// The main thread posts each manifest as soon as it is rendered; the thread writes it into the
// staging directory (never into the output directory: the swap by rename stays on the main thread,
// after every check passed). `synth()` is synchronous, as cdk8s' is, so the main thread waits for
// the thread with `Atomics.wait` on a shared status word instead of an event. The thread is only an
// accelerator: when it cannot start or stops without finishing, the main thread writes the files
// itself, and any error is then the one a synthesis without the thread would raise.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { dumpYaml } from '../_internal/yaml';
import { ValidationError } from '../errors';
import { planRemoval, removeClaimedUnits, removeOutput, removeSkeleton, RemovalPlan, RemovalSlot } from './_write';

/** Marks the `workerData` of a writer thread. */
export const WRITER_THREAD_MARK = 'cdk8s-argocd.writerThread';

/** The environment variable that chooses whether `synth()` writes on a second thread. */
export const WRITER_THREAD_ENV = 'CDK8S_ARGOCD_WRITER_THREAD';

/** With `auto`, apps of at least this many objects are written on a second thread. */
export const WRITER_THREAD_MIN_OBJECTS = 2000;

/** Slots of the shared state (one Int32 each). */
export const Slot = {
  /** One of `Status`. */
  STATUS: 0,
  /** Files written so far. */
  WRITTEN: 1,
  /** Set to 1 by the main thread: stop writing. */
  ABORT: 2,
  /** Set to 1 by the thread once its code is loaded. */
  READY: 3,
} as const;

/** Values of `Slot.STATUS`. */
export const Status = {
  RUNNING: 0,
  DONE: 1,
  FAILED: 2,
  ABORTED: 3,
} as const;

/** What the main thread posts. */
export type WriterMessage =
  | { readonly kind: 'files'; readonly files: WriterFile[] }
  | { readonly kind: 'end' }
  | { readonly kind: 'abort' }
  | { readonly kind: 'remove'; readonly plan: RemovalPlan; readonly shared: SharedArrayBuffer };

/** One file posted to the thread: its manifest, or its YAML when the main thread wrote that. */
export interface WriterFile {
  readonly path: string;
  readonly manifest?: unknown;
  readonly content?: string;
}

/** What a writer thread is started with. */
export interface WriterThreadData {
  readonly [WRITER_THREAD_MARK]: true;
  /** The shared state (`Slot`), 4 Int32s. */
  readonly state: SharedArrayBuffer;
  /** The staging directory to write into. */
  readonly staging: string;
  /** A directory to write a second copy of every file into, once synthesis succeeded. */
  readonly copyTo?: string;
  /** Write the files as one bundle file in the staging directory (`_bundle.ts`), not one each. */
  readonly bundle?: boolean;
  /** Whether the staging directory holds the previous output to overwrite (see `TreeWriter`). */
  readonly recycled?: boolean;
}

const BATCH = 256;
/**
 * When the thread is this many files behind, the main thread turns the next batch into YAML
 * itself and posts the text (cheaper to post than the objects, and nothing left for the thread
 * but writing): the two threads share the serialization by how fast each goes, so that the
 * thread has little left to do once the main thread has rendered and checked everything. (In
 * one process, alternating, this took a fleet synthesis of 13,886 objects to 0.80 times the time
 * of posting every manifest as objects; posting them as JSON text instead made no difference
 * beyond that.)
 */
export const BACKLOG = 4 * BATCH;
/** How long the thread may take to load before the main thread gives up on it. */
const READY_TIMEOUT_MS = 10_000;
/** How long the thread may go without writing a file before the main thread gives up on it. */
const STALL_TIMEOUT_MS = 120_000;
/**
 * Into how many parts (at least, where the tree allows) the previous output is cut for the two
 * threads to remove: enough that one thread is not left with a large part at the end.
 */
const REMOVAL_UNITS = 64;
/** How long the removal may go without a part removed before this thread removes the rest alone. */
const REMOVAL_STALL_MS = 10_000;

/**
 * Whether an app of `objects` objects should be written on a second thread: `CDK8S_ARGOCD_WRITER_THREAD`
 * set to `always` or `never` decides; unset or `auto`, apps of at least 2,000 objects on a machine
 * with more than one core.
 */
export function writerThreadWanted(objects: number): boolean {
  const mode = process.env[WRITER_THREAD_ENV] ?? 'auto';
  switch (mode) {
    case 'always': return true;
    case 'never': return false;
    case 'auto':
    case '': return objects >= WRITER_THREAD_MIN_OBJECTS && availableCores() > 1;
    default:
      throw new ValidationError(`${WRITER_THREAD_ENV} is '${mode}'; use 'auto' (the default: a second thread for apps of ${WRITER_THREAD_MIN_OBJECTS} objects or more), 'always' or 'never'`);
  }
}

function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * The thread's script: `_writer-thread-worker` beside this file, with this file's extension (`.js`
 * when the library runs compiled; `.ts` from this repository's sources, compiled in the thread by
 * tsx, a dev dependency). Undefined when there is none (a bundle that left it out).
 */
function workerScript(): { file: string; execArgv?: string[] } | undefined {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `_writer-thread-worker${ext}`);
  if (!fs.existsSync(file)) return undefined;
  // the thread needs none of the process's own flags and preloads (a TypeScript loader that runs
  // the app, which would double the thread's start-up, a profiler, a tracer)
  if (ext !== '.ts') return { file, execArgv: [] };
  try {
    return { file, execArgv: [...process.execArgv, '--require', require.resolve('tsx/cjs')] };
  } catch {
    return undefined;
  }
}

/** The main thread's handle on a writer thread. */
export class WriterThread {
  /** The backlog at which the main thread writes YAML itself (`BACKLOG`; tests change it). */
  public static backlog = BACKLOG;

  /**
   * Whether the main thread removes parts of the previous output itself in `removeTree()` (tests
   * turn it off to see the thread remove every part).
   */
  public static mainRemoves = true;

  /**
   * Starts a thread that writes into `staging` (and, at the end, into `copyTo`), as one bundle file
   * with `bundle`, overwriting the previous output there with `recycled`; undefined when no thread
   * can be started here.
   */
  public static start(staging: string, copyTo?: string, bundle?: boolean, recycled?: boolean): WriterThread | undefined {
    const script = workerScript();
    if (!script) return undefined;
    const state = new SharedArrayBuffer(4 * 4);
    const data: WriterThreadData = { [WRITER_THREAD_MARK]: true, state, staging, copyTo, bundle, recycled };
    let worker: Worker;
    try {
      worker = new Worker(script.file, {
        workerData: data,
        execArgv: script.execArgv,
        // the thread allocates mostly short-lived YAML text: its young generation is capped so that
        // its heap stays small
        resourceLimits: { maxYoungGenerationSizeMb: 8 },
      });
    } catch {
      return undefined;
    }
    // never keep the process alive, and never let an error event (a thread that failed to load)
    // become an uncaught exception: the main thread learns of failures from the shared state
    worker.unref();
    worker.on('error', () => undefined);
    return new WriterThread(worker, new Int32Array(state));
  }

  /**
   * The parts of the last `removeTree()` done with the thread's help, and how many of them the
   * thread removed (undefined when the main thread removed the tree alone).
   */
  public lastRemoval?: { readonly units: number; readonly byThread: number };

  private batch: { path: string; manifest: unknown }[] = [];
  private posted = 0;
  private usable = true;
  private running = true;
  private readonly started = Date.now();

  private constructor(private readonly worker: Worker, private readonly state: Int32Array) {}

  /** Hands one file to the thread (posted in batches). */
  public add(file: string, manifest: unknown): void {
    if (!this.usable) return;
    this.batch.push({ path: file, manifest });
    if (this.batch.length >= BATCH) this.flush();
  }

  /**
   * Tells the thread that synthesis succeeded and waits for it to write everything.
   *
   * @param keep leave the thread running when it succeeded, for `removeTree()` (the caller stops it
   * with `removeTree()` or `abort()`)
   * @returns whether the thread wrote every file it was given (false: the caller writes them)
   */
  public finish(keep: boolean = false): boolean {
    if (!this.running) return false;
    if (this.usable) {
      this.flush();
      this.post({ kind: 'end' });
    }
    if (!this.usable) {
      this.stop();
      return false;
    }
    const ok = this.waitForStatus() === Status.DONE;
    if (!ok || !keep) this.stop();
    return ok;
  }

  /**
   * Removes the tree `dir` (the previous output, once the new one is in place) with the thread's
   * help, then stops the thread: both threads remove parts of it (`planRemoval`,
   * `removeClaimedUnits`), each as many as it gets to, and this thread the directories above them.
   * Unlinking 14,000 files is kernel time that two threads halve. Without a thread that finished
   * its writing, this thread removes the tree alone.
   */
  public removeTree(dir: string): void {
    try {
      if (!this.running || !this.usable || Atomics.load(this.state, Slot.STATUS) !== Status.DONE) {
        removeOutput(dir);
        return;
      }
      let plan: RemovalPlan;
      try {
        plan = planRemoval(dir, REMOVAL_UNITS);
      } catch {
        removeOutput(dir);
        return;
      }
      const shared = new Int32Array(new SharedArrayBuffer(2 * 4));
      this.post({ kind: 'remove', plan, shared: shared.buffer as SharedArrayBuffer });
      const byMain = WriterThread.mainRemoves ? removeClaimedUnits(plan, shared) : 0;
      // the parts the thread claimed: waited for while it makes progress
      let done = Atomics.load(shared, RemovalSlot.DONE);
      let progressAt = Date.now();
      while (done < plan.units.length) {
        Atomics.wait(shared, RemovalSlot.DONE, done, 250);
        const now = Atomics.load(shared, RemovalSlot.DONE);
        if (now !== done) {
          done = now;
          progressAt = Date.now();
        } else if (Date.now() - progressAt > REMOVAL_STALL_MS) {
          break;
        }
      }
      this.lastRemoval = { units: plan.units.length, byThread: done - byMain };
      removeSkeleton(plan);
    } finally {
      this.stop();
    }
  }

  /** Stops the thread (synthesis failed): returns once it writes no more. */
  public abort(): void {
    this.stop();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    const behind = this.posted - Atomics.load(this.state, Slot.WRITTEN);
    this.posted += batch.length;
    if (behind >= WriterThread.backlog) {
      let files: WriterFile[] | undefined;
      try {
        files = batch.map((f) => ({ path: f.path, content: dumpYaml(f.manifest) }));
      } catch {
        // a value the YAML writer refuses: posted as it is, the thread fails on it and the main
        // thread's own writing names it
      }
      this.post({ kind: 'files', files: files ?? batch });
      return;
    }
    this.post({ kind: 'files', files: batch });
  }

  private post(message: WriterMessage): void {
    try {
      this.worker.postMessage(message);
    } catch {
      // a value structured cloning refuses (the main thread's YAML writer will name it)
      this.usable = false;
    }
  }

  /** Waits until the thread leaves RUNNING, or seems gone; returns the status (FAILED when gone). */
  private waitForStatus(): number {
    let written = Atomics.load(this.state, Slot.WRITTEN);
    let progressAt = Date.now();
    for (;;) {
      Atomics.wait(this.state, Slot.STATUS, Status.RUNNING, 250);
      const status = Atomics.load(this.state, Slot.STATUS);
      if (status !== Status.RUNNING) return status;
      const now = Date.now();
      const w = Atomics.load(this.state, Slot.WRITTEN);
      if (w !== written) {
        written = w;
        progressAt = now;
      }
      const ready = Atomics.load(this.state, Slot.READY) === 1;
      if ((!ready && now - this.started > READY_TIMEOUT_MS) || (ready && now - progressAt > STALL_TIMEOUT_MS)) return Status.FAILED;
    }
  }

  /** Asks the thread to stop writing, waits until it has (when it runs at all), and ends it. */
  private stop(): void {
    if (!this.running) return;
    this.running = false;
    this.usable = false;
    if (Atomics.load(this.state, Slot.STATUS) === Status.RUNNING) {
      Atomics.store(this.state, Slot.ABORT, 1);
      this.post({ kind: 'abort' });
      if (Atomics.load(this.state, Slot.READY) === 1) {
        // it checks the flag before every file
        Atomics.wait(this.state, Slot.STATUS, Status.RUNNING, 5_000);
      }
    }
    void this.worker.terminate();
  }
}
