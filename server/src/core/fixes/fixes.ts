/**
 * The fixes offered on an entry, each an exact set operation written back in
 * the entry's own format: fix host bits, remove a duplicate or covered entry,
 * merge adjacent entries, split, exclude a provider's or the protected
 * ranges, narrow to the intended target.
 */
import type { AddressSet } from '../addresses/addressSet';
import type { EntryIndex } from '../analysis/entryIndex';
import type { DocumentFacts, EntryFact } from '../analysis/facts';
import { entryStands } from '../analysis/entryStands';
import { iptablesEntryOf, iptablesModelOf } from '../analysis/iptablesDecisions';
import { blockTaken, fixesNeedLoaderCheck, keepWhatTheLoaderNeeds, loaderRejections, rewritable, type BlockCheck } from '../analysis/loaderChecks';
import { chainKey } from '../formats/iptablesRestore';
import { radixSortIndices } from '../primitives/radixSort';
import { EntriesByScope } from '../analysis/entriesByScope';
import { wordIs } from '../formats/lines';
import { FINDING_RULES } from '../analysis/findingCodes';
import { parseDocument, type BlocklistDocument, type EntryTable } from '../document/document';
import { IPV4, IPV6, type AddressArray, type Family } from '../addresses/family';
import { formatAddresses } from '../addresses/display';
import { formatCount } from '../primitives/formatCount';
import { IntervalBuilder } from '../addresses/intervalBuilder';
import { resolveSpecs, usableTarget, withNetworks, type NamedNetworks, type ResolvedSpecs } from '../ownership/addressSpec';
import type { Networks } from '../ownership/networks';
import { ownershipOf } from '../ownership/shares';
import { PROVIDERS } from '../ownership/providers';
import { splitCidr } from '../addresses/split';
import { endsLine, type FormatId } from '../formats/format';
import { libwrapStopsAt } from '../formats/hostsDeny';
import { importStopsAt } from '../formats/mikrotik';
import { applyEdits, ChangesByEntry, entryTexts, forEachEntryText, rewriteEntries, takesSeveral, type TextEdit } from './rewrite';

export type FixKind = 'quickfix' | 'refactor.rewrite';

export interface Fix {
  readonly title: string;
  readonly kind: FixKind;
  readonly edits: readonly TextEdit[];
  /** The finding codes this fix resolves (quick fixes are offered on them). */
  readonly resolves?: readonly string[];
  readonly preferred?: boolean;
}

/** A fix producing more entries than this says so in its title, unless the settings say otherwise. */
export const DEFAULT_MAX_FIX_ENTRIES = 64;

export interface FixOptions {
  /** A fix producing more entries than this says so in its title. */
  readonly maxEntries: number;
  readonly protected: readonly string[];
  /** The entries of the allowlists, protected as `protected` is: the exclusion fix removes them too. */
  readonly allowlisted?: readonly NamedNetworks[];
  readonly target: readonly string[];
}

interface Entry {
  readonly k: number;
  readonly text: string;
  readonly version: 4 | 6;
  readonly lo: bigint;
  readonly hi: bigint;
}

/** What the fixes read of the document's analysis: which entries overlap which, and the facts of its audit. */
export interface FixContext {
  readonly index: EntryIndex;
  readonly facts: DocumentFacts;
}

/**
 * Every fix for entry k that keeps its scope's decisions as its title says.
 * In scopes where order or specificity decides, an entry is removed only
 * when the audit found it changes nothing, merged never, and narrowed only
 * when no other entry of its scope shares its addresses. Where a removal can
 * change what the loader reads elsewhere (fixesNeedLoaderCheck), a fix after
 * which it would refuse more than before is not offered.
 */
export function fixesForEntry(document: BlocklistDocument, context: FixContext, k: number, options: FixOptions, networks?: Networks): Fix[] {
  if (loaderStops(document)) return [];
  const fixes = entryFixes(document, context, k, options, networks);
  if (fixes.length === 0) return fixes;
  const readable = fixes.filter((fix) => readsWhole(document, fix.edits));
  if (!fixesNeedLoaderCheck(document)) return readable;
  return readable.filter((fix) => loaderTakes(document, context.facts.loader.length, fix.edits));
}

/** Apache refuses a .htaccess line of 8,192 bytes or more ("Line too long", MAX_STRING_LEN). */
const APACHE_LONGEST_LINE = 8191;

