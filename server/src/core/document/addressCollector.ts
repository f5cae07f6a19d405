/**
 * Reads documents into the union of their blocked addresses, one builder per
 * family. This is the hot path of the CLI: entries go straight from text into
 * typed arrays. Exceptions (`allow` entries of formats that have them) are
 * not part of the union.
 */
import { IPV4, IPV6 } from '../addresses/family';
import type { FormatReader } from '../formats/format';
import { readPlainList } from '../formats/plain';
import { IntervalBuilder } from '../addresses/intervalBuilder';
import { contentStart } from './encoding';
import type { LineProblem } from './problem';
import { readEntries } from './readEntries';

export class AddressCollector {
  readonly ipv4 = new IntervalBuilder(IPV4);
  readonly ipv6 = new IntervalBuilder(IPV6, 16);

  /** Adds the blocked entries of `text` and returns the problems found in it, in line order (a byte-order mark that starts it skipped, as parseDocument skips it). */
  read(text: string, reader: FormatReader = readPlainList): LineProblem[] {
    // A line of a real list is rarely shorter than 12 characters ("1.2.3.4/32\n" is 11).
    this.ipv4.reserve(Math.ceil(text.length / 12));
    const from = contentStart(text);
    const problems = readEntries(from === 0 ? text : text.slice(from), reader, (_start, _end, _line, entry, meaning) => {
      if ((meaning.role ?? 'block') !== 'block' || meaning.conditional) return;
      if (entry.version === 4) this.ipv4.add(entry.lo4, entry.hi4);
      else this.ipv6.add(entry.lo6, entry.hi6);
    });
    return from === 0 ? problems : problems.map((problem) => ({ ...problem, start: problem.start + from, end: problem.end + from }));
  }
}
