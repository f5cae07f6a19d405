/**
 * IPv6 parsing and RFC 5952 formatting on bigints (0 … 2^128-1).
 * Accepts `::` compression, any hex case, and an embedded dotted quad in the
 * last 32 bits (`::ffff:1.2.3.4`, `64:ff9b::192.0.2.1`).
 */
import { formatIPv4, parseIPv4 } from './ipv4';
import type { Problem } from '../document/problem';
import { COLON, DOT, PERCENT } from '../primitives/charCodes';
import { quote } from '../primitives/excerpt';

/** Scratch space for the eight 16-bit groups; parsing is synchronous, so one array serves every call. */
const groups = new Uint16Array(8);

/** Parses `text[start, end)`. Returns the address, or undefined after pushing an `invalid-entry` problem. */
export function parseIPv6(text: string, start: number, end: number, problems: Problem[]): bigint | undefined {
  const fail = (at: number, atEnd: number, why: string): undefined => {
    problems.push({ code: 'invalid-entry', start: at, end: atEnd, message: `Not an IPv6 address: ${why}.` });
    return undefined;
  };
  let count = 0;
  let gap = -1; // index in `groups` where '::' stands
  let i = start;
  if (end - start >= 2 && text.charCodeAt(i) === COLON) {
    if (text.charCodeAt(i + 1) !== COLON) return fail(i, i + 1, 'it cannot start with a single ":"');
    gap = 0;
    i += 2;
  }
  while (i < end) {
    const groupStart = i;
    let value = 0;
    while (i < end) {
      const digit = hexValue(text.charCodeAt(i));
      if (digit < 0) break;
      value = value * 16 + digit;
      i++;
    }
    if (i < end && text.charCodeAt(i) === DOT) {
      // An embedded IPv4 address takes the last two groups.
      if (count > 6) return fail(groupStart, end, 'too many groups before the embedded IPv4 address');
      const v4 = parseIPv4(text, groupStart, end, problems);
      if (v4 < 0) return undefined;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (i === groupStart) {
      const c = text.charCodeAt(i);
      if (c === PERCENT) return fail(i, end, 'a zone index (%…) has no place in a blocklist');
      return fail(i, i + 1, `unexpected ${quote(text, i, i + 1)}`);
    }
    if (i - groupStart > 4) return fail(groupStart, i, `group ${quote(text, groupStart, i)} has more than 4 hex digits`);
    if (count === 8) return fail(groupStart, end, 'more than 8 groups');
    groups[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== COLON) {
      if (text.charCodeAt(i) === PERCENT) return fail(i, end, 'a zone index (%…) has no place in a blocklist');
      return fail(i, i + 1, `unexpected ${quote(text, i, i + 1)}`);
    }
    i++;
    if (i < end && text.charCodeAt(i) === COLON) {
      if (gap >= 0) return fail(i - 1, i + 1, '"::" may appear only once');
      gap = count;
      i++;
    } else if (i === end) {
      return fail(i - 1, i, 'it cannot end with a single ":"');
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) {
    return fail(start, end, gap < 0 ? `${count} groups where 8 are needed (or use "::")` : 'too many groups for "::" to stand for any');
  }
  // Move the groups after the gap to the end, zero-filling the middle.
  if (gap >= 0) {
    const tail = count - gap;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[count - 1 - k];
    for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  }
  return (
    (BigInt(groups[0] * 0x10000 + groups[1]) << 96n) |
    (BigInt(groups[2] * 0x10000 + groups[3]) << 64n) |
    (BigInt(groups[4] * 0x10000 + groups[5]) << 32n) |
    BigInt(groups[6] * 0x10000 + groups[7])
  );
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

const MAPPED_PREFIX = 0xffffn << 32n;

/**
 * RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or
 * more zero groups (the first on a tie) as `::`, and IPv4-mapped addresses in
 * mixed notation (`::ffff:192.0.2.1`, section 5).
 */
export function formatIPv6(address: bigint): string {
  if (address >> 32n === MAPPED_PREFIX >> 32n) return `::ffff:${formatIPv4(Number(address & 0xffffffffn))}`;
  const parts: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) parts.push(Number((address >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let k = 0; k < 8;) {
    if (parts[k] !== 0) {
      k++;
      continue;
    }
    let run = k;
    while (run < 8 && parts[run] === 0) run++;
    if (run - k > bestLength) {
      bestStart = k;
      bestLength = run - k;
    }
    k = run;
  }
  const hex = (from: number, to: number) =>
    parts
      .slice(from, to)
      .map((p) => p.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}
