/**
 * Who holds the addresses: an index of routed ranges to autonomous systems
 * and their organisations, read straight from the bytes that asnCompile.ts
 * writes (nothing parsed at load time but a few hundred bytes of JSON saying
 * what data it is).
 *
 * Layout, little-endian, every section 4-byte aligned:
 *   "BLASN002"; u32 aboutBytes; u8 about[aboutBytes] (the data's DataAbout as
 *   UTF-8 JSON, padded with spaces to a multiple of 4);
 *   u32 v4Count, v6Count, holderCount, nameBytes;
 *   u32 v4Start[v4Count], v4End[v4Count], v4Holder[v4Count];
 *   u32 v6Start[4·v6Count], v6End[4·v6Count] (128-bit, most significant word first), v6Holder[v6Count];
 *   u32 holderAsn[holderCount], nameOffset[holderCount + 1]; u8 names[nameBytes] (UTF-8).
 * Ranges are sorted and disjoint within each family.
 */

import type { AddressSet } from '../addresses/addressSet';
import { lowerBound, partitionPoint } from '../primitives/search';
import { workDone } from '../primitives/workCounter';
import { radixSortIndices } from '../primitives/radixSort';
import { groupByHolder, HolderTotals, type Edge, type Groups, type Run } from './holderTotals';
import { parseDataAbout, type DataAbout } from './dataAbout';
import { bigIntToLimbs, carry, type Limbs } from './limbs';

/** The first bytes of an index in this format. */
export const ASN_INDEX_MAGIC = 'BLASN002';
/** The format before this one carries no about: it is refused with what to do. */
const OLD_MAGIC = 'BLASN001';

/** Queries whose answers are kept. */
const RECALLED = 16;

/** One organisation's share of a queried range. */
export interface Holding {
  readonly asn: number;
  readonly name: string;
  /** Addresses of the queried range this holder announces. */
  readonly addresses: bigint;
}

/** Who holds the addresses of a queried range. */
export interface Holders {
  /** The holders asked for, most addresses first (ties: the lower ASN first). */
  readonly largest: readonly Holding[];
  /** How many holders have addresses in the range. */
  readonly count: number;
  /** Addresses of the range that anyone announces. */
  readonly announced: bigint;
}

export class AsnIndex {
  private readonly decoder = new TextDecoder();
  /** Built when a query first needs them. */
  private ipv4Groups?: Groups;
  private ipv6Groups?: Groups;
  private ipv4Totals?: HolderTotals;
  private ipv6Totals?: HolderTotals;
  /** Holders by ASN: the holder indices in ASN order, and their ASNs. */
  private byAsn?: { readonly holders: Uint32Array; readonly asns: Uint32Array };
  /** For countHolders: per holder, the number of the count that last met it (none is 0). */
  private readonly metBy: Uint32Array;
  private counting = 0;
  /** The answers to the last queries, oldest first. */
  private readonly recent = new Map<string, unknown>();

  private constructor(
    /** Which data this is, of what day, with its credit and caveat. */
    readonly about: DataAbout,
    private readonly v4Start: Uint32Array,
    private readonly v4End: Uint32Array,
    private readonly v4Holder: Uint32Array,
    private readonly v6Start: Uint32Array,
    private readonly v6End: Uint32Array,
    private readonly v6Holder: Uint32Array,
    private readonly holderAsn: Uint32Array,
    private readonly nameOffset: Uint32Array,
    private readonly names: Uint8Array,
  ) {
    this.metBy = new Uint32Array(holderAsn.length);
  }

  /** Views over `bytes` (which must stay unchanged). Throws if they are not an index. */
  static fromBytes(bytes: Uint8Array): AsnIndex {
    if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice(); // typed views need 4-byte alignment
    const decoder = new TextDecoder();
    const magic = decoder.decode(bytes.subarray(0, 8));
    if (magic === OLD_MAGIC) throw new Error(`The ASN index is in an older format (${magic}) that does not say what data it holds: rebuild it with "npm run build".`);
    if (magic !== ASN_INDEX_MAGIC) throw new Error('Not an ASN index: rebuild it with "npm run build".');
    let offset = bytes.byteOffset + 8;
    const words = (count: number) => {
      const view = new Uint32Array(bytes.buffer, offset, count);
      offset += count * 4;
      return view;
    };
    const [aboutBytes] = words(1);
    const about = parseDataAbout(decoder.decode(bytes.subarray(offset - bytes.byteOffset, offset - bytes.byteOffset + aboutBytes)));
    offset += aboutBytes;
    const [v4Count, v6Count, holderCount, nameBytes] = words(4);
    const index = new AsnIndex(
      about,
      words(v4Count),
      words(v4Count),
      words(v4Count),
      words(v6Count * 4),
      words(v6Count * 4),
      words(v6Count),
      words(holderCount),
      words(holderCount + 1),
      new Uint8Array(bytes.buffer, offset, nameBytes),
    );
    if (offset + nameBytes !== bytes.byteOffset + bytes.byteLength) throw new Error('The ASN index is truncated: rebuild it with "npm run build".');
    return index;
  }

