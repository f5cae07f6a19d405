/**
 * A parsed blocklist document: every entry with its position and addresses,
 * stored column-wise in typed arrays (a few dozen bytes an entry, no object
 * per entry), plus the problems found while reading.
 */
import { readDirectives, type Directives } from './directives';
import type { ParsedEntry } from './entry';
import { resolveScopes, ScopeNames, type Scope } from './scopes';
import { countLineBreaks, lineStartOf, nextLineStart, type EntryMeaning, type Format } from '../formats/format';
import { CR } from '../primitives/charCodes';
import { contentStart, NOT_TEXT_SAMPLE, notTextAt } from './encoding';
import type { LineProblem } from './problem';
import { readEntries, type LineScopeFact } from './readEntries';
import { lowerBound } from '../primitives/search';

type NumericArray = Int32Array | Uint32Array | Uint8Array | Int16Array;
type ArrayMaker = new (length: number) => NumericArray;

/** The typed-array columns of an EntryTable and their element types. */
const COLUMNS = {
  start: Int32Array,
  end: Int32Array,
  line: Int32Array,
  version: Uint8Array,
  allow: Uint8Array,
  conditional: Uint8Array,
  scope: Int32Array,
  prefix: Int16Array,
  lo4: Uint32Array,
  hi4: Uint32Array,
} satisfies Record<string, ArrayMaker>;

type Column = keyof typeof COLUMNS;

/** Column-wise storage of entries; index k is the k-th entry in document order. */
export class EntryTable {
  count = 0;
  /** Offsets of the entry's text, `end` exclusive. */
  start!: Int32Array;
  end!: Int32Array;
  /** Zero-based line. */
  line!: Int32Array;
  /** 4 or 6. */
  version!: Uint8Array;
  /** 1 for exceptions (`allow`), 0 for blocking entries. */
  allow!: Uint8Array;
  /** 1 for rules that match only some traffic of the address (EntryMeaning.conditional): they decide nothing about it as such. */
  conditional!: Uint8Array;
  /** The id of the entry's scope in the document's ScopeNames (0: the file itself). */
  scope!: Int32Array;
  /** Prefix length when the entry is one CIDR block, else -1. */
  prefix!: Int16Array;
  /** IPv4 bounds (0 for IPv6 entries). */
  lo4!: Uint32Array;
  hi4!: Uint32Array;
  /** IPv6 bounds, set only at the indices of IPv6 entries (an IPv4-only list allocates nothing here). */
  lo6: bigint[] = [];
  hi6: bigint[] = [];

  constructor(capacity = 256) {
    for (const column of Object.keys(COLUMNS) as Column[]) this.setColumn(column, new COLUMNS[column](capacity));
  }

  push(start: number, end: number, line: number, entry: ParsedEntry, meaning: EntryMeaning, scope: number): void {
    if (this.count === this.start.length) this.resize(this.start.length * 2);
    const k = this.count++;
    this.start[k] = start;
    this.end[k] = end;
    this.line[k] = line;
    this.version[k] = entry.version;
    this.allow[k] = meaning.role === 'allow' ? 1 : 0;
    this.conditional[k] = meaning.conditional ? 1 : 0;
    this.scope[k] = scope;
    this.prefix[k] = entry.prefix;
    if (entry.version === 4) {
      this.lo4[k] = entry.lo4;
      this.hi4[k] = entry.hi4;
    } else {
      this.lo6[k] = entry.lo6;
      this.hi6[k] = entry.hi6;
    }
  }

  /**
   * A new table: this one's entries [0, from), then `middle`'s, then this
   * one's from `to` on, moved by `offsetDelta` characters and `lineDelta` lines.
   */
  splice(from: number, to: number, middle: EntryTable, offsetDelta: number, lineDelta: number): EntryTable {
    const tail = this.count - to;
    const table = new EntryTable(from + middle.count + tail);
    for (const column of Object.keys(COLUMNS) as Column[]) {
      const target = table[column];
      target.set(this[column].subarray(0, from), 0);
      target.set(middle[column].subarray(0, middle.count), from);
      target.set(this[column].subarray(to, this.count), from + middle.count);
    }
    const moved = from + middle.count;
    // Typing within a line moves the later entries' offsets only; most edits leave one of the two as it was.
    if (offsetDelta !== 0) {
      for (let k = moved; k < moved + tail; k++) {
        table.start[k] += offsetDelta;
        table.end[k] += offsetDelta;
      }
    }
    if (lineDelta !== 0) for (let k = moved; k < moved + tail; k++) table.line[k] += lineDelta;
    table.copyIPv6(this, 0, from, 0);
    table.copyIPv6(middle, 0, middle.count, from);
    table.copyIPv6(this, to, this.count, moved - to);
    table.count = moved + tail;
    return table;
  }

  /** The entry's bounds as bigints, whatever its family. */
  lo(k: number): bigint {
    return this.version[k] === 4 ? BigInt(this.lo4[k]) : this.lo6[k];
  }

