/**
 * How a scope that is not a plain union decides each address, exactly: one
 * sweep over the scope's entries finds, for every stretch of addresses, the
 * entry that decides it — the first in order (nginx, iptables), the most
 * specific (ipset hash:net with `nomatch`, pf tables with `!`), or, where
 * rules each block their list less their own exceptions (hosts.deny,
 * Apache), an entry of a rule that holds the address. From that come the
 * addresses the scope blocks and, per entry, whether removing it could
 * change a decision.
 */
import { AddressSet, forEachCidrOfRange } from '../addresses/addressSet';
import { IPV4, IPV6, type AddressArray, type Family } from '../addresses/family';
import { IntervalBuilder } from '../addresses/intervalBuilder';
import type { BlocklistDocument } from '../document/document';
import type { EntryRole } from '../formats/format';
import { radixSortIndices } from '../primitives/radixSort';
import { partitionPoint } from '../primitives/search';
import type { EntryFacts } from './entryFacts';
import type { EntryCode } from './findingCodes';

/** One family's entries of one scope, in document order, with their bounds and decisions. */
export interface ScopeEntries<A extends number | bigint> {
  readonly family: Family<A>;
  /** Entry indices, ascending. */
  readonly entries: Uint32Array;
  readonly los: AddressArray<A>;
  readonly his: AddressArray<A>;
  /** 1 for exceptions (allow), per entry index. */
  readonly allow: Uint8Array;
}

export interface ScopeOutcome<A extends number | bigint> {
  readonly blocked: AddressSet<A>;
  /** The entries that decide at least one address. */
  readonly deciding: ReadonlySet<number>;
}

/**
 * The first entry in order decides. An entry that decides nothing is covered
 * (the entries that decide its addresses all decide as it would) or shadowed
 * (some decide the other way: it never fires). Removing an entry that decides
 * nothing changes no decision, whichever others are removed with it.
 */
export function firstMatch<A extends number | bigint>(scope: ScopeEntries<A>, facts: EntryFacts): ScopeOutcome<A> {
  const priority = new Float64Array(scope.entries.length);
  for (let n = 0; n < priority.length; n++) priority[n] = n;
  const sweep = decide(scope, priority);
  const deciders = new Deciders(scope.los, scope.his);
  for (let n = 0; n < scope.entries.length; n++) {
    const k = scope.entries[n];
    if (sweep.deciding.has(k)) continue;
    deciders.find(sweep, scope.los[k], scope.his[k], k, (other) => scope.allow[other] !== scope.allow[k]);
    if (deciders.different >= 0) facts.add('shadowed', k, deciders.different);
    else if (deciders.equal >= 0) facts.add('duplicate', k, deciders.equal);
    else facts.add('covered', k, deciders.first);
  }
  return sweep;
}

/**
 * The most specific entry holding an address decides (of equal ones, the
 * first). ipset's hash:net stores a range as the CIDR blocks that make it
 * (`1.2.3.0-1.2.3.9` is a /29 and a /31), and pf's radix tables hold blocks
 * only: a range is decided block by block, each block as specific as its
 * size, and its findings are those all its blocks share.
 */
export function mostSpecific<A extends number | bigint>(scope: ScopeEntries<A>, facts: EntryFacts): ScopeOutcome<A> {
  const { family, entries, los, his } = scope;
  if (entries.length === 1) return soleEntry(scope, facts);
  const isBlock = (k: number) => {
    const hostBits = family.log2Span(los[k], his[k]);
    return family.trailingZeros(los[k]) >= hostBits && family.lastOfBlock(los[k], hostBits) === his[k];
  };
  if (entries.every(isBlock)) return mostSpecificOfBlocks(scope, facts);
  const blocks = blocksOf(scope);
  const { sweep: outcome, decides, codes, others } = judgeBlocks(blocks.scope);
  const owner = blocks.owner;
  const other = (block: number) => (others[block] >= 0 ? entries[owner[others[block]]] : -1);
  const deciding = new Set<number>();
  for (let n = 0, first = 0; n < entries.length; n++) {
    const k = entries[n];
    let last = first;
    // What all of the entry's blocks share: each covered (or a duplicate), each an exception that excepts nothing, none deciding.
    let covered = true;
    let ineffective = true;
    let shadowed = -1;
    for (; last < owner.length && owner[last] === n; last++) {
      const code = codes[last];
      covered &&= code === 'covered' || code === 'duplicate';
      ineffective &&= code === 'ineffective-exception';
      if (decides[last]) deciding.add(k);
      if (code === 'shadowed' && shadowed < 0) shadowed = last;
    }
    if (covered) facts.push({ code: last - first === 1 ? codes[first]! : 'covered', entry: k, other: other(first) });
    else if (ineffective) facts.push({ code: 'ineffective-exception', entry: k, other: -1 });
    else if (!deciding.has(k) && shadowed >= 0) facts.push({ code: 'shadowed', entry: k, other: other(shadowed) });
    first = last;
  }
  return { blocked: outcome.blocked, deciding };
}

