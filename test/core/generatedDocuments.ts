/**
 * Documents of every format, of any number of lines, built from a fixed
 * seed: the shapes a real list takes and the ones that used to stall the
 * core (huge entries, everything repeated, one scope per line, broken
 * lines, deep nesting, thousands of target ASNs). The linearity test reads
 * them at N and 4N lines; `npm run bench` at 1 MB.
 */
import type { FormatId } from '../../server/src/core/formats/format';

/** An IPv4 block or range, for the entry writers. */
interface Block {
  readonly first: number;
  readonly last: number;
  /** The prefix length when it is one CIDR block. */
  readonly prefix?: number;
}

/** How a format writes one entry and what it needs around its entries. */
interface FormatWriter {
  /** Lines before the entries. */
  readonly head?: string;
  /** Lines after them. */
  readonly tail?: string;
  /** The line of entry `i`. */
  readonly line: (entry: string, i: number) => string;
  /** Whether the format has `first-last` ranges (else a range is written as the largest CIDR block it starts with). */
  readonly ranges: boolean;
  /** A line holding entry `i` in a scope of its own (a set, a table, a block, a daemon), where the format has scopes. */
  readonly scoped?: (entry: string, i: number) => string;
  /** The format's way of writing every address, where it is not 0.0.0.0/0. */
  readonly everything?: string;
  /** Opening and closing of one nesting level, where the format nests. */
  readonly nest?: (entry: string, depth: number) => [string, string];
}

