/**
 * Line-except scopes (hosts.deny, Apache; Evaluation `line-except`): each
 * rule blocks its list less its own exceptions, and in each scope the first
 * rule holding an address decides it. A rule may hold in several scopes
 * (hosts.deny `sshd, vsftpd:` and `ALL:` lines), so a document's scopes are
 * decided together, one pass per family.
 */
import { AddressSet } from '../addresses/addressSet';
import { IPV4, IPV6, type AddressArray, type Family } from '../addresses/family';
import { IntervalBuilder } from '../addresses/intervalBuilder';
import type { BlocklistDocument } from '../document/document';
import type { EntryRole } from '../formats/format';
import { decide, Deciders, ranks, Stretches, type Sweep } from './decisions';
import type { EntryFacts } from './entryFacts';

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

/**
 * The rules of a line-except document in order, each its list less its own
 * exceptions, holding in one scope or more. In arrays indexed by rule
 * rather than an object per rule: a file may have 100,000 rules.
 */
export class Rules {
  constructor(
    /** 1 where the rule grants (a hosts.deny rule whose options say `allow`), 0 where it blocks. */
    readonly grants: Uint8Array,
    /** The scopes each rule holds in, by number: the document's by their index, then any that only rules name. */
    readonly scopes: readonly (readonly number[])[],
    /** Each scope number's name. */
    readonly names: readonly string[],
    /** Rule r's entries, ascending, are `entries[first[r]]` up to `entries[first[r + 1]]`. */
    readonly first: Uint32Array,
    readonly entries: Uint32Array,
  ) {}

  get count(): number {
    return this.grants.length;
  }

  /** Rule r's entries, ascending. */
  entriesOf(r: number): Uint32Array {
    return this.entries.subarray(this.first[r], this.first[r + 1]);
  }
}

