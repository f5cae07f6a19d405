/** The worker thread of filePreload.ts: reads the file into the shared memory, then says whether it could. */
import { closeSync, openSync, readSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { FAILED, READ, type PreloadJob } from './filePreload';

const { file, shared, size } = workerData as PreloadJob;
const state = new Int32Array(shared, shared.byteLength - 4, 1);
let outcome = FAILED;
try {
  const bytes = new Uint8Array(shared, 0, size);
  const fd = openSync(file, 'r');
  try {
    let [read, n] = [0, 0];
    do {
      n = readSync(fd, bytes, read, size - read, read);
      read += n;
    } while (n > 0 && read < size);
    if (read === size) outcome = READ;
  } finally {
    closeSync(fd);
  }
} finally {
  Atomics.store(state, 0, outcome);
  Atomics.notify(state, 0);
}
