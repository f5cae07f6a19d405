/** `blocklist-audit import-data` and `check` with an ownership snapshot: the 2018 example read with 2018 routing. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

const root = resolve(__dirname, '..', '..');
const fixtures = join(root, 'test/fixtures/ownership/snapshots');
let cache = '';

function cli(args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...args], {
    cwd: fixtures,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cache },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  cache = mkdtempSync(join(tmpdir(), 'blocklist-snapshots-'));
});

after(() => rmSync(cache, { recursive: true, force: true }));

test('import-data keeps both families of a pfx2as snapshot under its day, private, and says whose names it uses', () => {
  const { status, stdout } = cli(['import-data', 'routeviews-rv2-20180415-1200.pfx2as', 'routeviews-rv6-20180415-1200.pfx2as']);
  assert.equal(status, 0);
  assert.match(stdout, /^Imported snapshot "2018-04-15": 13 IPv4 and 2 IPv6 ranges, 7 holders\. Audit with it: check --ownership-data 2018-04-15/);
  assert.match(stdout, /The names of its autonomous systems are those of @ip-location-db\/asn/);
  assert.equal(statSync(join(cache, 'blocklist-auditor/feeds/snapshots/2018-04-15.bin')).mode & 0o777, 0o600);
});

test('check --ownership-data: the example with 2018 routing, where 35.192.0.0/12 was Google (AS15169), not Google Cloud', () => {
  const example = join(root, 'examples/telegram-2018.txt');
  const today = JSON.parse(cli(['check', '--format', 'json', example]).stdout) as { providers: { ipv4: { id: string }[] }; ownershipData: { date: string } }[];
  assert.equal(today[0].providers.ipv4[0].id, 'google-cloud');
  const { stdout } = cli(['check', '--format', 'json', '--ownership-data', '2018-04-15', example]);
  const [report] = JSON.parse(stdout) as { providers: { ipv4: { id: string; addresses: string }[] }; ownershipData: { date: string; snapshot: string; outOfDate: boolean } }[];
  assert.deepEqual(
    report.providers.ipv4.map((p) => [p.id, p.addresses]),
    [
      ['google', '1048576'],
      ['aws', '786432'],
      ['telegram', '6144'],
    ],
  );
  assert.equal(report.ownershipData.date, '2018-04-15');
  assert.equal(report.ownershipData.snapshot, '2018-04-15');
  assert.equal(report.ownershipData.outOfDate, false);
  const unknown = cli(['check', '--ownership-data', '2019', example]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--ownership-data: no snapshot is named "2019" \(there are 2018-04-15\)/);
});

test("a file's # ownership-data: directive chooses its snapshot; one naming none is a finding, and the file uses the data in use", () => {
  const folder = mkdtempSync(join(tmpdir(), 'blocklist-directive-'));
  try {
    writeFileSync(join(folder, 'old.txt'), '# ownership-data: 2018-04-15\n35.192.0.0/12\n');
    writeFileSync(join(folder, 'typo.txt'), '# ownership-data: 2018-04-51\n35.192.0.0/12\n');
    const { stdout } = cli(['check', join(folder, 'old.txt'), join(folder, 'typo.txt')]);
    const [old, typo] = stdout.split(/\n(?=\S*typo\.txt\n)/);
    assert.match(old, /35\.192\.0\.0\/12 blocks 1,048,576 addresses \(more than a \/16\): Google 1,048,576 \(100 %\)/);
    assert.match(typo, /1:19 +warning +No ownership snapshot is named "2018-04-51" \(there are "2018-04-15"\)/);
    assert.match(typo, /Google Cloud 901,120/);
    // Each data used is said once.
    assert.match(stdout, /^Ownership snapshot "2018-04-15": RouteViews prefix-to-AS \(pfx2as\) of 2018-04-15/m);
    assert.match(stdout, /^Ownership data: @ip-location-db\/asn/m);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('import-data refuses what it cannot read, changing nothing', () => {
  assert.match(cli(['import-data', 'nothing.bin']).stderr, /--format takes pfx2as, iptoasn, csv: the file name does not tell/);
  assert.match(cli(['import-data', '--format', 'pfx2as', 'routeviews-rv2-20180415-1200.pfx2as', '--name', '../x']).stderr, /A snapshot name is 1 to 64 letters/);
  assert.match(
    cli(['import-data', '--format', 'csv', 'routeviews-rv2-20180415-1200.pfx2as']).stderr,
    /the snapshot was not imported: routeviews-rv2-20180415-1200\.pfx2as line 1: not the four comma-separated fields/,
  );
});