  hi(k: number): bigint {
    return this.version[k] === 4 ? BigInt(this.hi4[k]) : this.hi6[k];
  }

  /** hi - lo + 1. */
  size(k: number): bigint {
    return this.version[k] === 4 ? BigInt(this.hi4[k] - this.lo4[k] + 1) : this.hi6[k] - this.lo6[k] + 1n;
  }

  /** The entries that are not conditional, ascending: those that decide about an address as such. */
  decisive(): Uint32Array {
    const decisive = new Uint32Array(this.count);
    let n = 0;
    for (let k = 0; k < this.count; k++) if (!this.conditional[k]) decisive[n++] = k;
    return decisive.subarray(0, n);
  }

  /** The first entry starting at or after `offset` (count if none). */
  firstAtOrAfter(offset: number): number {
    return lowerBound(this.start, offset, this.count);
  }

  /** The entry on `line` whose span holds `offset` (or the line's first entry when `offset` is -1), else -1. */
  entryAt(line: number, offset = -1): number {
    for (let k = lowerBound(this.line, line, this.count); k < this.count && this.line[k] === line; k++) {
      if (offset < 0 || (offset >= this.start[k] && offset <= this.end[k])) return k;
    }
    return -1;
  }

  /** Copies the IPv6 bounds of `source`'s entries [from, to) to index + shift. */
  private copyIPv6(source: EntryTable, from: number, to: number, shift: number): void {
    if (source.lo6.length === 0) return; // no IPv6 entry at all
    for (let k = from; k < to; k++) {
      if (source.version[k] !== 6) continue;
      this.lo6[k + shift] = source.lo6[k];
      this.hi6[k + shift] = source.hi6[k];
    }
  }

  private resize(capacity: number): void {
    for (const column of Object.keys(COLUMNS) as Column[]) {
      const bigger = new COLUMNS[column](capacity);
      bigger.set(this[column]);
      this.setColumn(column, bigger);
    }
  }

  private setColumn(column: Column, array: NumericArray): void {
    (this as Record<Column, NumericArray>)[column] = array;
  }
}

export interface BlocklistDocument {
  readonly text: string;
  readonly format: Format;
  readonly entries: EntryTable;
  /** Problems met while reading, in line order. */
  readonly problems: readonly LineProblem[];
  readonly directives: Directives;
  /** What lines say about scopes (declarations, the rules that use them), in line order. */
  readonly scopeFacts: readonly LineScopeFact[];
  /** Indexed by EntryTable.scope; shared, append-only, with the documents this one is an edit of. */
  readonly scopeNames: ScopeNames;
  /** Indexed by EntryTable.scope. */
  readonly scopes: readonly Scope[];
  /** Set by updateDocument: how this document's entries relate to the previous one's. */
  readonly spliced?: EntrySplice;
}

/**
 * The previous document's entries [from, to) were replaced by `inserted`
 * entries; the others kept their order. Data kept per entry beside the
 * document (the analysis's memo of owners) moves the same way.
 */
export interface EntrySplice {
  readonly from: number;
  readonly to: number;
  readonly inserted: number;
}

/**
 * Reads `text` in `format`. Never throws: unreadable lines become problems.
 * A byte-order mark that starts the text is no part of its first line; a
 * text that is not text (see notTextAt) is one problem, and nothing is read.
 */
export function parseDocument(text: string, format: Format): BlocklistDocument {
  const scopeNames = new ScopeNames();
  const nul = notTextAt(text);
  const read: RegionRead =
    nul >= 0
      ? { entries: new EntryTable(), problems: [notText(text, nul)], scopeFacts: [] }
      : // Real lists average 12 to 20 characters a line: start near the final size rather than doubling from small.
        readRegion(text, contentStart(text), text.length, 0, format, scopeNames, Math.max(256, Math.ceil(text.length / 12)));
  const directives: Directives = nul >= 0 ? {} : readDirectives(text, format);
  return { text, format, ...read, directives, scopeNames, scopes: resolveScopes(scopeNames, read.scopeFacts, directives, format) };
}

/** How much of a text's start and end an edit left as they were, in characters: as an editor's changes tell it. */
export interface KeptEnds {
  readonly prefix: number;
  readonly suffix: number;
}

/**
 * The document after its text changed to `text`. For formats read line by
 * line only the lines between the unchanged start and the unchanged end of
 * the text are read again; the other entries and problems are moved. `kept`
 * says how much of the start and end is unchanged, when the editor's
 * changes told it (it may say less than is: more lines are read again);
 * without it the texts are compared.
 */
