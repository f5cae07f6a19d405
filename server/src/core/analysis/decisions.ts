/**
 * How a scope that is not a plain union decides each address, exactly: one
 * sweep over the scope's entries finds, for every stretch of addresses, the
 * entry that decides it — the first in order (nginx, iptables) or the most
 * specific (ipset hash:net with `nomatch`, pf tables with `!`). From that
 * come the addresses the scope blocks and, per entry, whether removing it
 * could change a decision.
 */
import { AddressSet } from '../addresses/addressSet';
import type { AddressArray, Family } from '../addresses/family';
import { IntervalBuilder } from '../addresses/intervalBuilder';
import { partitionPoint } from '../primitives/search';
import type { EntryFact } from './facts';

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
  readonly deciding: Set<number>;
}

/**
 * The first entry in order decides. An entry that decides nothing is covered
 * (the entries that decide its addresses all decide as it would) or shadowed
 * (some decide the other way: it never fires). Removing an entry that decides
 * nothing changes no decision, whichever others are removed with it.
 */
export function firstMatch<A extends number | bigint>(scope: ScopeEntries<A>, facts: EntryFact[]): ScopeOutcome<A> {
  const priority = new Float64Array(scope.entries.length);
  for (let n = 0; n < priority.length; n++) priority[n] = n;
  const sweep = decide(scope, priority);
  for (let n = 0; n < scope.entries.length; n++) {
    const k = scope.entries[n];
    if (sweep.deciding.has(k)) continue;
    const deciders = decidersWithin(sweep, scope.los[k], scope.his[k]);
    const opposite = deciders.find((other) => scope.allow[other] !== scope.allow[k]);
    if (opposite !== undefined) {
      facts.push({ code: 'shadowed', entry: k, other: opposite });
    } else {
      const same = deciders.find((other) => scope.los[other] === scope.los[k] && scope.his[other] === scope.his[k]);
      facts.push(same === undefined ? { code: 'covered', entry: k, other: deciders[0] } : { code: 'duplicate', entry: k, other: same });
    }
  }
  return sweep;
}

/**
 * The most specific entry holding an address decides (of equal ones, the
 * first). An entry whose smallest container decides as it does is covered
 * (a duplicate when the two are equal): removing it hands its addresses to
 * that container, which decides the same; chains of such removals keep every
 * decision, as the containers of CIDR blocks nest. An exception inside no
 * blocking entry excepts nothing; an entry every address of which is decided
 * the other way by more specific entries never fires.
 */
export function mostSpecific<A extends number | bigint>(scope: ScopeEntries<A>, facts: EntryFact[]): ScopeOutcome<A> {
  const { entries, los, his } = scope;
  const count = entries.length;
  // Sizes rank the entries: smaller first, then document order.
  const bySize = Array.from({ length: count }, (_, n) => n).sort((a, b) => {
    const sizeA = scope.family.count(los[entries[a]], his[entries[a]]);
    const sizeB = scope.family.count(los[entries[b]], his[entries[b]]);
    return sizeA < sizeB ? -1 : sizeA > sizeB ? 1 : a - b;
  });
  const priority = new Float64Array(count);
  bySize.forEach((n, rank) => (priority[n] = rank));
  const sweep = decide(scope, priority);

  const parents = smallestContainers(scope);
  for (let n = 0; n < count; n++) {
    const k = entries[n];
    const parent = parents[n];
    if (parent >= 0 && scope.allow[parent] === scope.allow[k]) {
      const equal = los[parent] === los[k] && his[parent] === his[k];
      facts.push({ code: equal ? 'duplicate' : 'covered', entry: k, other: parent });
    } else if (scope.allow[k] && parent < 0) {
      facts.push({ code: 'ineffective-exception', entry: k, other: -1 });
    } else if (!sweep.deciding.has(k)) {
      const opposite = decidersWithin(sweep, los[k], his[k]).find((other) => scope.allow[other] !== scope.allow[k]);
      if (opposite !== undefined) facts.push({ code: 'shadowed', entry: k, other: opposite });
    }
  }
  return sweep;
}

/** Where each entry decides: stretches [lo, hi] of addresses with the entry deciding them, ascending. */
interface Sweep<A extends number | bigint> extends ScopeOutcome<A> {
  readonly los: A[];
  readonly his: A[];
  readonly winners: number[];
}

/** The deciding entry of every address the scope's entries hold: the one of least `priority` (indexed like `scope.entries`). */
function decide<A extends number | bigint>(scope: ScopeEntries<A>, priority: Float64Array): Sweep<A> {
  const { family, entries, los, his } = scope;
  const count = entries.length;
  const byStart = Array.from({ length: count }, (_, n) => n).sort((a, b) => (los[entries[a]] < los[entries[b]] ? -1 : los[entries[a]] > los[entries[b]] ? 1 : 0));
  // Every place where the deciding entry may change: each entry's first address and the one after its last.
  const all: A[] = [];
  for (const k of entries) all.push(los[k], family.next(his[k]));
  all.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bounds = all.filter((bound, n) => n === 0 || bound !== all[n - 1]);

  const heap = new PriorityHeap(priority);
  const sweep: Sweep<A> = { los: [], his: [], winners: [], deciding: new Set(), blocked: AddressSet.empty(family) };
  const builder = new IntervalBuilder(family, 16);
  let next = 0;
  for (let b = 0; b < bounds.length; b++) {
    const at = bounds[b];
    while (next < count && los[entries[byStart[next]]] <= at) heap.push(byStart[next++]);
    while (heap.size > 0 && his[entries[heap.top()]] < at) heap.pop();
    if (heap.size === 0 || b + 1 === bounds.length) continue;
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

/** The entries deciding some address of [lo, hi], in document order. */
function decidersWithin<A extends number | bigint>(sweep: Sweep<A>, lo: A, hi: A): number[] {
  const found = new Set<number>();
  for (let s = partitionPoint(sweep.his.length, (n) => sweep.his[n] >= lo); s < sweep.los.length && sweep.los[s] <= hi; s++) found.add(sweep.winners[s]);
  return [...found].sort((a, b) => a - b);
}

/**
 * Per entry (indexed like `scope.entries`), the entry index of the smallest
 * entry strictly containing it — of two equal entries the first contains
 * the second — or -1. Exact for nested blocks (CIDRs); for ranges that
 * overlap without nesting, one container, not always the smallest.
 */
function smallestContainers<A extends number | bigint>(scope: ScopeEntries<A>): Int32Array {
  const { entries, los, his } = scope;
  const order = Array.from({ length: entries.length }, (_, n) => n).sort((a, b) => {
    const [ka, kb] = [entries[a], entries[b]];
    return los[ka] < los[kb] ? -1 : los[ka] > los[kb] ? 1 : his[ka] > his[kb] ? -1 : his[ka] < his[kb] ? 1 : a - b;
  });
  const parents = new Int32Array(entries.length).fill(-1);
  const open: number[] = [];
  for (const n of order) {
    const k = entries[n];
    while (open.length > 0 && his[entries[open[open.length - 1]]] < his[k]) open.pop();
    if (open.length > 0) parents[n] = entries[open[open.length - 1]];
    open.push(n);
  }
  return parents;
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
