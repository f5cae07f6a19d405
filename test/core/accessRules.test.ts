/**
 * hosts.deny and Apache as their programs decide (issue 9): each daemon,
 * each Apache section and the file itself is a scope; a rule blocks its list
 * less its own exceptions, and an exception of one rule excepts nothing of
 * another. The cases of the issue and of ORACLES.md are table rows (the
 * addresses each scope blocks, the findings, the text after Fix all); then
 * property tests hold random files, and the same files after Fix all, to a
 * brute-force model of each program's rule. test/oracle/accessRules.test.ts
 * holds the same files to tcpdmatch and Apache themselves.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatIPv4 } from '../../server/src/core/addresses/ipv4';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import type { FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';

function read(id: FormatId, text: string) {
  const document = parseDocument(text, formatById(id)!);
  return { document, result: audit(document) };
}

/** Each scope with a set, as `<label>: <IPv4 addresses>[ + <IPv6 addresses>]`. */
function scopeCounts(id: FormatId, text: string): string[] {
  const { document, result } = read(id, text);
  return result.facts.scopeSets.map((s) => `${document.scopes[s.scope].label}: ${s.blocked4.size()}${s.blocked6.isEmpty ? '' : ` + ${s.blocked6.size()}`}`);
}

const EVERY_IPV6 = `${1n << 128n}`;

/**
 * (format, text, what each scope blocks, findings as `L<line> <code>` without
 * special-purpose and protected, the text after Fix all). A list that loses
 * its last item takes its rule or directive with it: `sshd: ` and
 * `Require not ip ` would be rejected by tcpd and Apache.
 */
