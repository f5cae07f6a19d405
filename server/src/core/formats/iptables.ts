/**
 * iptables-save (and ip6tables-save) output, or `iptables -A …` lines of a
 * script: the addresses of `-s`/`--source`/`--src` and `-d`/`--destination`/
 * `--dst` (comma lists), and of `-m iprange --src-range a-b`/`--dst-range`,
 * in appended or inserted rules. The rule's target says what they are:
 * DROP, REJECT, TARPIT and jumps to user chains block; ACCEPT and RETURN are
 * exceptions; LOG, MARK and the other targets that decide nothing, and rules
 * without a target, yield nothing. An address negated with `!` matches every
 * address but that one: it is neither a blocked address nor an exception,
 * and yields nothing. Table headers (`*filter`), chain policies
 * (`:INPUT ACCEPT [0:0]`) and `COMMIT` hold no entry.
 */
import { DASH } from '../primitives/charCodes';
import type { EntryRole, Format, TokenSink } from './format';
import { COMMA, expected, indexIn, lineReader, skipBlanks, wordEnd, wordIs } from './lines';

export const iptables: Format = {
  id: 'iptables',
  label: 'iptables-save',
  lineByLine: true,
  read: lineReader(readLine, 'line'),
};

const PROGRAMS = ['iptables', 'ip6tables', 'iptables-legacy', 'ip6tables-legacy', 'iptables-nft', 'ip6tables-nft'];
const APPEND = ['-A', '--append', '-I', '--insert'];
const ADDRESS_OPTIONS = ['-s', '--source', '--src', '-d', '--destination', '--dst'];
const RANGE_OPTIONS = ['--src-range', '--dst-range'];
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
const spans: number[] = [];

function readLine(text: string, start: number, end: number, line: number, sink: TokenSink): void {
  spans.length = 0;
  let appended = false;
  let negated = false;
  let target = '';
  for (let i = start, w = wordEnd(text, i, end); i < end; i = skipBlanks(text, w, end), w = wordEnd(text, i, end)) {
    if (wordIs(text, i, w, '!')) {
      negated = true;
      continue;
    }
    if (!appended) {
      if (isOneOf(text, i, w, APPEND)) {
        appended = true;
        w = wordEnd(text, skipBlanks(text, w, end), end); // the chain
      } else if (wordIs(text, i, w, '-t') || wordIs(text, i, w, '--table')) {
        w = wordEnd(text, skipBlanks(text, w, end), end);
      } else if (i !== start || !isOneOf(text, i, w, PROGRAMS)) {
        return; // not a rule that adds: *filter, :CHAIN, COMMIT, -N, -P, -D…
      }
      continue;
    }
    const addresses = isOneOf(text, i, w, ADDRESS_OPTIONS);
    if (addresses || isOneOf(text, i, w, RANGE_OPTIONS)) {
      const option = text.slice(i, w);
      let valueStart = skipBlanks(text, w, end);
      w = wordEnd(text, valueStart, end);
      if (wordIs(text, valueStart, w, '!')) {
        // The old `-s ! ADDRESS` spelling of a negation.
        negated = true;
        valueStart = skipBlanks(text, w, end);
        w = wordEnd(text, valueStart, end);
      }
      if (valueStart === w || text.charCodeAt(valueStart) === DASH) {
        // `-s -j DROP`: the next option, not an address.
        expected(sink, i, i + option.length, line, `an address after "${option}"`);
        w = i + option.length;
      } else if (!negated) {
        addSpans(text, valueStart, w, addresses);
      }
    } else if (isOneOf(text, i, w, JUMP)) {
      const targetStart = skipBlanks(text, w, end);
      w = wordEnd(text, targetStart, end);
      target = text.slice(targetStart, w);
    }
    // A `!` applies to the option that follows it only.
    negated = false;
  }
  const role = roleOf(target);
  if (role === undefined) return;
  for (let k = 0; k < spans.length; k += 2) sink.entry(spans[k], spans[k + 1], line, undefined, role);
}

/** `a,b,c` after -s or -d; one range after --src-range. Empty parts are skipped. */
function addSpans(text: string, start: number, end: number, commaList: boolean): void {
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
