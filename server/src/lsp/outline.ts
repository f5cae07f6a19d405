/**
 * The outline (`textDocument/documentSymbol`, which breadcrumbs follow) and
 * folding (`textDocument/foldingRange`): a symbol per section, a comment
 * block and the entries it introduces (core/analysis/sections.ts), with its
 * entries and unique addresses; each entry a child while the list is small
 * enough for an outline to be read.
 */
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatAddresses, formatAmount } from '../core/addresses/display';
import { formatCount } from '../core/primitives/formatCount';
import { sectionsOf, type Section } from '../core/analysis/sections';
import type { Analysis } from './analysis';
import { toRange } from './convert';

/** Lists with more entries than this get their sections only: a million symbols is no outline. */
const ENTRY_SYMBOLS = 5_000;

export function documentSymbols(textDocument: TextDocument, { document }: Analysis): DocumentSymbol[] {
  const table = document.entries;
  const withEntries = table.count <= ENTRY_SYMBOLS;
  const lineRange = (first: number, last: number) => ({
    start: { line: first, character: 0 },
    end: textDocument.positionAt(textDocument.offsetAt({ line: last + 1, character: 0 })),
  });
  return sectionsOf(document).map((section) => ({
    name: section.name || 'Entries before any heading',
    detail: sectionDetail(section),
    kind: SymbolKind.Namespace,
    range: lineRange(section.start, section.end),
    selectionRange: lineRange(section.heading, section.heading),
    ...(withEntries
      ? {
          children: section.entries.map((k) => ({
            name: document.text.slice(table.start[k], table.end[k]),
            detail: formatAddresses(table.version[k] as 4 | 6, table.size(k)),
            kind: table.allow[k] ? SymbolKind.Boolean : SymbolKind.Constant,
            range: toRange(textDocument, table.start[k], table.end[k]),
            selectionRange: toRange(textDocument, table.start[k], table.end[k]),
          })),
        }
      : {}),
  }));
}

/** `9 entries · 9,216 IPv4 · 3 /48s IPv6`: what the section blocks, each family on its own. */
function sectionDetail(section: Section): string {
  const count = section.entries.length;
  const parts = [`${formatCount(count)} ${count === 1 ? 'entry' : 'entries'}`];
  if (section.ipv4 > 0n) parts.push(`${formatAmount(4, section.ipv4)} IPv4`);
  if (section.ipv6 > 0n) parts.push(`${formatAmount(6, section.ipv6)} IPv6`);
  return parts.join(' · ');
}

/** Each section folds under its heading, and the comment lines above the heading fold on their own when there are two or more. */
export function foldingRanges({ document }: Analysis): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const { start, heading, end } of sectionsOf(document)) {
    if (heading - 1 > start) ranges.push({ startLine: start, endLine: heading - 1, kind: FoldingRangeKind.Comment });
    if (end > heading) ranges.push({ startLine: heading, endLine: end, kind: FoldingRangeKind.Region });
  }
  return ranges;
}
