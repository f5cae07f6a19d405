/**
 * Every range of every known provider, for an O(log n) answer to "which
 * providers does this entry touch?" on every entry of a large list.
 */
import type { AsnIndex } from './asnIndex';
import { lowerBound } from '../primitives/search';
import { workDone } from '../primitives/workCounter';
import { PROVIDERS, providerOfAsn, type Provider } from './providers';

export class ProviderMap {
  private constructor(
    private readonly starts4: Uint32Array,
    private readonly ends4: Uint32Array,
    private readonly provider4: Uint8Array,
    private readonly starts6: bigint[],
    private readonly ends6: bigint[],
    private readonly provider6: Uint8Array,
  ) {}

  static build(index: AsnIndex): ProviderMap {
    const s4: number[] = [];
    const e4: number[] = [];
    const p4: number[] = [];
    const s6: bigint[] = [];
    const e6: bigint[] = [];
    const p6: number[] = [];
    const known = (asn: number) => providerOfAsn(asn) !== undefined;
    const slot = (asn: number) => PROVIDERS.indexOf(providerOfAsn(asn)!);
    index.forEachRangeOf(
      known,
      (lo, hi, asn) => (s4.push(lo), e4.push(hi), p4.push(slot(asn))),
      (lo, hi, asn) => (s6.push(lo), e6.push(hi), p6.push(slot(asn))),
    );
    return new ProviderMap(Uint32Array.from(s4), Uint32Array.from(e4), Uint8Array.from(p4), s6, e6, Uint8Array.from(p6));
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

  /** The providers with addresses in [lo, hi] (the index's ranges are sorted and disjoint). */
  providersIPv4(lo: number, hi: number): Provider[] {
    const found: Provider[] = [];
    const first = lowerBound(this.ends4, lo);
    let k = first;
    for (; k < this.starts4.length && this.starts4[k] <= hi; k++) addOnce(found, PROVIDERS[this.provider4[k]]);
    workDone.probes += k - first;
    return found;
  }

  providersIPv6(lo: bigint, hi: bigint): Provider[] {
    const found: Provider[] = [];
    const first = lowerBound(this.ends6, lo);
    let k = first;
    for (; k < this.starts6.length && this.starts6[k] <= hi; k++) addOnce(found, PROVIDERS[this.provider6[k]]);
    workDone.probes += k - first;
    return found;
  }
}

function addOnce(list: Provider[], provider: Provider): void {
  if (!list.includes(provider)) list.push(provider);
}
