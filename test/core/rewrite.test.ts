/**
 * Writing changed entries back, data-driven: (format, text, what changes) →
 * the text after the edits, where what changes is entries named by their
 * text (`1.2.3.4@2`: the second entry written so) and what they become ([]
 * removes), or Fix all or Aggregate File from the audit. Then the law on
 * random lists of the formats that list several addresses in a statement:
 * Fix all and Aggregate File give edits that stand apart, a text that reads
 * with no new error, and the same blocked addresses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits, ChangesByEntry, rewriteEntries, type TextEdit } from '../../server/src/core/fixes/rewrite';
import type { FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';

type Change = 'fix all' | 'aggregate' | Record<string, string[]>;

/** The edits of a change; entries named by text take every entry on that span (nginx's `all` is two). */
function editsOf(document: BlocklistDocument, change: Change): TextEdit[] {
  if (change === 'fix all') return fixAll(document, audit(document).facts);
  if (change === 'aggregate') return aggregate(document);
  const t = document.entries;
  const changes = new Map<number, string[]>();
  for (const [name, texts] of Object.entries(change)) {
    const [text, nth = '1'] = name.split('@');
    const starts = [
      ...new Set(
        Array.from({ length: t.count }, (_, k) => k)
          .filter((k) => document.text.slice(t.start[k], t.end[k]) === text)
          .map((k) => t.start[k]),
      ),
    ];
    assert.ok(starts.length >= Number(nth), `no entry "${name}"`);
    for (let k = 0; k < t.count; k++) if (t.start[k] === starts[Number(nth) - 1]) changes.set(k, texts);
  }
  return rewriteEntries(document, changes);
}

const nftSet = (elements: string) => `table inet f {\n  set s {\n    type ipv4_addr\n    flags interval\n    elements = ${elements}\n  }\n}\n`;
const nftChain = (rules: string) => `table ip f {\n  chain input {\n    type filter hook input priority 0;\n${rules}  }\n}\n`;

