/** Providers, ownership and the network findings, on the real ASN data of dist/asn.bin. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { DEFAULT_AUDIT_OPTIONS, type AuditOptions } from '../../server/src/core/analysis/options';
import { OwnersMemo } from '../../server/src/core/analysis/ownersMemo';
import { parseTargetDirective } from '../../server/src/core/document/directives';
import { parseDocument, updateDocument } from '../../server/src/core/document/document';
import { formatById } from '../../server/src/core/formats/registry';
import { resolveSpecs } from '../../server/src/core/ownership/addressSpec';
import { Networks } from '../../server/src/core/ownership/networks';
import { ownershipOf, providerShares, providerTotals, type ProviderShare } from '../../server/src/core/ownership/shares';
import type { AsnShare } from '../../server/src/core/ownership/asnIndex';
import { organisationLabel } from '../../server/src/core/ownership/organisations';
import { AddressSet } from '../../server/src/core/addresses/addressSet';
import { IntervalBuilder } from '../../server/src/core/addresses/intervalBuilder';
import { IPV4, IPV6 } from '../../server/src/core/addresses/family';
import { PROVIDERS } from '../../server/src/core/ownership/providers';
import { workDone } from '../../server/src/core/primitives/workCounter';

const root = resolve(__dirname, '..', '..', '..');
const networks = Networks.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
const plain = formatById('plain')!;

/** The default options with every reach code but `code` off, so its own finding shows rather than a reach finding. */
function onlyCodes(code: string): AuditOptions {
  const off = Object.fromEntries(['overbroad', 'known-network', 'collateral', 'outside-target'].filter((other) => other !== code).map((other) => [other, 'off' as const]));
  return { ...DEFAULT_AUDIT_OPTIONS, severity: off };
}

function findings(lines: string[], options: AuditOptions = DEFAULT_AUDIT_OPTIONS): string[] {
  return audit(parseDocument(lines.join('\n'), plain), options, networks).findings.map((f) => `L${f.line + 1} ${f.severity} ${f.code}: ${f.message}`);
}

test('every ASN of the provider catalog belongs to the organisation it is listed under', () => {
  // The names the data gives each ASN, over the whole address space.
  const holders = [...networks.index.holders(4, 0n, (1n << 32n) - 1n).largest, ...networks.index.holders(6, 0n, (1n << 128n) - 1n).largest].flatMap((o) => o.asns);
  for (const provider of PROVIDERS) {
    for (const asn of provider.asns) {
      const names = new Set<string>();
      for (const h of holders) {
        if (h.asn === asn) names.add(h.name);
      }
      assert.ok(names.size > 0, `AS${asn} (${provider.name}) is not in the ASN data`);
      for (const name of names) assert.match(name, provider.holder, `AS${asn} is held by "${name}", listed under ${provider.name}`);
    }
  }
});

test('35.192.0.0/12, blocked in 2018: Google Cloud, with exact counts', () => {
  const ownership = ownershipOf(networks, 4, 0x23c00000n, 0x23cfffffn);
  assert.equal(ownership.total, 1_048_576n);
  assert.deepEqual(
    ownership.providers.map((p) => [p.provider.id, p.addresses]),
    [
      ['google-cloud', 901_120n],
      ['google', 131_072n],
    ],
  );
  assert.equal(ownership.organisations.reduce((sum, o) => sum + o.addresses, 0n) + ownership.unannounced, ownership.total);
  // Overbroad too, so told as one reach finding (reach.test.ts) unless overbroad is off.
  assert.deepEqual(findings(['35.192.0.0/12'], onlyCodes('known-network')), [
    'L1 warning known-network: Blocks 901,120 addresses of Google Cloud (85.9 % of the entry, AS396982), 131,072 addresses of Google (12.5 % of the entry, AS15169 AS19527).',
  ]);
});

