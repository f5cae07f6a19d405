/** Who holds the addresses of an entry: organisations by ASN, grouped by known provider. */
import type { AddressSet } from '../addresses/addressSet';
import type { OrganisationShare } from './asnIndex';
import type { Networks } from './networks';
import { organisationLabel } from './organisations';
import type { ProviderMap } from './providerMap';
import { PROVIDERS, type Provider } from './providers';

export interface ProviderShare {
  readonly provider: Provider;
  readonly addresses: bigint;
  /** Its ASNs that hold any of the addresses, most addresses first. */
  readonly asns: readonly number[];
}

export interface Ownership {
  /** The organisations asked for (all of them unless a limit was given), most addresses first. */
  readonly organisations: readonly OrganisationShare[];
  /** How many organisations there are in all. */
  readonly organisationCount: number;
  /** Known providers among them, most addresses first. */
  readonly providers: readonly ProviderShare[];
  /** Addresses no one announces. */
  readonly unannounced: bigint;
  readonly total: bigint;
}

const PROVIDER_ASNS = PROVIDERS.flatMap((provider) => provider.asns);

/**
 * Who holds [lo, hi]: the `limit` largest organisations (all by default, which
 * walks every range of the index inside it; a limit up to TOP does not),
 * and the known providers' shares, O(log n) each however broad the range.
 */
export function ownershipOf(networks: Networks, version: 4 | 6, lo: bigint, hi: bigint, limit = Infinity): Ownership {
  const holders = networks.index.holders(version, lo, hi, limit);
  const total = hi - lo + 1n;
  return { organisations: holders.largest, organisationCount: holders.count, providers: providerShares(networks, version, lo, hi), unannounced: total - holders.announced, total };
}

/** The owners a sentence names, most addresses first: the known providers, or (`byProvider` false) the organisations with their AS numbers. */
export function namedOwners(ownership: Ownership, byProvider: boolean): { readonly name: string; readonly addresses: bigint }[] {
  return byProvider
    ? ownership.providers.map((share) => ({ name: share.provider.name, addresses: share.addresses }))
    : ownership.organisations.map((o) => ({
        name: organisationLabel(
          o.name,
          o.asns.map((share) => share.asn),
        ),
        addresses: o.addresses,
      }));
}

/** Provider ranges an entry may overlap and still be answered from them (a /24 overlaps one or two). */
const FEW_RANGES = 64;

/** The known providers with addresses in [lo, hi], most addresses first: from the provider ranges it overlaps when they are few, else per provider ASN, O(log n) each. */
export function providerShares(networks: Networks, version: 4 | 6, lo: bigint, hi: bigint): ProviderShare[] {
  const nearby = networks.providers.addressesIn(version, lo, hi, FEW_RANGES);
  if (nearby) return sharesOf(nearby);
  const addresses = networks.index.addressesOf(version, lo, hi, PROVIDER_ASNS);
  return sharesOf(new Map(PROVIDER_ASNS.map((asn, m) => [asn, addresses[m]])));
}

/**
 * How many addresses of each known provider a whole list blocks (its union,
 * so nothing counted twice), most first: the overlaps of the providers'
 * ranges with the set's (ProviderMap).
 */
export function providerTotals(providers: ProviderMap, blocked4: AddressSet<number>, blocked6: AddressSet<bigint>): ProviderShare[] {
  const byAsn = new Map<number, bigint>();
  const held4 = new Map<number, number>(); // exact: at most 2^32 addresses
  // A family the list does not block is not asked about: its provider ranges are then never gathered.
  if (blocked4.rangeCount > 0) providers.forEachIPv4Overlap(blocked4, (asn, addresses) => held4.set(asn, (held4.get(asn) ?? 0) + addresses));
  if (blocked6.rangeCount > 0) providers.forEachIPv6Overlap(blocked6, (asn, addresses) => byAsn.set(asn, (byAsn.get(asn) ?? 0n) + addresses));
  for (const [asn, addresses] of held4) byAsn.set(asn, (byAsn.get(asn) ?? 0n) + BigInt(addresses));
  return sharesOf(byAsn);
}

/** The providers' shares, from the addresses each of their ASNs holds. */
function sharesOf(byAsn: ReadonlyMap<number, bigint>): ProviderShare[] {
  const shares: ProviderShare[] = [];
  for (const provider of PROVIDERS) {
    const asns = provider.asns.filter((asn) => (byAsn.get(asn) ?? 0n) > 0n);
    if (asns.length === 0) continue;
    const held = (asn: number) => byAsn.get(asn)!;
    asns.sort((a, b) => byAddressesDescending(held(a), held(b)) || a - b);
    shares.push({ provider, addresses: asns.reduce((sum, asn) => sum + held(asn), 0n), asns });
  }
  return shares.sort((a, b) => byAddressesDescending(a.addresses, b.addresses));
}

function byAddressesDescending(a: bigint, b: bigint): number {
  return a > b ? -1 : a < b ? 1 : 0;
}
