/**
 * The findings about a document: its facts given severities (the settings',
 * else each code's own) and messages, capped at `maxFindings`, with the
 * document's totals. Pure: the language server and the CLI render the same
 * findings.
 */
import type { AddressSet } from '../addresses/addressSet';
import type { BlocklistDocument } from '../document/document';
import type { Networks } from '../ownership/networks';
import type { BeforeEdit } from './entryOrder';
import { documentFacts, type DocumentFacts } from './facts';
import type { EntryCode, ReportedCode, Severity } from './findingCodes';
import { FindingWalk } from './findingWalk';
import type { RelatedPlace } from './messages';
import { DEFAULT_AUDIT_OPTIONS, type AuditOptions } from './options';
import { OwnersMemo } from './ownersMemo';

export interface Finding {
  readonly code: ReportedCode;
  /** A `reach` finding's components, in their order. */
  readonly codes?: readonly EntryCode[];
  readonly severity: Severity;
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** The entry the finding is about, when it is about one. */
  readonly entry?: number;
  /**
   * Where the entry's word stands for one entry of each family (nginx `all`),
   * the family whose part alone the finding is about (wordTwins.ts): the
   * word itself is still needed.
   */
  readonly part?: 4 | 6;
  readonly related?: readonly RelatedPlace[];
}

export interface FamilyTotals {
  /** Blocking entries read. */
  readonly entries: number;
  /** Unique addresses blocked: the size of the union, not the sum. */
  readonly addresses: bigint;
}

export interface AuditResult {
  readonly findings: readonly Finding[];
  /** Findings left out by `maxFindings`. */
  readonly omitted: number;
  readonly ipv4: FamilyTotals;
  readonly ipv6: FamilyTotals;
  readonly duplicates: number;
  /** Entries that except (allow, `nomatch`, `!`) or belong to an allowlist. */
  readonly exceptions: number;
  /** Entries of rules that match only some traffic (EntryMeaning.conditional). */
  readonly conditional: number;
  /** The blocked addresses per family (for hovers and reports). */
  readonly blocked4: AddressSet<number>;
  readonly blocked6: AddressSet<bigint>;
  /** What the findings were made from, for the fixes. */
  readonly facts: DocumentFacts;
}

/** An audit's totals and facts, without its findings. */
export type AuditTotals = Omit<AuditResult, 'findings' | 'omitted'>;

/**
 * Audits `document`. With `networks` (the ASN data), entries are also checked
 * against known providers, for collateral across organisations, and by ASN
 * or provider against the protected networks and the intended target. `memo`
 * carries what the ASN data said of each entry from one edit to the next,
 * and `before` what the audit before the edit found. The findings are
 * capped at `options.maxFindings`.
 */
export function audit(
  document: BlocklistDocument,
  options: AuditOptions = DEFAULT_AUDIT_OPTIONS,
  networks?: Networks,
  memo: OwnersMemo = OwnersMemo.for(document),
  before?: BeforeEdit,
): AuditResult {
  const totals = auditTotals(document, options, networks, memo, before);
  const walk = new FindingWalk(document, totals.facts, options, networks);
  const findings: Finding[] = [];
  let omitted = 0;
  while (walk.next() !== undefined) {
    if (findings.length === options.maxFindings) omitted++;
    else findings.push(walk.write());
  }
  return { findings, omitted, ...totals };
}

/** The audit of `document` but its findings, which a FindingWalk of its facts gives one at a time. */
export function auditTotals(
  document: BlocklistDocument,
  options: AuditOptions,
  networks: Networks | undefined,
  memo: OwnersMemo = OwnersMemo.for(document),
  before?: BeforeEdit,
): AuditTotals {
  const facts = documentFacts(document, options, networks, memo, before);
  const blocking = facts.order4.length + facts.order6.length;
  const conditional = facts.conditional;
  return {
    ipv4: { entries: facts.order4.length, addresses: facts.blocked4.size() },
    ipv6: { entries: facts.order6.length, addresses: facts.blocked6.size() },
    duplicates: facts.duplicates,
    exceptions: document.entries.count - blocking - conditional,
    conditional,
    blocked4: facts.blocked4,
    blocked6: facts.blocked6,
    facts,
  };
}
