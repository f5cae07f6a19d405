/**
 * iptables-save and ip6tables-save output, restore files, and the
 * `iptables -A …` lines of a script, read as the kernel evaluates them
 * (iptables(8)): each built-in chain of each table decides its traffic by
 * the first rule that matches, rules in the order iptables-restore leaves
 * them (`-I`, `-D`, `-R` applied: iptablesRestore.ts), jumps followed into
 * user chains, RETURN (and a user chain's end) going back after the jump,
 * and the chain's policy deciding what no rule does.
 *
 * The entries are the addresses of `-s`/`--source`/`--src` and
 * `-d`/`--destination`/`--dst` (comma lists), and of `-m iprange
 * --src-range a-b`/`--dst-range`. A rule decides for sources, or for
 * destinations, as a scope of its own each (`filter/INPUT`, `filter/INPUT
 * -d`); its chain's scope is the built-in chain whose traffic it decides
 * (iptablesGraph.ts): its own, the one built-in chain that jumps to it, or
 * itself when several do or none does (a blocklist chain loaded to be
 * jumped to). DROP, REJECT and TARPIT block; ACCEPT and RETURN except; a
 * jump blocks, or excepts, as the chain it goes to does for every address,
 * and blocks where that depends on the address; LOG and the other targets
 * that decide nothing, and rules without a target, yield no entry. A rule
 * that matches on anything else too — a protocol, a port, an interface, a
 * negation, both a source and a destination, both `-s` and `--src-range`
 * (the kernel takes the addresses in both) — or that only such jumps
 * reach decides only for that traffic: its entries are conditional.
 *
 * What decides every address has an entry of every address of the file's
 * family, so that it is counted and the overbroad finding says so: a DROP
 * policy, on its word, and a rule without an address that drops or accepts
 * (itself, or by the chain it jumps to) where every address can reach it.
 * What iptables-restore refuses is not read here: `restoreRefusals` gives
 * it to the loader checks (analysis/loaderChecks.ts).
 */
import type { EntryMeaning, EntryRole, Format, TokenSink } from './format';
import { ChainGraph, type Dimension, type Loop } from './iptablesGraph';
import { everyAddress } from './lines';
import { byPlace, familyOf, OCTAL_LOADER, readRuleset, refusal, type Chain, type KernelRule, type Refusal, type Ruleset, type Table, type WrittenRule } from './iptablesRestore';

export const iptables: Format = {
  id: 'iptables',
  label: 'iptables-save',
  read: (text, sink) => emitEntries(text, iptablesModel(text), sink),
  octalOctets: OCTAL_LOADER,
  evaluation: 'first-match',
  scopeKind: 'chain',
};

/** A file read as iptables-restore reads it, with each table's chain graph. */
export interface IptablesModel {
  readonly ruleset: Ruleset;
  readonly graphs: ReadonlyMap<Table, ChainGraph>;
}

/** The model of the text read last: the reader, then the analysis, read a document's text one after the other. */
let last: { readonly text: string; readonly model: IptablesModel } | undefined;

export function iptablesModel(text: string): IptablesModel {
  if (last?.text !== text) {
    const ruleset = readRuleset(text);
    last = { text, model: { ruleset, graphs: new Map(ruleset.tables.map((table) => [table, new ChainGraph(table)])) } };
  }
  return last.model;
}

/** What iptables-restore refuses in the file (none in a script), in line order: the reader's refusals and the loops a built-in chain reaches. */
export function restoreRefusals({ ruleset, graphs }: IptablesModel): readonly Refusal[] {
  // A loop only loads where no built-in chain reaches it; in a script the kernel's chains may.
  const loops = ruleset.restore ? [...graphs.values()].flatMap((graph) => graph.loops.map(loopRefusal)) : [];
  return loops.length === 0 ? ruleset.refusals : [...ruleset.refusals, ...loops].sort(byPlace);
}

/** A loop, refused at the jump that closes it, with the other jumps around it. */
function loopRefusal({ closing, chains, jumps }: Loop): Refusal {
  const rule = closing.rule;
  return {
    line: rule.line,
    start: rule.targetStart,
    end: rule.targetEnd,
    message: refusal(rule.family, `RULE_APPEND failed (Too many links): this jump closes a loop (${chains.join(' → ')}). Remove one of its jumps.`),
    related: jumps
      .filter((jump) => jump !== closing)
      .map(({ rule: jump }) => ({ line: jump.line, start: jump.targetStart, end: jump.targetEnd, message: `Jumps from ${jump.chain} to ${jump.target}, in the loop.` })),
  };
}

/** The scope of a chain's rules of a dimension: `filter/INPUT`, `filter/INPUT -d`. */
export function scopeName(table: string, chain: string, dimension: Dimension): string {
  return `${table}/${chain}${dimension === 'destination' ? ' -d' : ''}`;
}

/**
 * What a rule's match does for an address of `dimension`: block, except,
 * or nothing (undefined: LOG, or a jump to a chain that decides nothing).
 * A jump does what its chain does for every address, and blocks where that
 * depends on the address: a rule that sends addresses to a chain of their
 * own is most often a blocklist's.
 */
export function roleOf(graph: ChainGraph, kernel: KernelRule, dimension: Dimension): EntryRole | undefined {
  const action = kernel.rule.action;
  if (action === 'neutral') return undefined;
  if (action === 'drop') return 'block';
  if (action === 'accept' || action === 'return') return 'allow';
  const decided = graph.constant(graph.target(kernel)!, dimension);
  if (decided === 'return') return action === 'goto' ? 'allow' : undefined;
  return decided === 'accept' ? 'allow' : 'block';
}

