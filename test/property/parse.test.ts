/**
 * Parsing and formatting against the ip-address library, and the plain
 * list's fast lane against its general path, on random input.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Address4, Address6 } from 'ip-address';
import { AddressCollector, formatIPv4, formatIPv6, IntervalBuilder, IPV4, ParsedEntry, parseEntry, parseIPv4, parseIPv6, type Problem } from '../../server/src/core';
import { parseDocument } from '../../server/src/core/document/document';
import { readPlainList } from '../../server/src/core/formats/plain';

const ipv4 = fc.nat(0xffffffff);
const ipv6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });

test('IPv4: format and parse round-trip, and agree with ip-address', () => {
  fc.assert(
    fc.property(ipv4, (address) => {
      const text = formatIPv4(address);
      assert.equal(text, Address4.fromBigInt(BigInt(address)).address);
      assert.equal(parseIPv4(text, 0, text.length, []), address);
    }),
    { numRuns: 2000 },
  );
});

/** The eight groups of an address written in one of the many legal ways. */
const writtenIPv6 = fc.tuple(ipv6, fc.boolean(), fc.boolean(), fc.nat(7), fc.nat(8), fc.boolean()).map(([address, upper, padded, gapStart, gapLength, dotted]) => {
  const groups = Array.from({ length: 8 }, (_, k) => Number((address >> BigInt(112 - 16 * k)) & 0xffffn));
  let parts = groups.map((g) => {
    const hex = g.toString(16);
    return padded ? hex.padStart(4, '0') : hex;
  });
  if (dotted) parts = [...parts.slice(0, 6), formatIPv4(Number(address & 0xffffffffn))];
  // Compress a run of zero groups (only groups that really are zero) with "::".
  let text = parts.join(':');
  const run = Math.min(gapLength, parts.length - gapStart);
  if (run >= 1 && parts.slice(gapStart, gapStart + run).every((p) => /^0+$/.test(p))) {
    text = `${parts.slice(0, gapStart).join(':')}::${parts.slice(gapStart + run).join(':')}`;
  }
  return { address, text: upper ? text.toUpperCase() : text };
});

test('IPv6: every written form parses to the value ip-address reads', () => {
  fc.assert(
    fc.property(writtenIPv6, ({ address, text }) => {
      const problems: Problem[] = [];
      assert.equal(parseIPv6(text, 0, text.length, problems), address, `${text}: ${problems.map((p) => p.message).join()}`);
      assert.equal(new Address6(text).bigInt(), address);
    }),
    { numRuns: 3000 },
  );
});

test('IPv6: formatting is RFC 5952, as ip-address writes it (mapped addresses in mixed notation)', () => {
  const sparse = fc.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0xabc), { minLength: 8, maxLength: 8 }).map((groups) => groups.reduce((value, g) => (value << 16n) | BigInt(g), 0n));
  fc.assert(
    fc.property(fc.oneof(ipv6, sparse), (address) => {
      const text = formatIPv6(address);
      if (address >> 32n === 0xffffn) {
        assert.equal(text, `::ffff:${formatIPv4(Number(address & 0xffffffffn))}`);
      } else {
        assert.equal(text, Address6.fromBigInt(address).correctForm());
      }
      assert.equal(parseIPv6(text, 0, text.length, []), address);
    }),
    { numRuns: 3000 },
  );
});

