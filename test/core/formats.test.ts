/**
 * Every format: a fixture per format read into entries, compared with the
 * `.expected` file beside it (regenerate with UPDATE_EXPECTED=1 and review
 * the diff); detection by name and content; and the real corpus files,
 * whose entry counts SOURCES.md gives.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseDocument, type BlocklistDocument } from '../../server/src/core/document';
import { formatAddress } from '../../server/src/core/formatting';
import { detectFormat, formatById, parseFormatDirective } from '../../server/src/core/formats/registry';
import { looksLikeBlocklist } from '../../server/src/core/sniff';

const root = resolve(__dirname, '..', '..', '..');
const fixtures = join(root, 'test/fixtures/formats');
const corpus = process.env.BLOCKLIST_CORPUS ?? resolve(root, '..', 'shared', 'corpus');

/** `L3 12-24 block 1.2.3.0-1.2.3.255 /24 "1.2.3.0/24"` per entry, `L7 invalid-entry: message` per problem, in line order. */
function describe(document: BlocklistDocument): string {
  const t = document.entries;
  const rows: [number, number, string][] = [];
  for (let k = 0; k < t.count; k++) {
    const range = `${formatAddress(t.version[k], t.lo(k))}-${formatAddress(t.version[k], t.hi(k))}`;
    const prefix = t.prefix[k] >= 0 ? ` /${t.prefix[k]}` : '';
    const text = JSON.stringify(document.text.slice(t.start[k], t.end[k]));
    rows.push([t.line[k], t.start[k], `L${t.line[k] + 1} ${t.start[k]}-${t.end[k]} ${t.allow[k] ? 'allow' : 'block'} ${range}${prefix} ${text}`]);
  }
  for (const p of document.problems) rows.push([p.line, p.start, `L${p.line + 1} ${p.code}: ${p.message}`]);
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return `${document.format.id}\n${rows.map((row) => row[2]).join('\n')}\n`;
}

for (const name of readdirSync(fixtures).filter((file) => !file.endsWith('.expected'))) {
  test(`reads the ${name} fixture`, () => {
    const file = join(fixtures, name);
    const text = readFileSync(file, 'utf8');
    const actual = describe(parseDocument(text, detectFormat(name, text)));
    const expectedFile = `${file}.expected`;
    if (process.env.UPDATE_EXPECTED || !existsSync(expectedFile)) writeFileSync(expectedFile, actual);
    assert.equal(actual, readFileSync(expectedFile, 'utf8'));
  });
}

const detection: [fileName: string, text: string, expected: string][] = [
  ['list.netset', '1.2.3.4\n', 'firehol'],
  ['anything.txt', '#\n# Entries : 2 subnets, 3 unique IPs\n1.2.3.4\n', 'firehol'],
  ['ipfilter.dat', '001.002.003.000 - 001.002.003.255 , 000 , x\n', 'ipfilter-dat'],
  ['guarding.p2p', 'x:1.2.3.4-1.2.3.5\n', 'p2p'],
  ['list.txt', 'x:1.2.3.4-1.2.3.5\n', 'p2p'],
  ['hosts.deny', 'sshd: 1.2.3.4\n', 'hosts-deny'],
  ['deny.conf', 'sshd, vsftpd: 1.2.3.4\n', 'hosts-deny'],
  ['router.rsc', 'add address=1.2.3.4 list=x\n', 'mikrotik'],
  ['x.txt', '/ip firewall address-list\nadd address=1.2.3.4 list=x\n', 'mikrotik'],
  ['sets.nft', 'table inet f { }\n', 'nftables'],
  ['x.conf', 'set s { elements = { 1.2.3.4 } }\n', 'nftables'],
  ['x.conf', 'table <bad> { 1.2.3.4 }\n', 'pf'],
  ['x.conf', '  deny 1.2.3.4;\n', 'nginx'],
  ['.htaccess', 'Require not ip 10.1\n', 'apache'],
  ['x.conf', 'Deny from 10.1\n', 'apache'],
  ['rules.v4', '*filter\n-A INPUT -s 1.2.3.4 -j DROP\nCOMMIT\n', 'iptables'],
  ['saved', 'create s hash:ip\nadd s 1.2.3.4\n', 'ipset'],
  ['drop.txt', '; Spamhaus\n1.10.16.0/20 ; SBL256894\n', 'spamhaus-drop'],
  ['drop_v4.json', '{"cidr":"1.10.16.0/20","sblid":"SBL1"}\n', 'spamhaus-json'],
  ['feed.csv', '192.0.2.0/24,US,US-CA,San Jose,\n', 'geofeed'],
  ['dc.csv', '1.2.3.0,1.2.3.255,x,y\n', 'ipcat-csv'],
  ['ipsum.txt', '# comment\n1.2.3.4\t5\n', 'ip-count'],
  ['dump.csv', 'Updated: 2014-01-01\n1.2.3.4;x;y;z;1;2\n', 'registry-csv'],
  ['dump-08.csv', '1.2.3.4 | 5.6.7.8;x;y;z;1;2\n', 'registry-csv'],
  ['list.txt', '1.2.3.4\n2001:db8::/32\n', 'plain'],
  ['list.txt', '# blocklist-format: nginx\n1.2.3.4\n', 'nginx'],
  ['list.netset', '// blocklist-format: ip-count\n1.2.3.4\n', 'ip-count'],
];

