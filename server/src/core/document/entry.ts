/**
 * Reads one blocklist entry: an address, a CIDR (`1.2.3.0/24`), a netmask
 * (`1.2.3.0/255.255.255.0`), a glob (`1.2.3.*`) or a range (`a-b`, `a - b`,
 * either side may be a CIDR as in iprange), IPv4 or IPv6.
 */
import { IPV4, IPV6, type Family } from '../addresses/family';
import { formatIPv4, netmaskToPrefix, parseIPv4 } from '../addresses/ipv4';
import { formatIPv6, parseIPv6 } from '../addresses/ipv6';
import { COLON, DASH, DOT, SLASH, SPACE, STAR, TAB } from '../primitives/charCodes';
import { excerpt, quote } from '../primitives/excerpt';
import type { Problem } from './problem';

export type EntryForm = 'address' | 'cidr' | 'netmask' | 'glob' | 'range';

/**
 * The addresses of one entry: [lo4, hi4] for IPv4 or [lo6, hi6] for IPv6.
 * Reused between calls on the hot path, so copy what you keep.
 */
export class ParsedEntry {
  version: 4 | 6 = 4;
  form: EntryForm = 'address';
  lo4 = 0;
  hi4 = 0;
  lo6 = 0n;
  hi6 = 0n;
  /** The prefix length when the entry is exactly one CIDR block, else -1. */
  prefix = -1;
}

const rangeStart = new ParsedEntry();

/**
 * A loader that reads a number with a leading zero as octal, as C's
 * inet_aton and strtoul(…, 0) do: its name, for the warnings, and whether it
 * reads a prefix length so too (nft, iptables and ipset read `/010` as /8,
 * libwrap as /10).
 */
export interface OctalLoader {
  readonly name: string;
  readonly lengths: boolean;
}

/**
 * Parses the entry in `text[start, end)` (no surrounding blanks) into `out`.
 * Returns false after pushing an `invalid-entry` problem; warnings such as
 * host bits or leading zeros are pushed too but the entry is still read.
 */
export function parseEntry(text: string, start: number, end: number, problems: Problem[], out: ParsedEntry, octalLoader?: OctalLoader): boolean {
  if (!startsLikeAddress(text.charCodeAt(start))) {
    return fail(problems, start, end, `${quote(text, start, end)} is not an address, CIDR or range.`);
  }
  const dash = indexOfCode(text, DASH, start, end);
  if (dash < 0) return parseBlock(text, start, end, problems, out, octalLoader);

  const leftEnd = trimEnd(text, start, dash);
  const rightStart = trimStart(text, dash + 1, end);
  if (leftEnd === start || rightStart === end) {
    return fail(problems, start, end, `${quote(text, start, end)} is not a range: it needs an address on each side of "-".`);
  }
  if (!parseBlock(text, start, leftEnd, problems, rangeStart, octalLoader)) return false;
  if (!parseBlock(text, rightStart, end, problems, out, octalLoader)) return false;
  if (rangeStart.version !== out.version) {
    return fail(problems, start, end, 'A range cannot go from an IPv4 address to an IPv6 address or back.');
  }
  const inverted = out.version === 4 ? rangeStart.lo4 > out.hi4 : rangeStart.lo6 > out.hi6;
  if (inverted) {
    return fail(problems, start, end, invertedRange(text.slice(start, leftEnd), text.slice(rightStart, end)));
  }
  if (out.version === 4) out.lo4 = rangeStart.lo4;
  else out.lo6 = rangeStart.lo6;
  out.form = 'range';
  out.prefix = prefixOfRange(out);
  return true;
}

/** One address, CIDR, netmask or glob. */
function parseBlock(text: string, start: number, end: number, problems: Problem[], out: ParsedEntry, octalLoader: OctalLoader | undefined): boolean {
  const slash = indexOfCode(text, SLASH, start, end);
  const addressEnd = slash < 0 ? end : slash;
  let isV6 = false;
  for (let i = start; i < addressEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === COLON) {
      isV6 = true;
      break;
    }
    if (c === STAR && slash < 0) return parseGlob(text, start, end, problems, out);
  }

  if (isV6) {
    const address = parseIPv6(text, start, addressEnd, problems);
    if (address === undefined) return false;
    out.version = 6;
    const prefix = slash < 0 ? 128 : parsePrefixLength(text, slash + 1, end, IPV6, problems, octalLoader);
    if (prefix < 0) return false;
    out.lo6 = IPV6.network(address, prefix);
    out.hi6 = IPV6.lastOfBlock(out.lo6, 128 - prefix);
    out.prefix = prefix;
    out.form = slash < 0 ? 'address' : 'cidr';
    if (out.lo6 !== address) reportHostBits(text, start, end, formatIPv6(out.lo6), prefix, problems);
    return true;
  }

  const address = parseIPv4(text, start, addressEnd, problems, 4, octalLoader?.name);
  if (address < 0) return false;
  out.version = 4;
  out.form = 'address';
  let prefix = 32;
  if (slash >= 0) {
    const isNetmask = indexOfCode(text, DOT, slash, end) >= 0;
    prefix = isNetmask ? parseNetmask(text, slash + 1, end, problems, octalLoader) : parsePrefixLength(text, slash + 1, end, IPV4, problems, octalLoader);
    if (prefix < 0) return false;
    out.form = isNetmask ? 'netmask' : 'cidr';
  }
  out.lo4 = IPV4.network(address, prefix);
  out.hi4 = IPV4.lastOfBlock(out.lo4, 32 - prefix);
  out.prefix = prefix;
  if (out.lo4 !== address) reportHostBits(text, start, end, formatIPv4(out.lo4), prefix, problems);
  return true;
}

