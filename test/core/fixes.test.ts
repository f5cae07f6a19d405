/**
 * Quick fixes, data-driven: an input with a caret (|) on the entry, the
 * fix's title, and the text after applying it. Then the exactness laws on
 * random lists: every fix leaves the set it promises and lines outside its
 * edit byte-identical.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { parseDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll, fixesForEntry, type Fix, type FixContext, type FixOptions } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import { detectFormat, formatById } from '../../server/src/core/formats/registry';
import { Networks } from '../../server/src/core/ownership/networks';

const root = resolve(__dirname, '..', '..', '..');
const networks = Networks.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
const options: FixOptions = { maxEntries: 100, protected: ['1.1.1.1', '8.8.8.8'], target: [] };

/** The fixes at the caret, and the document without the caret. */
/** What the fixes read of the analysis, as the server gives it. */
function contextOf(document: BlocklistDocument): FixContext {
  return { index: EntryIndex.of(document.entries), facts: audit(document).facts };
}

function at(input: string, fileName = 'list.txt'): { document: BlocklistDocument; fixes: Fix[] } {
  const caret = input.indexOf('|');
  const text = input.slice(0, caret) + input.slice(caret + 1);
  const document = parseDocument(text, detectFormat(fileName, text));
  const t = document.entries;
  let k = -1;
  for (let n = 0; n < t.count; n++) if (t.start[n] <= caret && caret <= t.end[n]) k = n;
  assert.ok(k >= 0, 'the caret is on no entry');
  return { document, fixes: fixesForEntry(document, contextOf(document), k, options, networks) };
}

function apply(input: string, title: string | RegExp, fileName?: string): string {
  const { document, fixes } = at(input, fileName);
  const fix = fixes.find((f) => (typeof title === 'string' ? f.title.startsWith(title) : title.test(f.title)));
  assert.ok(fix, `no fix "${title}" among: ${fixes.map((f) => f.title).join(' | ')}`);
  return applyEdits(document.text, fix.edits);
}

