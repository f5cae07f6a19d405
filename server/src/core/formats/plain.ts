/**
 * Plain lists: one entry a line (address, CIDR, netmask, glob or range), with
 * `#`, `;` and `//` comments on their own lines or after the entry. FireHOL
 * .netset/.ipset files and stripped Spamhaus DROP lists are of this shape.
 */
import { isBlank, ParsedEntry } from '../document/entry';
import { lineBreakLength, lineContentEnd, nextLineStart, type FormatReader, type TokenSink } from './format';
import { DASH, DOT, HASH, NINE, SEMICOLON, SLASH, ZERO } from '../primitives/charCodes';
import { quote } from '../primitives/excerpt';

const fastEntry = new ParsedEntry();

export const readPlainList: FormatReader = (text, sink) => {
  let line = 0;
  let start = 0;
  while (start < text.length) {
    let next = readBareIPv4Line(text, start, line, sink);
    if (next < 0) {
      next = nextLineStart(text, start);
      readLine(text, start, lineContentEnd(text, start, next), line, sink);
    }
    start = next;
    line++;
  }
};

/**
 * The fast lane, for the lines that make up nearly every real list: a bare
 * IPv4 address or CIDR and nothing else, written canonically (no leading
 * zeros, no host bits). Returns the start of the next line, or -1 to let
 * the general path read (and report on) the line.
 */
function readBareIPv4Line(text: string, start: number, line: number, sink: TokenSink): number {
  let i = start;
  let address = 0;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (text.charCodeAt(i) !== DOT) return -1;
      i++;
    }
    const digitsStart = i;
    let value = 0;
    let c = text.charCodeAt(i);
    while (c >= ZERO && c <= NINE && i - digitsStart < 3) {
      value = value * 10 + (c - ZERO);
      c = text.charCodeAt(++i);
    }
    const digits = i - digitsStart;
    if (digits === 0 || value > 255 || (digits > 1 && text.charCodeAt(digitsStart) === ZERO)) return -1;
    address = address * 256 + value;
  }
  let prefix = 32;
  const isCidr = text.charCodeAt(i) === SLASH;
  if (isCidr) {
    // charCodeAt past the end is NaN, which fails every comparison: test for digits, not for non-digits.
    const c1 = text.charCodeAt(i + 1) - ZERO;
    const c2 = text.charCodeAt(i + 2) - ZERO;
    if (!(c1 >= 0 && c1 <= 9)) return -1;
    if (c2 >= 0 && c2 <= 9) {
      if (c1 === 0) return -1;
      prefix = c1 * 10 + c2;
      i += 3;
    } else {
      prefix = c1;
      i += 2;
    }
    if (prefix > 32) return -1;
  }
  const tokenEnd = i;
  const lineBreak = lineBreakLength(text, i);
  if (lineBreak === 0 && i < text.length) return -1;
  // Host bits are the low 32 - prefix bits; int32 arithmetic keeps this free of floating-point division.
  const hostMask = prefix === 0 ? -1 : (1 << (32 - prefix)) - 1;
  if ((address & hostMask) !== 0) return -1;
  fastEntry.version = 4;
  fastEntry.form = isCidr ? 'cidr' : 'address';
  fastEntry.lo4 = address;
  fastEntry.hi4 = address + (hostMask >>> 0);
  fastEntry.prefix = prefix;
  sink.entry(start, tokenEnd, line, fastEntry);
  return i + lineBreak;
}

/** The general path: blanks, comments, ranges and anything the fast lane declined. */
function readLine(text: string, lineStart: number, lineEnd: number, line: number, sink: TokenSink): void {
  let start = lineStart;
  while (start < lineEnd && isBlank(text.charCodeAt(start))) start++;
  let end = commentStart(text, start, lineEnd);
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (end === start) return;

  const tokenEnd = firstBlank(text, start, end);
  if (tokenEnd === end || isSpacedRange(text, tokenEnd, end)) {
    sink.entry(start, end, line);
    return;
  }
  let extra = tokenEnd;
  while (isBlank(text.charCodeAt(extra))) extra++;
  sink.problem(
    {
      code: 'invalid-entry',
      start: extra,
      end,
      message: `Unexpected text after the entry: ${quote(text, extra, end)}. Put comments after "#", one entry a line.`,
    },
    line,
  );
}

/** Where a comment begins (`#`, `;`, or `//`), or `end`. */
function commentStart(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === HASH || c === SEMICOLON) return i;
    if (c === SLASH && i + 1 < end && text.charCodeAt(i + 1) === SLASH) return i;
  }
  return end;
}

function firstBlank(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && !isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** `a - b`: blanks around the dash of a range, and nothing else. */
function isSpacedRange(text: string, tokenEnd: number, end: number): boolean {
  const rest = text.slice(tokenEnd, end).trim();
  const dashBefore = text.charCodeAt(tokenEnd - 1) === DASH;
  if (dashBefore) return !/\s/.test(rest);
  return rest.charCodeAt(0) === DASH && !/\s/.test(rest.slice(1).trim());
}
