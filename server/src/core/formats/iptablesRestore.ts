/**
 * What iptables-restore builds from a file (iptables(8), iptables-restore(8);
 * checked against iptables-restore 1.8.9 inside `unshare -n`, see
 * ORACLES.md): tables of chains, each chain's rules in the order the kernel
 * evaluates them, the built-in chains' policies, and what the loader
 * refuses, in its own words.
 *
 * Lines are commands, applied in order. `*table` starts a table afresh (a
 * table given twice is the second one), `:CHAIN POLICY [counters]` declares
 * a chain, `-A` appends a rule, `-I CHAIN [N]` inserts one at N (1 when no
 * N is given), `-D CHAIN N` and `-D CHAIN RULE` delete one, `-R CHAIN N RULE`
 * replaces one, `-N` creates a chain, `-P` sets a built-in chain's policy,
 * `-F CHAIN` empties a chain and `-X CHAIN` deletes an empty one no rule
 * jumps to; `COMMIT` ends the table. A rule with a list of addresses
 * (`-s a,b`) is a rule per address, added in order; inserted, they land in
 * reverse, each at the same place. Lines of a script (`iptables -A …`,
 * `ip6tables -I …`, no `*table` line) are read the same way, each in the
 * family of its program; what its loader refuses depends on the chains the
 * kernel holds already, so only addresses of the other family are reported
 * there, as reading problems. In a restore file, what iptables-restore
 * refuses is a refusal of its own (`Ruleset.refusals`), with the other
 * lines it involves. Other commands (`-Z`, `-E`, `-F` of a whole table,
 * `-L`) change no rule of the file and are left alone.
 */
import { contentStart } from '../document/encoding';
import { type OctalLoader, parseEntry, ParsedEntry } from '../document/entry';
import type { LineProblem, Problem } from '../document/problem';
import { COLON, DASH, HASH, SEMICOLON, STAR } from '../primitives/charCodes';
import { forEachLine, lineContentEnd, nextLineStart } from './format';
import { APOSTROPHE, COMMA, indexIn, isDigit, QUOTE, skipBlanks, trimEnd, wordEnd, wordIs } from './lines';

/** What a rule does when it matches: decide, decide nothing (LOG, MARK…), or hand the packet to a chain. */
export type Action = 'drop' | 'accept' | 'return' | 'neutral' | 'jump' | 'goto';

/** A rule as written on its line; `-s a,b` is one written rule and two kernel rules. */
export interface WrittenRule {
  readonly line: number;
  readonly family: 4 | 6;
  readonly table: Table;
  readonly chain: string;
  /** The addresses after `-s` (and `--src-range`), then after `-d` (and `--dst-range`): start, end, start, end… */
  readonly sources: readonly number[];
  readonly destinations: readonly number[];
  /** Matches on more than its addresses: a protocol, a port, an interface, a negation, a module. */
  readonly conditional: boolean;
  /** What a match does, once every chain of the file is known. */
  action: Action;
  /** The target (`DROP`, a chain's name), or '' for none; where it stands. */
  readonly target: string;
  readonly targetStart: number;
  readonly targetEnd: number;
  /** Its own words, after the chain (and a rule number): what `-D RULE` compares. */
  readonly ruleStart: number;
  readonly ruleEnd: number;
  /** The kernel rules it is, in the order of its lists (set once, as they name it). */
  kernels: readonly KernelRule[];
}

/** A rule as the kernel holds it: one address of each of its written rule's lists, or none. */
export interface KernelRule {
  readonly rule: WrittenRule;
  /** The index in `rule.sources` (and `rule.destinations`) of its address pair, or -1. */
  readonly source: number;
  readonly destination: number;
  /** The chain that holds it in the end; undefined once deleted, flushed or replaced with its table. */
  chain: Chain | undefined;
}

export interface Policy {
  readonly verdict: 'accept' | 'drop';
  readonly line: number;
  /** The policy word (`DROP` of `:INPUT DROP [0:0]` or of `-P INPUT DROP`). */
  readonly start: number;
  readonly end: number;
}

export interface Chain {
  readonly name: string;
  readonly builtin: boolean;
  /** Built-in chains only; absent, ACCEPT. */
  policy: Policy | undefined;
  rules: KernelRule[];
  /** Where it is declared (`:NAME`, `-N NAME`), or -1 (a built-in chain only used, or a chain of a script). */
  line: number;
  start: number;
  end: number;
}

/** Where a command stands: its line, and the words a refusal points at. */
export interface Place {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/** Another line a refusal involves: the deletion that takes an insert's anchor away, the declaration of a chain… */
export interface RefusalPlace extends Place {
  readonly message: string;
}

/** A place iptables-restore refuses, its words (with what to do), and the other lines involved. */
export interface Refusal extends RefusalPlace {
  readonly related: readonly RefusalPlace[];
}

export interface Table {
  readonly name: string;
  readonly family: 4 | 6;
  readonly chains: Map<string, Chain>;
}

export interface Ruleset {
  /** The file is for iptables-restore (it has `*table` lines): what that loader refuses can be told. */
  readonly restore: boolean;
  /** The family of lines that name no program: the file's (`# Generated by ip6tables-save`, else its first address). */
  readonly family: 4 | 6;
  /** Every table, in the order the file gives them. */
  readonly tables: readonly Table[];
  /** Every rule written to be added (`-A`, `-I`, `-R`), in text order, whether or not it is in a chain at the end. */
  readonly written: readonly WrittenRule[];
  /** What cannot be read (an option without its address; in a script, an address of the other family), in line order. */
  readonly problems: readonly LineProblem[];
  /** What iptables-restore refuses in a restore file, in its words, in line order; the loops the graphs find are not among them. */
  readonly refusals: readonly Refusal[];
  /**
   * Per chain (`table/chain`, by family), the last line that addresses its
   * rules by position or by rule (`-D`, `-R`, `-I CHAIN N` with N above 1)
   * after some rule was added to it: removing or splitting an address of a
   * rule before that line would move what the command addresses.
   */
  readonly positional: ReadonlyMap<string, number>;
}

/** The built-in chains of each table (iptables(8)); a table not named here has all five. */
const BUILTIN: Readonly<Record<string, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};
const ALL_BUILTIN = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

