/**
 * What `ipset restore` and `apache2 -t` refuse, as `loader-rejects`
 * findings (issue 9): the rows of loaderCases.ts (which
 * test/oracle/loaderRejects.test.ts holds to the tools themselves), then the
 * words of each kind of refusal, with the fix and the lines it involves;
 * and the fixes that write CIDRs never write one the loader refuses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit, auditTotals, type Finding } from '../../server/src/core/analysis/audit';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { FindingWalk } from '../../server/src/core/analysis/findingWalk';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { parseDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import type { FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';
import { APACHE_CASES, IPSET_CASES } from './loaderCases';

function rejections(format: FormatId, text: string) {
  return audit(parseDocument(text, formatById(format)!)).findings.filter((f) => f.code === 'loader-rejects');
}

for (const [format, cases] of [
  ['ipset', IPSET_CASES],
  ['apache', APACHE_CASES],
] as const) {
  for (const [name, text, rejected] of cases) {
    test(`${format}: ${name}`, () => {
      assert.deepEqual(
        rejections(format, text).map((f) => `L${f.line + 1} ${f.severity}`),
        rejected,
      );
    });
  }
}

test('ipset: a set with forceadd is not checked against maxelem (whether the kernel replaces an element or refuses turns on its hash)', () => {
  assert.deepEqual(rejections('ipset', 'create a hash:ip maxelem 1 forceadd\nadd a 1.2.3.4\nadd a 1.2.3.5\n'), []);
});

/** Each finding as its line, the words at its place, its message, and its related places as `L<line> <text>: <message>`. */
function said(format: FormatId, text: string): string[][] {
  return rejections(format, text).map((f) => [
    `L${f.line + 1} ${text.slice(f.start, f.end)}`,
    f.message,
    ...(f.related ?? []).map((r) => `L${r.line + 1} ${text.slice(r.start, r.end)}: ${r.message}`),
  ]);
}

test('ipset: each refusal in ipset’s words, with the fix and the line it conflicts with', () => {
  assert.deepEqual(said('ipset', 'create bl hash:net family inet\nadd bl 2001:db8::/32\n'), [
    [
      'L2 2001:db8::/32',
      'ipset restore rejects this line: "resolving to IPv4 address failed". 2001:db8::/32 is IPv6, and set bl holds IPv4 addresses: move it to a set created with "family inet6".',
      'L1 hash:net: Created here for IPv4.',
    ],
  ]);
  assert.deepEqual(said('ipset', 'create bl hash:ip\nadd bl 1.2.3.1\nadd bl 1.2.3.0/30\nadd bl 1.2.3.1\n'), [
    [
      'L3 1.2.3.0/30',
      'ipset restore rejects this line: "Element cannot be added to the set: it\'s already added". 1.2.3.0/30 shares addresses with 1.2.3.1, added on line 2: remove this line, or put -exist on the first add of its run.',
      'L2 1.2.3.1: Added here.',
    ],
    [
      'L4 1.2.3.1',
      'ipset restore rejects this line: "Element cannot be added to the set: it\'s already added". 1.2.3.1 is added on line 2: remove this line, or put -exist on the first add of its run.',
      'L2 1.2.3.1: Added here.',
    ],
  ]);
  assert.deepEqual(said('ipset', 'create bl hash:ip\nadd bl 10.0.0.0/16\nadd bl 10.1.0.0/31\n'), [
    [
      'L3 10.1.0.0/31',
      'ipset restore rejects this line: "Hash is full, cannot add more elements". Set bl would hold 65,538 elements (hash:ip adds every address of a CIDR or range), more than its maxelem of 65,536: raise maxelem on its create line.',
      'L1 hash:ip: Created here with maxelem 65,536 (the default).',
    ],
  ]);
  assert.deepEqual(said('ipset', 'create bl hash:net\ncreate bl hash:net maxelem 10\n'), [
    [
      'L2 bl',
      'ipset restore rejects this line: "Set cannot be created: set with the same name already exists". Set bl is created on line 1: remove this line, or put -exist on it and make both create lines the same.',
      'L1 bl: Created here.',
    ],
  ]);
  assert.deepEqual(said('ipset', 'add bl 1.2.3.4\n'), [
    [
      'L1 bl',
      'ipset restore rejects this line unless set bl exists already: "The set with the given name does not exist". No line of this file creates it: create it first ("create bl hash:net family inet"), or restore the file into a running set.',
    ],
  ]);
  assert.deepEqual(said('ipset', 'create bl hash:net\ndestroy bl\nflush bl\n'), [
    [
      'L3 bl',
      'ipset restore rejects this line: "The set with the given name does not exist". Set bl is destroyed on line 2: create it again before this line.',
      'L2 destroy: Destroyed here.',
    ],
  ]);
  assert.deepEqual(said('ipset', 'create bl hash:ip\nadd bl 1.2.3.4 timeout 60\n'), [
    [
      'L2 timeout',
      'ipset restore rejects this line: "Timeout cannot be used: set was created without timeout support". Add "timeout" to the create line of set bl, or remove the option.',
      'L1 hash:ip: Created here without timeout.',
    ],
  ]);
  assert.deepEqual(said('ipset', 'create bl hash:ip netmask 24\nadd bl 0.0.0.5\n'), [
    [
      'L2 0.0.0.5',
      'ipset restore rejects this line: "Null-valued element, cannot be stored in a hash type of set". The first address of 0.0.0.5, masked to the set\'s netmask /24, is 0.0.0.0, which a hash set cannot store: leave it out.',
      'L1 hash:ip: Created here as hash:ip.',
    ],
  ]);
});

