/** Ownership snapshots: the pfx2as reader, a snapshot's rows and about, the `# ownership-data:` directive and its finding. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { parseDocument } from '../../server/src/core/document/document';
import { formatById } from '../../server/src/core/formats/registry';
import { compileAsnIndex } from '../../server/src/core/ownership/asnCompile';
import { AsnDataError, readPfx2as } from '../../server/src/core/ownership/asnDatasets';
import { AsnIndex } from '../../server/src/core/ownership/asnIndex';
import { dataNote, dataStatus, isOutOfDate } from '../../server/src/core/ownership/dataAbout';
import { dayInFileName, invalidSnapshotName, snapshotAbout, snapshotRows } from '../../server/src/core/ownership/snapshots';

const root = resolve(__dirname, '..', '..', '..');
const today = AsnIndex.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
const fixtures = join(root, 'test/fixtures/ownership/snapshots');
const read = (file: string) => ({ file, text: readFileSync(join(fixtures, file), 'utf8') });
const ip = (text: string) => BigInt(text.split('.').reduce((n, part) => n * 256 + Number(part), 0));

test('pfx2as: prefix, length and origin; a multi-origin or AS-set line goes to its first origin, the others kept; names from today', () => {
  const rows = readPfx2as((asn) => today.nameOfAsn(asn))('91.108.56.0\t22\t62041_59930\n149.154.160.0\t20\t62041,44907\n10.9.0.0\t16\t4200000000\n', 4, 'x.pfx2as');
  assert.deepEqual(rows, [
    { start: ip('10.9.0.0'), end: ip('10.9.255.255'), asn: 4200000000, name: 'AS4200000000' },
    { start: ip('91.108.56.0'), end: ip('91.108.59.255'), asn: 62041, name: today.nameOfAsn(62041), others: [59930] },
    { start: ip('149.154.160.0'), end: ip('149.154.175.255'), asn: 62041, name: today.nameOfAsn(62041), others: [44907] },
  ]);
});

test('pfx2as: a line that is not one says its line and what was expected, quoting nothing', () => {
  const reader = readPfx2as(() => undefined);
  assert.throws(() => reader('1.0.0.0\t24\t13335\nsecret text\n', 4, 'x.pfx2as'), new AsnDataError('x.pfx2as line 2: not the three fields prefix, length, origin AS.'));
  assert.throws(() => reader('1.0.0.0\t33\t13335\n', 4, 'x.pfx2as'), /line 1: a prefix length that is not 0 to 32/);
  assert.throws(() => reader('1.0.0.0\t24\tAS13335\n', 4, 'x.pfx2as'), /line 1: an origin that is not an AS number/);
});

test('a snapshot of the 2018 fixture: nested prefixes flattened, the most specific wins; one file per family, told by its addresses', () => {
  const rows = snapshotRows([read('routeviews-rv6-20180415-1200.pfx2as'), read('routeviews-rv2-20180415-1200.pfx2as')], 'pfx2as', today);
  const about = snapshotAbout('pfx2as', '2018', '2018-04-15', today.about);
  const index = AsnIndex.fromBytes(compileAsnIndex(about, rows).bytes);
  const owners = (lo: string, hi: string) => index.holders(4, ip(lo), ip(hi)).largest.flatMap((o) => o.asns.map((a) => [a.asn, a.addresses]));
  // 35.192.0.0/12 was Google's AS15169 in 2018 (Google Cloud's AS396982 came later), with 35.200.0.0/16 announced by AS19527.
  assert.deepEqual(owners('35.192.0.0', '35.207.255.255'), [
    [15169, 983_040n],
    [19527, 65_536n],
  ]);
  assert.equal(index.ipv6RangeCount, 2);
  // The other origins of multi-origin prefixes survive the compiler, per family, for the ranges a query touches.
  assert.deepEqual(index.otherOriginsOf(4, ip('91.108.0.0'), ip('149.154.255.255')), [44907, 59930]);
  assert.deepEqual(index.otherOriginsOf(4, ip('91.108.58.0'), ip('91.108.58.0')), [59930]);
  assert.deepEqual(index.otherOriginsOf(4, ip('35.192.0.0'), ip('35.207.255.255')), []);
  assert.deepEqual(index.otherOriginsOf(6, 0n, (1n << 128n) - 1n), [62041]);
  assert.deepEqual(today.otherOriginsOf(4, 0n, (1n << 32n) - 1n), [], 'the shipped data has one origin per range');
  assert.equal(index.about.snapshot, '2018');
  assert.throws(() => snapshotRows([read('routeviews-rv2-20180415-1200.pfx2as'), read('routeviews-rv2-20180415-1200.pfx2as')], 'pfx2as', today), /a second file of IPv4/);
});

test('a snapshot says its day and, for pfx2as, whose names it uses; it is never out of date', () => {
  const about = snapshotAbout('pfx2as', '2018-04-15', '2018-04-15', today.about);
  const status = dataStatus(about, new Date('2026-12-02T00:00:00Z'), 90);
  assert.equal(isOutOfDate(status), false);
  assert.match(
    dataNote(status),
    /^Ownership snapshot "2018-04-15": RouteViews prefix-to-AS \(pfx2as\) of 2018-04-15 \(3153 days old\); .* The names of its autonomous systems are those of @ip-location-db\/asn \S+ \(data of \d{4}-\d{2}-\d{2}\), not of 2018-04-15\.$/,
  );
});

test('snapshot names and days in file names', () => {
  assert.equal(dayInFileName('/data/routeviews-rv2-20180415-1200.pfx2as.gz'), '2018-04-15');
  assert.equal(dayInFileName('ip2asn-v4-2019-01-02.tsv'), '2019-01-02');
  assert.equal(dayInFileName('ip2asn-v4.tsv'), undefined);
  assert.equal(invalidSnapshotName('2018-04-15'), undefined);
  assert.match(invalidSnapshotName('../etc') ?? '', /letters, digits/);
  assert.match(invalidSnapshotName('') ?? '', /letters, digits/);
});

test('# ownership-data: NAME is read from the head; one that names no snapshot is a finding on its name', () => {
  const text = '# list of 2018\n# ownership-data: 2019 extra\n35.192.0.0/24\n';
  const document = parseDocument(text, formatById('plain')!);
  assert.deepEqual(document.directives.ownershipData, { name: '2019', line: 1, start: 33, end: 37 });
  const findings = (snapshots?: readonly string[]) =>
    audit(document, { ...DEFAULT_AUDIT_OPTIONS, networks: { ...DEFAULT_AUDIT_OPTIONS.networks, snapshots } }, undefined).findings.filter(
      (f) => f.code === 'unknown-ownership-data',
    );
  assert.deepEqual(findings(['2019']), []);
  assert.deepEqual(findings(undefined), []);
  const [finding] = findings(['2018-04-15']);
  assert.equal(finding.line, 1);
  assert.equal(
    finding.message,
    'No ownership snapshot is named "2019" (there are "2018-04-15"): the file is audited with the data in use. Import one with "blocklist-audit import-data --name NAME FILE…".',
  );
});
