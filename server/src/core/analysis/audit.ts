/**
 * The findings about a document: reading problems, duplicates, entries
 * covered by others, partial overlaps, entries that merge into one CIDR,
 * special-purpose ranges and overbroad entries, plus the document's totals.
 * Pure: the language server and the CLI render the same findings.
 */
import { AddressSet } from '../addresses/addressSet';
import type { BlocklistDocument, EntryTable } from '../document/document';
import { IPV4, IPV6, type AddressArray, type Family } from '../addresses/family';
import { formatAddress, formatCount, powerOfTwo } from '../addresses/display';
import type { LineProblem, ProblemCode } from '../document/problem';
import { headerNotes, type HeaderNote } from './headerChecks';
import { parseTargetDirective, resolveSpecs, type ResolvedSpecs } from '../ownership/addressSpec';
import type { Networks } from '../ownership/networks';
import { ownershipOf } from '../ownership/shares';
import type { ProviderCategory } from '../ownership/providers';
import { radixSortIndices } from '../primitives/radixSort';
import { specialRangesOverlapping, touchesSpecialIPv4, touchesSpecialIPv6 } from './specialRanges';

export type FindingCode =
  | ProblemCode
  | 'duplicate'
  | 'covered'
  | 'partial-overlap'
  | 'mergeable'
  | 'special-purpose'
  | 'overbroad'
  | 'known-network'
  | 'collateral'
  | 'protected'
  | 'outside-target'
  | HeaderNote['code'];

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Each code's severity unless the settings say otherwise. `overbroad` is an error past the error threshold. */
export const DEFAULT_SEVERITY: Readonly<Record<FindingCode, Severity>> = {
  'invalid-entry': 'error',
  'host-bits-set': 'warning',
  'leading-zeros': 'warning',
  duplicate: 'warning',
  covered: 'warning',
  'partial-overlap': 'information',
  mergeable: 'hint',
  'special-purpose': 'warning',
  overbroad: 'warning',
  'stale-header': 'warning',
  'unknown-format': 'warning',
  'known-network': 'warning',
  collateral: 'warning',
  protected: 'error',
  'outside-target': 'warning',
};

/** How much a known-network overlap matters, by the provider's category (the most severe category of the entry wins). */
export const DEFAULT_CATEGORY_SEVERITY: Readonly<Record<ProviderCategory, Severity | 'off'>> = {
  cloud: 'warning',
  cdn: 'warning',
  platform: 'warning',
  hosting: 'information',
  messenger: 'information',
};

/** Public resolvers: blocking them breaks name resolution for everyone behind the list. */
export const DEFAULT_PROTECTED: readonly string[] = [
  '1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4', '9.9.9.9', '149.112.112.112', '208.67.222.222', '208.67.220.220',
  '2606:4700:4700::1111', '2606:4700:4700::1001', '2001:4860:4860::8888', '2001:4860:4860::8844', '2620:fe::fe', '2620:fe::9',
];

export interface AuditOptions {
  /** Per-code severity, or 'off' to drop the code. */
  readonly severity: Partial<Record<FindingCode, Severity | 'off'>>;
  /** Entries broader than these prefix lengths are overbroad (warning) or far too broad (error). */
  readonly overbroad: { readonly ipv4Warning: number; readonly ipv4Error: number; readonly ipv6Warning: number; readonly ipv6Error: number };
  /** At most this many findings are returned; the rest are counted in `omitted`. */
  readonly maxFindings: number;
  readonly networks: NetworkOptions;
}

export interface NetworkOptions {
  /** Entries with fewer addresses are not checked for known networks or collateral (a single address is a deliberate target). */
  readonly minimumAddresses: number;
  readonly categorySeverity: Readonly<Record<ProviderCategory, Severity | 'off'>>;
  /** An entry spanning more organisations than this is overbroad, however long its prefix. */
  readonly maxOrganisations: number;
  /** Networks no entry may block: CIDRs, ranges, `AS13335`, provider ids or names. */
  readonly protected: readonly string[];
  /** The intended target, when the file has no `# target:` directive. Empty: no target. */
  readonly target: readonly string[];
}