const cases: [name: string, input: string, title: string | RegExp, expected: string, fileName?: string][] = [
  ['host bits', '# list\n1.2.3.4|/24 # scanner\n', 'Write 1.2.3.4/24 as 1.2.3.0/24', '# list\n1.2.3.0/24 # scanner\n'],
  ['host bits, netmask form', '5.5.5.5|/255.255.255.0\n', 'Write 5.5.5.5/255.255.255.0 as 5.5.5.0/24', '5.5.5.0/24\n'],
  ['a duplicate goes, the first stays', '5.5.5.5\n6.6.6.6\n5.5.5.|5 # again\n', 'Remove duplicate 5.5.5.5 (line 1 has it)', '5.5.5.5\n6.6.6.6\n'],
  ['a covered entry goes', '10.1.|2.3\r\n10.1.0.0/16\r\n', 'Remove 10.1.2.3, covered by line 2', '10.1.0.0/16\r\n'],
  ['the last line without a newline', '10.1.0.0/16\n10.1.2|.3', 'Remove 10.1.2.3, covered by line 1', '10.1.0.0/16'],
  ['merge adjacent', '11.0.0.0/24 # a\n# between\n11.0.|1.0/24 # b\n', 'Merge with line 1 into 11.0.0.0/23', '11.0.0.0/23 # a\n# between\n'],
  ['split in halves, comment kept once', '35.192.0.0/1|2 # gcp\n', 'Split 35.192.0.0/12 into two halves (/13)', '35.192.0.0/13 # gcp\n35.200.0.0/13\n'],
  ['split into /16s', '10.|0.0.0/14\n', 'Split 10.0.0.0/14 into 4 /16 subnets', '10.0.0.0/16\n10.1.0.0/16\n10.2.0.0/16\n10.3.0.0/16\n'],
  ['nginx keeps its syntax', 'deny 1.2.3.4/2|4;  # x\n', 'Write 1.2.3.4/24 as 1.2.3.0/24', 'deny 1.2.3.0/24;  # x\n', 'nginx.conf'],
  ['nginx split writes directives', 'deny 10.0.0.0/1|5;  # x\n', /^Split 10\.0\.0\.0\/15 into two/, 'deny 10.0.0.0/16;  # x\ndeny 10.1.0.0/16;\n', 'nginx.conf'],
  [
    'ipset split writes add commands',
    'create s hash:net timeout 0\nadd s 10.0.0.0/1|5 timeout 0\n',
    /^Split 10\.0\.0\.0\/15 into two/,
    'create s hash:net timeout 0\nadd s 10.0.0.0/16 timeout 0\nadd s 10.1.0.0/16 timeout 0\n',
    'x.ipset',
  ],
  [
    'nftables lists stay one element list',
    'elements = { 10.0.0.0/1|5, 1.2.3.4 }\n',
    /^Split 10\.0\.0\.0\/15 into two/,
    'elements = { 10.0.0.0/16, 10.1.0.0/16, 1.2.3.4 }\n',
    'sets.nft',
  ],
  ['a duplicate in a list', 'table <t> { 1.2.3.4, 5.6.7.8, 1.2.3.|4 }\n', /^Remove duplicate/, 'table <t> { 1.2.3.4, 5.6.7.8 }\n', 'pf.conf'],
  ['p2p ranges stay ranges', 'Org:10.0.0.0-10.0.0|.255\nOrg:10.0.1.0-10.0.1.255\n', /^Merge with line 2/, 'Org:10.0.0.0-10.0.1.255\n', 'x.p2p'],
  // Formats that take no CIDR get halves written as ranges, as they write them.
  [
    'ipfilter.dat halves are ranges',
    '010.000.000.000 - 010.255.255.2|55 , 100 , Private\n',
    /^Split .* into two halves/,
    '010.000.000.000 - 010.127.255.255 , 100 , Private\n010.128.000.000 - 010.255.255.255 , 100 , Private\n',
    'ipfilter.dat',
  ],
  [
    'ipcat halves are ranges',
    '3.0.0.0,3.1.255.2|55,Amazon AWS,https://aws\n',
    /^Split .* into two halves/,
    '3.0.0.0,3.0.255.255,Amazon AWS,https://aws\n3.1.0.0,3.1.255.255,Amazon AWS,https://aws\n',
    'x.csv',
  ],
  [
    'exclude Google Cloud from 35.192.0.0/12 (2018): the exact difference',
    '35.192.0.0/|12\n',
    /^Exclude Google Cloud from 35\.192\.0\.0\/12 → \d+ entries, −901,120 addresses$/,
    '',
  ],
  [
    'exclude the protected networks',
    '1.1.1.|0/24\n',
    'Exclude the protected networks from 1.1.1.0/24 → 8 entries, −1 address',
    '1.1.1.0\n1.1.1.2/31\n1.1.1.4/30\n1.1.1.8/29\n1.1.1.16/28\n1.1.1.32/27\n1.1.1.64/26\n1.1.1.128/25\n',
  ],
];

for (const [name, input, title, expected, fileName] of cases) {
  test(`fix: ${name}`, () => {
    const result = apply(input, title, fileName);
    if (expected !== '') assert.equal(result, expected);
  });
}

test('Exclude Google Cloud from 35.192.0.0/12 leaves exactly the addresses Google Cloud does not announce', () => {
  const result = apply('35.192.0.0/|12\n', /^Exclude Google Cloud/);
  const after = parseDocument(result, formatById('plain')!);
  const googleCloud = networks.resolve(['google-cloud']);
  let size = 0n;
  for (let k = 0; k < after.entries.count; k++) {
    size += after.entries.size(k);
    assert.ok(!googleCloud.ipv4.overlaps(after.entries.lo4[k], after.entries.hi4[k]));
  }
  assert.equal(size, 1_048_576n - 901_120n);
});

test('narrow to the target of the directive', () => {
  const result = apply('# target: 91.108.4.0/22\n91.108.0.0/|16\n', /^Narrow 91\.108\.0\.0\/16 to the target 91\.108\.4\.0\/22 → 1 entry, −64,512 addresses$/);
  assert.equal(result, '# target: 91.108.4.0/22\n91.108.4.0/22\n');
});

