/**
 * Each scope decides as its firewall does: ipset sets and pf tables, each on
 * its own, by the most specific entry with exceptions; allowlists never
 * counted; findings and fixes that keep every decision. The cases are those
 * of the issue, each a table row; a property test holds the counts, Fix all
 * and Aggregate File to a brute-force model of the most-specific rule.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { parseDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import type { FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';

function read(id: FormatId, text: string) {
  const document = parseDocument(text, formatById(id)!);
  return { document, result: audit(document) };
}

/** (format, text, IPv4 addresses blocked, findings as `L<line> <code>`, the text after Fix all). */
// oxfmt-ignore
const cases: [format: FormatId, text: string, blocked: bigint, findings: string[], fixedAll: string][] = [
  // hash:net answers by the most specific entry: the /32 wins over the /28 nomatch (ipset test confirms), 256 - 16 + 1.
  ['ipset', 'create bad hash:net\nadd bad 1.2.3.0/24\nadd bad 1.2.3.0/28 nomatch\nadd bad 1.2.3.4\n', 241n, [], 'create bad hash:net\nadd bad 1.2.3.0/24\nadd bad 1.2.3.0/28 nomatch\nadd bad 1.2.3.4\n'],
  // Without the exception between them, the /32 adds nothing.
  ['ipset', 'create bad hash:net\nadd bad 1.2.3.0/24\nadd bad 1.2.3.4\n', 256n, ['L3 covered'], 'create bad hash:net\nadd bad 1.2.3.0/24\n'],
  // Two sets: nothing crosses them; the allowlist (by the directive) is not counted.
  ['ipset', '# blocklist-role: allow allowlist\ncreate blocklist hash:net\ncreate allowlist hash:net\nadd blocklist 1.2.3.0/24\nadd allowlist 1.2.3.0/24\nadd allowlist 1.2.3.4\n', 256n, ['L6 covered'], '# blocklist-role: allow allowlist\ncreate blocklist hash:net\ncreate allowlist hash:net\nadd blocklist 1.2.3.0/24\nadd allowlist 1.2.3.0/24\n'],
  // Without the directive both sets block, each on its own: a repeat in the other set is no duplicate (and ipset restore refuses only the repeat in b).
  ['ipset', 'create a hash:net\ncreate b hash:net\nadd a 1.2.3.0/24\nadd b 1.2.3.0/24\nadd b 1.2.3.0/24\n', 256n, ['L5 loader-rejects', 'L5 duplicate'], 'create a hash:net\ncreate b hash:net\nadd a 1.2.3.0/24\nadd b 1.2.3.0/24\n'],
  // hash:ip adds every address of a CIDR: a plain union (and ipset restore refuses to add 1.2.3.1 again).
  ['ipset', 'create s hash:ip\nadd s 1.2.3.0/30\nadd s 1.2.3.1\n', 4n, ['L3 loader-rejects', 'L3 covered'], 'create s hash:ip\nadd s 1.2.3.0/30\n'],
  // An exception inside no blocking entry excepts nothing; one inside another exception adds nothing.
  // ipset stores a range as its CIDR blocks (1.2.3.0/29, 1.2.3.8/31): the /31 is more specific than the /30 nomatch, which excepts nothing (ipset test: 1.2.3.9 is in the set).
  ['ipset', 'create s hash:net\nadd s 1.2.3.0-1.2.3.9\nadd s 1.2.3.8/30 nomatch\n', 10n, ['L3 ineffective-exception'], 'create s hash:net\nadd s 1.2.3.0-1.2.3.9\nadd s 1.2.3.8/30 nomatch\n'],
  // A range whose every block is inside a blocking CIDR that decides for it is covered; one whose block a nomatch shadows is not.
  ['ipset', 'create s hash:net\nadd s 1.2.3.0/24\nadd s 1.2.3.1-1.2.3.9\n', 256n, ['L3 covered'], 'create s hash:net\nadd s 1.2.3.0/24\n'],
  ['ipset', 'create s hash:net\nadd s 1.2.3.0/24\nadd s 1.2.3.0/28 nomatch\nadd s 1.2.3.1-1.2.3.9\n', 249n, [], 'create s hash:net\nadd s 1.2.3.0/24\nadd s 1.2.3.0/28 nomatch\nadd s 1.2.3.1-1.2.3.9\n'],
  ['ipset', 'create s hash:net\nadd s 1.2.3.0/24 nomatch\nadd s 1.2.3.4 nomatch\n', 0n, ['L2 ineffective-exception', 'L3 covered'], 'create s hash:net\nadd s 1.2.3.0/24 nomatch\n'],
  // A block entry all of whose addresses more specific exceptions decide never takes effect.
  ['ipset', 'create s hash:net\nadd s 1.2.3.0/31\nadd s 1.2.3.0/32 nomatch\nadd s 1.2.3.1/32 nomatch\n', 0n, ['L2 shadowed'], 'create s hash:net\nadd s 1.2.3.0/31\nadd s 1.2.3.0/32 nomatch\nadd s 1.2.3.1/32 nomatch\n'],
  // pf: `!` excepts whatever its place in the list; Fix all must not touch it.
  ['pf', 'table <bad2> persist { ! 5.6.7.8, 5.6.7.0/24 }\n', 255n, [], 'table <bad2> persist { ! 5.6.7.8, 5.6.7.0/24 }\n'],
  ['pf', 'table <b> { 1.2.3.0/24, !1.2.3.0/28, 1.2.3.4 }\n', 241n, [], 'table <b> { 1.2.3.0/24, !1.2.3.0/28, 1.2.3.4 }\n'],
  // Two tables: a `pass` rule makes one an allowlist; its entries neither count nor cover the other's.
  ['pf', 'table <ok> { 1.2.3.0/24 }\ntable <bad> { 1.2.3.4 }\npass in from <ok>\nblock in quick from <bad>\n', 1n, [], 'table <ok> { 1.2.3.0/24 }\ntable <bad> { 1.2.3.4 }\npass in from <ok>\nblock in quick from <bad>\n'],
  // `block from ! <t>` blocks all but the table: the table allows.
  ['pf', 'table <t> { 1.2.3.0/24 }\nblock in from ! <t>\n', 0n, [], 'table <t> { 1.2.3.0/24 }\nblock in from ! <t>\n'],
  // nginx: the first rule that matches decides. Removing line 1 would let 1.2.3.4 through (line 2 allows it); line 3 never fires.
  ['nginx', 'deny 1.2.3.4;\nallow 1.2.3.0/24;\ndeny 1.2.3.0/24;\n', 1n, ['L3 shadowed'], 'deny 1.2.3.4;\nallow 1.2.3.0/24;\ndeny 1.2.3.0/24;\n'],
  // An entry after one that decides all its addresses the same way never fires: covered. One before it does fire.
  ['nginx', 'deny 1.2.3.4;\ndeny 1.2.3.0/24;\ndeny 1.2.3.0/25;\ndeny 1.2.3.0/24;\n', 256n, ['L3 covered', 'L4 duplicate'], 'deny 1.2.3.4;\ndeny 1.2.3.0/24;\n'],
  // Two directives on one line are two rules; `allow all` decides what is left, so a deny after it never fires.
  ['nginx', 'deny 1.2.3.4; allow all;\ndeny 5.6.7.8;\n', 1n, ['L2 shadowed'], 'deny 1.2.3.4; allow all;\ndeny 5.6.7.8;\n'],
  // Each location is a scope of its own: nothing crosses them.
  ['nginx', 'location /a { deny 1.2.3.0/24; }\nlocation /b {\n  deny 1.2.3.4;\n}\n', 256n, [], 'location /a { deny 1.2.3.0/24; }\nlocation /b {\n  deny 1.2.3.4;\n}\n'],
  // iptables: a rule on a source and a destination decides only for the pairs; LOG decides nothing; chains are apart.
  ['iptables', '*filter\n-A INPUT -s 9.9.9.9 -d 10.0.0.1 -j DROP\n-A INPUT -s 7.7.7.7 -j LOG\n-A INPUT -p tcp --dport 22 -s 8.8.8.0/24 -j DROP\nCOMMIT\n', 0n, ['L2 conditional', 'L2 conditional', 'L4 conditional'], '*filter\n-A INPUT -s 9.9.9.9 -d 10.0.0.1 -j DROP\n-A INPUT -s 7.7.7.7 -j LOG\n-A INPUT -p tcp --dport 22 -s 8.8.8.0/24 -j DROP\nCOMMIT\n'],
  ['iptables', '*filter\n-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 1.2.3.0/24 -j ACCEPT\n-A INPUT -s 1.2.3.0/24 -j DROP\n-A FORWARD -s 1.2.3.4 -j DROP\nCOMMIT\n', 1n, ['L4 shadowed'], '*filter\n-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 1.2.3.0/24 -j ACCEPT\n-A INPUT -s 1.2.3.0/24 -j DROP\n-A FORWARD -s 1.2.3.4 -j DROP\nCOMMIT\n'],
  // Destinations make a scope of their own: an OUTPUT -d rule is not covered by an INPUT -s rule.
  ['iptables', '*filter\n-A OUTPUT -s 5.6.7.0/24 -j DROP\n-A OUTPUT -d 5.6.7.8 -j DROP\nCOMMIT\n', 256n, [], '*filter\n-A OUTPUT -s 5.6.7.0/24 -j DROP\n-A OUTPUT -d 5.6.7.8 -j DROP\nCOMMIT\n'],
];

