/**
 * Writing changed entries back into the text in their own format, all at
 * once: each change names an entry and the addresses written in its place
 * ([] removes it), and the edits come out non-overlapping, as the protocol
 * requires. Entries are grouped by the list they stand in — the addresses
 * after `-s` in an iptables rule, a pf or nftables `{ … }` list, the clients
 * of a hosts.deny rule, the arguments of an Apache directive, the commands of
 * a MikroTik line or the directives of an nginx one, the one entry of a line
 * of a plain list — and each list is rewritten once: a run of removed items
 * takes the separator after it (at the end of the list, the one before it), a
 * list whose last item goes takes its statement with it (the rule, the line,
 * `elements = { … }`; pf keeps an empty table `{ }`), and an item written as
 * several is repeated in place, joined as the format joins items, or on
 * lines of its own when it stood alone on its line. A comment of a line that
 * keeps an item stays on that line.
 */
import type { AddressSet } from '../addresses/addressSet';
import type { BlocklistDocument } from '../document/document';
import { isBlank } from '../document/entry';
import { formatIPv4 } from '../addresses/ipv4';
import { contentStart } from '../document/encoding';
import { endsLine, lineBreakLength, lineContentEnd, lineStartOf, nextLineBreak, nextLineStart, type FormatId } from '../formats/format';
import { BACKSLASH, indexIn, QUOTE, skipBlanks, trailingComment, trimEnd, wordEnd, wordIs } from '../formats/lines';
import { configLineAround, configWordEnd, skipConfigBlanks } from '../formats/apacheLines';
import { forEachShellCommand } from '../formats/iptablesRestore';
import { multilineDirectives } from '../formats/nginx';
import { isVerdictEntry } from '../formats/nftables';
import { COMMENT, forEachToken, WORD } from '../formats/nginxTokens';
import { Scanner } from '../formats/scanner';
import { CR, HASH, LF, SEMICOLON, SLASH } from '../primitives/charCodes';
import { partitionPoint } from '../primitives/search';
import { Int32List } from '../primitives/int32List';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** What becomes of entries: entry k → the texts written in its place ([] removes it). A Map is one. */
export interface EntryChanges {
  get(k: number): readonly string[] | undefined;
  keys(): Iterable<number>;
}

/** Changes of many entries, by entry number: filling a Map with a million of them costs most of a second. */
export class ChangesByEntry implements EntryChanges {
  /** Per entry, where its texts are in `texts`: NONE for no change, REMOVAL for [] (most changes of a long list, kept without an array each). */
  private readonly slots: Int32Array;
  private readonly texts: (readonly string[])[] = [];
  private readonly changed = new Int32List();

  /** For a document of `count` entries. */
  constructor(count: number) {
    this.slots = new Int32Array(count).fill(NONE);
  }

  set(k: number, texts: readonly string[]): void {
    if (this.slots[k] === NONE) this.changed.push(k);
    if (texts.length === 0) this.slots[k] = REMOVAL;
    else {
      this.slots[k] = this.texts.length;
      this.texts.push(texts);
    }
  }

  get(k: number): readonly string[] | undefined {
    const slot = k >= 0 && k < this.slots.length ? this.slots[k] : NONE;
    return slot === NONE ? undefined : slot === REMOVAL ? NOTHING : this.texts[slot];
  }

  keys(): Iterable<number> {
    return this.changed.view();
  }
}

const NONE = -1;
const REMOVAL = -2;
const NOTHING: readonly string[] = [];

/** Formats that cannot write a CIDR and take ranges instead. */
const RANGE_WRITERS: Partial<Record<FormatId, (first: number, last: number) => string>> = {
  p2p: (first, last) => `${formatIPv4(first)}-${formatIPv4(last)}`,
  'ipcat-csv': (first, last) => `${formatIPv4(first)},${formatIPv4(last)}`,
  'ipfilter-dat': (first, last) => `${padded(first)} - ${padded(last)}`,
};

/** Calls `visit(first, last, text)` for each entry a set is written as, ascending, in the format's own notation: CIDR blocks, or ranges where the format takes no CIDR. */
export function forEachEntryText<A extends number | bigint>(formatId: FormatId, set: AddressSet<A>, visit: (first: A, last: A, text: string) => void): void {
  const rangeWriter = RANGE_WRITERS[formatId];
  const family = set.family;
  if (rangeWriter && family.version === 4) set.forEachRange((first, last) => visit(first, last, rangeWriter(first as number, last as number)));
  else
    set.forEachCidr((network, prefix) =>
      visit(network, family.lastOfBlock(network, family.bits - prefix), prefix === family.bits ? family.format(network) : `${family.format(network)}/${prefix}`),
    );
}

/** The entries a set is written as, in the format's own notation. */
export function entryTexts<A extends number | bigint>(formatId: FormatId, set: AddressSet<A>): string[] {
  const texts: string[] = [];
  forEachEntryText(formatId, set, (_first, _last, text) => texts.push(text));
  return texts;
}

/** Whether entry k may be written as several entries where it stands: not in a list that takes one (an iptables `--src-range`). */
export function takesSeveral(document: BlocklistDocument, k: number): boolean {
  const t = document.entries;
  return SYNTAXES[document.format.id].list(document, t.start[k], t.end[k])?.one !== true;
}