/**
 * Whether the loader still reads every line of `document` with `edits`
 * applied, where it can stop: libwrap at a rule of 2,047 bytes, Apache at a
 * .htaccess line of 8,192 (a line already longer may stay so), RouterOS's
 * import at an address a list already holds. A split writes several
 * entries where there was one.
 */
function readsWhole(document: BlocklistDocument, edits: readonly TextEdit[]): boolean {
  const stopsAt = STOPS_AT[document.format.id];
  if (stopsAt !== undefined) return stopsAt(applyEdits(document.text, edits)) < 0;
  if (document.format.id !== 'apache') return true;
  return longestLine(applyEdits(document.text, edits)) <= Math.max(APACHE_LONGEST_LINE, longestLine(document.text));
}

/** The length of the longest line of `text` (in bytes, for ASCII). */
function longestLine(text: string): number {
  let [longest, start] = [0, 0];
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !endsLine(text, i)) continue;
    longest = Math.max(longest, i - start);
    start = i + 1;
  }
  return longest;
}

/** The formats whose loader stops at a line it cannot take, and the zero-based line where it stops in a text (-1: it reads it whole). */
const STOPS_AT: Partial<Record<FormatId, (text: string) => number>> = { 'hosts-deny': libwrapStopsAt, mikrotik: importStopsAt };

/** Per document, whether its loader stops reading it before its end (asked for each entry's fixes). */
const LOADER_STOPS = new WeakMap<BlocklistDocument, boolean>();

/**
 * Whether the loader of `document` stops before its end: a hosts.deny (or
 * hosts.allow) libwrap cannot read whole, whose broken line makes the rules
 * before it redundant, or a MikroTik script whose import stops at a
 * repeated add, which either add's removal would let go on. Either holds
 * only until the line is mended, so no fix is offered until then (the
 * error says how).
 */
function loaderStops(document: BlocklistDocument): boolean {
  const stopsAt = STOPS_AT[document.format.id];
  if (stopsAt === undefined) return false;
  let stops = LOADER_STOPS.get(document);
  if (stops === undefined) LOADER_STOPS.set(document, (stops = stopsAt(document.text) >= 0));
  return stops;
}

/** Whether the loader refuses no more of `document` with `edits` applied than the `refused` places it refuses now. */
function loaderTakes(document: BlocklistDocument, refused: number, edits: readonly TextEdit[]): boolean {
  return loaderRejections(parseDocument(applyEdits(document.text, edits), document.format)).length <= refused;
}

