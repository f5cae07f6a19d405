/**
 * The findings of an audited document, one at a time in line order: notes on
 * the header, the loader's rejections, reading problems and entry facts
 * merged (a line's notes and problems first), each given its severity (the
 * settings', else its code's own). An entry's reach findings that survive
 * their severities become one `reach` finding when there are several
 * (reach.ts).
 *
 * A walk gives each finding's severity first and writes its message only
 * when asked: the language server writes the first thousand, the CLI writes
 * every finding of a list of millions as it outputs it, and neither holds
 * what it does not write.
 */
import type { BlocklistDocument } from '../document/document';
import type { LineProblem } from '../document/problem';
import type { Networks } from '../ownership/networks';
import { providerShares } from '../ownership/shares';
import { excerpt } from '../primitives/excerpt';
import type { Finding } from './audit';
import type { EntryFacts } from './entryFacts';
import type { DocumentFacts, EntryFact } from './facts';
import { FINDING_RULES, REACH_CODES, type FindingCode, type Severity } from './findingCodes';
import type { HeaderNote } from './headerChecks';
import { entryStands } from './entryStands';
import type { LoaderRejection } from './loaderChecks';
import { entryMessage, pastOverbroadError, type EntryMessage } from './messages';
import type { AuditOptions } from './options';
import { reachSentence } from './reach';
import { telling } from './wordTwins';

type Problem = HeaderNote | LoaderRejection | LineProblem;

/** A finding of several of one entry's, its message written only when asked. */
interface Pending {
  readonly severity: Severity;
  readonly write: () => Finding;
}

export class FindingWalk {
  private readonly problems: readonly Problem[];
  private readonly facts: EntryFacts;
  /** The next entry fact and problem not yet reached. */
  private p = 0;
  private q = 0;
  /** What the current finding is: one entry's only fact, a problem, or one of several findings of an entry, queued. */
  private current: 'fact' | 'problem' | 'queued' = 'queued';
  /** The current finding's row of the facts, when it is one entry's only fact, and the family whose part of its word alone it is about. */
  private row = -1;
  private part: 4 | 6 | undefined;
  private problem: Problem | undefined;
  private severity: Severity = 'hint';
  private queue: Pending[] = [];
  private queued = 0;
  /** A finding about an entry's addresses alone is worked out once per code and range: lists repeat entries. */
  private readonly byRange = new Map<string, { severity: Severity | 'off'; message?: EntryMessage }>();
  private readonly sentences = new Map<string, string>();
  /** The severity of each code whose severity is the same for every entry. */
  private readonly severities = new Map<FindingCode, Severity | 'off'>();

  constructor(
    private readonly document: BlocklistDocument,
    private readonly audited: DocumentFacts,
    private readonly options: AuditOptions,
    private readonly networks: Networks | undefined,
  ) {
    const notes = [...audited.header, ...audited.loader];
    this.problems = notes.length === 0 ? document.problems : [...notes, ...document.problems].sort((a, b) => a.line - b.line);
    this.facts = audited.entryFacts;
  }

  /** Back to the first finding, for another pass: what was worked out of ranges is kept. */
  rewind(): void {
    this.p = 0;
    this.q = 0;
    this.queue = [];
    this.queued = 0;
  }

  /** Moves to the next finding and gives its severity; undefined past the last. */
  next(): Severity | undefined {
    if (this.queued < this.queue.length) {
      this.current = 'queued';
      return this.queue[this.queued++].severity;
    }
    const { facts, problems, document } = this;
    const table = document.entries;
    while (this.p < facts.length || this.q < problems.length) {
      if (this.q < problems.length && (this.p === facts.length || problems[this.q].line <= table.line[facts.entry(this.p)])) {
        const problem = problems[this.q++];
        const severity = this.options.severity[problem.code] ?? ('severity' in problem ? problem.severity : undefined) ?? FINDING_RULES[problem.code].severity;
        if (severity === 'off') continue;
        this.current = 'problem';
        this.problem = problem;
        return (this.severity = severity);
      }
      const from = this.p;
      let to = from + 1;
      while (to < facts.length && facts.entry(to) === facts.entry(from)) to++;
      this.p = to;
      if (to === from + 1) {
        // One fact, as most entries with any have: nothing to gather, nothing made until it is written.
        const severity = this.severityOf(from);
        if (severity === 'off') continue;
        const told = telling(document, facts, from);
        if (told === 'told') continue;
        this.current = 'fact';
        this.row = from;
        this.part = told === 'as-is' ? undefined : told;
        return (this.severity = severity);
      }
      this.queue = this.entryFindings(from, to);
      this.queued = 0;
      if (this.queue.length > 0) {
        this.current = 'queued';
        return this.queue[this.queued++].severity;
      }
    }
    return undefined;
  }

  /** The current finding, message and all. */
  write(): Finding {
    if (this.current === 'fact') return this.factFinding(this.facts.fact(this.row), this.severity, this.part);
    if (this.current === 'queued') return this.queue[this.queued - 1].write();
    const problem = this.problem!;
    const severity = this.severity;
    if ('explain' in problem) return rejectionFinding(problem, severity);
    // A reading problem or a note field by field: a file of broken lines has one per line, and a spread of objects is slow.
    const { code, line, start, end, message } = problem;
    return { code, severity, line, start, end, message };
  }