test('CIDRs and ranges: first and last addresses equal ip-address', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        ipv4.map(BigInt).map((a) => [4, a] as const),
        ipv6.map((a) => [6, a] as const),
      ),
      fc.nat(128),
      fc.boolean(),
      ([version, address], rawPrefix, spaced) => {
        const prefix = rawPrefix % (version === 4 ? 33 : 129);
        const written = version === 4 ? formatIPv4(Number(address)) : formatIPv6(address);
        const text = `${written}/${prefix}`;
        const entry = new ParsedEntry();
        assert.ok(parseEntry(text, 0, text.length, [], entry));
        const oracle = version === 4 ? new Address4(text) : new Address6(text);
        const [lo, hi] = version === 4 ? [BigInt(entry.lo4), BigInt(entry.hi4)] : [entry.lo6, entry.hi6];
        assert.equal(lo, oracle.startAddress().bigInt());
        assert.equal(hi, oracle.endAddress().bigInt());
        assert.equal(entry.prefix, prefix);
        // The same block written as a range reads the same.
        const first = version === 4 ? formatIPv4(Number(lo)) : formatIPv6(lo);
        const last = version === 4 ? formatIPv4(Number(hi)) : formatIPv6(hi);
        const range = spaced ? `${first} - ${last}` : `${first}-${last}`;
        const asRange = new ParsedEntry();
        assert.ok(parseEntry(range, 0, range.length, [], asRange));
        const bounds = (e: ParsedEntry) => (e.version === 4 ? [e.version, e.lo4, e.hi4, e.prefix] : [e.version, e.lo6, e.hi6, e.prefix]);
        assert.deepEqual(bounds(asRange), bounds(entry));
      },
    ),
    { numRuns: 2000 },
  );
});

/** Lines of every kind the plain reader meets, bare IPv4 (the fast lane) most often. */
const line = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(ipv4, fc.nat(32), fc.boolean()).map(([a, p, cidr]) => (cidr ? `${formatIPv4(a - (a % 2 ** (32 - p)))}/${p}` : formatIPv4(a))) },
  { weight: 1, arbitrary: fc.tuple(ipv4, fc.nat(32)).map(([a, p]) => `${formatIPv4(a)}/${p}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '# comment',
      '; note',
      '  1.2.3.4  ',
      '1.2.3.4 # c',
      '010.1.1.1',
      '1.2.3.04',
      '256.0.0.1',
      '1.2.3.4/33',
      '1.2.3.4/033',
      '1.2.3.4/',
      '1.2.3',
      '::1',
      '2001:db8::/32',
      '\t9.9.9.9\t',
      'x',
      '1.1.1.1 - 1.1.1.9',
      '0.0.0.0/0',
      '1.2.3.4/255.255.0.0',
    ),
  },
);

test('the plain reader reads every line as parseEntry does, through the fast lane or not', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, eol, finalNewline) => {
      const text = lines.join(eol) + (finalNewline ? eol : '');
      const document = parseDocument(text, { id: 'plain', label: 'Plain', read: readPlainList });
      // The reference: each line's trimmed text before a comment, straight into parseEntry.
      const expected: string[] = [];
      const problems: string[] = [];
      lines.forEach((raw, lineNumber) => {
        const content = raw.replace(/[#;].*$/, '').trim();
        if (content === '') return;
        const entry = new ParsedEntry();
        const found: Problem[] = [];
        const ok = parseEntry(content, 0, content.length, found, entry);
        problems.push(...found.map((p) => `${lineNumber}:${p.code}`));
        if (ok) expected.push(`${lineNumber}:${entry.version}:${entry.version === 4 ? `${entry.lo4}-${entry.hi4}` : `${entry.lo6}-${entry.hi6}`}:${entry.prefix}`);
      });
      const t = document.entries;
      const actual = Array.from({ length: t.count }, (_, k) => `${t.line[k]}:${t.version[k]}:${t.lo(k)}-${t.hi(k)}:${t.prefix[k]}`);
      assert.deepEqual(actual, expected);
      assert.deepEqual(
        document.problems.map((p) => `${p.line}:${p.code}`),
        problems,
      );
      // The CLI's collector reads the same union as the document's entries make.
      const collector = new AddressCollector();
      collector.read(text);
      const fromDocument = new IntervalBuilder(IPV4);
      for (let k = 0; k < t.count; k++) if (t.version[k] === 4) fromDocument.add(t.lo4[k], t.hi4[k]);
      assert.ok(collector.ipv4.build().equals(fromDocument.build()));
    }),
    { numRuns: 1500 },
  );
});