// oxfmt-ignore
const cases: [name: string, format: FormatId, text: string, change: Change, expected: string][] = [
  // Runs of removed items take the separator after them, or at the end the one before.
  ['pf: two duplicates in one list', 'pf', 'table <t> { 1.2.3.4, 1.2.3.4, 1.2.3.4 }\n', 'fix all', 'table <t> { 1.2.3.4 }\n'],
  ['nftables: two covered elements, Fix all', 'nftables', nftSet('{ 1.2.3.0/24, 1.2.3.4, 1.2.3.5 }'), 'fix all', nftSet('{ 1.2.3.0/24 }')],
  ['nftables: two covered elements, Aggregate File', 'nftables', nftSet('{ 1.2.3.0/24, 1.2.3.4, 1.2.3.5 }'), 'aggregate', nftSet('{ 1.2.3.0/24 }')],
  ['iptables: two covered addresses of one rule, Fix all', 'iptables', '-A INPUT -s 1.2.3.0/24,1.2.3.4,1.2.3.5 -j DROP\n', 'fix all', '-A INPUT -s 1.2.3.0/24 -j DROP\n'],
  ['iptables: the two last addresses of a list', 'iptables', '-A INPUT -s 1.2.3.0/24,1.2.3.4,1.2.3.5 -j DROP\n', { '1.2.3.4': [], '1.2.3.5': [] }, '-A INPUT -s 1.2.3.0/24 -j DROP\n'],
  ['iptables: the first address of a list', 'iptables', '-A INPUT -s 1.2.3.4,1.2.3.0/24 -j DROP\n', { '1.2.3.4': [] }, '-A INPUT -s 1.2.3.0/24 -j DROP\n'],
  // A statement whose last address goes goes whole.
  ['iptables: a rule without its only address is no rule', 'iptables', '-A INPUT -s 1.2.3.0/24 -j DROP\n-A INPUT -s 1.2.3.4 -j DROP\n', 'fix all', '-A INPUT -s 1.2.3.0/24 -j DROP\n'],
  ['Apache: a directive without its only address goes', 'apache', '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.0/24\n  Require not ip 1.2.3.4\n</RequireAll>\n', { '1.2.3.4': [] }, '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.0/24\n</RequireAll>\n'],
  ['Apache: the last address of a list, no blank left', 'apache', '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.0/24 1.2.3.4\n</RequireAll>\n', { '1.2.3.4': [] }, '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.0/24\n</RequireAll>\n'],
  ['Apache 2.2: Deny from', 'apache', 'Deny from 1.2.3.0/24\nDeny from 1.2.3.4\n', { '1.2.3.4': [] }, 'Deny from 1.2.3.0/24\n'],
  ['hosts.deny: a rule without clients goes', 'hosts-deny', 'sshd: 10.0.0.0/8\nsshd: 10.1.2.3\n', { '10.1.2.3': [] }, 'sshd: 10.0.0.0/8\n'],
  ['hosts.deny: nothing left before EXCEPT, the rule goes', 'hosts-deny', 'ALL: 10.0.0.0/8, 11.0.0.0/8 EXCEPT 10.1.2.3\nsshd: 1.2.3.4\n', { '10.0.0.0/8': [], '11.0.0.0/8': [] }, 'sshd: 1.2.3.4\n'],
  ['hosts.deny: nothing left after EXCEPT, the EXCEPT goes', 'hosts-deny', 'ALL: 10.0.0.0/8 EXCEPT 10.1.2.3\n', { '10.1.2.3': [] }, 'ALL: 10.0.0.0/8\n'],
  // A bare IPv6 address (which the reader reports) would run on into the colon of the options: a blank stays between them.
  ['hosts.deny: the last client before the options', 'hosts-deny', 'sshd: 2001:db8::/32 10.1.2.3: spawn /bin/true\n', { '10.1.2.3': [] }, 'sshd: 2001:db8::/32 : spawn /bin/true\n'],
  ['hosts.deny: a rule continued over lines', 'hosts-deny', 'sshd: 10.0.0.0/8, \\\n  10.1.2.3 : spawn /bin/true\n', { '10.1.2.3': [] }, 'sshd: 10.0.0.0/8 : spawn /bin/true\n'],
  ['hosts.deny: a continued rule goes with all its lines', 'hosts-deny', 'sshd: 10.0.0.0/8, \\\n  10.1.2.3\nALL: 1.2.3.4\n', { '10.0.0.0/8': [], '10.1.2.3': [] }, 'ALL: 1.2.3.4\n'],
  // hosts.deny reads IPv6 only in brackets, and the entry's span holds them.
  ['hosts.deny: host bits of a bracketed network, Fix all', 'hosts-deny', 'ALL: [2001:db8::1]/32\n', 'fix all', 'ALL: [2001:db8::]/32\n'],
  ['hosts.deny: a bracketed network split', 'hosts-deny', 'ALL: [2001:db8::]/32\n', { '[2001:db8::]/32': ['2001:db8::/33', '2001:db8:8000::/33'] }, 'ALL: [2001:db8::]/33, [2001:db8:8000::]/33\n'],
  // Several commands or directives on a line: only the fixed one goes, with its `;` and the blanks after it.
  ['MikroTik: two commands on a line, Aggregate File', 'mikrotik', '/ip firewall address-list\nadd address=1.2.3.0/24 list=x; add address=1.2.3.4 list=x\n', 'aggregate', '/ip firewall address-list\nadd address=1.2.3.0/24 list=x\n'],
  ['MikroTik: two commands on a line, Fix all', 'mikrotik', '/ip firewall address-list\nadd address=1.2.3.0/24 list=x; add address=1.2.3.4 list=x\n', 'fix all', '/ip firewall address-list\nadd address=1.2.3.0/24 list=x\n'],
  ['MikroTik: the first command of a line', 'mikrotik', '/ip firewall address-list\nadd address=1.2.3.4 list=x; add address=1.2.3.0/24 list=x\n', { '1.2.3.4': [] }, '/ip firewall address-list\nadd address=1.2.3.0/24 list=x\n'],
  ['MikroTik: a command split stays among its line', 'mikrotik', '/ip firewall address-list\nadd address=10.0.0.0/15 list=x; add address=5.5.5.5 list=x\n', { '10.0.0.0/15': ['10.0.0.0/16', '10.1.0.0/16'] }, '/ip firewall address-list\nadd address=10.0.0.0/16 list=x; add address=10.1.0.0/16 list=x; add address=5.5.5.5 list=x\n'],
  ['MikroTik: a command continued over lines goes with them', 'mikrotik', '/ip firewall address-list\nadd address=1.2.3.4 \\\n    list=x\nadd address=5.5.5.5 list=x\n', { '1.2.3.4': [] }, '/ip firewall address-list\nadd address=5.5.5.5 list=x\n'],
  ['nginx: two directives on a line', 'nginx', 'deny 1.2.3.4; deny 1.2.3.4;\n', 'fix all', 'deny 1.2.3.4;\n'],
  ['nginx: a directive split stays among its line', 'nginx', 'deny 10.0.0.0/15; deny 5.5.5.5;\n', { '10.0.0.0/15': ['10.0.0.0/16', '10.1.0.0/16'] }, 'deny 10.0.0.0/16; deny 10.1.0.0/16; deny 5.5.5.5;\n'],
  ['nginx: the last directive of a block', 'nginx', 'location / { deny 1.2.3.4; }\n', { '1.2.3.4': [] }, 'location / {}\n'],
  // A directive over several lines (nginx reads on to its `;`, comments between its words): its lines go, or are written, as one.
  ['nginx: a directive over lines goes with them', 'nginx', 'deny 1.2.3.4;\ndeny # again\n  1.2.3.4;\ndeny 5.5.5.5;\n', 'fix all', 'deny 1.2.3.4;\ndeny 5.5.5.5;\n'],
  ['nginx: a directive over lines split', 'nginx', 'deny\n    10.0.0.0/15;\ndeny 5.5.5.5;\n', { '10.0.0.0/15': ['10.0.0.0/16', '10.1.0.0/16'] }, 'deny\n    10.0.0.0/16;\ndeny\n    10.1.0.0/16;\ndeny 5.5.5.5;\n'],
  ['nginx: directives that share the lines one runs over', 'nginx', 'deny 1.2.3.4; deny\n  1.2.3.4; deny 5.5.5.5;\n', 'fix all', 'deny 1.2.3.4; deny 5.5.5.5;\n'],
  // Comments: a line that keeps an item keeps its comment.
  ['nginx: the comment of a line that keeps a directive', 'nginx', 'deny 1.2.3.4; deny 1.2.3.4; # keep\n', 'fix all', 'deny 1.2.3.4; # keep\n'],
  ['pf: the last item of a list over lines, the comment of the kept one stays', 'pf', 'table <t> {\n  1.2.3.0/24, # a\n  1.2.3.4 # b\n}\n', 'fix all', 'table <t> {\n  1.2.3.0/24 # a\n}\n'],
  ['nftables: an element of a list over lines', 'nftables', nftSet('{\n      1.2.3.0/24, # a\n      1.2.3.4, # b\n      5.6.7.8 # c\n    }'), { '1.2.3.4': [] }, nftSet('{\n      1.2.3.0/24, # a\n      5.6.7.8 # c\n    }')],
  ['nftables: the last elements of a list over lines', 'nftables', nftSet('{ 1.2.3.0/24, # a\n      1.2.3.4, # b\n      5.6.7.8 }'), { '1.2.3.4': [], '5.6.7.8': [] }, nftSet('{ 1.2.3.0/24 # a\n      }')],
  // What an emptied list leaves: nft takes no empty element list, pf takes an empty table.
  ['nftables: an emptied element list goes with its clause', 'nftables', 'set s { type ipv4_addr; elements = { 1.2.3.4 }; flags interval; }\n', { '1.2.3.4': [] }, 'set s { type ipv4_addr; flags interval; }\n'],
  ['nftables: an emptied add element goes', 'nftables', 'add element inet f s { 1.2.3.4 }\nadd element inet f s { 5.6.7.8 }\n', { '1.2.3.4': [] }, 'add element inet f s { 5.6.7.8 }\n'],
  ['nftables: a rule without its address goes', 'nftables', nftChain('    ip saddr 1.2.3.0/24 drop\n    ip saddr 1.2.3.4 drop\n'), { '1.2.3.4': [] }, nftChain('    ip saddr 1.2.3.0/24 drop\n')],
  ['nftables: an address of a rule written as several becomes a set', 'nftables', nftChain('    ip saddr 1.2.3.0/24 drop\n'), { '1.2.3.0/24': ['1.2.3.0/25', '1.2.3.128/25'] }, nftChain('    ip saddr { 1.2.3.0/25, 1.2.3.128/25 } drop\n')],
  ['nftables: an element written as several keeps its options', 'nftables', nftSet('{ 1.2.3.0/24 timeout 1h, 5.6.7.8 }'), { '1.2.3.0/24': ['1.2.3.0/25', '1.2.3.128/25'] }, nftSet('{ 1.2.3.0/25 timeout 1h, 1.2.3.128/25 timeout 1h, 5.6.7.8 }')],
  ['pf: an emptied table stays, empty', 'pf', 'table <t> persist { 1.2.3.4 }\n', { '1.2.3.4': [] }, 'table <t> persist { }\n'],
  // pf's `!` belongs to its address.
  ['pf: an exception goes with its !', 'pf', 'table <t> { 1.2.3.4, ! 5.6.7.8, 9.9.9.9 }\n', { '5.6.7.8': [] }, 'table <t> { 1.2.3.4, 9.9.9.9 }\n'],
  ['pf: an exception written as several stays exceptions', 'pf', 'table <t> { !10.0.0.0/15 }\n', { '10.0.0.0/15': ['10.0.0.0/16', '10.1.0.0/16'] }, 'table <t> { !10.0.0.0/16, !10.1.0.0/16 }\n'],
  // A table file separates its addresses by blanks: pfctl reads `1.2.3.0/25,` as no address.
  ['pf: an address of a table file written as several', 'pf', '10.0.0.0/15 5.5.5.5\n!6.6.6.6\n', { '10.0.0.0/15': ['10.0.0.0/16', '10.1.0.0/16'] }, '10.0.0.0/16 10.1.0.0/16 5.5.5.5\n!6.6.6.6\n'],
  // A line's comment stays with its first copy.
  ['ip-count: an address written as several, on lines of their own', 'ip-count', '10.0.0.0/23\t9 # x\n', { '10.0.0.0/23': ['10.0.0.0/24', '10.0.1.0/24'] }, '10.0.0.0/24\t9 # x\n10.0.1.0/24\t9\n'],
  // Whole lines removed at the end of a text without a final line break take the break before them, once.
  ['plain: the last lines, without a final line break', 'plain', '5.5.5.5\n5.5.5.5\n5.5.5.5', 'fix all', '5.5.5.5'],
  // An entry alone on its line written as several: lines of their own, with the line's break (the last line's, the one before it).
  ['plain: an entry written as two lines, its comment on the first', 'plain', '10.0.0.0/15 # c\n5.5.5.5\n', { '10.0.0.0/15': ['10.0.0.0/16', '10.1.0.0/16'] }, '10.0.0.0/16 # c\n10.1.0.0/16\n5.5.5.5\n'],
  ['plain: the last line written as two, without a final line break', 'plain', '5.5.5.5\n10.0.0.0/15', { '10.0.0.0/15': ['10.0.0.0/16', '10.1.0.0/16'] }, '5.5.5.5\n10.0.0.0/16\n10.1.0.0/16'],
];

