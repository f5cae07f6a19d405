/** One finding per entry about its reach, and the numbers people read, on the real ASN data of dist/asn.bin. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatAddresses, formatAmount, formatPercent } from '../../server/src/core/addresses/display';
import { audit, type Finding } from '../../server/src/core/analysis/audit';
import type { FindingCode, Severity } from '../../server/src/core/analysis/findingCodes';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { parseDocument } from '../../server/src/core/document/document';
import { formatById } from '../../server/src/core/formats/registry';
import { Networks } from '../../server/src/core/ownership/networks';
import { formatCount } from '../../server/src/core/primitives/formatCount';

const networks = Networks.fromBytes(readFileSync(join(resolve(__dirname, '..', '..', '..'), 'dist/asn.bin')));

/** The findings of a plain list aimed at Telegram, with the settings' severities. */
function findings(lines: string[], severity: Partial<Record<FindingCode, Severity | 'off'>> = {}): Finding[] {
  const text = ['# target: telegram', ...lines].join('\n');
  return audit(parseDocument(text, formatById('plain')!), { ...DEFAULT_AUDIT_OPTIONS, severity }, networks).findings.filter((f) => f.entry !== undefined);
}

test('the 2018 Google Cloud entry is one warning that tells size, owners and target; the details the sentence leaves out (the ASNs) are related information', () => {
  const [reach, ...rest] = findings(['35.192.0.0/12']);
  assert.deepEqual(rest, []);
  assert.equal(reach.code, 'reach');
  assert.deepEqual(reach.codes, ['overbroad', 'known-network', 'outside-target']);
  assert.equal(reach.severity, 'warning');
  assert.equal(
    reach.message,
    '35.192.0.0/12 blocks 1,048,576 addresses (more than a /16), none of them in the target telegram: Google Cloud 901,120 (85.9 %), Google 131,072 (12.5 %), unannounced 16,384 (overbroad, known-network, outside-target).',
  );
  assert.deepEqual(
    reach.related?.map((r) => r.message),
    ['Blocks 901,120 addresses of Google Cloud (85.9 % of the entry, AS396982), 131,072 addresses of Google (12.5 % of the entry, AS15169 AS19527).'],
  );
  assert.ok(reach.related?.every((r) => r.line === reach.line && r.start === reach.start && r.end === reach.end));
});

test('a reach finding is as severe as its most severe component; an off component drops out, and one left is its own finding', () => {
  assert.equal(findings(['35.192.0.0/12'], { 'outside-target': 'error' })[0].severity, 'error');
  assert.equal(findings(['35.192.0.0/12'], { overbroad: 'hint', 'outside-target': 'information' })[0].severity, 'warning');
  const [twoLeft] = findings(['35.192.0.0/12'], { overbroad: 'off' });
  assert.deepEqual(twoLeft.codes, ['known-network', 'outside-target']);
  assert.doesNotMatch(twoLeft.message, /more than a|overbroad/);
  assert.deepEqual(
    findings(['35.192.0.0/12'], { overbroad: 'off', 'known-network': 'off' }).map((f) => [f.code, f.codes]),
    [['outside-target', undefined]],
  );
  assert.deepEqual(findings(['35.192.0.0/12'], { overbroad: 'off', 'known-network': 'off', 'outside-target': 'off' }), []);
});

test('an entry with one reach component keeps its own finding; other codes stay their own rows; an entry that never takes effect gets only that finding', () => {
  // Telegram's own /22 is in the target and no one else's: nothing to tell.
  assert.deepEqual(findings(['91.108.4.0/22']), []);
  // A protected single address outside the target: outside-target is its only reach component, and protected stays its own.
  assert.deepEqual(
    findings(['8.8.4.4']).map((f) => f.code),
    ['protected', 'outside-target'],
  );
  const codes = findings(['10.0.0.0/8', '10.0.0.0/8']).map((f) => f.code);
  assert.deepEqual(codes, ['special-purpose', 'reach', 'duplicate']);
  assert.deepEqual(
    findings(['35.192.0.0/12', '35.200.0.0/16']).map((f) => f.code),
    ['reach', 'covered'],
  );
});

