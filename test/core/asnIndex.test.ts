import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { AsnIndex, type OrganisationShare } from '../../server/src/core/ownership/asnIndex';
import { workDone } from '../../server/src/core/primitives/workCounter';

const root = resolve(__dirname, '..', '..', '..');
const index = AsnIndex.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
const data = dirname(require.resolve('@ip-location-db/asn/package.json'));

/** The CSV rows, read independently of the index builder. */
function rows(file: string): { start: bigint; end: bigint; asn: number; name: string }[] {
  return readFileSync(join(data, file), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const match = /^(\d+),(\d+),(\d+),(?:"((?:[^"]|"")*)"|(.*))$/.exec(line);
      if (!match) throw new Error(`unexpected row ${line}`);
      return { start: BigInt(match[1]), end: BigInt(match[2]), asn: Number(match[3]), name: match[4]?.replaceAll('""', '"') ?? match[5] };
    });
}
const v4Rows = rows('asn-ipv4-num.csv');

/** Brute force over all rows (overlapping rows are rare and excluded from the compared windows). */
function bruteForce(lo: bigint, hi: bigint): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const row of v4Rows) {
    if (row.end < lo || row.start > hi) continue;
    const shared = (row.end < hi ? row.end : hi) - (row.start > lo ? row.start : lo) + 1n;
    const key = `${row.asn} ${row.name}`;
    totals.set(key, (totals.get(key) ?? 0n) + shared);
  }
  return totals;
}

/** Each (ASN, name) pair's addresses, from the organisations' shares. */
const asMap = (organisations: readonly OrganisationShare[]) => new Map(organisations.flatMap((o) => o.asns).map((h) => [`${h.asn} ${h.name}`, h.addresses]));
/** Every holder of an IPv4 range, by walking it. */
const allHolders4 = (lo: number, hi: number) => index.holders(4, BigInt(lo), BigInt(hi)).largest;

test('the index holds every range of the package', () => {
  assert.equal(index.ipv4RangeCount, v4Rows.length);
  assert.equal(index.ipv6RangeCount, rows('asn-ipv6-num.csv').length);
});

test('35.192.0.0/12, blocked in 2018, is Google Cloud: exact counts per holder', () => {
  const holdings = allHolders4(0x23c00000, 0x23cfffff);
  assert.deepEqual(asMap(holdings), bruteForce(0x23c00000n, 0x23cfffffn));
  const google = holdings.filter((o) => o.name.startsWith('Google')).reduce((sum, o) => sum + o.addresses, 0n);
  assert.ok(google > 1_000_000n, `Google holds ${google} of 1,048,576`);
});

test('random IPv4 windows agree with a brute-force scan of the CSV', () => {
  // The one overlapping pair of rows in the data (DoD networks near 214.96.0.0) is left out: there the index resolves the overlap.
  const overlap = { lo: 3596550144n, hi: 3607167999n };
  fc.assert(
    fc.property(fc.nat(0xffffffff), fc.nat(1 << 22), (lo, width) => {
      const hi = Math.min(0xffffffff, lo + width);
      fc.pre(BigInt(hi) < overlap.lo || BigInt(lo) > overlap.hi);
      assert.deepEqual(asMap(allHolders4(lo, hi)), bruteForce(BigInt(lo), BigInt(hi)));
    }),
    { numRuns: 60 },
  );
});

test('IPv6 holders: Google in 2001:4860::/32', () => {
  const lo = 0x20014860n << 96n;
  const holdings = index.holders(6, lo, lo + (1n << 96n) - 1n).largest;
  assert.equal(holdings[0].name, 'Google');
  assert.deepEqual(holdings[0].asns[0], { asn: 15169, name: 'Google LLC', addresses: holdings[0].asns[0].addresses });
});

/** IPv4 and IPv6 ranges of every breadth, up to the whole space: most span thousands of the index's ranges. */
const anyRange = fc.oneof(
  fc.tuple(fc.constant<4 | 6>(4), fc.bigInt(0n, (1n << 32n) - 1n), fc.bigInt(0n, (1n << 32n) - 1n)),
  fc.tuple(fc.constant<4 | 6>(6), fc.bigInt(0n, (1n << 128n) - 1n), fc.bigInt(0n, (1n << 128n) - 1n)),
  fc.tuple(fc.constant<4 | 6>(6), fc.bigInt(0x2000n << 112n, 0x2fffn << 112n), fc.bigInt(0x2000n << 112n, 0x2fffn << 112n)),
);

test('the largest holders of any range, without walking it, are those of the walk: exact counts, ties by ASN', () => {
  fc.assert(
    fc.property(anyRange, fc.integer({ min: 0, max: 5 }), ([version, a, b], limit) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const walked = index.holders(version, lo, hi);
      const ranked = index.holders(version, lo, hi, limit);
      assert.deepEqual(ranked, { ...walked, largest: walked.largest.slice(0, limit) });
      assert.equal(walked.count, walked.largest.length);
      assert.equal(
        walked.announced,
        walked.largest.reduce((sum, h) => sum + h.addresses, 0n),
      );
    }),
    { numRuns: 150 },
  );
});