/** The edits that make every change of `changes` at once, in the document's format. */
export function rewriteEntries(document: BlocklistDocument, changes: EntryChanges): TextEdit[] {
  const t = document.entries;
  const rewrite = new Rewrite(document, SYNTAXES[document.format.id], changes);
  const inRange = new Int32List();
  for (const k of changes.keys()) if (k >= 0 && k < t.count) inRange.push(k);
  const changed = inRange.view().sort();
  for (let n = 0; n < changed.length;) {
    const list = rewrite.syntax.list(document, t.start[changed[n]], t.end[changed[n]]);
    // The changed entries of the same list, which follow in document order.
    let m = n + 1;
    while (list && m < changed.length && t.start[changed[m]] >= list.start && t.end[changed[m]] <= list.end) m++;
    if (list) rewrite.list(list, changed.subarray(n, m));
    n = m;
  }
  return rewrite.edits();
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/** Items between two delimiters: the tokens of a list, or the commands or directives of a line. */
interface List {
  /** After the opening delimiter, before the closing one. */
  readonly start: number;
  readonly end: number;
  /** Each item's start and end, in order: a token with what belongs to it (pf's `!`, an nftables element's options), or a whole command. */
  readonly items: readonly number[];
  /** What goes when every item goes: the rule, the line, `elements = { … }`… */
  readonly statement?: Span;
  /** …or, when the statement stays, what the list becomes. */
  readonly emptied?: string;
  /** Around several items written where one stood alone (nftables `ip saddr 1.2.3.4` → `{ a, b }`). */
  readonly wrap?: readonly [string, string];
  /** Joins items written where one stood, where this list's differs from its format's (a pf table file takes blanks, not commas). */
  readonly joiner?: string;
  /** hosts.deny: the items that are the word EXCEPT. */
  readonly excepts?: readonly number[];
  /** It takes one item (an iptables `--src-range`): nothing stands in it as several. */
  readonly one?: boolean;
}

/** How a format lists items, and where its lists are. */
interface Syntax {
  /** The list that holds the entry at [start, end), if the syntax finds one. */
  readonly list: (document: BlocklistDocument, start: number, end: number) => List | undefined;
  /** Joins the items written where one stood, on its line. */
  readonly joiner: string;
  /** The character between items; `required` when blanks and line breaks do not separate them. */
  readonly separator?: string;
  readonly required?: boolean;
  /** Where a comment starts in text[from, to), or `to`. */
  readonly comment: (text: string, from: number, to: number) => number;
  /** Items are statements: one alone on its line is repeated on lines of its own, its comment on the first. */
  readonly linewise?: boolean;
  /** An address as the format writes it in a list. */
  readonly token?: (address: string) => string;
}

/** Collects the edits of the lists; at the end joins whole-line removals, and a removal takes the edits inside it (another list of its statement). */
class Rewrite {
  private readonly pending: TextEdit[] = [];
  /** Whole lines to remove: from the first one's start to the start of the line after the last. */
  private readonly lines = new Spans();
  private readonly text: string;

  constructor(
    readonly document: BlocklistDocument,
    readonly syntax: Syntax,
    readonly changes: EntryChanges,
  ) {
    this.text = document.text;
  }

  /** Rewrites one list, given its changed entries: what their items become, then the runs of removed items, then the items written anew. */
  list(list: List, changed: Int32Array): void {
    const t = this.document.entries;
    const { items } = list;
    const removed = new Set<number>();
    const written: { i: number; k: number; texts: readonly string[] }[] = [];
    // Each item once: the changed entries ascend, and so do the items that hold them. An entry the syntax finds in no item (a
    // construct of the reader's it does not know) is left as it is: no edit rather than a broken one.
    let previous = -1;
    for (let c = 0; c < changed.length; c++) {
      const i = itemAt(items, t.start[changed[c]], t.end[changed[c]]);
      if (i < 0 || i === previous) continue;
      previous = i;
      // An item goes when all its entries go (nginx's `all` is two); it is written anew when it is one entry.
      let count = 0;
      let gone = 0;
      let change: { i: number; k: number; texts: readonly string[] } | undefined;
      for (let k = t.firstAtOrAfter(items[2 * i]); k < t.count && t.start[k] < items[2 * i + 1]; k++) {
        count++;
        const texts = this.changes.get(k);
        if (texts?.length === 0) gone++;
        else if (texts) change = { i, k, texts };
      }
      if (gone === count) removed.add(i);
      else if (count === 1 && change) written.push(change);
    }
    const n = items.length / 2;
    if (list.excepts) exceptions(list.excepts, removed, n);
    if (removed.size === n) {
      if (list.emptied !== undefined) this.replace(list.start, list.end, list.emptied);
      else if (list.statement) this.removeStatement(list.statement);
      return;
    }
    const order = [...removed].sort((a, b) => a - b);
    for (let r = 0; r < order.length; r++) {
      const a = order[r];
      while (r + 1 < order.length && order[r + 1] === order[r] + 1) r++;
      this.removeRun(list, a, order[r]);
    }
    for (const { i, k, texts } of written) {
      // A caller that did not ask `takesSeveral`: writing on would break the statement.
      if (list.one && texts.length > 1) throw new Error(`${texts.length} entries cannot stand where ${this.text.slice(t.start[k], t.end[k])} does: it takes one.`);
      this.write(list, i, k, texts);
    }
  }

  /** The edits, whole lines joined (the last line of a text without a final line break takes the break before it). */
  edits(): TextEdit[] {
    const text = this.text;
    const { starts, ends } = this.lines.byStart();
    const removals: TextEdit[] = [];
    for (let n = 0; n < starts.length; n++) {
      let start = starts[n];
      let end = ends[n];
      while (n + 1 < starts.length && starts[n + 1] <= end) end = Math.max(end, ends[++n]);
      if (end === text.length && lineBreakLength(text, end - 1) === 0 && start > contentStart(text)) start = lineBreakBefore(text, start);
      removals.push({ start, end, newText: '' });
    }
    // A removal takes the edits inside it (another list of a statement that goes), and removals that overlap join. The removals
    // ascend and overlap none of each other, so they are merged with the other edits rather than sorted with them.
    const edits = mergeSorted([...this.pending].sort(byPlace), removals, byPlace);
    const result: TextEdit[] = [];
    for (const edit of edits) {
      const last = result.at(-1);
      const overlaps = last !== undefined && edit.start < last.end && (edit.end > last.start || edit.start > last.start);
      if (last && overlaps && last.newText === '' && (edit.end <= last.end || edit.newText === '')) {
        if (edit.end > last.end) result[result.length - 1] = { start: last.start, end: edit.end, newText: '' };
        continue;
      }
      result.push(edit);
    }
    return result;
  }

  /** Removes items a…b, not all of the list's, with the separator that would be left over. */
  private removeRun(list: List, a: number, b: number): void {
    const { items } = list;
    const n = items.length / 2;
    if (a === 0) {
      // At the start: up to the next kept item.
      this.replace(items[0], items[2 * b + 2], '');
      return;
    }
    if (b + 1 < n) {
      // Between kept items, one gap stays as their separator: the first that ends a line (its comment is a kept line's), else the one before the run.
      let f = a;
      for (let g = a; g <= b + 1; g++) {
        if (this.breaks(list, g)) {
          f = g;
          break;
        }
      }
      const [start, end] = gap(list, f);
      const { separator, required } = this.syntax;
      const missing = required && separator !== undefined && !this.separated(start, end);
      this.replace(items[2 * a - 1], start, missing ? separator : '');
      this.replace(end, items[2 * b + 2], '');
      return;
    }
    // At the end: the gap after the run stays, and with it the line break before the list's end.
    for (let g = a; g <= b; g++) {
      if (!this.breaks(list, g)) continue;
      const [start, end] = gap(list, g);
      const lineEnd = breakAt(this.text, start, end);
      const comment = this.syntax.comment(this.text, start, lineEnd);
      if (comment === lineEnd) break;
      // The last kept item's comment stays on its line, after it, without the separator that led to the run.
      const separator = this.syntax.separator;
      const before = this.text.slice(start, comment);
      const head = (separator ? before.split(separator).join('') : before) || ' ';
      const [tailStart, tailEnd] = gap(list, n);
      const tail = this.breaks(list, n)
        ? this.text.slice(breakAt(this.text, tailStart, tailEnd), tailEnd)
        : this.text.slice(lineEnd, end) + this.text.slice(tailStart, tailEnd).trimStart();
      this.replace(items[2 * a - 1], list.end, head + this.text.slice(comment, lineEnd) + tail);
      return;
    }
    // The run goes with the gap before it; but where that gap was blank space and something follows the run at once, a blank stays, so
    // that the kept item never runs on into it (`a b: opts` → `a : opts`: a bare IPv6 address in hosts.deny would take the colon for its own).
    const next = items[2 * b + 1] < this.text.length ? this.text.charCodeAt(items[2 * b + 1]) : LF;
    const glued = /\s/.test(this.text.slice(items[2 * a - 1], items[2 * a])) && !isBlank(next) && next !== LF && next !== CR;
    this.replace(items[2 * a - 1], items[2 * b + 1], glued ? ' ' : '');
  }

  /** Writes entry k of item i as `texts`: in its place when one, else as copies of the item. */
  private write(list: List, i: number, k: number, texts: readonly string[]): void {
    const text = this.text;
    const item = { start: list.items[2 * i], end: list.items[2 * i + 1] };
    const [start, end] = [this.document.entries.start[k], this.document.entries.end[k]];
    const tokens = texts.map(this.syntax.token ?? ((address) => address));
    if (tokens.length === 1) {
      this.replace(start, end, tokens[0]);
      return;
    }
    const copies = tokens.map((token) => text.slice(item.start, start) + token + text.slice(end, item.end));
    const line = this.syntax.linewise ? this.alone(item) : undefined;
    if (line) {
      // Lines of their own, indented alike; the comment stays on the first.
      const rest = copies.slice(1).map((copy) => line.eol + text.slice(lineStart(text, item.start), item.start) + copy);
      this.replace(item.start, line.end, copies[0] + text.slice(item.end, line.end) + rest.join(''));
    } else if (list.wrap) {
      this.replace(item.start, item.end, list.wrap[0] + copies.join(this.syntax.joiner) + list.wrap[1]);
    } else {
      this.replace(item.start, item.end, copies.join(list.joiner ?? this.syntax.joiner));
    }
  }

  /** Removes a statement: its lines when it is alone on them, else itself and the blanks beside it. */
  private removeStatement(statement: Span): void {
    const text = this.text;
    const first = lineStart(text, statement.start);
    const line = this.alone(statement);
    if (line) {
      this.lines.push(first, nextLineStart(text, line.end));
      return;
    }
    const lastLine = lineStart(text, statement.end);
    const lastEnd = lineContentEnd(text, lastLine, nextLineStart(text, lastLine));
    const after = skipBlanks(text, statement.end, lastEnd);
    if (after < lastEnd && this.syntax.comment(text, after, lastEnd) !== after) {
      this.replace(statement.start, after, '');
    } else {
      let before = statement.start;
      while (before > first && isBlank(text.charCodeAt(before - 1))) before--;
      this.replace(before, statement.end, '');
    }
  }

  /** When `span` stands alone on its lines (blanks before it, blanks or a comment after): the end of its last line's content, and that line's break. */
  private alone(span: Span): { end: number; eol: string } | undefined {
    const text = this.text;
    if (skipBlanks(text, lineStart(text, span.start), span.start) !== span.start) return undefined;
    const lastLine = lineStart(text, span.end);
    const next = nextLineStart(text, lastLine);
    const end = lineContentEnd(text, lastLine, next);
    const after = skipBlanks(text, span.end, end);
    if (after < end && this.syntax.comment(text, after, end) !== after) return undefined;
    // The line's own break; the last line of a text without one takes the line before's.
    const eol = next > end ? text.slice(end, next) : lastLine > contentStart(text) ? text.slice(lineBreakBefore(text, lastLine), lastLine) : '\n';
    return { end, eol };
  }

  /** Whether gap g of the list holds a line break. */
  private breaks(list: List, g: number): boolean {
    const [start, end] = gap(list, g);
    return nextLineBreak(this.text, start, end) < end;
  }

  /** Whether text[start, end) holds the separator outside comments. */
  private separated(start: number, end: number): boolean {
    const separator = this.syntax.separator!.charCodeAt(0);
    for (let i = start; i < end;) {
      const lineEnd = nextLineBreak(this.text, i, end);
      if (indexIn(this.text, separator, i, this.syntax.comment(this.text, i, lineEnd)) >= 0) return true;
      i = lineEnd + 1;
    }
    return false;
  }

  private replace(start: number, end: number, newText: string): void {
    if (newText !== this.text.slice(start, end)) this.pending.push({ start, end, newText });
  }
}

/** The text between item g - 1 and item g of a list (g = 0: before the first; g = n: after the last). */
function gap(list: List, g: number): [number, number] {
  return [g === 0 ? list.start : list.items[2 * g - 1], 2 * g === list.items.length ? list.end : list.items[2 * g]];
}

/** The index of the item of `items` (start, end pairs in order) that holds [start, end), or -1. */
function itemAt(items: readonly number[], start: number, end = start): number {
  const i = partitionPoint(items.length / 2, (n) => items[2 * n] > start) - 1;
  return i >= 0 && items[2 * i + 1] >= end ? i : -1;
}

/** Where the first line of text[start, end) ends: before its line break and a backslash that continues it. */
function breakAt(text: string, start: number, end: number): number {
  let i = nextLineBreak(text, start, end);
  if (i === end) return end;
  if (text.charCodeAt(i - 1) === BACKSLASH) i--;
  return Math.max(start, i);
}

/**
 * hosts.deny's `a EXCEPT b EXCEPT c`: when the clients before the first
 * EXCEPT all go, the rule goes; when those after an EXCEPT all go, that
 * EXCEPT goes with everything after it (it excepted from nothing).
 */
function exceptions(excepts: readonly number[], removed: Set<number>, count: number): void {
  const bounds = [-1, ...excepts, count];
  for (let p = 0; p + 1 < bounds.length; p++) {
    const [from, to] = [bounds[p] + 1, bounds[p + 1]];
    if (from === to || Array.from({ length: to - from }, (_, i) => from + i).some((i) => !removed.has(i))) continue;
    for (let i = p === 0 ? 0 : bounds[p]; i < count; i++) removed.add(i);
    return;
  }
}

// The formats' lists.

/** Where the line holding `offset` starts; on the first line, after a byte-order mark, which edits keep. */
function lineStart(text: string, offset: number): number {
  return Math.max(lineStartOf(text, offset), contentStart(text));
}

/** Where the line break that ends at `offset`, a line's start, begins. */
function lineBreakBefore(text: string, offset: number): number {
  return text.charCodeAt(offset - 1) === LF && text.charCodeAt(offset - 2) === CR ? offset - 2 : offset - 1;
}

/** The line holding `offset`: its start, the end of its content, the start of the next. */
function lineAround(text: string, offset: number): { start: number; end: number; next: number } {
  const start = lineStart(text, offset);
  const next = nextLineStart(text, start);
  return { start, end: lineContentEnd(text, start, next), next };
}

/** Parts of text[start, end) between `separator` characters, blanks trimmed, empty ones left out: start, end pairs. */
function pieces(text: string, start: number, end: number, separator: number): number[] {
  const pairs: number[] = [];
  for (let from = start; from <= end;) {
    const at = indexIn(text, separator, from, end);
    const to = at < 0 ? end : at;
    const first = skipBlanks(text, from, to);
    const last = trimEnd(text, first, to);
    if (first < last) pairs.push(first, last);
    from = to + 1;
  }
  return pairs;
}

/** Blank-separated words of text[start, end) (a quoted string is one word): start, end pairs. */
function words(text: string, start: number, end: number): number[] {
  const pairs: number[] = [];
  for (let i = skipBlanks(text, start, end); i < end; i = skipBlanks(text, pairs[pairs.length - 1], end)) pairs.push(i, wordEnd(text, i, end));
  return pairs;
}

/** Line formats: one entry a line; the item is the line without its comment. */
function lineSyntax(comment: Syntax['comment']): Syntax {
  return {
    list: ({ text }, start, end) => {
      const line = lineAround(text, start);
      const itemEnd = Math.max(end, trimEnd(text, end, comment(text, end, line.end)));
      return { start: line.start, end: itemEnd, items: [line.start, itemEnd], statement: { start: line.start, end: line.end } };
    },
    joiner: ' ',
    comment,
    linewise: true,
  };
}

const NO_COMMENT = (_text: string, _from: number, to: number) => to;

function hashComment(text: string, from: number, to: number): number {
  const hash = indexIn(text, HASH, from, to);
  return hash < 0 ? to : hash;
}

/** IP-and-count lists: a `#` after a blank starts a comment, also at `from` itself (trailingComment looks only past it). */
function blankHashComment(text: string, from: number, to: number): number {
  return from > 0 && from < to && text.charCodeAt(from) === HASH && isBlank(text.charCodeAt(from - 1)) ? from : trailingComment(text, from, to);
}

/** Plain lists: `#`, `;` or `//` starts a comment. */
function plainComment(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === HASH || c === SEMICOLON || (c === SLASH && text.charCodeAt(i + 1) === SLASH && i + 1 < to)) return i;
  }
  return to;
}