for (const [id, text, blocked, findings, fixedAll] of cases) {
  test(`${id}: ${JSON.stringify(text)}`, () => {
    const { document, result } = read(id, text);
    assert.equal(result.ipv4.addresses, blocked, 'addresses blocked');
    assert.deepEqual(
      result.findings.filter((f) => f.entry !== undefined && f.code !== 'special-purpose').map((f) => `L${f.line + 1} ${f.code}`),
      findings,
    );
    assert.equal(applyEdits(text, fixAll(document, result.facts)), fixedAll);
  });
}

test('the hover and the report name each scope and its role', () => {
  const { document } = read('ipset', '# blocklist-role: allow trusted\ncreate trusted hash:net\nadd trusted 1.2.3.4\n');
  assert.deepEqual(
    document.scopes.map((scope) => [scope.label, scope.evaluation, scope.role]),
    [
      ['the file', 'most-specific', 'block'],
      ['set trusted', 'most-specific', 'allow'],
    ],
  );
});

test('fixes in a most-specific scope: no removal that would hand addresses to an exception, no split or exclusion across another entry', () => {
  const text = 'create bad hash:net\nadd bad 1.2.3.0/24\nadd bad 1.2.3.0/28 nomatch\nadd bad 1.2.3.4\nadd bad 9.9.9.0/24\n';
  const { document, result } = read('ipset', text);
  const context = { index: EntryIndex.of(document.entries), facts: result.facts };
  const titles = (k: number) => fixesForEntry(document, context, k, { maxEntries: 64, protected: ['9.9.9.9'], target: [] }).map((fix) => fix.title);
  assert.deepEqual(titles(2), [], '1.2.3.4 is not covered: the /28 exception lies between it and the /24');
  assert.deepEqual(titles(0), [], 'the /24 holds other entries: its halves would change which entry is the most specific');
  assert.ok(titles(3).includes('Split 9.9.9.0/24 into two halves (/25)'));
  assert.ok(titles(3).some((title) => title.startsWith('Exclude the protected networks from 9.9.9.0/24')));
});

