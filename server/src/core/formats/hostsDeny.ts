/**
 * TCP Wrappers' hosts.deny (hosts_access(5)): `daemons : clients [: options]`,
 * lines continued with a final backslash, `#` comment lines. Clients are
 * separated by blanks or commas: an address, `net/mask` or `net/len`, a
 * prefix ending in a dot (`192.168.` is 192.168.0.0/16; `192.168.*` too),
 * or a bracketed IPv6 network (`[2001:db8::]/32`). Names, `.domain`
 * suffixes, `@netgroups`, `/files` and the wildcards (ALL, LOCAL, KNOWN,
 * UNKNOWN, PARANOID) hold no address. The clients after `EXCEPT` are
 * exceptions (a second EXCEPT turns them back); a rule whose options say
 * `allow` (the hosts_options extension) makes exceptions of its clients.
 */
import { isBlank, ParsedEntry, parseEntry } from '../document/entry';
import { COLON, DOT, HASH, STAR } from '../primitives/charCodes';
import type { Problem } from '../document/problem';
import { forEachLine, type EntryRole, type Format, type TokenSink } from './format';
import { BACKSLASH, COMMA, expected, indexIn, isDigit, isHexDigit, parsePartialIPv4, skipBlanks, trimEnd, wordIs } from './lines';

export const hostsDeny: Format = {
  id: 'hosts-deny',
  label: 'hosts.deny',
  read: readHostsDeny,
};

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const WILDCARDS = ['ALL', 'LOCAL', 'KNOWN', 'UNKNOWN', 'PARANOID', 'EXCEPT'];

function readHostsDeny(text: string, sink: TokenSink): void {
  // The physical lines of the rule being read: start, end, line triples, without the continuing backslash.
  const segments: number[] = [];
  forEachLine(text, (start, end, line) => {
    const first = skipBlanks(text, start, end);
    if (segments.length === 0 && (first === end || text.charCodeAt(first) === HASH)) return;
    const continued = end > start && text.charCodeAt(end - 1) === BACKSLASH;
    segments.push(start, continued ? end - 1 : end, line);
    if (continued) return;
    readRule(text, segments, sink);
    segments.length = 0;
  });
  if (segments.length > 0) readRule(text, segments, sink);
}

/** A client that holds an address, waiting for the rule's options to tell its role. */
interface Client {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly excepted: boolean;
}

function readRule(text: string, segments: number[], sink: TokenSink): void {
  const clients: Client[] = [];
  let phase: 'daemons' | 'clients' | 'options' = 'daemons';
  let excepted = false;
  let allow = false;
  let optionStart = true;
  for (let k = 0; k < segments.length; k += 3) {
    const [segmentEnd, line] = [segments[k + 1], segments[k + 2]];
    let i = segments[k];
    while (i < segmentEnd) {
      if (phase === 'daemons') {
        const colon = colonOutsideBrackets(text, i, segmentEnd);
        if (colon < 0) break;
        phase = 'clients';
        i = colon + 1;
        continue;
      }
      if (phase === 'options') {
        // The first word of each option: `allow` or `deny` (hosts_options).
        i = skipBlanks(text, i, segmentEnd);
        let end = i;
        while (end < segmentEnd && !isBlank(text.charCodeAt(end)) && text.charCodeAt(end) !== COLON) end++;
        if (optionStart && end > i) {
          if (wordIs(text, i, end, 'allow', true)) allow = true;
          else if (wordIs(text, i, end, 'deny', true)) allow = false;
          optionStart = false;
        }
        if (text.charCodeAt(end) === COLON && end < segmentEnd) {
          optionStart = true;
          end++;
        }
        i = Math.max(end, i + 1);
        continue;
      }
      while (i < segmentEnd && (isBlank(text.charCodeAt(i)) || text.charCodeAt(i) === COMMA)) i++;
      if (i >= segmentEnd) break;
      const end = clientEnd(text, i, segmentEnd);
      if (text.charCodeAt(end) === COLON && end < segmentEnd) {
        const whole = wordEndIgnoringColons(text, i, segmentEnd);
        if (isBareIPv6(text, i, whole)) {
          const [address, length] = text.slice(i, whole).split('/');
          const written = `[${address}]${length === undefined ? '' : `/${length}`}`;
          sink.problem({ code: 'invalid-entry', start: i, end: whole, message: `hosts.deny reads IPv6 addresses only in brackets: write ${written}.` }, line);
          i = whole;
          continue;
        }
        phase = 'options';
      }
      if (wordIs(text, i, end, 'EXCEPT', true)) excepted = !excepted;
      else if (end > i && holdsAddress(text, i, end)) clients.push({ start: i, end, line, excepted });
      i = phase === 'options' ? end + 1 : end;
    }
  }
  if (phase === 'daemons') {
    const [start, end, line] = [skipBlanks(text, segments[0], segments[1]), trimEnd(text, segments[0], segments[1]), segments[2]];
    expected(sink, start, end, line, '"daemons : clients", as in "sshd: 192.0.2.0/24"');
    return;
  }
  for (const client of clients) {
    readClient(text, client.start, client.end, client.line, sink, allow !== client.excepted ? 'allow' : 'block');
  }
}

