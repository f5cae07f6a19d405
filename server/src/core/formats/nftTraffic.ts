/**
 * What reaches the rules of an nftables ruleset that the reader cannot
 * settle as it reads (nft(8)): rules that name sets, and regular chains
 * that jumps enter. A set's elements may come after the rules naming it, so
 * every entry is held until the whole ruleset is read, then passed on,
 * conditional where what it says is not what the kernel does.
 *
 * Sets. `ip saddr @S drop` decides S's addresses at its place in its chain,
 * for what reaches it. A rule naming a set *decides* when the set is its
 * only match (no port, interface, negation, jump or second address), no
 * rule before it in its chain is one the reader does not follow (in its
 * dimension and family), no later statement inserts rules into its chain
 * or takes some away, and its chain is a base chain or one no jump
 * enters (whose own count it is, as a blocklist chain loaded for rules
 * elsewhere). An element of a set that blocking rules name counts where a
 * deciding one drops it and no rule before that one in its chain accepts
 * any of its addresses (an address, every address, an element of a set);
 * else it is conditional. A set only allowing rules name is conditional
 * when each of them has a further condition; a set no rule names keeps its
 * own count. After a rule naming a set, its chain's rules are read on: an
 * entry holding an address of that set's elements is conditional, as the
 * set took that address first.
 *
 * Regular chains. A chain without a hook sees only the traffic a `jump` or
 * `goto` sends it. One no rule names keeps its own scope, as a blocklist
 * chain loaded for rules elsewhere (the same as iptables' chains). One that
 * rules do send traffic to decides, as its own scope says, only where every
 * rule naming it is a whole jump — `jump u` or `goto u` with no match of
 * any kind, in a base chain of type filter, after no rule the reader does
 * not follow in the entry's dimension and family, in a chain no later
 * statement reorders or takes rules from — and no rule before that
 * jump accepts any of the entry's addresses. Every other entry of such a
 * chain is conditional: a jump under a port, a source or an interface, one
 * from another regular chain or from a verdict map (`: jump u`), sends the
 * chain only some traffic. Rules are matched to chains by name, every
 * `jump NAME` and `goto NAME` of the text counted, so a jump the reader did
 * not see as whole (or a commented-out one) only makes more entries
 * conditional.
 */
import { EarliestCover } from '../addresses/earliestCover';
import { IPV4, IPV6, type Family } from '../addresses/family';
import { ParsedEntry, parseEntry, type OctalLoader } from '../document/entry';
import type { EntryMeaning, EntryRole, TokenSink } from './format';

