/**
 * How many addresses each holder has in a run of the ASN index's ranges
 * (one family's), exactly and without walking a long run, so that an entry
 * such as 0.0.0.0/0, which spans every range, costs no more than a /24.
 *
 * Two tables, each built the first time a query needs it:
 * - running sums along the ranges grouped by holder (groupByHolder): one
 *   holder's addresses in any run in O(log n). Until the queries have
 *   walked as many ranges as building them reads, a holder's ranges in the
 *   run are walked instead (so are the run's, for what is announced): a
 *   list with one 0.0.0.0/0 asks for a few holders of it, and the sums
 *   would cost a pass over the ranges and an array as long, each;
 * - for every run of whole blocks of `blockSize` ranges, how many holders it
 *   has and its TOP largest, one row of blocks (all runs starting at one
 *   block) at a time, in one pass from that block to the end (the
 *   range-mode technique); the index ships the organisations' rows, as a
 *   row costs some 10 ms and a list can ask for every one of them.
 * A long run is then some whole blocks plus under two blocks of ranges at
 * its ends: the largest holders of the run are among the whole blocks' TOP
 * and the holders of those end ranges (a holder with none of them has in the
 * run what it has in the blocks), so a query looks at fewer than
 * TOP + 2 × blockSize holders however long the run.
 *
 * A holder is whatever `holderOf` numbers: the ASN index keeps one table of
 * these for its holders ((ASN, name) pairs) and one for their organisations.
 */
import { lowerBound } from '../primitives/search';
import { workDone } from '../primitives/workCounter';
import { carry, compareLimbs, limbsToBigInt, type Limbs } from './limbs';

/** Largest holders kept per run of whole blocks: as many as a hover's table of holders shows. */
export const TOP = 5;

const NONE = 0xffffffff;

/** What a walk is charged beyond the ranges it reads, counted as ranges: the searches that find them (ProviderMap charges its questions so too). */
const QUESTION_COST = 40;

/**
 * One family's ranges, in address order: each one's holder and address
 * count, range by range for a walk, or every range's at once for the tables
 * (made on the first call: a process that only walks short runs never
 * fills an array per range).
 */
export interface FamilyRanges {
  readonly count: number;
  readonly limbs: Limbs;
  holderAt(p: number): number;
  /** Adds range p's address count to `out[at, at + limbs)`. */
  addSize(out: Float64Array, at: number, p: number): void;
  holders(): Uint32Array;
  /** `limbs` limbs per range. */
  sizes(): Float64Array;
}

/** A range that the queried addresses take only part of: its position and that part's address count (in limbs). */
export interface Edge {
  readonly range: number;
  readonly size: Float64Array;
}

/** The ranges a query touches: ranges [first, last] whole (none when first > last), and the edges. */
export interface Run {
  readonly first: number;
  readonly last: number;
  readonly edges: readonly Edge[];
}

export interface Ranking {
  /** The largest holders, most addresses first (ties: the lower ASN first), with their address counts. */
  readonly holders: readonly number[];
  readonly addresses: readonly bigint[];
  /** How many holders have addresses in the run. */
  readonly count: number;
}

/** Ranges grouped by holder: holder h's ranges are positions[start[h], start[h + 1]), ascending. */
export interface Groups {
  readonly start: Uint32Array;
  readonly positions: Uint32Array;
}

/** The ranges of each holder, from the holder of each range (a counting sort: two passes). */
export function groupByHolder(holderOf: Uint32Array, holderCount: number): Groups {
  const start = new Uint32Array(holderCount + 1);
  for (let p = 0; p < holderOf.length; p++) start[holderOf[p] + 1]++;
  for (let h = 0; h < holderCount; h++) start[h + 1] += start[h];
  const next = start.slice(0, -1);
  const positions = new Uint32Array(holderOf.length);
  for (let p = 0; p < holderOf.length; p++) positions[next[holderOf[p]]++] = p;
  workDone.probes += 2 * holderOf.length;
  return { start, positions };
}

/** The length of `HolderTotals.rankings()` for `count` ranges in blocks of `blockSize`. */
export function rankingsLength(count: number, blockSize: number): number {
  const blockCount = Math.ceil(count / blockSize);
  return rowOffset(blockCount, blockCount);
}

/** Where row i starts among all rows: rows 0 … i - 1 hold blockCount, blockCount - 1, … cells. */
function rowOffset(i: number, blockCount: number): number {
  return (i * blockCount - (i * (i - 1)) / 2) * (TOP + 1);
}

