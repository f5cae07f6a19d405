/**
 * Exact sets of addresses of one family, kept as sorted, disjoint,
 * non-adjacent closed intervals [starts[k], ends[k]]. Every operation returns
 * a set in that normal form, so equal sets have equal arrays.
 */
import type { AddressArray, Family } from './family';
import { workDone } from '../primitives/workCounter';

/** See AddressSet.ascending. */
export interface AscendingUnion<A extends number | bigint> {
  add(lo: A, hi: A): void;
  /** Adds `set`'s intervals [from, to), copied as they are: none may start at or before the end of the last added, nor adjoin it. */
  append(set: AddressSet<A>, from: number, to: number): void;
  /** The set; `size`, its number of addresses when known. */
  build(size?: bigint): AddressSet<A>;
}

/** The empty set of each family (AddressSet.empty). */
const EMPTY = new Map<Family<number | bigint>, AddressSet<number | bigint>>();

export class AddressSet<A extends number | bigint> {
  private constructor(
    readonly family: Family<A>,
    private readonly starts: AddressArray<A>,
    private readonly ends: AddressArray<A>,
    /** Number of intervals (the arrays may be longer). */
    readonly rangeCount: number,
    /** The number of addresses, once known: a set never changes. */
    private total?: bigint,
  ) {}

  static empty<A extends number | bigint>(family: Family<A>): AddressSet<A> {
    // One per family, as a set never changes: a file of a scope per line asks for thousands.
    let empty = EMPTY.get(family) as AddressSet<A> | undefined;
    if (empty === undefined) EMPTY.set(family, (empty = new AddressSet(family, family.allocate(0), family.allocate(0), 0)));
    return empty;
  }

  /** The addresses lo…hi (lo <= hi). */
  static range<A extends number | bigint>(family: Family<A>, lo: A, hi: A): AddressSet<A> {
    const [starts, ends] = [family.allocate(1), family.allocate(1)];
    starts[0] = lo;
    ends[0] = hi;
    return new AddressSet(family, starts, ends, 1);
  }

  /**
   * The union of the closed intervals whose bounds are `starts[0, length)` and
   * `ends[0, length)`, each array sorted ascending on its own (see
   * IntervalBuilder). Sorting the bounds apart is enough: the k-th smallest
   * start never exceeds the k-th smallest end, so one sweep over both,
   * counting how many intervals are open, finds every maximal run.
   */
  static fromSortedBounds<A extends number | bigint>(family: Family<A>, starts: AddressArray<A>, ends: AddressArray<A>, length: number): AddressSet<A> {
    const outStarts = family.allocate(length);
    const outEnds = family.allocate(length);
    let out = 0;
    let i = 0;
    let j = 0;
    while (i < length) {
      const runStart = starts[i++];
      let open = 1;
      while (open > 0) {
        // A start at or just after the smallest open end continues the run.
        if (i < length && starts[i] <= family.next(ends[j])) {
          open++;
          i++;
        } else {
          open--;
          j++;
        }
      }
      outStarts[out] = runStart;
      outEnds[out] = ends[j - 1];
      out++;
    }
    workDone.elements += length;
    return new AddressSet(family, outStarts, outEnds, out);
  }

  /**
   * The union of the intervals [los[k], his[k]] for the indices k in `order`,
   * which lists them by first address ascending: one linear sweep.
   */
  static fromOrderedIntervals<A extends number | bigint>(family: Family<A>, los: AddressArray<A>, his: AddressArray<A>, order: ArrayLike<number>): AddressSet<A> {
    const union = AddressSet.ascending(family, order.length);
    for (let n = 0; n < order.length; n++) union.add(los[order[n]], his[order[n]]);
    return union.build();
  }

