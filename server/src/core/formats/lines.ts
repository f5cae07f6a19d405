/**
 * Building blocks shared by the format readers: lines without their comments,
 * blanks and words scanned by character code (bounded by the line, so that a
 * search never runs on into the rest of a big document), and the address
 * forms some formats add to `parseEntry`'s.
 */
import { isBlank, ParsedEntry } from '../document/entry';
import { IPV4, IPV6, type Family } from '../addresses/family';
import { parseIPv4 } from '../addresses/ipv4';
import type { Problem } from '../document/problem';
import { COLON, DASH, DOT, HASH, NINE, SLASH, ZERO } from '../primitives/charCodes';
import { forEachLine, type EntryMeaning, type EntryRole, type FormatReader, type TokenSink } from './format';
import { quote } from '../primitives/excerpt';

export const QUOTE = 0x22;
export const APOSTROPHE = 0x27;
export const COMMA = 0x2c;
export const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;

export type LineVisitor = (text: string, start: number, end: number, line: number, sink: TokenSink) => void;

/**
 * Where a format's `#` comments may stand: only at the start of a line
 * (`'line'`), or also after a blank at the end of an entry (`'trailing'`).
 */
export type HashComments = 'line' | 'trailing';

/**
 * A reader that hands `readLine` each line's content: without its line
 * break, its surrounding blanks and its `#` comment. Blank lines and comment
 * lines (which include the `# blocklist-format:` directive) are skipped.
 */
export function lineReader(readLine: LineVisitor, comments: HashComments = 'trailing'): FormatReader {
  return (text, sink) =>
    forEachLine(text, (lineStart, lineEnd, line) => {
      const start = skipBlanks(text, lineStart, lineEnd);
      if (start === lineEnd || text.charCodeAt(start) === HASH) return;
      const end = trimEnd(text, start, comments === 'trailing' ? trailingComment(text, start, lineEnd) : lineEnd);
      if (start < end) readLine(text, start, end, line, sink);
    });
}

/** Where a `#` that follows a blank begins, or `end`. */
export function trailingComment(text: string, start: number, end: number): number {
  for (let i = start + 1; i < end; i++) {
    if (text.charCodeAt(i) === HASH && isBlank(text.charCodeAt(i - 1))) return i;
  }
  return end;
}

export function skipBlanks(text: string, i: number, end: number): number {
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  return i;
}

export function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return end;
}

/** [start, end) without leading and trailing blanks. */
export function trim(text: string, start: number, end: number): [number, number] {
  start = skipBlanks(text, start, end);
  return [start, trimEnd(text, start, end)];
}

/**
 * The end of the word starting at `i`: the next blank outside double quotes
 * (inside them a backslash escapes the next character), or `end`.
 */
export function wordEnd(text: string, i: number, end: number): number {
  let quoted = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) quoted = false;
    } else if (c === QUOTE) {
      quoted = true;
    } else if (isBlank(c)) {
      return i;
    }
  }
  return end;
}

/** The span of a word without the quotes around it, double or single, if it has them: as nginx and Apache read an argument. */
export function unquotedSpan(text: string, start: number, end: number): [number, number] {
  const quote = text.charCodeAt(start);
  return (quote === QUOTE || quote === APOSTROPHE) && end - start >= 2 && text.charCodeAt(end - 1) === quote ? [start + 1, end - 1] : [start, end];
}

/** Whether `text[start, end)` is `word` (ASCII case ignored when asked). */
export function wordIs(text: string, start: number, end: number, word: string, ignoreCase = false): boolean {
  if (end - start !== word.length) return false;
  if (!ignoreCase) return text.startsWith(word, start);
  for (let i = 0; i < word.length; i++) {
    if ((text.charCodeAt(start + i) | 0x20) !== (word.charCodeAt(i) | 0x20)) return false;
  }
  return true;
}

