// The writer thread itself (see `_writer-thread.ts`): YAML for each manifest it is given, written
// into the staging directory; a second copy of every file once the main thread says synthesis
// succeeded, when asked for one. Loaded only as a worker's script; importing it elsewhere does
// nothing.
import { parentPort, workerData } from 'worker_threads';
import { dumpYaml } from '../_internal/yaml';
import { FileToWrite, TreeWriter, writeFiles } from './_write';
import { Slot, Status, WRITER_THREAD_MARK, WriterMessage, WriterThreadData } from './_writer-thread';

function run(data: WriterThreadData): void {
  const state = new Int32Array(data.state);
  const copies: FileToWrite[] | undefined = data.copyTo !== undefined ? [] : undefined;
  let staging: TreeWriter | undefined;
  const settle = (status: number) => {
    Atomics.store(state, Slot.STATUS, status);
    Atomics.notify(state, Slot.STATUS);
  };
  parentPort!.on('message', (message: WriterMessage) => {
    if (Atomics.load(state, Slot.STATUS) !== Status.RUNNING) return;
    try {
      switch (message.kind) {
        case 'files':
          for (const f of message.files) {
            if (Atomics.load(state, Slot.ABORT) === 1) {
              settle(Status.ABORTED);
              return;
            }
            const content = dumpYaml(f.manifest);
            staging ??= new TreeWriter(data.staging);
            staging.write(f.path, content);
            copies?.push({ path: f.path, content });
            Atomics.add(state, Slot.WRITTEN, 1);
          }
          break;
        case 'end':
          if (copies) writeFiles(data.copyTo!, copies);
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
}

if (parentPort && workerData && (workerData as WriterThreadData)[WRITER_THREAD_MARK] === true) {
  run(workerData as WriterThreadData);
}
