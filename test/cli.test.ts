import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { dataAgeJson, dataAgeLines } from '../server/src/cli/dataAbout';
import { dataStatus, type DataAbout } from '../server/src/core/ownership/dataAbout';
import { withoutDataLines } from './cliText';
import { assertValidSarif } from './sarifShape';

const root = resolve(__dirname, '..', '..');
const fixture = (name: string) => resolve(root, 'test/fixtures/plain', name);

/** The CLI with its output piped; the colour variables of the test's own environment left out, so text output is plain. */
function cli(args: string[], input?: string) {
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
  const result = spawnSync(process.execPath, [resolve(root, 'dist/cli.js'), ...args], { input, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('count --json gives entries and exact unique addresses per family', () => {
  const { status, stdout } = cli(['count', '--json', fixture('mixed.txt')]);
  assert.equal(status, 0);
  // 10.0.0.0/23 (512) + 192.168.1.10-20 (11) + 172.16.0.0/24 (256) + 1.2.3.0/24 (256) + 203.0.113.7 (1)
  assert.deepEqual(JSON.parse(stdout), {
    ipv4: { entries: 6, addresses: '1036' },
    ipv6: { entries: 1, addresses: String(2n ** 80n) },
  });
});

test('count prints a readable summary', () => {
  const { stdout } = cli(['count', fixture('mixed.txt')]);
  assert.equal(stdout, 'IPv4: 6 entries blocking 1,036 addresses\nIPv6: 1 entry blocking 2^80 addresses (1 /48)\n');
});

test('merge prints the minimal CIDR list, IPv4 then IPv6, always with a prefix', () => {
  const { stdout } = cli(['merge', fixture('mixed.txt')]);
  assert.equal(
    stdout,
    ['1.2.3.0/24', '10.0.0.0/23', '172.16.0.0/24', '192.168.1.10/31', '192.168.1.12/30', '192.168.1.16/30', '192.168.1.20/32', '203.0.113.7/32', '2001:db8::/48', ''].join('\n'),
  );
});

test('ranges prints start-end ranges', () => {
  const { stdout } = cli(['ranges', '-'], '10.0.0.0/24\n10.0.1.5\n10.0.1.6\n::1\n');
  assert.equal(stdout, '10.0.0.0-10.0.0.255\n10.0.1.5-10.0.1.6\n::1-::1\n');
});

test('invalid lines are reported as FILE:LINE:COL and skipped; --strict makes them fail', () => {
  const relaxed = cli(['merge', '-'], '1.1.1.1\n256.1.1.1\n  1.2.3.4/33\n');
  assert.equal(relaxed.status, 0);
  assert.equal(relaxed.stdout, '1.1.1.1/32\n');
  assert.match(relaxed.stderr, /^-:2:1: error: Octet 256 is out of range.*\[invalid-entry\]$/m);
  assert.match(relaxed.stderr, /^-:3:10: error: Prefix \/33 is too long.*\[invalid-entry\]$/m);
  assert.equal(cli(['merge', '--strict', '-'], '1.1.1.1\n256.1.1.1\n').status, 1);
});

test('warnings do not fail --strict', () => {
  const { status, stderr } = cli(['count', '--strict', '-'], '1.2.3.4/24\n');
  assert.equal(status, 0);
  assert.match(stderr, /^-:1:1: warning: .*\[host-bits-set\]$/m);
});

test('count says each problem with its own severity: an unresolved pf host name is information', () => {
  const { status, stderr } = cli(['count', '--strict', '--input-format', 'pf', '-'], '1.2.3.4\nhost.example.com\n');
  assert.equal(status, 0);
  assert.match(stderr, /^-:2:1: information: pfctl resolves "host\.example\.com" .*\[unresolved-name\]$/m);
});

test('common and except are exact set operations', () => {
  assert.equal(cli(['common', fixture('mixed.txt'), fixture('other.txt')]).stdout, '10.0.0.128/25\n172.16.0.0/24\n2001:db8::/48\n');
  assert.equal(
    cli(['except', fixture('other.txt'), fixture('mixed.txt')]).stdout,
    [
      '172.16.1.0/24',
      '172.16.2.0/23',
      '172.16.4.0/22',
      '172.16.8.0/21',
      '172.16.16.0/20',
      '172.16.32.0/19',
      '172.16.64.0/18',
      '172.16.128.0/17',
      '2001:db8:1::/48',
      '2001:db8:2::/47',
      '2001:db8:4::/46',
      '2001:db8:8::/45',
      '2001:db8:10::/44',
      '2001:db8:20::/43',
      '2001:db8:40::/42',
      '2001:db8:80::/41',
      '2001:db8:100::/40',
      '2001:db8:200::/39',
      '2001:db8:400::/38',
      '2001:db8:800::/37',
      '2001:db8:1000::/36',
      '2001:db8:2000::/35',
      '2001:db8:4000::/34',
      '2001:db8:8000::/33',
      '',
    ].join('\n'),
  );
});

test('compare prints one CSV row per pair', () => {
  const { stdout } = cli(['compare', fixture('mixed.txt'), fixture('other.txt')]);
  const [header, row] = stdout.trim().split('\n');
  assert.equal(header, 'file1,file2,entries1,entries2,addresses1,addresses2,common');
  const common = 128n + 256n + 2n ** 80n;
  assert.equal(row, `${fixture('mixed.txt')},${fixture('other.txt')},7,3,${1036n + 2n ** 80n},${128n + 65536n + 2n ** 96n},${common}`);
});

test('usage mistakes and unreadable files exit with status 2 and say what to do', () => {
  const unknown = cli(['frobnicate']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown command "frobnicate".*\n.*--help/);
  const missing = cli(['count', resolve(root, 'no-such-file.txt')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /Cannot read ".*no-such-file\.txt": no such file/);
  assert.equal(cli(['except', fixture('mixed.txt')]).status, 2);
  assert.equal(cli(['count', '--bogus', fixture('mixed.txt')]).status, 2);
});

test('--help prints usage', () => {
  const { status, stdout } = cli(['--help']);
  assert.equal(status, 0);
  assert.match(stdout, /^Usage: blocklist-audit COMMAND/);
});

test('check prints the editor findings and exits by --fail-on', () => {
  const input = '# blocklist-format: plain\n10.0.0.0/24\n5.5.5.5\n5.5.5.5\n300.1.1.1\n';
  const failing = cli(['check', '-'], input);
  assert.equal(failing.status, 1);
  assert.equal(
    withoutDataLines(failing.stdout),
    [
      '-',
      '  2:1  warning  Includes special-purpose addresses: 10.0.0.0/8 Private-Use (RFC 1918)  special-purpose',
      '  4:1  warning  Duplicate of line 3 (5.5.5.5)                                          duplicate',
      '  5:1  error    Octet 300 is out of range: each part of an IPv4 address is 0–255       invalid-entry',
      '  plain format, 3 findings',
      '  IPv4: 3 entries blocking 257 addresses',
      '  IPv6: 0 entries blocking 0 addresses',
      '',
      '✖ 3 problems (1 error, 2 warnings)',
      '',
    ].join('\n'),
  );
  assert.equal(cli(['check', '--fail-on', 'never', '-'], input).status, 0);
  assert.equal(cli(['check', '-'], '5.5.5.5\n5.5.5.5\n').status, 0);
  assert.equal(cli(['check', '--fail-on=warning', '-'], '5.5.5.5\n5.5.5.5\n').status, 1);
});

test('check --format json gives positions, related places and totals', () => {
  const [report] = JSON.parse(cli(['check', '--format', 'json', '-'], '5.5.5.5\n  5.5.5.5\n').stdout);
  assert.equal(report.format, 'plain');
  assert.deepEqual(report.ipv4, { entries: 2, addresses: '1' });
  assert.deepEqual(report.findings, [
    {
      code: 'duplicate',
      severity: 'warning',
      message: 'Duplicate of line 1 (5.5.5.5).',
      line: 2,
      column: 3,
      endColumn: 10,
      related: [{ line: 1, column: 1, message: 'First listed here.' }],
    },
  ]);
});

test('check --format sarif writes SARIF 2.1.0 with one rule per code', () => {
  const sarif = JSON.parse(cli(['check', '--format', 'sarif', fixture('mixed.txt')]).stdout);
  assertValidSarif(sarif);
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'blocklist-audit');
  const ids = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
  for (const result of run.results) {
    assert.equal(ids[result.ruleIndex], result.ruleId);
    assert.match(result.level, /^(error|warning|note)$/);
    assert.ok(result.locations[0].physicalLocation.region.startLine >= 1);
  }
  const invalid = run.results.find((r: { ruleId: string }) => r.ruleId === 'invalid-entry');
  assert.deepEqual(invalid.locations[0].physicalLocation.region, { startLine: 9, startColumn: 1, endColumn: 4 });
});

test('an unknown --input-format lists the formats', () => {
  const { status, stderr } = cli(['count', '--input-format', 'bogus', fixture('mixed.txt')]);
  assert.equal(status, 2);
  assert.match(stderr, /Unknown input format "bogus"\. Formats: plain, /);
});

test('check on the 2018 example names the collateral by provider', () => {
  const { stdout } = cli(['check', '--fail-on', 'never', resolve(root, 'examples/telegram-2018.txt')]);
  // Size, owners and target told once.
  assert.match(
    stdout,
    /^ {2}20:1 {2}warning {2}35\.192\.0\.0\/12 blocks 1,048,576 addresses \(more than a \/16\), none of them in the target telegram: Google Cloud 901,120 \(85\.9 %\), Google 131,072 \(12\.5 %\), unannounced 16,384 \(overbroad, known-network, outside-target\) {2}reach$/m,
  );
  assert.equal(stdout.match(/^ {2}20:1 /gm)?.length, 1);
  // Per family: a sum of IPv4 and IPv6 addresses would mean nothing.
  assert.match(stdout, /^ {2}IPv4: 12 entries blocking 1,844,224 addresses, of which Google Cloud 901,120 · Amazon Web Services 786,432 · Google 131,072 · Telegram 9,216$/m);
  assert.match(stdout, /^ {2}IPv6: 3 entries blocking 3 \/48s, of which Telegram 2 \/48s$/m);
});

test('check --format json gives the providers per family, exact', () => {
  const { stdout } = cli(['check', '--format', 'json', '--fail-on', 'never', resolve(root, 'examples/telegram-2018.txt')]);
  const [report] = JSON.parse(stdout) as { providers: { ipv4: { id: string; addresses: string }[]; ipv6: { id: string; addresses: string }[] } }[];
  assert.deepEqual(
    report.providers.ipv4.map((p) => `${p.id} ${p.addresses}`),
    ['google-cloud 901120', 'aws 786432', 'google 131072', 'telegram 9216'],
  );
  assert.deepEqual(
    report.providers.ipv6.map((p) => `${p.id} ${p.addresses}`),
    [`telegram ${2n ** 81n}`],
  );
});

// Files whose format has scopes and rules of its own (ipset, pf, nginx) count as the firewall decides.
const IPSET_NOMATCH = 'create bad hash:net\nadd bad 1.2.3.0/24\nadd bad 1.2.3.0/28 nomatch\nadd bad 1.2.3.4\n';
const IPSET_ALLOWLIST =
  '# blocklist-role: allow allowlist\ncreate blocklist hash:net\ncreate allowlist hash:ip\nadd blocklist 5.6.7.0/24\nadd blocklist 5.6.8.0/24\nadd allowlist 1.2.3.0/24\n';
const IPSET_TWO_SETS =
  'create blocklist hash:net\ncreate other hash:ip\nadd blocklist 10.0.0.0/24\nadd blocklist 10.0.1.0/24\nadd blocklist 10.0.0.128/25 nomatch\nadd other 192.0.2.0/30\nadd other 192.0.2.8\n';
const NGINX_FIRST_MATCH = 'deny 1.2.3.4;\nallow 1.2.3.0/24;\ndeny 1.2.3.0/24;\n';
const NGINX_BLOCKS = 'deny 1.2.3.4;\nlocation /api {\n  deny 9.9.9.9;\n}\n';
const NO_IPV6 = { entries: 0, addresses: '0' };

// oxfmt-ignore
const COUNTS: readonly { name: string; input: string; json: object; text: string[] }[] = [
  {
    name: 'an ipset hash:net set with a nomatch exception: the most specific entry decides, 241 addresses as the kernel says',
    input: IPSET_NOMATCH,
    json: { ipv4: { entries: 2, addresses: '241' }, ipv6: NO_IPV6 },
    text: ['IPv4: 2 entries blocking 241 addresses', 'IPv6: 0 entries blocking 0 addresses'],
  },
  {
    name: 'nginx rules: the first match decides, so the allow leaves only 1.2.3.4 denied',
    input: NGINX_FIRST_MATCH,
    json: { ipv4: { entries: 2, addresses: '1' }, ipv6: NO_IPV6 },
    text: ['IPv4: 2 entries blocking 1 address', 'IPv6: 0 entries blocking 0 addresses'],
  },
  {
    name: 'an allowlist set is listed with its role and never counted as blocked',
    input: IPSET_ALLOWLIST,
    json: {
      ipv4: { entries: 2, addresses: '512' },
      ipv6: NO_IPV6,
      scopes: [
        { file: '-', name: 'blocklist', label: 'set blocklist', role: 'block', evaluation: 'most-specific', ipv4: { entries: 2, addresses: '512' }, ipv6: NO_IPV6 },
        { file: '-', name: 'allowlist', label: 'set allowlist', role: 'allow', evaluation: 'union', ipv4: { entries: 1, addresses: '256' }, ipv6: NO_IPV6 },
      ],
    },
    text: [
      'IPv4: 2 entries blocking 512 addresses',
      'IPv6: 0 entries blocking 0 addresses',
      '  set blocklist (block, most-specific): IPv4 2 entries blocking 512 addresses; IPv6 0 entries blocking 0 addresses',
      '  set allowlist (allow, union): IPv4 1 entry blocking 256 addresses; IPv6 0 entries blocking 0 addresses',
    ],
  },
  {
    name: 'nginx blocks are scopes named by their path, the file\'s own rules the scope ""',
    input: NGINX_BLOCKS,
    json: {
      ipv4: { entries: 2, addresses: '2' },
      ipv6: NO_IPV6,
      scopes: [
        { file: '-', name: '', label: 'the file', role: 'block', evaluation: 'first-match', ipv4: { entries: 1, addresses: '1' }, ipv6: NO_IPV6 },
        { file: '-', name: 'location /api', label: 'location /api', role: 'block', evaluation: 'first-match', ipv4: { entries: 1, addresses: '1' }, ipv6: NO_IPV6 },
      ],
    },
    text: [
      'IPv4: 2 entries blocking 2 addresses',
      'IPv6: 0 entries blocking 0 addresses',
      '  the file (block, first-match): IPv4 1 entry blocking 1 address; IPv6 0 entries blocking 0 addresses',
      '  location /api (block, first-match): IPv4 1 entry blocking 1 address; IPv6 0 entries blocking 0 addresses',
    ],
  },
];

for (const { name, input, json, text } of COUNTS) {
  test(`count: ${name}`, () => {
    const asJson = cli(['count', '--json', '-'], input);
    assert.equal(asJson.status, 0, asJson.stderr);
    assert.deepEqual(JSON.parse(asJson.stdout), json);
    assert.equal(cli(['count', '-'], input).stdout, text.map((line) => `${line}\n`).join(''));
  });
}

// oxfmt-ignore
const SCOPED: readonly { args: string[]; input: string; status: number; stdout: string; stderr?: RegExp }[] = [
  { args: ['merge', '-'], input: IPSET_NOMATCH, status: 0, stdout: '1.2.3.4/32\n1.2.3.16/28\n1.2.3.32/27\n1.2.3.64/26\n1.2.3.128/25\n' },
  { args: ['merge', '-'], input: IPSET_TWO_SETS, status: 2, stdout: '', stderr: /^blocklist-audit: - has 2 blocking scopes: set blocklist, set other\. Pass --scope NAME to merge one of them .*--scope blocklist/ },
  { args: ['ranges', '-'], input: IPSET_TWO_SETS, status: 2, stdout: '', stderr: /- has 2 blocking scopes: set blocklist, set other\. Pass --scope NAME to ranges/ },
  { args: ['merge', '--scope', 'blocklist', '-'], input: IPSET_TWO_SETS, status: 0, stdout: '10.0.0.0/25\n10.0.1.0/24\n' },
  { args: ['ranges', '--scope=other', '-'], input: IPSET_TWO_SETS, status: 0, stdout: '192.0.2.0-192.0.2.3\n192.0.2.8-192.0.2.8\n' },
  { args: ['merge', '-'], input: IPSET_ALLOWLIST, status: 0, stdout: '5.6.7.0/24\n5.6.8.0/24\n' },
  { args: ['merge', '--scope', 'allowlist', '-'], input: IPSET_ALLOWLIST, status: 0, stdout: '1.2.3.0/24\n' },
  { args: ['merge', '--scope', 'nosuch', '-'], input: IPSET_ALLOWLIST, status: 2, stdout: '', stderr: /No file has a scope named "nosuch"\. Scopes: set blocklist, set allowlist \(allow\)\./ },
  { args: ['count', '--scope', 'nosuch', '-'], input: '1.2.3.4\n', status: 2, stdout: '', stderr: /No file has a scope named "nosuch"\. The files have no sets, tables or blocks\./ },
  { args: ['merge', '-'], input: NGINX_BLOCKS, status: 2, stdout: '', stderr: /- has 2 blocking scopes: the file \(--scope ""\), location \/api\./ },
  { args: ['merge', '--scope', 'location /api', '-'], input: NGINX_BLOCKS, status: 0, stdout: '9.9.9.9/32\n' },
  { args: ['merge', '--scope', '', '-'], input: NGINX_BLOCKS, status: 0, stdout: '1.2.3.4/32\n' },
  { args: ['check', '--scope', 'blocklist', '-'], input: IPSET_TWO_SETS, status: 2, stdout: '', stderr: /--scope is for the set commands/ },
];

for (const { args, input, status, stdout, stderr } of SCOPED) {
  test(`${args.join(' ')} on ${JSON.stringify(input.split('\n')[0])}…: status ${status}`, () => {
    const result = cli(args, input);
    assert.equal(result.status, status, result.stderr);
    assert.equal(result.stdout, stdout);
    if (stderr) assert.match(result.stderr, stderr);
  });
}

test('--scope reads that scope of the files that have it; the others give what they block', () => {
  const { stdout } = cli(
    ['common', '--scope', 'blocklist', '-', fixture('mixed.txt')],
    '# blocklist-format: ipset\ncreate blocklist hash:net\ncreate other hash:net\nadd blocklist 10.0.0.0/16\nadd other 1.2.3.0/24\n',
  );
  assert.equal(stdout, '10.0.0.0/23\n');
});

test('invalid lines of a file read by scope are reported as in a plain list', () => {
  const { status, stdout, stderr } = cli(['merge', '--strict', '-'], 'create bad hash:net\nadd bad 300.1.1.1\nadd bad 1.2.3.4\n');
  assert.equal(status, 1);
  assert.equal(stdout, '1.2.3.4/32\n');
  assert.match(stderr, /^-:2:9: error: Octet 300 is out of range.*\[invalid-entry\]$/m);
});

test('compare writes file names a spreadsheet would run as formulas as text, quoted as RFC 4180 says', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blocklist-compare-'));
  try {
    writeFileSync(join(dir, '=HYPERLINK("x")'), '1.2.3.4\n');
    writeFileSync(join(dir, '@list'), '1.2.3.4-1.2.3.5\n');
    const { stdout } = spawnSync(process.execPath, [resolve(root, 'dist/cli.js'), 'compare', '=HYPERLINK("x")', '@list'], { cwd: dir, encoding: 'utf8' });
    assert.equal(stdout, 'file1,file2,entries1,entries2,addresses1,addresses2,common\n"\'=HYPERLINK(""x"")",\'@list,1,1,1,2,1\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check quotes a bad line as a short escaped excerpt in text, JSON and SARIF: no control character reaches the reader', () => {
  const input = `5.5.5.5\n\x1b[31mred\x07\x1b[2J${'A'.repeat(100_000)}\n\u202eevil\n`;
  const text = cli(['check', '-'], input).stdout;
  assert.match(text, /^ {2}2:1 {2}error {2}"\\x1b\[31mred\\x07\\x1b\[2JA{18}…" \(100,013 characters\) is not an address, CIDR or range {2}invalid-entry$/m);
  assert.match(text, /^ {2}3:1 {2}error {2}"\\u202eevil" is not an address/m);
  const json = cli(['check', '--format', 'json', '-'], input).stdout;
  const sarif = cli(['check', '--format', 'sarif', '-'], input).stdout;
  for (const output of [text, json, sarif]) {
    // Far below the line's 100,000 characters: SARIF's table of rules alone takes some 10,000.
    assert.ok(output.length < 20_000, `${output.length} characters`);
    assert.doesNotMatch(output.replace(/\n/g, ''), /[\p{Cc}\p{Cf}]/u);
  }
  assert.deepEqual(
    JSON.parse(json)[0].findings.map((f: { message: string }) => f.message),
    JSON.parse(sarif).runs[0].results.map((r: { message: { text: string } }) => r.message.text),
  );
});

test('--max-results keeps the most severe findings, says how many it left out, and the exit status counts them all', () => {
  // Three duplicates (warnings) before an invalid line (an error).
  const input = '5.5.5.5\n5.5.5.5\n5.5.5.5\n5.5.5.5\n300.1.1.1\n';
  const text = cli(['check', '--max-results', '2', '-'], input);
  assert.equal(text.status, 1);
  assert.equal(
    withoutDataLines(text.stdout),
    [
      '-',
      '  2:1  warning  Duplicate of line 1 (5.5.5.5)                                     duplicate',
      '  5:1  error    Octet 300 is out of range: each part of an IPv4 address is 0–255  invalid-entry',
      '  plain format, 4 findings (2 not shown: --max-results 2)',
      '  IPv4: 4 entries blocking 1 address',
      '  IPv6: 0 entries blocking 0 addresses',
      '',
      // The count is of every finding, as the exit status: the line above says how many are not shown.
      '✖ 4 problems (1 error, 3 warnings)',
      '',
    ].join('\n'),
  );
  const [report] = JSON.parse(cli(['check', '--format', 'json', '--max-results=1', '-'], input).stdout);
  assert.deepEqual([report.findings.map((f: { code: string }) => f.code), report.omitted], [['invalid-entry'], 3]);
  const sarif = JSON.parse(cli(['check', '--format', 'sarif', '--max-results', '0', '-'], input).stdout);
  assertValidSarif(sarif);
  const { properties } = sarif.runs[0];
  assert.deepEqual([sarif.runs[0].results, properties.maxResults, properties.omittedResults], [[], 0, 4]);
  const all = JSON.parse(cli(['check', '--format', 'sarif', '-'], input).stdout).runs[0].properties;
  assert.deepEqual([all.maxResults, all.omittedResults], [25_000, 0]);
});

test('--quiet writes errors only, and --max-warnings fails on more warnings than it allows, as ESLint does', () => {
  const input = '5.5.5.5\n5.5.5.5\n5.5.5.5\n300.1.1.1\n';
  const quiet = cli(['check', '--quiet', '-'], input);
  assert.equal(quiet.status, 1);
  assert.equal(
    quiet.stdout,
    [
      '-',
      '  4:1  error  Octet 300 is out of range: each part of an IPv4 address is 0–255  invalid-entry',
      '  plain format, 1 finding',
      '  IPv4: 3 entries blocking 1 address',
      '  IPv6: 0 entries blocking 0 addresses',
      '',
      '✖ 1 problem (1 error, 0 warnings)',
      '',
    ].join('\n'),
  );
  // Two warnings: --fail-on never exits 0 unless --max-warnings is below 2.
  const duplicates = '5.5.5.5\n5.5.5.5\n5.5.5.5\n';
  assert.equal(cli(['check', '--fail-on', 'never', '--max-warnings', '2', '-'], duplicates).status, 0);
  assert.equal(cli(['check', '--fail-on', 'never', '--max-warnings', '1', '-'], duplicates).status, 1);
  // --quiet hides the warnings from the output, not from --max-warnings.
  const hidden = cli(['check', '--quiet', '--fail-on', 'never', '--max-warnings=0', '-'], duplicates);
  assert.deepEqual([hidden.status, hidden.stdout], [1, '-\n  plain format, 0 findings\n  IPv4: 3 entries blocking 1 address\n  IPv6: 0 entries blocking 0 addresses\n']);
});

// oxfmt-ignore
const MAX_RESULTS_MISTAKES: readonly [args: string[], stderr: RegExp][] = [
  [['check', '--max-results', 'many', '-'], /--max-results takes a whole number of findings \(0 or more\), not "many"\./],
  [['check', '--max-results=-1', '-'], /not "-1"/],
  [['check', '--max-results'], /--max-results needs a value\./],
  [['merge', '--max-results', '5', '-'], /--max-results is for "check"/],
  [['check', '--max-warnings', 'few', '-'], /--max-warnings takes a whole number of warnings \(0 or more\), not "few"\./],
  [['count', '--quiet', '-'], /--quiet is for "check"/],
  [['check', '--max-data-age', '0', '-'], /--max-data-age takes a whole number of days \(1 or more\), not "0"\./],
  [['check', '--max-data-age=ninety', '-'], /not "ninety"/],
  [['merge', '--max-data-age', '30', '-'], /--max-data-age is for "check" and "diff": the other commands use no ownership data\./],
];

for (const [args, stderr] of MAX_RESULTS_MISTAKES) {
  test(`${args.join(' ')}: a usage error`, () => {
    const result = cli(args, '1.2.3.4\n');
    assert.equal(result.status, 2);
    assert.match(result.stderr, stderr);
  });
}

test("check's lines on the ownership data: which data, of what day and whose, its caveat, then a warning past the limit", () => {
  const about: DataAbout = {
    source: '@ip-location-db/asn',
    version: '2.3.2026061719',
    date: '2026-06-17',
    credit: 'RouteViews, NRO and DB-IP, CC BY 4.0',
    caveat: 'Its publisher warns.',
  };
  const today = new Date('2026-12-02T04:00:00Z');
  const note = 'Ownership data: @ip-location-db/asn 2.3.2026061719 of 2026-06-17 (168 days old); RouteViews, NRO and DB-IP, CC BY 4.0. Its publisher warns.';
  assert.deepEqual(dataAgeLines(dataStatus(about, today, 168)), [note]);
  assert.deepEqual(dataAgeLines(dataStatus(about, today, 167)), [
    note,
    'warning: Ownership data is 168 days old (older than 167): who holds each address is as of 2026-06-17, so findings about providers, organisations and collateral may be out of date.',
  ]);
  assert.deepEqual(dataAgeLines(undefined), []);
  assert.deepEqual(dataAgeJson(dataStatus(about, today, 90)), { ...about, ageDays: 168, maxAgeDays: 90, outOfDate: true });
});

test('check ends its text with the ownership data it used (before the count of problems), and with --max-data-age 1 warns that the shipped data is out of date, in text, JSON and SARIF', () => {
  const input = '35.192.0.0/12\n';
  const dated =
    /^Ownership data: @ip-location-db\/asn \S+ of (\d{4}-\d{2}-\d{2}) \((\d+) days? old\); RouteViews, NRO and DB-IP .* Its publisher warns that the data it published to npm contains bugs/;
  // The note, and the line after it, which is the warning when there is one; the count of problems ends the output.
  const dataLines = (args: string[]) => {
    const lines = cli(['check', '--fail-on', 'never', ...args, '-'], input)
      .stdout.trimEnd()
      .split('\n');
    assert.match(lines.at(-1) ?? '', /^✖ 1 problem/);
    const at = lines.findIndex((line) => line.startsWith('Ownership data: '));
    return lines.slice(at, at + 2);
  };
  // The shipped data is months old: older than 1 day, and (years from now) still younger than 100,000 days.
  const [note, warning] = dataLines(['--max-data-age', '1']);
  const [, date, age] = dated.exec(note) ?? assert.fail(note);
  assert.ok(Number(age) > 1, note);
  assert.equal(
    warning,
    `warning: Ownership data is ${age} days old (older than 1): who holds each address is as of ${date}, so findings about providers, organisations and collateral may be out of date.`,
  );
  const [young, next] = dataLines(['--max-data-age', '100000']);
  assert.match(young, dated);
  assert.equal(next, '');
  // --quiet writes errors only: not these lines either.
  assert.doesNotMatch(cli(['check', '--quiet', '--fail-on', 'never', '--max-data-age', '1', '-'], input).stdout, /Ownership data/);

  const [report] = JSON.parse(cli(['check', '--format', 'json', '--fail-on', 'never', '--max-data-age', '1', '-'], input).stdout);
  assert.deepEqual([report.ownershipData.date, report.ownershipData.ageDays, report.ownershipData.maxAgeDays, report.ownershipData.outOfDate], [date, Number(age), 1, true]);
  const sarif = JSON.parse(cli(['check', '--format', 'sarif', '--max-data-age', '1', '-'], input).stdout);
  assertValidSarif(sarif);
  const run = sarif.runs[0];
  assert.equal(run.properties.ownershipData.outOfDate, true);
  assert.deepEqual(
    run.invocations[0].toolExecutionNotifications.map((n: { level: string; message: { text: string } }) => [n.level, n.message.text]),
    [['warning', warning.slice('warning: '.length)]],
  );
  assert.equal(JSON.parse(cli(['check', '--format', 'sarif', '--max-data-age', '100000', '-'], input).stdout).runs[0].invocations, undefined);
});
