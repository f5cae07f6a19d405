/**
 * ipset files beyond single-part hash:net and hash:ip sets, as the kernel
 * holds them after `ipset restore` (each case asked of ipset 7.17 with
 * `ipset test` when it was written): what a later flush, destroy or del
 * takes away, or swap and rename move, decides nothing; an element of more
 * parts matches its address only with its other parts; the members of
 * list:set and bitmap:port sets are no addresses; a quoted `"nomatch"` is
 * `nomatch`; a set's netmask masks each element to a network, so its
 * elements are conditional; an element with a timeout expires, and is
 * conditional too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument, updateDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import { ipset } from '../../server/src/core/formats/ipset';

/** Each scope with entries that decide: `set: addresses it blocks`. */
function counts(document: BlocklistDocument): string[] {
  return audit(document).facts.scopeSets.map(({ scope, blocked4, blocked6 }) => `${document.scopes[scope].name}: ${blocked4.size() + blocked6.size()}`);
}

/** Each entry as `L<line> <text>`, with ` conditional` for one that decides nothing as such. */
function entries(document: BlocklistDocument): string[] {
  const t = document.entries;
  return Array.from({ length: t.count }, (_, k) => `L${t.line[k] + 1} ${document.text.slice(t.start[k], t.end[k])}${t.conditional[k] ? ' conditional' : ''}`);
}

test('what a later flush, destroy or del takes away decides nothing, so an element added again is no duplicate and Fix all keeps it', () => {
  const text =
    'create a hash:net\nadd a 10.20.0.0/24\nflush a\nadd a 10.20.0.5\n' +
    'create d hash:net\nadd d 1.2.3.0/24\nadd d 1.2.3.4\ndel d 1.2.3.4\nadd d 1.2.3.4\n' +
    'create x hash:ip\nadd x 5.6.7.8\ndestroy x\ncreate x hash:ip\nadd x 5.6.7.8\n';
  const document = parseDocument(text, ipset);
  assert.deepEqual(entries(document), [
    'L2 10.20.0.0/24 conditional',
    'L4 10.20.0.5',
    'L6 1.2.3.0/24',
    'L7 1.2.3.4 conditional',
    'L9 1.2.3.4',
    'L11 5.6.7.8 conditional',
    'L14 5.6.7.8',
  ]);
  assert.deepEqual(counts(document), ['a: 1', 'd: 256', 'x: 1']);
  // 1.2.3.4 of line 9 lies in 1.2.3.0/24 and decides the same: that removal changes nothing; line 4 and 14 stay.
  assert.equal(applyEdits(text, fixAll(document, audit(document).facts)), text.replace('del d 1.2.3.4\nadd d 1.2.3.4\n', 'del d 1.2.3.4\n'));
});

test('a flush or destroy of every set takes every element before it away; swap and rename are not followed', () => {
  const document = parseDocument('create a hash:ip\nadd a 1.1.1.1\nflush\nadd a 2.2.2.2\ncreate b hash:ip\nadd b 3.3.3.3\nswap a b\nadd b 4.4.4.4\n', ipset);
  assert.deepEqual(entries(document), ['L2 1.1.1.1 conditional', 'L4 2.2.2.2 conditional', 'L6 3.3.3.3 conditional', 'L8 4.4.4.4']);
});

test('an edit that writes a flush reads the file whole again', () => {
  const before = parseDocument('create a hash:ip\nadd a 1.1.1.1\nadd a 2.2.2.2\n', ipset);
  const after = updateDocument(before, 'create a hash:ip\nadd a 1.1.1.1\nflush a\nadd a 2.2.2.2\n');
  assert.deepEqual(entries(after), ['L2 1.1.1.1 conditional', 'L4 2.2.2.2']);
  assert.deepEqual(entries(updateDocument(after, 'create a hash:ip\nadd a 1.1.1.1\nadd a 2.2.2.2\n')), ['L2 1.1.1.1', 'L3 2.2.2.2']);
});

test('an element of more parts matches its address only with them: no duplicate across ports, nothing counted', () => {
  const text = 'create p hash:ip,port\nadd p 10.50.0.1,tcp:80\nadd p 10.50.0.1,tcp:443\ncreate i hash:net,iface\nadd i 10.0.0.0/8,eth0\n';
  const document = parseDocument(text, ipset);
  assert.deepEqual(entries(document), ['L2 10.50.0.1 conditional', 'L3 10.50.0.1 conditional', 'L5 10.0.0.0/8 conditional']);
  assert.deepEqual(counts(document), []);
  assert.equal(applyEdits(text, fixAll(document, audit(document).facts)), text);
});

