/**
 * The findings about a document: its facts given severities (the settings',
 * else each code's own) and messages, capped at `maxFindings`, with the
 * document's totals. Pure: the language server and the CLI render the same
 * findings.
 */
import type { AddressSet } from '../addresses/addressSet';
import type { BlocklistDocument } from '../document/document';
import type { LineProblem } from '../document/problem';
import type { Networks } from '../ownership/networks';
import { providerShares } from '../ownership/shares';
import { documentFacts, type DocumentFacts, type EntryFact } from './facts';
import { FINDING_RULES, REACH_CODES, type EntryCode, type FindingCode, type ReportedCode, type Severity } from './findingCodes';
import type { HeaderNote } from './headerChecks';
import type { LoaderRejection } from './loaderChecks';
import { entryMessage, pastOverbroadError, type EntryMessage, type RelatedPlace } from './messages';
import { DEFAULT_AUDIT_OPTIONS, type AuditOptions } from './options';
import { iptablesEntryOf } from './iptablesDecisions';
import { OwnersMemo } from './ownersMemo';
import { excerpt } from '../primitives/excerpt';
import { reachSentence } from './reach';

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

/**
 * Audits `document`. With `networks` (the ASN data), entries are also checked
 * against known providers, for collateral across organisations, and by ASN
 * or provider against the protected networks and the intended target. `memo`
 * carries what the ASN data said of each entry from one edit to the next.
 */