/** The first `code` in `text[start, end)`, or -1. */
export function indexIn(text: string, code: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** The last `code` in `text[start, end)`, or -1. */
export function lastIndexIn(text: string, code: number, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** The first `needle` wholly inside `text[start, end)`, or -1. */
export function findIn(text: string, needle: string, start: number, end: number): number {
  const first = needle.charCodeAt(0);
  for (let i = start; i + needle.length <= end; i++) {
    if (text.charCodeAt(i) === first && text.startsWith(needle, i)) return i;
  }
  return -1;
}

export function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

export function isHexDigit(c: number): boolean {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/**
 * Whether a word of a configuration file is meant as an address rather than
 * a host name, an interface, a port or a keyword: it starts with a digit,
 * holds a dot and only digits, dots, slashes and dashes (`10.1.2.0/24`,
 * `1.2.3.4-1.2.3.9`, `300.1.1.1`), or it holds a colon and only hex digits,
 * colons, dots, slashes and dashes (`2001:db8::/32`). `1und1.de`, `eth0:1`
 * and `8080` are not addresses.
 */
export function looksLikeAddress(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  let colon = false;
  let dot = false;
  let hexLetter = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === COLON) colon = true;
    else if (c === DOT) dot = true;
    else if (!isDigit(c) && c !== SLASH && c !== DASH) {
      if (!isHexDigit(c)) return false;
      hexLetter = true;
    }
  }
  return colon || (dot && !hexLetter && isDigit(text.charCodeAt(start)));
}

/** Reports the entry in `text[start, end)`, trimmed; nothing if only blanks. */
export function emit(sink: TokenSink, text: string, start: number, end: number, line: number, role: EntryRole = 'block', parsed?: ParsedEntry): void {
  [start, end] = trim(text, start, end);
  if (start < end) sink.entry(start, end, line, parsed, { role });
}

/** Reports a line (or part of one) that should hold an entry: `Expected <what>.` */
export function expected(sink: TokenSink, start: number, end: number, line: number, what: string): void {
  invalid(sink, start, end, line, `Expected ${what}.`);
}

/** Reports `text[start, end)` as an invalid entry, saying why. */
export function invalid(sink: TokenSink, start: number, end: number, line: number, message: string): void {
  sink.problem({ code: 'invalid-entry', start, end: Math.max(end, start), message }, line);
}

const partial = new ParsedEntry();

/**
 * An IPv4 address written with fewer than four octets, or with a trailing
 * dot (`10.1`, `10.1.`): the network of that many octets (10.1.0.0/16), as
 * Apache and hosts.deny read it. Four octets are one address. Returns the
 * entry (reused between calls), or undefined with a problem pushed.
 */
export function parsePartialIPv4(text: string, start: number, end: number, problems: Problem[]): ParsedEntry | undefined {
  const bodyEnd = text.charCodeAt(end - 1) === DOT ? end - 1 : end;
  let octets = 1;
  for (let i = start; i < bodyEnd; i++) if (text.charCodeAt(i) === DOT) octets++;
  if (octets > 4) {
    problems.push({ code: 'invalid-entry', start, end, message: `${quote(text, start, end)} has more than the four octets of an IPv4 address.` });
    return undefined;
  }
  const address = parseIPv4(text, start, bodyEnd, problems, octets);
  if (address < 0) return undefined;
  partial.version = 4;
  partial.form = octets === 4 ? 'address' : 'glob';
  partial.prefix = 8 * octets;
  partial.lo4 = address;
  partial.hi4 = address + 2 ** (32 - 8 * octets) - 1;
  return partial;
}

/** Reads a partial IPv4 address (see parsePartialIPv4) and reports it, or its problem. */
export function emitPartialIPv4(sink: TokenSink, text: string, start: number, end: number, line: number, role: EntryRole): void {
  const problems: Problem[] = [];
  const parsed = parsePartialIPv4(text, start, end, problems);
  if (parsed) sink.entry(start, end, line, parsed, { role });
  for (const problem of problems) if (problem.code === 'invalid-entry') sink.problem(problem, line);
}

const ALL_IPV4 = Object.assign(new ParsedEntry(), { version: 4, form: 'cidr', lo4: 0, hi4: 2 ** 32 - 1, prefix: 0 } as const);
const ALL_IPV6 = Object.assign(new ParsedEntry(), { version: 6, form: 'cidr', lo6: 0n, hi6: (1n << 128n) - 1n, prefix: 0 } as const);

/** Every address of one family (0.0.0.0/0 or ::/0), as a parsed entry: what `all`, or an iptables policy, stands for. */
export function everyAddress(version: 4 | 6): ParsedEntry {
  return version === 4 ? ALL_IPV4 : ALL_IPV6;
}

/** `all` of nginx and Apache: two entries on the word's span, 0.0.0.0/0 and ::/0. */
export function emitEverything(sink: TokenSink, start: number, end: number, line: number, meaning: EntryMeaning): void {
  sink.entry(start, end, line, ALL_IPV4, meaning);
  sink.entry(start, end, line, ALL_IPV6, meaning);
}

/**
 * Makes `out` the range from address `first` to address `last` (same family,
 * first ≤ last), with its prefix when the range is one CIDR block.
 */
export function fillRange(out: ParsedEntry, first: ParsedEntry, last: ParsedEntry): void {
  out.version = first.version;
  out.form = 'range';
  if (first.version === 4) {
    out.lo4 = first.lo4;
    out.hi4 = last.hi4;
    out.prefix = blockPrefix(IPV4, out.lo4, out.hi4);
  } else {
    out.lo6 = first.lo6;
    out.hi6 = last.hi6;
    out.prefix = blockPrefix(IPV6, out.lo6, out.hi6);
  }
}

function blockPrefix<A extends number | bigint>(family: Family<A>, lo: A, hi: A): number {
  const hostBits = family.log2Span(lo, hi);
  return family.trailingZeros(lo) >= hostBits && family.lastOfBlock(lo, hostBits) === hi ? family.bits - hostBits : -1;
}
