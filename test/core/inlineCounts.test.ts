/**
 * The counts shown inline: only blocking entries of the size asked for get
 * one, and a request costs the entries on its lines, never the document's
 * (work counted with the core's counter, not timed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inlineCounts } from '../../server/src/core/analysis/inlineCounts';
import { parseDocument } from '../../server/src/core/document/document';
import { formatById } from '../../server/src/core/formats/registry';
import { workDone } from '../../server/src/core/primitives/workCounter';

/** `lines` blocking /23s, one a line (512 addresses each), in private space so the counts name no owner. */
function slash23s(lines: number): string {
  return Array.from({ length: lines }, (_, n) => `10.${(n >> 7) & 255}.${(n & 127) * 2}.0/23\n`).join('');
}

function countsOf(format: string, text: string, firstLine = 0, lastLine = Infinity, minimum = 257n): { line: number; label: string }[] {
  const document = parseDocument(text, formatById(format)!);
  return inlineCounts(document, undefined, firstLine, lastLine, minimum).map((count) => ({ line: document.entries.line[count.entry], label: count.label }));
}

test('entries of at least the minimum get their count, smaller ones none; with no ASN data, no owner', () => {
  assert.deepEqual(countsOf('plain', '10.0.0.0/24\n10.0.2.0/23\n10.1.0.0/16\n1.2.3.4\n'), [
    { line: 1, label: '512' },
    { line: 2, label: '65,536' },
  ]);
  assert.deepEqual(countsOf('plain', '10.0.0.0/24\n10.0.2.0/23\n', 0, Infinity, 256n), [
    { line: 0, label: '256' },
    { line: 1, label: '512' },
  ]);
  assert.deepEqual(countsOf('plain', '2001:db8::/48\n2001:db8:1::/127\n'), [{ line: 0, label: '1 /48' }]);
});

test('exceptions, entries of allowlists and conditional rules block nothing, and get no count', () => {
  assert.deepEqual(countsOf('nginx', 'location / {\n  allow 10.1.0.0/16;\n  deny 10.0.0.0/8;\n}\n'), [{ line: 2, label: '16,777,216' }]);
  assert.deepEqual(countsOf('ipset', '# blocklist-role: allow trusted\ncreate trusted hash:net\nadd trusted 10.1.0.0/16\ncreate bad hash:net\nadd bad 10.2.0.0/16\n'), [
    { line: 4, label: '65,536' },
  ]);
  assert.deepEqual(countsOf('iptables', '*filter\n-A INPUT -s 10.1.0.0/16 -p tcp --dport 22 -j DROP\n-A INPUT -s 10.2.0.0/16 -j DROP\nCOMMIT\n'), [{ line: 2, label: '65,536' }]);
});

test('only the lines asked for, and at most the limit', () => {
  const text = slash23s(100);
  assert.deepEqual(
    countsOf('plain', text, 19, 21).map((count) => count.line),
    [19, 20, 21],
  );
  const document = parseDocument(text, formatById('plain')!);
  assert.equal(inlineCounts(document, undefined, 0, 99, 257n, 7).length, 7);
});

test('the entries visited for 50 lines are as many in a 400,000-line document as in a 100,000-line one', () => {
  const visited = (lines: number) => {
    const document = parseDocument(slash23s(lines), formatById('plain')!);
    const before = workDone.entries;
    const counts = inlineCounts(document, undefined, lines / 2, lines / 2 + 49, 257n);
    assert.equal(counts.length, 50);
    return workDone.entries - before;
  };
  assert.equal(visited(100_000), 50);
  assert.equal(visited(400_000), 50);
});