/** iptables: the comma list after `-s` or `-d`, or the one range after `--src-range` or `--dst-range`; the rule is the line. */
function iptablesList({ text }: BlocklistDocument, start: number, end: number): List {
  const line = lineAround(text, start);
  let from = start;
  while (from > line.start && !isBlank(text.charCodeAt(from - 1))) from--;
  let to = end;
  while (to < line.end && !isBlank(text.charCodeAt(to))) to++;
  const optionEnd = trimEnd(text, line.start, from);
  let option = optionEnd;
  while (option > line.start && !isBlank(text.charCodeAt(option - 1))) option--;
  const range = wordIs(text, option, optionEnd, '--src-range') || wordIs(text, option, optionEnd, '--dst-range');
  return { start: from, end: to, items: pieces(text, from, to, 0x2c), statement: commandAround(text, line, start), one: range };
}

/**
 * The command of a script's line that holds `offset`, as a rule removed
 * whole takes it: the line when it holds one command; else the command with
 * the separator after it (`a; b` less `a` is `b`), or, for the last, with
 * the separator before it.
 */
function commandAround(text: string, line: { start: number; end: number }, offset: number): { start: number; end: number } {
  const commands: number[] = [];
  forEachShellCommand(text, line.start, line.end, (start, end) => commands.push(start, end));
  if (commands.length <= 2) return line;
  const n = commands.findIndex((end, i) => i % 2 === 1 && offset < end) - 1;
  if (n < 0) return line;
  return n + 2 < commands.length ? { start: commands[n], end: commands[n + 2] } : { start: commands[n - 1], end: commands[n + 1] };
}

