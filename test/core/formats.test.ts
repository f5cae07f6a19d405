/**
 * Every format, data-driven: each fixture in test/fixtures/formats read into
 * lines such as `L3 12-24 block 1.2.3.0/24 "1.2.3.0/24"` and compared with
 * the `.expected` file beside it (only UPDATE_EXPECTED=1 writes them, and a
 * missing one fails; review the diff); detection by directive, setting, name
 * and content; the FireHOL header; and the real files of the corpus, whose
 * entry counts SOURCES.md gives.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseDocument, updateDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { readFireholHeader } from '../../server/src/core/formats/firehol';
import type { FormatId } from '../../server/src/core/formats/format';
import { detectFormat, FORMATS, formatById, parseFormatDirective } from '../../server/src/core/formats/registry';
import { formatAddress } from '../../server/src/core/addresses/display';
import { looksLikeBlocklist } from '../../server/src/core/document/sniff';

const root = resolve(__dirname, '..', '..', '..');
const fixtures = join(root, 'test/fixtures/formats');
const corpus = process.env.BLOCKLIST_CORPUS ?? resolve(root, '..', 'shared', 'corpus');

/**
 * The document as lines, in text order: `L<line> <start>-<end> <role>
 * [conditional] <what was read> "<text of the span>"` per entry, where what was read is a CIDR
 * when the entry is one block, else a first-last range; and `L<line> problem
 * <code>: <message>` per problem.
 */
function describe(document: BlocklistDocument): string {
  const t = document.entries;
  const rows: [line: number, offset: number, row: string][] = [];
  for (let k = 0; k < t.count; k++) {
    const lo = formatAddress(t.version[k], t.lo(k));
    const read = t.prefix[k] >= 0 ? `${lo}/${t.prefix[k]}` : `${lo}-${formatAddress(t.version[k], t.hi(k))}`;
    const text = JSON.stringify(document.text.slice(t.start[k], t.end[k]));
    const role = `${t.allow[k] ? 'allow' : 'block'}${t.conditional[k] ? ' conditional' : ''}`;
    rows.push([t.line[k], t.start[k], `L${t.line[k] + 1} ${t.start[k]}-${t.end[k]} ${role} ${read} ${text}`]);
  }
  for (const p of document.problems) rows.push([p.line, p.start, `L${p.line + 1} problem ${p.code}: ${p.message}`]);
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return `${document.format.id}\n${rows.map((row) => `${row[2]}\n`).join('')}`;
}

const fixtureNames = readdirSync(fixtures).filter((file) => !file.endsWith('.expected'));

for (const name of fixtureNames) {
  test(`reads the ${name} fixture`, () => {
    const file = join(fixtures, name);
    const text = readFileSync(file, 'utf8');
    const actual = describe(parseDocument(text, detectFormat(name, text)));
    const expectedFile = `${file}.expected`;
    // Only UPDATE_EXPECTED writes: a missing golden file fails, or a new fixture would pass whatever it reads.
    if (process.env.UPDATE_EXPECTED) writeFileSync(expectedFile, actual);
    assert.ok(existsSync(expectedFile), `${basename(expectedFile)} is missing: run the tests with UPDATE_EXPECTED=1 to write it, then review the diff before committing it.`);
    assert.equal(actual, readFileSync(expectedFile, 'utf8'));
  });
}

test('every format has a fixture, and one fixture has CRLF line breaks', () => {
  const detected = new Set(fixtureNames.map((name) => detectFormat(name, readFileSync(join(fixtures, name), 'utf8')).id));
  assert.deepEqual(
    FORMATS.map((f) => f.id).filter((id) => !detected.has(id)),
    [],
  );
  assert.ok(fixtureNames.some((name) => readFileSync(join(fixtures, name), 'utf8').includes('\r\n')));
});

test('the readers of line formats read any run of whole lines as the whole document does', () => {
  // updateDocument reads again only the lines an edit touched: a reader that looked past its line would go wrong there.
  for (const name of fixtureNames) {
    const text = readFileSync(join(fixtures, name), 'utf8');
    const format = detectFormat(name, text);
    if (!format.lineByLine) continue;
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const edited = [...lines.slice(0, n), `${lines[n]} `, ...lines.slice(n + 1)].join('\n');
      const updated = updateDocument(parseDocument(text, format), edited);
      assert.equal(describe(updated), describe(parseDocument(edited, format)), `${name}, an edit on line ${n + 1}`);
    }
  }
});