export class HolderTotals {
  private readonly count: number;
  private readonly blockCount: number;
  /** Per first block i, per last block j ≥ i: the holder count, then the TOP largest holders (NONE past the last). */
  private readonly rows: (Uint32Array | undefined)[];
  /** The ranges grouped by holder, and the running sums of their sizes along the groups and in address order: built when a long run first needs them. */
  private builtGroups?: Groups;
  private groupSums?: Float64Array;
  private runningSums?: Float64Array;
  /** Per holder, zero between calls: addresses counted so far (in limbs), and whether it was met. */
  private readonly totals: Float64Array;
  private readonly met: Uint8Array;
  /** One count, for the sums worked out one at a time. */
  private readonly sum: Float64Array;
  /** The holders' addresses in the short run walked last: organisation shares ask for several holders of one run. */
  private walked?: { readonly run: Run; readonly sums: ReadonlyMap<number, bigint> };
  /** Ranges the sums of long runs have walked instead of the running sums, and QUESTION_COST a sum: past two passes over the ranges, the sums are built. */
  private walkedForSums = 0;

  /**
   * `rankings`, when given, is every row at once as `rankings()` lays them
   * out (the index ships them: a row costs a pass over the ranges, some
   * 10 ms, and a list of broad entries starting all over the space asks for
   * hundreds); else each row is built when a query first needs it.
   */
  constructor(
    private readonly ranges: FamilyRanges,
    /** Called when a long run first needs the groups: a process that asks only about short runs (most lists) never pays for them. */
    private readonly makeGroups: () => Groups,
    private readonly holderAsn: Uint32Array,
    private readonly blockSize: number,
    rankings?: Uint32Array,
  ) {
    this.count = ranges.count;
    this.blockCount = Math.ceil(this.count / blockSize);
    this.rows = Array.from<Uint32Array | undefined>({ length: this.blockCount });
    if (rankings && rankings.length > 0) {
      for (let i = 0; i < this.blockCount; i++) this.rows[i] = rankings.subarray(this.rowStart(i), this.rowStart(i + 1));
    }
    this.totals = new Float64Array(holderAsn.length * ranges.limbs);
    this.met = new Uint8Array(holderAsn.length);
    this.sum = new Float64Array(ranges.limbs);
  }

  /**
   * The `limit` largest holders of the run (all of them when the limit is
   * above TOP, walking the run) and how many there are.
   */
  rank(run: Run, limit: number): Ranking {
    const { first, last } = run;
    const [firstBlock, lastBlock] = this.wholeBlocks(run);
    if (limit > TOP || lastBlock - firstBlock < 1) {
      const candidates = this.accumulate(run);
      return this.ranked(candidates, limit, candidates.length);
    }

    const B = this.blockSize;
    const blocksStart = firstBlock * B;
    const blocksEnd = Math.min((lastBlock + 1) * B, this.count);
    const row = this.row(firstBlock);
    const cell = (lastBlock - firstBlock) * (TOP + 1);
    const { totals, met } = this;
    const candidates: number[] = [];
    let count = row[cell];
    // Holders of the end ranges and edges: candidates, and counted when the blocks hold none of their ranges.
    const meet = (h: number) => {
      if (met[h]) return;
      met[h] = 1;
      candidates.push(h);
      if (!this.holds(h, blocksStart, blocksEnd)) count++;
    };
    for (let p = first; p < blocksStart; p++) meet(this.ranges.holderAt(p));
    for (let p = blocksEnd; p <= last; p++) meet(this.ranges.holderAt(p));
    for (const edge of run.edges) meet(this.ranges.holderAt(edge.range));
    workDone.probes += blocksStart - first + last - blocksEnd + 1;
    for (let m = 1; m <= TOP && row[cell + m] !== NONE; m++) {
      const h = row[cell + m];
      if (!met[h]) {
        met[h] = 1;
        candidates.push(h);
      }
    }
    const L = this.ranges.limbs;
    for (const h of candidates) {
      this.addHolderSum(h, first, last, totals, h * L);
      for (const edge of run.edges) if (this.ranges.holderAt(edge.range) === h) addLimbs(totals, h * L, edge.size, 0, L);
      carry(totals, h * L, L);
    }
    return this.ranked(candidates, limit, count);
  }

  /** The addresses of the run that anyone announces. */
  announced(run: Run): bigint {
    const L = this.ranges.limbs;
    const out = this.sum.fill(0);
    if (this.isShort(run) || this.walks(run.last - run.first + 1)) {
      for (let p = run.first; p <= run.last; p++) this.ranges.addSize(out, 0, p);
      workDone.probes += Math.max(0, run.last - run.first + 1);
    } else {
      const sums = this.sumsInOrder();
      for (let j = 0; j < L; j++) out[j] = sums[(run.last + 1) * L + j] - sums[run.first * L + j];
    }
    for (const edge of run.edges) addLimbs(out, 0, edge.size, 0, L);
    return limbsToBigInt(out, 0, L);
  }

