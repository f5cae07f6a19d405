/**
 * The feed cache folder. A cached file is replaced whole: the new text goes
 * to a temporary file of its own in the same folder, which is then renamed
 * over the old one. rename() is atomic, so a reader sees the old file or the
 * new one, never part of either, and processes sharing the folder (two
 * servers) need no lock file: each writes its own temporary file and the last
 * rename wins with a whole feed. Within one process the work on one file also
 * takes turns (`exclusive`), so that one feed is not downloaded twice at once.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Per cache file, the end of the last task queued on it in this process. One
 * table for the process, as its files are: stores of the same folder made by
 * different requests take turns too. A key goes when its last task ends.
 */
const queues = new Map<string, Promise<void>>();

export class FeedCache {
  constructor(readonly directory: string) {}

  /** Creates the folder if needed. */
  async prepare(): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true });
  }

  /** The text of cached file `name`, or undefined when it was never written. */
  read(name: string): string | undefined {
    try {
      return readFileSync(join(this.directory, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Replaces cached file `name` with `text`, whole (see above). */
  async write(name: string, text: string): Promise<void> {
    await this.prepare();
    const file = join(this.directory, name);
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.open(temporary, 'wx');
    try {
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
  }

  /** Runs `task` once every task queued before on file `name` in this process has ended; a wait cancelled by `signal` fails with "Cancelled.". */
  async exclusive<T>(name: string, signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    const key = resolve(this.directory, name);
    const previous = queues.get(key);
    let end = () => undefined as void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    // The next task waits for this one and for every one before it, even when this one is cancelled while waiting.
    const last = previous ? previous.then(() => ended) : ended;
    queues.set(key, last);
    try {
      if (previous) await untilEnded(previous, signal);
      return await task();
    } finally {
      end();
      if (queues.get(key) === last) queues.delete(key);
    }
  }
}

function untilEnded(previous: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return previous;
  return new Promise((resolve, reject) => {
    const cancel = () => reject(new Error('Cancelled.'));
    if (signal.aborted) cancel();
    else {
      signal.addEventListener('abort', cancel, { once: true });
      void previous.then(() => {
        signal.removeEventListener('abort', cancel);
        resolve();
      });
    }
  });
}
