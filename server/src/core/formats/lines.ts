/** Building blocks shared by the line-oriented format readers. */
import { isBlank, ParsedEntry } from '../entry';
import { parseIPv4 } from '../ipv4';
import type { Problem } from '../problem';
import { forEachLine, type EntryRole, type FormatReader, type TokenSink } from './format';

/**
 * A reader that hands each line's content to `readLine`, without the line
 * break and without a `comment` (`#` unless the format has none: null),
 * whole-line or after blanks, and skips blank lines.
 */
export function lineReader(readLine: (text: string, start: number, end: number, line: number, sink: TokenSink) => void, comment: string | null = '#'): FormatReader {
  return (text, sink) =>
    forEachLine(text, (lineStart, lineEnd, line) => {
      const contentEnd = comment === null ? lineEnd : commentFree(text, lineStart, lineEnd, comment);
      const [start, end] = trim(text, lineStart, contentEnd);
      if (start < end) readLine(text, start, end, line, sink);
    });
}

/** Where a `comment` marker at the line start or after a blank begins, or `end`. */
export function commentFree(text: string, start: number, end: number, comment: string): number {
  for (let at = text.indexOf(comment, start); at >= 0 && at < end; at = text.indexOf(comment, at + 1)) {
    if (at === start || isBlank(text.charCodeAt(at - 1))) return at;
  }
  return end;
}

/** [start, end) without leading and trailing blanks. */
export function trim(text: string, start: number, end: number): [number, number] {
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return [start, end];
}

/** Reports the entry in `text[start, end)`, trimmed; nothing if only blanks. */
export function emit(sink: TokenSink, text: string, start: number, end: number, line: number, role: EntryRole = 'block', parsed?: ParsedEntry): void {
  [start, end] = trim(text, start, end);
  if (start < end) sink.entry(start, end, line, parsed, role);
}

/** Reports every match of `pattern` (a global regex whose group 1 is the address) in the line as an entry. */
export function emitMatches(sink: TokenSink, text: string, start: number, end: number, line: number, pattern: RegExp, role: EntryRole = 'block'): void {
  const content = text.slice(start, end);
  for (const match of content.matchAll(pattern)) {
    const at = start + match.index + match[0].indexOf(match[1]);
    emit(sink, text, at, at + match[1].length, line, role);
  }
}

export function expected(sink: TokenSink, start: number, end: number, line: number, what: string): void {
  sink.problem({ code: 'invalid-entry', start, end, message: `Expected ${what}.` }, line);
}

const scratch = new ParsedEntry();

/**
 * An IPv4 address written with fewer than four octets, or a trailing dot
 * (`10.1`, `10.1.`): the network of that many octets (10.1.0.0/16), as
 * Apache and hosts.deny read it. Returns the entry, or undefined with a
 * problem pushed.
 */
export function parsePartialIPv4(text: string, start: number, end: number, problems: Problem[]): ParsedEntry | undefined {
  const bodyEnd = text.charCodeAt(end - 1) === 0x2e ? end - 1 : end;
  let octets = 1;
  for (let i = start; i < bodyEnd; i++) if (text.charCodeAt(i) === 0x2e) octets++;
  if (octets > 4) return undefined;
  const address = parseIPv4(text, start, bodyEnd, problems, octets);
  if (address < 0) return undefined;
  scratch.version = 4;
  scratch.form = octets === 4 ? 'address' : 'glob';
  scratch.prefix = 8 * octets;
  scratch.lo4 = address;
  scratch.hi4 = address + 2 ** (32 - 8 * octets) - 1;
  return scratch;
}