test('big results say so in the title, and formats with ranges get a range form too', () => {
  const { fixes } = at('0.0.0.0/|0\n');
  assert.ok(
    fixes.some((f) => f.title.endsWith('(more than 100 entries)')),
    fixes.map((f) => f.title).join('\n'),
  );
  // With a low limit the exclusion from an ipset entry also comes as ranges, which say the same in fewer entries.
  const text = 'create s hash:net timeout 0\nadd s 35.192.0.0/12 timeout 0\n';
  const document = parseDocument(text, detectFormat('x.ipset', text));
  const titles = fixesForEntry(document, contextOf(document), 0, { ...options, maxEntries: 1 }, networks);
  const cidrs = titles.find((f) => f.title.startsWith('Exclude Google Cloud from 35.192.0.0/12 →'))!;
  const ranges = titles.find((f) => f.title.startsWith('Exclude Google Cloud from 35.192.0.0/12 as ranges →'))!;
  assert.match(cidrs.title, /\(more than 1 entry\)$/);
  assert.equal(union(applyEdits(text, ranges.edits), document.format), union(applyEdits(text, cidrs.edits), document.format));
  assert.ok(applyEdits(text, ranges.edits).split('\n').length <= applyEdits(text, cidrs.edits).split('\n').length);
  assert.match(applyEdits(text, ranges.edits), /^create s hash:net timeout 0\nadd s 35\.\d+\.\d+\.\d+-35\.\d+\.\d+\.\d+ timeout 0\n/);
});

test('the 2018 example: Exclude Google Cloud from 35.192.0.0/12 in place', () => {
  const file = join(root, 'examples/telegram-2018.txt');
  const text = readFileSync(file, 'utf8');
  const document = parseDocument(text, detectFormat('telegram-2018.txt', text));
  const k = [...Array(document.entries.count).keys()].find((n) => document.text.slice(document.entries.start[n], document.entries.end[n]) === '35.192.0.0/12')!;
  const fix = fixesForEntry(document, contextOf(document), k, options, networks).find((f) => f.title.startsWith('Exclude Google Cloud from 35.192.0.0/12'))!;
  assert.match(fix.title, /^Exclude Google Cloud from 35\.192\.0\.0\/12 → \d+ entries, −901,120 addresses$/);
  const after = parseDocument(applyEdits(text, fix.edits), document.format);
  const before = audit(document);
  const result = audit(after);
  assert.equal(result.ipv4.addresses, before.ipv4.addresses - 901_120n);
  // Only the edited line changed: the lines before and after are byte-identical.
  const line = text.split('\n').indexOf('35.192.0.0/12');
  const edited = applyEdits(text, fix.edits).split('\n');
  assert.deepEqual(edited.slice(0, line), text.split('\n').slice(0, line));
  assert.deepEqual(edited.slice(edited.length - (text.split('\n').length - line - 1)), text.split('\n').slice(line + 1));
});

test('fix all writes host bits and removes duplicates and covered entries, nothing else', () => {
  const text = '# keep\n1.2.3.4/24\n5.5.5.5\n5.5.5.5\n10.0.0.0/8\n10.1.2.3 # gone\n11.0.0.0/24\n11.0.1.0/24\n';
  const document = parseDocument(text, formatById('plain')!);
  assert.equal(applyEdits(text, fixAll(document, audit(document).facts)), '# keep\n1.2.3.0/24\n5.5.5.5\n10.0.0.0/8\n11.0.0.0/24\n11.0.1.0/24\n');
});

test('aggregate rewrites the entries as the minimal CIDR list, keeping comments and order', () => {
  const text = '# header\n11.0.1.0/24\n# middle\n11.0.0.0/24 # b\n5.5.5.5\n5.5.5.4\n2001:db8::/33\n2001:db8:8000::/33\n';
  const document = parseDocument(text, formatById('plain')!);
  assert.equal(applyEdits(text, aggregate(document)), '# header\n11.0.0.0/23\n# middle\n5.5.5.4/31\n2001:db8::/32\n');
});

test('aggregate writes ranges in formats that take no CIDR', () => {
  const text = 'Org:10.0.0.0-10.0.0.255\nOrg:10.0.1.0-10.0.1.255\nOrg:10.0.2.0-10.0.2.9\n';
  const document = parseDocument(text, formatById('p2p')!);
  assert.equal(applyEdits(text, aggregate(document)), 'Org:10.0.0.0-10.0.2.9\n');
});

test('a range whose first address is a CIDR with host bits is no one network: no fix writes it as one', () => {
  const { document, fixes } = at('1.2.3.4/24 - 1.2.|5.0/24\n');
  assert.ok(document.problems.some((p) => p.code === 'host-bits-set'));
  assert.deepEqual(
    fixes.filter((f) => f.title.startsWith('Write')).map((f) => f.title),
    [],
  );
});

