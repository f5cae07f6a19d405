/**
 * pf tables as pf.conf(5) describes them (issue 9). pf has no Linux tool to
 * hold the product to, so each row is worked out by hand from the manual,
 * and says which of its rules it follows:
 *
 * - TABLES: "table <name> [persist] [const] [counters] [file "path"] [{ address-list }]";
 *   `persist` and `const` change how long the table lives and who may
 *   change it, not what it holds; a table loaded from `file` holds the
 *   addresses of that file, which is read on its own (one or more a line,
 *   `#` comments).
 * - "Addresses can be negated by prefixing them with !"; when an address
 *   is looked up, the most specific (longest prefix) entry holding it
 *   decides, whatever the order of the list (pfctl(8): "the most narrowly
 *   defined (longest prefix) address wins").
 * - ADDRESS lists take `10/8` and `172.16/12` (the manual's own example
 *   `table <private> const { 10/8, 172.16/12, 192.168/16 }`): the octets not
 *   written are zeros; IPv6 networks as `2001:db8::/32`.
 * - Each table is looked up on its own: an entry of one never decides for
 *   another. `block … from <t>` uses a table to block, `pass … from <t>` to
 *   allow, `from ! <t>` the other way round.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import { pf } from '../../server/src/core/formats/pf';

function read(text: string) {
  const document = parseDocument(text, pf);
  return { document, result: audit(document) };
}

/** Each table with a set: `<label> (<role>): <IPv4 addresses> + <IPv6 addresses>`. */
function tables(text: string): string[] {
  const { document, result } = read(text);
  return result.facts.scopeSets.map(({ scope, blocked4, blocked6 }) => `${document.scopes[scope].label} (${document.scopes[scope].role}): ${blocked4.size()} + ${blocked6.size()}`);
}

/** Whether the table named `name` holds each address (most specific entry, as pf looks it up). */
function holds(text: string, name: string, addresses: string[]): boolean[] {
  const { document, result } = read(text);
  const scope = document.scopes.findIndex((s) => s.name === name);
  const set = result.facts.scopeSets.find((s) => s.scope === scope);
  return addresses.map((address) => {
    const sized = parseDocument(address, pf).entries;
    return sized.version[0] === 4 ? (set?.blocked4.has(sized.lo4[0]) ?? false) : (set?.blocked6.has(sized.lo6[0]) ?? false);
  });
}

