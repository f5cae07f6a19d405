/**
 * The audit report of a whole list, as plain data: totals, who is blocked
 * (providers and organisations), the prefix-length histogram, the findings by
 * code, and the broadest entries. The client draws it; the CLI could print it.
 */
import { AddressSet } from '../addresses/addressSet';
import type { AuditResult } from './audit';
import type { FindingCode } from './findingCodes';
import type { BlocklistDocument } from '../document/document';
import type { Evaluation } from '../formats/format';
import { IPV4, IPV6 } from '../addresses/family';
import { fraction } from '../addresses/display';
import type { DataStatus } from '../ownership/dataAbout';
import type { Networks } from '../ownership/networks';
import { providerTotals } from '../ownership/shares';

export interface ReportData {
  readonly format: string;
  readonly ipv4: { readonly entries: number; readonly addresses: string; readonly share: number };
  readonly ipv6: { readonly entries: number; readonly addresses: string; readonly share: number };
  readonly duplicates: number;
  readonly findings: readonly { readonly code: FindingCode; readonly count: number }[];
  /** Addresses of each known provider, per family: IPv6 counts would dwarf IPv4 ones on one scale. */
  readonly providers: { readonly ipv4: readonly ProviderRow[]; readonly ipv6: readonly ProviderRow[] };
  /** The organisations holding the most blocked IPv4 addresses, each with its ASNs that hold any, most first. */
  readonly organisations: readonly { readonly name: string; readonly asns: readonly number[]; readonly addresses: string }[];
  /** Which ownership data named the providers and organisations, and how old it is (absent without ASN data). */
  readonly ownershipData?: DataStatus;
  /** Entries per prefix length, IPv4 and IPv6 apart; ranges that are no CIDR count under -1. */
  readonly prefixes: { readonly ipv4: readonly [number, number][]; readonly ipv6: readonly [number, number][] };
  /**
   * The sets, tables, chains or blocks the file evaluates apart, with what
   * each decides to block by its own rule; empty when the file is one list.
   */
  readonly scopes: readonly ScopeRow[];
  /** The entries blocking the most addresses, with their line (zero-based) and findings. */
  readonly broadest: readonly { readonly line: number; readonly text: string; readonly addresses: string; readonly codes: readonly string[] }[];
}

export interface ScopeRow {
  /** `set bad`, `table ok`, `location /api`, `the file`. */
  readonly label: string;
  readonly role: 'block' | 'allow';
  readonly evaluation: Evaluation;
  readonly ipv4: string;
  readonly ipv6: string;
}

export interface ProviderRow {
  readonly name: string;
  readonly category: string;
  readonly addresses: string;
}

const TOP = 12;

/** `ownershipData` is the data of `networks` with its age (the core reads no clock). */
export function buildReport(document: BlocklistDocument, result: AuditResult, networks: Networks | undefined, ownershipData?: DataStatus): ReportData {
  const t = document.entries;
  const histogram = { 4: new Map<number, number>(), 6: new Map<number, number>() };
  const sizes: number[] = [];
  for (let k = 0; k < t.count; k++) {
    if (t.allow[k] || t.conditional[k] || document.scopes[t.scope[k]].role === 'allow') continue;
    const byPrefix = histogram[t.version[k] as 4 | 6];
    byPrefix.set(t.prefix[k], (byPrefix.get(t.prefix[k]) ?? 0) + 1);
    sizes.push(k);
  }
  sizes.sort((a, b) => (t.size(b) > t.size(a) ? 1 : t.size(b) < t.size(a) ? -1 : a - b));
  const codesAt = new Map<number, string[]>();
  const byCode = new Map<FindingCode, number>();
  for (const finding of result.findings) {
    // A reach finding counts for each of its components: the table tells how many entries are overbroad, say.
    const codes = finding.codes ?? [finding.code as FindingCode];
    for (const code of codes) byCode.set(code, (byCode.get(code) ?? 0) + 1);
    if (finding.entry !== undefined) codesAt.set(finding.entry, [...(codesAt.get(finding.entry) ?? []), ...codes]);
  }
  return {
    format: document.format.label,
    ipv4: { entries: result.ipv4.entries, addresses: result.ipv4.addresses.toString(), share: fraction(result.ipv4.addresses, 32) },
    ipv6: { entries: result.ipv6.entries, addresses: result.ipv6.addresses.toString(), share: fraction(result.ipv6.addresses, 128) },
    duplicates: result.duplicates,
    findings: [...byCode].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count),
    providers: {
      ipv4: networks ? rows(providerTotals(networks.providers, result.blocked4, AddressSet.empty(IPV6))) : [],
      ipv6: networks ? rows(providerTotals(networks.providers, AddressSet.empty(IPV4), result.blocked6)) : [],
    },
    organisations: networks ? topOrganisations(networks, result) : [],
    ownershipData,
    prefixes: {
      ipv4: [...histogram[4]].sort((a, b) => a[0] - b[0]),
      ipv6: [...histogram[6]].sort((a, b) => a[0] - b[0]),
    },
    scopes:
      result.facts.scopeSets.length > 1 || document.scopes[result.facts.scopeSets[0]?.scope ?? 0].name !== ''
        ? result.facts.scopeSets.map((set) => {
            const scope = document.scopes[set.scope];
            return { label: scope.label, role: scope.role, evaluation: scope.evaluation, ipv4: set.blocked4.size().toString(), ipv6: set.blocked6.size().toString() };
          })
        : [],
    broadest: sizes.slice(0, TOP).map((k) => ({
      line: t.line[k],
      text: document.text.slice(t.start[k], t.end[k]),
      addresses: t.size(k).toString(),
      codes: codesAt.get(k) ?? [],
    })),
  };
}

function rows(shares: ReturnType<typeof providerTotals>): ProviderRow[] {
  return shares.map((s) => ({ name: s.provider.name, category: s.provider.category, addresses: s.addresses.toString() }));
}

function topOrganisations(networks: Networks, result: AuditResult): ReportData['organisations'] {
  return networks.index
    .holdingsOf4(result.blocked4)
    .largest.slice(0, TOP)
    .map((o) => ({ name: o.name, asns: o.asns.map((share) => share.asn), addresses: o.addresses.toString() }));
}