/** Apache: the arguments after `Require [not] ip` or `Deny from`/`Allow from`; the directive is the line. */
function apacheList({ text }: BlocklistDocument, start: number): List | undefined {
  // The directive may run over lines its backslashes join: they are blanks between its words.
  const { start: lineStart, end, joints } = configLineAround(text, start);
  const all: number[] = [];
  for (let i = skipConfigBlanks(text, joints, lineStart, end); i < end; i = skipConfigBlanks(text, joints, all[all.length - 1], end))
    all.push(i, configWordEnd(text, joints, i, end));
  if (all.length < 4) return undefined;
  const skip = wordIs(text, all[0], all[1], 'Require', true) && wordIs(text, all[2], all[3], 'not', true) ? 3 : 2;
  if (all.length <= 2 * skip) return undefined;
  return { start: all[2 * skip - 1], end: all[all.length - 1], items: all.slice(2 * skip), statement: { start: lineStart, end } };
}

/** The Russian registry dump: the ` | ` list of the first field; a record keeps its other fields when it is emptied. */
function registryList({ text }: BlocklistDocument, start: number): List {
  const line = lineAround(text, start);
  const semicolon = indexIn(text, SEMICOLON, line.start, line.end);
  const end = semicolon < 0 ? line.end : semicolon;
  return { start: line.start, end, items: pieces(text, line.start, end, 0x7c), emptied: '' };
}

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * hosts.deny: the clients of `daemons : clients [: options]`, over the lines
 * a final backslash continues; the rule is those lines. Clients are
 * separated by blanks or commas; `[…]` may hold colons.
 */
