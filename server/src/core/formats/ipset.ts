/**
 * ipset save/restore files: `create NAME hash:net family inet …` declares a
 * set, `add NAME ENTRY [timeout N] [comment "…"] [nomatch]` (or the short
 * `-A NAME ENTRY`) adds to it. `nomatch` makes the entry an exception of a
 * hash:net set. Lines may also be written as `ipset add …` commands of a
 * shell script. Each set is a scope of its own: in hash:net sets the most
 * specific entry decides (ipset(8)), in hash:ip sets a CIDR adds every address.
 */
import { COLON, DASH, HASH } from '../primitives/charCodes';
import type { Format, TokenSink } from './format';
import { expected, indexIn, isDigit, isHexDigit, lineReader, looksLikeAddress, skipBlanks, wordEnd, wordIs } from './lines';

export const ipset: Format = {
  id: 'ipset',
  label: 'ipset save/restore',
  lineByLine: true,
  read: lineReader(readLine, 'line'),
  // A set whose `create` line is not in the file may be of any type: hash:net, where exceptions count, is the common one.
  evaluation: 'most-specific',
  scopeKind: 'set',
};

const COMMA = 0x2c;

/** Options ipset takes before or after its command. */
const GLOBAL_OPTIONS = ['-exist', '-!', '-quiet', '-q'];

function readLine(text: string, start: number, end: number, line: number, sink: TokenSink): void {
  let i = start;
  let w = wordEnd(text, i, end);
  if (wordIs(text, i, w, 'ipset')) [i, w] = nextWord(text, w, end);
  while (isGlobalOption(text, i, w)) [i, w] = nextWord(text, w, end);
  if (wordIs(text, i, w, 'add') || wordIs(text, i, w, '-A')) {
    readAdd(text, w, end, line, sink);
  } else if (wordIs(text, i, w, 'create') || wordIs(text, i, w, '-N')) {
    readCreate(text, w, end, line, sink);
  } else if (i === start && looksLikeAddress(text, i, w)) {
    // create, del, flush, destroy, swap, rename, COMMIT… hold no entry; a bare address is a slip.
    expected(sink, start, end, line, `"add SET ${text.slice(i, w)}": ipset restore reads commands, not bare addresses`);
  }
}

/** `SET ENTRY [options]` after `add`: the first part of the entry (`1.2.3.4,tcp:80` of hash:ip,port) is the address. */
function readAdd(text: string, from: number, end: number, line: number, sink: TokenSink): void {
  let [i, w] = nextWord(text, from, end);
  while (isGlobalOption(text, i, w)) [i, w] = nextWord(text, w, end);
  if (i === w) {
    expected(sink, from, end, line, 'a set name and an address after "add"');
    return;
  }
  const [entryStart, entryWordEnd] = nextWord(text, w, end);
  if (entryStart === entryWordEnd) {
    expected(sink, w, end, line, `an address after "add ${text.slice(i, w)}"`);
    return;
  }
  const comma = indexIn(text, COMMA, entryStart, entryWordEnd);
  const entryEnd = comma < 0 ? entryWordEnd : comma;
  // The members of bitmap:port and hash:mac sets are no addresses: nothing to read.
  if (isPortOrRange(text, entryStart, entryEnd) || isMac(text, entryStart, entryEnd)) return;
  sink.entry(entryStart, entryEnd, line, undefined, { role: hasNomatch(text, entryWordEnd, end) ? 'allow' : 'block', scope: text.slice(i, w) });
}

/** `SET TYPE [options]` after `create`: hash:net types decide by the most specific entry; the others of addresses by the union. */
function readCreate(text: string, from: number, end: number, line: number, sink: TokenSink): void {
  const [nameStart, nameEnd] = nextWord(text, from, end);
  const [typeStart, typeEnd] = nextWord(text, nameEnd, end);
  if (nameStart === nameEnd || typeStart === typeEnd) return;
  const type = text.slice(typeStart, typeEnd);
  if (!type.startsWith('hash:') && !type.startsWith('bitmap:')) return; // list:set holds sets, not addresses
  const evaluation = type.startsWith('hash:net') ? 'most-specific' : 'union';
  sink.scopeFact({ kind: 'declare', scope: text.slice(nameStart, nameEnd), evaluation, start: nameStart, end: nameEnd }, line);
}

/** Whether the options after the entry hold the word `nomatch` (outside a quoted comment). */
function hasNomatch(text: string, from: number, end: number): boolean {
  for (let [i, w] = nextWord(text, from, end); i < w; [i, w] = nextWord(text, w, end)) {
    if (text.charCodeAt(i) === HASH) return false;
    if (wordIs(text, i, w, 'nomatch')) return true;
  }
  return false;
}

/** The word after the blanks at `from`: [start, end), empty at the end of the line. */
function nextWord(text: string, from: number, end: number): [number, number] {
  const start = skipBlanks(text, from, end);
  return [start, wordEnd(text, start, end)];
}

function isGlobalOption(text: string, start: number, end: number): boolean {
  return GLOBAL_OPTIONS.some((option) => wordIs(text, start, end, option));
}

/** `80`, `1024-2048`: a member of a bitmap:port set. */
function isPortOrRange(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c) && !(c === DASH && i > start)) return false;
  }
  return true;
}

/** `00:11:22:33:44:55`: a member of a hash:mac set (six groups of two hex digits, never an IPv6 address). */
function isMac(text: string, start: number, end: number): boolean {
  if (end - start !== 17) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const separator = (i - start) % 3 === 2;
    if (separator ? c !== COLON : !isHexDigit(c)) return false;
  }
  return true;
}
