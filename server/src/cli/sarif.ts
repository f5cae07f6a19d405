/**
 * `check --format sarif`: a SARIF 2.1.0 log of one run, one rule per finding
 * code, one result per finding, the results streamed. A run holds at most
 * --max-results results, 25,000 unless told, the most GitHub code scanning
 * accepts per run; the run's properties say how many were left out, and
 * which ownership data the audit used (a notification when it is out of date).
 */
import { FINDING_CODES, ruleOf, type ReportedCode, type Severity } from '../core/analysis/findingCodes';
import { columnFinder } from '../core/formats/format';
import { staleWarning, type DataStatus } from '../core/ownership/dataAbout';
import { dataAgeJson } from './dataAbout';
import { locator, shownFindings, total, type FileReport } from './findings';
import { Streamed } from './jsonStream';
import { formatCount } from '../core/primitives/formatCount';

/** GitHub code scanning rejects a run with more results. */
export const SARIF_MAX_RESULTS = 25_000;

/** The rules of the run: every finding code, and `reach`, which stands for several of them on one entry. */
const RULES: readonly ReportedCode[] = [...FINDING_CODES, 'reach'];

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** The log, for writeJson: its results are made while it is written. `ownership` is the data the audit used, dated. */
export function sarifLog(reports: readonly FileReport[], maxResults: number, ownership: DataStatus | undefined): object {
  const omitted = reports.reduce((sum, report) => sum + total(report.findings.counts) - total(report.shown), 0);
  const stale = ownership && staleWarning(ownership);
  const notifications = [
    ...(omitted > 0
      ? [
          `${formatCount(omitted)} results were left out by --max-results ${formatCount(maxResults)}, the most severe kept. Run "blocklist-audit check --format json" for every finding.`,
        ]
      : []),
    ...(stale ? [stale] : []),
  ].map((text) => ({ level: 'warning', message: { text } }));
  return {
    version: '2.1.0',
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'blocklist-audit',
            version: '0.1.0',
            rules: RULES.map((code) => ({
              id: code,
              shortDescription: { text: ruleOf(code).rule },
              defaultConfiguration: { level: SARIF_LEVEL[ruleOf(code).severity] },
            })),
          },
        },
        ...(notifications.length > 0 ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }] } : {}),
        results: new Streamed(results(reports)),
        properties: { maxResults, omittedResults: omitted, ownershipData: dataAgeJson(ownership) },
      },
    ],
  };
}

function* results(reports: readonly FileReport[]): Generator<object> {
  for (const report of reports) {
    const locate = locator(columnFinder(report.document.text));
    for (const finding of shownFindings(report)) {
      const f = locate(finding);
      const baselineState = report.baseline?.states.get(finding);
      yield {
        ruleId: f.code,
        ruleIndex: RULES.indexOf(f.code),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [location(report.file, f.line, f.column, f.endColumn)],
        ...(baselineState ? { baselineState } : {}),
        ...(f.codes ? { properties: { components: f.codes } } : {}),
        ...(f.related.length > 0
          ? { relatedLocations: f.related.map((r, id) => ({ id, ...location(r.file ?? report.file, r.line, r.column), message: { text: r.message } })) }
          : {}),
      };
    }
    // What the change resolved: a result of the baseline that this run no longer has, so nothing to point at in the file as it is now.
    for (const f of report.baseline?.resolved ?? []) {
      yield {
        ruleId: f.code,
        ruleIndex: RULES.indexOf(f.code),
        kind: 'pass',
        level: 'none',
        message: { text: `Resolved by the change (was line ${f.line + 1}): ${f.message}` },
        locations: [{ physicalLocation: { artifactLocation: artifactOf(report.file) } }],
        baselineState: 'absent',
      };
    }
  }
}

function location(file: string, line: number, column: number, endColumn?: number): object {
  return {
    physicalLocation: {
      artifactLocation: artifactOf(file),
      region: { startLine: line, startColumn: column, ...(endColumn ? { endColumn } : {}) },
    },
  };
}

function artifactOf(file: string): object {
  return { uri: file === '-' ? 'stdin' : file.split('\\').join('/') };
}