for (const [fileName, text, expected] of detection) {
  test(`detects ${expected} in ${fileName}: ${JSON.stringify(text.slice(0, 30))}`, () => {
    assert.equal(detectFormat(fileName, text).id, expected);
  });
}

test('a directive beats the setting, and the setting beats the name and the content', () => {
  assert.equal(detectFormat('x.netset', '# blocklist-format: nginx\n', 'ipset').id, 'nginx');
  assert.equal(detectFormat('x.netset', 'deny 1.2.3.4;\n', 'ipset').id, 'ipset');
});

test('an unknown directive is found, with its position, and names no format', () => {
  const directive = parseFormatDirective('# hello\n# blocklist-format: bogus\n');
  assert.deepEqual(directive, { id: 'bogus', format: undefined, line: 1, start: 28, end: 33 });
});

/** Real files in the corpus, with their entry counts (IPv4, IPv6) from SOURCES.md. */
const real: [file: string, format: string, ipv4: number, ipv6: number][] = [
  ['misc/nginx_blockips.conf', 'nginx', 804, 0],
  ['misc/spamhaus_drop_v4.json', 'spamhaus-json', 1406, 0],
  ['rkn/zi_dump_2014-04-22.csv', 'registry-csv', 3616, 0],
  ['rkn/zi_dump-08_2020-01-30.csv', 'registry-csv', 34866, 19568],
  ['cloud/linode_geofeed.txt', 'geofeed', 4464, 88],
  ['cloud/digitalocean_google.csv', 'geofeed', 1037, 145],
  ['cloud/ipcat_datacenters.csv', 'ipcat-csv', 3429, 0],
  ['firehol/firehol_level1.netset', 'firehol', 2511, 0],
  ['firehol/stopforumspam.ipset', 'firehol', 203676, 0],
  ['cloud/akamai_v4.txt', 'plain', 19, 0],
  ['cloud/telegram_cidr.txt', 'plain', 9, 5],
  ['cloud/disposable_microsoft-azure.txt', 'plain', 41662, 14605],
  ['misc/spamhaus_drop_secops_2024.txt', 'plain', 989, 0],
  ['misc/stamparm_ipsum_level3.txt', 'plain', 14217, 0],
];

for (const [file, format, ipv4, ipv6] of real) {
  test(`reads the real ${basename(file)} as ${format}: ${ipv4} IPv4 and ${ipv6} IPv6 entries, no problem`, () => {
    const text = readFileSync(join(corpus, file), 'utf8');
    const document = parseDocument(text, detectFormat(basename(file), text));
    assert.equal(document.format.id, format);
    const t = document.entries;
    let v4 = 0;
    for (let k = 0; k < t.count; k++) if (t.version[k] === 4) v4++;
    assert.deepEqual([v4, t.count - v4], [ipv4, ipv6]);
    assert.deepEqual(document.problems, []);
  });
}

test('every format is registered under its id', () => {
  for (const id of ['plain', 'firehol', 'spamhaus-drop', 'spamhaus-json', 'ipset', 'nginx', 'apache', 'iptables', 'nftables', 'pf', 'hosts-deny', 'mikrotik', 'p2p', 'ipfilter-dat', 'ipcat-csv', 'geofeed', 'ip-count', 'registry-csv']) {
    assert.equal(formatById(id)?.id, id);
  }
});

test('plain text is recognised as a blocklist by its directive or its lines', () => {
  assert.equal(looksLikeBlocklist('# blocklist-format: plain\nhello\n'), true);
  assert.equal(looksLikeBlocklist('# my list\n1.2.3.4\n5.6.7.0/24\n2001:db8::/32\n'), true);
  assert.equal(looksLikeBlocklist(readFileSync(join(corpus, 'rkn/antifilter_subnet.lst'), 'utf8')), true);
  assert.equal(looksLikeBlocklist('Dear diary,\ntoday I saw 1.2.3.4.\nIt was nice.\n'), false);
  assert.equal(looksLikeBlocklist('1.2.3.4\n'), false, 'too short to tell');
  assert.equal(looksLikeBlocklist(readFileSync(join(root, 'README.md'), 'utf8')), false);
});
