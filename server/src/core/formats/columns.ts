/**
 * Formats with the address in a column: IP<TAB>count lists, RFC 8805
 * geofeeds, ipcat range CSVs, PeerGuardian .p2p, eMule ipfilter.dat, the
 * Russian registry dump, and Spamhaus DROP as NDJSON.
 */
import { ParsedEntry } from '../entry';
import { parseIPv4 } from '../ipv4';
import type { Problem } from '../problem';
import type { Format, TokenSink } from './format';
import { emit, expected, lineReader, trim } from './lines';

/** `77.239.124.108<TAB>10`: an address, then how many times it was seen. */
export const ipCount: Format = {
  id: 'ip-count',
  label: 'IP and count list',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    const match = /^(\S+)(?:\s+(\S+))?$/.exec(text.slice(start, end));
    if (!match || (match[2] !== undefined && !/^\d+$/.test(match[2]))) {
      expected(sink, start, end, line, 'an address, optionally followed by a count');
      return;
    }
    emit(sink, text, start, start + match[1].length, line);
  }),
};

/** RFC 8805: `prefix,country,region,city,postal`. */
export const geofeed: Format = {
  id: 'geofeed',
  label: 'Geofeed (RFC 8805)',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    const comma = text.indexOf(',', start);
    emit(sink, text, start, comma < 0 || comma > end ? end : comma, line);
  }),
};

/** `start,end,name,url`: the entry is the range from the first to the second column. */
export const ipcatCsv: Format = {
  id: 'ipcat-csv',
  label: 'IP range CSV (start,end,name,url)',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    const first = text.indexOf(',', start);
    const second = first < 0 ? -1 : text.indexOf(',', first + 1);
    if (first < 0 || first > end) {
      expected(sink, start, end, line, 'start,end,name,url');
      return;
    }
    const rangeEnd = second < 0 || second > end ? end : second;
    readRange(text, start, first, first + 1, rangeEnd, line, sink, 'block');
  }),
};

/** PeerGuardian: `Some Org:1.2.3.0-1.2.3.255`; the name may hold colons, the range follows the last one. */
export const p2p: Format = {
  id: 'p2p',
  label: 'PeerGuardian .p2p',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    const colon = text.lastIndexOf(':', end - 1);
    if (colon < start) {
      expected(sink, start, end, line, 'name:first-last');
      return;
    }
    emit(sink, text, colon + 1, end, line);
  }),
};

/**
 * eMule ipfilter.dat: `001.002.003.000 - 001.002.003.255 , 000 , description`.
 * Octets are zero-padded decimal (not octal). An access level of 127 or
 * less blocks; above 127 the range is allowed.
 */
export const ipfilterDat: Format = {
  id: 'ipfilter-dat',
  label: 'eMule ipfilter.dat',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    const comma = text.indexOf(',', start);
    const rangeEnd = comma < 0 || comma > end ? end : comma;
    const dash = text.indexOf('-', start);
    if (dash < 0 || dash > rangeEnd) {
      expected(sink, start, end, line, 'first - last , level , description');
      return;
    }
    const levelEnd = comma < 0 ? -1 : text.indexOf(',', comma + 1);
    const level = comma < 0 ? 0 : Number(text.slice(comma + 1, levelEnd < 0 || levelEnd > end ? end : levelEnd).trim() || '0');
    readRange(text, start, dash, dash + 1, rangeEnd, line, sink, level > 127 ? 'allow' : 'block');
  }),
};

/**
 * The registry dump: `IPs;domain;URL;authority;number;date`, field 1 holding
 * one or more addresses or CIDRs joined by ` | `; the first line of a full
 * dump is `Updated: …`.
 */
export const registryCsv: Format = {
  id: 'registry-csv',
  label: 'Registry dump CSV',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    if (text.startsWith('Updated:', start)) return;
    const semicolon = text.indexOf(';', start);
    const fieldEnd = semicolon < 0 || semicolon > end ? end : semicolon;
    let tokenStart = start;
    while (tokenStart < fieldEnd) {
      const bar = text.indexOf('|', tokenStart);
      const tokenEnd = bar < 0 || bar > fieldEnd ? fieldEnd : bar;
      emit(sink, text, tokenStart, tokenEnd, line);
      tokenStart = tokenEnd + 1;
    }
  }, null),
};

/** Spamhaus DROP as NDJSON: `{"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}`, then a metadata record. */
export const spamhausJson: Format = {
  id: 'spamhaus-json',
  label: 'Spamhaus DROP (JSON lines)',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    const match = /"cidr"\s*:\s*"([^"]*)"/.exec(text.slice(start, end));
    if (match) {
      const at = start + match.index + match[0].length - match[1].length - 1;
      emit(sink, text, at, at + match[1].length, line);
    } else if (!/"type"\s*:\s*"metadata"/.test(text.slice(start, end))) {
      expected(sink, start, end, line, 'a JSON record with "cidr"');
    }
  }, null),
};

const range = new ParsedEntry();

/**
 * An IPv4 range whose two ends stand apart (`a,b` or zero-padded `a - b`):
 * both ends are read leniently (leading zeros are decimal here by the
 * format's definition), and the entry spans from the first end to the second.
 */
function readRange(text: string, firstStart: number, firstEnd: number, secondStart: number, secondEnd: number, line: number, sink: TokenSink, role: 'block' | 'allow'): void {
  const [aStart, aEnd] = trim(text, firstStart, firstEnd);
  const [bStart, bEnd] = trim(text, secondStart, secondEnd);
  const problems: Problem[] = [];
  const lo = parseIPv4(text, aStart, aEnd, problems);
  const hi = parseIPv4(text, bStart, bEnd, problems);
  const fatal = problems.filter((p) => p.code === 'invalid-entry');
  if (lo < 0 || hi < 0 || fatal.length > 0) {
    for (const problem of fatal) sink.problem(problem, line);
    return;
  }
  if (lo > hi) {
    sink.problem({ code: 'invalid-entry', start: aStart, end: bEnd, message: 'The range is inverted: its first address comes after its last. Swap the two ends.' }, line);
    return;
  }
  range.version = 4;
  range.form = 'range';
  range.lo4 = lo;
  range.hi4 = hi;
  const hostBits = Math.log2(hi - lo + 1);
  range.prefix = Number.isInteger(hostBits) && lo % 2 ** hostBits === 0 ? 32 - hostBits : -1;
  sink.entry(aStart, bEnd, line, range, role);
}
