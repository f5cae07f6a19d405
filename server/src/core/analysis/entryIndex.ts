/**
 * Which entries overlap a range, in O(log n + k): the entries of each family
 * sorted by first address, under a tree of the largest last address per
 * node, so that a query descends only into nodes that can hold an overlap.
 * Built once per analysis, for the queries after its first few (a first
 * hover searches the audit's sorted entries, or scans them: cheaper than
 * building the trees for one query);
 * the hover's overlapping lines and the fixes' covering and adjacent
 * entries read it.
 */
import { IPV4, IPV6, type AddressArray, type Family } from '../addresses/family';
import type { EntryTable } from '../document/document';
import { radixSortIndices } from '../primitives/radixSort';
import { partitionPoint } from '../primitives/search';
import { workDone } from '../primitives/workCounter';

/** One family's entries by first address, with the tree of largest last addresses over them. */
class FamilyIndex<A extends number | bigint> {
  /** A power of two, at least the number of entries: node 1 covers sorted positions [0, leaves), node i's halves are nodes 2i and 2i + 1. */
  private readonly leaves: number;
  /** `maxHi[node]`: the largest last address among the sorted positions the node covers (position p is leaf node leaves + p). */
  private readonly maxHi: AddressArray<A>;

  constructor(
    family: Family<A>,
    private readonly order: Uint32Array,
    private readonly los: AddressArray<A>,
    his: AddressArray<A>,
  ) {
    let leaves = 1;
    while (leaves < order.length) leaves *= 2;
    this.leaves = leaves;
    // Built bottom up in one loop (a hover waits for it). Positions past the last lie past any query's end.
    const maxHi = (this.maxHi = family.allocate(2 * leaves));
    for (let p = 0; p < leaves; p++) maxHi[leaves + p] = p < order.length ? his[order[p]] : family.zero;
    for (let node = leaves - 1; node >= 1; node--) {
      const left: A = maxHi[2 * node];
      const right: A = maxHi[2 * node + 1];
      maxHi[node] = left > right ? left : right;
    }
  }

  /** Calls `visit` with every entry overlapping [lo, hi], in no particular order. */
  forEachOverlapping(lo: A, hi: A, visit: (k: number) => void): void {
    // Only entries starting at or before `hi` can overlap; of those, the tree finds the ones reaching `lo`.
    const end = partitionPoint(this.order.length, (n) => this.los[this.order[n]] > hi);
    if (end > 0) this.collect(1, 0, this.leaves, end, lo, visit);
  }

  private collect(node: number, from: number, to: number, end: number, lo: A, visit: (k: number) => void): void {
    if (from >= end || this.maxHi[node] < lo) return;
    if (to - from === 1) {
      visit(this.order[from]);
      return;
    }
    const middle = (from + to) >>> 1;
    this.collect(2 * node, from, middle, end, lo, visit);
    this.collect(2 * node + 1, middle, to, end, lo, visit);
  }
}

/** Queries answered by scanning every entry before the trees are built: a scan costs less than building them, many scans more. */
const SCANS_BEFORE_BUILDING = 4;

/** An audit's blocking entries of each family, by first address, and the widest entry's last minus first address (DocumentFacts'). */
interface SortedEntries {
  readonly order4: Uint32Array;
  readonly order6: Uint32Array;
  readonly widest4: number;
  readonly widest6: bigint;
}

export class EntryIndex {
  private trees?: { readonly v4: FamilyIndex<number>; readonly v6: FamilyIndex<bigint> };
  private scans = 0;

  private constructor(
    private readonly table: EntryTable,
    private readonly sorted: SortedEntries | undefined,
  ) {}

  /**
   * The index of every entry of `table`, blocking or not. The first queries
   * scan the entries (the first hover of a list just opened answers sooner
   * so); the trees are built for the queries after them. `sorted` saves
   * their sort when it holds every entry (as in most lists).
   */
  static of(table: EntryTable, sorted?: SortedEntries): EntryIndex {
    return new EntryIndex(table, sorted && sorted.order4.length + sorted.order6.length === table.count ? sorted : undefined);
  }

