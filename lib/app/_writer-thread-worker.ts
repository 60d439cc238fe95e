// The writer thread itself (see `_writer-thread.ts`): YAML for each manifest it is given, written
// into the staging directory (one file each, or records of one bundle file; when the staging
// directory is the previous output, it is listed first and what was not written is removed at the
// end, see `TreeWriter`); a hard link to every file in a second directory once the main thread
// says synthesis succeeded, when asked for one (see `linkFiles`); and once the new output is in place, parts of the previous output,
// removed together with the main thread (see `WriterThread.removeTree`). Loaded only as a worker's
// script; importing it elsewhere does nothing.
import * as path from 'path';
import { parentPort, workerData } from 'worker_threads';
import { dumpYaml } from '../_internal/yaml';
import { BUNDLE_FILE, BundleWriter } from './_bundle';
import { FileToWrite, linkFiles, removeClaimedUnits, TreeWriter } from './_write';
import { Slot, Status, WRITER_THREAD_MARK, WriterMessage, WriterThreadData } from './_writer-thread';

function run(data: WriterThreadData): void {
  const state = new Int32Array(data.state);
  const copies: string[] | undefined = data.copyTo !== undefined ? [] : undefined;
  let staging: TreeWriter | undefined;
  let bundle: BundleWriter | undefined;
  const settle = (status: number) => {
    // the thread's file descriptors are the process's: never leave the bundle open
    if (bundle) {
      const b = bundle;
      bundle = undefined;
      try {
        b.close();
      } catch {
        if (status === Status.DONE) status = Status.FAILED;
      }
    }
    Atomics.store(state, Slot.STATUS, status);
    Atomics.notify(state, Slot.STATUS);
  };
  let listingFailed = false;
  if (data.recycled && !data.bundle) {
    // the previous output to overwrite, listed while the main thread still validates
    try {
      staging = new TreeWriter(data.staging, true);
    } catch {
      listingFailed = true;
    }
  }
  parentPort!.on('message', (message: WriterMessage) => {
    if (message.kind === 'remove') {
      // after the swap: the previous output, removed together with the main thread
      removeClaimedUnits(message.plan, new Int32Array(message.shared));
      return;
    }
    if (Atomics.load(state, Slot.STATUS) !== Status.RUNNING) return;
    try {
      switch (message.kind) {
        case 'files': {
          // a bundle gets one write per batch
          const entries: FileToWrite[] = [];
          for (const f of message.files) {
            if (Atomics.load(state, Slot.ABORT) === 1) {
              settle(Status.ABORTED);
              return;
            }
            const content = f.content ?? dumpYaml(f.manifest);
            if (data.bundle) {
              entries.push({ path: f.path, content });
            } else {
              staging ??= new TreeWriter(data.staging);
              staging.write(f.path, content);
              copies?.push(f.path);
            }
            // counted file by file: the main thread reads the count to know how far behind the thread is
            Atomics.add(state, Slot.WRITTEN, 1);
          }
          if (data.bundle) {
            bundle ??= new BundleWriter(path.join(data.staging, BUNDLE_FILE));
            bundle.append(entries);
          }
          break;
        }
        case 'end':
          // an app with no objects still has an (empty) bundle; settle() closes it
          if (data.bundle) bundle ??= new BundleWriter(path.join(data.staging, BUNDLE_FILE));
          // what the previous output held and this one does not
          staging?.finish();
          if (copies) linkFiles(data.staging, data.copyTo!, copies);
          settle(Status.DONE);
          break;
        case 'abort':
          settle(Status.ABORTED);
          break;
      }
    } catch {
      // the main thread writes the files itself, and meets the error (if it is one) itself
      settle(Status.FAILED);
    }
  });
  Atomics.store(state, Slot.READY, 1);
  // the main thread writes the files itself, into a directory of its own
  if (listingFailed) settle(Status.FAILED);
}

if (parentPort && workerData && (workerData as WriterThreadData)[WRITER_THREAD_MARK] === true) {
  run(workerData as WriterThreadData);
}