// oxfmt-ignore
const cases: [format: FormatId, text: string, scopes: string[], findings: string[], fixedAll: string][] = [
  // The issue: the ALL line excepts 10.1.2.3, and only for its own list; sshd is denied 10.1.2.3 by line 2 alone (tcpdmatch says so), so line 2 is not covered.
  ['hosts-deny', 'ALL: 10.0.0.0/255.0.0.0 EXCEPT 10.1.2.3\nsshd: 10.1.2.3\n', ['daemon ALL: 16777215', 'daemon sshd: 16777216'], ['L1 overbroad'], 'ALL: 10.0.0.0/255.0.0.0 EXCEPT 10.1.2.3\nsshd: 10.1.2.3\n'],
  // ORACLES.md: without line 2, sshd from 10.1.2.3 is granted.
  ['hosts-deny', 'ALL: 10.0.0.0/255.0.0.0 EXCEPT 10.1.2.3\n', ['daemon ALL: 16777215'], ['L1 overbroad'], 'ALL: 10.0.0.0/255.0.0.0 EXCEPT 10.1.2.3\n'],
  // Without the exception the ALL line denies 10.1.2.3 to sshd too: line 2 adds nothing.
  ['hosts-deny', 'ALL: 10.0.0.0/255.0.0.0\nsshd: 10.1.2.3\n', ['daemon ALL: 16777216', 'daemon sshd: 16777216'], ['L1 overbroad', 'L2 covered'], 'ALL: 10.0.0.0/255.0.0.0\n'],
  // Line 2 denies what line 1 excepts: the exception never takes effect, and line 2 stays.
  ['hosts-deny', 'sshd: 192.0.2.0/24 EXCEPT 192.0.2.5\nsshd: 192.0.2.5\n', ['daemon sshd: 256'], ['L1 shadowed'], 'sshd: 192.0.2.0/24 EXCEPT 192.0.2.5\nsshd: 192.0.2.5\n'],
  // tcpd ends the client list at the first colon: 10.0.0.60 is the client, the rest options (tcpdmatch: denied). Not an unbracketed IPv6 address.
  ['hosts-deny', 'sshd: 10.0.0.60:ffff:ffff:fff8\n', ['daemon sshd: 1'], [], 'sshd: 10.0.0.60:ffff:ffff:fff8\n'],
  ['hosts-deny', 'sshd: 192.0.2.1\nsshd: 192.0.2.1, 192.0.2.2\n', ['daemon sshd: 2'], ['L2 duplicate'], 'sshd: 192.0.2.1\nsshd: 192.0.2.2\n'],
  // An ALL line holds for the daemons the file does not name: sshd's /24 does not cover it.
  ['hosts-deny', 'sshd: 192.0.2.0/24\nALL: 192.0.2.7\n', ['daemon sshd: 256', 'daemon ALL: 1'], [], 'sshd: 192.0.2.0/24\nALL: 192.0.2.7\n'],
  // A line for two daemons is needed by vsftpd.
  ['hosts-deny', 'sshd, vsftpd: 192.0.2.1\nsshd: 192.0.2.0/24\n', ['daemon sshd: 256', 'daemon vsftpd: 1'], [], 'sshd, vsftpd: 192.0.2.1\nsshd: 192.0.2.0/24\n'],
  ['hosts-deny', 'ALL EXCEPT sshd: 192.0.2.1\nsshd: 192.0.2.2\nvsftpd: 192.0.2.3\n', ['daemon ALL: 1', 'daemon sshd: 1', 'daemon vsftpd: 2'], [], 'ALL EXCEPT sshd: 192.0.2.1\nsshd: 192.0.2.2\nvsftpd: 192.0.2.3\n'],
  // A daemon named after another is a scope too: tcpdmatch denies sshd 192.0.2.1 here.
  ['hosts-deny', 'vsftpd, sshd: 192.0.2.1\n', ['daemon vsftpd: 1', 'daemon sshd: 1'], [], 'vsftpd, sshd: 192.0.2.1\n'],
  ['hosts-deny', 'vsftpd sshd: 192.0.2.0/24\nsshd: 192.0.2.1\n', ['daemon vsftpd: 256', 'daemon sshd: 256'], ['L2 covered'], 'vsftpd sshd: 192.0.2.0/24\n'],
  // `ALL` among the clients is every address, both families: counted, and overbroad says so.
  ['hosts-deny', 'sshd: ALL EXCEPT 192.0.2.1\n', [`daemon sshd: 4294967295 + ${EVERY_IPV6}`], ['L1 overbroad', 'L1 overbroad'], 'sshd: ALL EXCEPT 192.0.2.1\n'],
  // A second EXCEPT, or a name among the exceptions: decided by more than the address, so conditional.
  ['hosts-deny', 'sshd: 10.0.0.0/255.0.0.0 EXCEPT 10.1.0.0/255.255.0.0 EXCEPT 10.1.2.3\n', [], ['L1 conditional', 'L1 conditional', 'L1 conditional'], 'sshd: 10.0.0.0/255.0.0.0 EXCEPT 10.1.0.0/255.255.0.0 EXCEPT 10.1.2.3\n'],
  ['hosts-deny', 'sshd: 192.0.2.0/24 EXCEPT trusted.example.com\n', [], ['L1 conditional'], 'sshd: 192.0.2.0/24 EXCEPT trusted.example.com\n'],
  ['hosts-deny', 'sshd: 192.0.2.0/24 EXCEPT 198.51.100.1\n', ['daemon sshd: 256'], ['L1 ineffective-exception'], 'sshd: 192.0.2.0/24 EXCEPT 198.51.100.1\n'],
  ['hosts-deny', 'sshd: 192.0.2.1 EXCEPT 192.0.2.0/24\n', ['daemon sshd: 0'], ['L1 shadowed'], 'sshd: 192.0.2.1 EXCEPT 192.0.2.0/24\n'],
  // A rule whose options say allow grants, and the first matching line decides: nothing there is reported covered.
  ['hosts-deny', 'sshd: 192.0.2.1 : allow\nsshd: 192.0.2.0/24\n', ['daemon sshd: 255'], [], 'sshd: 192.0.2.1 : allow\nsshd: 192.0.2.0/24\n'],
  // What tcpd never matches (checked with tcpdmatch): host bits past the mask, the mask 255.255.255.255, a /0. Errors, not entries.
  ['hosts-deny', 'sshd: 10.0.0.5/255.255.255.255, 10.0.0.6/24, 0.0.0.0/0, 10.0.0.7/32\n', ['daemon sshd: 1'], ['L1 invalid-entry', 'L1 invalid-entry', 'L1 invalid-entry'], 'sshd: 10.0.0.5/255.255.255.255, 10.0.0.6/24, 0.0.0.0/0, 10.0.0.7/32\n'],
  // IPv6 lengths as tcpd reads them (checked with tcpdmatch): the leading digits after the bracket, so a mask written as an address (`/ffff:ffff::`, whose
  // next colon ends the client list) is /0, every IPv6 address, and `/64abc` is /64: entries, and errors. A length inside the brackets, or past /128, never matches.
  ['hosts-deny', 'sshd: [2001:db8::/32], [2001:db8::]/129\nsshd: [2001:db8::]/64abc\nvsftpd: [2001:db8::]/ffff:ffff::\n', [`daemon sshd: 0 + ${2n ** 64n}`, `daemon vsftpd: 0 + ${EVERY_IPV6}`], ['L1 invalid-entry', 'L1 invalid-entry', 'L2 invalid-entry', 'L3 invalid-entry', 'L3 overbroad'], 'sshd: [2001:db8::/32], [2001:db8::]/129\nsshd: [2001:db8::]/64abc\nvsftpd: [2001:db8::]/ffff:ffff::\n'],
  // A rule continued with a backslash is one rule.
  ['hosts-deny', 'sshd: 192.0.2.0/24 \\\n  EXCEPT 192.0.2.5, 192.0.2.5\n', ['daemon sshd: 255'], ['L2 duplicate'], 'sshd: 192.0.2.0/24 \\\n  EXCEPT 192.0.2.5\n'],

  // ORACLES.md, 2.4: 1.2.3.4 403, 9.9.9.9 200.
  ['apache', '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.0/24\n</RequireAll>\n', ['the file: 256'], [], '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.0/24\n</RequireAll>\n'],
  // ORACLES.md, 2.2: 5.6.7.8 200, 5.6.7.9 403; the lines' order does not matter.
  ['apache', 'Order Deny,Allow\nDeny from 5.6.7.0/24\nAllow from 5.6.7.8\n', ['the file: 255'], [], 'Order Deny,Allow\nDeny from 5.6.7.0/24\nAllow from 5.6.7.8\n'],
  // Apache takes the quotes off an argument (403 for both); a range is no address to it: Deny takes it for a host name that matches nothing (200).
  ['apache', '<RequireAll>\n  Require all granted\n  Require not ip "1.2.3.4" \'5.6.7.8\'\n</RequireAll>\n', ['the file: 2'], [], '<RequireAll>\n  Require all granted\n  Require not ip "1.2.3.4" \'5.6.7.8\'\n</RequireAll>\n'],
  ['apache', 'Order Deny,Allow\nDeny from 1.2.3.4-1.2.3.9 5.6.7.8\n', ['the file: 1'], ['L2 invalid-entry'], 'Order Deny,Allow\nDeny from 1.2.3.4-1.2.3.9 5.6.7.8\n'],
  // The .htaccess for 2.2 and 2.4: Apache 2.4 reads only the mod_authz_core branch (the other's lines are conditional, and duplicate nothing), so Fix all keeps both.
  ['apache', '<IfModule !mod_authz_core.c>\n  Order Deny,Allow\n  Deny from 1.2.3.4\n</IfModule>\n<IfModule mod_authz_core.c>\n  <RequireAll>\n    Require all granted\n    Require not ip 1.2.3.4\n  </RequireAll>\n</IfModule>\n', ['the file: 1'], ['L3 conditional'], '<IfModule !mod_authz_core.c>\n  Order Deny,Allow\n  Deny from 1.2.3.4\n</IfModule>\n<IfModule mod_authz_core.c>\n  <RequireAll>\n    Require all granted\n    Require not ip 1.2.3.4\n  </RequireAll>\n</IfModule>\n'],
  ['apache', 'Allow from 5.6.7.8\nDeny from 5.6.7.0/24\n', ['the file: 255'], [], 'Allow from 5.6.7.8\nDeny from 5.6.7.0/24\n'],
  // An Allow inside a Deny wins, so a Deny inside that Allow never takes effect.
  ['apache', 'Deny from 10.0.0.0/8\nAllow from 10.1.0.0/16\nDeny from 10.1.2.3\n', ['the file: 16711680'], ['L1 overbroad', 'L3 shadowed'], 'Deny from 10.0.0.0/8\nAllow from 10.1.0.0/16\nDeny from 10.1.2.3\n'],
  // Allow,Deny: with Allow from all, the Deny addresses; else every address no Allow matches, Deny or not, counted on the Order line.
  ['apache', 'Order Allow,Deny\nAllow from all\nDeny from 5.6.7.8\n', ['the file: 1'], [], 'Order Allow,Deny\nAllow from all\nDeny from 5.6.7.8\n'],
  ['apache', 'Order Allow,Deny\nAllow from 10.0.0.0/24\nDeny from 10.0.0.5\n', [`the file: 4294967041 + ${EVERY_IPV6}`], ['L1 overbroad', 'L1 overbroad'], 'Order Allow,Deny\nAllow from 10.0.0.0/24\nDeny from 10.0.0.5\n'],
  ['apache', 'Order Allow,Deny\nDeny from 1.2.3.4\n', [`the file: 4294967296 + ${EVERY_IPV6}`], ['L1 overbroad', 'L1 overbroad', 'L2 covered'], 'Order Allow,Deny\n'],
  // What apache2 -t refuses: a Require not outside <RequireAll>, a <RequireAll> of negative directives only. Nothing is counted.
  ['apache', 'Require not ip 1.2.3.4\n', [], ['L1 loader-rejects'], 'Require not ip 1.2.3.4\n'],
  ['apache', '<RequireAll>\n  Require not ip 1.2.3.4\n</RequireAll>\n', [], ['L1 loader-rejects', 'L2 conditional'], '<RequireAll>\n  Require not ip 1.2.3.4\n</RequireAll>\n'],
  ['apache', '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.0/24\n  Require not ip 1.2.3.4\n</RequireAll>\n', ['the file: 256'], ['L4 covered'], '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.0/24\n</RequireAll>\n'],
  // Require ip beside the <RequireAll> excepts; alone, it denies everything else.
  ['apache', '<RequireAll>\n  Require all granted\n  Require not ip 10.0.0.0/8\n</RequireAll>\nRequire ip 10.1.2.3\n', ['the file: 16777215'], ['L3 overbroad'], '<RequireAll>\n  Require all granted\n  Require not ip 10.0.0.0/8\n</RequireAll>\nRequire ip 10.1.2.3\n'],
  ['apache', 'Require ip 10.0.0.0/8\n', [`the file: 4278190080 + ${EVERY_IPV6}`], ['L1 overbroad', 'L1 overbroad'], 'Require ip 10.0.0.0/8\n'],
  ['apache', '<RequireAll>\n  Require ip 10.0.0.0/8\n  Require not ip 10.1.2.3\n</RequireAll>\n', [`the file: 4278190081 + ${EVERY_IPV6}`], ['L1 overbroad', 'L1 overbroad'], '<RequireAll>\n  Require ip 10.0.0.0/8\n  Require not ip 10.1.2.3\n</RequireAll>\n'],
  // A <RequireAll> inside a <RequireAll> is merged into it (apache2 -t takes this): the same rule.
  ['apache', '<RequireAll>\n  Require ip 10.0.0.0/8\n  <RequireAll>\n    Require not ip 10.1.2.3\n  </RequireAll>\n</RequireAll>\n', [`the file: 4278190081 + ${EVERY_IPV6}`], ['L1 overbroad', 'L1 overbroad'], '<RequireAll>\n  Require ip 10.0.0.0/8\n  <RequireAll>\n    Require not ip 10.1.2.3\n  </RequireAll>\n</RequireAll>\n'],
  ['apache', 'Require all granted\n<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.4\n</RequireAll>\n', ['the file: 0'], ['L4 shadowed'], 'Require all granted\n<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.4\n</RequireAll>\n'],
  // Both modules must grant (Satisfy All): a 2.4 entry the 2.2 rule already blocks adds nothing.
  ['apache', 'Deny from 1.2.3.4\n<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.4\n</RequireAll>\n', ['the file: 1'], ['L4 duplicate'], 'Deny from 1.2.3.4\n<RequireAll>\n  Require all granted\n</RequireAll>\n'],
  // Apache joins a line that ends in a backslash to the next (apache2 with curl: 403 for both; for 1.2.3.4 alone in the second, and 5.6.7.8 is granted in the third, its line a comment's).
  ['apache', '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.4 \\\n    5.6.7.8 5.6.7.8\n</RequireAll>\n', ['the file: 2'], ['L4 duplicate'], '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.4 \\\n    5.6.7.8\n</RequireAll>\n'],
  ['apache', '<RequireAll>\n  Require all \\\n    granted\n  Require not ip 1.2.3.4\n</RequireAll>\n', ['the file: 1'], [], '<RequireAll>\n  Require all \\\n    granted\n  Require not ip 1.2.3.4\n</RequireAll>\n'],
  ['apache', '<RequireAll>\n  Require all granted\n  # not now \\\n  Require not ip 5.6.7.8\n  Require not ip 1.2.3.4\n</RequireAll>\n', ['the file: 1'], [], '<RequireAll>\n  Require all granted\n  # not now \\\n  Require not ip 5.6.7.8\n  Require not ip 1.2.3.4\n</RequireAll>\n'],
  ['apache', 'Deny from 1.2.3.4 \\\r\n  5.6.7.8\r\nDeny from 5.6.7.8\r\n', ['the file: 2'], ['L3 duplicate'], 'Deny from 1.2.3.4 \\\r\n  5.6.7.8\r\n'],
  // No blank beside the backslash: one word, 1.2.3.45.6.7.8, which Apache refuses in a Require (apache2 -t: "ip address '1.2.3.45.6.7.8' appears to be invalid"): the directive is not read.
  ['apache', '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.4\\\n5.6.7.8 9.9.9.9\n</RequireAll>\n', [], ['L3 loader-rejects'], '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.4\\\n5.6.7.8 9.9.9.9\n</RequireAll>\n'],
  // Each section is a scope; <Limit> decides only for some methods.
  ['apache', '<Directory /a>\n  Deny from 1.2.3.0/24\n</Directory>\n<Directory /b>\n  Deny from 1.2.3.4\n</Directory>\n', ['Directory /a: 256', 'Directory /b: 1'], [], '<Directory /a>\n  Deny from 1.2.3.0/24\n</Directory>\n<Directory /b>\n  Deny from 1.2.3.4\n</Directory>\n'],
  ['apache', '<Limit POST>\n  Deny from 1.2.3.4\n</Limit>\n', [], ['L2 conditional'], '<Limit POST>\n  Deny from 1.2.3.4\n</Limit>\n'],
  ['apache', 'Satisfy Any\nDeny from 1.2.3.4\n', [], ['L2 conditional'], 'Satisfy Any\nDeny from 1.2.3.4\n'],
];

