/**
 * What `ipset restore` refuses in a save file, in ipset's own words (each
 * form checked with ipset 7.17 on Linux 6.18, and held to it by
 * test/oracle/loaderRejects.test.ts). Restore runs the commands in order and
 * stops at the first it refuses, naming its line; every refusal here is
 * found as if the lines refused before it were not there, so the line ipset
 * names is among them (the first, unless a later line of the same run of
 * adds is one ipset cannot read: it reads the run before the kernel checks
 * it). It refuses
 *
 * - a create of a set that exists, unless `-exist` is in force and the type,
 *   maxelem, timeout, netmask and extensions are the same;
 * - an add, flush or destroy (but under `-exist`, a destroy is no error) of
 *   a set that does not exist: one that was destroyed is an error; one the
 *   file never creates is information, as the file may be restored into a
 *   running set;
 * - an element of the other family; a CIDR or range in a hash:ip set of
 *   IPv6 (plain addresses only), a range in a hash:net set of IPv6; a /0 in
 *   a hash:net type (but hash:net,iface takes it), and a range covering
 *   every IPv4 address; a hash:ip element whose first address, masked to
 *   the set's netmask, is 0.0.0.0 or :: (`0.0.0.0/8`, but not `0.0.0.1/8`);
 * - an option the set was not created for (`timeout`, `comment`, `packets`
 *   and `bytes`, `skbmark`…), and `nomatch` in a type without a net;
 * - in hash:ip and hash:net sets (whose elements are the addresses, not
 *   tuples): an element added again, and an element past `maxelem`. A
 *   hash:ip CIDR or range adds every address (every network of the
 *   set's netmask), a hash:net range the CIDRs that make it up; with
 *   `forceadd` a full set replaces elements instead, and is not checked.
 *   The kernel's count is exact while the set is small; once its hash has
 *   grown into several regions it may take a few elements past maxelem.
 *
 * `-exist` (or `-!`) on a line stays in force for the rest of the file,
 * from the next batch on: restore sends a run of adds to one set as one
 * batch, whose flags are those in force where the run starts, so `add s X`
 * then `add -exist s X` is refused. (A long run is sent in pieces of a few
 * hundred lines, each taking the flags then in force: this model is exact
 * for a run whose -exist stands at its start.)
 *
 * Other commands (del, swap, rename) leave their sets unchecked from there on.
 */
import { forEachCidrOfRange } from '../addresses/addressSet';
import { formatCount } from '../primitives/formatCount';
import { IPV4 } from '../addresses/family';
import { parseIPv4 } from '../addresses/ipv4';
import type { BlocklistDocument, EntryTable } from '../document/document';
import { copyCommand, DEFAULT_MAXELEM, forEachIpsetCommand, ipsetSetRules, type IpsetCommand, type IpsetSetRules, type Word } from '../formats/ipset';
import { DASH } from '../primitives/charCodes';
import { excerpt } from '../primitives/excerpt';
import type { LoaderRejection } from './loaderChecks';
import type { RelatedPlace } from './messages';

/** The element options a set must be created for, by the option's word. */
const OPTION_EXTENSIONS: Record<string, string> = {
  timeout: 'timeout',
  packets: 'counters',
  bytes: 'counters',
  comment: 'comment',
  skbmark: 'skbinfo',
  skbprio: 'skbinfo',
  skbqueue: 'skbinfo',
};

/** ipset's words when an option's extension is missing. */
const MISSING_EXTENSION: Record<string, string> = {
  timeout: 'Timeout cannot be used: set was created without timeout support',
  counters: 'Packet/byte counters cannot be used: set was created without counter support',
  comment: 'Comment cannot be used: set was created without comment support',
  skbinfo: 'Skbinfo mapping cannot be used: set was created without skbinfo support',
};

/** A set as restore has it so far. */
interface SetState {
  /** Its create line (a copy). */
  readonly create: IpsetCommand;
  readonly rules: IpsetSetRules;
  /** Its elements, for hash:ip and hash:net sets. */
  readonly elements: Elements | undefined;
}

