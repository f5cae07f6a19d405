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
 * leading zero is reported as `leading-zeros`, and read as decimal, or as
 * octal where the file's loader reads octets as C's inet_aton does
 * (`octalLoader`, its name: `nft` reads 010 as 8, and refuses 08).
 */
export function parseIPv4(text: string, start: number, end: number, problems: Problem[], octets = 4, octalLoader?: string): number {
  let address = 0;
  let count = 0;
  let i = start;
  while (true) {
    const octetStart = i;
    let value = 0;
    let octal = 0;
    let octalDigits = true;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < ZERO || c > NINE) break;
      if (value <= 255) value = value * 10 + (c - ZERO);
      if (octal <= 255) octal = octal * 8 + (c - ZERO);
      octalDigits &&= c - ZERO < 8;
      i++;
    }
    if (i === octetStart) {
      return unexpectedCharacter(problems, text, start, end, i);
    }
    const leadingZero = i - octetStart > 1 && text.charCodeAt(octetStart) === ZERO;
    const decimal = value;
    if (leadingZero && octalLoader !== undefined) {
      if (!octalDigits) {
        const message = `Octet ${excerpt(text, octetStart, i)} has a leading zero, and ${octalLoader} reads such an octet as octal, which it is not: ${octalLoader} refuses it. Write it without the zero.`;
        problems.push({ code: 'invalid-entry', start: octetStart, end: i, message });
        return -1;
      }
      value = octal;
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
    if (leadingZero) {
      const octet = excerpt(text, octetStart, i);
      const meant = decimal === value || decimal > 255 ? '' : `, or ${decimal} if that is what is meant`;
      problems.push({
        code: 'leading-zeros',
        start: octetStart,
        end: i,
        message:
          octalLoader === undefined
            ? `Octet ${octet} has a leading zero: read here as decimal ${value}, but iprange and inet_aton read it as octal. Write ${value}.`
            : `Octet ${octet} has a leading zero: ${octalLoader} reads it as octal, ${value}, as it is read here. Write ${value}${meant}.`,
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