for (const [name, format, text, change, expected] of cases) {
  test(`rewrite: ${name}`, () => {
    // The same with each line break: what is written keeps the text's own (libwrap reads a hosts.deny of lone \r as one line it cannot read, and continues a line only before \n).
    for (const eol of format !== 'hosts-deny' ? ['\n', '\r\n', '\r'] : text.includes('\\\n') ? ['\n'] : ['\n', '\r\n']) {
      const broken = text.replaceAll('\n', eol);
      const document = parseDocument(broken, formatById(format)!);
      assert.equal(applyEdits(broken, editsOf(document, change)), expected.replaceAll('\n', eol), JSON.stringify(eol));
    }
  });
}

// The law on random lists.

/** An address of 10.0.0.0/22 (or of 2001:db8::/32), with duplicates, covered and mergeable blocks likely. */
const address = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.nat(3), fc.nat(255), fc.constantFrom(22, 23, 24, 25, 31, 32, 32)).map(([c, d, prefix]) => cidr4(c, d, prefix)) },
  { weight: 1, arbitrary: fc.constantFrom('2001:db8::/33', '2001:db8:8000::/33', '2001:db8::1', '2001:db8::/32') },
);

function cidr4(c: number, d: number, prefix: number): string {
  const host = (c << 8) | d;
  const network = host & ~((1 << (32 - prefix)) - 1) & 0x3ff;
  return `10.0.${network >> 8}.${network & 255}${prefix === 32 ? '' : `/${prefix}`}`;
}

