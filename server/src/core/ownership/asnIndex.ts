/**
 * Who holds the addresses: an index of routed ranges to autonomous systems
 * and their organisations, read straight from the bytes that asnCompile.ts
 * writes (nothing parsed at load time but a few hundred bytes of JSON saying
 * what data it is).
 *
 * Layout, little-endian, every section 4-byte aligned:
 *   "BLASN005"; u32 aboutBytes; u8 about[aboutBytes] (the data's DataAbout as
 *   UTF-8 JSON, padded with spaces to a multiple of 4);
 *   u32 v4Count, v6Count, holderCount, nameBytes, v4Multi, v4Others, v6Multi, v6Others, v4Rankings, v6Rankings,
 *   catalogSize, v4Providers, v6Providers;
 *   u32 v4Start[v4Count], v4End[v4Count], v4Holder[v4Count];
 *   u32 v6Start[4·v6Count], v6End[4·v6Count] (128-bit, most significant word first), v6Holder[v6Count];
 *   per family, the ranges more than one AS announces (a snapshot's multi-origin prefixes):
 *   u32 multiRange[multi] (ascending), otherStart[multi + 1], otherAsn[others] (the other origins of multiRange[m]
 *   are otherAsn[otherStart[m], otherStart[m + 1]));
 *   u32 holderAsn[holderCount], holderOrganisation[holderCount];
 *   u32 v4Rankings[v4Rankings], v6Rankings[v6Rankings] (the organisations' rows of largest holders,
 *   HolderTotals.rankings; none in an index being compiled);
 *   u32 memberStart[holderCount + 1], member[holderCount] (the holders of organisation o are
 *   member[memberStart[o], memberStart[o + 1]), ascending); u32 byAsn[holderCount] (the holders in ASN order);
 *   the known providers' ranges: u32 catalog[catalogSize] (the provider ASNs they are for, ascending);
 *   u32 v4ProviderStart[v4Providers], v4ProviderEnd[v4Providers], v4ProviderAsn[v4Providers];
 *   u32 v6ProviderStart[4·v6Providers], v6ProviderEnd[4·v6Providers], v6ProviderAsn[v6Providers];
 *   u32 nameOffset[holderCount + 1]; u8 names[nameBytes] (UTF-8).
 * Ranges are sorted and disjoint within each family. A holder is one (ASN,
 * name) pair; its organisation is the holder it shares an organisation with
 * and goes by (organisations.ts). The members, the ASN order and the
 * providers' ranges are shipped as the rankings are: made in a fresh
 * process, they cost the first organisation named some 10 ms, the first
 * question by ASN a sort, and the first provider check a pass over the
 * index, and reading the providers' ranges from the index's own columns
 * touches every page of them (a first touch costs some microseconds each on
 * a virtual machine). An index compiled with another catalog of providers
 * has its providers' ranges gathered from its ranges instead.
 */

import type { AddressSet } from '../addresses/addressSet';
import { lowerBound, partitionPoint } from '../primitives/search';
import { workDone } from '../primitives/workCounter';
import { groupByHolder, HolderTotals, rankingsLength, type Edge, type FamilyRanges, type Groups, type Run } from './holderTotals';
import { parseDataAbout, type DataAbout } from './dataAbout';
import { bigIntToLimbs, carry, type Limbs } from './limbs';
import { PROVIDER_ASN_SET, providerOfAsn } from './providers';

/** The first bytes of an index in this format. */
export const ASN_INDEX_MAGIC = 'BLASN005';
/** Earlier formats (without the data's about, without organisations, without their rankings, without their members): refused with what to do. */
const OLD_MAGICS = ['BLASN001', 'BLASN002', 'BLASN003', 'BLASN004'];

/** Ranges per block of HolderTotals, per family: a query walks up to two blocks, and there is a row of rankings per block. */
const IPV4_BLOCK = 1024;
const IPV6_BLOCK = 512;

/** Queries whose answers are kept. */
const RECALLED = 16;

/** One family's ranges of some autonomous systems, in address order, column by column. */
export interface AsnRanges<A extends number | bigint> {
  readonly starts: ArrayLike<A>;
  readonly ends: ArrayLike<A>;
  readonly asns: ArrayLike<number>;
}