/** Small inputs per format: (format, text, expected rows without the format line), one case a row. */
// oxfmt-ignore
const cases: [format: FormatId, text: string, expected: string[]][] = [
  ['nginx', 'location / { deny 192.0.2.1; allow 192.0.2.2; }\n', ['L1 18-27 block 192.0.2.1/32 "192.0.2.1"', 'L1 35-44 allow 192.0.2.2/32 "192.0.2.2"']],
  ['nginx', 'deny 192.0.2.1\n', ['L1 problem invalid-entry: Expected ";" after "deny 192.0.2.1": nginx reads on to the next ";".']],
  // nginx reads on to the `;`, over lines and comments (nginx -t takes the first three and refuses the last: "invalid number of arguments in "deny"").
  ['nginx', 'deny\n    10.0.0.1;\ndeny # c\n  10.0.0.2 # d\n  ;\nlocation\n  /x { deny 10.0.0.3; }\ndeny 10.0.0.4\ndeny 10.0.0.5;\n', ['L2 9-17 block 10.0.0.1/32 "10.0.0.1"', 'L4 30-38 block 10.0.0.2/32 "10.0.0.2"', 'L7 68-76 block 10.0.0.3/32 "10.0.0.3"', 'L8 problem invalid-entry: Expected ";" after "deny 10.0.0.4": nginx reads on to the next ";".']],
  ['nginx', 'allow all;\nset_real_ip_from 192.0.2.0/24;\ndeny unix:;\n', ['L1 6-9 allow 0.0.0.0/0 "all"', 'L1 6-9 allow ::/0 "all"']],
  ['apache', 'Require ip 10 192.168.1.\n', ['L1 0-10 block 0.0.0.0/0 "Require ip"', 'L1 0-10 block ::/0 "Require ip"', 'L1 11-13 allow 10.0.0.0/8 "10"', 'L1 14-24 allow 192.168.1.0/24 "192.168.1."']],
  ['apache', 'Deny from all\nAllow from all\nRequire all granted\nDeny from .example.com env=bad 1und1.de\n', ['L1 10-13 block 0.0.0.0/0 "all"', 'L1 10-13 block ::/0 "all"', 'L2 25-28 allow 0.0.0.0/0 "all"', 'L2 25-28 allow ::/0 "all"']],
  // What Apache refuses (a negative Require outside <RequireAll>) is the loader checks' to say, not the reader's.
  // Apache refuses a "#" after a directive (test/core/loaderCases.ts): the refused directive is not read.
  ['apache', 'Require not ip 10.1 # office\n', []],
  ['ipset', 'add s 192.0.2.1,tcp:80\nadd ports 8080\nadd macs 00:11:22:33:44:55\nadd -exist s 192.0.2.2 comment "nomatch"\n', ['L1 6-15 block conditional 192.0.2.1/32 "192.0.2.1"', 'L4 78-87 block 192.0.2.2/32 "192.0.2.2"']],
  // The flush takes the element away: it decides nothing.
  ['ipset', 'ipset add s 192.0.2.0/24 nomatch\n192.0.2.9\nflush s\n', ['L1 12-24 allow conditional 192.0.2.0/24 "192.0.2.0/24"', 'L2 problem invalid-entry: Expected "add SET 192.0.2.9": ipset restore reads commands, not bare addresses.']],
  ['iptables', '-A INPUT -s 192.0.2.1/32 -j LOG\n-A INPUT -s 192.0.2.2/32\n-A INPUT -s ! 192.0.2.3 -j DROP\n', ['L3 71-80 block conditional 192.0.2.3/32 "192.0.2.3"']],
  ['iptables', '*filter\n-A INPUT -s 9.9.9.9 -d 10.0.0.1 -j DROP\n-A OUTPUT -d 192.0.2.9 -j REJECT --reject-with icmp-port-unreachable\n', ['L2 20-27 block conditional 9.9.9.9/32 "9.9.9.9"', 'L2 31-39 block conditional 10.0.0.1/32 "10.0.0.1"', 'L3 61-70 block 192.0.2.9/32 "192.0.2.9"']],
  ['iptables', 'iptables -t raw -I PREROUTING 1 --src 192.0.2.0/24 -j blocklist\n', ['L1 38-50 block 192.0.2.0/24 "192.0.2.0/24"']],
  ['iptables', '-A INPUT -s -j DROP\n', ['L1 problem invalid-entry: Expected an address after "-s".']],
  ['nftables', 'set ports { type inet_service; elements = { 22, 80 } }\nset v4 { typeof ip saddr; elements = { 192.0.2.1 timeout 1h, 192.0.2.2 - 192.0.2.9 } }\n', ['L2 94-103 block conditional 192.0.2.1/32 "192.0.2.1"', 'L2 116-137 block 192.0.2.2-192.0.2.9 "192.0.2.2 - 192.0.2.9"']],
  ['nftables', 'chain input {\n  ip saddr { 192.0.2.0/24,\n    198.51.100.1 } counter drop\n  ip6 saddr 2001:db8::/32 accept\n  ip saddr != 192.0.2.7 drop\n  ip saddr 192.0.2.8 counter\n}\n', ['L2 27-39 block 192.0.2.0/24 "192.0.2.0/24"', 'L3 45-57 block 198.51.100.1/32 "198.51.100.1"', 'L4 85-98 allow 2001:db8::/32 "2001:db8::/32"', 'L5 120-129 block conditional 192.0.2.7/32 "192.0.2.7"']],
  ['nftables', 'map m { type ipv4_addr : verdict; elements = { 192.0.2.1 : drop, 300.0.0.1 : accept } }\n', ['L1 47-56 block 192.0.2.1/32 "192.0.2.1"', 'L1 problem invalid-entry: Octet 300 is out of range: each part of an IPv4 address is 0–255.']],
  ['pf', '# a table file\n192.0.2.1 192.0.2.2\n!192.0.2.3\nself\n', ['L2 15-24 block 192.0.2.1/32 "192.0.2.1"', 'L2 25-34 block 192.0.2.2/32 "192.0.2.2"', 'L3 36-45 allow 192.0.2.3/32 "192.0.2.3"', `L4 problem unresolved-name: pfctl resolves "self" when it loads the table, as a host name (or an interface's addresses); the product does not resolve names, so its addresses are not counted.`]],
  ['pf', 'table <t> const { egress, ! 192.0.2.3 }\nblock from { 192.0.2.4 }\n', ['L1 problem unresolved-name: pfctl resolves "egress" when it loads the table, as a host name (or an interface\'s addresses); the product does not resolve names, so its addresses are not counted.', 'L1 28-37 allow 192.0.2.3/32 "192.0.2.3"']],
  // A line of a table file is read word by word, as pfctl reads it: a `}` there is a word it refuses.
  ['pf', '}\nx }\n1.2.3.4 }\ntable <t> { 1.2.3.4 } }\n', [`L2 problem unresolved-name: pfctl resolves "x" when it loads the table, as a host name (or an interface's addresses); the product does not resolve names, so its addresses are not counted.`, 'L2 problem invalid-entry: pfctl refuses the file at "}": "}" is not an address, CIDR or range.', 'L3 6-13 block 1.2.3.4/32 "1.2.3.4"', 'L3 problem invalid-entry: pfctl refuses the file at "}": "}" is not an address, CIDR or range.', 'L4 28-35 block 1.2.3.4/32 "1.2.3.4"']],
  ['hosts-deny', 'sshd: 192.0.2.1, \\\n  192.0.2.2 : allow\nALL: 2001:db8::1\n', ['L1 6-15 allow 192.0.2.1/32 "192.0.2.1"', 'L2 21-30 allow 192.0.2.2/32 "192.0.2.2"', 'L3 problem invalid-entry: hosts.deny reads IPv6 addresses only in brackets: write [2001:db8::1].']],
  ['hosts-deny', 'ALL: ALL EXCEPT 192.0.2. EXCEPT 192.0.2.1\nsshd 192.0.2.3\n', ['L1 5-8 block conditional 0.0.0.0/0 "ALL"', 'L1 5-8 block conditional ::/0 "ALL"', 'L1 16-24 allow conditional 192.0.2.0/24 "192.0.2."', 'L1 32-41 block conditional 192.0.2.1/32 "192.0.2.1"', 'L2 problem invalid-entry: Expected "daemons : clients", as in "sshd: 192.0.2.0/24".']],
  ['mikrotik', '/ip address\nadd address=192.168.88.1/24 interface=ether1\n/ip firewall address-list\nadd address=example.com list=x\nadd address=192.0.2.1 list=x disabled=yes\n:do { add address="192.0.2.2" list=x } on-error={}\n', ['L4 problem unresolved-name: RouterOS resolves "example.com" as a DNS name and keeps its addresses in the list as dynamic entries; the product does not resolve names, so they are not counted.', 'L6 175-184 block 192.0.2.2/32 "192.0.2.2"']],
  ['mikrotik', '/ip/firewall/address-list\nadd comment="a long \\\n    comment" address=192.0.2.3 \\\n    list=x\nadd list=x address=\\\n    192.0.2.4\n', ['L3 69-78 block 192.0.2.3/32 "192.0.2.3"', 'L5 problem invalid-entry: Expected an address in "address=", as in "add address=192.0.2.0/24 list=blocklist".']],
  ['p2p', 'Org #1: with colons:192.0.2.0-192.0.2.255\nNo range here\n', ['L1 20-41 block 192.0.2.0/24 "192.0.2.0-192.0.2.255"', 'L2 problem invalid-entry: Expected a name, ":" and a range, as in "Some Org:192.0.2.0-192.0.2.255".']],
  ['ipfilter-dat', '192.000.002.000 - 192.000.002.255 , abc , x\n192.0.2.0 - 192.0.2.9\n', ['L1 problem invalid-entry: Expected an access level (a number, 127 or less to block) after the range, not "abc".', 'L2 44-65 block 192.0.2.0-192.0.2.9 "192.0.2.0 - 192.0.2.9"']],
  ['ipcat-csv', 'start,end,name,url\n192.0.2.9,192.0.2.0,x,y\n010.0.0.0,10.0.0.255,x,y\n', ['L2 problem invalid-entry: The range is inverted: 192.0.2.9 comes after 192.0.2.0. Swap the two ends.', 'L3 43-63 block 10.0.0.0/24 "010.0.0.0,10.0.0.255"', 'L3 problem leading-zeros: Octet 010 has a leading zero: read here as decimal 10, but iprange and inet_aton read it as octal. Write 10.']],
  ['geofeed', ',US,US-CA,,\n', ['L1 problem invalid-entry: Expected a prefix in the first column: prefix,country,region,city,postal.']],
  ['spamhaus-json', '{"cidr":"192.0.2.0\\/24","sblid":"SBL1"}\n{"sblid":"SBL2"}\n', ['L1 9-22 block 192.0.2.0/24 "192.0.2.0\\\\/24"', 'L2 problem invalid-entry: Expected a record with a "cidr" string, as {"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}.']],
  ['registry-csv', '192.0.2.1 | | 192.0.2.2;x;y;z;1;2\nno semicolons\n', ['L1 0-9 block 192.0.2.1/32 "192.0.2.1"', 'L1 14-23 block 192.0.2.2/32 "192.0.2.2"', 'L2 problem invalid-entry: Expected a record "IPs;domain;URL;authority;number;date".']],
  ['ip-count', '192.0.2.1\n192.0.2.2 \t 7 # seen\n', ['L1 0-9 block 192.0.2.1/32 "192.0.2.1"', 'L2 10-19 block 192.0.2.2/32 "192.0.2.2"']],
];

