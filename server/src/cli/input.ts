/** Reading the files named on the command line, and choosing how to read each. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Format } from '../core/formats/format';
import { detectFormat, FORMATS, formatById } from '../core/formats/registry';
import { UsageError } from './args';

/** The file's text ("-" is standard input). Unreadable files are usage errors: exit status 2. */
export function readText(file: string): string {
  try {
    // Reading bytes then decoding is faster here than readFileSync's own 'utf8' path.
    return readFileSync(file === '-' ? 0 : file).toString('utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`Cannot read "${file}": ${reason}. Check the path, or pass "-" to read standard input.`);
  }
}

/** The format named by --input-format, or the one detected from the file's name and text. */
export function formatOf(file: string, text: string, inputFormat: string | undefined): Format {
  if (inputFormat !== undefined && !formatById(inputFormat)) {
    throw new UsageError(`Unknown input format "${inputFormat}". Formats: ${FORMATS.map((f) => f.id).join(', ')}.`);
  }
  return detectFormat(file === '-' ? '' : basename(file), text, inputFormat as Format['id'] | undefined);
}
