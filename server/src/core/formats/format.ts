/**
 * A format reader finds the entry tokens of a document and reports lines it
 * cannot read. It never throws: every line yields entries, nothing, or a problem.
 */
import type { ParsedEntry } from '../document/entry';
import type { Problem } from '../document/problem';

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
  | { readonly kind: 'declare'; readonly scope: string; readonly evaluation: Evaluation; readonly start: number; readonly end: number }
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
  /** How the file's entries, and the scopes it declares, decide an address unless a declaration says otherwise (default union). */
  readonly evaluation?: Evaluation;
  /** What a scope is called in this format, for hovers and reports: `set` in `set bad`. */
  readonly scopeKind?: string;
}

/**
 * Calls `visit(start, end, line)` for each line of `text`, without its line
 * break (`\n` or `\r\n`); a final line without a newline counts too.
 */
export function forEachLine(text: string, visit: (start: number, end: number, line: number) => void): void {
  let line = 0;
  let start = 0;
  while (start < text.length) {
    const next = nextLineStart(text, start);
    visit(start, lineContentEnd(text, start, next), line++);
    start = next;
  }
}

/** The zero-based column of `offset` on its line, in UTF-16 code units. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** The offset where the line holding `offset` starts. */
export function lineStartOf(text: string, offset: number): number {
  // lastIndexOf reads a negative position as 0, which would find a newline at offset 0 itself.
  return offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset after the line break of the line starting at `start` (or the text's length). */
export function nextLineStart(text: string, start: number): number {
  const newline = text.indexOf('\n', start);
  return newline < 0 ? text.length : newline + 1;
}

/** The end of the line's content, before its `\n` or `\r\n`. */
export function lineContentEnd(text: string, start: number, next: number): number {
  let end = next;
  if (end > start && text.charCodeAt(end - 1) === 0x0a) end--;
  if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
  return end;
}