/**
 * mostSpecific of a scope of one entry (a file may have a table per entry):
 * it decides every address of its own, blocking them, or, an exception with
 * nothing to except, excepting nothing.
 */
function soleEntry<A extends number | bigint>(scope: ScopeEntries<A>, facts: EntryFacts): ScopeOutcome<A> {
  const k = scope.entries[0];
  if (scope.allow[k]) facts.push({ code: 'ineffective-exception', entry: k, other: -1 });
  const blocked = scope.allow[k] ? AddressSet.empty(scope.family) : AddressSet.range(scope.family, scope.los[k], scope.his[k]);
  return { blocked, deciding: new Set([k]) };
}

/**
 * The scope's entries as CIDR blocks, in order, each block an entry of its
 * own (indexed 0, 1…), and `owner[b]`, the index in `scope.entries` of the
 * entry block b belongs to. In typed arrays: a scope of ipset ranges makes a million blocks.
 */
function blocksOf<A extends number | bigint>(scope: ScopeEntries<A>): { scope: ScopeEntries<A>; owner: Uint32Array } {
  const { family, entries, los, his } = scope;
  let count = 0;
  for (const k of entries) forEachCidrOfRange(family, los[k], his[k], () => count++);
  const owner = new Uint32Array(count);
  const blockLos = family.allocate(count);
  const blockHis = family.allocate(count);
  const allow = new Uint8Array(count);
  let b = 0;
  for (let n = 0; n < entries.length; n++) {
    const k = entries[n];
    forEachCidrOfRange(family, los[k], his[k], (network, prefix) => {
      owner[b] = n;
      blockLos[b] = network;
      blockHis[b] = family.lastOfBlock(network, family.bits - prefix);
      allow[b++] = scope.allow[k];
    });
  }
  return { scope: { family, entries: positions(count), los: blockLos, his: blockHis, allow }, owner };
}

/**
 * mostSpecific where every entry is one CIDR block. An entry whose smallest
 * container decides as it does is covered (a duplicate when the two are
 * equal): removing it hands its addresses to that container, which decides
 * the same; chains of such removals keep every decision, as the containers
 * of CIDR blocks nest. An exception inside no blocking entry excepts
 * nothing; an entry every address of which is decided the other way by more
 * specific entries never fires.
 */
function mostSpecificOfBlocks<A extends number | bigint>(scope: ScopeEntries<A>, facts: EntryFacts): ScopeOutcome<A> {
  const { sweep, decides, codes, others } = judgeBlocks(scope);
  const deciding = new Set<number>();
  for (let n = 0; n < codes.length; n++) {
    const code = codes[n];
    if (code !== undefined) facts.push({ code, entry: scope.entries[n], other: others[n] });
    if (decides[n]) deciding.add(scope.entries[n]);
  }
  return { blocked: sweep.blocked, deciding };
}

/**
 * mostSpecificOfBlocks's findings per block (indexed like `scope.entries`),
 * in arrays rather than an object per block, and the entry each names
 * (-1 for none); mostSpecific reads them for the blocks of its ranges.
 */
function judgeBlocks<A extends number | bigint>(scope: ScopeEntries<A>): NestedSweep<A> & { codes: (EntryCode | undefined)[]; others: Int32Array } {
  const { entries, los, his } = scope;
  const count = entries.length;
  const nested = nestedSweep(scope);
  const { sweep, decides, parents, shielding } = nested;
  const codes = Array.from<EntryCode | undefined>({ length: count });
  const others = new Int32Array(count).fill(-1);
  const deciders = new Deciders(los, his);
  for (let n = 0; n < count; n++) {
    const k = entries[n];
    const parent = parents[n];
    if (parent >= 0 && scope.allow[parent] === scope.allow[k] && !shielding[n]) {
      codes[n] = los[parent] === los[k] && his[parent] === his[k] ? 'duplicate' : 'covered';
      others[n] = parent;
    } else if (scope.allow[k] && parent < 0) {
      codes[n] = 'ineffective-exception';
    } else if (!decides[n]) {
      deciders.find(sweep, los[k], his[k], k, (other) => scope.allow[other] !== scope.allow[k]);
      if (deciders.different >= 0) [codes[n], others[n]] = ['shadowed', deciders.different];
    }
  }
  return { ...nested, codes, others };
}

/** What one scope of a line-except document blocks, by the rules that hold in it. */
export interface RuledScope {
  readonly blocked4: AddressSet<number>;
  readonly blocked6: AddressSet<bigint>;
  /** What some rule holding in the scope decides, either way: what a hosts.allow grants before hosts.deny is asked, with blocked. */
  readonly matched4: AddressSet<number>;
  readonly matched6: AddressSet<bigint>;
  /** The blocking entries of those rules, per family. */
  readonly entries4: number;
  readonly entries6: number;
}

