/**
 * Which chains of an iptables table decide for whose traffic, from the
 * jumps alone (no address is looked at): the chains traffic enters, which
 * of them reach each chain, the chains that decide the same for every
 * address, and the loops the kernel refuses.
 *
 * Traffic enters a table at its built-in chains. A user chain no rule
 * jumps to is entered too, as if jumped to with every address: it is most
 * often a blocklist chain loaded for rules elsewhere to jump to. Addresses
 * are looked at one dimension at a time, sources or destinations, as the
 * scopes are: a rule decides for the traffic of a dimension when it matches
 * on nothing but, at most, addresses of that dimension (`plainIn`); a jump
 * that matches on more (a port, a destination for sources) sends only some
 * traffic on, and a chain only such jumps reach decides for no traffic as
 * such: its rules are conditional.
 */
import type { Chain, KernelRule, Table } from './iptablesRestore';

export type Dimension = 'source' | 'destination';

/** What a chain decides for every address: drop, accept, or nothing (it returns to its caller). */
export type Constant = 'drop' | 'accept' | 'return';

/** Whether a kernel rule matches every packet of dimension `dimension`, but for, at most, an address of that dimension. */
export function plainIn(kernel: KernelRule, dimension: Dimension): boolean {
  return !kernel.rule.conditional && (dimension === 'source' ? kernel.destination < 0 : kernel.source < 0);
}

/** The start and end of a kernel rule's address of `dimension`, or undefined when it has none (it holds every address). */
export function addressOf(kernel: KernelRule, dimension: Dimension): readonly [number, number] | undefined {
  const n = dimension === 'source' ? kernel.source : kernel.destination;
  if (n < 0) return undefined;
  const spans = dimension === 'source' ? kernel.rule.sources : kernel.rule.destinations;
  return [spans[2 * n], spans[2 * n + 1]];
}

/** A loop a built-in chain reaches: iptables-restore refuses the file at the rule that closes it. */
export interface Loop {
  readonly closing: KernelRule;
  /** The chains around it, from the one the closing rule jumps to. */
  readonly chains: readonly string[];
  /** The jumps around it: jumps[n] leaves chains[n]. */
  readonly jumps: readonly KernelRule[];
}

export class ChainGraph {
  /** The built-in chains, then user chains no rule jumps to, then a chain of each loop nothing else reaches. */
  readonly roots: readonly Chain[];
  /** The roots as a set: a file of one rule per chain has as many roots as rules. */
  private readonly rootSet: ReadonlySet<Chain>;
  readonly loops: readonly Loop[];
  private readonly reachedBy = { source: new Map<Chain, Chain[]>(), destination: new Map<Chain, Chain[]>() };
  private readonly whole = new Set<Chain>();
  private readonly constants = { source: new Map<Chain, Constant | undefined>(), destination: new Map<Chain, Constant | undefined>() };

  constructor(readonly table: Table) {
    this.roots = rootsOf(table);
    this.rootSet = new Set(this.roots);
    this.loops = loopsOf(table);
    for (const dimension of ['source', 'destination'] as const) {
      for (const root of this.roots)
        this.walk(
          root,
          (kernel) => plainIn(kernel, dimension),
          (chain) => addTo(this.reachedBy[dimension], chain, root),
        );
    }
    const whole = (kernel: KernelRule) => !kernel.rule.conditional && kernel.source < 0 && kernel.destination < 0;
    for (const root of this.roots) this.walk(root, whole, (chain) => this.whole.add(chain));
  }

  /** The chain a rule jumps or goes to, if it does. */
  target(kernel: KernelRule): Chain | undefined {
    return targetIn(this.table, kernel);
  }

  isRoot(chain: Chain): boolean {
    return this.rootSet.has(chain);
  }

  /** The roots whose traffic of `dimension` reaches `chain` by plain jumps (itself, for a root). */
  rootsReaching(chain: Chain, dimension: Dimension): readonly Chain[] {
    return this.reachedBy[dimension].get(chain) ?? [];
  }

  /** Reached with every address: a root, or a chain an unconditional jump without an address leads to from one. */
  reachedWhole(chain: Chain): boolean {
    return this.whole.has(chain);
  }

  /**
   * The chain whose traffic the chain's rules of `dimension` decide for: a
   * root's own; the one root that reaches it; itself when several do (a
   * chain they share) or none does (its rules are conditional).
   */
  home(chain: Chain, dimension: Dimension): Chain {
    const roots = this.rootsReaching(chain, dimension);
    return roots.length === 1 ? roots[0] : chain;
  }

  /** Whether some root's traffic of `dimension` reaches the chain by plain jumps. */
  reached(chain: Chain, dimension: Dimension): boolean {
    return this.rootsReaching(chain, dimension).length > 0;
  }