for (const [id, text, rows] of cases) {
  test(`${id}: ${JSON.stringify(text.slice(0, 50))}`, () => {
    assert.equal(describe(parseDocument(text, formatById(id)!)), `${id}\n${rows.map((row) => `${row}\n`).join('')}`);
  });
}

/** (file name, first lines) → the format detected, one file a row. */
// oxfmt-ignore
const detection: [fileName: string, text: string, expected: FormatId][] = [
  ['list.netset', '1.2.3.4\n', 'firehol'],
  ['tor_exits.ipset', '#\n# tor_exits\n#\n1.2.3.4\n', 'firehol'],
  ['anything.txt', '#\n# Entries : 2 subnets, 3 unique IPs\n1.2.3.4\n', 'firehol'],
  ['saved.ipset', 'create s hash:net family inet\nadd s 1.2.3.0/24\n', 'ipset'],
  ['ipfilter.dat', '001.002.003.000 - 001.002.003.255 , 000 , x\n', 'ipfilter-dat'],
  ['list.txt', '# eMule\n001.002.003.000 - 001.002.003.255 , 000 , x\n', 'ipfilter-dat'],
  ['guarding.p2p', 'x:1.2.3.4-1.2.3.5\n', 'p2p'],
  ['list.txt', 'Org: with colon:1.2.3.4-1.2.3.5\n', 'p2p'],
  ['hosts.deny', 'sshd: 1.2.3.4\n', 'hosts-deny'],
  ['deny.conf', 'sshd, vsftpd: 1.2.3.\n', 'hosts-deny'],
  ['x', 'ALL: [2001:db8::]/32\n', 'hosts-deny'],
  // An RIR database dump is no hosts.deny (nor any list): plain, so that every line is an error.
  ['ripe.db.inetnum', 'inetnum:        1.2.3.0 - 1.2.3.255\nnetname:        EXAMPLE-NET\n', 'plain'],
  ['x.txt', '% RIPE\n\ninet6num:       2001:db8::/32\nnetname:        X\n', 'plain'],
  ['x.txt', 'route:          5.6.7.0/24\norigin:         AS64500\n', 'plain'],
  ['router.rsc', 'add address=1.2.3.4 list=x\n', 'mikrotik'],
  ['x.txt', '/ip firewall address-list\nadd address=1.2.3.4 list=x\n', 'mikrotik'],
  ['x.txt', '/ipv6 firewall address-list add address=2001:db8::/32 list=x\n', 'mikrotik'],
  ['sets.nft', 'table inet f { }\n', 'nftables'],
  ['x.conf', 'set s { elements = { 1.2.3.4 } }\n', 'nftables'],
  ['ruleset', '#!/usr/sbin/nft -f\nflush ruleset\ntable inet filter {\n', 'nftables'],
  ['x.conf', 'add element inet filter bad { 1.2.3.4 }\n', 'nftables'],
  ['pf.conf', 'ext_if = "em0"\n', 'pf'],
  ['bad.pf', '1.2.3.4\n', 'pf'],
  ['x.conf', 'table <bad> persist { 1.2.3.4 }\n', 'pf'],
  ['x.conf', '  deny 1.2.3.4;\n', 'nginx'],
  ['blockips.conf', '# bad bots\ndeny 1.2.3.4;   # spam\n', 'nginx'],
  ['nginx-deny.txt', '1.2.3.4\n', 'nginx'],
  ['site.conf', 'server {\n  allow all;\n', 'nginx'],
  ['.htaccess', 'Require not ip 10.1\n', 'apache'],
  ['x.conf', 'Deny from 10.1\n', 'apache'],
  ['x.txt', '<RequireAll>\n  Require all granted\n  require not ip 10.1\n', 'apache'],
  ['rules.v4', '*filter\n-A INPUT -s 1.2.3.4 -j DROP\nCOMMIT\n', 'iptables'],
  ['x.txt', '# Generated by iptables-save\n*raw\n:PREROUTING ACCEPT [0:0]\n', 'iptables'],
  ['x.sh', 'iptables -A INPUT -s 1.2.3.4 -j DROP\n', 'iptables'],
  ['x.sh', '#!/bin/sh\n/sbin/iptables -A INPUT -s 1.2.3.4 -j DROP\n', 'iptables'],
  ['x.sh', 'IPT=/usr/sbin/iptables\n$IPT -w -A INPUT -s 1.2.3.4 -j DROP\n', 'iptables'],
  ['saved', 'create s hash:ip\nadd s 1.2.3.4\n', 'ipset'],
  ['x.txt', '-A s 1.2.3.4\n', 'ipset'],
  ['block.sh', 'ipset add blocklist 1.2.3.0/24\n', 'ipset'],
  ['drop.txt', '; Spamhaus\n1.10.16.0/20 ; SBL256894\n', 'spamhaus-drop'],
  ['drop_v4.json', '{"cidr":"1.10.16.0/20","sblid":"SBL1"}\n', 'spamhaus-json'],
  ['feed.csv', '192.0.2.0/24,US,US-CA,San Jose,\n', 'geofeed'],
  ['feed.txt', '# geofeed\n2001:db8::/32,,,,\n', 'geofeed'],
  ['dc.csv', '1.2.3.0,1.2.3.255,x,y\n', 'ipcat-csv'],
  ['ipsum.txt', '# comment\n1.2.3.4\t5\n', 'ip-count'],
  ['dump.csv', 'Updated: 2014-01-01\n1.2.3.4;x;y;z;1;2\n', 'registry-csv'],
  ['dump-08.csv', '1.2.3.4 | 5.6.7.8;x;y;z;1;2\n', 'registry-csv'],
  ['list.txt', '1.2.3.4\n2001:db8::/32\n', 'plain'],
  ['list.txt', '1.2.3.4 - 1.2.3.9 # a range\n10.0.0.0/8 ; private\n', 'plain'],
  ['', '', 'plain'],
  ['C:\\lists\\bad.netset', '1.2.3.4\n', 'firehol'],
  ['file:///home/me/HOSTS.DENY', 'x\n', 'hosts-deny'],
  ['list.txt', '# blocklist-format: nginx\n1.2.3.4\n', 'nginx'],
  ['list.netset', '// blocklist-format: ip-count\n1.2.3.4\n', 'ip-count'],
  ['drop.txt', '; blocklist-format: PLAIN\n1.2.3.4 ; SBL1\n', 'plain'],
  ['x.conf', '# blocklist-format: no-such-format\ndeny 1.2.3.4;\n', 'nginx'],
];