for (const [id, text, scopes, findings, fixedAll] of cases) {
  test(`${id}: ${JSON.stringify(text)}`, () => {
    const { document, result } = read(id, text);
    assert.deepEqual(scopeCounts(id, text), scopes, 'what each scope blocks');
    assert.deepEqual(
      result.findings.filter((f) => f.code !== 'special-purpose' && f.code !== 'protected').map((f) => `L${f.line + 1} ${f.code}`),
      findings,
    );
    assert.equal(applyEdits(text, fixAll(document, result.facts)), fixedAll);
  });
}

test('Apache says why it refuses, in its own words', () => {
  const messages = (text: string) =>
    read('apache', text)
      .result.findings.filter((f) => f.code === 'loader-rejects')
      .map((f) => `L${f.line + 1} ${f.message}`);
  assert.deepEqual(messages('<Directory /srv>\n  Require not ip 1.2.3.4\n</Directory>\n'), [
    'L2 Apache refuses this configuration: "negative Require directive has no effect in <RequireAny> directive". Put it in a <RequireAll> with "Require all granted" (or what it grants).',
  ]);
  assert.deepEqual(messages('<RequireAll>\n  Require not ip 1.2.3.4\n</RequireAll>\n'), [
    'L1 Apache refuses this configuration: "<RequireAll> directive contains only negative authorization directives". Add "Require all granted" (or what it grants) to it.',
  ]);
  assert.deepEqual(messages('<RequireNone>\n  Require ip 1.2.3.4\n</RequireNone>\n'), [
    'L1 Apache refuses this configuration: "<RequireNone> directive has no effect in <RequireAny> directive". Put it in a <RequireAll> with "Require all granted" (or what it grants).',
  ]);
  assert.deepEqual(messages('Order Deny, Allow\n'), [
    `L1 Apache refuses this configuration: "order takes one argument, 'allow,deny', 'deny,allow', or 'mutual-failure'". Write "Order Deny,Allow" or "Order Allow,Deny", with no blank after the comma.`,
  ]);
});