export const DEFAULT_AUDIT_OPTIONS: AuditOptions = {
  severity: {},
  overbroad: { ipv4Warning: 16, ipv4Error: 8, ipv6Warning: 32, ipv6Error: 16 },
  maxFindings: 1000,
  networks: {
    minimumAddresses: 256,
    categorySeverity: DEFAULT_CATEGORY_SEVERITY,
    maxOrganisations: 3,
    protected: DEFAULT_PROTECTED,
    target: [],
  },
};

/** Another place a finding involves (the entry a duplicate repeats, say). */
export interface RelatedPlace {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** The entry the finding is about, when it is about one. */
  readonly entry?: number;
  readonly related?: readonly RelatedPlace[];
}

export interface FamilyTotals {
  /** Blocking entries read. */
  readonly entries: number;
  /** Unique addresses blocked: the size of the union, not the sum. */
  readonly addresses: bigint;
}

export interface AuditResult {
  readonly findings: readonly Finding[];
  /** Findings left out by `maxFindings`. */
  readonly omitted: number;
  readonly ipv4: FamilyTotals;
  readonly ipv6: FamilyTotals;
  readonly duplicates: number;
  readonly exceptions: number;
  /** The blocked addresses per family (for hovers and reports). */
  readonly blocked4: AddressSet<number>;
  readonly blocked6: AddressSet<bigint>;
}

/** A finding before its message is written: messages are made only for the findings returned. */
interface Pending {
  readonly code: FindingCode;
  readonly entry: number;
  /** The other entry involved, or -1. */
  readonly other: number;
}

/**
 * Audits `document`. With `networks` (the ASN data), entries are also checked
 * against known providers, for collateral across organisations, and by ASN
 * or provider against the protected networks and the intended target.
 */
export function audit(document: BlocklistDocument, options: AuditOptions = DEFAULT_AUDIT_OPTIONS, networks?: Networks): AuditResult {
  const table = document.entries;
  const pending: Pending[] = [];
  const v4 = new Uint32Array(table.count);
  const v6 = new Uint32Array(table.count);
  let count4 = 0;
  let count6 = 0;
  for (let k = 0; k < table.count; k++) {
    if (table.allow[k]) continue;
    if (table.version[k] === 4) v4[count4++] = k;
    else v6[count6++] = k;
  }
  const order4 = sortIPv4(table, v4.subarray(0, count4));
  const order6 = sortIPv6(table, v6.subarray(0, count6));
  const duplicates = findOverlaps(IPV4, table.lo4, table.hi4, order4, table.prefix, pending) + findOverlaps(IPV6, table.lo6, table.hi6, order6, table.prefix, pending);
  const broad = overbroadThresholds(options);
  const context = networkContext(document, options.networks, networks);
  const net = options.networks;
  const checks = { broad, context, networks, limit: net.maxOrganisations, pending, known: table.ownersKnown };
  checkEntries(order4, table.lo4, table.hi4, {
    ...checks,
    overbroad: (lo, hi) => hi - lo >= broad.ipv4Warning,
    large: (lo, hi) => hi - lo >= net.minimumAddresses - 1,
    special: touchesSpecialIPv4,
    owners: (lo, hi) => ownersOf(networks!.providers.touchesIPv4(lo, hi), networks!.index.countHoldersIPv4(lo, hi, OWNERS_COUNTED)),
    protectedSet: context.protected.ipv4,
    targetSet: context.target?.ipv4,
  });
  checkEntries(order6, table.lo6, table.hi6, {
    ...checks,
    overbroad: (lo, hi) => hi - lo >= broad.ipv6Warning,
    large: (lo, hi) => hi - lo >= BigInt(net.minimumAddresses - 1),
    special: touchesSpecialIPv6,
    owners: (lo, hi) => ownersOf(networks!.providers.touchesIPv6(lo, hi), networks!.index.countHoldersIPv6(lo, hi, OWNERS_COUNTED)),
    protectedSet: context.protected.ipv6,
    targetSet: context.target?.ipv6,
  });

  const blocked4 = AddressSet.fromOrderedIntervals(IPV4, table.lo4, table.hi4, order4);
  const blocked6 = AddressSet.fromOrderedIntervals(IPV6, table.lo6, table.hi6, order6);
  const header = headerNotes(document.text, document.format.id, order4.length + order6.length, blocked4.size() + blocked6.size());
  const findings = collectFindings(document, header, pending, options, { broad, networks, ...context });
  return {
    findings: findings.kept,
    omitted: findings.omitted,
    ipv4: { entries: order4.length, addresses: blocked4.size() },
    ipv6: { entries: order6.length, addresses: blocked6.size() },
    duplicates,
    exceptions: table.count - order4.length - order6.length,
    blocked4,
    blocked6,
  };
}

