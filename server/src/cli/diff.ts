/**
 * `blocklist-audit diff OLD NEW`: what a change to a list does, scope by
 * scope: the addresses it blocks more and less (exact, per family) and
 * whose they are, the entries added, removed and changed, and the findings
 * it introduces and resolves. Gates make it exit 1 for CI.
 */
import { basename } from 'node:path';
import { formatAmount } from '../core/addresses/display';
import { compareVersions, type AddressDelta, type Change, type Version } from '../core/change/compare';
import { introduced } from '../core/change/findingChanges';
import { ownersOf, type SetOwners } from '../core/change/owners';
import { parseDocument } from '../core/document/document';
import type { DataStatus } from '../core/ownership/dataAbout';
import type { Networks } from '../core/ownership/networks';
import { findProvider, PROVIDERS, type Provider, type ProviderCategory } from '../core/ownership/providers';
import { GitError, readAtRevision } from '../node/git';
import { UsageError, type DiffSide, type Options } from './args';
import { auditAll } from './check';
import { cliNetworks } from './networks';
import { ownershipStatus } from './dataAbout';
import { writeDiffJson, writeDiffMarkdown, writeDiffSarif, writeDiffText } from './diffOutput';
import { formatOf, readText, textOf } from './input';
import { Output, writeUntilClosed } from './output';
import { formatCount } from '../core/primitives/formatCount';

/** One side of the diff as read: its name as given, its text, its document and audit. */
export interface ReadVersion extends Version {
  readonly name: string;
}

/** Whose addresses one scope's change adds and removes (without ASN data: undefined). */
export interface ScopeOwners {
  readonly added: { readonly ipv4: SetOwners; readonly ipv6: SetOwners };
  readonly removed: { readonly ipv4: SetOwners; readonly ipv6: SetOwners };
}

/** Everything the outputs write. */
export interface DiffReport {
  readonly before: ReadVersion;
  readonly after: ReadVersion;
  readonly change: Change;
  /** Per scope of change.scopes, in its order. */
  readonly owners: readonly (ScopeOwners | undefined)[];
  /** Of the whole file: what its blocking scopes block more and less. */
  readonly fileOwners: ScopeOwners | undefined;
  /** Why the gates fail the run; empty when they pass. */
  readonly failures: readonly string[];
  /** The ownership data and its age, undefined without it. */
  readonly ownership: DataStatus | undefined;
}

const CATEGORIES: readonly ProviderCategory[] = [...new Set(PROVIDERS.map((provider) => provider.category))];

export function runDiff(options: Options, today: Date): number {
  const providerGates = options.failOnProviders.map(providerGate);
  const networks = cliNetworks();
  const [before, after] = options.sides.map((side) => readVersion(side, options.inputFormat, networks));
  const change = compareVersions(before, after);
  const ownersOfScope = (scope: AddressDelta): ScopeOwners | undefined =>
    networks && {
      added: ownersOf(networks, scope.added4, scope.added6),
      removed: ownersOf(networks, scope.removed4, scope.removed6),
    };
  const fileOwners = ownersOfScope(change);
  const report: DiffReport = {
    before,
    after,
    change,
    owners: change.scopes.map((scope) => (scope.status === 'unchanged' ? undefined : ownersOfScope(scope))),
    fileOwners,
    failures: gateFailures(options, change, fileOwners, providerGates),
    ownership: ownershipStatus(networks, today, options.maxDataAgeDays),
  };
  const out = new Output();
  writeUntilClosed(out, () => {
    if (options.output === 'json') writeDiffJson(out, report);
    else if (options.output === 'markdown') writeDiffMarkdown(out, report);
    else if (options.output === 'sarif') writeDiffSarif(out, report);
    else writeDiffText(out, report);
  });
  return report.failures.length > 0 ? 1 : 0;
}