/** A random hash:net set of CIDRs inside 10.0.0.0/26, some of them exceptions, in two sets. */
const line = fc.tuple(fc.constantFrom('a', 'b'), fc.nat(63), fc.integer({ min: 26, max: 32 }), fc.boolean()).map(([set, host, prefix, nomatch]) => {
  const network = host & ~((1 << (32 - prefix)) - 1) & 63;
  return `add ${set} 10.0.0.${network}/${prefix}${nomatch ? ' nomatch' : ''}`;
});

/** Which of 10.0.0.0-63 the sets block, by the rule itself: the most specific entry holding the address decides. */
function model(text: string): boolean[] {
  const entries = text
    .split('\n')
    .map((row) => /^add (\w) 10\.0\.0\.(\d+)\/(\d+)( nomatch)?$/.exec(row))
    .filter((match) => match !== null)
    .map((match) => ({ set: match[1], lo: Number(match[2]), size: 2 ** (32 - Number(match[3])), allow: match[4] !== undefined }));
  return Array.from({ length: 64 }, (_, address) =>
    ['a', 'b'].some((set) => {
      const holding = entries.filter((e) => e.set === set && address >= e.lo && address < e.lo + e.size);
      const decider = holding.reduce<(typeof holding)[number] | undefined>((best, e) => (best === undefined || e.size < best.size ? e : best), undefined);
      return decider !== undefined && !decider.allow;
    }),
  );
}

