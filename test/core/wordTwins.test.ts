/**
 * A word that stands for one entry of each family (hosts.deny `ALL`, nginx
 * and Apache `all`): a finding both halves have about the same place is told
 * once, for the word; one that only a half has says which half, since the
 * word as a whole is still needed (removing it would unblock the other).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import type { FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';
import { toDiagnostic } from '../../server/src/lsp/convert';

/** The findings of the codes that name another place, as `L<line> <code> <part>: <message>` (1-based lines). */
function placed(format: FormatId, text: string): string[] {
  const { findings } = audit(parseDocument(text, formatById(format)!));
  return findings.filter((f) => ['duplicate', 'covered', 'shadowed'].includes(f.code)).map((f) => `L${f.line + 1} ${f.code} ${f.part ?? 'word'}: ${f.message}`);
}

test('a word both halves of which repeat another word is one finding, for the word', () => {
  assert.deepEqual(placed('hosts-deny', 'sshd: ALL\nsshd: ALL\nsshd: ALL\n'), ['L2 duplicate word: Duplicate of line 1 (ALL).', 'L3 duplicate word: Duplicate of line 1 (ALL).']);
  assert.deepEqual(placed('nginx', 'location / {\n  deny all;\n  deny all;\n}\n'), ['L3 duplicate word: Duplicate of line 2 (all).']);
});

test('a word only one half of which repeats another is told as that half, and not faded', () => {
  const text = 'sshd: [::]/0\nsshd: ALL\n';
  assert.deepEqual(placed('hosts-deny', text), ['L2 duplicate 6: IPv6 part: Duplicate of line 1 ([::]/0).']);
  // Its IPv4 half is line 2's own: nothing to remove, and Fix all keeps the word.
  const document = parseDocument(text, formatById('hosts-deny')!);
  const result = audit(document);
  assert.equal(applyEdits(text, fixAll(document, result.facts)), text);
  const finding = result.findings.find((f) => f.code === 'duplicate')!;
  const diagnostic = toDiagnostic(TextDocument.create('file:///hosts.deny', 'hosts-deny', 1, text), finding);
  assert.equal(diagnostic.tags, undefined, 'a word half of which adds nothing is not unused code');

  // Excepted in one rule: only the IPv6 half of the next is a duplicate of it.
  assert.deepEqual(placed('hosts-deny', 'vsftpd: ALL EXCEPT 10.0.0.0/8\nvsftpd: ALL\n'), [
    'L1 shadowed word: Never takes effect: its own rule or other rules in daemon vsftpd, such as line 2 (ALL), decide all of its addresses, some or all the other way.',
    'L2 duplicate 6: IPv6 part: Duplicate of line 1 (ALL).',
  ]);
});
