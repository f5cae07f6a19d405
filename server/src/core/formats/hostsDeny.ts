/**
 * TCP Wrappers' hosts.deny (hosts_access(5)), read alone, as if hosts.allow
 * granted nothing: `daemons : clients [: options]`, lines continued with a
 * final backslash, `#` comment lines. Clients are separated by blanks or
 * commas: an address, `net/mask` or `net/len`, a prefix ending in a dot
 * (`192.168.` is 192.168.0.0/16; `192.168.*` too), a bracketed IPv6 network
 * (`[2001:db8::]/32`), or `ALL` (every address, both families). Names,
 * `.domain` suffixes, `@netgroups`, `/files` and the other wildcards (LOCAL,
 * KNOWN, UNKNOWN, PARANOID) hold no address. An IPv4 `net/mask` or
 * `net/len` that tcpd never matches — host bits set, the mask
 * 255.255.255.255, a /0 — is a problem, not an entry. An octet with a
 * leading zero is octal in a `net/mask` or `net/len`, which tcpd reads with
 * inet_addr (`010.0.0.0/255.0.0.0` is 8.0.0.0/8); an address or prefix
 * without a mask is compared with the client's address as text, so with
 * such an octet it matches no client: a problem too.
 *
 * Each daemon is a scope (`daemon sshd`); `ALL` is one too, for every daemon
 * the file does not name. A line is a rule: it denies its clients less those
 * after its `EXCEPT`, for each daemon of its list (less the daemons after
 * the list's own `EXCEPT`), and an `ALL` line holds for every daemon the
 * file names as well as for `ALL`. Lines are checked in order and the first
 * that matches decides, so a daemon is denied the union over its lines of
 * (list − that line's exceptions): an exception of one line excepts nothing
 * of another. A rule whose options say `allow` (the hosts_options
 * extension) grants instead, its roles turned round; in hosts.allow a rule
 * grants unless an option denies (`deny`, or a name libwrap does not know,
 * which it takes for an error and denies). The rules reach the
 * analysis as `use` scope facts (Evaluation `line-except`), one per daemon
 * the line holds for, all pointing at the line's start; the entries carry
 * the first of those daemons as their scope. A line whose decision depends
 * on more than the client's address — a name after `EXCEPT`, a second
 * `EXCEPT`, a `daemon@host` pattern — is conditional: read, never counted.
 */
import { formatIPv4 } from '../addresses/ipv4';
import { isBlank, type OctalLoader, ParsedEntry, parseEntry } from '../document/entry';
import { COLON, DOT, HASH, LF, SLASH, STAR, ZERO } from '../primitives/charCodes';
import type { LineProblem, Problem } from '../document/problem';
import { countLineBreaks, forEachLine, type EntryMeaning, type Format, type TokenSink } from './format';
import { BACKSLASH, COMMA, emitEverything, expected, indexIn, isDigit, isHexDigit, parsePartialIPv4, skipBlanks, trimEnd, wordIs } from './lines';
import { quote } from '../primitives/excerpt';

export const hostsDeny: Format = {
  id: 'hosts-deny',
  label: 'hosts.deny',
  read: (text, sink) => readHostsDeny(text, sink, false),
  evaluation: 'line-except',
  scopeKind: 'daemon',
};

/**
 * hosts.allow: the same syntax, each line granting its clients (less its
 * exceptions) unless its options say `deny`. Read alone it blocks only
 * what such lines deny; beside a hosts.deny it decides first
 * (analysis/hostsAllow.ts).
 */
export const hostsAllow: Format = { ...hostsDeny, label: 'hosts.allow', read: (text, sink) => readHostsDeny(text, sink, true) };

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const AT = 0x40;
const EQUALS = 0x3d;
/** The options libwrap knows that neither grant nor deny (hosts_options(5)); `deny` and any other name deny. */
const OPTIONS = ['user', 'group', 'umask', 'linger', 'keepalive', 'spawn', 'twist', 'rfc931', 'setenv', 'nice', 'banners', 'severity'];
const WILDCARDS = ['ALL', 'LOCAL', 'KNOWN', 'UNKNOWN', 'PARANOID', 'EXCEPT'];
/** The scope of the rules for every daemon the file does not name. */
const EVERY_DAEMON = 'ALL';