/** Overbroad limits as the largest allowed `hi - lo` per family, computed once per audit. */
interface OverbroadThresholds {
  readonly ipv4Warning: number;
  readonly ipv4Error: number;
  readonly ipv6Warning: bigint;
  readonly ipv6Error: bigint;
}

function overbroadThresholds({ overbroad: o }: AuditOptions): OverbroadThresholds {
  return {
    ipv4Warning: 2 ** (32 - o.ipv4Warning),
    ipv4Error: 2 ** (32 - o.ipv4Error),
    ipv6Warning: 1n << BigInt(128 - o.ipv6Warning),
    ipv6Error: 1n << BigInt(128 - o.ipv6Error),
  };
}

/** What the per-entry checks need for one family. */
interface FamilyChecks<A extends number | bigint> {
  readonly pending: Pending[];
  readonly networks: Networks | undefined;
  readonly limit: number;
  readonly overbroad: (lo: A, hi: A) => boolean;
  /** Big enough for the network checks (single addresses are deliberate targets). */
  readonly large: (lo: A, hi: A) => boolean;
  readonly special: (lo: A, hi: A) => boolean;
  /** The entry's owners, coded as in EntryTable.ownersKnown. */
  readonly owners: (lo: A, hi: A) => number;
  /** The table's memo of owners. */
  readonly known: Uint8Array;
  readonly protectedSet: AddressSet<A>;
  readonly targetSet: AddressSet<A> | undefined;
}

/** Holders are counted up to this many (the highest `maxOrganisations` setting allowed plus one fits a byte). */
const OWNERS_COUNTED = 63;

function ownersOf(touchesProvider: boolean, holders: number): number {
  return 1 | (touchesProvider ? 2 : 0) | (Math.min(holders, OWNERS_COUNTED) << 2);
}

/** The checks of single entries: special-purpose, overbroad, known networks, collateral, protected, outside the target. */
function checkEntries<A extends number | bigint>(order: Uint32Array, los: AddressArray<A>, his: AddressArray<A>, c: FamilyChecks<A>): void {
  for (const k of order) {
    const lo = los[k];
    const hi = his[k];
    if (c.special(lo, hi)) c.pending.push({ code: 'special-purpose', entry: k, other: -1 });
    if (c.overbroad(lo, hi)) c.pending.push({ code: 'overbroad', entry: k, other: -1 });
    if (c.networks && c.large(lo, hi)) {
      if (c.known[k] === 0) c.known[k] = c.owners(lo, hi);
      // Inside the intended target, a provider's addresses are what is meant.
      const meant = c.targetSet?.covers(lo, hi) ?? false;
      if (!meant && (c.known[k] & 2) !== 0) c.pending.push({ code: 'known-network', entry: k, other: -1 });
      if (c.known[k] >> 2 > c.limit) c.pending.push({ code: 'collateral', entry: k, other: -1 });
    }
    if (c.protectedSet.overlaps(lo, hi)) c.pending.push({ code: 'protected', entry: k, other: -1 });
    if (c.targetSet && !c.targetSet.covers(lo, hi)) c.pending.push({ code: 'outside-target', entry: k, other: -1 });
  }
}

/** The protected networks and the intended target (the file's `# target:` directive, else the setting), resolved. */
interface NetworkContext {
  readonly protected: ResolvedSpecs;
  readonly target: ResolvedSpecs | undefined;
  readonly targetLabel: string;
}

