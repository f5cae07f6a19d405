/**
 * A parsed blocklist document: every entry with its position and addresses,
 * stored column-wise in typed arrays (a few dozen bytes an entry, no object
 * per entry), plus the problems found while reading.
 */
import type { EntryForm, ParsedEntry } from './entry';
import type { EntryRole, Format } from './formats/format';
import type { LineProblem } from './problem';
import { readEntries } from './readEntries';

const FORMS: readonly EntryForm[] = ['address', 'cidr', 'netmask', 'glob', 'range'];

/** Column-wise storage of entries; index k is the k-th entry in document order. */
export class EntryTable {
  count = 0;
  start = new Int32Array(256);
  end = new Int32Array(256);
  line = new Int32Array(256);
  /** 4 or 6. */
  version = new Uint8Array(256);
  /** 1 for exceptions (`allow`), 0 for blocking entries. */
  allow = new Uint8Array(256);
  form = new Uint8Array(256);
  /** Prefix length when the entry is one CIDR block, else -1. */
  prefix = new Int16Array(256);
  /** IPv4 bounds (0 for IPv6 entries). */
  lo4 = new Uint32Array(256);
  hi4 = new Uint32Array(256);
  /** IPv6 bounds (0n for IPv4 entries). */
  lo6: bigint[] = [];
  hi6: bigint[] = [];

  push(start: number, end: number, line: number, entry: ParsedEntry, role: EntryRole): void {
    if (this.count === this.start.length) this.grow();
    const k = this.count++;
    this.start[k] = start;
    this.end[k] = end;
    this.line[k] = line;
    this.version[k] = entry.version;
    this.allow[k] = role === 'allow' ? 1 : 0;
    this.form[k] = FORMS.indexOf(entry.form);
    this.prefix[k] = entry.prefix;
    this.lo4[k] = entry.lo4;
    this.hi4[k] = entry.hi4;
    this.lo6.push(entry.version === 6 ? entry.lo6 : 0n);
    this.hi6.push(entry.version === 6 ? entry.hi6 : 0n);
  }

  formOf(k: number): EntryForm {
    return FORMS[this.form[k]];
  }

  /** The entry's bounds as bigints, whatever its family. */
  lo(k: number): bigint {
    return this.version[k] === 4 ? BigInt(this.lo4[k]) : this.lo6[k];
  }

  hi(k: number): bigint {
    return this.version[k] === 4 ? BigInt(this.hi4[k]) : this.hi6[k];
  }

  /** hi - lo + 1. */
  size(k: number): bigint {
    return this.version[k] === 4 ? BigInt(this.hi4[k] - this.lo4[k] + 1) : this.hi6[k] - this.lo6[k] + 1n;
  }

  /** The entry on `line` whose span holds `offset` (or the line's first entry when `offset` is -1), else -1. */
  entryAt(line: number, offset = -1): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.line[mid] < line) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < this.count && this.line[k] === line; k++) {
      if (offset < 0 || (offset >= this.start[k] && offset <= this.end[k])) return k;
    }
    return -1;
  }

  /** Approximate bytes held per entry, for the benchmark's memory report. */
  static readonly BYTES_PER_ENTRY = 4 * 3 + 1 * 3 + 2 + 4 * 2 + 8 * 2;

  private grow(): void {
    const capacity = this.start.length * 2;
    const grown = <T extends Int32Array | Uint32Array | Uint8Array | Int16Array>(array: T, make: new (n: number) => T): T => {
      const bigger = new make(capacity);
      bigger.set(array);
      return bigger;
    };
    this.start = grown(this.start, Int32Array);
    this.end = grown(this.end, Int32Array);
    this.line = grown(this.line, Int32Array);
    this.version = grown(this.version, Uint8Array);
    this.allow = grown(this.allow, Uint8Array);
    this.form = grown(this.form, Uint8Array);
    this.prefix = grown(this.prefix, Int16Array);
    this.lo4 = grown(this.lo4, Uint32Array);
    this.hi4 = grown(this.hi4, Uint32Array);
  }
}

export interface BlocklistDocument {
  readonly text: string;
  readonly format: Format;
  readonly entries: EntryTable;
  /** Problems met while reading, in line order. */
  readonly problems: readonly LineProblem[];
}

/** Reads `text` in `format`. Never throws: unreadable lines become problems. */
export function parseDocument(text: string, format: Format): BlocklistDocument {
  const entries = new EntryTable();
  const problems = readEntries(text, format.read, (start, end, line, entry, role) => entries.push(start, end, line, entry, role));
  return { text, format, entries, problems };
}