/** A rule: its list less its own exceptions, holding in one scope or more (hosts.deny `sshd, vsftpd:` and `ALL:` lines). */
export interface Rule {
  /** What the rule does with the addresses of its list less its exceptions: block, or (a hosts.deny rule whose options say `allow`) grant. */
  readonly verdict: EntryRole;
  /** The names of the scopes it holds in. */
  readonly scopes: readonly string[];
  /** Its entries, ascending. */
  readonly entries: readonly number[];
}

/**
 * The line-except scopes of `document` (Evaluation), all at once, as a rule
 * may hold in several of them: in each, the first rule whose list less its
 * exceptions holds an address decides it, so where every rule blocks, the
 * scope blocks the union over its rules of (list − exceptions). An exception
 * of one rule excepts nothing of another. Per entry, the findings hold in
 * every scope of its rule:
 *
 * - an entry of a list that is not needed is covered (a duplicate when an
 *   entry deciding for it is equal): every address it holds outside its
 *   rule's exceptions is decided by other entries — first those of rules
 *   holding in more scopes, then larger ones, then earlier ones — and every
 *   address it holds inside them is held by another entry of its list, so
 *   removing it (and all the others found so) neither unblocks an address
 *   nor changes what an exception excepts;
 * - an entry of a list that its rule's exceptions hold whole never takes
 *   effect (shadowed);
 * - an exception that holds no address of its rule's list excepts nothing;
 *   one whose addresses other exceptions of its rule already except is
 *   covered; one whose addresses other rules block anyway is shadowed.
 *
 * In a scope where some rule grants, order decides and nothing is reported
 * covered there: less is reported rather than a removal that could unblock.
 * Returns the scopes that exist in the document's table, by index.
 */
export function lineExcept(document: BlocklistDocument, decisive: Uint32Array, facts: EntryFacts): Map<number, RuledScope> {
  const table = document.entries;
  const rules = rulesOf(document, decisive);
  const held = rulesByScope(rules);
  const v4 = evaluateRules(IPV4, table.lo4, table.hi4, table.allow, table.version, rules, held, facts);
  const v6 = evaluateRules(IPV6, table.lo6, table.hi6, table.allow, table.version, rules, held, facts);
  const scoped = new Map<number, RuledScope>();
  document.scopes.forEach((scope, s) => {
    const [four, six] = [v4.get(scope.name), v6.get(scope.name)];
    if (four === undefined || six === undefined) return;
    scoped.set(s, {
      blocked4: four.blocked,
      blocked6: six.blocked,
      matched4: four.matched,
      matched6: six.matched,
      entries4: four.entries,
      entries6: six.entries,
    });
  });
  return scoped;
}

/**
 * The rules of a line-except document in order, from its `use` scope facts:
 * facts with the same `start` open one rule, in every scope they name, and
 * each entry belongs to the rule of the last fact of its scope on its line
 * or before. Entries no fact opens a rule for make one rule per scope and line.
 */
export function rulesOf(document: BlocklistDocument, decisive: Uint32Array): Rule[] {
  // Numbers in arrays rather than an object per rule and fact beside the rule's own, and arrays made at their final
  // length (a push onto an empty array reserves room for 17): a file may have 100,000 rules.
  const table = document.entries;
  const rules: { verdict: EntryRole; scopes: string[]; entries: number[] }[] = [];
  // Where each rule stands, for their order: its first fact's line and start (its first entry's, for a rule no fact opens).
  const lines: number[] = [];
  const ats: number[] = [];
  const open = (verdict: EntryRole, scope: string, line: number, at: number) => {
    lines.push(line);
    ats.push(at);
    return rules.push({ verdict, scopes: [scope], entries: NO_NUMBERS }) - 1;
  };
  const byStart = new Map<number, number>();
  // Per scope, its facts in order: the line, then the rule, of each.
  const opened = new Map<string, number[]>();
  for (const fact of document.scopeFacts) {
    if (fact.kind !== 'use') continue;
    let r = byStart.get(fact.start);
    if (r === undefined) byStart.set(fact.start, (r = open(fact.role, fact.scope, fact.line, fact.start)));
    else if (!rules[r].scopes.includes(fact.scope)) rules[r].scopes.push(fact.scope);
    const facts = opened.get(fact.scope);
    if (facts) facts.push(fact.line, r);
    else opened.set(fact.scope, [fact.line, r]);
  }
  const loose = new Map<string, number>();
  // Entries and facts both in text order: per scope, the last fact on or before the entry's line only moves on.
  const factsOf = document.scopes.map((scope) => opened.get(scope.name) ?? []);
  const last = new Int32Array(factsOf.length).fill(-2);
  const ruleOf = new Int32Array(decisive.length);
  decisive.forEach((k, n) => {
    const s = table.scope[k];
    const facts = factsOf[s];
    while (last[s] + 2 < facts.length && facts[last[s] + 2] <= table.line[k]) last[s] += 2;
    if (last[s] >= 0) {
      ruleOf[n] = facts[last[s] + 1];
      return;
    }
    const name = document.scopes[s].name;
    const key = `${table.line[k]} ${name}`;
    let r = loose.get(key);
    if (r === undefined) loose.set(key, (r = open('block', name, table.line[k], table.start[k])));
    ruleOf[n] = r;
  });
  const sizes = new Uint32Array(rules.length);
  for (const r of ruleOf) sizes[r]++;
  for (let r = 0; r < rules.length; r++) rules[r].entries = Array.from<number>({ length: sizes[r] });
  const filled = new Uint32Array(rules.length);
  for (let n = 0; n < decisive.length; n++) rules[ruleOf[n]].entries[filled[ruleOf[n]]++] = decisive[n];
  const used: number[] = [];
  let inOrder = true;
  for (let r = 0; r < rules.length; r++) {
    if (sizes[r] === 0) continue;
    const last = used[used.length - 1];
    inOrder &&= last === undefined || lines[last] < lines[r] || (lines[last] === lines[r] && ats[last] <= ats[r]);
    used.push(r);
  }
  // Rules opened by facts come in text order; only those opened for entries without one may need moving.
  if (!inOrder) used.sort((a, b) => lines[a] - lines[b] || ats[a] - ats[b]);
  return used.map((r) => rules[r]);
}

