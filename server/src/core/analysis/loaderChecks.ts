/**
 * What a firewall's loader would refuse to load, found before it is asked:
 * each an error at the place the loader names, with the lines it conflicts
 * with. ipset restore's checks are in ipsetRestore.ts, Apache's
 * (`apache2 -t`) in formats/apache.ts, iptables-restore's in
 * formats/iptablesRestore.ts and formats/iptables.ts, nft's here. nft (checked with
 * `nft -c -f`, ORACLES.md) rejects the whole ruleset when a set declared in
 * it holds
 *
 * - an element of the other family (an IPv6 address in a `type ipv4_addr`
 *   set: "Could not resolve hostname: Address family for hostname not
 *   supported");
 * - a prefix or a range (even `/32`, even `a-a`) without `flags interval`
 *   ("You must add 'flags interval' to your set declaration");
 * - two elements that share addresses without being equal, in an interval
 *   set without `auto-merge` ("conflicting intervals specified"; equal
 *   elements, and adjacent ones, load). nft names the later element;
 * - in an auto-merge interval set, an element that `add element` adds after
 *   a statement on another set came between the set's own additions, when
 *   it would merge with an element added before it without lying inside
 *   one ("Could not process rule: File exists": the merge deletes and
 *   re-adds elements still pending in the same transaction).
 *
 * Sets whose declaration is not in the file, and concatenations (whose
 * tuples nft checks otherwise), are not checked.
 */
import type { BlocklistDocument } from '../document/document';
import { apacheRefusals, requireSectionNeeds } from '../formats/apache';
import { restoreRefusals } from '../formats/iptables';
import { forEachIpsetCommand, ipsetSetRules, type IpsetCommand, type IpsetSetRules } from '../formats/ipset';
import { nftRuleset, type NftRuleset, type NftSetRules } from '../formats/nftables';
import type { EntryIndex } from './entryIndex';
import type { LoaderCode, Severity } from './findingCodes';
import { iptablesModelOf } from './iptablesDecisions';
import { ipsetRejections } from './ipsetRestore';
import type { EntryMessage, RelatedPlace } from './messages';

/** A place the loader refuses. */
export interface LoaderRejection {
  readonly code: LoaderCode;
  readonly line: number;
  readonly start: number;
  readonly end: number;
  /** The entry refused, when the loader refuses one. */
  readonly entry?: number;
  /** When not the code's own: information for a line refused only unless the set exists before the file is restored. */
  readonly severity?: Severity;
  /** Its message and the places it conflicts with, worked out when the finding is written: a file may have a rejection per element. */
  explain(): EntryMessage;
}

/** What the loader of `document`'s format refuses, in line order. */
export function loaderRejections(document: BlocklistDocument): LoaderRejection[] {
  switch (document.format.id) {
    case 'nftables':
      return nftRejections(document);
    case 'ipset':
      return ipsetRejections(document);
    case 'iptables':
      return restoreRefusals(iptablesModelOf(document)).map(({ line, start, end, message, related }) => ({
        code: 'loader-rejects',
        line,
        start,
        end,
        explain: () => ({ message, related }),
      }));
    case 'apache':
      return apacheRefusals(document.text).map(({ line, start, end, words, fix, related }) => ({
        code: 'loader-rejects',
        line,
        start,
        end,
        explain: () => ({ message: `Apache refuses this configuration: "${words}". ${fix}`, related }),
      }));
    default:
      return [];
  }
}

/** A set element nft rejects, and the element it conflicts with (-1: none). */
interface NftConflict {
  readonly entry: number;
  readonly other: number;
  /** An auto-merge set's element nft fails to merge with an earlier one (remergedElements). */
  readonly remerged?: boolean;
}

/** The elements nft rejects, each once, with the element it conflicts with. */
function nftRejections(document: BlocklistDocument): LoaderRejection[] {
  const rules = nftSetRulesOf(document);
  const conflicts: NftConflict[] = [];
  const table = document.entries;
  const byScope = new Map<number, number[]>();
  for (let k = 0; k < table.count; k++) {
    if (table.conditional[k] || !rules.has(document.scopes[table.scope[k]].name)) continue;
    const entries = byScope.get(table.scope[k]);
    if (entries) entries.push(k);
    else byScope.set(table.scope[k], [k]);
  }
  for (const [scope, entries] of byScope) {
    const set = rules.get(document.scopes[scope].name)!;
    if (set.family === undefined || set.concatenated) continue;
    const fitting: number[] = [];
    for (const k of entries) {
      if (table.version[k] !== set.family || (!set.interval && isInterval(document, k))) conflicts.push({ entry: k, other: -1 });
      else fitting.push(k);
    }
    if (set.interval && !set.autoMerge) conflicts.push(...conflictingIntervals(document, fitting));
  }
  conflicts.push(...remergedElements(document, nftRulesetOf(document), byScope));
  return conflicts
    .sort((a, b) => a.entry - b.entry)
    .map((conflict) => {
      const k = conflict.entry;
      return { code: 'loader-rejects', line: table.line[k], start: table.start[k], end: table.end[k], entry: k, explain: () => nftMessage(document, conflict) };
    });
}