/** What a name stands for: a set, a set other commands made unknown, or one destroyed (by that command, a copy). */
type NameState = SetState | 'unknown' | { readonly destroyed: IpsetCommand };

/** The `loader-rejects` findings of an ipset save file. */
export function ipsetRejections(document: BlocklistDocument): LoaderRejection[] {
  const restore = new Restore(document);
  forEachIpsetCommand(document.text, (command) => restore.run(command));
  return restore.rejections;
}

class Restore {
  readonly rejections: LoaderRejection[] = [];
  private readonly text: string;
  private readonly table: EntryTable;
  private readonly names = new Map<string, NameState>();
  /** `-exist` has stood on a line so far. */
  private exist = false;
  /** The run of adds being read: its set's name, its state, and whether -exist was in force where the run started. */
  private batch: { readonly name: string; readonly set: SetState | undefined; readonly exist: boolean } | undefined;

  constructor(document: BlocklistDocument) {
    this.text = document.text;
    this.table = document.entries;
  }

  run(command: IpsetCommand): void {
    this.exist ||= command.exist;
    const [name] = command.args;
    if (command.kind === 'add' && name !== undefined && this.batch !== undefined && this.named(name, this.batch.name)) {
      if (this.batch.set !== undefined) this.add(command, this.batch.set, this.batch.exist);
      return;
    }
    this.batch = undefined;
    if (command.kind === 'create') {
      this.create(command);
    } else if (command.kind === 'other') {
      // del, swap, rename…: what these sets hold is not followed from here on.
      for (const word of command.args.slice(0, 2)) this.names.set(this.word(word), 'unknown');
    } else if (name === undefined) {
      if (command.kind !== 'add') this.all(command);
    } else if (command.kind === 'destroy' && this.exist && !this.isSet(name)) {
      // Under -exist, destroying a set that is not there is no error; it is not there after either.
      this.names.set(this.word(name), { destroyed: copyCommand(command) });
    } else {
      const set = this.existing(command, name);
      if (command.kind === 'add') {
        this.batch = { name: this.word(name), set, exist: this.exist };
        if (set !== undefined) this.add(command, set, this.exist);
      } else if (set !== undefined) {
        if (command.kind === 'flush') set.elements?.clear();
        else this.names.set(this.word(name), { destroyed: copyCommand(command) });
      }
    }
  }

  /** flush or destroy without a name: every set. */
  private all(command: IpsetCommand): void {
    for (const [name, state] of this.names) {
      if (command.kind === 'destroy') this.names.set(name, { destroyed: copyCommand(command) });
      else if (typeof state === 'object' && 'rules' in state) state.elements?.clear();
    }
  }

  private create(command: IpsetCommand): void {
    const [name, type] = command.args;
    if (type === undefined) return;
    const set = this.word(name);
    const rules = ipsetSetRules(this.text, command);
    const state = this.names.get(set);
    if (state === undefined || (typeof state === 'object' && 'destroyed' in state)) {
      const elements = rules.type === 'hash:ip' || rules.type === 'hash:net' ? new Elements(this.table, rules) : undefined;
      this.names.set(set, { create: copyCommand(command), rules, elements });
      return;
    }
    if (state === 'unknown' || (this.exist && state.rules.signature === rules.signature)) return;
    const exist = this.exist;
    this.reject(command, name, 'Set cannot be created: set with the same name already exists', () => ({
      fix: exist
        ? `Set ${excerpt(set)} is created on line ${state.create.line + 1} with other options: make both create lines the same, or remove this one.`
        : `Set ${excerpt(set)} is created on line ${state.create.line + 1}: remove this line, or put -exist on it and make both create lines the same.`,
      related: [place(state.create, state.create.args[0], 'Created here.')],
    }));
  }

  private isSet(name: Word): boolean {
    const state = this.names.get(this.word(name));
    return typeof state === 'object' && 'rules' in state;
  }