/** What a scope's rules decide. */
interface RuledOutcome<A extends number | bigint> {
  readonly sweep: Sweep<A>;
  /** Every rule blocks: any rule holding an address may decide it. */
  readonly union: boolean;
  readonly blocked: AddressSet<A>;
  /** Every address some rule decides, either way. */
  readonly matched: AddressSet<A>;
  readonly entries: number;
}

/** The rules holding in each scope, by the scope's name: rule indices, ascending. */
function rulesByScope(rules: readonly Rule[]): Map<string, number[]> {
  const held = new Map<string, number[]>();
  rules.forEach((rule, r) => {
    for (const name of rule.scopes) {
      const list = held.get(name);
      if (list) list.push(r);
      else held.set(name, [r]);
    }
  });
  return held;
}

/** A rule's list and exceptions of one family, and the addresses each holds. */
interface RuleParts<A extends number | bigint> {
  readonly list: readonly number[];
  readonly exceptions: readonly number[];
  readonly excepted: AddressSet<A>;
  readonly listed: AddressSet<A>;
}

/** Whether entry k of `rule` is of its list rather than an exception: it does what the rule does. */
function inList(rule: Rule, allow: Uint8Array, k: number): boolean {
  return (allow[k] === 0) === (rule.verdict === 'block');
}

/**
 * lineExcept for one family: what each scope (by name; `held`, its rules)
 * blocks, with the findings of the family's entries (those whose `version`
 * is the family's).
 */
