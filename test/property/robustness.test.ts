/** No input crashes or hangs the readers, the audit or the fixes, in any format. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { fixesForEntry } from '../../server/src/core/fixes/fixes';
import { detectFormat, FORMATS } from '../../server/src/core/formats/registry';

/** Text made of the characters blocklists are made of, in any order, with long runs now and then. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF.:/-*, ;#|!{}[]<>="\t\r\n x'.split('')), maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.tuple(fc.constantFrom('1', ':', '.', '-', ' ', '{', '1.2.3.4/'), fc.nat(20_000)).map(([c, n]) => c.repeat(n)),
);

test('every format reads any text without throwing, and the audit and fixes follow', () => {
  fc.assert(
    fc.property(text, fc.constantFrom(...FORMATS), (input, format) => {
      const started = Date.now();
      const document = parseDocument(input, format);
      const result = audit(document);
      for (let k = 0; k < Math.min(document.entries.count, 5); k++) fixesForEntry(document, k, { maxEntries: 8, protected: ['1.1.1.1'], target: [] });
      // Every entry and problem the reader reported is accounted for in the totals or the findings.
      assert.equal(result.ipv4.entries + result.ipv6.entries + result.exceptions, document.entries.count);
      assert.ok(Date.now() - started < 2000, `${format.id} took ${Date.now() - started} ms`);
    }),
    { numRuns: 600 },
  );
});

test('format detection takes any text', () => {
  fc.assert(fc.property(fc.string({ maxLength: 20 }), text, (name, input) => void detectFormat(name, input)), { numRuns: 300 });
});