  get ipv4RangeCount(): number {
    return this.v4Start.length;
  }

  get ipv6RangeCount(): number {
    return this.v6Holder.length;
  }

  /** Different (ASN, organisation name) pairs. */
  get holderCount(): number {
    return this.holderAsn.length;
  }

  /**
   * Who holds the addresses of [lo, hi]: the `limit` holding most (most
   * first; all of them by default), how many hold any, and how many
   * addresses anyone announces. With a limit up to TOP (holderTotals.ts)
   * it looks at two blocks of ranges at most, however many [lo, hi] spans;
   * without one it walks them all.
   */
  holders(version: 4 | 6, lo: bigint, hi: bigint, limit = Infinity): Holders {
    return this.recall(`${version} ${lo} ${hi} ${limit}`, () => {
      const [totals, run] = this.lookUp(version, lo, hi);
      const ranking = totals.rank(run, limit);
      return {
        largest: ranking.holders.map((holder, m) => ({ asn: this.holderAsn[holder], name: this.nameOf(holder), addresses: ranking.addresses[m] })),
        count: ranking.count,
        announced: totals.announced(run),
      };
    });
  }

  /** The addresses of [lo, hi] that each of the autonomous systems `asns` announces: O(log n) each. */
  addressesOf(version: 4 | 6, lo: bigint, hi: bigint, asns: readonly number[]): readonly bigint[] {
    return this.recall(`${version} ${lo} ${hi} AS${asns.join(' ')}`, () => {
      const [totals, run] = this.lookUp(version, lo, hi);
      return asns.map((asn) => this.holdersOfAsn(asn).reduce((sum, holder) => sum + totals.addressesOf(holder, run), 0n));
    });
  }

  /**
   * How many different holders announce addresses in [lo, hi], counting no
   * further than `limit + 1` (enough to tell "more than limit"): a walk from
   * the first range that stops there, run on every large entry of a list.
   */
  countHoldersIPv4(lo: number, hi: number, limit: number): number {
    // No closure and no allocation, and a search of its own (the shared lowerBound sees every kind of array and is slower here).
    let first = 0;
    let last = this.v4End.length;
    let steps = 0;
    while (first < last) {
      const mid = (first + last) >>> 1;
      if (this.v4End[mid] < lo) first = mid + 1;
      else last = mid;
      steps++;
    }
    const counting = this.nextCounting();
    let count = 0;
    let k = first;
    for (; k < this.v4End.length && this.v4Start[k] <= hi && count <= limit; k++) {
      const holder = this.v4Holder[k];
      if (this.metBy[holder] !== counting) {
        this.metBy[holder] = counting;
        count++;
      }
    }
    workDone.probes += steps + k - first;
    return count;
  }

  countHoldersIPv6(lo: bigint, hi: bigint, limit: number): number {
    const ranges = this.v6Holder.length;
    const first = partitionPoint(ranges, (k) => this.v6At(this.v6End, k) >= lo);
    const counting = this.nextCounting();
    let count = 0;
    let k = first;
    for (; k < ranges && this.v6At(this.v6Start, k) <= hi && count <= limit; k++) {
      const holder = this.v6Holder[k];
      if (this.metBy[holder] !== counting) {
        this.metBy[holder] = counting;
        count++;
      }
    }
    workDone.probes += k - first;
    return count;
  }