function entryFixes(document: BlocklistDocument, context: FixContext, k: number, options: FixOptions, networks?: Networks): Fix[] {
  const table = document.entries;
  const index = context.index;
  if (table.allow[k] || table.conditional[k]) return [];
  const leeway = document.format.id === 'iptables' ? iptablesLeeway(document, k) : entryStands(document, k) === 'target' ? 'remove' : 'rewrite';
  if (leeway === 'keep') return [];
  const scope = document.scopes[table.scope[k]];
  const union = scope.evaluation === 'union';
  // A token that stands for several entries (nginx `deny all`) cannot be rewritten as one.
  if ((k > 0 && table.start[k - 1] === table.start[k]) || (k + 1 < table.count && table.start[k + 1] === table.start[k])) return [];
  const entry: Entry = { k, text: document.text.slice(table.start[k], table.end[k]), version: table.version[k] as 4 | 6, lo: table.lo(k), hi: table.hi(k) };
  const fixes: Fix[] = [];
  const prefix = table.prefix[k];

  const taken = blockTaken(document);
  // Host bits: the entry already means its network; write it so, where the loader takes that network. (A range whose first address is such a CIDR is no one network.)
  if (
    prefix >= 0 &&
    document.problems.some((p) => p.code === 'host-bits-set' && p.start === table.start[k]) &&
    (taken?.(table.scope[k], entry.version, entry.lo, prefix) ?? true)
  ) {
    const network = `${formatAddressOf(entry, entry.lo)}/${prefix}`;
    fixes.push({
      title: `Write ${entry.text} as ${network}`,
      kind: 'quickfix',
      edits: rewriteEntries(document, new Map([[k, [network]]])),
      resolves: ['host-bits-set'],
      preferred: true,
    });
  }

  // Duplicates and covered entries add nothing: removing them keeps the set (the scope's decisions).
  const redundant = redundancyOf(context.facts, k);
  const container = redundant === undefined ? -1 : union ? coveringEntry(table, index, k) : redundant.other;
  // Where no entry decides for it, the place that does (an iptables policy), if any.
  const coveringLine = container >= 0 ? table.line[container] : redundant?.at?.line;
  const removal = new Map<number, readonly string[]>([[k, []]]);
  keepWhatTheLoaderNeeds(document, removal);
  if ((container >= 0 || (redundant && !union)) && removal.size > 0) {
    const same = container >= 0 && table.lo(container) === entry.lo && table.hi(container) === entry.hi;
    const by = coveringLine === undefined ? ': it never takes effect' : `, covered by line ${coveringLine + 1}`;
    fixes.push({
      title: same ? `Remove duplicate ${entry.text} (line ${coveringLine! + 1} has it)` : `Remove ${entry.text}${by}`,
      kind: 'quickfix',
      edits: rewriteEntries(document, removal),
      resolves: ['duplicate', 'covered'],
      preferred: true,
    });
  }

  // An entry the hosts.allow beside it decides first, whole, never denies: removing it changes no decision while that file stays.
  const granted = context.facts.entryFacts.of(k).find((fact) => fact.code === 'granted-first');
  if (granted && removal.size > 0) {
    const by = granted.away ? `hosts.allow line ${granted.away.line + 1} (${granted.away.text})` : 'the hosts.allow beside it';
    fixes.push({ title: `Remove ${entry.text}: ${by} decides it first`, kind: 'quickfix', edits: rewriteEntries(document, removal), resolves: ['granted-first'] });
  }

  // An allowlist's entries are meant: nothing to narrow. A rule's target (iptables) or verdict (nftables) stands for every address: it is no list to rewrite.
  if (scope.role === 'allow' || leeway === 'remove' || !rewritable(document, index, k)) return fixes;
  // An entry no other of its scope overlaps decides its addresses alone: its pieces decide them the same way.
  const alone = union || index.overlapping(k).every((other) => table.scope[other] !== table.scope[k]);
  // Halves are more specific than the whole; after an entry in order they keep its place.
  const splittable = (scope.evaluation !== 'most-specific' || alone) && takesSeveral(document, k);
  // Addresses taken out of a first-match rule fall to the rules after it, which may block them still.
  const narrowable = union || (scope.evaluation === 'most-specific' && alone);

  // Adjacent blocks that make one (which the loader takes).
  const partner = union ? mergePartner(table, index, k) : -1;
  const merged =
    partner >= 0 &&
    rewritable(document, index, partner) &&
    (taken?.(table.scope[k], entry.version, table.lo(partner) < entry.lo ? table.lo(partner) : entry.lo, prefix - 1) ?? true);
  if (merged) {
    const [first, second] = table.start[partner] < table.start[k] ? [partner, k] : [k, partner];
    const lo = table.lo(partner) < entry.lo ? table.lo(partner) : entry.lo;
    const hi = table.hi(partner) > entry.hi ? table.hi(partner) : entry.hi;
    const text = entryTexts(document.format.id, setOf(entry.version, lo, hi));
    fixes.push({
      title: `Merge with line ${table.line[partner] + 1} into ${text.join(', ')}`,
      kind: 'quickfix',
      edits: rewriteEntries(
        document,
        new Map([
          [first, text],
          [second, []],
        ]),
      ),
      resolves: ['mergeable'],
      preferred: true,
    });
  }

  // Splits, on any CIDR that has halves.
  const bits = entry.version === 4 ? 32 : 128;
  if (splittable && prefix >= 0 && prefix < bits) {
    for (const into of splitSizes(prefix, bits)) {
      const blocks = splitCidr(familyOf(entry.version) as Family<number | bigint>, entry.version === 4 ? Number(entry.lo) : entry.lo, prefix, into);
      // Each block as the format writes one: a CIDR, or a range where the format takes no CIDR.
      const texts = blocks.flatMap((block) => entryTexts(document.format.id, setOf(entry.version, BigInt(block), BigInt(block) + (1n << BigInt(bits - into)) - 1n)));
      const title = into === prefix + 1 ? `Split ${entry.text} into two halves (/${into})` : `Split ${entry.text} into ${blocks.length} /${into} subnets`;
      fixes.push({ title, kind: 'refactor.rewrite', edits: rewriteEntries(document, new Map([[k, texts]])) });
    }
  }

  // Exclusions and narrowing: exact differences and intersections.
  if (!narrowable) return fixes;
  const resolve = (specs: readonly string[]) => (networks ? networks.resolve(specs) : resolveSpecs(specs, undefined));
  if (networks) {
    const ownership = ownershipOf(networks, entry.version, entry.lo, entry.hi);
    for (const share of ownership.providers) {
      const excluded = networks.resolve([share.provider.id]);
      fixes.push(...narrowing(document, entry, excluded, 'difference', `Exclude ${share.provider.name} from ${entry.text}`, options, ['known-network', 'collateral']));
    }
    if (ownership.providers.some((share) => share.provider.category === 'cloud' || share.provider.category === 'cdn')) {
      const clouds = PROVIDERS.filter((p) => p.category === 'cloud' || p.category === 'cdn').map((p) => p.id);
      fixes.push(...narrowing(document, entry, networks.resolve(clouds), 'difference', `Exclude all known cloud and CDN ranges from ${entry.text}`, options, ['known-network']));
    }
  }
  const protectedSets = withNetworks(resolve(options.protected), options.allowlisted ?? []);
  if (overlapsSet(entry, protectedSets)) {
    fixes.push(...narrowing(document, entry, protectedSets, 'difference', `Exclude the protected networks from ${entry.text}`, options, ['protected'], true));
  }
  const targetSpecs = document.directives.target?.specs ?? options.target;
  const target = usableTarget(targetSpecs, resolve);
  if (target && !coversSet(entry, target)) {
    fixes.push(...narrowing(document, entry, target, 'intersection', `Narrow ${entry.text} to the target ${targetSpecs.join(' ')}`, options, ['outside-target']));
  }
  return fixes;
}

