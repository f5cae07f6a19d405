/**
 * How an iptables file decides, exactly, through its chains (iptables(8)):
 * in each chain traffic enters (iptablesGraph.ts), the first rule that
 * matches decides; a jump hands the packet to its chain, whose RETURN — or
 * end — goes back to the rule after the jump; a goto does not come back; a
 * built-in chain's policy decides what returns from it. Sources and
 * destinations are decided apart, each by the rules that match on nothing
 * else.
 *
 * Each chain is worked out once for every address: stretches of addresses,
 * each with what the chain decides (drop, accept, return) and the rule that
 * does. Rules with no jump between them are one sweep (`decide`); a jump to
 * a chain that decides the same for every address (LOG, then DROP) is a rule
 * like the others; a jump to one that depends on the address takes that
 * chain's stretches. Then, from the roots down, the addresses that enter
 * each chain. A rule takes effect when an address that enters its chain
 * reaches it; one that never does is covered, a duplicate or shadowed, by
 * the rules that decide its addresses instead: those before it in its
 * chain, and, for addresses that never enter its chain, the rules and
 * policies of the chains traffic enters.
 */
import { AddressSet } from '../addresses/addressSet';
import { IPV4, IPV6, type AddressArray, type Family } from '../addresses/family';
import { IntervalBuilder } from '../addresses/intervalBuilder';
import type { BlocklistDocument } from '../document/document';
import { decidesEvery, iptablesModel, scopeName, type IptablesModel } from '../formats/iptables';
import { addressOf, plainIn, type ChainGraph, type Dimension } from '../formats/iptablesGraph';
import type { Chain, KernelRule, WrittenRule } from '../formats/iptablesRestore';
import { partitionPoint } from '../primitives/search';
import { decide } from './decisions';
import type { EntryFacts } from './entryFacts';
import type { EntryFact, Place, ScopeSet } from './facts';

const DROP = 0;
const ACCEPT = 1;
const RETURN = 2;
type Outcome = typeof DROP | typeof ACCEPT | typeof RETURN;

/**
 * What decided, as a number: an entry by its index, or a place that holds
 * none (an ACCEPT policy, a rule without an address, a chain's end) as
 * -1 - its index in `Places`, whose line is -1 for nowhere.
 */
type Decider = number;
type Places = Place[];

/** A rule of a chain, as one dimension sees it. */
interface Step<A extends number | bigint> {
  /** Its entry, or -1. */
  readonly entry: number;
  readonly lo: A;
  readonly hi: A;
  readonly decider: Decider;
  /** The chain it jumps or goes to. */
  readonly target: Chain | undefined;
}

/** What a chain decides for every address, and what its rules need for their findings. */
interface ChainMap<A extends number | bigint> {
  /** Stretches covering every address, ascending, each with its outcome and decider. */
  readonly los: A[];
  readonly his: A[];
  readonly outcomes: Outcome[];
  readonly deciders: Decider[];
  /** Per stretch, the rule of a sweep that is the first to match its addresses, if one is. */
  readonly matches: (Step<A> | undefined)[];
  /** Its rules, in order. */
  readonly steps: Step<A>[];
  /** Its jumps to chains whose decisions depend on the address, with the addresses that reach them. */
  readonly sites: JumpSite<A>[];
  /**
   * Whether traffic its stretches say it decides may go back to its caller:
   * a conditional RETURN (ufw's `-m addrtype … -j RETURN`), or a goto to a
   * chain that may return. Kept out of the decisions, as every condition is,
   * but a rule after a jump to it may still be reached.
   */
  readonly leaky: boolean;
  /** Its rules after a jump to a leaky chain: traffic it returns may reach them, so none is ever said to take no effect. */
  readonly unsure: Step<A>[];
  /** The chains its conditional rules jump or go to (`-p tcp -g A`): some traffic enters them with any address. */
  readonly conditionalTargets: Chain[];
}

/** A jump to a chain whose decisions depend on the address, with the addresses that reach it. */
interface JumpSite<A extends number | bigint> {
  readonly step: Step<A>;
  readonly chain: Chain;
  readonly reach: AddressSet<A>;
}