test('Apache: each refusal in Apache’s words, with the fix and the lines involved', () => {
  assert.deepEqual(said('apache', '<RequireAny>\n  Require all granted\n  Require not ip 1.2.3.4\n</RequireAny>\n'), [
    [
      'L3 Require not ip 1.2.3.4',
      'Apache refuses this configuration: "negative Require directive has no effect in <RequireAny> directive". Put it in a <RequireAll> with "Require all granted" (or what it grants).',
      'L1 <RequireAny>: The <RequireAny> it stands in.',
    ],
  ]);
  assert.deepEqual(said('apache', '<RequireAll>\n  Require not ip 1.2.3.4\n  <RequireNone>\n    Require ip 1.2.3.5\n  </RequireNone>\n</RequireAll>\n'), [
    [
      'L1 <RequireAll>',
      'Apache refuses this configuration: "<RequireAll> directive contains only negative authorization directives". Add "Require all granted" (or what it grants) to it.',
      'L2 Require not ip 1.2.3.4: A negative directive.',
      'L3 <RequireNone>: A negative directive.',
    ],
  ]);
  assert.deepEqual(said('apache', '<RequireAll>\n</RequireAll>\n'), [
    ['L1 <RequireAll>', 'Apache refuses this configuration: "<RequireAll> directive contains no authorization directives". Put a Require directive in it, or remove it.'],
  ]);
  assert.deepEqual(said('apache', '<RequireAll>\n  Require all granted\n  Deny from 1.2.3.5\n</RequireAll>\n'), [
    [
      'L3 Deny from 1.2.3.5',
      'Apache refuses this configuration: "deny not allowed in <RequireAll> context". Move it out of the <RequireAll>: Order, Allow and Deny stand beside the Require sections.',
      'L1 <RequireAll>: The <RequireAll> it stands in.',
    ],
  ]);
});

/** The text after Fix all and after Aggregate File. */
function fixed(format: FormatId, text: string): { fixAll: string; aggregate: string } {
  const document = parseDocument(text, formatById(format)!);
  return { fixAll: applyEdits(text, fixAll(document, audit(document).facts)), aggregate: applyEdits(text, aggregate(document)) };
}

/** The titles of the fixes offered on entry k. */
function fixTitles(format: FormatId, text: string, k: number): string[] {
  const document = parseDocument(text, formatById(format)!);
  const context = { index: EntryIndex.of(document.entries), facts: audit(document).facts };
  return fixesForEntry(document, context, k, { maxEntries: 100, protected: [], target: [] }).map((fix) => fix.title);
}