export function isBuiltinChain(table: string, chain: string): boolean {
  return (BUILTIN[table] ?? ALL_BUILTIN).includes(chain);
}

/** `table/chain` of a family: the key of `Ruleset.positional`. */
export function chainKey(family: 4 | 6, table: string, chain: string): string {
  return `${family} ${table}/${chain}`;
}

/** The program word that may start a line, with the family it reads. */
const PROGRAMS: Readonly<Record<string, 4 | 6>> = {
  iptables: 4,
  'iptables-legacy': 4,
  'iptables-nft': 4,
  ip6tables: 6,
  'ip6tables-legacy': 6,
  'ip6tables-nft': 6,
};
const VERBS: Readonly<Record<string, Verb>> = {
  '-A': 'A',
  '--append': 'A',
  '-I': 'I',
  '--insert': 'I',
  '-D': 'D',
  '--delete': 'D',
  '-R': 'R',
  '--replace': 'R',
  '-N': 'N',
  '--new-chain': 'N',
  '-P': 'P',
  '--policy': 'P',
  '-F': 'F',
  '--flush': 'F',
  '-X': 'X',
  '--delete-chain': 'X',
  '-Z': 'other',
  '--zero': 'other',
  '-E': 'other',
  '--rename-chain': 'other',
  '-L': 'other',
  '--list': 'other',
  '-S': 'other',
  '--list-rules': 'other',
};
type Verb = 'A' | 'I' | 'D' | 'R' | 'N' | 'P' | 'F' | 'X' | 'other';
/** The options that give a rule to one family's program (iptables-restore skips a `-6` rule, ip6tables-restore a `-4` one). */
const FAMILY_OPTIONS = ['-4', '--ipv4', '-6', '--ipv6'];

/** iptables' options that wait for the xtables lock (`-w`, `--wait 5`, `-W 1000`). */
const WAIT_OPTIONS = ['-w', '--wait', '-W', '--wait-interval'];
/** A shell assignment: `NAME=value`, the value quoted or not. */
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=["']?([^"'\s]*)["']?$/;