/** The iptables model of a document, read once per document (the decisions and the fixes both ask). */
const models = new WeakMap<BlocklistDocument, IptablesModel>();

export function iptablesModelOf(document: BlocklistDocument): IptablesModel {
  let model = models.get(document);
  if (model === undefined) models.set(document, (model = iptablesModel(document.text)));
  return model;
}

/** What entry k of an iptables document stands for: an address of a rule, the target of a rule without one (every address), or a chain's policy. */
export function iptablesEntryOf(document: BlocklistDocument, k: number): { readonly kind: 'address' | 'target'; readonly rule: WrittenRule } | { readonly kind: 'policy' } {
  const written = iptablesModelOf(document).ruleset.written;
  const t = document.entries;
  // One rule a line, in text order: the line's, if it has one; a policy line has none.
  const rule = written[partitionPoint(written.length, (n) => written[n].line >= t.line[k])];
  if (rule === undefined || rule.line !== t.line[k]) return { kind: 'policy' };
  return { kind: t.start[k] === rule.targetStart ? 'target' : 'address', rule };
}

/**
 * What each scope of an iptables document blocks, by index in its scopes,
 * for those holding an entry that is not conditional; the findings about
 * entries that never take effect go to `facts`.
 */
export function iptablesDecisions(document: BlocklistDocument, facts: EntryFacts): Map<number, ScopeSet> {
  const model = iptablesModelOf(document);
  const places: Places = [];
  const blocked = { 4: new Map<string, AddressSet<number>>(), 6: new Map<string, AddressSet<bigint>>() };
  const findings: EntryFindings = { effective: new Set(), idle: new Map() };
  const t = document.entries;
  for (const [table, graph] of model.graphs) {
    for (const dimension of ['source', 'destination'] as const) {
      if (table.family === 4) new ChainEvaluation(document, graph, IPV4, t.lo4, t.hi4, dimension, places).collect(blocked[4], findings);
      else new ChainEvaluation(document, graph, IPV6, t.lo6, t.hi6, dimension, places).collect(blocked[6], findings);
    }
  }
  for (const fact of entryFacts(document, findings, places)) facts.push(fact);

  const sets = new Map<number, ScopeSet>();
  const counts = document.scopes.map(() => ({ decisive: false, entries4: 0, entries6: 0 }));
  for (let k = 0; k < t.count; k++) {
    if (t.conditional[k]) continue;
    const count = counts[t.scope[k]];
    count.decisive = true;
    if (!t.allow[k]) count[t.version[k] === 4 ? 'entries4' : 'entries6']++;
  }
  document.scopes.forEach((scope, s) => {
    if (!counts[s].decisive) return;
    const blocked4 = blocked[4].get(scope.name) ?? AddressSet.empty(IPV4);
    const blocked6 = blocked[6].get(scope.name) ?? AddressSet.empty(IPV6);
    sets.set(s, { scope: s, entries4: counts[s].entries4, entries6: counts[s].entries6, blocked4, blocked6 });
  });
  return sets;
}

/** Per entry: whether it takes effect anywhere, and where it does not, the deciders and outcomes of its addresses. */
interface EntryFindings {
  readonly effective: Set<number>;
  readonly idle: Map<number, { readonly policy: boolean; readonly deciders: Map<number, Outcome> }>;
}

/** One table's chains, in one family and one dimension. */
class ChainEvaluation<A extends number | bigint> {
  private readonly maps = new Map<Chain, ChainMap<A> | null>();
  /** What each root decides in the end (`final`), worked out once. */
  private readonly finals = new Map<Chain, ChainMap<A>>();
  private readonly everything: AddressSet<A>;
  /** The chains traffic a leaky chain returned may enter: jumped to by a rule after a jump to a leaky chain, and the chains they jump to. */
  private readonly unsure = new Set<Chain>();

  constructor(
    private readonly document: BlocklistDocument,
    private readonly graph: ChainGraph,
    private readonly family: Family<A>,
    /** The entries' bounds in this family. */
    private readonly los: AddressArray<A>,
    private readonly his: AddressArray<A>,
    private readonly dimension: Dimension,
    private readonly places: Places,
  ) {
    const builder = new IntervalBuilder(family, 1);
    builder.add(family.zero, family.max);
    this.everything = builder.build();
  }

