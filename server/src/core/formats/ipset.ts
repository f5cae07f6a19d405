/**
 * ipset save/restore files: `create NAME hash:net family inet …` declares a
 * set, `add NAME ENTRY [timeout N] [comment "…"] [nomatch]` (or the short
 * `-A NAME ENTRY`) adds to it. `nomatch` makes the entry an exception of a
 * hash:net set. Lines may also be written as `ipset add …` commands of a
 * shell script. Each set is a scope of its own: in hash:net sets the most
 * specific entry decides (ipset(8)), in hash:ip sets a CIDR adds every address.
 *
 * A set created with a `netmask` (or `bitmask`) holds each element masked,
 * as the network of that many bits (`add s 1.2.3.4` of `netmask 24` adds
 * 1.2.3.0/24): its elements are read, but conditional, not counted, since
 * a fix's pieces of one (a split, an exclusion) would be masked back whole.
 * An element that expires — its `timeout N` (what `ipset save` writes of a
 * set made with the timeout extension: the seconds left, fail2ban's and
 * CrowdSec's bans), or with no `timeout` of its own its set's default
 * timeout — is conditional too: it blocks until the time runs out. `timeout
 * 0` is for good.
 *
 * Every line is also read as the command `ipset restore` runs
 * (`forEachIpsetCommand`), and each create line as the rules the kernel
 * checks the set's elements by (`ipsetSetRules`), for the loader checks.
 */
import { COLON, DASH, HASH } from '../primitives/charCodes';
import { excerpt } from '../primitives/excerpt';
import { forEachLine, type Format, type TokenSink } from './format';
import { expected, indexIn, isDigit, isHexDigit, lineReader, looksLikeAddress, skipBlanks, trim, wordEnd, wordIs } from './lines';

export const ipset: Format = {
  id: 'ipset',
  label: 'ipset save/restore',
  lineByLine: true,
  readsAcrossLines,
  octalOctets: { name: 'ipset', lengths: true },
  read: readIpset,
  // A set whose `create` line is not in the file may be of any type: hash:net, where exceptions count, is the common one.
  evaluation: 'most-specific',
  scopeKind: 'set',
};

const COMMA = 0x2c;

/** A word of a command line: `text[start, end)`. */
export interface Word {
  readonly start: number;
  readonly end: number;
}

/** One command line, as `ipset restore` reads it. */
export interface IpsetCommand {
  /** `create` (`-N`), `add` (`-A`), `flush` (`-F`), `destroy` (`-X`), or another (del, swap, rename…). */
  readonly kind: 'create' | 'add' | 'flush' | 'destroy' | 'other';
  /** Zero-based. */
  readonly line: number;
  /** The command's own word. */
  readonly command: Word;
  /**
   * The words after it, up to a `#` word, without global options: the set's
   * name, then the type and its options (create) or the element and its
   * options (add).
   */
  readonly args: readonly Word[];
  /** `-exist` (or `-!`) stands on the line. */
  readonly exist: boolean;
}

const COMMANDS: [word: string, kind: IpsetCommand['kind']][] = [
  ['add', 'add'],
  ['-A', 'add'],
  ['create', 'create'],
  ['-N', 'create'],
  ['flush', 'flush'],
  ['-F', 'flush'],
  ['destroy', 'destroy'],
  ['-X', 'destroy'],
];

/** Options ipset takes before or after its command; the first two make adding an element twice, or creating a set again, no error. */
const EXIST_OPTIONS = ['-exist', '-!'];
const OTHER_OPTIONS = ['-quiet', '-q'];

/**
 * Calls `visit` with each command of `text`, in order (comment and blank
 * lines hold none). One command object is reused for every line, so that
 * reading a file of a million adds allocates nothing a line: copy what you
 * keep (`copyCommand`).
 */
export function forEachIpsetCommand(text: string, visit: (command: IpsetCommand) => void): void {
  const command = new CommandLine();
  forEachLine(text, (lineStart, lineEnd, line) => {
    const [start, end] = trim(text, lineStart, lineEnd);
    if (start < end && text.charCodeAt(start) !== HASH) visit(command.read(text, start, end, line));
  });
}

