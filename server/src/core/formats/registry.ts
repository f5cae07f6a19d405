/**
 * The formats, and how a document's format is chosen: a directive comment in
 * the file, then the user's setting, then the file name, then the content.
 */
import { apache } from './apache';
import { firehol } from './firehol';
import { contentStart } from '../document/encoding';
import { lineContentEnd, nextLineStart, type Format, type FormatId } from './format';
import { geofeed } from './geofeed';
import { hostsAllow, hostsDeny } from './hostsDeny';
import { ipcatCsv } from './ipcatCsv';
import { ipCount } from './ipCount';
import { ipfilterDat } from './ipfilterDat';
import { ipset } from './ipset';
import { iptables } from './iptables';
import { mikrotik } from './mikrotik';
import { nftables } from './nftables';
import { nginx } from './nginx';
import { p2p } from './p2p';
import { pf } from './pf';
import { readPlainList } from './plain';
import { registryCsv } from './registryCsv';
import { spamhausDrop, spamhausJson } from './spamhaus';

const plain: Format = { id: 'plain', label: 'Plain list', read: readPlainList, lineByLine: true };

export const FORMATS: readonly Format[] = [
  plain,
  firehol,
  spamhausDrop,
  spamhausJson,
  ipset,
  nginx,
  apache,
  iptables,
  nftables,
  pf,
  hostsDeny,
  mikrotik,
  p2p,
  ipfilterDat,
  ipcatCsv,
  geofeed,
  ipCount,
  registryCsv,
];

export function formatById(id: string): Format | undefined {
  return FORMATS.find((format) => format.id === id);
}

