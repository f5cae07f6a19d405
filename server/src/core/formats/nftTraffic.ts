/**
 * What traffic an nftables ruleset's rules send its regular chains and its
 * sets (nft(8)), once the whole ruleset is read.
 *
 * A set that rules name (`ip saddr @bl drop`) decides only for the traffic
 * of those rules: when every one of them matches on more than the set — a
 * port, an interface, a state, a destination too — its elements are
 * conditional (a set no rule names keeps its own count, as a blocklist
 * loaded for rules elsewhere).
 *
 * A regular chain that jumps enter: a
 * chain without a hook sees only the traffic a `jump` or `goto` sends it, so
 * its rules decide for that traffic alone. A chain no rule names keeps its
 * own scope, as a blocklist chain loaded for rules elsewhere (the same as
 * iptables' chains). One that rules do send traffic to decides, as its own
 * scope says, only where every such rule sends it all of it:
 *
 * - each rule that names it is a whole jump, `jump u` or `goto u` with no
 *   match of any kind, in a base chain of type filter (whose hook's traffic
 *   all enters it);
 * - before that rule, its chain has no rule the reader does not follow (a
 *   set, a jump, a negation…) in the entry's dimension and family;
 * - no rule of that chain accepts any of the entry's addresses, which would
 *   then never reach the jump (any such rule, before it or after: a little
 *   more than needed, never less).
 *
 * Every other entry of such a chain is conditional: a jump under a port, a
 * source or an interface, one from another regular chain or from a verdict
 * map (`: jump u`), sends the chain only some traffic. Rules are matched to
 * chains by name, every `jump NAME` and `goto NAME` of the text counted,
 * so a jump the reader did not see as whole (or a commented-out one) only
 * makes more entries conditional.
 */
import { ParsedEntry, parseEntry, type OctalLoader } from '../document/entry';
import { IPV4, IPV6, type Family } from '../addresses/family';
import { IntervalBuilder, unionOf } from '../addresses/intervalBuilder';
import type { AddressSet } from '../addresses/addressSet';
import type { EntryMeaning, TokenSink } from './format';

