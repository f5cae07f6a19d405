/**
 * Address-and-count lists such as stamparm/ipsum's `ipsum.txt`:
 * `IP<TAB>count` (how many lists name the address), `#` comment lines. The
 * count may be missing; anything else after the address is a problem.
 */
import type { Format, TokenSink } from './format';
import { expected, isDigit, lineReader, skipBlanks, wordEnd } from './lines';
import { quote } from '../primitives/excerpt';

export const ipCount: Format = {
  id: 'ip-count',
  label: 'IP and count list',
  lineByLine: true,
  read: lineReader(readLine),
};

function readLine(text: string, start: number, end: number, line: number, sink: TokenSink): void {
  const addressEnd = wordEnd(text, start, end);
  const countStart = skipBlanks(text, addressEnd, end);
  let countEnd = countStart;
  while (countEnd < end && isDigit(text.charCodeAt(countEnd))) countEnd++;
  if (countEnd !== end) {
    expected(sink, countStart, end, line, `a count after the address, not ${quote(text, countStart, end)}`);
    return;
  }
  sink.entry(start, addressEnd, line);
}
