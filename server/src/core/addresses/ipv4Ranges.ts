/**
 * A small IPv4 set for the checks run on every entry of a list (special
 * purpose, protected, the target), searched by code that sees IPv4 numbers
 * only. AddressSet's search serves both families, and with bigints beside
 * numbers each of its comparisons takes V8's slow generic path: on a list
 * of 200,000 entries that was half the time of the per-entry checks.
 */
import type { AddressSet } from './addressSet';

/** What the per-entry checks ask of a set; AddressSet answers it too. */
export interface RangeTest<A extends number | bigint> {
  /** Whether any address of [lo, hi] is in the set. */
  overlaps(lo: A, hi: A): boolean;
  /** Whether every address of [lo, hi] is in the set. */
  covers(lo: A, hi: A): boolean;
}

export class IPv4Ranges implements RangeTest<number> {
  private constructor(
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
  ) {}

  static of(set: AddressSet<number>): IPv4Ranges {
    const starts: number[] = [];
    const ends: number[] = [];
    set.forEachRange((start, end) => {
      starts.push(start);
      ends.push(end);
    });
    return new IPv4Ranges(Uint32Array.from(starts), Uint32Array.from(ends));
  }

  overlaps(lo: number, hi: number): boolean {
    const k = this.lastStartAtOrBefore(hi);
    return k >= 0 && this.ends[k] >= lo;
  }

  covers(lo: number, hi: number): boolean {
    const k = this.lastStartAtOrBefore(lo);
    return k >= 0 && hi <= this.ends[k];
  }

  private lastStartAtOrBefore(x: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] <= x) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}
