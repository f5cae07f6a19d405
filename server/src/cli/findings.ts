/**
 * What `check` writes of each file: its audit, and the findings written of
 * it, which --max-results may cut to the most severe; each finding located
 * by line and column only as it is written.
 */
import type { AuditResult, Finding } from '../core/analysis/audit';
import type { BlocklistDocument } from '../core/document/document';
import type { Severity } from '../core/analysis/findingCodes';
import { introduced, type BaselineState, type FindingChanges } from '../core/change/findingChanges';
import { columnFinder } from '../core/formats/format';

/** One file's audit, kept until the output is written. */
export interface FileAudit {
  readonly file: string;
  /** Its text and format are the document's. */
  readonly document: BlocklistDocument;
  readonly result: AuditResult;
  /** Addresses of each known provider the list blocks (with ASN data), per family: a sum across families means nothing. */
  readonly providers: { readonly ipv4: readonly ProviderCount[]; readonly ipv6: readonly ProviderCount[] };
  /** What else it was read with, for the totals: the hosts.allow beside it, the lists before it in its groups. */
  readonly readWith?: readonly string[];
  /** With `check --since`: each finding's state against the revision, and the revision's findings the file no longer has. */
  readonly baseline?: { readonly states: ReadonlyMap<Finding, BaselineState>; readonly resolved: readonly Finding[] };
}

/** How many addresses of a provider a list blocks, exact, as a decimal string. */
export interface ProviderCount {
  readonly id: string;
  readonly name: string;
  readonly addresses: string;
}

/** A file's audit and the findings written of it: all, or those --max-results keeps. */
export interface FileReport extends FileAudit {
  readonly shown: readonly Finding[];
}

/** A finding with 1-based line and column numbers, as reports give them. */
export interface Located {
  readonly code: Finding['code'];
  /** A `reach` finding's components. */
  readonly codes?: Finding['codes'];
  readonly severity: Severity;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  /** Places the finding involves; `file` when in another file than the finding's (an allowlist's entry). */
  readonly related: readonly { readonly file?: string; readonly line: number; readonly column: number; readonly message: string }[];
}

/**
 * `file` against an earlier version of it (`check --since`, `diff`): with
 * `marked`, every finding with its state and the earlier version's resolved
 * ones (for SARIF's baselineState); else only the findings the change introduced.
 */
export function againstBaseline(file: FileAudit, changes: FindingChanges, marked: boolean): FileAudit {
  if (!marked) return { ...file, result: { ...file.result, findings: introduced(changes) } };
  return { ...file, baseline: { states: new Map(changes.after.map(({ finding, state }) => [finding, state])), resolved: changes.resolved } };
}

/** The findings of `file` that can fail a run: with a baseline, only the new ones. */
export function gatingFindings(file: FileAudit): readonly Finding[] {
  const { baseline } = file;
  return baseline ? file.result.findings.filter((f) => baseline.states.get(f) === 'new') : file.result.findings;
}

/** Severities from the most severe, the order --max-results keeps findings in. */
const RANKED: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/**
 * Keeps at most `maxResults` findings over all files: the most severe
 * first, and of one severity those of the first files and lines, so an
 * error is never left out for a warning.
 */
export function limitResults(audits: readonly FileAudit[], maxResults: number): FileReport[] {
  const counts = new Map<Severity, number>();
  for (const { result } of audits) for (const f of result.findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  if (total <= maxResults) return audits.map((file) => ({ ...file, shown: file.result.findings }));
  const room = new Map<Severity, number>();
  let left = maxResults;
  for (const severity of RANKED) {
    room.set(severity, Math.min(counts.get(severity) ?? 0, left));
    left -= room.get(severity) ?? 0;
  }
  const fits = (f: Finding) => {
    const free = room.get(f.severity) ?? 0;
    room.set(f.severity, free - 1);
    return free > 0;
  };
  return audits.map((file) => ({ ...file, shown: file.result.findings.filter(fits) }));
}

/** The findings of `file` with line and column numbers, made one at a time as they are written. */
export function located(file: FileReport): Generator<Located> {
  return locatedIn(file.document.text, file.shown);
}

const NOTHING_RELATED: Located['related'] = [];

/** `findings` of the document whose text is `text`, with line and column numbers. */
export function* locatedIn(text: string, findings: readonly Finding[], columnOf = columnFinder(text)): Generator<Located> {
  for (const f of findings) {
    const column = columnOf(f.start, f.line);
    const [line, endColumn] = [f.line + 1, column + Math.max(f.end - f.start, 1) + 1];
    const related =
      f.related === undefined || f.related.length === 0
        ? NOTHING_RELATED
        : f.related.map((r) =>
            r.elsewhere
              ? { file: r.elsewhere.file, line: r.line + 1, column: r.elsewhere.column + 1, message: r.message }
              : { line: r.line + 1, column: columnOf(r.start, r.line) + 1, message: r.message },
          );
    // Each shape written out rather than spread (a finding per line of a 1 MB file): the keys in the order the JSON gives them.
    yield f.codes
      ? { code: f.code, codes: f.codes, severity: f.severity, message: f.message, line, column: column + 1, endColumn, related }
      : { code: f.code, severity: f.severity, message: f.message, line, column: column + 1, endColumn, related };
  }
}