  /** The addresses of the run that holder `h` announces. */
  addressesOf(h: number, run: Run): bigint {
    if (this.isShort(run)) return this.walkedSums(run).get(h) ?? 0n;
    const L = this.ranges.limbs;
    const out = this.sum.fill(0);
    this.addHolderSum(h, run.first, run.last, out, 0);
    for (const edge of run.edges) if (this.ranges.holderAt(edge.range) === h) addLimbs(out, 0, edge.size, 0, L);
    return limbsToBigInt(out, 0, L);
  }

  /** Runs of fewer than two whole blocks (so shorter than four): walked, as cheap as the tables' answer and without them. */
  private isShort(run: Run): boolean {
    const [firstBlock, lastBlock] = this.wholeBlocks(run);
    return lastBlock - firstBlock < 1;
  }

  /** The first and last block that the run's ranges fill whole. */
  private wholeBlocks(run: Run): [number, number] {
    const B = this.blockSize;
    return [Math.ceil(run.first / B), run.last === this.count - 1 ? this.blockCount - 1 : Math.floor((run.last + 1) / B) - 1];
  }

  /** Every holder's addresses in a short run, from one walk of it however many holders are asked about. */
  private walkedSums(run: Run): ReadonlyMap<number, bigint> {
    if (this.walked?.run !== run) {
      const L = this.ranges.limbs;
      const candidates = this.accumulate(run);
      const sums = new Map(candidates.map((h) => [h, limbsToBigInt(this.totals, h * L, L)]));
      this.clear(candidates);
      this.walked = { run, sums };
    }
    return this.walked.sums;
  }

  /** Counts every holder of the run in `totals` (carried) by walking it: the holders met, which `clear` resets. */
  private accumulate(run: Run): number[] {
    const { ranges, totals, met } = this;
    const L = ranges.limbs;
    const candidates: number[] = [];
    const meet = (h: number) => {
      if (met[h]) return;
      met[h] = 1;
      candidates.push(h);
    };
    for (let p = run.first; p <= run.last; p++) {
      const h = ranges.holderAt(p);
      meet(h);
      ranges.addSize(totals, h * L, p);
    }
    for (const edge of run.edges) {
      const h = ranges.holderAt(edge.range);
      meet(h);
      addLimbs(totals, h * L, edge.size, 0, L);
    }
    workDone.probes += Math.max(0, run.last - run.first + 1);
    for (const h of candidates) carry(totals, h * L, L);
    return candidates;
  }

  /** Zeroes the totals and marks of `candidates`. */
  private clear(candidates: readonly number[]): void {
    const L = this.ranges.limbs;
    for (const h of candidates) {
      this.met[h] = 0;
      this.totals.fill(0, h * L, h * L + L);
    }
  }

  /** The `limit` largest of `candidates` by their totals, which it clears with the marks. */
  private ranked(candidates: number[], limit: number, count: number): Ranking {
    const totals = this.totals;
    const L = this.ranges.limbs;
    const before = (h: number, g: number) => this.before(h, g);
    let largest: number[] = [];
    if (limit >= candidates.length) {
      largest = candidates.slice().sort(before);
    } else {
      // A selection, not a sort: the candidates of a long run can be thousands, the limit is a few.
      for (const h of candidates) {
        if (largest.length === limit) {
          if (limit === 0 || before(h, largest[limit - 1]) > 0) continue;
          largest.pop();
        }
        largest.push(h);
        for (let m = largest.length - 1; m > 0 && before(largest[m], largest[m - 1]) < 0; m--) [largest[m], largest[m - 1]] = [largest[m - 1], largest[m]];
      }
    }
    const addresses = largest.map((h) => limbsToBigInt(totals, h * L, L));
    this.clear(candidates);
    workDone.probes += candidates.length;
    return { holders: largest, addresses, count };
  }

  /** Every row, one after the other (row i at rowStart(i)): what an index ships for its organisations. */
  rankings(): Uint32Array {
    const all = new Uint32Array(this.rowStart(this.blockCount));
    for (let i = 0; i < this.blockCount; i++) all.set(this.row(i), this.rowStart(i));
    return all;
  }

  /** Where row i starts in `rankings()`. */
  private rowStart(i: number): number {
    return rowOffset(i, this.blockCount);
  }