/** A copy of `command` that outlives the visit. */
export function copyCommand(command: IpsetCommand): IpsetCommand {
  return { ...command, command: { ...command.command }, args: command.args.map((word) => ({ ...word })) };
}

/** A command line read in place: its words are overwritten by the next line's. */
class CommandLine implements IpsetCommand {
  kind: IpsetCommand['kind'] = 'other';
  line = 0;
  readonly command = { start: 0, end: 0 };
  readonly args: { start: number; end: number }[] = [];
  exist = false;
  private readonly words: { start: number; end: number }[] = [];

  /** Reads the command on a line's content `text[start, end)` (not blank): an `ipset` before it, as in a script, is skipped. */
  read(text: string, start: number, end: number, line: number): this {
    this.line = line;
    this.exist = false;
    this.args.length = 0;
    let found = false;
    for (let i = start, w = wordEnd(text, i, end); i < w && text.charCodeAt(i) !== HASH; i = skipBlanks(text, w, end), w = wordEnd(text, i, end)) {
      if (isOneOf(text, i, w, EXIST_OPTIONS)) this.exist = true;
      else if (isOneOf(text, i, w, OTHER_OPTIONS) || (!found && i === start && wordIs(text, i, w, 'ipset'))) continue;
      else if (found) this.args.push(this.word(this.args.length, i, w));
      else {
        found = true;
        this.command.start = i;
        this.command.end = w;
      }
    }
    // A line of global options only is no command ipset knows.
    if (!found) this.command.start = this.command.end = start;
    this.kind = 'other';
    for (const [word, kind] of COMMANDS) if (wordIs(text, this.command.start, this.command.end, word)) this.kind = kind;
    return this;
  }

  /** The n-th argument's word object, reused from line to line. */
  private word(n: number, start: number, end: number): { start: number; end: number } {
    const word = (this.words[n] ??= { start, end });
    word.start = start;
    word.end = end;
    return word;
  }
}

function isOneOf(text: string, start: number, end: number, words: readonly string[]): boolean {
  for (const word of words) if (wordIs(text, start, end, word)) return true;
  return false;
}

const readerLine = new CommandLine();
const NO_SETS: ReadonlySet<string> = new Set();
const readLines = lineReader((text, start, end, line, sink) => readLine(text, start, end, line, sink, NO_SETS), 'line');

/** A create line whose set gives its elements a timeout by default (`timeout 600`; `timeout 0` gives none). */
const CREATE_WITH_TIMEOUT = /^[ \t]*(?:ipset[ \t]+)?(?:-(?:exist|!)[ \t]+)*(?:create|-N)[ \t][^\r\n]*[ \t]timeout[ \t]+0*[1-9x]/m;

/** A command that takes elements away from a set, or moves them to another (`flush`, `destroy`, `del`, `swap`, `rename`), at a line's start. */
const TAKES_AWAY = /^[ \t]*(?:ipset[ \t]+)?(?:-(?:exist|!|q|quiet)[ \t]+)*(?:flush|destroy|del|swap|rename|-[FXDWE])(?![^ \t\r\n])/m;

/**
 * The file's entries, line by line; where a later command takes an element
 * away (a flush or destroy of its set, or of every set; a del of the same
 * element) or moves its set's elements (swap, rename, which are not
 * followed), the entry decides nothing: it is conditional, not counted, as
 * are the elements of a set that masks them. The members of a list:set set
 * are sets, not addresses.
 */
function readIpset(text: string, sink: TokenSink): void {
  if (!readsAcrossLines(text)) {
    readLines(text, sink);
    return;
  }
  const away = setsAcrossLines(text);
  lineReader((text, start, end, line, sink) => readLine(text, start, end, line, sink, away.expiring), 'line')(text, {
    ...sink,
    entry: (start, end, line, parsed, meaning) => {
      const scope = meaning?.scope ?? '';
      if (away.lists.has(scope)) return;
      const gone = (away.everything ?? -1) > line || (away.sets.get(scope) ?? -1) > line || (away.elements.get(`${scope} ${text.slice(start, end)}`) ?? -1) > line;
      sink.entry(start, end, line, parsed, gone || away.masked.has(scope) ? { ...meaning, conditional: true } : meaning);
    },
  });
}

