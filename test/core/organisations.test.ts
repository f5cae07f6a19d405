/** Organisations across ASNs and name variants: the key, the leads the compiler stores, and the index's counts by organisation. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { IntervalBuilder } from '../../server/src/core/addresses/intervalBuilder';
import { IPV4 } from '../../server/src/core/addresses/family';
import { audit } from '../../server/src/core/analysis/audit';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { parseDocument } from '../../server/src/core/document/document';
import { formatById } from '../../server/src/core/formats/registry';
import { Networks } from '../../server/src/core/ownership/networks';
import { organisationKey, organisationLabel, organisationLeads } from '../../server/src/core/ownership/organisations';

const root = resolve(__dirname, '..', '..', '..');
const networks = Networks.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
const index = networks.index;

test('name variants of one organisation share a key', () => {
  const same: [string, string][] = [
    ['Cloudflare, Inc.', 'Cloudflare Inc'],
    ['Akamai Technologies, Inc.', 'AKAMAI TECHNOLOGIES INC'],
    ['PJSC Rostelecom', 'Rostelecom PJSC'],
    ['RMS-AS-AP - RISK MANAGEMENT SOLUTIONS INDIA PRIVATE LIMITED', 'Risk Management Solutions India Pvt. Ltd.'],
    ['CreditSuisseGroup-AS - Credit Suisse Group', 'Credit Suisse Group AG'],
    ['Charter Communications LLC', 'Charter Communications, Inc'],
    ['Contrust Solutions S.R.L.', 'CONTRUST SOLUTIONS S.R.L.'],
    ['Deutsche Telekom AG', 'Deutsche Telekom'],
  ];
  for (const [a, b] of same) {
    assert.notEqual(organisationKey(a), undefined, a);
    assert.equal(organisationKey(a), organisationKey(b), `${a} ~ ${b}`);
  }
});

test('different organisations, and placeholders, never share a key', () => {
  const different: [string, string][] = [
    ['Google LLC', 'Google Fiber Inc.'],
    ['Reserve Bank of Fiji', 'Reserve Bank of New Zealand'],
    // A handle that is no AS handle is part of the name.
    ['SKOGEN - IDDQD', 'DEMON-INTERNET - IDDQD'],
    ['Cloudflare London, LLC', 'Cloudflare, Inc.'],
    ['Telia Company AB', 'Telia Lietuva, AB'],
  ];
  for (const [a, b] of different) assert.notEqual(organisationKey(a), organisationKey(b), `${a} ≁ ${b}`);
  for (const placeholder of ['-Reserved AS-', 'IANA-RSVD-0', 'Private Use AS', 'Not routed', 'Unknown', 'NA', '', '-', 'AS64512', 'Inc.', 'LLC']) {
    assert.equal(organisationKey(placeholder), undefined, JSON.stringify(placeholder));
  }
});

test('the provider catalog goes first: its ASNs are its organisation whatever their names, and their names draw in the same name elsewhere', () => {
  const holders = [
    { asn: 13335, name: 'Cloudflare, Inc.' },
    { asn: 209242, name: 'Cloudflare London, LLC' },
    { asn: 202623, name: 'Cloudflare Inc' },
    { asn: 15169, name: 'Google LLC' },
    { asn: 396982, name: 'Google LLC' },
    { asn: 16550, name: 'Google LLC' },
    { asn: 10425, name: '-Reserved AS-' },
    { asn: 11011, name: '-Reserved AS-' },
  ];
  const leads = organisationLeads(holders, [100, 5, 1, 900, 50, 2, 0, 0]);
  assert.deepEqual([...leads], [0, 0, 0, 3, 4, 3, 6, 7]);
});

test('the lead is the heaviest holder; ties go to the lower ASN', () => {
  const holders = [
    { asn: 300, name: 'Example Networks Ltd' },
    { asn: 200, name: 'EXAMPLE NETWORKS LIMITED' },
    { asn: 100, name: 'Example Networks, Inc.' },
  ];
  assert.deepEqual([...organisationLeads(holders, [5, 9, 1])], [1, 1, 1]);
  assert.deepEqual([...organisationLeads(holders, [5, 5, 5])], [2, 2, 2]);
});

test('104.16.0.0/12 is one organisation, Cloudflare, with its ASNs grouped under it', () => {
  const ip = (a: number, b: number) => BigInt(((a << 24) >>> 0) + (b << 16));
  const holders = index.holders(4, ip(104, 16), ip(104, 32) - 1n);
  assert.equal(holders.count, 1);
  const [cloudflare] = holders.largest;
  // An organisation of the provider catalog goes by the provider's name.
  assert.equal(cloudflare.name, 'Cloudflare');
  assert.deepEqual(
    cloudflare.asns.map((a) => a.asn),
    [13335, 202623, 132892, 14789],
  );
  assert.equal(
    cloudflare.asns.reduce((sum, a) => sum + a.addresses, 0n),
    cloudflare.addresses,
  );
  assert.equal(index.countOrganisationsIPv4(Number(ip(104, 16)), Number(ip(104, 32) - 1n), 10), 1);
  // Under the limit of three organisations, so no collateral finding.
  const findings = audit(parseDocument('104.16.0.0/12\n', formatById('plain')!), DEFAULT_AUDIT_OPTIONS, networks).findings;
  assert.deepEqual(
    findings.filter((f) => f.code === 'collateral'),
    [],
  );
});

test('placeholder holders stay apart: every "-Reserved AS-" is an organisation of its own', () => {
  const reserved = index
    .holders(4, 0n, (1n << 32n) - 1n)
    .largest.filter((o) => o.name === '-Reserved AS-')
    .concat(index.holders(6, 0n, (1n << 128n) - 1n).largest.filter((o) => o.name === '-Reserved AS-'));
  assert.ok(reserved.length > 1);
  for (const o of reserved) assert.equal(o.asns.length, 1, `AS${o.asns[0].asn}`);
});

test('by organisation, any range: each organisation is the sum of its ASNs, the count is what the counting walk finds, and the set sweep agrees', () => {
  fc.assert(
    fc.property(fc.nat(0xffffffff), fc.nat(1 << 24), fc.integer({ min: 0, max: 5 }), (lo, width, limit) => {
      const hi = Math.min(0xffffffff, lo + width);
      const walked = index.holders(4, BigInt(lo), BigInt(hi));
      for (const o of walked.largest) {
        assert.equal(
          o.asns.reduce((sum, a) => sum + a.addresses, 0n),
          o.addresses,
        );
      }
      assert.equal(new Set(walked.largest.map((o) => o.id)).size, walked.count);
      assert.equal(index.countOrganisationsIPv4(lo, hi, 1e9), walked.count);
      const ranked = index.holders(4, BigInt(lo), BigInt(hi), limit);
      assert.deepEqual(ranked.largest, walked.largest.slice(0, limit));
      assert.equal(ranked.count, walked.count);
      const set = new IntervalBuilder(IPV4);
      set.add(lo, hi);
      const swept = index.holdingsOf4(set.build());
      assert.deepEqual(swept, walked);
    }),
    { numRuns: 80 },
  );
});

test('an organisation is labelled with its first ASNs', () => {
  assert.equal(organisationLabel('Cloudflare, Inc.', [13335]), 'Cloudflare, Inc. (AS13335)');
  assert.equal(organisationLabel('Cloudflare, Inc.', [13335, 202623, 132892, 14789]), 'Cloudflare, Inc. (AS13335, AS202623, AS132892 and 1 more)');
});
