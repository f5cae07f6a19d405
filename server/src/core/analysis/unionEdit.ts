/**
 * After a one-line edit of a list that is one union, what its sweep
 * (unionSweep.ts) finds again, and only where the edit can change it. An
 * entry's sweep finding depends on the entries before it in address order
 * through the sweep's state alone (the entry reaching furthest, the first of
 * a run of equal ones), and the facts before the edit tell that state after
 * each entry. So the sweep resumes just before each place the edit changed
 * in the address order and stops once its state is again what it was after
 * the same entry: from there on everything is as before. What the list
 * blocks is worked out again only around the entries the edit removed and
 * read. On a list of two million entries the whole sweep is some 200 ms of
 * random reads; this is a few entries.
 */
import { AddressSet } from '../addresses/addressSet';
import { IPV4, IPV6, type AddressArray, type Family } from '../addresses/family';
import type { BlocklistDocument, EntrySplice, EntryTable } from '../document/document';
import { partitionPoint } from '../primitives/search';
import type { EntryFacts } from './entryFacts';
import type { DocumentFacts } from './facts';
import { SWEEP_CODES, UnionSweep, type SweepCode } from './unionSweep';

/** What the sweep found again after an edit. */
export interface UnionEdit {
  readonly blocked4: AddressSet<number>;
  readonly blocked6: AddressSet<bigint>;
  /** The entries whose facts are found again, ascending: those the edit read, and those whose place in the sweep it changed. */
  readonly redone: Uint32Array;
}

/** One family's columns of a table. */
interface Columns<A extends number | bigint> {
  readonly los: AddressArray<A>;
  readonly his: AddressArray<A>;
}

/** Stands for an entry the edit removed, in the edited document's numbering: no entry is that. */
const REMOVED = -2;

/**
 * The sweep of `document`, an edit (updateDocument's) of `previous` whose
 * facts were `before`, resumed where the edit changed it: its findings of
 * the redone entries go to `facts`, in the order found. Both documents must
 * be one union of the same role, audited with the same options. `order4`
 * and `order6` are the edited document's blocking entries in address order.
 */
export function unionEdit(document: BlocklistDocument, previous: BlocklistDocument, before: DocumentFacts, order4: Uint32Array, order6: Uint32Array, facts: EntryFacts): UnionEdit {
  const splice = document.spliced!;
  const edit = new FamilyEdit(document, previous, splice, before.entryFacts, facts);
  const [now, then] = [document.entries, previous.entries];
  const blocked4 = edit.run(IPV4, { los: now.lo4, his: now.hi4 }, { los: then.lo4, his: then.hi4 }, order4, before.blocked4);
  const blocked6 = edit.run(IPV6, { los: now.lo6, his: now.hi6 }, { los: then.lo6, his: then.hi6 }, order6, before.blocked6);
  // The entries the sweep took, each entry the edit read among them (each is at one of the places it resumes from).
  return { blocked4, blocked6, redone: Uint32Array.from(edit.swept()).sort() };
}

/**
 * The entries [from, to) of `document`, one union, that block of one family:
 * none when the union is an allowlist; else those that are no exception.
 */
export function blockingIn(document: BlocklistDocument, from: number, to: number, version: 4 | 6): Uint32Array {
  const table = document.entries;
  const entries: number[] = [];
  if (document.scopes[0].role === 'block') for (let k = from; k < to; k++) if (table.version[k] === version && !table.allow[k] && !table.conditional[k]) entries.push(k);
  return Uint32Array.from(entries);
}

class FamilyEdit {
  private readonly shift: number;
  private readonly table: EntryTable;
  /** What the resumed sweep found of the entries it took: a code (if any) and its other entry. */
  private readonly found = new Map<number, Fact>();

  constructor(
    private readonly document: BlocklistDocument,
    private readonly previous: BlocklistDocument,
    private readonly splice: EntrySplice,
    /** The facts before the edit, in entry order. */
    private readonly before: EntryFacts,
    private readonly facts: EntryFacts,
  ) {
    this.shift = splice.inserted - (splice.to - splice.from);
    this.table = document.entries;
  }

