/**
 * Words that stand for two entries, one of each family: nginx's and Apache's
 * `all`, hosts.deny's `ALL` (0.0.0.0/0 and ::/0 on the same span). A finding
 * whose message names only the place that decides for the entry (a
 * duplicate, a covering or shadowing entry, the hosts.allow line that grants
 * first) says the same of both halves when both have it about the same
 * place: it is told once, for the word. When only one half has it, it is
 * told as that half's ("IPv6 part: Duplicate of line 1 ([::]/0).") — the
 * word as a whole is no duplicate, and removing it would unblock the other
 * half. Findings about the entry's own addresses (special-purpose, reach)
 * differ between the halves and are told for each.
 */
import type { BlocklistDocument, EntryTable } from '../document/document';
import type { EntryFacts } from './entryFacts';
import type { EntryFact } from './facts';
import type { EntryCode } from './findingCodes';

/** The codes whose message says nothing of the entry's own addresses, only what decides for it (messages.ts). */
const ABOUT_ANOTHER: ReadonlySet<EntryCode> = new Set(['duplicate', 'covered', 'shadowed', 'granted-first', 'ineffective-exception', 'conditional']);

/**
 * How the fact is told: as it is; not at all, as the twin before it tells
 * it for the word ('told'); or as the part of the word of family 4 or 6,
 * which alone it is about.
 */
export type Telling = 'as-is' | 'told' | 4 | 6;

/** How the fact in row n of `facts` (in entry order) is told. */
export function telling(document: BlocklistDocument, facts: EntryFacts, n: number): Telling {
  if (!ABOUT_ANOTHER.has(facts.code(n))) return 'as-is';
  const table = document.entries;
  const k = facts.entry(n);
  const twin = twinOf(table, k);
  if (twin < 0) return 'as-is';
  // In entry order, the twin's facts stand right before entry k's or right after them.
  const step = twin < k ? -1 : 1;
  let row = n;
  while (row >= 0 && row < facts.length && facts.entry(row) === k) row += step;
  for (; row >= 0 && row < facts.length && facts.entry(row) === twin; row += step) {
    if (sayTheSame(table, facts, n, row)) return twin < k ? 'told' : 'as-is';
  }
  return table.version[k] as 4 | 6;
}

/** The other entry on entry k's span, or -1. */
function twinOf(table: EntryTable, k: number): number {
  if (k > 0 && sameSpan(table, k - 1, k)) return k - 1;
  if (k + 1 < table.count && sameSpan(table, k + 1, k)) return k + 1;
  return -1;
}

function sameSpan(table: EntryTable, j: number, k: number): boolean {
  return table.start[j] === table.start[k] && table.end[j] === table.end[k];
}

/** Whether the facts in rows a and b have the same code about the same other side: their messages are then the same. */
function sayTheSame(table: EntryTable, facts: EntryFacts, a: number, b: number): boolean {
  if (facts.code(a) !== facts.code(b)) return false;
  const otherA = facts.other(a);
  const otherB = facts.other(b);
  if (otherA >= 0 || otherB >= 0) return otherA >= 0 && otherB >= 0 && table.start[otherA] === table.start[otherB];
  return samePlace(facts.fact(a), facts.fact(b));
}

/** Whether two facts without another entry name the same place (an iptables policy, a hosts.allow line), or none. */
function samePlace(a: EntryFact, b: EntryFact): boolean {
  const placeA = a.away ?? a.at;
  const placeB = b.away ?? b.at;
  if (placeA === undefined || placeB === undefined) return placeA === placeB;
  return placeA.line === placeB.line && placeA.start === placeB.start && a.away?.file === b.away?.file;
}
