import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseDocument, updateDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { readPlainList } from '../../server/src/core/formats/plain';

const plain = { id: 'plain' as const, label: 'Plain list', read: readPlainList, lineByLine: true };

/** Everything a document holds, as plain data to compare. */
function snapshot(document: BlocklistDocument) {
  const t = document.entries;
  const entries = Array.from({ length: t.count }, (_, k) => [t.start[k], t.end[k], t.line[k], t.version[k], t.allow[k], t.prefix[k], t.lo(k), t.hi(k)]);
  return { entries, problems: document.problems };
}

const line = fc.oneof(
  fc.constantFrom('', '# comment', '1.2.3.4', '10.0.0.0/8', '1.2.3.4/24', '2001:db8::/32', '300.1.1.1', '5.5.5.5 - 5.5.5.9', '  ::1  ; note', 'junk here', '010.1.1.1'),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(32)).map(([a, b, p]) => `${a}.${b}.0.0/${p}`),
);
const documentText = fc.tuple(fc.array(line, { maxLength: 30 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => lines.join(eol));

test('updateDocument after any edit equals reading the new text afresh', () => {
  fc.assert(
    fc.property(documentText, fc.nat(), fc.nat(), fc.oneof(line, fc.constantFrom('\n', '.', '1', '\r\n', '')), (text, a, b, insert) => {
      const start = text.length === 0 ? 0 : a % (text.length + 1);
      const end = start + (text.length === 0 ? 0 : b % (text.length - start + 1));
      const edited = text.slice(0, start) + insert + text.slice(end);
      const updated = updateDocument(parseDocument(text, plain), edited);
      assert.deepEqual(snapshot(updated), snapshot(parseDocument(edited, plain)));
    }),
    { numRuns: 2000 },
  );
});

test('updateDocument told the kept ends of the text, as an editor tells them (at most the true ones), equals reading the new text afresh', () => {
  fc.assert(
    fc.property(documentText, fc.nat(), fc.nat(), fc.oneof(line, fc.constantFrom('\n', '.', '1', '\r\n', '')), fc.nat(), fc.nat(), (text, a, b, insert, less, fewer) => {
      const start = text.length === 0 ? 0 : a % (text.length + 1);
      const end = start + (text.length === 0 ? 0 : b % (text.length - start + 1));
      const edited = text.slice(0, start) + insert + text.slice(end);
      // The change's range itself, or less of either end: an editor's ranges may cover text they leave as it was.
      const kept = { prefix: start - (less % (start + 1)), suffix: text.length - end - (fewer % (text.length - end + 1)) };
      const updated = updateDocument(parseDocument(text, plain), edited, kept);
      assert.deepEqual(snapshot(updated), snapshot(parseDocument(edited, plain)));
    }),
    { numRuns: 2000 },
  );
});

test('updateDocument keeps the very same document when nothing changed', () => {
  const document = parseDocument('1.1.1.1\n', plain);
  assert.equal(updateDocument(document, '1.1.1.1\n'), document);
});

test('updateDocument on a large list (many compare blocks) equals reading afresh', () => {
  const base = Array.from({ length: 3000 }, (_, n) => (n % 7 === 0 ? `# note ${n}` : `10.${n >> 8}.${n & 255}.0/24`)).join('\n');
  const big = parseDocument(base, plain);
  fc.assert(
    fc.property(fc.nat(base.length), fc.nat(40), fc.constantFrom('', '1.2.3.4\n', '\n', 'x', '/16', '# c\n'), (at, length, insert) => {
      const edited = base.slice(0, at) + insert + base.slice(Math.min(base.length, at + length));
      assert.deepEqual(snapshot(updateDocument(big, edited)), snapshot(parseDocument(edited, plain)));
    }),
    { numRuns: 150 },
  );
});
