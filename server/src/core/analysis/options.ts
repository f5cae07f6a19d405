/**
 * What an audit can be told: severities, the overbroad thresholds, the cap
 * on findings, and the network checks' settings, with the defaults that
 * apply where the editor or the CLI says nothing (package.json repeats them
 * for the settings UI; a test holds the two equal).
 */
import type { NamedNetworks } from '../ownership/addressSpec';
import type { ProviderCategory } from '../ownership/providers';
import type { FindingCode, Severity } from './findingCodes';
import type { EarlierList } from './groups';
import type { HostsAllowFile } from './hostsAllow';

export interface AuditOptions {
  /** Per-code severity, or 'off' to drop the code. */
  readonly severity: Partial<Record<FindingCode, Severity | 'off'>>;
  /** Entries broader than these prefix lengths are overbroad (warning) or far too broad (error). */
  readonly overbroad: { readonly ipv4Warning: number; readonly ipv4Error: number; readonly ipv6Warning: number; readonly ipv6Error: number };
  /** At most this many findings are returned; the rest are counted in `omitted`. */
  readonly maxFindings: number;
  readonly networks: NetworkOptions;
  /** The hosts.allow beside a hosts.deny: it decides first (hostsAllow.ts). */
  readonly hostsAllow?: HostsAllowFile;
  /** The lists loaded before this one into the same set, in order (groups.ts). */
  readonly earlierLists?: readonly EarlierList[];
}

/** What a list is read with besides its own text: the hosts.allow beside a hosts.deny, the lists before it in its groups. */
export type ReadWith = Pick<AuditOptions, 'hostsAllow' | 'earlierLists'>;

export interface NetworkOptions {
  /** Entries with fewer addresses are not checked for known networks or collateral (a single address is a deliberate target). */
  readonly minimumAddresses: number;
  readonly categorySeverity: Readonly<Record<ProviderCategory, Severity | 'off'>>;
  /** An entry spanning more organisations than this is overbroad, however long its prefix. */
  readonly maxOrganisations: number;
  /** Networks no entry may block: CIDRs, ranges, `AS13335`, provider ids or names. */
  readonly protected: readonly string[];
  /** Networks other lists allow (the entries of allowlist files), protected as those are, each with the place that lists it. */
  readonly allowlisted?: readonly NamedNetworks[];
  /** The intended target, when the file has no `# target:` directive. Empty: no target. */
  readonly target: readonly string[];
  /** The ownership snapshots there are, by name: a `# ownership-data:` directive naming none of them is `unknown-ownership-data` (undefined: not checked). */
  readonly snapshots?: readonly string[];
}

/** How much a known-network overlap matters, by the provider's category (the most severe category of the entry wins). */
export const DEFAULT_CATEGORY_SEVERITY: Readonly<Record<ProviderCategory, Severity | 'off'>> = {
  cloud: 'warning',
  cdn: 'warning',
  platform: 'warning',
  hosting: 'information',
  messenger: 'information',
};

/** Public resolvers: blocking them breaks name resolution for everyone behind the list (IPv4, then IPv6). */
// oxfmt-ignore
export const DEFAULT_PROTECTED: readonly string[] = [
  '1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4', '9.9.9.9', '149.112.112.112', '208.67.222.222', '208.67.220.220',
  '2606:4700:4700::1111', '2606:4700:4700::1001', '2001:4860:4860::8888', '2001:4860:4860::8844', '2620:fe::fe', '2620:fe::9',
];

/** The highest `maxOrganisations` allowed: holders are counted up to one more, in the six bits the memo of owners has for them. */
export const MAX_ORGANISATIONS_LIMIT = 62;

export const DEFAULT_AUDIT_OPTIONS: AuditOptions = {
  severity: {},
  overbroad: { ipv4Warning: 16, ipv4Error: 8, ipv6Warning: 32, ipv6Error: 16 },
  maxFindings: 1000,
  networks: {
    minimumAddresses: 256,
    categorySeverity: DEFAULT_CATEGORY_SEVERITY,
    maxOrganisations: 3,
    protected: DEFAULT_PROTECTED,
    target: [],
  },
};