/** A daemon pattern of a rule's list. */
interface Daemon {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  /** After the list's `EXCEPT`. */
  readonly excepted: boolean;
}

/** A client pattern, or a problem met among them, in the order read. */
type Item =
  | { readonly kind: 'address' | 'all' | 'name'; readonly start: number; readonly end: number; readonly line: number; readonly level: number }
  | { readonly kind: 'problem'; readonly problem: Problem; readonly line: number };

/** One rule, read: `daemons : clients [: options]`. */
interface Rule {
  /** Where its daemon list starts, and its line: the rule's key. */
  readonly start: number;
  readonly line: number;
  readonly daemons: Daemon[];
  /** How many EXCEPTs the daemon list has (a second one makes the rule conditional). */
  readonly daemonLevels: number;
  readonly items: Item[];
  /** Its options say `allow`. */
  readonly grants: boolean;
}

/** Reads the rules of `text`; in hosts.allow (`grants`) a rule grants unless its options say `deny`. */
function readHostsDeny(text: string, sink: TokenSink, grants: boolean): void {
  // libwrap reads no further than a line it cannot read whole (brokenLine): the rules after it are never asked.
  const broken = brokenLine(text);
  const end = broken?.start ?? text.length;
  // An `ALL` line holds for the daemons that later lines name: a first pass finds them, and the second emits each rule
  // as it reads it, where rules kept for the whole file would cost more than reading their daemons twice.
  const named = namedDaemons(text, end);
  const declared = new Set<string>();
  // The scopes of each daemon list, by its text: a file's rules mostly repeat a few lists.
  const lists = new Map<string, string[]>();
  // One rule is read at a time: its daemons and clients go in arrays reused from rule to rule (a file may have 100,000 rules).
  const scratch: RuleScratch = { daemons: [], items: [] };
  forEachRule(text, end, (segments) => {
    const rule = readRule(text, segments, grants, scratch);
    if (!('daemons' in rule)) return sink.problem(rule, rule.line);
    const list = text.slice(rule.start, rule.daemons[rule.daemons.length - 1].end);
    let scopes = lists.get(list);
    if (scopes === undefined) {
      lists.set(list, (scopes = scopesOf(text, rule, named)));
      declareScopes(text, rule, named, declared, sink);
    }
    emitRule(text, rule, scopes, sink);
  });
  if (broken !== undefined) readBroken(broken, grants, named, declared, sink);
}

/** A line libwrap cannot read whole: where it starts (its first word), its zero-based line, and why. */
interface BrokenLine {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly why: string;
}

/** The zero-based line from which libwrap cannot read `text` (brokenLine), or -1 when it reads it whole: a fix must not make it stop earlier. */
export function libwrapStopsAt(text: string): number {
  return brokenLine(text)?.line ?? -1;
}

/**
 * libwrap's limit (xgets into a 2,048-byte buffer): a rule, its continued
 * lines joined, of 2,047 bytes or more with its line break.
 */
const LONGEST_LINE = 2046;

/**
 * The first line libwrap cannot read whole, if any: one without a line
 * break at the end of the file (also a rule continued to the end), or one
 * longer than LONGEST_LINE bytes, its continued lines joined (comments
 * count too). libwrap knows only `\n`, and joins a line ending in a
 * backslash to the next. It then reads no further, and takes the
 * whole table for a match: in hosts.deny, every client no rule before
 * decided is denied, for every daemon.
 */