/** One autonomous system's share of queried addresses (one (ASN, name) pair of the data). */
export interface AsnShare {
  readonly asn: number;
  readonly name: string;
  readonly addresses: bigint;
}

/** One organisation's share of queried addresses. */
export interface OrganisationShare {
  /** Tells organisations of one index apart. */
  readonly id: number;
  /** The provider's name for an organisation of the provider catalog, else the name of its holder with the most IPv4 addresses in the whole data. */
  readonly name: string;
  readonly addresses: bigint;
  /** Its autonomous systems with addresses there, most first (ties: the lower ASN first). */
  readonly asns: readonly AsnShare[];
}

/** Who holds queried addresses. */
export interface Holders {
  /** The organisations asked for, most addresses first (ties: the lower ASN first). */
  readonly largest: readonly OrganisationShare[];
  /** How many organisations have addresses there. */
  readonly count: number;
  /** Addresses that anyone announces. */
  readonly announced: bigint;
}

/** The known providers' ranges as an index ships them, IPv6's as four words an address, and the provider ASNs they are for. */
interface ShippedProviders {
  readonly catalog: Uint32Array;
  readonly 4: AsnRanges<number>;
  readonly 6: { readonly starts: Uint32Array; readonly ends: Uint32Array; readonly asns: Uint32Array };
}

/** The ranges of one family that other autonomous systems announce too, with those ASNs. */
interface OtherOrigins {
  readonly range: Uint32Array;
  readonly start: Uint32Array;
  readonly asns: Uint32Array;
}

/**
 * One family's address counts by holder, and by organisation once a query
 * asks for organisations (the provider shares an opening list needs count
 * by holder alone).
 */
class FamilyTotals {
  readonly holders: HolderTotals;
  private byOrganisation?: HolderTotals;

  constructor(
    private readonly ranges: FamilyRanges,
    groups: () => Groups,
    private readonly holderAsn: Uint32Array,
    private readonly holderOrganisation: Uint32Array,
    private readonly blockSize: number,
    /** The organisations' rows of largest holders, as the index ships them (HolderTotals). */
    private readonly organisationRankings: Uint32Array,
  ) {
    this.holders = new HolderTotals(ranges, groups, holderAsn, blockSize);
  }

  /** The same ranges numbered by their holders' organisations. */
  get organisations(): HolderTotals {
    if (!this.byOrganisation) {
      const { ranges, holderOrganisation } = this;
      const holders = once(() => {
        const all = ranges.holders().slice();
        for (let p = 0; p < all.length; p++) all[p] = holderOrganisation[all[p]];
        return all;
      });
      const byOrganisation: FamilyRanges = { ...ranges, holderAt: (p) => holderOrganisation[ranges.holderAt(p)], holders };
      const groups = () => groupByHolder(holders(), this.holderAsn.length);
      this.byOrganisation = new HolderTotals(byOrganisation, groups, this.holderAsn, this.blockSize, this.organisationRankings);
    }
    return this.byOrganisation;
  }
}