for (const [fileName, text, expected] of detection) {
  test(`detects ${expected} in ${JSON.stringify(fileName)}: ${JSON.stringify(text.slice(0, 40))}`, () => {
    assert.equal(detectFormat(fileName, text).id, expected);
  });
}

test('a directive beats the setting, and the setting beats the name and the content', () => {
  assert.equal(detectFormat('x.netset', '# blocklist-format: nginx\n', 'ipset').id, 'nginx');
  assert.equal(detectFormat('x.netset', 'deny 1.2.3.4;\n', 'ipset').id, 'ipset');
  assert.equal(detectFormat('x.netset', '# blocklist-format: bogus\n', 'ipset').id, 'ipset');
  assert.equal(detectFormat('x.txt', 'x\n'.repeat(20) + '# blocklist-format: nginx\n').id, 'plain', 'only the first 20 lines');
});

test('the format directive: known, unknown (for a warning), absent', () => {
  assert.deepEqual(parseFormatDirective('# hello\n# blocklist-format: bogus\n'), { unknown: 'bogus', id: 'bogus', format: undefined, line: 1, start: 28, end: 33 });
  assert.deepEqual(parseFormatDirective('; blocklist-format:\n'), { unknown: '', id: '', format: undefined, line: 0, start: 19, end: 19 });
  const known = parseFormatDirective('1.2.3.4\n  //  Blocklist-Format :  P2P\n');
  assert.ok(known && known.unknown === undefined);
  assert.deepEqual([known.id, known.format.id, known.line, known.start, known.end], ['p2p', 'p2p', 1, 34, 37]);
  assert.equal(parseFormatDirective('1.2.3.4 # blocklist-format: nginx\n'), undefined, 'a directive stands on a line of its own');
});

