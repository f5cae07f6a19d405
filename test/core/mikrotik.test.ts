/**
 * MikroTik scripts change the entries they add: `remove`, `disable`,
 * `enable` and `set`, of the entries a `[find …]` picks or of numbered
 * items. There is no RouterOS here: the cases follow RouterOS's manual
 * (help.mikrotik.com, "Scripting": `find` and `where`, whose terms all must
 * hold; "Console": a command on the items `find` returns, or on the numbers
 * of the last `print`, which depend on the router's state). What a command
 * surely takes away decides nothing, what it may take away is conditional,
 * and a repeat of an address surely taken away is no repeat.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import { formatById } from '../../server/src/core/formats/registry';

const HEAD = '/ip firewall address-list\nadd address=1.2.3.4 list=bl\nadd address=5.6.7.8 list=bl comment=tor\nadd address=44.4.4.4 list=other\n';

/** (what it shows, the script, IPv4 addresses blocked, findings and problems as `L<line> <code>`). */
// oxfmt-ignore
const cases: [name: string, text: string, blocked: bigint, findings: string[]][] = [
  ['nothing changed', HEAD, 3n, []],
  ['remove by list and address', `${HEAD}remove [find list=bl address=1.2.3.4]\n`, 2n, ['L2 conditional']],
  ['remove a whole list', `${HEAD}remove [find list=bl]\n`, 1n, ['L2 conditional', 'L3 conditional']],
  ['where, and', `${HEAD}remove [find where list="bl" and address=1.2.3.4]\n`, 2n, ['L2 conditional']],
  ['by comment', `${HEAD}remove [find comment="tor"]\n`, 2n, ['L3 conditional']],
  // The export wraps a long comment over lines: what it holds may be the filter's.
  ['a comment continued over lines', '/ip firewall address-list\nadd address=1.2.3.4 list=bl comment="a long \\\n    comment"\nremove [find comment="a long comment"]\n', 0n, ['L2 conditional']],
  ['by a list no entry is in', `${HEAD}remove [find list=nope]\n`, 3n, []],
  ['by an address no entry is, or a name', `${HEAD}remove [find address=1.2.3.5]; remove [find address=example.com]\n`, 3n, []],
  ['the same address written otherwise may be picked', `${HEAD}remove [find address=1.2.3.4/32]\n`, 2n, ['L2 conditional']],
  ['every entry, on one line', `${HEAD}/ip firewall address-list remove [find]\n`, 0n, ['L2 conditional', 'L3 conditional', 'L4 conditional']],
  ['RouterOS 7 path', `${HEAD}/ip/firewall/address-list/remove [find list=other]\n`, 2n, ['L4 conditional']],
  ['by number, which the router decides', `${HEAD}remove 0\n`, 0n, ['L2 conditional', 'L3 conditional', 'L4 conditional']],
  ['a regex match is not told', `${HEAD}remove [find comment~"to"]\n`, 0n, ['L2 conditional', 'L3 conditional', 'L4 conditional']],
  ['an or is not told', `${HEAD}remove [find where list=bl or list=other]\n`, 0n, ['L2 conditional', 'L3 conditional', 'L4 conditional']],
  ['a remove before the adds takes none of them', `/ip firewall address-list\nremove [find list=bl]\n${HEAD.slice(HEAD.indexOf('\n') + 1)}`, 3n, []],
  ['the /ipv6 menu holds other entries', `${HEAD}/ipv6 firewall address-list remove [find]\n`, 3n, []],
  ['an add on one line is of its own menu', '/ip firewall address-list add address=1.2.3.4 list=bl\n/ipv6 firewall address-list remove [find]\n', 1n, []],
  ['another menu', `${HEAD}/ip address remove [find]\n`, 3n, []],
  ['set disabled', `${HEAD}set [find address=5.6.7.8] disabled=yes\n`, 2n, ['L3 conditional']],
  ['set numbers=', `${HEAD}set numbers=[find address=5.6.7.8] disabled=yes\n`, 2n, ['L3 conditional']],
  ['set a comment, then find by it', `${HEAD}set [find list=other] comment=x\nremove [find comment=x]\n`, 2n, ['L4 conditional']],
  ['set an address: the entry is no longer what the file says', `${HEAD}set [find address=1.2.3.4] address=7.7.7.7\n`, 2n, ['L2 conditional']],
  ['set a timeout: it lasts only until then', `${HEAD}set [find list=other] timeout=1d\n`, 2n, ['L4 conditional']],
  ['disable, then enable one', `${HEAD}disable [find list=bl]\nenable [find address=1.2.3.4]\n`, 2n, ['L3 conditional']],
  ['an entry added disabled, then enabled', '/ip firewall address-list\nadd address=1.2.3.4 list=bl disabled=yes\nenable [find list=bl]\n', 1n, []],
  ['an entry added disabled, maybe enabled', '/ip firewall address-list\nadd address=1.2.3.4 list=bl disabled=yes\nenable 0\n', 0n, ['L2 conditional']],
  ['by dynamic: the permanent entry stays', '/ip firewall address-list\nadd address=1.2.3.4 list=bl\nadd address=5.6.7.8 list=bl timeout=1d\nremove [find where dynamic]\n', 1n, ['L3 conditional']],
  ['by disabled', `${HEAD}disable [find address=1.2.3.4]\nremove [find disabled=no]\n`, 0n, ['L2 conditional', 'L3 conditional', 'L4 conditional']],
  ['a block that may not run', `${HEAD}:if ($clean) do={ remove [find list=bl] }\n`, 1n, ['L2 conditional', 'L3 conditional']],
  ['a :do block runs', `${HEAD}:do { remove [find list=bl] } on-error={}\n`, 1n, ['L2 conditional', 'L3 conditional']],
  ['a loop over numbers', `${HEAD}:foreach i in=[find list=other] do={ remove $i }\n`, 0n, ['L2 conditional', 'L3 conditional', 'L4 conditional']],
  // An add in a block that may not run may not happen: a permanent address under it is not covered by it (Fix all would remove 1.2.3.4 if the :if never ran); a bare block runs.
  ['an add in a block that may not run', '/ip firewall address-list\n:if ($strict) do={ add address=1.2.3.0/24 list=bl }\nadd address=1.2.3.4 list=bl\n:foreach i in=(1,2) do={ add address=7.7.7.7 list=bl }\n{ add address=5.6.7.8 list=bl }\n', 2n, ['L2 conditional', 'L4 conditional']],
  // An address taken away may be added again: no repeat, and what follows loads.
  ['removed, then added again', '/ip firewall address-list\nadd address=1.2.3.4 list=bl\nremove [find address=1.2.3.4]\nadd address=1.2.3.4 list=bl\nadd address=5.5.5.5 list=bl\n', 2n, ['L2 conditional']],
  // Perhaps taken away: the add again may stop the import, or not.
  ['maybe removed, then added again', '/ip firewall address-list\nadd address=1.2.3.4 list=bl\nremove 0\nadd address=1.2.3.4 list=bl\nadd address=5.5.5.5 list=bl\n', 0n, ['L2 conditional', 'L4 conditional', 'L5 conditional']],
  // The import stopped at the repeat: the remove after it never runs.
  ['after the import stops', '/ip firewall address-list\nadd address=1.2.3.4 list=bl\nadd address=1.2.3.4 list=bl\nremove [find]\n', 1n, ['L3 invalid-entry']],
  // What is taken away covers nothing, and is covered by nothing Fix all would keep.
  ['a removed entry is never the cause of a removal', '/ip firewall address-list\nadd address=1.2.3.0/24 list=bl\nadd address=1.2.3.4 list=bl\nremove [find address=1.2.3.0/24]\n', 1n, ['L2 conditional']],
];