function networkContext(document: BlocklistDocument, options: NetworkOptions, networks: Networks | undefined): NetworkContext {
  const resolve = (specs: readonly string[]) => (networks ? networks.resolve(specs) : resolveSpecs(specs, undefined));
  const targetSpecs = parseTargetDirective(document.text)?.specs ?? options.target;
  return {
    protected: resolve(options.protected),
    target: targetSpecs.length > 0 ? resolve(targetSpecs) : undefined,
    targetLabel: targetSpecs.join(' '),
  };
}

/** IPv4 entry indices sorted by first address ascending, then last address descending, then document order. */
function sortIPv4(table: EntryTable, indices: Uint32Array): Uint32Array {
  const order = indices.slice();
  radixSortIndices(order, table.lo4);
  // The radix sort is stable, so entries with the same first address are in document order;
  // such runs are short, and a comparison sort puts the longest first.
  for (let runStart = 0; runStart < order.length; ) {
    let runEnd = runStart + 1;
    while (runEnd < order.length && table.lo4[order[runEnd]] === table.lo4[order[runStart]]) runEnd++;
    if (runEnd - runStart > 1) order.subarray(runStart, runEnd).sort((a, b) => table.hi4[b] - table.hi4[a] || a - b);
    runStart = runEnd;
  }
  return order;
}

function sortIPv6(table: EntryTable, indices: Uint32Array): Uint32Array {
  const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  return Uint32Array.from(indices).sort((a, b) => compare(table.lo6[a], table.lo6[b]) || compare(table.hi6[b], table.hi6[a]) || a - b);
}

/**
 * One sweep over entries in sorted order, keeping the entry that reaches
 * furthest so far: an entry inside it is covered (or a duplicate when equal
 * to the one before it), one that starts inside it overlaps it partly, and
 * one that starts right after it may merge with it. Returns the duplicates.
 */
function findOverlaps<A extends number | bigint>(
  family: Family<A>,
  los: AddressArray<A>,
  his: AddressArray<A>,
  order: Uint32Array,
  prefixes: Int16Array,
  pending: Pending[],
): number {
  let duplicates = 0;
  let reach = -1; // the entry with the largest last address so far
  let groupFirst = -1; // the first entry of the current run of identical entries
  for (let n = 0; n < order.length; n++) {
    const k = order[n];
    const lo = los[k];
    const hi = his[k];
    if (n > 0 && lo === los[order[n - 1]] && hi === his[order[n - 1]]) {
      duplicates++;
      pending.push({ code: 'duplicate', entry: k, other: groupFirst });
      continue;
    }
    groupFirst = k;
    if (reach >= 0) {
      const reachHi = his[reach];
      if (hi <= reachHi) {
        pending.push({ code: 'covered', entry: k, other: reach });
        continue;
      }
      if (lo <= reachHi) pending.push({ code: 'partial-overlap', entry: k, other: reach });
      else if (lo === family.next(reachHi) && mergesIntoOneBlock(family, los[reach], prefixes[reach], prefixes[k])) {
        pending.push({ code: 'mergeable', entry: k, other: reach });
      }
    }
    reach = k;
  }
  return duplicates;
}

/** Whether two adjacent CIDR blocks, the first starting at `firstLo`, together make one block of the next shorter prefix. */
function mergesIntoOneBlock<A extends number | bigint>(family: Family<A>, firstLo: A, firstPrefix: number, secondPrefix: number): boolean {
  return firstPrefix > 0 && firstPrefix === secondPrefix && family.network(firstLo, firstPrefix - 1) === firstLo;
}

/** How overbroad an entry is: 'error' past the error limit, else 'warning' (only called for overbroad entries). */
function overbroadLevel(table: EntryTable, k: number, broad: OverbroadThresholds): Severity {
  const tooBroad = table.version[k] === 4 ? table.hi4[k] - table.lo4[k] >= broad.ipv4Error : table.hi6[k] - table.lo6[k] >= broad.ipv6Error;
  return tooBroad ? 'error' : 'warning';
}

/** What writing a finding needs beyond the document and the options. */
interface FindingContext extends NetworkContext {
  readonly broad: OverbroadThresholds;
  readonly networks: Networks | undefined;
}