  /** The set an add, flush or destroy names, or undefined (refused when it does not exist). */
  private existing(command: IpsetCommand, name: Word): SetState | undefined {
    const set = this.word(name);
    const state = this.names.get(set);
    if (state === 'unknown') return undefined;
    if (state === undefined) {
      // Once per name: the file may be meant for a running set that has it.
      this.names.set(set, 'unknown');
      this.rejections.push({
        ...at(command, name),
        explain: () => ({
          message:
            `ipset restore rejects this line unless set ${excerpt(set)} exists already: "The set with the given name does not exist". ` +
            `No line of this file creates it: create it first ("create ${excerpt(set)} hash:net family inet"), or restore the file into a running set.`,
        }),
        severity: 'information',
      });
      return undefined;
    }
    if ('rules' in state) return state;
    const { destroyed } = state;
    this.reject(command, name, 'The set with the given name does not exist', () => ({
      fix: `Set ${excerpt(set)} is destroyed on line ${destroyed.line + 1}: create it again before this line.`,
      related: [place(destroyed, destroyed.command, 'Destroyed here.')],
    }));
    return undefined;
  }

  private add(command: IpsetCommand, set: SetState, exist: boolean): void {
    const [name, element] = command.args;
    if (element === undefined) return;
    const { rules } = set;
    for (let n = 2; n < command.args.length; n++) if (this.optionRefused(command, command.args[n], set)) return;
    const table = this.table;
    const k = table.entryAt(command.line, element.start);
    if (k < 0 || table.start[k] !== element.start || rules.family === undefined) return;
    const problem = this.elementProblem(k, element, set);
    if (problem) {
      this.reject(command, element, problem.words, () => ({ fix: problem.fix, related: [created(set, problem.related)] }), k);
      return;
    }
    const elements = set.elements;
    if (elements === undefined) return;
    const repeated = exist ? -1 : elements.repeated(k);
    if (repeated >= 0) {
      this.reject(
        command,
        element,
        "Element cannot be added to the set: it's already added",
        () => {
          const [text, other] = [this.entryText(k), this.entryText(repeated)];
          const what = other === text ? 'is' : `shares addresses with ${other},`;
          return {
            fix: `${text} ${what} added on line ${table.line[repeated] + 1}: remove this line, or put -exist on the first add of its run.`,
            related: [{ line: table.line[repeated], start: table.start[repeated], end: table.end[repeated], message: 'Added here.' }],
          };
        },
        k,
      );
      return;
    }
    const added = elements.countNew(k);
    const wouldHold = elements.count + added;
    if (!rules.forceadd && wouldHold > rules.maxelem) {
      this.reject(
        command,
        element,
        'Hash is full, cannot add more elements',
        () => {
          const expands =
            rules.type === 'hash:ip' && added > 1
              ? ` (hash:ip adds every ${rules.netmask < (table.version[k] === 4 ? 32 : 128) ? `/${rules.netmask} network` : 'address'} of a CIDR or range)`
              : '';
          const maxelem = formatCount(rules.maxelem);
          return {
            fix: `Set ${excerpt(this.word(name))} would hold ${formatCount(wouldHold)} elements${expands}, more than its maxelem of ${maxelem}: raise maxelem on its create line.`,
            related: [created(set, `Created here with maxelem ${maxelem}${rules.maxelem === DEFAULT_MAXELEM ? ' (the default)' : ''}.`)],
          };
        },
        k,
      );
      return;
    }
    elements.add(k, added);
  }