/** Where a directive's format name stands: zero-based line, and offsets of the name in the text. */
interface DirectivePosition {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/** `# blocklist-format: nginx`: a known format. */
export interface KnownDirective extends DirectivePosition {
  readonly id: FormatId;
  readonly format: Format;
  readonly unknown?: undefined;
}

/** `# blocklist-format: ngnix`: a name no format has (possibly empty), for a warning. */
export interface UnknownDirective extends DirectivePosition {
  readonly unknown: string;
  /** The same as `unknown`; kept while callers still read `id` and `format` of either kind. */
  readonly id: string;
  readonly format: undefined;
}

export type FormatDirective = KnownDirective | UnknownDirective;

/** `# blocklist-format: ID`, also after `;` or `//`; the name is matched without regard to case. */
const DIRECTIVE = /^[ \t]*(?:#|;|\/\/)[ \t]*blocklist-format[ \t]*:[ \t]*([\w.-]*)/i;
const DIRECTIVE_LINES = 20;

/** The format directive in the first 20 lines, known or not. */
export function parseFormatDirective(text: string): FormatDirective | undefined {
  let offset = contentStart(text);
  for (let line = 0; line < DIRECTIVE_LINES && offset < text.length; line++) {
    const next = nextLineStart(text, offset);
    const match = DIRECTIVE.exec(text.slice(offset, lineContentEnd(text, offset, next)));
    if (match) {
      const name = match[1];
      const start = offset + match[0].length - name.length;
      const position = { line, start, end: start + name.length };
      const format = formatById(name.toLowerCase());
      return format ? { id: format.id, format, ...position } : { unknown: name, id: name, format: undefined, ...position };
    }
    offset = next;
  }
  return undefined;
}

/**
 * The format of a document: its directive, else `override` (the user's
 * setting), else what its file name (a path or a URI will do) and then its
 * content say, else plain.
 */
export function detectFormat(fileName: string, text: string, override?: FormatId): Format {
  const directed = parseFormatDirective(text);
  if (directed?.format) return directed.format;
  const overridden = override === undefined ? undefined : formatById(override);
  if (overridden) return overridden;
  const head = text.slice(contentStart(text), HEAD_CHARACTERS);
  return byFileName(baseName(fileName).toLowerCase(), head) ?? byContent(head) ?? plain;
}

/** Detection reads no further than this into a document. */
const HEAD_CHARACTERS = 64 * 1024;
/** Content signatures are looked for in this many lines that are not blank or comments. */
const SAMPLE_LINES = 200;

function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}

/** ipset save files: `create SET hash:net …` and `add SET ADDR`, or the short `-A SET ADDR`. */
const IPSET_CREATE = /^(?:ipset\s+)?(?:create|-N)\s+\S+\s+(?:hash|bitmap|list):/m;
const IPSET_ADD = /^(?:ipset\s+)?(?:add|-A)\s+(?:-exist\s+)?\S+\s+[0-9a-fA-F]*[.:][0-9a-fA-F.:/-]*(?:[\s,]|$)/m;
/** nginx `deny ADDRESS;` or `allow ADDRESS;` lines. */
const NGINX_ACCESS = /^\s*(?:deny|allow)\s+(?:[0-9a-fA-F.:/]+|all)\s*;/m;

function byFileName(name: string, head: string): Format | undefined {
  if (name.endsWith('.netset') || name.endsWith('.ipset')) {
    // `ipset save > bad.ipset` is common too: FireHOL's .ipset lists hold no ipset commands.
    return IPSET_CREATE.test(head) || IPSET_ADD.test(head) ? ipset : firehol;
  }
  if (name.endsWith('ipfilter.dat')) return ipfilterDat;
  if (name.endsWith('.p2p')) return p2p;
  if (name.endsWith('.htaccess')) return apache;
  if (name === 'hosts.deny') return hostsDeny;
  if (name === 'hosts.allow') return hostsAllow;
  if (name.endsWith('.rsc')) return mikrotik;
  if (name.endsWith('.nft')) return nftables;
  if (name === 'pf.conf' || name.endsWith('.pf')) return pf;
  if (name === 'rules.v4' || name === 'rules.v6' || name === 'iptables.rules' || name === 'ip6tables.rules') return iptables;
  if (name.includes('nginx') || (name.endsWith('.conf') && NGINX_ACCESS.test(head))) return nginx;
  return undefined;
}

/** Splits lines as `forEachLine` does, for the sample the signatures are looked for in. */
const LINE_BREAK = /\r\n?|\n/;

/** FireHOL's signature lives in its comment header. */
const FIREHOL_HEADER = /^#\s*Entries\s*:.*unique IPs|^#\s*Generated by FireHOL/m;

/** The attributes that open an RIR database's address objects (RFC 2622, and RIPE's `inet6num`, `route6`). */
const RPSL_OBJECT = /^(?:inetnum|inet6num|route6?):[ \t]/m;

/** Content signatures, tried in order on the sampled lines; the first that any line bears wins. */
const BY_CONTENT: readonly [RegExp, Format][] = [
  [/^Updated:|^[0-9a-fA-F.:/]+(?: \| [0-9a-fA-F.:/]+)*;[^;\n]*;[^;\n]*;/m, registryCsv],
  [/^\s*\{.*"cidr"\s*:/m, spamhausJson],
  // `\S+\s` before the rest: `\S+.*` backtracks through every split of a long word (2.5 s on a 64 KB line).
  // A script names its program as it likes (`/sbin/iptables`, `$IPT`) and may wait for the lock (`-w`).
  [
    /^\*(?:filter|raw|mangle|nat|security)\s*$|^(?:(?:\S*\/)?ip6?tables(?:-legacy|-nft)?\s+|\$\{?\w+\}?\s+)?(?:(?:-w|--wait|-W|--wait-interval)(?:\s+\d+)?\s+)*-[AI]\s+\S+\s(?:.*\s)?(?:-[sd]|--source|--destination|--src-range|--dst-range)\s/m,
    iptables,
  ],
  [IPSET_CREATE, ipset],
  [IPSET_ADD, ipset],
  [/elements\s*=\s*\{|^\s*add\s+element\s|^\s*table\s+(?:ip|ip6|inet|arp|bridge|netdev)\s+\S+\s*\{/m, nftables],
  [/^\s*table\s+</m, pf],
  // One try per line start, and no `\S+.*`: either would cost seconds on one long line.
  [/^\/ipv?6?[\s/]+firewall[\s/]+address-list|^\s*(?::do\s*\{\s*)?add\s[^\n]*?\blist=/m, mikrotik],
  [NGINX_ACCESS, nginx],
  [/^\s*(?:Require\s+(?:not\s+)?ip|Deny\s+from|Allow\s+from)\s/im, apache],
  [/^[^#\n]*:\d{1,3}(?:\.\d{1,3}){3}\s*-\s*\d{1,3}(?:\.\d{1,3}){3}\s*$/m, p2p],
  // An RIR database dump (RPSL: `inetnum: 1.2.3.0 - 1.2.3.255`) bears hosts.deny's signature but is no list of any
  // format here: read as a plain list, every line of it is an error, where read as hosts.deny it was a silent wrong count.
  [RPSL_OBJECT, plain],
  [/^[A-Za-z][\w.@-]*(?:\s*,\s*[A-Za-z][\w.@-]*)*\s*:\s*(?:ALL\b|\[|\.|\d{1,3}\.)|^ALL\s*:/m, hostsDeny],
  [/^\s*[\d.]+\/\d+\s*;\s*SBL\d+/m, spamhausDrop],
  [/^[0-9a-fA-F.:]+\/\d+,[A-Za-z]{0,2},/m, geofeed],
  [/^\d+\.\d+\.\d+\.\d+,\d+\.\d+\.\d+\.\d+(?:,|\s*$)/m, ipcatCsv],
  [/^\s*\d{1,3}(?:\.\d{1,3}){3}\s*-\s*\d{1,3}(?:\.\d{1,3}){3}\s*,\s*\d+/m, ipfilterDat],
  [/^[0-9a-fA-F.:]+\t\d+\s*$/m, ipCount],
];

function byContent(head: string): Format | undefined {
  if (FIREHOL_HEADER.test(head)) return firehol;
  const sample: string[] = [];
  for (const line of head.split(LINE_BREAK)) {
    if (!/^\s*(?:#|;|\/\/|$)/.test(line)) sample.push(line);
    if (sample.length === SAMPLE_LINES) break;
  }
  const lines = sample.join('\n');
  return BY_CONTENT.find(([pattern]) => pattern.test(lines))?.[1];
}