  /** Adds what each scope of the table blocks in this dimension to `blocked`, by scope name, and the entries' findings. */
  collect(blocked: Map<string, AddressSet<A>>, findings: EntryFindings): void {
    const graph = this.graph;
    const table = graph.table;
    // What a chain drops, as a set made at once rather than a builder kept per scope to the end (a file may have a chain per rule).
    const add = (chain: Chain, drops: AddressSet<A>) => {
      if (drops.isEmpty) return;
      const name = scopeName(table.name, chain.name, this.dimension);
      const known = blocked.get(name);
      blocked.set(name, known ? known.union(drops) : drops);
    };
    if (!this.anyRuleDecides()) {
      // Every chain returns every address: a DROP policy blocks them all, and takes effect. What the maps below would
      // work out, without a map per chain (most files match on sources only; a file may have a chain per rule).
      for (const root of graph.roots) {
        if (!root.builtin || root.policy?.verdict !== 'drop') continue;
        add(root, this.everything);
        const policy = this.entryAt(root.policy.start);
        if (policy >= 0) findings.effective.add(policy);
      }
      return;
    }
    const entering = this.entering();
    this.markUnsure();
    // forEach rather than for…of: no [chain, map] pair made per chain (a file may have a chain per rule).
    this.maps.forEach((map, chain) => {
      if (!map) return;
      const enters = entering.get(chain) ?? AddressSet.empty(this.family);
      if (graph.isRoot(chain)) {
        add(chain, this.drops(this.final(chain)));
      } else if (graph.home(chain, this.dimension) === chain) {
        // A chain several roots share: what it drops of the traffic they send it.
        add(chain, this.drops(map, enters));
      }
      this.findings(chain, map, enters, findings);
    });
  }

  /** The addresses a map drops, of those in `within` where given. */
  private drops(map: ChainMap<A>, within?: AddressSet<A>): AddressSet<A> {
    const builder = new IntervalBuilder(this.family, map.los.length);
    forEachStretch(map, (lo, hi, outcome) => {
      if (outcome !== DROP) return;
      if (within) forEachPart(within, lo, hi, (a, b) => builder.add(a, b));
      else builder.add(lo, hi);
    });
    return builder.build();
  }

  /** The map of a chain, worked out once; undefined inside a loop (the kernel refuses it: the jump then counts for nothing). */
  private mapOf(chain: Chain): ChainMap<A> | undefined {
    const known = this.maps.get(chain);
    if (known !== undefined) return known ?? undefined;
    this.maps.set(chain, null);
    const map = this.work(chain);
    this.maps.set(chain, map);
    return map;
  }