  /** Rejects an option the set was not created for, or nomatch in a type without a net. */
  private optionRefused(command: IpsetCommand, option: Word, set: SetState): boolean {
    const word = this.word(option);
    const extension = OPTION_EXTENSIONS[word];
    const name = this.word(command.args[0]);
    if (extension !== undefined && !set.rules.extensions.has(extension)) {
      this.reject(command, option, MISSING_EXTENSION[extension], () => ({
        fix: `Add "${extension}" to the create line of set ${excerpt(name)}, or remove the option.`,
        related: [created(set, `Created here without ${extension}.`)],
      }));
      return true;
    }
    if (word === 'nomatch' && !set.rules.type.includes('net')) {
      this.reject(command, option, "Unknown argument: `nomatch'", () => ({
        fix: `Only sets with a net (hash:net…) take nomatch, and set ${excerpt(name)} is ${excerpt(set.rules.type)}: remove it.`,
        related: [created(set, `Created here as ${excerpt(set.rules.type)}.`)],
      }));
      return true;
    }
    return false;
  }

  /** Why ipset or the kernel refuses element k in the set, whatever else it holds: ipset's words, the fix, and what to say at the create line. */
  private elementProblem(k: number, element: Word, set: SetState): { words: string; fix: string; related: string } | undefined {
    const table = this.table;
    const { rules } = set;
    const version = table.version[k];
    const range = indexOf(this.text, DASH, table.start[k], table.end[k]) >= 0;
    if (version !== rules.family) {
      return {
        words: `resolving to IPv${rules.family} address failed`,
        fix: `${this.entryText(k)} is IPv${version}, and set ${excerpt(this.word(set.create.args[0]))} holds IPv${rules.family} addresses: move it to a set created with "family ${version === 4 ? 'inet' : 'inet6'}".`,
        related: `Created here for IPv${rules.family}.`,
      };
    }
    if (version === 6 && rules.first === 'ip' && (range || table.prefix[k] !== 128)) {
      return {
        words: 'plain IP address must be supplied',
        fix: `A ${excerpt(rules.type)} set takes single IPv6 addresses: list them, or use a hash:net set.`,
        related: createdAs(rules),
      };
    }
    if (version === 6 && rules.first === 'net' && range) {
      return { words: 'IP address or IP/cidr must be specified', fix: 'Write the IPv6 range as CIDRs: ipset takes none.', related: createdAs(rules) };
    }
    if (rules.first === 'ip' && this.firstIsNull(k, element, rules.netmask)) {
      const masked = rules.netmask < (version === 4 ? 32 : 128) ? `, masked to the set's netmask /${rules.netmask},` : '';
      const zero = version === 4 ? '0.0.0.0' : '::';
      return {
        words: 'Null-valued element, cannot be stored in a hash type of set',
        fix: `The first address of ${this.entryText(k)}${masked} is ${zero}, which a hash set cannot store: leave it out.`,
        related: createdAs(rules),
      };
    }
    if (table.prefix[k] === 0 && range) {
      return { words: 'Invalid range, covers the whole address space', fix: 'Write it as 0.0.0.0/1 and 128.0.0.0/1.', related: createdAs(rules) };
    }
    if (table.prefix[k] === 0 && (rules.first === 'ip' || rules.type !== 'hash:net,iface')) {
      const halves = version === 4 ? '0.0.0.0/1 and 128.0.0.0/1' : '::/1 and 8000::/1';
      return {
        words: 'The value of the CIDR parameter of the IP address is invalid',
        fix: `A ${excerpt(rules.type)} set takes no /0: write ${halves}.`,
        related: createdAs(rules),
      };
    }
    return undefined;
  }

  /** Whether the first address written in element k (before its `/` or `-`), masked to the netmask, is 0.0.0.0 or ::. */
  private firstIsNull(k: number, element: Word, netmask: number): boolean {
    const table = this.table;
    if (table.version[k] === 6) return table.lo6[k] >> BigInt(128 - netmask) === 0n;
    // The address written is in the entry's first network: only an entry from there can start at 0.0.0.0.
    if (table.lo4[k] >= 2 ** (32 - netmask)) return false;
    let end = element.start;
    while (end < element.end && this.text[end] !== '/' && this.text[end] !== '-') end++;
    const first = parseIPv4(this.text, element.start, end, []);
    return first >= 0 && first < 2 ** (32 - netmask);
  }

