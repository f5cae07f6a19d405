/** Whose addresses a change adds or removes: by known provider, by organisation and by autonomous system, per family. */
import { AddressSet } from '../addresses/addressSet';
import { IPV4, IPV6 } from '../addresses/family';
import type { AsnShare, Holders } from '../ownership/asnIndex';
import type { Networks } from '../ownership/networks';
import { providerTotals, type ProviderShare } from '../ownership/shares';

export interface Organisation {
  /** The name it goes by (organisations.ts): its largest holder's in the ASN data. */
  readonly name: string;
  readonly addresses: bigint;
  /** Its autonomous systems with addresses in the set, most addresses first. */
  readonly asns: readonly number[];
}

export interface SetOwners {
  readonly total: bigint;
  readonly providers: readonly ProviderShare[];
  readonly organisations: readonly Organisation[];
  readonly asns: readonly AsnShare[];
  /** Addresses no autonomous system announces. */
  readonly unannounced: bigint;
}

/** Who holds the addresses of `set4` and of `set6`, each family on its own (a sum across families means nothing). */
export function ownersOf(networks: Networks, set4: AddressSet<number>, set6: AddressSet<bigint>): { readonly ipv4: SetOwners; readonly ipv6: SetOwners } {
  const { index, providers } = networks;
  return {
    ipv4: owners(set4.size(), providerTotals(providers, set4, AddressSet.empty(IPV6)), index.holdingsOf4(set4)),
    ipv6: owners(set6.size(), providerTotals(providers, AddressSet.empty(IPV4), set6), index.holdingsOf6(set6)),
  };
}

function owners(total: bigint, providers: readonly ProviderShare[], holders: Holders): SetOwners {
  const organisations = holders.largest.map((o) => ({ name: o.name, addresses: o.addresses, asns: o.asns.map((share) => share.asn) }));
  const asns = holders.largest.flatMap((o) => o.asns).sort((a, b) => (a.addresses > b.addresses ? -1 : a.addresses < b.addresses ? 1 : a.asn - b.asn));
  return { total, providers, organisations, asns, unannounced: total - holders.announced };
}