  private work(chain: Chain): ChainMap<A> {
    const family = this.family;
    // What is decided, as it is found: runs and jumps in turn, each ascending.
    const out = { los: [] as A[], his: [] as A[], outcomes: [] as Outcome[], deciders: [] as Decider[], matches: [] as (Step<A> | undefined)[] };
    const decided = (lo: A, hi: A, outcome: Outcome, decider: Decider, match?: Step<A>) => {
      out.los.push(lo);
      out.his.push(hi);
      out.outcomes.push(outcome);
      out.deciders.push(decider);
      out.matches.push(match);
    };
    const steps: Step<A>[] = [];
    const sites: JumpSite<A>[] = [];
    const unsure: Step<A>[] = [];
    const conditionalTargets: Chain[] = [];
    let [leaky, leaked] = [false, false];
    let undecided = this.everything;
    const run: Step<A>[] = [];
    const outcomes: Outcome[] = [];
    // Rules with no jump between them: the first that matches decides, of the addresses still undecided.
    const sweep = () => {
      if (run.length === 0) return;
      if (run.length === 1) {
        // One rule decides all it holds of what is still undecided: no sweep to find which (a file may have a chain per rule).
        const step = run[0];
        forEachPart(undecided, step.lo, step.hi, (lo, hi) => decided(lo, hi, outcomes[0], step.decider, step));
        undecided = undecided.difference(AddressSet.range(family, step.lo, step.hi));
        run.length = outcomes.length = 0;
        return;
      }
      // The rules in order, each its own priority.
      const order = new Uint32Array(run.length);
      const priority = new Float64Array(run.length);
      for (let n = 0; n < run.length; n++) order[n] = priority[n] = n;
      const { stretches } = decide({ family, entries: order, los: run.map((step) => step.lo), his: run.map((step) => step.hi), allow: new Uint8Array(run.length) }, priority);
      const { los, his, winners } = stretches;
      const matched = new IntervalBuilder(family, stretches.count);
      for (let s = 0; s < stretches.count; s++) {
        matched.add(los[s], his[s]);
        const step = run[winners[s]];
        forEachPart(undecided, los[s], his[s], (lo, hi) => decided(lo, hi, outcomes[winners[s]], step.decider, step));
      }
      undecided = undecided.difference(matched.build());
      run.length = outcomes.length = 0;
    };
    const add = (step: Step<A>, outcome: Outcome) => {
      run.push(step);
      outcomes.push(outcome);
    };
    for (const kernel of chain.rules) {
      const step = this.stepOf(kernel);
      if (!step) {
        leaky ||= this.leaksThrough(kernel);
        const target = kernel.rule.action === 'jump' || kernel.rule.action === 'goto' ? this.graph.target(kernel) : undefined;
        if (target) conditionalTargets.push(target);
        continue;
      }
      steps.push(step);
      if (leaked) unsure.push(step);
      const action = kernel.rule.action;
      if (action === 'drop' || action === 'accept' || action === 'return') {
        add(step, action === 'drop' ? DROP : action === 'accept' ? ACCEPT : RETURN);
        continue;
      }
      const sub = this.mapOf(step.target!);
      if (!sub) continue;
      if (sub.leaky && action === 'goto') leaky = true;
      else if (sub.leaky) leaked = true;
      if (sub.los.length === 1) {
        // The same for every address: a rule like the others (a jump to a chain that returns everything decides nothing).
        if (sub.outcomes[0] !== RETURN || action === 'goto') add(step, sub.outcomes[0]);
        continue;
      }
      sweep();
      const reach = undecided.clip(step.lo, step.hi);
      sites.push({ step, chain: step.target!, reach });
      const handled = new IntervalBuilder(family, 16);
      forEachOverlap(reach, sub, (lo, hi, s) => {
        // What the chain returns goes on after a jump; after a goto, it returns from this chain too.
        if (sub.outcomes[s] === RETURN && action === 'jump') return;
        decided(lo, hi, sub.outcomes[s], sub.deciders[s]);
        handled.add(lo, hi);
      });
      undecided = undecided.difference(handled.build());
    }
    sweep();
    const end = this.decider(-1, chain.line, chain.start, chain.end);
    const rest = out.los.length;
    undecided.forEachRange((lo, hi) => decided(lo, hi, RETURN, end));
    const order = ascendingOrder(out.los, rest);
    // Arrays of their final length, which an array grown by push from empty is not (it reserves room for 17): a file
    // may have a chain per rule, and each chain's map is kept.
    return {
      los: order.map((n) => out.los[n]),
      his: order.map((n) => out.his[n]),
      outcomes: order.map((n) => out.outcomes[n]),
      deciders: order.map((n) => out.deciders[n]),
      matches: order.map((n) => out.matches[n]),
      steps: steps.slice(),
      sites,
      leaky,
      unsure,
      conditionalTargets,
    };
  }

  /** Whether a rule this dimension takes for a condition may send traffic back to the chain's caller: a RETURN, or a goto to a chain that may return. */
  private leaksThrough(kernel: KernelRule): boolean {
    const action = kernel.rule.action;
    if (action === 'return') return true;
    if (action !== 'goto') return false;
    const target = this.graph.target(kernel);
    const sub = target && this.mapOf(target);
    return sub !== undefined && (sub.leaky || sub.outcomes.includes(RETURN));
  }

