/** The entry index finds exactly the entries a scan of every entry finds, in both families, at the edges of the space too. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { workDone } from '../../server/src/core/primitives/workCounter';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { parseDocument, type EntryTable } from '../../server/src/core/document/document';
import { formatById } from '../../server/src/core/formats/registry';

const nginx = formatById('nginx')!;

const line = fc.oneof(
  fc.tuple(fc.constantFrom('deny', 'allow'), fc.nat(255), fc.nat(3), fc.integer({ min: 0, max: 32 })).map(([verb, a, b, p]) => `${verb} ${a}.${b}.0.0/${p};`),
  fc.tuple(fc.constantFrom('deny', 'allow'), fc.nat(3), fc.integer({ min: 0, max: 128 })).map(([verb, a, p]) => `${verb} ${a}::/${p};`),
  fc.constantFrom('deny 255.255.255.255;', 'deny 0.0.0.0;', 'deny ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff;', 'deny all;'),
);

function scan(t: EntryTable, k: number): number[] {
  const found: number[] = [];
  for (let other = 0; other < t.count; other++) {
    if (other !== k && t.version[other] === t.version[k] && t.lo(other) <= t.hi(k) && t.hi(other) >= t.lo(k)) found.push(other);
  }
  return found;
}

test('overlapping(k) equals a scan of every entry, in document order', () => {
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), (lines) => {
      const document = parseDocument(lines.join('\n'), nginx);
      const index = EntryIndex.of(document.entries);
      for (let k = 0; k < document.entries.count; k++) assert.deepEqual(index.overlapping(k), scan(document.entries, k));
    }),
    { numRuns: 300 },
  );
});

test("built on an audit's order of a plain list's entries, overlapping(k) equals a scan of every entry", () => {
  const plain = formatById('plain')!;
  const entry = fc.oneof(
    fc.tuple(fc.nat(255), fc.nat(3), fc.integer({ min: 0, max: 32 })).map(([a, b, p]) => `${a}.${b}.0.0/${p}`),
    fc.tuple(fc.nat(3), fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}::/${p}`),
  );
  fc.assert(
    fc.property(fc.array(entry, { minLength: 1, maxLength: 40 }), (lines) => {
      const document = parseDocument(lines.join('\n'), plain);
      const index = EntryIndex.of(document.entries, audit(document).facts);
      for (let k = 0; k < document.entries.count; k++) assert.deepEqual(index.overlapping(k), scan(document.entries, k));
    }),
    { numRuns: 300 },
  );
});

test('holding(address) finds the entries that contain the address', () => {
  const document = parseDocument('deny 10.0.0.0/8;\ndeny 10.1.0.0/16;\nallow 11.0.0.0/8;\ndeny 2001:db8::/32;\n', nginx);
  const index = EntryIndex.of(document.entries);
  assert.deepEqual(index.holding(4, 0x0a010203n), [0, 1]);
  assert.deepEqual(index.holding(4, 0x0b000000n), [2]);
  assert.deepEqual(index.holding(4, 0x0c000000n), []);
  assert.deepEqual(index.holding(6, 0x20010db8n << 96n), [3]);
});

test("a first query on an audit's order visits the entries around the address, the same at N and 4N entries", () => {
  const plain = formatById('plain')!;
  // /24s spread over the space, none broad: a few of them lie within reach of any address.
  const visited = (count: number) => {
    const lines = Array.from({ length: count }, (_, i) => `${1 + ((i * 7919) % 220)}.${(i * 31) & 255}.${i & 255}.0/24`);
    const document = parseDocument(lines.join('\n'), plain);
    const index = EntryIndex.of(document.entries, audit(document).facts);
    const before = workDone.entries;
    index.overlapping(count >> 1);
    return workDone.entries - before;
  };
  const [small, large] = [visited(2_000), visited(8_000)];
  assert.ok(large <= small * 1.5 + 8, `${small} entries visited at 2,000 entries, ${large} at 8,000`);
});
