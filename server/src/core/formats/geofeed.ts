/**
 * Geofeeds (RFC 8805): `prefix,country,region,city,postal` CSV lines, `#`
 * comment lines. The entry is the prefix in the first column.
 */
import type { Format, TokenSink } from './format';
import { COMMA, emit, expected, indexIn, lineReader, trim } from './lines';

export const geofeed: Format = {
  id: 'geofeed',
  label: 'Geofeed (RFC 8805)',
  lineByLine: true,
  read: lineReader(readLine, 'line'),
};

function readLine(text: string, start: number, end: number, line: number, sink: TokenSink): void {
  const comma = indexIn(text, COMMA, start, end);
  const [prefixStart, prefixEnd] = trim(text, start, comma < 0 ? end : comma);
  if (prefixStart === prefixEnd) {
    expected(sink, start, end, line, 'a prefix in the first column: prefix,country,region,city,postal');
    return;
  }
  emit(sink, text, prefixStart, prefixEnd, line);
}