  /**
   * A builder of the union of intervals added by first address ascending,
   * for a sweep that reads them anyway: `add` each (or only those that reach
   * past all before them), then `build`. `capacity`: at most how many.
   */
  static ascending<A extends number | bigint>(family: Family<A>, capacity: number): AscendingUnion<A> {
    const starts = family.allocate(capacity);
    const ends = family.allocate(capacity);
    let count = 0;
    let added = 0;
    return {
      add(lo, hi) {
        added++;
        if (count > 0 && lo <= family.next(ends[count - 1])) {
          if (hi > ends[count - 1]) ends[count - 1] = hi;
        } else {
          starts[count] = lo;
          ends[count] = hi;
          count++;
        }
      },
      append(set, from, to) {
        copyRange(starts, count, set.starts, from, to);
        copyRange(ends, count, set.ends, from, to);
        count += Math.max(0, to - from);
      },
      build(size) {
        workDone.elements += added;
        // A list of overlapping entries has far fewer ranges than entries: the set keeps room for its ranges only.
        if (count < starts.length / 2) return new AddressSet(family, family.resize(starts, count), family.resize(ends, count), count, size);
        return new AddressSet(family, starts, ends, count, size);
      },
    };
  }

  /** This set and the addresses points[0, count) (ascending, repeats allowed), in one merging pass. */
  withPoints(points: AddressArray<A>, count: number): AddressSet<A> {
    if (count === 0) return this;
    const union = AddressSet.ascending(this.family, this.rangeCount + count);
    let i = 0;
    let j = 0;
    while (i < this.rangeCount || j < count) {
      const fromRanges = j === count || (i < this.rangeCount && this.starts[i] <= points[j]);
      if (fromRanges) union.add(this.starts[i], this.ends[i++]);
      else union.add(points[j], points[j++]);
    }
    return union.build();
  }

  /** Builds from intervals already sorted, disjoint and non-adjacent (trusted). */
  private static normal<A extends number | bigint>(family: Family<A>, starts: A[], ends: A[]): AddressSet<A> {
    const s = family.allocate(starts.length);
    const e = family.allocate(ends.length);
    for (let k = 0; k < starts.length; k++) {
      s[k] = starts[k];
      e[k] = ends[k];
    }
    return new AddressSet(family, s, e, starts.length);
  }

  get isEmpty(): boolean {
    return this.rangeCount === 0;
  }

  start(k: number): A {
    return this.starts[k];
  }

  end(k: number): A {
    return this.ends[k];
  }

  /** The exact number of addresses. */
  size(): bigint {
    return (this.total ??= this.sizeOf(0, this.rangeCount));
  }

  /** The number of addresses in intervals [from, to). */
  private sizeOf(from: number, to: number): bigint {
    workDone.elements += to - from;
    if (this.family.version === 4) {
      // At most 2^32: exact as a double, and one bigint instead of one per interval.
      let sum = 0;
      for (let k = from; k < to; k++) sum += (this.ends[k] as number) - (this.starts[k] as number) + 1;
      return BigInt(sum);
    }
    let total = 0n;
    for (let k = from; k < to; k++) total += this.family.count(this.starts[k], this.ends[k]);
    return total;
  }

  /** Index of the interval holding `x`, or -1. O(log n). */
  indexOf(x: A): number {
    const k = this.lastStartAtOrBefore(x);
    return k >= 0 && x <= this.ends[k] ? k : -1;
  }

  has(x: A): boolean {
    return this.indexOf(x) >= 0;
  }

  /** Whether every address of [lo, hi] is in the set. */
  covers(lo: A, hi: A): boolean {
    const k = this.indexOf(lo);
    return k >= 0 && hi <= this.ends[k];
  }

  /** Whether any address of [lo, hi] is in the set. */
  overlaps(lo: A, hi: A): boolean {
    const k = this.lastStartAtOrBefore(hi);
    return k >= 0 && this.ends[k] >= lo;
  }