test('the FireHOL header: its Entries line with the span of its figures', () => {
  const text = '#\n# level1\n#\n# Entries         : 2511 subnets, 618830080 unique IPs\n#\n1.2.3.0/24\n# Entries : 1 unique IPs\n';
  const header = readFireholHeader(text);
  assert.deepEqual(header, { entries: { line: 3, start: 33, end: 67, subnets: 2511, uniqueIps: 618830080n } });
  assert.equal(text.slice(header!.entries!.start, header!.entries!.end), '2511 subnets, 618830080 unique IPs');
  const single = readFireholHeader('#\r\n\r\n# Entries : 1204 unique IPs\r\n1.2.3.4\r\n');
  assert.deepEqual(single, { entries: { line: 2, start: 17, end: 32, uniqueIps: 1204n } });
  assert.deepEqual(readFireholHeader('# no figures here\n1.2.3.4\n# Entries : 1 unique IPs\n'), {});
  assert.equal(readFireholHeader('1.2.3.4\n# Entries : 1 unique IPs\n'), undefined);
  assert.equal(readFireholHeader(''), undefined);
});

/** Every corpus file in a format read here, with its entry counts (IPv4, IPv6) from SOURCES.md. */
const real: [file: string, format: FormatId, ipv4: number, ipv6: number][] = [
  ['firehol/blocklist_de.ipset', 'firehol', 22474, 0],
  ['firehol/blocklist_net_ua.ipset', 'firehol', 100047, 0],
  ['firehol/cidr_report_bogons.netset', 'firehol', 6502, 0],
  ['firehol/dshield.netset', 'firehol', 19, 0],
  ['firehol/dshield_30d.netset', 'firehol', 45, 0],
  ['firehol/et_block.netset', 'firehol', 1467, 0],
  ['firehol/firehol_level1.netset', 'firehol', 2511, 0],
  ['firehol/firehol_level2.netset', 'firehol', 16164, 0],
  ['firehol/firehol_level3.netset', 'firehol', 16884, 0],
  ['firehol/firehol_level4.netset', 'firehol', 190953, 0],
  ['firehol/haley_ssh.ipset', 'firehol', 56402, 0],
  ['firehol/iblocklist_ciarmy_malicious.netset', 'firehol', 13302, 0],
  ['firehol/ipip_continent_eu.netset', 'firehol', 226558, 0],
  ['firehol/spamhaus_drop.netset', 'firehol', 986, 0],
  ['firehol/spamhaus_edrop.netset', 'firehol', 55, 0],
  ['firehol/stopforumspam.ipset', 'firehol', 203676, 0],
  ['firehol/tor_exits.ipset', 'firehol', 1204, 0],
  ['firehol/voipbl.netset', 'firehol', 9412, 0],
  ['rkn/alexeys85_ip.lst', 'plain', 85960, 0],
  ['rkn/alexeys85_ip_all.lst', 'plain', 169581, 0],
  ['rkn/alexeys85_net.lst', 'plain', 14368, 0],
  ['rkn/antifilter_community.lst', 'plain', 688, 0],
  ['rkn/antifilter_ipsum.lst', 'plain', 10506, 0],
  ['rkn/antifilter_subnet.lst', 'plain', 120, 0],
  ['rkn/refilter_discord_ips.lst', 'plain', 2322, 0],
  ['rkn/shpyntov_allyouneed.lst', 'plain', 9879, 0],
  ['rkn/zi_dump-08_2020-01-30.csv', 'registry-csv', 34866, 19568],
  ['rkn/zi_dump_2014-04-22.csv', 'registry-csv', 3616, 0],
  ['cloud/akamai_v4.txt', 'plain', 19, 0],
  ['cloud/cloudflare_ips-v4.txt', 'plain', 15, 0],
  ['cloud/cloudflare_ips-v6.txt', 'plain', 0, 7],
  ['cloud/digitalocean_google.csv', 'geofeed', 1037, 145],
  ['cloud/disposable_microsoft-azure.txt', 'plain', 41662, 14605],
  ['cloud/ipcat_datacenters.csv', 'ipcat-csv', 3429, 0],
  ['cloud/linode_geofeed.txt', 'geofeed', 4464, 88],
  ['cloud/lordalfred_all_ipv4.txt', 'plain', 111110, 0],
  ['cloud/lordalfred_all_ipv6_merged.txt', 'plain', 0, 12872],
  ['cloud/lordalfred_microsoft_ipv6.txt', 'plain', 0, 18510],
  ['cloud/telegram_cidr.txt', 'plain', 9, 5],
  ['misc/nginx_blockips.conf', 'nginx', 804, 0],
  ['misc/spamhaus_drop_ipv6_secops_2024.txt', 'plain', 0, 51],
  ['misc/spamhaus_drop_onezero.txt', 'plain', 1406, 0],
  ['misc/spamhaus_drop_secops_2024.txt', 'plain', 989, 0],
  ['misc/spamhaus_drop_v4.json', 'spamhaus-json', 1406, 0],
  ['misc/spamhaus_edrop_secops_2024.txt', 'plain', 322, 0],
  ['misc/stamparm_ipsum_level3.txt', 'plain', 14217, 0],
];

