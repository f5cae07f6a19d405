/**
 * Ranges of addresses, each at a position (the order of the rules that hold
 * them), asked whether any range before a position holds an address of a
 * given range: a firewall's "did an earlier rule already take any of
 * these?". Built in O(n log n), each question answered in O(log n) however
 * wide the range asked or many the ranges it meets.
 *
 * The ranges' bounds cut the addresses into segments; each segment gets the
 * least position of the ranges holding it (ranges taken by position, a
 * segment assigned once: a union-find skips those already taken), and a
 * sparse table gives the least over any run of segments.
 */
import type { Family } from './family';
import { lowerBound } from '../primitives/search';

/** The position of no range. */
const NONE = 0x7fffffff;

export class EarliestCover<A extends number | bigint> {
  /** The segments' first addresses, ascending; segment s ends before cuts[s + 1]. */
  private readonly cuts: A[];
  /** levels[j][s]: the least position among segments s to s + 2^j - 1 (NONE where no range holds them). */
  private readonly levels: Int32Array[] = [];

  constructor(family: Family<A>, ranges: readonly { readonly lo: A; readonly hi: A; readonly position: number }[]) {
    const cuts = [...new Set(ranges.flatMap(({ lo, hi }) => [lo, family.next(hi)]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.cuts = cuts;
    const least = new Int32Array(Math.max(0, cuts.length - 1)).fill(NONE);
    // next[s]: the first segment at or after s not yet assigned (path-halving union-find).
    const next = Int32Array.from({ length: least.length + 1 }, (_, s) => s);
    const free = (s: number): number => {
      while (next[s] !== s) s = next[s] = next[next[s]];
      return s;
    };
    for (const { lo, hi, position } of [...ranges].sort((a, b) => a.position - b.position)) {
      const end = lowerBound(cuts, family.next(hi));
      for (let s = free(lowerBound(cuts, lo)); s < end; s = free(s + 1)) {
        least[s] = position;
        next[s] = s + 1;
      }
    }
    this.levels.push(least);
    for (let width = 2; width <= least.length; width *= 2) {
      const below = this.levels[this.levels.length - 1];
      const level = new Int32Array(least.length - width + 1);
      for (let s = 0; s < level.length; s++) level[s] = Math.min(below[s], below[s + width / 2]);
      this.levels.push(level);
    }
  }

  /** Whether a range of position less than `before` (at most 2^31 - 2) holds any address of [lo, hi]. */
  holdsBefore(lo: A, hi: A, before: number): boolean {
    const cuts = this.cuts;
    // The segments meeting [lo, hi]: from the one holding lo (or the first after it) to the last that starts at or before hi.
    const [atLo, atHi] = [lowerBound(cuts, lo), lowerBound(cuts, hi)];
    const from = Math.max(0, cuts[atLo] === lo ? atLo : atLo - 1);
    const to = Math.min(cuts[atHi] === hi ? atHi + 1 : atHi, cuts.length - 1);
    if (from >= to) return false;
    const j = 31 - Math.clz32(to - from);
    return Math.min(this.levels[j][from], this.levels[j][to - (1 << j)]) < before;
  }
}
