/**
 * The core's cost grows linearly with the input, in every format, whatever
 * the content: reading and auditing a document of 4N lines may do at most
 * 1.5 times the work per line of N lines, and each further character may
 * cost only so much, buckets of radix passes included (so an entry that
 * spans the whole ASN index, or a line that opens a scope, costs no more
 * than a few thousand steps). Work is counted, not timed
 * (test/core/workMeter.ts). Tables the ASN index builds once, on first
 * need, are built before measuring.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { locatedIn } from '../../server/src/cli/findings';
import { audit } from '../../server/src/core/analysis/audit';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { parseDocument } from '../../server/src/core/document/document';
import { columnFinder, columnOf, type FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';
import { Networks } from '../../server/src/core/ownership/networks';
import { SHAPES, targetDocument } from './generatedDocuments';
import { measure, type Work } from './workMeter';

const root = resolve(__dirname, '..', '..', '..');
const networks = Networks.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
/** As the CLI audits: every finding written. */
const options = { ...DEFAULT_AUDIT_OPTIONS, maxFindings: Number.MAX_SAFE_INTEGER };

const N = 600;
/** Work per line at 4N over work per line at N, leaving out the radix buckets (a fixed cost per sort, paid or not as a sort is over or under 512 entries). */
const MAX_GROWTH = 1.5;
/** Work per character added from N to 4N lines: reading a character takes a few dozen steps, an entry's ownership a few thousand. */
const MAX_WORK_PER_CHARACTER = 2_000;

function audited(text: string, format: FormatId): Work {
  return measure(() => audit(parseDocument(text, formatById(format)!), options, networks)).work;
}

for (const shape of SHAPES) {
  test(`linear in every format: ${shape.name}`, (t) => {
    const failures: string[] = [];
    const ratios: string[] = [];
    for (const format of shape.formats) {
      const [small, large] = [shape.text(format, N), shape.text(format, 4 * N)];
      audited(large, format);
      const [w1, w4] = [audited(small, format), audited(large, format)];
      const growth = w4.scaling / 4 / w1.scaling;
      const perCharacter = (w4.total - w1.total) / (large.length - small.length);
      ratios.push(`${format} ×${growth.toFixed(2)}`);
      if (growth > MAX_GROWTH || perCharacter > MAX_WORK_PER_CHARACTER) {
        failures.push(
          `${format}: ${JSON.stringify(w1)} at ${N} lines, ${JSON.stringify(w4)} at ${4 * N}: ×${growth.toFixed(2)} per line, ${perCharacter.toFixed(0)} per character`,
        );
      }
    }
    // The scaling ratios, for the record: work per line at 4N over work per line at N.
    t.diagnostic(`${shape.name}: ${ratios.join(', ')}`);
    assert.deepEqual(failures, []);
  });
}

test('200 lines of 0.0.0.0/0: each looked up in the ASN index in a bounded number of probes', () => {
  const lines = (count: number) => '0.0.0.0/0\n'.repeat(count);
  audited(lines(200), 'plain');
  const [w50, w200] = [audited(lines(50), 'plain'), audited(lines(200), 'plain')];
  const perLine = (w200.probes - w50.probes) / 150;
  assert.ok(perLine < 10_000, `${perLine} probes per line`);
});

test('200 different ranges, each spanning almost every range of the ASN index: each in a bounded number of probes', () => {
  const lines = (count: number) => Array.from({ length: count }, (_, i) => `1.0.${i >> 8}.${i & 255}-223.255.${255 - (i >> 8)}.${255 - (i & 255)}\n`).join('');
  audited(lines(200), 'plain');
  const [w50, w200] = [audited(lines(50), 'plain'), audited(lines(200), 'plain')];
  const perLine = (w200.probes - w50.probes) / 150;
  assert.ok(perLine < 10_000, `${perLine} probes per line`);
});

