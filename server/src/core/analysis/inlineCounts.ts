/**
 * The counts an editor shows inline, at the end of the entries that block
 * more than a given size: "1,048,576 · Google Cloud 85.9 %". Editors ask for
 * the lines on screen only, so the work is bounded by those lines, never by
 * the document: the first entry is found by binary search over the entries'
 * lines, each owner lookup is O(log n) in the ASN index, and a request
 * stops after `limit` counts however many lines it spans.
 */
import { formatAmount, formatPercent } from '../addresses/display';
import type { BlocklistDocument } from '../document/document';
import type { Networks } from '../ownership/networks';
import { providerShares } from '../ownership/shares';
import { excerpt } from '../primitives/excerpt';
import { lowerBound } from '../primitives/search';
import { workDone } from '../primitives/workCounter';

/** The most counts one request gets: a whole million-line file asked for at once cannot stall the server. */
export const MAX_INLINE_COUNTS = 2_000;

export interface InlineCount {
  /** The entry's index in the document's EntryTable. */
  readonly entry: number;
  /** Where the count goes: the end of the entry's text. */
  readonly offset: number;
  readonly label: string;
}

/**
 * The counts of the blocking entries on lines [firstLine, lastLine] (zero-based) with at least `minimumAddresses` addresses, in document order.
 * Exceptions, conditional rules and entries of allowing scopes block nothing and get none; without ASN data a count names no owner.
 */
export function inlineCounts(
  document: BlocklistDocument,
  networks: Networks | undefined,
  firstLine: number,
  lastLine: number,
  minimumAddresses: bigint,
  limit = MAX_INLINE_COUNTS,
): InlineCount[] {
  const table = document.entries;
  const counts: InlineCount[] = [];
  const first = lowerBound(table.line, firstLine, table.count);
  let k = first;
  for (; k < table.count && table.line[k] <= lastLine && counts.length < limit; k++) {
    if (table.allow[k] || table.conditional[k] || document.scopes[table.scope[k]].role === 'allow') continue;
    const total = table.size(k);
    if (total < minimumAddresses) continue;
    const version = table.version[k] as 4 | 6;
    let label = formatAmount(version, total);
    const owner = networks && largestOwner(networks, version, table.lo(k), table.hi(k));
    if (owner) label += ` · ${excerpt(owner.name)} ${formatPercent(owner.addresses, total)}`;
    counts.push({ entry: k, offset: table.end[k], label });
  }
  workDone.entries += k - first;
  return counts;
}

/** The known provider with the most addresses in [lo, hi], else the organisation with the most; undefined when no one announces any. */
function largestOwner(networks: Networks, version: 4 | 6, lo: bigint, hi: bigint): { name: string; addresses: bigint } | undefined {
  const provider = providerShares(networks, version, lo, hi)[0];
  if (provider) return { name: provider.provider.name, addresses: provider.addresses };
  return networks.index.holders(version, lo, hi, 1).largest[0];
}
