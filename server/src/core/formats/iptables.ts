/**
 * iptables-save (and ip6tables-save) output, or `iptables -A …` lines of a
 * script: the addresses of `-s`/`--source`/`--src` and `-d`/`--destination`/
 * `--dst` (comma lists), and of `-m iprange --src-range a-b`/`--dst-range`,
 * in appended or inserted rules. Each chain of each table is a scope where
 * the first rule that matches decides: DROP, REJECT, TARPIT and jumps to
 * user chains block; ACCEPT and RETURN are exceptions; LOG, MARK and the
 * other targets that decide nothing, and rules without a target, yield
 * nothing. A rule that matches on anything else too — a protocol, a port,
 * an interface, a negation, or both a source and a destination — decides
 * only for that traffic: its entries are conditional. Rules on destinations
 * only (`-d`) make a scope of their own beside the chain's sources. Table
 * headers (`*filter`), chain policies (`:INPUT ACCEPT [0:0]`) and `COMMIT`
 * hold no entry.
 */
import { DASH } from '../primitives/charCodes';
import type { EntryRole, Format, TokenSink } from './format';
import { COMMA, expected, indexIn, isDigit, lineReader, skipBlanks, wordEnd, wordIs } from './lines';

export const iptables: Format = {
  id: 'iptables',
  label: 'iptables-save',
  // A rule's table is the `*table` line above it.
  read: (text, sink) => {
    const rule: Rule = { table: 'filter' };
    lineReader((text, start, end, line, sink) => readLine(text, start, end, line, sink, rule), 'line')(text, sink);
  },
  evaluation: 'first-match',
  scopeKind: 'chain',
};

/** What the lines read so far say about the next rule: the table of the last `*table` line. */
interface Rule {
  table: string;
}

const PROGRAMS = ['iptables', 'ip6tables', 'iptables-legacy', 'ip6tables-legacy', 'iptables-nft', 'ip6tables-nft'];
const APPEND = ['-A', '--append', '-I', '--insert'];
const SOURCE_OPTIONS = ['-s', '--source', '--src'];
const DESTINATION_OPTIONS = ['-d', '--destination', '--dst'];
const STAR = 0x2a;
const JUMP = ['-j', '--jump', '-g', '--goto'];
const EXCEPTING = new Set(['ACCEPT', 'RETURN']);
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

/** The address spans of the rule being read, reused between lines: start, end, start, end… */
const sources: number[] = [];
const destinations: number[] = [];

function readLine(text: string, start: number, end: number, line: number, sink: TokenSink, rule: Rule): void {
  if (text.charCodeAt(start) === STAR) {
    rule.table = text.slice(start + 1, wordEnd(text, start + 1, end));
    return;
  }
  sources.length = 0;
  destinations.length = 0;
  let table = rule.table;
  let chain = '';
  let conditional = false;
  let target = '';
  for (let i = start, w = wordEnd(text, i, end); i < end; i = skipBlanks(text, w, end), w = wordEnd(text, i, end)) {
    if (wordIs(text, i, w, '!')) {
      conditional = true; // everything but an address, a protocol, an interface…
      continue;
    }
    if (chain === '') {
      if (isOneOf(text, i, w, APPEND)) {
        const chainStart = skipBlanks(text, w, end);
        w = wordEnd(text, chainStart, end);
        chain = text.slice(chainStart, w);
        // `-I CHAIN 3`: the rule's position, not a match.
        const positionStart = skipBlanks(text, w, end);
        const positionEnd = wordEnd(text, positionStart, end);
        if (positionEnd > positionStart && isNumber(text, positionStart, positionEnd)) w = positionEnd;
      } else if (wordIs(text, i, w, '-t') || wordIs(text, i, w, '--table')) {
        const tableStart = skipBlanks(text, w, end);
        w = wordEnd(text, tableStart, end);
        table = text.slice(tableStart, w);
      } else if (i !== start || !isOneOf(text, i, w, PROGRAMS)) {
        return; // not a rule that adds: *filter, :CHAIN, COMMIT, -N, -P, -D…
      }
      continue;
    }
    if (target !== '') continue; // the target's own options: --reject-with, --log-prefix…
    const source = isOneOf(text, i, w, SOURCE_OPTIONS) || wordIs(text, i, w, '--src-range');
    const destination = isOneOf(text, i, w, DESTINATION_OPTIONS) || wordIs(text, i, w, '--dst-range');
    if (source || destination) {
      const option = text.slice(i, w);
      let valueStart = skipBlanks(text, w, end);
      w = wordEnd(text, valueStart, end);
      if (wordIs(text, valueStart, w, '!')) {
        // The old `-s ! ADDRESS` spelling of a negation.
        conditional = true;
        valueStart = skipBlanks(text, w, end);
        w = wordEnd(text, valueStart, end);
      }
      if (valueStart === w || text.charCodeAt(valueStart) === DASH) {
        // `-s -j DROP`: the next option, not an address.
        expected(sink, i, i + option.length, line, `an address after "${option}"`);
        w = i + option.length;
      } else {
        addSpans(source ? sources : destinations, text, valueStart, w, !option.endsWith('-range'));
      }
    } else if (isOneOf(text, i, w, JUMP)) {
      const targetStart = skipBlanks(text, w, end);
      w = wordEnd(text, targetStart, end);
      target = text.slice(targetStart, w);
    } else if (wordIs(text, i, w, '-m') || wordIs(text, i, w, '--match')) {
      const moduleStart = skipBlanks(text, w, end);
      w = wordEnd(text, moduleStart, end);
      // Modules that only name or comment the rule, or give the address itself, add no condition.
      if (!wordIs(text, moduleStart, w, 'comment') && !wordIs(text, moduleStart, w, 'iprange')) conditional = true;
    } else if (wordIs(text, i, w, '--comment')) {
      w = wordEnd(text, skipBlanks(text, w, end), end);
    } else {
      conditional = true; // -p, --dport, -i, -o, -f, --state…: only some traffic
    }
  }
  const role = roleOf(target);
  if (role === undefined) return;
  // A rule on a source and a destination at once decides only for the pairs.
  const both = sources.length > 0 && destinations.length > 0;
  const emit = (spans: number[], scope: string) => {
    for (let k = 0; k < spans.length; k += 2) sink.entry(spans[k], spans[k + 1], line, undefined, { role, scope, conditional: conditional || both });
  };
  emit(sources, `${table}/${chain}`);
  emit(destinations, `${table}/${chain} -d`);
}

/** `a,b,c` after -s or -d; one range after --src-range. Empty parts are skipped. */
function addSpans(spans: number[], text: string, start: number, end: number, commaList: boolean): void {
  let partStart = start;
  while (partStart <= end) {
    const comma = commaList ? indexIn(text, COMMA, partStart, end) : -1;
    const partEnd = comma < 0 ? end : comma;
    if (partEnd > partStart) spans.push(partStart, partEnd);
    partStart = partEnd + 1;
  }
}

function roleOf(target: string): EntryRole | undefined {
  if (target === '' || NEUTRAL.has(target)) return undefined;
  // DROP, REJECT, TARPIT, and user chains: a rule that sends an address to a chain of its own is most often a blocklist's.
  return EXCEPTING.has(target) ? 'allow' : 'block';
}

function isOneOf(text: string, start: number, end: number, words: readonly string[]): boolean {
  for (const word of words) if (wordIs(text, start, end, word)) return true;
  return false;
}

function isNumber(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}