function evaluateRules<A extends number | bigint>(
  family: Family<A>,
  los: AddressArray<A>,
  his: AddressArray<A>,
  allow: Uint8Array,
  version: Uint8Array,
  rules: readonly Rule[],
  held: ReadonlyMap<string, readonly number[]>,
  facts: EntryFacts,
): Map<string, RuledOutcome<A>> {
  const empty = AddressSet.empty(family);
  const ofFamily = (k: number) => version[k] === family.version;
  // The parts of the rules with exceptions of this family. Most rules have none, and nothing is made for them: their
  // list is their entries of this family, read from rule.entries where a copy per rule and family would cost more.
  const parts = rules.map((rule): RuleParts<A> | undefined => {
    if (rule.entries.every((k) => !ofFamily(k) || inList(rule, allow, k))) return undefined;
    const entries = rule.entries.filter(ofFamily);
    const [list, exceptions] = [entries.filter((k) => inList(rule, allow, k)), entries.filter((k) => !inList(rule, allow, k))];
    return { list, exceptions, excepted: unionOf(family, los, his, exceptions), listed: unionOf(family, los, his, list) };
  });
  const noExceptions: RuleParts<A> = { list: [], exceptions: [], excepted: empty, listed: empty };
  const listOf = (r: number) => parts[r]?.list ?? rules[r].entries;
  // Larger entries first, then earlier ones (hi - lo, a bigint only for IPv6).
  const span = (k: number): number | bigint => (family.version === 4 ? (his[k] as number) - (los[k] as number) : (his[k] as bigint) - (los[k] as bigint));
  const larger = (a: number, b: number) => {
    const [spanA, spanB] = [span(a), span(b)];
    return spanA > spanB ? -1 : spanA < spanB ? 1 : a - b;
  };

  // Pieces: each entry of a list less its rule's exceptions, rule by rule; what a rule holds is the union of its pieces.
  const piece = { los: [] as A[], his: [] as A[], owner: [] as number[], rule: [] as number[] };
  const firstPiece = new Uint32Array(rules.length + 1);
  const whole = new Set<number>();
  let owner = 0;
  let ruleOfPiece = 0;
  const add = (lo: A, hi: A) => {
    piece.los.push(lo);
    piece.his.push(hi);
    piece.owner.push(owner);
    piece.rule.push(ruleOfPiece);
  };
  rules.forEach((_, r) => {
    firstPiece[r] = piece.owner.length;
    ruleOfPiece = r;
    const excepted = parts[r]?.excepted;
    for (const k of listOf(r)) {
      if (!ofFamily(k)) continue;
      const before = piece.owner.length;
      owner = k;
      if (excepted === undefined) add(los[k], his[k]);
      else forEachGap(family, excepted, los[k], his[k], add);
      if (piece.owner.length === before) whole.add(k);
    }
  });
  const pieces = (firstPiece[rules.length] = piece.owner.length);
  const none = new Uint8Array(Math.max(pieces, allow.length));
  const breadth = (n: number) => rules[piece.rule[n]].scopes.length;
  let byUnion: Float64Array | undefined;
  const unionRanks = () => {
    if (byUnion) return byUnion;
    // Each piece's entry's span worked out once, not twice per comparison (a bigint subtraction each, for IPv6).
    const spans = piece.owner.map(span);
    const wider = (a: number, b: number) => (spans[a] > spans[b] ? -1 : spans[a] < spans[b] ? 1 : piece.owner[a] - piece.owner[b]);
    return (byUnion = ranks(pieces, (a, b) => breadth(b) - breadth(a) || wider(a, b) || a - b));
  };
  // Each rule's blocking entries of this family, counted once for every scope it holds in.
  const blocking = new Uint32Array(rules.length);
  rules.forEach((rule, r) => {
    for (const k of rule.entries) if (ofFamily(k) && !allow[k]) blocking[r]++;
  });

  const outcomes = new Map<string, RuledOutcome<A>>();
  // 1 for the entries some piece of which decides an address, in whichever scope: an entry's pieces stand in the scopes of its rule only.
  const deciding = new Uint8Array(allow.length);
  // A scope none of whose rules holds an address of this family (most, in a file of one daemon or section per line) decides nothing here.
  const nothing: Sweep<A> = { los: [], his: [], winners: [], deciding: NO_ENTRIES, blocked: empty };
  for (const [name, holding] of held) {
    const union = holding.every((r) => rules[r].verdict === 'block');
    let entries = 0;
    let count = 0;
    for (const r of holding) {
      entries += blocking[r];
      count += firstPiece[r + 1] - firstPiece[r];
    }
    if (count === 0) {
      outcomes.set(name, { sweep: nothing, union, blocked: empty, matched: empty, entries });
      continue;
    }
    const ids = new Uint32Array(count);
    for (let r = 0, n = 0; r < holding.length; r++) for (let p = firstPiece[holding[r]]; p < firstPiece[holding[r] + 1]; p++) ids[n++] = p;
    // Where order decides, a piece's index is its rank: pieces are made rule by rule, each rule's in entry order. A
    // sole piece needs no rank (most scopes, in a file of a daemon per line).
    const rank = union && count > 1 ? unionRanks() : undefined;
    const priority = new Float64Array(count);
    for (let n = 0; n < count; n++) priority[n] = rank ? rank[ids[n]] : ids[n];
    const sweep = decide({ family, entries: ids, los: piece.los, his: piece.his, allow: none }, priority);
    // Every piece decides as it holds here, so what the sweep would block is every address the rules decide.
    const matched = sweep.blocked;
    let blocked = matched;
    if (!union) {
      const builder = new IntervalBuilder(family, 16);
      sweep.winners.forEach((n, s) => rules[piece.rule[n]].verdict === 'block' && builder.add(sweep.los[s], sweep.his[s]));
      blocked = builder.build();
    }
    for (const n of sweep.deciding) deciding[piece.owner[n]] = 1;
    outcomes.set(name, { sweep, union, blocked, matched, entries });
  }

  // The entries other than k deciding some address: of a sweep over pieces, their owners; of the exceptions' sweep, its winners.
  const deciders = new Deciders(los, his);
  const ownerOf = (n: number) => piece.owner[n];
  const itself = (n: number) => n;
  const covered = (k: number, other: Deciders<A>) => {
    if (other.equal >= 0) facts.add('duplicate', k, other.equal);
    else facts.add('covered', k, other.first);
  };
  rules.forEach((rule, r) => {
    const { exceptions, excepted, listed } = parts[r] ?? noExceptions;
    const everywhere = (holds: (outcome: RuledOutcome<A>) => boolean) => rule.scopes.every((name) => holds(outcomes.get(name)!));
    const first = outcomes.get(rule.scopes[0])!;
    // Every scope of the rule a union: an entry deciding in none of them may be covered.
    const union = everywhere((outcome) => outcome.union);
    // The entries of the list that hold what the exceptions except (the largest, then the first), and the exceptions that except it.
    let anchors: ReadonlySet<number> = NO_ENTRIES;
    let excepting: ReadonlySet<number> = NO_ENTRIES;
    let exceptionSweep: Sweep<A> | undefined;
    if (exceptions.length > 0) {
      const list = listOf(r);
      const anchored = (anchors = new Set<number>());
      const found = (excepting = new Set<number>());
      const holding = decide(
        { family, entries: Uint32Array.from(list), los, his, allow: none },
        ranks(list.length, (a, b) => larger(list[a], list[b])),
      );
      holding.winners.forEach((k, s) => excepted.overlaps(holding.los[s], holding.his[s]) && anchored.add(k));
      const sweep = decide(
        { family, entries: Uint32Array.from(exceptions), los, his, allow: none },
        ranks(exceptions.length, (a, b) => larger(exceptions[a], exceptions[b])),
      );
      sweep.winners.forEach((k, s) => listed.overlaps(sweep.los[s], sweep.his[s]) && found.add(k));
      exceptionSweep = sweep;
    }
    for (const k of listOf(r)) {
      if (!ofFamily(k)) continue;
      if (whole.has(k)) {
        const by = exceptions.find((e) => los[e] <= his[k] && his[e] >= los[k]) ?? -1;
        facts.push({ code: 'shadowed', entry: k, other: by });
      } else if (!anchors.has(k) && union && !deciding[k]) {
        covered(k, deciders.find(first.sweep, los[k], his[k], k, undefined, ownerOf));
      }
    }
    for (const k of exceptions) {
      if (!listed.overlaps(los[k], his[k])) {
        facts.push({ code: 'ineffective-exception', entry: k, other: -1 });
      } else if (!excepting.has(k)) {
        covered(k, deciders.find(exceptionSweep!, los[k], his[k], k, undefined, itself));
      } else {
        // What it excepts, other rules block anyway, in every scope of its rule.
        const excepts = listed.clip(los[k], his[k]);
        if (union && everywhere((outcome) => coversAll(outcome.blocked, excepts))) {
          facts.add('shadowed', k, deciders.find(first.sweep, excepts.start(0), excepts.end(0), k, undefined, ownerOf).first);
        }
      }
    }
  });
  return outcomes;
}