/** The first `:` in `text[start, end)` outside `[…]`, or -1. */
function colonOutsideBrackets(text: string, start: number, end: number): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACKET) depth = Math.max(0, depth - 1);
    else if (c === COLON && depth === 0) return i;
  }
  return -1;
}

/** The end of the client at `i`: a blank, a comma, or a `:` outside brackets. */
function clientEnd(text: string, i: number, end: number): number {
  let bracketed = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACKET) bracketed = true;
    else if (c === CLOSE_BRACKET) bracketed = false;
    else if (isBlank(c) || c === COMMA || (c === COLON && !bracketed)) return i;
  }
  return end;
}

function wordEndIgnoringColons(text: string, i: number, end: number): number {
  while (i < end && !isBlank(text.charCodeAt(i)) && text.charCodeAt(i) !== COMMA) i++;
  return i;
}

/** `2001:db8::1`, `::1/128`: two colons or more, hex digits, dots and one slash. */
function isBareIPv6(text: string, start: number, end: number): boolean {
  let colons = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === COLON) colons++;
    else if (!isHexDigit(c) && c !== DOT && c !== 0x2f) return false;
  }
  return colons >= 2;
}

/** Whether a client pattern is meant as an address: it starts with a digit or a bracket and holds no name. */
function holdsAddress(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start);
  if (first === OPEN_BRACKET) return true;
  if (!isDigit(first) || WILDCARDS.some((w) => wordIs(text, start, end, w))) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    // `1und1.de` is a host name; `*` and `?` are wildcards parseEntry judges.
    if (!isDigit(c) && c !== DOT && c !== 0x2f && c !== STAR && c !== 0x3f) return false;
  }
  return true;
}

const bracketed = new ParsedEntry();

function readClient(text: string, start: number, end: number, line: number, sink: TokenSink, role: EntryRole): void {
  const last = text.charCodeAt(end - 1);
  if (text.charCodeAt(start) === OPEN_BRACKET) {
    readBracketed(text, start, end, line, sink, role);
  } else if (last === DOT || (last === STAR && text.charCodeAt(end - 2) === DOT && indexIn(text, STAR, start, end - 1) < 0)) {
    // `192.168.` and `192.168.*`: every address that starts so.
    const problems: Problem[] = [];
    const parsed = parsePartialIPv4(text, start, last === STAR ? end - 1 : end, problems);
    if (parsed) sink.entry(start, end, line, parsed, { role });
    for (const problem of problems) if (problem.code === 'invalid-entry') sink.problem(problem, line);
  } else {
    sink.entry(start, end, line, undefined, { role });
  }
}

/** `[2001:db8::]/32` or `[2001:db8::1]`: the brackets belong to the file's syntax, so the address is read without them. */
function readBracketed(text: string, start: number, end: number, line: number, sink: TokenSink, role: EntryRole): void {
  const close = indexIn(text, CLOSE_BRACKET, start, end);
  const suffix = close < 0 ? '' : text.slice(close + 1, end);
  if (close < 0 || (suffix !== '' && !/^\/\d+$/.test(suffix))) {
    expected(sink, start, end, line, `"[IPv6 address]" or "[IPv6 network]/length", not "${text.slice(start, end)}"`);
    return;
  }
  const address = text.slice(start + 1, close) + suffix;
  const problems: Problem[] = [];
  const ok = parseEntry(address, 0, address.length, problems, bracketed);
  for (const problem of problems) sink.problem({ ...problem, start, end }, line);
  if (ok) sink.entry(start, end, line, bracketed, { role });
}
