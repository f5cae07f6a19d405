/**
 * What `check` writes of each file: its audit, and the findings written of
 * it, which --max-results may cut to the most severe. The findings are
 * written (messages and all) and located by line and column only as they
 * are output, pass after pass, so millions of them are never all held.
 */
import type { AuditTotals, Finding } from '../core/analysis/audit';
import type { BlocklistDocument } from '../core/document/document';
import type { Severity } from '../core/analysis/findingCodes';
import type { FindingWalk } from '../core/analysis/findingWalk';
import { introduced, type BaselineState, type FindingChanges } from '../core/change/findingChanges';
import { columnFinder } from '../core/formats/format';

/** How many findings there are of each severity. */
export type SeverityCounts = Readonly<Record<Severity, number>>;

/** A file's findings in line order. */
export interface Findings {
  readonly counts: SeverityCounts;
  /** Those `keep` keeps (by severity, in order), each written as it is reached; one pass at a time. */
  each(keep?: (severity: Severity) => boolean): Generator<Finding>;
}

/** The findings of a walk, written afresh on each pass; their counts take one pass of severities, no finding written. */
export function walkedFindings(walk: FindingWalk): Findings {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (let severity = walk.next(); severity !== undefined; severity = walk.next()) counts[severity]++;
  return {
    counts,
    *each(keep) {
      walk.rewind();
      for (let severity = walk.next(); severity !== undefined; severity = walk.next()) if (!keep || keep(severity)) yield walk.write();
    },
  };
}

/** Findings already written (a comparison with a baseline needs them all at once). */
export function heldFindings(findings: readonly Finding[]): Findings {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    counts,
    *each(keep) {
      for (const f of findings) if (!keep || keep(f.severity)) yield f;
    },
  };
}

/** The errors of `findings` only, for --quiet. */
export function errorsOf(findings: Findings): Findings {
  return {
    counts: { error: findings.counts.error, warning: 0, information: 0, hint: 0 },
    each: (keep) => findings.each((severity) => severity === 'error' && (!keep || keep(severity))),
  };
}

/** How many findings `counts` counts. */
export function total(counts: SeverityCounts): number {
  return counts.error + counts.warning + counts.information + counts.hint;
}

/** One file's audit, kept until the output is written. */
export interface FileAudit {
  readonly file: string;
  /** Its text and format are the document's. */
  readonly document: BlocklistDocument;
  readonly result: AuditTotals;
  readonly findings: Findings;
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

/** A file's audit and how many of its findings of each severity are written: all, or those --max-results keeps. */
export interface FileReport extends FileAudit {
  readonly shown: SeverityCounts;
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
 * `file` against an earlier version of it (`check --since`, `diff`), whose
 * changes were worked out from `file`'s findings as `changes.after` holds
 * them: with `marked`, every finding with its state and the earlier
 * version's resolved ones (for SARIF's baselineState); else only the
 * findings the change introduced.
 */
export function againstBaseline(file: FileAudit, changes: FindingChanges, marked: boolean): FileAudit {
  if (!marked) return { ...file, findings: heldFindings(introduced(changes)) };
  const findings = heldFindings(changes.after.map(({ finding }) => finding));
  return { ...file, findings, baseline: { states: new Map(changes.after.map(({ finding, state }) => [finding, state])), resolved: changes.resolved } };
}

/** How many findings of each severity of `file` can fail a run: with a baseline, only the new ones. */
export function gatingCounts(file: FileAudit): SeverityCounts {
  const { baseline } = file;
  if (!baseline) return file.findings.counts;
  return heldFindings([...baseline.states].filter(([, state]) => state === 'new').map(([finding]) => finding)).counts;
}

/** Severities from the most severe, the order --max-results keeps findings in. */
export const RANKED: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/**
 * Keeps at most `maxResults` findings over all files: the most severe
 * first, and of one severity those of the first files and lines, so an
 * error is never left out for a warning.
 */
export function limitResults(audits: readonly FileAudit[], maxResults: number): FileReport[] {
  if (audits.reduce((sum, file) => sum + total(file.findings.counts), 0) <= maxResults) return audits.map((file) => ({ ...file, shown: file.findings.counts }));
  const room = { error: 0, warning: 0, information: 0, hint: 0 };
  let left = maxResults;
  for (const severity of RANKED) {
    room[severity] = Math.min(
      audits.reduce((sum, file) => sum + file.findings.counts[severity], 0),
      left,
    );
    left -= room[severity];
  }
  return audits.map((file) => {
    const shown = { error: 0, warning: 0, information: 0, hint: 0 };
    for (const severity of RANKED) {
      shown[severity] = Math.min(file.findings.counts[severity], room[severity]);
      room[severity] -= shown[severity];
    }
    return { ...file, shown };
  });
}

/** The findings of `file` written: each pass over them writes them afresh. */
export function shownFindings(file: FileReport): Iterable<Finding> {
  if (total(file.shown) === total(file.findings.counts)) return { [Symbol.iterator]: () => file.findings.each() };
  return {
    [Symbol.iterator]: () => {
      const left = { ...file.shown };
      return file.findings.each((severity) => left[severity]-- > 0);
    },
  };
}

/** The findings of `file` written, with line and column numbers, made one at a time as they are written. */
export function located(file: FileReport): Generator<Located> {
  return locatedIn(file.document.text, shownFindings(file));
}

const NOTHING_RELATED: Located['related'] = [];

/** `findings` of the document whose text is `text`, with line and column numbers. */
export function* locatedIn(text: string, findings: Iterable<Finding>, columnOf = columnFinder(text)): Generator<Located> {
  const locate = locator(columnOf);
  for (const f of findings) yield locate(f);
}

/** What locates a finding of a document, given how columns are found in its text. */
export function locator(columnOf: (offset: number, line: number) => number): (f: Finding) => Located {
  return (f) => {
    const column = columnOf(f.start, f.line);
    const line = f.line + 1;
    const endColumn = column + Math.max(f.end - f.start, 1) + 1;
    const related =
      f.related === undefined || f.related.length === 0
        ? NOTHING_RELATED
        : f.related.map((r) =>
            r.elsewhere
              ? { file: r.elsewhere.file, line: r.line + 1, column: r.elsewhere.column + 1, message: r.message }
              : { line: r.line + 1, column: columnOf(r.start, r.line) + 1, message: r.message },
          );
    // Each shape written out rather than spread (a finding per line of a 1 MB file): the keys in the order the JSON gives them.
    return f.codes
      ? { code: f.code, codes: f.codes, severity: f.severity, message: f.message, line, column: column + 1, endColumn, related }
      : { code: f.code, severity: f.severity, message: f.message, line, column: column + 1, endColumn, related };
  };
}
