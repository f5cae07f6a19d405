/**
 * A file read ahead on libuv's thread pool, for a process that needs it soon
 * but has other work first: the server its start, the CLI the lists it
 * audits. The read, and the first touch of the memory it fills (most of its
 * cost on a virtual machine: about 40 ms for the 14 MB ASN index here), then
 * happen on another core, beside that work; no worker thread is started.
 */
import { closeSync, fstatSync, openSync, read, readFileSync, statSync } from 'node:fs';

export class FilePrefetch {
  private bytes: Uint8Array | undefined;
  /** Settles once the read ahead is over, however it went. */
  readonly done: Promise<void>;

  constructor(private readonly file: string) {
    this.done = new Promise((resolve) => this.start(resolve));
  }

  /** The file's bytes: those read ahead once that read is over and whole, else read now (which throws what the read meets). */
  read(): Uint8Array {
    return this.bytes ?? readFileSync(this.file);
  }

  private start(finish: () => void): void {
    let fd: number;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(statSync(this.file).size);
      fd = openSync(this.file, 'r');
    } catch {
      return finish(); // the read at use tells what is wrong
    }
    const readFrom = (at: number) =>
      read(fd, bytes, at, bytes.length - at, at, (error, n) => {
        if (!error && n > 0 && at + n < bytes.length) return readFrom(at + n);
        // A file cut short since its size was taken is read again at use: so is one cut while it was read, whose last
        // bytes a read may have given as zeros, and which only its size now tells.
        if (!error && at + n === bytes.length && fstatSync(fd).size === bytes.length) this.bytes = bytes;
        closeSync(fd);
        finish();
      });
    readFrom(0);
  }
}
