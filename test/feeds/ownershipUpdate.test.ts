/**
 * "Update Ownership Data" against the local HTTPS server: a sample of the
 * shipped CSV and the hand-written iptoasn TSV (gzipped as published) update
 * the index, which the server and the CLI then load; every fault (500, a CSV
 * cut mid-row, a gzip cut short or unpacking past the limit, the wrong
 * schema, failed canaries, too few ranges, a stall, an oversize file, plain http) leaves the index in use
 * byte for byte and gives a one-line reason quoting nothing of what was
 * served; two updates at once give one result and a whole index.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DEFAULT_ASN_DATA_CHECKS, type AsnDataChecks } from '../../server/src/core/ownership/asnChecks';
import { compileAsnIndex } from '../../server/src/core/ownership/asnCompile';
import { AsnIndex } from '../../server/src/core/ownership/asnIndex';
import { loadNetworks, type AsnIndexData, type OwnershipSource } from '../../server/src/lsp/runtime';
import { NodeOwnershipStore, OWNERSHIP_INDEX, type OwnershipStoreOptions } from '../../server/src/node/ownershipStore';
import { shippedDataFolder } from '../../server/src/node/shippedAsnData';
import { startFeedServer, type FeedServer } from './feedServer';

const root = resolve(__dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'ownership');
const shippedIndex: AsnIndexData = { location: join(root, 'dist', 'asn.bin'), read: () => readFileSync(join(root, 'dist', 'asn.bin')) };
/** Text no reason may quote: it stands in every faulty file. */
const SENTINEL = 'SENTINEL-CONTENT';

/** Real rows of the shipped CSV: 1.0.0.0/8, 8.8.0.0/16 and the range holding 52.58.0.1, and the first IPv6 rows. */
const shipped = (file: string) => readFileSync(join(shippedDataFolder(), file), 'utf8').split('\n');
const csv4 = `${shipped('asn-ipv4.csv')
  .filter((line) => /^(1|8\.8|52\.56)\./.test(line))
  .join('\n')}\n`;
const csv6 = `${shipped('asn-ipv6.csv').slice(0, 2000).join('\n')}\n`;
const tsv = (file: string) => readFileSync(join(fixtures, file), 'utf8');

/** The samples pass these; the defaults want a whole dataset. */
const CSV_CHECKS: AsnDataChecks = { ...DEFAULT_ASN_DATA_CHECKS, minIpv4Ranges: 600, minHolders: 300 };
const TSV_CHECKS: AsnDataChecks = { ...DEFAULT_ASN_DATA_CHECKS, minIpv4Ranges: 7, minHolders: 4 };
const LAST_MODIFIED = 'Tue, 01 Dec 2026 05:00:00 GMT';
const TODAY = new Date('2026-12-02T06:00:00Z');

let server: FeedServer;
before(async () => {
  const cutGzip = gzipSync(tsv('ip2asn-v4.tsv'));
  server = await startFeedServer(() => '', {
    'csv/asn-ipv4.csv': { body: csv4, lastModified: LAST_MODIFIED },
    'csv/asn-ipv6.csv': { body: csv6, lastModified: LAST_MODIFIED },
    'iptoasn/ip2asn-v4.tsv.gz': gzipSync(tsv('ip2asn-v4.tsv')),
    'iptoasn/ip2asn-v6.tsv.gz': gzipSync(tsv('ip2asn-v6.tsv')),
    'cut-row/asn-ipv4.csv': `${csv4}1.2.3.0,1.2.3.255,${SENTINEL}`.slice(0, -5),
    'cut-row/asn-ipv6.csv': csv6,
    'cut-gzip/ip2asn-v4.tsv.gz': cutGzip.subarray(0, cutGzip.length - 40),
    'cut-gzip/ip2asn-v6.tsv.gz': gzipSync(tsv('ip2asn-v6.tsv')),
    'bomb/ip2asn-v4.tsv.gz': gzipSync(Buffer.alloc(5 << 20, SENTINEL)),
    'bomb/ip2asn-v6.tsv.gz': gzipSync(tsv('ip2asn-v6.tsv')),
    'schema/asn-ipv4.csv': `1.0.0.0,1.0.0.255,13335,Cloudflare\n{"prefixes": [{"ip_prefix": "3.5.140.0/22", "service": "${SENTINEL}"}]}\n`,
    'schema/asn-ipv6.csv': csv6,
    'canary/asn-ipv4.csv': csv4.replace('8.8.8.0,8.8.8.255,15169,Google LLC', `8.8.8.0,8.8.8.255,64500,${SENTINEL}`),
    'canary/asn-ipv6.csv': csv6,
    'tsv-as-csv/asn-ipv4.csv': tsv('ip2asn-v4.tsv').replace('GOOGLE', SENTINEL),
    'tsv-as-csv/asn-ipv6.csv': csv6,
  });
});
after(() => server.close());

