/** The audit report's data and its three renderings, on the 2018 example. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { reportCsv, reportHtml, reportMarkdown } from '../../client/src/report/render';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { detectFormat } from '../../server/src/core/formats/registry';
import { dataStatus } from '../../server/src/core/ownership/dataAbout';
import { Networks } from '../../server/src/core/ownership/networks';
import { buildReport } from '../../server/src/core/analysis/report';

const root = resolve(__dirname, '..', '..', '..');
const networks = Networks.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
const text = readFileSync(join(root, 'examples/telegram-2018.txt'), 'utf8');
const document = parseDocument(text, detectFormat('telegram-2018.txt', text));
const data = buildReport(document, audit(document, undefined, networks), networks);

test('the report data: totals, providers, organisations, prefixes and the broadest entries', () => {
  assert.equal(data.ipv4.addresses, '1844224');
  assert.deepEqual(
    data.providers.ipv4.slice(0, 3).map((p) => [p.name, p.addresses]),
    [
      ['Google Cloud', '901120'],
      ['Amazon Web Services', '786432'],
      ['Google', '131072'],
    ],
  );
  assert.deepEqual(
    data.providers.ipv6.map((p) => p.name),
    ['Telegram'],
  );
  // Exact, by organisation: a provider's ASNs go by its name, and Telegram's three ASNs are one organisation.
  assert.deepEqual(
    data.organisations.map((o) => [o.name, o.asns, o.addresses]),
    [
      ['Google Cloud', [396982], '901120'],
      ['Amazon Web Services', [16509], '786432'],
      ['Google', [15169, 19527], '131072'],
      ['Telegram', [62041, 59930, 62014], '9216'],
    ],
  );
  assert.deepEqual(data.prefixes.ipv4, [
    [12, 1],
    [14, 1],
    [15, 4],
    [20, 1],
    [22, 5],
  ]);
  assert.deepEqual(
    data.broadest.slice(0, 2).map((b) => [b.text, b.addresses]),
    [
      ['2001:b28:f23d::/48', '1208925819614629174706176'],
      ['2001:b28:f23f::/48', '1208925819614629174706176'],
    ],
  );
  assert.ok(data.broadest.find((b) => b.text === '35.192.0.0/12')?.codes.includes('known-network'));
});

test('the webview HTML has a strict policy, no remote content, theme colours and links to lines', () => {
  const html = reportHtml(data, 'telegram-2018.txt', 'vscode-webview:', 'abc123');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src vscode-webview: 'nonce-abc123'; script-src 'nonce-abc123';">/);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.match(html, /var\(--vscode-foreground\)/);
  assert.match(html, /<a href="#" data-line="\d+">line \d+: 35\.192\.0\.0\/12<\/a>/);
  assert.match(html, /Google Cloud \(cloud\)/);
  assert.doesNotMatch(reportHtml({ ...data, format: '<script>alert(1)</script>' }, 'x', 's', 'n'), /<script>alert/);
});

test('Markdown and CSV exports carry the same figures', () => {
  const markdown = reportMarkdown(data, 'telegram-2018.txt');
  assert.match(markdown, /^# Blocklist report: telegram-2018\.txt$/m);
  assert.match(markdown, /^\| Google Cloud \(cloud\) \| IPv4 \| 901,120 \|$/m);
  const csv = reportCsv(data);
  assert.match(csv, /^section,name,value$/m);
  assert.match(csv, /^ipv4 provider,Google Cloud,901120$/m);
  assert.match(csv, /^totals,ipv4 addresses,1844224$/m);
  // IPv6 as people read it where people read it; the CSV keeps the exact integer.
  assert.match(markdown, /^\| IPv6 \| 3 \| 3 \/48s \| /m);
  assert.match(markdown, /^\| Telegram \(messenger\) \| IPv6 \| 2 \/48s \|$/m);
  assert.match(csv, /^totals,ipv6 addresses,3626777458843887524118528$/m);
  const html = reportHtml(data, 'telegram-2018.txt', 'vscode-webview:', 'n');
  assert.match(html, /<div class="big" title="3,626,777,458,843,887,524,118,528 addresses">3 \/48s<\/div>/);
});

test('bars are drawn without inline styles, which the policy forbids, and scale to the largest value', () => {
  const html = reportHtml(data, 'telegram-2018.txt', 'vscode-webview:', 'n');
  assert.doesNotMatch(html, /style="/);
  const widths = [...html.matchAll(/<rect width="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.ok(widths.includes(100));
  assert.ok(
    widths.some((w) => w < 20),
    'smaller values get shorter bars',
  );
});

test('the report names each scope with its role and rule, and counts what it blocks by that rule', () => {
  const sets = '# blocklist-role: allow trusted\ncreate bad hash:net\ncreate trusted hash:net\nadd bad 1.2.3.0/24\nadd bad 1.2.3.0/28 nomatch\nadd trusted 9.9.9.9\n';
  const scoped = parseDocument(sets, detectFormat('sets.ipset', sets));
  const report = buildReport(scoped, audit(scoped), undefined);
  assert.deepEqual(report.scopes, [
    { label: 'set bad', role: 'block', evaluation: 'most-specific', ipv4: '240', ipv6: '0' },
    { label: 'set trusted', role: 'allow', evaluation: 'most-specific', ipv4: '1', ipv6: '0' },
  ]);
  assert.equal(report.ipv4.addresses, '240');
  assert.match(reportMarkdown(report, 'sets.ipset'), /\| set trusted \(allowlist, most specific decides\) \| 1 \| 0 \|/);
  assert.deepEqual(data.scopes, [], 'a plain list is one list: no scope rows');
});

// Real organisations whose names a spreadsheet would run as formulas, or that hold a "|".
const NAMED = ['38.224.211.0/24', '45.165.224.0/22', '8.33.224.0/24', '45.229.100.0/22', '8.41.80.0/23'].join('\n');
const namedDocument = parseDocument(NAMED, detectFormat('named.txt', NAMED));
const named = buildReport(namedDocument, audit(namedDocument, undefined, networks), networks);

test('the CSV export neutralises names a spreadsheet would run as formulas; numbers stay numbers', () => {
  const csv = reportCsv(named);
  assert.match(csv, /^organisation,'@SONET COLOMBIA SAS \(AS274054\),256$/m);
  assert.match(csv, /^organisation,'\+Net & Telecom \(AS262405\),1024$/m);
  assert.match(csv, /^organisation,'-Reserved AS- \(AS394936\),256$/m);
  assert.match(csv, /^totals,ipv4 addresses,3072$/m);
  for (const line of csv.trimEnd().split('\n')) assert.doesNotMatch(line, /(^|,)[=+\-@\t\r]/, line);
});

test('the Markdown export escapes names, so a "|" leaves the table rows whole', () => {
  const markdown = reportMarkdown(named, 'my_list*.txt');
  assert.match(markdown, /^# Blocklist report: my\\_list\\\*\.txt$/m);
  assert.match(markdown, /^\| BRASIL TECPAR \\\| AMIGO \\\| AVATO \(AS267147\) \| 1,024 \|$/m);
  assert.match(markdown, /^\| E\\\*TRADE Financial Corporation \(AS6352\) \| 512 \|$/m);
  for (const row of markdown.split('\n').filter((line) => line.startsWith('| ') && line.includes('(AS'))) {
    assert.equal(row.split(/(?<!\\)\|/).length - 2, 2, row);
  }
});

test('under the organisations, the report says which ownership data it used, of what day and whose, its caveat, and that it is out of date past the limit', () => {
  const { about } = networks.index;
  const today = new Date('2026-12-02T12:00:00Z');
  const result = audit(document, undefined, networks);
  const stale = buildReport(document, result, networks, dataStatus(about, today, 90));
  const note = `Ownership data: ${about.source} ${about.version} of ${about.date} (168 days old); ${about.credit}. ${about.caveat}`;
  const warning = `Ownership data is 168 days old (older than 90): who holds each address is as of ${about.date}, so findings about providers, organisations and collateral may be out of date.`;
  const html = reportHtml(stale, 'telegram-2018.txt', 'vscode-webview:', 'n');
  const organisations = html.slice(html.indexOf('<h2>Addresses by organisation (IPv4)</h2>'), html.indexOf('<h2>Entries by prefix length</h2>'));
  assert.ok(organisations.includes(`<p class="warning">${warning}</p><p class="muted">${note.replaceAll("'", '&#39;')}</p></section>`), organisations);
  const markdown = reportMarkdown(stale, 'telegram-2018.txt');
  assert.ok(markdown.includes(`| 9,216 |\n\n**${warning}**\n\n_${note}_\n\n## Findings`), markdown);
  // The source starts with "@", so it is written after a "'", as every cell a spreadsheet would run.
  assert.deepEqual(
    reportCsv(stale)
      .split('\n')
      .filter((row) => row.startsWith('ownership data,')),
    [`ownership data,source,'${about.source} ${about.version}`, `ownership data,date,${about.date}`, 'ownership data,age in days,168'],
  );
  // Within the limit, no warning; without the data (or without ASN data), nothing.
  assert.doesNotMatch(reportHtml(buildReport(document, result, networks, dataStatus(about, today, 168)), 'x', 's', 'n'), /class="warning"|older than/);
  assert.doesNotMatch(reportMarkdown(data, 'x'), /Ownership data/);
});
