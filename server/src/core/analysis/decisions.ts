/**
 * How a scope that is not a plain union decides each address, exactly: one
 * sweep over the scope's entries finds, for every stretch of addresses, the
 * entry that decides it — the first in order (nginx, iptables), the most
 * specific (ipset hash:net with `nomatch`, pf tables with `!`), or, where
 * rules each block their list less their own exceptions (hosts.deny,
 * Apache; lineExcept.ts), an entry of a rule that holds the address. From
 * that come the addresses the scope blocks and, per entry, whether removing
 * it could change a decision.
 */
import { AddressSet, forEachCidrOfRange } from '../addresses/addressSet';
import { IPV4, type AddressArray, type Family } from '../addresses/family';
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
    deciders.find(sweep.stretches, scope.los[k], scope.his[k], k, (other) => scope.allow[other] !== scope.allow[k]);
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
      const code = BLOCK_CODES[codes[last]];
      covered &&= code === 'covered' || code === 'duplicate';
      ineffective &&= code === 'ineffective-exception';
      if (decides[last]) deciding.add(k);
      if (code === 'shadowed' && shadowed < 0) shadowed = last;
    }
    if (covered) facts.push({ code: last - first === 1 ? BLOCK_CODES[codes[first]]! : 'covered', entry: k, other: other(first) });
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
    forEachCidrOfRange(family, los[k], his[k], (network, _prefix, last) => {
      owner[b] = n;
      blockLos[b] = network;
      blockHis[b] = last;
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
    const code = BLOCK_CODES[codes[n]];
    if (code !== undefined) facts.push({ code, entry: scope.entries[n], other: others[n] });
    if (decides[n]) deciding.add(scope.entries[n]);
  }
  return { blocked: sweep.blocked, deciding };
}

/** A block's finding, as judgeBlocks numbers it: none, or one of these. */
const BLOCK_CODES = [undefined, 'duplicate', 'covered', 'ineffective-exception', 'shadowed'] as const satisfies readonly (EntryCode | undefined)[];

/**
 * mostSpecificOfBlocks's findings per block (indexed like `scope.entries`),
 * in arrays rather than an object per block (codes numbered as in
 * BLOCK_CODES), and the entry each names (-1 for none); mostSpecific reads
 * them for the blocks of its ranges.
 */
function judgeBlocks<A extends number | bigint>(scope: ScopeEntries<A>): NestedSweep<A> & { codes: Uint8Array; others: Int32Array } {
  const { entries, los, his } = scope;
  const count = entries.length;
  const nested = nestedSweep(scope);
  const { sweep, decides, parents, shielding } = nested;
  const codes = new Uint8Array(count);
  const number = (code: (typeof BLOCK_CODES)[number]) => BLOCK_CODES.indexOf(code);
  const others = new Int32Array(count).fill(-1);
  const deciders = new Deciders(los, his);
  for (let n = 0; n < count; n++) {
    const k = entries[n];
    const parent = parents[n];
    if (parent >= 0 && scope.allow[parent] === scope.allow[k] && !shielding[n]) {
      codes[n] = number(los[parent] === los[k] && his[parent] === his[k] ? 'duplicate' : 'covered');
      others[n] = parent;
    } else if (scope.allow[k] && parent < 0) {
      codes[n] = number('ineffective-exception');
    } else if (!decides[n]) {
      deciders.find(sweep.stretches, los[k], his[k], k, (other) => scope.allow[other] !== scope.allow[k]);
      if (deciders.different >= 0) [codes[n], others[n]] = [number('shadowed'), deciders.different];
    }
  }
  return { sweep, decides, parents, shielding, codes, others };
}

/** Each of `count` positions' rank in the order `compare` gives (a priority for `decide`). */
export function ranks(count: number, compare: (a: number, b: number) => number): Float64Array {
  const order = sortedIfNot(positions(count), 0, count, compare);
  const rank = new Float64Array(count);
  for (let r = 0; r < count; r++) rank[order[r]] = r;
  return rank;
}

/** Up to this many stretches, their winners are a plain array (see Stretches). */
const FEW_STRETCHES = 16;

/**
 * Where each entry decides: stretches [lo, hi] of addresses with the entry
 * deciding them, ascending. In arrays made at the most a sweep can fill
 * rather than grown (a scope of ipset ranges makes a million stretches):
 * room never written costs nothing.
 */
export class Stretches<A extends number | bigint> {
  count = 0;
  readonly los: AddressArray<A>;
  readonly his: AddressArray<A>;
  readonly winners: Uint32Array | number[];