  /**
   * Who holds the addresses of a whole set, every holder with its share,
   * most first: one search per range of the set, then a walk over the index
   * ranges it touches, so a sparse set never walks the whole index.
   */
  holdingsOf4(set: AddressSet<number>): Holders {
    const held = new Float64Array(this.holderAsn.length); // exact: at most 2^32 addresses
    set.forEachRange((lo, hi) => {
      for (let k = lowerBound(this.v4End, lo); k < this.v4End.length && this.v4Start[k] <= hi; k++) {
        held[this.v4Holder[k]] += Math.min(hi, this.v4End[k]) - Math.max(lo, this.v4Start[k]) + 1;
        workDone.probes++;
      }
    });
    return this.ranked(held.length, (holder) => BigInt(held[holder]));
  }

  holdingsOf6(set: AddressSet<bigint>): Holders {
    const held = new Map<number, bigint>();
    const ranges = this.v6Holder.length;
    set.forEachRange((lo, hi) => {
      for (let k = partitionPoint(ranges, (m) => this.v6At(this.v6End, m) >= lo); k < ranges && this.v6At(this.v6Start, k) <= hi; k++) {
        const start = this.v6At(this.v6Start, k);
        const end = this.v6At(this.v6End, k);
        const holder = this.v6Holder[k];
        held.set(holder, (held.get(holder) ?? 0n) + (end < hi ? end : hi) - (start > lo ? start : lo) + 1n);
        workDone.probes++;
      }
    });
    return this.ranked(this.holderAsn.length, (holder) => held.get(holder) ?? 0n);
  }

  /** Calls `visit4` and `visit6` with every range the autonomous systems `asns` announce: O(their ranges), no pass over the index. */
  forEachRangeOfAsns(asns: Iterable<number>, visit4: (lo: number, hi: number, asn: number) => void, visit6: (lo: bigint, hi: bigint, asn: number) => void): void {
    for (const asn of asns) {
      for (const holder of this.holdersOfAsn(asn)) {
        for (const k of rangesOf(this.groups4(), holder)) visit4(this.v4Start[k], this.v4End[k], asn);
        for (const k of rangesOf(this.groups6(), holder)) visit6(this.v6At(this.v6Start, k), this.v6At(this.v6End, k), asn);
      }
    }
  }

  /** The holders with addresses, most first (ties: the lower ASN first), from each holder's addresses. */
  private ranked(holders: number, addressesOf: (holder: number) => bigint): Holders {
    const largest: Holding[] = [];
    let announced = 0n;
    for (let holder = 0; holder < holders; holder++) {
      const addresses = addressesOf(holder);
      if (addresses === 0n) continue;
      largest.push({ asn: this.holderAsn[holder], name: this.nameOf(holder), addresses });
      announced += addresses;
    }
    largest.sort((a, b) => (a.addresses > b.addresses ? -1 : a.addresses < b.addresses ? 1 : a.asn - b.asn));
    return { largest, count: largest.length, announced };
  }

  /** The holders of `asn` (one in the data today; the format allows several names for one number). */
  private holdersOfAsn(asn: number): Uint32Array {
    if (!this.byAsn) {
      const holders = new Uint32Array(this.holderAsn.length);
      for (let holder = 0; holder < holders.length; holder++) holders[holder] = holder;
      radixSortIndices(holders, this.holderAsn);
      const asns = new Uint32Array(holders.length);
      for (let m = 0; m < holders.length; m++) asns[m] = this.holderAsn[holders[m]];
      this.byAsn = { holders, asns };
    }
    const { holders, asns } = this.byAsn;
    return holders.subarray(lowerBound(asns, asn), lowerBound(asns, asn + 1));
  }

  private groups4(): Groups {
    return (this.ipv4Groups ??= groupByHolder(this.v4Holder, this.holderAsn.length));
  }

  private groups6(): Groups {
    return (this.ipv6Groups ??= groupByHolder(this.v6Holder, this.holderAsn.length));
  }

  /** A number for a new count, so that `metBy` needs no clearing (cleared when the numbers wrap round). */
  private nextCounting(): number {
    if (++this.counting === 2 ** 32) {
      this.metBy.fill(0);
      this.counting = 1;
    }
    return this.counting;
  }

  /** `answer()`, or what it gave for the same `key` among the last RECALLED queries: a list often repeats an entry, and a finding's severity and message ask the same. */
  private recall<T>(key: string, answer: () => T): T {
    const known = this.recent.get(key) as T | undefined;
    if (known !== undefined) return known;
    const result = answer();
    this.recent.set(key, result);
    if (this.recent.size > RECALLED) this.recent.delete(this.recent.keys().next().value!);
    return result;
  }