test('hosts.deny says why tcpd never matches a client', () => {
  const messages = read('hosts-deny', 'sshd: 10.0.0.5/255.255.255.255, 10.0.0.6/24, 0.0.0.0/0\n').document.problems.map((p) => p.message);
  assert.deepEqual(messages, [
    'tcpd never matches 10.0.0.5/255.255.255.255: it reads the mask 255.255.255.255 as an error. Write 10.0.0.5 alone.',
    'tcpd never matches 10.0.0.6/24: the address has bits set past the mask, and tcpd compares the masked client with the address as written. Write 10.0.0.0/24.',
    'tcpd never matches 0.0.0.0/0: it takes no /0. Write ALL, or 0.0.0.0/0.0.0.0, for every IPv4 address.',
  ]);
});

test('the scopes of hosts.deny are its daemons, decided by their lines', () => {
  const { document } = read('hosts-deny', 'sshd: 192.0.2.1\nALL: 192.0.2.2\n');
  assert.deepEqual(
    document.scopes.filter((scope) => scope.name !== '').map((scope) => [scope.label, scope.evaluation, scope.role]),
    [
      ['daemon sshd', 'line-except', 'block'],
      ['daemon ALL', 'line-except', 'block'],
    ],
  );
});

test('every daemon a line names is a scope, wherever it stands on the line (as tcpdmatch asks each daemon)', () => {
  const { document } = read('hosts-deny', 'ALL EXCEPT sshd: 192.0.2.1\nvsftpd, in.ftpd sshd: 192.0.2.2\n');
  assert.deepEqual(
    document.scopes.filter((scope) => scope.name !== '').map((scope) => scope.label),
    ['daemon ALL', 'daemon vsftpd', 'daemon sshd', 'daemon in.ftpd'],
  );
});

