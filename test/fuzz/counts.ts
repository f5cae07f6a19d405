/**
 * Lists whose exact count is known: random address intervals written in
 * every format whose scopes block the union of their entries, in the forms
 * each takes (addresses, CIDRs, netmasks, globs, ranges), between comments,
 * blank lines and every line break. The audit must count exactly the entries
 * written and the size of their union, computed here apart with bigints;
 * plain IPv4 lists also go to FireHOL's iprange, where the repo's tests
 * already trust it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { formatIPv4 } from '../../server/src/core/addresses/ipv4';
import { formatIPv6 } from '../../server/src/core/addresses/ipv6';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import type { FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';
import { iprange } from '../oracle/oracles';
import { LINE_BREAKS } from './documents';
import { beginCase, beginStep } from './guard';

/** Addresses lo…hi of one family. */
interface Interval {
  readonly version: 4 | 6;
  readonly lo: bigint;
  readonly hi: bigint;
}

const BITS = { 4: 32, 6: 128 } as const;
/** Where intervals cluster, so that they overlap, nest and touch: 10.0.0.0/16 and 2001:db8::/112. */
const CLUSTERS = { 4: 0x0a000000n, 6: 0x20010db8n << 96n } as const;

function interval(version: 4 | 6): fc.Arbitrary<Interval> {
  const bits = BITS[version];
  const max = (1n << BigInt(bits)) - 1n;
  const address = fc.oneof(
    fc.bigInt({ min: 0n, max: 0xffffn }).map((n) => CLUSTERS[version] + n),
    fc.bigInt({ min: 0n, max }),
  );
  // Prefixes no shorter than /8 (/16 for IPv6): hosts.deny never matches a /0, and the counts must not depend on the ASN data's speed.
  const cidr = fc.tuple(address, fc.integer({ min: version === 4 ? 8 : 16, max: bits })).map(([a, prefix]) => {
    const size = 1n << BigInt(bits - prefix);
    return { version, lo: a - (a % size), hi: a - (a % size) + size - 1n };
  });
  const range = fc
    .tuple(address, fc.bigInt({ min: 0n, max: 70_000n }))
    .map(([lo, span]) => ({ version, lo, hi: lo + span > (1n << BigInt(bits)) - 1n ? (1n << BigInt(bits)) - 1n : lo + span }));
  return fc.oneof(
    { weight: 3, arbitrary: cidr },
    range,
    address.map((a) => ({ version, lo: a, hi: a })),
  );
}

/** The prefix length when the interval is one CIDR block, else undefined. */
function prefixOf({ version, lo, hi }: Interval): number | undefined {
  const size = hi - lo + 1n;
  if ((size & (size - 1n)) !== 0n || lo % size !== 0n) return undefined;
  return BITS[version] - (size.toString(2).length - 1);
}

const text = (version: 4 | 6, a: bigint) => (version === 4 ? formatIPv4(Number(a)) : formatIPv6(a));
const padded = (a: bigint) =>
  formatIPv4(Number(a))
    .split('.')
    .map((octet) => octet.padStart(3, '0'))
    .join('.');

/** The ways `iprange` also reads an interval: an address, a CIDR, a netmask, a range with or without blanks. */
function safeForms(i: Interval): string[] {
  const prefix = prefixOf(i);
  const forms = [`${text(i.version, i.lo)}-${text(i.version, i.hi)}`, `${text(i.version, i.lo)} - ${text(i.version, i.hi)}`];
  if (prefix === undefined) return forms;
  forms.push(`${text(i.version, i.lo)}/${prefix}`);
  if (prefix === BITS[i.version]) forms.push(text(i.version, i.lo));
  if (i.version === 4) forms.push(`${text(4, i.lo)}/${formatIPv4(Number(((1n << 32n) - 1n) ^ ((1n << BigInt(32 - prefix)) - 1n)))}`);
  return forms;
}

/** All the ways a plain list writes an interval: iprange's, and globs. */
function plainForms(i: Interval): string[] {
  const forms = safeForms(i);
  const prefix = prefixOf(i);
  if (i.version === 4 && (prefix === 8 || prefix === 16 || prefix === 24)) {
    forms.push(
      [
        ...text(4, i.lo)
          .split('.')
          .slice(0, prefix / 8),
        ...Array(4 - prefix / 8).fill('*'),
      ].join('.'),
    );
  }
  return forms;
}

/** RouterOS addresses: IPv4 as an address, a CIDR or a range without blanks; IPv6 as an address or a CIDR. */
function mikrotikForms(i: Interval): string[] {
  if (i.version === 4) return safeForms(i).filter((form) => !form.includes(' ') && !/\/.*\./.test(form));
  const cidr = cidrForm(i);
  return cidr === undefined ? [] : [cidr];
}

