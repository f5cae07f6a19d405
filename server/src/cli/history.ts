/**
 * `blocklist-audit history FILE`: a list's growth commit by commit, as git
 * recorded it — for each commit that changed the file (renames followed,
 * merges left out), its date, the entries and addresses it added and
 * removed, the addresses blocked after it, and the providers it added most of.
 */
import { basename, dirname } from 'node:path';
import { AddressSet } from '../core/addresses/addressSet';
import { formatAmount } from '../core/addresses/display';
import { IPV4, IPV6 } from '../core/addresses/family';
import { audit } from '../core/analysis/audit';
import { DEFAULT_AUDIT_OPTIONS } from '../core/analysis/options';
import { compareVersions, type Version } from '../core/change/compare';
import { parseDocument } from '../core/document/document';
import { providerTotals, type ProviderShare } from '../core/ownership/shares';
import { csvRecord } from '../core/primitives/csv';
import { fileHistory, GitError, readInCommit, readInParent, type FileCommit } from '../node/git';
import { UsageError, type Options } from './args';
import { cliNetworks } from './networks';
import { formatOf, textOf } from './input';
import { writeJson } from './jsonStream';
import { Output, writeUntilClosed } from './output';
import { formatCount } from '../core/primitives/formatCount';

/** Providers named per commit. */
const TOP_PROVIDERS = 3;

/** What one commit did to the file. */
interface Step {
  readonly commit: FileCommit;
  readonly entriesAdded: number;
  readonly entriesRemoved: number;
  readonly added4: bigint;
  readonly removed4: bigint;
  readonly added6: bigint;
  readonly removed6: bigint;
  /** What the file blocks after the commit. */
  readonly total4: bigint;
  readonly total6: bigint;
  /** The known providers whose addresses the commit added, most first, per family. */
  readonly providers4: readonly ProviderShare[];
  readonly providers6: readonly ProviderShare[];
}

export function runHistory(options: Options): number {
  const [file] = options.files;
  const folder = dirname(file);
  const commits = gitCall(() => fileHistory(file, options.maxCount, options.since));
  if (commits.length === 0)
    throw new UsageError(`git has no commit of "${file}"${options.since === undefined ? '' : ` since ${options.since}`}: commit it first, or name a file git tracks.`);
  const networks = cliNetworks();
  const oldest = commits[commits.length - 1];
  const read = (bytes: Uint8Array | undefined, commit: FileCommit): Version => {
    const text = bytes === undefined ? '' : textOf(`${commit.hash}:${commit.path}`, bytes);
    const document = parseDocument(text, formatOf(basename(commit.path), text, options.inputFormat));
    // The blocked sets only: no finding is wanted.
    return { document, result: audit(document, { ...DEFAULT_AUDIT_OPTIONS, maxFindings: 0 }) };
  };
  let before = read(readInParent(folder, oldest.hash, oldest.path), oldest);
  const steps: Step[] = [];
  for (const commit of [...commits].reverse()) {
    const after = read(
      deletedAsEmpty(() => readInCommit(folder, commit.hash, commit.path)),
      commit,
    );
    const change = compareVersions(before, after);
    const count = (pick: (scope: (typeof change.scopes)[number]) => readonly unknown[]) => change.scopes.reduce((sum, scope) => sum + pick(scope).length, 0);
    const changed = count((scope) => scope.entriesChanged); // an edited entry: one removed, one added
    steps.push({
      commit,
      entriesAdded: count((scope) => scope.entriesAdded) + changed,
      entriesRemoved: count((scope) => scope.entriesRemoved) + changed,
      added4: change.added4.size(),
      removed4: change.removed4.size(),
      added6: change.added6.size(),
      removed6: change.removed6.size(),
      total4: after.result.ipv4.addresses,
      total6: after.result.ipv6.addresses,
      providers4: networks ? providerTotals(networks.providers, change.added4, AddressSet.empty(IPV6)) : [],
      providers6: networks ? providerTotals(networks.providers, AddressSet.empty(IPV4), change.added6) : [],
    });
    before = after;
  }
  steps.reverse(); // newest first, as git log lists them
  const out = new Output();
  writeUntilClosed(out, () => {
    if (options.output === 'json') writeHistoryJson(out, steps);
    else if (options.output === 'csv') writeHistoryCsv(out, steps);
    else writeHistoryText(out, file, steps);
  });
  return 0;
}

function gitCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new UsageError(`Cannot read the history through git: ${error.message}. Name a file inside a git repository.`);
  }
}

/** The file's bytes in a commit, or undefined in the commit that deleted it. */
function deletedAsEmpty(read: () => Uint8Array): Uint8Array | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
}

function writeHistoryText(out: Output, file: string, steps: readonly Step[]): void {
  out.line(`${file}: ${formatCount(steps.length)} commit${steps.length === 1 ? '' : 's'}, newest first`);
  for (const step of steps) {
    const { commit } = step;
    const providers = topProviders(step);
    out.line(
      `  ${commit.date.slice(0, 10)}  ${commit.hash.slice(0, 10)}  entries +${formatCount(step.entriesAdded)} −${formatCount(step.entriesRemoved)}` +
        `  IPv4 +${formatAmount(4, step.added4)} −${formatAmount(4, step.removed4)}  IPv6 +${formatAmount(6, step.added6)} −${formatAmount(6, step.removed6)}` +
        `  ${providers.length > 0 ? `(${providers.join(' · ')})  ` : ''}${commit.subject}`,
    );
  }
}

/** `Google Cloud 901,120`: the providers a commit added most of, IPv4 then IPv6. */
function topProviders(step: Step): string[] {
  return [
    ...step.providers4.slice(0, TOP_PROVIDERS).map((share) => `${share.provider.name} ${formatAmount(4, share.addresses)}`),
    ...step.providers6.slice(0, TOP_PROVIDERS).map((share) => `${share.provider.name} ${formatAmount(6, share.addresses)} IPv6`),
  ];
}

function writeHistoryJson(out: Output, steps: readonly Step[]): void {
  const shares = (list: readonly ProviderShare[]) =>
    list.slice(0, TOP_PROVIDERS).map((share) => ({ id: share.provider.id, name: share.provider.name, addresses: share.addresses.toString() }));
  writeJson(
    out,
    steps.map((step) => ({
      commit: step.commit.hash,
      date: step.commit.date,
      author: step.commit.author,
      subject: step.commit.subject,
      path: step.commit.path,
      entries: { added: step.entriesAdded, removed: step.entriesRemoved },
      ipv4: { added: step.added4.toString(), removed: step.removed4.toString(), blocked: step.total4.toString(), providersAdded: shares(step.providers4) },
      ipv6: { added: step.added6.toString(), removed: step.removed6.toString(), blocked: step.total6.toString(), providersAdded: shares(step.providers6) },
    })),
  );
  out.line('');
}

function writeHistoryCsv(out: Output, steps: readonly Step[]): void {
  out.write(
    csvRecord([
      'commit',
      'date',
      'author',
      'subject',
      'entries_added',
      'entries_removed',
      'ipv4_added',
      'ipv4_removed',
      'ipv4_blocked',
      'ipv6_added',
      'ipv6_removed',
      'ipv6_blocked',
      'providers_added',
    ]),
  );
  for (const step of steps) {
    const { commit } = step;
    out.write(
      csvRecord([
        commit.hash,
        commit.date,
        commit.author,
        commit.subject,
        step.entriesAdded,
        step.entriesRemoved,
        step.added4,
        step.removed4,
        step.total4,
        step.added6,
        step.removed6,
        step.total6,
        topProviders(step).join('; '),
      ]),
    );
  }
}