function hostsDenyList({ text }: BlocklistDocument, start: number): List | undefined {
  let first = lineStart(text, start);
  while (first > contentStart(text)) {
    const before = lineAround(text, first - 1);
    if (before.end === before.start || text.charCodeAt(before.end - 1) !== BACKSLASH || text.charCodeAt(skipBlanks(text, before.start, before.end)) === HASH) break;
    first = before.start;
  }
  // The rule's lines, each without the backslash that continues it.
  const segments: Span[] = [];
  let line = lineAround(text, first);
  for (;;) {
    const continued = line.end > line.start && text.charCodeAt(line.end - 1) === BACKSLASH;
    segments.push({ start: line.start, end: continued ? line.end - 1 : line.end });
    if (!continued || line.next >= text.length) break;
    line = lineAround(text, line.next);
  }
  const items: number[] = [];
  const excepts: number[] = [];
  let [listStart, listEnd] = [-1, -1];
  for (const segment of segments) {
    let i = segment.start;
    if (listStart < 0) {
      const colon = outsideBrackets(text, i, segment.end, (c) => c === COLON);
      if (colon < 0) continue;
      listStart = i = colon + 1;
    }
    while (listEnd < 0 && i < segment.end) {
      while (i < segment.end && (isBlank(text.charCodeAt(i)) || text.charCodeAt(i) === COMMA)) i++;
      if (i >= segment.end) break;
      let end = outsideBrackets(text, i, segment.end, (c) => isBlank(c) || c === COMMA || c === COLON);
      if (end < 0) end = segment.end;
      if (end < segment.end && text.charCodeAt(end) === COLON) {
        // A bare IPv6 address (which the reader reports) runs on over its colons; another colon starts the options.
        let whole = end;
        while (whole < segment.end && !isBlank(text.charCodeAt(whole)) && text.charCodeAt(whole) !== COMMA) whole++;
        if (/^[\d.a-f:/]+$/i.test(text.slice(i, whole)) && text.slice(i, whole).split(':').length > 2) end = whole;
        else listEnd = end;
      }
      if (end > i) {
        if (wordIs(text, i, end, 'EXCEPT', true)) excepts.push(items.length / 2);
        items.push(i, end);
      }
      i = end;
    }
    if (listEnd >= 0) break;
  }
  if (listStart < 0) return undefined;
  if (listEnd < 0) listEnd = segments[segments.length - 1].end;
  return { start: listStart, end: listEnd, items, excepts, statement: { start: first, end: line.end } };
}