test('single addresses are not checked for providers; the minimum is a setting', () => {
  assert.deepEqual(findings(['35.192.0.1']), []);
  const options = { ...DEFAULT_AUDIT_OPTIONS, networks: { ...DEFAULT_AUDIT_OPTIONS.networks, minimumAddresses: 1 } };
  assert.match(findings(['35.192.0.1'], options)[0], /^L1 warning known-network: Blocks 1 address of Google Cloud/);
});

test('category severities: hosting is information by default, and any category can be turned off', () => {
  assert.match(findings(['5.9.0.0/16'])[0], /^L1 information known-network: Blocks .* of Hetzner/);
  const off = {
    ...DEFAULT_AUDIT_OPTIONS,
    networks: { ...DEFAULT_AUDIT_OPTIONS.networks, categorySeverity: { ...DEFAULT_AUDIT_OPTIONS.networks.categorySeverity, cloud: 'off' as const, platform: 'off' as const } },
  };
  assert.deepEqual(
    findings(['35.192.0.0/12'], off).filter((f) => f.includes('known-network')),
    [],
  );
});

test('an entry spanning more organisations than the limit is collateral, whatever its prefix', () => {
  const lines = findings(['185.0.0.0/16']).filter((f) => f.includes('collateral'));
  const organisations = networks.index.holders(4, 185n << 24n, (185n << 24n) + 65535n).largest;
  assert.ok(organisations.length > 3);
  assert.deepEqual(lines.length, 1);
  assert.match(
    lines[0],
    new RegExp(
      `^L1 warning collateral: Spans ${organisations.length} organisations, more than 3: ${organisationLabel(
        organisations[0].name,
        organisations[0].asns.map((a) => a.asn),
      ).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `,
    ),
  );
});

