/**
 * The one module that speaks both languages: core offsets and findings in,
 * LSP positions, ranges and diagnostics out.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/analysis/audit';
import { ruleOf, type Severity } from '../core/analysis/findingCodes';
import { formatCount } from '../core/primitives/formatCount';

export const SOURCE = 'blocklist';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(textDocument: TextDocument, start: number, end: number): Range {
  return { start: textDocument.positionAt(start), end: textDocument.positionAt(end) };
}

export function toDiagnostic(textDocument: TextDocument, finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toRange(textDocument, finding.start, finding.end),
    severity: SEVERITY[finding.severity],
    code: finding.code,
    source: SOURCE,
    message: finding.message,
  };
  // Entries that add nothing can be shown faded, as editors do for unused code (not a word half of which adds nothing).
  if (ruleOf(finding.code).unnecessary && finding.part === undefined) diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (finding.related) {
    diagnostic.relatedInformation = finding.related.map((place) => ({
      location: place.elsewhere
        ? {
            uri: place.elsewhere.file,
            range: { start: { line: place.line, character: place.elsewhere.column }, end: { line: place.line, character: place.elsewhere.column + place.end - place.start } },
          }
        : { uri: textDocument.uri, range: toRange(textDocument, place.start, place.end) },
      message: place.message,
    }));
  }
  // A reach diagnostic lists its components, so their quick fixes find it.
  if (finding.entry !== undefined) diagnostic.data = { entry: finding.entry, ...(finding.codes ? { codes: finding.codes } : {}) };
  return diagnostic;
}

/** The notice shown on the first line when the findings were capped. */
export function limitDiagnostic(shown: number, omitted: number): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    code: 'too-many-problems',
    source: SOURCE,
    message: `Showing the first ${formatCount(shown)} findings; ${formatCount(omitted)} more are not shown. Raise "blocklist.maxProblems" to see them.`,
  };
}