function narrowing(
  document: BlocklistDocument,
  entry: Entry,
  other: ResolvedSpecs,
  operation: 'difference' | 'intersection',
  title: string,
  options: FixOptions,
  resolves: string[],
  preferred = false,
): Fix[] {
  const result: AddressSet<number> | AddressSet<bigint> =
    entry.version === 4 ? setOf4(entry.lo, entry.hi)[operation](other.ipv4) : setOf6(entry.lo, entry.hi)[operation](other.ipv6);
  const set = result as AddressSet<number | bigint>;
  const removed = `−${formatAddresses(entry.version, entry.hi - entry.lo + 1n - result.size())}`;
  const texts = entryTexts(document.format.id, set);
  const many = texts.length > options.maxEntries ? ` (more than ${count(options.maxEntries)})` : '';
  const fixes: Fix[] = [
    { title: `${title} → ${count(texts.length)}, ${removed}${many}`, kind: 'quickfix', edits: rewriteEntries(document, new Map([[entry.k, texts]])), resolves, preferred },
  ];
  // Formats that take ranges can say the same in far fewer entries.
  if (many && RANGE_FORMATS.includes(document.format.id)) {
    const ranges: string[] = [];
    set.forEachRange((lo, hi) => ranges.push(lo === hi ? set.family.format(lo) : `${set.family.format(lo)}-${set.family.format(hi)}`));
    fixes.push({ title: `${title} as ranges → ${count(ranges.length)}, ${removed}`, kind: 'quickfix', edits: rewriteEntries(document, new Map([[entry.k, ranges]])), resolves });
  }
  return fixes;
}

/** Formats whose entries may be ranges (ipset hash:net `add s a-b`, nftables interval sets). */
const RANGE_FORMATS: readonly string[] = ['ipset', 'nftables'];

function count(entries: number): string {
  return `${formatCount(entries)} ${entries === 1 ? 'entry' : 'entries'}`;
}

/** Prefix lengths worth offering: halves, then /24 and /16 style boundaries, at most a few hundred blocks. */
function splitSizes(prefix: number, bits: number): number[] {
  const sizes = [prefix + 1];
  for (const candidate of bits === 32 ? [16, 24] : [32, 48, 64]) {
    if (candidate > prefix + 1 && candidate - prefix <= 8) sizes.push(candidate);
  }
  return sizes;
}

