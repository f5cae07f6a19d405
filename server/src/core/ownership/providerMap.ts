/**
 * Every range of every known provider, in address order with its ASN, for
 * an O(log n) answer to "does this entry touch any provider?" on every
 * entry of a large list, and for a whole list's provider totals in one sweep.
 */
import type { AsnIndex } from './asnIndex';
import { lowerBound } from '../primitives/search';
import { PROVIDER_ASN_SET } from './providers';

export class ProviderMap {
  private constructor(
    private readonly starts4: Uint32Array,
    private readonly ends4: Uint32Array,
    private readonly asns4: Uint32Array,
    private readonly starts6: readonly bigint[],
    private readonly ends6: readonly bigint[],
    private readonly asns6: Uint32Array,
  ) {}

  static build(index: AsnIndex): ProviderMap {
    const [starts4, ends4, asns4, asns6]: number[][] = [[], [], [], []];
    const [starts6, ends6]: bigint[][] = [[], []];
    // In address order: the index's ranges are disjoint, so the ends ascend with the starts.
    index.forEachRangeOfAsnsInOrder(
      PROVIDER_ASN_SET,
      (lo, hi, asn) => {
        starts4.push(lo);
        ends4.push(hi);
        asns4.push(asn);
      },
      (lo, hi, asn) => {
        starts6.push(lo);
        ends6.push(hi);
        asns6.push(asn);
      },
    );
    return new ProviderMap(Uint32Array.from(starts4), Uint32Array.from(ends4), Uint32Array.from(asns4), starts6, ends6, Uint32Array.from(asns6));
  }

  /** Whether any provider has addresses in [lo, hi]: the test run on every large entry. */
  touchesIPv4(lo: number, hi: number): boolean {
    const k = lowerBound(this.ends4, lo);
    return k < this.starts4.length && this.starts4[k] <= hi;
  }

  touchesIPv6(lo: bigint, hi: bigint): boolean {
    const k = lowerBound(this.ends6, lo);
    return k < this.starts6.length && this.starts6[k] <= hi;
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
      const first = lowerBound(this.ends4, from);
      if (first + limit < this.starts4.length && this.starts4[first + limit] <= to) return undefined;
      for (let k = first; k < this.starts4.length && this.starts4[k] <= to; k++) {
        const held = BigInt(Math.min(to, this.ends4[k]) - Math.max(from, this.starts4[k]) + 1);
        byAsn.set(this.asns4[k], (byAsn.get(this.asns4[k]) ?? 0n) + held);
      }
      return byAsn;
    }
    const first = lowerBound(this.ends6, lo);
    if (first + limit < this.starts6.length && this.starts6[first + limit] <= hi) return undefined;
    for (let k = first; k < this.starts6.length && this.starts6[k] <= hi; k++) {
      const [start, end] = [this.starts6[k], this.ends6[k]];
      byAsn.set(this.asns6[k], (byAsn.get(this.asns6[k]) ?? 0n) + (end < hi ? end : hi) - (start > lo ? start : lo) + 1n);
    }
    return byAsn;
  }

  /** Calls `visit4`, then `visit6`, with every provider range and its ASN, in address order. */
  forEachRange(visit4: (lo: number, hi: number, asn: number) => void, visit6: (lo: bigint, hi: bigint, asn: number) => void): void {
    for (let k = 0; k < this.asns4.length; k++) visit4(this.starts4[k], this.ends4[k], this.asns4[k]);
    for (let k = 0; k < this.asns6.length; k++) visit6(this.starts6[k], this.ends6[k], this.asns6[k]);
  }
}