/** The random entries lie in 10.0.0.0/26: a CIDR as an offset range and as written. */
const cidr = fc.tuple(fc.nat(63), fc.integer({ min: 26, max: 32 }), fc.boolean()).map(([host, prefix, netmask]) => {
  const lo = host & ~((1 << (32 - prefix)) - 1) & 63;
  const mask = formatIPv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
  return { lo, hi: lo + 2 ** (32 - prefix) - 1, text: `${formatIPv4(0x0a000000 + lo)}/${netmask ? mask : prefix}` };
});

/** A random hosts.deny rule: a daemon list, clients and exceptions in 10.0.0.0/26, sometimes granting. */
const hostsDenyRule = fc
  .tuple(
    fc.constantFrom('ALL', 'sshd', 'vsftpd', 'sshd, vsftpd', 'vsftpd, sshd', 'ALL EXCEPT vsftpd'),
    fc.array(cidr, { minLength: 1, maxLength: 3 }),
    fc.array(cidr, { maxLength: 2 }),
    fc.constantFrom('', '', '', '', ' : allow'),
  )
  .map(([daemons, list, exceptions, options]) => ({
    ranges: [...list, ...exceptions],
    text: `${daemons}: ${list.map((c) => c.text).join(', ')}${exceptions.length > 0 ? ` EXCEPT ${exceptions.map((c) => c.text).join(' ')}` : ''}${options}`,
  }));

