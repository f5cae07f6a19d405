/**
 * MikroTik RouterOS scripts and exports: `add address=1.2.3.0/24 list=x` under
 * `/ip firewall address-list` (or `/ipv6 firewall address-list`, or
 * `/ip/firewall/address-list` in RouterOS 7), or on one line as
 * `/ip firewall address-list add address=… list=x comment="…"`. The address
 * may be a range `a-b`, or a DNS name. Lines are continued with
 * a final backslash, as exports wrap them; `#` starts a comment line;
 * `;`, `{` and `}` separate commands (`:do { add … } on-error={}`).
 *
 * `add` under another menu (`/ip address add address=192.168.88.1/24 …`) is
 * not an entry. Before any menu line (a fragment) an `add` is read when it
 * names a `list=`. Entries with `disabled=yes` are not read; one with a
 * `timeout=` (or `dynamic=yes`) blocks until its time runs out, or a reboot:
 * conditional, so no permanent entry is ever found covered by it. RouterOS
 * refuses to add an address a list already holds ("failure: already have
 * such entry"), and `/import` stops at the first command that fails: such a
 * repeated add is an error, not an entry, and every entry after it is
 * conditional (never loaded by that import; no fix is offered until the line
 * is mended, since removing either add would let the rest load). An add
 * inside a `:do { … }` block is taken as caught by its `on-error`.
 * `remove`, `disable`, `enable` and `set` change the entries added before
 * them, in order, as a `[find …]` picks them (mikrotikFind.ts): the entries
 * are told once the script is read, what was taken away or disabled as
 * conditional (it decides nothing), and what a command may pick or not (by
 * number, by a filter not told, in a block that may not run) conditional
 * too, as is an add in such a block. A DNS name in `address=` is resolved
 * by RouterOS: said so. Each
 * address list is a scope of its own, a plain union; every entry blocks, as
 * the file does not say what a list is used for (`# blocklist-role: allow
 * NAME` does).
 */
import { ParsedEntry, parseEntry } from '../document/entry';
import type { Problem } from '../document/problem';
import { CR, HASH, SEMICOLON, SLASH, SPACE, TAB } from '../primitives/charCodes';
import { excerpt } from '../primitives/excerpt';
import { endsLine, lineBreakLength, nextLineBreak, type Format, type TokenSink } from './format';
import { BACKSLASH, CLOSE_BRACE, expected, looksLikeAddress, OPEN_BRACE, QUOTE, wordIs } from './lines';
import { DNS_NAME, findFilter, picks, unquoted, YES_NO, type Filter, type ListEntry } from './mikrotikFind';

export const mikrotik: Format = {
  id: 'mikrotik',
  label: 'MikroTik address list',
  read: readMikrotik,
  // Each address list is a set of its own; firewall rules elsewhere say what it does.
  scopeKind: 'list',
};

const OPEN_SQUARE = 0x5b;
const CLOSE_SQUARE = 0x5d;
const COMMANDS = new Set(['add', 'set', 'remove', 'print', 'export', 'find', 'enable', 'disable', 'comment', 'move', 'unset', 'reset', 'edit', 'get', 'import', 'monitor']);