/**
 * The line-except scopes of `document`, all at once, as a rule may hold in
 * several of them: in each, the first rule whose list less its exceptions
 * holds an address decides it, so where every rule blocks, the scope blocks
 * the union over its rules of (list − exceptions). An exception of one rule
 * excepts nothing of another. Per entry, the findings hold in every scope of
 * its rule:
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
  document.scopes.forEach((_, s) => {
    const [four, six] = [v4[s], v6[s]];
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
export function rulesOf(document: BlocklistDocument, decisive: Uint32Array): Rules {
  const table = document.entries;
  // Scopes by number rather than by name (a file may have a daemon per line): the document's by their index, then any
  // that only rules name.
  const names = document.scopes.map((scope) => scope.name);
  const others = new Map<string, number>();
  const numberOf = (name: string) => {
    const id = document.scopeNames.find(name);
    if (id !== undefined && id < document.scopes.length) return id;
    let n = others.get(name);
    if (n === undefined) others.set(name, (n = names.push(name) - 1));
    return n;
  };
  // Each rule as opened, in arrays as long as there can be rules (a fact or an entry opens one at most), not objects
  // and arrays per rule (a file may have 100,000): whether it grants, its scopes, and where it stands, for their order
  // (its first fact's line and start, or its first entry's, for a rule no fact opens).
  const most = document.scopeFacts.length + decisive.length;
  const grants = new Uint8Array(most);
  const lines = new Uint32Array(most);
  const ats = new Uint32Array(most);
  const scopes: number[][] = [];
  // A rule holding in one scope (most) shares the array of that scope alone.
  const alone: number[][] = [];
  const open = (role: EntryRole, scope: number, line: number, at: number) => {
    const r = scopes.push((alone[scope] ??= [scope])) - 1;
    grants[r] = role === 'allow' ? 1 : 0;
    lines[r] = line;
    ats[r] = at;
    return r;
  };
  const byStart = new Map<number, number>();
  // The `use` facts in order: the scope, line and rule of each.
  const uses = { scope: new Uint32Array(document.scopeFacts.length), line: new Uint32Array(document.scopeFacts.length), rule: new Uint32Array(document.scopeFacts.length) };
  let used = 0;
  for (const fact of document.scopeFacts) {
    if (fact.kind !== 'use') continue;
    const scope = numberOf(fact.scope);
    let r = byStart.get(fact.start);
    if (r === undefined) byStart.set(fact.start, (r = open(fact.role, scope, fact.line, fact.start)));
    else if (scopes[r] === alone[scopes[r][0]]) {
      if (scopes[r][0] !== scope) scopes[r] = [scopes[r][0], scope];
    } else if (!scopes[r].includes(scope)) scopes[r].push(scope);
    uses.scope[used] = scope;
    uses.line[used] = fact.line;
    uses.rule[used++] = r;
  }
  // The facts of each scope, in order: byScope[start[s]] up to byScope[start[s + 1]].
  const start = new Uint32Array(names.length + 1);
  for (let u = 0; u < used; u++) start[uses.scope[u] + 1]++;
  for (let s = 0; s < names.length; s++) start[s + 1] += start[s];
  const byScope = new Uint32Array(used);
  const placed = start.slice(0, names.length);
  for (let u = 0; u < used; u++) byScope[placed[uses.scope[u]]++] = u;
  const loose = new Map<string, number>();
  // Entries and facts both in text order: per scope, the last fact on or before the entry's line only moves on.
  const last = new Int32Array(names.length).fill(-1);
  const ruleOf = new Uint32Array(decisive.length);
  for (let n = 0; n < decisive.length; n++) {
    const k = decisive[n];
    const s = table.scope[k];
    while (start[s] + last[s] + 1 < start[s + 1] && uses.line[byScope[start[s] + last[s] + 1]] <= table.line[k]) last[s]++;
    if (last[s] >= 0) {
      ruleOf[n] = uses.rule[byScope[start[s] + last[s]]];
      continue;
    }
    const key = `${table.line[k]} ${s}`;
    let r = loose.get(key);
    if (r === undefined) loose.set(key, (r = open('block', s, table.line[k], table.start[k])));
    ruleOf[n] = r;
  }
  // The rules with entries, in order. Rules opened by facts come in text order; only those opened for entries without one may need moving.
  const sizes = new Uint32Array(scopes.length);
  for (const r of ruleOf) sizes[r]++;
  const withEntries = new Uint32Array(sizes.reduce((count, size) => count + (size > 0 ? 1 : 0), 0));
  for (let r = 0, u = 0; r < sizes.length; r++) if (sizes[r] > 0) withEntries[u++] = r;
  let order: ArrayLike<number> & Iterable<number> = withEntries;
  let inOrder = true;
  for (let u = 1; u < order.length; u++) {
    const before = order[u - 1];
    const r = order[u];
    inOrder &&= lines[before] < lines[r] || (lines[before] === lines[r] && ats[before] <= ats[r]);
  }
  if (!inOrder) order = [...order].sort((a, b) => lines[a] - lines[b] || ats[a] - ats[b]);
  // Their entries, rule by rule: where each opened rule's go next, then each in its place (decisive is ascending).
  const first = new Uint32Array(order.length + 1);
  const next = new Uint32Array(scopes.length);
  const granting = new Uint8Array(order.length);
  const holding: (readonly number[])[] = [];
  for (let u = 0; u < order.length; u++) {
    next[order[u]] = first[u];
    first[u + 1] = first[u] + sizes[order[u]];
    granting[u] = grants[order[u]];
    holding.push(scopes[order[u]]);
  }
  const entries = new Uint32Array(decisive.length);
  for (let n = 0; n < decisive.length; n++) entries[next[ruleOf[n]]++] = decisive[n];
  return new Rules(granting, holding, names, first, entries);
}

/** What a scope's rules decide. */
interface RuledOutcome<A extends number | bigint> {
  /** Where each piece decides (the sweep's, without its set of deciding pieces: a file may have a scope per line). */
  readonly stretches: Stretches<A>;
  /** Every rule blocks: any rule holding an address may decide it. */
  readonly union: boolean;
  readonly blocked: AddressSet<A>;
  /** Every address some rule decides, either way. */
  readonly matched: AddressSet<A>;
  readonly entries: number;
}