function brokenLine(text: string): BrokenLine | undefined {
  let [start, ruleStart, bytes] = [0, 0, 0];
  let why: string | undefined;
  while (start < text.length && why === undefined) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const continued = newline >= 0 && end > start && text.charCodeAt(end - 1) === BACKSLASH;
    bytes += utf8Length(text, start, continued ? end - 1 : end);
    if (bytes > LONGEST_LINE) why = `it is ${bytes.toLocaleString('en-US')} bytes long, longer than the ${LONGEST_LINE.toLocaleString('en-US')} libwrap reads`;
    else if (newline < 0) why = 'it has no line break at its end';
    else if (continued && newline + 1 === text.length) why = 'it is continued to the end of the file';
    else {
      start = newline + 1;
      if (!continued) [ruleStart, bytes] = [start, 0];
    }
  }
  if (why === undefined) return undefined;
  return { start: ruleStart, end: firstWordEnd(text, ruleStart), line: countLineBreaks(text, 0, ruleStart), why };
}

/** The UTF-8 length of `text[start, end)`, as libwrap counts a line. */
function utf8Length(text: string, start: number, end: number): number {
  let bytes = end - start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) bytes += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return bytes;
}

/** Where the word at `start` ends (past blanks before it): what stands for a broken line. */
function firstWordEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  while (i < text.length && !isBlank(text.charCodeAt(i)) && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
  return Math.max(i, Math.min(start + 1, text.length));
}

/**
 * What libwrap does at a broken line: in hosts.allow it reads no further;
 * in hosts.deny it denies every client no rule before decided, for every
 * daemon: an `ALL: ALL` rule on the line's first word, beside the error.
 */
function readBroken(broken: BrokenLine, grants: boolean, named: Map<string, string>, declared: Set<string>, sink: TokenSink): void {
  const { start, end, line, why } = broken;
  const what = grants ? 'ignores this rule and every rule after it' : 'reads no rule from here on and denies every client that no rule before decided, for every daemon';
  sink.problem(
    {
      code: 'invalid-entry',
      start,
      end,
      message: `libwrap cannot read this line: ${why}, and ${what}. End every line with a line break, and keep each rule under ${LONGEST_LINE + 1} bytes (write several rules).`,
    },
    line,
  );
  if (grants) return;
  if (!declared.has(EVERY_DAEMON)) sink.scopeFact({ kind: 'declare', scope: EVERY_DAEMON, evaluation: 'line-except', start, end }, line);
  for (const scope of new Set([EVERY_DAEMON, ...named.values()])) sink.scopeFact({ kind: 'use', scope, role: 'block', start, end }, line);
  emitEverything(sink, start, end, line, { role: 'block', scope: EVERY_DAEMON });
}

/**
 * Calls `visit` with the physical lines of each rule of `text` in turn, as
 * start, end, line triples without the continuing backslash; blank and
 * comment lines between rules are skipped. `segments` is reused.
 */
function forEachRule(text: string, before: number, visit: (segments: readonly number[]) => void): void {
  const segments: number[] = [];
  forEachLine(text, (start, end, line) => {
    if (start >= before) return;
    // Only a `#` at a line's very start comments it out: libwrap reads `  # ALL: ALL` as a rule for every daemon.
    if (segments.length === 0 && (skipBlanks(text, start, end) === end || text.charCodeAt(start) === HASH)) return;
    // libwrap continues a line only at a backslash right before `\n` (one before `\r\n` stays a character of the line).
    const continued = end > start && text.charCodeAt(end - 1) === BACKSLASH && text.charCodeAt(end) === LF;
    segments.push(start, continued ? end - 1 : end, line);
    if (continued) return;
    visit(segments);
    segments.length = 0;
  });
  if (segments.length > 0) visit(segments);
}