/** A jump or goto, and the chain it names (any word up to a blank or a delimiter). */
const JUMP = /(?<![\w-])(?:jump|goto)[ \t]+([^\s;{}#,]+)/g;

/** The scopes of a chain: for its sources and for its destinations. */
export interface ChainScopes {
  readonly sources: string;
  readonly destinations: string;
}

/** A whole jump (above): its chain, and the families and dimensions (`4 sources`) no rule before it left undecided in a way not followed. */
interface WholeJump {
  readonly caller: ChainScopes;
  readonly entered: ReadonlySet<string>;
}

interface HeldEntry {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly parsed: ParsedEntry | undefined;
  readonly meaning: EntryMeaning | undefined;
}

/** Whether `text` names any chain to jump or go to, or any set: only then are its entries held until the whole ruleset is read. */
export function namesChainsOrSets(text: string): boolean {
  return text.includes('@') || text.search(JUMP) >= 0;
}

/**
 * Holds the reader's entries until the ruleset is read (`sink`), learns its
 * hooks, whole jumps and the rules that name sets, then passes every entry
 * on in order (`finish`), conditional where its chain or set sees only some
 * traffic.
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
  /** The sets rules name, by scope, and those of them some rule names with no other match. */
  private readonly setsNamed = new Set<string>();
  private readonly setsDeciding = new Set<string>();

  constructor(
    private readonly text: string,
    private readonly out: TokenSink,
    private readonly octalLoader: OctalLoader,
  ) {
    for (const match of text.matchAll(JUMP)) this.named.set(match[1], (this.named.get(match[1]) ?? 0) + 1);
    this.sink = {
      entry: (start, end, line, parsed, meaning) => {
        this.held.push({ start, end, line, parsed, meaning });
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
    into.push({ caller, entered });
  }

  /** A rule naming the set `scope`, which matches on more than its addresses when `conditional`. */
  setUse(scope: string, conditional: boolean): void {
    this.setsNamed.add(scope);
    if (!conditional) this.setsDeciding.add(scope);
  }

  /** Passes every entry on, in the order read. */
  finish(): void {
    const traffic = this.trafficOfTargets();
    const scratch = new ParsedEntry();
    for (const { start, end, line, parsed, meaning } of this.held) {
      const scope = meaning?.scope;
      const conditional =
        meaning?.conditional !== true && scope !== undefined && (this.usedUnderConditions(scope) || this.partlyEntered(scope, start, end, parsed, scratch, traffic));
      this.out.entry(start, end, line, parsed, conditional ? { ...meaning, conditional } : meaning);
    }
  }

  /** Whether `scope` is a set that rules name, each under a further condition. */
  private usedUnderConditions(scope: string): boolean {
    return this.setsNamed.has(scope) && !this.setsDeciding.has(scope);
  }

  /** Whether the rules of the chain scope `scope` hold only for some of the traffic its entry at [start, end) sees: the chain is a regular one that rules jump to, and not every one of them sends it all that traffic. */
  private partlyEntered(scope: string, start: number, end: number, parsed: ParsedEntry | undefined, scratch: ParsedEntry, traffic: ReadonlyMap<string, Traffic>): boolean {
    if (!scope.startsWith('chain ')) return false;
    const destinations = scope.endsWith(DADDR);
    const sources = destinations ? scope.slice(0, -DADDR.length) : scope;
    const name = sources.slice(sources.lastIndexOf(' ') + 1);
    const named = this.named.get(name) ?? 0;
    if (this.hooked.has(sources) || named === 0) return false;
    if (named > (this.wholeByName.get(name) ?? 0)) return true;
    const into = traffic.get(sources);
    if (into === undefined) return false; // the jumps go to chains of that name in other tables
    const addresses = parsed ?? (parseEntry(this.text, start, end, [], scratch, this.octalLoader) ? scratch : undefined);
    if (addresses === undefined) return false; // the sink reports why it cannot be read
    const dimension = destinations ? 'destinations' : 'sources';
    if (!into.entered.has(`${addresses.version} ${dimension}`)) return true;
    return addresses.version === 4 ? into.accepted.four[dimension].overlaps(addresses.lo4, addresses.hi4) : into.accepted.six[dimension].overlaps(addresses.lo6, addresses.hi6);
  }

  /** What traffic each chain whole jumps enter sees, by its sources' scope; targets with the same callers share their sets. */
  private trafficOfTargets(): Map<string, Traffic> {
    const byCaller = this.acceptedByCallers();
    const byCallers = new Map<string, Accepted>();
    const traffic = new Map<string, Traffic>();
    for (const [target, jumps] of this.wholeInto) {
      const entered = new Set([...jumps[0].entered].filter((key) => jumps.every((jump) => jump.entered.has(key))));
      const callers = [...new Set(jumps.map((jump) => jump.caller))];
      const key = callers.map((caller) => caller.sources).join('\n');
      let accepted = byCallers.get(key);
      if (!accepted) byCallers.set(key, (accepted = unionOfCallers(callers, byCaller)));
      traffic.set(target, { entered, accepted });
    }
    return traffic;
  }

  /** What the callers of whole jumps accept, by family and scope (`4 chain inet f input`): the addresses of their rules that accept, as read. */
  private acceptedByCallers(): Map<string, AddressSet<number> | AddressSet<bigint>> {
    const callers = new Set<string>();
    for (const jumps of this.wholeInto.values()) for (const { caller } of jumps) callers.add(caller.sources).add(caller.destinations);
    const four = new Map<string, IntervalBuilder<number>>();
    const six = new Map<string, IntervalBuilder<bigint>>();
    const scratch = new ParsedEntry();
    for (const { start, end, parsed, meaning } of this.held) {
      const scope = meaning?.scope;
      if (meaning?.role !== 'allow' || meaning.conditional === true || scope === undefined || !callers.has(scope)) continue;
      const addresses = parsed ?? (parseEntry(this.text, start, end, [], scratch, this.octalLoader) ? scratch : undefined);
      if (addresses?.version === 4) builderOf(four, scope, IPV4).add(addresses.lo4, addresses.hi4);
      else if (addresses?.version === 6) builderOf(six, scope, IPV6).add(addresses.lo6, addresses.hi6);
    }
    const sets = new Map<string, AddressSet<number> | AddressSet<bigint>>();
    for (const [scope, builder] of four) sets.set(`4 ${scope}`, builder.build());
    for (const [scope, builder] of six) sets.set(`6 ${scope}`, builder.build());
    return sets;
  }
}

/** The addresses callers accept, in each dimension, per family. */
interface Accepted {
  readonly four: Readonly<Record<Dimension, AddressSet<number>>>;
  readonly six: Readonly<Record<Dimension, AddressSet<bigint>>>;
}

type Dimension = 'sources' | 'destinations';

/** What the whole jumps into a chain send it: the families and dimensions (`4 sources`) in which every caller's traffic enters whole, but for what the callers accept. */
interface Traffic {
  readonly entered: ReadonlySet<string>;
  readonly accepted: Accepted;
}

function unionOfCallers(callers: readonly ChainScopes[], byCaller: ReadonlyMap<string, AddressSet<number> | AddressSet<bigint>>): Accepted {
  const union = <A extends number | bigint>(family: Family<A>, dimension: Dimension) =>
    unionOf(
      family,
      callers.flatMap((caller) => {
        const set = byCaller.get(`${family.version} ${caller[dimension]}`);
        return set === undefined ? [] : [set as AddressSet<A>];
      }),
    );
  return {
    four: { sources: union(IPV4, 'sources'), destinations: union(IPV4, 'destinations') },
    six: { sources: union(IPV6, 'sources'), destinations: union(IPV6, 'destinations') },
  };
}

/** What a chain's destinations' scope adds to its name. */
const DADDR = ' (daddr)';

function builderOf<A extends number | bigint>(builders: Map<string, IntervalBuilder<A>>, scope: string, family: Family<A>): IntervalBuilder<A> {
  let builder = builders.get(scope);
  if (!builder) builders.set(scope, (builder = new IntervalBuilder(family, 16)));
  return builder;
}
