/**
 * The feed cache folder. A cached file is replaced whole: the new text goes
 * to a temporary file of its own in the same folder, which is then renamed
 * over the old one. rename() is atomic, so a reader sees the old file or the
 * new one, never part of either, and processes sharing the folder (two
 * servers) need no lock file: each writes its own temporary file and the last
 * rename wins with a whole feed. Within one process the work on one file also
 * takes turns (`exclusive`), so that one feed is not downloaded twice at once.
 *
 * The cache is private: the folder is 0700 and its files 0600, as a feed may
 * come from a file only its owner could read. A symbolic link in its place
 * (the folder, or a cached file) is refused, never followed: links are
 * checked with lstat and files opened with O_NOFOLLOW, so a link made between
 * the check and the open fails the open.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, promises as fs, lstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';

/** O_NOFOLLOW where the system has it (not Windows, where the lstat checks stand alone). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const PRIVATE_FOLDER = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Per cache file, the end of the last task queued on it in this process. One
 * table for the process, as its files are: stores of the same folder made by
 * different requests take turns too. A key goes when its last task ends.
 */
const queues = new Map<string, Promise<void>>();

export class FeedCache {
  constructor(readonly directory: string) {}

  /** Creates the folder, private, if needed; makes an existing one private; throws, saying what to do, when it is a link or not a folder. */
  async prepare(): Promise<void> {
    // Made only where nothing is: mkdir would follow a dangling link.
    if (!lstatOrUndefined(this.directory)) await fs.mkdir(this.directory, { recursive: true, mode: PRIVATE_FOLDER });
    const folder = await fs.lstat(this.directory);
    this.checkFolder(folder);
    if ((folder.mode & 0o077) !== 0 && process.platform !== 'win32') await fs.chmod(this.directory, PRIVATE_FOLDER);
  }

  /** The text of cached file `name`, or undefined when it was never written; throws, saying what to do, on a link or anything but a plain file. */
  read(name: string): string | undefined {
    return this.readBytes(name)?.toString('utf8');
  }

  /** `read`, as bytes. */
  readBytes(name: string): Buffer | undefined {
    const folder = lstatOrUndefined(this.directory);
    if (!folder) return undefined;
    this.checkFolder(folder);
    const file = join(this.directory, name);
    const stats = lstatOrUndefined(file);
    if (!stats) return undefined;
    checkFile(stats, file);
    let fd: number;
    try {
      fd = openSync(file, constants.O_RDONLY | NO_FOLLOW);
    } catch (error) {
      throw isLinkRefused(error) ? new Error(linkedFile(file)) : error;
    }
    try {
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Replaces cached file `name` with `text`, whole (see above), as a file only its owner reads. */
  async write(name: string, text: string | Uint8Array): Promise<void> {
    await this.prepare();
    const file = join(this.directory, name);
    const existing = lstatOrUndefined(file);
    if (existing) checkFile(existing, file); // rename() would replace a link, not follow it, but the user should hear of it
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.open(temporary, 'wx', PRIVATE_FILE); // never an existing file, nor a link
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

  private checkFolder(stats: Stats): void {
    if (stats.isSymbolicLink()) {
      throw new Error(
        `The feed cache ${this.directory} is a symbolic link, which is never followed: remove the link, and a private folder is made in its place at the next refresh.`,
      );
    }
    if (!stats.isDirectory()) throw new Error(`The feed cache ${this.directory} is not a folder: move it away and refresh the feeds.`);
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

function checkFile(stats: Stats, file: string): void {
  if (stats.isSymbolicLink()) throw new Error(linkedFile(file));
  if (!stats.isFile()) throw new Error(`The cached feed ${file} is not a plain file: delete it and refresh the feeds.`);
}

function linkedFile(file: string): string {
  return `The cached feed ${file} is a symbolic link, which is never followed: delete it and refresh the feeds.`;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** O_NOFOLLOW met a link: ELOOP on Linux and macOS, EMLINK on FreeBSD. */
function isLinkRefused(error: unknown): boolean {
  return code(error) === 'ELOOP' || code(error) === 'EMLINK';
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