  /** The family's totals, and the run of its ranges that [lo, hi] touches. */
  private lookUp(version: 4 | 6, lo: bigint, hi: bigint): [HolderTotals, Run] {
    return version === 4 ? [this.totals4(), this.run4(Number(lo), Number(hi))] : [this.totals6(), this.run6(lo, hi)];
  }

  /** The IPv4 ranges [lo, hi] touches, those it takes only part of as edges. */
  private run4(lo: number, hi: number): Run {
    const first = lowerBound(this.v4End, lo);
    const last = lowerBound(this.v4Start, hi + 1) - 1;
    return runOf(
      first,
      last,
      1,
      (k) => (this.v4Start[k] < lo || this.v4End[k] > hi ? BigInt(Math.min(hi, this.v4End[k]) - Math.max(lo, this.v4Start[k]) + 1) : undefined),
      this.v4Holder,
    );
  }

  private run6(lo: bigint, hi: bigint): Run {
    const count = this.v6Holder.length;
    const first = partitionPoint(count, (k) => this.v6At(this.v6End, k) >= lo);
    const last = partitionPoint(count, (k) => this.v6At(this.v6Start, k) > hi) - 1;
    return runOf(
      first,
      last,
      4,
      (k) => {
        const start = this.v6At(this.v6Start, k);
        const end = this.v6At(this.v6End, k);
        return start < lo || end > hi ? (end < hi ? end : hi) - (start > lo ? start : lo) + 1n : undefined;
      },
      this.v6Holder,
    );
  }

  private totals4(): HolderTotals {
    if (!this.ipv4Totals) {
      const sizes = new Float64Array(this.v4Start.length);
      for (let k = 0; k < sizes.length; k++) sizes[k] = this.v4End[k] - this.v4Start[k] + 1;
      this.ipv4Totals = new HolderTotals({ holderOf: this.v4Holder, sizes, limbs: 1 }, this.groups4(), this.holderAsn, 1024);
    }
    return this.ipv4Totals;
  }

  private totals6(): HolderTotals {
    if (!this.ipv6Totals) {
      // end - start + 1 word by word, borrowing and carrying in floats (a bigint per range would cost 0.2 s here).
      const sizes = new Float64Array(this.v6Start.length);
      for (let at = 0; at < sizes.length; at += 4) {
        let borrow = 0;
        for (let j = at + 3; j >= at; j--) {
          const difference = this.v6End[j] - this.v6Start[j] - borrow;
          borrow = difference < 0 ? 1 : 0;
          sizes[j] = difference + borrow * 2 ** 32;
        }
        sizes[at + 3] += 1;
        carry(sizes, at, 4);
      }
      this.ipv6Totals = new HolderTotals({ holderOf: this.v6Holder, sizes, limbs: 4 }, this.groups6(), this.holderAsn, 512);
    }
    return this.ipv6Totals;
  }

  private nameOf(holder: number): string {
    return this.decoder.decode(this.names.subarray(this.nameOffset[holder], this.nameOffset[holder + 1]));
  }

  private v6At(words: Uint32Array, k: number): bigint {
    const at = k * 4;
    return (BigInt(words[at]) << 96n) | (BigInt(words[at + 1]) << 64n) | (BigInt(words[at + 2]) << 32n) | BigInt(words[at + 3]);
  }
}

/** Ranges [first, last] as a run, the first and last as edges when `part` says [lo, hi] takes only part of them. */
function runOf(first: number, last: number, limbs: Limbs, part: (k: number) => bigint | undefined, holderOf: Uint32Array): Run {
  const edges: Edge[] = [];
  const edge = (k: number): boolean => {
    const addresses = part(k);
    if (addresses === undefined) return false;
    const size = new Float64Array(limbs);
    bigIntToLimbs(addresses, size, 0, limbs);
    edges.push({ holder: holderOf[k], size });
    return true;
  };
  if (first <= last && edge(first)) first++;
  if (first <= last && edge(last)) last--;
  return { first, last, edges };
}

/** Holder `holder`'s ranges in `groups`, ascending. */
function rangesOf(groups: Groups, holder: number): Uint32Array {
  workDone.probes += groups.start[holder + 1] - groups.start[holder];
  return groups.positions.subarray(groups.start[holder], groups.start[holder + 1]);
}
