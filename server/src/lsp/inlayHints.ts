/**
 * Counts inline (`textDocument/inlayHint`): the editor asks for the range on
 * screen, and only the entries on its lines are looked at (see
 * core/analysis/inlineCounts.ts).
 */
import type { InlayHint, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { inlineCounts } from '../core/analysis/inlineCounts';
import type { Analysis } from './analysis';
import type { Settings } from './settings';

export function inlayHints(textDocument: TextDocument, { document, networks }: Analysis, range: Range, settings: Settings['inlayHints']): InlayHint[] {
  if (!settings.enabled) return [];
  // A range that ends at the start of a line does not take that line.
  const lastLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return inlineCounts(document, networks, range.start.line, lastLine, BigInt(settings.minimumAddresses)).map((count) => ({
    position: textDocument.positionAt(count.offset),
    label: count.label,
    paddingLeft: true,
  }));
}