const NO_ENTRIES: ReadonlySet<number> = new Set();
/** A rule's entries until they are known (never written to). */
const NO_NUMBERS: number[] = [];

/** The union of the entries' ranges. */
function unionOf<A extends number | bigint>(family: Family<A>, los: AddressArray<A>, his: AddressArray<A>, entries: readonly number[]): AddressSet<A> {
  const builder = new IntervalBuilder(family, Math.max(1, entries.length));
  for (const k of entries) builder.add(los[k], his[k]);
  return builder.build();
}

/** Calls `visit` for each stretch of [lo, hi] outside `set`, ascending. */
function forEachGap<A extends number | bigint>(family: Family<A>, set: AddressSet<A>, lo: A, hi: A, visit: (lo: A, hi: A) => void): void {
  let next = lo;
  set.clip(lo, hi).forEachRange((start, end) => {
    if (start > next) visit(next, family.previous(start));
    next = family.next(end);
  });
  if (next <= hi) visit(next, hi);
}

function coversAll<A extends number | bigint>(set: AddressSet<A>, part: AddressSet<A>): boolean {
  let all = true;
  part.forEachRange((lo, hi) => (all &&= set.covers(lo, hi)));
  return all;
}

/** Each of `count` positions' rank in the order `compare` gives (a priority for `decide`). */
function ranks(count: number, compare: (a: number, b: number) => number): Float64Array {
  const order = Array.from({ length: count }, (_, n) => n).sort(compare);
  const rank = new Float64Array(count);
  for (let r = 0; r < count; r++) rank[order[r]] = r;
  return rank;
}

/** Where each entry decides: stretches [lo, hi] of addresses with the entry deciding them, ascending. */
interface Stretches<A extends number | bigint> {
  readonly los: A[];
  readonly his: A[];
  readonly winners: number[];
}

export interface Sweep<A extends number | bigint> extends ScopeOutcome<A>, Stretches<A> {}