/** The last part of a path: `/usr/sbin/iptables` is `iptables`. */
function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Calls `visit` with each shell command of a script's line `text[start,
 * end)`: the line split at `;`, `&&` and `||` outside quotes (`iptables -A …
 * -j DROP; iptables -A …` is two rules), each trimmed.
 */
export function forEachShellCommand(text: string, start: number, end: number, visit: (start: number, end: number) => void): void {
  let from = start;
  let quote = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
      continue;
    }
    if (c === QUOTE || c === APOSTROPHE) quote = c;
    const separator = c === SEMICOLON ? 1 : (c === AMPERSAND || c === PIPE) && text.charCodeAt(i + 1) === c ? 2 : 0;
    if (separator === 0) continue;
    const to = trimEnd(text, from, i);
    if (to > from) visit(from, to);
    from = skipBlanks(text, i + separator, end);
    i += separator - 1;
  }
  const to = trimEnd(text, from, end);
  if (to > from) visit(from, to);
}

/** The options after a target that are still matches (`-j DROP -s 10.0.0.1` drops 10.0.0.1 alone), and not the target's own. */
const MATCHES_AFTER_TARGET = [
  '-s',
  '--source',
  '--src',
  '-d',
  '--destination',
  '--dst',
  '--src-range',
  '--dst-range',
  '-p',
  '--protocol',
  '-i',
  '--in-interface',
  '-o',
  '--out-interface',
  '-m',
  '--match',
  '!',
  '-f',
  '--fragment',
];
const SOURCE_OPTIONS = ['-s', '--source', '--src'];
const DESTINATION_OPTIONS = ['-d', '--destination', '--dst'];
const JUMP = ['-j', '--jump'];
const GOTO = ['-g', '--goto'];
const OPEN_BRACKET = 0x5b;
/** No addresses: what most rules have of one of their lists, shared. */
const NONE: readonly number[] = [];
const AMPERSAND = 0x26;
const PIPE = 0x7c;

/** Targets that decide: DROP, REJECT and TARPIT (xtables-addons) block, ACCEPT lets through, RETURN goes back to the caller. */
const VERDICTS: Readonly<Record<string, Action>> = { DROP: 'drop', REJECT: 'drop', TARPIT: 'drop', ACCEPT: 'accept', RETURN: 'return' };
/** Targets that mark, log, count, rewrite or queue: they decide nothing about the address. */
const NEUTRAL = new Set([
  'LOG',
  'NFLOG',
  'ULOG',
  'AUDIT',
  'TRACE',
  'MARK',
  'CONNMARK',
  'SECMARK',
  'CONNSECMARK',
  'CT',
  'NOTRACK',
  'SET',
  'TOS',
  'DSCP',
  'TTL',
  'HL',
  'ECN',
  'CLASSIFY',
  'TCPMSS',
  'TCPOPTSTRIP',
  'TEE',
  'CHECKSUM',
  'IDLETIMER',
  'LED',
  'RATEEST',
  'HMARK',
  'SYNPROXY',
  'NFQUEUE',
  'QUEUE',
  'SNAT',
  'DNAT',
  'MASQUERADE',
  'REDIRECT',
  'NETMAP',
  'TPROXY',
  'CLUSTERIP',
]);

/** The message of a refusal of the loader of `family`, in its words. */
export function refusal(family: 4 | 6, message: string): string {
  return `${family === 6 ? 'ip6tables-restore' : 'iptables-restore'} rejects the file here: ${message}`;
}

/** Reads `text` as iptables-restore and the iptables commands of a script do. Never throws. */
export function readRuleset(text: string): Ruleset {
  return new RestoreReader(text).read();
}

/** The words of one command line, as far as the ruleset needs them. */
interface Command {
  verb: Verb | undefined;
  family: 4 | 6 | 0;
  /** `-4` or `-6`: the family whose program reads the rule (0: both). */
  only: 4 | 6 | 0;
  table: string;
  chain: string;
  chainStart: number;
  chainEnd: number;
  /** A rule number (`-I CHAIN 3`, `-D CHAIN 2`), or -1. */
  number: number;
  numberStart: number;
  numberEnd: number;
  /** For -P: the policy. */
  policy: string;
  policyStart: number;
  policyEnd: number;
  /** Start, end, start, end… of each list's addresses; undefined while it has none. */
  sources: number[] | undefined;
  destinations: number[] | undefined;
  conditional: boolean;
  goto: boolean;
  target: string;
  targetStart: number;
  targetEnd: number;
  /** Where the rule's own words start (after the chain and its number). */
  ruleStart: number;
  end: number;
}

class RestoreReader {
  /** The table of the `*table` line above, until COMMIT. */
  private section: Table | undefined;
  /** The current table of each name and family, for the lines of a script. */
  private readonly current = new Map<string, Table>();
  private readonly written: WrittenRule[] = [];
  private readonly problems: LineProblem[] = [];
  private readonly refusals: Refusal[] = [];
  /** Per table, the `-X` lines that deleted each chain name: a later rule of that chain, or jump to it, is refused. */
  private readonly deletions = new Map<Table, Map<string, Place[]>>();
  private readonly positional = new Map<string, number>();
  /** The `-I CHAIN N` lines (N > 1) that insert before each rule: iptables-nft inserts before that rule's handle. */
  private readonly anchors = new Map<KernelRule, Place[]>();
  /** A `*table` line was seen: the file is for iptables-restore, whose refusals can be told. */
  private restore = false;

  /** The chain names and targets read so far, each kept once (a file names few, on many lines). */
  private readonly words = new Map<string, string>();

  constructor(private readonly text: string) {}

  /** text[start, end), the one string kept for its words: a long file holds one INPUT, not one a line. */
  private word(start: number, end: number): string {
    const word = this.text.slice(start, end);
    const kept = this.words.get(word);
    if (kept !== undefined) return kept;
    this.words.set(word, word);
    return word;
  }

  read(): Ruleset {
    const text = this.text;
    const family = fileFamily(text);
    forEachLine(text, (lineStart, lineEnd, line) => {
      // The analysis reads the document's text, whose byte-order mark is no part of its first line.
      const start = skipBlanks(text, line === 0 ? contentStart(text) : lineStart, lineEnd);
      const end = trimEnd(text, start, lineEnd);
      const c = text.charCodeAt(start);
      if (start === end || c === HASH) return;
      if (c === STAR) {
        // `*table` opens a table afresh, until COMMIT.
        this.restore = true;
        this.section = this.newTable(text.slice(start + 1, wordEnd(text, start + 1, end)), family);
      } else if (wordIs(text, start, wordEnd(text, start, end), 'COMMIT')) {
        this.section = undefined;
      } else if (c === COLON) {
        this.apply(this.declaration(start, end), line, family);
      } else if (!this.restore && this.assignment(start, end)) {
        // `IPT=/sbin/iptables`: a script's name for the program, read where `$IPT` stands.
      } else {
        forEachShellCommand(text, start, end, (commandStart, commandEnd) => {
          const command = this.command(commandStart, commandEnd, line);
          if (command) this.apply(command, line, family);
        });
      }
    });
    this.resolveTargets();
    this.problems.sort(byPlace);
    this.refusals.sort(byPlace);
    // A table given twice is its last section.
    return {
      restore: this.restore,
      family,
      tables: [...this.current.values()],
      written: this.written,
      problems: this.problems,
      refusals: this.refusals,
      positional: this.positional,
    };
  }

  /** A script's shell variables that name an iptables program (`IPT=/usr/sbin/iptables`), by name, with its family. */
  private readonly programs = new Map<string, 4 | 6>();

  /** Whether `text[start, end)` is a shell assignment, `NAME=value`; one whose value is an iptables program is kept. */
  private assignment(start: number, end: number): boolean {
    const match = ASSIGNMENT.exec(this.text.slice(start, end));
    if (match === null) return false;
    const family = PROGRAMS[basename(match[2])];
    if (family !== undefined) this.programs.set(match[1], family);
    return true;
  }

  /** The family of the program a command line starts with: `iptables`, `/sbin/ip6tables`, `$IPT` (`${IPT}`) as assigned above; undefined for none. */
  private program(start: number, end: number): 4 | 6 | undefined {
    // Most lines start with an option (`-A`): no word to look up, nothing made of it.
    if (this.text.charCodeAt(start) === DASH) return undefined;
    const word = this.text.slice(start, end);
    if (word.startsWith('$')) return this.programs.get(word.replace(/^\$\{?|\}$/g, ''));
    return PROGRAMS[basename(word)];
  }

  /** `:CHAIN POLICY [packets:bytes]` */
  private declaration(start: number, end: number): Command {
    const text = this.text;
    const chainEnd = wordEnd(text, start + 1, end);
    const policyStart = skipBlanks(text, chainEnd, end);
    const policyEnd = wordEnd(text, policyStart, end);
    return {
      ...emptyCommand(),
      verb: undefined,
      chain: text.slice(start + 1, chainEnd),
      chainStart: start + 1,
      chainEnd,
      policy: text.slice(policyStart, policyEnd),
      policyStart,
      policyEnd,
      end,
    };
  }

  /** A command line: `[program] [counters] -A CHAIN … -j TARGET …`, its options in any order, the target's own after it. */
  private command(start: number, end: number, line: number): Command | undefined {
    const text = this.text;
    const command = emptyCommand();
    command.end = end;
    let w = wordEnd(text, start, end);
    let i = start;
    const program = this.program(i, w);
    if (program !== undefined) {
      command.family = program;
      i = skipBlanks(text, w, end);
      w = wordEnd(text, i, end);
    }
    // `iptables-save -c` writes each rule's counters first: `[0:0] -A INPUT …`.
    if (text.charCodeAt(i) === OPEN_BRACKET) {
      i = skipBlanks(text, w, end);
      w = wordEnd(text, i, end);
    }
    for (; i < end; i = skipBlanks(text, w, end), w = wordEnd(text, i, end)) {
      // After the target its own options (--reject-with, --log-prefix…) are skipped; a match is a match wherever it stands (getopt reads the whole line).
      if (command.target !== '' && !isOneOf(text, i, w, MATCHES_AFTER_TARGET)) continue;
      // The verb comes first, most often: only words before it are looked up.
      const verb = command.verb === undefined && text.charCodeAt(i) === DASH ? VERBS[text.slice(i, w)] : undefined;
      if (verb !== undefined) {
        command.verb = verb;
        w = this.verbArguments(command, w, end);
        command.ruleStart = skipBlanks(text, w, end);
        continue;
      }
      if (wordIs(text, i, w, '!')) {
        command.conditional = true; // a negated match: everything but an address, a protocol, an interface…
        continue;
      }
      const source = isOneOf(text, i, w, SOURCE_OPTIONS) || wordIs(text, i, w, '--src-range');
      const destination = isOneOf(text, i, w, DESTINATION_OPTIONS) || wordIs(text, i, w, '--dst-range');
      if (source || destination) {
        w = this.addresses(command, source ? (command.sources ??= []) : (command.destinations ??= []), i, w, end, line);
      } else if (isOneOf(text, i, w, JUMP) || isOneOf(text, i, w, GOTO)) {
        command.goto = isOneOf(text, i, w, GOTO);
        command.targetStart = skipBlanks(text, w, end);
        w = command.targetEnd = wordEnd(text, command.targetStart, end);
        command.target = this.word(command.targetStart, command.targetEnd);
      } else if (wordIs(text, i, w, '-t') || wordIs(text, i, w, '--table')) {
        const tableStart = skipBlanks(text, w, end);
        w = wordEnd(text, tableStart, end);
        command.table = text.slice(tableStart, w);
      } else if (wordIs(text, i, w, '-m') || wordIs(text, i, w, '--match')) {
        const moduleStart = skipBlanks(text, w, end);
        w = wordEnd(text, moduleStart, end);
        // Modules that only name or comment the rule, or give the address itself, add no condition.
        if (!wordIs(text, moduleStart, w, 'comment') && !wordIs(text, moduleStart, w, 'iprange')) command.conditional = true;
      } else if (wordIs(text, i, w, '--comment')) {
        w = wordEnd(text, skipBlanks(text, w, end), end);
      } else if (isOneOf(text, i, w, WAIT_OPTIONS)) {
        // How long to wait for the xtables lock: nothing the rule matches. Its number, if given, goes with it.
        const next = skipBlanks(text, w, end);
        const nextEnd = wordEnd(text, next, end);
        if (nextEnd > next && isNumber(text, next, nextEnd)) w = nextEnd;
      } else if (isOneOf(text, i, w, FAMILY_OPTIONS)) {
        // `-4`, `-6`: the rule is for that family's program; the other one skips it.
        command.only = wordIs(text, i, w, '-4') || wordIs(text, i, w, '--ipv4') ? 4 : 6;
      } else if (wordIs(text, i, w, '-c') || wordIs(text, i, w, '--set-counters')) {
        w = wordEnd(text, skipBlanks(text, wordEnd(text, skipBlanks(text, w, end), end), end), end);
      } else {
        command.conditional = true; // -p, --dport, -i, -o, -f, --state…: only some traffic
      }
    }
    return command.verb === undefined ? undefined : command;
  }

  /** The chain, number and policy after a verb; returns where the rule's own words start. */
  private verbArguments(command: Command, w: number, end: number): number {
    const text = this.text;
    const chainStart = skipBlanks(text, w, end);
    const chainEnd = wordEnd(text, chainStart, end);
    if (chainEnd === chainStart || text.charCodeAt(chainStart) === DASH) return w; // -F, -X, -Z of the whole table
    [command.chain, command.chainStart, command.chainEnd] = [this.word(chainStart, chainEnd), chainStart, chainEnd];
    w = chainEnd;
    const nextStart = skipBlanks(text, w, end);
    const nextEnd = wordEnd(text, nextStart, end);
    if (command.verb === 'P') {
      [command.policy, command.policyStart, command.policyEnd] = [text.slice(nextStart, nextEnd), nextStart, nextEnd];
      return nextEnd;
    }
    if ((command.verb === 'I' || command.verb === 'D' || command.verb === 'R') && nextEnd > nextStart && isNumber(text, nextStart, nextEnd)) {
      [command.number, command.numberStart, command.numberEnd] = [Number(text.slice(nextStart, nextEnd)), nextStart, nextEnd];
      return nextEnd;
    }
    return w;
  }

  /** The address list after -s, -d, --src-range or --dst-range; returns the end of what it read. */
  private addresses(command: Command, spans: number[], optionStart: number, optionEnd: number, end: number, line: number): number {
    const text = this.text;
    let valueStart = skipBlanks(text, optionEnd, end);
    let w = wordEnd(text, valueStart, end);
    if (wordIs(text, valueStart, w, '!')) {
      // The old `-s ! ADDRESS` spelling of a negation.
      command.conditional = true;
      valueStart = skipBlanks(text, w, end);
      w = wordEnd(text, valueStart, end);
    }
    const option = text.slice(optionStart, optionEnd);
    if (valueStart === w || text.charCodeAt(valueStart) === DASH) {
      // `-s -j DROP`: the next option, not an address. The loader refuses the rule: it counts for nothing here.
      this.problem(optionStart, optionEnd, line, `Expected an address after "${option}".`);
      command.conditional = true;
      return optionEnd;
    }
    // `-s` beside `--src-range` (or `-d` beside `--dst-range`): the kernel matches the addresses in both, which no entry says.
    if (spans.length > 0) command.conditional = true;
    // A range option takes one range; -s and -d take a comma list, empty parts skipped.
    const list = !option.endsWith('-range');
    for (let partStart = valueStart; partStart <= w;) {
      const comma = list ? indexIn(text, COMMA, partStart, w) : -1;
      const partEnd = comma < 0 ? w : comma;
      if (partEnd > partStart) spans.push(partStart, partEnd);
      partStart = partEnd + 1;
    }
    return w;
  }

  private problem(start: number, end: number, line: number, message: string): void {
    this.problems.push({ code: 'invalid-entry', start, end, message, line });
  }

  /** A refusal of iptables-restore (or ip6tables-restore), told only for restore files. */
  private refused(start: number, end: number, line: number, family: 4 | 6, message: string, related: readonly RefusalPlace[] = []): void {
    if (this.restore) this.refusals.push({ line, start, end, message: refusal(family, message), related });
  }

  /** The last line before `line` that deleted chain `name` of `table` (`-X`), if one did. */
  private deletion(table: Table, name: string, line: number): Place | undefined {
    const places = this.deletions.get(table)?.get(name) ?? [];
    for (let n = places.length - 1; n >= 0; n--) if (places[n].line < line) return places[n];
    return undefined;
  }

  private apply(command: Command, line: number, fileFamily: 4 | 6): void {
    const family = command.family || fileFamily;
    if (command.only !== 0 && command.only !== family) return;
    if (command.verb === undefined) {
      this.declare(command, line, family);
      return;
    }
    const table = this.tableFor(command, family);
    if (command.verb === 'other' || command.chain === '') return;
    switch (command.verb) {
      case 'N':
        if (table.chains.has(command.chain)) {
          const declared = declaredAt(table.chains.get(command.chain)!);
          const where = declared.length > 0 ? `: ${command.chain} is declared on line ${declared[0].line + 1}` : '';
          this.refused(command.chainStart, command.chainEnd, line, family, `Chain already exists. Remove this line${where}.`, declared);
        } else table.chains.set(command.chain, newChain(command.chain, false, line, command.chainStart, command.chainEnd));
        return;
      case 'P':
        this.setPolicy(table, command.chain, command, line, family);
        return;
      case 'F':
        flush(this.chainFor(table, command, line, family));
        return;
      case 'X':
        this.deleteChain(table, command, line, family);
        return;
      default:
        this.changeRules(table, command, line, family);
    }
  }

  private newTable(name: string, family: 4 | 6): Table {
    const key = `${family} ${name}`;
    for (const chain of this.current.get(key)?.chains.values() ?? []) flush(chain);
    const table: Table = { name, family, chains: new Map() };
    this.current.set(key, table);
    return table;
  }

  /** The table a command acts on: the section's, else (a script) the one of its `-t` (filter by default) and family. */
  private tableFor(command: Command, family: 4 | 6): Table {
    if (this.section) return this.section;
    const name = command.table || 'filter';
    return this.current.get(`${family} ${name}`) ?? this.newTable(name, family);
  }

  private declare(command: Command, line: number, family: 4 | 6): void {
    const table = this.section ?? this.tableFor(command, family);
    const builtin = isBuiltinChain(table.name, command.chain);
    const chain = table.chains.get(command.chain) ?? newChain(command.chain, builtin, line, command.chainStart, command.chainEnd);
    [chain.line, chain.start, chain.end] = [line, command.chainStart, command.chainEnd];
    table.chains.set(command.chain, chain);
    // A user chain's declared policy is ignored (iptables-restore takes `:A DROP` as `:A -`).
    if (builtin) this.setPolicy(table, command.chain, command, line, family);
  }

  private setPolicy(table: Table, name: string, command: Command, line: number, family: 4 | 6): void {
    const chain = table.chains.get(name) ?? this.implicitChain(table, name);
    if (!chain.builtin) return;
    const verdict = command.policy === 'ACCEPT' ? 'accept' : command.policy === 'DROP' ? 'drop' : undefined;
    if (verdict === undefined) {
      this.refused(command.policyStart, command.policyEnd, line, family, "Bad policy name. A built-in chain's policy is ACCEPT or DROP.");
      return;
    }
    chain.policy = { verdict, line, start: command.policyStart, end: command.policyEnd };
  }

  private implicitChain(table: Table, name: string): Chain {
    const chain = newChain(name, isBuiltinChain(table.name, name), -1, -1, -1);
    table.chains.set(name, chain);
    return chain;
  }

  /** The chain a rule command names; a built-in chain (and any chain of a script) exists once used. */
  private chainFor(table: Table, command: Command, line: number, family: 4 | 6): Chain {
    const chain = table.chains.get(command.chain);
    if (chain) return chain;
    if (!isBuiltinChain(table.name, command.chain)) {
      const deleted = this.deletion(table, command.chain, line);
      const fix = deleted ? `${command.chain} is deleted on line ${deleted.line + 1}: declare it again above this line` : `Declare ${command.chain} first`;
      this.refused(command.chainStart, command.chainEnd, line, family, `No chain/target/match by that name. ${fix} (":${command.chain} - [0:0]").`, deletedAt(deleted));
    }
    return this.implicitChain(table, command.chain);
  }

  private deleteChain(table: Table, command: Command, line: number, family: 4 | 6): void {
    const chain = this.chainFor(table, command, line, family);
    const jumps = new Set<WrittenRule>();
    for (const other of table.chains.values()) for (const kernel of other.rules) if (kernel.rule.target === chain.name) jumps.add(kernel.rule);
    if (chain.rules.length > 0 || jumps.size > 0) {
      this.refused(
        command.chainStart,
        command.chainEnd,
        line,
        family,
        `CHAIN_DEL failed (Device or resource busy): chain ${chain.name}. It ${chain.rules.length > 0 ? 'holds rules' : 'is jumped to'}: flush it and remove the jumps first.`,
        [...jumps].map((rule) => ({ line: rule.line, start: rule.targetStart, end: rule.targetEnd, message: `Jumps to ${chain.name}.` })),
      );
      return;
    }
    table.chains.delete(chain.name);
    let deleted = this.deletions.get(table);
    if (!deleted) this.deletions.set(table, (deleted = new Map()));
    deleted.set(chain.name, [...(deleted.get(chain.name) ?? []), { line, start: command.chainStart, end: command.chainEnd }]);
  }

  /** -A, -I, -D, -R. */
  private changeRules(table: Table, command: Command, line: number, family: 4 | 6): void {
    const chain = this.chainFor(table, command, line, family);
    const rules = chain.rules;
    const at = command.number;
    if ((command.verb === 'D' || command.verb === 'R' || (command.verb === 'I' && at > 1)) && rules.length > 0) this.positional.set(chainKey(family, table.name, chain.name), line);
    if (at === 0) {
      this.refused(command.numberStart, command.numberEnd, line, family, "Invalid rule number `0'. Rules are numbered from 1.");
      return;
    }
    if (command.verb === 'D') {
      if (at > 0) this.deleteAt(chain, at, command, line, family);
      else this.deleteRule(table, chain, command, line, family);
      return;
    }
    const added = this.writtenRule(table, command, line, family, chain).kernels;
    if (command.verb === 'A') place(chain, rules.length, 0, added);
    else if (command.verb === 'I') {
      const position = at < 0 ? 1 : at;
      if (position > rules.length + 1) {
        this.refused(
          command.numberStart,
          command.numberEnd,
          line,
          family,
          `Index of insertion too big. ${chain.name} holds ${count(rules.length)} here: insert at ${rules.length + 1} or less, or append with -A.`,
        );
        return;
      }
      if (position <= rules.length && position > 1) {
        const before = rules[position - 1];
        const inserts = this.anchors.get(before);
        const insert = { start: command.chainStart, end: command.numberEnd, line };
        if (inserts) inserts.push(insert);
        else this.anchors.set(before, [insert]);
      }
      // Each rule of the list goes to the same place, so the list lands in reverse.
      place(chain, position - 1, 0, [...added].reverse());
    } else if (at < 0) {
      this.refused(command.chainStart, command.chainEnd, line, family, '-R needs the number of the rule it replaces.');
    } else if (this.deleteAt(chain, at, command, line, family)) {
      place(chain, at - 1, 0, added);
    }
  }

  /** `-D CHAIN N`, and the deletion `-R CHAIN N` starts with. */
  private deleteAt(chain: Chain, at: number, command: Command, line: number, family: 4 | 6): boolean {
    const what = command.verb === 'R' ? 'replacement' : 'deletion';
    if (at > chain.rules.length) {
      this.refused(command.numberStart, command.numberEnd, line, family, `Index of ${what} too big. The chain holds ${count(chain.rules.length)} here.`);
      return false;
    }
    this.remove(chain, at - 1, { line, start: command.chainStart, end: command.numberEnd }, family, what);
    return true;
  }

  /**
   * Removes the rule at `index` of `chain` (a deletion or a replacement,
   * `by` the command there). An insert before it, in the same commit, is
   * refused: the nf_tables backend of iptables-restore inserts before a
   * rule's handle, and finds none (`-R` crashes it).
   */
  private remove(chain: Chain, index: number, by: Place, family: 4 | 6, what: string): void {
    for (const insert of this.anchors.get(chain.rules[index]) ?? []) {
      this.refused(
        insert.start,
        insert.end,
        insert.line,
        family,
        `RULE_INSERT failed (No such file or directory): rule in chain ${chain.name}. This line inserts before a rule that the ${what} on line ${by.line + 1} takes away in the same commit. Insert after that line, or give the rules in their final order.`,
        [{ ...by, message: `The ${what} that takes away the rule it inserts before.` }],
      );
    }
    place(chain, index, 1, []);
  }

  /** `-D CHAIN RULE`: for each address of the rule, the first kernel rule equal to it goes. */
  private deleteRule(table: Table, chain: Chain, command: Command, line: number, family: 4 | 6): void {
    for (const wanted of this.writtenRule(table, command, line, family, undefined).kernels) {
      const key = ruleKey(this.text, wanted);
      const index = chain.rules.findIndex((kernel) => ruleKey(this.text, kernel) === key);
      if (index < 0) {
        this.refused(command.chainStart, command.end, line, family, `Bad rule (does a matching rule exist in that chain?). ${chain.name} holds no such rule here.`);
        return;
      }
      this.remove(chain, index, { line, start: command.chainStart, end: command.end }, family, 'deletion');
    }
  }

  /** The rule a command writes, its kernel rules bound for `chain` (undefined: a rule -D looks for). */
  private writtenRule(table: Table, command: Command, line: number, family: 4 | 6, chain: Chain | undefined): WrittenRule {
    const rule: WrittenRule = {
      line,
      family,
      table,
      chain: command.chain,
      // Most rules have one list: the other is the shared empty one. A list is copied at its size, where the one read
      // reserves room for 16 numbers (a file may have 100,000 rules).
      sources: command.sources?.slice() ?? NONE,
      destinations: command.destinations?.slice() ?? NONE,
      conditional: command.conditional,
      action: command.goto ? 'goto' : 'jump',
      target: command.target,
      targetStart: command.target === '' ? command.chainStart : command.targetStart,
      targetEnd: command.target === '' ? command.chainEnd : command.targetEnd,
      ruleStart: command.ruleStart,
      ruleEnd: command.end,
      kernels: [],
    };
    // One kernel rule per source for each destination, in order (iptables(8): "multiple rules").
    const sources = rule.sources.length / 2;
    const destinations = rule.destinations.length / 2;
    const kernels: KernelRule[] = [];
    for (let s = 0; s < Math.max(sources, 1); s++) {
      for (let d = 0; d < Math.max(destinations, 1); d++) kernels.push({ rule, source: sources > 0 ? s : -1, destination: destinations > 0 ? d : -1, chain });
    }
    // Copied at its size, as the lists are.
    rule.kernels = kernels.slice();
    if (command.verb !== 'D') {
      this.written.push(rule);
      this.foreign(rule.sources, line, family);
      this.foreign(rule.destinations, line, family);
    }
    return rule;
  }

  /** Reports the addresses of the other family in `spans`: the loader cannot read them (restore refuses the file; a script's command fails). */
  private foreign(spans: readonly number[], line: number, family: 4 | 6): void {
    for (let k = 0; k < spans.length; k += 2) {
      const start = spans[k];
      const end = spans[k + 1];
      if (familyOf(this.text, start, end) === family) continue;
      const [tool, other] = family === 6 ? ['ip6tables', 'iptables'] : ['iptables', 'ip6tables'];
      const message = `${tool} reads IPv${family} addresses only: host/network \`${this.text.slice(start, end)}' not found. Write IPv${family === 4 ? 6 : 4} rules for ${other}.`;
      if (this.restore) this.refusals.push({ line, start, end, message, related: [] });
      else this.problem(start, end, line, message);
    }
  }

  /** What each rule's target is, now that every chain is known: a verdict, nothing, or a chain of its table. */
  private resolveTargets(): void {
    for (const rule of this.written) {
      const chain = rule.table.chains.get(rule.target);
      if (rule.target === '' || NEUTRAL.has(rule.target)) rule.action = 'neutral';
      else if (VERDICTS[rule.target] !== undefined) rule.action = VERDICTS[rule.target];
      else if (chain && !chain.builtin) {
        if (chain.line > rule.line) {
          const declared = declaredAt(chain, 'Declared here, below the jump.');
          this.refused(rule.targetStart, rule.targetEnd, rule.line, rule.family, `Chain '${rule.target}' does not exist. Declare it above this line.`, declared);
        }
        // A jump or a goto, as read.
      } else if (isBuiltinChain(rule.table.name, rule.target)) {
        this.refused(rule.targetStart, rule.targetEnd, rule.line, rule.family, `a rule cannot jump to the built-in chain ${rule.target}.`);
        rule.action = 'neutral';
      } else {
        // A chain the file does not declare (a script's, or the kernel's) or a target extension: most often a blocklist's.
        rule.action = 'drop';
        // Unless the file deleted the chain of that name above.
        const deleted = this.deletion(rule.table, rule.target, rule.line);
        if (deleted) {
          const message = `Chain '${rule.target}' does not exist. ${rule.target} is deleted on line ${deleted.line + 1}: declare it again above this line, or remove the jump.`;
          this.refused(rule.targetStart, rule.targetEnd, rule.line, rule.family, message, deletedAt(deleted));
        }
      }
    }
  }
}

