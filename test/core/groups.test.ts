/**
 * Groups of lists loaded into one set, in order: an entry of a later list
 * whose addresses the earlier lists already block is covered-elsewhere,
 * with the earlier list's line; the earlier list never is, partial coverage
 * is no finding, and Fix all leaves such entries.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import type { EarlierList } from '../../server/src/core/analysis/groups';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { parseDocument } from '../../server/src/core/document/document';
import { fixAll } from '../../server/src/core/fixes/fixes';
import { detectFormat } from '../../server/src/core/formats/registry';

/** The group's lists (name, text), each audited after those before it; the findings of each as `name:L<line> code [file:line]`. */
function groupFindings(lists: [name: string, text: string][]): string[] {
  const earlier: EarlierList[] = [];
  const found: string[] = [];
  for (const [name, text] of lists) {
    const document = parseDocument(text, detectFormat(name, text));
    const result = audit(document, { ...DEFAULT_AUDIT_OPTIONS, earlierLists: [...earlier] });
    for (const f of result.findings) {
      if (f.code === 'special-purpose') continue;
      const away = f.related?.[0]?.elsewhere ? ` ${f.related[0].elsewhere.file}:${f.related[0].line + 1}` : '';
      found.push(`${name}:L${f.line + 1} ${f.code}${away}`);
    }
    earlier.push({ file: name, document, blocked4: result.blocked4, blocked6: result.blocked6 });
  }
  return found;
}

// oxfmt-ignore
const cases: [what: string, lists: [string, string][], findings: string[]][] = [
  ['two identical lists: only the second is flagged', [['a.txt', '192.0.2.0/24\n2001:db8::/48\n'], ['b.txt', '192.0.2.0/24\n2001:db8::/48\n']],
    ['b.txt:L1 covered-elsewhere a.txt:1', 'b.txt:L2 covered-elsewhere a.txt:2']],
  ['covered by two earlier lists together, named by the one that blocks its first address', [['a.txt', '192.0.2.0/25\n'], ['b.txt', '192.0.2.128/25\n'], ['c.txt', '192.0.2.0/24\n']],
    ['c.txt:L1 covered-elsewhere a.txt:1']],
  ['partly covered: no finding', [['a.txt', '192.0.2.0/25\n'], ['b.txt', '192.0.2.0/24\n']], []],
  ['a duplicate in its own list gets that finding alone', [['a.txt', '192.0.2.1\n'], ['b.txt', '192.0.2.1\n192.0.2.1\n']],
    ['b.txt:L1 covered-elsewhere a.txt:1', 'b.txt:L2 duplicate']],
  ['an earlier list of another format: what its scopes block', [['bad.ipset', 'create bad hash:net\nadd bad 192.0.2.0/24\nadd bad 192.0.2.8 nomatch\n'], ['b.txt', '192.0.2.7\n192.0.2.8\n']],
    ['b.txt:L1 covered-elsewhere bad.ipset:2']],
];

for (const [what, lists, findings] of cases) test(what, () => assert.deepEqual(groupFindings(lists), findings));

test('the message says how much, and Fix all never removes a covered-elsewhere entry', () => {
  const first = parseDocument('# ours\n198.51.100.0/24\n', detectFormat('a.txt', ''));
  const earlier = [{ file: 'lists/a.txt', document: first, ...audit(first) }];
  const document = parseDocument('198.51.100.0/25\n', detectFormat('b.txt', ''));
  const result = audit(document, { ...DEFAULT_AUDIT_OPTIONS, earlierLists: earlier });
  const [finding] = result.findings;
  assert.equal(
    finding.message,
    'Already blocked by the lists loaded before this one in its group, such as a.txt line 2 (198.51.100.0/24): none of its 128 addresses is new to the set.',
  );
  assert.equal(finding.severity, 'information');
  assert.deepEqual(finding.related, [{ line: 1, start: 7, end: 22, message: 'Blocks these addresses first.', elsewhere: { file: 'lists/a.txt', column: 0 } }]);
  assert.deepEqual(fixAll(document, result.facts), []);
  // Counts stay the list's own: it still blocks its addresses.
  assert.equal(result.ipv4.addresses, 128n);
});