function blockedBy(text: string): boolean[] {
  const { result } = read('ipset', text);
  return Array.from({ length: 64 }, (_, address) => result.blocked4.has(0x0a000000 + address));
}

test('random hash:net sets: the blocked addresses, and after Fix all and after Aggregate File, equal the most-specific rule', () => {
  fc.assert(
    fc.property(fc.uniqueArray(line, { maxLength: 14, selector: (row) => row.replace(' nomatch', '') }), (rows) => {
      const text = `create a hash:net\ncreate b hash:net\n${rows.join('\n')}\n`;
      const expected = model(text);
      assert.deepEqual(blockedBy(text), expected);
      const { document, result } = read('ipset', text);
      assert.deepEqual(model(applyEdits(text, fixAll(document, result.facts))), expected, 'Fix all changed a decision');
      assert.deepEqual(model(applyEdits(text, aggregate(document))), expected, 'Aggregate File changed a decision');
    }),
    { numRuns: 400 },
  );
});

test('nginx: Aggregate File leaves rules where order decides, so no deny moves ahead of an allow', () => {
  const { document } = read('nginx', 'deny 1.2.3.0/25;\nallow 1.2.3.200;\ndeny 1.2.3.128/25;\n');
  assert.deepEqual(aggregate(document), []);
});

/** A random nginx rule inside 10.0.0.0/26, in one of two locations. */
const rule = fc
  .tuple(fc.constantFrom('deny', 'allow'), fc.nat(63), fc.integer({ min: 26, max: 32 }))
  .map(([verb, host, prefix]) => `${verb} 10.0.0.${host & ~((1 << (32 - prefix)) - 1) & 63}/${prefix};`);

/** Which of 10.0.0.0-63 some location denies, by the rule itself: in each, the first rule holding the address decides. */
function firstMatchModel(locations: string[][]): boolean[] {
  const rules = locations.map((rows) =>
    rows.map((row) => /^(deny|allow) 10\.0\.0\.(\d+)\/(\d+);$/.exec(row)!).map((m) => ({ deny: m[1] === 'deny', lo: Number(m[2]), size: 2 ** (32 - Number(m[3])) })),
  );
  return Array.from({ length: 64 }, (_, address) => rules.some((list) => list.find((r) => address >= r.lo && address < r.lo + r.size)?.deny ?? false));
}

function nginxText(locations: string[][]): string {
  return locations.map((rows, n) => `location /${n} {\n${rows.map((row) => `    ${row}\n`).join('')}}\n`).join('');
}

