/** What the intended target gets of an entry. */
import type { EntryTable } from '../document/document';
import type { ResolvedSpecs } from '../ownership/addressSpec';

/** How many of entry `k`'s addresses lie inside `target`. */
export function addressesInTarget(table: EntryTable, k: number, target: ResolvedSpecs): bigint {
  return table.version[k] === 4 ? target.ipv4.clip(table.lo4[k], table.hi4[k]).size() : target.ipv6.clip(table.lo6[k], table.hi6[k]).size();
}
