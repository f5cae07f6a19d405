/**
 * OpenBSD pf: the addresses of `table <bad> persist { 1.2.3.4, !5.6.7.8 }`
 * in pf.conf (over several lines, with or without `\` continuations), where
 * `!` makes an exception; and the lines of a table file loaded with
 * `table <bad> file "/etc/bad"`, read as pfctl reads them: words separated
 * by blanks (a comma is part of a word), each an address, a CIDR or a host
 * name, or one of these after `!`; a `#` that starts a word comments out
 * the rest of the line. pfctl refuses the whole file for one word it cannot
 * read, and the whole ruleset for one such word of an inline table, or a
 * range, an interface's `(addresses)` or a `<table>` there: each such word
 * is an invalid entry, and the rest is read. `10/8`
 * and `172.16/12` are networks whose octets not written are zeros. Host
 * names, interface names and `self` in a table hold no address the product
 * can count: pfctl resolves them when it loads the table, and each one of a
 * table file is said to be so. Each table is a scope of its own,
 * where the most specific entry decides (pf.conf(5)); `block … <bad>` and
 * `pass … <bad>` rules say whether a table blocks or allows.
 */
import { ParsedEntry, parseEntry } from '../document/entry';
import type { Problem } from '../document/problem';
import { CR, HASH, SPACE, TAB } from '../primitives/charCodes';
import { quote } from '../primitives/excerpt';
import { nextLineBreak, type EntryMeaning, type Format, type TokenSink } from './format';
import { Scanner } from './scanner';

export const pf: Format = {
  id: 'pf',
  label: 'pf tables',
  read: readPf,
  evaluation: 'most-specific',
  scopeKind: 'table',
};

const BANG = 0x21;
const DOLLAR = 0x24;
const PAREN = 0x28;
const LESS = 0x3c;
const GREATER = 0x3e;
const EQUALS = 0x3d;
const VERTICAL_TAB = 0x0b;
const FORM_FEED = 0x0c;

function readPf(text: string, sink: TokenSink): void {
  // pf's lexer reads a quoted string over lines: a list macro (`trusted = "{ 192.0.2.10, \n 192.0.2.11 }"`) may run over several.
  const s = new Scanner(text, '{},', true);
  for (;;) {
    s.next();
    if (s.kind === 'end') return;
    // A `}` out of place closes nothing: step over it (skipStatement stops before it, and would meet it again).
    if (s.endsStatement() || s.isPunctuation('}')) continue;
    if (s.is('table')) {
      table(s, sink);
    } else if (s.is('block') || s.is('pass')) {
      rule(s, sink);
    } else if (s.is('anchor')) {
      // An inline anchor's rules are rules of the ruleset too (`anchor "ssh" { pass … from <friends> }`): read on inside its braces.
      while (s.next() === 'word' || s.kind === 'string');
      if (!s.isPunctuation('{')) s.skipStatement();
    } else if (s.kind === 'word' && isTableFileLine(text, s.start)) {
      tableFileLine(text, s.start, s.line, sink);
      s.skipLine();
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

/** The first words of the pf.conf statements that are no table or rule (pf.conf(5)): a line that starts so is not a line of a table file. */
// oxfmt-ignore
const STATEMENTS = new Set(['set', 'match', 'scrub', 'anchor', 'nat-anchor', 'rdr-anchor', 'binat-anchor', 'load', 'antispoof', 'nat', 'no', 'rdr', 'binat', 'queue', 'altq', 'include', 'ether', 'dummynet']);

/**
 * Whether the line from `start`, its first word, is a line of a table file:
 * no pf.conf statement, macro (`name = value`) or line that opens a `{ … }`
 * block (whose lines are the block's, as the fixes see them too).
 */
function isTableFileLine(text: string, start: number): boolean {
  const words = tableFileWords(text, start);
  const first = text.slice(words[0], words[1]);
  if (STATEMENTS.has(first) || first.includes('=') || (words.length > 2 && text.charCodeAt(words[2]) === EQUALS)) return false;
  return text.slice(start, words[words.length - 1]).indexOf('{') < 0;
}

/** The words of the line from `start` as pfctl's table file reader splits them (pfr_next_token): start and end of each, up to a word that starts with `#`. */
function tableFileWords(text: string, start: number): number[] {
  const words: number[] = [];
  const end = nextLineBreak(text, start);
  for (let i = start; i < end;) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i === end || text.charCodeAt(i) === HASH) break;
    const wordStart = i;
    while (i < end && !isSpace(text.charCodeAt(i))) i++;
    words.push(wordStart, i);
  }
  return words;
}

/** C's isspace, as pfctl splits a table file's words (line breaks end the line first). */
function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === VERTICAL_TAB || c === FORM_FEED || c === CR;
}

/** A line of a table file: each word an entry of the file's own table, a name pfctl resolves, or a word pfctl refuses. */
function tableFileLine(text: string, start: number, line: number, sink: TokenSink): void {
  const words = tableFileWords(text, start);
  for (let w = 0; w < words.length; w += 2) tableFileWord(text, words[w], words[w + 1], line, sink);
}