for (const [name, text, blocked, findings] of cases) {
  test(`MikroTik: ${name}`, () => {
    const document = parseDocument(text, formatById('mikrotik')!);
    const result = audit(document);
    assert.equal(result.ipv4.addresses, blocked);
    const seen = [
      ...result.findings.filter((f) => f.entry !== undefined && f.code !== 'special-purpose').map((f) => [f.line, `L${f.line + 1} ${f.code}`] as const),
      ...document.problems.map((p) => [p.line, `L${p.line + 1} ${p.code}`] as const),
    ];
    assert.deepEqual(
      seen.sort((a, b) => a[0] - b[0]).map(([, row]) => row),
      findings,
    );
    // Fix all keeps what the script blocks.
    const fixed = parseDocument(applyEdits(text, fixAll(document, result.facts)), formatById('mikrotik')!);
    assert.equal(audit(fixed).ipv4.addresses, blocked);
  });
}

test('MikroTik: a DNS name in address= is resolved by RouterOS, not counted, and said so', () => {
  const document = parseDocument('/ip firewall address-list\nadd address=example.com list=bl\n', formatById('mikrotik')!);
  assert.deepEqual(
    document.problems.map((p) => `L${p.line + 1} ${p.code} ${p.message}`),
    [
      'L2 unresolved-name RouterOS resolves "example.com" as a DNS name and keeps its addresses in the list as dynamic entries; the product does not resolve names, so they are not counted.',
    ],
  );
});