/** The first index in text[start, end) outside `[…]` whose character `stops`, or -1. */
function outsideBrackets(text: string, start: number, end: number, stops: (c: number) => boolean): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACKET) depth = Math.max(0, depth - 1);
    else if (depth === 0 && stops(c)) return i;
  }
  return -1;
}

/** hosts.deny reads IPv6 addresses only in brackets: `[2001:db8::]/32`. */
function bracketed(address: string): string {
  if (!address.includes(':')) return address;
  const slash = address.indexOf('/');
  return slash < 0 ? `[${address}]` : `[${address.slice(0, slash)}]${address.slice(slash)}`;
}

/**
 * `{ … }` groups of pf and nftables, found once per document: each group's
 * items (pf: each word, `!` with the word after it; nftables: what stands
 * between commas, semicolons and line ends) and statements (between
 * semicolons and line ends, a statement's end after its `;`).
 */
interface Group {
  /** The `{`, or -1 for the text itself. */
  readonly open: number;
  /** The `}`, or the text's length when none closes it. */
  close: number;
  readonly parent: number;
  /** Start, end pairs. */
  readonly items: number[];
  readonly statements: number[];
}

const GROUPS = new WeakMap<BlocklistDocument, Group[]>();

function groupsOf(document: BlocklistDocument, words: boolean): Group[] {
  let groups = GROUPS.get(document);
  if (groups) return groups;
  const text = document.text;
  const s = new Scanner(text, words ? '{},' : '{};,=!');
  groups = [{ open: -1, close: text.length, parent: -1, items: [], statements: [] }];
  // The item and statement being read in the current group (-1: none yet), and those of the groups around it.
  let [g, item, itemEnd, statement, statementEnd] = [0, -1, -1, -1, -1];
  const outer: number[] = [];
  const endItem = () => {
    if (item >= 0) groups[g].items.push(item, itemEnd);
    item = -1;
  };
  const endStatement = (end: number) => {
    if (statement >= 0) groups[g].statements.push(statement, end);
    statement = -1;
  };
  while (s.next() !== 'end') {
    if (s.isPunctuation('{')) {
      if (item < 0) item = s.start;
      if (statement < 0) statement = s.start;
      outer.push(item, statement);
      groups.push({ open: s.start, close: text.length, parent: g, items: [], statements: [] });
      [g, item, statement] = [groups.length - 1, -1, -1];
    } else if (s.isPunctuation('}')) {
      if (g === 0) continue; // a stray `}`
      endItem();
      endStatement(statementEnd);
      groups[g].close = s.start;
      g = groups[g].parent;
      statement = outer.pop()!;
      item = outer.pop()!;
      itemEnd = statementEnd = s.end;
    } else if (s.kind === 'newline' || s.isPunctuation(';') || s.isPunctuation(',')) {
      endItem();
      if (!s.isPunctuation(',')) endStatement(s.isPunctuation(';') ? s.end : statementEnd);
    } else {
      if (item < 0) item = s.start;
      if (statement < 0) statement = s.start;
      itemEnd = statementEnd = s.end;
      // pf: every word is an item; a lone `!` belongs to the word after it.
      if (words && !(s.end === s.start + 1 && text.charCodeAt(s.start) === 0x21)) endItem();
    }
  }
  for (; g > 0; g = groups[g].parent) {
    endItem();
    endStatement(statementEnd);
    statement = outer.pop()!;
    item = outer.pop()!;
  }
  endItem();
  endStatement(statementEnd);
  GROUPS.set(document, groups);
  return groups;
}

/** The innermost group holding `offset`. */
function groupAt(groups: readonly Group[], offset: number): number {
  let g = partitionPoint(groups.length, (i) => groups[i].open >= offset) - 1;
  while (g > 0 && groups[g].close < offset) g = groups[g].parent;
  return Math.max(0, g);
}

