/** Lists read together in `check`: a hosts.deny with the hosts.allow in its folder (unless --no-hosts-allow), and --group. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

const root = resolve(__dirname, '..', '..');
let folder = '';

interface Report {
  file: string;
  ipv4: { addresses: string };
  findings: { code: string; line: number; message: string; related?: { file: string; line: number }[] }[];
  readWith?: string[];
}

function check(args: string[]): { status: number | null; stderr: string; reports: Report[] } {
  const result = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'check', '--format', 'json', ...args], { cwd: folder, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr, reports: result.stdout === '' ? [] : (JSON.parse(result.stdout) as Report[]) };
}

/** `file:line code → related file:line` for the findings of `codes`. */
const found = (reports: Report[], ...codes: string[]) =>
  reports.flatMap((report) =>
    report.findings.filter((f) => codes.includes(f.code)).map((f) => `${report.file}:${f.line} ${f.code} → ${f.related?.map((r) => `${r.file}:${r.line}`).join(' ')}`),
  );

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'blocklist-lists-'));
  mkdirSync(join(folder, 'etc'));
  writeFileSync(join(folder, 'etc', 'hosts.allow'), '# our office\nsshd: 192.0.2.0/24\n');
  writeFileSync(join(folder, 'etc', 'hosts.deny'), 'sshd: 192.0.2.7, 198.51.100.1\nALL: 203.0.113.0/24\n');
  writeFileSync(join(folder, 'feed.txt'), '203.0.113.0/24\n2001:db8::/48\n');
  writeFileSync(join(folder, 'local.txt'), '203.0.113.0/25\n198.18.0.1\n2001:db8::/64\n');
});

after(() => rmSync(folder, { recursive: true, force: true }));

test('check reads the hosts.allow beside a hosts.deny first: an entry it grants whole is granted-first, and the totals say so', () => {
  const { reports } = check(['etc/hosts.deny']);
  assert.deepEqual(found(reports, 'granted-first'), ['etc/hosts.deny:1 granted-first → etc/hosts.allow:2']);
  // sshd is denied 198.51.100.1 and the ALL line's /24, not 192.0.2.7.
  assert.equal(reports[0].ipv4.addresses, '257');
  assert.deepEqual(reports[0].readWith, ['read after etc/hosts.allow, which decides first (--no-hosts-allow reads it alone)']);
});

test('--no-hosts-allow reads the hosts.deny alone', () => {
  const { reports } = check(['etc/hosts.deny', '--no-hosts-allow']);
  assert.deepEqual(found(reports, 'granted-first'), []);
  assert.equal(reports[0].ipv4.addresses, '258');
  assert.equal(reports[0].readWith, undefined);
});

test('which: a hosts.deny entry hosts.allow decides first blocks none of the query, and the answer names the hosts.allow line', () => {
  const which = (...args: string[]) => spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'which', ...args], { cwd: folder, encoding: 'utf8' });
  const text = which('192.0.2.7', 'etc/hosts.deny');
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^ {4}allowed by etc\/hosts\.allow line 2 \(192\.0\.2\.0\/24\): it decides 1 address of IPv4 first, before hosts\.deny is asked$/m);
  const json = JSON.parse(which('192.0.2.7', 'etc/hosts.deny', '--format', 'json').stdout) as { files: { scopes: { grantedFirst?: object }[] }[] };
  assert.deepEqual(json.files[0].scopes[0].grantedFirst, { addresses: { ipv4: '1', ipv6: '0' }, file: 'etc/hosts.allow', line: 2, text: '192.0.2.0/24' });
  // Read alone, it blocks the address: exit status 1.
  assert.equal(which('192.0.2.7', 'etc/hosts.deny', '--no-hosts-allow').status, 1);
});

test('--group: the later list gets covered-elsewhere for entries the earlier one blocks whole, the earlier none, and both are checked', () => {
  const { status, reports } = check(['--group', 'feed.txt,local.txt']);
  assert.deepEqual(
    reports.map((report) => report.file),
    ['feed.txt', 'local.txt'],
  );
  assert.deepEqual(found(reports, 'covered-elsewhere'), ['local.txt:1 covered-elsewhere → feed.txt:1', 'local.txt:3 covered-elsewhere → feed.txt:2']);
  assert.deepEqual(reports[1].readWith, ['loaded into one set after feed.txt (--group)']);
  // Information only: it fails no run.
  assert.equal(status, 0);
  // The other order flags the feed's entries instead, the /24 only partly covered.
  assert.deepEqual(found(check(['--group', 'local.txt,feed.txt']).reports, 'covered-elsewhere'), []);
});

test('--group takes two lists or more, for check only, in one order', () => {
  assert.match(check(['--group', 'feed.txt']).stderr, /--group names the lists of one set in their order, at least two with commas, not "feed.txt"/);
  assert.match(check(['--group', 'feed.txt,local.txt', '--group', 'local.txt,feed.txt']).stderr, /stands both before and after another list/);
  const count = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'count', '--group', 'feed.txt,local.txt', 'feed.txt'], { cwd: folder, encoding: 'utf8' });
  assert.match(count.stderr, /--group is for "check"/);
});