function emptyCommand(): Command {
  return {
    verb: undefined,
    family: 0,
    only: 0,
    table: '',
    chain: '',
    chainStart: 0,
    chainEnd: 0,
    number: -1,
    numberStart: 0,
    numberEnd: 0,
    policy: '',
    policyStart: 0,
    policyEnd: 0,
    sources: undefined,
    destinations: undefined,
    conditional: false,
    goto: false,
    target: '',
    targetStart: 0,
    targetEnd: 0,
    ruleStart: 0,
    end: 0,
  };
}

/** Where a chain is declared, for a refusal that involves it (nowhere: a built-in chain only used). */
function declaredAt(chain: Chain, message = 'Declared here.'): RefusalPlace[] {
  return chain.line < 0 ? [] : [{ line: chain.line, start: chain.start, end: chain.end, message }];
}

/** Where a chain was deleted, for a refusal that involves it. */
function deletedAt(deleted: Place | undefined): RefusalPlace[] {
  return deleted ? [{ ...deleted, message: 'Deleted here.' }] : [];
}

/** Line order, then order on the line. */
export function byPlace(a: Place, b: Place): number {
  return a.line - b.line || a.start - b.start;
}

function newChain(name: string, builtin: boolean, line: number, start: number, end: number): Chain {
  return { name, builtin, policy: undefined, rules: [], line, start, end };
}

