/**
 * FireHOL .netset/.ipset lists: a plain list under a `#` header that says
 * what the list holds, among others `# Entries : N subnets, M unique IPs`.
 * The entries are read by the plain reader; the header is read here so that
 * its figures can be checked against the list.
 */
import { contentStart } from '../document/encoding';
import { HASH } from '../primitives/charCodes';
import { lineContentEnd, nextLineStart, type Format } from './format';
import { skipBlanks } from './lines';
import { readPlainList } from './plain';

export const firehol: Format = { id: 'firehol', label: 'FireHOL netset/ipset', read: readPlainList, lineByLine: true };

/** What the `Entries` line of a FireHOL header claims, with the span of its figures. */
export interface FireholEntries {
  /** Zero-based line of the `# Entries :` line. */
  readonly line: number;
  /** From the first figure to the end of `unique IPs`. */
  readonly start: number;
  readonly end: number;
  /** Absent in lists of single addresses (`# Entries : 1204 unique IPs`). */
  readonly subnets?: number;
  /** A bigint, as the audit's own count: IPv6 sizes pass 2^53. */
  readonly uniqueIps: bigint;
}

/** `# Entries : 2511 subnets, 618830080 unique IPs` or `# Entries : 1204 unique IPs`; groups 1 and 2 are the figures. */
const ENTRIES = /^#[ \t]*Entries[ \t]*:[ \t]*(?:(\d+)[ \t]+subnets?[ \t]*,[ \t]*)?(\d+)[ \t]+unique[ \t]+IPs?\b/d;

/**
 * The `Entries` line of the `#` header that opens a FireHOL list. Undefined
 * when the text does not open with a `#` comment; `entries` undefined when
 * its header has no `Entries` line. Only the opening comment lines are
 * searched, not comments further down the list.
 */
export function readFireholHeader(text: string): { entries?: FireholEntries } | undefined {
  let opened = false;
  for (let start = contentStart(text), line = 0; start < text.length; line++) {
    const next = nextLineStart(text, start);
    const end = lineContentEnd(text, start, next);
    const first = skipBlanks(text, start, end);
    start = next;
    if (first === end && opened) continue; // a blank line inside the header
    if (text.charCodeAt(first) !== HASH) break;
    opened = true;
    const match = ENTRIES.exec(text.slice(first, end));
    if (!match?.indices) continue;
    // Group 2 always takes part in a match; group 1 only with a subnets figure.
    const [figuresStart] = match.indices[1] ?? match.indices[2]!;
    const figuresEnd = match.index + match[0].length;
    const entries: FireholEntries = {
      line,
      start: first + figuresStart,
      end: first + figuresEnd,
      ...(match[1] === undefined ? {} : { subnets: Number(match[1]) }),
      uniqueIps: BigInt(match[2]),
    };
    return { entries };
  }
  return opened ? {} : undefined;
}