/** The daemons the rules of `text` name, by their name in lower case (tcpd compares names so), as first written. */
function namedDaemons(text: string, before: number): Map<string, string> {
  const named = new Map<string, string>();
  const daemons: Daemon[] = [];
  forEachRule(text, before, (segments) => {
    daemons.length = 0;
    // A line without `daemons :` is no rule, and names none.
    if (readDaemonList(text, segments, daemons, { excepts: 0 }) < 0) return;
    for (const daemon of daemons) {
      const name = text.slice(daemon.start, daemon.end);
      // `sshd@192.0.2.1` is a daemon at one of the host's addresses: its rules are conditional, and it is no daemon of its own.
      if (!isEveryDaemon(name) && !name.includes('@') && !named.has(name.toLowerCase())) named.set(name.toLowerCase(), name);
    }
  });
  return named;
}

function isEveryDaemon(name: string): boolean {
  return name.toUpperCase() === EVERY_DAEMON;
}

/** The scopes a rule holds in: its daemons less its excepted ones, and with `ALL`, `ALL` and every daemon the file names. */
function scopesOf(text: string, rule: Rule, named: Map<string, string>): string[] {
  // Most rules name one daemon and except none: no set is made for them.
  const listed: string[] = [];
  let excepted: Set<string> | undefined;
  for (const daemon of rule.daemons) {
    const name = text.slice(daemon.start, daemon.end);
    if (daemon.excepted) (excepted ??= new Set()).add(name.toLowerCase());
    else listed.push(name);
  }
  const all = listed.some(isEveryDaemon);
  if (all && excepted?.has(EVERY_DAEMON.toLowerCase())) return [];
  const candidates = all ? [EVERY_DAEMON, ...named.values()] : listed.map((name) => named.get(name.toLowerCase()) ?? name);
  const once = candidates.length > 1 ? [...new Set(candidates)] : candidates;
  return excepted ? once.filter((name) => !excepted.has(name.toLowerCase())) : once;
}

/** Declares the scopes of the rule's daemons that no rule before it named, where this one names them. */
function declareScopes(text: string, rule: Rule, named: Map<string, string>, declared: Set<string>, sink: TokenSink): void {
  for (const daemon of rule.daemons) {
    const name = text.slice(daemon.start, daemon.end);
    const scope = isEveryDaemon(name) ? EVERY_DAEMON : (named.get(name.toLowerCase()) ?? name);
    if (declared.has(scope)) continue;
    declared.add(scope);
    sink.scopeFact({ kind: 'declare', scope, evaluation: 'line-except', start: daemon.start, end: daemon.end }, daemon.line);
  }
}

/** The rule's facts and entries, in the scopes it holds in (scopesOf). */
function emitRule(text: string, rule: Rule, scopes: readonly string[], sink: TokenSink): void {
  const conditional =
    scopes.length === 0 ||
    rule.daemonLevels > 1 ||
    rule.daemons.some((d) => indexIn(text, AT, d.start, d.end) >= 0) ||
    rule.items.some((item) => item.kind !== 'problem' && (item.level > 1 || (item.level === 1 && item.kind === 'name')));
  if (!conditional) {
    const end = rule.daemons[rule.daemons.length - 1].end;
    for (const scope of scopes) sink.scopeFact({ kind: 'use', scope, role: rule.grants ? 'allow' : 'block', start: rule.start, end }, rule.line);
  }
  // The entries' scope: the first the rule holds in (else, conditional, the first it names).
  const scope = scopes[0] ?? text.slice(rule.daemons[0].start, rule.daemons[0].end);
  for (const item of rule.items) {
    if (item.kind === 'problem') {
      sink.problem(item.problem, item.line);
      continue;
    }
    if (item.kind === 'name') continue;
    // After an odd number of EXCEPTs a client is an exception; a rule that grants turns the roles round.
    const role = (item.level % 2 === 1) !== rule.grants ? 'allow' : 'block';
    const meaning: EntryMeaning = conditional ? { role, scope, conditional } : { role, scope };
    if (item.kind === 'all') emitEverything(sink, item.start, item.end, item.line, meaning);
    else readClient(text, item.start, item.end, item.line, sink, meaning);
  }
}

/** The arrays a rule is read into, emptied for each: the rule read holds them until the next is read. */
interface RuleScratch {
  readonly daemons: Daemon[];
  readonly items: Item[];
}

