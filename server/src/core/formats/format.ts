/**
 * A format reader finds the entry tokens of a document and reports lines it
 * cannot read. It never throws: every line yields entries, nothing, or a problem.
 */
import type { OctalLoader, ParsedEntry } from '../document/entry';
import type { Problem } from '../document/problem';
import { CR, LF } from '../primitives/charCodes';
import { partitionPoint } from '../primitives/search';

/** What an entry does: most block; some formats also list exceptions (nginx `allow`, pf `!addr`). */
export type EntryRole = 'block' | 'allow';

/**
 * How a scope decides an address: by the union of its blocking entries; by
 * the most specific entry holding it, exceptions included (ipset hash:net
 * with `nomatch`, pf tables with `!`); by the first entry holding it, in
 * order (nginx `allow`/`deny`); or by rules, each its list minus its own
 * exceptions (`line-except`: hosts.deny's `daemons: LIST EXCEPT LIST` lines,
 * Apache's `Deny from` less `Allow from`), the first rule holding an address
 * deciding it. A rule is opened by `use` scope facts (one per scope it holds
 * in, all with the same `start`, their role its verdict); an entry belongs
 * to the rule of the last such fact of its scope on its line or before.
 */
export type Evaluation = 'union' | 'most-specific' | 'first-match' | 'line-except';

/**
 * What a line says about a scope besides its entries: `create bad hash:net`
 * declares the set `bad` and how it decides; `block from <bad>` uses the
 * table `bad` to block. `[start, end)` is the scope's name in the text.
 */
export type ScopeFact =
  | {
      readonly kind: 'declare';
      readonly scope: string;
      readonly evaluation: Evaluation;
      readonly start: number;
      readonly end: number;
      /** The scope stands even without an entry: it decides its traffic on its own, blocking none of it (an nginx block whose rules are all `unix:`, and so inherits no IP rules). */
      readonly standing?: boolean;
    }
  | { readonly kind: 'use'; readonly scope: string; readonly role: EntryRole; readonly start: number; readonly end: number };

/** What an entry does, where it is more than a blocking entry of the file's own scope. */
export interface EntryMeaning {
  /** Default 'block'. */
  readonly role?: EntryRole;
  /** The set, table, chain or block the entry belongs to; absent, the file itself. */
  readonly scope?: string;
  /**
   * The rule matches only some traffic to or from the address (a port, a
   * protocol, an interface, a destination too): it decides nothing about the
   * address as such, so it is kept out of counts and of the scope's decisions.
   */
  readonly conditional?: boolean;
}

export interface TokenSink {
  /**
   * An entry's text is `text[start, end)` on zero-based line `line`. A reader
   * that has already read the addresses (a fast lane for the commonest
   * shapes, or a format with its own address syntax such as Apache's `10.1`)
   * passes them as `parsed`, which then has no problems to report; otherwise
   * the sink parses the text itself with `parseEntry`. `meaning` says what
   * the entry does where that is more than blocking in the file's own scope.
   */
  entry(start: number, end: number, line: number, parsed?: ParsedEntry, meaning?: EntryMeaning): void;
  problem(problem: Problem, line: number): void;
  scopeFact(fact: ScopeFact, line: number): void;
}

export type FormatReader = (text: string, sink: TokenSink) => void;

/** Every format the readers understand. */
export type FormatId =
  | 'plain'
  | 'firehol'
  | 'spamhaus-drop'
  | 'spamhaus-json'
  | 'ipset'
  | 'nginx'
  | 'apache'
  | 'iptables'
  | 'nftables'
  | 'pf'
  | 'hosts-deny'
  | 'mikrotik'
  | 'p2p'
  | 'ipfilter-dat'
  | 'ipcat-csv'
  | 'geofeed'
  | 'ip-count'
  | 'registry-csv';

export interface Format {
  readonly id: FormatId;
  /** A short human name, for hovers and the status bar. */
  readonly label: string;
  readonly read: FormatReader;
  /**
   * Each line can be read on its own (no entry or construct spans lines), so
   * after an edit only the lines it touched are read again (`updateDocument`).
   */
  readonly lineByLine?: boolean;
  /** The loader that reads an IPv4 octet, or a prefix length, with a leading zero as octal, as C's inet_aton does (`nft` reads 1.2.3.010 as 1.2.3.8): the format's entries are read so. */
  readonly octalOctets?: OctalLoader;
  /** For a line-by-line format: whether this text's lines depend on each other after all (an ipset file that flushes a set), so that an edit reads it whole again. */
  readonly readsAcrossLines?: (text: string) => boolean;
  /** How the file's entries, and the scopes it declares, decide an address unless a declaration says otherwise (default union). */
  readonly evaluation?: Evaluation;
  /** What a scope is called in this format, for hovers and reports: `set` in `set bad`. */
  readonly scopeKind?: string;
}

/*
 * Lines end at `\n`, `\r\n` or a lone `\r`: the three line breaks of the LSP
 * (and of vscode-languageserver-textdocument), so that a line of the core is
 * a line of the editor. Readers, directives, edits and the CLI's line numbers
 * all break lines here.
 */

/** The length of the line break at `i`: 2 for `\r\n`, 1 for a lone `\n` or `\r`, 0 where none starts. */
export function lineBreakLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === LF) return 1;
  if (c !== CR) return 0;
  return text.charCodeAt(i + 1) === LF ? 2 : 1;
}