test('ipset: no fix removes the line whose -exist a later create needs (found by the oracle test: restore refused Fix all’s file at line 6)', () => {
  // -exist stays in force from the line that says it: the second create loads. Line 3 is covered by line 5.
  const text = ['create a hash:net', 'add a 10.0.0.1/30', 'add a 10.0.0.5 -exist', 'add a 0.0.0.0/30', 'add a 10.0.0.2-10.0.0.5', 'create a hash:net', 'add a 10.0.3.13', ''].join(
    '\n',
  );
  assert.deepEqual(rejections('ipset', text), []);
  assert.equal(
    fixTitles('ipset', text, 1).find((title) => title.startsWith('Remove')),
    undefined,
  );
  const after = fixed('ipset', text).fixAll;
  assert.deepEqual(rejections('ipset', after), [], after);
  // What Fix all may still do, it does: host bits written as the network.
  assert.match(after, /^add a 10\.0\.0\.0\/30$/m);
  assert.match(after, /^add a 10\.0\.0\.5 -exist$/m);
  // -exist in force from the first command binds every run alike: removing a line moves nothing, and Fix all removes it.
  const early = ['create a hash:net -exist', 'add a 10.0.0.0/24', 'add a 10.0.0.5', 'create a hash:net', 'add a 10.0.3.13', ''].join('\n');
  assert.deepEqual(fixed('ipset', early).fixAll.split('\n'), ['create a hash:net -exist', 'add a 10.0.0.0/24', 'create a hash:net', 'add a 10.0.3.13', '']);
});

test('nftables: no merge into a prefix, which a set without flags interval refuses', () => {
  const set = (flags: string) => `table ip t {\n  set h {\n    type ipv4_addr${flags}\n    elements = { 1.2.3.4, 1.2.3.5 }\n  }\n}\n`;
  assert.deepEqual(fixTitles('nftables', set(''), 0), []);
  assert.deepEqual(fixTitles('nftables', set('; flags interval'), 0), ['Merge with line 4 into 1.2.3.4/31']);
});

test('nftables: an element equal to another of a set without auto-merge is only removed; split or merged, it would overlap its twin', () => {
  const set = (merge: string) => `table ip t {\n  set s {\n    type ipv4_addr; flags interval${merge}\n    elements = { 1.2.3.0/25, 1.2.3.0/25, 1.2.3.128/25 }\n  }\n}\n`;
  assert.deepEqual(fixTitles('nftables', set(''), 0), []);
  assert.deepEqual(fixTitles('nftables', set(''), 1), ['Remove duplicate 1.2.3.0/25 (line 4 has it)']);
  // With auto-merge, nft merges what overlaps: every fix stays.
  assert.deepEqual(fixTitles('nftables', set('; auto-merge'), 0), ['Merge with line 4 into 1.2.3.0/24', 'Split 1.2.3.0/25 into two halves (/26)']);
});

test('nftables: an auto-merge set refuses an element that would merge with an earlier one once another set came between its additions, and no fix leaves it so', () => {
  const file = (first: string) =>
    `table inet t {\n  set a {\n    type ipv4_addr; flags interval; auto-merge\n    elements = { 10.0.0.21, ${first} }\n  }\n  set a6 {\n    type ipv6_addr; flags interval; auto-merge\n  }\n}\n` +
    'add element inet t a { 10.0.0.100 }\nadd element inet t a6 { 2001:db8::11 }\nadd element inet t a { 10.0.0.0/27 }\n';
  // The declaration holds the /27 already: the later one is equal to it and loads.
  assert.deepEqual(rejections('nftables', file('10.0.0.0/27')), []);
  const [refused] = rejections('nftables', file('192.0.2.1'));
  assert.equal(refused.line, 11);
  assert.match(refused.message, /^nft rejects this set: 10\.0\.0\.0\/27 would merge with 10\.0\.0\.21 \(line 4\), added earlier in the same file/);
  // Taking the declaration's /27 away would leave the later one to merge: that fix is not offered; on the later /27 it is.
  const titles = (k: number) => {
    const document = parseDocument(file('10.0.0.0/27'), formatById('nftables')!);
    const context = { index: EntryIndex.of(document.entries), facts: audit(document).facts };
    return fixesForEntry(document, context, k, { maxEntries: 100, protected: ['10.0.0.0/27'], target: [] }).map((fix) => fix.title);
  };
  assert.ok(!titles(1).some((title) => title.startsWith('Exclude the protected networks')));
  assert.ok(titles(4).some((title) => title.startsWith('Exclude the protected networks')));
});

