/**
 * Compiles IP-to-ASN rows into the bytes of an ASN index (the layout is
 * asnIndex.ts's): the build does it for the shipped data, "Update Ownership
 * Data" for a download, so both give the same bytes from the same rows.
 */
import { ASN_INDEX_MAGIC, AsnIndex } from './asnIndex';
import type { DataAbout } from './dataAbout';
import { groupByHolder } from './holderTotals';
import { organisationLeads } from './organisations';
import { PROVIDER_ASN_SET } from './providers';
import { radixSortIndices } from '../primitives/radixSort';

/** One row of an IP-to-ASN dataset: an inclusive range, the AS announcing it and the AS's organisation. */
export interface AsnRow {
  readonly start: bigint;
  readonly end: bigint;
  readonly asn: number;
  readonly name: string;
  /** Other autonomous systems that announce the range too (a multi-origin prefix or an AS set). */
  readonly others?: readonly number[];
}

/** The rows of each family, sorted by start as the datasets publish them. */
export interface AsnRows {
  readonly ipv4: readonly AsnRow[];
  readonly ipv6: readonly AsnRow[];
}

export interface CompiledAsnIndex {
  readonly bytes: Uint8Array;
  readonly ipv4Ranges: number;
  readonly ipv6Ranges: number;
  readonly holders: number;
  /** Rows that overlapped an earlier one, per family (resolved: the narrower range wins). */
  readonly overlaps: { readonly ipv4: number; readonly ipv6: number };
}

interface MutableRow {
  start: bigint;
  end: bigint;
  readonly asn: number;
  readonly name: string;
  readonly others?: readonly number[];
}

/** The index of `rows`, saying it holds the data `about` describes. */
export function compileAsnIndex(about: DataAbout, rows: AsnRows): CompiledAsnIndex {
  const ipv4 = resolveOverlaps(rows.ipv4);
  const ipv6 = resolveOverlaps(rows.ipv6);

  // One holder per (ASN, organisation) pair, numbered as first met: IPv4 first, then IPv6.
  const holders = new Map<string, { readonly index: number; readonly asn: number; readonly name: string }>();
  const holderOf = (asn: number, name: string): number => {
    const key = `${asn}\u0000${name}`;
    let holder = holders.get(key);
    if (!holder) holders.set(key, (holder = { index: holders.size, asn, name }));
    return holder.index;
  };

  const v4Start = new Uint32Array(ipv4.ranges.length);
  const v4End = new Uint32Array(ipv4.ranges.length);
  const v4Holder = new Uint32Array(ipv4.ranges.length);
  ipv4.ranges.forEach(({ start, end, asn, name }, k) => {
    v4Start[k] = Number(start);
    v4End[k] = Number(end);
    v4Holder[k] = holderOf(asn, name);
  });

  // 128-bit numbers as four 32-bit words, most significant first.
  const v6Start = new Uint32Array(ipv6.ranges.length * 4);
  const v6End = new Uint32Array(ipv6.ranges.length * 4);
  const v6Holder = new Uint32Array(ipv6.ranges.length);
  ipv6.ranges.forEach(({ start, end, asn, name }, k) => {
    putWords(v6Start, k, start);
    putWords(v6End, k, end);
    v6Holder[k] = holderOf(asn, name);
  });

  const encoder = new TextEncoder();
  const holderList = [...holders.values()];
  const holderAsn = Uint32Array.from(holderList, (holder) => holder.asn);
  // An organisation goes by the name of its holder with the most IPv4 addresses.
  const ipv4Addresses = new Float64Array(holderList.length);
  for (let k = 0; k < v4Holder.length; k++) ipv4Addresses[v4Holder[k]] += v4End[k] - v4Start[k] + 1;
  const holderOrganisation = organisationLeads(holderList, ipv4Addresses);
  const members = groupByHolder(holderOrganisation, holderList.length);
  const byAsn = Uint32Array.from(holderList, (_, holder) => holder);
  radixSortIndices(byAsn, holderAsn);
  const encodedNames = holderList.map((holder) => encoder.encode(holder.name));
  const nameOffsets = new Uint32Array(holderList.length + 1);
  encodedNames.forEach((bytes, k) => (nameOffsets[k + 1] = nameOffsets[k] + bytes.length));
  const names = new Uint8Array(nameOffsets[holderList.length]);
  encodedNames.forEach((bytes, k) => names.set(bytes, nameOffsets[k]));

  // Padded with spaces, which JSON ignores, to keep the sections after it 4-byte aligned.
  const aboutJson = encoder.encode(JSON.stringify(about));
  const aboutBytes = new Uint8Array(Math.ceil(aboutJson.length / 4) * 4).fill(0x20);
  aboutBytes.set(aboutJson);
  const [v4Others, v6Others] = [otherOrigins(ipv4.ranges), otherOrigins(ipv6.ranges)];
  const withDerived = (v4Rankings: Uint32Array, v6Rankings: Uint32Array, providers: ProviderSections) =>
    concatenate([
      encoder.encode(ASN_INDEX_MAGIC),
      new Uint32Array([aboutBytes.length]),
      aboutBytes,
      new Uint32Array([
        ipv4.ranges.length,
        ipv6.ranges.length,
        holderList.length,
        names.length,
        v4Others[0].length,
        v4Others[2].length,
        v6Others[0].length,
        v6Others[2].length,
        v4Rankings.length,
        v6Rankings.length,
        providers.catalog.length,
        providers.v4[0].length,
        providers.v6[2].length,
      ]),
      v4Start,
      v4End,
      v4Holder,
      v6Start,
      v6End,
      v6Holder,
      ...v4Others,
      ...v6Others,
      holderAsn,
      holderOrganisation,
      v4Rankings,
      v6Rankings,
      members.start,
      members.positions,
      byAsn,
      providers.catalog,
      ...providers.v4,
      ...providers.v6,
      nameOffsets,
      names,
    ]);
  // The rankings and the providers' ranges are worked out by the index itself, read without them.
  const none = new Uint32Array(0);
  const draft = AsnIndex.fromBytes(withDerived(none, none, { catalog: none, v4: [none, none, none], v6: [none, none, none] }));
  const rankings = draft.organisationRankings();
  const bytes = withDerived(rankings[4], rankings[6], providerSections(draft));
  return {
    bytes,
    ipv4Ranges: ipv4.ranges.length,
    ipv6Ranges: ipv6.ranges.length,
    holders: holderList.length,
    overlaps: { ipv4: ipv4.overlaps, ipv6: ipv6.overlaps },
  };
}

