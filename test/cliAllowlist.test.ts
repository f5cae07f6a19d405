/** Allowlists across files in `check`: --allowlist FILE, or a checked file marked `# blocklist-role: allow`, protects what it lists. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

const root = resolve(__dirname, '..', '..');
let folder = '';

function check(args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'check', '--format', 'json', ...args], { cwd: folder, encoding: 'utf8' });
  assert.equal(result.stderr, '');
  return {
    status: result.status,
    reports: JSON.parse(result.stdout) as { file: string; ipv4: { addresses: string }; findings: { code: string; line: number; message: string; related: object[] }[] }[],
  };
}

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'blocklist-allow-'));
  writeFileSync(join(folder, 'customers.txt'), '# customers we must never block\n203.0.113.0/26\n198.51.100.7\n');
  writeFileSync(join(folder, 'partners.txt'), '# blocklist-role: allow\n192.0.2.128/25\n');
  writeFileSync(join(folder, 'block.txt'), '203.0.113.0/24\n198.18.0.0/15\n192.0.2.0/24\n');
});

after(() => rmSync(folder, { recursive: true, force: true }));

const protectedFindings = (reports: ReturnType<typeof check>['reports']) =>
  reports.flatMap((report) => report.findings.filter((f) => f.code === 'protected').map((f) => [report.file, f.line, f.message, f.related]));

test('--allowlist: an entry that blocks what the allowlist lists is a protected error, the allowlist line its related place', () => {
  const { status, reports } = check(['block.txt', '--allowlist', 'customers.txt']);
  assert.equal(status, 1);
  assert.deepEqual(protectedFindings(reports), [
    [
      'block.txt',
      1,
      'Blocks protected networks: customers.txt:2 203.0.113.0/26 (64 addresses). Exclude them or remove the entry.',
      [{ file: 'customers.txt', line: 2, column: 1, message: 'Allowed by this entry of an allowlist.' }],
    ],
  ]);
});

test('a checked file marked "# blocklist-role: allow" is an allowlist: it blocks nothing and protects what it lists', () => {
  const { reports } = check(['block.txt', 'partners.txt', '--allowlist=customers.txt']);
  assert.deepEqual(
    protectedFindings(reports).map(([file, line, message]) => [file, line, message]),
    [
      ['block.txt', 1, 'Blocks protected networks: customers.txt:2 203.0.113.0/26 (64 addresses). Exclude them or remove the entry.'],
      ['block.txt', 3, 'Blocks protected networks: partners.txt:2 192.0.2.128/25 (128 addresses). Exclude them or remove the entry.'],
    ],
  );
  assert.equal(reports.find((report) => report.file === 'partners.txt')?.ipv4.addresses, '0');
});

test('without an allowlist nothing of these is protected', () => {
  assert.deepEqual(protectedFindings(check(['block.txt']).reports), []);
});