/**
 * The rule on `segments` (granting unless its options say otherwise when `grantsByDefault`), read into `scratch`, or
 * the problem that it has no `daemons :`.
 */
function readRule(text: string, segments: readonly number[], grantsByDefault: boolean, scratch: RuleScratch): Rule | LineProblem {
  const { daemons, items } = scratch;
  daemons.length = items.length = 0;
  const daemonList = { excepts: 0 };
  const clients = readDaemonList(text, segments, daemons, daemonList);
  if (clients < 0 || daemons.length === 0) {
    const [start, end, line] = [skipBlanks(text, segments[0], segments[1]), trimEnd(text, segments[0], segments[1]), segments[2]];
    return { code: 'invalid-entry', start, end: Math.max(start, end), line, message: 'Expected "daemons : clients", as in "sshd: 192.0.2.0/24".' };
  }
  let phase: 'clients' | 'options' = 'clients';
  let level = 0;
  let grants = grantsByDefault;
  let decided = false;
  let optionStart = true;
  for (let k = 0; k < segments.length; k += 3) {
    const segmentEnd = segments[k + 1];
    const line = segments[k + 2];
    // The segments the daemon list fills end before `clients`: nothing is read on them.
    let i = Math.max(segments[k], clients);
    while (i < segmentEnd) {
      if (phase === 'options') {
        // The first word of each option: `allow` or `deny` (hosts_options).
        i = skipBlanks(text, i, segmentEnd);
        let end = i;
        while (end < segmentEnd && !isBlank(text.charCodeAt(end)) && !separatesOptions(text, end)) end++;
        if (optionStart && end > i) {
          // libwrap runs the options in order, and `allow`, `deny` or a name it does not know (an error, which denies) ends them.
          let name = i;
          while (name < end && text.charCodeAt(name) !== EQUALS) name++;
          if (!decided && wordIs(text, i, name, 'allow', true)) [grants, decided] = [true, true];
          else if (!decided && !OPTIONS.some((option) => wordIs(text, i, name, option, true))) [grants, decided] = [false, true];
          optionStart = false;
        }
        if (end < segmentEnd && separatesOptions(text, end)) {
          optionStart = true;
          end++;
        }
        i = Math.max(end, i + 1);
        continue;
      }
      while (i < segmentEnd && (isBlank(text.charCodeAt(i)) || text.charCodeAt(i) === COMMA)) i++;
      if (i >= segmentEnd) break;
      const end = clientEnd(text, i, segmentEnd);
      if (text.charCodeAt(end) === COLON && end < segmentEnd) {
        const whole = wordEndIgnoringColons(text, i, segmentEnd);
        if (isBareIPv6(text, i, whole)) {
          const [address, length] = text.slice(i, whole).split('/');
          const written = `[${address}]${length === undefined ? '' : `/${length}`}`;
          items.push({
            kind: 'problem',
            problem: { code: 'invalid-entry', start: i, end: whole, message: `hosts.deny reads IPv6 addresses only in brackets: write ${written}.` },
            line,
          });
          i = whole;
          continue;
        }
        phase = 'options';
      }
      if (wordIs(text, i, end, 'EXCEPT', true)) level++;
      else if (end > i) items.push({ kind: clientKind(text, i, end), start: i, end, line, level });
      i = phase === 'options' ? end + 1 : end;
    }
  }
  joinAcrossLines(text, segments, items);
  return { start: daemons[0].start, line: daemons[0].line, daemons, daemonLevels: daemonList.excepts, items, grants };
}

/**
 * libwrap takes the backslash and the line break out and leaves nothing
 * between the lines: a word that ends a continued line and one that starts
 * the next are one word (`1.2.3.4\` then `5.6.7.8` is `1.2.3.45.6.7.8`),
 * which no client matches. Such pairs of `items` become one problem.
 */