  constructor(
    private readonly family: Family<A>,
    capacity: number,
  ) {
    [this.los, this.his] = [family.allocate(capacity), family.allocate(capacity)];
    // A few in a plain array, as IPV4.allocate keeps few addresses: a typed array costs a buffer of its own, and a file
    // of a scope per line keeps a sweep per scope.
    // oxlint-disable-next-line unicorn/no-new-array
    this.winners = capacity > FEW_STRETCHES ? new Uint32Array(capacity) : new Array<number>(capacity).fill(0);
  }

  /** The addresses of the stretches whose winner blocks (`allow[winner]` is 0): as they come ascending, with no sort. */
  blocked(allow: Uint8Array): AddressSet<A> {
    const blocking = new Uint32Array(this.count);
    let n = 0;
    for (let s = 0; s < this.count; s++) if (!allow[this.winners[s]]) blocking[n++] = s;
    return AddressSet.fromOrderedIntervals(this.family, this.los, this.his, blocking.subarray(0, n));
  }

  push(lo: A, hi: A, winner: number): void {
    const s = this.count++;
    this.los[s] = lo;
    this.his[s] = hi;
    this.winners[s] = winner;
  }
}

export interface Sweep<A extends number | bigint> extends ScopeOutcome<A> {
  readonly stretches: Stretches<A>;
}

/** The deciding entry of every address the scope's entries hold: the one of least `priority` (indexed like `scope.entries`). */
export function decide<A extends number | bigint>(scope: ScopeEntries<A>, priority: Float64Array): Sweep<A> {
  const { family, entries, los, his } = scope;
  const count = entries.length;
  if (count === 1) {
    // A scope of one entry, the most common in a file of a scope per line: no sort, no heap.
    const [k] = entries;
    const blocked = scope.allow[k] ? AddressSet.empty(family) : AddressSet.range(family, los[k], his[k]);
    const stretches = new Stretches(family, 1);
    stretches.push(los[k], his[k], k);
    return { stretches, deciding: new Set([k]), blocked };
  }
  const byStart = distinctByStart(scope, priority);
  const bounds = boundsOf(scope, byStart);

  const heap = new PriorityHeap(priority);
  const stretches = new Stretches(family, Math.max(0, bounds.length - 1));
  const deciding = new Set<number>();
  let next = 0;
  // The last bound starts no stretch (it is one past the last address of all), so the entries still open there are left unpopped.
  for (let b = 0; b + 1 < bounds.length; b++) {
    const at = bounds[b];
    while (next < byStart.length && los[entries[byStart[next]]] <= at) heap.push(byStart[next++]);
    while (heap.size > 0 && his[entries[heap.top()]] < at) heap.pop();
    if (heap.size === 0) continue;
    const winner = entries[heap.top()];
    const last = family.previous(bounds[b + 1]);
    const previous = stretches.count - 1;
    if (previous >= 0 && stretches.winners[previous] === winner && family.next(stretches.his[previous]) === at) stretches.his[previous] = last;
    else stretches.push(at, last, winner);
    deciding.add(winner);
  }
  return { stretches, deciding, blocked: stretches.blocked(scope.allow) };
}

/**
 * The positions of `scope.entries` by first address ascending, less each
 * entry equal to another of lower priority: it is open exactly when that one
 * is, so it never decides (a file may repeat one entry on every line).
 */
function distinctByStart<A extends number | bigint>(scope: ScopeEntries<A>, priority: Float64Array): Uint32Array {
  const { family, entries, los, his } = scope;
  const byStart = positions(entries.length);
  sortPositions(family, byStart, (n) => los[entries[n]]);
  const kept = new Uint32Array(byStart.length);
  let count = 0;
  for (let from = 0, to = 1; from < byStart.length; from = to, to = from + 1) {
    const lo = los[entries[byStart[from]]];
    while (to < byStart.length && los[entries[byStart[to]]] === lo) to++;
    if (to - from === 1) {
      kept[count++] = byStart[from];
      continue;
    }
    // Entries starting together, by last address and then priority: the first of each last address stands for its equals.
    const hi = (n: number) => his[entries[n]];
    const run = sortedIfNot(byStart, from, to, (a, b) => (hi(a) < hi(b) ? -1 : hi(a) > hi(b) ? 1 : priority[a] - priority[b]));
    for (let r = 0; r < run.length; r++) if (r === 0 || hi(run[r - 1]) !== hi(run[r])) kept[count++] = run[r];
  }
  return kept.subarray(0, count);
}

/**
 * `values[from, to)` in the order `compare` gives: as they are when they are
 * in it already (a list mostly is; one pass, where a sort would call back
 * through the engine's generic path), else sorted as a plain array.
 */
