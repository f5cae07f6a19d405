/** Who holds the addresses of an entry: organisations by ASN, grouped by known provider. */
import type { AddressSet } from '../addresses/addressSet';
import type { AsnIndex, Holding } from './asnIndex';
import { providerOfAsn, type Provider } from './providers';

export interface ProviderShare {
  readonly provider: Provider;
  readonly addresses: bigint;
  readonly asns: readonly number[];
}

export interface Ownership {
  /** Every holder, most addresses first. */
  readonly holders: readonly Holding[];
  /** Known providers among them, most addresses first. */
  readonly providers: readonly ProviderShare[];
  /** Addresses no one announces. */
  readonly unannounced: bigint;
  readonly total: bigint;
}

export function ownershipOf(index: AsnIndex, version: 4 | 6, lo: bigint, hi: bigint): Ownership {
  const holders = version === 4 ? index.holdersIPv4(Number(lo), Number(hi)) : index.holdersIPv6(lo, hi);
  const byProvider = new Map<Provider, { addresses: bigint; asns: number[] }>();
  let announced = 0n;
  for (const holder of holders) {
    announced += holder.addresses;
    const provider = providerOfAsn(holder.asn);
    if (!provider) continue;
    const share = byProvider.get(provider) ?? { addresses: 0n, asns: [] };
    share.addresses += holder.addresses;
    if (!share.asns.includes(holder.asn)) share.asns.push(holder.asn);
    byProvider.set(provider, share);
  }
  const providers = [...byProvider].map(([provider, share]) => ({ provider, ...share })).sort((a, b) => (a.addresses > b.addresses ? -1 : a.addresses < b.addresses ? 1 : 0));
  const total = hi - lo + 1n;
  return { holders, providers, unannounced: total - announced, total };
}

/** How many addresses of each known provider a whole list blocks (its union, so nothing counted twice), most first. */
export function providerTotals(index: AsnIndex, blocked4: AddressSet<number>, blocked6: AddressSet<bigint>): ProviderShare[] {
  const totals = new Map<Provider, { addresses: bigint; asns: number[] }>();
  const add = (ownership: Ownership) => {
    for (const share of ownership.providers) {
      const total = totals.get(share.provider) ?? { addresses: 0n, asns: [] };
      total.addresses += share.addresses;
      for (const asn of share.asns) if (!total.asns.includes(asn)) total.asns.push(asn);
      totals.set(share.provider, total);
    }
  };
  blocked4.forEachRange((lo, hi) => add(ownershipOf(index, 4, BigInt(lo), BigInt(hi))));
  blocked6.forEachRange((lo, hi) => add(ownershipOf(index, 6, lo, hi)));
  return [...totals].map(([provider, total]) => ({ provider, ...total })).sort((a, b) => (a.addresses > b.addresses ? -1 : a.addresses < b.addresses ? 1 : 0));
}