/** Puts `added` in place of `removed` rules of the chain from `at` on, keeping each kernel rule's chain. */
function place(chain: Chain, at: number, removed: number, added: readonly KernelRule[]): void {
  // A chain's first rules are copied in at their size (a file may have a chain per rule, and a push reserves room for 16).
  if (chain.rules.length === 0) chain.rules = added.slice();
  else for (const kernel of chain.rules.splice(at, removed, ...added)) kernel.chain = undefined;
  for (const kernel of added) kernel.chain = chain;
}

/** Empties a chain (`-F`, or its table given again). */
function flush(chain: Chain): void {
  place(chain, 0, chain.rules.length, []);
}

/**
 * A kernel rule as `-D RULE` compares it: its addresses by what they hold
 * (`1.2.3.4` is `1.2.3.4/32`), its other words as written, unquoted, long
 * options as their short names, without the `-m tcp` that `-p tcp` implies.
 * A rule written otherwise but meaning the same (its matches in another
 * order) does not compare equal.
 */
function ruleKey(text: string, kernel: KernelRule): string {
  const { rule } = kernel;
  const address = (spans: readonly number[], n: number) => (n < 0 ? '' : canonical(text, spans[2 * n], spans[2 * n + 1]));
  const words: string[] = [];
  const end = rule.ruleEnd;
  let protocol = '';
  for (let i = skipBlanks(text, rule.ruleStart, end), w = wordEnd(text, i, end); i < end; i = skipBlanks(text, w, end), w = wordEnd(text, i, end)) {
    const word = SHORT[text.slice(i, w)] ?? unquoted(text.slice(i, w));
    const valueStart = skipBlanks(text, w, end);
    const valueEnd = wordEnd(text, valueStart, end);
    // The addresses are compared apart; `-m tcp` after `-p tcp` adds nothing.
    if (word === '-s' || word === '-d' || word === '--src-range' || word === '--dst-range' || (word === '-m' && unquoted(text.slice(valueStart, valueEnd)) === protocol)) {
      w = valueEnd;
      continue;
    }
    if (words.at(-1) === '-p') protocol = word;
    words.push(word);
  }
  return `${address(rule.sources, kernel.source)} ${address(rule.destinations, kernel.destination)} ${words.join(' ')}`;
}