/** What nft says of an element it rejects, and how to make it load. */
function nftMessage(document: BlocklistDocument, fact: NftConflict): EntryMessage {
  const table = document.entries;
  const k = fact.entry;
  const scope = document.scopes[table.scope[k]];
  const set = nftSetRulesOf(document).get(scope.name)!;
  const text = document.text.slice(table.start[k], table.end[k]);
  const kind = scope.name.startsWith('map ') ? 'map' : 'set';
  const declared = (message: string): RelatedPlace[] => {
    const declaration = document.scopeFacts.find((f) => f.kind === 'declare' && f.scope === scope.name);
    return declaration ? [{ line: declaration.line, start: declaration.start, end: declaration.end, message }] : [];
  };
  if (table.version[k] !== set.family) {
    return {
      message: `nft rejects this ${kind}: ${text} is IPv${table.version[k]}, and ${scope.label} holds IPv${set.family} addresses (${set.type}). Move it to a set of type ipv${table.version[k]}_addr.`,
      related: declared(`Declared here with ${set.type}.`),
    };
  }
  if (fact.other < 0) {
    const what = text.includes('/') ? 'a prefix' : 'a range';
    return {
      message: `nft rejects this ${kind}: ${text} is ${what}, and ${scope.label} has no "flags interval". Add "flags interval;" to the ${kind} or list single addresses.`,
      related: declared('Declared here without "flags interval".'),
    };
  }
  const o = fact.other;
  const otherText = document.text.slice(table.start[o], table.end[o]);
  if (fact.remerged) {
    return {
      message: `nft rejects this set: ${text} would merge with ${otherText} (line ${table.line[o] + 1}), added earlier in the same file, after a statement on another set came between the additions to ${scope.label} ("Could not process rule: File exists"). Add the set's elements in one place, or give this element without overlapping or touching that one.`,
      related: [{ line: table.line[o], start: table.start[o], end: table.end[o], message: 'The earlier element it would merge with.' }],
    };
  }
  const relation = table.lo(o) <= table.lo(k) && table.hi(k) <= table.hi(o) ? 'lies inside' : table.lo(k) <= table.lo(o) && table.hi(o) <= table.hi(k) ? 'holds' : 'overlaps';
  const conflict = `${text} ${relation} ${otherText} (line ${table.line[o] + 1})`;
  return {
    // nft takes no auto-merge in a map.
    message: scope.name.startsWith('map ')
      ? `nft rejects this map: ${conflict}, and the intervals of a map must not overlap. Remove one of them.`
      : `nft rejects this set: ${conflict} and the set has no auto-merge. Add "auto-merge;" to the set or remove one of them.`,
    related: [{ line: table.line[o], start: table.start[o], end: table.end[o], message: 'Conflicting interval.' }],
  };
}

/**
 * Undoes the removals in `changes` (entry → what it becomes; [] removes it)
 * that would make a file its loader refuses: Apache refuses a Require
 * section left without a directive, and a `<RequireAll>` left with negative
 * directives only, so when every directive of one, or every directive that
 * grants of the other, would go (the fixes remove a directive with its last
 * address), the first stays.
 */
export function keepWhatTheLoaderNeeds(document: BlocklistDocument, changes: Map<number, readonly string[]>): void {
  if (document.format.id !== 'apache') return;
  const table = document.entries;
  const entriesOf = ({ start, end }: { start: number; end: number }) => {
    const entries: number[] = [];
    for (let k = table.firstAtOrAfter(start); k < table.count && table.start[k] < end; k++) entries.push(k);
    return entries;
  };
  const goes = (entries: number[]) => entries.length > 0 && entries.every((k) => changes.get(k)?.length === 0);
  const needs = requireSectionNeeds(document.text);
  for (const contents of needs.contents) {
    if (contents.length > 0 && contents.every((child) => !child.section && goes(entriesOf(child)))) for (const k of entriesOf(contents[0])) changes.delete(k);
  }
  for (const grants of needs.granting) if (grants.every((directive) => goes(entriesOf(directive)))) for (const k of entriesOf(grants[0])) changes.delete(k);
}

