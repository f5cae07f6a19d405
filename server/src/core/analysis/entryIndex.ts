/**
 * Which entries overlap a range, in O(log n + k): the entries of each family
 * sorted by first address, under a tree of the largest last address per
 * node, so that a query descends only into nodes that can hold an overlap.
 * Built once per analysis, on the first hover or fix that needs it; the
 * hover's overlapping lines and the fixes' covering and adjacent entries
 * read it instead of scanning every entry.
 */
import { IPV4, IPV6, type AddressArray, type Family } from '../addresses/family';
import type { EntryTable } from '../document/document';
import { radixSortIndices } from '../primitives/radixSort';
import { partitionPoint } from '../primitives/search';

/** One family's entries by first address, with the tree of largest last addresses over them. */
class FamilyIndex<A extends number | bigint> {
  /** `maxHi[node]`: the largest last address among the sorted positions the node covers; node 1 covers all. */
  private readonly maxHi: AddressArray<A>;

  constructor(
    family: Family<A>,
    private readonly order: Uint32Array,
    private readonly los: AddressArray<A>,
    private readonly his: AddressArray<A>,
  ) {
    this.maxHi = family.allocate(Math.max(1, 4 * order.length));
    if (order.length > 0) this.build(1, 0, order.length);
  }

  /** Calls `visit` with every entry overlapping [lo, hi], in no particular order. */
  forEachOverlapping(lo: A, hi: A, visit: (k: number) => void): void {
    // Only entries starting at or before `hi` can overlap; of those, the tree finds the ones reaching `lo`.
    const end = partitionPoint(this.order.length, (n) => this.los[this.order[n]] > hi);
    if (end > 0) this.collect(1, 0, this.order.length, end, lo, visit);
  }

  private build(node: number, from: number, to: number): A {
    if (to - from === 1) return (this.maxHi[node] = this.his[this.order[from]]);
    const middle = (from + to) >>> 1;
    const left = this.build(2 * node, from, middle);
    const right = this.build(2 * node + 1, middle, to);
    return (this.maxHi[node] = left > right ? left : right);
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

export class EntryIndex {
  private constructor(
    private readonly v4: FamilyIndex<number>,
    private readonly v6: FamilyIndex<bigint>,
  ) {}

  /** The index of every entry of `table`, blocking or not. */
  static of(table: EntryTable): EntryIndex {
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
    return new EntryIndex(new FamilyIndex(IPV4, order4, table.lo4, table.hi4), new FamilyIndex(IPV6, order6, table.lo6, table.hi6));
  }

  /** The entries of `table` other than k that share an address with entry k, in document order. */
  overlapping(table: EntryTable, k: number): number[] {
    const found: number[] = [];
    const visit = (other: number) => {
      if (other !== k) found.push(other);
    };
    if (table.version[k] === 4) this.v4.forEachOverlapping(table.lo4[k], table.hi4[k], visit);
    else this.v6.forEachOverlapping(table.lo6[k], table.hi6[k], visit);
    return found.sort((a, b) => a - b);
  }

  /** The entries of family `version` that hold `address`, in document order. */
  holding(version: 4 | 6, address: bigint): number[] {
    const found: number[] = [];
    const visit = (other: number) => found.push(other);
    if (version === 4) this.v4.forEachOverlapping(Number(address), Number(address), visit);
    else this.v6.forEachOverlapping(address, address, visit);
    return found.sort((a, b) => a - b);
  }
}