test('protected networks: the public resolvers by default, and ASNs or providers by name', () => {
  assert.deepEqual(
    findings(['1.1.1.0/24']).filter((f) => f.includes('protected')),
    ['L1 error protected: Blocks protected networks: 1.1.1.1 (1 address). Exclude them or remove the entry.'],
  );
  const options = { ...DEFAULT_AUDIT_OPTIONS, networks: { ...DEFAULT_AUDIT_OPTIONS.networks, protected: ['AS13335', 'github'] } };
  const protectedLines = findings(['104.16.0.0/13', '140.82.112.0/20', '5.5.5.5'], options).filter((f) => f.includes('protected'));
  assert.equal(protectedLines.length, 2);
  assert.match(protectedLines[0], /^L1 error protected: Blocks protected networks: AS13335 \(/);
  assert.match(protectedLines[1], /^L2 error protected: Blocks protected networks: github \(4,096 addresses\)/);
});

test('the intended target, from a directive or the setting, counts the collateral exactly', () => {
  const lines = ['# target: AS62041 91.108.56.0/22', '91.108.4.0/22', '91.108.56.0/23', '35.192.0.0/12', '149.154.160.0/20'];
  const outside = findings(lines, onlyCodes('outside-target')).filter((f) => f.includes('outside-target'));
  const telegram = resolveSpecs(['AS62041', '91.108.56.0/22'], networks.index);
  const inside = telegram.ipv4.clip(0x959aa000, 0x959aafff).size();
  assert.deepEqual(outside, [
    'L4 warning outside-target: All 1,048,576 addresses are outside the target AS62041 91.108.56.0/22.',
    ...(inside < 4096n
      ? [
          `L5 warning outside-target: ${(4096n - inside).toLocaleString('en-US')} addresses of 4,096 addresses (${((Number(4096n - inside) / 4096) * 100).toPrecision(3)} %) are outside the target AS62041 91.108.56.0/22.`,
        ]
      : []),
  ]);
  assert.deepEqual(parseTargetDirective('# hello\n; target: AS1, telegram\n'), {
    specs: ['AS1', 'telegram'],
    places: [
      { start: 18, end: 21 },
      { start: 23, end: 31 },
    ],
    line: 1,
  });
  const setting = { ...DEFAULT_AUDIT_OPTIONS, networks: { ...DEFAULT_AUDIT_OPTIONS.networks, target: ['telegram'] } };
  assert.equal(findings(['35.192.0.0/12'], setting).filter((f) => f.includes('outside-target')).length, 1);
});

test('resolved network lists are remembered, the last 64 of them: a target typed a key at a time leaves no more behind', () => {
  const fresh = new Networks(networks.index);
  const cost = (specs: string[]) => {
    const before = workDone.probes;
    fresh.resolve(specs);
    return workDone.probes - before;
  };
  assert.ok(cost(['AS13335']) > 0);
  assert.equal(cost(['AS13335']), 0);
  for (let asn = 1; asn <= 64; asn++) cost([`AS${asn}`]);
  assert.ok(cost(['AS13335']) > 0, 'forgotten after 64 others');
});

test('a target with a name that names nothing is one finding on that name, and no entry is measured against it', () => {
  const typo = ['# target: telegarm', '35.192.0.0/12', '91.108.4.0/22'];
  const lines = findings(typo);
  assert.deepEqual(
    lines.filter((f) => /unknown-target|outside-target/.test(f)),
    [
      'L1 warning unknown-target: "telegarm" names no known network (did you mean telegram?): write an ASN (AS62041), a provider (aws, google-cloud, google…), a CIDR or a range. Until every name is known, nothing is measured against the target and no fix narrows to it.',
    ],
  );
  const [finding] = audit(parseDocument(typo.join('\n'), plain), DEFAULT_AUDIT_OPTIONS, networks).findings;
  assert.deepEqual([finding.start, finding.end], [10, 18]);
  // One unknown name among known ones leaves the whole target out: narrowing to the others would cut what it was meant to keep.
  assert.deepEqual(
    findings(['# target: AS62041 cloudflair', '35.192.0.0/12'])
      .filter((f) => /unknown-target|outside-target/.test(f))
      .map((f) => f.slice(0, f.indexOf(' names'))),
    ['L1 warning unknown-target: "cloudflair"'],
  );
  // The same name from the setting: no finding on the file (the server says it in its output), no outside-target either.
  const setting = { ...DEFAULT_AUDIT_OPTIONS, networks: { ...DEFAULT_AUDIT_OPTIONS.networks, target: ['telegarm'] } };
  assert.deepEqual(
    findings(['35.192.0.0/12'], setting).filter((f) => /unknown-target|outside-target/.test(f)),
    [],
  );
});

test('unknown network names are reported back, not silently ignored', () => {
  const resolved = resolveSpecs(['AS62041', 'no-such-cloud', '300.0.0.0/8', 'AS4294967295'], networks.index);
  assert.deepEqual(resolved.unknown, ['no-such-cloud', '300.0.0.0/8', 'AS4294967295']);
});

/** Provider by provider, the addresses of the ASNs that hold any (as the walk finds them, or as shares give them). */
const fromHolders = (holders: readonly AsnShare[]) =>
  PROVIDERS.map((provider) => [provider.id, holders.filter((h) => provider.asns.includes(h.asn)).reduce((sum, h) => sum + h.addresses, 0n)] as const).filter(([, sum]) => sum > 0n);
const byProvider = (shares: readonly ProviderShare[]) => PROVIDERS.map((p) => [p.id, shares.find((s) => s.provider === p)?.addresses ?? 0n] as const).filter(([, sum]) => sum > 0n);

test('providers: the shares of one range and of a whole list, without walking the index, equal the holders the walk finds', () => {
  fc.assert(
    fc.property(fc.nat(0xffffffff), fc.nat(0xffffffff), fc.nat(1 << 24), (a, b, width) => {
      const [lo, hi] = [Math.min(a, b), Math.min(a, b) + (a % 3 === 0 ? Math.abs(a - b) : width)].map((x) => Math.min(x, 0xffffffff));
      const walked = networks.index.holders(4, BigInt(lo), BigInt(hi)).largest;
      assert.deepEqual(byProvider(providerShares(networks, 4, BigInt(lo), BigInt(hi))), fromHolders(walked.flatMap((o) => o.asns)));
      const list = new IntervalBuilder(IPV4);
      list.add(lo, hi);
      assert.deepEqual(byProvider(providerTotals(networks.providers, list.build(), AddressSet.empty(IPV6))), fromHolders(walked.flatMap((o) => o.asns)));
    }),
    { numRuns: 100 },
  );
});

/** The IPv4 set of `ranges`. */
function set4(ranges: readonly (readonly [number, number])[]): AddressSet<number> {
  const builder = new IntervalBuilder(IPV4);
  for (const [lo, hi] of ranges) builder.add(lo, hi);
  return builder.build();
}

/** `bytes` with the catalog of providers they were compiled with changed (asnIndex.ts's layout): an index of another catalog. */
function ofAnotherCatalog(bytes: Buffer): Buffer {
  const header = 12 + bytes.readUInt32LE(8);
  const [v4, v6, holders, , v4Multi, v4Others, v6Multi, v6Others, v4Rankings, v6Rankings] = Array.from({ length: 10 }, (_, n) => bytes.readUInt32LE(header + 4 * n));
  const before = 13 + 3 * v4 + 9 * v6 + (2 * v4Multi + 1 + v4Others) + (2 * v6Multi + 1 + v6Others) + 2 * holders + v4Rankings + v6Rankings + (2 * holders + 1) + holders;
  const other = Buffer.from(bytes);
  other.writeUInt32LE(other.readUInt32LE(header + 4 * before) + 1, header + 4 * before);
  return other;
}

test("the providers' ranges the index ships are those its ranges give: a fresh index checks and totals a list's providers without a pass over them", () => {
  const bytes = readFileSync(join(root, 'dist/asn.bin'));
  const before = workDone.probes;
  const shipped = Networks.fromBytes(bytes).providers;
  assert.equal(shipped.touchesIPv4(0x08080800, 0x080808ff), true); // Google's 8.8.8.0/24
  // 20,000 ranges across the space, as the 200 K list's union has 190,000.
  const spread = set4(Array.from({ length: 20_000 }, (_, n) => [n * 214_000, n * 214_000 + 255] as const));
  const totals = providerTotals(shipped, spread, AddressSet.empty(IPV6));
  assert.ok(workDone.probes - before < 1_000, `${workDone.probes - before} probes: a pass over the index's ${networks.index.ipv4RangeCount} ranges`);
  // An index compiled with another catalog of providers gathers them from its ranges, as the compiler did.
  const gathered = Networks.fromBytes(ofAnotherCatalog(bytes)).providers;
  const gathering = workDone.probes;
  assert.deepEqual(providerTotals(gathered, spread, AddressSet.empty(IPV6)), totals);
  assert.ok(workDone.probes - gathering >= networks.index.ipv4RangeCount, 'the other catalog is read as this one');
  fc.assert(
    fc.property(fc.nat(0xffffffff), fc.nat(1 << 20), fc.bigInt(0n, (1n << 128n) - 1n), (lo, width, lo6) => {
      const hi = Math.min(lo + width, 0xffffffff);
      assert.equal(shipped.touchesIPv4(lo, hi), gathered.touchesIPv4(lo, hi));
      assert.deepEqual(shipped.addressesIn(4, BigInt(lo), BigInt(hi), 64), gathered.addressesIn(4, BigInt(lo), BigInt(hi), 64));
      const hi6 = lo6 + (1n << 100n) > IPV6.max ? IPV6.max : lo6 + (1n << 100n);
      assert.equal(shipped.touchesIPv6(lo6, hi6), gathered.touchesIPv6(lo6, hi6));
      assert.deepEqual(shipped.addressesIn(6, lo6, hi6, 64), gathered.addressesIn(6, lo6, hi6, 64));
    }),
    { numRuns: 300 },
  );
});

test("providers of a whole list of many ranges, IPv4 and IPv6, equal the walk's holdings of the list", () => {
  // IPv6 ranges inside the providers' own prefixes (AWS, Google, Meta), where random ones would hold none.
  const bases = [0x2600_1f00n << 104n, 0x2001_4860n << 96n, 0x2a03_2880n << 96n];
  const range6 = fc.tuple(fc.constantFrom(...bases), fc.bigInt({ min: 0n, max: (1n << 96n) - 1n }), fc.bigInt({ min: 0n, max: 1n << 90n }));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(0xffffffff), fc.nat(1 << 22)), { minLength: 1, maxLength: 20 }), fc.array(range6, { maxLength: 20 }), (ranges4, ranges6) => {
      const [list4, list6] = [new IntervalBuilder(IPV4), new IntervalBuilder(IPV6)];
      for (const [lo, width] of ranges4) list4.add(lo, Math.min(lo + width, IPV4.max));
      for (const [base, offset, width] of ranges6) list6.add(base + offset, base + offset + width);
      const [set4, set6] = [list4.build(), list6.build()];
      const walked = [...networks.index.holdingsOf4(set4).largest, ...networks.index.holdingsOf6(set6).largest];
      assert.deepEqual(byProvider(providerTotals(networks.providers, set4, set6)), fromHolders(walked.flatMap((o) => o.asns)));
      // And each IPv6 range alone, as an entry's shares are found (from the provider ranges it overlaps, or per ASN).
      set6.forEachRange((lo, hi) => {
        const held = networks.index.holders(6, lo, hi).largest;
        assert.deepEqual(byProvider(providerShares(networks, 6, lo, hi)), fromHolders(held.flatMap((o) => o.asns)));
      });
    }),
    { numRuns: 60 },
  );
});