/** The severity of an entry finding when the settings name none for its code. */
function defaultSeverity(table: EntryTable, item: Pending, options: AuditOptions, context: FindingContext): Severity | 'off' {
  if (item.code === 'overbroad') return overbroadLevel(table, item.entry, context.broad);
  if (item.code === 'known-network' && context.networks) {
    const k = item.entry;
    const providers = table.version[k] === 4 ? context.networks.providers.providersIPv4(table.lo4[k], table.hi4[k]) : context.networks.providers.providersIPv6(table.lo6[k], table.hi6[k]);
    const ranked: (Severity | 'off')[] = ['error', 'warning', 'information', 'hint', 'off'];
    return providers.map((p) => options.networks.categorySeverity[p.category]).sort((a, b) => ranked.indexOf(a) - ranked.indexOf(b))[0] ?? 'off';
  }
  return DEFAULT_SEVERITY[item.code];
}

/**
 * Merges notes on the header, reading problems and entry findings in line
 * order (a line's notes and problems first), applies severities and the cap,
 * and writes the messages of the findings kept.
 */
function collectFindings(
  document: BlocklistDocument,
  header: readonly HeaderNote[],
  pending: Pending[],
  options: AuditOptions,
  context: FindingContext,
): { kept: Finding[]; omitted: number } {
  const table = document.entries;
  const problems: readonly (HeaderNote | LineProblem)[] = header.length === 0 ? document.problems : [...header, ...document.problems].sort((a, b) => a.line - b.line);
  pending.sort((a, b) => a.entry - b.entry);
  const kept: Finding[] = [];
  let omitted = 0;
  let p = 0;
  let q = 0;
  while (p < pending.length || q < problems.length) {
    if (q < problems.length && (p === pending.length || problems[q].line <= table.line[pending[p].entry])) {
      const problem = problems[q++];
      const severity = options.severity[problem.code] ?? DEFAULT_SEVERITY[problem.code];
      if (severity === 'off') continue;
      if (kept.length === options.maxFindings) omitted++;
      else kept.push({ code: problem.code, severity, line: problem.line, start: problem.start, end: problem.end, message: problem.message });
    } else {
      const item = pending[p++];
      const severity = options.severity[item.code] ?? defaultSeverity(table, item, options, context);
      if (severity === 'off') continue;
      if (kept.length === options.maxFindings) omitted++;
      else kept.push(entryFinding(document, item, severity, options, context));
    }
  }
  return { kept, omitted };
}