test('the addresses of an ASN in any range equal its holding in the walk', () => {
  fc.assert(
    fc.property(anyRange, ([version, a, b]) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const walked = index
        .holders(version, lo, hi)
        .largest.flatMap((o) => o.asns)
        .slice(0, 20);
      assert.deepEqual(
        index.addressesOf(
          version,
          lo,
          hi,
          walked.map((h) => h.asn),
        ),
        walked.map((h) => h.addresses),
      );
    }),
    { numRuns: 60 },
  );
});

test('a fresh index answers an entry spanning a few ranges without a pass over all of them, nor over its holders', () => {
  const fresh = AsnIndex.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
  // 8.8.8.0/24 and 35.192.0.0/12 (the 2018 entry): each spans under two of the ranking blocks, so it is walked.
  const queries: [bigint, bigint][] = [
    [0x08080800n, 0x080808ffn],
    [0x23c00000n, 0x23cfffffn],
  ];
  const asns = [15169, 396982];
  const before = { ...workDone };
  const answers = queries.map(([lo, hi]) => [fresh.holders(4, lo, hi, 5), fresh.addressesOf(4, lo, hi, asns)]);
  const [probes, elements] = [workDone.probes - before.probes, workDone.elements - before.elements];
  assert.deepEqual(
    answers,
    queries.map(([lo, hi]) => [index.holders(4, lo, hi, 5), index.addressesOf(4, lo, hi, asns)]),
  );
  // The index ships its organisations' holders and its holders in ASN order: grouping those (two visits of each of
  // 91,065 holders) and sorting the holders by ASN (two passes) would be done here otherwise.
  assert.ok(probes < 1_000 && elements === 0, `${probes} probes, ${elements} elements sorted`);
});

test('a fresh index answers who holds 0.0.0.0/0 and ::/0 by walking their holders, without building running sums over every range', () => {
  const fresh = AsnIndex.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
  const everything = { 4: [0n, 0xffffffffn], 6: [0n, (1n << 128n) - 1n] } as const;
  const asns = [16509, 15169, 8075];
  for (const version of [4, 6] as const) {
    const [lo, hi] = everything[version];
    const before = workDone.probes;
    const answer = [fresh.holders(version, lo, hi, 5), fresh.addressesOf(version, lo, hi, asns)];
    const passes = (workDone.probes - before) / (version === 4 ? fresh.ipv4RangeCount : fresh.ipv6RangeCount);
    // The shared index built its running sums in the tests above: the answers agree.
    assert.deepEqual(answer, [index.holders(version, lo, hi, 5), index.addressesOf(version, lo, hi, asns)]);
    // Grouping the ranges by holder and by organisation takes four passes, what is announced one, the largest
    // holders' own ranges under one; the running sums (by holder, by organisation, in order) would take three more.
    assert.ok(passes < 6.5, `IPv${version}: ${passes.toFixed(2)} passes over the ranges`);
  }
});

test('bytes that are not an index are refused with what to do', () => {
  assert.throws(() => AsnIndex.fromBytes(new Uint8Array(64)), /rebuild it with "npm run build"/);
});

test("the index says which data it holds: the package and version it was built from, the day of that data, its credit and its publisher's caveat", () => {
  const { version } = JSON.parse(readFileSync(join(data, 'package.json'), 'utf8')) as { version: string };
  const readme = readFileSync(join(data, 'README.md'), 'utf8');
  const [, day] = /\.(\d{8})\d{2}$/.exec(version) ?? assert.fail(`the version ${version} ends in no date`);
  assert.equal(index.about.source, '@ip-location-db/asn');
  assert.equal(index.about.version, version);
  assert.equal(index.about.date.replaceAll('-', ''), day);
  assert.match(index.about.credit, /RouteViews, NRO and DB-IP .*CC BY 4\.0/);
  // The caveat quotes the package README's notice, as long as the README gives it.
  assert.equal(readme.includes('contains bugs resulting in incorrect data'), true);
  assert.match(index.about.caveat ?? '', /contains bugs resulting in incorrect data.*npm updates are deprecated.*GitHub Releases/);
});

test('an index of an older format is refused with what to do', () => {
  const bytes = readFileSync(join(root, 'dist/asn.bin'));
  const aboutBytes = bytes.readUInt32LE(8);
  for (const [magic, rest] of [
    ['BLASN001', bytes.subarray(12 + aboutBytes)],
    ['BLASN002', bytes.subarray(8)],
    ['BLASN003', bytes.subarray(8)],
    ['BLASN004', bytes.subarray(8)],
  ] as const) {
    assert.throws(
      () => AsnIndex.fromBytes(Buffer.concat([Buffer.from(magic), rest])),
      new RegExp(`^Error: The ASN index is in an older format \\(${magic}\\): rebuild it with "npm run build", or update the ownership data again\\.$`),
    );
  }
  // Rankings that do not fit the ranges (one row's worth moved from IPv4's to IPv6's).
  const header = 12 + aboutBytes;
  const misfit = Buffer.from(bytes);
  misfit.writeUInt32LE(misfit.readUInt32LE(header + 32) - 6, header + 32);
  misfit.writeUInt32LE(misfit.readUInt32LE(header + 36) + 6, header + 36);
  assert.throws(() => AsnIndex.fromBytes(misfit), /The ASN index is damaged \(its rankings do not fit its ranges\): rebuild it with "npm run build"/);
  const damaged = Buffer.from(bytes);
  damaged.write('[', 12);
  assert.throws(() => AsnIndex.fromBytes(damaged), /does not say what data it holds: rebuild it with "npm run build"/);
});