test('200 broad ranges, each starting in another part of the ASN index: each in a bounded number of probes', () => {
  // A /8's worth from the start of each /8: most start in a block of index ranges that no other does, and the largest
  // organisations of a run of blocks come from the rows the index ships (built on first need, a row was a pass over the index).
  const lines = (count: number) => Array.from({ length: count }, (_, i) => `${1 + i}.${i}.0.0-${2 + i}.${i}.255.255\n`).join('');
  audited('0.0.0.0/0\n', 'plain');
  const [w50, w200] = [audited(lines(50), 'plain'), audited(lines(200), 'plain')];
  const perLine = (w200.probes - w50.probes) / 150;
  assert.ok(perLine < 10_000, `${perLine} probes per line`);
});

test('a target of 3,000 ASNs resolves in a bounded number of probes per ASN', () => {
  // A fresh Networks each time: nothing remembered from the run before.
  const opened = (count: number) => measure(() => audit(parseDocument(targetDocument(count, 20), formatById('plain')!), options, new Networks(networks.index))).work;
  opened(3000);
  const [w750, w3000] = [opened(750), opened(3000)];
  const perAsn = (w3000.probes - w750.probes) / 2250;
  assert.ok(perAsn < 1_000, `${perAsn} probes per ASN`);
});

/** The scope names of the first two entries of `text`: one deep in its blocks, one after them. */
function firstTwoScopes(format: FormatId, text: string): string[] {
  const document = parseDocument(text, formatById(format)!);
  return [...document.entries.scope.subarray(0, 2)].map((s) => document.scopes[s].name);
}

test('nginx blocks nested thousands deep: each name keeps the first levels and its own, never the whole path', () => {
  const levels = Array.from({ length: 12 }, (_, d) => `location /${d}`);
  const text = `${levels.map((level) => `${level} {\n`).join('')}deny 192.0.2.1;\n${'}\n'.repeat(12)}deny 192.0.2.2;\n`;
  assert.deepEqual(firstTwoScopes('nginx', text), [`${levels.slice(0, 8).join(' › ')} › … › location /11 (line 12)`, '']);
});

test('Apache sections nested thousands deep are named as nginx blocks are: the first levels and their own', () => {
  const levels = Array.from({ length: 12 }, (_, d) => `Directory /${d}`);
  const tags = levels.map((level) => `<${level}>\n`);
  // A <Limit> between them opens no scope: the names skip it.
  const text = `${tags.slice(0, 6).join('')}<Limit GET>\n${tags.slice(6).join('')}Deny from 192.0.2.1\n${'</Directory>\n'.repeat(6)}</Limit>\n${'</Directory>\n'.repeat(6)}Deny from 192.0.2.2\n`;
  assert.deepEqual(firstTwoScopes('apache', text), [`${levels.slice(0, 8).join(' › ')} › … › Directory /11 (line 13)`, '']);
});

test("check's output locates each finding of a one-line document in bounded work, not by scanning back over the line", () => {
  const writeAll = (count: number) => {
    const text = SHAPES.find((shape) => shape.name === 'one line holding every entry')!.text('pf', count);
    const result = audit(parseDocument(text, formatById('pf')!), options, networks);
    return measure(() => [...locatedIn(text, result.findings)].length);
  };
  const [small, large] = [writeAll(N), writeAll(4 * N)];
  assert.ok(small.result > 0, 'findings to locate');
  const growth = large.work.characters / large.result / (small.work.characters / small.result);
  assert.ok(growth < MAX_GROWTH, `characters per finding grew ×${growth.toFixed(2)} from ${N} to ${4 * N} entries`);
});

test('columnFinder gives the column columnOf gives, at every offset, across every line break, before and after a line too long to scan back', () => {
  const text = `a\r\nbc\rdef\n\n\r\r\ngh\n${'x'.repeat(5000)}\r\nij\r\rk\n`;
  const columnAt = columnFinder(text);
  for (let offset = 0; offset <= text.length; offset++) assert.equal(columnAt(offset), columnOf(text, offset), `offset ${offset}`);
});