/** A CIDR or a single address, where the format takes only those; undefined when the interval is neither. */
function cidrForm(i: Interval): string | undefined {
  const prefix = prefixOf(i);
  if (prefix === undefined) return undefined;
  return prefix === BITS[i.version] ? text(i.version, i.lo) : `${text(i.version, i.lo)}/${prefix}`;
}

/** How a format writes an interval (`pick` chooses among its forms), or undefined when it cannot. */
type Writer = (i: Interval, pick: number) => string | undefined;

const cidrOnly =
  (line: (cidr: string, i: Interval) => string, families: readonly (4 | 6)[] = [4, 6]): Writer =>
  (i) => {
    const cidr = cidrForm(i);
    return cidr !== undefined && families.includes(i.version) ? line(cidr, i) : undefined;
  };
const rangeOnly =
  (line: (i: Interval) => string): Writer =>
  (i) =>
    i.version === 4 ? line(i) : undefined;

/** Comment lines each format takes. */
const HASH = ['# comment', '#'];

interface UnionFormat {
  readonly write: Writer;
  /** Lines without an entry that the format takes between entries. */
  readonly noise: readonly string[];
  /** The lines of the file given the entry lines of each family: around them, a table, a set, a section. */
  readonly frame?: (entries4: string[], entries6: string[]) => string[];
  /** The loader refuses an interval written again, and stops there (RouterOS's import): each is written once. */
  readonly once?: boolean;
}

// oxfmt-ignore
const UNION_FORMATS: Partial<Record<FormatId, UnionFormat>> = {
  plain: { write: (i, pick) => { const forms = plainForms(i); return forms[pick % forms.length] + ['', ' # c', ' ; c', ' // c', '\t'][pick % 5]; }, noise: [...HASH, ';', '// c', '', '  '] },
  firehol: { write: (i, pick) => { const forms = plainForms(i); return forms[pick % forms.length]; }, noise: HASH },
  'spamhaus-drop': { write: cidrOnly((cidr) => `${cidr} ; SBL${cidr.length}`), noise: ['; Spamhaus DROP List', ''] },
  'spamhaus-json': { write: cidrOnly((cidr) => `{"cidr":"${cidr}","sblid":"SBL1","rir":"apnic"}`), noise: ['{"type":"metadata","records":3}'] },
  geofeed: { write: cidrOnly((cidr) => `${cidr},US,US-CA,San Jose,`), noise: HASH },
  'ip-count': { write: (i, pick) => (i.lo === i.hi ? `${text(i.version, i.lo)}\t${pick % 50}` : undefined), noise: HASH },
  p2p: { write: rangeOnly((i) => `Org: ${i.lo}:${text(4, i.lo)}-${text(4, i.hi)}`), noise: HASH },
  'ipfilter-dat': { write: rangeOnly((i) => `${padded(i.lo)} - ${padded(i.hi)} , 000 , Org`), noise: [...HASH, '// c'] },
  'ipcat-csv': { write: rangeOnly((i) => `${text(4, i.lo)},${text(4, i.hi)},Org,https://example.com`), noise: HASH },
  'registry-csv': { write: cidrOnly((cidr) => `${cidr};example.com;http://example.com/;Org;1;2014-03-01`), noise: ['Updated: 2014-04-22 10:00:00 +0000', ';example.net;;Org;2;2014-03-02'] },
  mikrotik: {
    write: (i, pick) => { const forms = mikrotikForms(i); return forms.length > 0 ? `add address=${forms[pick % forms.length]} list=b` : undefined; },
    noise: HASH,
    frame: (entries4, entries6) => ['/ip firewall address-list', ...entries4, '/ipv6 firewall address-list', ...entries6],
    once: true,
  },
  ipset: {
    write: (i) => { const cidr = cidrForm(i); return cidr === undefined ? undefined : `add s${i.version} ${cidr}`; },
    noise: HASH,
    frame: (entries4, entries6) => ['create s4 hash:net family inet', 'create s6 hash:net family inet6', ...entries4, ...entries6],
  },
  nftables: {
    write: (i) => cidrForm(i) ?? `${text(i.version, i.lo)}-${text(i.version, i.hi)}`,
    noise: [],
    frame: (entries4, entries6) => ['table inet f {', ...set('s4', 'ipv4_addr', entries4), ...set('s6', 'ipv6_addr', entries6), '}'],
  },
  pf: { write: cidrOnly((cidr) => cidr), noise: [], frame: (entries4, entries6) => ['table <t> persist {', [...entries4, ...entries6].join(', \\\n'), '}', 'block in from <t>'] },
  nginx: { write: cidrOnly((cidr) => `deny ${cidr};`), noise: HASH },
  'hosts-deny': { write: cidrOnly((cidr, i) => `ALL: ${i.version === 6 ? cidr.replace(/^([^/]+)/, '[$1]') : cidr}`), noise: HASH },
  apache: { write: cidrOnly((cidr) => `Require not ip ${cidr}`), noise: HASH, frame: (entries4, entries6) => ['<RequireAll>', 'Require all granted', ...entries4, ...entries6, '</RequireAll>'] },
  iptables: { write: cidrOnly((cidr) => `-A INPUT -s ${cidr} -j DROP`, [4]), noise: HASH, frame: (entries4) => ['*filter', ...entries4, 'COMMIT'] },
};

