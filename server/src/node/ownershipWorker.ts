/** The worker thread of an ownership data update: compiles the job it is given (ownershipCompile.ts) and posts the outcome, the index's bytes moved, not copied. */
import { parentPort, workerData } from 'node:worker_threads';
import { compileDownload, type CompileJob } from './ownershipCompile';

const outcome = compileDownload(workerData as CompileJob);
parentPort?.postMessage(outcome, 'index' in outcome ? [outcome.index.bytes.buffer as ArrayBuffer] : []);