test('ipset: Fix all, Aggregate File and the merge fix never write what restore refuses', () => {
  // hash:ip takes plain IPv6 addresses only: 2001:db8::/127 is refused, so the set stays as it is.
  const v6 = 'create a hash:ip family inet6\nadd a 2001:db8::\nadd a 2001:db8::1\n';
  assert.deepEqual(fixed('ipset', v6), { fixAll: v6, aggregate: v6 });
  assert.deepEqual(fixTitles('ipset', v6, 0), []);
  // 0.0.0.1/30 loads (from 0.0.0.0 on); written as its network, 0.0.0.0/30, it is a null element.
  const zero = 'create a hash:ip\nadd a 0.0.0.1/30\nadd a 0.0.0.4/30\n';
  assert.deepEqual(fixed('ipset', zero), { fixAll: zero, aggregate: zero });
  // Where the loader takes them, the networks and blocks are written as before.
  assert.deepEqual(fixed('ipset', 'create a hash:ip\nadd a 10.0.0.1/30\nadd a 10.0.0.4/30\n'), {
    fixAll: 'create a hash:ip\nadd a 10.0.0.0/30\nadd a 10.0.0.4/30\n',
    aggregate: 'create a hash:ip\nadd a 10.0.0.0/29\n',
  });
  assert.deepEqual(
    fixed('ipset', 'create a hash:net family inet6\nadd a 2001:db8::\nadd a 2001:db8::1\n').aggregate,
    'create a hash:net family inet6\nadd a 2001:db8::\nadd a 2001:db8::1\n',
  );
});

test('Apache: Fix all and the removal fix leave no Require section empty, which Apache refuses', () => {
  // 10.0.0.10 adds nothing beside 10.0.0.8/30, but without it the <RequireAny> would be empty.
  const alone = '<RequireAny>\n  Require ip 10.0.0.10\n</RequireAny>\nRequire ip 10.0.0.8/30\n';
  assert.equal(fixed('apache', alone).fixAll, alone);
  assert.deepEqual(fixTitles('apache', alone, 0), []);
  // Of two that add nothing, the first stays.
  assert.equal(
    fixed('apache', '<RequireAny>\n  Require ip 10.0.0.9\n  Require ip 10.0.0.10\n</RequireAny>\nRequire ip 10.0.0.8/30\n').fixAll,
    '<RequireAny>\n  Require ip 10.0.0.9\n</RequireAny>\nRequire ip 10.0.0.8/30\n',
  );
});

test('Apache: Fix all leaves a <RequireAll> a directive that grants, as Apache refuses one of negative directives only', () => {
  // Require ip 10.0.0.4 excepts what Require all granted beside the <RequireAny> excepts anyway, but it is the only directive of its
  // <RequireAll> that is not negative (found by the random differential test against apache2 -t).
  const text = [
    '<RequireAny>',
    '<RequireAll>',
    'Require not ip 10.0.0.4/30',
    'Require ip 10.0.0.4',
    'Require not ip 10.0.0.1',
    '</RequireAll>',
    'Require ip 10.0.0.12',
    '</RequireAny>',
    '<RequireAny>',
    'Require all granted',
    '</RequireAny>',
    '',
  ].join('\n');
  assert.equal(fixed('apache', text).fixAll, text);
  // The covered exception is found all the same.
  const document = parseDocument(text, formatById('apache')!);
  assert.ok(audit(document).findings.some((finding) => finding.line === 3 && finding.code === 'covered'));
});

test('a rejection is explained only when its finding is written: a file may have one per element', () => {
  // An interval set without auto-merge, each element overlapping the one before: nft rejects all but the first.
  const elements = Array.from({ length: 2_000 }, (_, n) => `10.${n >> 8}.${n & 255}.0-10.${(n + 1) >> 8}.${(n + 1) & 255}.0`);
  const text = `table inet t {\n  set s {\n    type ipv4_addr\n    flags interval\n    elements = { ${elements.join(', ')} }\n  }\n}\n`;
  const document = parseDocument(text, formatById('nftables')!);
  const options = { ...DEFAULT_AUDIT_OPTIONS, maxFindings: Number.MAX_SAFE_INTEGER };
  const facts = auditTotals(document, options, undefined).facts;
  assert.equal(facts.loader.length, 1_999);
  let explained = 0;
  const counted = facts.loader.map((rejection) => ({ ...rejection, explain: () => (explained++, rejection.explain()) }));
  const walk = new FindingWalk(document, { ...facts, loader: counted }, options, undefined);
  const written: Finding[] = [];
  for (let severity = walk.next(); severity !== undefined; severity = walk.next()) if (written.length < 5) written.push(walk.write());
  assert.equal(explained, written.filter((finding) => finding.code === 'loader-rejects').length);
  assert.match(written.find((finding) => finding.code === 'loader-rejects')!.message, /^nft rejects this set: 10\.0\.1\.0-10\.0\.2\.0 overlaps 10\.0\.0\.0-10\.0\.1\.0 \(line 5\)/);
});
