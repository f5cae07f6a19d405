/**
 * Every range of every known provider, in address order with its ASN, for
 * an O(log n) answer to "does this entry touch any provider?" on every
 * entry of a large list, and for a whole list's provider totals in one sweep.
 * The index ships them (some 14,000 IPv4 ranges and 3,000 IPv6 ones; an
 * index compiled with another catalog gathers them, asnIndex.ts), IPv6's
 * made bigints when a question first needs them.
 */
import type { AddressSet } from '../addresses/addressSet';
import type { AsnIndex, AsnRanges } from './asnIndex';
import { lowerBound } from '../primitives/search';

export class ProviderMap {
  constructor(private readonly index: AsnIndex) {}

  /** Whether any provider has addresses in [lo, hi]: the test run on every large entry. */
  touchesIPv4(lo: number, hi: number): boolean {
    const { starts, ends } = this.v4();
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
      const { starts, ends, asns } = this.v4();
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

  /** Calls `visit` with the ASN and address count of each overlap of an IPv4 provider range with `set`: the two swept in address order. */
  forEachIPv4Overlap(set: AddressSet<number>, visit: (asn: number, addresses: number) => void): void {
    const { starts, ends, asns } = this.v4();
    sweep(set, starts, ends, asns, (asn, from, to) => visit(asn, to - from + 1));
  }

  forEachIPv6Overlap(set: AddressSet<bigint>, visit: (asn: number, addresses: bigint) => void): void {
    const { starts, ends, asns } = this.v6();
    sweep(set, starts, ends, asns, (asn, from, to) => visit(asn, to - from + 1n));
  }

  private v4(): AsnRanges<number> {
    return this.index.providerRanges4();
  }

  private v6(): AsnRanges<bigint> {
    return this.index.providerRanges6();
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