/** Whether an ipset file's `-exist` first stands on an add line, read once per document. */
const existOnAdd = new WeakMap<BlocklistDocument, boolean>();

/**
 * Whether the loader's verdict on `document` may turn on what a fix removes
 * or rewrites beyond what keepWhatTheLoaderNeeds keeps: an nft set whose
 * loading depends on the order of all its additions, and an ipset file
 * whose `-exist` first stands on an add line. `-exist` stays in force from
 * the line that says it and binds a run of adds by where the run starts
 * (ipsetRestore.ts): removing that line, or one between two runs, can move
 * it or join the runs. First on a create, flush or destroy, it stands
 * between runs on a line no fix removes. Fixes of such a document are read
 * back and checked.
 */
export function fixesNeedLoaderCheck(document: BlocklistDocument): boolean {
  if (document.format.id === 'nftables') return true;
  if (document.format.id !== 'ipset') return false;
  let onAdd = existOnAdd.get(document);
  if (onAdd === undefined) {
    // The command object is reused line after line: its kind is read at once.
    let first: IpsetCommand['kind'] | undefined;
    forEachIpsetCommand(document.text, (command) => {
      if (first === undefined && command.exist) first = command.kind;
    });
    existOnAdd.set(document, (onAdd = first === 'add'));
  }
  return onAdd;
}

/**
 * Whether entry k may be written as other elements (split, narrowed,
 * merged): an nft set without `auto-merge` takes an element equal to
 * another of it, but every piece or merger of one would overlap its twin,
 * which nft refuses. Such an entry can only be removed.
 */
export function rewritable(document: BlocklistDocument, index: EntryIndex, k: number): boolean {
  if (document.format.id !== 'nftables') return true;
  const t = document.entries;
  if (nftSetRulesOf(document).get(document.scopes[t.scope[k]].name)?.autoMerge ?? true) return true;
  return !index.overlapping(k).some((other) => t.scope[other] === t.scope[k] && t.lo(other) === t.lo(k) && t.hi(other) === t.hi(k));
}

/** The nft set rules of a document, read once per document (the loader checks and the fixes both ask). */
const rulesets = new WeakMap<BlocklistDocument, NftRuleset>();

function nftRulesetOf(document: BlocklistDocument): NftRuleset {
  let ruleset = rulesets.get(document);
  if (ruleset === undefined) rulesets.set(document, (ruleset = nftRuleset(document.text)));
  return ruleset;
}

export function nftSetRulesOf(document: BlocklistDocument): ReadonlyMap<string, NftSetRules> {
  return nftRulesetOf(document).sets;
}

/** Whether the loader takes a CIDR block from `network` (/`prefix`) written into scope s. */
export type BlockCheck = (s: number, version: 4 | 6, network: bigint, prefix: number) => boolean;

/**
 * What the loader of the document takes, for the fixes that write networks
 * and blocks (host bits, merge, Fix all, Aggregate File): an nft set
 * without `flags interval` takes no prefix at all; an ipset set of a
 * hash:ip type takes no IPv6 prefix (plain addresses only), and no element
 * whose first address, masked to its netmask, is 0.0.0.0. Undefined where
 * the loader takes every block (the other formats).
 */
export function blockTaken(document: BlocklistDocument): BlockCheck | undefined {
  const name = (s: number) => document.scopes[s].name;
  if (document.format.id === 'nftables') {
    const sets = nftSetRulesOf(document);
    return (s) => sets.get(name(s))?.interval ?? true;
  }
  if (document.format.id !== 'ipset') return undefined;
  const sets = ipsetSetRulesOf(document);
  return (s, version, network, prefix) => {
    const set = sets.get(name(s));
    // An element of the other family is refused as it stands.
    if (set?.first !== 'ip' || set.family !== version) return true;
    return version === 4 ? network >> BigInt(32 - set.netmask) !== 0n : prefix === 128;
  };
}

/** The rules of each ipset set by name, from its first create line (restore refuses another), read once per document. */
const ipsetRules = new WeakMap<BlocklistDocument, ReadonlyMap<string, IpsetSetRules>>();

