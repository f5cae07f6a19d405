/**
 * `blocklist-audit check`: the findings the editor shows, for CI. Text for
 * people, JSON for scripts, SARIF 2.1.0 for code-scanning tools; the exit
 * status follows --fail-on.
 */
import { audit, type Finding } from '../core/analysis/audit';
import { FINDING_CODES, FINDING_RULES, type FindingCode, type Severity } from '../core/analysis/findingCodes';
import { DEFAULT_AUDIT_OPTIONS } from '../core/analysis/options';
import { parseDocument } from '../core/document/document';
import { columnOf } from '../core/formats/format';
import type { Networks } from '../core/ownership/networks';
import { providerTotals } from '../core/ownership/shares';
import { loadNetworks } from '../node/networkData';
import type { Options } from './args';
import { formatOf, readText } from './input';
import { Output } from './output';

/** A finding with 1-based line and column numbers, as reports give them. */
interface Located {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  readonly related: readonly { readonly line: number; readonly column: number; readonly message: string }[];
}

interface FileReport {
  readonly file: string;
  readonly format: string;
  readonly ipv4: { readonly entries: number; readonly addresses: string };
  readonly ipv6: { readonly entries: number; readonly addresses: string };
  readonly findings: readonly Located[];
  readonly omitted: number;
  /** Addresses of each known provider the list blocks (with ASN data). */
  readonly providers: readonly { readonly id: string; readonly name: string; readonly addresses: string }[];
}

export function runCheck(options: Options): number {
  const networks = loadNetworks((message) => {
    if (message.startsWith('No ASN data')) process.stderr.write(`blocklist-audit: ${message}\n`);
  });
  const reports = options.files.map((file) => checkFile(file, options.inputFormat, networks));
  const out = new Output();
  if (options.output === 'json') out.line(JSON.stringify(reports, null, 2));
  else if (options.output === 'sarif') out.line(JSON.stringify(toSarif(reports), null, 2));
  else for (const report of reports) printText(out, report);
  out.flush();
  const failing: Severity[] = options.failOn === 'never' ? [] : options.failOn === 'warning' ? ['error', 'warning'] : ['error'];
  return reports.some((report) => report.findings.some((f) => failing.includes(f.severity))) ? 1 : 0;
}

function checkFile(file: string, inputFormat: string | undefined, networks: Networks | undefined): FileReport {
  const text = readText(file);
  const document = parseDocument(text, formatOf(file, text, inputFormat));
  // Every finding: CI wants the whole list, not the editor's first thousand.
  const result = audit(document, { ...DEFAULT_AUDIT_OPTIONS, maxFindings: Number.MAX_SAFE_INTEGER }, networks);
  const locate = (start: number, end: number, line: number) => {
    const column = columnOf(text, start);
    return { line: line + 1, column: column + 1, endColumn: column + Math.max(end - start, 1) + 1 };
  };
  return {
    file,
    format: document.format.id,
    ipv4: { entries: result.ipv4.entries, addresses: result.ipv4.addresses.toString() },
    ipv6: { entries: result.ipv6.entries, addresses: result.ipv6.addresses.toString() },
    findings: result.findings.map((f: Finding) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      ...locate(f.start, f.end, f.line),
      related: (f.related ?? []).map((r) => {
        const place = locate(r.start, r.end, r.line);
        return { line: place.line, column: place.column, message: r.message };
      }),
    })),
    omitted: result.omitted,
    providers: networks
      ? providerTotals(networks.index, result.blocked4, result.blocked6).map((share) => ({
          id: share.provider.id,
          name: share.provider.name,
          addresses: share.addresses.toString(),
        }))
      : [],
  };
}

function printText(out: Output, report: FileReport): void {
  for (const f of report.findings) out.line(`${report.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.code}]`);
  const count = (n: string | number) => BigInt(n).toLocaleString('en-US');
  out.line(
    `${report.file}: ${report.format}, ${count(report.ipv4.entries)} IPv4 entries (${count(report.ipv4.addresses)} unique addresses), ` +
      `${count(report.ipv6.entries)} IPv6 entries (${count(report.ipv6.addresses)} unique addresses), ${report.findings.length} findings`,
  );
  if (report.providers.length > 0) {
    out.line(`${report.file}: blocks addresses of ${report.providers.map((p) => `${p.name} ${count(p.addresses)}`).join(' · ')}`);
  }
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF 2.1.0: one run, one rule per finding code, one result per finding. */
function toSarif(reports: readonly FileReport[]): object {
  return {
    version: '2.1.0',
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'blocklist-audit',
            version: '0.1.0',
            rules: FINDING_CODES.map((code) => ({
              id: code,
              shortDescription: { text: FINDING_RULES[code].rule },
              defaultConfiguration: { level: SARIF_LEVEL[FINDING_RULES[code].severity] },
            })),
          },
        },
        results: reports.flatMap((report) =>
          report.findings.map((f) => ({
            ruleId: f.code,
            ruleIndex: FINDING_CODES.indexOf(f.code),
            level: SARIF_LEVEL[f.severity],
            message: { text: f.message },
            locations: [location(report.file, f.line, f.column, f.endColumn)],
            ...(f.related.length > 0 ? { relatedLocations: f.related.map((r, id) => ({ id, ...location(report.file, r.line, r.column), message: { text: r.message } })) } : {}),
          })),
        ),
      },
    ],
  };
}

function location(file: string, line: number, column: number, endColumn?: number): object {
  return {
    physicalLocation: {
      artifactLocation: { uri: file === '-' ? 'stdin' : file.split('\\').join('/') },
      region: { startLine: line, startColumn: column, ...(endColumn ? { endColumn } : {}) },
    },
  };
}
