/**
 * Spamhaus DROP and EDROP: the text list (`1.10.16.0/20 ; SBL256894` under
 * `;` comments, which the plain reader reads) and the NDJSON feed, one
 * record a line, `{"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}`,
 * ended by a `{"type":"metadata",…}` record.
 */
import { isBlank, ParsedEntry, parseEntry } from '../document/entry';
import type { Problem } from '../document/problem';
import type { Format, TokenSink } from './format';
import { expected, findIn, lineReader } from './lines';
import { readPlainList } from './plain';

export const spamhausDrop: Format = { id: 'spamhaus-drop', label: 'Spamhaus DROP', read: readPlainList, lineByLine: true };

export const spamhausJson: Format = {
  id: 'spamhaus-json',
  label: 'Spamhaus DROP (JSON lines)',
  lineByLine: true,
  // JSON has no comments; `#` lines are skipped all the same, for the format directive.
  read: lineReader(readRecord, 'line'),
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

const unescaped = new ParsedEntry();

/** One record: the entry is the content of the `cidr` string, between its quotes. */
function readRecord(text: string, start: number, end: number, line: number, sink: TokenSink): void {
  const cidr = stringValue(text, start, end, 'cidr');
  if (cidr === undefined) {
    if (stringValue(text, start, end, 'type')?.text === 'metadata' || isPunctuationOnly(text, start, end)) return;
    expected(sink, start, end, line, 'a record with a "cidr" string, as {"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}');
    return;
  }
  if (cidr.start === cidr.end) {
    expected(sink, cidr.start - 1, cidr.end + 1, line, 'an address or CIDR in "cidr"');
  } else if (!cidr.escaped) {
    sink.entry(cidr.start, cidr.end, line);
  } else {
    // `"1.10.16.0\/20"`: JSON may escape the slash. Read the decoded string, report on the written one.
    const problems: Problem[] = [];
    const ok = parseEntry(cidr.text, 0, cidr.text.length, problems, unescaped);
    for (const problem of problems) sink.problem({ ...problem, start: cidr.start, end: cidr.end }, line);
    if (ok) sink.entry(cidr.start, cidr.end, line, unescaped);
  }
}

interface StringValue {
  /** The content's span, between the quotes. */
  readonly start: number;
  readonly end: number;
  /** The decoded content. */
  readonly text: string;
  readonly escaped: boolean;
}

/** The string value of `"key": "…"` in `text[start, end)`, or undefined when there is none. */
function stringValue(text: string, start: number, end: number, key: string): StringValue | undefined {
  const quotedKey = `"${key}"`;
  for (let at = findIn(text, quotedKey, start, end); at >= 0; at = findIn(text, quotedKey, at + 1, end)) {
    let i = at + quotedKey.length;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== COLON) continue; // a value that happens to read "key"
    i++;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const contentStart = i + 1;
    let escaped = false;
    for (i = contentStart; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        const raw = text.slice(contentStart, i);
        return { start: contentStart, end: i, text: escaped ? decode(raw) : raw, escaped };
      }
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      }
    }
    return undefined; // unterminated
  }
  return undefined;
}

function decode(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** `[`, `]`, `,` lines of a record list written as a JSON array. */
function isPunctuationOnly(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x5b && c !== 0x5d && c !== 0x2c && !isBlank(c)) return false;
  }
  return true;
}