export class AsnIndex {
  private readonly decoder = new TextDecoder();
  /** Built when a query first needs them. */
  private ipv4Groups?: Groups;
  private ipv6Groups?: Groups;
  private ipv4Totals?: FamilyTotals;
  private ipv6Totals?: FamilyTotals;
  private providers4?: AsnRanges<number>;
  private providers6?: AsnRanges<bigint>;
  /** For countOrganisations: per organisation, the number of the count that last met it (none is 0). */
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
    private readonly otherOrigins: Readonly<Record<4 | 6, OtherOrigins>>,
    private readonly holderAsn: Uint32Array,
    private readonly holderOrganisation: Uint32Array,
    private readonly rankings: Readonly<Record<4 | 6, Uint32Array>>,
    /** The holders of each organisation, grouped as groupByHolder groups ranges. */
    private readonly members: Groups,
    /** The holders in ASN order (ties in holder order). */
    private readonly byAsn: Uint32Array,
    /** Undefined when the index was compiled with another catalog of providers. */
    private readonly shipped: ShippedProviders | undefined,
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
    if (OLD_MAGICS.includes(magic)) throw new Error(`The ASN index is in an older format (${magic}): rebuild it with "npm run build", or update the ownership data again.`);
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
    const [v4Count, v6Count, holderCount, nameBytes, v4Multi, v4Others, v6Multi, v6Others, v4Rankings, v6Rankings, catalogSize, v4Providers, v6Providers] = words(13);
    const otherOrigins = (multi: number, others: number): OtherOrigins => ({ range: words(multi), start: words(multi + 1), asns: words(others) });
    const providers = (): ShippedProviders => ({
      catalog: words(catalogSize),
      4: { starts: words(v4Providers), ends: words(v4Providers), asns: words(v4Providers) },
      6: { starts: words(4 * v6Providers), ends: words(4 * v6Providers), asns: words(v6Providers) },
    });
    const index = new AsnIndex(
      about,
      words(v4Count),
      words(v4Count),
      words(v4Count),
      words(v6Count * 4),
      words(v6Count * 4),
      words(v6Count),
      { 4: otherOrigins(v4Multi, v4Others), 6: otherOrigins(v6Multi, v6Others) },
      words(holderCount),
      words(holderCount),
      { 4: words(v4Rankings), 6: words(v6Rankings) },
      { start: words(holderCount + 1), positions: words(holderCount) },
      words(holderCount),
      ofThisCatalog(providers()),
      words(holderCount + 1),
      new Uint8Array(bytes.buffer, offset, nameBytes),
    );
    if (offset + nameBytes !== bytes.byteOffset + bytes.byteLength) throw new Error('The ASN index is truncated: rebuild it with "npm run build".');
    const fits = (rankings: number, ranges: number, blockSize: number) => rankings === 0 || rankings === rankingsLength(ranges, blockSize);
    if (!fits(v4Rankings, v4Count, IPV4_BLOCK) || !fits(v6Rankings, v6Count, IPV6_BLOCK)) {
      throw new Error('The ASN index is damaged (its rankings do not fit its ranges): rebuild it with "npm run build".');
    }
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
   * Who holds the addresses of [lo, hi]: the `limit` organisations holding
   * most (most first; all of them by default), how many hold any, and how
   * many addresses anyone announces. With a limit up to TOP
   * (holderTotals.ts) it looks at two blocks of ranges at most, however
   * many [lo, hi] spans; without one it walks them all.
   */
  holders(version: 4 | 6, lo: bigint, hi: bigint, limit = Infinity): Holders {
    return this.recall(`${version} ${lo} ${hi} ${limit}`, () => {
      const [totals, run] = this.lookUp(version, lo, hi);
      const ranking = totals.organisations.rank(run, limit);
      return {
        largest: ranking.holders.map((lead, m) => this.organisationShare(lead, ranking.addresses[m], (holder) => totals.holders.addressesOf(holder, run))),
        count: ranking.count,
        announced: totals.holders.announced(run),
      };
    });
  }

  /** Both families' rows of largest organisations (HolderTotals.rankings), for the index to ship: seconds of work, done once when it is built. */
  organisationRankings(): Readonly<Record<4 | 6, Uint32Array>> {
    return { 4: this.totals4().organisations.rankings(), 6: this.totals6().organisations.rankings() };
  }

  /** The addresses of [lo, hi] that each of the autonomous systems `asns` announces: O(log n) each. */
  addressesOf(version: 4 | 6, lo: bigint, hi: bigint, asns: readonly number[]): readonly bigint[] {
    return this.recall(`${version} ${lo} ${hi} AS${asns.join(' ')}`, () => {
      const [totals, run] = this.lookUp(version, lo, hi);
      return asns.map((asn) => this.holdersOfAsn(asn).reduce((sum, holder) => sum + totals.holders.addressesOf(holder, run), 0n));
    });
  }

