/**
 * `blocklist-audit check`: the findings the editor shows, for CI. Text for
 * people (in ESLint's "stylish" shape, see stylish.ts), JSON for scripts,
 * SARIF 2.1.0 for code-scanning tools; the exit status follows --fail-on.
 * The findings are written one by one as they are formatted, so a list of
 * millions of them needs memory for the audit only.
 */
import { isatty } from 'node:tty';
import { AddressSet } from '../core/addresses/addressSet';
import { IPV4, IPV6 } from '../core/addresses/family';
import { audit } from '../core/analysis/audit';
import type { Severity } from '../core/analysis/findingCodes';
import { DEFAULT_AUDIT_OPTIONS } from '../core/analysis/options';
import { parseDocument } from '../core/document/document';
import type { Networks } from '../core/ownership/networks';
import { providerTotals } from '../core/ownership/shares';
import { loadNetworks } from '../node/networkData';
import type { FailOn, Options } from './args';
import { ANSI, PLAIN, wantsColour } from './colour';
import { limitResults, located, type FileAudit, type FileReport, type ProviderCount } from './findings';
import { dataAgeJson, dataAgeLines, ownershipStatus } from './dataAbout';
import { formatOf, readText } from './input';
import { Streamed, writeJson } from './jsonStream';
import { Output, writeUntilClosed } from './output';
import { SARIF_MAX_RESULTS, sarifLog } from './sarif';
import { writeStylish } from './stylish';

const FAILING: Record<FailOn, readonly Severity[]> = { error: ['error'], warning: ['error', 'warning'], never: [] };

/** `today` dates the ownership data. */
export function runCheck(options: Options, today: Date): number {
  const networks = loadNetworks((message) => {
    if (message.startsWith('No ASN data') || message.startsWith('The updated ownership data')) process.stderr.write(`blocklist-audit: ${message}\n`);
  });
  const ownership = ownershipStatus(networks, today, options.maxDataAgeDays);
  const maxResults = options.maxResults ?? (options.output === 'sarif' ? SARIF_MAX_RESULTS : Number.POSITIVE_INFINITY);
  const audits = options.files.map((file) => auditFile(file, options.inputFormat, networks));
  const reports = limitResults(options.quiet ? audits.map(errorsOnly) : audits, maxResults);
  const out = new Output();
  writeUntilClosed(out, () => {
    if (options.output === 'text') {
      writeStylish(out, reports, maxResults, wantsColour(isatty(1), process.env) ? ANSI : PLAIN, dataAgeLines(options.quiet ? undefined : ownership));
    } else {
      writeJson(out, options.output === 'json' ? reports.map((report) => jsonReport(report, dataAgeJson(ownership))) : sarifLog(reports, maxResults, ownership));
      out.line('');
    }
  });
  // Every finding counts, written or not.
  const failing = FAILING[options.failOn];
  let failed = false;
  let warnings = 0;
  for (const { result } of audits) {
    for (const f of result.findings) {
      failed ||= failing.includes(f.severity);
      if (f.severity === 'warning') warnings++;
    }
  }
  return failed || warnings > (options.maxWarnings ?? Number.POSITIVE_INFINITY) ? 1 : 0;
}

/** The audit with its errors only, for --quiet. */
function errorsOnly(file: FileAudit): FileAudit {
  return { ...file, result: { ...file.result, findings: file.result.findings.filter((f) => f.severity === 'error') } };
}

function auditFile(file: string, inputFormat: string | undefined, networks: Networks | undefined): FileAudit {
  const text = readText(file);
  const document = parseDocument(text, formatOf(file, text, inputFormat));
  // Every finding: CI wants the whole list, not the editor's first thousand.
  const result = audit(document, { ...DEFAULT_AUDIT_OPTIONS, maxFindings: Number.MAX_SAFE_INTEGER }, networks);
  const counts = (blocked4: AddressSet<number>, blocked6: AddressSet<bigint>): ProviderCount[] =>
    networks
      ? providerTotals(networks.index, blocked4, blocked6).map((share) => ({ id: share.provider.id, name: share.provider.name, addresses: share.addresses.toString() }))
      : [];
  const providers = { ipv4: counts(result.blocked4, AddressSet.empty(IPV6)), ipv6: counts(AddressSet.empty(IPV4), result.blocked6) };
  return { file, text, format: document.format.id, result, providers };
}

/** The report of one file in `--format json`, its findings streamed; `ownershipData`, the data it was audited with. */
function jsonReport(file: FileReport, ownershipData: object | undefined): object {
  const { ipv4, ipv6, findings } = file.result;
  return {
    file: file.file,
    format: file.format,
    ipv4: { entries: ipv4.entries, addresses: ipv4.addresses.toString() },
    ipv6: { entries: ipv6.entries, addresses: ipv6.addresses.toString() },
    findings: new Streamed(located(file)),
    omitted: findings.length - file.shown.length,
    providers: file.providers,
    ownershipData,
  };
}
