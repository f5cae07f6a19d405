/**
 * IPv4 dotted-quad parsing and formatting on plain numbers (0 … 2^32-1).
 * The parser reads character codes straight from the document text so that a
 * million-line list costs no intermediate strings or objects.
 */
import type { Problem } from '../document/problem';
import { DOT, NINE, ZERO } from '../primitives/charCodes';
import { excerpt, quote } from '../primitives/excerpt';

/** The problem of an octet past 255, as every IPv4 reader words it. */
export function octetOutOfRange(octet: string): string {
  return `Octet ${excerpt(octet)} is out of range: each part of an IPv4 address is 0–255.`;
}

/**
 * Parses `octets` dot-separated decimal octets in `text[start, end)`; missing
 * low octets are zero (`10.1` with octets=2 is 10.1.0.0). Returns the address,
 * or -1 after pushing an `invalid-entry` problem. An octet written with a
 * leading zero is read as decimal and reported as `leading-zeros`.
 */
export function parseIPv4(text: string, start: number, end: number, problems: Problem[], octets = 4): number {
  let address = 0;
  let count = 0;
  let i = start;
  while (true) {
    const octetStart = i;
    let value = 0;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < ZERO || c > NINE) break;
      if (value <= 255) value = value * 10 + (c - ZERO);
      i++;
    }
    if (i === octetStart) {
      return unexpectedCharacter(problems, text, start, end, i);
    }
    if (value > 255) {
      problems.push({
        code: 'invalid-entry',
        start: octetStart,
        end: i,
        message: octetOutOfRange(text.slice(octetStart, i)),
      });
      return -1;
    }
    if (i - octetStart > 1 && text.charCodeAt(octetStart) === ZERO) {
      problems.push({
        code: 'leading-zeros',
        start: octetStart,
        end: i,
        message: `Octet ${excerpt(text, octetStart, i)} has a leading zero: read here as decimal ${value}, but iprange and inet_aton read it as octal. Write ${value}.`,
      });
    }
    address = address * 256 + value;
    count++;
    if (i === end || count === octets) break;
    if (text.charCodeAt(i) !== DOT) return unexpectedCharacter(problems, text, start, end, i);
    i++;
  }
  if (i !== end || count !== octets) {
    problems.push({
      code: 'invalid-entry',
      start,
      end,
      message:
        count === octets ? `Unexpected text after the address: ${quote(text, i, end)}.` : `${quote(text, start, end)} has ${count} of the ${octets} octets an IPv4 address needs.`,
    });
    return -1;
  }
  return address * 2 ** (8 * (4 - octets));
}

function unexpectedCharacter(problems: Problem[], text: string, start: number, end: number, at: number): -1 {
  const bad = at < end ? quote(text, at, at + 1) : 'end';
  problems.push({
    code: 'invalid-entry',
    start: at < end ? at : end - 1,
    end: at < end ? at + 1 : end,
    message: `Not an IPv4 address: unexpected ${bad} in ${quote(text, start, end)}.`,
  });
  return -1;
}

export function formatIPv4(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

/** The prefix length of a contiguous netmask (255.255.255.0 → 24), or -1 if it is not contiguous. */
export function netmaskToPrefix(mask: number): number {
  const inverted = ~mask >>> 0;
  // A contiguous mask inverted is 2^k - 1: adding one leaves a single bit.
  if ((inverted & (inverted + 1)) !== 0) return -1;
  return 32 - (inverted === 0 ? 0 : 32 - Math.clz32(inverted));
}