function readsAcrossLines(text: string): boolean {
  return TAKES_AWAY.test(text) || text.includes('list:set') || text.includes('netmask') || text.includes('bitmask') || CREATE_WITH_TIMEOUT.test(text);
}

/**
 * What the file's commands say of the elements other lines add: where
 * elements are taken away, last (every set's by `flush` or `destroy`
 * without a name, a set's by name, an element's by `SET ELEMENT`); the
 * list:set sets; the sets that mask their elements (`netmask`, `bitmask`);
 * and the sets whose elements expire unless they say otherwise.
 */
function setsAcrossLines(text: string): {
  everything?: number;
  sets: Map<string, number>;
  elements: Map<string, number>;
  lists: Set<string>;
  masked: Set<string>;
  expiring: Set<string>;
} {
  const away = {
    everything: undefined as number | undefined,
    sets: new Map<string, number>(),
    elements: new Map<string, number>(),
    lists: new Set<string>(),
    masked: new Set<string>(),
    expiring: new Set<string>(),
  };
  const word = (w: Word | undefined) => (w === undefined ? undefined : text.slice(w.start, w.end));
  forEachIpsetCommand(text, (command) => {
    const [first, second] = command.args.map(word);
    const verb = text.slice(command.command.start, command.command.end);
    if (command.kind === 'create' && second === 'list:set' && first !== undefined) away.lists.add(first);
    else if (command.kind === 'create' && first !== undefined) {
      const rules = ipsetSetRules(text, command);
      if (masks(rules)) away.masked.add(first);
      if (rules.timeout > 0) away.expiring.add(first);
    } else if (command.kind === 'flush' || command.kind === 'destroy') {
      if (first === undefined) away.everything = command.line;
      else away.sets.set(first, command.line);
    } else if ((verb === 'del' || verb === '-D') && first !== undefined && second !== undefined) {
      away.elements.set(`${first} ${second.slice(0, addressEnd(text, command.args[1]) - command.args[1].start)}`, command.line);
    } else if (verb === 'swap' || verb === '-W' || verb === 'rename' || verb === '-E') {
      for (const name of [first, second]) if (name !== undefined) away.sets.set(name, command.line);
    }
  });
  return away;
}

/** One line: `expiring` names the sets whose elements expire by default. */
function readLine(text: string, start: number, end: number, line: number, sink: TokenSink, expiring: ReadonlySet<string>): void {
  const command = readerLine.read(text, start, end, line);
  if (command.kind === 'add') readAdd(text, command, end, sink, expiring);
  else if (command.kind === 'create') readCreate(text, command, sink);
  else if (command.command.start === start && looksLikeAddress(text, start, command.command.end)) {
    // del, swap, rename, COMMIT… hold no entry; a bare address is a slip.
    expected(sink, start, end, line, `"add SET ${excerpt(text, start, command.command.end)}": ipset restore reads commands, not bare addresses`);
  }
}

/** `SET ENTRY [options]` after `add`: the first part of the entry (`1.2.3.4,tcp:80` of hash:ip,port) is the address. */
function readAdd(text: string, command: IpsetCommand, end: number, sink: TokenSink, expiring: ReadonlySet<string>): void {
  const [name, element] = command.args;
  if (name === undefined) {
    expected(sink, command.command.end, end, command.line, 'a set name and an address after "add"');
    return;
  }
  if (element === undefined) {
    expected(sink, name.end, end, command.line, `an address after "add ${excerpt(text, name.start, name.end)}"`);
    return;
  }
  const entryEnd = addressEnd(text, element);
  // The members of bitmap:port, hash:mac and list:set sets are no addresses: nothing to read.
  if (isPortOrRange(text, element.start, entryEnd) || isMac(text, element.start, entryEnd) || isProtocolPort(text, element.start, entryEnd)) return;
  const nomatch = isNomatch(text, command.args);
  const scope = text.slice(name.start, name.end);
  // An element of more parts (`1.2.3.4,tcp:80`, `10.0.0.0/8,eth0`) matches its address with the other parts alone; one that expires blocks for a while.
  const expires = (timeoutOf(text, command.args) ?? (expiring.has(scope) ? 1 : 0)) > 0;
  const meaning = { role: nomatch ? ('allow' as const) : ('block' as const), scope, ...(entryEnd < element.end || expires ? { conditional: true } : {}) };
  sink.entry(element.start, entryEnd, command.line, undefined, meaning);
}