function concatenate(sections: readonly ArrayBufferView[]): Uint8Array {
  const bytes = new Uint8Array(sections.reduce((sum, section) => sum + section.byteLength, 0));
  let offset = 0;
  for (const section of sections) {
    bytes.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), offset);
    offset += section.byteLength;
  }
  return bytes;
}

/** The ranges that other ASNs announce too, as the index lays them out: their positions, where each one's ASNs start, and the ASNs. */
function otherOrigins(ranges: readonly MutableRow[]): [Uint32Array, Uint32Array, Uint32Array] {
  const positions: number[] = [];
  const starts = [0];
  const asns: number[] = [];
  ranges.forEach((row, k) => {
    if (!row.others?.length) return;
    positions.push(k);
    asns.push(...row.others);
    starts.push(asns.length);
  });
  return [Uint32Array.from(positions), Uint32Array.from(starts), Uint32Array.from(asns)];
}

/** The known providers' ranges as the index lays them out (asnIndex.ts): the catalog they are for, then each family's starts, ends and ASNs. */
interface ProviderSections {
  readonly catalog: Uint32Array;
  readonly v4: readonly [Uint32Array, Uint32Array, Uint32Array];
  readonly v6: readonly [Uint32Array, Uint32Array, Uint32Array];
}

/** The known providers' ranges, gathered by `draft`, an index without them. */
function providerSections(draft: AsnIndex): ProviderSections {
  const [v4, v6] = [draft.providerRanges4(), draft.providerRanges6()];
  const words = (values: ArrayLike<bigint>) => {
    const out = new Uint32Array(values.length * 4);
    for (let k = 0; k < values.length; k++) putWords(out, k, values[k]);
    return out;
  };
  return {
    catalog: Uint32Array.from(PROVIDER_ASN_SET).sort(),
    v4: [Uint32Array.from(v4.starts), Uint32Array.from(v4.ends), Uint32Array.from(v4.asns)],
    v6: [words(v6.starts), words(v6.ends), Uint32Array.from(v6.asns)],
  };
}

function putWords(target: Uint32Array, k: number, value: bigint): void {
  for (let w = 0; w < 4; w++) target[k * 4 + w] = Number((value >> BigInt(96 - 32 * w)) & 0xffffffffn);
}

/**
 * The published rows are sorted by start, but a few overlap (the npm
 * package's README warns of data bugs). Resolved as routing does: the
 * narrower range wins, and the part of the wider one past the narrower's end
 * goes back in, in order.
 */
function resolveOverlaps(rows: readonly AsnRow[]): { ranges: MutableRow[]; overlaps: number } {
  const ranges: MutableRow[] = [];
  const queue: MutableRow[] = rows.map((row) => ({ ...row }));
  let overlaps = 0;
  for (let k = 0; k < queue.length; k++) {
    const row = queue[k];
    const last = ranges.at(-1);
    if (last && row.start <= last.end) {
      overlaps++;
      if (last.end - last.start <= row.end - row.start) {
        row.start = last.end + 1n;
        if (row.start <= row.end) insertSorted(queue, k + 1, row);
        continue;
      }
      if (last.end > row.end) insertSorted(queue, k + 1, { ...last, start: row.end + 1n });
      last.end = row.start - 1n;
      if (last.end < last.start) ranges.pop();
    }
    ranges.push(row);
  }
  return { ranges, overlaps };
}

function insertSorted(queue: MutableRow[], from: number, row: MutableRow): void {
  let k = from;
  while (k < queue.length && queue[k].start < row.start) k++;
  queue.splice(k, 0, row);
}
