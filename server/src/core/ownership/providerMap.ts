/**
 * Every range of every known provider, in address order with its ASN, for
 * an O(log n) answer to "does this entry touch any provider?" on every
 * entry of a large list, and for a whole list's provider totals in one sweep.
 * Each family's ranges are gathered when a question needs them (a pass over
 * the index, some 15 ms in a fresh process): an IPv4 list never pays for
 * IPv6's, and questions about entries that meet few of the index's ranges
 * are answered from those (v4Near).
 */
import type { AsnIndex, AsnRanges } from './asnIndex';
import { lowerBound } from '../primitives/search';
import { PROVIDER_ASN_SET } from './providers';

export class ProviderMap {
  private providerHolders?: Uint8Array;
  private ipv4?: AsnRanges<number>;
  private ipv6?: AsnRanges<bigint>;
  /** IPv4 ranges of the index walked so far instead of gathering the providers' (IPv6's are gathered at once: a walk of them reads bigints). */
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

  /** Calls `visit` with every IPv4 provider range and its ASN, in address order. */
  forEachIPv4Range(visit: (lo: number, hi: number, asn: number) => void): void {
    const { starts, ends, asns } = this.v4();
    for (let k = 0; k < asns.length; k++) visit(starts[k], ends[k], asns[k]);
  }

  forEachIPv6Range(visit: (lo: bigint, hi: bigint, asn: number) => void): void {
    const { starts, ends, asns } = this.v6();
    for (let k = 0; k < asns.length; k++) visit(starts[k], ends[k], asns[k]);
  }

  /**
   * The IPv4 provider ranges that meet [lo, hi], or more: before the providers'
   * ranges are gathered, those of the index ranges meeting [lo, hi], walked,
   * as long as all the walks so far add up to fewer ranges than the index
   * holds, the pass that gathering takes. So a list whose entries meet a
   * few ranges each (most lists) never gathers them, and no list walks more
   * than twice what gathering costs.
   */
  private v4Near(lo: number, hi: number): AsnRanges<number> {
    const near = this.ipv4 ? undefined : this.index.ipv4RangesIn(PROVIDER_ASN_SET, lo, hi, this.index.ipv4RangeCount - this.walked4);
    if (!near) return this.v4();
    this.walked4 += near.walked;
    return near.ranges;
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
