import type { EntryTable } from '../document/document';

/**
 * The entries of each scope and family, ascending, grouped in one array by a
 * counting sort and read as views of it: a file may have a scope per entry,
 * and an array of their own for each would cost more than the scope.
 */
export class EntriesByScope {
  private readonly grouped: Uint32Array;
  /** Where the entries of scope s and family f (0 for IPv4, 1 for IPv6) start: starts[2 * s + f]. */
  private readonly starts: Uint32Array;

  constructor(indices: Uint32Array, table: EntryTable, scopeCount: number) {
    const group = (k: number) => 2 * table.scope[k] + (table.version[k] === 6 ? 1 : 0);
    this.starts = new Uint32Array(2 * scopeCount + 1);
    for (const k of indices) this.starts[group(k) + 1]++;
    for (let g = 0; g < 2 * scopeCount; g++) this.starts[g + 1] += this.starts[g];
    const next = this.starts.slice(0, 2 * scopeCount);
    this.grouped = new Uint32Array(indices.length);
    for (const k of indices) this.grouped[next[group(k)]++] = k;
  }

  /** The entries of scope s of family `version`, ascending. */
  of(s: number, version: 4 | 6): Uint32Array {
    const g = 2 * s + (version === 6 ? 1 : 0);
    return this.grouped.subarray(this.starts[g], this.starts[g + 1]);
  }
}