  /** Whether some rule of the table may decide in this dimension (a step, unless its address is of the other family). */
  private anyRuleDecides(): boolean {
    for (const chain of this.graph.table.chains.values()) {
      if (chain.rules.some((kernel) => plainIn(kernel, this.dimension) && kernel.rule.action !== 'neutral')) return true;
    }
    return false;
  }

  /** A kernel rule as this dimension sees it, or undefined when it decides nothing here (a condition, LOG, an address the file cannot hold). */
  private stepOf(kernel: KernelRule): Step<A> | undefined {
    if (!plainIn(kernel, this.dimension) || kernel.rule.action === 'neutral') return undefined;
    const rule = kernel.rule;
    const address = addressOf(kernel, this.dimension);
    const target = this.graph.target(kernel);
    if (address === undefined) {
      const chain = this.graph.table.chains.get(rule.chain)!;
      const entry = decidesEvery(this.graph, chain, kernel) ? this.entryAt(rule.targetStart) : -1;
      return { entry, lo: this.family.zero, hi: this.family.max, decider: this.decider(entry, rule.line, rule.targetStart, rule.targetEnd), target };
    }
    const entry = this.entryAt(address[0]);
    if (entry < 0) return undefined;
    return { entry, lo: this.los[entry], hi: this.his[entry], decider: this.decider(entry, rule.line, address[0], address[1]), target };
  }

  private entryAt(start: number): number {
    const t = this.document.entries;
    const k = t.firstAtOrAfter(start);
    return k < t.count && t.start[k] === start && t.version[k] === this.family.version ? k : -1;
  }

  private decider(entry: number, line: number, start: number, end: number): Decider {
    return entry >= 0 ? entry : -this.places.push({ line, start, end });
  }

  /** What a root decides in the end: a built-in chain's policy decides what returns from it; what a user chain returns is not blocked. */
  private final(chain: Chain): ChainMap<A> {
    const map = this.mapOf(chain)!;
    if (!chain.builtin) return map;
    let final = this.finals.get(chain);
    if (final) return final;
    const policy = chain.policy;
    const entry = policy?.verdict === 'drop' ? this.entryAt(policy.start) : -1;
    const decider = policy ? this.decider(entry, policy.line, policy.start, policy.end) : this.decider(-1, chain.line, chain.start, chain.end);
    const outcome = policy?.verdict === 'drop' ? DROP : ACCEPT;
    final = {
      ...map,
      outcomes: map.outcomes.map((o) => (o === RETURN ? outcome : o)),
      deciders: map.deciders.map((d, s) => (map.outcomes[s] === RETURN ? decider : d)),
    };
    this.finals.set(chain, final);
    return final;
  }

  /** The addresses that enter each chain, from the roots down through the jumps that reach them. */
  private entering(): Map<Chain, AddressSet<A>> {
    const graph = this.graph;
    for (const root of graph.roots) this.mapOf(root);
    // Callers before the chains they call: the reverse of a depth-first post-order.
    const order: Chain[] = [];
    const seen = new Set<Chain>();
    const visit = (chain: Chain) => {
      seen.add(chain);
      const map = this.maps.get(chain);
      for (const callee of map ? callees(map) : []) if (!seen.has(callee)) visit(callee);
      order.push(chain);
    };
    for (const root of graph.roots) if (!seen.has(root) && this.maps.get(root)) visit(root);
    const pending = new Map<Chain, IntervalBuilder<A>>();
    const entering = new Map<Chain, AddressSet<A>>();
    const send = (chain: Chain, from: AddressSet<A>, lo: A, hi: A) => {
      let builder = pending.get(chain);
      if (!builder) pending.set(chain, (builder = new IntervalBuilder(this.family, 16)));
      forEachPart(from, lo, hi, (a, b) => builder.add(a, b));
    };
    for (const chain of order.reverse()) {
      const enters = graph.isRoot(chain) ? this.everything : (pending.get(chain)?.build() ?? AddressSet.empty(this.family));
      entering.set(chain, enters);
      const map = this.maps.get(chain)!;
      for (const site of map.sites) site.reach.forEachRange((lo, hi) => send(site.chain, enters, lo, hi));
      map.matches.forEach((step, s) => step?.target && send(step.target, enters, map.los[s], map.his[s]));
    }
    return entering;
  }