  /**
   * This set with its part within [lo, hi] replaced by `inside` (a set
   * within [lo, hi]). The intervals away from [lo, hi] are copied, not
   * compared: a few intervals are looked at, however many the set has.
   */
  replaced(lo: A, hi: A, inside: AddressSet<A>): AddressSet<A> {
    const f = this.family;
    const before = this.lastStartAtOrBefore(f.previous(lo)) + 1; // the intervals starting before lo
    const after = this.lastStartAtOrBefore(hi) + 1; // and those starting after hi, from here on
    const union = AddressSet.ascending(f, before + inside.rangeCount + 1 + this.rangeCount - after);
    // The last interval starting before lo, and the one reaching past hi, keep what they hold outside [lo, hi].
    const last = after - 1;
    const reachesPast = last >= 0 && this.ends[last] > hi ? this.ends[last] : undefined;
    if (before > 0) {
      union.append(this, 0, before - 1);
      union.add(this.starts[before - 1], this.ends[before - 1] < lo ? this.ends[before - 1] : f.previous(lo));
    }
    for (let k = 0; k < inside.rangeCount; k++) union.add(inside.starts[k], inside.ends[k]);
    if (reachesPast !== undefined) union.add(f.next(hi), reachesPast);
    if (after < this.rangeCount) {
      union.add(this.starts[after], this.ends[after]);
      union.append(this, after + 1, this.rangeCount);
    }
    // Its size from this one's, when known: what was within [lo, hi], out; what is now, in.
    return union.build(this.total === undefined ? undefined : this.total - this.clip(lo, hi).size() + inside.size());
  }

  /** The part of the set inside [lo, hi]. */
  clip(lo: A, hi: A): AddressSet<A> {
    const starts: A[] = [];
    const ends: A[] = [];
    let k = Math.max(0, this.lastStartAtOrBefore(lo));
    for (; k < this.rangeCount && this.starts[k] <= hi; k++) {
      if (this.ends[k] < lo) continue;
      starts.push(this.starts[k] < lo ? lo : this.starts[k]);
      ends.push(this.ends[k] > hi ? hi : this.ends[k]);
    }
    workDone.elements += starts.length;
    return AddressSet.normal(this.family, starts, ends);
  }

  union(other: AddressSet<A>): AddressSet<A> {
    return this.combine(other, (inThis, inOther) => inThis || inOther);
  }

  intersection(other: AddressSet<A>): AddressSet<A> {
    return this.combine(other, (inThis, inOther) => inThis && inOther);
  }

  difference(other: AddressSet<A>): AddressSet<A> {
    return this.combine(other, (inThis, inOther) => inThis && !inOther);
  }

  equals(other: AddressSet<A>): boolean {
    if (this.rangeCount !== other.rangeCount) return false;
    for (let k = 0; k < this.rangeCount; k++) {
      if (this.starts[k] !== other.starts[k] || this.ends[k] !== other.ends[k]) return false;
    }
    return true;
  }

  /** Calls `visit(start, end)` for every interval, ascending. */
  forEachRange(visit: (start: A, end: A) => void): void {
    workDone.elements += this.rangeCount;
    for (let k = 0; k < this.rangeCount; k++) visit(this.starts[k], this.ends[k]);
  }

  /**
   * Calls `visit(network, prefix)` for the minimal list of CIDR blocks whose
   * union is the set, ascending. No shorter list exists: each block is the
   * largest aligned block that starts where the previous one ended.
   */
  forEachCidr(visit: (network: A, prefix: number) => void): void {
    for (let k = 0; k < this.rangeCount; k++) forEachCidrOfRange(this.family, this.starts[k], this.ends[k], visit);
  }

  /** Number of blocks `forEachCidr` visits. */
  cidrCount(): number {
    let count = 0;
    this.forEachCidr(() => count++);
    return count;
  }