/** Lists of addresses, a few a statement. */
const lists = fc.array(fc.array(address, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 });
const v4 = (list: string[]) => list.filter((a) => !a.includes(':'));
const some = (list: string[], fallback = '10.0.0.1') => (list.length > 0 ? list : [fallback]);

/**
 * How each format writes the lists: one statement each, some over lines with
 * comments, some several on a line. In a pf list over lines the second
 * address is an exception, of one address.
 */
const WRITERS: [FormatId, (lists: string[][], layout: number) => string][] = [
  [
    'pf',
    (lists, layout) =>
      lists
        .map((list, n) =>
          layout & (1 << n)
            ? `table <t${n % 2}> {\n${list.map((a, i) => `  ${i === 1 ? `!${a.replace(/\/\d+$/, '')}` : a}${i + 1 < list.length ? ',' : ''} # c${i}\n`).join('')}}\n`
            : `table <t${n % 2}> { ${list.join(', ')} }\n`,
        )
        .join(''),
  ],
  [
    'nftables',
    (lists, layout) =>
      `table inet f {\n${lists
        .map((list, n) =>
          layout & (1 << n)
            ? `  set s${n} {\n    type ipv4_addr\n    flags interval\n    elements = {\n${some(v4(list))
                .map((a) => `      ${a}, # c\n`)
                .join('')}    }\n  }\n`
            : `  chain c${n} {\n    ${list.length === 1 ? `ip${list[0].includes(':') ? '6' : ''} saddr ${list[0]}` : `ip saddr { ${some(v4(list)).join(', ')} }`} drop\n  }\n`,
        )
        .join('')}}\n`,
  ],
  ['iptables', (lists) => `*filter\n${lists.map((list) => `-A INPUT -s ${some(v4(list)).join(',')} -j DROP\n`).join('')}COMMIT\n`],
  ['apache', (lists) => lists.map((list) => `Deny from ${list.join(' ')}\n`).join('')],
  [
    'hosts-deny',
    (lists, layout) =>
      lists
        .map((list) => list.map((a) => (a.includes(':') ? `[${a.replace(/\/|$/, ']$&')}` : a)))
        .map((list, n) => (layout & (1 << n) && list.length > 1 ? `ALL: ${list.slice(1).join(', ')} EXCEPT ${list[0]}\n` : `sshd: ${list.join(', ')}\n`))
        .join(''),
  ],
  [
    'mikrotik',
    (lists, layout) =>
      `/ip firewall address-list\n${lists.map((list, n) => `${list.map((a) => `add address=${a} list=${layout & (1 << n) ? 'x' : 'y'}`).join(layout & (1 << (n + 5)) ? '; ' : '\n')}\n`).join('')}`,
  ],
];