function sortedIfNot(values: Uint32Array, from: number, to: number, compare: (a: number, b: number) => number): ArrayLike<number> {
  let n = from + 1;
  while (n < to && compare(values[n - 1], values[n]) <= 0) n++;
  if (n >= to) return values.subarray(from, to);
  const copy: number[] = [];
  for (let i = from; i < to; i++) copy.push(values[i]);
  return copy.sort(compare);
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
  const keys: A[] = [];
  for (let n = 0; n < order.length; n++) keys.push(key(n));
  order.set(sortedIfNot(order, 0, order.length, (a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0)));
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
    const numbers = new Float64Array(byStart.length * 2);
    for (let n = 0; n < byStart.length; n++) {
      numbers[2 * n] = los[entries[byStart[n]]] as number;
      numbers[2 * n + 1] = (his[entries[byStart[n]]] as number) + 1;
    }
    sorted = numbers.sort() as ArrayLike<number> as ArrayLike<A>;
  } else {
    // The first addresses ascending, then the ends in the same order, most often ascending too: the sort finds these
    // runs and merges them, where the two interleaved would be sorted afresh (bigints compare slowly).
    const all: A[] = [];
    for (const n of byStart) all.push(los[entries[n]]);
    for (const n of byStart) all.push(family.next(his[entries[n]]));
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
export class Deciders<A extends number | bigint> {
  first = -1;
  equal = -1;
  different = -1;

  /** The bounds of the entries, by entry index. */
  constructor(
    private readonly los: AddressArray<A>,
    private readonly his: AddressArray<A>,
  ) {}

  /** Finds them in `sweep`, whose winner n stands for entry `owner(n)`; returns this. */
  find(stretches: Stretches<A>, lo: A, hi: A, k: number, different?: (other: number) => boolean, owner?: (winner: number) => number): this {
    const { los, his } = this;
    this.first = this.equal = this.different = -1;
    for (let s = partitionPoint(stretches.count, (n) => stretches.his[n] >= lo); s < stretches.count && stretches.los[s] <= hi; s++) {
      const other = owner ? owner(stretches.winners[s]) : stretches.winners[s];
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
  readonly sweep: { readonly stretches: Stretches<A>; readonly blocked: AddressSet<A> };
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
  // By first address ascending, then last address descending (of blocks starting together, the larger first), then
  // position: sorted by the last keys first, each sort stable.
  let order: Uint32Array;
  if (family.version === 4) order = largestFirst(scope as ScopeEntries<number>);
  else order = positions(entries.length).sort((a, b) => (his[entries[a]] > his[entries[b]] ? -1 : his[entries[a]] < his[entries[b]] ? 1 : a - b));
  sortPositions(family, order, (n) => los[entries[n]]);
  const parents = new Int32Array(entries.length).fill(-1);
  const shielding = new Uint8Array(entries.length);
  // A stretch before each block that opens inside another, and one as each closes.
  const stretches = new Stretches(family, 2 * entries.length);
  const decides = new Uint8Array(entries.length);
  /** The open blocks, outermost first, and for each the first of its addresses not yet decided. */
  const open: number[] = [];
  const undecided: A[] = [];
  // The open block on top decides its undecided addresses up to `last`.
  const decideUpTo = (last: A) => {
    const at = undecided[undecided.length - 1];
    if (at > last) return;
    const top = open[open.length - 1];
    stretches.push(at, last, entries[top]);
    decides[top] = 1;
  };
  // Closes the block on top: it decides the rest of its addresses, and its parent goes on after it.
  const close = () => {
    const hi = his[entries[open[open.length - 1]]];
    decideUpTo(hi);
    open.pop();
    undecided.pop();
    if (open.length > 0) undecided[undecided.length - 1] = family.next(hi);
  };
  // By index, not for…of: a scope of ipset ranges makes a million blocks, and an iterator result each until optimised.
  for (let i = 0; i < order.length; i++) {
    const n = order[i];
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
  return { sweep: { stretches, blocked: stretches.blocked(scope.allow) }, decides, parents, shielding };
}

/** The positions of a scope of IPv4 CIDR blocks, the largest blocks first, else in order: a counting sort on their 33 sizes. */
function largestFirst(scope: ScopeEntries<number>): Uint32Array {
  const { entries, los, his } = scope;
  const prefixes = new Uint8Array(entries.length);
  // starts[p + 1] counts the blocks of prefix p, then starts[p] is where the first of them goes.
  const starts = new Uint32Array(IPV4.bits + 2);
  for (let n = 0; n < entries.length; n++) {
    const prefix = IPV4.bits - IPV4.log2Span(los[entries[n]], his[entries[n]]);
    prefixes[n] = prefix;
    starts[prefix + 1]++;
  }
  for (let p = 1; p < starts.length; p++) starts[p] += starts[p - 1];
  const order = new Uint32Array(entries.length);
  for (let n = 0; n < entries.length; n++) order[starts[prefixes[n]]++] = n;
  return order;
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