for (const [file, format, ipv4, ipv6] of real) {
  test(`reads the real ${basename(file)} as ${format}: ${ipv4} IPv4 and ${ipv6} IPv6 entries, no problem`, () => {
    const text = readFileSync(join(corpus, file), 'utf8');
    const document = parseDocument(text, detectFormat(basename(file), text));
    assert.equal(document.format.id, format);
    const t = document.entries;
    let v4 = 0;
    let allowed = 0;
    for (let k = 0; k < t.count; k++) {
      if (t.version[k] === 4) v4++;
      allowed += t.allow[k];
    }
    assert.deepEqual([v4, t.count - v4], [ipv4, ipv6]);
    assert.equal(allowed, 0);
    assert.deepEqual(document.problems, []);
  });
}

test('the real ipcat ranges span from the first column to the second, and the NDJSON entries sit inside the quotes', () => {
  const ipcat = readFileSync(join(corpus, 'cloud/ipcat_datacenters.csv'), 'utf8');
  const ranges = parseDocument(ipcat, detectFormat('ipcat_datacenters.csv', ipcat));
  assert.equal(ipcat.slice(ranges.entries.start[0], ranges.entries.end[0]), '3.0.0.0,3.1.255.255');
  assert.equal(ranges.entries.prefix[0], 15);
  const json = readFileSync(join(corpus, 'misc/spamhaus_drop_v4.json'), 'utf8');
  const drop = parseDocument(json, detectFormat('spamhaus_drop_v4.json', json));
  assert.equal(json.slice(drop.entries.start[0] - 1, drop.entries.end[0] + 1), '"1.10.16.0/20"');
});

