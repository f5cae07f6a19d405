/**
 * One family's blocking entries in address order: by first address
 * ascending, then last address descending, then document order, as the
 * audit's sweep reads them. After an edit of a list, the order the audit
 * before it found is carried over: the entries the edit kept move with it
 * and the few it read are merged in, one pass over the entries rather than
 * a sort (on 2 M entries a sort is some 250 ms of every keystroke).
 */
import type { BlocklistDocument, EntryTable } from '../document/document';
import type { DocumentFacts } from './facts';
import { radixSortIndices } from '../primitives/radixSort';
import { lowerBound, partitionPoint } from '../primitives/search';

/** What the audit of the document before an edit leaves for the audit after it: the document, and its entries in address order. */
export interface BeforeEdit {
  readonly document: BlocklistDocument;
  readonly order4: Uint32Array;
  readonly order6: Uint32Array;
  /** Its facts, when it was audited with the same options and ASN data as the document after the edit. */
  readonly facts?: DocumentFacts;
}

/**
 * `blocking`, one family's blocking entries of `document` in document
 * order, in address order; carried from `before` when `document` is an edit
 * of it (updateDocument's) and both are one union, whose entries block or
 * not by themselves alone.
 */
export function addressOrder(document: BlocklistDocument, version: 4 | 6, blocking: Uint32Array, before?: BeforeEdit): Uint32Array {
  const table = document.entries;
  const sort = (indices: Uint32Array) => (version === 4 ? sortIPv4(table, indices) : sortIPv6(table, indices));
  const splice = document.spliced;
  if (!before || !splice || !oneUnion(before.document) || !oneUnion(document) || before.document.scopes[0].role !== document.scopes[0].role) return sort(blocking);
  const shift = splice.inserted - (splice.to - splice.from);
  if (before.document.entries.count + shift !== table.count) return sort(blocking);
  // The entries the edit read: few, sorted on their own.
  const order = carriedOrder(document, version, blocking.subarray(lowerBound(blocking, splice.from), lowerBound(blocking, splice.from + splice.inserted)), before);
  return order.length === blocking.length ? order : sort(blocking);
}

/**
 * `before`'s address order of one family's blocking entries, carried across
 * the edit that made `document` of its document: the entries the edit kept
 * move with it, and `added` (the blocking entries it read, ascending) are
 * sorted and merged in.
 */
export function carriedOrder(document: BlocklistDocument, version: 4 | 6, added: Uint32Array, before: BeforeEdit): Uint32Array {
  const table = document.entries;
  const splice = document.spliced!;
  const shift = splice.inserted - (splice.to - splice.from);
  const previous = version === 4 ? before.order4 : before.order6;
  const kept = new Uint32Array(previous.length);
  let m = 0;
  for (let n = 0; n < previous.length; n++) {
    const k = previous[n];
    if (k < splice.from) kept[m++] = k;
    else if (k >= splice.to) kept[m++] = k + shift;
  }
  return merged(table, version, kept.subarray(0, m), version === 4 ? sortIPv4(table, added) : sortIPv6(table, added));
}

/** Whether the document is one union: its entries block or not by themselves alone. */
export function oneUnion(document: BlocklistDocument): boolean {
  return document.scopes.length === 1 && document.scopes[0].evaluation === 'union';
}

/** Two runs in address order as one, each of `added` placed by a binary search among `kept`. */
function merged(table: EntryTable, version: 4 | 6, kept: Uint32Array, added: Uint32Array): Uint32Array {
  const precedes = version === 4 ? precedesIPv4(table) : precedesIPv6(table);
  const order = new Uint32Array(kept.length + added.length);
  let [n, p] = [0, 0];
  for (const k of added) {
    const q = p + partitionPoint(kept.length - p, (i) => !precedes(kept[p + i], k));
    order.set(kept.subarray(p, q), n);
    n += q - p;
    p = q;
    order[n++] = k;
  }
  order.set(kept.subarray(p), n);
  return order;
}

/** Whether entry a comes before entry b in address order. */
function precedesIPv4(table: EntryTable): (a: number, b: number) => boolean {
  const { lo4: lo, hi4: hi } = table;
  return (a, b) => lo[a] < lo[b] || (lo[a] === lo[b] && (hi[a] > hi[b] || (hi[a] === hi[b] && a < b)));
}

function precedesIPv6(table: EntryTable): (a: number, b: number) => boolean {
  const { lo6: lo, hi6: hi } = table;
  return (a, b) => lo[a] < lo[b] || (lo[a] === lo[b] && (hi[a] > hi[b] || (hi[a] === hi[b] && a < b)));
}

/** Entries in address order, sorted afresh. */
export function sortIPv4(table: EntryTable, indices: Uint32Array): Uint32Array {
  const order = indices.slice();
  radixSortIndices(order, table.lo4);
  // The radix sort is stable, so entries with the same first address are in document order;
  // such runs are short, and a comparison sort puts the longest first.
  for (let runStart = 0; runStart < order.length;) {
    let runEnd = runStart + 1;
    while (runEnd < order.length && table.lo4[order[runEnd]] === table.lo4[order[runStart]]) runEnd++;
    if (runEnd - runStart > 1) order.subarray(runStart, runEnd).sort((a, b) => table.hi4[b] - table.hi4[a] || a - b);
    runStart = runEnd;
  }
  return order;
}

export function sortIPv6(table: EntryTable, indices: Uint32Array): Uint32Array {
  const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  return Uint32Array.from(indices).sort((a, b) => compare(table.lo6[a], table.lo6[b]) || compare(table.hi6[b], table.hi6[a]) || a - b);
}
