/** `blocklist-audit which QUERY FILE…`: every entry that decides the query, in every file, under each scope's rule. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

const root = resolve(__dirname, '..', '..');
let folder = '';

function cli(args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...args], { cwd: folder, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'blocklist-which-'));
  writeFileSync(join(folder, 'feed.txt'), '# a feed\n10.0.0.0/8\n192.0.2.0/24\n');
  writeFileSync(join(folder, 'sets.ipset'), 'create bad hash:net\nadd bad 10.0.0.0/16\nadd bad 10.0.0.0/28 nomatch\ncreate good hash:net\nadd good 10.0.0.5\n');
  writeFileSync(join(folder, 'other.txt'), '198.51.100.0/24\n');
});

after(() => rmSync(folder, { recursive: true, force: true }));

test('an address blocked by a list, excepted in one set of another and blocked in its other set, and not in a third: each entry with what it decides; exit 1', () => {
  const { status, stdout } = cli(['which', '10.0.0.5', 'feed.txt', 'sets.ipset', 'other.txt']);
  assert.equal(status, 1);
  assert.equal(
    stdout,
    [
      '10.0.0.5: 1 address of IPv4',
      '',
      'feed.txt (plain): blocks 1 address of IPv4',
      '  the file: blocks 1 address of IPv4',
      '    line 2: 10.0.0.0/8 — blocks 1 of its 1 address in the query',
      '',
      'sets.ipset (ipset): blocks 1 address of IPv4',
      '  set bad: blocks none of it',
      '    line 2: 10.0.0.0/16 — blocks none of its 1 address in the query (other entries decide the rest)',
      '    line 3: 10.0.0.0/28 — excepts 1 of its 1 address in the query',
      '  set good: blocks 1 address of IPv4',
      '    line 5: 10.0.0.5 — blocks 1 of its 1 address in the query',
      '',
      'other.txt (plain): blocks none of it',
      '',
    ].join('\n'),
  );
});

test('which --format json, and exit 0 when no file blocks any of the query', () => {
  const { status, stdout } = cli(['which', '203.0.113.0/24', 'feed.txt', 'other.txt', '--format', 'json']);
  assert.equal(status, 0);
  const answer = JSON.parse(stdout);
  assert.deepEqual(answer.addresses, { ipv4: '256', ipv6: '0' });
  assert.deepEqual(
    answer.files.map((f: { file: string; blocked: object; scopes: unknown[] }) => [f.file, f.blocked, f.scopes.length]),
    [
      ['feed.txt', { ipv4: '0', ipv6: '0' }, 0],
      ['other.txt', { ipv4: '0', ipv6: '0' }, 0],
    ],
  );
});

test('which: a query that names nothing is a usage error', () => {
  const { status, stderr } = cli(['which', 'telegarm', 'feed.txt']);
  assert.equal(status, 2);
  assert.match(stderr, /"telegarm" names no address, network, range, AS or provider\./);
});
