/**
 * Groups of lists loaded into one set, in order (`blocklist.groups`, the
 * CLI's `--group`): an entry of a later list every address of which the
 * lists loaded before it already block adds nothing to the set, and is
 * `covered-elsewhere`, with the place in the earlier list that blocks its
 * first address. The earlier list never gets the finding for the same
 * addresses. Only whole coverage is a finding: an entry partly blocked
 * before still adds the rest.
 */
import type { AddressSet } from '../addresses/addressSet';
import { IPV4, IPV6 } from '../addresses/family';
import { unionOf } from '../addresses/intervalBuilder';
import type { BlocklistDocument } from '../document/document';
import { columnOf } from '../formats/format';
import { EntryIndex } from './entryIndex';
import type { EntryFacts } from './entryFacts';
import type { AwayPlace, EntryFact } from './facts';
import type { Addresses } from './which';

/** A list loaded before this one into the same set: its file (a path or a URI), its document and what it blocks. */
export interface EarlierList {
  readonly file: string;
  readonly document: BlocklistDocument;
  readonly blocked4: AddressSet<number>;
  readonly blocked6: AddressSet<bigint>;
}

/**
 * The `covered-elsewhere` facts of the blocking entries in `order4` and
 * `order6` (entries found `idle` in their own list are left to that
 * finding), against the lists loaded before; returns what those block
 * together (for the hover), or undefined when there are none.
 */
export function coveredElsewhereFacts(
  document: BlocklistDocument,
  order4: Uint32Array,
  order6: Uint32Array,
  earlier: readonly EarlierList[],
  idle: Uint8Array,
  facts: EntryFacts,
): Addresses | undefined {
  if (earlier.length === 0) return undefined;
  const table = document.entries;
  const before4 = unionOf(
    IPV4,
    earlier.map((list) => list.blocked4),
  );
  const before6 = unionOf(
    IPV6,
    earlier.map((list) => list.blocked6),
  );
  const places = new Places(earlier);
  for (const k of order4) {
    if (!idle[k] && before4.covers(table.lo4[k], table.hi4[k])) facts.push(fact(k, places.of(4, table.lo4[k])));
  }
  for (const k of order6) {
    if (!idle[k] && before6.covers(table.lo6[k], table.hi6[k])) facts.push(fact(k, places.of(6, table.lo6[k])));
  }
  return { ipv4: before4, ipv6: before6 };
}

function fact(k: number, away: AwayPlace | undefined): EntryFact {
  return { code: 'covered-elsewhere', entry: k, other: -1, ...(away ? { away } : {}) };
}

/** Where the earlier lists block an address: the first list that blocks it, and its first blocking entry holding it. */
class Places {
  private readonly indexes: (EntryIndex | undefined)[];

  constructor(private readonly lists: readonly EarlierList[]) {
    this.indexes = lists.map(() => undefined);
  }

  of(version: 4 | 6, address: number | bigint): AwayPlace | undefined {
    const n = this.lists.findIndex((list) => (version === 4 ? list.blocked4.has(address as number) : list.blocked6.has(address as bigint)));
    if (n < 0) return undefined;
    const { file, document } = this.lists[n];
    const table = document.entries;
    const index = (this.indexes[n] ??= EntryIndex.of(table));
    const k = index.holding(version, BigInt(address)).find((k) => !table.allow[k] && !table.conditional[k] && document.scopes[table.scope[k]].role === 'block');
    if (k === undefined) return undefined;
    const [start, end] = [table.start[k], table.end[k]];
    return { file, line: table.line[k], start, end, column: columnOf(document.text, start), text: document.text.slice(start, end) };
  }
}