function ipsetSetRulesOf(document: BlocklistDocument): ReadonlyMap<string, IpsetSetRules> {
  let sets = ipsetRules.get(document);
  if (sets === undefined) {
    const rules = new Map<string, IpsetSetRules>();
    forEachIpsetCommand(document.text, (command) => {
      const set = command.kind === 'create' && command.args.length > 1 ? document.text.slice(command.args[0].start, command.args[0].end) : undefined;
      if (set !== undefined && !rules.has(set)) rules.set(set, ipsetSetRules(document.text, command));
    });
    ipsetRules.set(document, (sets = rules));
  }
  return sets;
}

/** Whether entry k is written as a prefix or a range (`/` or `-`, which no address holds), which only an interval set takes. */
function isInterval(document: BlocklistDocument, k: number): boolean {
  const text = document.text.slice(document.entries.start[k], document.entries.end[k]);
  return text.includes('/') || text.includes('-');
}

/**
 * The entries of one set (one family, document order) that share addresses
 * with an earlier one without being equal to it: one sweep in address
 * order, keeping the entry that reaches furthest, finds a conflicting pair
 * wherever there is one; the later of the two in the file is reported, as nft does.
 */
function conflictingIntervals(document: BlocklistDocument, entries: readonly number[]): NftConflict[] {
  const table = document.entries;
  const sorted = [...entries].sort((a, b) => compare(table.lo(a), table.lo(b)) || compare(table.hi(b), table.hi(a)) || a - b);
  const reported = new Map<number, number>();
  let reach = -1;
  for (const k of sorted) {
    if (reach >= 0 && table.hi(reach) >= table.lo(k) && (table.lo(reach) !== table.lo(k) || table.hi(reach) !== table.hi(k))) {
      const [earlier, later] = reach < k ? [reach, k] : [k, reach];
      if (!reported.has(later)) reported.set(later, earlier);
    }
    if (reach < 0 || table.hi(k) > table.hi(reach)) reach = k;
  }
  return [...reported].map(([entry, other]) => ({ entry, other }));
}

/**
 * The elements of auto-merge interval sets that nft refuses to merge (see
 * the file's comment; found by the nft differential test): once a
 * statement on another set has followed an `add element` of set S, every
 * later `add element` of S is checked against the elements of S before it,
 * merged as nft merges them (overlapping and adjacent ones into one).
 * `byScope`: each set's entries in document order.
 */
function remergedElements(document: BlocklistDocument, ruleset: NftRuleset, byScope: ReadonlyMap<number, readonly number[]>): NftConflict[] {
  const table = document.entries;
  const scopeOf = new Map(document.scopes.map((scope, s) => [scope.name, s]));
  const conflicts: NftConflict[] = [];
  // The set of the statement before: another set's statement now comes between its additions and any later ones.
  let previous: string | undefined;
  const broken = new Set<string>();
  for (const command of ruleset.elementCommands) {
    if (previous !== undefined && previous !== command.scope) broken.add(previous);
    previous = command.scope;
    const set = ruleset.sets.get(command.scope);
    const entries = byScope.get(scopeOf.get(command.scope) ?? -1) ?? [];
    if (!broken.has(command.scope) || !set?.interval || !set.autoMerge || set.concatenated) continue;
    const before = entries.filter((k) => table.start[k] < command.start);
    const merged = mergedIntervals(before.map((k) => [table.lo(k), table.hi(k)]));
    for (const k of entries) {
      if (table.start[k] < command.start || table.start[k] >= command.end || table.version[k] !== set.family) continue;
      const [lo, hi] = [table.lo(k), table.hi(k)];
      const touching = merged.find(([l, h]) => l <= hi + 1n && lo <= h + 1n);
      if (touching === undefined || (touching[0] <= lo && hi <= touching[1])) continue;
      const other = before.find((o) => table.lo(o) <= hi + 1n && lo <= table.hi(o) + 1n)!;
      conflicts.push({ entry: k, other, remerged: true });
    }
  }
  return conflicts;
}

/** Ranges merged as nft's auto-merge merges them: overlapping and adjacent ones into one, ascending. */
function mergedIntervals(ranges: [bigint, bigint][]): [bigint, bigint][] {
  ranges.sort((a, b) => compare(a[0], b[0]));
  const merged: [bigint, bigint][] = [];
  for (const [lo, hi] of ranges) {
    const last = merged.at(-1);
    if (last && lo <= last[1] + 1n) last[1] = hi > last[1] ? hi : last[1];
    else merged.push([lo, hi]);
  }
  return merged;
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