function joinAcrossLines(text: string, segments: readonly number[], items: Item[]): void {
  for (let k = 0; k + 3 < segments.length; k += 3) {
    const [end, next] = [segments[k + 1], segments[k + 3]];
    if (end === segments[k] || isBlank(text.charCodeAt(end - 1)) || next >= segments[k + 4] || isBlank(text.charCodeAt(next))) continue;
    const first = items.findIndex((item) => item.kind !== 'problem' && item.end === end);
    const second = items.findIndex((item) => item.kind !== 'problem' && item.start === next);
    if (first < 0 || second < 0) continue;
    const [a, b] = [items[first], items[second]] as { start: number; end: number; line: number }[];
    const joined = text.slice(a.start, a.end) + text.slice(b.start, b.end);
    const message = `libwrap joins this word and the first of the next line into one, ${quote(joined)}, which matches no client: the backslash and the line break go, and no blank is left. Put a blank before the backslash.`;
    items[first] = { kind: 'problem', problem: { code: 'invalid-entry', start: a.start, end: a.end, message }, line: a.line };
    items.splice(second, 1);
  }
}

/** Whether the character at `i` is a `:` that ends an option: libwrap reads `\\:` as a colon of the option (`spawn echo %d\\: %a`). */
function separatesOptions(text: string, i: number): boolean {
  return text.charCodeAt(i) === COLON && text.charCodeAt(i - 1) !== BACKSLASH;
}

/**
 * Reads the daemon list of the rule on `segments` into `daemons` (`list`
 * counts its EXCEPTs) and returns where the rule's clients start, past the
 * first `:` outside brackets; -1 when there is none.
 */
function readDaemonList(text: string, segments: readonly number[], daemons: Daemon[], list: { excepts: number }): number {
  for (let k = 0; k < segments.length; k += 3) {
    const start = segments[k];
    const end = segments[k + 1];
    const line = segments[k + 2];
    const colon = colonOutsideBrackets(text, start, end);
    readDaemons(text, start, colon < 0 ? end : colon, line, daemons, list);
    if (colon >= 0) return colon + 1;
  }
  return -1;
}

/** The daemon patterns of `text[start, end)`, separated by blanks or commas; `list` counts the EXCEPTs met so far. */
function readDaemons(text: string, start: number, end: number, line: number, daemons: Daemon[], list: { excepts: number }): void {
  let i = start;
  while (i < end) {
    while (i < end && (isBlank(text.charCodeAt(i)) || text.charCodeAt(i) === COMMA)) i++;
    let wordEnd = i;
    while (wordEnd < end && !isBlank(text.charCodeAt(wordEnd)) && text.charCodeAt(wordEnd) !== COMMA) wordEnd++;
    if (wordEnd === i) break;
    if (wordIs(text, i, wordEnd, 'EXCEPT', true)) list.excepts++;
    else daemons.push({ start: i, end: wordEnd, line, excepted: list.excepts % 2 === 1 });
    i = wordEnd;
  }
}

/** What a client pattern holds: addresses, every address (`ALL`), or none that its text tells (a name, a netgroup, a wildcard). */
function clientKind(text: string, start: number, end: number): 'address' | 'all' | 'name' {
  if (wordIs(text, start, end, 'ALL', true)) return 'all';
  return holdsAddress(text, start, end) ? 'address' : 'name';
}

/** The first `:` in `text[start, end)` outside `[…]`, or -1. */
function colonOutsideBrackets(text: string, start: number, end: number): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACKET) depth = Math.max(0, depth - 1);
    else if (c === COLON && depth === 0) return i;
  }
  return -1;
}

/** The end of the client at `i`: a blank, a comma, or a `:` outside brackets. */
function clientEnd(text: string, i: number, end: number): number {
  let bracketed = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACKET) bracketed = true;
    else if (c === CLOSE_BRACKET) bracketed = false;
    else if (isBlank(c) || c === COMMA || (c === COLON && !bracketed)) return i;
  }
  return end;
}