/** Reads the text a command at a time. */
function readMikrotik(text: string, sink: TokenSink): void {
  const reader = new CommandReader(text, sink);
  // The words of the command being read: start, end, line triples.
  const words: number[] = [];
  let line = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const lineEnd = endsLine(text, i);
    // The `\r` of a `\r\n` is a blank: the `\n` ends the line.
    if (c === SPACE || c === TAB || (c === CR && !lineEnd)) {
      i++;
    } else if (lineEnd || c === SEMICOLON || c === OPEN_BRACE || c === CLOSE_BRACE || c === OPEN_SQUARE || c === CLOSE_SQUARE) {
      reader.command(words, c);
      words.length = 0;
      if (c === OPEN_BRACE) reader.open();
      else if (c === CLOSE_BRACE) reader.close();
      if (lineEnd) line++;
      i++;
    } else if (c === BACKSLASH && lineBreakLength(text, i + 1) > 0) {
      i += 1 + lineBreakLength(text, i + 1);
      line++;
    } else if (c === HASH && words.length === 0) {
      i = nextLineBreak(text, i);
    } else {
      const start = i;
      const startLine = line;
      let quoted = false;
      for (; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (endsLine(text, i)) {
          if (!quoted) break;
          line++; // a line break inside a quoted string
        } else if (quoted) {
          if (d === QUOTE) quoted = false;
          else if (d === BACKSLASH && lineBreakLength(text, i + 1) > 0) {
            // A string literal goes on over a continued line.
            i += lineBreakLength(text, i + 1);
            line++;
          } else if (d === BACKSLASH) i++;
        } else if (d === QUOTE) {
          quoted = true;
        } else if (d === SPACE || d === TAB || d === CR || d === SEMICOLON || d === OPEN_BRACE || d === CLOSE_BRACE || d === OPEN_SQUARE || d === CLOSE_SQUARE) {
          break;
        } else if (d === BACKSLASH && lineBreakLength(text, i + 1) > 0) {
          break;
        }
      }
      i = Math.min(i, text.length);
      words.push(start, i, startLine);
    }
  }
  reader.command(words, -1);
  reader.finish();
}

/**
 * The zero-based line of the first add RouterOS refuses as a repeat, at
 * which `/import` stops, or -1: a fix must not make it stop (nor, by
 * removing the repeat, go on).
 */
export function importStopsAt(text: string): number {
  let stop = -1;
  readMikrotik(text, {
    entry: () => undefined,
    scopeFact: () => undefined,
    problem: (problem, line) => {
      if (stop < 0 && problem.message.startsWith(REFUSED)) stop = line;
    },
  });
  return stop;
}

/** A block a `{` opens: `:do`'s, whose failures its `on-error` catches; a bare one (`{ … }`), which runs; or one its command may not run (`:if … do={`, `:foreach … do={`). */
type Block = 'do' | 'runs' | 'may-not-run';

/** How the error on a repeated add begins. */
const REFUSED = 'RouterOS refuses this add';

const scratch = new ParsedEntry();

/** The commands that change entries already added, picked by a `find` or by number. */
const CHANGES = new Set(['remove', 'disable', 'enable', 'set']);

/** An entry added, and what the script has done to it since: told to the sink once the whole script is read. */
interface Added extends ListEntry {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  /** `ip` or `ipv6`, by the menu it was added in; undefined in a fragment. */
  readonly menu: string | undefined;
  /** It lasts only until a timeout or a reboot, or the import may stop before it. */
  conditional: boolean;
  /** Whether it blocked at some time: added enabled, or enabled since. */
  blocked: boolean;
  removed: boolean;
  /** A command may have changed it, or not: what it ends as cannot be told. */
  unsure: boolean;
}

/** A change command whose `[find …]` is being read: once its `]` is reached, its filter; then its properties. */
interface Pending {
  readonly verb: string;
  readonly menu: string | undefined;
  found: boolean;
  filter: Filter;
}

class CommandReader {
  /** The current menu, as path parts (`ip`, `firewall`, `address-list`); undefined before any menu line. */
  private menu: string[] | undefined;
  /** Every entry added, in order; those a command may still change (neither removed nor unsure), and by list and by addresses (`version lo-hi`). */
  private readonly entries: Added[] = [];
  private readonly settled: Added[] = [];
  private readonly byList = new Map<string | undefined, Added[]>();
  private readonly byAddresses = new Map<string, Added[]>();
  /** The lists and addresses (`list version lo-hi`) of the entries a command may have taken away. */
  private readonly unsure = new Set<string>();
  /** Whether `/import` stopped at an add before; whether it may have (a repeat of an entry a command may have taken away). */
  private stopped = false;
  private mayHaveStopped = false;
  /** What a `{` after the command just read opens; then each open block's kind. */
  private opens: Block = 'runs';
  private readonly blocks: Block[] = [];
  private pending: Pending | undefined;

  constructor(
    private readonly text: string,
    private readonly sink: TokenSink,
  ) {}

  /** A `{` after the command just read. */
  open(): void {
    this.blocks.push(this.opens);
  }