/** The deciding entry of every address the scope's entries hold: the one of least `priority` (indexed like `scope.entries`). */
export function decide<A extends number | bigint>(scope: ScopeEntries<A>, priority: Float64Array): Sweep<A> {
  const { family, entries, los, his } = scope;
  const count = entries.length;
  if (count === 1) {
    // A scope of one entry, the most common in a file of a scope per line: no sort, no heap.
    const [k] = entries;
    const blocked = scope.allow[k] ? AddressSet.empty(family) : AddressSet.range(family, los[k], his[k]);
    return { los: [los[k]], his: [his[k]], winners: [k], deciding: new Set(entries), blocked };
  }
  const byStart = positions(count);
  sortPositions(family, byStart, (n) => los[entries[n]]);
  const bounds = boundsOf(scope, byStart);

  const heap = new PriorityHeap(priority);
  const sweep = { los: [] as A[], his: [] as A[], winners: [] as number[], deciding: new Set<number>() };
  const builder = new IntervalBuilder(family, 16);
  let next = 0;
  // The last bound starts no stretch (it is one past the last address of all), so the entries still open there are left unpopped.
  for (let b = 0; b + 1 < bounds.length; b++) {
    const at = bounds[b];
    while (next < count && los[entries[byStart[next]]] <= at) heap.push(byStart[next++]);
    while (heap.size > 0 && his[entries[heap.top()]] < at) heap.pop();
    if (heap.size === 0) continue;
    const winner = entries[heap.top()];
    const last = family.previous(bounds[b + 1]);
    const previous = sweep.winners.length - 1;
    if (previous >= 0 && sweep.winners[previous] === winner && family.next(sweep.his[previous]) === at) sweep.his[previous] = last;
    else {
      sweep.los.push(at);
      sweep.his.push(last);
      sweep.winners.push(winner);
    }
    sweep.deciding.add(winner);
    if (!scope.allow[winner]) builder.add(at, last);
  }
  return { ...sweep, blocked: builder.build() };
}

/** 0, 1, … count - 1. */
function positions(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let n = 0; n < count; n++) order[n] = n;
  return order;
}

/** Stably reorders the positions in `order` by `key` ascending: a radix sort for IPv4 (scopes of a million CIDR blocks come from ipset ranges), a comparison sort for IPv6. */
function sortPositions<A extends number | bigint>(family: Family<A>, order: Uint32Array, key: (n: number) => A): void {
  if (family.version === 4) {
    const keys = new Uint32Array(order.length);
    for (let n = 0; n < keys.length; n++) keys[n] = key(n) as number;
    radixSortIndices(order, keys);
    return;
  }
  // Each key read once, not twice per comparison; the sort is stable, as the radix sort is.
  const keys = Array.from({ length: order.length }, (_, n) => key(n));
  order.set(Array.from(order).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0)));
}

/**
 * Every place where the deciding entry may change, ascending and once each:
 * each entry's first address and the one after its last. `byStart`: the
 * positions of `scope.entries` by first address ascending.
 */
