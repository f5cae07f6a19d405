/**
 * eMule/ipfilter.dat: `001.002.003.000 - 001.002.003.255 , 000 , description`.
 * The octets are zero-padded decimal (not octal, and no slip to warn about).
 * The access level after the first comma says what the range is: 127 or
 * less blocks, above 127 allows. A missing level blocks. `#` and `//` start
 * comment lines.
 */
import { octetOutOfRange } from '../addresses/ipv4';
import { DOT } from '../primitives/charCodes';
import { invertedRange, ParsedEntry } from '../document/entry';
import type { Format, TokenSink } from './format';
import { COMMA, expected, fillRange, indexIn, invalid, isDigit, lineReader, trim } from './lines';
import { quote } from '../primitives/excerpt';

export const ipfilterDat: Format = {
  id: 'ipfilter-dat',
  label: 'eMule ipfilter.dat',
  lineByLine: true,
  read: lineReader(readLine, 'line'),
};

const DASH = 0x2d;
/** Above this access level a range is allowed. */
const BLOCKING_LEVEL = 127;

const first = new ParsedEntry();
const last = new ParsedEntry();
const range = new ParsedEntry();

function readLine(text: string, start: number, end: number, line: number, sink: TokenSink): void {
  if (text.startsWith('//', start)) return;
  const comma = indexIn(text, COMMA, start, end);
  const rangeEnd = comma < 0 ? end : comma;
  const dash = indexIn(text, DASH, start, rangeEnd);
  if (dash < 0) {
    expected(sink, start, end, line, 'a range "first - last , level , description", as in "001.002.003.000 - 001.002.003.255 , 000 , Example"');
    return;
  }
  const [aStart, aEnd] = trim(text, start, dash);
  const [bStart, bEnd] = trim(text, dash + 1, rangeEnd);
  if (!readPadded(text, aStart, aEnd, first, line, sink) || !readPadded(text, bStart, bEnd, last, line, sink)) return;
  if (first.lo4 > last.lo4) {
    invalid(sink, aStart, bEnd, line, invertedRange(text.slice(aStart, aEnd), text.slice(bStart, bEnd)));
    return;
  }
  let allow = false;
  if (comma >= 0) {
    const levelEnd = indexIn(text, COMMA, comma + 1, end);
    const [lStart, lEnd] = trim(text, comma + 1, levelEnd < 0 ? end : levelEnd);
    let level = 0;
    for (let i = lStart; i < lEnd; i++) {
      const c = text.charCodeAt(i);
      if (!isDigit(c)) {
        expected(sink, lStart, lEnd, line, `an access level (a number, 127 or less to block) after the range, not ${quote(text, lStart, lEnd)}`);
        return;
      }
      level = Math.min(level * 10 + (c - 0x30), 1000);
    }
    allow = level > BLOCKING_LEVEL;
  }
  fillRange(range, first, last);
  sink.entry(aStart, bEnd, line, range, { role: allow ? 'allow' : 'block' });
}

/** Four dot-separated decimal octets, zeros in front allowed (`001.002.003.000`), into `out`. */
function readPadded(text: string, start: number, end: number, out: ParsedEntry, line: number, sink: TokenSink): boolean {
  let address = 0;
  let i = start;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (text.charCodeAt(i) !== DOT || i >= end) return fail(text, start, end, line, sink);
      i++;
    }
    const digitsStart = i;
    let value = 0;
    while (i < end && isDigit(text.charCodeAt(i)) && i - digitsStart < 3) value = value * 10 + (text.charCodeAt(i++) - 0x30);
    if (i === digitsStart) return fail(text, start, end, line, sink);
    if (value > 255) {
      invalid(sink, digitsStart, i, line, octetOutOfRange(text.slice(digitsStart, i)));
      return false;
    }
    address = address * 256 + value;
  }
  if (i !== end) return fail(text, start, end, line, sink);
  out.version = 4;
  out.form = 'address';
  out.lo4 = out.hi4 = address;
  out.prefix = 32;
  return true;
}

function fail(text: string, start: number, end: number, line: number, sink: TokenSink): false {
  expected(sink, start, end, line, `an IPv4 address of four decimal octets, as 001.002.003.000, not ${quote(text, start, end)}`);
  return false;
}
