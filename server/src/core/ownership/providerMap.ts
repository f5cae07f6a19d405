/**
 * Every range of every known provider, for an O(log n) answer to "does this
 * entry touch any provider?" on every entry of a large list.
 */
import type { AsnIndex } from './asnIndex';
import { lowerBound } from '../primitives/search';
import { PROVIDERS } from './providers';

export class ProviderMap {
  private constructor(
    private readonly starts4: Uint32Array,
    private readonly ends4: Uint32Array,
    private readonly starts6: bigint[],
    private readonly ends6: bigint[],
  ) {}

  static build(index: AsnIndex): ProviderMap {
    const ranges4: [number, number][] = [];
    const ranges6: [bigint, bigint][] = [];
    index.forEachRangeOfAsns(
      PROVIDERS.flatMap((provider) => provider.asns),
      (lo, hi) => ranges4.push([lo, hi]),
      (lo, hi) => ranges6.push([lo, hi]),
    );
    // Each ASN's ranges come in address order; the index's ranges are disjoint, so sorting by start sorts the ends too.
    ranges4.sort((a, b) => a[0] - b[0]);
    ranges6.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    return new ProviderMap(
      Uint32Array.from(ranges4, ([lo]) => lo),
      Uint32Array.from(ranges4, ([, hi]) => hi),
      ranges6.map(([lo]) => lo),
      ranges6.map(([, hi]) => hi),
    );
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
}
