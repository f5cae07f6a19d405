/**
 * Reads documents into the union of their addresses, one builder per family.
 * This is the hot path of the CLI: entries go straight from text into typed
 * arrays.
 */
import { ParsedEntry, parseEntry } from './entry';
import { IPV4, IPV6 } from './family';
import type { FormatReader, TokenSink } from './formats/format';
import { readPlainList } from './formats/plain';
import { IntervalBuilder } from './intervalBuilder';
import type { Problem } from './problem';

export interface LineProblem extends Problem {
  /** Zero-based line number. */
  readonly line: number;
  /** Zero-based column of `start` in UTF-16 code units. */
  readonly column: number;
}

export class AddressCollector {
  readonly ipv4 = new IntervalBuilder(IPV4);
  readonly ipv6 = new IntervalBuilder(IPV6, 16);

  /** Adds the entries of `text` and returns the problems found in it, in line order. */
  read(text: string, reader: FormatReader = readPlainList): LineProblem[] {
    const problems: LineProblem[] = [];
    const entryProblems: Problem[] = [];
    const located = (problem: Problem, line: number): LineProblem => ({
      ...problem,
      line,
      column: problem.start - (text.lastIndexOf('\n', problem.start - 1) + 1),
    });
    const entry = new ParsedEntry();
    const sink: TokenSink = {
      entry: (start, end, line, parsed) => {
        if (!parsed) {
          const ok = parseEntry(text, start, end, entryProblems, entry);
          for (const problem of entryProblems) problems.push(located(problem, line));
          entryProblems.length = 0;
          if (!ok) return;
          parsed = entry;
        }
        if (parsed.version === 4) this.ipv4.add(parsed.lo4, parsed.hi4);
        else this.ipv6.add(parsed.lo6, parsed.hi6);
      },
      problem: (problem, line) => problems.push(located(problem, line)),
    };
    reader(text, sink);
    return problems;
  }
}