/**
 * What a fix may do to entry k of an iptables file: rewrite it; only remove
 * it, with its rule (a rule's target, standing for every address); or
 * nothing: a chain's policy, or a rule before a line that counts the
 * chain's rules (`-D CHAIN 2`, `-R`, `-I CHAIN 3`) or names one (`-D CHAIN
 * RULE`), which removing or splitting an address would move.
 */
function iptablesLeeway(document: BlocklistDocument, k: number): 'rewrite' | 'remove' | 'keep' {
  const entry = iptablesEntryOf(document, k);
  if (entry.kind === 'policy') return 'keep';
  const { rule } = entry;
  const counted = iptablesModelOf(document).ruleset.positional.get(chainKey(rule.family, rule.table.name, rule.chain));
  if (counted !== undefined && counted > rule.line) return 'keep';
  return entry.kind === 'target' ? 'remove' : 'rewrite';
}

/** The audit's finding that entry k is a duplicate or covered (removing it changes nothing), if it has one. */
function redundancyOf(facts: DocumentFacts, k: number): EntryFact | undefined {
  return facts.entryFacts.of(k).find((fact) => fact.code === 'duplicate' || fact.code === 'covered');
}

/** The widest other entry that contains entry k (for identical entries, the first one stays), or -1. */
function coveringEntry(t: EntryTable, index: EntryIndex, k: number): number {
  return t.version[k] === 4 ? widestContaining(t, index, t.lo4, t.hi4, k) : widestContaining(t, index, t.lo6, t.hi6, k);
}

function widestContaining<A extends number | bigint>(t: EntryTable, index: EntryIndex, los: AddressArray<A>, his: AddressArray<A>, k: number): number {
  let best = -1;
  for (const other of index.overlapping(k)) {
    if (t.allow[other] || t.conditional[other] || t.scope[other] !== t.scope[k] || los[other] > los[k] || his[other] < his[k]) continue;
    if (los[other] === los[k] && his[other] === his[k] && other > k) continue;
    if (best < 0 || los[other] < los[best] || his[other] > his[best]) best = other;
  }
  return best;
}

/** An entry adjacent to k with which it makes exactly one CIDR block, or -1. */
function mergePartner(t: EntryTable, index: EntryIndex, k: number): number {
  const prefix = t.prefix[k];
  if (prefix <= 0) return -1;
  const family = familyOf(t.version[k] as 4 | 6) as Family<number | bigint>;
  const los = (t.version[k] === 4 ? t.lo4 : t.lo6) as AddressArray<number | bigint>;
  const lo = los[k];
  const network = family.network(lo, prefix - 1);
  // The other half of the block of the next shorter prefix.
  const partnerLo = network === lo ? family.next(family.lastOfBlock(lo, family.bits - prefix)) : network;
  for (const other of index.holding(t.version[k] as 4 | 6, BigInt(partnerLo))) {
    if (other !== k && !t.allow[other] && !t.conditional[other] && t.scope[other] === t.scope[k] && t.prefix[other] === prefix && los[other] === partnerLo) return other;
  }
  return -1;
}

function overlapsSet(entry: Entry, sets: ResolvedSpecs): boolean {
  return entry.version === 4 ? sets.ipv4.overlaps(Number(entry.lo), Number(entry.hi)) : sets.ipv6.overlaps(entry.lo, entry.hi);
}

function coversSet(entry: Entry, sets: ResolvedSpecs): boolean {
  return entry.version === 4 ? sets.ipv4.covers(Number(entry.lo), Number(entry.hi)) : sets.ipv6.covers(entry.lo, entry.hi);
}

function familyOf(version: 4 | 6): Family<number> | Family<bigint> {
  return version === 4 ? IPV4 : IPV6;
}

function setOf4(lo: bigint, hi: bigint): AddressSet<number> {
  const builder = new IntervalBuilder(IPV4, 1);
  builder.add(Number(lo), Number(hi));
  return builder.build();
}

function setOf6(lo: bigint, hi: bigint): AddressSet<bigint> {
  const builder = new IntervalBuilder(IPV6, 1);
  builder.add(lo, hi);
  return builder.build();
}

function setOf(version: 4 | 6, lo: bigint, hi: bigint): AddressSet<number | bigint> {
  return (version === 4 ? setOf4(lo, hi) : setOf6(lo, hi)) as AddressSet<number | bigint>;
}

function formatAddressOf(entry: Entry, address: bigint): string {
  return entry.version === 4 ? IPV4.format(Number(address)) : IPV6.format(address);
}

