/**
 * CSV fields (RFC 4180) that a spreadsheet opens as the text they are: a
 * field starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be
 * read as a formula (an organisation named `@SONET COLOMBIA SAS`, a file
 * named `=HYPERLINK(…)`), so it is written after a `'`; numbers stay numbers.
 */

/** One field: neutralised if a spreadsheet would run it, quoted if it holds a comma, a quote or a line break. */
export function csvField(value: string | number | bigint): string {
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record: its fields, comma-separated, and the line break. */
export function csvRecord(fields: readonly (string | number | bigint)[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}
