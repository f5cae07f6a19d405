/**
 * OpenBSD pf: the addresses of `table <bad> persist { 1.2.3.4, !5.6.7.8 }`
 * in pf.conf (over several lines, with or without `\` continuations), where
 * `!` makes an exception; and the lines of a table file loaded with
 * `table <bad> file "/etc/bad"`: addresses (and `!addresses`) separated by
 * blanks, one or more a line, `#` comments. `10/8` and `172.16/12` are
 * networks whose octets not written are zeros. Host names, interface names
 * and `self` in a table hold no address. Each table is a scope of its own,
 * where the most specific entry decides (pf.conf(5)); `block … <bad>` and
 * `pass … <bad>` rules say whether a table blocks or allows.
 */
import { ParsedEntry, parseEntry } from '../document/entry';
import type { Problem } from '../document/problem';
import type { EntryMeaning, Format, TokenSink } from './format';
import { looksLikeAddress } from './lines';
import { Scanner } from './scanner';

export const pf: Format = {
  id: 'pf',
  label: 'pf tables',
  read: readPf,
  evaluation: 'most-specific',
  scopeKind: 'table',
};

const BANG = 0x21;
const LESS = 0x3c;
const GREATER = 0x3e;

function readPf(text: string, sink: TokenSink): void {
  const s = new Scanner(text, '{},');
  for (;;) {
    s.next();
    if (s.kind === 'end') return;
    // A `}` out of place closes nothing: step over it (skipStatement stops before it, and would meet it again).
    if (s.endsStatement() || s.isPunctuation('}')) continue;
    if (s.is('table')) {
      table(s, sink);
    } else if (s.is('block') || s.is('pass')) {
      rule(s, sink);
    } else if (s.kind === 'word' && (looksLikeAddress(text, s.start, s.end) || text.charCodeAt(s.start) === BANG)) {
      // A line of a table file.
      for (; s.kind === 'word'; s.next()) address(s, sink);
      if (!s.endsStatement()) s.skipStatement();
    } else {
      s.skipStatement();
    }
  }
}

/** `table <name> [persist] [const] [counters] [file "path"]… [{ list }]`, from the word `table`. */
function table(s: Scanner, sink: TokenSink): void {
  let kind = s.next();
  const name = kind === 'word' ? tableName(s) : undefined;
  if (name !== undefined) sink.scopeFact({ kind: 'declare', scope: name, evaluation: 'most-specific', start: s.start + 1, end: s.end - 1 }, s.line);
  while (kind === 'word' || kind === 'string') kind = s.next();
  if (!s.isPunctuation('{')) {
    s.skipStatement();
    return;
  }
  for (;;) {
    s.next();
    if (s.kind === 'end' || s.isPunctuation('}')) break;
    if (s.isPunctuation('{')) s.skipGroup();
    else if (s.kind === 'word') address(s, sink, name);
  }
  s.next();
  s.skipStatement();
}

/** A `block` or `pass` rule: every `<table>` it names is used to block or to allow (the other way after `!`). */
function rule(s: Scanner, sink: TokenSink): void {
  const role = s.is('block') ? 'block' : 'allow';
  let negated = false;
  let lists = 0; // open `{ … }` lists of the rule
  for (s.next(); !s.endsStatement(); s.next()) {
    if (s.isPunctuation('{')) lists++;
    else if (s.isPunctuation('}') && lists > 0) lists--;
    else if (s.isPunctuation('}')) {
      s.pushBack(); // a stray `}`: readPf steps over it
      return;
    }
    if (s.kind !== 'word') continue;
    const bang = s.text.charCodeAt(s.start) === BANG;
    if (bang && s.end === s.start + 1) {
      negated = true;
      continue;
    }
    const name = tableName(s, bang ? 1 : 0);
    if (name !== undefined) {
      const used = negated || bang ? (role === 'block' ? 'allow' : 'block') : role;
      sink.scopeFact({ kind: 'use', scope: name, role: used, start: s.end - 1 - name.length, end: s.end - 1 }, s.line);
    }
    negated = false;
  }
}

/** The name in the current word `<name>` (after `skip` characters), or undefined. */
function tableName(s: Scanner, skip = 0): string | undefined {
  const start = s.start + skip;
  if (s.end - start < 3 || s.text.charCodeAt(start) !== LESS || s.text.charCodeAt(s.end - 1) !== GREATER) return undefined;
  return s.text.slice(start + 1, s.end - 1);
}

/** The current word as an entry of table `scope` (the file's own when undefined): `1.2.3.0/24` blocks, `!1.2.3.4` (or `! 1.2.3.4`) is an exception. */
function address(s: Scanner, sink: TokenSink, scope?: string): void {
  let start = s.start;
  let negated = false;
  if (s.text.charCodeAt(start) === BANG) {
    negated = true;
    start++;
    if (start === s.end) {
      if (s.next() !== 'word') {
        s.pushBack();
        return;
      }
      start = s.start;
    }
  }
  const meaning = { role: negated ? 'allow' : 'block', scope } as const;
  if (!shortNetwork(s.text, start, s.end, s.line, sink, meaning) && looksLikeAddress(s.text, start, s.end)) sink.entry(start, s.end, s.line, undefined, meaning);
}

const SHORT_NETWORK = /^(\d{1,3}(?:\.\d{1,3}){0,2})\/(\d{1,2})$/;
const shortForm = new ParsedEntry();

/**
 * `10/8`, `172.16/12`: an IPv4 network of fewer than four octets and a
 * prefix, whose octets not written pf reads as zeros (inet_net_pton, as in
 * pf.conf(5)'s own `table <private> const { 10/8, 172.16/12, 192.168/16 }`).
 * Reads it as the whole address, the problems placed on the word; false when
 * the word is not such a network.
 */
function shortNetwork(text: string, start: number, end: number, line: number, sink: TokenSink, meaning: EntryMeaning): boolean {
  const match = SHORT_NETWORK.exec(text.slice(start, end));
  if (match === null) return false;
  const octets = match[1].split('.');
  const whole = `${[...octets, '0', '0', '0'].slice(0, 4).join('.')}/${match[2]}`;
  const problems: Problem[] = [];
  const ok = parseEntry(whole, 0, whole.length, problems, shortForm);
  for (const problem of problems) sink.problem({ ...problem, start, end }, line);
  if (ok) sink.entry(start, end, line, shortForm, meaning);
  return true;
}
