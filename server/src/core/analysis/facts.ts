/**
 * The facts of a document, before any severity or message: the blocking
 * entries in address order, one sweep for duplicates, covered entries,
 * partial overlaps and merges, the per-entry checks (special-purpose,
 * overbroad, known networks, collateral, protected, outside the target),
 * the blocked sets and the header notes. Diagnostics, hovers, the report and
 * Fix all all read these one facts.
 */
import { AddressSet } from '../addresses/addressSet';
import { IPV4, IPV6, type AddressArray, type Family } from '../addresses/family';
import { unionOf } from '../addresses/intervalBuilder';
import type { BlocklistDocument, EntryTable } from '../document/document';
import { resolveSpecs, usableTarget, withNetworks, type ResolvedSpecs } from '../ownership/addressSpec';
import type { Networks } from '../ownership/networks';
import type { EntryCode } from './findingCodes';
import { headerNotes, type HeaderNote } from './headerChecks';
import type { AuditOptions } from './options';
import { OWNERS_COUNTED, OwnersMemo } from './ownersMemo';
import { touchesSpecialIPv4, touchesSpecialIPv6 } from './specialRanges';
import { firstMatch, mostSpecific } from './decisions';
import { lineExcept } from './lineExcept';
import { iptablesDecisions } from './iptablesDecisions';
import { coveredElsewhereFacts } from './groups';
import type { Addresses } from './which';
import { GrantedFirst, grantedFirstFacts, onlyAllowedDenied } from './hostsAllow';
import { hostsDeny } from '../formats/hostsDeny';
import { loaderRejections, type LoaderRejection } from './loaderChecks';
import { EntryFacts } from './entryFacts';
import { addressOrder, carriedOrder, oneUnion, sortIPv4, sortIPv6, type BeforeEdit } from './entryOrder';
import { IPv4Ranges, type RangeTest } from '../addresses/ipv4Ranges';
import { EntriesByScope } from './entriesByScope';
import { UnionSweep } from './unionSweep';
import { blockingIn, unionEdit } from './unionEdit';

/** A finding about entry `entry`, before its severity and message; `other` is the other entry involved, or -1. */
export interface EntryFact {
  readonly code: EntryCode;
  readonly entry: number;
  readonly other: number;
  /** Where the other side stands when it is no entry (an iptables chain's ACCEPT policy, a rule without an address). */
  readonly at?: Place;
  /** Where the other side stands when another file holds it (the hosts.allow line that grants first, an earlier list of the group). */
  readonly away?: AwayPlace;
}

/** A place in another file: the file (a path or a URI), the place there, its column and its text. */
export interface AwayPlace extends Place {
  readonly file: string;
  readonly column: number;
  readonly text: string;
}

