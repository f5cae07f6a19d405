/**
 * Range CSVs such as client9/ipcat's `datacenters.csv`: `start,end,name,url`,
 * one range a line from the first address to the second. The entry's span
 * runs from the first column to the second, comma included, so that a fix
 * can write a new `start,end` in its place. A `start,end,…` header line and
 * `#` comment lines are skipped.
 */
import { invertedRange, ParsedEntry, parseEntry } from '../document/entry';
import type { Problem } from '../document/problem';
import type { Format, TokenSink } from './format';
import { COMMA, expected, fillRange, indexIn, invalid, isDigit, lineReader, trim } from './lines';
import { quote } from '../primitives/excerpt';

export const ipcatCsv: Format = {
  id: 'ipcat-csv',
  label: 'IP range CSV (start,end,name,url)',
  lineByLine: true,
  read: lineReader(readLine, 'line'),
};

const first = new ParsedEntry();
const last = new ParsedEntry();
const range = new ParsedEntry();
const problems: Problem[] = [];

function readLine(text: string, start: number, end: number, line: number, sink: TokenSink): void {
  const comma = indexIn(text, COMMA, start, end);
  const second = comma < 0 ? -1 : indexIn(text, COMMA, comma + 1, end);
  const [aStart, aEnd] = trim(text, start, comma < 0 ? end : comma);
  const [bStart, bEnd] = comma < 0 ? [end, end] : trim(text, comma + 1, second < 0 ? end : second);
  if (isWord(text, aStart, aEnd) && isWord(text, bStart, bEnd)) return; // a header
  if (aStart === aEnd || bStart === bEnd) {
    expected(sink, start, end, line, 'a first and a last address: start,end,name,url');
    return;
  }
  problems.length = 0;
  const ok = parseEntry(text, aStart, aEnd, problems, first) && parseEntry(text, bStart, bEnd, problems, last);
  for (const problem of problems) sink.problem(problem, line);
  if (!ok) return;
  if (first.form !== 'address' || last.form !== 'address') {
    expected(sink, aStart, bEnd, line, `two addresses, the first and the last of the range, not ${quote(text, aStart, bEnd)}`);
  } else if (first.version !== last.version) {
    expected(sink, aStart, bEnd, line, 'two addresses of the same family');
  } else if (first.version === 4 ? first.lo4 > last.lo4 : first.lo6 > last.lo6) {
    invalid(sink, aStart, bEnd, line, invertedRange(text.slice(aStart, aEnd), text.slice(bStart, bEnd)));
  } else {
    fillRange(range, first, last);
    sink.entry(aStart, bEnd, line, range);
  }
}

/** A column of letters, digits and `_` that starts with a letter: a header's name. */
function isWord(text: string, start: number, end: number): boolean {
  if (start === end || !isLetter(text.charCodeAt(start))) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isLetter(c) && !isDigit(c) && c !== 0x5f) return false;
  }
  return true;
}

function isLetter(c: number): boolean {
  return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
}