function wordEndIgnoringColons(text: string, i: number, end: number): number {
  while (i < end && !isBlank(text.charCodeAt(i)) && text.charCodeAt(i) !== COMMA) i++;
  return i;
}

/**
 * `2001:db8::1`, `::1/128`: two colons or more, hex digits, dots and one
 * slash, and no dot before the first colon: `10.0.0.60:ffff:…` is the client
 * 10.0.0.60 and options, as tcpd reads it.
 */
function isBareIPv6(text: string, start: number, end: number): boolean {
  let colons = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === COLON) colons++;
    else if (c === DOT && colons === 0) return false;
    else if (!isHexDigit(c) && c !== DOT && c !== 0x2f) return false;
  }
  return colons >= 2;
}

/** Whether a client pattern is meant as an address: it starts with a digit or a bracket and holds no name. */
function holdsAddress(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start);
  if (first === OPEN_BRACKET) return true;
  if (!isDigit(first) || WILDCARDS.some((w) => wordIs(text, start, end, w))) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    // `1und1.de` is a host name; `*` and `?` are wildcards parseEntry judges.
    if (!isDigit(c) && c !== DOT && c !== 0x2f && c !== STAR && c !== 0x3f) return false;
  }
  return true;
}

const bracketed = new ParsedEntry();

function readClient(text: string, start: number, end: number, line: number, sink: TokenSink, meaning: EntryMeaning): void {
  const last = text.charCodeAt(end - 1);
  if (text.charCodeAt(start) === OPEN_BRACKET) {
    readBracketed(text, start, end, line, sink, meaning);
  } else if (indexIn(text, SLASH, start, end) < 0 && leadingZero(text, start, end)) {
    const written = text.slice(start, end).replace(/(^|\.)0+(?=\d)/g, '$1');
    const why = `it compares the client's address as text, and no client's address has an octet with a leading zero. Write ${quote(written)}.`;
    sink.problem({ code: 'invalid-entry', start, end, message: `tcpd never matches ${text.slice(start, end)}: ${why}` }, line);
  } else if (last === DOT || (last === STAR && text.charCodeAt(end - 2) === DOT && indexIn(text, STAR, start, end - 1) < 0)) {
    // `192.168.` and `192.168.*`: every address that starts so.
    const problems: Problem[] = [];
    const parsed = parsePartialIPv4(text, start, last === STAR ? end - 1 : end, problems);
    if (parsed) sink.entry(start, end, line, parsed, meaning);
    for (const problem of problems) if (problem.code === 'invalid-entry') sink.problem(problem, line);
  } else {
    const problems: Problem[] = [];
    const ok = parseEntry(text, start, end, problems, scratch, LIBWRAP);
    const never = ok ? neverMatched(text, start, end, scratch, problems) : undefined;
    if (never !== undefined) {
      sink.problem({ code: 'invalid-entry', start, end, message: `tcpd never matches ${text.slice(start, end)}: ${never}` }, line);
      return;
    }
    for (const problem of problems) sink.problem(problem, line);
    if (ok) sink.entry(start, end, line, scratch, meaning);
  }
}

const scratch = new ParsedEntry();

/** libwrap reads a `net/mask` with inet_addr, an octet with a leading zero as octal (`010.0.0.0/255.0.0.0` is 8.0.0.0/8), and a length as decimal (`/010` is /10). */
const LIBWRAP: OctalLoader = { name: 'libwrap', lengths: false };

/** Whether an octet of `text[start, end)` has a leading zero. */
function leadingZero(text: string, start: number, end: number): boolean {
  for (let i = start; i + 1 < end; i++) {
    if (text.charCodeAt(i) === ZERO && isDigit(text.charCodeAt(i + 1)) && (i === start || text.charCodeAt(i - 1) === DOT)) return true;
  }
  return false;
}

