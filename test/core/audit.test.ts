import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { audit, auditTotals, type Finding } from '../../server/src/core/analysis/audit';
import { FindingWalk } from '../../server/src/core/analysis/findingWalk';
import { DEFAULT_AUDIT_OPTIONS, type AuditOptions } from '../../server/src/core/analysis/options';
import { parseDocument } from '../../server/src/core/document/document';
import { readPlainList } from '../../server/src/core/formats/plain';
import { formatById } from '../../server/src/core/formats/registry';
import { Networks } from '../../server/src/core/ownership/networks';
import { SHAPES } from './generatedDocuments';

const plain = { id: 'plain' as const, label: 'Plain list', read: readPlainList };

/** Audits `lines` and lists findings as `L<line> <severity> <code>: <message>` (1-based lines). */
function findings(lines: string[], options: AuditOptions = DEFAULT_AUDIT_OPTIONS): string[] {
  const result = audit(parseDocument(lines.join('\n'), plain), options);
  return result.findings.map((f) => `L${f.line + 1} ${f.severity} ${f.code}: ${f.message}`);
}

const cases: [name: string, lines: string[], expected: string[]][] = [
  ['a clean list has no findings', ['1.2.4.0/24', '7.7.7.7', '6.6.6.6'], []],
  [
    'duplicates point at the first listing',
    ['5.6.7.8', '1.2.3.4', '5.6.7.8', '5.6.7.8'],
    ['L3 warning duplicate: Duplicate of line 1 (5.6.7.8).', 'L4 warning duplicate: Duplicate of line 1 (5.6.7.8).'],
  ],
  [
    'an entry inside another is covered, whichever comes first',
    ['11.1.2.3', '11.1.0.0/16', '11.1.200.0/24'],
    [
      'L1 warning covered: Already blocked by line 2 (11.1.0.0/16): this entry adds no address.',
      'L3 warning covered: Already blocked by line 2 (11.1.0.0/16): this entry adds no address.',
    ],
  ],
  [
    'partial overlaps count the shared addresses',
    ['192.0.3.0-192.0.3.100', '192.0.3.50-192.0.3.200'],
    ['L2 information partial-overlap: Overlaps line 1 (192.0.3.0-192.0.3.100) on 51 addresses.'],
  ],
  [
    'adjacent blocks that make one CIDR are a hint',
    ['11.0.1.0/24', '11.0.0.0/24', '11.0.2.0/24'],
    ['L1 hint mergeable: Together with line 2 (11.0.0.0/24) this is exactly 11.0.0.0/23.'],
  ],
  [
    'special-purpose ranges are named with their RFC',
    ['10.0.0.1', '2001:db8::/48'],
    [
      'L1 warning special-purpose: Includes special-purpose addresses: 10.0.0.0/8 Private-Use (RFC 1918).',
      'L2 warning special-purpose: Includes special-purpose addresses: 2001:db8::/32 Documentation (RFC 3849).',
    ],
  ],
  [
    'overbroad entries: warning past /16, error past /8 (IPv4); warning past /32, error past /16 (IPv6)',
    ['35.192.0.0/12', '36.0.0.0/7', '60.0.0.0/16', '2a00::/24', '2400::/12'],
    [
      'L1 warning overbroad: Blocks 1,048,576 addresses, more than a /16: check that all of them are meant.',
      'L2 error overbroad: Blocks 33,554,432 addresses, more than a /8: check that all of them are meant.',
      'L4 warning overbroad: Blocks 2^104 addresses (16,777,216 /48s), more than a /32: check that all of them are meant.',
      'L5 error overbroad: Blocks 2^116 addresses (68,719,476,736 /48s), more than a /16: check that all of them are meant.',
    ],
  ],
  [
    'reading problems come in line order with the rest',
    ['5.5.5.5', '5.5.5.5', '300.1.1.1', '1.2.3.4/24'],
    [
      'L2 warning duplicate: Duplicate of line 1 (5.5.5.5).',
      'L3 error invalid-entry: Octet 300 is out of range: each part of an IPv4 address is 0–255.',
      'L4 warning host-bits-set: 1.2.3.4/24 has host bits set: it is read as 1.2.3.0/24. Write 1.2.3.0/24 to say so.',
    ],
  ],
];

for (const [name, lines, expected] of cases) {
  test(name, () => assert.deepEqual(findings(lines), expected));
}