/**
 * Whether the character at `i` ends a line: a `\n`, or a `\r` not followed by
 * `\n`. Tokenizers that take a `\r` for a blank when a `\n` follows ask this.
 */
export function endsLine(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === LF || (c === CR && text.charCodeAt(i + 1) !== LF);
}

/** Where the first line break in text[start, end) begins, or `end`. */
export function nextLineBreak(text: string, start: number, end = text.length): number {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return i;
  }
  return end;
}

/** How many lines text[start, end) breaks (`\r\n` once); `start` must not split a `\r\n`. */
export function countLineBreaks(text: string, start: number, end: number): number {
  // Native searches, as forEachLine's, where a loop over every character runs unoptimised in a fresh process (16 ms for
  // 1 MB); in the range alone (a slice shares the text's characters), so that a search for a `\r` the text does not
  // hold stops at the range's end, not the text's. A `\r` counts unless a `\n` of the range follows it.
  const range = start === 0 && end === text.length ? text : text.slice(start, end);
  let count = 0;
  for (let i = range.indexOf('\n'); i >= 0; i = range.indexOf('\n', i + 1)) count++;
  for (let i = range.indexOf('\r'); i >= 0; i = range.indexOf('\r', i + 1)) if (range.charCodeAt(i + 1) !== LF) count++;
  return count;
}

/**
 * Calls `visit(start, end, line)` for each line of `text`, without its line
 * break; a final line without one counts too.
 */
export function forEachLine(text: string, visit: (start: number, end: number, line: number) => void): void {
  // Two native searches instead of a loop over every character; the next `\r` is searched for again only once passed,
  // so a text without one is searched for it once.
  let cr = -1;
  for (let start = 0, line = 0; start < text.length; line++) {
    if (cr < start) cr = indexOrLength(text, '\r', start);
    const end = Math.min(cr, indexOrLength(text, '\n', start));
    visit(start, end, line);
    start = end + lineBreakLength(text, end);
  }
}

function indexOrLength(text: string, search: string, start: number): number {
  const found = text.indexOf(search, start);
  return found < 0 ? text.length : found;
}

/** The zero-based column of `offset` on its line, in UTF-16 code units. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/**
 * columnOf for many offsets of one text. A line is scanned back from the
 * offset as columnOf does while lines are short; past SCANNED characters
 * (a finding per entry of a 1 MB line would make that quadratic) the line
 * starts are found once and each offset is a binary search, or no search
 * given the offset's (zero-based) line, as a finding has it.
 */
export function columnFinder(text: string): (offset: number, line?: number) => number {
  let starts: number[] | undefined;
  return (offset, line) => {
    if (!starts) {
      const start = lineStartOf(text, offset, SCANNED);
      if (start >= 0) return offset - start;
      const all: number[] = [];
      forEachLineStart(text, 0, text.length, (lineStart) => all.push(lineStart));
      starts = all;
    }
    const found = starts;
    if (line !== undefined && found[line] <= offset && (line + 1 === found.length || offset < found[line + 1])) return offset - found[line];
    return offset - found[partitionPoint(found.length, (n) => found[n] > offset) - 1];
  };
}

/** How far columnFinder scans back for a line's start before it finds every line's start instead. */
const SCANNED = 4096;

/**
 * Calls `visit` with each line start s of `text` with from ≤ s ≤ to,
 * ascending: 0, and each offset just past a line break (so a text ending in
 * one has an empty last line).
 */
export function forEachLineStart(text: string, from: number, to: number, visit: (start: number) => void): void {
  if (from === 0) visit(0);
  // s starts a line when the character before it ends a break: `\n`, or `\r` that no `\n` follows. Two native searches,
  // each made again only once passed, in the characters that decide (a search for a `\r` that the text does not hold
  // would otherwise read on to its end: for an editor's document, on every keystroke).
  const base = Math.max(from - 1, 0);
  const region = text.slice(base, to + 1);
  let [cr, lf] = [-1, -1];
  for (let at = 0; at < to - base;) {
    if (cr < at) cr = indexOrLength(region, '\r', at);
    if (lf < at) lf = indexOrLength(region, '\n', at);
    const end = Math.min(cr, lf);
    if (end >= to - base) break;
    if (region.charCodeAt(end) === LF || region.charCodeAt(end + 1) !== LF) visit(base + end + 1);
    at = end + 1;
  }
}

/**
 * The offset where the line holding `offset` starts (an offset between the
 * `\r` and `\n` of a break is on the line it ends); -1 when that is more
 * than `limit` characters back.
 */
export function lineStartOf(text: string, offset: number, limit = Infinity): number {
  let i = text.charCodeAt(offset) === LF && text.charCodeAt(offset - 1) === CR ? offset - 1 : offset;
  for (const stop = Math.max(0, i - limit); i > stop; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === LF || c === CR) return i;
  }
  return i === 0 ? 0 : -1;
}

/** The offset after the line break of the line starting at `start` (or the text's length). */
export function nextLineStart(text: string, start: number): number {
  const at = nextLineBreak(text, start);
  return at + lineBreakLength(text, at);
}

/** The end of the line's content, before its line break; `next` is where the next line starts. */
export function lineContentEnd(text: string, start: number, next: number): number {
  let end = next;
  if (end > start && text.charCodeAt(end - 1) === LF) end--;
  if (end > start && text.charCodeAt(end - 1) === CR) end--;
  return end;
}
