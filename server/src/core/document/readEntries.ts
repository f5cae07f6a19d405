/**
 * The one place where a format's tokens become parsed entries: runs a
 * format reader, parses each token it reports (unless the reader already
 * did), and gives back the problems with their line.
 */
import { ParsedEntry, parseEntry } from './entry';
import { excerpt } from '../primitives/excerpt';
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
 * line order.
 */
export function readEntries(
  text: string,
  reader: FormatReader,
  visit: EntryVisitor,
  onScopeFact: (fact: LineScopeFact) => void = () => undefined,
  octalLoader?: string,
): LineProblem[] {
  const problems: LineProblem[] = [];
  const entryProblems: Problem[] = [];
  const scratch = new ParsedEntry();
  // Field by field rather than a spread: one shape for every problem, and a spread of objects of many shapes is slow (a file of broken lines has one per line).
  const located = ({ code, start, end, message }: Problem, line: number): LineProblem => ({ code, start, end, message, line });
  reader(text, {
    entry(start, end, line, parsed, meaning = PLAIN) {
      if (!parsed) {
        let ok = parseEntry(text, start, end, entryProblems, scratch);
        if (ok && octalLoader !== undefined && entryProblems.some((p) => p.code === 'leading-zeros')) ok = parseOctal(text, start, end, entryProblems, scratch, octalLoader);
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
      onScopeFact(fact.kind === 'declare' ? { kind: 'declare', scope, evaluation: fact.evaluation, start, end, line } : { kind: 'use', scope, role: fact.role, start, end, line });
    },
  });
  return problems;
}

/** An IPv4 address's octets, for `parseOctal`. */
const DOTTED = /\d+(?:\.\d+){3}/g;

/**
 * Reads entry `text[start, end)` again as a loader that reads octets as C
 * does (`loader`): an octet with a leading zero is octal (`010` is 8), and
 * one with an 8 or a 9 after its zero is no number (the loader refuses it).
 * Its `leading-zeros` warnings in `problems` say so.
 */
function parseOctal(text: string, start: number, end: number, problems: Problem[], out: ParsedEntry, loader: string): boolean {
  const written = text.slice(start, end);
  const octets: Problem[] = [];
  let refused: Problem | undefined;
  const octal = written.replace(DOTTED, (quad, at: number) => {
    let offset = at;
    return quad
      .split('.')
      .map((octet) => {
        const [octetStart, octetEnd] = [start + offset, start + offset + octet.length];
        offset += octet.length + 1;
        if (octet.length < 2 || !octet.startsWith('0')) return octet;
        if (!/^[0-7]+$/.test(octet)) {
          refused ??= {
            code: 'invalid-entry',
            start: octetStart,
            end: octetEnd,
            message: `Octet ${excerpt(octet)} has a leading zero, and ${loader} reads such an octet as octal, which it is not: ${loader} refuses it. Write it without the zero.`,
          };
          return octet;
        }
        const value = parseInt(octet, 8);
        octets.push({
          code: 'leading-zeros',
          start: octetStart,
          end: octetEnd,
          message: `Octet ${excerpt(octet)} has a leading zero: ${loader} reads it as octal, ${value}, as it is read here. Write ${value}${Number(octet) === value ? '' : `, or ${Number(octet)} if that is what is meant`}.`,
        });
        return String(value);
      })
      .join('.');
  });
  for (let n = problems.length - 1; n >= 0; n--) if (problems[n].code === 'leading-zeros') problems.splice(n, 1);
  if (refused !== undefined) {
    problems.push(refused);
    return false;
  }
  problems.push(...octets);
  // Parsed from the text with the octets written in decimal; problems of that text would stand at other offsets, and the first read found them.
  return parseEntry(octal, 0, octal.length, [], out);
}
