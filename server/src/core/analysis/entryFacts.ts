/**
 * The entry facts of a document, in columns: a list of millions of entries
 * has a fact for most of them, and an object for each would cost the
 * garbage collector more than the audit itself. A row is read back as an
 * EntryFact object made on the spot, or column by column where that counts.
 */
import { partitionPoint } from '../primitives/search';
import { ENTRY_CODES, type EntryCode } from './findingCodes';
import type { AwayPlace, EntryFact, Place } from './facts';

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
    if (this.rows === this.codes.length) this.grow();
    const n = this.rows++;
    this.codes[n] = CODE_NUMBERS.get(code)!;
    this.entries[n] = entry;
    this.others[n] = other;
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
    for (let n = partitionPoint(this.rows, (i) => this.entries[i] >= k); n < this.rows && this.entries[n] === k; n++) facts.push(this.fact(n));
    return facts;
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

  private grow(): void {
    const size = Math.max(this.codes.length * 2, 64);
    const [codes, entries, others] = [new Uint8Array(size), new Int32Array(size), new Int32Array(size)];
    codes.set(this.codes);
    entries.set(this.entries);
    others.set(this.others);
    [this.codes, this.entries, this.others] = [codes, entries, others];
  }
}