const ipv4 = (x: number) => `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;

// oxfmt-ignore
const WRITERS: Readonly<Record<FormatId, FormatWriter>> = {
  plain: { line: (e) => e, ranges: true },
  firehol: { head: '#\n# generated\n#\n# Entries         : 1 subnets, 1 unique IPs\n#', line: (e) => e, ranges: false },
  'spamhaus-drop': { head: '; Spamhaus DROP List', line: (e, i) => `${e} ; SBL${i}`, ranges: false },
  'spamhaus-json': { line: (e, i) => `{"cidr":"${e}","sblid":"SBL${i}","rir":"ripencc"}`, ranges: false },
  ipset: { head: 'create bad hash:net family inet hashsize 1024 maxelem 1000000', line: (e) => `add bad ${e}`, ranges: true,
    scoped: (e, i) => `create s${i} hash:net family inet\nadd s${i} ${e}` },
  nginx: { head: 'location / {', tail: '}', line: (e) => `    deny ${e};`, ranges: false, everything: 'all',
    scoped: (e, i) => `location /p${i} { deny ${e}; }`, nest: (e, d) => [`location /n${d} { deny ${e};`, '}'] },
  apache: { head: '<RequireAll>\n    Require all granted', tail: '</RequireAll>', line: (e) => `    Require not ip ${e}`, ranges: false,
    scoped: (e, i) => `<Directory "/d${i}">\n<RequireAll>\nRequire all granted\nRequire not ip ${e}\n</RequireAll>\n</Directory>`,
    nest: (e) => [`<RequireAll>\nRequire not ip ${e}`, '</RequireAll>'] },
  iptables: { head: '*filter\n:INPUT ACCEPT [0:0]', tail: 'COMMIT', ranges: true,
    line: (e) => (e.includes('-') ? `-A INPUT -m iprange --src-range ${e} -j DROP` : `-A INPUT -s ${e} -j DROP`),
    scoped: (e, i) => `-A C${i} ${e.includes('-') ? `-m iprange --src-range ${e}` : `-s ${e}`} -j DROP` },
  nftables: { head: 'table inet filter {\n  set bad {\n    type ipv4_addr\n    flags interval\n    elements = {', tail: '    }\n  }\n}',
    line: (e) => `      ${e},`, ranges: true,
    scoped: (e, i) => `table ip t${i} { set s { type ipv4_addr; flags interval; elements = { ${e} } } }`,
    nest: (e, d) => [`table ip n${d} { set s { type ipv4_addr; flags interval; elements = { ${e} } }`, '}'] },
  pf: { head: 'table <bad> persist {', tail: '}\nblock from <bad>', line: (e) => `  ${e}`, ranges: false,
    scoped: (e, i) => `table <t${i}> { ${e} }` },
  'hosts-deny': { line: (e) => `sshd: ${e}`, ranges: false, everything: 'ALL', scoped: (e, i) => `daemon${i}: ${e}` },
  mikrotik: { head: '/ip firewall address-list', line: (e) => `add address=${e} list=bad`, ranges: true,
    scoped: (e, i) => `add address=${e} list=l${i}` },
  p2p: { line: (e, i) => `Organisation ${i}:${e}`, ranges: true },
  'ipfilter-dat': { line: (e, i) => `${e.replace('-', ' - ')} , 000 , Organisation ${i}`, ranges: true },
  'ipcat-csv': { line: (e, i) => `${e.replace('-', ',')},Organisation ${i},https://example.com/`, ranges: true },
  geofeed: { line: (e) => `${e},US,US-CA,San Jose,`, ranges: false },
  'ip-count': { line: (e, i) => `${e}\t${1 + (i % 9)}`, ranges: false },
  'registry-csv': { head: 'Updated: 2014-04-22 10:00:00 +0000', line: (e, i) => `${e};d${i}.example;http://d${i}.example/;Org;${i};2014-03-01`, ranges: false },
};

/** The formats that write every entry as a `first-last` range. */
const RANGE_ONLY: ReadonlySet<FormatId> = new Set(['p2p', 'ipfilter-dat', 'ipcat-csv']);

export const FORMAT_IDS = Object.keys(WRITERS) as FormatId[];

/** A deterministic stream of 32-bit numbers. */
function numbers(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
}

/** Entry i of a real-looking list: mostly single addresses, some /24s and short ranges, a /16 now and then. */
function typicalBlock(random: () => number, i: number): Block {
  const address = 0x01000000 + (random() % 0xde000000);
  if (i % 97 === 0) return cidr(address, 16);
  if (i % 7 === 0) return cidr(address, 24);
  if (i % 11 === 0) return { first: address, last: address + (random() % 200) };
  return { first: address, last: address, prefix: 32 };
}

/** A block spanning much of the ASN index: a range from 0.0.0.0–7.255.255.255 to 224.0.0.0–239.255.255.255 where the format has ranges, else a CIDR of /1 to /8. */
function broadBlock(random: () => number, ranges: boolean): Block {
  return ranges ? { first: random() % 0x08000000, last: 0xe0000000 + (random() % 0x10000000) } : cidr(random(), 1 + (random() % 8));
}

function cidr(address: number, prefix: number): Block {
  const first = address - (address % 2 ** (32 - prefix));
  return { first, last: first + 2 ** (32 - prefix) - 1, prefix };
}

/** The block as the format writes it. */
function entryText(format: FormatId, block: Block): string {
  const writer = WRITERS[format];
  if (block.prefix === undefined && !writer.ranges) {
    // The largest CIDR block starting at `first` inside the range.
    let prefix = 32;
    while (prefix > 0 && block.first % 2 ** (33 - prefix) === 0 && block.first + 2 ** (33 - prefix) - 1 <= block.last) prefix--;
    return entryText(format, cidr(block.first, prefix));
  }
  if (RANGE_ONLY.has(format) || block.prefix === undefined) return `${ipv4(block.first)}-${ipv4(block.last)}`;
  return block.prefix === 32 ? ipv4(block.first) : `${ipv4(block.first)}/${block.prefix}`;
}

function document(format: FormatId, body: string[]): string {
  const writer = WRITERS[format];
  return [writer.head, ...body, writer.tail].filter((part) => part !== undefined).join('\n') + '\n';
}

export interface Shape {
  /** What the document holds, for test names and the bench table. */
  readonly name: string;
  /** The formats it applies to. */
  readonly formats: readonly FormatId[];
  /** A document of the format with about `count` entries (lines, or nesting levels). */
  readonly text: (format: FormatId, count: number) => string;
}

/** A document of `count` lines, line i holding the block `block` gives from a stream of numbers seeded with `seed`. */
function entryPerLine(format: FormatId, count: number, seed: number, block: (random: () => number, i: number) => Block): string {
  const random = numbers(seed);
  return document(
    format,
    Array.from({ length: count }, (_, i) => WRITERS[format].line(entryText(format, block(random, i)), i)),
  );
}

/** Every format with scopes of its own, and those that nest. */
const SCOPED = FORMAT_IDS.filter((id) => WRITERS[id].scoped);
const NESTING = FORMAT_IDS.filter((id) => WRITERS[id].nest);

export const SHAPES: readonly Shape[] = [
  {
    name: 'a real-looking list',
    formats: FORMAT_IDS,
    text: (format, count) => entryPerLine(format, count, 7, typicalBlock),
  },
  {
    name: 'a broad entry per line, each spanning most of the ASN index',
    formats: FORMAT_IDS,
    text: (format, count) => entryPerLine(format, count, 11, (random) => broadBlock(random, WRITERS[format].ranges)),
  },
  {
    name: 'a broad entry per line, each starting somewhere else',
    formats: FORMAT_IDS,
    text: (format, count) => entryPerLine(format, count, 31, (random) => cidr(random(), 4 + (random() % 8))),
  },
  {
    name: 'every address, on every line',
    formats: FORMAT_IDS,
    text: (format, count) => {
      const everything = WRITERS[format].everything ?? entryText(format, cidr(0, 0));
      return document(
        format,
        Array.from({ length: count }, (_, i) => WRITERS[format].line(everything, i)),
      );
    },
  },
  {
    name: 'a scope per entry',
    formats: SCOPED,
    text: (format, count) => {
      const random = numbers(13);
      return Array.from({ length: count }, (_, i) => WRITERS[format].scoped!(entryText(format, typicalBlock(random, i)), i)).join('\n') + '\n';
    },
  },
  {
    name: 'broken lines: every prefix and suffix of real ones',
    formats: FORMAT_IDS,
    text: (format, count) => {
      const random = numbers(17);
      const pieces: string[] = [];
      for (let i = 0; pieces.length < count; i++) {
        const line = WRITERS[format].line(entryText(format, typicalBlock(random, i)), i);
        for (let cut = 1; cut < line.length && pieces.length < count; cut += 3) pieces.push(line.slice(0, cut), line.slice(cut));
      }
      return document(format, pieces.slice(0, count));
    },
  },
  {
    name: 'blocks nested one in another',
    formats: NESTING,
    text: (format, count) => {
      const random = numbers(19);
      const levels = Array.from({ length: count }, (_, depth) => WRITERS[format].nest!(entryText(format, typicalBlock(random, depth)), depth));
      return [...levels.map(([open]) => open), ...levels.map(([, close]) => close).reverse()].join('\n') + '\n';
    },
  },
  {
    name: 'one line holding every entry',
    formats: FORMAT_IDS,
    text: (format, count) => {
      const random = numbers(23);
      return document(format, [Array.from({ length: count }, (_, i) => entryText(format, typicalBlock(random, i))).join(' ')]);
    },
  },
];

/** A target directive naming `count` autonomous systems, over a real-looking list of `lines` lines. */
export function targetDocument(count: number, lines: number): string {
  const asns = Array.from({ length: count }, (_, i) => `AS${1000 + 7 * i}`).join(' ');
  const random = numbers(29);
  return `# target: ${asns}\n${Array.from({ length: lines }, (_, i) => entryText('plain', typicalBlock(random, i))).join('\n')}\n`;
}
