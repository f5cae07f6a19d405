/**
 * Every range of every known provider, in address order with its ASN, for
 * an O(log n) answer to "does this entry touch any provider?" on every
 * entry of a large list, and for a whole list's provider totals in one sweep.
 * Each family's ranges are gathered when a question needs them (a pass over
 * the index, some 15 ms in a fresh process): an IPv4 list never pays for
 * IPv6's, and questions about entries that meet few of the index's ranges
 * are answered from those (v4Near).
 */
import type { AddressSet } from '../addresses/addressSet';
import type { AsnIndex, AsnRanges } from './asnIndex';
import { lowerBound } from '../primitives/search';
import { PROVIDER_ASN_SET } from './providers';

/** What a walk's question costs beyond the ranges it walks, counted as ranges walked: two searches of the index, and the arrays of its answer. */
const QUESTION_COST = 40;

export class ProviderMap {
  private providerHolders?: Uint8Array;
  private ipv4?: AsnRanges<number>;
  private ipv6?: AsnRanges<bigint>;
  /** IPv4 ranges of the index walked so far, and QUESTION_COST a question, instead of gathering the providers' (IPv6's are gathered at once: a walk of them reads bigints). */
  private walked4 = 0;

  constructor(private readonly index: AsnIndex) {}

  /** Whether any provider has addresses in [lo, hi]: the test run on every large entry. */
  touchesIPv4(lo: number, hi: number): boolean {
    const { starts, ends } = this.v4Near(lo, hi);
    const k = lowerBound(ends, lo);
    return k < starts.length && starts[k] <= hi;
  }

  touchesIPv6(lo: bigint, hi: bigint): boolean {
    const { starts, ends } = this.v6();
    const k = lowerBound(ends, lo);
    return k < starts.length && starts[k] <= hi;
  }

  /**
   * The addresses of [lo, hi] that each provider ASN holds, from the
   * provider ranges overlapping it: a search and a walk of at most `limit`
   * ranges; undefined when more overlap (an entry spanning much of the
   * space, which the index answers per ASN instead).
   */
  addressesIn(version: 4 | 6, lo: bigint, hi: bigint, limit: number): Map<number, bigint> | undefined {
    const byAsn = new Map<number, bigint>();
    if (version === 4) {
      const [from, to] = [Number(lo), Number(hi)];
      const { starts, ends, asns } = this.v4Near(from, to);
      const first = lowerBound(ends, from);
      if (first + limit < starts.length && starts[first + limit] <= to) return undefined;
      for (let k = first; k < starts.length && starts[k] <= to; k++) {
        const held = BigInt(Math.min(to, ends[k]) - Math.max(from, starts[k]) + 1);
        byAsn.set(asns[k], (byAsn.get(asns[k]) ?? 0n) + held);
      }
      return byAsn;
    }
    const { starts, ends, asns } = this.v6();
    const first = lowerBound(ends, lo);
    if (first + limit < starts.length && starts[first + limit] <= hi) return undefined;
    for (let k = first; k < starts.length && starts[k] <= hi; k++) {
      const [start, end] = [starts[k], ends[k]];
      byAsn.set(asns[k], (byAsn.get(asns[k]) ?? 0n) + (end < hi ? end : hi) - (start > lo ? start : lo) + 1n);
    }
    return byAsn;
  }

  /**
   * Calls `visit` with the ASN and address count of each overlap of an IPv4
   * provider range with `set`. A set whose ranges meet few of the index's
   * ranges is answered from those, walked within v4Near's budget; else the
   * gathered ranges are swept against the set, both in address order.
   */
  forEachIPv4Overlap(set: AddressSet<number>, visit: (asn: number, addresses: number) => void): void {
    const walked = this.ipv4 ? undefined : this.walkIPv4(set);
    if (walked) {
      for (let m = 0; m < walked.length; m += 2) visit(walked[m], walked[m + 1]);
      return;
    }
    const { starts, ends, asns } = this.v4();
    sweep(set, starts, ends, asns, (asn, from, to) => visit(asn, to - from + 1));
  }

  forEachIPv6Overlap(set: AddressSet<bigint>, visit: (asn: number, addresses: bigint) => void): void {
    const { starts, ends, asns } = this.v6();
    sweep(set, starts, ends, asns, (asn, from, to) => visit(asn, to - from + 1n));
  }

  /**
   * The IPv4 provider ranges that meet [lo, hi], or more: before the providers'
   * ranges are gathered, those of the index ranges meeting [lo, hi], walked,
   * as long as all the walks so far (each question counted as QUESTION_COST
   * ranges more) add up to fewer ranges than the index holds, the pass that
   * gathering takes. So a list whose large entries meet a few ranges each
   * (most lists) never gathers them, and no list spends on walks more than
   * gathering costs.
   */
  private v4Near(lo: number, hi: number): AsnRanges<number> {
    const near = this.ipv4 ? undefined : this.index.ipv4RangesIn(PROVIDER_ASN_SET, lo, hi, this.budget4());
    if (!near) return this.v4();
    this.walked4 += near.walked + QUESTION_COST;
    return near.ranges;
  }

  /** How many more ranges of the index may be walked before gathering the providers' ranges costs less. */
  private budget4(): number {
    return this.index.ipv4RangeCount - this.walked4;
  }

  /** The overlaps of `set` with the IPv4 provider ranges, as ASN and address count pairs, walked as v4Near walks; undefined past its budget. */
  private walkIPv4(set: AddressSet<number>): number[] | undefined {
    if (set.rangeCount * QUESTION_COST > this.budget4()) return undefined;
    const overlaps: number[] = [];
    for (let r = 0; r < set.rangeCount; r++) {
      const [lo, hi] = [set.start(r), set.end(r)];
      const near = this.index.ipv4RangesIn(PROVIDER_ASN_SET, lo, hi, this.budget4());
      if (!near) return undefined;
      this.walked4 += near.walked + QUESTION_COST;
      const { starts, ends, asns } = near.ranges;
      for (let k = 0; k < asns.length; k++) overlaps.push(asns[k], Math.min(hi, ends[k]) - Math.max(lo, starts[k]) + 1);
    }
    return overlaps;
  }

  private v4(): AsnRanges<number> {
    return (this.ipv4 ??= this.index.ipv4RangesOf(this.holders()));
  }

  private v6(): AsnRanges<bigint> {
    return (this.ipv6 ??= this.index.ipv6RangesOf(this.holders()));
  }

  private holders(): Uint8Array {
    return (this.providerHolders ??= this.index.holdersOf(PROVIDER_ASN_SET));
  }
}

/**
 * Calls `visit` with each overlap of the ranges (`starts`, `ends`, each with
 * its ASN), ascending and disjoint, with `set`'s ranges: a cursor over the
 * set's ranges only moves on, so a sweep costs O(ranges + the set's ranges).
 */
function sweep<A extends number | bigint>(
  set: AddressSet<A>,
  starts: ArrayLike<A>,
  ends: ArrayLike<A>,
  asns: ArrayLike<number>,
  visit: (asn: number, from: A, to: A) => void,
): void {
  let next = 0;
  for (let k = 0; k < asns.length; k++) {
    const lo: A = starts[k];
    const hi: A = ends[k];
    while (next < set.rangeCount && set.end(next) < lo) next++;
    for (let r = next; r < set.rangeCount && set.start(r) <= hi; r++) {
      const start: A = set.start(r);
      const end: A = set.end(r);
      visit(asns[k], start > lo ? start : lo, end < hi ? end : hi);
    }
  }
}