/** tcpd's rule, brute force: for `daemon`, the first line that lists it (or ALL, less its own EXCEPT daemons) and whose clients less its exceptions hold the address decides. */
function hostsDenyModel(text: string, daemon: string): boolean[] {
  const rules = text
    .split('\n')
    .map((line) => /^([^:]+):([^:]*)(?::\s*(allow|deny))?\s*$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => {
      const [daemons, excepted = ''] = match[1].split(/\bEXCEPT\b/);
      const [list, exceptions = ''] = match[2].split(/\bEXCEPT\b/);
      const names = (words: string) => words.split(/[\s,]+/).filter(Boolean);
      // tcpd takes the mask 255.255.255.255 for an error: that client matches nothing.
      const ranges = (words: string) =>
        names(words)
          .filter((word) => !word.endsWith('/255.255.255.255'))
          .map((word) => {
            const [address, length] = word.split('/');
            const size = length.includes('.') ? 2 ** 32 - parseIPv4Number(length) : 2 ** (32 - Number(length));
            const lo = parseIPv4Number(address) - 0x0a000000;
            return { lo, hi: lo + size - 1 };
          });
      return { daemons: names(daemons), excepted: names(excepted), list: ranges(list), exceptions: ranges(exceptions), grants: match[3] === 'allow' };
    });
  const holds = (ranges: { lo: number; hi: number }[], a: number) => ranges.some((r) => a >= r.lo && a <= r.hi);
  return Array.from({ length: 64 }, (_, a) => {
    const rule = rules.find((r) => (r.daemons.includes('ALL') || r.daemons.includes(daemon)) && !r.excepted.includes(daemon) && holds(r.list, a) && !holds(r.exceptions, a));
    return rule !== undefined && !rule.grants;
  });
}