  /** The entries other than k that share an address with entry k, in document order. */
  overlapping(k: number): number[] {
    const table = this.table;
    const found: number[] = [];
    const visit = (other: number) => {
      if (other !== k) found.push(other);
    };
    if (table.version[k] === 4) this.forEachOverlapping4(table.lo4[k], table.hi4[k], visit);
    else this.forEachOverlapping6(table.lo6[k], table.hi6[k], visit);
    return found.sort((a, b) => a - b);
  }

  /** The entries of family `version` that hold `address`, in document order. */
  holding(version: 4 | 6, address: bigint): number[] {
    const found: number[] = [];
    const visit = (other: number) => found.push(other);
    if (version === 4) this.forEachOverlapping4(Number(address), Number(address), visit);
    else this.forEachOverlapping6(address, address, visit);
    return found.sort((a, b) => a - b);
  }

  private forEachOverlapping4(lo: number, hi: number, visit: (k: number) => void): void {
    const trees = this.built();
    if (trees) return trees.v4.forEachOverlapping(lo, hi, visit);
    const { version, lo4, hi4, count } = this.table;
    if (this.sorted) return forEachInWindow(this.sorted.order4, lo4, hi4, lo - this.sorted.widest4, lo, hi, visit);
    for (let k = 0; k < count; k++) if (version[k] === 4 && lo4[k] <= hi && hi4[k] >= lo) visit(k);
    workDone.entries += count;
  }

  private forEachOverlapping6(lo: bigint, hi: bigint, visit: (k: number) => void): void {
    const trees = this.built();
    if (trees) return trees.v6.forEachOverlapping(lo, hi, visit);
    const { version, lo6, hi6, count } = this.table;
    if (this.sorted) return forEachInWindow(this.sorted.order6, lo6, hi6, lo - this.sorted.widest6, lo, hi, visit);
    for (let k = 0; k < count; k++) if (version[k] === 6 && lo6[k] <= hi && hi6[k] >= lo) visit(k);
    workDone.entries += count;
  }

  /** The trees, once the entries have been scanned SCANS_BEFORE_BUILDING times; undefined before. */
  private built(): EntryIndex['trees'] {
    if (this.trees || this.scans++ < SCANS_BEFORE_BUILDING) return this.trees;
    const { table } = this;
    const { order4, order6 } = this.sorted ?? sortEntries(table);
    return (this.trees = { v4: new FamilyIndex(IPV4, order4, table.lo4, table.hi4), v6: new FamilyIndex(IPV6, order6, table.lo6, table.hi6) });
  }
}

/**
 * Calls `visit` with the entries of `order` (by first address) overlapping
 * [lo, hi]: as none is wider than the widest, those that start at `from`
 * (lo less the widest's span) or later and at `hi` or before. A list without
 * a broad entry is searched in a few places; a list with one is scanned.
 */
function forEachInWindow<A extends number | bigint>(order: Uint32Array, los: AddressArray<A>, his: AddressArray<A>, from: A, lo: A, hi: A, visit: (k: number) => void): void {
  const start = partitionPoint(order.length, (m) => los[order[m]] >= from);
  let n = start;
  for (; n < order.length && los[order[n]] <= hi; n++) if (his[order[n]] >= lo) visit(order[n]);
  workDone.entries += n - start;
}

/** Every entry of `table`, each family's by first address. */
function sortEntries(table: EntryTable): Pick<SortedEntries, 'order4' | 'order6'> {
  const v4 = new Uint32Array(table.count);
  const v6 = new Uint32Array(table.count);
  let count4 = 0;
  let count6 = 0;
  for (let k = 0; k < table.count; k++) {
    if (table.version[k] === 4) v4[count4++] = k;
    else v6[count6++] = k;
  }
  const order4 = v4.slice(0, count4);
  radixSortIndices(order4, table.lo4);
  const order6 = v6.slice(0, count6).sort((a, b) => (table.lo6[a] < table.lo6[b] ? -1 : table.lo6[a] > table.lo6[b] ? 1 : 0));
  return { order4, order6 };
}