/** Long options by their short names, as `-D RULE` compares them. */
const SHORT: Readonly<Record<string, string>> = {
  '--source': '-s',
  '--src': '-s',
  '--destination': '-d',
  '--dst': '-d',
  '--protocol': '-p',
  '--match': '-m',
  '--jump': '-j',
  '--goto': '-g',
  '--in-interface': '-i',
  '--out-interface': '-o',
};

const scratch = new ParsedEntry();

/** iptables reads an octet, or a prefix length, with a leading zero as octal (the format's `octalOctets`). */
export const OCTAL_LOADER: OctalLoader = { name: 'iptables', lengths: true };

/** An address by what it holds, or its text when it does not read as one. */
function canonical(text: string, start: number, end: number): string {
  const problems: Problem[] = [];
  if (!parseEntry(text, start, end, problems, scratch, OCTAL_LOADER)) return text.slice(start, end);
  return scratch.version === 4 ? `${scratch.lo4}-${scratch.hi4}` : `${scratch.lo6}-${scratch.hi6}`;
}

function count(rules: number): string {
  return `${rules} ${rules === 1 ? 'rule' : 'rules'}`;
}

function unquoted(word: string): string {
  return word.length >= 2 && word.startsWith('"') && word.endsWith('"') ? word.slice(1, -1) : word;
}