/**
 * Whether Fix all has anything to do: a finding it repairs, without the
 * rewrite. (It may still leave what the loader or the rule needs, so its
 * edits may come out empty.)
 */
export function fixAllMayEdit(document: BlocklistDocument, facts: DocumentFacts): boolean {
  for (let n = 0; n < facts.entryFacts.length; n++) {
    const rule = FINDING_RULES[facts.entryFacts.code(n)];
    if (rule.fixAll && rule.unnecessary) return true;
  }
  return FINDING_RULES['host-bits-set'].fixAll && document.problems.some((problem) => problem.code === 'host-bits-set');
}

/**
 * The fixes of the whole document that Fix all may apply (FINDING_RULES'
 * `fixAll`): entries that add nothing removed, host bits written as networks.
 * Read from the facts of the document's audit: no second audit.
 */
export function fixAll(document: BlocklistDocument, facts: DocumentFacts): TextEdit[] {
  if (loaderStops(document)) return [];
  const t = document.entries;
  const taken = blockTaken(document);
  const changes = new Map<number, readonly string[]>();
  // An entry finding Fix all may repair is one of an entry that adds nothing: removing it keeps the set.
  // (A word that stands for several entries, nginx `all`, goes only when all of them go: the rewriter sees to it.)
  const kept = (k: number) => document.format.id === 'iptables' && iptablesLeeway(document, k) === 'keep';
  for (const fact of facts.entryFacts) if (FINDING_RULES[fact.code].fixAll && FINDING_RULES[fact.code].unnecessary && !kept(fact.entry)) changes.set(fact.entry, []);
  if (FINDING_RULES['host-bits-set'].fixAll) {
    for (const problem of document.problems) {
      if (problem.code !== 'host-bits-set') continue;
      const k = t.firstAtOrAfter(problem.start);
      if (
        k >= t.count ||
        t.start[k] !== problem.start ||
        changes.has(k) ||
        t.prefix[k] < 0 ||
        kept(k) ||
        !(taken?.(t.scope[k], t.version[k] as 4 | 6, t.lo(k), t.prefix[k]) ?? true)
      )
        continue;
      changes.set(k, [`${t.version[k] === 4 ? IPV4.format(t.lo4[k]) : IPV6.format(t.lo6[k])}/${t.prefix[k]}`]);
    }
  }
  keepWhatTheLoaderNeeds(document, changes);
  const edits = rewriteEntries(document, changes);
  if (edits.length === 0 || !fixesNeedLoaderCheck(document) || loaderTakes(document, facts.loader.length, edits)) return edits;
  // The removals move what the loader reads across lines: only the rewrites stay, if the loader takes those.
  for (const [k, written] of changes) if (written.length === 0) changes.delete(k);
  const rewrites = rewriteEntries(document, changes);
  return loaderTakes(document, facts.loader.length, rewrites) ? rewrites : [];
}

/**
 * The whole list rewritten as its minimal CIDR list (its ranges, in formats
 * that take no CIDR), scope by scope: each block of a scope's union takes
 * the place of the first entry of the scope that overlaps it, entries left
 * with nothing are removed, and comments and other lines stay where they
 * are. Exceptions, and scopes where order or specificity decides, are left
 * alone: merging there could change decisions.
 */
export function aggregate(document: BlocklistDocument, facts?: DocumentFacts): TextEdit[] {
  if (loaderStops(document)) return [];
  const assigned = new ChangesByEntry(document.entries.count);
  const taken = blockTaken(document);
  const t = document.entries;
  const scopes = document.scopes;
  // The blocking entries of each union scope, per family, grouped at once: a file may hold a scope per entry.
  const union = new Uint32Array(t.count);
  let n = 0;
  // A conditional entry (a MikroTik entry with a timeout, a tuple's address) is no part of what its scope blocks: left as it is.
  for (let k = 0; k < t.count; k++) if (!t.allow[k] && !t.conditional[k] && scopes[t.scope[k]].evaluation === 'union') union[n++] = k;
  const members = new EntriesByScope(union.subarray(0, n), t, scopes.length);
  for (let s = 0; s < scopes.length; s++) {
    aggregateScope(document, s, IPV4, t.lo4, t.hi4, members.of(s, 4), assigned, taken);
    aggregateScope(document, s, IPV6, t.lo6, t.hi6, members.of(s, 6), assigned, taken);
  }
  const edits = rewriteEntries(document, assigned);
  // A merged block may equal a conditional entry it leaves alone: a MikroTik list holding it twice stops the import.
  if (!readsWhole(document, edits)) return [];
  // As for Fix all: where what a line removes can move what the loader reads, a rewrite it would refuse is not offered
  // (what it refuses now, the audit's `facts` have found, when given).
  if (edits.length === 0 || !fixesNeedLoaderCheck(document) || loaderTakes(document, (facts?.loader ?? loaderRejections(document)).length, edits)) return edits;
  return [];
}