  close(): void {
    this.blocks.pop();
  }

  /** One command: `[/path …] [relative path …] COMMAND key=value …`, ended by `delimiter` (a `[` opens a command inside it). */
  command(words: readonly number[], delimiter: number): void {
    this.opens = words.length === 0 ? 'runs' : wordIs(this.text, words[0], words[1], ':do') ? 'do' : 'may-not-run';
    if (this.pending !== undefined && this.changeGoesOn(words, delimiter)) return;
    if (words.length === 0) return;
    const text = this.text;
    let k = 0;
    let path = this.menu;
    let command: string | undefined;
    if (text.charCodeAt(words[0]) === SLASH) path = [];
    for (; k < words.length; k += 3) {
      const word = text.slice(words[k], words[k + 1]);
      if (COMMANDS.has(word) || word.includes('=') || word.startsWith(':') || word.startsWith('$')) break;
      const parts = word.split('/').filter((part) => part !== '');
      // RouterOS 7 writes the command at the path's end: `/ip/firewall/address-list/add`.
      const last = parts.length > 1 && COMMANDS.has(parts[parts.length - 1]) ? parts.pop() : undefined;
      // Past an address list's three parts a path never becomes one again: four parts are enough to know, and keep each copy short (a line of many words, linear).
      path = [...(path ?? []), ...parts].slice(0, 4);
      if (last !== undefined) {
        command = last;
        break;
      }
    }
    if (k >= words.length) {
      // A menu line: the commands that follow run there.
      this.menu = path;
      return;
    }
    command ??= text.slice(words[k], words[k + 1]);
    if (path !== undefined && !isAddressList(path)) return;
    if (command === 'add') this.add(words, k, path?.[0]);
    else if (CHANGES.has(command)) this.change(command, path?.[0], this.strings(words, k + 3), delimiter);
  }

  /** `remove`, `disable`, `enable` or `set` with `args`: by a `[find …]` that follows, else by numbers, which the product cannot tell. */
  private change(verb: string, menu: string | undefined, args: string[], delimiter: number): void {
    if (delimiter === OPEN_SQUARE && (args.length === 0 || args[args.length - 1] === 'numbers=')) this.pending = { verb, menu, found: false, filter: undefined };
    else this.act(verb, menu, undefined, args);
  }

  /** The words of a change command's `[find …]`, then of what follows it; whether they are taken. */
  private changeGoesOn(words: readonly number[], delimiter: number): boolean {
    const pending = this.pending!;
    if (!pending.found && delimiter === CLOSE_SQUARE) {
      [pending.found, pending.filter] = [true, findFilter(this.strings(words, 0))];
      return true;
    }
    this.pending = undefined;
    // A command within the find (`list=[…]`), or a value within the properties (`comment=[…]`), is not told.
    const told = pending.found && delimiter !== OPEN_SQUARE;
    this.act(pending.verb, pending.menu, told ? pending.filter : undefined, told ? this.strings(words, 0) : ['?']);
    return pending.found;
  }

  private strings(words: readonly number[], from: number): string[] {
    const strings: string[] = [];
    for (let n = from; n < words.length; n += 3) strings.push(this.text.slice(words[n], words[n + 1]));
    return strings;
  }

  /**
   * What a change does to each entry `filter` picks (undefined: any entry),
   * `properties` the words after it. What it surely picks it changes; what
   * it may pick is unsure from then on: conditional, whatever follows.
   */
  private act(verb: string, menu: string | undefined, filter: Filter, properties: readonly string[]): void {
    if (this.stopped) return; // the import stopped before: no command runs
    // Without a menu, in a block that may not run (`:if … do={ … }`), or after the import may have stopped, a change may not happen.
    const surely = menu !== undefined && !this.mayHaveStopped && !this.blocks.includes('may-not-run');
    const change = verb === 'set' ? settings(properties) : undefined;
    for (const entries of this.candidates(filter)) {
      for (const entry of settled(entries)) {
        if (menu !== undefined && entry.menu !== undefined && entry.menu !== menu) continue;
        const picked = picks(filter, entry);
        if (picked === 'no') continue;
        if (picked === 'maybe' || !surely || entry.menu === undefined || change?.unsure === true) {
          entry.unsure = true;
          this.unsure.add(`${entry.list} ${addressesKey(entry.parsed)}`);
        } else if (verb === 'remove' || change?.moves === true) entry.removed = true;
        else if (verb === 'disable') entry.disabled = true;
        else if (verb === 'enable') entry.disabled = false;
        else if (change !== undefined) {
          entry.disabled = change.disabled ?? entry.disabled;
          entry.comment = change.comment ?? entry.comment;
          if (change.timeout) entry.dynamic = entry.conditional = true;
        }
        entry.blocked ||= !entry.disabled;
      }
    }
  }

