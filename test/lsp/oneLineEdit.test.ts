/**
 * A one-line edit as the server meets it: the editor's change applied to
 * the server's document, which tells what the change left as it was, then
 * the edited lines read again and the list audited where the edit changed
 * it. The work counted in reading and auditing the edit (characters read
 * through string methods, index probes, elements through sorts and set
 * operations) is the same at N and at 4N lines, where reading and auditing
 * the list afresh grows fourfold. What the counters do not see, and still
 * grows with the list, is said in the README's speed section: the new text's
 * first read, the entry table's copy, the carried address order, the facts'
 * rows and the findings' walk.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { OwnersMemo } from '../../server/src/core/analysis/ownersMemo';
import { parseDocument, updateDocument } from '../../server/src/core/document/document';
import { formatById } from '../../server/src/core/formats/registry';
import { LineIndexedDocument } from '../../server/src/lsp/lineIndexedDocument';
import { measure } from '../core/workMeter';

const plain = formatById('plain')!;

/** The work of reading and auditing one edit of a list of `count` lines (covered, adjoining and separate entries), and of reading and auditing the list afresh. */
function workAt(count: number): { edit: number; fresh: number } {
  const lines = Array.from({ length: count }, (_, n) => (n % 7 === 0 ? `10.${n >> 8}.${n & 255}.0/24` : `10.${n >> 8}.${n & 255}.${n % 200}`));
  const editor = LineIndexedDocument.create('file:///list.txt', 'blocklist', 1, lines.join('\n'));
  const before = parseDocument(editor.getText(), plain);
  const memo = OwnersMemo.for(before);
  const first = audit(before, DEFAULT_AUDIT_OPTIONS, undefined, memo);
  editor.mark();
  const line = count / 2;
  LineIndexedDocument.update(editor, [{ range: { start: { line, character: 0 }, end: { line, character: lines[line].length } }, text: '10.7.7.7' }], 2);
  const text = editor.getText();
  const kept = editor.keptSince(before.text);
  assert.ok(kept, 'the document tells what the edit kept');
  const edit = measure(() => {
    const updated = updateDocument(before, text, kept);
    const { order4, order6 } = first.facts;
    return audit(updated, DEFAULT_AUDIT_OPTIONS, undefined, OwnersMemo.for(updated, memo), { document: before, order4, order6, facts: first.facts });
  });
  const fresh = measure(() => audit(parseDocument(text, plain), DEFAULT_AUDIT_OPTIONS));
  assert.deepEqual(edit.result.findings, fresh.result.findings);
  return { edit: edit.work.scaling, fresh: fresh.work.scaling };
}

test('reading and auditing a one-line edit counts the same work at N and 4N lines', () => {
  const [n, n4] = [workAt(4000), workAt(16_000)];
  assert.ok(n4.fresh >= 2.5 * n.fresh, `reading and auditing afresh grows with the list: ${n.fresh} then ${n4.fresh}`);
  assert.ok(n4.edit <= 1.5 * n.edit, `an edit's does not: ${n.edit} then ${n4.edit}`);
});