/** What an entry that goes is written as: nothing (one array for all of them). */
const REMOVED: readonly string[] = [];

/**
 * Assigns the CIDR blocks of the union of `order`, the blocking entries of
 * scope s of one family in document order, to the entries whose places they
 * take (an entry that keeps its own text is left out of
 * `assigned`: no edit); a scope whose loader would refuse one of the blocks
 * (an nft set without `flags interval`, IPv6 blocks in ipset's hash:ip) is
 * left as it is. Addresses are read from the table's arrays, never as
 * bigints: a list of millions of entries makes no garbage per entry.
 */
function aggregateScope<A extends number | bigint>(
  document: BlocklistDocument,
  s: number,
  family: Family<A>,
  los: AddressArray<A>,
  his: AddressArray<A>,
  order: Uint32Array,
  assigned: ChangesByEntry,
  taken: BlockCheck | undefined,
): void {
  const t = document.entries;
  if (order.length === 0) return;
  const builder = new IntervalBuilder(family, order.length);
  for (let p = 0; p < order.length; p++) builder.add(los[order[p]], his[order[p]]);
  const union = builder.build();
  // Blocks ascend; entries sorted by first address (of equal ones, the first in the document first) find their blocks in one pass.
  // Entries are named by their position in `order`, which is document order: the first in the document is the least.
  const byStart = new Uint32Array(order.length);
  for (let p = 0; p < order.length; p++) byStart[p] = p;
  if (family.version === 4) {
    const starts = new Uint32Array(order.length);
    for (let p = 0; p < order.length; p++) starts[p] = t.lo4[order[p]];
    radixSortIndices(byStart, starts);
  } else byStart.sort((a, b) => (los[order[a]] < los[order[b]] ? -1 : los[order[a]] > los[order[b]] ? 1 : a - b));
  const firsts: A[] = [];
  const lasts: A[] = [];
  const texts: string[] = [];
  forEachEntryText(document.format.id, union, (first, last, text) => {
    firsts.push(first);
    lasts.push(last);
    texts.push(text);
  });
  // Only ipset and nft sets refuse blocks, and both are written as CIDRs: a block's size gives its prefix.
  if (taken && !firsts.every((first, b) => taken(s, family.version, BigInt(first), family.bits - family.log2Span(first, lasts[b])))) return;
  // Each owner's blocks as a chain: its last block, and for each block the one before it of the same owner (most own one or none).
  const lastOwned = new Int32Array(order.length).fill(-1);
  const previousOwned = new Int32Array(texts.length);
  let e = 0;
  for (let b = 0; b < texts.length; b++) {
    const lo = firsts[b];
    const hi = lasts[b];
    // The first entry in document order among those overlapping the block (every block has one: it is part of their union).
    while (e < byStart.length && his[order[byStart[e]]] < lo) e++;
    let owner = order.length;
    for (let n = e; n < byStart.length && los[order[byStart[n]]] <= hi; n++) {
      if (his[order[byStart[n]]] >= lo && byStart[n] < owner) owner = byStart[n];
    }
    previousOwned[b] = lastOwned[owner];
    lastOwned[owner] = b;
  }
  for (let p = 0; p < order.length; p++) {
    const k = order[p];
    const last = lastOwned[p];
    // An entry that stays as it is written needs no edit.
    if (last >= 0 && previousOwned[last] < 0 && wordIs(document.text, t.start[k], t.end[k], texts[last])) continue;
    if (last < 0) {
      assigned.set(k, REMOVED);
      continue;
    }
    const mine: string[] = [];
    for (let b = last; b >= 0; b = previousOwned[b]) mine.push(texts[b]);
    assigned.set(k, mine.reverse());
  }
}
