/** The pure core: text in, exact address sets and findings out. No editor or LSP imports. */
export { AddressSet, forEachCidrOfRange } from './addresses/addressSet';
export { AddressCollector } from './document/addressCollector';
export { ParsedEntry, parseEntry, type EntryForm } from './document/entry';
export { IPV4, IPV6, type Family } from './addresses/family';
export { readPlainList } from './formats/plain';
export type { FormatReader, TokenSink } from './formats/format';
export { formatIPv4, parseIPv4 } from './addresses/ipv4';
export { formatIPv6, parseIPv6 } from './addresses/ipv6';
export { IntervalBuilder } from './addresses/intervalBuilder';
export { splitCidr } from './addresses/split';
export type { LineProblem, Problem, ProblemCode } from './document/problem';

import { AddressCollector } from './document/addressCollector';
import type { AddressSet } from './addresses/addressSet';

/** The minimal CIDR list of a plain list's addresses, IPv4 then IPv6 (what `blocklist-audit merge` prints). */
export function mergeToCidrStrings(text: string): string[] {
  const collector = new AddressCollector();
  collector.read(text);
  const cidrs: string[] = [];
  const add = <A extends number | bigint>(set: AddressSet<A>) =>
    set.forEachCidr((network, prefix) => cidrs.push(`${set.family.format(network)}/${prefix}`));
  add(collector.ipv4.build());
  add(collector.ipv6.build());
  return cidrs;
}
