/**
 * A format reader finds the entry tokens of a document and reports lines it
 * cannot read. It never throws: every line yields entries, nothing, or a problem.
 */
import type { Problem } from '../problem';

export interface TokenSink {
  /** An entry's text is `text[start, end)` on zero-based line `line`. */
  entry(start: number, end: number, line: number): void;
  problem(problem: Problem, line: number): void;
}

export type FormatReader = (text: string, sink: TokenSink) => void;

/**
 * Calls `visit(start, end, line)` for each line of `text`, without its line
 * break (`\n` or `\r\n`); a final line without a newline counts too.
 */
export function forEachLine(text: string, visit: (start: number, end: number, line: number) => void): void {
  let line = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    const next = end < 0 ? text.length : end + 1;
    if (end < 0) end = text.length;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    visit(start, end, line++);
    start = next;
  }
}