/** Reads a side: a file, standard input, or `REV:PATH` through git; its format detected from the file's own name. */
function readVersion(side: DiffSide, inputFormat: string | undefined, networks: Networks | undefined): ReadVersion {
  const path = side.atRevision ? side.name.slice(side.name.indexOf(':') + 1) : side.name;
  const text = side.atRevision ? textOf(side.name, readRevision(side.name)) : readText(side.name);
  const document = parseDocument(text, formatOf(path === '-' ? '-' : basename(path), text, inputFormat));
  return { name: side.name, document, result: auditAll(document, networks) };
}

/** `spec` through git; a path the revision does not have reads as empty (a list the change adds), said on stderr. */
function readRevision(spec: string): Uint8Array {
  let bytes: Uint8Array | undefined;
  try {
    bytes = readAtRevision(spec);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new UsageError(`Cannot read "${spec}" through git: ${error.message}. Name a file, or REV:PATH as "git show" takes it (--old/--new FILE for a file name with a colon).`);
  }
  if (bytes) return bytes;
  process.stderr.write(`blocklist-audit: ${spec} is not in git at that revision: read as empty, a list the change adds.\n`);
  return new Uint8Array();
}

/** The providers a --fail-on-provider value names: a category (`cloud`) or one provider by id or name. */
function providerGate(value: string): { readonly label: string; readonly providers: readonly Provider[] } {
  const category = CATEGORIES.find((c) => c === value.toLowerCase());
  if (category) return { label: `${category} providers`, providers: PROVIDERS.filter((provider) => provider.category === category) };
  const provider = findProvider(value);
  if (provider) return { label: provider.name, providers: [provider] };
  throw new UsageError(`--fail-on-provider takes a category (${CATEGORIES.join(', ')}) or a provider (${PROVIDERS.map((p) => p.id).join(', ')}), not "${value}".`);
}

/** Why the change fails the gates asked for, one sentence each. */
function gateFailures(options: Options, change: Change, owners: ScopeOwners | undefined, providerGates: readonly ReturnType<typeof providerGate>[]): string[] {
  const failures: string[] = [];
  const families = [
    { version: 4, added: change.added4.size(), owners: owners?.added.ipv4 },
    { version: 6, added: change.added6.size(), owners: owners?.added.ipv6 },
  ] as const;
  for (const { version, added, owners: held } of families) {
    if (options.failOnAdded !== undefined && added > options.failOnAdded) {
      failures.push(`The change blocks ${formatAmount(version, added)} more IPv${version} addresses, more than --fail-on-added ${options.failOnAdded}.`);
    }
    for (const gate of providerGates) {
      const shares = (held?.providers ?? []).filter((share) => gate.providers.includes(share.provider));
      const sum = shares.reduce((total, share) => total + share.addresses, 0n);
      if (sum > 0n && sum >= options.providerThreshold) {
        const split = shares.map((share) => `${share.provider.name} ${formatAmount(version, share.addresses)}`).join(', ');
        failures.push(
          `The change blocks ${formatAmount(version, sum)} more IPv${version} addresses of ${gate.label} (${split}), at least --provider-threshold ${options.providerThreshold}.`,
        );
      }
    }
  }
  if (providerGates.length > 0 && !owners) failures.push('--fail-on-provider needs the ASN data, which is missing: rebuild it with "npm run build".');
  const fresh = introduced(change.findings);
  const count = (n: number, what: string) => `${formatCount(n)} ${what}${n === 1 ? '' : 's'}`;
  const protectedHits = fresh.filter((finding) => finding.code === 'protected').length;
  if (options.diffGates.includes('protected') && protectedHits > 0) failures.push(`The change blocks protected networks: ${count(protectedHits, 'new protected finding')}.`);
  const errors = fresh.filter((finding) => finding.severity === 'error').length;
  if (options.diffGates.includes('new-errors') && errors > 0) failures.push(`The change introduces ${count(errors, 'error')}.`);
  return failures;
}
