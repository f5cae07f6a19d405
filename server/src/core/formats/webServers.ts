/** Access rules of web servers: nginx `deny`/`allow` and Apache `Require`/`Deny from`/`Allow from`. */
import { isBlank, ParsedEntry } from '../entry';
import type { Problem } from '../problem';
import type { EntryRole, Format, TokenSink } from './format';
import { emit, lineReader, parsePartialIPv4 } from './lines';

/** `deny 1.2.3.0/24;` blocks, `allow 10.0.0.1;` is an exception; `all` stands for everything. */
export const nginx: Format = {
  id: 'nginx',
  label: 'nginx access rules',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    const match = /^(deny|allow)\s+([^;\s]+)\s*;/.exec(text.slice(start, end));
    if (!match) return; // another directive
    const role: EntryRole = match[1] === 'deny' ? 'block' : 'allow';
    const at = start + match[0].indexOf(match[2], match[1].length);
    if (match[2] === 'all') {
      // Everything, in both families, on the one token.
      emitAll(sink, at, line, role);
      return;
    }
    emit(sink, text, at, at + match[2].length, line, role);
  }),
};

/**
 * Apache 2.4 `Require not ip A B` (block) and `Require ip A` (allow), and
 * 2.2 `Deny from A B` / `Allow from A`. A partial address (`10.1`) is the
 * network of its octets (10.1.0.0/16).
 */
export const apache: Format = {
  id: 'apache',
  label: 'Apache access rules',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    const match = /^(Require\s+not\s+ip|Require\s+ip|Deny\s+from|Allow\s+from)\s+/i.exec(text.slice(start, end));
    if (!match) return;
    const role: EntryRole = /^(require\s+not|deny)/i.test(match[1]) ? 'block' : 'allow';
    let tokenStart = start + match[0].length;
    while (tokenStart < end) {
      let tokenEnd = tokenStart;
      while (tokenEnd < end && !isBlank(text.charCodeAt(tokenEnd))) tokenEnd++;
      readApacheToken(text, tokenStart, tokenEnd, line, sink, role);
      tokenStart = tokenEnd;
      while (tokenStart < end && isBlank(text.charCodeAt(tokenStart))) tokenStart++;
    }
  }),
};

function readApacheToken(text: string, start: number, end: number, line: number, sink: TokenSink, role: EntryRole): void {
  const token = text.slice(start, end);
  if (token.toLowerCase() === 'all') {
    emitAll(sink, start, line, role);
    return;
  }
  if (/^\d+(\.\d+){0,2}\.?$/.test(token)) {
    const problems: Problem[] = [];
    const parsed = parsePartialIPv4(text, start, end, problems);
    if (parsed) sink.entry(start, end, line, parsed, role);
    else for (const problem of problems) sink.problem(problem, line);
    return;
  }
  emit(sink, text, start, end, line, role);
}

/** `all`: 0.0.0.0/0 and ::/0, both on the word's span. */
function emitAll(sink: TokenSink, at: number, line: number, role: EntryRole): void {
  sink.entry(at, at + 3, line, ALL_IPV4, role);
  sink.entry(at, at + 3, line, ALL_IPV6, role);
}

const ALL_IPV4 = Object.assign(new ParsedEntry(), { version: 4, form: 'cidr', lo4: 0, hi4: 2 ** 32 - 1, prefix: 0 } as const);
const ALL_IPV6 = Object.assign(new ParsedEntry(), { version: 6, form: 'cidr', lo6: 0n, hi6: (1n << 128n) - 1n, prefix: 0 } as const);
