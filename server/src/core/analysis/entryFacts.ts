/**
 * The entry facts of a document, in columns: a list of millions of entries
 * has a fact for most of them, and an object for each would cost the
 * garbage collector more than the audit itself. A row is read back as an
 * EntryFact object made on the spot, or column by column where that counts.
 */
import { partitionPoint } from '../primitives/search';
import { ENTRY_CODES, type EntryCode } from './findingCodes';
import type { AwayPlace, EntryFact, Place } from './facts';
import type { EntrySplice } from '../document/document';

const CODE_NUMBERS = new Map(ENTRY_CODES.map((code, n) => [code, n]));

export class EntryFacts implements Iterable<EntryFact> {
  private codes: Uint8Array;
  private entries: Int32Array;
  private others: Int32Array;
  /** Where the other side stands, for the few facts that say so (by row). */
  private readonly places = new Map<number, { readonly at?: Place; readonly away?: AwayPlace }>();
  private rows = 0;

  /** Room for `capacity` facts before the columns grow (a list of a million entries has about as many facts: growing copies them). */
  constructor(capacity = 64) {
    this.codes = new Uint8Array(capacity);
    this.entries = new Int32Array(capacity);
    this.others = new Int32Array(capacity);
  }

  get length(): number {
    return this.rows;
  }

  /** A fact whose other side is entry `other` (or -1 for none). */
  add(code: EntryCode, entry: number, other: number): void {
    this.addRow(CODE_NUMBERS.get(code)!, entry, other);
  }

  push(fact: EntryFact): void {
    if (fact.at || fact.away) this.places.set(this.rows, { ...(fact.at ? { at: fact.at } : {}), ...(fact.away ? { away: fact.away } : {}) });
    this.add(fact.code, fact.entry, fact.other);
  }

  code(n: number): EntryCode {
    return ENTRY_CODES[this.codes[n]];
  }

  entry(n: number): number {
    return this.entries[n];
  }

  /** Row n's other side as an entry, or -1 (fact(n) has its place then, if any). */
  other(n: number): number {
    return this.others[n];
  }

  /** Row n as an object. */
  fact(n: number): EntryFact {
    const place = this.places.get(n);
    const fact = { code: this.code(n), entry: this.entries[n], other: this.others[n] };
    return place ? { ...fact, ...place } : fact;
  }

  /** The facts of entry k, in their order; of facts in entry order (inEntryOrder's). */
  of(k: number): EntryFact[] {
    const facts: EntryFact[] = [];
    for (let n = this.firstRowOf(k); n < this.rows && this.entries[n] === k; n++) facts.push(this.fact(n));
    return facts;
  }

  /** The first row of entry k's facts, or of the first entry after k that has any; of facts in entry order. */
  firstRowOf(k: number): number {
    return partitionPoint(this.rows, (i) => this.entries[i] >= k);
  }

  /** Whether any fact has a place beside its other entry (EntryFact.at, EntryFact.away). */
  get placed(): boolean {
    return this.places.size > 0;
  }

  *[Symbol.iterator](): Generator<EntryFact> {
    for (let n = 0; n < this.rows; n++) yield this.fact(n);
  }

  /**
   * The facts by entry (of `entryCount`), each entry's in the order they
   * were found, as a stable sort gives them: a counting sort, linear in
   * facts and entries.
   */
  inEntryOrder(entryCount: number): EntryFacts {
    if (this.rows * 8 < entryCount) return this.fewInEntryOrder();
    const starts = new Uint32Array(entryCount + 1);
    for (let n = 0; n < this.rows; n++) starts[this.entries[n] + 1]++;
    for (let k = 0; k < entryCount; k++) starts[k + 1] += starts[k];
    const sorted = new EntryFacts(this.rows);
    sorted.rows = this.rows;
    for (let n = 0; n < this.rows; n++) {
      const to = starts[this.entries[n]]++;
      sorted.codes[to] = this.codes[n];
      sorted.entries[to] = this.entries[n];
      sorted.others[to] = this.others[n];
      const place = this.places.size > 0 ? this.places.get(n) : undefined;
      if (place) sorted.places.set(to, place);
    }
    return sorted;
  }

  /** inEntryOrder's result for facts far fewer than the entries (those an edit found again): a sort of the rows rather than a pass over every entry. */
  private fewInEntryOrder(): EntryFacts {
    const rows = Array.from({ length: this.rows }, (_, n) => n).sort((a, b) => this.entries[a] - this.entries[b] || a - b);
    const sorted = new EntryFacts(this.rows);
    for (const n of rows) {
      const place = this.places.get(n);
      if (place) sorted.places.set(sorted.rows, place);
      sorted.addRow(this.codes[n], this.entries[n], this.others[n]);
    }
    return sorted;
  }

  /**
   * These facts (in entry order, with no places) after an edit that put
   * `splice.inserted` entries in the place of entries [splice.from,
   * splice.to): the facts of the entries in `redone` (ascending, in the
   * edited document) are those of `found` (in entry order), the others'
   * are kept and move with their entries. Rows are copied a run at a time.
   */
  edited(splice: EntrySplice, redone: Uint32Array, found: EntryFacts): EntryFacts {
    const { from, to, inserted } = splice;
    const shift = inserted - (to - from);
    const [removedFirst, removedEnd] = [this.firstRowOf(from), this.firstRowOf(to)];
    const out = new EntryFacts(this.rows - (removedEnd - removedFirst) + found.rows);
    // Old rows [a, b), the removed entries' left out, entries and their others moved to their places after the edit.
    const copy = (a: number, b: number) => {
      for (const [start, end] of [
        [a, Math.min(b, removedFirst)],
        [Math.max(a, removedEnd), b],
      ]) {
        if (start >= end) continue;
        const at = out.rows;
        out.codes.set(this.codes.subarray(start, end), at);
        out.entries.set(this.entries.subarray(start, end), at);
        out.others.set(this.others.subarray(start, end), at);
        out.rows += end - start;
        if (shift === 0) continue;
        for (let n = at; n < out.rows; n++) {
          if (out.entries[n] >= to) out.entries[n] += shift;
          if (out.others[n] >= to) out.others[n] += shift;
        }
      }
    };
    let row = 0; // the next old row not yet copied or left out
    let f = 0; // the next row of `found`
    for (const k of redone) {
      // The old index of entry k, when it is no entry the edit read.
      const old = k < from ? k : k >= from + inserted ? k - shift : -1;
      const next = this.firstRowOf(old >= 0 ? old : from);
      copy(row, next);
      row = old >= 0 ? this.firstRowOf(old + 1) : next;
      for (; f < found.rows && found.entries[f] === k; f++) out.addRow(found.codes[f], k, found.others[f]);
    }
    copy(row, this.rows);
    return out;
  }

  /** A row whose code is already a number of ENTRY_CODES: rows copied from other facts. */
  private addRow(code: number, entry: number, other: number): void {
    if (this.rows === this.codes.length) this.grow();
    const n = this.rows++;
    this.codes[n] = code;
    this.entries[n] = entry;
    this.others[n] = other;
  }

  private grow(): void {
    const size = Math.max(this.codes.length * 2, 64);
    const [codes, entries, others] = [new Uint8Array(size), new Int32Array(size), new Int32Array(size)];
    codes.set(this.codes);
    entries.set(this.entries);
    others.set(this.others);
    [this.codes, this.entries, this.others] = [codes, entries, others];
  }
}
