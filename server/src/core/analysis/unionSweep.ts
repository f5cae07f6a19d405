/**
 * The sweep that finds a union's duplicates, covered entries, partial
 * overlaps and merges: its entries in address order (entryOrder.ts), one at
 * a time, keeping the entry that reaches furthest so far. An entry inside it
 * is covered (or a duplicate when equal to the one before it), one that
 * starts inside it overlaps it partly, and one that starts right after it
 * may merge with it. A whole audit sweeps every entry (facts.ts); after an
 * edit the sweep resumes where the edit changed something (unionEdit.ts).
 */
import type { AddressArray, Family } from '../addresses/family';

/** What the sweep finds of an entry, if anything. */
export type SweepCode = 'duplicate' | 'covered' | 'partial-overlap' | 'mergeable';

export const SWEEP_CODES: ReadonlySet<string> = new Set<SweepCode>(['duplicate', 'covered', 'partial-overlap', 'mergeable']);

export class UnionSweep<A extends number | bigint> {
  /** The entry with the largest last address so far (-1 before the first). */
  reach = -1;
  /** The first entry of the current run of identical entries, equal to the last entry taken (-1 before the first). */
  groupFirst = -1;
  /** The other entry of the last step's finding. */
  other = -1;

  // Addresses are read from the columns, never kept in fields: a field holding numbers for one family and bigints for the other would box every IPv4 address put in it.
  constructor(
    private readonly family: Family<A>,
    private readonly los: AddressArray<A>,
    private readonly his: AddressArray<A>,
    private readonly prefixes: Int16Array,
  ) {}

  /** Continues as if the sweep had just taken the entry equal to `groupFirst`, with `reach` as it was then. */
  resume(reach: number, groupFirst: number): void {
    this.reach = reach;
    this.groupFirst = groupFirst;
  }

  /** Takes entry k, the next in address order: what it finds of k (its other entry in `other`), if anything. */
  step(k: number): SweepCode | undefined {
    const { los, his } = this;
    const lo = los[k];
    const hi = his[k];
    const last = this.groupFirst;
    if (last >= 0 && lo === los[last] && hi === his[last]) {
      this.other = last;
      return 'duplicate';
    }
    this.groupFirst = k;
    const reach = this.reach;
    if (reach < 0) {
      this.reach = k;
      return undefined;
    }
    this.other = reach;
    const reachHi = his[reach];
    if (hi <= reachHi) return 'covered';
    this.reach = k;
    if (lo <= reachHi) return 'partial-overlap';
    if (lo === this.family.next(reachHi) && mergesIntoOneBlock(this.family, los[reach], this.prefixes[reach], this.prefixes[k])) return 'mergeable';
    return undefined;
  }
}

/** Whether two adjacent CIDR blocks, the first starting at `firstLo`, together make one block of the next shorter prefix. */
function mergesIntoOneBlock<A extends number | bigint>(family: Family<A>, firstLo: A, firstPrefix: number, secondPrefix: number): boolean {
  return firstPrefix > 0 && firstPrefix === secondPrefix && family.network(firstLo, firstPrefix - 1) === firstLo;
}
