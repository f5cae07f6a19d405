/**
 * The one place where a format's tokens become parsed entries: runs a
 * format reader, parses each token it reports (unless the reader already
 * did), and gives back the problems with their line.
 */
import { type OctalLoader, ParsedEntry, parseEntry } from './entry';
import type { EntryMeaning, FormatReader, ScopeFact } from '../formats/format';
import type { LineProblem, Problem } from './problem';

/** `meaning` is the reader's own (an empty one when it gave none): absent fields take their defaults. */
export type EntryVisitor = (start: number, end: number, line: number, entry: ParsedEntry, meaning: EntryMeaning) => void;

/** A blocking entry of the file's own scope, unconditionally: most entries of most lists. */
const PLAIN: EntryMeaning = {};

/** A scope fact with the zero-based line it stands on. */
export type LineScopeFact = ScopeFact & { readonly line: number };

/**
 * Calls `visit` for every readable entry of `text`, in document order, and
 * `onScopeFact` for what lines say about scopes; returns the problems, in
 * line order. `octalLoader` is the loader that reads a number with a
 * leading zero as octal, for formats whose loader does (`Format.octalOctets`).
 */
export function readEntries(
  text: string,
  reader: FormatReader,
  visit: EntryVisitor,
  onScopeFact: (fact: LineScopeFact) => void = () => undefined,
  octalLoader?: OctalLoader,
): LineProblem[] {
  const problems: LineProblem[] = [];
  const entryProblems: Problem[] = [];
  const scratch = new ParsedEntry();
  // Field by field rather than a spread: one shape for every problem, and a spread of objects of many shapes is slow (a file of broken lines has one per line).
  const located = ({ code, start, end, message }: Problem, line: number): LineProblem => ({ code, start, end, message, line });
  reader(text, {
    entry(start, end, line, parsed, meaning = PLAIN) {
      if (!parsed) {
        const ok = parseEntry(text, start, end, entryProblems, scratch, octalLoader);
        for (const problem of entryProblems) problems.push(located(problem, line));
        entryProblems.length = 0;
        if (!ok) return;
        parsed = scratch;
      }
      visit(start, end, line, parsed, meaning);
    },
    problem(problem, line) {
      problems.push(located(problem, line));
    },
    scopeFact(fact, line) {
      // Field by field, as the problems: a hosts.deny line is a rule, with a fact for each daemon it holds for.
      const { scope, start, end } = fact;
      onScopeFact(
        fact.kind === 'declare'
          ? { kind: 'declare', scope, evaluation: fact.evaluation, start, end, line, standing: fact.standing === true }
          : { kind: 'use', scope, role: fact.role, start, end, line },
      );
    },
  });
  return problems;
}