  /** The entries a filter may pick: those of its addresses, or of its list, else all; each array holds some that are no longer settled. */
  private candidates(filter: Filter): Added[][] {
    const address = filter?.find((term) => term.key === 'address');
    if (address?.key === 'address') return address.parsed === undefined ? [] : [this.byAddresses.get(addressesKey(address.parsed)) ?? []];
    const list = filter?.find((term) => term.key === 'list');
    if (list?.key === 'list') return [this.byList.get(list.value) ?? [], this.byList.get(undefined) ?? []];
    return [this.settled];
  }

  /** `add key=value …` from the word `add` at k, in the menu of `ip` or `ipv6` (undefined: before any menu line). */
  private add(words: readonly number[], k: number, menu: string | undefined): void {
    const text = this.text;
    // The `address=…` word, and its value without quotes.
    let word = -1;
    let [valueStart, valueEnd] = [0, 0];
    let list: string | undefined;
    let comment: string | undefined;
    let disabled = false;
    let temporary = false;
    for (let n = k + 3; n < words.length; n += 3) {
      const [start, end] = [words[n], words[n + 1]];
      const equals = text.indexOf('=', start);
      if (equals < 0 || equals >= end) continue;
      let [from, to] = [equals + 1, end];
      if (text.charCodeAt(from) === QUOTE && to - from >= 2 && text.charCodeAt(to - 1) === QUOTE) {
        from++;
        to--;
      }
      if (wordIs(text, start, equals, 'address')) [word, valueStart, valueEnd] = [n, from, to];
      else if (wordIs(text, start, equals, 'list')) list = text.slice(from, to);
      else if (wordIs(text, start, equals, 'comment')) comment = text.slice(from, to);
      else if (wordIs(text, start, equals, 'disabled')) disabled = wordIs(text, from, to, 'yes') || wordIs(text, from, to, 'true');
      // An entry with a timeout is dynamic: RouterOS removes it when the time runs out, and on a reboot.
      else if (wordIs(text, start, equals, 'timeout') || (wordIs(text, start, equals, 'dynamic') && (wordIs(text, from, to, 'yes') || wordIs(text, from, to, 'true'))))
        temporary = true;
    }
    if (menu === undefined && list === undefined) return;
    if (word < 0 || valueStart === valueEnd) {
      const [start, end, line] = word < 0 ? [words[k], words[words.length - 2], words[k + 2]] : [words[word], words[word + 1], words[word + 2]];
      expected(this.sink, start, end, line, 'an address in "address=", as in "add address=192.0.2.0/24 list=blocklist"');
      return;
    }
    const line = words[word + 2];
    if (!looksLikeAddress(text, valueStart, valueEnd)) {
      if (!disabled && DNS_NAME.test(text.slice(valueStart, valueEnd))) {
        const message = `RouterOS resolves "${excerpt(text, valueStart, valueEnd)}" as a DNS name and keeps its addresses in the list as dynamic entries; the product does not resolve names, so they are not counted.`;
        this.sink.problem({ code: 'unresolved-name', start: valueStart, end: valueEnd, message }, line);
      }
      return;
    }
    const problems: Problem[] = [];
    const ok = parseEntry(text, valueStart, valueEnd, problems, scratch);
    for (const problem of problems) this.sink.problem(problem, line);
    if (!ok) return;
    const addresses = addressesKey(scratch);
    // RouterOS refuses an address its list holds, surely or perhaps (a command before may have taken it away); a :do block catches the failure.
    if (!disabled && !this.stopped && !this.blocks.includes('do')) {
      const surely = settled(this.byAddresses.get(addresses) ?? []).find((entry) => entry.list === list && entry.blocked);
      if (surely !== undefined) {
        this.stopped = true;
        const message = `${REFUSED} ("failure: already have such entry": line ${surely.line + 1} adds ${excerpt(text, valueStart, valueEnd)} to ${list ?? 'the list'} already), and /import stops here: no command after it runs. Remove one of the two lines, and the commands after this one load; or write each add as ":do { add … } on-error={}".`;
        this.sink.problem({ code: 'invalid-entry', start: words[k], end: words[words.length - 2], message }, words[k + 2]);
        return;
      }
      if (this.unsure.has(`${list} ${addresses}`)) this.mayHaveStopped = true;
    }
    const entry: Added = {
      list,
      address: text.slice(valueStart, valueEnd),
      parsed: Object.assign(new ParsedEntry(), scratch),
      comment,
      dynamic: temporary,
      disabled,
      start: valueStart,
      end: valueEnd,
      line,
      menu,
      // An add in a block that may not run (`:if … do={ … }`, `:foreach`) may not happen.
      conditional: temporary || this.stopped || this.mayHaveStopped || this.blocks.includes('may-not-run'),
      blocked: !disabled,
      removed: false,
      unsure: false,
    };
    this.entries.push(entry);
    this.settled.push(entry);
    push(this.byList, list, entry);
    push(this.byAddresses, addresses, entry);
  }