function blocked(document: BlocklistDocument): string {
  const result = audit(document);
  const ranges: string[] = [];
  result.blocked4.forEachRange((lo, hi) => ranges.push(`${lo}-${hi}`));
  result.blocked6.forEachRange((lo, hi) => ranges.push(`${lo}-${hi}`));
  return ranges.join(' ');
}

const invalid = (document: BlocklistDocument) => document.problems.filter((p) => p.code === 'invalid-entry').length;

for (const [id, write] of WRITERS) {
  test(`rewrite: Fix all and Aggregate File on random ${id} lists stand apart, read back and block the same`, () => {
    const format = formatById(id)!;
    fc.assert(
      fc.property(lists, fc.nat(1023), (rows, layout) => {
        const text = write(rows, layout);
        const document = parseDocument(text, format);
        const before = blocked(document);
        for (const [name, edits] of [
          ['Fix all', fixAll(document, audit(document).facts)],
          ['Aggregate File', aggregate(document)],
        ] as const) {
          const after = parseDocument(applyEdits(text, edits), format);
          assert.ok(invalid(after) <= invalid(document), `${name} made a new error:\n${after.text}`);
          assert.equal(blocked(after), before, `${name} changed the blocked addresses:\n${after.text}`);
        }
      }),
      { numRuns: 150 },
    );
  });
}

test('ChangesByEntry: a change set again replaces the one before, each entry is listed once, in the order first changed', () => {
  const changes = new ChangesByEntry(10);
  changes.set(7, []);
  changes.set(2, ['10.0.0.0/8']);
  changes.set(7, ['1.2.3.4', '1.2.3.5']);
  changes.set(2, []);
  assert.deepEqual([...changes.keys()], [7, 2]);
  assert.deepEqual(changes.get(7), ['1.2.3.4', '1.2.3.5']);
  assert.deepEqual(changes.get(2), []);
  for (const k of [0, 9, -1, 10]) assert.equal(changes.get(k), undefined);
});

test('rewrite: removed lines come out as one edit per run of them, the lines between kept', () => {
  // Every third line kept: each run of two removed lines is one edit.
  const lines = Array.from({ length: 3_000 }, (_, n) => `10.0.${n >> 8}.${n & 255}`);
  const document = parseDocument(lines.join('\n') + '\n', formatById('plain')!);
  const changes = new ChangesByEntry(document.entries.count);
  for (let k = 0; k < document.entries.count; k++) if (k % 3 !== 0) changes.set(k, []);
  const edits = rewriteEntries(document, changes);
  assert.equal(edits.length, 1_000);
  assert.equal(applyEdits(document.text, edits), lines.filter((_, n) => n % 3 === 0).join('\n') + '\n');
});