test('the real FireHOL headers are found, and level1 says what both oracles say', () => {
  for (const [file] of real.filter(([, format]) => format === 'firehol')) {
    const header = readFireholHeader(readFileSync(join(corpus, file), 'utf8'));
    assert.ok(header?.entries, file);
  }
  const level1 = readFireholHeader(readFileSync(join(corpus, 'firehol/firehol_level1.netset'), 'utf8'));
  assert.deepEqual([level1?.entries?.subnets, level1?.entries?.uniqueIps], [2511, 618_830_080n]);
});

test('plain text is recognised as a blocklist by its directive or its lines', () => {
  assert.equal(looksLikeBlocklist('# blocklist-format: plain\nhello\n'), true);
  assert.equal(looksLikeBlocklist('# my list\n1.2.3.4\n5.6.7.0/24\n2001:db8::/32\n'), true);
  assert.equal(looksLikeBlocklist(readFileSync(join(corpus, 'rkn/antifilter_subnet.lst'), 'utf8')), true);
  assert.equal(looksLikeBlocklist('Dear diary,\ntoday I saw 1.2.3.4.\nIt was nice.\n'), false);
  assert.equal(looksLikeBlocklist('1.2.3.4\n'), false, 'too short to tell');
  assert.equal(looksLikeBlocklist(readFileSync(join(root, 'README.md'), 'utf8')), false);
});

test('detection takes linear time on a long line that starts like a rule or a command', () => {
  // The iptables and MikroTik signatures once backtracked through every split of a word: 2.5 s each for these 64 KB.
  const started = performance.now();
  assert.equal(detectFormat('x', `-A ${'x'.repeat(65_536)}`).id, 'plain');
  assert.equal(detectFormat('x', `add address=${'x'.repeat(65_536)}`).id, 'plain');
  assert.equal(detectFormat('x', `${'add list=x; '.repeat(5_000)}\n`).id, 'mikrotik');
  assert.equal(detectFormat('x', '-A INPUT -s 1.2.3.4 -j DROP\n').id, 'iptables');
  assert.ok(performance.now() - started < 250, `detection took ${Math.round(performance.now() - started)} ms`);
});