/** The pair of `pairs` (start, end, start, end…) holding [start, end), as a span. */
function pairAt(pairs: readonly number[], start: number, end = start): Span | undefined {
  const i = itemAt(pairs, start, end);
  return i < 0 ? undefined : { start: pairs[2 * i], end: pairs[2 * i + 1] };
}

/** pf: a table's `{ … }`, which stays when emptied (pf.conf(5) takes an empty table); outside one, a line of a table file, whose words blanks separate. */
function pfList(document: BlocklistDocument, start: number): List {
  const groups = groupsOf(document, true);
  const group = groups[groupAt(groups, start)];
  if (group.open >= 0) return { start: group.open + 1, end: group.close, items: group.items, emptied: ' ' };
  const text = document.text;
  const line = lineAround(text, start);
  const to = trimEnd(text, line.start, hashComment(text, line.start, line.end));
  const all = words(text, line.start, to);
  const items: number[] = [];
  for (let w = 0; w < all.length; w += 2) {
    // A lone `!` belongs to the word after it.
    if (items.length > 0 && items[items.length - 1] === items[items.length - 2] + 1 && text.charCodeAt(items[items.length - 2]) === 0x21) items[items.length - 1] = all[w + 1];
    else items.push(all[w], all[w + 1]);
  }
  return { start: line.start, end: to, items, statement: { start: line.start, end: line.end }, joiner: ' ' };
}

/**
 * nftables: an element list, whose statement (`elements = { … }`, `add
 * element …`, a rule) goes with its last element, as nft takes no empty
 * list; or an address alone in a rule (`ip saddr 1.2.3.4 drop`), whose rule
 * goes with it and which becomes a `{ … }` list when written as several.
 */
function nftablesList(document: BlocklistDocument, start: number, end: number): List | undefined {
  const groups = groupsOf(document, false);
  const group = groups[groupAt(groups, start)];
  // A verdict without an address (`drop` alone on its line) is an item of no list: the chain's block holds rules, not elements.
  if (group.open >= 0 && !isVerdictEntry(document.text, start, end) && pairAt(group.items, start, end)?.start === start) {
    const statement = pairAt(groups[group.parent].statements, group.open);
    return { start: group.open + 1, end: group.close, items: group.items, statement, emptied: statement ? undefined : ' ' };
  }
  const statement = pairAt(group.statements, start, end);
  return statement && { start, end, items: [start, end], statement, wrap: ['{ ', ' }'] };
}

/**
 * MikroTik: the commands (`;`-separated) of a line, continued by a final
 * backslash, between `{`, `}`, `[` and `]`; a command goes with its `;`.
 */
function mikrotikList({ text }: BlocklistDocument, start: number): List | undefined {
  let first = lineStart(text, start);
  while (first > contentStart(text)) {
    const before = lineAround(text, first - 1);
    if (before.end === before.start || text.charCodeAt(before.end - 1) !== BACKSLASH) break;
    first = before.start;
  }
  let segment = first;
  let items: number[] = [];
  let [command, commandEnd] = [-1, -1];
  let quoted = false;
  for (let i = first; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    // The end of the text ends a line too; the `\r` of a `\r\n` is a blank before the `\n` that does.
    const lineEnd = i === text.length || endsLine(text, i);
    if (quoted) {
      if (c === QUOTE) quoted = false;
      else if (c === BACKSLASH) i++;
      commandEnd = Math.min(i + 1, text.length);
      continue;
    }
    if (c === BACKSLASH && lineBreakLength(text, i + 1) > 0) {
      i += lineBreakLength(text, i + 1);
      continue;
    }
    if (c === 0x20 || c === 0x09 || (c === CR && !lineEnd)) continue;
    if (c === HASH && command < 0) {
      i = nextLineBreak(text, i) - 1;
      continue;
    }
    if (lineEnd || c === SEMICOLON || c === 0x7b || c === 0x7d || c === OPEN_BRACKET || c === CLOSE_BRACKET) {
      if (command >= 0) items.push(command, commandEnd);
      command = -1;
      if (c === SEMICOLON) continue;
      const segmentEnd = c === LF && text.charCodeAt(i - 1) === CR ? i - 1 : i;
      if (start >= segment && start < segmentEnd) return { start: segment, end: segmentEnd, items, statement: { start: segment, end: segmentEnd } };
      if (lineEnd) return undefined;
      [segment, items] = [i + 1, []];
      continue;
    }
    if (command < 0) command = i;
    if (c === QUOTE) quoted = true;
    commandEnd = i + 1;
  }
  return undefined;
}

/**
 * nginx: the directives of a line (each up to its `;`), between `{` and `}`,
 * before a comment; where a directive runs over several lines, of the lines
 * it joins, its comments skipped.
 */
function nginxList(document: BlocklistDocument, start: number): List | undefined {
  const { text } = document;
  const [first, last] = joinedLines(document, start);
  let segment = first;
  let items: number[] = [];
  let [directive, directiveEnd] = [-1, -1];
  let list: List | undefined;
  let ended = false;
  /** Ends the segment at `at` (a brace, a comment, the end, which is `final`): the list when it holds `start`; whether to stop. */
  const close = (at: number, final: boolean): boolean => {
    if (directive >= 0) items.push(directive, directiveEnd);
    directive = -1;
    if (start >= segment && start < at) list = { start: segment, end: at, items, statement: { start: segment, end: at } };
    else if (!final) [segment, items] = [at + 1, []];
    ended = list !== undefined || final;
    return ended;
  };
  forEachToken(text, first, last, (kind, tokenStart, tokenEnd) => {
    if (kind === WORD) {
      if (directive < 0) directive = tokenStart;
      directiveEnd = tokenEnd;
    } else if (kind === SEMICOLON) {
      if (directive >= 0) items.push(directive, tokenEnd);
      directive = -1;
    } else if (kind === COMMENT) {
      // A comment inside a directive that runs on is skipped; one that ends the lines ends the list before it.
      return tokenEnd >= last && close(tokenStart, true);
    } else {
      return close(tokenStart, false);
    }
    return false;
  });
  if (!ended) close(last, true);
  return list;
}