  /** One family: its facts found again, and what it blocks after the edit. */
  run<A extends number | bigint>(family: Family<A>, now: Columns<A>, then: Columns<A>, order: Uint32Array, blocked: AddressSet<A>): AddressSet<A> {
    const { splice } = this;
    const removed = blockingIn(this.previous, splice.from, splice.to, family.version);
    const read = blockingIn(this.document, splice.from, splice.from + splice.inserted, family.version);
    if (removed.length + read.length === 0) return blocked;

    // Where each entry the edit read stands in the address order, and where each it removed stood (before the equal entries after it).
    const before = (k: number, lo: A, hi: A, earlier: (k: number) => boolean) => now.los[k] < lo || (now.los[k] === lo && (now.his[k] > hi || (now.his[k] === hi && earlier(k))));
    const places = new Set<number>();
    for (const k of read) places.add(partitionPoint(order.length, (p) => !before(order[p], now.los[k], now.his[k], (j) => j < k)));
    for (const r of removed) places.add(partitionPoint(order.length, (p) => !before(order[p], then.los[r], then.his[r], (j) => j < splice.from)));
    this.sweep(
      family,
      now,
      order,
      [...places].sort((a, b) => a - b),
    );

    // What the family blocks changes only within the entries the edit removed and read: each is set to what the entries
    // after the edit block of it, those starting in it and the one reaching furthest from before it.
    for (const [lo, hi] of [...Array.from(removed, (r) => [then.los[r], then.his[r]] as const), ...Array.from(read, (k) => [now.los[k], now.his[k]] as const)]) {
      const first = partitionPoint(order.length, (p) => now.los[order[p]] >= lo);
      const end = partitionPoint(order.length, (p) => now.los[order[p]] > hi);
      const within = AddressSet.ascending(family, end - first + 1);
      const reach = first > 0 ? reachBy(order[first - 1], (k) => this.currentFact(k)) : -1;
      if (reach >= 0 && now.his[reach] >= lo) within.add(lo, now.his[reach] < hi ? now.his[reach] : hi);
      for (let p = first; p < end; p++) within.add(now.los[order[p]], now.his[order[p]] < hi ? now.his[order[p]] : hi);
      blocked = blocked.replaced(lo, hi, within.build());
    }
    return blocked;
  }

  /** Sweeps from each of `places` (ascending positions in `order`) until the sweep's state is again what it was before the edit. */
  private sweep<A extends number | bigint>(family: Family<A>, now: Columns<A>, order: Uint32Array, places: readonly number[]): void {
    const sweep = new UnionSweep(family, now.los, now.his, this.table.prefix);
    const resumeBefore = (n: number) => {
      if (n === 0) sweep.resume(-1, -1);
      else {
        const old = this.oldIndex(order[n - 1]);
        sweep.resume(this.reachAfter(old), this.groupAfter(old));
      }
    };
    let next = 0; // the next of `places` not yet passed
    let n = places[0];
    resumeBefore(n);
    while (n < order.length) {
      const k = order[n++];
      const code = sweep.step(k);
      if (code !== undefined) this.facts.add(code, k, sweep.other);
      this.found.set(k, [code, code === undefined ? -1 : sweep.other]);
      while (next < places.length && places[next] < n) next++;
      if (next < places.length && places[next] === n) continue;
      const old = this.oldIndex(k);
      if (old < 0 || sweep.reach !== this.reachAfter(old) || sweep.groupFirst !== this.groupAfter(old)) continue;
      // The state is what it was: the entries up to the next changed place are as before.
      if (next === places.length) break;
      n = places[next];
      resumeBefore(n);
    }
  }

  /** The entries the resumed sweeps took, in both families. */
  swept(): Iterable<number> {
    return this.found.keys();
  }

  /** Entry k's index before the edit, or -1 for an entry the edit read. */
  private oldIndex(k: number): number {
    const { from, inserted } = this.splice;
    return k < from ? k : k >= from + inserted ? k - this.shift : -1;
  }

  /** An index before the edit in the edited document's numbering (REMOVED for an entry the edit removed). */
  private newIndex(old: number): number {
    const { from, to } = this.splice;
    return old < from ? old : old >= to ? old + this.shift : REMOVED;
  }

  /** The sweep's reaching entry after entry `old` before the edit, in the edited document's numbering. */
  private reachAfter(old: number): number {
    return this.newIndex(reachBy(old, (k) => this.factBefore(k)));
  }

  /** The first of the run of equal entries that entry `old` ended, before the edit, in the edited document's numbering. */
  private groupAfter(old: number): number {
    const [code, other] = this.factBefore(old);
    return this.newIndex(code === 'duplicate' ? other : old);
  }

  /** What the sweep after the edit finds of entry k: found again, or as before. */
  private currentFact(k: number): Fact {
    const found = this.found.get(k);
    if (found) return found;
    const [code, other] = this.factBefore(this.oldIndex(k));
    return [code, code === undefined ? -1 : this.newIndex(other)];
  }

  /** What the sweep before the edit found of entry `old`, in the numbering before the edit. */
  private factBefore(old: number): Fact {
    const facts = this.before;
    for (let n = facts.firstRowOf(old); n < facts.length && facts.entry(n) === old; n++) {
      const code = facts.code(n);
      if (SWEEP_CODES.has(code)) return [code as SweepCode, facts.other(n)];
    }
    return [undefined, -1];
  }
}

/** What a sweep found of an entry: its code, if any, and the other entry. */
type Fact = readonly [SweepCode | undefined, number];

/** The entry reaching furthest after entry k, by what a sweep found of each entry (`factOf`): a duplicate's is its group's first entry's. */
function reachBy(k: number, factOf: (k: number) => Fact): number {
  let [code, other] = factOf(k);
  let reach = k;
  if (code === 'duplicate') {
    reach = other;
    [code, other] = factOf(other);
  }
  return code === 'covered' ? other : reach;
}