test('severities are configurable per code, and "off" drops a code', () => {
  const options: AuditOptions = { ...DEFAULT_AUDIT_OPTIONS, severity: { duplicate: 'error', 'special-purpose': 'off' } };
  assert.deepEqual(findings(['10.0.0.1', '10.0.0.1'], options), ['L2 error duplicate: Duplicate of line 1 (10.0.0.1).']);
});

test('findings past the cap are counted, not returned', () => {
  const lines = Array.from({ length: 50 }, () => '5.5.5.5');
  const result = audit(parseDocument(lines.join('\n'), plain), { ...DEFAULT_AUDIT_OPTIONS, maxFindings: 10 });
  assert.equal(result.findings.length, 10);
  assert.equal(result.omitted, 39);
  assert.equal(result.duplicates, 49);
});

test('totals are the union, not the sum', () => {
  const result = audit(parseDocument(['10.0.0.0/24', '10.0.0.0/25', '10.0.1.0/24', '::/127', '::1'].join('\n'), plain));
  assert.deepEqual(
    [result.ipv4, result.ipv6],
    [
      { entries: 3, addresses: 512n },
      { entries: 2, addresses: 2n },
    ],
  );
});

test('related information points at the other entry', () => {
  const result = audit(parseDocument('1.2.3.4\n  1.2.3.4', plain));
  assert.deepEqual(result.findings[0].related, [{ line: 0, start: 0, end: 7, message: 'First listed here.' }]);
  assert.deepEqual([result.findings[0].start, result.findings[0].end], [10, 17]);
});

test('a FireHOL header that no longer matches the list is stale', () => {
  const firehol = formatById('firehol')!;
  const header = ['#', '# Entries         : 3 subnets, 258 unique IPs', '#'];
  const current = audit(parseDocument([...header, '1.2.3.0/24', '5.6.7.8', '6.6.6.6'].join('\n'), firehol));
  assert.deepEqual(current.findings, []);
  const stale = audit(parseDocument([...header, '1.2.3.0/24', '5.6.7.8'].join('\n'), firehol));
  assert.deepEqual(
    stale.findings.map((f) => `L${f.line + 1} ${f.start}-${f.end} ${f.code}: ${f.message}`),
    ['L2 22-47 stale-header: The header says 3 subnets and 258 unique IPs, but the list has 2 entries and 257 unique addresses. Update the header.'],
  );
  const ipsetHeader = audit(parseDocument(['# Entries : 2 unique IPs', '5.5.5.5'].join('\n'), firehol));
  assert.match(ipsetHeader.findings[0].message, /^The header says 2 unique IPs, but the list has 1 unique addresses/);
});

test('a directive naming no format is reported where it stands', () => {
  const result = audit(parseDocument('# blocklist-format: nginix\n5.5.5.5\n', plain));
  assert.deepEqual(
    result.findings.map((f) => `L${f.line + 1} ${f.start}-${f.end} ${f.severity} ${f.code}`),
    ['L1 20-26 warning unknown-format'],
  );
  assert.match(result.findings[0].message, /^Unknown format "nginix": use one of plain, firehol, /);
});

test('a finding walk gives the audit’s findings, the same on every pass, and the cap keeps the first of them', () => {
  const networks = Networks.fromBytes(readFileSync(join(resolve(__dirname, '..', '..', '..'), 'dist/asn.bin')));
  const all = { ...DEFAULT_AUDIT_OPTIONS, maxFindings: Number.MAX_SAFE_INTEGER };
  for (const shape of SHAPES) {
    for (const format of shape.formats) {
      const document = parseDocument(shape.text(format, 40), formatById(format)!);
      const expected = audit(document, all, networks).findings;
      const walk = new FindingWalk(document, auditTotals(document, all, networks).facts, all, networks);
      for (let pass = 0; pass < 2; pass++) {
        walk.rewind();
        const walked: Finding[] = [];
        for (let severity = walk.next(); severity !== undefined; severity = walk.next()) {
          const finding = walk.write();
          assert.equal(finding.severity, severity);
          walked.push(finding);
        }
        assert.deepEqual(walked, expected, `${shape.name}, ${format}, pass ${pass + 1}`);
      }
      const capped = audit(document, { ...all, maxFindings: 7 }, networks);
      assert.deepEqual(capped.findings, expected.slice(0, 7), `${shape.name}, ${format}, capped`);
      assert.equal(capped.omitted, Math.max(expected.length - 7, 0));
    }
  }
});