  /** The row of runs of whole blocks that start at block `i`, in one pass from there to the end. */
  private row(i: number): Uint32Array {
    const existing = this.rows[i];
    if (existing) return existing;
    const [holderOf, sizes, L] = [this.ranges.holders(), this.ranges.sizes(), this.ranges.limbs];
    const { totals, met } = this;
    const row = new Uint32Array(this.rowStart(i + 1) - this.rowStart(i)).fill(NONE);
    const top: number[] = [];
    const touched: number[] = [];
    const B = this.blockSize;
    for (let p = i * B; p < this.count; p++) {
      const h = holderOf[p];
      if (!met[h]) {
        met[h] = 1;
        touched.push(h);
      }
      if (L === 1) totals[h] += sizes[p];
      else {
        addLimbs(totals, h * L, sizes, p * L, L);
        carry(totals, h * L, L);
      }
      // Totals only grow: h stays in the top, or enters it in place of the last. Either needs at least the last's
      // addresses (a member of the top has them), which most holders of a long run never reach: one comparison for them.
      if (top.length < TOP || compareLimbs(totals, h * L, totals, top[TOP - 1] * L, L) >= 0) {
        let m = top.indexOf(h);
        if (m < 0 && (top.length < TOP || this.before(h, top[TOP - 1]) < 0)) {
          m = Math.min(top.length, TOP - 1);
          top[m] = h;
        }
        for (; m > 0 && this.before(top[m], top[m - 1]) < 0; m--) [top[m], top[m - 1]] = [top[m - 1], top[m]];
      }
      if ((p + 1) % B === 0 || p === this.count - 1) {
        const cell = (Math.floor(p / B) - i) * (TOP + 1);
        row[cell] = touched.length;
        row.set(top, cell + 1);
      }
    }
    workDone.probes += this.count - i * B;
    for (const h of touched) {
      met[h] = 0;
      totals.fill(0, h * L, h * L + L);
    }
    this.rows[i] = row;
    return row;
  }

  /** The order of holders by their totals so far: negative when h has more addresses than g (or as many and a lower ASN). */
  private before(h: number, g: number): number {
    const L = this.ranges.limbs;
    const totals = this.totals;
    return compareLimbs(totals, g * L, totals, h * L, L) || this.holderAsn[h] - this.holderAsn[g] || h - g;
  }

  /** Whether holder h has a range in positions [from, to). */
  private holds(h: number, from: number, to: number): boolean {
    const { start, positions } = this.groups();
    const q = lowerBound(positions, from, start[h + 1], start[h]);
    return q < start[h + 1] && positions[q] < to;
  }

  /** Adds holder h's addresses in ranges [first, last] to `out[at, at + limbs)`. */
  private addHolderSum(h: number, first: number, last: number, out: Float64Array, at: number): void {
    if (first > last) return;
    const { start, positions } = this.groups();
    const L = this.ranges.limbs;
    const from = lowerBound(positions, first, start[h + 1], start[h]);
    const to = lowerBound(positions, last + 1, start[h + 1], from);
    if (this.walks(to - from)) {
      for (let q = from; q < to; q++) this.ranges.addSize(out, at, positions[q]);
      workDone.probes += to - from;
      return;
    }
    const sums = this.sumsByHolder();
    for (let j = 0; j < L; j++) out[at + j] += sums[to * L + j] - sums[from * L + j];
  }

  /**
   * Whether a sum over `ranges` ranges is walked: while the walks so far, this one included, read no more ranges than
   * building both running sums does (a pass over the ranges each), so a query as long as them all is walked once.
   */
  private walks(ranges: number): boolean {
    if (this.groupSums || this.runningSums) return false;
    this.walkedForSums += ranges + QUESTION_COST;
    return this.walkedForSums <= 2 * this.count;
  }

  private groups(): Groups {
    return (this.builtGroups ??= this.makeGroups());
  }

  private sumsByHolder(): Float64Array {
    if (this.groupSums) return this.groupSums;
    const [sizes, L] = [this.ranges.sizes(), this.ranges.limbs];
    const positions = this.groups().positions;
    const sums = new Float64Array((this.count + 1) * L);
    // Run once per process, mostly before it is optimised: IPv4's one limb without the inner loop.
    if (L === 1) for (let q = 0; q < this.count; q++) sums[q + 1] = sums[q] + sizes[positions[q]];
    else {
      for (let q = 0; q < this.count; q++) {
        for (let j = 0; j < L; j++) sums[(q + 1) * L + j] = sums[q * L + j] + sizes[positions[q] * L + j];
      }
    }
    workDone.probes += this.count;
    this.groupSums = sums;
    return sums;
  }

  private sumsInOrder(): Float64Array {
    if (this.runningSums) return this.runningSums;
    const [sizes, L] = [this.ranges.sizes(), this.ranges.limbs];
    const sums = new Float64Array((this.count + 1) * L);
    for (let p = 0; p < this.count * L; p++) sums[p + L] = sums[p] + sizes[p];
    workDone.probes += this.count;
    this.runningSums = sums;
    return sums;
  }
}

function addLimbs(out: Float64Array, at: number, values: Float64Array, from: number, limbs: Limbs): void {
  for (let j = 0; j < limbs; j++) out[at + j] += values[from + j];
}
