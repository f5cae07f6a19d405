/**
 * Octets with a leading zero, as each loader reads them: nft, iptables and
 * ipset read them as C's inet_aton does, as octal (nft lists 1.2.3.010 as
 * 1.2.3.8; iptables-save prints 10.0.0.013 as 10.0.0.11; `ipset test`
 * finds 8.0.0.1 after adding 010.0.0.1), a prefix length too (all three
 * list 10.0.0.0/010 as 10.0.0.0/8), and refuse a zero before an 8 or a 9;
 * a plain list is read as decimal, with the warning. tcpd reads a
 * `net/mask` with inet_addr, as octal too, and compares an address alone
 * (or a `10.` prefix) with the client's as text, so one with a leading
 * zero matches no client (each case asked of tcpdmatch, Debian 7.6.q-32).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAddress } from '../../server/src/core/addresses/display';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import type { FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';

/** The entries read, as first addresses, and the problems' codes. */
function read(format: FormatId, text: string): { entries: string[]; problems: string[] } {
  const document = parseDocument(text, formatById(format)!);
  const t = document.entries;
  return {
    entries: Array.from({ length: t.count }, (_, k) => formatAddress(t.version[k], t.lo(k))),
    problems: document.problems.map((p) => `${p.code} ${text.slice(p.start, p.end)}`),
  };
}

test('nft reads a leading zero as octal: 1.2.3.010 is 1.2.3.8, no duplicate of 1.2.3.10, and Fix all keeps it', () => {
  const text = 'table ip t {\n  set s {\n    type ipv4_addr\n    elements = { 1.2.3.10, 1.2.3.010, 1.2.3.09 }\n  }\n}\n';
  assert.deepEqual(read('nftables', text), { entries: ['1.2.3.10', '1.2.3.8'], problems: ['leading-zeros 010', 'invalid-entry 09'] });
  const document = parseDocument(text, formatById('nftables')!);
  assert.equal(applyEdits(text, fixAll(document, audit(document).facts)), text);
});

test('iptables reads a leading zero as octal: 10.0.0.013 is 10.0.0.11, outside 10.0.0.12/30', () => {
  const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.12/30 -j DROP\n-A INPUT -s 10.0.0.013 -j DROP\nCOMMIT\n';
  assert.deepEqual(read('iptables', text).entries, ['10.0.0.12', '10.0.0.11']);
  const document = parseDocument(text, formatById('iptables')!);
  assert.equal(applyEdits(text, fixAll(document, audit(document).facts)), text);
});

test('ipset reads a leading zero as octal, in a netmask too', () => {
  assert.deepEqual(read('ipset', 'create a hash:net\nadd a 010.0.0.1\nadd a 10.0.0.0/255.255.255.0\n').entries, ['8.0.0.1', '10.0.0.0']);
});

test('a plain list reads a leading zero as decimal, and warns', () => {
  assert.deepEqual(read('plain', '1.2.3.010\n'), { entries: ['1.2.3.10'], problems: ['leading-zeros 010'] });
});

test('an octal octet may be written with more than three digits: 0377 is 255 to nft', () => {
  assert.deepEqual(read('nftables', 'table ip t {\n  set s {\n    type ipv4_addr\n    elements = { 1.2.3.0377, 1.2.3.0400 }\n  }\n}\n'), {
    entries: ['1.2.3.255'],
    problems: ['leading-zeros 0377', 'invalid-entry 0400'],
  });
});

test('tcpd reads a net/mask as inet_addr does: 010.0.0.0/255.0.0.0 is 8.0.0.0/8, so 10.1.2.3 is no duplicate of it, and Fix all keeps it', () => {
  const text = 'sshd: 010.0.0.0/255.0.0.0, 10.1.2.3, 10.1.0.0/255.0377.0.0\n';
  assert.deepEqual(read('hosts-deny', text), { entries: ['8.0.0.0', '10.1.2.3', '10.1.0.0'], problems: ['leading-zeros 010', 'leading-zeros 0377'] });
  const document = parseDocument(text, formatById('hosts-deny')!);
  // 10.1.2.3 is inside 10.1.0.0/16 (0377 is 255), not inside 8.0.0.0/8: Fix all removes it for that reason alone.
  assert.equal(applyEdits(text, fixAll(document, audit(document).facts)), 'sshd: 010.0.0.0/255.0.0.0, 10.1.0.0/255.0377.0.0\n');
});

test('tcpd compares an address or prefix without a mask as text: with a leading zero it matches no client, and the client it names stays blocked', () => {
  const text = 'sshd: 010.1.2.3, 010., 10.1.2.3\n';
  const { entries, problems } = read('hosts-deny', text);
  assert.deepEqual({ entries, problems }, { entries: ['10.1.2.3'], problems: ['invalid-entry 010.1.2.3', 'invalid-entry 010.'] });
  assert.equal(
    parseDocument(text, formatById('hosts-deny')!).problems[1].message,
    `tcpd never matches 010.: it compares the client's address as text, and no client's address has an octet with a leading zero. Write "10.".`,
  );
  const document = parseDocument(text, formatById('hosts-deny')!);
  assert.equal(applyEdits(text, fixAll(document, audit(document).facts)), text);
});

test('tcpd never matches a mask or net that inet_addr reads as 255.255.255.255, nor a /0 however written', () => {
  assert.deepEqual(read('hosts-deny', 'sshd: 1.2.3.4/255.255.255.0377, 0377.255.255.255/32, 0.0.0.0/00\n').problems, [
    'invalid-entry 1.2.3.4/255.255.255.0377',
    'invalid-entry 0377.255.255.255/32',
    'invalid-entry 0.0.0.0/00',
  ]);
});

test('nft, iptables and ipset read a prefix length with a leading zero as octal too (/010 is /8) and refuse /08; libwrap reads /010 as /10', () => {
  const nft = 'table ip t {\n  set s {\n    type ipv4_addr\n    flags interval\n    elements = { 10.0.0.0/010, 11.0.0.0/08 }\n  }\n}\n';
  const iptables = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.0/010 -j DROP\n-A INPUT -s 11.0.0.0/08 -j DROP\nCOMMIT\n';
  const ipset = 'create n hash:net\nadd n 10.0.0.0/010\nadd n 11.0.0.0/08\n';
  for (const [format, text] of [
    ['nftables', nft],
    ['iptables', iptables],
    ['ipset', ipset],
  ] as const) {
    const document = parseDocument(text, formatById(format)!);
    assert.deepEqual([document.entries.count, document.entries.prefix[0]], [1, 8], format);
    assert.deepEqual(read(format, text).problems, ['leading-zeros /010', 'invalid-entry /08'], format);
  }
  assert.equal(parseDocument('sshd: 10.0.0.0/010\n', formatById('hosts-deny')!).entries.prefix[0], 10);
});
