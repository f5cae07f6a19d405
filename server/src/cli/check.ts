/**
 * `blocklist-audit check`: the findings the editor shows, for CI. Text for
 * people (in ESLint's "stylish" shape, see stylish.ts), JSON for scripts,
 * SARIF 2.1.0 for code-scanning tools; the exit status follows --fail-on.
 * The findings are written one by one as they are output (findings.ts), so
 * a list of millions of them needs memory for the audit's facts only.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isatty } from 'node:tty';
import { AddressSet } from '../core/addresses/addressSet';
import { IPV4, IPV6 } from '../core/addresses/family';
import { listedNetworks, saysAllowlist } from '../core/analysis/allowlist';
import { audit, auditTotals, type AuditResult } from '../core/analysis/audit';
import { FindingWalk } from '../core/analysis/findingWalk';
import { compareFindings, type FindingChanges } from '../core/change/findingChanges';
import type { Severity } from '../core/analysis/findingCodes';
import type { EarlierList } from '../core/analysis/groups';
import type { HostsAllowFile } from '../core/analysis/hostsAllow';
import { DEFAULT_AUDIT_OPTIONS, type AuditOptions, type ReadWith } from '../core/analysis/options';
import { parseDocument, type BlocklistDocument } from '../core/document/document';
import { hostsAllow, hostsDeny } from '../core/formats/hostsDeny';
import type { NamedNetworks } from '../core/ownership/addressSpec';
import type { Networks } from '../core/ownership/networks';
import { providerTotals } from '../core/ownership/shares';
import { GitError, readFileAtRevision } from '../node/git';
import { prefetchAsnIndex } from '../node/networkData';
import { CliNetworks } from './networks';
import { UsageError, type FailOn, type Options } from './args';
import { ANSI, PLAIN, wantsColour } from './colour';
import { againstBaseline, errorsOf, gatingCounts, limitResults, located, total, walkedFindings, type FileAudit, type FileReport, type ProviderCount } from './findings';
import { dataAgeJson, dataAgeLines, ownershipStatus } from './dataAbout';
import { formatOf, readText, textOf } from './input';
import { Streamed, writeJson } from './jsonStream';
import { Output, writeUntilClosed } from './output';
import { SARIF_MAX_RESULTS, sarifLog } from './sarif';
import { writeStylish } from './stylish';

const FAILING: Record<FailOn, readonly Severity[]> = { error: ['error'], warning: ['error', 'warning'], never: [] };

/** `today` dates the ownership data. */
export async function runCheck(options: Options, today: Date): Promise<number> {
  // The ASN index is read on another core while the lists are parsed.
  const indexRead = prefetchAsnIndex();
  const data = new CliNetworks(options.ownershipData);
  const maxResults = options.maxResults ?? (options.output === 'sarif' ? SARIF_MAX_RESULTS : Number.POSITIVE_INFINITY);
  // The groups' lists are checked too, after the files named.
  const files = [...new Set([...options.files, ...options.groups.flat()])];
  const read = files.map((file) => readDocument(file, options.inputFormat));
  await indexRead;
  const allowlists = [...options.allowlists.map((file) => readDocument(file, options.inputFormat)), ...read.filter(({ document }) => saysAllowlist(document))];
  const allowlisted = allowlists.flatMap(({ file, document }) => listedNetworks(file, document));
  const beside = new Beside(read, options, (file, document, context) => auditDocument(file, document, data.of(document), allowlisted, data.snapshots, context));
  const audits = read.map(({ file }) => {
    const audited = beside.audit(file);
    return options.since === undefined ? audited : againstBaseline(audited, changesSince(audited, options.since, data.of(audited.document)), options.output === 'sarif');
  });
  // The data each file was audited with, its age on `today`: one for all but where a snapshot was chosen.
  const ownershipOf = (file: FileAudit) => ownershipStatus(data.of(file.document), today, options.maxDataAgeDays);
  const ownership = audits.length > 0 ? ownershipOf(audits[0]) : undefined;
  const distinct = [...new Map(audits.map((file) => [data.of(file.document), file])).values()].map(ownershipOf);
  const reports = limitResults(options.quiet ? audits.map(errorsOnly) : audits, maxResults);
  const out = new Output();
  writeUntilClosed(out, () => {
    if (options.output === 'text') {
      writeStylish(out, reports, maxResults, wantsColour(isatty(1), process.env) ? ANSI : PLAIN, options.quiet ? [] : distinct.flatMap(dataAgeLines));
    } else {
      writeJson(out, options.output === 'json' ? reports.map((report) => jsonReport(report, dataAgeJson(ownershipOf(report)))) : sarifLog(reports, maxResults, ownership));
      out.line('');
    }
  });
  // Every finding counts, written or not.
  const failing = FAILING[options.failOn];
  let failed = false;
  let warnings = 0;
  for (const file of audits) {
    const counts = gatingCounts(file);
    failed ||= failing.some((severity) => counts[severity] > 0);
    warnings += counts.warning;
  }
  return failed || warnings > (options.maxWarnings ?? Number.POSITIVE_INFINITY) ? 1 : 0;
}

/** The audit with its errors only, for --quiet. */
function errorsOnly(file: FileAudit): FileAudit {
  return { ...file, findings: errorsOf(file.findings) };
}

/** A file named on the command line, read in its format. */
interface ReadFile {
  readonly file: string;
  readonly document: BlocklistDocument;
}

function readDocument(file: string, inputFormat: string | undefined): ReadFile {
  const text = readText(file);
  return { file, document: parseDocument(text, formatOf(file, text, inputFormat)) };
}

/**
 * Each file's audit with what it is read with: a hosts.deny with the
 * hosts.allow in its folder (unless --no-hosts-allow), a list of a group
 * after the lists before it, each audited first.
 */