/** A jump or goto, and the chain it names (any word up to a blank or a delimiter). */
const JUMP = /(?<![\w-])(?:jump|goto)[ \t]+([^\s;{}#,]+)/g;

/** The scopes of a chain: for its sources and for its destinations. */
export interface ChainScopes {
  readonly sources: string;
  readonly destinations: string;
}

/** A rule that names a set, as the reader saw it. */
export interface SetRule {
  readonly set: string;
  /** The scope of the rule's chain in its dimension (`chain inet f input`, `… (daddr)`), and the family it matches. */
  readonly scope: string;
  readonly family: 4 | 6;
  /** What the set's addresses get there (negation taken into account). */
  readonly role: EntryRole;
  /** The set is the rule's only match and its verdict drops, rejects or accepts: the rule decides the set's addresses where it stands. */
  readonly plain: boolean;
  /** A plain rule after no rule the reader does not follow, in its chain's dimension and family, in a chain no later statement reorders or takes rules from. */
  readonly settled: boolean;
  /** The rule matches on more than its addresses (a port, an interface…). */
  readonly conditional: boolean;
  /** Its chain's sources' scope, or undefined outside any chain. */
  readonly chain: string | undefined;
}

/** A whole jump (above): its chain, where it stands, and the families and dimensions (`4 sources`) no rule before it left undecided in a way not followed. */
interface WholeJump {
  readonly caller: ChainScopes;
  readonly position: number;
  readonly entered: ReadonlySet<string>;
}

interface HeldEntry {
  /** Where it stands among the rules naming sets, the jumps and the other entries: their order in the text. */
  readonly position: number;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly parsed: ParsedEntry | undefined;
  readonly meaning: EntryMeaning | undefined;
}

/** A set rule, a jump or a range at its place (HeldEntry.position). */
type Placed<T> = T & { readonly position: number };

/** Whether `text` names any chain to jump or go to, or any set: only then are its entries held until the whole ruleset is read. */
export function namesChainsOrSets(text: string): boolean {
  return text.includes('@') || text.search(JUMP) >= 0;
}

/**
 * Holds the reader's entries until the ruleset is read (`sink`), learns its
 * hooks, whole jumps and the rules naming sets, then passes every entry on
 * in order (`finish`), conditional where what reaches it is not known.
 */
export class NftTraffic {
  /** The sink the reader writes to: entries are held, the rest passes. */
  readonly sink: TokenSink;
  private readonly held: HeldEntry[] = [];
  /** How many times the text names each chain after `jump` or `goto`. */
  private readonly named = new Map<string, number>();
  /** How many of those are whole jumps, by chain name. */
  private readonly wholeByName = new Map<string, number>();
  /** The whole jumps into each chain, by its sources' scope. */
  private readonly wholeInto = new Map<string, WholeJump[]>();
  /** The chains with a hook (of any type), by their sources' scope: traffic enters them from the kernel. */
  private readonly hooked = new Set<string>();
  private readonly setRules: Placed<SetRule>[] = [];
  /** The next place: entries, jumps and rules naming sets are placed in the order read. */
  private clock = 0;

  constructor(
    private readonly text: string,
    private readonly out: TokenSink,
    private readonly octalLoader: OctalLoader,
  ) {
    for (const match of text.matchAll(JUMP)) this.named.set(match[1], (this.named.get(match[1]) ?? 0) + 1);
    this.sink = {
      entry: (start, end, line, parsed, meaning) => {
        this.held.push({ position: this.clock++, start, end, line, parsed, meaning });
      },
      problem: (problem, line) => out.problem(problem, line),
      scopeFact: (fact, line) => out.scopeFact(fact, line),
    };
  }

  /** A chain declared with a hook (`type filter hook input …`, `type nat hook …`). */
  hook(chain: ChainScopes): void {
    this.hooked.add(chain.sources);
  }

  /** A whole jump (`jump u` alone in a base chain of type filter) to the chain whose sources' scope is `target`, named `name`. */
  wholeJump(name: string, target: string, caller: ChainScopes, entered: ReadonlySet<string>): void {
    this.wholeByName.set(name, (this.wholeByName.get(name) ?? 0) + 1);
    let into = this.wholeInto.get(target);
    if (!into) this.wholeInto.set(target, (into = []));
    into.push({ caller, position: this.clock++, entered });
  }

  /** A rule naming a set, placed after what was read before it. */
  setRule(rule: SetRule): void {
    this.setRules.push({ ...rule, position: this.clock++ });
  }

  /** Passes every entry on, in the order read. */
  finish(): void {
    const reach = new Reach(this.held, this.setRules, this.text, this.octalLoader);
    const conditional = new Uint8Array(this.held.length);
    this.heldBySets(reach, conditional);
    this.heldAfterSets(reach, conditional);
    this.heldByJumps(reach, conditional);
    this.held.forEach(({ start, end, line, parsed, meaning }, k) => {
      this.out.entry(start, end, line, parsed, conditional[k] ? { ...meaning, conditional: true } : meaning);
    });
  }

  /** The elements of sets rules name that no deciding rule blocks (above). */
  private heldBySets(reach: Reach, conditional: Uint8Array): void {
    const rulesOf = new Map<string, Placed<SetRule>[]>();
    for (const rule of this.setRules) push(rulesOf, rule.set, rule);
    const verdicts = new Map([...rulesOf].map(([set, rules]) => [set, this.verdictOn(rules)]));
    this.held.forEach(({ meaning }, k) => {
      const verdict = meaning?.scope === undefined || meaning.conditional === true ? undefined : verdicts.get(meaning.scope);
      if (verdict === undefined) return;
      const family = reach.addresses(k)?.version;
      // An element of a family no rule naming its set matches is one nft refuses (a loader rejection says so): left as read.
      if (family === undefined || !verdict.families.has(family)) return;
      const decided = verdict.blocking ? verdict.deciding.some((rule) => rule.family === family && !reach.acceptedBefore(rule.scope, k, rule.position)) : !verdict.onlyConditional;
      if (!decided) conditional[k] = 1;
    });
  }

  /** What the rules naming one set make of it: whether any blocks, the deciding blocking ones that may count an element, whether every one has a further condition, and the families they match. */
  private verdictOn(rules: readonly Placed<SetRule>[]): { blocking: boolean; deciding: Placed<SetRule>[]; onlyConditional: boolean; families: ReadonlySet<number> } {
    const blocking = rules.filter((rule) => rule.role === 'block');
    // In a chain scope a later rule decides no more than an earlier one (more may be accepted before it): the first of each counts, and a few suffice.
    const deciding = new Map<string, Placed<SetRule>>();
    for (const rule of blocking) {
      const key = `${rule.family} ${rule.scope}`;
      if (rule.plain && rule.settled && this.decidesIn(rule.chain) && !deciding.has(key) && deciding.size < DECIDING_RULES) deciding.set(key, rule);
    }
    return {
      blocking: blocking.length > 0,
      deciding: [...deciding.values()],
      onlyConditional: rules.every((rule) => rule.conditional),
      families: new Set(rules.map((rule) => rule.family)),
    };
  }

  /** The entries of chains that hold an address of a set a rule before them names. */
  private heldAfterSets(reach: Reach, conditional: Uint8Array): void {
    this.held.forEach(({ meaning }, k) => {
      if (!conditional[k] && meaning?.conditional !== true && meaning?.scope !== undefined && reach.takenBySetsBefore(meaning.scope, k)) conditional[k] = 1;
    });
  }

  /** The entries of regular chains that jumps enter only in part (above). */
  private heldByJumps(reach: Reach, conditional: Uint8Array): void {
    this.held.forEach(({ meaning }, k) => {
      const scope = meaning?.scope;
      if (conditional[k] || meaning?.conditional === true || scope === undefined || !scope.startsWith('chain ')) return;
      const destinations = scope.endsWith(DADDR);
      const sources = destinations ? scope.slice(0, -DADDR.length) : scope;
      const name = sources.slice(sources.lastIndexOf(' ') + 1);
      const named = this.named.get(name) ?? 0;
      if (this.hooked.has(sources) || named === 0) return;
      if (named > (this.wholeByName.get(name) ?? 0)) {
        conditional[k] = 1;
        return;
      }
      const version = reach.addresses(k)?.version ?? 0;
      const dimension = destinations ? 'destinations' : 'sources';
      const partly = (this.wholeInto.get(sources) ?? []).some(
        ({ caller, position, entered }) => !entered.has(`${version} ${dimension}`) || reach.acceptedBefore(caller[dimension], k, position),
      );
      if (partly) conditional[k] = 1;
    });
  }

  /** Whether a rule of `chain` decides for all the traffic its chain's scope counts: a base chain's, or one no jump names. */
  private decidesIn(chain: string | undefined): boolean {
    if (chain === undefined || this.hooked.has(chain)) return true;
    return !this.named.has(chain.slice(chain.lastIndexOf(' ') + 1));
  }
}

/** Whether ranges placed before a place hold any address of a range: asked of a chain scope in one family. */
interface Cover<A extends number | bigint> {
  holdsBefore(lo: A, hi: A, before: number): boolean;
}

/** What a cover holds: the elements of sets, each set at a place, and held entries, each at its own. */
interface Sources {
  readonly sets: ReadonlyMap<string, number>;
  readonly entries: readonly number[];
}

/** Covers by chain scope, per family. */
interface Covers {
  readonly four: Map<string, Cover<number>>;
  readonly six: Map<string, Cover<bigint>>;
}

/**
 * How many ranges the covers of one ruleset may hold in all, per held entry:
 * a set named in many chains is in each one's cover, so a hostile ruleset
 * could make them grow with the product of the two; past this, a cover says
 * that what stands after its first range may be taken (more conditional
 * entries, never fewer).
 */
const RANGES_PER_ENTRY = 1;

/**
 * The addresses of the held entries, and per chain scope and family what
 * takes addresses before a place: the entries and sets that accept them
 * (`acceptedBefore`), and the sets rules name (`takenBySetsBefore`).
 */
class Reach {
  private readonly parsed: (ParsedEntry | undefined | null)[];
  /** The held entries that accept, unconditionally, by scope. */
  private readonly accepting = new Map<string, number[]>();
  private readonly rulesIn = new Map<string, Placed<SetRule>[]>();
  private readonly elementsOf = new Map<string, number[]>();
  private readonly accepts: Covers = { four: new Map(), six: new Map() };
  private readonly taken: Covers = { four: new Map(), six: new Map() };
  /** How many more ranges the covers may hold. */
  private budget: number;

  constructor(
    private readonly held: readonly HeldEntry[],
    setRules: readonly Placed<SetRule>[],
    private readonly text: string,
    private readonly octalLoader: OctalLoader,
  ) {
    this.budget = RANGES_PER_ENTRY * held.length + 4096;
    this.parsed = held.map(({ parsed }) => parsed ?? null);
    for (const rule of setRules) push(this.rulesIn, rule.scope, rule);
    const named = new Set(setRules.map((rule) => rule.set));
    held.forEach(({ meaning }, k) => {
      const scope = meaning?.scope;
      if (scope === undefined) return;
      if (named.has(scope)) push(this.elementsOf, scope, k);
      else if (meaning?.role === 'allow' && meaning.conditional !== true) push(this.accepting, scope, k);
    });
  }

  /** The addresses of held entry k, read on first use (undefined when they cannot be read). */
  addresses(k: number): ParsedEntry | undefined {
    let entry = this.parsed[k];
    if (entry === null) {
      const { start, end } = this.held[k];
      const out = new ParsedEntry();
      this.parsed[k] = entry = parseEntry(this.text, start, end, [], out, this.octalLoader) ? out : undefined;
    }
    return entry;
  }

  /** Whether, in chain scope `scope`, a rule before `position` accepts any address of held entry k. */
  acceptedBefore(scope: string, k: number, position: number): boolean {
    return this.holdsBefore(this.accepts, scope, k, position, () => ({ sets: this.setsNamed(scope, (rule) => rule.role === 'allow'), entries: this.accepting.get(scope) ?? [] }));
  }

  /** Whether a rule naming a set in chain scope `scope` before held entry k holds any of its addresses. */
  takenBySetsBefore(scope: string, k: number): boolean {
    return this.rulesIn.has(scope) && this.holdsBefore(this.taken, scope, k, this.held[k].position, () => ({ sets: this.setsNamed(scope, () => true), entries: [] }));
  }

  private holdsBefore(covers: Covers, scope: string, k: number, position: number, sources: () => Sources): boolean {
    const entry = this.addresses(k);
    if (entry?.version === 4) return coverIn(covers.four, scope, () => this.cover(IPV4, sources())).holdsBefore(entry.lo4, entry.hi4, position);
    if (entry?.version === 6) return coverIn(covers.six, scope, () => this.cover(IPV6, sources())).holdsBefore(entry.lo6, entry.hi6, position);
    return false;
  }

  /** A cover of what `sources` hold in `family`, or past the budget one that holds everything from their first place on. */
  private cover<A extends number | bigint>(family: Family<A>, { sets, entries }: Sources): Cover<A> {
    let size = entries.length;
    for (const set of sets.keys()) size += this.elementsOf.get(set)?.length ?? 0;
    this.budget -= size;
    if (this.budget < 0) {
      let first = Infinity;
      for (const position of sets.values()) first = Math.min(first, position);
      for (const k of entries) first = Math.min(first, this.held[k].position);
      return { holdsBefore: (_lo, _hi, before) => first < before };
    }
    const ranges: Placed<{ lo: A; hi: A }>[] = [];
    for (const [set, position] of sets) for (const k of this.elementsOf.get(set) ?? []) this.pushRange(ranges, family, k, position);
    for (const k of entries) this.pushRange(ranges, family, k, this.held[k].position);
    return new EarliestCover(family, ranges);
  }

  /** The sets that the plain rules of chain scope `scope` picked by `which` name, each with its first such rule's place. */
  private setsNamed(scope: string, which: (rule: SetRule) => boolean): Map<string, number> {
    const first = new Map<string, number>();
    for (const rule of this.rulesIn.get(scope) ?? []) if (rule.plain && which(rule) && !first.has(rule.set)) first.set(rule.set, rule.position);
    return first;
  }

  private pushRange<A extends number | bigint>(ranges: Placed<{ lo: A; hi: A }>[], family: Family<A>, k: number, position: number): void {
    const entry = this.addresses(k);
    if (entry?.version !== family.version) return;
    const [lo, hi] = (family.version === 4 ? [entry.lo4, entry.hi4] : [entry.lo6, entry.hi6]) as [A, A];
    ranges.push({ lo, hi, position });
  }
}

function coverIn<A extends number | bigint>(covers: Map<string, Cover<A>>, scope: string, make: () => Cover<A>): Cover<A> {
  let cover = covers.get(scope);
  if (!cover) covers.set(scope, (cover = make()));
  return cover;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(value);
}

/** How many chain scopes' rules may count a set's element: a set named in more is counted by the first ones (the rest only leave more elements conditional), so its elements are not checked against every chain of a hostile ruleset. */
const DECIDING_RULES = 8;

/** What a chain's destinations' scope adds to its name. */
const DADDR = ' (daddr)';