export function updateDocument(previous: BlocklistDocument, text: string, kept?: KeptEnds): BlocklistDocument {
  const old = previous.text;
  const shorter = Math.min(old.length, text.length);
  if (kept ? kept.prefix >= old.length && old.length === text.length : old === text) return previous;
  const start = contentStart(text);
  const format = previous.format;
  const acrossLines = format.readsAcrossLines !== undefined && (format.readsAcrossLines(old) || format.readsAcrossLines(text));
  if (!format.lineByLine || acrossLines || start !== contentStart(old) || notTextAt(old) >= 0 || notTextAt(text) >= 0) return parseDocument(text, format);

  const prefix = kept ? Math.min(kept.prefix, shorter) : commonPrefix(old, text);
  const suffix = kept ? Math.min(kept.suffix, shorter - prefix) : commonSuffix(old, text, shorter - prefix);
  // Widen the changed part to whole lines: [regionStart, oldEnd) before, [regionStart, newEnd) after. A line that
  // ends with a lone `\r` is taken too, as the edit may make it a `\r\n`.
  let regionStart = lineStartOf(old, prefix);
  if (old.charCodeAt(regionStart - 1) === CR) regionStart = lineStartOf(old, regionStart - 1);
  regionStart = Math.max(regionStart, start);
  const oldEnd = nextLineStart(old, old.length - suffix);
  const offsetDelta = text.length - old.length;
  const newEnd = oldEnd + offsetDelta;

  const entries = previous.entries;
  const from = entries.firstAtOrAfter(regionStart);
  const to = entries.firstAtOrAfter(oldEnd);
  const firstLine = from > 0 ? entries.line[from - 1] + countLineBreaks(old, entries.start[from - 1], regionStart) : countLineBreaks(old, 0, regionStart);
  const lineDelta = countLineBreaks(text, regionStart, newEnd) - countLineBreaks(old, regionStart, oldEnd);

  const scopeNames = previous.scopeNames;
  const region = readRegion(text, regionStart, newEnd, firstLine, previous.format, scopeNames, Math.max(16, to - from + 16));
  // Problems and scope facts before the region stay, the region's are new, those after it move.
  const splice = <T extends Located>(before: readonly T[], read: readonly T[]): T[] => [
    ...before.filter((item) => item.start < regionStart),
    ...read,
    ...before.filter((item) => item.start >= oldEnd).map((item) => ({ ...item, start: item.start + offsetDelta, end: item.end + offsetDelta, line: item.line + lineDelta })),
  ];
  const scopeFacts = splice(previous.scopeFacts, region.scopeFacts);
  const directives = readDirectives(text, previous.format);
  return {
    text,
    format: previous.format,
    entries: entries.splice(from, to, region.entries, offsetDelta, lineDelta),
    problems: splice(previous.problems, region.problems),
    directives,
    scopeFacts,
    scopeNames,
    scopes: resolveScopes(scopeNames, scopeFacts, directives, previous.format),
    spliced: { from, to, inserted: region.entries.count },
  };
}

/** What reading a run of whole lines gives, placed in the whole text. */
interface RegionRead {
  readonly entries: EntryTable;
  readonly problems: readonly LineProblem[];
  readonly scopeFacts: readonly LineScopeFact[];
}

/** Reads text[from, to), whose first line is line `firstLine` of the text, with offsets and lines in the whole text. */
function readRegion(text: string, from: number, to: number, firstLine: number, format: Format, scopeNames: ScopeNames, capacity: number): RegionRead {
  const entries = new EntryTable(capacity);
  const scopeFacts: LineScopeFact[] = [];
  const place = <T extends Located>(item: T): T => ({ ...item, start: item.start + from, end: item.end + from, line: item.line + firstLine });
  const problems = readEntries(
    from === 0 && to === text.length ? text : text.slice(from, to),
    format.read,
    (start, end, line, entry, meaning) => entries.push(start + from, end + from, line + firstLine, entry, meaning, scopeNames.id(meaning.scope ?? '')),
    (fact) => scopeFacts.push(from === 0 && firstLine === 0 ? fact : place(fact)),
    format.octalOctets,
  );
  return { entries, problems: from === 0 && firstLine === 0 ? problems : problems.map(place), scopeFacts };
}

/** The one problem of a text that is not text: nothing else is said about it. */
function notText(text: string, nul: number): LineProblem {
  return {
    code: 'not-text',
    start: nul,
    end: nul + 1,
    line: countLineBreaks(text, 0, nul),
    message: `This file is not text: it holds a NUL character here, within its first ${NOT_TEXT_SAMPLE / 1024} KiB, so none of it is read. Blocklists are text files, UTF-8 or UTF-16 with a byte-order mark.`,
  };
}

/** Anything placed in the text by offsets and a line. */
interface Located {
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/** Compared a block at a time: string equality runs natively, a character loop over megabytes does not. */
const BLOCK = 4096;

function commonPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let n = 0;
  while (n + BLOCK <= limit && a.slice(n, n + BLOCK) === b.slice(n, n + BLOCK)) n += BLOCK;
  while (n < limit && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** The length of the common end of a and b, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  while (n + BLOCK <= limit && a.slice(a.length - n - BLOCK, a.length - n) === b.slice(b.length - n - BLOCK, b.length - n)) n += BLOCK;
  while (n < limit && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}