  /**
   * The entries, once the whole script is read: what a later command takes
   * away or disables, or may change, decides nothing (conditional); what
   * never blocked is not read.
   */
  finish(): void {
    for (const entry of this.entries) {
      const gone = entry.removed || entry.disabled;
      if (gone && !entry.unsure && !entry.blocked) continue;
      const conditional = entry.conditional || entry.unsure || gone;
      this.sink.entry(entry.start, entry.end, entry.line, entry.parsed, { scope: entry.list, ...(conditional ? { conditional: true } : {}) });
    }
  }
}

/** What a `set` changes: `disabled=`, `comment=`, `timeout=`; `address=` and `list=` move the entry away from what the file says; anything else is unsure. */
function settings(properties: readonly string[]): { disabled?: boolean; comment?: string; timeout?: boolean; moves?: boolean; unsure?: boolean } {
  const change: ReturnType<typeof settings> = {};
  for (const word of properties) {
    const equals = word.indexOf('=');
    if (equals < 0) continue; // the numbers of `set 0 …`
    const [key, value] = [word.slice(0, equals), unquoted(word.slice(equals + 1))];
    if (key === 'address' || key === 'list') change.moves = true;
    else if (key === 'timeout') change.timeout = true;
    else if (key === 'disabled' && value !== undefined && YES_NO.has(value)) change.disabled = YES_NO.get(value);
    else if (key === 'comment' && value !== undefined) change.comment = value;
    else if (key !== 'numbers') change.unsure = true;
  }
  return change;
}

/** `entries` less those removed or unsure, kept so in place: each is dropped once, and no later command walks it again. */
function settled(entries: Added[]): Added[] {
  let kept = 0;
  for (const entry of entries) if (!entry.removed && !entry.unsure) entries[kept++] = entry;
  entries.length = kept;
  return entries;
}

function push<K>(map: Map<K, Added[]>, key: K, entry: Added): void {
  const same = map.get(key);
  if (same === undefined) map.set(key, [entry]);
  else same.push(entry);
}

/** The addresses of an entry, as a key: `version lo-hi`. */
function addressesKey(entry: ParsedEntry): string {
  return `${entry.version} ${entry.version === 4 ? `${entry.lo4}-${entry.hi4}` : `${entry.lo6}-${entry.hi6}`}`;
}

/** `/ip firewall address-list` and `/ipv6 firewall address-list`. */
function isAddressList(path: readonly string[]): boolean {
  return path.length === 3 && (path[0] === 'ip' || path[0] === 'ipv6') && path[1] === 'firewall' && path[2] === 'address-list';
}