/** Whether a rule without an address has an entry of every address: it drops or accepts, where every address can reach it. */
export function decidesEvery(graph: ChainGraph, chain: Chain, kernel: KernelRule): boolean {
  const rule = kernel.rule;
  if (rule.conditional || rule.sources.length > 0 || rule.destinations.length > 0 || !graph.reachedWhole(chain)) return false;
  const action = rule.action;
  const decided = action === 'jump' || action === 'goto' ? graph.constant(graph.target(kernel)!, 'source') : action;
  return decided === 'drop' || decided === 'accept';
}

/** Something to write in text order: an entry, a policy's entry or a problem, on its line. */
interface Pending {
  readonly line: number;
  readonly start: number;
  readonly emit: () => void;
}

function emitEntries(text: string, { ruleset, graphs }: IptablesModel, sink: TokenSink): void {
  // Policies and problems are few: sorted apart, then merged with the rules, which are in text order.
  const others: Pending[] = ruleset.problems.map((problem) => ({ line: problem.line, start: problem.start, emit: () => sink.problem(problem, problem.line) }));
  for (const table of graphs.keys()) {
    for (const chain of table.chains.values()) {
      const policy = chain.policy;
      if (policy?.verdict !== 'drop') continue;
      const meaning: EntryMeaning = { role: 'block', scope: scopeName(table.name, chain.name, 'source') };
      others.push({ line: policy.line, start: policy.start, emit: () => sink.entry(policy.start, policy.end, policy.line, everyAddress(table.family), meaning) });
    }
  }
  others.sort((a, b) => a.line - b.line || a.start - b.start);
  const writer = new RuleWriter(text, graphs, sink);
  let next = 0;
  for (const rule of ruleset.written) {
    while (next < others.length && others[next].line < rule.line) others[next++].emit();
    writer.write(rule);
  }
  while (next < others.length) others[next++].emit();
}

/** Writes rules' entries; what an entry means is the same for every rule of a chain alike, so it is made once. */
class RuleWriter {
  /** Per chain, by dimension, role and condition (`meaningIndex`). */
  private readonly meanings = new Map<Chain, EntryMeaning[]>();

  constructor(
    private readonly text: string,
    private readonly graphs: ReadonlyMap<Table, ChainGraph>,
    private readonly sink: TokenSink,
  ) {}

  /** The entries of a rule's addresses still in its chain, in text order, or the entry of every address of a rule without one. */
  write(rule: WrittenRule): void {
    // A rule deleted, flushed or replaced with its table has no entry; the kernel rules left are all in one chain.
    const kept = rule.kernels.find((kernel) => kernel.chain !== undefined);
    if (kept === undefined) return;
    const chain = kept.chain!;
    const graph = this.graphs.get(rule.table)!;
    if (rule.sources.length === 0 && rule.destinations.length === 0) {
      if (decidesEvery(graph, chain, kept))
        this.sink.entry(rule.targetStart, rule.targetEnd, rule.line, everyAddress(rule.family), this.meaning(graph, chain, kept, 'source', false));
      return;
    }
    // A rule on a source and a destination at once decides only for the pairs.
    const both = rule.sources.length > 0 && rule.destinations.length > 0;
    const conditional = rule.conditional || both;
    if (rule.kernels.length === 1 && !both) {
      const [list, n, dimension] = kept.source >= 0 ? [rule.sources, kept.source, 'source' as const] : [rule.destinations, kept.destination, 'destination' as const];
      this.address(rule, list[2 * n], list[2 * n + 1], this.meaning(graph, chain, kept, dimension, conditional));
      return;
    }
    // The addresses still in the chain, sources and destinations by place: either may come first, and a list of both holds each in several pairs.
    const spans: [number, number, Dimension][] = [];
    for (const kernel of rule.kernels) {
      if (kernel.chain === undefined) continue;
      if (kernel.source >= 0) spans.push([rule.sources[2 * kernel.source], rule.sources[2 * kernel.source + 1], 'source']);
      if (kernel.destination >= 0) spans.push([rule.destinations[2 * kernel.destination], rule.destinations[2 * kernel.destination + 1], 'destination']);
    }
    spans.sort((a, b) => a[0] - b[0]);
    spans.forEach(([start, end, dimension], n) =>
      n > 0 && spans[n - 1][0] === start ? undefined : this.address(rule, start, end, this.meaning(graph, chain, kept, dimension, conditional)),
    );
  }

  /** An address's entry; one of the other family is the loader's refusal (a problem), not an entry. */
  private address(rule: WrittenRule, start: number, end: number, meaning: EntryMeaning | undefined): void {
    if (meaning && familyOf(this.text, start, end) === rule.family) this.sink.entry(start, end, rule.line, undefined, meaning);
  }

  /** What an entry of a rule of `chain` means in `dimension`, or undefined when the rule decides nothing there (LOG). */
  private meaning(graph: ChainGraph, chain: Chain, kernel: KernelRule, dimension: Dimension, conditional: boolean): EntryMeaning | undefined {
    const role = roleOf(graph, kernel, dimension);
    if (role === undefined) return undefined;
    let meanings = this.meanings.get(chain);
    if (!meanings) this.meanings.set(chain, (meanings = []));
    const at = (dimension === 'destination' ? 4 : 0) + (role === 'allow' ? 2 : 0) + (conditional ? 1 : 0);
    return (meanings[at] ??= {
      role,
      scope: scopeName(graph.table.name, graph.home(chain, dimension).name, dimension),
      conditional: conditional || !graph.reached(chain, dimension),
    });
  }
}
