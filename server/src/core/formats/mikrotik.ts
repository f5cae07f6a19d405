/**
 * MikroTik RouterOS scripts and exports: `add address=1.2.3.0/24 list=x` under
 * `/ip firewall address-list` (or `/ipv6 firewall address-list`, or
 * `/ip/firewall/address-list` in RouterOS 7), or on one line as
 * `/ip firewall address-list add address=… list=x comment="…"`. The address
 * may be a range `a-b`; a DNS name holds no address. Lines are continued with
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
 * inside a `:do { … }` block is taken as caught by its `on-error`. Each
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
      reader.command(words);
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
  reader.command(words);
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

/** How the error on a repeated add begins. */
const REFUSED = 'RouterOS refuses this add';

const scratch = new ParsedEntry();

class CommandReader {
  /** The current menu, as path parts (`ip`, `firewall`, `address-list`); undefined before any menu line. */
  private menu: string[] | undefined;
  /** Each list's addresses added so far (`list version lo-hi`), with the line of the add. */
  private readonly added = new Map<string, number>();
  /** Whether `/import` stopped at an add before. */
  private stopped = false;
  /** Whether the command just read is `:do`, whose block's failures its `on-error` catches; then, for each open block, whether it is one. */
  private doCommand = false;
  private readonly blocks: boolean[] = [];

  constructor(
    private readonly text: string,
    private readonly sink: TokenSink,
  ) {}

  /** A `{` after the command just read. */
  open(): void {
    this.blocks.push(this.doCommand);
  }

  close(): void {
    this.blocks.pop();
  }

  /** One command: `[/path …] [relative path …] COMMAND key=value …`. */
  command(words: readonly number[]): void {
    this.doCommand = words.length > 0 && wordIs(this.text, words[0], words[1], ':do');
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
    if ((command ?? text.slice(words[k], words[k + 1])) !== 'add') return;
    if (path !== undefined && !isAddressList(path)) return;
    this.add(words, k, path !== undefined);
  }

  /** `add key=value …` from the word `add` at k. */
  private add(words: readonly number[], k: number, menuKnown: boolean): void {
    const text = this.text;
    // The `address=…` word, and its value without quotes.
    let word = -1;
    let [valueStart, valueEnd] = [0, 0];
    let list: string | undefined;
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
      else if (wordIs(text, start, equals, 'disabled') && (wordIs(text, from, to, 'yes') || wordIs(text, from, to, 'true'))) return;
      // An entry with a timeout is dynamic: RouterOS removes it when the time runs out, and on a reboot.
      else if (wordIs(text, start, equals, 'timeout') || (wordIs(text, start, equals, 'dynamic') && (wordIs(text, from, to, 'yes') || wordIs(text, from, to, 'true'))))
        temporary = true;
    }
    if (!menuKnown && list === undefined) return;
    if (word < 0 || valueStart === valueEnd) {
      const [start, end, line] = word < 0 ? [words[k], words[words.length - 2], words[k + 2]] : [words[word], words[word + 1], words[word + 2]];
      expected(this.sink, start, end, line, 'an address in "address=", as in "add address=192.0.2.0/24 list=blocklist"');
      return;
    }
    if (!looksLikeAddress(text, valueStart, valueEnd)) return;
    const line = words[word + 2];
    const problems: Problem[] = [];
    const ok = parseEntry(text, valueStart, valueEnd, problems, scratch);
    for (const problem of problems) this.sink.problem(problem, line);
    if (!ok) return;
    const key = `${list ?? ''} ${scratch.version} ${scratch.version === 4 ? `${scratch.lo4}-${scratch.hi4}` : `${scratch.lo6}-${scratch.hi6}`}`;
    const first = this.added.get(key);
    if (first === undefined) this.added.set(key, line);
    else if (!this.stopped && !this.blocks.includes(true)) {
      this.stopped = true;
      const message = `${REFUSED} ("failure: already have such entry": line ${first + 1} adds ${excerpt(text, valueStart, valueEnd)} to ${list ?? 'the list'} already), and /import stops here: no command after it runs. Remove one of the two lines, and the commands after this one load; or write each add as ":do { add … } on-error={}".`;
      this.sink.problem({ code: 'invalid-entry', start: words[k], end: words[words.length - 2], message }, words[k + 2]);
      return;
    }
    this.sink.entry(valueStart, valueEnd, line, scratch, { scope: list, ...(temporary || this.stopped ? { conditional: true } : {}) });
  }
}

/** `/ip firewall address-list` and `/ipv6 firewall address-list`. */
function isAddressList(path: readonly string[]): boolean {
  return path.length === 3 && (path[0] === 'ip' || path[0] === 'ipv6') && path[1] === 'firewall' && path[2] === 'address-list';
}