  /** Rejects `word`'s line in ipset's words; `details`, asked only when the finding is written, say how to fix it and where the conflict lies. */
  private reject(command: IpsetCommand, word: Word, ipsetWords: string, details: () => { fix: string; related: RelatedPlace[] }, entry?: number): void {
    const [code, line, start, end] = ['loader-rejects' as const, command.line, word.start, word.end];
    const explain = () => {
      const { fix, related } = details();
      return { message: `ipset restore rejects this line: "${ipsetWords}". ${fix}`, related };
    };
    // Each shape written out rather than spread: a 1 MB file may have a rejected line per line.
    this.rejections.push(entry === undefined ? { code, line, start, end, explain } : { code, line, start, end, explain, entry });
  }

  /** Whether `word` says `name`, read in place. */
  private named(word: Word, name: string): boolean {
    return word.end - word.start === name.length && this.text.startsWith(name, word.start);
  }

  private word(word: Word | undefined): string {
    return word === undefined ? '' : this.text.slice(word.start, word.end);
  }

  private entryText(k: number): string {
    return this.text.slice(this.table.start[k], this.table.end[k]);
  }
}

function at(command: IpsetCommand, word: Word): Pick<LoaderRejection, 'code' | 'line' | 'start' | 'end'> {
  return { code: 'loader-rejects', line: command.line, start: word.start, end: word.end };
}

function place(command: IpsetCommand, word: Word, message: string): RelatedPlace {
  return { line: command.line, start: word.start, end: word.end, message };
}

/** What to say at the create line of a set whose type refuses an element. */
function createdAs(rules: IpsetSetRules): string {
  return `Created here as ${excerpt(rules.type)}.`;
}

/** The set's type on its create line, with `message`. */
function created(set: SetState, message: string): RelatedPlace {
  return place(set.create, set.create.args[1], message);
}