  /** What is worked out once per code and range; undefined for a code whose message says more than the range. */
  private remembered(fact: EntryFact) {
    const { document, options } = this;
    // An iptables policy's or address-less rule's overbroad message names its chain and kind: not the range's alone.
    if (!BY_RANGE.has(fact.code) || (fact.code === 'overbroad' && document.format.id === 'iptables')) return undefined;
    const table = document.entries;
    const key = `${fact.code} ${table.version[fact.entry]} ${table.lo(fact.entry)} ${table.hi(fact.entry)}`;
    let known = this.byRange.get(key);
    if (!known) this.byRange.set(key, (known = { severity: options.severity[fact.code] ?? defaultSeverity(document, fact, options, this.networks) }));
    return known;
  }

  /** The severity of the fact in row n. */
  private severityOf(n: number): Severity | 'off' {
    const code = this.facts.code(n);
    let severity = this.severities.get(code);
    if (severity !== undefined) return severity;
    if (this.options.severity[code] === undefined && BY_ENTRY.has(code)) {
      const fact = this.facts.fact(n);
      return this.remembered(fact)?.severity ?? defaultSeverity(this.document, fact, this.options, this.networks);
    }
    this.severities.set(code, (severity = this.options.severity[code] ?? FINDING_RULES[code].severity));
    return severity;
  }

  /** The finding of `fact`; `part`: the family whose part of the entry's word alone it is about (wordTwins.ts). */
  private factFinding(fact: EntryFact, severity: Severity, part?: 4 | 6): Finding {
    const { document, options, networks } = this;
    const context = this.audited.context;
    const known = this.remembered(fact);
    const said = known ? (known.message ??= entryMessage(document, fact, options, context, networks)) : entryMessage(document, fact, options, context, networks);
    const message = part === undefined ? said.message : `IPv${part} part: ${said.message}`;
    const related = said.related;
    const table = document.entries;
    const k = fact.entry;
    // Written out rather than spread: a list of a million entries may have a finding for each.
    const line = table.line[k];
    const start = table.start[k];
    const end = table.end[k];
    const finding: Finding =
      related === undefined ? { code: fact.code, severity, line, start, end, entry: k, message } : { code: fact.code, severity, line, start, end, entry: k, message, related };
    return part === undefined ? finding : { ...finding, part };
  }

  /** The findings of one entry's several facts, from..to, in their order, its reach told once. */
  private entryFindings(from: number, to: number): Pending[] {
    const k = this.facts.entry(from);
    let told: boolean | undefined;
    const findings: Pending[] = [];
    const reach: { fact: EntryFact; severity: Severity }[] = [];
    let slot = -1;
    for (let n = from; n < to; n++) {
      const severity = this.severityOf(n);
      if (severity === 'off') continue;
      const how = telling(this.document, this.facts, n);
      if (how === 'told') continue;
      const fact = this.facts.fact(n);
      const finding = { severity, write: () => this.factFinding(fact, severity, how === 'as-is' ? undefined : how) };
      if (REACH.has(fact.code) && (told ??= tellsReach(this.document, k))) {
        if (slot < 0) slot = findings.push(finding) - 1;
        reach.push({ fact, severity });
      } else findings.push(finding);
    }
    if (reach.length > 1) findings[slot] = this.reachFinding(k, reach);
    return findings;
  }

  private reachFinding(k: number, parts: readonly { fact: EntryFact; severity: Severity }[]): Pending {
    const { document, options, networks } = this;
    const table = document.entries;
    const codes = parts.map((part) => part.fact.code);
    const severity = parts.map((part) => part.severity).sort((a, b) => RANKED.indexOf(a) - RANKED.indexOf(b))[0];
    const write = (): Finding => {
      const key = `${codes.join(' ')} ${table.version[k]} ${table.lo(k)} ${table.hi(k)}`;
      let sentence = this.sentences.get(key);
      if (sentence === undefined) this.sentences.set(key, (sentence = reachSentence(document, k, codes, options, this.audited.context, networks)));
      const place = { line: table.line[k], start: table.start[k], end: table.end[k], entry: k };
      const related = parts
        .filter(({ fact }) => DETAILED.has(fact.code))
        .map((part) => ({ line: place.line, start: place.start, end: place.end, message: this.factFinding(part.fact, part.severity).message }));
      return { code: 'reach', codes, severity, ...place, message: `${excerpt(document.text, place.start, place.end)} ${sentence}`, related };
    };
    return { severity, write };
  }
}

/** A loader's rejection as a finding, its message worked out now. */
function rejectionFinding(rejection: LoaderRejection, severity: Severity): Finding {
  const { code, line, start, end, entry } = rejection;
  const { message, related } = rejection.explain();
  return { code, severity, line, start, end, message, ...(entry === undefined ? {} : { entry }), ...(related === undefined ? {} : { related }) };
}

const RANKED: readonly (Severity | 'off')[] = ['error', 'warning', 'information', 'hint', 'off'];

/** The codes whose message says only what an entry's addresses are: equal for equal entries. */
const BY_RANGE: ReadonlySet<FindingCode> = new Set(['special-purpose', 'overbroad', 'known-network', 'collateral', 'protected', 'outside-target']);

/** The codes whose default severity depends on the entry (defaultSeverity). */
const BY_ENTRY: ReadonlySet<FindingCode> = new Set(['overbroad', 'known-network']);

const REACH: ReadonlySet<FindingCode> = new Set(REACH_CODES);

/**
 * The reach parts whose own messages say more than the sentence (the ASNs,
 * the feeds' services, every organisation): those become its related
 * information. Overbroad's and outside-target's say nothing more, and each
 * related row costs a line of the hover above the owner table.
 */
const DETAILED: ReadonlySet<FindingCode> = new Set(['known-network', 'collateral']);

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

/** Whether entry k stands for its addresses, so its reach can be told as theirs: not an iptables policy or a rule without an address. */
function tellsReach(document: BlocklistDocument, k: number): boolean {
  return entryStands(document, k) === 'address';
}