function boundsOf<A extends number | bigint>(scope: ScopeEntries<A>, byStart: Uint32Array): A[] {
  const { family, entries, los, his } = scope;
  let sorted: ArrayLike<A>;
  if (family.version === 4) {
    // Numbers up to 2^32 (past the last address) sort natively as doubles.
    const numbers = new Float64Array(entries.length * 2);
    for (let n = 0; n < entries.length; n++) {
      numbers[2 * n] = los[entries[n]] as number;
      numbers[2 * n + 1] = (his[entries[n]] as number) + 1;
    }
    sorted = numbers.sort() as ArrayLike<number> as ArrayLike<A>;
  } else {
    // The first addresses ascending, then the ends in the same order, most often ascending too: the sort finds these
    // runs and merges them, where the two interleaved would be sorted afresh (bigints compare slowly).
    const count = entries.length;
    const all = Array.from<A>({ length: 2 * count });
    for (let n = 0; n < count; n++) {
      all[n] = los[entries[byStart[n]]];
      all[count + n] = family.next(his[entries[byStart[n]]]);
    }
    sorted = all.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  const once: A[] = [];
  for (let n = 0; n < sorted.length; n++) if (n === 0 || sorted[n] !== sorted[n - 1]) once.push(sorted[n]);
  return once;
}

/**
 * Of the entries deciding some address of [lo, hi] in a sweep, other than
 * entry k: the first in document order, the first equal to k, and the first
 * that `different` tells apart from k (-1 for none). Asked about each entry
 * that decides nothing, it walks the stretches and lists none of them: a
 * scope may have an entry per line.
 */
class Deciders<A extends number | bigint> {
  first = -1;
  equal = -1;
  different = -1;

  /** The bounds of the entries, by entry index. */
  constructor(
    private readonly los: AddressArray<A>,
    private readonly his: AddressArray<A>,
  ) {}

  /** Finds them in `sweep`, whose winner n stands for entry `owner(n)`; returns this. */
  find(sweep: Stretches<A>, lo: A, hi: A, k: number, different?: (other: number) => boolean, owner?: (winner: number) => number): this {
    const { los, his } = this;
    [this.first, this.equal, this.different] = [-1, -1, -1];
    for (let s = partitionPoint(sweep.his.length, (n) => sweep.his[n] >= lo); s < sweep.los.length && sweep.los[s] <= hi; s++) {
      const other = owner ? owner(sweep.winners[s]) : sweep.winners[s];
      if (other === k) continue;
      this.first = earliest(this.first, other);
      if (los[other] === los[k] && his[other] === his[k]) this.equal = earliest(this.equal, other);
      if (different?.(other)) this.different = earliest(this.different, other);
    }
    return this;
  }
}

/** The earlier in document order of entry `current` (-1: none yet) and entry `other`. */
function earliest(current: number, other: number): number {
  return current < 0 || other < current ? other : current;
}

/** What nestedSweep finds, per position of `scope.entries` where indexed. */
interface NestedSweep<A extends number | bigint> {
  readonly sweep: Stretches<A> & { readonly blocked: AddressSet<A> };
  /** 1 where the entry decides some address. */
  readonly decides: Uint8Array;
  /** The entry index of the smallest entry strictly containing it, or of an equal one before it; -1 for none. */
  readonly parents: Int32Array;
  /** 1 where an equal entry behind it decides the other way. */
  readonly shielding: Uint8Array;
}

/**
 * decide for CIDR blocks, ranked smaller first, then in document order: as
 * two blocks nest or lie apart, one walk of the blocks in nesting order
 * (first address ascending, last descending) with a stack of the open ones
 * finds every stretch's decider (the innermost open block, of equal ones the
 * first) in linear time after the sort, where the heap of decide costs a
 * logarithm per block and a scope of ipset ranges holds a million blocks.
 * The same walk gives, per entry (indexed like `scope.entries`), the entry
 * index of the smallest entry strictly containing it — of equal entries the
 * first, which decides for them all, contains the others — or -1; and
 * whether an entry has an equal one behind it that decides the other way
 * (removing the first would hand its addresses to that one).
 */
function nestedSweep<A extends number | bigint>(scope: ScopeEntries<A>): NestedSweep<A> {
  const { family, entries, los, his } = scope;
  // By first address ascending, then last address descending, then position: sorted by the last key first, each sort stable.
  const order = positions(entries.length);
  if (family.version === 4) sortPositions(IPV4, order, (n) => IPV4.max - (his[entries[n]] as number));
  else order.sort((a, b) => (his[entries[a]] > his[entries[b]] ? -1 : his[entries[a]] < his[entries[b]] ? 1 : a - b));
  sortPositions(family, order, (n) => los[entries[n]]);
  const parents = new Int32Array(entries.length).fill(-1);
  const shielding = new Uint8Array(entries.length);
  const stretches: Stretches<A> = { los: [], his: [], winners: [] };
  const decides = new Uint8Array(entries.length);
  const builder = new IntervalBuilder(family, 16);
  /** The open blocks, outermost first, and for each the first of its addresses not yet decided. */
  const open: number[] = [];
  const undecided: A[] = [];
  // The open block on top decides its undecided addresses up to `last`.
  const decideUpTo = (last: A) => {
    const at = undecided[undecided.length - 1];
    if (at > last) return;
    const top = open[open.length - 1];
    stretches.los.push(at);
    stretches.his.push(last);
    stretches.winners.push(entries[top]);
    decides[top] = 1;
    if (!scope.allow[entries[top]]) builder.add(at, last);
  };
  // Closes the block on top: it decides the rest of its addresses, and its parent goes on after it.
  const close = () => {
    const hi = his[entries[open[open.length - 1]]];
    decideUpTo(hi);
    open.pop();
    undecided.pop();
    if (open.length > 0) undecided[undecided.length - 1] = family.next(hi);
  };
  for (const n of order) {
    const k = entries[n];
    while (open.length > 0 && his[entries[open[open.length - 1]]] < his[k]) close();
    const top = open.length > 0 ? open[open.length - 1] : -1;
    if (top >= 0) parents[n] = entries[top];
    if (top >= 0 && los[entries[top]] === los[k] && his[entries[top]] === his[k]) {
      // An equal entry: the first of them decides for them all and stays the container of what lies inside.
      if (scope.allow[entries[top]] !== scope.allow[k]) shielding[top] = 1;
      continue;
    }
    if (top >= 0) decideUpTo(family.previous(los[k]));
    open.push(n);
    undecided.push(los[k]);
  }
  while (open.length > 0) close();
  return { sweep: { ...stretches, blocked: builder.build() }, decides, parents, shielding };
}

/** A binary min-heap of positions keyed by `priority[position]`. */
class PriorityHeap {
  private readonly items: number[] = [];

  constructor(private readonly priority: Float64Array) {}

  get size(): number {
    return this.items.length;
  }

  top(): number {
    return this.items[0];
  }

  push(item: number): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.priority[items[parent]] <= this.priority[item]) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = item;
  }

  pop(): void {
    const items = this.items;
    const last = items.pop()!;
    if (items.length === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= items.length) break;
      if (child + 1 < items.length && this.priority[items[child + 1]] < this.priority[items[child]]) child++;
      if (this.priority[items[child]] >= this.priority[last]) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
  }
}
