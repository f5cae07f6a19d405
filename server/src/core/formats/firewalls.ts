/**
 * Firewall configurations: ipset save/restore, iptables-save, nftables sets,
 * pf tables, MikroTik address lists and hosts.deny.
 */
import { ParsedEntry, parseEntry } from '../entry';
import type { Problem } from '../problem';
import type { EntryRole, Format, TokenSink } from './format';
import { emit, emitMatches, lineReader, parsePartialIPv4, trim } from './lines';

/** `add SET ADDR [timeout N] [comment "…"] [nomatch]` (or `-A SET ADDR`); `nomatch` makes an exception. */
export const ipset: Format = {
  id: 'ipset',
  label: 'ipset save/restore',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    const match = /^(?:add|-A)\s+\S+\s+(\S+)/.exec(text.slice(start, end));
    if (!match) return; // create, flush, destroy, COMMIT
    const at = start + match[0].length - match[1].length;
    const role: EntryRole = /\snomatch(\s|$)/.test(text.slice(at, end)) ? 'allow' : 'block';
    emit(sink, text, at, at + match[1].length, line, role);
  }),
};

/**
 * iptables-save: addresses of `-s`/`--source`, `-d`/`--destination` (comma
 * lists) and `--src-range`/`--dst-range` in `-A` rules. DROP and REJECT
 * rules block; ACCEPT and RETURN rules are exceptions; rules negated with
 * `!` match everything but the address and are skipped.
 */
export const iptables: Format = {
  id: 'iptables',
  label: 'iptables-save',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    const rule = text.slice(start, end);
    if (!/^-A\s/.test(rule)) return;
    const target = /\s-j\s+(\S+)/.exec(rule)?.[1] ?? '';
    const role: EntryRole = /^(ACCEPT|RETURN)$/.test(target) ? 'allow' : 'block';
    for (const match of rule.matchAll(/(!\s+)?(?:-s|--source|-d|--destination|--src-range|--dst-range)\s+(\S+)/g)) {
      if (match[1]) continue;
      let at = start + match.index + match[0].length - match[2].length;
      for (const part of match[2].split(',')) {
        emit(sink, text, at, at + part.length, line, role);
        at += part.length + 1;
      }
    }
  }),
};

/** An element list of nftables: `elements = { a, b-c, d/24 }`, possibly over many lines. */
export const nftables: Format = {
  id: 'nftables',
  label: 'nftables set',
  read: bracedLists(/(?:elements\s*=\s*|add\s+element\s+[^{]*)\{/g),
};

/** pf: `table <bad> persist { 1.2.3.4, !5.6.7.8 }` (`!` is an exception), possibly over lines joined by `\`. */
export const pf: Format = {
  id: 'pf',
  label: 'pf tables',
  read: bracedLists(/table\s+<[^>]*>[^{\n]*\{/g),
};

/**
 * The entries inside `{ … }` after each match of `opening`: separated by
 * commas or blanks, a leading `!` making an exception, `#` comments to the
 * end of the line.
 */
function bracedLists(opening: RegExp): (text: string, sink: TokenSink) => void {
  return (text, sink) => {
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const lineOf = (offset: number) => {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (lineStarts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    for (const match of text.matchAll(opening)) {
      let i = match.index + match[0].length;
      while (i < text.length && text[i] !== '}') {
        const c = text[i];
        if (c === '#') {
          const newline = text.indexOf('\n', i);
          i = newline < 0 ? text.length : newline;
        } else if (c === ',' || c === '\\' || /\s/.test(c)) {
          i++;
        } else {
          let end = i;
          while (end < text.length && !/[\s,}#]/.test(text[end])) end++;
          const negated = text[i] === '!';
          emit(sink, text, negated ? i + 1 : i, end, lineOf(i), negated ? 'allow' : 'block');
          i = end;
        }
      }
    }
  };
}

/** MikroTik RouterOS: `add address=1.2.3.0/24 list=blocklist` under `/ip firewall address-list` (or on one line). */
export const mikrotik: Format = {
  id: 'mikrotik',
  label: 'MikroTik address list',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    if (!/(^|\s)add\s/.test(text.slice(start, end))) return;
    emitMatches(sink, text, start, end, line, /(?:^|\s)address="?([^\s"]+)/g);
  }),
};

/**
 * hosts.deny: `daemons : clients [EXCEPT clients]`. Clients are addresses,
 * `net/mask`, `[ipv6]/len`, or prefixes ending in a dot (`192.168.`);
 * names and wildcards such as ALL or LOCAL hold no address and are skipped.
 */
export const hostsDeny: Format = {
  id: 'hosts-deny',
  label: 'hosts.deny',
  lineByLine: true,
  read: lineReader((text, start, end, line, sink) => {
    const colon = text.indexOf(':', start);
    if (colon < 0 || colon >= end) return;
    // Options follow a second colon set apart by a blank; the colons of IPv6 addresses are not.
    const options = /\s:|:\s/.exec(text.slice(colon + 1, end));
    const clientsEnd = options ? colon + 1 + options.index : end;
    let role: EntryRole = 'block';
    for (const match of text.slice(colon + 1, clientsEnd).matchAll(/[^\s,]+/g)) {
      const token = match[0];
      if (token.toUpperCase() === 'EXCEPT') {
        role = 'allow';
        continue;
      }
      const at = colon + 1 + match.index;
      readHostsToken(text, at, at + token.length, line, sink, role);
    }
  }),
};

const scratch = new ParsedEntry();

function readHostsToken(text: string, start: number, end: number, line: number, sink: TokenSink, role: EntryRole): void {
  const token = text.slice(start, end);
  if (/^\d+(\.\d+){0,2}\.$/.test(token)) {
    const problems: Problem[] = [];
    const parsed = parsePartialIPv4(text, start, end, problems);
    if (parsed) sink.entry(start, end, line, parsed, role);
    else for (const problem of problems) sink.problem(problem, line);
    return;
  }
  const bracketed = /^\[([0-9a-fA-F:.]+)\](\/\d+)?$/.exec(token);
  if (bracketed) {
    // `[2001:db8::]/32`: the brackets are the file's syntax; read the address and prefix without them.
    const unbracketed = bracketed[1] + (bracketed[2] ?? '');
    const problems: Problem[] = [];
    if (parseEntry(unbracketed, 0, unbracketed.length, problems, scratch)) sink.entry(start, end, line, scratch, role);
    for (const problem of problems) sink.problem({ ...problem, start, end }, line);
    return;
  }
  if (/^[\d.]+(\/[\d.]+)?$/.test(token) || /^[0-9a-fA-F]*:[0-9a-fA-F:.]*(\/\d+)?$/.test(token)) {
    const [s, e] = trim(text, start, end);
    sink.entry(s, e, line, undefined, role);
  }
}