const csvAt = (path: string): OwnershipSource => ({ url: `${server.base}/${path}/`, format: 'csv' });
const storeIn = (name: string, options: OwnershipStoreOptions = {}) =>
  new NodeOwnershipStore(join(server.directory, name), { download: { timeoutMs: 2000, maxBytes: 4 << 20, ca: server.certificate }, now: () => TODAY, ...options });

test('a CSV update compiles the served rows, dated by the Last-Modified, and the index loads in place of the shipped one', async () => {
  const store = storeIn('csv', { checks: CSV_CHECKS });
  const update = await store.update(csvAt('feed/csv'));
  assert.deepEqual(update.about, {
    source: 'ip-location-db asn',
    version: "downloaded 2026-12-02, dated by the server's Last-Modified",
    date: '2026-12-01',
    credit: 'RouteViews, NRO and DB-IP (IP Geolocation by DB-IP), CC BY 4.0',
  });
  assert.equal(update.ipv4Ranges, csv4.split('\n').length - 1);
  const logged: string[] = [];
  const networks = loadNetworks(shippedIndex, (message) => logged.push(message), store);
  assert.deepEqual(networks?.index.about, update.about);
  assert.deepEqual(
    networks.index.holders(4, 0x08080808n, 0x08080808n).largest.flatMap((o) => o.asns),
    [{ asn: 15169, name: 'Google LLC', addresses: 1n }],
  );
  assert.match(logged.join('\n'), /^ASN data \(ip-location-db asn downloaded 2026-12-02, dated by the server's Last-Modified, data of 2026-12-01\)/);
  assert.equal(readFileSync(store.location).length, store.read()?.length);
});

test('an iptoasn update gunzips both files, leaves AS 0 out, and is dated by the download day without a Last-Modified', async () => {
  const store = storeIn('iptoasn', { checks: TSV_CHECKS });
  const update = await store.update({ url: `${server.base}/feed/iptoasn`, format: 'iptoasn' });
  assert.deepEqual(update, {
    about: {
      source: 'iptoasn ip2asn',
      version: 'downloaded 2026-12-02, dated by the download day',
      date: '2026-12-02',
      credit: "iptoasn.com, under the terms on the publisher's site",
    },
    ipv4Ranges: 7,
    ipv6Ranges: 3,
    holders: 4,
  });
  const index = AsnIndex.fromBytes(store.read() ?? new Uint8Array());
  assert.deepEqual(index.holders(4, 0n, 0x00ffffffn).count, 0, 'the space nobody routes is nobody’s');
});

// oxfmt-ignore
const FAULTS: [what: string, source: () => OwnershipSource, reason: RegExp, options?: OwnershipStoreOptions][] = [
  ['HTTP 500', () => csvAt('fault/500'), /^https:\/\/127\.0\.0\.1:\d+\/fault\/500\/asn-ipv[46]\.csv answered HTTP 500\.$/],
  ['a CSV cut mid-row', () => csvAt('feed/cut-row'), /^asn-ipv4\.csv does not end with a line break: it was cut short\.$/],
  ['a gzip file cut short', () => ({ url: `${server.base}/feed/cut-gzip/`, format: 'iptoasn' }), /^ip2asn-v4\.tsv\.gz is not a whole gzip file \(unexpected end of file\)\.$/, { checks: TSV_CHECKS }],
  ['a gzip file that unpacks to more than allowed', () => ({ url: `${server.base}/feed/bomb/`, format: 'iptoasn' }), /^ip2asn-v4\.tsv\.gz unpacks to more than the 4,194,304 bytes allowed\.$/],
  ['the wrong schema', () => csvAt('feed/schema'), /^asn-ipv4\.csv line 2: not the four comma-separated fields start,end,ASN,organisation\.$/],
  ['TSV served as CSV', () => csvAt('feed/tsv-as-csv'), /^asn-ipv4\.csv line 1: not the four comma-separated fields start,end,ASN,organisation\.$/],
  ['a failed canary', () => csvAt('feed/canary'), /^The data does not give 8\.8\.8\.8 to AS15169 \(Google\), as every complete dataset does\.$/],
  ['too few ranges for the defaults', () => csvAt('feed/csv'), /^The data has 611 IPv4 ranges, fewer than the 300,000 of a complete dataset\.$/, { checks: DEFAULT_ASN_DATA_CHECKS }],
  ['a stall', () => csvAt('fault/stall'), /^https:\/\/127\.0\.0\.1:\d+\/fault\/stall\/asn-ipv[46]\.csv sent nothing for 0\.3 s\.$/, { download: { timeoutMs: 300, maxBytes: 4 << 20 } }],
  ['an oversize file', () => csvAt('fault/huge'), /^https:\/\/127\.0\.0\.1:\d+\/fault\/huge\/asn-ipv[46]\.csv sent more than the 1,048,576 bytes allowed\.$/, { download: { timeoutMs: 2000, maxBytes: 1 << 20 } }],
  ['plain http', () => ({ url: 'http://127.0.0.1:1/data/', format: 'csv' }), /^Refusing http:\/\/127\.0\.0\.1:1\/data\/asn-ipv[46]\.csv: feeds are fetched over https only\.$/],
];

test('every fault leaves the index in use byte for byte and says why in one line that quotes nothing served', async () => {
  const good = storeIn('faults', { checks: CSV_CHECKS });
  await good.update(csvAt('feed/csv'));
  const before = readFileSync(good.location);
  for (const [what, source, reason, options] of FAULTS) {
    const store = storeIn('faults', { checks: CSV_CHECKS, ...options, download: { ca: server.certificate, timeoutMs: 2000, maxBytes: 4 << 20, ...options?.download } });
    const error = await store.update(source()).then(
      () => assert.fail(`${what}: the update succeeded`),
      (failure: unknown) => failure as Error,
    );
    assert.match(error.message, reason, what);
    assert.ok(!error.message.includes('\n') && !error.message.includes(SENTINEL), `${what}: ${error.message}`);
    assert.ok(readFileSync(good.location).equals(before), `${what}: the index changed`);
  }
});

test('two updates of one folder from one source at once are one update; from two sources, the index is one of them, whole', async () => {
  const [first, second] = await Promise.all([
    storeIn('twice', { checks: CSV_CHECKS }).update(csvAt('feed/csv')),
    storeIn('twice', { checks: CSV_CHECKS }).update(csvAt('feed/csv')),
  ]);
  assert.equal(first, second, 'the second update did not join the first');

  const racing = [
    storeIn('race', { checks: CSV_CHECKS }).update(csvAt('feed/csv')),
    storeIn('race', { checks: TSV_CHECKS }).update({ url: `${server.base}/feed/iptoasn/`, format: 'iptoasn' }),
  ];
  const results = await Promise.all(racing);
  const index = AsnIndex.fromBytes(readFileSync(join(server.directory, 'race', OWNERSHIP_INDEX)));
  assert.ok(
    results.some((result) => result.about.source === index.about.source && result.ipv4Ranges === index.ipv4RangeCount),
    'the index is neither update',
  );
});

test('an updated index that does not load is passed over for the shipped one, with the reason logged', async () => {
  const store = storeIn('damaged', { checks: CSV_CHECKS });
  await store.update(csvAt('feed/csv'));
  writeFileSync(store.location, readFileSync(store.location).subarray(0, 1000));
  const logged: string[] = [];
  const networks = loadNetworks(shippedIndex, (message) => logged.push(message), store);
  assert.equal(networks?.index.about.source, '@ip-location-db/asn');
  assert.ok(logged[0].startsWith(`The updated ownership data at ${store.location} cannot be used (`), logged[0]);
  assert.ok(logged[0].endsWith('): using the shipped data. Update the ownership data again.'), logged[0]);
  assert.match(logged[1], /^ASN data \(@ip-location-db\/asn /);
});

test('an updated index of data older than the shipped data is passed over for it, and the log says so', () => {
  const old = compileAsnIndex(
    { source: 'ip-location-db asn', version: 'downloaded 2020-01-02', date: '2020-01-01', credit: 'test rows' },
    { ipv4: [{ start: 0x08080800n, end: 0x080808ffn, asn: 15169, name: 'Google LLC' }], ipv6: [] },
  );
  const logged: string[] = [];
  const store = {
    location: 'old-ownership.bin',
    read: () => old.bytes,
    update: () => Promise.reject(new Error('not in this test')),
    snapshots: () => [],
    readSnapshot: () => undefined,
    importSnapshot: () => Promise.reject(new Error('not in this test')),
  };
  const networks = loadNetworks(shippedIndex, (message) => logged.push(message), store);
  assert.equal(networks?.index.about.source, '@ip-location-db/asn');
  assert.match(
    logged[0],
    /^The updated ownership data at old-ownership\.bin \(data of 2020-01-01\) is older than the shipped data \(of \d{4}-\d{2}-\d{2}\): using the shipped data\.$/,
  );
});

test('a cancelled update stops its downloads and leaves the index in use', async () => {
  const store = storeIn('cancelled', { checks: CSV_CHECKS, download: { ca: server.certificate, timeoutMs: 60_000, maxBytes: 4 << 20 } });
  await store.update(csvAt('feed/csv'));
  const before = readFileSync(store.location);
  const controller = new AbortController();
  const update = store.update(csvAt('fault/stall'), controller.signal);
  while (server.mostAtOnce('/fault/stall/asn-ipv4.csv') === 0) await new Promise((tick) => setImmediate(tick));
  controller.abort();
  await assert.rejects(update, { message: 'Cancelled.' });
  assert.ok(readFileSync(store.location).equals(before), 'the index changed');
});
