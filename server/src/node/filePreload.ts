/**
 * A file read in a worker thread, for a process that needs it soon but has
 * other work first: the server its start, the CLI the list it audits. The
 * read, and the first touch of the memory it fills (most of its cost on a
 * virtual machine: 45 ms for the 14 MB ASN index here), then happen beside
 * that work, into memory the main thread uses as it is.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The states of a preload, in the Int32 after the file's bytes. */
export const READING = 0;
export const READ = 1;
export const FAILED = 2;

/** What the worker (preloadWorker.ts) is given. */
export interface PreloadJob {
  readonly file: string;
  readonly shared: SharedArrayBuffer;
  readonly size: number;
}

/** The longest the main thread waits for the worker before it reads the file itself (a worker that could not start never says so). */
const WAIT_MS = 2000;

/** Starts reading `file`; the function returned gives its bytes, waiting for the worker if need be, or reading them itself if the worker failed. */
export function preloadFile(file: string): () => Uint8Array {
  const readHere = () => readFileSync(file);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return readHere; // its error, from the read, says what is wrong
  }
  // A worker whose script is missing could not say so: the main thread would wait WAIT_MS for nothing.
  const worker = join(__dirname, 'preloadWorker.js');
  if (!existsSync(worker)) return readHere;
  const at = Math.ceil(size / 4) * 4;
  const shared = new SharedArrayBuffer(at + 4);
  const state = new Int32Array(shared, at, 1);
  try {
    const job: PreloadJob = { file, shared, size };
    new Worker(worker, { workerData: job }).unref();
  } catch {
    return readHere;
  }
  return () => {
    Atomics.wait(state, 0, READING, WAIT_MS);
    return Atomics.load(state, 0) === READ ? new Uint8Array(shared, 0, size) : readHere();
  };
}