  /**
   * How many different organisations announce addresses in [lo, hi],
   * counting no further than `limit + 1` (enough to tell "more than
   * limit"): a walk from the first range that stops there, run on every
   * large entry of a list.
   */
  countOrganisationsIPv4(lo: number, hi: number, limit: number): number {
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
      const organisation = this.holderOrganisation[this.v4Holder[k]];
      if (this.metBy[organisation] !== counting) {
        this.metBy[organisation] = counting;
        count++;
      }
    }
    workDone.probes += steps + k - first;
    return count;
  }

  countOrganisationsIPv6(lo: bigint, hi: bigint, limit: number): number {
    const ranges = this.v6Holder.length;
    const first = partitionPoint(ranges, (k) => this.v6At(this.v6End, k) >= lo);
    const counting = this.nextCounting();
    let count = 0;
    let k = first;
    for (; k < ranges && this.v6At(this.v6Start, k) <= hi && count <= limit; k++) {
      const organisation = this.holderOrganisation[this.v6Holder[k]];
      if (this.metBy[organisation] !== counting) {
        this.metBy[organisation] = counting;
        count++;
      }
    }
    workDone.probes += k - first;
    return count;
  }

  /**
   * Who holds the addresses of a whole set, every organisation with its
   * share, most first: one search per range of the set, then a walk over
   * the index ranges it touches, so a sparse set never walks the whole index.
   */
  holdingsOf4(set: AddressSet<number>): Holders {
    const held = new Float64Array(this.holderAsn.length); // exact: at most 2^32 addresses
    set.forEachRange((lo, hi) => {
      for (let k = lowerBound(this.v4End, lo); k < this.v4End.length && this.v4Start[k] <= hi; k++) {
        held[this.v4Holder[k]] += Math.min(hi, this.v4End[k]) - Math.max(lo, this.v4Start[k]) + 1;
        workDone.probes++;
      }
    });
    return this.byOrganisation((holder) => BigInt(held[holder]));
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
    return this.byOrganisation((holder) => held.get(holder) ?? 0n);
  }

  /** The other autonomous systems that announce some of [lo, hi] (multi-origin prefixes, in a snapshot that has them), ascending: one search, then the multi-origin ranges of the run. */
  otherOriginsOf(version: 4 | 6, lo: bigint, hi: bigint): number[] {
    const others = this.otherOrigins[version];
    if (others.range.length === 0) return []; // data with one origin per range, such as the shipped data
    const { first, last, edges } = version === 4 ? this.run4(Number(lo), Number(hi)) : this.run6(lo, hi);
    const [from, to] = [Math.min(first, ...edges.map((e) => e.range)), Math.max(last, ...edges.map((e) => e.range))];
    const found = new Set<number>();
    for (let m = lowerBound(others.range, from); m < others.range.length && others.range[m] <= to; m++) {
      for (let at = others.start[m]; at < others.start[m + 1]; at++) found.add(others.asns[at]);
    }
    return [...found].sort((a, b) => a - b);
  }

  /** The name the data gives autonomous system `asn` (its first, should it give several); undefined when the data has no such AS. */
  nameOfAsn(asn: number): string | undefined {
    const holders = this.holdersOfAsn(asn);
    return holders.length > 0 ? this.nameOf(holders[0]) : undefined;
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

  /**
   * The IPv4 ranges of the known providers (providers.ts), in address order
   * (the ranges ascend and never overlap): as the index ships them, else
   * gathered once by a pass over the index.
   */
  providerRanges4(): AsnRanges<number> {
    return (this.providers4 ??= this.shipped?.[4] ?? this.ipv4RangesOf(this.holdersOf(PROVIDER_ASN_SET)));
  }

  providerRanges6(): AsnRanges<bigint> {
    const shipped = this.shipped?.[6];
    if (!shipped) return (this.providers6 ??= this.ipv6RangesOf(this.holdersOf(PROVIDER_ASN_SET)));
    const at = (words: Uint32Array) => Array.from(shipped.asns, (_, k) => this.v6At(words, k));
    return (this.providers6 ??= { starts: at(shipped.starts), ends: at(shipped.ends), asns: shipped.asns });
  }

  /** 1 for each holder whose ASN is one of `asns`, for ipv4RangesOf and ipv6RangesOf: a search per ASN. */
  private holdersOf(asns: ReadonlySet<number>): Uint8Array {
    const listed = new Uint8Array(this.holderAsn.length);
    for (const asn of asns) for (const holder of this.holdersOfAsn(asn)) listed[holder] = 1;
    return listed;
  }

  /**
   * The IPv4 ranges of the holders that `listed` marks, in address order (the
   * ranges ascend and never overlap), for a catalog of many ASNs such as the
   * providers': a pass over the index to count them and one to copy them,
   * cheaper than gathering thousands of ranges ASN by ASN and sorting them.
   */
  private ipv4RangesOf(listed: Uint8Array): AsnRanges<number> {
    // Locals, not fields, and no callback: this runs once per process, much of it before the loops are optimised.
    const { holderAsn, v4Holder, v4Start, v4End } = this;
    let count = 0;
    for (let k = 0; k < v4Holder.length; k++) count += listed[v4Holder[k]];
    const [starts, ends, asns] = [new Uint32Array(count), new Uint32Array(count), new Uint32Array(count)];
    for (let k = 0, m = 0; m < count; k++) {
      if (listed[v4Holder[k]] === 0) continue;
      starts[m] = v4Start[k];
      ends[m] = v4End[k];
      asns[m++] = holderAsn[v4Holder[k]];
    }
    workDone.probes += 2 * v4Holder.length;
    return { starts, ends, asns };
  }

  /** ipv4RangesOf for IPv6. */
  private ipv6RangesOf(listed: Uint8Array): AsnRanges<bigint> {
    const { holderAsn, v6Holder } = this;
    const [starts, ends, asns]: [bigint[], bigint[], number[]] = [[], [], []];
    for (let k = 0; k < v6Holder.length; k++) {
      if (listed[v6Holder[k]] === 0) continue;
      starts.push(this.v6At(this.v6Start, k));
      ends.push(this.v6At(this.v6End, k));
      asns.push(holderAsn[v6Holder[k]]);
    }
    workDone.probes += v6Holder.length;
    return { starts, ends, asns };
  }

  /** Every organisation with addresses, most first (ties: the lower ASN first), from each holder's addresses. */
  private byOrganisation(addressesOf: (holder: number) => bigint): Holders {
    const held = new Map<number, bigint>();
    for (let holder = 0; holder < this.holderAsn.length; holder++) {
      const addresses = addressesOf(holder);
      if (addresses === 0n) continue;
      const lead = this.holderOrganisation[holder];
      held.set(lead, (held.get(lead) ?? 0n) + addresses);
    }
    const largest = [...held]
      .map(([lead, addresses]) => this.organisationShare(lead, addresses, addressesOf))
      .sort((a, b) => moreFirst(a.addresses, b.addresses) || this.holderAsn[a.id] - this.holderAsn[b.id] || a.id - b.id);
    return { largest, count: largest.length, announced: largest.reduce((sum, share) => sum + share.addresses, 0n) };
  }

  /** The organisation that holder `lead` leads, with its `addresses` and its ASNs' shares of them (from each holder's addresses). */
  private organisationShare(lead: number, addresses: bigint, addressesOf: (holder: number) => bigint): OrganisationShare {
    const asns: AsnShare[] = [];
    const members = this.membersOf(lead);
    for (const holder of members) {
      // Most organisations are one holder: its share is the organisation's, with no lookup.
      const held = members.length === 1 ? addresses : addressesOf(holder);
      if (held > 0n) asns.push({ asn: this.holderAsn[holder], name: this.nameOf(holder), addresses: held });
    }
    return {
      id: lead,
      name: providerOfAsn(this.holderAsn[lead])?.name ?? this.nameOf(lead),
      addresses,
      asns: asns.sort((a, b) => moreFirst(a.addresses, b.addresses) || a.asn - b.asn),
    };
  }

  /** The holders of the organisation that holder `lead` leads. */
  private membersOf(lead: number): Uint32Array {
    workDone.probes += this.members.start[lead + 1] - this.members.start[lead];
    return this.members.positions.subarray(this.members.start[lead], this.members.start[lead + 1]);
  }

  /** The holders of `asn` (one in the data today; the format allows several names for one number). */
  private holdersOfAsn(asn: number): Uint32Array {
    const { byAsn, holderAsn } = this;
    return byAsn.subarray(
      partitionPoint(byAsn.length, (m) => holderAsn[byAsn[m]] >= asn),
      partitionPoint(byAsn.length, (m) => holderAsn[byAsn[m]] > asn),
    );
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
  private lookUp(version: 4 | 6, lo: bigint, hi: bigint): [FamilyTotals, Run] {
    return version === 4 ? [this.totals4(), this.run4(Number(lo), Number(hi))] : [this.totals6(), this.run6(lo, hi)];
  }

  /** The IPv4 ranges [lo, hi] touches, those it takes only part of as edges. */
  private run4(lo: number, hi: number): Run {
    const first = lowerBound(this.v4End, lo);
    const last = lowerBound(this.v4Start, hi + 1) - 1;
    return runOf(first, last, 1, (k) => (this.v4Start[k] < lo || this.v4End[k] > hi ? BigInt(Math.min(hi, this.v4End[k]) - Math.max(lo, this.v4Start[k]) + 1) : undefined));
  }

  private run6(lo: bigint, hi: bigint): Run {
    const count = this.v6Holder.length;
    const first = partitionPoint(count, (k) => this.v6At(this.v6End, k) >= lo);
    const last = partitionPoint(count, (k) => this.v6At(this.v6Start, k) > hi) - 1;
    return runOf(first, last, 4, (k) => {
      const start = this.v6At(this.v6Start, k);
      const end = this.v6At(this.v6End, k);
      return start < lo || end > hi ? (end < hi ? end : hi) - (start > lo ? start : lo) + 1n : undefined;
    });
  }

  private totals4(): FamilyTotals {
    if (!this.ipv4Totals) {
      // Locals, not fields: the sizes are worked out once per process, mostly before the loop is optimised.
      const { v4Start, v4End, v4Holder } = this;
      const ranges: FamilyRanges = {
        count: v4Holder.length,
        limbs: 1,
        holderAt: (p) => v4Holder[p],
        addSize: (out, at, p) => (out[at] += v4End[p] - v4Start[p] + 1),
        holders: () => v4Holder,
        sizes: once(() => {
          const sizes = new Float64Array(v4Start.length);
          for (let k = 0; k < sizes.length; k++) sizes[k] = v4End[k] - v4Start[k] + 1;
          return sizes;
        }),
      };
      this.ipv4Totals = new FamilyTotals(ranges, () => this.groups4(), this.holderAsn, this.holderOrganisation, IPV4_BLOCK, this.rankings[4]);
    }
    return this.ipv4Totals;
  }

  private totals6(): FamilyTotals {
    if (!this.ipv6Totals) {
      const { v6Start, v6End, v6Holder } = this;
      // end - start + 1 word by word, borrowing and carrying in floats (a bigint per range would cost 0.2 s here).
      const sizes = once(() => {
        const all = new Float64Array(v6Start.length);
        for (let at = 0; at < all.length; at += 4) {
          let borrow = 0;
          for (let j = at + 3; j >= at; j--) {
            const difference = v6End[j] - v6Start[j] - borrow;
            borrow = difference < 0 ? 1 : 0;
            all[j] = difference + borrow * 2 ** 32;
          }
          all[at + 3] += 1;
          carry(all, at, 4);
        }
        return all;
      });
      const ranges: FamilyRanges = {
        count: v6Holder.length,
        limbs: 4,
        holderAt: (p) => v6Holder[p],
        addSize: (out, at, p) => {
          const all = sizes();
          for (let j = 0; j < 4; j++) out[at + j] += all[4 * p + j];
        },
        holders: () => v6Holder,
        sizes,
      };
      this.ipv6Totals = new FamilyTotals(ranges, () => this.groups6(), this.holderAsn, this.holderOrganisation, IPV6_BLOCK, this.rankings[6]);
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

/** The providers' ranges an index ships, when it was compiled with the catalog of providers this code has. */
function ofThisCatalog(shipped: ShippedProviders): ShippedProviders | undefined {
  const catalog = [...PROVIDER_ASN_SET].sort((a, b) => a - b);
  return shipped.catalog.length === catalog.length && catalog.every((asn, m) => shipped.catalog[m] === asn) ? shipped : undefined;
}

/** `make()`, made on the first call and kept. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

/** Ranges [first, last] as a run, the first and last as edges when `part` says [lo, hi] takes only part of them. */
function runOf(first: number, last: number, limbs: Limbs, part: (k: number) => bigint | undefined): Run {
  const edges: Edge[] = [];
  const edge = (k: number): boolean => {
    const addresses = part(k);
    if (addresses === undefined) return false;
    const size = new Float64Array(limbs);
    bigIntToLimbs(addresses, size, 0, limbs);
    edges.push({ range: k, size });
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

/** The order of address counts, most first. */
function moreFirst(a: bigint, b: bigint): number {
  return a > b ? -1 : a < b ? 1 : 0;
}
