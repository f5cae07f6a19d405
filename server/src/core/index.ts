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
