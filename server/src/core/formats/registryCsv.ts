/**
 * The Russian registry dump (zapret-info `dump.csv`): `IPs;domain;URL;
 * authority;number;date` records, the first field holding one or more
 * addresses or CIDRs joined by ` | ` (or empty); a full dump opens with an
 * `Updated: <timestamp>` line. The dump is Windows-1251: decoded as UTF-8 its
 * other fields hold U+FFFD, which is no matter, the addresses being ASCII.
 * The format has no comments; `#` lines are skipped for the format directive.
 */
import type { Format, TokenSink } from './format';
import { emit, expected, indexIn, lineReader } from './lines';

export const registryCsv: Format = {
  id: 'registry-csv',
  label: 'Registry dump CSV',
  lineByLine: true,
  read: lineReader(readLine, 'line'),
};

const SEMICOLON = 0x3b;
const BAR = 0x7c;

function readLine(text: string, start: number, end: number, line: number, sink: TokenSink): void {
  if (text.startsWith('Updated:', start)) return;
  const fieldEnd = indexIn(text, SEMICOLON, start, end);
  if (fieldEnd < 0) {
    expected(sink, start, end, line, 'a record "IPs;domain;URL;authority;number;date"');
    return;
  }
  for (let tokenStart = start; tokenStart < fieldEnd;) {
    const bar = indexIn(text, BAR, tokenStart, fieldEnd);
    const tokenEnd = bar < 0 ? fieldEnd : bar;
    emit(sink, text, tokenStart, tokenEnd, line);
    tokenStart = tokenEnd + 1;
  }
}
