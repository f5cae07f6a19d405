/**
 * Every finding code in one table: its default severity, the one-line rule
 * the CLI and SARIF print, whether Fix all may apply its fix, and whether an
 * editor may fade it as unnecessary. The severity table, the CLI's rules, the
 * fix-all set and the diagnostic tags are read from here; a test holds the
 * package.json setting enum to it, so a new code cannot miss a place.
 */
import type { ProblemCode } from '../document/problem';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Codes of what a file says about itself (its header and directives). */
export type HeaderCode = 'stale-header' | 'unknown-format' | 'unknown-target' | 'unknown-ownership-data';

/** The code of what the firewall's loader refuses (loaderChecks.ts). */
export type LoaderCode = 'loader-rejects';

/** Codes of findings about one entry, found by the audit. */
export const ENTRY_CODES = [
  'duplicate',
  'covered',
  'covered-elsewhere',
  'shadowed',
  'granted-first',
  'ineffective-exception',
  'conditional',
  'partial-overlap',
  'mergeable',
  'special-purpose',
  'overbroad',
  'known-network',
  'collateral',
  'protected',
  'outside-target',
] as const;

export type EntryCode = (typeof ENTRY_CODES)[number];

export type FindingCode = ProblemCode | HeaderCode | LoaderCode | EntryCode;

export interface FindingRule {
  /** Unless the settings say otherwise; `overbroad` becomes an error past the error threshold, `known-network` follows the provider's category. */
  readonly severity: Severity;
  /** What the rule checks, in one sentence (CLI rules, SARIF `shortDescription`). */
  readonly rule: string;
  /** Fix all applies this code's fix: it never changes what the list blocks. */
  readonly fixAll: boolean;
  /** The entry adds nothing: editors may show it faded, as unused code. */
  readonly unnecessary: boolean;
}

export const FINDING_RULES: Readonly<Record<FindingCode, FindingRule>> = {
  'invalid-entry': { severity: 'error', rule: 'The entry is not an address, CIDR or range.', fixAll: false, unnecessary: false },
  'not-text': { severity: 'error', rule: 'The file is not text (a NUL character in its first 8 KiB): none of it is read.', fixAll: false, unnecessary: false },
  'host-bits-set': { severity: 'warning', rule: 'A CIDR has bits set past its prefix.', fixAll: true, unnecessary: false },
  'leading-zeros': { severity: 'warning', rule: 'An octet has a leading zero, which other tools read as octal.', fixAll: false, unnecessary: false },
  'unresolved-name': {
    severity: 'information',
    rule: 'A host or interface name the firewall resolves when it loads the file: the product does not resolve it, and counts none of its addresses.',
    fixAll: false,
    unnecessary: false,
  },
  'loader-rejects': {
    severity: 'error',
    rule: "The firewall's loader rejects the file here (nft, ipset restore, apache2 -t, iptables-restore), as each tool says: an element of the other family, a repeated element or set, a full set, a negative Require outside <RequireAll>, a jump that closes a loop…",
    fixAll: false,
    unnecessary: false,
  },
  duplicate: { severity: 'warning', rule: 'The entry repeats an earlier one.', fixAll: true, unnecessary: true },
  covered: { severity: 'warning', rule: 'Another entry already contains this one.', fixAll: true, unnecessary: true },
  'covered-elsewhere': {
    severity: 'information',
    rule: 'The lists loaded before this one into the same set (its group) already block every address of the entry.',
    fixAll: false,
    unnecessary: true,
  },
  shadowed: {
    severity: 'warning',
    rule: 'Entries that decide the other way already decide all of this one: it never takes effect.',
    fixAll: false,
    unnecessary: false,
  },
  'granted-first': {
    severity: 'warning',
    rule: 'The hosts.allow beside this hosts.deny matches every address of the entry first, for every daemon of its rule: it never denies anything.',
    fixAll: false,
    unnecessary: true,
  },
  'ineffective-exception': { severity: 'warning', rule: 'The exception lies inside no blocking entry of its scope: it excepts nothing.', fixAll: false, unnecessary: true },
  conditional: {
    severity: 'hint',
    rule: "The rule decides only under a further condition (a protocol, port, interface, negation, second address, host name, section or other provider; a jump, a map value or tuple, a later flush, a set's netmask, a timeout, a block that may not run, a change that may take it away, an import stopped before it; a return or satisfy any): it is not counted.",
    fixAll: false,
    unnecessary: false,
  },
  'partial-overlap': { severity: 'information', rule: 'The entry shares addresses with another.', fixAll: false, unnecessary: false },
  mergeable: { severity: 'hint', rule: 'Two adjacent entries make exactly one CIDR block.', fixAll: false, unnecessary: false },
  'special-purpose': {
    severity: 'warning',
    rule: 'The entry includes special-purpose addresses (IANA registries, multicast, reserved).',
    fixAll: false,
    unnecessary: false,
  },
  overbroad: { severity: 'warning', rule: 'The entry blocks more addresses than the configured limit.', fixAll: false, unnecessary: false },
  'stale-header': { severity: 'warning', rule: "A FireHOL header's Entries line does not match the list.", fixAll: false, unnecessary: false },
  'unknown-format': { severity: 'warning', rule: 'The blocklist-format directive names no known format.', fixAll: false, unnecessary: false },
  'unknown-target': {
    severity: 'warning',
    rule: 'A name in the target directive names no known network: the target is left out of the audit until every name in it is known.',
    fixAll: false,
    unnecessary: false,
  },
  'unknown-ownership-data': {
    severity: 'warning',
    rule: 'The ownership-data directive names no imported ownership snapshot: the file is audited with the data in use.',
    fixAll: false,
    unnecessary: false,
  },
  'known-network': {
    severity: 'warning',
    rule: 'The entry blocks addresses of a known cloud, CDN, hosting or platform provider.',
    fixAll: false,
    unnecessary: false,
  },
  collateral: { severity: 'warning', rule: 'The entry spans more organisations than the configured limit.', fixAll: false, unnecessary: false },
  protected: { severity: 'error', rule: 'The entry blocks a protected network.', fixAll: false, unnecessary: false },
  'outside-target': { severity: 'warning', rule: 'The entry blocks addresses outside the intended target.', fixAll: false, unnecessary: false },
};

/** Every code, in the table's order. */
export const FINDING_CODES = Object.keys(FINDING_RULES) as readonly FindingCode[];

/** The codes that tell how far an entry reaches: size, owners, target (one story, told by one `reach` finding when several hold). */
export const REACH_CODES: readonly EntryCode[] = ['overbroad', 'known-network', 'collateral', 'outside-target'];

/** A finding's code as reported: one of the table's, or `reach`, which stands for several of REACH_CODES on one entry. */
export type ReportedCode = FindingCode | 'reach';

/** The rule of `reach`: its severity is its most severe component's; settings address the components, not it. */
export const REACH_RULE: FindingRule = {
  severity: 'warning',
  rule: 'The entry reaches further than meant in several ways at once (overbroad, known-network, collateral, outside-target): how many addresses, whose, and how many lie outside the target, in one message.',
  fixAll: false,
  unnecessary: false,
};

export function ruleOf(code: ReportedCode): FindingRule {
  return code === 'reach' ? REACH_RULE : FINDING_RULES[code];
}