/** The options of an element that take a value: the value is not an option (`comment "nomatch"` is a comment). */
const VALUED_OPTIONS = ['timeout', 'comment', 'packets', 'bytes', 'skbmark', 'skbprio', 'skbqueue'];

/** Whether an add's options (after its set and element) hold `nomatch`, quoted or not, as ipset reads its words. */
function isNomatch(text: string, args: readonly Word[]): boolean {
  for (let n = 2; n < args.length; n++) {
    const { start, end } = args[n];
    if (isOneOf(text, start, end, VALUED_OPTIONS)) n++;
    else if (wordIs(text, start, end, 'nomatch') || wordIs(text, start, end, '"nomatch"')) return true;
  }
  return false;
}

/** The seconds an add's `timeout` option gives its element (0: for good), or undefined without one; a value ipset refuses is 0. */
function timeoutOf(text: string, args: readonly Word[]): number | undefined {
  for (let n = 2; n < args.length; n++) {
    const { start, end } = args[n];
    if (!isOneOf(text, start, end, VALUED_OPTIONS)) continue;
    if (wordIs(text, start, end, 'timeout')) return n + 1 < args.length ? cNumber(text.slice(args[n + 1].start, args[n + 1].end)) || 0 : 0;
    n++;
  }
  return undefined;
}

/** Where the address of an element ends: before the `,` of `1.2.3.4,tcp:80`. */
function addressEnd(text: string, element: Word): number {
  const comma = indexIn(text, COMMA, element.start, element.end);
  return comma < 0 ? element.end : comma;
}

/** `SET TYPE [options]` after `create`: hash:net types decide by the most specific entry; the others of addresses by the union. */
function readCreate(text: string, command: IpsetCommand, sink: TokenSink): void {
  const [name, typeWord] = command.args;
  if (typeWord === undefined) return;
  const type = text.slice(typeWord.start, typeWord.end);
  if (!type.startsWith('hash:') && !type.startsWith('bitmap:')) return; // list:set holds sets, not addresses
  const evaluation = type.startsWith('hash:net') ? 'most-specific' : 'union';
  sink.scopeFact({ kind: 'declare', scope: text.slice(name.start, name.end), evaluation, start: name.start, end: name.end }, command.line);
}

/** What the kernel checks of a set's elements, from its create line (ipset(8)). */
export interface IpsetSetRules {
  /** `hash:net`, `hash:ip,port`… */
  readonly type: string;
  /** The family of its addresses (`family inet6`, `-6`; inet by default), or undefined when it holds none (hash:mac, bitmap:port, list:set). */
  readonly family: 4 | 6 | undefined;
  /** The first part of its elements: `ip` (hash:ip, hash:ip,port…: a CIDR adds every address) or `net` (hash:net…: a CIDR is one element). */
  readonly first: 'ip' | 'net' | undefined;
  /** How many elements a hash set holds at most (`maxelem`, 65536 by default). */
  readonly maxelem: number;
  /** hash:ip's `netmask`: its elements are networks of this prefix (the family's width by default). */
  readonly netmask: number;
  /** `bitmask`: its elements are masked by a mask of any shape. */
  readonly bitmask: boolean;
  /** `forceadd`: when full, an add replaces an element rather than failing (but not always: a full set's count is not checked). */
  readonly forceadd: boolean;
  /** The seconds its elements last unless an add says otherwise (`timeout 600`), 0 for good. */
  readonly timeout: number;
  /** The element options the set was created to take: `timeout`, `counters`, `comment`, `skbinfo`. */
  readonly extensions: ReadonlySet<string>;
  /** What `create … -exist` compares with the set's first create (not the family, the hashsize or forceadd). */
  readonly signature: string;
}