/** The union of a document's blocking entries, per family, as text to compare. */
function union(text: string, format = formatById('plain')!): string {
  const document = parseDocument(text, format);
  const t = document.entries;
  const ranges: string[] = [];
  for (let k = 0; k < t.count; k++) if (!t.allow[k]) ranges.push(`${t.version[k]}:${t.lo(k)}-${t.hi(k)}`);
  const merged: [number, bigint, bigint][] = ranges
    .map((r) => {
      const [v, span] = r.split(':');
      const [lo, hi] = span.split('-').map(BigInt);
      return [Number(v), lo, hi] as [number, bigint, bigint];
    })
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const out: [number, bigint, bigint][] = [];
  for (const r of merged) {
    const last = out[out.length - 1];
    if (last && last[0] === r[0] && r[1] <= last[2] + 1n) last[2] = r[2] > last[2] ? r[2] : last[2];
    else out.push([...r]);
  }
  return out.map((r) => r.join(':')).join(' ');
}

const line = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(3), fc.constantFrom(14, 15, 16, 23, 24, 30, 32)).map(([a, b, p]) => `10.${a % 4}.${b}.${a}/${p}`),
  fc.constantFrom('# comment', '', '10.0.0.0/22 # c', '10.1.2.3', '10.1.2.3', '2001:db8::/33', '2001:db8:8000::/33', '1.1.1.0/30'),
);

test('every fix keeps its promise on random lists: merges, splits, removals and fix-all keep the set; lines outside the edit are untouched', () => {
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), fc.nat(), (lines, pick) => {
      const text = lines.join('\n') + '\n';
      const document = parseDocument(text, formatById('plain')!);
      if (document.entries.count === 0) return;
      const before = union(text);
      const k = pick % document.entries.count;
      for (const fix of fixesForEntry(document, contextOf(document), k, options)) {
        const after = applyEdits(text, fix.edits);
        if (!/^(Exclude|Narrow)/.test(fix.title)) assert.equal(union(after), before, `${fix.title} changed the set`);
        // Lines before the first edited line are byte-identical.
        const first = Math.min(...fix.edits.map((e) => e.start));
        const lineStart = text.lastIndexOf('\n', first - 1) + 1;
        assert.equal(after.slice(0, lineStart), text.slice(0, lineStart));
      }
      assert.equal(union(applyEdits(text, fixAll(document, audit(document).facts))), before);
      const aggregated = applyEdits(text, aggregate(document));
      assert.equal(union(aggregated), before);
      assert.equal(aggregated.split('\n').filter((l) => l.startsWith('#')).length, lines.filter((l) => l.startsWith('#')).length);
    }),
    { numRuns: 400 },
  );
});

/** Fixes of one entry among others of its statement or line: the others stay as they are. */
// oxfmt-ignore
const listCases: [name: string, input: string, title: string | RegExp, expected: string, fileName: string][] = [
  ['MikroTik: a merge of two commands on one line', '/ip firewall address-list\nadd address=11.0.0.0/24 list=x; add address=11.0.|1.0/24 list=x\n', /^Merge with line 2 into 11\.0\.0\.0\/23$/, '/ip firewall address-list\nadd address=11.0.0.0/23 list=x\n', 'x.rsc'],
  ['nginx: a duplicate directive of a line goes alone', 'deny 1.2.3.4; deny 1.2.|3.4; # both\n', /^Remove duplicate 1\.2\.3\.4/, 'deny 1.2.3.4; # both\n', 'nginx.conf'],
  ['nftables: an address of a rule split becomes a set', 'table ip f {\n  chain c {\n    ip saddr 10.0.0.0/1|5 drop\n  }\n}\n', /^Split 10\.0\.0\.0\/15 into two/, 'table ip f {\n  chain c {\n    ip saddr { 10.0.0.0/16, 10.1.0.0/16 } drop\n  }\n}\n', 'x.nft'],
];

for (const [name, input, title, expected, fileName] of listCases) {
  test(`fix in a list: ${name}`, () => assert.equal(apply(input, title, fileName), expected));
}

test('a target naming nothing known offers no narrowing: the entry stays, whole', () => {
  const typo = at('# target: telegarm\n|35.192.0.0/12\n').fixes.map((fix) => fix.title);
  assert.ok(!typo.some((title) => title.startsWith('Narrow')), typo.join(' | '));
  const known = at('# target: telegram\n|35.192.0.0/12\n').fixes.map((fix) => fix.title);
  assert.ok(
    known.some((title) => title.startsWith('Narrow 35.192.0.0/12 to the target telegram')),
    known.join(' | '),
  );
});
