/**
 * Who holds the addresses: an index of routed ranges to autonomous systems
 * and their organisations, read straight from the bytes that
 * scripts/build-asn-index.mjs writes (no parsing at load time).
 *
 * Layout, little-endian, every section 4-byte aligned:
 *   "BLASN001"; u32 v4Count, v6Count, holderCount, nameBytes;
 *   u32 v4Start[v4Count], v4End[v4Count], v4Holder[v4Count];
 *   u32 v6Start[4·v6Count], v6End[4·v6Count] (128-bit, most significant word first), v6Holder[v6Count];
 *   u32 holderAsn[holderCount], nameOffset[holderCount + 1]; u8 names[nameBytes] (UTF-8).
 * Ranges are sorted and disjoint within each family.
 */

import { lowerBound, partitionPoint } from '../primitives/search';
import { workDone } from '../primitives/workCounter';

const MAGIC = 'BLASN001';

/** Scratch space for countHoldersIPv4: the distinct ASNs met so far (limits up to 1,023). */
const counted = new Uint32Array(1024);

/** One organisation's share of a queried range. */
export interface Holding {
  readonly asn: number;
  readonly name: string;
  /** Addresses of the queried range this holder announces. */
  readonly addresses: bigint;
}

export class AsnIndex {
  private readonly decoder = new TextDecoder();

  private constructor(
    private readonly v4Start: Uint32Array,
    private readonly v4End: Uint32Array,
    private readonly v4Holder: Uint32Array,
    private readonly v6Start: Uint32Array,
    private readonly v6End: Uint32Array,
    private readonly v6Holder: Uint32Array,
    private readonly holderAsn: Uint32Array,
    private readonly nameOffset: Uint32Array,
    private readonly names: Uint8Array,
  ) {}

  /** Views over `bytes` (which must stay unchanged). Throws if they are not an index. */
  static fromBytes(bytes: Uint8Array): AsnIndex {
    if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice(); // typed views need 4-byte alignment
    if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
      throw new Error('Not an ASN index: rebuild it with "npm run build".');
    }
    let offset = bytes.byteOffset + 8;
    const words = (count: number) => {
      const view = new Uint32Array(bytes.buffer, offset, count);
      offset += count * 4;
      return view;
    };
    const [v4Count, v6Count, holderCount, nameBytes] = words(4);
    const index = new AsnIndex(
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

  /** The holders of the addresses in [lo, hi], most addresses first. O(log n + k). */
  holdersIPv4(lo: number, hi: number): Holding[] {
    const counts = new Map<number, number>();
    for (let k = lowerBound(this.v4End, lo); k < this.v4End.length && this.v4Start[k] <= hi; k++) {
      const shared = Math.min(hi, this.v4End[k]) - Math.max(lo, this.v4Start[k]) + 1;
      const holder = this.v4Holder[k];
      counts.set(holder, (counts.get(holder) ?? 0) + shared);
      workDone.probes++;
    }
    return this.holdings(new Map([...counts].map(([holder, count]) => [holder, BigInt(count)])));
  }

  holdersIPv6(lo: bigint, hi: bigint): Holding[] {
    const counts = new Map<number, bigint>();
    const count = this.v6Holder.length;
    for (let k = partitionPoint(count, (k) => this.v6At(this.v6End, k) >= lo); k < count; k++) {
      const start = this.v6At(this.v6Start, k);
      if (start > hi) break;
      const end = this.v6At(this.v6End, k);
      const shared = (end < hi ? end : hi) - (start > lo ? start : lo) + 1n;
      const holder = this.v6Holder[k];
      counts.set(holder, (counts.get(holder) ?? 0n) + shared);
      workDone.probes++;
    }
    return this.holdings(counts);
  }

  /**
   * How many different holders announce addresses in [lo, hi], counting no
   * further than `limit + 1` (enough to tell "more than limit").
   */
  countHoldersIPv4(lo: number, hi: number, limit: number): number {
    // Run on every large entry of a list: no closure, no allocation, and a search of its own
    // (the shared lowerBound sees every kind of array and is slower here).
    let first = 0;
    let last = this.v4End.length;
    let steps = 0;
    while (first < last) {
      const mid = (first + last) >>> 1;
      if (this.v4End[mid] < lo) first = mid + 1;
      else last = mid;
      steps++;
    }
    let count = 0;
    let k = first;
    for (; k < this.v4End.length && this.v4Start[k] <= hi; k++) {
      const asn = this.holderAsn[this.v4Holder[k]];
      let seen = false;
      for (let j = 0; j < count && !seen; j++) seen = counted[j] === asn;
      if (seen) continue;
      counted[count++] = asn;
      if (count > limit || count === counted.length) break;
    }
    workDone.probes += steps + k - first;
    return count;
  }

  countHoldersIPv6(lo: bigint, hi: bigint, limit: number): number {
    const seen: number[] = [];
    const count = this.v6Holder.length;
    const first = partitionPoint(count, (k) => this.v6At(this.v6End, k) >= lo);
    let k = first;
    for (; k < count && this.v6At(this.v6Start, k) <= hi; k++) {
      const asn = this.holderAsn[this.v6Holder[k]];
      if (!seen.includes(asn)) {
        seen.push(asn);
        if (seen.length > limit) break;
      }
    }
    workDone.probes += k - first;
    return seen.length;
  }

  /** Calls `visit` with every range announced by an ASN that `wanted` accepts, IPv4 (as numbers) then IPv6. */
  forEachRangeOf(wanted: (asn: number) => boolean, visit4: (lo: number, hi: number, asn: number) => void, visit6: (lo: bigint, hi: bigint, asn: number) => void): void {
    for (let k = 0; k < this.v4Start.length; k++) {
      const asn = this.holderAsn[this.v4Holder[k]];
      if (wanted(asn)) visit4(this.v4Start[k], this.v4End[k], asn);
    }
    for (let k = 0; k < this.v6Holder.length; k++) {
      const asn = this.holderAsn[this.v6Holder[k]];
      if (wanted(asn)) visit6(this.v6At(this.v6Start, k), this.v6At(this.v6End, k), asn);
    }
    workDone.probes += this.v4Start.length + this.v6Holder.length;
  }

  private holdings(counts: Map<number, bigint>): Holding[] {
    return [...counts]
      .map(([holder, addresses]) => ({ asn: this.holderAsn[holder], name: this.nameOf(holder), addresses }))
      .sort((a, b) => (a.addresses > b.addresses ? -1 : a.addresses < b.addresses ? 1 : a.asn - b.asn));
  }

  private nameOf(holder: number): string {
    return this.decoder.decode(this.names.subarray(this.nameOffset[holder], this.nameOffset[holder + 1]));
  }

  private v6At(words: Uint32Array, k: number): bigint {
    const at = k * 4;
    return (BigInt(words[at]) << 96n) | (BigInt(words[at + 1]) << 64n) | (BigInt(words[at + 2]) << 32n) | BigInt(words[at + 3]);
  }
}