class Beside {
  private readonly audits = new Map<string, FileAudit | 'auditing'>();
  private readonly documents: Map<string, BlocklistDocument>;

  constructor(
    read: readonly ReadFile[],
    private readonly options: Options,
    private readonly auditWith: (file: string, document: BlocklistDocument, context: ReadWith) => FileAudit,
  ) {
    this.documents = new Map(read.map(({ file, document }) => [file, document]));
  }

  audit(file: string): FileAudit {
    const done = this.audits.get(file);
    if (done === 'auditing') throw new UsageError(`--group: ${file} stands both before and after another list; give the lists of a set one order.`);
    if (done) return done;
    this.audits.set(file, 'auditing');
    const document = this.documents.get(file)!;
    const before = [...new Set(this.options.groups.flatMap((group) => (group.includes(file) ? group.slice(0, group.indexOf(file)) : [])))];
    const earlierLists = before.map((other): EarlierList => {
      const { document: earlier, result } = this.audit(other);
      return { file: other, document: earlier, blocked4: result.blocked4, blocked6: result.blocked6 };
    });
    const hostsAllow = this.options.hostsAllow ? hostsAllowBeside(file, document) : undefined;
    const audited = this.auditWith(file, document, { ...(hostsAllow ? { hostsAllow } : {}), ...(earlierLists.length > 0 ? { earlierLists } : {}) });
    this.audits.set(file, audited);
    return audited;
  }
}

/** The hosts.allow in the folder of a file named hosts.deny (and read as one), read as hosts.allow; undefined for none. */
export function hostsAllowBeside(file: string, document: BlocklistDocument): HostsAllowFile | undefined {
  if (document.format !== hostsDeny || basename(file) !== 'hosts.deny') return undefined;
  const path = join(dirname(file), 'hosts.allow');
  if (!existsSync(path)) return undefined;
  return { file: path, document: parseDocument(readText(path), hostsAllow) };
}

function auditDocument(
  file: string,
  document: BlocklistDocument,
  networks: Networks | undefined,
  allowlisted: readonly NamedNetworks[],
  snapshots: readonly string[],
  context: ReadWith,
): FileAudit {
  const options = checkOptions(allowlisted, context, snapshots);
  const result = auditTotals(document, options, networks);
  const findings = walkedFindings(new FindingWalk(document, result.facts, options, networks));
  const counts = (blocked4: AddressSet<number>, blocked6: AddressSet<bigint>): ProviderCount[] =>
    networks
      ? providerTotals(networks.providers, blocked4, blocked6).map((share) => ({ id: share.provider.id, name: share.provider.name, addresses: share.addresses.toString() }))
      : [];
  const providers = { ipv4: counts(result.blocked4, AddressSet.empty(IPV6)), ipv6: counts(AddressSet.empty(IPV4), result.blocked6) };
  const readWith = [
    ...(context.hostsAllow ? [`read after ${context.hostsAllow.file}, which decides first (--no-hosts-allow reads it alone)`] : []),
    ...(context.earlierLists ? [`loaded into one set after ${context.earlierLists.map((list) => list.file).join(', ')} (--group)`] : []),
  ];
  return { file, document, result, findings, providers, ...(readWith.length > 0 ? { readWith } : {}) };
}

/**
 * Every finding: CI wants the whole list, not the editor's first thousand. `context`: what the file is read with;
 * `snapshots`: the ownership snapshots there are, for the directive's check.
 */
export function auditAll(
  document: BlocklistDocument,
  networks: Networks | undefined,
  allowlisted: readonly NamedNetworks[] = [],
  context: ReadWith = {},
  snapshots?: readonly string[],
): AuditResult {
  return audit(document, checkOptions(allowlisted, context, snapshots), networks);
}

/** What `check` audits with: every finding, the allowlists, what a file is read with, the snapshots there are. */
function checkOptions(allowlisted: readonly NamedNetworks[], context: ReadWith, snapshots: readonly string[] | undefined): AuditOptions {
  const options = { ...DEFAULT_AUDIT_OPTIONS, ...context, maxFindings: Number.MAX_SAFE_INTEGER };
  return { ...options, networks: { ...options.networks, allowlisted, snapshots } };
}

/**
 * How the findings of `file` stand against its version at revision `rev`,
 * read in the same format; a file the revision does not have is all new.
 */
function changesSince(file: FileAudit, rev: string, networks: Networks | undefined): FindingChanges {
  if (file.file === '-') throw new UsageError('--since reads the file at a revision through git: name the file, not standard input.');
  let bytes: Uint8Array | undefined;
  try {
    bytes = readFileAtRevision(file.file, rev);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new UsageError(`--since ${rev}: ${error.message}. Run check inside a git repository, with a revision it has (a branch, a tag, HEAD~1).`);
  }
  const document = parseDocument(bytes === undefined ? '' : textOf(`${rev}:${file.file}`, bytes), file.document.format);
  const now = { document: file.document, result: { ...file.result, findings: [...file.findings.each()], omitted: 0 } };
  return compareFindings({ document, result: auditAll(document, networks) }, now);
}

/** The report of one file in `--format json`, its findings streamed; `ownershipData`, the data it was audited with. */
function jsonReport(file: FileReport, ownershipData: object | undefined): object {
  const { ipv4, ipv6 } = file.result;
  return {
    file: file.file,
    format: file.document.format.id,
    ipv4: { entries: ipv4.entries, addresses: ipv4.addresses.toString() },
    ipv6: { entries: ipv6.entries, addresses: ipv6.addresses.toString() },
    findings: new Streamed(located(file)),
    omitted: total(file.findings.counts) - total(file.shown),
    providers: file.providers,
    ...(file.readWith ? { readWith: file.readWith } : {}),
    ownershipData,
  };
}