/** (the rule of pf.conf(5) it follows, pf.conf text, each table's counts, findings as `L<line> <code>` without special-purpose, the text after Fix all). */
// oxfmt-ignore
const cases: [rule: string, text: string, counts: string[], findings: string[], fixedAll: string][] = [
  ['a negated entry excepts from a wider one: the /24 without .5', 'table <goodguys> { 192.0.2.0/24, !192.0.2.5 }\nblock from <goodguys>\n', ['table goodguys (block): 255 + 0'], [], 'table <goodguys> { 192.0.2.0/24, !192.0.2.5 }\nblock from <goodguys>\n'],
  ['the most specific entry decides, whatever the order of the list', 'table <t> { !192.0.2.5 192.0.2.0/24 }\n', ['table t (block): 255 + 0'], [], 'table <t> { !192.0.2.5 192.0.2.0/24 }\n'],
  ['an entry inside an exception inside a wider entry decides its addresses again', 'table <t> { 10.0.0.0/8, !10.1.0.0/16, 10.1.2.0/24 }\n', [`table t (block): ${2 ** 24 - 2 ** 16 + 256} + 0`], ['L1 overbroad'], 'table <t> { 10.0.0.0/8, !10.1.0.0/16, 10.1.2.0/24 }\n'],
  ['the same for IPv6 networks', 'table <v6> { 2001:db8::/32, !2001:db8::/48, 2001:db8::1 }\n', [`table v6 (block): 0 + ${(1n << 96n) - (1n << 80n) + 1n}`], [], 'table <v6> { 2001:db8::/32, !2001:db8::/48, 2001:db8::1 }\n'],
  ['both families in one table, each looked up on its own', 'table <t> { 192.0.2.0/24, !192.0.2.0/25, 2001:db8::/126, !2001:db8::1 }\n', ['table t (block): 128 + 3'], [], 'table <t> { 192.0.2.0/24, !192.0.2.0/25, 2001:db8::/126, !2001:db8::1 }\n'],
  ['an entry whose smallest container decides as it does adds nothing', 'table <t> counters { 192.0.2.0/24, 192.0.2.1 }\n', ['table t (block): 256 + 0'], ['L1 covered'], 'table <t> counters { 192.0.2.0/24 }\n'],
  ['an entry whose smallest container is an exception decides its addresses: it stays', 'table <t> { 192.0.2.0/24, !192.0.2.0/28, 192.0.2.1 }\n', ['table t (block): 241 + 0'], [], 'table <t> { 192.0.2.0/24, !192.0.2.0/28, 192.0.2.1 }\n'],
  ['an exception inside no entry excepts nothing', 'table <t> { !192.0.2.5 }\n', ['table t (block): 0 + 0'], ['L1 ineffective-exception'], 'table <t> { !192.0.2.5 }\n'],
  ['several tables, each on its own: an exception of one excepts nothing of another', 'table <a> { 192.0.2.0/24 }\ntable <b> { !192.0.2.5, 192.0.2.0/25 }\nblock from { <a>, <b> }\n', ['table a (block): 256 + 0', 'table b (block): 127 + 0'], [], 'table <a> { 192.0.2.0/24 }\ntable <b> { !192.0.2.5, 192.0.2.0/25 }\nblock from { <a>, <b> }\n'],
  ['persist and const change how long a table lives and who may change it, not what it holds', 'table <bad> persist const { 192.0.2.0/24, 192.0.2.0/24 }\n', ['table bad (block): 256 + 0'], ['L1 duplicate'], 'table <bad> persist const { 192.0.2.0/24 }\n'],
  ["the manual's own example: the octets not written are zeros", 'table <private> const { 10/8, 172.16/12, 192.168/16 }\ntable <badhosts> persist\nblock on fxp0 from { <private>, <badhosts> } to any\n', [`table private (block): ${2 ** 24 + 2 ** 20 + 2 ** 16} + 0`], ['L1 overbroad', 'L1 overbroad'], 'table <private> const { 10/8, 172.16/12, 192.168/16 }\ntable <badhosts> persist\nblock on fxp0 from { <private>, <badhosts> } to any\n'],
  ['a file table holds what its file holds, read apart; the list beside it is read', 'table <spam> persist file "/etc/spammers" { 192.0.2.1 }\nblock on fxp0 from <spam> to any\n', ['table spam (block): 1 + 0'], [], 'table <spam> persist file "/etc/spammers" { 192.0.2.1 }\nblock on fxp0 from <spam> to any\n'],
  ['a table file: addresses a line or several, negated ones, # comments', '# /etc/spammers\n192.0.2.0/24 !192.0.2.5\n2001:db8::/64\n!2001:db8::1 # a friend\n', [`the file (block): 255 + ${(1n << 64n) - 1n}`], [], '# /etc/spammers\n192.0.2.0/24 !192.0.2.5\n2001:db8::/64\n!2001:db8::1 # a friend\n'],
  // pfctl -T add -f (pfr_next_token, append_addr): a word between blanks, `!` before it, `#` starting a word comments out the rest of the line.
  ['a table file: pfctl refuses a word that is no address (a comma is part of its word, a range, a netmask, a wildcard, a lone "!"): each is invalid, the rest is read', '192.0.2.1, 192.0.2.2\n192.0.2.8-192.0.2.9 192.0.2.16/28\n198.51.100.0/255.255.255.0 203.0.113.* ! 192.0.2.40 # 192.0.2.41\n', ['the file (block): 18 + 0'], ['L1 invalid-entry', 'L2 invalid-entry', 'L3 invalid-entry', 'L3 invalid-entry', 'L3 invalid-entry'], '192.0.2.1, 192.0.2.2\n192.0.2.8-192.0.2.9 192.0.2.16/28\n198.51.100.0/255.255.255.0 203.0.113.* ! 192.0.2.40 # 192.0.2.41\n'],
  ['a table file: pfctl resolves host and interface names, which the product cannot: said, not counted, on a line that starts with one too', 'www.example.org 192.0.2.1 !self\nem0:network\n', ['the file (block): 1 + 0'], ['L1 unresolved-name', 'L1 unresolved-name', 'L2 unresolved-name'], 'www.example.org 192.0.2.1 !self\nem0:network\n'],
  ['pf.conf statements and a rule whose list runs over several lines are no lines of a table file', 'set skip on lo\next_if = "em0"\nmatch out from 10/8 nat-to 192.0.2.1\ntable <t> { 192.0.2.0/24 }\nblock in from { <t>,\n  192.0.2.9, www.example.org }\n', ['table t (block): 256 + 0'], [], 'set skip on lo\next_if = "em0"\nmatch out from 10/8 nat-to 192.0.2.1\ntable <t> { 192.0.2.0/24 }\nblock in from { <t>,\n  192.0.2.9, www.example.org }\n'],
  // The fixes see the lines after a `{` as the block's (its list, joined by commas): so does the reader.
  ['a line that opens a block is no line of a table file, nor are the lines of the block', 'ruleset / {\n192.0.2.1, 192.0.2.2\n', [], [], 'ruleset / {\n192.0.2.1, 192.0.2.2\n'],
  ['pass … from <t> uses the table to allow', 'table <ok> { 192.0.2.0/24 }\npass in from <ok>\n', ['table ok (allow): 256 + 0'], [], 'table <ok> { 192.0.2.0/24 }\npass in from <ok>\n'],
  ['block … from ! <t> blocks all the table does not hold: the table allows', 'table <t> { 192.0.2.0/24 }\nblock in from ! <t>\n', ['table t (allow): 256 + 0'], [], 'table <t> { 192.0.2.0/24 }\nblock in from ! <t>\n'],
  // The lexer reads a quoted string over lines (with or without a backslash): a list macro that runs over two lines is one statement, no table file.
  ['a macro whose quoted list runs over lines is one statement', 'trusted = "{ 192.0.2.10, \\\n             192.0.2.11 }"\nfriends = "{ 192.0.2.12,\n  192.0.2.13 }"\ntable <bad> persist { 203.0.113.0/24 }\nblock in quick from <bad>\npass in quick from $trusted\n', ['table bad (block): 256 + 0'], [], 'trusted = "{ 192.0.2.10, \\\n             192.0.2.11 }"\nfriends = "{ 192.0.2.12,\n  192.0.2.13 }"\ntable <bad> persist { 203.0.113.0/24 }\nblock in quick from <bad>\npass in quick from $trusted\n'],
  // Macros are expanded by the lexer wherever they stand; the product does not expand them, and says so.
  ['a macro in a table is said not to be counted', 'spammer = "192.0.2.6"\ntable <bad> { $spammer 192.0.2.9 }\nblock in quick from <bad>\n', ['table bad (block): 1 + 0'], ['L2 unresolved-name'], 'spammer = "192.0.2.6"\ntable <bad> { $spammer 192.0.2.9 }\nblock in quick from <bad>\n'],
  ['an inline table: pfctl refuses the ruleset for a range, spaced or not, an interface\'s addresses, a table, a netmask or a word it cannot read; it resolves names, which are said and not counted', 'table <bad> persist { 192.0.2.1 - 192.0.2.9, 192.0.2.16-192.0.2.20, (em0), <other>, 198.51.100.0/255.255.255.0, 192.0.2.300 }\ntable <names> { www.example.org, self, em0:network, 192.0.2.7 }\n', ['table names (block): 1 + 0'], ['L1 invalid-entry', 'L1 invalid-entry', 'L1 invalid-entry', 'L1 invalid-entry', 'L1 invalid-entry', 'L1 invalid-entry', 'L2 unresolved-name', 'L2 unresolved-name', 'L2 unresolved-name'], 'table <bad> persist { 192.0.2.1 - 192.0.2.9, 192.0.2.16-192.0.2.20, (em0), <other>, 198.51.100.0/255.255.255.0, 192.0.2.300 }\ntable <names> { www.example.org, self, em0:network, 192.0.2.7 }\n'],
  // ANCHORS: an inline anchor's rules are rules of the ruleset: a table only an anchor passes allows.
  ['the rules of an inline anchor use tables too', 'table <friends> { 198.51.100.7 }\nanchor "ssh" {\n  pass in quick proto tcp from <friends> to port 22\n}\n', ['table friends (allow): 1 + 0'], [], 'table <friends> { 198.51.100.7 }\nanchor "ssh" {\n  pass in quick proto tcp from <friends> to port 22\n}\n'],
];