/** A stretch of the text on a line. */
export interface Place {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/** The protected networks and the intended target (the file's `# target:` directive, else the setting), resolved. */
export interface NetworkContext {
  readonly protected: ResolvedSpecs;
  /** The target, when one is named and every name in it is known (see usableTarget). */
  readonly target: ResolvedSpecs | undefined;
  readonly targetLabel: string;
  /** The names of the target that name no known network (with the ASN data loaded: without it, AS numbers and providers resolve to nothing). */
  readonly unknownTarget: readonly string[];
}

export interface DocumentFacts {
  /** Blocking entries by first address ascending, then last address descending, then document order. */
  readonly order4: Uint32Array;
  readonly order6: Uint32Array;
  /** The largest last minus first address of any entry of the family, blocking or not (what an entry index searches around an address). */
  readonly widest4: number;
  readonly widest6: bigint;
  /** Entries of rules that match only some traffic (EntryMeaning.conditional). */
  readonly conditional: number;
  /** Entry findings in entry order. */
  readonly entryFacts: EntryFacts;
  readonly header: readonly HeaderNote[];
  /** What the firewall's loader would refuse, in line order. */
  readonly loader: readonly LoaderRejection[];
  /** Blocking entries equal to an earlier one. */
  readonly duplicates: number;
  readonly blocked4: AddressSet<number>;
  readonly blocked6: AddressSet<bigint>;
  /** Each scope that holds entries: what it decides to block, whether it blocks or allows (its role says). */
  readonly scopeSets: readonly ScopeSet[];
  readonly context: NetworkContext;
  /** A hosts.deny's: what the hosts.allow beside it decides first, per daemon. */
  readonly grantedFirst?: GrantedFirst;
  /** A hosts.deny's beside a hosts.allow: what each daemon only hosts.allow names is denied (it has no scope here), by name in lower case. */
  readonly onlyAllowed?: ReadonlyMap<string, Addresses>;
  /** A list of a group's: what the lists loaded before it block together. */
  readonly blockedBefore?: Addresses;
}

/** One scope's blocking entries and the addresses it blocks, by its own rule. */
export interface ScopeSet {
  /** Its index in the document's scopes. */
  readonly scope: number;
  readonly entries4: number;
  readonly entries6: number;
  readonly blocked4: AddressSet<number>;
  readonly blocked6: AddressSet<bigint>;
}

/**
 * The facts of `document`. With `networks` (the ASN data), entries are also
 * checked against known providers, for collateral across organisations, and
 * by ASN or provider against the protected networks and the intended target;
 * `memo` keeps what the ASN data said of each entry for the next edit;
 * `before`, the audit of the document an edit made this one of.
 */
export function documentFacts(document: BlocklistDocument, options: AuditOptions, networks: Networks | undefined, memo: OwnersMemo, before?: BeforeEdit): DocumentFacts {
  const table = document.entries;
  const entryFacts = new EntryFacts(table.count);
  // After a one-line edit of a list the sweep's facts are found again only where the edit changed them.
  const resumes = before?.facts !== undefined && (options.earlierLists ?? []).length === 0 && sweepResumes(document, before);
  const shape = resumes ? carriedShape(document, before!) : entryShape(document, entryFacts, before);
  const { order4, order6 } = shape;
  const edit = resumes ? unionEdit(document, before!.document, before!.facts!, order4, order6, entryFacts) : undefined;
  const { blocked4, blocked6, scopeSets, grantedFirst, onlyAllowed }: ReturnType<typeof scopedDecisions> = edit
    ? { blocked4: edit.blocked4, blocked6: edit.blocked6, scopeSets: [fileScope(order4, order6, edit.blocked4, edit.blocked6)] }
    : oneUnion(document)
      ? fileUnion(document, order4, order6, entryFacts)
      : scopedDecisions(document, entryFacts, options);
  const context = networkContext(document, options, networks);
  const net = options.networks;
  const o = options.overbroad;
  // Thresholds as the largest `hi - lo` allowed, worked out once: the checks run for every entry.
  const [broad4, broad6] = [2 ** (32 - o.ipv4Warning), 1n << BigInt(128 - o.ipv6Warning)];
  const [large4, large6] = [net.minimumAddresses - 1, BigInt(net.minimumAddresses - 1)];
  const idle = idleEntries(table.count, entryFacts);
  const blockedBefore = coveredElsewhereFacts(document, order4, order6, options.earlierLists ?? [], idle, entryFacts);
  const shared = { networks, limit: net.maxOrganisations, facts: entryFacts, known: memo.codes, idle };
  // In document order, so that the columns are read in sequence: the facts are put in entry order afterwards anyway. After an edit, only the entries whose facts are found again.
  const [checked4, checked6] = edit ? [edit.redone.filter((k) => table.version[k] === 4), edit.redone.filter((k) => table.version[k] === 6)] : [shape.blocking4, shape.blocking6];
  checkEntries(checked4, table.lo4, table.hi4, {
    ...shared,
    overbroad: (lo, hi) => hi - lo >= broad4,
    large: (lo, hi) => hi - lo >= large4,
    special: touchesSpecialIPv4,
    owners: (lo, hi) => OwnersMemo.code(networks!.providers.touchesIPv4(lo, hi), networks!.index.countOrganisationsIPv4(lo, hi, OWNERS_COUNTED)),
    protectedSet: IPv4Ranges.of(context.protected.ipv4),
    targetSet: context.target && IPv4Ranges.of(context.target.ipv4),
  });
  checkEntries(checked6, table.lo6, table.hi6, {
    ...shared,
    overbroad: (lo, hi) => hi - lo >= broad6,
    large: (lo, hi) => hi - lo >= large6,
    special: touchesSpecialIPv6,
    owners: (lo, hi) => OwnersMemo.code(networks!.providers.touchesIPv6(lo, hi), networks!.index.countOrganisationsIPv6(lo, hi, OWNERS_COUNTED)),
    protectedSet: context.protected.ipv6,
    targetSet: context.target?.ipv6,
  });
  const found = entryFacts.inEntryOrder(table.count);
  const inOrder = edit ? before!.facts!.entryFacts.edited(document.spliced!, edit.redone, found) : found;
  let duplicates = 0;
  for (let n = 0; n < inOrder.length; n++) if (inOrder.code(n) === 'duplicate') duplicates++;
  const header = headerNotes(document.directives, order4.length + order6.length, blocked4.size() + blocked6.size(), context.unknownTarget, options.networks.snapshots);
  return {
    order4,
    order6,
    widest4: shape.widest4,
    widest6: shape.widest6,
    conditional: shape.conditional,
    entryFacts: inOrder,
    header,
    loader: loaderRejections(document),
    duplicates,
    blocked4,
    blocked6,
    scopeSets,
    context,
    ...(grantedFirst ? { grantedFirst } : {}),
    ...(onlyAllowed ? { onlyAllowed } : {}),
    ...(blockedBefore ? { blockedBefore } : {}),
  };
}

/** What the audit reads off the entries before it decides anything. */
interface Shape {
  /** Each family's blocking entries in address order. */
  readonly order4: Uint32Array;
  readonly order6: Uint32Array;
  /** Each family's blocking entries in document order, when every entry was looked at (empty after a resumed sweep). */
  readonly blocking4: Uint32Array;
  readonly blocking6: Uint32Array;
  readonly widest4: number;
  readonly widest6: bigint;
  readonly conditional: number;
}

/** The shape of `document`, in one pass over its entries; the conditional rules' facts go to `facts`. */
function entryShape(document: BlocklistDocument, facts: EntryFacts, before: BeforeEdit | undefined): Shape {
  const table = document.entries;
  const scopes = document.scopes;
  let ipv6 = 0;
  for (let k = 0; k < table.count; k++) if (table.version[k] === 6) ipv6++;
  const v4 = new Uint32Array(table.count - ipv6);
  const v6 = new Uint32Array(ipv6);
  let count4 = 0;
  let count6 = 0;
  let conditional = 0;
  for (let k = 0; k < table.count; k++) {
    if (table.conditional[k]) {
      facts.add('conditional', k, -1);
      conditional++;
    }
    if (table.allow[k] || table.conditional[k] || scopes[table.scope[k]].role === 'allow') continue;
    if (table.version[k] === 4) v4[count4++] = k;
    else v6[count6++] = k;
  }
  const [blocking4, blocking6] = [v4.subarray(0, count4), v6.subarray(0, count6)];
  const [widest4, widest6] = widestSpans(table, 0, table.count, 0, 0n);
  return { order4: addressOrder(document, 4, blocking4, before), order6: addressOrder(document, 6, blocking6, before), blocking4, blocking6, widest4, widest6, conditional };
}

/**
 * The shape of `document` from that of the document its edit made it of
 * (`before`, whose sweep resumes): only the entries the edit removed and
 * read are looked at, unless it removed one of the widest.
 */
function carriedShape(document: BlocklistDocument, before: BeforeEdit): Shape {
  const [table, was, facts] = [document.entries, before.document.entries, before.facts!];
  const { from, to, inserted } = document.spliced!;
  // The widest spans stay unless the edit removed an entry as wide and read none as wide: then they are looked for again.
  const [read4, read6] = widestSpans(table, from, from + inserted, -1, -1n);
  const [gone4, gone6] = widestSpans(was, from, to, -1, -1n);
  const [widest4, widest6] =
    (gone4 === facts.widest4 && read4 < gone4) || (gone6 === facts.widest6 && read6 < gone6)
      ? widestSpans(table, 0, table.count, 0, 0n)
      : [Math.max(facts.widest4, read4), read6 > facts.widest6 ? read6 : facts.widest6];
  const none = new Uint32Array(0);
  return {
    order4: carriedOrder(document, 4, blockingIn(document, from, from + inserted, 4), before),
    order6: carriedOrder(document, 6, blockingIn(document, from, from + inserted, 6), before),
    blocking4: none,
    blocking6: none,
    widest4,
    widest6,
    conditional: 0,
  };
}

/** The largest last minus first address of the entries [from, to) of each family, and `widest4` and `widest6`. */
function widestSpans(table: EntryTable, from: number, to: number, widest4: number, widest6: bigint): [number, bigint] {
  for (let k = from; k < to; k++) {
    if (table.version[k] === 4) widest4 = Math.max(widest4, table.hi4[k] - table.lo4[k]);
    else {
      const span = table.hi6[k] - table.lo6[k];
      if (span > widest6) widest6 = span;
    }
  }
  return [widest4, widest6];
}

/** What the per-entry checks need for one family. */
interface FamilyChecks<A extends number | bigint> {
  readonly facts: EntryFacts;
  readonly networks: Networks | undefined;
  readonly limit: number;
  readonly overbroad: (lo: A, hi: A) => boolean;
  /** Big enough for the network checks (single addresses are deliberate targets). */
  readonly large: (lo: A, hi: A) => boolean;
  readonly special: (lo: A, hi: A) => boolean;
  /** The entry's owners, coded as in OwnersMemo. */
  readonly owners: (lo: A, hi: A) => number;
  readonly known: Uint8Array;
  /** 1 for an entry that never takes effect: what its addresses reach is told on the entries that decide them. */
  readonly idle: Uint8Array;
  readonly protectedSet: RangeTest<A>;
  readonly targetSet: RangeTest<A> | undefined;
}

/** The checks of single entries (`entries`, one family's blocking ones): special-purpose, overbroad, known networks, collateral, protected, outside the target. */
function checkEntries<A extends number | bigint>(entries: Uint32Array, los: AddressArray<A>, his: AddressArray<A>, c: FamilyChecks<A>): void {
  for (let n = 0; n < entries.length; n++) {
    const k = entries[n];
    if (c.idle[k]) continue;
    const lo = los[k];
    const hi = his[k];
    if (c.special(lo, hi)) c.facts.add('special-purpose', k, -1);
    if (c.overbroad(lo, hi)) c.facts.add('overbroad', k, -1);
    if (c.networks && c.large(lo, hi)) {
      if (c.known[k] === 0) c.known[k] = c.owners(lo, hi);
      // Inside the intended target, a provider's addresses are what is meant.
      const meant = c.targetSet?.covers(lo, hi) ?? false;
      if (!meant && OwnersMemo.touchesProvider(c.known[k])) c.facts.add('known-network', k, -1);
      if (OwnersMemo.holders(c.known[k]) > c.limit) c.facts.add('collateral', k, -1);
    }
    if (c.protectedSet.overlaps(lo, hi)) c.facts.add('protected', k, -1);
    if (c.targetSet && !c.targetSet.covers(lo, hi)) c.facts.add('outside-target', k, -1);
  }
}

/** The codes of an entry that never takes effect: removing it changes nothing, so it gets that finding only. */
const IDLE: ReadonlySet<EntryCode> = new Set(['duplicate', 'covered', 'shadowed', 'granted-first']);

/** 1 for each entry that `facts` say never takes effect. */
function idleEntries(count: number, facts: EntryFacts): Uint8Array {
  const idle = new Uint8Array(count);
  for (let n = 0; n < facts.length; n++) if (IDLE.has(facts.code(n))) idle[facts.entry(n)] = 1;
  return idle;
}

/** The common case: the file is one union, with all its blocking entries sorted in `order4` and `order6`. */
function fileUnion(
  document: BlocklistDocument,
  order4: Uint32Array,
  order6: Uint32Array,
  facts: EntryFacts,
): { blocked4: AddressSet<number>; blocked6: AddressSet<bigint>; scopeSets: ScopeSet[] } {
  const t = document.entries;
  const blocked4 = unionScope(IPV4, t.lo4, t.hi4, order4, t.prefix, facts);
  const blocked6 = unionScope(IPV6, t.lo6, t.hi6, order6, t.prefix, facts);
  return { blocked4, blocked6, scopeSets: [fileScope(order4, order6, blocked4, blocked6)] };
}

/** The scope of a file that is one union. */
function fileScope(order4: Uint32Array, order6: Uint32Array, blocked4: AddressSet<number>, blocked6: AddressSet<bigint>): ScopeSet {
  return { scope: 0, entries4: order4.length, entries6: order6.length, blocked4, blocked6 };
}

/**
 * Whether the sweep of `document` can resume from the facts before its edit
 * (unionEdit.ts): both are one union of the same role, the edit's entries
 * line up, no fact has a place beside its other entry, and the intended
 * target is the same.
 */
function sweepResumes(document: BlocklistDocument, before: BeforeEdit): boolean {
  const [previous, splice] = [before.document, document.spliced];
  if (!splice || !oneUnion(previous) || !oneUnion(document) || previous.scopes[0].role !== document.scopes[0].role) return false;
  if (previous.entries.count + splice.inserted - (splice.to - splice.from) !== document.entries.count || before.facts!.entryFacts.placed || before.facts!.conditional > 0)
    return false;
  for (let k = splice.from; k < splice.from + splice.inserted; k++) if (document.entries.conditional[k]) return false;
  const [was, is] = [previous.directives.target?.specs ?? [], document.directives.target?.specs ?? []];
  return was.length === is.length && was.every((spec, n) => spec === is[n]);
}

/**
 * Each scope on its own, by its own evaluation: the facts never cross scopes,
 * and only blocking scopes count towards what the document blocks.
 */
function scopedDecisions(
  document: BlocklistDocument,
  facts: EntryFacts,
  options: AuditOptions,
): {
  blocked4: AddressSet<number>;
  blocked6: AddressSet<bigint>;
  scopeSets: ScopeSet[];
  grantedFirst?: GrantedFirst;
  onlyAllowed?: ReadonlyMap<string, Addresses>;
} {
  const table = document.entries;
  const scopes = document.scopes;
  const scopeSets: ScopeSet[] = [];
  // Conditional rules decide nothing about an address as such: they take no part.
  const decisive = table.decisive();
  const inScopes = new EntriesByScope(decisive, table, scopes.length);
  // A rule of a line-except document may hold in several scopes: they are decided together, and a scope may hold only others' rules.
  const ruled = scopes.some((scope) => scope.evaluation === 'line-except') ? lineExcept(document, decisive, facts) : undefined;
  // A hosts.deny is asked only what the hosts.allow beside it does not decide first.
  const granted = ruled && options.hostsAllow && document.format === hostsDeny ? GrantedFirst.of(options.hostsAllow) : undefined;
  if (granted) grantedFirstFacts(document, decisive, granted, idleEntries(table.count, facts), facts);
  // The chains of an iptables file are decided together too: a jump hands addresses on to another chain.
  if (document.format.id === 'iptables') scopeSets.push(...iptablesDecisions(document, facts).values());
  for (let s = 0; s < scopes.length; s++) {
    const rules = scopes[s].evaluation === 'line-except' ? ruled?.get(s) : undefined;
    if (rules) {
      const matched = granted?.matched(scopes[s].name);
      const [blocked4, blocked6] = matched ? [rules.blocked4.difference(matched.ipv4), rules.blocked6.difference(matched.ipv6)] : [rules.blocked4, rules.blocked6];
      scopeSets.push({ scope: s, entries4: rules.entries4, entries6: rules.entries6, blocked4, blocked6 });
      continue;
    }
    if (scopes[s].evaluation === 'line-except' || document.format.id === 'iptables') continue;
    const entries4 = inScopes.of(s, 4);
    const entries6 = inScopes.of(s, 6);
    if (entries4.length + entries6.length === 0) continue;
    let set4: AddressSet<number>;
    let set6: AddressSet<bigint>;
    if (scopes[s].evaluation === 'union') {
      set4 = unionScope(
        IPV4,
        table.lo4,
        table.hi4,
        sortIPv4(
          table,
          entries4.filter((k) => !table.allow[k]),
        ),
        table.prefix,
        facts,
      );
      set6 = unionScope(
        IPV6,
        table.lo6,
        table.hi6,
        sortIPv6(
          table,
          entries6.filter((k) => !table.allow[k]),
        ),
        table.prefix,
        facts,
      );
    } else {
      const evaluate = scopes[s].evaluation === 'first-match' ? firstMatch : mostSpecific;
      set4 = evaluate({ family: IPV4, entries: entries4, los: table.lo4, his: table.hi4, allow: table.allow }, facts).blocked;
      set6 = evaluate({ family: IPV6, entries: entries6, los: table.lo6, his: table.hi6, allow: table.allow }, facts).blocked;
    }
    const blocking = (entries: Uint32Array) => entries.reduce((count, k) => count + (table.allow[k] ? 0 : 1), 0);
    scopeSets.push({ scope: s, entries4: blocking(entries4), entries6: blocking(entries6), blocked4: set4, blocked6: set6 });
  }
  // Only blocking scopes count towards what the document blocks; all at once, as a file may hold thousands of scopes.
  const blockingSets = scopeSets.filter((set) => scopes[set.scope].role === 'block');
  // Beside a hosts.allow, the daemons only it names are denied by hosts.deny's ALL rules too, less what it matches for them.
  const every = ruled && granted ? ruled.get(scopes.findIndex((scope) => scope.name === 'ALL')) : undefined;
  const onlyAllowed = every && granted ? onlyAllowedDenied(document, granted, { ipv4: every.blocked4, ipv6: every.blocked6 }) : undefined;
  const denied = [...(onlyAllowed?.values() ?? [])];
  const blocked4 = unionOf(IPV4, [...blockingSets.map((set) => set.blocked4), ...denied.map((set) => set.ipv4)]);
  const blocked6 = unionOf(IPV6, [...blockingSets.map((set) => set.blocked6), ...denied.map((set) => set.ipv6)]);
  return { blocked4, blocked6, scopeSets, ...(granted ? { grantedFirst: granted } : {}), ...(onlyAllowed ? { onlyAllowed } : {}) };
}

function networkContext(document: BlocklistDocument, options: AuditOptions, networks: Networks | undefined): NetworkContext {
  const resolve = (specs: readonly string[]) => (networks ? networks.resolve(specs) : resolveSpecs(specs, undefined));
  const targetSpecs = document.directives.target?.specs ?? options.networks.target;
  const target = usableTarget(targetSpecs, resolve);
  return {
    protected: withNetworks(resolve(options.networks.protected), options.networks.allowlisted ?? []),
    target,
    targetLabel: targetSpecs.join(' '),
    // Without the ASN data AS numbers and providers resolve to nothing: no name is called unknown then.
    unknownTarget: networks && targetSpecs.length > 0 && !target ? resolve(targetSpecs).unknown : [],
  };
}

/**
 * A union scope's blocked addresses, and its duplicates, covered entries,
 * partial overlaps and merges (`order`: its blocking entries, sorted): one
 * sweep finds the facts and gathers the union as it goes, from the entries
 * that reach past all before them.
 */
function unionScope<A extends number | bigint>(
  family: Family<A>,
  los: AddressArray<A>,
  his: AddressArray<A>,
  order: Uint32Array,
  prefixes: Int16Array,
  facts: EntryFacts,
): AddressSet<A> {
  const sweep = new UnionSweep(family, los, his, prefixes);
  const union = AddressSet.ascending(family, order.length);
  for (let n = 0; n < order.length; n++) {
    const k = order[n];
    const code = sweep.step(k);
    if (code !== undefined) facts.add(code, k, sweep.other);
    if (code !== 'duplicate' && code !== 'covered') union.add(los[k], his[k]);
  }
  return union.build();
}
