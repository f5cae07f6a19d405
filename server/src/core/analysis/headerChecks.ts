/**
 * Checks of what a file says about itself: the format directive names a
 * known format, and a FireHOL header's `Entries` line matches the list.
 */
import type { FormatDirective } from '../formats/registry';
import { FORMATS, parseFormatDirective } from '../formats/registry';

export interface HeaderNote {
  readonly code: 'stale-header' | 'unknown-format';
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** `# Entries : 2511 subnets, 618830080 unique IPs` (the subnets part is absent in FireHOL's single-IP lists). */
const ENTRIES = /^#\s*Entries\s*:\s*(?:(\d+)\s+subnets,\s*)?(\d+)\s+unique IPs/m;

/** The figures a FireHOL header claims, with the position of the numbers. */
export function readFireholHeader(text: string): { line: number; start: number; end: number; subnets?: number; uniqueIps: bigint } | undefined {
  const head = text.slice(0, 16 * 1024);
  const match = ENTRIES.exec(head);
  if (!match) return undefined;
  const numbers = match[0].search(/\d/);
  return {
    line: head.slice(0, match.index).split('\n').length - 1,
    start: match.index + numbers,
    end: match.index + match[0].length,
    subnets: match[1] === undefined ? undefined : Number(match[1]),
    uniqueIps: BigInt(match[2]),
  };
}

export function headerNotes(text: string, formatId: string, entries: number, uniqueIps: bigint): HeaderNote[] {
  const notes: HeaderNote[] = [];
  const directive: FormatDirective | undefined = parseFormatDirective(text);
  if (directive && !directive.format) {
    notes.push({
      code: 'unknown-format',
      line: directive.line,
      start: directive.start,
      end: Math.max(directive.end, directive.start + 1),
      message: `Unknown format "${directive.id}": use one of ${FORMATS.map((f) => f.id).join(', ')}.`,
    });
  }
  const header = formatId === 'firehol' ? readFireholHeader(text) : undefined;
  if (header && (header.uniqueIps !== uniqueIps || (header.subnets !== undefined && header.subnets !== entries))) {
    const claimed = header.subnets === undefined ? '' : `${header.subnets.toLocaleString('en-US')} subnets and `;
    const actual = header.subnets === undefined ? '' : `${entries.toLocaleString('en-US')} entries and `;
    notes.push({
      code: 'stale-header',
      ...header,
      message: `The header says ${claimed}${header.uniqueIps.toLocaleString('en-US')} unique IPs, but the list has ${actual}${uniqueIps.toLocaleString('en-US')} unique addresses. Update the header.`,
    });
  }
  return notes;
}