/** The rules holding in each scope, by the scope's number: rule indices, ascending. */
function rulesByScope(rules: Rules): (number[] | undefined)[] {
  const held: (number[] | undefined)[] = [];
  rules.scopes.forEach((scopes, r) => {
    for (const s of scopes) {
      const list = held[s];
      if (list) list.push(r);
      else held[s] = [r];
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

/**
 * Pieces of rules' lists, each an entry less its rule's exceptions, with
 * the entry (its owner) and the rule, in arrays that grow as pieces are added.
 */
class Pieces<A extends number | bigint> {
  count = 0;
  los: AddressArray<A>;
  his: AddressArray<A>;
  owner: Uint32Array;
  rule: Uint32Array;

  constructor(
    private readonly family: Family<A>,
    capacity: number,
  ) {
    [this.los, this.his] = [family.allocate(capacity), family.allocate(capacity)];
    [this.owner, this.rule] = [new Uint32Array(capacity), new Uint32Array(capacity)];
  }

  add(lo: A, hi: A, owner: number, rule: number): void {
    if (this.count === this.owner.length) this.grow();
    const n = this.count++;
    this.los[n] = lo;
    this.his[n] = hi;
    this.owner[n] = owner;
    this.rule[n] = rule;
  }

  private grow(): void {
    const capacity = 2 * this.owner.length + 16;
    [this.los, this.his] = [this.family.resize(this.los, capacity), this.family.resize(this.his, capacity)];
    const [owner, rule] = [new Uint32Array(capacity), new Uint32Array(capacity)];
    owner.set(this.owner);
    rule.set(this.rule);
    [this.owner, this.rule] = [owner, rule];
  }
}

/**
 * lineExcept for one family: what each scope (by number; `held`, its rules)
 * blocks, with the findings of the family's entries (those whose `version`
 * is the family's).
 */
function evaluateRules<A extends number | bigint>(
  family: Family<A>,
  los: AddressArray<A>,
  his: AddressArray<A>,
  allow: Uint8Array,
  version: Uint8Array,
  rules: Rules,
  held: readonly (readonly number[] | undefined)[],
  facts: EntryFacts,
): (RuledOutcome<A> | undefined)[] {
  const empty = AddressSet.empty(family);
  const { first, entries } = rules;
  const ofFamily = (k: number) => version[k] === family.version;
  // Whether entry k of rule r is of its list rather than an exception: it does what the rule does.
  const inList = (r: number, k: number) => (allow[k] === 0) === (rules.grants[r] === 0);
  // The parts of the rules with exceptions of this family. Most rules have none, and nothing is made for them: their
  // list is their entries of this family, read from the rules' entries where a copy per rule and family would cost more.
  const parts = new Map<number, RuleParts<A>>();
  let listed = 0;
  for (let r = 0; r < rules.count; r++) {
    let excepts = false;
    for (let i = first[r]; i < first[r + 1]; i++) {
      if (!ofFamily(entries[i])) continue;
      listed++;
      excepts ||= !inList(r, entries[i]);
    }
    if (!excepts) continue;
    const own = Array.from(rules.entriesOf(r)).filter(ofFamily);
    const [list, exceptions] = [own.filter((k) => inList(r, k)), own.filter((k) => !inList(r, k))];
    parts.set(r, { list, exceptions, excepted: unionOf(family, los, his, exceptions), listed: unionOf(family, los, his, list) });
  }
  /** Calls `visit` with each entry of this family on rule r's list. */
  const forEachListed = (r: number, visit: (k: number) => void) => {
    const list = parts.get(r)?.list;
    if (list) for (const k of list) visit(k);
    else for (let i = first[r]; i < first[r + 1]; i++) if (ofFamily(entries[i])) visit(entries[i]);
  };
  // Larger entries first, then earlier ones (hi - lo, a bigint only for IPv6).
  const span = (k: number): number | bigint => (family.version === 4 ? (his[k] as number) - (los[k] as number) : (his[k] as bigint) - (los[k] as bigint));
  const larger = (a: number, b: number) => {
    const spanA = span(a);
    const spanB = span(b);
    return spanA > spanB ? -1 : spanA < spanB ? 1 : a - b;
  };

  // Pieces: each entry of a list less its rule's exceptions, rule by rule; what a rule holds is the union of its pieces.
  // Without exceptions, an entry is one piece.
  const piece = new Pieces(family, listed);
  const firstPiece = new Uint32Array(rules.count + 1);
  // 1 for the entries their rule's exceptions hold whole.
  const whole = new Uint8Array(allow.length);
  for (let r = 0; r < rules.count; r++) {
    firstPiece[r] = piece.count;
    const excepted = parts.get(r)?.excepted;
    forEachListed(r, (k) => {
      if (excepted === undefined) return piece.add(los[k], his[k], k, r);
      const before = piece.count;
      forEachGap(family, excepted, los[k], his[k], (lo, hi) => piece.add(lo, hi, k, r));
      if (piece.count === before) whole[k] = 1;
    });
  }
  const pieces = (firstPiece[rules.count] = piece.count);
  const none = new Uint8Array(Math.max(pieces, allow.length));
  let byUnion: Float64Array | undefined;
  const unionRanks = () => {
    if (byUnion) return byUnion;
    // Each piece's breadth (how many scopes its rule holds in) and its entry's span worked out once, not twice per comparison.
    const breadth = new Uint32Array(pieces);
    const spans: (number | bigint)[] = [];
    for (let n = 0; n < pieces; n++) {
      breadth[n] = rules.scopes[piece.rule[n]].length;
      spans.push(span(piece.owner[n]));
    }
    const wider = (a: number, b: number) => (spans[a] > spans[b] ? -1 : spans[a] < spans[b] ? 1 : piece.owner[a] - piece.owner[b]);
    return (byUnion = ranks(pieces, (a, b) => breadth[b] - breadth[a] || wider(a, b) || a - b));
  };
  // Each rule's blocking entries of this family, counted once for every scope it holds in.
  const blocking = new Uint32Array(rules.count);
  for (let r = 0; r < rules.count; r++) for (let i = first[r]; i < first[r + 1]; i++) if (ofFamily(entries[i]) && !allow[entries[i]]) blocking[r]++;

  const outcomes: (RuledOutcome<A> | undefined)[] = [];
  // 1 for the entries some piece of which decides an address, in whichever scope: an entry's pieces stand in the scopes of its rule only.
  const deciding = new Uint8Array(allow.length);
  // A scope none of whose rules holds an address of this family (most, in a file of one daemon or section per line) decides nothing here.
  const nothing = new Stretches(family, 0);
  held.forEach((holding, s) => {
    if (holding === undefined) return;
    const union = holding.every((r) => rules.grants[r] === 0);
    let blockingEntries = 0;
    let count = 0;
    for (const r of holding) {
      blockingEntries += blocking[r];
      count += firstPiece[r + 1] - firstPiece[r];
    }
    if (count === 0) {
      outcomes[s] = { stretches: nothing, union, blocked: empty, matched: empty, entries: blockingEntries };
      return;
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
      const { los: stretchLos, his: stretchHis, winners } = sweep.stretches;
      for (let s = 0; s < sweep.stretches.count; s++) if (rules.grants[piece.rule[winners[s]]] === 0) builder.add(stretchLos[s], stretchHis[s]);
      blocked = builder.build();
    }
    for (const n of sweep.deciding) deciding[piece.owner[n]] = 1;
    outcomes[s] = { stretches: sweep.stretches, union, blocked, matched, entries: blockingEntries };
  });

  // The entries other than k deciding some address: of a sweep over pieces, their owners; of the exceptions' sweep, its winners.
  const deciders = new Deciders(los, his);
  const ownerOf = (n: number) => piece.owner[n];
  const itself = (n: number) => n;
  const covered = (k: number, other: Deciders<A>) => {
    if (other.equal >= 0) facts.add('duplicate', k, other.equal);
    else facts.add('covered', k, other.first);
  };
  // Whether every scope of `scopes` holds as `holds` says; made once, not a closure per rule (a file may have 100,000 rules).
  const everywhere = (scopes: readonly number[], holds: (outcome: RuledOutcome<A>) => boolean) => {
    for (let n = 0; n < scopes.length; n++) if (!holds(outcomes[scopes[n]]!)) return false;
    return true;
  };
  const isUnion = (outcome: RuledOutcome<A>) => outcome.union;
  for (let r = 0; r < rules.count; r++) {
    const scopes = rules.scopes[r];
    const firstScope = outcomes[scopes[0]]!;
    // Every scope of the rule a union: an entry deciding in none of them may be covered.
    const union = everywhere(scopes, isUnion);
    const rule = parts.get(r);
    if (rule === undefined) {
      // A rule without exceptions (most): an entry of its list is covered where it decides nothing in a union.
      if (!union) continue;
      for (let i = first[r]; i < first[r + 1]; i++) {
        const k = entries[i];
        if (ofFamily(k) && !deciding[k]) covered(k, deciders.find(firstScope.stretches, los[k], his[k], k, undefined, ownerOf));
      }
      continue;
    }
    const { list, exceptions, excepted, listed } = rule;
    // The entries of the list that hold what the exceptions except (the largest, then the first), and the exceptions that except it.
    let anchors: ReadonlySet<number> = NO_ENTRIES;
    let excepting: ReadonlySet<number> = NO_ENTRIES;
    let exceptionSweep: Sweep<A> | undefined;
    if (exceptions.length > 0) {
      const anchored = (anchors = new Set<number>());
      const found = (excepting = new Set<number>());
      const holding = decide(
        { family, entries: Uint32Array.from(list), los, his, allow: none },
        ranks(list.length, (a, b) => larger(list[a], list[b])),
      );
      forEachStretch(holding.stretches, (lo, hi, k) => excepted.overlaps(lo, hi) && anchored.add(k));
      const sweep = decide(
        { family, entries: Uint32Array.from(exceptions), los, his, allow: none },
        ranks(exceptions.length, (a, b) => larger(exceptions[a], exceptions[b])),
      );
      forEachStretch(sweep.stretches, (lo, hi, k) => listed.overlaps(lo, hi) && found.add(k));
      exceptionSweep = sweep;
    }
    forEachListed(r, (k) => {
      if (whole[k]) {
        const by = exceptions.find((e) => los[e] <= his[k] && his[e] >= los[k]) ?? -1;
        facts.push({ code: 'shadowed', entry: k, other: by });
      } else if (!anchors.has(k) && union && !deciding[k]) {
        covered(k, deciders.find(firstScope.stretches, los[k], his[k], k, undefined, ownerOf));
      }
    });
    for (const k of exceptions) {
      if (!listed.overlaps(los[k], his[k])) {
        facts.push({ code: 'ineffective-exception', entry: k, other: -1 });
      } else if (!excepting.has(k)) {
        covered(k, deciders.find(exceptionSweep!.stretches, los[k], his[k], k, undefined, itself));
      } else {
        // What it excepts, other rules block anyway, in every scope of its rule.
        const excepts = listed.clip(los[k], his[k]);
        if (union && everywhere(scopes, (outcome) => coversAll(outcome.blocked, excepts))) {
          facts.add('shadowed', k, deciders.find(firstScope.stretches, excepts.start(0), excepts.end(0), k, undefined, ownerOf).first);
        }
      }
    }
  }
  return outcomes;
}

const NO_ENTRIES: ReadonlySet<number> = new Set();

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

function forEachStretch<A extends number | bigint>(stretches: Stretches<A>, visit: (lo: A, hi: A, winner: number) => void): void {
  for (let s = 0; s < stretches.count; s++) visit(stretches.los[s], stretches.his[s], stretches.winners[s]);
}

function coversAll<A extends number | bigint>(set: AddressSet<A>, part: AddressSet<A>): boolean {
  let all = true;
  part.forEachRange((lo, hi) => (all &&= set.covers(lo, hi)));
  return all;
}
