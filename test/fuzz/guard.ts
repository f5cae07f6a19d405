/**
 * The guard against hangs: a suite of cases runs in a worker thread that
 * says which case it is on and announces each step of work; a step that runs
 * past ten times the 1 s budget ends the worker, and the test fails with the
 * case (so a loaded machine cannot fail it, and a stall cannot hang `npm test`).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';
import { SEED } from './property';

/** Ten times the budget of 1 s from input to findings. */
export const STEP_LIMIT_MS = 10_000;

type Message =
  | { readonly kind: 'case'; readonly input: string }
  | { readonly kind: 'step'; readonly what: string }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly message: string };

/** Runs the worker script `script` (a compiled file beside this one) with `data`; rejects on a failure it reports, or when a step overruns. */
export function runGuarded(script: string, data: unknown): Promise<void> {
  return new Promise((done, fail) => {
    const worker = new Worker(resolve(__dirname, script), { workerData: data });
    let input = '';
    let what = 'start';
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (error) fail(error);
      else done();
    };
    const overrun = () => {
      // The whole case goes to a file: it may be a megabyte.
      const file = resolve(__dirname, `hang-${SEED}.json`);
      writeFileSync(file, input);
      settle(new Error(`"${what}" ran over ${STEP_LIMIT_MS / 1000} s (ten times the budget) with FUZZ_SEED=${SEED} on this case (all of it in ${file}):\n${input.slice(0, 2000)}`));
    };
    let timer = setTimeout(overrun, STEP_LIMIT_MS);
    worker.on('message', (message: Message) => {
      clearTimeout(timer);
      timer = setTimeout(overrun, STEP_LIMIT_MS);
      if (message.kind === 'case') input = message.input;
      else if (message.kind === 'step') what = message.what;
      else if (message.kind === 'done') settle();
      else settle(new Error(message.message));
    });
    worker.on('error', (error) => settle(error));
    worker.on('exit', (code) => settle(new Error(`The fuzz worker ${script} exited with code ${code} before it finished.`)));
  });
}

/** To the guard; outside a worker (a property run by hand, to debug it) nothing listens. */
function post(message: Message): void {
  parentPort?.postMessage(message);
}

/** In the worker: the case now being tried, as readable text. */
export function beginCase(input: string): void {
  post({ kind: 'case', input });
}

/** In the worker: a step of work that must end within STEP_LIMIT_MS begins. */
export function beginStep(what: string): void {
  post({ kind: 'step', what });
}

/** In the worker: runs the suite and reports how it ended. */
export function reportEnd(suite: Promise<void>): void {
  suite.then(
    () => post({ kind: 'done' }),
    (error: unknown) => post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
}
