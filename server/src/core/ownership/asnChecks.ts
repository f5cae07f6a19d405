/**
 * Whether a compiled ASN index is a whole, plausible dataset before it
 * replaces the one in use: enough IPv4 ranges and holders for the routed
 * Internet, and well-known addresses held by their well-known networks. A
 * file cut at a line break, or a dataset of some other kind, fails here.
 */
import { parseIPv4 } from '../addresses/ipv4';
import type { AsnIndex } from './asnIndex';
import { AsnDataError } from './asnDatasets';
import { formatCount } from '../primitives/formatCount';

/** An address whose holder everybody knows. */
export interface Canary {
  readonly address: string;
  readonly asn: number;
  readonly holder: string;
}

export interface AsnDataChecks {
  readonly minIpv4Ranges: number;
  /** Different (ASN, organisation) pairs. */
  readonly minHolders: number;
  readonly canaries: readonly Canary[];
}

/** A complete dataset today: the shipped data has 411,961 IPv4 ranges and 91,065 holders. */
export const DEFAULT_ASN_DATA_CHECKS: AsnDataChecks = {
  minIpv4Ranges: 300_000,
  minHolders: 60_000,
  canaries: [
    { address: '8.8.8.8', asn: 15169, holder: 'Google' },
    { address: '1.1.1.1', asn: 13335, holder: 'Cloudflare' },
    { address: '52.58.0.1', asn: 16509, holder: 'Amazon' },
  ],
};

/** Throws an AsnDataError, saying what falls short, unless `index` passes `checks`. */
export function checkAsnIndex(index: AsnIndex, checks: AsnDataChecks): void {
  if (index.ipv4RangeCount < checks.minIpv4Ranges) {
    throw new AsnDataError(`The data has ${formatCount(index.ipv4RangeCount)} IPv4 ranges, fewer than the ${formatCount(checks.minIpv4Ranges)} of a complete dataset.`);
  }
  if (index.holderCount < checks.minHolders) {
    throw new AsnDataError(`The data names ${formatCount(index.holderCount)} holders, fewer than the ${formatCount(checks.minHolders)} of a complete dataset.`);
  }
  for (const canary of checks.canaries) {
    const address = BigInt(parseIPv4(canary.address, 0, canary.address.length, []));
    const held = index.holders(4, address, address, 1).largest[0];
    if (held?.asns[0].asn !== canary.asn) {
      throw new AsnDataError(`The data does not give ${canary.address} to AS${canary.asn} (${canary.holder}), as every complete dataset does.`);
    }
  }
}