/** One word of a table file (pfctl's append_addr): `!`s (each one turns the word round), then an address, a CIDR or a name. */
function tableFileWord(text: string, wordStart: number, end: number, line: number, sink: TokenSink): void {
  let start = wordStart;
  let negated = false;
  for (; start < end && text.charCodeAt(start) === BANG; start++) negated = !negated;
  const refusal = new Refusal(text, wordStart, end, line, sink, 'the file');
  if (start === end) return refusal.refuse('a "!" of its own is no address. Write it against the address it excepts, as in "!192.0.2.5".');
  host(text, start, end, line, sink, { role: negated ? 'allow' : 'block' }, refusal);
}

/** What pfctl says when it refuses a table's word: the file or ruleset it refuses, and the word. */
class Refusal {
  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number,
    private readonly line: number,
    private readonly sink: TokenSink,
    private readonly what: 'the file' | 'the ruleset',
  ) {}

  get prefix(): string {
    return `pfctl refuses ${this.what} at ${quote(this.text, this.start, this.end)}: `;
  }

  refuse(why: string): void {
    this.sink.problem({ code: 'invalid-entry', start: this.start, end: this.end, message: this.prefix + why }, this.line);
  }
}

/**
 * An address word of a table after its `!`s, as pfctl's host() reads it: an
 * address, a CIDR, a short network (`10/8`), or a name it resolves at load
 * (said, not counted); anything else it refuses, and so the whole file or
 * ruleset.
 */
function host(text: string, start: number, end: number, line: number, sink: TokenSink, meaning: EntryMeaning, refusal: Refusal): void {
  if (shortNetwork(text, start, end, line, sink, meaning)) return;
  if (HOST_NAME.test(text.slice(start, end))) {
    const message = `pfctl resolves ${quote(text, start, end)} when it loads the table, as a host name (or an interface's addresses); the product does not resolve names, so its addresses are not counted.`;
    sink.problem({ code: 'unresolved-name', start, end, message }, line);
    return;
  }
  const problems: Problem[] = [];
  const ok = parseEntry(text, start, end, problems, scratch);
  // Only a table file's words hold commas: in pf.conf they separate the words.
  if (!ok && text.slice(start, end).includes(',')) return refusal.refuse('words are separated by blanks, and a comma is part of its word. Write blanks between the addresses.');
  if (ok && scratch.form === 'range') return refusal.refuse('a table holds addresses and CIDR blocks, not ranges. Write the range as CIDR blocks.');
  if (ok && scratch.form === 'netmask') return refusal.refuse('a mask is a prefix length ("invalid netmask"), as in 10.0.0.0/8.');
  if (ok && scratch.form === 'glob') return refusal.refuse('a table takes no wildcards. Write it as a CIDR block, as in 10.1.2.0/24.');
  for (const problem of problems) sink.problem(problem.code === 'invalid-entry' ? { ...problem, message: `${refusal.prefix}${problem.message}` } : problem, line);
  if (ok) sink.entry(start, end, line, scratch, meaning);
}

/**
 * A host name (its last label starts with a letter, as top-level domains do,
 * or it is one label: `localhost`, `self`), or an interface with its
 * modifier (`em0:network`).
 */
const HOST_NAME = /^(?:[\w-]+\.)*[a-z_][\w-]*(?::(?:network|broadcast|peer|0))?$/i;
const scratch = new ParsedEntry();

/** A `block` or `pass` rule: every `<table>` it names is used to block or to allow (the other way after `!`). */
function rule(s: Scanner, sink: TokenSink): void {
  const role = s.is('block') ? 'block' : 'allow';
  let negated = false;
  let lists = 0; // open `{ … }` lists of the rule, which may run over several lines
  for (s.next(); !s.endsStatement() || (lists > 0 && s.kind === 'newline'); s.next()) {
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

/**
 * The current word as an entry of table `scope`: `1.2.3.0/24` blocks,
 * `!1.2.3.4` (or `! 1.2.3.4`) is an exception. pfctl refuses the ruleset for
 * a range (`1.2.3.4 - 1.2.3.9`), an interface's dynamic addresses (`(em0)`)
 * or a table (`<other>`) inside a table (parse.y's table_opt), and for a word
 * host() cannot read.
 */
function address(s: Scanner, sink: TokenSink, scope: string | undefined): void {
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
  const { text, line } = s;
  const end = s.end;
  const first = text.charCodeAt(start);
  if (first === DOLLAR) {
    const message = `pfctl puts the value of macro ${quote(text, start, end)} here; the product does not expand macros, so its addresses are not counted. Write them in the table to have them checked.`;
    sink.problem({ code: 'unresolved-name', start, end, message }, line);
    return;
  }
  if (first === PAREN)
    return new Refusal(text, start, end, line, sink, 'the ruleset').refuse("dynamic addresses are not permitted inside tables. Write the interface's addresses.");
  if (first === LESS)
    return new Refusal(text, start, end, line, sink, 'the ruleset').refuse("tables cannot contain tables. Write the other table's addresses, or use both tables in the rules.");
  if (s.next() === 'word' && s.is('-')) {
    s.next(); // the range's last address
    return new Refusal(text, start, s.end, line, sink, 'the ruleset').refuse('address ranges are not permitted inside tables. Write the range as CIDR blocks.');
  }
  s.pushBack();
  host(text, start, end, line, sink, { role: negated ? 'allow' : 'block', scope }, new Refusal(text, start, end, line, sink, 'the ruleset'));
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