export function audit(document: BlocklistDocument, options: AuditOptions = DEFAULT_AUDIT_OPTIONS, networks?: Networks, memo: OwnersMemo = OwnersMemo.for(document)): AuditResult {
  const facts = documentFacts(document, options, networks, memo);
  const findings = collectFindings(document, facts, options, networks);
  const blocking = facts.order4.length + facts.order6.length;
  const conditional = document.entries.conditional.reduce((count, flag) => count + flag, 0);
  return {
    findings: findings.kept,
    omitted: findings.omitted,
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

const RANKED: readonly (Severity | 'off')[] = ['error', 'warning', 'information', 'hint', 'off'];

/** The codes whose message says only what an entry's addresses are: equal for equal entries. */
const BY_RANGE: ReadonlySet<FindingCode> = new Set(['special-purpose', 'overbroad', 'known-network', 'collateral', 'protected', 'outside-target']);

/** The severity of an entry fact when the settings name none for its code. */
function defaultSeverity(document: BlocklistDocument, fact: EntryFact, options: AuditOptions, networks: Networks | undefined): Severity | 'off' {
  const table = document.entries;
  const k = fact.entry;
  if (fact.code === 'overbroad') return pastOverbroadError(table, k, options) ? 'error' : 'warning';
  if (fact.code === 'known-network' && networks) {
    const shares = providerShares(networks, table.version[k] as 4 | 6, table.lo(k), table.hi(k));
    return shares.map((share) => options.networks.categorySeverity[share.provider.category]).sort((a, b) => RANKED.indexOf(a) - RANKED.indexOf(b))[0] ?? 'off';
  }
  return FINDING_RULES[fact.code].severity;
}

/** A finding before its message is written: it is written only if the cap keeps it. */
interface Pending {
  readonly severity: Severity;
  readonly write: () => Finding;
}

/**
 * Merges notes on the header, the loader's rejections, reading problems and
 * entry facts in line order (a line's notes and problems first), applies
 * severities and the cap, and writes the messages of the findings kept. An
 * entry's reach findings that survive their severities become one `reach`
 * finding when there are several (reach.ts).
 */
function collectFindings(document: BlocklistDocument, facts: DocumentFacts, options: AuditOptions, networks: Networks | undefined): { kept: Finding[]; omitted: number } {
  const table = document.entries;
  const notes = [...facts.header, ...facts.loader];
  const problems: readonly (HeaderNote | LoaderRejection | LineProblem)[] =
    notes.length === 0 ? document.problems : [...notes, ...document.problems].sort((a, b) => a.line - b.line);
  const pending = facts.entryFacts;
  const kept: Finding[] = [];
  let omitted = 0;
  const keep = (finding: Pending) => {
    if (kept.length === options.maxFindings) omitted++;
    else kept.push(finding.write());
  };
  // A finding about an entry's addresses alone is worked out once per code and range: lists repeat entries.
  const byRange = new Map<string, { severity: Severity | 'off'; message?: EntryMessage }>();
  const sentences = new Map<string, string>();
  const remembered = (fact: EntryFact) => {
    // An iptables policy's or address-less rule's overbroad message names its chain and kind: not the range's alone.
    if (!BY_RANGE.has(fact.code) || (fact.code === 'overbroad' && document.format.id === 'iptables')) return undefined;
    const key = `${fact.code} ${table.version[fact.entry]} ${table.lo(fact.entry)} ${table.hi(fact.entry)}`;
    let known = byRange.get(key);
    if (!known) byRange.set(key, (known = { severity: options.severity[fact.code] ?? defaultSeverity(document, fact, options, networks) }));
    return known;
  };
  const at = (k: number) => ({ line: table.line[k], start: table.start[k], end: table.end[k], entry: k });
  const factFinding = (fact: EntryFact): Pending | undefined => {
    const known = remembered(fact);
    const severity = known?.severity ?? options.severity[fact.code] ?? defaultSeverity(document, fact, options, networks);
    if (severity === 'off') return undefined;
    const message = () =>
      known ? (known.message ??= entryMessage(document, fact, options, facts.context, networks)) : entryMessage(document, fact, options, facts.context, networks);
    return { severity, write: () => ({ code: fact.code, severity, ...at(fact.entry), ...message() }) };
  };
  const reachFinding = (k: number, parts: readonly { fact: EntryFact; finding: Pending }[]): Pending => {
    const codes = parts.map((part) => part.fact.code);
    const severity = parts.map((part) => part.finding.severity).sort((a, b) => RANKED.indexOf(a) - RANKED.indexOf(b))[0];
    const write = (): Finding => {
      const key = `${codes.join(' ')} ${table.version[k]} ${table.lo(k)} ${table.hi(k)}`;
      let sentence = sentences.get(key);
      if (sentence === undefined) sentences.set(key, (sentence = reachSentence(document, k, codes, options, facts.context, networks)));
      const place = at(k);
      const related = parts
        .filter(({ fact }) => DETAILED.has(fact.code))
        .map(({ finding }) => ({ line: place.line, start: place.start, end: place.end, message: finding.write().message }));
      return { code: 'reach', codes, severity, ...place, message: `${excerpt(document.text, place.start, place.end)} ${sentence}`, related };
    };
    return { severity, write };
  };
  /** The findings of one entry's facts, in their order, its reach told once. */
  const entryFindings = (from: number, to: number): Pending[] => {
    const k = pending[from].entry;
    let told: boolean | undefined;
    const findings: Pending[] = [];
    const reach: { fact: EntryFact; finding: Pending }[] = [];
    let slot = -1;
    for (let n = from; n < to; n++) {
      const fact = pending[n];
      const finding = factFinding(fact);
      if (!finding) continue;
      if (REACH.has(fact.code) && (told ??= tellsReach(document, k))) {
        if (slot < 0) slot = findings.push(finding) - 1;
        reach.push({ fact, finding });
      } else findings.push(finding);
    }
    if (reach.length > 1) findings[slot] = reachFinding(k, reach);
    return findings;
  };
  let p = 0;
  let q = 0;
  while (p < pending.length || q < problems.length) {
    if (q < problems.length && (p === pending.length || problems[q].line <= table.line[pending[p].entry])) {
      const problem = problems[q++];
      const severity = options.severity[problem.code] ?? ('severity' in problem ? problem.severity : undefined) ?? FINDING_RULES[problem.code].severity;
      if (severity === 'off') continue;
      // A reading problem field by field (a file of broken lines has one per line, and a spread of objects is slow); notes and rejections may carry more.
      const { code, line, start, end, message } = problem;
      keep({ severity, write: () => ('entry' in problem || 'related' in problem ? { ...problem, severity } : { code, severity, line, start, end, message }) });
    } else {
      let end = p + 1;
      while (end < pending.length && pending[end].entry === pending[p].entry) end++;
      for (const finding of entryFindings(p, end)) keep(finding);
      p = end;
    }
  }
  return { kept, omitted };
}

const REACH: ReadonlySet<FindingCode> = new Set(REACH_CODES);

/**
 * The reach parts whose own messages say more than the sentence (the ASNs,
 * the feeds' services, every organisation): those become its related
 * information. Overbroad's and outside-target's say nothing more, and each
 * related row costs a line of the hover above the owner table.
 */
const DETAILED: ReadonlySet<FindingCode> = new Set(['known-network', 'collateral']);

/** Whether entry k stands for its addresses, so its reach can be told as theirs: not an iptables policy or a rule without an address. */
function tellsReach(document: BlocklistDocument, k: number): boolean {
  return document.format.id !== 'iptables' || iptablesEntryOf(document, k).kind === 'address';
}
