/** Buffered writing to standard output: one write per megabyte, not per line. */
import { writeSync } from 'node:fs';

const FLUSH_AT = 1 << 20;

export class Output {
  private buffer = '';

  line(text: string): void {
    this.buffer += text + '\n';
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    writeAll(this.buffer);
    this.buffer = '';
  }
}

/** Synchronous, so output is complete before the process exits; a closed pipe (`| head`) ends quietly. */
function writeAll(text: string): void {
  const bytes = Buffer.from(text);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE') process.exit(0);
      throw error;
    }
  }
}