/**
 * The family of the lines that name no program: the one `# Generated by
 * ip6tables-save` (or iptables-save) says, else the first such line's
 * address's, else IPv4. Read up to the first line that tells.
 */
function fileFamily(text: string): 4 | 6 {
  for (let lineStart = contentStart(text), next = 0; lineStart < text.length; lineStart = next) {
    next = nextLineStart(text, lineStart);
    const start = skipBlanks(text, lineStart, next);
    const end = trimEnd(text, start, lineContentEnd(text, lineStart, next));
    if (text.charCodeAt(start) === HASH) {
      const said = skipBlanks(text, start + 1, end);
      if (text.startsWith('Generated by ', said)) return text.startsWith('ip6', said + 13) ? 6 : 4;
      continue;
    }
    if (PROGRAMS[text.slice(start, wordEnd(text, start, end))] !== undefined) continue;
    for (let i = start, w = wordEnd(text, i, end); i < end; i = skipBlanks(text, w, end), w = wordEnd(text, i, end)) {
      if (!isOneOf(text, i, w, ADDRESS_OPTIONS)) continue;
      let value = skipBlanks(text, w, end);
      if (wordIs(text, value, wordEnd(text, value, end), '!')) value = skipBlanks(text, value + 1, end);
      const valueEnd = wordEnd(text, value, end);
      if (valueEnd > value && text.charCodeAt(value) !== DASH) return familyOf(text, value, valueEnd);
    }
  }
  return 4;
}

const ADDRESS_OPTIONS = [...SOURCE_OPTIONS, ...DESTINATION_OPTIONS, '--src-range', '--dst-range'];

/** The family an address is written in: IPv6 holds a colon. */
export function familyOf(text: string, start: number, end: number): 4 | 6 {
  return indexIn(text, COLON, start, end) >= 0 ? 6 : 4;
}

function isOneOf(text: string, start: number, end: number, words: readonly string[]): boolean {
  for (const word of words) if (wordIs(text, start, end, word)) return true;
  return false;
}

function isNumber(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}
