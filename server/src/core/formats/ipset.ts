/**
 * ipset save/restore files: `create NAME hash:net family inet …` declares a
 * set, `add NAME ENTRY [timeout N] [comment "…"] [nomatch]` (or the short
 * `-A NAME ENTRY`) adds to it. `nomatch` makes the entry an exception of a
 * hash:net set. Lines may also be written as `ipset add …` commands of a
 * shell script. Each set is a scope of its own: in hash:net sets the most
 * specific entry decides (ipset(8)), in hash:ip sets a CIDR adds every address.
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
  read: lineReader(readLine, 'line'),
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

function readLine(text: string, start: number, end: number, line: number, sink: TokenSink): void {
  const command = readerLine.read(text, start, end, line);
  if (command.kind === 'add') readAdd(text, command, end, sink);
  else if (command.kind === 'create') readCreate(text, command, sink);
  else if (command.command.start === start && looksLikeAddress(text, start, command.command.end)) {
    // del, swap, rename, COMMIT… hold no entry; a bare address is a slip.
    expected(sink, start, end, line, `"add SET ${excerpt(text, start, command.command.end)}": ipset restore reads commands, not bare addresses`);
  }
}

/** `SET ENTRY [options]` after `add`: the first part of the entry (`1.2.3.4,tcp:80` of hash:ip,port) is the address. */
function readAdd(text: string, command: IpsetCommand, end: number, sink: TokenSink): void {
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
  // The members of bitmap:port and hash:mac sets are no addresses: nothing to read.
  if (isPortOrRange(text, element.start, entryEnd) || isMac(text, element.start, entryEnd)) return;
  const nomatch = command.args.some((option, n) => n > 1 && wordIs(text, option.start, option.end, 'nomatch'));
  sink.entry(element.start, entryEnd, command.line, undefined, { role: nomatch ? 'allow' : 'block', scope: text.slice(name.start, name.end) });
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
  /** `forceadd`: when full, an add replaces an element rather than failing (but not always: a full set's count is not checked). */
  readonly forceadd: boolean;
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
    const value = Number(valueOf(option));
    return Number.isInteger(value) && value >= min && value <= max ? value : otherwise;
  };
  const maxelem = number('maxelem', 0, 2 ** 32 - 1, DEFAULT_MAXELEM);
  const netmask = number('netmask', 1, bits, bits);
  const extensions = new Set(EXTENSIONS.filter((extension) => words.includes(extension, 2)));
  const signature = [type, maxelem, valueOf('netmask') ?? '', valueOf('timeout') ?? '', ...[...extensions].sort()].join(' ');
  return { type, family, first, maxelem, netmask, forceadd: words.includes('forceadd', 2), extensions, signature };
}

/** `80`, `1024-2048`: a member of a bitmap:port set. */
function isPortOrRange(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c) && !(c === DASH && i > start)) return false;
  }
  return true;
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