test('list:set members and bitmap:port members with their protocol are no addresses, and no invalid entries', () => {
  const document = parseDocument('create a hash:net\ncreate l list:set\nadd l a\nadd l blocklist-v6\ncreate b bitmap:port range 0-1024\nadd b tcp:22\nadd b udp:100-200\n', ipset);
  assert.deepEqual(entries(document), []);
  assert.deepEqual(document.problems, []);
  // Without a list:set in the file, a word that is no address is still an invalid entry.
  assert.deepEqual(
    parseDocument('create a hash:net\nadd a not-an-ip\n', ipset).problems.map((p) => p.code),
    ['invalid-entry'],
  );
});

test('a quoted "nomatch" is nomatch', () => {
  const document = parseDocument('create n hash:net\nadd n 10.91.8.0/24\nadd n 10.91.8.0/28 "nomatch"\n', ipset);
  assert.deepEqual(counts(document), ['n: 240']);
});

test('a set created with a netmask holds each element as the network of its netmask: its elements are conditional, no split or exclusion is offered, and Fix all keeps them', () => {
  // ipset 7.17: after `add s 1.2.3.4` to `hash:ip netmask 24`, `ipset test s 1.2.3.200` finds it and `ipset save` lists 1.2.3.0; netmask 010 is 8.
  const text =
    'create s hash:ip netmask 24\nadd s 1.2.3.0/24\nadd s 5.6.7.4\ncreate t hash:ip netmask 010\nadd t 9.9.9.9\ncreate b hash:ip bitmask 255.255.0.255\nadd b 8.8.8.8\ncreate u hash:ip netmask 32\nadd u 1.1.1.1\n';
  const document = parseDocument(text, ipset);
  assert.deepEqual(entries(document), ['L2 1.2.3.0/24 conditional', 'L3 5.6.7.4 conditional', 'L5 9.9.9.9 conditional', 'L7 8.8.8.8 conditional', 'L9 1.1.1.1']);
  assert.deepEqual(counts(document), ['u: 1']);
  const context = { index: EntryIndex.of(document.entries), facts: audit(document).facts };
  // A half of 1.2.3.0/24, masked to /24, is the whole again (and the second an element added twice); 1.2.3.5 excluded would stay blocked.
  assert.deepEqual(fixesForEntry(document, context, 0, { maxEntries: 512, protected: ['1.2.3.5'], target: [] }), []);
  assert.equal(applyEdits(text, fixAll(document, context.facts)), text);
});

test('an element that expires blocks for a while: conditional, so no permanent element is covered by it or merged with it', () => {
  // ipset 7.17: `ipset save` writes the seconds left of each element of a set made with the timeout extension (0: for good);
  // an add without a timeout of its own takes its set's default.
  const text =
    'create f hash:net family inet timeout 600\nadd f 1.2.3.0/24 timeout 500\nadd f 1.2.3.4 timeout 0\nadd f 5.6.7.8\n' +
    'create g hash:ip family inet timeout 0\nadd g 9.9.9.9 timeout 60\nadd g 9.9.9.10 timeout 0\n';
  const document = parseDocument(text, ipset);
  assert.deepEqual(entries(document), ['L2 1.2.3.0/24 conditional', 'L3 1.2.3.4', 'L4 5.6.7.8 conditional', 'L6 9.9.9.9 conditional', 'L7 9.9.9.10']);
  assert.deepEqual(counts(document), ['f: 1', 'g: 1']);
  // Removing 1.2.3.4 as covered by the /24 would unblock it once the /24 expires; merging 9.9.9.10 with 9.9.9.9 would make it expire.
  assert.equal(applyEdits(text, fixAll(document, audit(document).facts)), text);
  const findings = audit(document).findings.map((finding) => finding.code);
  assert.ok(!findings.includes('covered') && !findings.includes('mergeable'), findings.join(', '));
});

test('an edit that gives a set a default timeout reads the file whole again', () => {
  const before = parseDocument('create a hash:ip timeout 0\nadd a 1.1.1.1\n', ipset);
  assert.deepEqual(entries(before), ['L2 1.1.1.1']);
  assert.deepEqual(entries(updateDocument(before, 'create a hash:ip timeout 300\nadd a 1.1.1.1\n')), ['L2 1.1.1.1 conditional']);
});
