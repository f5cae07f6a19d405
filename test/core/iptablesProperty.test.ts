/**
 * Random restore files (iptablesFiles.ts) against a brute-force reading of
 * iptables(8): the product refuses a file exactly when the reading says
 * iptables-restore would, and otherwise INPUT blocks exactly the addresses
 * the reading drops — the first, last and neighbouring addresses of every
 * rule, and the controls. Every entry found never to take effect (covered,
 * a duplicate, shadowed) can go alone without changing a decision, unless
 * a later line counts its chain's rules; so can every fix offered, and Fix
 * all.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { parseDocument } from '../../server/src/core/document/document';
import { fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { applyEdits, rewriteEntries, type TextEdit } from '../../server/src/core/fixes/rewrite';
import { iptables } from '../../server/src/core/formats/iptables';
import { bruteForce, probes, productReading, restoreFile, type Family } from './iptablesFiles';

/** Found by CI (seed -825612145): -D takes away the rule an earlier -I INPUT 2 went before, which iptables-restore refuses. */
const anchorDeleted = [
  '*filter',
  ':INPUT ACCEPT [0:0]',
  ':FORWARD ACCEPT [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ':A - [0:0]',
  ':B - [0:0]',
  ':C - [0:0]',
  '-A INPUT -p udp --dport 53 -j DROP',
  '-A INPUT -p udp --dport 53 -j DROP',
  '-I INPUT 2 -p udp --dport 53 -j A',
  '-D INPUT 3',
  '-I INPUT -s 2001:db8:ffff::2/128 -j ACCEPT',
  '-I INPUT -s 2001:db8:ffff::1/128 -j DROP',
  'COMMIT',
  '',
].join('\n');

const families = fc.constantFrom<Family>(4, 6).chain((family) => restoreFile(family).map((file) => ({ family, ...file })));

test('random restore files: refused and decided as the brute-force reading of iptables(8) says, and no removal or fix changes a decision', () => {
  fc.assert(
    fc.property(families, ({ family, text, ranges }) => {
      const asked = probes(ranges);
      const expected = bruteForce(text, asked);
      const product = productReading(text, family, asked);
      assert.equal(product.refused, !expected.loads, `the product ${product.refused ? 'refuses' : 'loads'}:\n${text}`);
      if (!expected.loads) return;
      assert.deepEqual(product.blocked, expected.blocked, `INPUT decides otherwise:\n${text}`);

      const document = parseDocument(text, iptables);
      const result = audit(document);
      const same = (name: string, edits: readonly TextEdit[]) => {
        const after = applyEdits(text, edits);
        const now = bruteForce(after, asked);
        assert.ok(now.loads, `${name} made a file iptables-restore refuses:\n${after}`);
        assert.deepEqual(now.blocked, expected.blocked, `${name} changed a decision:\n${text}\n→\n${after}`);
      };
      // A later line that counts the chain's rules (-D N, -I CHAIN N) would count differently without it.
      const counted = (line: number) =>
        /^-(?:D|I \w+ \d)/m.test(
          text
            .split('\n')
            .slice(line + 1)
            .join('\n'),
        );
      for (const finding of result.findings) {
        if (finding.entry !== undefined && ['covered', 'duplicate', 'shadowed'].includes(finding.code) && !counted(finding.line)) {
          same(`removing ${finding.code} line ${finding.line + 1}`, rewriteEntries(document, new Map([[finding.entry, []]])));
        }
      }
      const context = { index: EntryIndex.of(document.entries), facts: result.facts };
      for (let k = 0; k < document.entries.count; k++) {
        for (const fix of fixesForEntry(document, context, k, { maxEntries: 64, protected: [], target: [] })) same(fix.title, fix.edits);
      }
      same('Fix all', fixAll(document, result.facts));
    }),
    { numRuns: 400, examples: [[{ family: 6, text: anchorDeleted, ranges: [], probesMeetConditions: false }]] },
  );
});
