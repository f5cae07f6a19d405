/**
 * The readers of the IP-to-ASN datasets: ip-location-db's ASN CSV (numbers
 * or addresses as text, quoted names) and iptoasn's TSV (written by hand to
 * its published columns, test/fixtures/ownership), each line read or refused
 * with its number and what is wrong, never with what it says.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import type { AsnRow } from '../../server/src/core/ownership/asnCompile';
import { AsnDataError, readAsnCsv, readIptoasnTsv } from '../../server/src/core/ownership/asnDatasets';

const fixtures = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'ownership');
const row = (start: bigint, end: bigint, asn: number, name: string): AsnRow => ({ start, end, asn, name });

// oxfmt-ignore
const READ: [what: string, read: typeof readAsnCsv, version: 4 | 6, text: string, rows: AsnRow[]][] = [
  ['CSV, numbers', readAsnCsv, 4, '16777216,16777471,13335,"Cloudflare, Inc."\n', [row(16777216n, 16777471n, 13335, 'Cloudflare, Inc.')]],
  ['CSV, addresses as text', readAsnCsv, 4, '1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."\n8.8.8.0,8.8.8.255,15169,Google LLC\n',
    [row(16777216n, 16777471n, 13335, 'Cloudflare, Inc.'), row(0x08080800n, 0x080808ffn, 15169, 'Google LLC')]],
  ['CSV, a quote in a quoted name', readAsnCsv, 4, '1.0.0.0,1.0.0.255,64500,"The ""Best"", Ltd"\n', [row(16777216n, 16777471n, 64500, 'The "Best", Ltd')]],
  ['CSV, a header and CRLF line ends', readAsnCsv, 4, 'ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization\r\n1.0.0.0,1.0.0.255,13335,X\r\n',
    [row(16777216n, 16777471n, 13335, 'X')]],
  ['CSV, IPv6 as text and as a number', readAsnCsv, 6, '2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project\n42540528726795050063891204319802818560,42540528727329395276160870415022948351,2500,WIDE Project\n',
    [row(0x20010200n << 96n, (0x20010200n << 96n) | (0x1b9n << 80n) | ((1n << 80n) - 1n), 2500, 'WIDE Project'),
     row(42540528726795050063891204319802818560n, 42540528727329395276160870415022948351n, 2500, 'WIDE Project')]],
  ['TSV, AS 0 is not routed and left out', readIptoasnTsv, 4, '0.0.0.0\t0.255.255.255\t0\tNone\tNot routed\n1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n',
    [row(16777216n, 16777471n, 13335, 'CLOUDFLARENET')]],
];

test('each format reads its rows', () => {
  for (const [what, read, version, text, rows] of READ) assert.deepEqual(read(text, version, 'f'), rows, what);
});

// oxfmt-ignore
const REFUSED: [read: typeof readAsnCsv, version: 4 | 6, text: string, reason: string][] = [
  [readAsnCsv, 4, '', 'f is empty.'],
  [readAsnCsv, 4, '1.0.0.0,1.0.0.255,13335,X\n1.0.1.0,1.0.1.25', 'f does not end with a line break: it was cut short.'],
  [readAsnCsv, 4, '1.0.0.0,1.0.0.255,13335,X\n1.0.1.0,1.0.1.255\n', 'f line 2: not the four comma-separated fields start,end,ASN,organisation.'],
  [readAsnCsv, 4, '1.0.0.0\t1.0.0.255\t13335\tUS\tX\n', 'f line 1: not the four comma-separated fields start,end,ASN,organisation.'],
  [readAsnCsv, 4, '{"secret": 1, "x": 2, "y": 3, "z": 4}\n', 'f line 1: a range bound that is not an IPv4 address.'],
  [readAsnCsv, 4, '2001::,2001::ffff,6939,HE\n', 'f line 1: a range bound that is not an IPv4 address.'],
  [readAsnCsv, 4, '4294967296,4294967296,1,X\n', 'f line 1: a range bound that is not an IPv4 address.'],
  [readAsnCsv, 4, '1.0.0.255,1.0.0.0,13335,X\n', 'f line 1: a range that ends before it starts.'],
  [readAsnCsv, 4, '1.0.0.0,1.0.0.255,AS13335,X\n', 'f line 1: an AS number that is not a whole number up to 4294967295.'],
  [readAsnCsv, 4, '1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc.\n', 'f line 1: a quoted organisation without its closing quote.'],
  [readAsnCsv, 4, 'ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization\n', 'f has no ranges.'],
  [readIptoasnTsv, 4, '1.0.0.0\t1.0.0.255\t13335\tCLOUDFLARENET\n', 'f line 1: not the five tab-separated fields range_start, range_end, AS_number, country_code, AS_description.'],
  [readIptoasnTsv, 6, '1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n', 'f line 1: a range bound that is not an IPv6 address.'],
];

test('a line that is not the format is refused with its number and what is wrong, not what it says', () => {
  for (const [read, version, text, reason] of REFUSED) {
    assert.throws(
      () => read(text, version, 'f'),
      (error) => error instanceof AsnDataError && error.message === reason,
      reason,
    );
  }
});

test('the hand-written iptoasn files read as their published columns say', () => {
  const read = (file: string, version: 4 | 6) => readIptoasnTsv(readFileSync(join(fixtures, file), 'utf8'), version, file);
  const v4 = read('ip2asn-v4.tsv', 4);
  assert.equal(v4.length, 7, 'the two "Not routed" rows are left out');
  assert.deepEqual(
    v4.find((r) => r.start === 0x08080800n),
    row(0x08080800n, 0x080808ffn, 15169, 'GOOGLE'),
  );
  assert.deepEqual(
    read('ip2asn-v6.tsv', 6).map((r) => r.asn),
    [15169, 62041, 13335],
  );
});
