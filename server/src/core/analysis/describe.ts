/**
 * What a hover tells about one entry, or about the whole document, as plain
 * data: the LSP layer renders it as Markdown.
 */
import type { AuditResult } from './audit';
import { formatAddress, fraction } from '../addresses/display';
import type { BlocklistDocument } from '../document/document';
import type { Scope } from '../document/scopes';
import { formatIPv4 } from '../addresses/ipv4';
import type { FeedMatch } from '../ownership/feeds/feedIndex';
import type { Networks } from '../ownership/networks';
import { ownershipOf, type Ownership } from '../ownership/shares';
import type { EntryIndex } from './entryIndex';
import type { NetworkContext } from './facts';
import { specialRangesOverlapping, type SpecialRange } from './specialRanges';
import { addressesInTarget } from './target';

export interface OverlappingEntry {
  readonly line: number;
  readonly text: string;
  /** Addresses the two entries share. */
  readonly shared: bigint;
}

export interface EntryDescription {
  readonly text: string;
  readonly version: 4 | 6;
  readonly role: 'block' | 'allow';
  /** The set, table or block the entry belongs to and how it decides, when that is more than the file as one union. */
  readonly scope?: Scope;
  readonly count: bigint;
  readonly first: string;
  readonly last: string;
  /** Set when the entry is one CIDR block. */
  readonly prefix?: number;
  /** IPv4 CIDRs only. */
  readonly netmask?: string;
  /** The share of the family's whole address space, as a fraction (0…1). */
  readonly share: number;
  readonly special: readonly SpecialRange[];
  /** Up to `MAX_OVERLAPS` other entries sharing addresses with this one, in line order. */
  readonly overlaps: readonly OverlappingEntry[];
  /** How many other entries share addresses with it in all. */
  readonly overlapCount: number;
  /** Who holds the addresses, when ASN data is loaded. */
  readonly ownership?: Ownership;
  /** Other ASNs that announce some of the addresses too (a snapshot's multi-origin prefixes), ascending. */
  readonly otherOrigins: readonly number[];
  /** What the downloaded provider feeds say about the addresses, largest first. */
  readonly feeds: readonly FeedMatch[];
  /** The intended target, when one is in force, and how many of the addresses lie inside it. */
  readonly target?: { readonly label: string; readonly inside: bigint };
}

const MAX_OVERLAPS = 8;

/** `context` gives the intended target, when the audit has one. */
export function describeEntry(document: BlocklistDocument, index: EntryIndex, k: number, networks?: Networks, context?: NetworkContext): EntryDescription {
  const table = document.entries;
  const version = table.version[k] as 4 | 6;
  const lo = table.lo(k);
  const hi = table.hi(k);
  const count = hi - lo + 1n;
  const prefix = table.prefix[k] >= 0 ? table.prefix[k] : undefined;
  const scope = document.scopes[table.scope[k]];
  const overlapping = index.overlapping(k);
  const overlaps = overlapping.slice(0, MAX_OVERLAPS).map((other): OverlappingEntry => {
    const otherLo = table.lo(other);
    const otherHi = table.hi(other);
    const shared = (otherHi < hi ? otherHi : hi) - (otherLo > lo ? otherLo : lo) + 1n;
    return { line: table.line[other], text: document.text.slice(table.start[other], table.end[other]), shared };
  });
  return {
    text: document.text.slice(table.start[k], table.end[k]),
    version,
    role: table.allow[k] || scope.role === 'allow' ? 'allow' : 'block',
    scope: scope.name !== '' || scope.role === 'allow' || scope.evaluation !== 'union' ? scope : undefined,
    count,
    first: formatAddress(version, lo),
    last: formatAddress(version, hi),
    prefix,
    netmask: version === 4 && prefix !== undefined ? formatIPv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0) : undefined,
    share: fraction(count, version === 4 ? 32 : 128),
    special: specialRangesOverlapping(version, lo, hi),
    overlaps,
    overlapCount: overlapping.length,
    ownership: networks ? ownershipOf(networks, version, lo, hi) : undefined,
    otherOrigins: networks ? networks.index.otherOriginsOf(version, lo, hi) : [],
    feeds: networks ? networks.feeds.lookup(version, lo, hi) : [],
    target: context?.target && { label: context.targetLabel, inside: addressesInTarget(table, k, context.target) },
  };
}

export interface DocumentSummary {
  readonly format: string;
  readonly ipv4: AuditResult['ipv4'];
  readonly ipv6: AuditResult['ipv6'];
  readonly duplicates: number;
  readonly exceptions: number;
  readonly problems: number;
  readonly ipv4Share: number;
  readonly ipv6Share: number;
}

export function summarize(document: BlocklistDocument, result: AuditResult): DocumentSummary {
  return {
    format: document.format.label,
    ipv4: result.ipv4,
    ipv6: result.ipv6,
    duplicates: result.duplicates,
    exceptions: result.exceptions,
    problems: document.problems.length,
    ipv4Share: fraction(result.ipv4.addresses, 32),
    ipv6Share: fraction(result.ipv6.addresses, 128),
  };
}