  /**
   * Fills `unsure`, once every map is worked out: the chains a conditional
   * rule jumps or goes to, and those traffic a leaky chain returned may
   * enter, with the chains they jump to. Some traffic enters them with
   * addresses the decisions do not follow.
   */
  private markUnsure(): void {
    const pending: Chain[] = [];
    const mark = (chain: Chain | undefined) => {
      if (chain === undefined || this.unsure.has(chain)) return;
      this.unsure.add(chain);
      pending.push(chain);
    };
    for (const map of this.maps.values()) {
      for (const step of map?.unsure ?? []) mark(step.target);
      for (const chain of map?.conditionalTargets ?? []) mark(chain);
    }
    for (let chain = pending.pop(); chain !== undefined; chain = pending.pop()) {
      const map = this.maps.get(chain);
      for (const step of map?.steps ?? []) mark(step.target);
      for (const target of map?.conditionalTargets ?? []) mark(target);
    }
  }

  /** Marks the steps of a chain that take effect; for the others, what decides their addresses instead. */
  private findings(chain: Chain, map: ChainMap<A>, enters: AddressSet<A>, findings: EntryFindings): void {
    if (this.unsure.has(chain)) {
      // Reached by traffic of a condition, or that a leaky chain returned: every rule may take effect.
      for (const step of map.steps) if (step.entry >= 0) findings.effective.add(step.entry);
    }
    if (!enters.isEmpty) for (const step of map.unsure) if (step.entry >= 0) findings.effective.add(step.entry);
    map.matches.forEach((step, s) => step && step.entry >= 0 && enters.overlaps(map.los[s], map.his[s]) && findings.effective.add(step.entry));
    for (const site of map.sites) if (site.step.entry >= 0 && !site.reach.intersection(enters).isEmpty) findings.effective.add(site.step.entry);
    const roots = this.graph.rootsReaching(chain, this.dimension).filter((root) => root !== chain);
    // In a root, what returns is decided by its policy.
    const decided = this.graph.isRoot(chain) ? this.final(chain) : map;
    for (const step of map.steps) {
      // A rule only conditions reach (a chain a port rule jumps to) is found no more than conditional.
      if (step.entry < 0 || findings.effective.has(step.entry) || this.document.entries.conditional[step.entry]) continue;
      const idle = this.idle(findings, step.entry, false);
      // Addresses that enter the chain are decided before the rule; the others, by the chains traffic enters.
      forEachOverlap(enters.clip(step.lo, step.hi), decided, (_lo, _hi, s) => idle.set(decided.deciders[s], decided.outcomes[s]));
      const outside = this.everything.clip(step.lo, step.hi).difference(enters);
      if (outside.isEmpty) continue;
      for (const root of roots) {
        const final = this.final(root);
        forEachOverlap(outside, final, (_lo, _hi, s) => idle.set(final.deciders[s], final.outcomes[s]));
      }
    }
    const policy = chain.builtin && chain.policy?.verdict === 'drop' ? this.entryAt(chain.policy.start) : -1;
    if (policy < 0 || findings.effective.has(policy)) return;
    if (map.outcomes.includes(RETURN) || map.leaky || map.unsure.length > 0) findings.effective.add(policy);
    else {
      const idle = this.idle(findings, policy, true);
      map.deciders.forEach((d, s) => idle.set(d, map.outcomes[s]));
    }
  }

  private idle(findings: EntryFindings, entry: number, policy: boolean): Map<number, Outcome> {
    let idle = findings.idle.get(entry);
    if (!idle) findings.idle.set(entry, (idle = { policy, deciders: new Map() }));
    return idle.deciders;
  }
}

/**
 * The findings of the entries that take effect nowhere: shadowed when some
 * of what decides their addresses instead decides the other way, else a
 * duplicate of an equal entry among those, else covered. A DROP policy
 * that never decides is only ever shadowed: it is no rule to remove.
 */