test('IPv6 reach reads in /48s and powers of two, never as one long integer', () => {
  const [reach] = findings(['2001:db8::/32', '2600::/12']).filter((f) => f.code === 'reach');
  assert.match(reach.message, /^2600::\/12 blocks 2\^116 addresses \(68,719,476,736 \/48s\) \(more than a \/16\), none of them in the target telegram: /);
  assert.doesNotMatch(reach.message, /\d{1,3}(,\d{3}){7,}/);
});

test('address counts: IPv4 exact; IPv6 exact up to 2^32, then in /48s, /64s or powers of two', () => {
  assert.equal(formatAddresses(4, 1n), '1 address');
  assert.equal(formatAddresses(4, 1_048_576n), '1,048,576 addresses');
  assert.equal(formatAddresses(6, 65_536n), '65,536 addresses');
  assert.equal(formatAddresses(6, 1n << 80n), '2^80 addresses (1 /48)');
  assert.equal(formatAddresses(6, 1n << 81n), '2^81 addresses (2 /48s)');
  assert.equal(formatAddresses(6, 3n << 80n), '3 /48s');
  assert.equal(formatAddresses(6, 1n << 64n), '2^64 addresses (1 /64)');
  assert.equal(formatAddresses(6, 5n << 64n), '5 /64s');
  assert.equal(formatAddresses(6, 1n << 40n), '2^40 addresses');
  assert.equal(formatAddresses(6, (1n << 70n) + (1n << 68n)), '80 /64s');
  assert.equal(formatAddresses(6, (1n << 70n) + (1n << 68n) + 1n), 'about 2^70.3 addresses');
  assert.equal(formatAddresses(6, (1n << 116n) - 1n), 'about 2^116 addresses');
  // In lists of owners and inline, where the unit is clear: IPv4 bare, IPv6 in whole networks when it is.
  assert.equal(formatAmount(4, 901_120n), '901,120');
  assert.equal(formatAmount(6, 1n << 80n), '1 /48');
  assert.equal(formatAmount(6, 5n << 64n), '5 /64s');
  assert.equal(formatAmount(6, 0n), '0');
  assert.equal(formatAmount(6, 1n << 40n), '2^40 addresses');
});

test('counts are written as toLocaleString("en-US") writes integers, at any size and sign, without it', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(1n << 130n), max: 1n << 130n }), (count) => {
      assert.equal(formatCount(count), count.toLocaleString('en-US'));
      if (count >= BigInt(Number.MIN_SAFE_INTEGER) && count <= BigInt(Number.MAX_SAFE_INTEGER)) assert.equal(formatCount(Number(count)), Number(count).toLocaleString('en-US'));
    }),
    { numRuns: 2000 },
  );
  for (const n of [0, 7, 999, 1000, 999_999, 1_000_000, -1000]) assert.equal(formatCount(n), n.toLocaleString('en-US'));
});

test('shares: three significant digits, and neither 0 % nor 100 % unless exact', () => {
  assert.equal(formatPercent(901_120n, 1_048_576n), '85.9 %');
  assert.equal(formatPercent(131_072n, 1_048_576n), '12.5 %');
  assert.equal(formatPercent(860n, 1000n), '86.0 %');
  assert.equal(formatPercent(156n, 10_000n), '1.56 %');
  assert.equal(formatPercent(244n, 1_000_000n), '0.0244 %');
  assert.equal(formatPercent(1n, 1_000_000n), '< 0.001 %');
  assert.equal(formatPercent(999_999n, 1_000_000n), '> 99.9 %');
  assert.equal(formatPercent(0n, 5n), '0 %');
  assert.equal(formatPercent(5n, 5n), '100 %');
});
