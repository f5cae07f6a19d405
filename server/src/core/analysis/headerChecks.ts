/**
 * Checks of what a file says about itself, read with the document: the
 * format directive names a known format, every name of the target directive
 * names a known network, and a FireHOL header's `Entries` line matches the
 * list.
 */
import type { Directives } from '../document/directives';
import { FORMATS } from '../formats/registry';
import { closestProvider } from '../ownership/addressSpec';
import { PROVIDERS } from '../ownership/providers';
import { quote } from '../primitives/excerpt';
import type { HeaderCode } from './findingCodes';
import { formatCount } from '../primitives/formatCount';

export interface HeaderNote {
  readonly code: HeaderCode;
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** `unknownTarget`: the target's names that name no known network; `snapshots`: the ownership snapshots there are (undefined: unknown). */
export function headerNotes(directives: Directives, entries: number, uniqueIps: bigint, unknownTarget: readonly string[], snapshots?: readonly string[]): HeaderNote[] {
  const notes: HeaderNote[] = [];
  const directive = directives.format;
  if (directive && !directive.format) {
    notes.push({
      code: 'unknown-format',
      line: directive.line,
      start: directive.start,
      end: Math.max(directive.end, directive.start + 1),
      message: `Unknown format "${directive.id}": use one of ${FORMATS.map((f) => f.id).join(', ')}.`,
    });
  }
  const target = directives.target;
  if (target) {
    const unknown = new Set(unknownTarget);
    target.specs.forEach((spec, n) => {
      if (!unknown.has(spec)) return;
      const meant = closestProvider(spec);
      notes.push({
        code: 'unknown-target',
        line: target.line,
        ...target.places[n],
        message:
          `${quote(spec)} names no known network${meant ? ` (did you mean ${meant}?)` : ''}: write an ASN (AS62041), a provider (${PROVIDERS.slice(0, 3)
            .map((p) => p.id)
            .join(', ')}…), a CIDR or a range. ` + 'Until every name is known, nothing is measured against the target and no fix narrows to it.',
      });
    });
  }
  const data = directives.ownershipData;
  if (data && snapshots && !snapshots.includes(data.name)) {
    notes.push({
      code: 'unknown-ownership-data',
      line: data.line,
      start: data.start,
      end: data.end,
      message:
        `No ownership snapshot is named ${quote(data.name)} (${snapshots.length > 0 ? `there are ${snapshots.map((name) => quote(name)).join(', ')}` : 'none is imported'}): ` +
        'the file is audited with the data in use. Import one with "blocklist-audit import-data --name NAME FILE…".',
    });
  }
  const header = directives.fireholEntries;
  if (header && (header.uniqueIps !== uniqueIps || (header.subnets !== undefined && header.subnets !== entries))) {
    const claimed = header.subnets === undefined ? '' : `${formatCount(header.subnets)} subnets and `;
    const actual = header.subnets === undefined ? '' : `${formatCount(entries)} entries and `;
    notes.push({
      code: 'stale-header',
      line: header.line,
      start: header.start,
      end: header.end,
      message: `The header says ${claimed}${formatCount(header.uniqueIps)} unique IPs, but the list has ${actual}${formatCount(uniqueIps)} unique addresses. Update the header.`,
    });
  }
  return notes;
}