function locationsOf(text: string): string[][] {
  return text
    .split(/^location \/\d+ \{\n/m)
    .slice(1)
    .map((block) =>
      block
        .split('\n')
        .map((row) => row.trim())
        .filter((row) => row.startsWith('deny') || row.startsWith('allow')),
    );
}

test('random nginx locations: the blocked addresses, and after Fix all, equal the first-match rule in each location', () => {
  fc.assert(
    fc.property(fc.array(fc.array(rule, { maxLength: 10 }), { minLength: 1, maxLength: 2 }), (locations) => {
      const text = nginxText(locations);
      const { document, result } = read('nginx', text);
      const expected = firstMatchModel(locations);
      assert.deepEqual(
        Array.from({ length: 64 }, (_, address) => result.blocked4.has(0x0a000000 + address)),
        expected,
      );
      const fixed = applyEdits(text, fixAll(document, result.facts));
      assert.deepEqual(
        locationsOf(fixed).map((rows) => firstMatchModel([rows])),
        locations.map((rows) => firstMatchModel([rows])),
        'Fix all changed a decision',
      );
    }),
    { numRuns: 400 },
  );
});

test('Fix all removes a repeated `deny all;` once, with both of its entries', () => {
  const text = 'deny all;\ndeny all;\n';
  const { document, result } = read('nginx', text);
  assert.equal(applyEdits(text, fixAll(document, result.facts)), 'deny all;\n');
});

test('MikroTik: each address list is a scope of its own; an allowlist by the directive is not counted', () => {
  const text = '# blocklist-role: allow trusted\n/ip firewall address-list\nadd address=1.2.3.0/24 list=bad\nadd address=1.2.3.4 list=trusted\nadd address=1.2.3.4 list=bad\n';
  const { result } = read('mikrotik', text);
  assert.equal(result.ipv4.addresses, 256n);
  assert.deepEqual(
    result.findings.filter((f) => f.entry !== undefined).map((f) => `L${f.line + 1} ${f.code}`),
    ['L5 covered'],
  );
});

test('MikroTik: an entry with a timeout is temporary: it covers no permanent one, and no fix merges them', () => {
  const text =
    '/ip firewall address-list\nadd address=1.2.3.0/24 list=bl timeout=1d comment="temp ban"\nadd address=1.2.3.4 list=bl comment="permanent"\n' +
    'add address=5.5.5.0/25 list=bl timeout=1h\nadd address=5.5.5.128/25 list=bl\nadd address=6.6.6.6 list=bl disabled=true\n';
  const { document, result } = read('mikrotik', text);
  assert.equal(result.ipv4.addresses, 129n);
  assert.deepEqual(
    result.findings.filter((f) => f.entry !== undefined && f.code !== 'special-purpose').map((f) => `L${f.line + 1} ${f.code}`),
    ['L2 conditional', 'L4 conditional'],
  );
  assert.equal(applyEdits(text, fixAll(document, result.facts)), text);
  assert.equal(applyEdits(text, aggregate(document)), text);
  const index = EntryIndex.of(document.entries);
  const titles = [...Array(document.entries.count).keys()].flatMap((k) =>
    fixesForEntry(document, { index, facts: result.facts }, k, { maxEntries: 64, protected: [], target: [] }).map((fix) => fix.title),
  );
  assert.ok(!titles.some((title) => title.startsWith('Merge') || title.startsWith('Remove')), titles.join('\n'));
});

test('MikroTik: RouterOS 7 writes the command at the end of its path', () => {
  const { result } = read(
    'mikrotik',
    '/ip/firewall/address-list/add address=1.2.3.4 list=bl\n/ip/firewall/address-list/add list=bl address=5.6.7.8\n/ip/address/add address=9.9.9.9/24 interface=ether1\n',
  );
  assert.equal(result.ipv4.addresses, 2n);
});

test('most specific: of equal entries the first decides, so an equal exception behind a blocking entry keeps it from being covered', () => {
  for (const [text, blocked] of [
    ['table <t> { 10.0.0.0/22, !10.0.0.0/22, !10.0.1.0/24 }\n', 768n],
    ['table <t> { 10.0.0.0/8, 10.0.0.1, !10.0.0.1 }\n', 16_777_216n],
  ] as const) {
    const { document, result } = read('pf', text);
    assert.equal(result.ipv4.addresses, blocked, text);
    const after = read('pf', applyEdits(text, fixAll(document, result.facts)));
    assert.equal(after.result.ipv4.addresses, blocked, `Fix all changed what ${text} blocks`);
  }
});

test('MikroTik: RouterOS refuses an address its list already holds, and /import stops there: an error, what follows is conditional, and no fix lets the rest load', () => {
  const text = '/ip firewall address-list\nadd address=1.2.3.0/24 list=bl\nadd address=1.2.3.4 list=bl\nadd address=1.2.3.4 list=bl\nadd address=5.5.5.5 list=bl\n';
  const { document, result } = read('mikrotik', text);
  assert.equal(result.ipv4.addresses, 256n);
  assert.deepEqual(
    document.problems.map((p) => `L${p.line + 1} ${p.message.slice(0, p.message.indexOf(','))}`),
    ['L4 RouterOS refuses this add ("failure: already have such entry": line 3 adds 1.2.3.4 to bl already)'],
  );
  assert.deepEqual(
    result.findings.filter((f) => f.entry !== undefined && f.code !== 'special-purpose').map((f) => `L${f.line + 1} ${f.code}`),
    ['L3 covered', 'L5 conditional'],
  );
  // Removing line 3 (covered) or line 4 would let line 5 load: a change no title says.
  assert.deepEqual(fixAll(document, result.facts), []);
  assert.deepEqual(aggregate(document), []);
  const index = EntryIndex.of(document.entries);
  assert.deepEqual(fixesForEntry(document, { index, facts: result.facts }, 1, { maxEntries: 64, protected: [], target: [] }), []);
  // Caught by :do … on-error, the repeat stops nothing: it is a duplicate, and Fix all removes it.
  const caught = text.replace('add address=1.2.3.4 list=bl\nadd address=5', ':do { add address=1.2.3.4 list=bl } on-error={}\nadd address=5');
  const second = read('mikrotik', caught);
  assert.deepEqual(second.document.problems, []);
  assert.equal(second.result.ipv4.addresses, 257n);
});