  /**
   * What the chain decides for every address of `dimension`, when its rules
   * of that dimension hold no address (a LOG-and-DROP chain): drop, accept,
   * or nothing (return); undefined when it depends on the address.
   */
  constant(chain: Chain, dimension: Dimension): Constant | undefined {
    const known = this.constants[dimension];
    if (known.has(chain)) return known.get(chain);
    known.set(chain, undefined); // a loop depends on itself: no constant
    let verdict: Constant | undefined = 'return';
    for (const kernel of chain.rules) {
      if (!plainIn(kernel, dimension) || kernel.rule.action === 'neutral') continue;
      if (addressOf(kernel, dimension) !== undefined) {
        verdict = undefined;
        break;
      }
      const action = kernel.rule.action;
      const target = this.target(kernel);
      const decided = target ? this.constant(target, dimension) : (action as Constant);
      // A jump to a chain that decides nothing goes on; anything else ends the chain here.
      if (decided !== 'return' || action !== 'jump') {
        verdict = decided;
        break;
      }
    }
    known.set(chain, verdict);
    return verdict;
  }

  /** Visits every chain reachable from `root` by the rules `follows` takes, root included, each once. */
  private walk(root: Chain, follows: (kernel: KernelRule) => boolean, visit: (chain: Chain) => void): void {
    // The chains seen besides the root, in a set made at the first jump: a file may have a root per rule, jumping nowhere.
    let seen: Set<Chain> | undefined;
    const stack = [root];
    while (stack.length > 0) {
      const chain = stack.pop()!;
      visit(chain);
      for (const kernel of chain.rules) {
        const target = follows(kernel) ? this.target(kernel) : undefined;
        if (target && target !== root && !seen?.has(target)) {
          (seen ??= new Set()).add(target);
          stack.push(target);
        }
      }
    }
  }
}

function addTo(map: Map<Chain, Chain[]>, chain: Chain, root: Chain): void {
  const roots = map.get(chain);
  if (roots) roots.push(root);
  else map.set(chain, [root]);
}

function targetIn(table: Table, kernel: KernelRule): Chain | undefined {
  const action = kernel.rule.action;
  return action === 'jump' || action === 'goto' ? table.chains.get(kernel.rule.target) : undefined;
}

function rootsOf(table: Table): Chain[] {
  const chains = [...table.chains.values()];
  const jumpedTo = new Set<Chain>();
  for (const chain of chains) {
    for (const kernel of chain.rules) {
      const target = targetIn(table, kernel);
      if (target) jumpedTo.add(target);
    }
  }
  const roots = chains.filter((chain) => chain.builtin);
  roots.push(...chains.filter((chain) => !chain.builtin && !jumpedTo.has(chain)));
  // Chains only loops reach: the first of each, in the file's order, is entered as a root.
  const reached = new Set<Chain>();
  const reach = (from: Chain) => {
    const stack = [from];
    while (stack.length > 0) {
      const chain = stack.pop()!;
      if (reached.has(chain)) continue;
      reached.add(chain);
      for (const kernel of chain.rules) {
        const target = targetIn(table, kernel);
        if (target) stack.push(target);
      }
    }
  };
  roots.forEach(reach);
  for (const chain of chains) {
    if (reached.has(chain)) continue;
    roots.push(chain);
    reach(chain);
  }
  return roots;
}

/** The loops the built-in chains reach, each once, by any jump or goto (the kernel refuses them whatever their conditions). */
function loopsOf(table: Table): Loop[] {
  const loops: Loop[] = [];
  const closing = new Set<KernelRule>();
  const state = new Map<Chain, 'open' | 'done'>();
  // The path of chains and of the rules between them, depth first.
  const path: Chain[] = [];
  const via: KernelRule[] = [];
  const visit = (chain: Chain) => {
    state.set(chain, 'open');
    path.push(chain);
    for (const kernel of chain.rules) {
      const target = targetIn(table, kernel);
      if (!target) continue;
      if (state.get(target) === 'open') {
        // The loop is the path from `target` to here, and this rule: the kernel refuses the rule added last.
        const from = path.indexOf(target);
        const rules = [...via.slice(from), kernel];
        const last = rules.reduce((a, b) => (b.rule.line > a.rule.line ? b : a));
        if (!closing.has(last)) {
          closing.add(last);
          loops.push({ closing: last, chains: [...path.slice(from), target].map((c) => c.name), jumps: rules });
        }
      } else if (!state.has(target)) {
        via.push(kernel);
        visit(target);
        via.pop();
      }
    }
    path.pop();
    state.set(chain, 'done');
  };
  for (const chain of table.chains.values()) if (chain.builtin && !state.has(chain)) visit(chain);
  return loops;
}