for (const [rule, text, counts, findings, fixedAll] of cases) {
  test(`pf.conf(5): ${rule}`, () => {
    const { document, result } = read(text);
    assert.deepEqual(tables(text), counts, 'what each table holds');
    assert.deepEqual(
      result.findings.filter((f) => f.code !== 'special-purpose').map((f) => `L${f.line + 1} ${f.code}`),
      findings,
    );
    assert.equal(applyEdits(text, fixAll(document, result.facts)), fixedAll);
  });
}

test('pf.conf(5): the addresses of the manual’s <goodguys> table, one by one', () => {
  const text = 'table <goodguys> { 192.0.2.0/24, !192.0.2.5 }\n';
  assert.deepEqual(holds(text, 'goodguys', ['192.0.2.4', '192.0.2.5', '192.0.2.6', '192.0.2.255', '192.0.3.0']), [true, false, true, true, false]);
});

test('pf.conf(5): 172.16/12 is 172.16.0.0/12 to the hover and the fixes', () => {
  const { document } = read('table <private> { 172.16/12 }\n');
  const t = document.entries;
  assert.deepEqual([t.count, t.prefix[0], document.text.slice(t.start[0], t.end[0])], [1, 12, '172.16/12']);
  assert.deepEqual(holds(document.text, 'private', ['172.15.255.255', '172.16.0.0', '172.31.255.255', '172.32.0.0']), [false, true, true, false]);
});