const NGINX_DIRECTIVES = new WeakMap<BlocklistDocument, number[]>();

/** The lines around `offset` that directives running over several lines join (the line of `offset` alone when none does): where they start, and where the last one's content ends. */
function joinedLines(document: BlocklistDocument, offset: number): [number, number] {
  let spans = NGINX_DIRECTIVES.get(document);
  if (spans === undefined) {
    spans = multilineDirectives(document.text);
    NGINX_DIRECTIVES.set(document, spans);
  }
  const { text } = document;
  let { start, end } = lineAround(text, offset);
  // The directive that starts last before a place is the only one that may run across it.
  const crossing = (at: number) => {
    const d = partitionPoint(spans.length / 2, (i) => spans[2 * i] >= at) - 1;
    return d >= 0 && spans[2 * d + 1] > at ? d : -1;
  };
  for (let d = crossing(start); d >= 0; d = crossing(start)) start = lineAround(text, spans[2 * d]).start;
  for (let d = crossing(end); d >= 0; d = crossing(end)) end = lineAround(text, spans[2 * d + 1] - 1).end;
  return [start, end];
}

const PLAIN_LINES = lineSyntax(plainComment);
const LINES = lineSyntax(NO_COMMENT);

/** Each format's lists. */
const SYNTAXES: Record<FormatId, Syntax> = {
  plain: PLAIN_LINES,
  firehol: PLAIN_LINES,
  'spamhaus-drop': PLAIN_LINES,
  'spamhaus-json': LINES,
  ipset: LINES,
  p2p: LINES,
  'ipfilter-dat': LINES,
  'ipcat-csv': LINES,
  geofeed: LINES,
  'ip-count': lineSyntax(blankHashComment),
  iptables: { list: iptablesList, joiner: ',', separator: ',', required: true, comment: NO_COMMENT },
  apache: { list: apacheList, joiner: ' ', comment: NO_COMMENT },
  'registry-csv': { list: registryList, joiner: ' | ', separator: '|', required: true, comment: NO_COMMENT },
  'hosts-deny': { list: hostsDenyList, joiner: ', ', separator: ',', comment: NO_COMMENT, token: bracketed },
  pf: { list: pfList, joiner: ', ', separator: ',', comment: hashComment },
  nftables: { list: nftablesList, joiner: ', ', separator: ',', required: true, comment: hashComment },
  mikrotik: { list: mikrotikList, joiner: '; ', separator: ';', required: true, comment: NO_COMMENT, linewise: true },
  nginx: { list: nginxList, joiner: ' ', comment: hashComment, linewise: true },
};

function padded(address: number): string {
  return formatIPv4(address)
    .split('.')
    .map((octet) => octet.padStart(3, '0'))
    .join('.');
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  // The protocol forbids overlapping edits in one change: one here is a bug, not something to apply in some order.
  for (let n = 1; n < sorted.length; n++) {
    if (sorted[n].end > sorted[n - 1].start) throw new Error(`Overlapping edits at offsets ${sorted[n].start}-${sorted[n].end} and ${sorted[n - 1].start}-${sorted[n - 1].end}.`);
  }
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** Edits by where they start, and of those that start together the longest first. */
function byPlace(a: TextEdit, b: TextEdit): number {
  return a.start - b.start || b.end - a.end;
}

/** Two sorted lists as one, as a stable sort of `a` followed by `b` would order them. */
function mergeSorted<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number): T[] {
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) merged.push(compare(b[j], a[i]) < 0 ? b[j++] : a[i++]);
  while (i < a.length) merged.push(a[i++]);
  while (j < b.length) merged.push(b[j++]);
  return merged;
}

/**
 * Spans of the text, kept as numbers in one growing array: removing the
 * lines of a million entries would otherwise make a million objects, each
 * of which outlives the young generation.
 */
class Spans {
  /** Each span's start, then its end. */
  private readonly bounds = new Int32List();

  push(start: number, end: number): void {
    this.bounds.push(start);
    this.bounds.push(end);
  }

  /** The spans' starts and ends by start ascending (of equal starts, in the order pushed). */
  byStart(): { starts: Int32Array; ends: Int32Array } {
    const bounds = this.bounds.view();
    const count = bounds.length / 2;
    const order = new Uint32Array(count);
    for (let n = 0; n < count; n++) order[n] = n;
    let ascending = true;
    for (let n = 1; n < count && ascending; n++) ascending = bounds[2 * n - 2] <= bounds[2 * n];
    if (!ascending) order.sort((a, b) => bounds[2 * a] - bounds[2 * b] || a - b);
    const starts = new Int32Array(count);
    const ends = new Int32Array(count);
    for (let n = 0; n < count; n++) {
      starts[n] = bounds[2 * order[n]];
      ends[n] = bounds[2 * order[n] + 1];
    }
    return { starts, ends };
  }
}