function set(name: string, type: string, elements: string[]): string[] {
  return elements.length === 0 ? [] : [`set ${name} {`, `type ${type}`, 'flags interval', 'auto-merge', `elements = { ${elements.join(',\n')} }`, '}'];
}

/** The number of addresses in the union of `intervals` (of one family). */
function unionSize(intervals: readonly Interval[]): bigint {
  const sorted = [...intervals].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  let total = 0n;
  let [lo, hi] = [-1n, -2n];
  for (const i of sorted) {
    if (i.lo > hi + 1n) {
      total += hi - lo + 1n;
      [lo, hi] = [i.lo, i.hi];
    } else if (i.hi > hi) hi = i.hi;
  }
  return total + hi - lo + 1n;
}

/** A list in one union format: its text, and what was written in it. */
interface KnownList {
  readonly format: FormatId;
  readonly text: string;
  readonly written: readonly Interval[];
}

const FORMATS_WITH_COUNTS = Object.keys(UNION_FORMATS) as FormatId[];

export const knownList: fc.Arbitrary<KnownList> = fc
  .tuple(
    fc.constantFrom(...FORMATS_WITH_COUNTS),
    fc.array(fc.tuple(fc.oneof({ weight: 3, arbitrary: interval(4) }, interval(6)), fc.nat(), fc.nat(4)), { maxLength: 80, size: 'max' }),
    fc.array(fc.constantFrom(...LINE_BREAKS), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
  )
  .map(([format, picks, breaks, bom]) => {
    const { write, noise, frame, once } = UNION_FORMATS[format]!;
    const written: Interval[] = [];
    const lines: string[][] = [[], []];
    for (const [i, pick, before] of picks) {
      const line = write(i, pick);
      if (line === undefined || (once && written.some((w) => w.version === i.version && w.lo === i.lo && w.hi === i.hi))) continue;
      written.push(i);
      // Noise before some entries; a frame keeps it out of the lists it builds.
      if (noise.length > 0 && before === 0 && !frame) lines[0].push(noise[pick % noise.length]);
      lines[i.version === 4 ? 0 : 1].push(line);
    }
    const all = frame ? frame(lines[0], lines[1]) : [...lines[0], ...lines[1]];
    // libwrap knows only `\n` (a lone `\r` makes the file one line it cannot read, which denies everything: test/core/libwrap.test.ts).
    const ends = format === 'hosts-deny' ? breaks.map((eol) => (eol === '\r' ? '\n' : eol)) : breaks;
    const body = all.map((line, n) => line + ends[n % ends.length]).join('');
    return { format, text: (bom ? '\ufeff' : '') + body, written };
  });

/** The audit counts the entries written and the size of their union, per family; a plain IPv4 list counts as iprange counts it. */
export const countsProperty = fc.property(knownList, ({ format, text, written }) => {
  beginCase(fc.stringify({ format, text }));
  beginStep('count');
  const result = audit(parseDocument(text, formatById(format)!));
  const of = (version: 4 | 6) => written.filter((i) => i.version === version);
  const expected = { ipv4: { entries: of(4).length, addresses: unionSize(of(4)) }, ipv6: { entries: of(6).length, addresses: unionSize(of(6)) } };
  assert.deepEqual({ ipv4: result.ipv4, ipv6: result.ipv6 }, expected, `${format}: counted otherwise than written`);
  if (format === 'plain' && of(6).length === 0) {
    beginStep('iprange');
    const plainIPv4 = of(4).map((i, n) => safeForms(i)[n % safeForms(i).length]);
    const [entries, addresses] = iprangeCount(plainIPv4);
    assert.deepEqual({ entries: Number(entries), addresses: BigInt(addresses) }, expected.ipv4, 'iprange counts otherwise');
  }
});

/** `iprange -C` of the lines: entries read and unique addresses (it reads files, so they go through one). */
function iprangeCount(lines: readonly string[]): [string, string] {
  const folder = mkdtempSync(join(tmpdir(), 'fuzz-iprange-'));
  try {
    const file = join(folder, 'list.txt');
    writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
    const [entries, addresses] = iprange(['-C', file]).trim().split(',');
    return [entries, addresses];
  } finally {
    rmSync(folder, { recursive: true });
  }
}