  /**
   * A sweep over the boundaries of both sets: between two consecutive
   * boundaries membership in each set is constant, so `keep` decides each
   * elementary piece; adjacent kept pieces are joined.
   */
  private combine(other: AddressSet<A>, keep: (inThis: boolean, inOther: boolean) => boolean): AddressSet<A> {
    const f = this.family;
    const starts: A[] = [];
    const ends: A[] = [];
    let i = 0; // next interval of this
    let j = 0; // next interval of other
    // `cursor` is the first address not yet decided.
    let cursor: A = f.zero;
    let done = false;
    while (!done) {
      const inThis = i < this.rangeCount && this.starts[i] <= cursor;
      const inOther = j < other.rangeCount && other.starts[j] <= cursor;
      // The piece that starts at `cursor` ends just before the next boundary.
      let pieceEnd: A = f.max;
      if (inThis) pieceEnd = min(pieceEnd, this.ends[i]);
      else if (i < this.rangeCount) pieceEnd = min(pieceEnd, f.previous(this.starts[i]));
      if (inOther) pieceEnd = min(pieceEnd, other.ends[j]);
      else if (j < other.rangeCount) pieceEnd = min(pieceEnd, f.previous(other.starts[j]));
      if (keep(inThis, inOther)) {
        const last = starts.length - 1;
        if (last >= 0 && f.next(ends[last]) === cursor) ends[last] = pieceEnd;
        else {
          starts.push(cursor);
          ends.push(pieceEnd);
        }
      }
      if (inThis && this.ends[i] === pieceEnd) i++;
      if (inOther && other.ends[j] === pieceEnd) j++;
      if (pieceEnd === f.max) done = true;
      else cursor = f.next(pieceEnd);
    }
    workDone.elements += this.rangeCount + other.rangeCount;
    return AddressSet.normal(f, starts, ends);
  }

  private lastStartAtOrBefore(x: A): number {
    let lo = 0;
    let hi = this.rangeCount - 1;
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

function min<A extends number | bigint>(a: A, b: A): A {
  return a < b ? a : b;
}

/** The minimal CIDR blocks covering exactly [lo, hi], ascending: each block's first address, prefix length and last address. */
export function forEachCidrOfRange<A extends number | bigint>(family: Family<A>, lo: A, hi: A, visit: (network: A, prefix: number, last: A) => void): void {
  if (family.version === 4) {
    forEachCidrOfIPv4Range(lo as number, hi as number, visit as (network: number, prefix: number, last: number) => void);
    return;
  }
  while (true) {
    const hostBits = Math.min(family.trailingZeros(lo), family.log2Span(lo, hi));
    const last = family.lastOfBlock(lo, hostBits);
    visit(lo, family.bits - hostBits, last);
    if (last >= hi) return;
    lo = family.next(last);
  }
}

/** 2^k for k in 0…32. */
const POWERS_OF_TWO = Array.from({ length: 33 }, (_, k) => 2 ** k);

/** forEachCidrOfRange for IPv4, its arithmetic inline: an ipset range of the whole space is some thirty blocks, a list of them millions. */
function forEachCidrOfIPv4Range(lo: number, hi: number, visit: (network: number, prefix: number, last: number) => void): void {
  while (true) {
    const trailingZeros = lo === 0 ? 32 : 31 - Math.clz32(lo & -lo);
    const span = hi - lo + 1;
    const hostBits = Math.min(trailingZeros, span === POWERS_OF_TWO[32] ? 32 : 31 - Math.clz32(span));
    const last = lo + POWERS_OF_TWO[hostBits] - 1;
    visit(lo, 32 - hostBits, last);
    if (last >= hi) return;
    lo = last + 1;
  }
}

/** Copies source[from, to) to target[at…]: natively between typed arrays. */
function copyRange<A>(target: AddressArray<A>, at: number, source: AddressArray<A>, from: number, to: number): void {
  if (target instanceof Uint32Array && source instanceof Uint32Array) target.set(source.subarray(from, to), at);
  else for (let k = from; k < to; k++) target[at + k - from] = source[k];
}
