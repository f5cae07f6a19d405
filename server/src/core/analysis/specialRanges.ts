/**
 * Special-purpose address blocks: the IANA IPv4 and IPv6 Special-Purpose
 * Address Registries, plus multicast. Blocking them on the public internet
 * is at best useless and often a typo for something else.
 */
import type { AddressSet } from '../addresses/addressSet';
import { ParsedEntry, parseEntry } from '../document/entry';
import { IPV4, IPV6 } from '../addresses/family';
import { IntervalBuilder } from '../addresses/intervalBuilder';
import { IPv4Ranges } from '../addresses/ipv4Ranges';
import type { Problem } from '../document/problem';

export interface SpecialRange {
  readonly cidr: string;
  readonly name: string;
  readonly rfc: string;
  readonly version: 4 | 6;
  readonly lo: bigint;
  readonly hi: bigint;
}

const TABLE: readonly (readonly [cidr: string, name: string, rfc: string])[] = [
  ['0.0.0.0/8', '"This network"', 'RFC 791'],
  ['10.0.0.0/8', 'Private-Use', 'RFC 1918'],
  ['100.64.0.0/10', 'Shared Address Space (carrier-grade NAT)', 'RFC 6598'],
  ['127.0.0.0/8', 'Loopback', 'RFC 1122'],
  ['169.254.0.0/16', 'Link Local', 'RFC 3927'],
  ['172.16.0.0/12', 'Private-Use', 'RFC 1918'],
  ['192.0.0.0/24', 'IETF Protocol Assignments', 'RFC 6890'],
  ['192.0.2.0/24', 'Documentation (TEST-NET-1)', 'RFC 5737'],
  ['192.31.196.0/24', 'AS112-v4', 'RFC 7535'],
  ['192.52.193.0/24', 'AMT', 'RFC 7450'],
  ['192.88.99.0/24', 'Deprecated 6to4 Relay Anycast', 'RFC 7526'],
  ['192.168.0.0/16', 'Private-Use', 'RFC 1918'],
  ['192.175.48.0/24', 'Direct Delegation AS112 Service', 'RFC 7534'],
  ['198.18.0.0/15', 'Benchmarking', 'RFC 2544'],
  ['198.51.100.0/24', 'Documentation (TEST-NET-2)', 'RFC 5737'],
  ['203.0.113.0/24', 'Documentation (TEST-NET-3)', 'RFC 5737'],
  ['224.0.0.0/4', 'Multicast', 'RFC 5771'],
  ['240.0.0.0/4', 'Reserved for future use', 'RFC 1112'],
  ['255.255.255.255/32', 'Limited Broadcast', 'RFC 919'],
  ['::/128', 'Unspecified Address', 'RFC 4291'],
  ['::1/128', 'Loopback Address', 'RFC 4291'],
  ['::ffff:0:0/96', 'IPv4-mapped Address', 'RFC 4291'],
  ['64:ff9b::/96', 'IPv4-IPv6 Translation', 'RFC 6052'],
  ['64:ff9b:1::/48', 'IPv4-IPv6 Local-Use Translation', 'RFC 8215'],
  ['100::/64', 'Discard-Only Address Block', 'RFC 6666'],
  ['2001::/32', 'TEREDO', 'RFC 4380'],
  ['2001:2::/48', 'Benchmarking', 'RFC 5180'],
  ['2001:3::/32', 'AMT', 'RFC 7450'],
  ['2001:4:112::/48', 'AS112-v6', 'RFC 7535'],
  ['2001:10::/28', 'Deprecated ORCHID', 'RFC 4843'],
  ['2001:20::/28', 'ORCHIDv2', 'RFC 7343'],
  ['2001:db8::/32', 'Documentation', 'RFC 3849'],
  ['2002::/16', '6to4', 'RFC 3056'],
  ['2620:4f:8000::/48', 'Direct Delegation AS112 Service', 'RFC 7534'],
  ['3fff::/20', 'Documentation', 'RFC 9637'],
  ['fc00::/7', 'Unique-Local', 'RFC 4193'],
  ['fe80::/10', 'Link-Local Unicast', 'RFC 4291'],
  ['ff00::/8', 'Multicast', 'RFC 4291'],
];

/** The registry, parsed once, sorted by family then first address. */
export const SPECIAL_RANGES: readonly SpecialRange[] = TABLE.map(([cidr, name, rfc]) => {
  const entry = new ParsedEntry();
  const problems: Problem[] = [];
  if (!parseEntry(cidr, 0, cidr.length, problems, entry)) throw new Error(`Bad special range ${cidr}`);
  const lo = entry.version === 4 ? BigInt(entry.lo4) : entry.lo6;
  const hi = entry.version === 4 ? BigInt(entry.hi4) : entry.hi6;
  return { cidr, name, rfc, version: entry.version, lo, hi };
}).sort((a, b) => a.version - b.version || (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));

/**
 * Every special address, per family, for a quick O(log n) first test. Built
 * on first use: building sets at load time would run the set code on bigints
 * before the CLI's IPv4 hot path, leaving that code slower for both.
 */
let specialSets: { readonly v4: IPv4Ranges; readonly v6: AddressSet<bigint> } | undefined;

function sets(): NonNullable<typeof specialSets> {
  if (!specialSets) {
    const v4 = new IntervalBuilder(IPV4, 32);
    const v6 = new IntervalBuilder(IPV6, 32);
    for (const range of SPECIAL_RANGES) {
      if (range.version === 4) v4.add(Number(range.lo), Number(range.hi));
      else v6.add(range.lo, range.hi);
    }
    specialSets = { v4: IPv4Ranges.of(v4.build()), v6: v6.build() };
  }
  return specialSets;
}

/** Whether an IPv4 interval touches any special range (the fast test run on every entry). */
export function touchesSpecialIPv4(lo: number, hi: number): boolean {
  return sets().v4.overlaps(lo, hi);
}

export function touchesSpecialIPv6(lo: bigint, hi: bigint): boolean {
  return sets().v6.overlaps(lo, hi);
}

/** The special ranges that share addresses with [lo, hi] of the given family. */
export function specialRangesOverlapping(version: 4 | 6, lo: bigint, hi: bigint): SpecialRange[] {
  return SPECIAL_RANGES.filter((range) => range.version === version && range.lo <= hi && range.hi >= lo);
}