function entryFinding(document: BlocklistDocument, item: Pending, severity: Severity, options: AuditOptions, context: FindingContext): Finding {
  const table = document.entries;
  const k = item.entry;
  const place = { line: table.line[k], start: table.start[k], end: table.end[k], entry: k, code: item.code, severity };
  const other = item.other;
  const otherText = other >= 0 ? document.text.slice(table.start[other], table.end[other]) : '';
  const otherLine = other >= 0 ? table.line[other] + 1 : 0;
  const related = (message: string): RelatedPlace[] => [{ line: table.line[other], start: table.start[other], end: table.end[other], message }];
  switch (item.code) {
    case 'duplicate':
      return { ...place, message: `Duplicate of line ${otherLine} (${otherText}).`, related: related('First listed here.') };
    case 'covered':
      return {
        ...place,
        message: `Already blocked by line ${otherLine} (${otherText}): this entry adds no address.`,
        related: related('This entry contains it.'),
      };
    case 'partial-overlap': {
      const shared = minBig(table.hi(k), table.hi(other)) - maxBig(table.lo(k), table.lo(other)) + 1n;
      return {
        ...place,
        message: `Overlaps line ${otherLine} (${otherText}) on ${formatCount(shared)} addresses.`,
        related: related('Overlapping entry.'),
      };
    }
    case 'mergeable': {
      const merged = `${formatAddress(table.version[k], table.lo(other))}/${table.prefix[k] - 1}`;
      return { ...place, message: `Together with line ${otherLine} (${otherText}) this is exactly ${merged}.`, related: related('Adjacent entry.') };
    }
    case 'special-purpose': {
      const ranges = specialRangesOverlapping(table.version[k] as 4 | 6, table.lo(k), table.hi(k));
      const names = ranges.slice(0, 3).map((r) => `${r.cidr} ${r.name} (${r.rfc})`);
      const more = ranges.length > 3 ? ` and ${ranges.length - 3} more` : '';
      return { ...place, message: `Includes special-purpose addresses: ${names.join('; ')}${more}.` };
    }
    case 'overbroad': {
      const o = options.overbroad;
      const pastError = overbroadLevel(table, k, context.broad) === 'error';
      const limit = table.version[k] === 4 ? (pastError ? o.ipv4Error : o.ipv4Warning) : pastError ? o.ipv6Error : o.ipv6Warning;
      return {
        ...place,
        message: `Blocks ${formatCount(table.size(k))} addresses${powerOfTwo(table.size(k))}, more than a /${limit}: check that all of them are meant.`,
      };
    }
    case 'known-network': {
      const ownership = ownershipOf(context.networks!.index, table.version[k] as 4 | 6, table.lo(k), table.hi(k));
      const parts = ownership.providers
        .slice(0, 3)
        .map((share) => `${formatCount(share.addresses)} addresses of ${share.provider.name} (${percentOf(share.addresses, ownership.total)} of the entry, ${share.asns.map((asn) => `AS${asn}`).join(' ')})`);
      const more = ownership.providers.length > 3 ? ` and ${ownership.providers.length - 3} more providers` : '';
      const services = serviceDetail(context.networks!, table.version[k] as 4 | 6, table.lo(k), table.hi(k));
      return { ...place, message: `Blocks ${parts.join(', ')}${more}.${services ? ` The providers' feeds list ${services}.` : ''}` };
    }
    case 'collateral': {
      const ownership = ownershipOf(context.networks!.index, table.version[k] as 4 | 6, table.lo(k), table.hi(k));
      const top = ownership.holders.slice(0, 3).map((h) => `${h.name} (AS${h.asn}) ${formatCount(h.addresses)}`);
      return {
        ...place,
        message: `Spans ${ownership.holders.length} organisations, more than ${options.networks.maxOrganisations}: ${top.join('; ')}${ownership.holders.length > 3 ? '; …' : ''}. Narrow it to the one meant.`,
      };
    }
    case 'protected': {
      const hit = context.protected.items.filter((item) => (table.version[k] === 4 ? item.ipv4.overlaps(table.lo4[k], table.hi4[k]) : item.ipv6.overlaps(table.lo6[k], table.hi6[k])));
      const blocked = hit.map((item) => {
        const shared = table.version[k] === 4 ? item.ipv4.clip(table.lo4[k], table.hi4[k]).size() : item.ipv6.clip(table.lo6[k], table.hi6[k]).size();
        return `${item.label} (${formatCount(shared)} ${shared === 1n ? 'address' : 'addresses'})`;
      });
      return { ...place, message: `Blocks protected networks: ${blocked.join(', ')}. Exclude them or remove the entry.` };
    }
    case 'outside-target': {
      const target = context.target!;
      const inside = table.version[k] === 4 ? target.ipv4.clip(table.lo4[k], table.hi4[k]).size() : target.ipv6.clip(table.lo6[k], table.hi6[k]).size();
      const total = table.size(k);
      return {
        ...place,
        message: `${formatCount(total - inside)}${powerOfTwo(total - inside)} of ${formatCount(total)} addresses (${percentOf(total - inside, total)}) are outside the target ${context.targetLabel}.`,
      };
    }
    default:
      throw new Error(`No entry finding for ${item.code}`);
  }
}

/** The largest services and regions the providers' feeds name inside [lo, hi], e.g. `EC2 eu-central-1 (131,072)`. */
function serviceDetail(networks: Networks, version: 4 | 6, lo: bigint, hi: bigint): string {
  const totals = new Map<string, bigint>();
  for (const match of networks.feeds.lookup(version, lo, hi)) {
    const label = [match.service, match.region].filter(Boolean).join(' ');
    if (label) totals.set(label, (totals.get(label) ?? 0n) + match.addresses);
  }
  const top = [...totals].sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0)).slice(0, 3);
  return top.map(([label, addresses]) => `${label} (${formatCount(addresses)})`).join(', ');
}

/** part / whole as a percentage with up to three significant digits. */
function percentOf(part: bigint, whole: bigint): string {
  return `${Number((Number((part * 1_000_000n) / whole) / 10_000).toPrecision(3))} %`;
}

const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