function entryFacts(document: BlocklistDocument, findings: EntryFindings, places: Places): EntryFact[] {
  const t = document.entries;
  const facts: EntryFact[] = [];
  for (const [k, { policy, deciders }] of findings.idle) {
    if (findings.effective.has(k)) continue;
    const blocks = t.allow[k] === 0;
    const others = [...deciders]
      .filter(([decider]) => decider !== k)
      .map(([decider, outcome]) => ({ decider, blocks: outcome === DROP }))
      .sort((a, b) => rank(places, a.decider) - rank(places, b.decider));
    const opposite = others.find((other) => other.blocks !== blocks);
    const fact = (code: EntryFact['code'], decider: Decider | undefined): EntryFact => {
      if (decider === undefined || decider >= 0) return { code, entry: k, other: decider ?? -1 };
      const place = places[-decider - 1];
      return { code, entry: k, other: -1, at: place.line >= 0 ? place : undefined };
    };
    if (opposite) facts.push(fact('shadowed', opposite.decider));
    else if (!policy) {
      const same = others.find(({ decider }) => decider >= 0 && t.lo(decider) === t.lo(k) && t.hi(decider) === t.hi(k));
      facts.push(same ? fact('duplicate', same.decider) : fact('covered', others[0]?.decider));
    }
  }
  return facts;
}

/** Entries first, in document order; then the places holding none, by line; nowhere last. */
function rank(places: Places, decider: Decider): number {
  if (decider >= 0) return decider;
  const line = places[-decider - 1].line;
  return line >= 0 ? 2 ** 32 + line : 2 ** 53;
}

/** The chains a map's rules hand addresses to. */
function callees<A extends number | bigint>(map: ChainMap<A>): Chain[] {
  const chains = new Set<Chain>(map.sites.map((site) => site.chain));
  for (const step of map.matches) if (step?.target) chains.add(step.target);
  return [...chains];
}

/**
 * The indices of `los`, distinct stretch starts, by value ascending. From
 * `rest` on they ascend (what no rule decided, the chain's end); before it
 * too when no jump came between runs of rules (the common case): then the
 * two are merged, with no sort.
 */
function ascendingOrder<A extends number | bigint>(los: readonly A[], rest: number): number[] {
  const order: number[] = [];
  for (let n = 1; n < rest; n++) {
    if (los[n] >= los[n - 1]) continue;
    for (let k = 0; k < los.length; k++) order.push(k);
    return order.sort((a, b) => (los[a] < los[b] ? -1 : 1));
  }
  let [i, j] = [0, rest];
  while (i < rest || j < los.length) order.push(j === los.length || (i < rest && los[i] < los[j]) ? i++ : j++);
  return order;
}

function forEachStretch<A extends number | bigint>(map: ChainMap<A>, visit: (lo: A, hi: A, outcome: Outcome) => void): void {
  for (let s = 0; s < map.los.length; s++) visit(map.los[s], map.his[s], map.outcomes[s]);
}

/** Calls `visit(lo, hi)` for each part of [lo, hi] inside `set`, ascending (`set.clip`, without a set). */
function forEachPart<A extends number | bigint>(set: AddressSet<A>, lo: A, hi: A, visit: (lo: A, hi: A) => void): void {
  for (let k = partitionPoint(set.rangeCount, (n) => set.end(n) >= lo); k < set.rangeCount && set.start(k) <= hi; k++) {
    visit(set.start(k) > lo ? set.start(k) : lo, set.end(k) < hi ? set.end(k) : hi);
  }
}

/** Calls `visit(lo, hi, s)` for each overlap of a range of `set` with stretch s of `map`, ascending. */
function forEachOverlap<A extends number | bigint>(set: AddressSet<A>, map: ChainMap<A>, visit: (lo: A, hi: A, stretch: number) => void): void {
  if (set.isEmpty) return;
  let s = partitionPoint(map.his.length, (n) => map.his[n] >= set.start(0));
  set.forEachRange((lo, hi) => {
    while (s < map.his.length && map.his[s] < lo) s++;
    for (let n = s; n < map.los.length && map.los[n] <= hi; n++) visit(map.los[n] > lo ? map.los[n] : lo, map.his[n] < hi ? map.his[n] : hi, n);
  });
}
