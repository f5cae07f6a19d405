/**
 * Buffered standard output written as bytes: IPv4 addresses go from numbers
 * to digits without an intermediate string, and the buffer is written once
 * a megabyte, synchronously, so output is complete before the process exits.
 * A reader that goes away (`| head`) ends the output quietly; a write that
 * fails (a full disk) is an OutputError, one line for the user.
 */
import { writeSync } from 'node:fs';
import { formatIPv6 } from '../core';
import { DASH, DOT, LF, SLASH } from '../core/primitives/charCodes';

const CAPACITY = 1 << 20;

/** The decimal digits of 0…255 (octets and prefix lengths): at n × 4 their count, then the digits as bytes. */
const DECIMALS = new Uint8Array(256 * 4);
for (let n = 0; n < 256; n++) {
  const digits = String(n);
  DECIMALS[n * 4] = digits.length;
  for (let k = 0; k < digits.length; k++) DECIMALS[n * 4 + 1 + k] = digits.charCodeAt(k);
}

export class Output {
  private readonly buffer = Buffer.allocUnsafe(CAPACITY);
  private length = 0;

  /** Written to file descriptor `fd`: standard output unless a test says otherwise. */
  constructor(private readonly fd = 1) {}

  /** A line of text. */
  line(text: string): void {
    this.write(text);
    this.byte(LF);
  }

  /** Text as it is. */
  write(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (bytes > CAPACITY) {
      this.flush();
      const encoded = Buffer.from(text);
      writeFully(this.fd, encoded, encoded.length);
      return;
    }
    this.room(bytes);
    this.length += this.buffer.write(text, this.length);
  }

  /** `network/prefix` on a line of its own. */
  cidrLine(network: number | bigint, prefix: number): void {
    this.address(network);
    this.room(5);
    this.buffer[this.length++] = SLASH;
    this.decimal(prefix);
    this.buffer[this.length++] = LF;
  }

  /** `start-end` on a line of its own. */
  rangeLine(start: number | bigint, end: number | bigint): void {
    this.address(start);
    this.byte(DASH);
    this.address(end);
    this.byte(LF);
  }

  flush(): void {
    writeFully(this.fd, this.buffer, this.length);
    this.length = 0;
  }

  /** IPv4 numbers are written digit by digit; IPv6 goes through its formatter. */
  private address(x: number | bigint): void {
    if (typeof x === 'bigint') {
      this.write(formatIPv6(x));
      return;
    }
    this.room(15);
    this.decimal(x >>> 24);
    this.buffer[this.length++] = DOT;
    this.decimal((x >>> 16) & 255);
    this.buffer[this.length++] = DOT;
    this.decimal((x >>> 8) & 255);
    this.buffer[this.length++] = DOT;
    this.decimal(x & 255);
  }

  /** 0…255, into room already made. */
  private decimal(value: number): void {
    const at = value * 4;
    const length = DECIMALS[at];
    this.buffer[this.length++] = DECIMALS[at + 1];
    if (length > 1) this.buffer[this.length++] = DECIMALS[at + 2];
    if (length > 2) this.buffer[this.length++] = DECIMALS[at + 3];
  }

  private byte(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  private room(bytes: number): void {
    if (this.length + bytes > CAPACITY) this.flush();
  }
}

/** Standard output could not be written: the message says why, for one line on stderr (exit status 2). */
export class OutputError extends Error {}

/** The reader of standard output went away (`| head`): what is left to write has no one to read it. */
class OutputClosed extends Error {}

/** Runs `write`, which writes to `out`, and flushes; a reader that goes away ends the output there, quietly, and the command keeps its exit status. */
export function writeUntilClosed(out: Output, write: () => void): void {
  try {
    write();
    out.flush();
  } catch (error) {
    if (!(error instanceof OutputClosed)) throw error;
  }
}

function writeFully(fd: number, bytes: Uint8Array, length: number): void {
  let offset = 0;
  while (offset < length) {
    try {
      offset += writeSync(fd, bytes, offset, length - offset);
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE') throw new OutputClosed();
      throw new OutputError(`Cannot write to standard output (${message}). Check that where it goes, a file, a disk or a pipe, can take it.`);
    }
  }
}
