/**
 * PeerGuardian text lists (.p2p): `Some Org Name:1.2.3.0-1.2.3.255`, one
 * range a line. The name may hold colons; the range follows the last one.
 * `#` starts a comment line (a `#` inside a name is part of the name).
 */
import type { Format, TokenSink } from './format';
import { emit, expected, lastIndexIn, lineReader } from './lines';

export const p2p: Format = {
  id: 'p2p',
  label: 'PeerGuardian .p2p',
  lineByLine: true,
  read: lineReader(readLine, 'line'),
};

const COLON = 0x3a;

function readLine(text: string, start: number, end: number, line: number, sink: TokenSink): void {
  const colon = lastIndexIn(text, COLON, start, end);
  if (colon < 0 || colon + 1 === end) {
    expected(sink, start, end, line, 'a name, ":" and a range, as in "Some Org:192.0.2.0-192.0.2.255"');
    return;
  }
  emit(sink, text, colon + 1, end, line);
}