test('what the ASN data said of an entry, remembered across edits, equals looking it up afresh', () => {
  const lines = ['35.192.0.0/12', '185.0.0.0/16', '52.58.0.0/15', '10.0.0.0/8', '5.9.0.0/16', '1.2.3.0/24'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...lines), { minLength: 1, maxLength: 8 }), fc.nat(), fc.constantFrom(...lines, '# x', ''), (picked, at, insert) => {
      const text = picked.join('\n') + '\n';
      const before = parseDocument(text, plain);
      const memo = OwnersMemo.for(before);
      audit(before, DEFAULT_AUDIT_OPTIONS, networks, memo); // fills the memo
      const cut = text.lastIndexOf('\n', at % text.length) + 1;
      const edited = text.slice(0, cut) + insert + '\n' + text.slice(cut);
      const updated = updateDocument(before, edited);
      const incremental = audit(updated, DEFAULT_AUDIT_OPTIONS, networks, OwnersMemo.for(updated, memo)).findings;
      const fresh = audit(parseDocument(edited, plain), DEFAULT_AUDIT_OPTIONS, networks).findings;
      assert.deepEqual(incremental, fresh);
    }),
    { numRuns: 60 },
  );
});

test('the memo of owners moves with its entries across an edit: only the lines the edit re-read are looked up again', () => {
  const before = parseDocument('35.192.0.0/12\n1.2.3.0/24\n52.58.0.0/15\n', plain);
  const memo = OwnersMemo.for(before);
  audit(before, DEFAULT_AUDIT_OPTIONS, networks, memo);
  // The edit re-reads the inserted line and the one after it (updateDocument widens to whole lines).
  const updated = updateDocument(before, '35.192.0.0/12\n5.0.0.0/8\n1.2.3.0/24\n52.58.0.0/15\n');
  const moved = OwnersMemo.for(updated, memo);
  assert.deepEqual(
    [...moved.codes].map((code) => code !== 0),
    [true, false, false, true],
  );
  assert.equal(moved.codes[3], memo.codes[2]);
});