export const DEFAULT_MAXELEM = 65536;
const EXTENSIONS = ['timeout', 'counters', 'comment', 'skbinfo'];

/** The rules of a create command (`command.args`: name, type, options). */
export function ipsetSetRules(text: string, command: IpsetCommand): IpsetSetRules {
  const words = command.args.map((word) => text.slice(word.start, word.end));
  const type = words[1] ?? '';
  const valueOf = (option: string) => {
    const n = words.indexOf(option, 2);
    return n > 0 ? words[n + 1] : undefined;
  };
  const familyWord = valueOf('family') ?? (words.includes('-6') ? 'inet6' : 'inet');
  const addresses = /^(hash:(ip|net)|bitmap:ip)/.test(type);
  const family = !addresses ? undefined : familyWord === 'inet6' || familyWord === 'ipv6' ? 6 : 4;
  const first = type.startsWith('hash:ip') ? 'ip' : type.startsWith('hash:net') ? 'net' : undefined;
  const bits = family === 6 ? 128 : 32;
  // A value ipset would not take (it refuses the create line) is read as the default.
  const number = (option: string, min: number, max: number, otherwise: number) => {
    const value = cNumber(valueOf(option) ?? '');
    return Number.isInteger(value) && value >= min && value <= max ? value : otherwise;
  };
  const maxelem = number('maxelem', 0, 2 ** 32 - 1, DEFAULT_MAXELEM);
  const netmask = number('netmask', 1, bits, bits);
  const extensions = new Set(EXTENSIONS.filter((extension) => words.includes(extension, 2)));
  const bitmask = words.includes('bitmask', 2);
  const signature = [type, maxelem, valueOf('netmask') ?? '', valueOf('timeout') ?? '', ...[...extensions].sort()].join(' ');
  const timeout = number('timeout', 0, 2 ** 32 - 1, 0);
  return { type, family, first, maxelem, netmask, bitmask, timeout, forceadd: words.includes('forceadd', 2), extensions, signature };
}

/** A number as ipset reads it, as C's strtoul with base 0 does: `010` is 8, `0x10` 16; NaN for what it refuses (`08`). */
function cNumber(word: string): number {
  if (/^0[xX][0-9a-fA-F]+$/.test(word)) return Number.parseInt(word.slice(2), 16);
  if (/^0[0-7]*$/.test(word)) return Number.parseInt(word, 8);
  return /^[1-9]\d*$/.test(word) ? Number(word) : Number.NaN;
}

/** Whether a set holds its elements masked: a `netmask` narrower than its family's addresses, or a `bitmask`. */
function masks(rules: IpsetSetRules): boolean {
  return rules.bitmask || rules.netmask < (rules.family === 6 ? 128 : 32);
}

/** `80`, `1024-2048`: a member of a bitmap:port set. */
function isPortOrRange(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c) && !(c === DASH && i > start)) return false;
  }
  return true;
}

/** A bitmap:port member with its protocol (`tcp:22`, `udp:1024-2048`): letters, a colon, a port or a range. */
function isProtocolPort(text: string, start: number, end: number): boolean {
  const colon = indexIn(text, COLON, start, end);
  if (colon <= start) return false;
  for (let i = start; i < colon; i++) if (!isLetter(text.charCodeAt(i))) return false;
  return colon + 1 < end && isPortOrRange(text, colon + 1, end);
}

function isLetter(c: number): boolean {
  return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
}

/** `00:11:22:33:44:55`: a member of a hash:mac set (six groups of two hex digits, never an IPv6 address). */
function isMac(text: string, start: number, end: number): boolean {
  if (end - start !== 17) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const separator = (i - start) % 3 === 2;
    if (separator ? c !== COLON : !isHexDigit(c)) return false;
  }
  return true;
}
