/**
 * What a file says about itself in its first lines, read once with the
 * document: the `# blocklist-format:` directive, the `# target:` directive,
 * the `# blocklist-role: allow NAME…` directive, the `# ownership-data:
 * NAME` directive (which ownership snapshot to audit with), and a FireHOL list's
 * `# Entries :` header line. The audit and the fixes
 * read them from here, never from the text again.
 */
import { readFireholHeader, type FireholEntries } from '../formats/firehol';
import { lineContentEnd, nextLineStart, type Format } from '../formats/format';
import { parseFormatDirective, type FormatDirective } from '../formats/registry';
import { contentStart } from './encoding';

/** `# target: AS62041 AS59930 91.108.4.0/22`: the networks the list is meant to block. */
export interface TargetDirective {
  readonly specs: readonly string[];
  /** Where each of `specs` stands in the text. */
  readonly places: readonly { readonly start: number; readonly end: number }[];
  /** Zero-based line. */
  readonly line: number;
}

export interface Directives {
  readonly format?: FormatDirective;
  readonly target?: TargetDirective;
  /** Scopes `# blocklist-role: allow NAME…` names as allowlists, where no rule in the file says how they are used ('' for the file itself). */
  readonly allowing?: readonly string[];
  /** `# ownership-data: 2018-04-15`: the ownership snapshot to audit the file with, and where its name stands. */
  readonly ownershipData?: { readonly name: string; readonly line: number; readonly start: number; readonly end: number };
  /** FireHOL lists only: what the header's `Entries` line claims. */
  readonly fireholEntries?: FireholEntries;
}

export function readDirectives(text: string, format: Format): Directives {
  const directive = parseFormatDirective(text);
  const head = headLines(text);
  const target = parseTargetDirective(text, head);
  const fireholEntries = format.id === 'firehol' ? readFireholHeader(text)?.entries : undefined;
  const allowing = parseRoleDirective(text, head);
  const ownershipData = parseOwnershipDataDirective(head);
  return {
    ...(directive ? { format: directive } : {}),
    ...(target ? { target } : {}),
    ...(allowing ? { allowing } : {}),
    ...(ownershipData ? { ownershipData } : {}),
    ...(fireholEntries ? { fireholEntries } : {}),
  };
}

/** `# target: …` (or after `;` or `//`) in the first 50 lines. */
export function parseTargetDirective(text: string, head = headLines(text)): TargetDirective | undefined {
  const found = headDirective(head, /^\s*(?:#|;|\/\/)\s*target\s*:\s*(.*)$/);
  if (!found) return undefined;
  const matches = [...found.value.matchAll(WORD)];
  const places = matches.map((word) => ({ start: found.start + word.index, end: found.start + word.index + word[0].length }));
  return { specs: matches.map((word) => word[0]), places, line: found.line };
}

/** The names after `# blocklist-role: allow` (or after `;` or `//`) in the first 50 lines; with no name, the file itself (''). */
export function parseRoleDirective(text: string, head = headLines(text)): string[] | undefined {
  const found = headDirective(head, /^\s*(?:#|;|\/\/)\s*blocklist-role\s*:\s*allow(?:\s+(.*)|\s*)$/i);
  if (!found) return undefined;
  const names = words(found.value);
  return names.length > 0 ? names : [''];
}

/** `# ownership-data: NAME` (or after `;` or `//`) in the first 50 lines: its first word. */
function parseOwnershipDataDirective(head: readonly HeadLine[]): Directives['ownershipData'] {
  const found = headDirective(head, /^\s*(?:#|;|\/\/)\s*ownership-data\s*:\s*(.*)$/i);
  const name = found && words(found.value)[0];
  if (!found || !name) return undefined;
  const start = found.start + found.value.indexOf(name);
  return { name, line: found.line, start, end: start + name.length };
}

/** A line of a text's head, without its line break, and where it starts. */
interface HeadLine {
  readonly text: string;
  readonly start: number;
}

/** The first 50 lines (and 16 KB) of a text, where its directives stand. */
function headLines(text: string): HeadLine[] {
  const lines: HeadLine[] = [];
  const end = Math.min(text.length, 16 * 1024);
  for (let start = contentStart(text); start < end && lines.length < 50;) {
    const next = nextLineStart(text, start);
    lines.push({ text: text.slice(start, Math.min(end, lineContentEnd(text, start, next))), start });
    start = next;
  }
  return lines;
}

/** The first of `head`'s lines that `pattern` matches: its group 1, which ends the line, where that starts, and the zero-based line. */
function headDirective(head: readonly HeadLine[], pattern: RegExp): { value: string; start: number; line: number } | undefined {
  for (let line = 0; line < head.length; line++) {
    const match = pattern.exec(head[line].text);
    // A directive whose value is optional and absent has the empty value, at the end of its line.
    if (match) return { value: match[1] ?? '', start: head[line].start + match[0].length - (match[1] ?? '').length, line };
  }
  return undefined;
}

/** A name in a directive's list: blanks and commas separate them. */
const WORD = /[^\s,]+/g;

function words(value: string): string[] {
  return [...value.matchAll(WORD)].map((word) => word[0]);
}
