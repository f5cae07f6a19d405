/**
 * No input crashes or hangs the readers, the audit or the fixes, in any format;
 * and the audit's entry totals agree with the entry table, counted apart.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { parseDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { detectFormat, FORMATS } from '../../server/src/core/formats/registry';

/** Lines of real syntax, one per format or so, with `@` where an address goes: blocking and allowing entries of both families. */
const LINES = [
  '@',
  '!@ @',
  'deny @;',
  'allow @;',
  'Deny from @',
  'Allow from @ @',
  'Require not ip @',
  'Require ip @',
  'add s @',
  'add s @ nomatch',
  '-A INPUT -s @ -j DROP',
  '-A INPUT -s @ -j ACCEPT',
  '-A INPUT -p tcp --dport 22 -s @ -j DROP',
  '-A OUTPUT -d @ -j REJECT --reject-with icmp-port-unreachable',
  'ALL: @ EXCEPT [@]',
  'table <t> { @, !@ }',
  'pass in from <t>',
  'ip saddr { @, @ } accept',
  '/ip firewall address-list add list=b address=@',
  'x:@-@',
  '@ - @ , 200 , x',
  '@ - @ , 0 , x',
  '# @',
];
const ADDRESSES = ['192.0.2.7', '198.51.100.0/24', '10.0.0.0', '10.0.0.255', '2001:db8::/32', '::1', '1.2.3', 'x'];
const syntaxLine = fc.tuple(fc.constantFrom(...LINES), fc.constantFrom(...ADDRESSES), fc.constantFrom(...ADDRESSES)).map(([line, a, b]) => line.replace('@', a).replace('@', b));

/** Text made of the characters blocklists are made of, in any order, with long runs now and then, or lines of their syntax. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF.:/-*, ;#|!{}[]<>="\t\r\n x'.split('')), maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.tuple(fc.constantFrom('1', ':', '.', '-', ' ', '{', '1.2.3.4/'), fc.nat(20_000)).map(([c, n]) => c.repeat(n)),
  fc.array(syntaxLine, { maxLength: 30 }).map((lines) => lines.join('\n')),
);

/** Blocking entries per family and the others, counted straight from the entry table and the scopes' roles. */
function countEntries(document: BlocklistDocument): { ipv4: number; ipv6: number; exceptions: number; conditional: number } {
  const t = document.entries;
  const counts = { ipv4: 0, ipv6: 0, exceptions: 0, conditional: 0 };
  for (let k = 0; k < t.count; k++) {
    if (t.conditional[k]) {
      counts.conditional++;
      continue;
    }
    // Entries of an allowlist (a set or table the file's rules only allow with) block nothing either.
    if (t.allow[k] || document.scopes[t.scope[k]].role === 'allow') counts.exceptions++;
    else if (t.version[k] === 4) counts.ipv4++;
    else counts.ipv6++;
  }
  return counts;
}

// A reader that loops forever fails here rather than stalling the whole run.
test('every format reads any text without throwing, and the audit and fixes follow', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(text, fc.constantFrom(...FORMATS), (input, format) => {
      const started = Date.now();
      const document = parseDocument(input, format);
      const result = audit(document);
      const index = EntryIndex.of(document.entries);
      for (let k = 0; k < Math.min(document.entries.count, 5); k++)
        fixesForEntry(document, { index, facts: result.facts }, k, { maxEntries: 8, protected: ['1.1.1.1'], target: [] });
      fixAll(document, result.facts);
      // The audit counts blocking entries through its sorted orders and takes exceptions as the rest; here each is counted from the table.
      assert.deepEqual({ ipv4: result.ipv4.entries, ipv6: result.ipv6.entries, exceptions: result.exceptions, conditional: result.conditional }, countEntries(document));
      assert.ok(Date.now() - started < 2000, `${format.id} took ${Date.now() - started} ms`);
    }),
    { numRuns: 600 },
  );
});

test('format detection takes any text', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 20 }), text, (name, input) => void detectFormat(name, input)),
    { numRuns: 300 },
  );
});