/** `1.2.3.*`, `1.2.*.*`: trailing stars only. */
function parseGlob(text: string, start: number, end: number, problems: Problem[], out: ParsedEntry): boolean {
  let fixedEnd = end;
  let stars = 0;
  while (fixedEnd - start >= 2 && text.charCodeAt(fixedEnd - 1) === STAR && text.charCodeAt(fixedEnd - 2) === DOT) {
    fixedEnd -= 2;
    stars++;
  }
  if (stars === 0 || stars > 3 || indexOfCode(text, STAR, start, fixedEnd) >= 0) {
    return fail(problems, start, end, `${quote(text, start, end)} is not a valid glob: only whole trailing octets can be "*", as in 10.1.2.*.`);
  }
  const address = parseIPv4(text, start, fixedEnd, problems, 4 - stars);
  if (address < 0) return false;
  out.version = 4;
  out.form = 'glob';
  out.prefix = 32 - 8 * stars;
  out.lo4 = address;
  out.hi4 = IPV4.lastOfBlock(address, 8 * stars);
  return true;
}

function parsePrefixLength<A extends number | bigint>(
  text: string,
  start: number,
  end: number,
  family: Family<A>,
  problems: Problem[],
  octalLoader: OctalLoader | undefined,
): number {
  let value = 0;
  let octal = 0;
  let octalDigits = true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39 || i - start >= 3) {
      fail(problems, start - 1, end, `${quote(text, start - 1, end)} is not a prefix length: write /0 to /${family.bits}.`);
      return -1;
    }
    value = value * 10 + (c - 0x30);
    octal = octal * 8 + (c - 0x30);
    octalDigits &&= c - 0x30 < 8;
  }
  if (end === start) {
    fail(problems, start - 1, end, `"/" needs a prefix length: /0 to /${family.bits}.`);
    return -1;
  }
  if (octalLoader?.lengths && end - start > 1 && text.charCodeAt(start) === 0x30) {
    const { name } = octalLoader;
    const written = excerpt(text, start - 1, end);
    if (!octalDigits) {
      fail(
        problems,
        start - 1,
        end,
        `Prefix length ${written} has a leading zero, and ${name} reads such a number as octal, which it is not: ${name} refuses it. Write /${value}.`,
      );
      return -1;
    }
    const meant = value === octal || value > family.bits ? '' : `, or /${value} if that is what is meant`;
    problems.push({
      code: 'leading-zeros',
      start: start - 1,
      end,
      message: `Prefix length ${written} has a leading zero: ${name} reads it as octal, /${octal}, as it is read here. Write /${octal}${meant}.`,
    });
    value = octal;
  }
  if (value > family.bits) {
    fail(problems, start - 1, end, `Prefix /${value} is too long: an IPv${family.version} prefix is /0 to /${family.bits}.`);
    return -1;
  }
  return value;
}

function parseNetmask(text: string, start: number, end: number, problems: Problem[], octalLoader: OctalLoader | undefined): number {
  const mask = parseIPv4(text, start, end, problems, 4, octalLoader?.name);
  if (mask < 0) return -1;
  const prefix = netmaskToPrefix(mask);
  if (prefix < 0) {
    fail(problems, start, end, `Netmask ${excerpt(text, start, end)} is not contiguous: its one bits must all come first, as in 255.255.255.0.`);
  }
  return prefix;
}

function reportHostBits(text: string, start: number, end: number, network: string, prefix: number, problems: Problem[]): void {
  problems.push({
    code: 'host-bits-set',
    start,
    end,
    message: `${excerpt(text, start, end)} has host bits set: it is read as ${network}/${prefix}. Write ${network}/${prefix} to say so.`,
  });
}

/** The prefix length when [lo, hi] is one aligned CIDR block, else -1. */
function prefixOfRange(entry: ParsedEntry): number {
  return entry.version === 4 ? prefixOfInterval(IPV4, entry.lo4, entry.hi4) : prefixOfInterval(IPV6, entry.lo6, entry.hi6);
}

function prefixOfInterval<A extends number | bigint>(family: Family<A>, lo: A, hi: A): number {
  const hostBits = family.log2Span(lo, hi);
  return family.trailingZeros(lo) >= hostBits && family.lastOfBlock(lo, hostBits) === hi ? family.bits - hostBits : -1;
}

/** The problem of a range written last address first, as every format with ranges words it. */
export function invertedRange(first: string, last: string): string {
  return `The range is inverted: ${excerpt(first)} comes after ${excerpt(last)}. Swap the two ends.`;
}

function fail(problems: Problem[], start: number, end: number, message: string): false {
  problems.push({ code: 'invalid-entry', start, end, message });
  return false;
}

/** `text.indexOf` bounded to `[start, end)`: the unbounded one would scan the rest of the document. */
function indexOfCode(text: string, code: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** Every address form starts with a digit, a hex digit (IPv6) or a colon (`::1`). */
function startsLikeAddress(c: number): boolean {
  return (c >= 0x30 && c <= 0x3a) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return end;
}

function trimStart(text: string, start: number, end: number): number {
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  return start;
}

export function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}