/**
 * Why tcpd never matches an IPv4 `net/mask` or `net/len` that reads as
 * `entry`, or undefined: it compares the client's address, masked, with the
 * net as written, so host bits make the pattern match nothing; it takes
 * 255.255.255.255 for an error, as mask or as net; and it takes no /0
 * (checked with tcpdmatch).
 */
function neverMatched(text: string, start: number, end: number, entry: ParsedEntry, problems: Problem[]): string | undefined {
  const slash = indexIn(text, 0x2f, start, end);
  if (entry.version !== 4 || slash < 0) return undefined;
  const [net, mask] = [text.slice(start, slash), text.slice(slash + 1, end)];
  const hostBits = problems.findIndex((problem) => problem.code === 'host-bits-set');
  if (hostBits >= 0) {
    problems.splice(hostBits, 1);
    return `the address has bits set past the mask, and tcpd compares the masked client with the address as written. Write ${formatIPv4(entry.lo4)}/${mask}.`;
  }
  // Values, not text: inet_addr reads 0377 as 255, and /00 is /0.
  if (entry.form === 'netmask' && entry.prefix === 32) return `it reads the mask ${mask} as an error. Write ${formatIPv4(entry.lo4)} alone.`;
  if (entry.lo4 === 0xffffffff) return `it reads the address ${net} as an error.`;
  if (entry.form === 'cidr' && entry.prefix === 0) return 'it takes no /0. Write ALL, or 0.0.0.0/0.0.0.0, for every IPv4 address.';
  return undefined;
}

/**
 * `[2001:db8::]/32` or `[2001:db8::1]`: the brackets belong to the file's
 * syntax, so the address is read without them. tcpd reads the length after
 * the bracket as C's atoi does, its leading digits (checked with tcpdmatch):
 * `[2001:db8::]/ffff` (all a client list holds of `/ffff:ffff::`, whose next
 * colon ends the list) and `[2001:db8::]/` are /0, every IPv6 address,
 * `/64abc` is /64; an entry so read is an error too. Past /128, or with the
 * length inside the brackets, it never matches.
 */
function readBracketed(text: string, start: number, end: number, line: number, sink: TokenSink, meaning: EntryMeaning): void {
  const close = indexIn(text, CLOSE_BRACKET, start, end);
  if (close < 0 || (close + 1 < end && text.charCodeAt(close + 1) !== SLASH)) {
    expected(sink, start, end, line, `"[IPv6 address]" or "[IPv6 network]/length", not ${quote(text, start, end)}`);
    return;
  }
  const never = (why: string) => sink.problem({ code: 'invalid-entry', start, end, message: `tcpd never matches ${quote(text, start, end)}: ${why}` }, line);
  if (indexIn(text, SLASH, start, close) >= 0) return never('the length goes after the bracket, as in [2001:db8::]/32.');
  const mask = text.slice(close + 2, end);
  const digits = /^[+-]?\d*/.exec(mask)![0];
  const length = Number.parseInt(digits, 10) || 0;
  if (length < 0 || length > 128) return never(`it reads the length as ${length}, and an IPv6 length is 0 to 128.`);
  const address = close + 1 === end ? text.slice(start + 1, close) : `${text.slice(start + 1, close)}/${length}`;
  const problems: Problem[] = [];
  const ok = parseEntry(address, 0, address.length, problems, bracketed);
  const misread = close + 1 < end && !/^[+-]?\d+$/.test(mask);
  // A misread length is the error to mend: host bits past it are beside the point.
  for (const problem of problems) if (!misread || problem.code !== 'host-bits-set') sink.problem({ ...problem, start, end }, line);
  if (!ok) return;
  if (misread) {
    const reads = `reads the length ${quote(text, close + 2, end)} as its leading digits, /${length}`;
    const widest = length === 0 ? ': it matches every IPv6 address' : '';
    sink.problem({ code: 'invalid-entry', start, end, message: `tcpd ${reads}${widest}. Write the length in digits, as in [2001:db8::]/32.` }, line);
  }
  sink.entry(start, end, line, bracketed, meaning);
}