function indexOf(text: string, code: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/**
 * The elements of a hash:ip or hash:net set, each with the entry that added
 * it. hash:net's are CIDRs (a range is split into them), by key; hash:ip's
 * are networks of its netmask (addresses by default): IPv6 ones by key (a
 * hash:ip set takes single IPv6 addresses only), IPv4 ones as runs of
 * network numbers, so that a CIDR of a million addresses is one run.
 */
class Elements {
  count = 0;
  private readonly keys = new Map<number | bigint | string, number>();
  private readonly runs = new Runs();

  constructor(
    private readonly table: EntryTable,
    private readonly rules: IpsetSetRules,
  ) {}

  /** The entry that added one of entry k's elements already (the first in the file), or -1. */
  repeated(k: number): number {
    if (this.isRun(k)) {
      const [lo, hi] = this.run(k);
      return this.runs.overlapping(lo, hi).reduce((first, held) => (first < 0 || held.entry < first ? held.entry : first), -1);
    }
    let first = -1;
    this.forEachKey(k, (key) => {
      const entry = this.keys.get(key);
      if (entry !== undefined && (first < 0 || entry < first)) first = entry;
    });
    return first;
  }

  /** How many of entry k's elements the set does not hold. */
  countNew(k: number): number {
    let count = 0;
    if (this.isRun(k)) {
      const [lo, hi] = this.run(k);
      count = hi - lo + 1;
      for (const held of this.runs.overlapping(lo, hi)) count -= Math.min(hi, held.hi) - Math.max(lo, held.lo) + 1;
    } else {
      this.forEachKey(k, (key) => (count += this.keys.has(key) ? 0 : 1));
    }
    return count;
  }

  /** Adds entry k's elements, `added` of them new. */
  add(k: number, added: number): void {
    this.count += added;
    if (this.isRun(k)) {
      const [lo, hi] = this.run(k);
      this.runs.add(lo, hi, k);
    } else {
      this.forEachKey(k, (key) => {
        if (!this.keys.has(key)) this.keys.set(key, k);
      });
    }
  }

  clear(): void {
    this.count = 0;
    this.keys.clear();
    this.runs.clear();
  }

  private isRun(k: number): boolean {
    return this.rules.first === 'ip' && this.table.version[k] === 4;
  }

  /** hash:ip, IPv4: the networks entry k adds, as a run [first, last] of network numbers. */
  private run(k: number): [number, number] {
    const size = 2 ** (32 - this.rules.netmask);
    return [Math.floor(this.table.lo4[k] / size), Math.floor(this.table.hi4[k] / size)];
  }

  /** hash:net, each CIDR (for IPv4, a number below 2^38: network and prefix); hash:ip, IPv6, its network. */
  private forEachKey(k: number, visit: (key: number | bigint | string) => void): void {
    const t = this.table;
    if (this.rules.first === 'ip') visit(t.lo6[k] >> BigInt(128 - this.rules.netmask));
    else if (t.version[k] === 6) visit(`${t.lo6[k]}/${t.prefix[k]}`);
    else if (t.prefix[k] >= 0) visit(t.lo4[k] * 64 + t.prefix[k]);
    else forEachCidrOfRange(IPV4, t.lo4[k], t.hi4[k], (network, prefix) => visit(network * 64 + prefix));
  }
}

/**
 * Disjoint runs [lo, hi] of numbers, each with the entry that added it,
 * sorted in chunks of at most 2 × CHUNK runs: finding the runs a new one
 * overlaps, and adding it, take a binary search and a splice of a chunk,
 * whatever the order the runs come in.
 */
class Runs {
  private chunks: Run[][] = [];

  /** The runs sharing numbers with [lo, hi], in order. */
  overlapping(lo: number, hi: number): readonly Run[] {
    let found: Run[] | undefined;
    for (let c = this.chunkReaching(lo); c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      for (let n = firstReaching(chunk, lo); n < chunk.length; n++) {
        if (chunk[n].lo > hi) return found ?? NONE;
        (found ??= []).push(chunk[n]);
      }
    }
    return found ?? NONE;
  }

  /** Adds [lo, hi]; runs it overlaps (under -exist) merge into it. */
  add(lo: number, hi: number, entry: number): void {
    let run: Run = { lo, hi, entry };
    for (const held of this.overlapping(lo, hi)) {
      this.remove(held);
      run = { lo: Math.min(run.lo, held.lo), hi: Math.max(run.hi, held.hi), entry: Math.min(run.entry, held.entry) };
    }
    if (this.chunks.length === 0) {
      this.chunks.push([run]);
      return;
    }
    const c = Math.min(this.chunkReaching(run.lo), this.chunks.length - 1);
    const chunk = this.chunks[c];
    chunk.splice(firstReaching(chunk, run.lo), 0, run);
    if (chunk.length > 2 * CHUNK) this.chunks.splice(c, 1, chunk.slice(0, CHUNK), chunk.slice(CHUNK));
  }

  clear(): void {
    this.chunks = [];
  }

  /** The first chunk whose last run reaches `x` (chunks.length if none). */
  private chunkReaching(x: number): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const middle = (lo + hi) >>> 1;
      const chunk = this.chunks[middle];
      if (chunk[chunk.length - 1].hi >= x) hi = middle;
      else lo = middle + 1;
    }
    return lo;
  }

  private remove(run: Run): void {
    const c = this.chunkReaching(run.lo);
    const chunk = this.chunks[c];
    chunk.splice(chunk.indexOf(run), 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }
}

interface Run {
  readonly lo: number;
  readonly hi: number;
  readonly entry: number;
}

const CHUNK = 64;
const NONE: readonly Run[] = [];

/** The first run of a sorted chunk whose hi reaches `x` (the chunk's length if none). */
function firstReaching(chunk: readonly Run[], x: number): number {
  let lo = 0;
  let hi = chunk.length;
  while (lo < hi) {
    const middle = (lo + hi) >>> 1;
    if (chunk[middle].hi >= x) hi = middle;
    else lo = middle + 1;
  }
  return lo;
}
