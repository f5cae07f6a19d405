/**
 * The server's documents answer as the library's (vscode-languageserver-textdocument)
 * would, edit after edit: text, line count, every offset's position, positions
 * in and out of range, line ranges and breaks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndexedDocument } from '../../server/src/lsp/lineIndexedDocument';

/** Text heavy in line breaks of every kind, so that edits split and join `\r\n`. */
const text = fc.array(fc.constantFrom('\n', '\r', '\r\n', 'a', '1.2.3.4', 'é', '😀', ' '), { maxLength: 30 }).map((parts) => parts.join(''));

/** Positions in the text, past the end of a line or of the document, and negative. */
const position = fc.record({ line: fc.integer({ min: -1, max: 12 }), character: fc.integer({ min: -1, max: 12 }) });

const change: fc.Arbitrary<TextDocumentContentChangeEvent> = fc.oneof(
  { weight: 9, arbitrary: fc.record({ range: fc.record({ start: position, end: position }), text }) },
  { weight: 1, arbitrary: fc.record({ text }) },
);

/** Everything a reader of `actual` can ask, against the library's document of the same text. */
function assertSame(actual: LineIndexedDocument, expected: TextDocument): void {
  const content = expected.getText();
  assert.equal(actual.getText(), content);
  assert.equal(actual.lineCount, expected.lineCount);
  for (let offset = -1; offset <= content.length + 1; offset++) assert.deepEqual(actual.positionAt(offset), expected.positionAt(offset), `offset ${offset}`);
  for (let line = -1; line <= expected.lineCount; line++) {
    assert.deepEqual(actual.getLineRange(line), expected.getLineRange(line), `line ${line}`);
    assert.equal(actual.getEOLCharacters(line), expected.getEOLCharacters(line), `line ${line}`);
    for (let character = -1; character <= 12; character++) {
      const at: Position = { line, character };
      assert.equal(actual.offsetAt(at), expected.offsetAt(at), `${line}:${character}`);
    }
  }
}

test('edit after edit, a document reads as a fresh library document of its text, and its text is what the library makes of each change', () => {
  fc.assert(
    fc.property(text, fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { maxLength: 8 }), (first, edits) => {
      const document = LineIndexedDocument.create('file:///list', 'blocklist', 1, first);
      assertSame(document, TextDocument.create('file:///list', 'blocklist', 1, first));
      let version = 1;
      for (const changes of edits) {
        // Each change applied to a library document fresh from the text before it: the library's own line starts go wrong
        // after a change whose range lies past the end (it shifts them by the range's lines, not its offsets).
        const expected = changes.reduce((before, one) => TextDocument.update(TextDocument.create('file:///list', 'blocklist', 1, before), [one], 2).getText(), document.getText());
        assert.equal(LineIndexedDocument.update(document, changes, ++version), document);
        assert.equal(document.version, version);
        assertSame(document, TextDocument.create('file:///list', 'blocklist', version, expected));
      }
    }),
    { numRuns: 1500 },
  );
});

test('after edits, what the document says it kept of the marked text is unchanged at both ends; of any other text it says nothing', () => {
  fc.assert(
    fc.property(text, fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { maxLength: 4 }), (first, edits) => {
      const document = LineIndexedDocument.create('file:///list', 'blocklist', 1, first);
      assert.equal(document.keptSince(first), undefined, 'nothing is marked yet');
      document.mark();
      let version = 1;
      for (const changes of edits) LineIndexedDocument.update(document, changes, ++version);
      const now = document.getText();
      const kept = document.keptSince(first);
      assert.ok(kept);
      assert.ok(kept.prefix + kept.suffix <= Math.min(first.length, now.length) || (kept.prefix === first.length && now === first), 'the kept ends do not overlap');
      assert.equal(now.slice(0, kept.prefix), first.slice(0, kept.prefix));
      assert.equal(now.slice(now.length - kept.suffix), first.slice(first.length - kept.suffix));
      assert.equal(document.keptSince(`${first}x`), undefined);
    }),
    { numRuns: 1500 },
  );
});

test("a million-line document, edited in its middle, answers as the library's", () => {
  const lines = Array.from({ length: 1_000_000 }, (_, n) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`).join('\n');
  const document = LineIndexedDocument.create('file:///list', 'blocklist', 1, lines);
  const library = TextDocument.create('file:///list', 'blocklist', 1, lines);
  assert.equal(document.lineCount, 1_000_000);
  const edit = { range: { start: { line: 500_000, character: 0 }, end: { line: 500_001, character: 0 } }, text: '9.9.9.9\r\n8.8.8.8\r\n' };
  LineIndexedDocument.update(document, [edit], 2);
  TextDocument.update(library, [edit], 2);
  assert.equal(document.lineCount, library.lineCount);
  for (const offset of [0, 1, 7_000_000, 7_000_010, document.getText().length]) assert.deepEqual(document.positionAt(offset), library.positionAt(offset));
  for (const line of [0, 499_999, 500_000, 500_001, 500_002, 999_999, 1_000_000]) assert.equal(document.offsetAt({ line, character: 3 }), library.offsetAt({ line, character: 3 }));
});