function parseIPv4Number(text: string): number {
  return text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** What the product says `daemon` is denied, for 10.0.0.0-63: its scope, else (a daemon no line names) the ALL scope. */
function hostsDenyProduct(text: string, daemon: string): boolean[] {
  const { document, result } = read('hosts-deny', text);
  const named = document.scopeFacts.some((fact) => fact.scope === daemon);
  const scope = document.scopes.findIndex((s) => s.name === (named ? daemon : 'ALL'));
  assert.ok(!named || scope >= 0, `${daemon} is named but no scope of\n${text}`);
  const set = result.facts.scopeSets.find((s) => s.scope === scope)?.blocked4;
  return Array.from({ length: 64 }, (_, a) => set?.has(0x0a000000 + a) ?? false);
}

test('random hosts.deny files: each daemon is denied what tcpd would deny, before and after Fix all', () => {
  fc.assert(
    fc.property(fc.array(hostsDenyRule, { minLength: 1, maxLength: 6 }), (rules) => {
      const text = rules.map((rule) => `${rule.text}\n`).join('');
      const fixed = (() => {
        const { document, result } = read('hosts-deny', text);
        return applyEdits(text, fixAll(document, result.facts));
      })();
      for (const daemon of ['sshd', 'vsftpd', 'ftpd']) {
        const expected = hostsDenyModel(text, daemon);
        assert.deepEqual(hostsDenyProduct(text, daemon), expected, `${daemon} in\n${text}`);
        assert.deepEqual(hostsDenyModel(fixed, daemon), expected, `Fix all changed what ${daemon} is denied:\n${text}\n→\n${fixed}`);
      }
    }),
    { numRuns: 500 },
  );
});

/** A random Apache body: 2.4 (a <RequireAll> blocklist and Require ip beside it) or 2.2 (Order, Deny and Allow lines in any order). */
const apacheBody = fc.oneof(
  fc
    .tuple(fc.array(fc.array(cidr, { minLength: 1, maxLength: 2 }), { maxLength: 3 }), fc.array(fc.array(cidr, { minLength: 1, maxLength: 2 }), { maxLength: 2 }), fc.boolean())
    .map(([blocks, grants, after]) => {
      const requireAll = `<RequireAll>\n  Require all granted\n  Require not ip 192.0.2.1\n${blocks.map((line) => `  Require not ip ${line.map((c) => c.text).join(' ')}\n`).join('')}</RequireAll>\n`;
      const beside = grants.map((line) => `Require ip ${line.map((c) => c.text).join(' ')}\n`).join('');
      return { ranges: [...blocks.flat(), ...grants.flat()], text: after ? requireAll + beside : beside + requireAll };
    }),
  fc
    .tuple(
      fc.constantFrom('', 'Order Deny,Allow\n', 'Order Allow,Deny\n'),
      fc.array(fc.tuple(fc.constantFrom('Deny', 'Allow'), fc.array(cidr, { minLength: 1, maxLength: 2 })), { minLength: 1, maxLength: 5 }),
    )
    .map(([order, lines]) => ({
      ranges: lines.flatMap(([, line]) => line),
      text: `${order}Deny from 192.0.2.1\nAllow from 192.0.2.2\n${lines.map(([verb, line]) => `${verb} from ${line.map((c) => c.text).join(' ')}\n`).join('')}`,
    })),
);

/** Apache's rules, brute force, for 10.0.0.0-63: 2.4 (Require not ip less Require ip beside), 2.2 (Deny,Allow: Deny less Allow; Allow,Deny: all but Allow less Deny). */
function apacheModel(text: string): boolean[] {
  const lines = text.split('\n').map((line) => line.trim());
  const ranges = (prefix: RegExp) =>
    lines
      .filter((line) => prefix.test(line))
      .flatMap((line) => line.replace(prefix, '').trim().split(/\s+/))
      .filter((word) => word.startsWith('10.'))
      .map((word) => {
        const [address, length] = word.split('/');
        const size = length.includes('.') ? 2 ** 32 - parseIPv4Number(length) : 2 ** (32 - Number(length));
        const lo = parseIPv4Number(address) - 0x0a000000;
        return { lo, hi: lo + size - 1 };
      });
  const holds = (list: { lo: number; hi: number }[], a: number) => list.some((r) => a >= r.lo && a <= r.hi);
  const [notIp, ip, deny, allow] = [ranges(/^Require not ip /), ranges(/^Require ip /), ranges(/^Deny from /), ranges(/^Allow from /)];
  const allowDeny = lines.includes('Order Allow,Deny');
  return Array.from({ length: 64 }, (_, a) => (holds(notIp, a) && !holds(ip, a)) || (allowDeny ? !holds(allow, a) || holds(deny, a) : holds(deny, a) && !holds(allow, a)));
}

function apacheProduct(text: string): boolean[] {
  const { result } = read('apache', text);
  return Array.from({ length: 64 }, (_, a) => result.blocked4.has(0x0a000000 + a));
}

test('random Apache bodies: the blocked addresses, and after Fix all, are what Apache decides', () => {
  fc.assert(
    fc.property(apacheBody, ({ text }) => {
      const expected = apacheModel(text);
      assert.deepEqual(apacheProduct(text), expected, text);
      const { document, result } = read('apache', text);
      const fixed = applyEdits(text, fixAll(document, result.facts));
      assert.deepEqual(apacheModel(fixed), expected, `Fix all changed a decision:\n${text}\n→\n${fixed}`);
    }),
    { numRuns: 500 },
  );
});

test('no split makes an Apache line of 8,192 bytes or more, which Apache refuses in a .htaccess ("Line too long")', () => {
  const others = Array.from({ length: 450 }, (_, n) => `11.0.${n >> 8}.${n & 255}`).join(' ');
  const { document, result } = read('apache', `<RequireAll>\nRequire all granted\nRequire not ip 10.0.0.0/8 ${others}\n</RequireAll>\n`);
  const context = { index: EntryIndex.of(document.entries), facts: result.facts };
  const titles = fixesForEntry(document, context, 0, { maxEntries: 512, protected: [], target: [] }).map((fix) => fix.title);
  assert.deepEqual(titles, ['Split 10.0.0.0/8 into two halves (/9)']);
});
