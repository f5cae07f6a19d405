/**
 * What a file says about itself in its first lines, read once with the
 * document: the `# blocklist-format:` directive, the `# target:` directive,
 * and a FireHOL list's `# Entries :` header line. The audit and the fixes
 * read them from here, never from the text again.
 */
import { readFireholHeader, type FireholEntries } from '../formats/firehol';
import type { Format } from '../formats/format';
import { parseFormatDirective, type FormatDirective } from '../formats/registry';

/** `# target: AS62041 AS59930 91.108.4.0/22`: the networks the list is meant to block. */
export interface TargetDirective {
  readonly specs: readonly string[];
  /** Zero-based line. */
  readonly line: number;
}

export interface Directives {
  readonly format?: FormatDirective;
  readonly target?: TargetDirective;
  /** FireHOL lists only: what the header's `Entries` line claims. */
  readonly fireholEntries?: FireholEntries;
}

export function readDirectives(text: string, format: Format): Directives {
  const directive = parseFormatDirective(text);
  const target = parseTargetDirective(text);
  const fireholEntries = format.id === 'firehol' ? readFireholHeader(text)?.entries : undefined;
  return { ...(directive ? { format: directive } : {}), ...(target ? { target } : {}), ...(fireholEntries ? { fireholEntries } : {}) };
}

/** `# target: …` (or after `;` or `//`) in the first 50 lines. */
export function parseTargetDirective(text: string): TargetDirective | undefined {
  const head = text
    .slice(0, 16 * 1024)
    .split('\n')
    .slice(0, 50);
  for (let line = 0; line < head.length; line++) {
    const match = /^\s*(?:#|;|\/\/)\s*target\s*:\s*(.*)$/.exec(head[line]);
    if (match) return { specs: match[1].split(/[\s,]+/).filter((s) => s.length > 0), line };
  }
  return undefined;
}
