/**
 * nftables as nft evaluates it (issue 9), one table row a case: each named
 * set or map a union of its own, each chain's rules by the first match with
 * destinations apart, sets used only to accept are allowlists, rules that
 * match on more than the address are conditional, and what nft's loader
 * rejects (overlapping intervals without auto-merge, a prefix or range
 * without `flags interval`, an element of the other family) is an error.
 * test/oracle/nftables.test.ts holds the same reading to the real nft.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import { nftables } from '../../server/src/core/formats/nftables';

function read(text: string) {
  const document = parseDocument(text, nftables);
  return { document, result: audit(document) };
}

/** Each scope holding entries: `<label>: <addresses it blocks>`, and ` (allow)` for an allowlist. */
function scopeCounts(text: string): string[] {
  const { document, result } = read(text);
  return result.facts.scopeSets.map(({ scope, blocked4, blocked6 }) => {
    const { label, role } = document.scopes[scope];
    return `${label}: ${blocked4.size() + blocked6.size()}${role === 'allow' ? ' (allow)' : ''}`;
  });
}

/** A set in table `ip t` with the given settings and elements. */
const set = (name: string, settings: string, elements: string) => `table ip t {\n  set ${name} {\n    ${settings}\n    elements = { ${elements} }\n  }\n}\n`;

/** (what it shows, text, each scope's count, findings as `L<line> <code>` (no special-purpose; on a line, the loader's rejections first), the text after Fix all). */
// oxfmt-ignore
const cases: [name: string, text: string, scopes: string[], findings: string[], fixedAll: string][] = [
  // nft -c: "conflicting intervals specified" on 1.2.3.4; Fix all removes the covered element, which is also what makes the set load.
  ['an interval set without auto-merge rejects an element inside another', set('a', 'type ipv4_addr; flags interval', '1.2.3.0/24, 1.2.3.4'), ['set ip t a: 256'], ['L4 loader-rejects', 'L4 covered'], set('a', 'type ipv4_addr; flags interval', '1.2.3.0/24')],
  ['with auto-merge it loads', set('a', 'type ipv4_addr; flags interval; auto-merge', '1.2.3.0/24, 1.2.3.4'), ['set ip t a: 256'], ['L4 covered'], set('a', 'type ipv4_addr; flags interval; auto-merge', '1.2.3.0/24')],
  ['auto-merge after the elements counts as well', 'table ip t {\n  set a {\n    type ipv4_addr; flags interval\n    elements = { 1.2.3.0/24, 1.2.3.4 }\n    auto-merge\n  }\n}\n', ['set ip t a: 256'], ['L4 covered'], 'table ip t {\n  set a {\n    type ipv4_addr; flags interval\n    elements = { 1.2.3.0/24 }\n    auto-merge\n  }\n}\n'],
  // Equal elements and adjacent ones load; ranges that share one address do not.
  ['equal and adjacent intervals load', set('a', 'type ipv4_addr; flags interval', '1.2.3.0/25, 1.2.3.0/25, 1.2.3.128/25'), ['set ip t a: 256'], ['L4 duplicate', 'L4 mergeable'], set('a', 'type ipv4_addr; flags interval', '1.2.3.0/25, 1.2.3.128/25')],
  ['ranges that share an address', set('a', 'type ipv4_addr; flags interval', '1.2.3.0-1.2.3.5, 1.2.3.5-1.2.3.9'), ['set ip t a: 10'], ['L4 loader-rejects', 'L4 partial-overlap'], set('a', 'type ipv4_addr; flags interval', '1.2.3.0-1.2.3.5, 1.2.3.5-1.2.3.9')],
  ['a prefix holding an earlier element: the later one is rejected', set('a', 'typeof ip saddr; flags interval', '1.2.3.4, 1.2.3.0/24'), ['set ip t a: 256'], ['L4 loader-rejects', 'L4 covered'], set('a', 'typeof ip saddr; flags interval', '1.2.3.0/24')],
  // Across commands too: the element of `add element` conflicts with the set's own.
  // Fix all takes an `add element` command away with its last element: `add element ip t a { }` would be rejected.
  ['add element into an interval set', `${set('a', 'type ipv4_addr; flags interval', '1.2.3.0/24')}add element ip t a { 1.2.3.4 }\nadd element ip t a { 1.2.3.0/24 }\n`, ['set ip t a: 256'], ['L7 loader-rejects', 'L7 covered', 'L8 duplicate'], set('a', 'type ipv4_addr; flags interval', '1.2.3.0/24')],
  // Without flags interval: a prefix (even /32) or a range is rejected; single addresses, repeated, load.
  ['prefixes and ranges need flags interval', set('h', 'type ipv4_addr', '1.2.3.4, 1.2.3.4, 5.6.7.1/32, 5.6.7.0/30, 9.9.9.1-9.9.9.2'), ['set ip t h: 7'], ['L4 loader-rejects', 'L4 loader-rejects', 'L4 loader-rejects', 'L4 duplicate', 'L4 covered'], set('h', 'type ipv4_addr', '1.2.3.4, 5.6.7.0/30, 9.9.9.1-9.9.9.2')],
  ['an element of the other family', 'table inet t {\n  set v6 {\n    type ipv6_addr\n    elements = { 2001:db8::1, ::ffff:1.2.3.4, 1.2.3.4 }\n  }\n}\n', ['set inet t v6: 3'], ['L4 loader-rejects'], 'table inet t {\n  set v6 {\n    type ipv6_addr\n    elements = { 2001:db8::1, ::ffff:1.2.3.4, 1.2.3.4 }\n  }\n}\n'],
  // Concatenations are tuples, and sets declared elsewhere have unknown flags: no loader check.
  // A tuple's address decides only with its port: conditional, so nothing is a duplicate of a tuple of another port (nft 1.0.6 keeps `1.2.3.4 . 443` beside `1.2.3.4 . 22`).
  ['a concatenation is not checked, and its elements are conditional', set('c', 'type ipv4_addr . inet_service; flags interval', '1.2.3.0/24 . 22, 1.2.3.4 . 443, 1.2.3.4 . 22'), [], ['L4 conditional', 'L4 conditional', 'L4 conditional'], set('c', 'type ipv4_addr . inet_service; flags interval', '1.2.3.0/24 . 22, 1.2.3.4 . 443, 1.2.3.4 . 22')],
  // A map of marks maps its keys, it blocks none: no merge of keys whose values differ.
  ['a map of marks blocks nothing', 'table ip t {\n  map marks {\n    type ipv4_addr : mark; flags interval\n    elements = { 5.6.7.0/25 : 0x1, 5.6.7.128/25 : 0x2 }\n  }\n}\n', [], ['L4 conditional', 'L4 conditional'], 'table ip t {\n  map marks {\n    type ipv4_addr : mark; flags interval\n    elements = { 5.6.7.0/25 : 0x1, 5.6.7.128/25 : 0x2 }\n  }\n}\n'],
  // In a verdict map only drop blocks and accept allows; jump, goto, return and continue leave the decision to other rules (a packet the kernel sends to `continue` from 1.2.3.0/24 passes here).
  ['a verdict map decides by drop and accept alone', 'table ip t {\n  map v {\n    type ipv4_addr : verdict; flags interval\n    elements = { 1.2.3.0/24 : continue, 5.6.7.0/24 : drop, 5.6.8.0/24 : drop, 9.9.9.9 : jump lan, 8.8.8.8 : accept }\n  }\n}\n', ['map ip t v: 512'], ['L4 conditional', 'L4 conditional'], 'table ip t {\n  map v {\n    type ipv4_addr : verdict; flags interval\n    elements = { 1.2.3.0/24 : continue, 5.6.7.0/24 : drop, 5.6.8.0/24 : drop, 9.9.9.9 : jump lan, 8.8.8.8 : accept }\n  }\n}\n'],
  // A jump decides by the chain it calls, and the rules after it decide what that chain returns (checked with packets: 10.6.6.6 is dropped): nothing after a jump is covered by it. The jump is not followed, so what comes after it in its chain is conditional.
  ['a jump decides nothing itself', 'table inet f {\n  chain lan {\n    tcp dport 22 accept\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 10.0.0.0/8 jump lan\n    ip saddr 10.6.6.6 drop\n    ip saddr 10.7.0.0/16 goto lan\n    ip saddr 10.8.0.0/16 return\n  }\n}\n', [], ['L7 conditional', 'L8 conditional', 'L9 conditional', 'L10 conditional'], 'table inet f {\n  chain lan {\n    tcp dport 22 accept\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 10.0.0.0/8 jump lan\n    ip saddr 10.6.6.6 drop\n    ip saddr 10.7.0.0/16 goto lan\n    ip saddr 10.8.0.0/16 return\n  }\n}\n'],
  // What a later flush or delete empties decides nothing (nft lists 5.6.7.8 and 1.2.3.4 once, the first 1.2.3.4 gone with the flush): the element added again is no duplicate.
  ['a flush takes away what came before it', `${set('bl', 'type ipv4_addr', '1.2.3.4, 9.9.9.9')}table ip u {\n  chain c {\n    ip saddr 7.7.7.7 drop\n  }\n}\nflush set ip t bl\ndelete table ip u\nadd element ip t bl { 1.2.3.4, 5.6.7.8 }\n`, ['set ip t bl: 2'], ['L4 conditional', 'L4 conditional', 'L9 conditional'], `${set('bl', 'type ipv4_addr', '1.2.3.4, 9.9.9.9')}table ip u {\n  chain c {\n    ip saddr 7.7.7.7 drop\n  }\n}\nflush set ip t bl\ndelete table ip u\nadd element ip t bl { 1.2.3.4, 5.6.7.8 }\n`],
  // nft -c: "Could not resolve hostname: Address family for hostname not supported": an address of the other family in a rule is refused, not counted.
  ['an address of the other family in a rule', 'table inet f {\n  chain input {\n    ip saddr 2001:db8::1 drop\n    ip saddr { 1.2.3.4, 2001:db8::2 } drop\n    ip6 saddr 5.6.7.8 drop\n  }\n}\n', ['chain inet f input: 1'], [], 'table inet f {\n  chain input {\n    ip saddr 2001:db8::1 drop\n    ip saddr { 1.2.3.4, 2001:db8::2 } drop\n    ip6 saddr 5.6.7.8 drop\n  }\n}\n'],
  ['flush ruleset first takes nothing away', `flush ruleset\n${set('bl', 'type ipv4_addr', '1.2.3.4, 1.2.3.4')}`, ['set ip t bl: 1'], ['L5 duplicate'], `flush ruleset\n${set('bl', 'type ipv4_addr', '1.2.3.4')}`],
  ['a set declared elsewhere is not checked', 'add element inet filter bl { 1.2.3.0/24, 5.6.7.8 }\n', ['set inet filter bl: 257'], [], 'add element inet filter bl { 1.2.3.0/24, 5.6.7.8 }\n'],
  // A verdict map: an element mapped to accept allows; overlapping intervals are rejected, and a map takes no auto-merge.
  ['a verdict map', 'table ip t {\n  map m {\n    type ipv4_addr : verdict; flags interval\n    elements = { 1.2.3.0/24 : drop, 1.2.3.4 : accept, 5.6.7.8 : accept }\n  }\n}\n', ['map ip t m: 256'], ['L4 loader-rejects'], 'table ip t {\n  map m {\n    type ipv4_addr : verdict; flags interval\n    elements = { 1.2.3.0/24 : drop, 1.2.3.4 : accept, 5.6.7.8 : accept }\n  }\n}\n'],
  // Two tables, two sets of one name: nothing crosses them.
  ['sets of two tables', `${set('s', 'type ipv4_addr; flags interval', '1.2.3.0/24')}table inet u {\n  set s {\n    type ipv4_addr\n    elements = { 1.2.3.4 }\n  }\n}\n`, ['set ip t s: 256', 'set inet u s: 1'], [], `${set('s', 'type ipv4_addr; flags interval', '1.2.3.0/24')}table inet u {\n  set s {\n    type ipv4_addr\n    elements = { 1.2.3.4 }\n  }\n}\n`],
  // Chains: the first match decides; a rule after one that decides all its addresses the other way never fires.
  ['a chain decides by the first match', 'table inet f {\n  chain input {\n    ip saddr 1.2.3.4 drop\n    ip saddr 1.2.3.0/24 accept\n    ip saddr 1.2.3.0/24 drop\n    ip saddr { 5.6.7.0/24, 5.6.7.8 } counter drop\n  }\n}\n', ['chain inet f input: 257'], ['L5 shadowed', 'L6 covered'], 'table inet f {\n  chain input {\n    ip saddr 1.2.3.4 drop\n    ip saddr 1.2.3.0/24 accept\n    ip saddr 1.2.3.0/24 drop\n    ip saddr { 5.6.7.0/24 } counter drop\n  }\n}\n'],
  // Conditional: a port, an interface, a state, a limit, !=, a source and a destination at once. Counters, logs, comments and reject's options are not conditions.
  ['rules that match on more are conditional', 'table inet f {\n  chain input {\n    tcp dport 22 ip saddr 1.2.3.4 drop\n    iifname "eth0" ip saddr 1.2.3.5 drop\n    ct state new ip saddr 1.2.3.6 drop\n    ip saddr 1.2.3.7 limit rate 10/second accept\n    ip saddr 5.6.7.8 counter packets 0 bytes 0 log prefix "bad " comment "x" reject with icmp type host-unreachable\n    ip saddr != 1.2.3.8 drop\n    ip saddr 1.2.3.9 ip daddr 10.0.0.1 drop\n  }\n}\n', ['chain inet f input: 1'], ['L3 conditional', 'L4 conditional', 'L5 conditional', 'L6 conditional', 'L8 conditional', 'L9 conditional', 'L9 conditional'], 'table inet f {\n  chain input {\n    tcp dport 22 ip saddr 1.2.3.4 drop\n    iifname "eth0" ip saddr 1.2.3.5 drop\n    ct state new ip saddr 1.2.3.6 drop\n    ip saddr 1.2.3.7 limit rate 10/second accept\n    ip saddr 5.6.7.8 counter packets 0 bytes 0 log prefix "bad " comment "x" reject with icmp type host-unreachable\n    ip saddr != 1.2.3.8 drop\n    ip saddr 1.2.3.9 ip daddr 10.0.0.1 drop\n  }\n}\n'],
  // Destinations are a scope of their own beside the chain's sources: no covered across them.
  ['daddr rules apart from saddr rules', 'table inet f {\n  chain output {\n    ip saddr 5.6.7.0/24 drop\n    ip daddr 5.6.7.8 drop\n  }\n}\n', ['chain inet f output: 256', 'chain inet f output (daddr): 1'], [], 'table inet f {\n  chain output {\n    ip saddr 5.6.7.0/24 drop\n    ip daddr 5.6.7.8 drop\n  }\n}\n'],
  // A set used only to accept is an allowlist; `!= @S drop` drops all but S, so S allows too; a set used to drop blocks what reaches its rule: not 1.2.3.4, which ok accepts first (conditional).
  ['sets by the rules that use them', `table inet f {\n  set ok {\n    type ipv4_addr\n    elements = { 1.2.3.4 }\n  }\n  set only {\n    type ipv4_addr\n    elements = { 1.2.3.5 }\n  }\n  set bad {\n    type ipv4_addr\n    elements = { 1.2.3.4, 5.6.7.8 }\n  }\n  chain input {\n    ip saddr @ok accept\n    ip saddr @bad drop\n    ip saddr != @only drop\n  }\n}\nadd rule inet f input tcp dport 22 ip saddr @bad drop\n`, ['set inet f ok: 1 (allow)', 'set inet f only: 1 (allow)', 'set inet f bad: 1'], ['L12 conditional'], `table inet f {\n  set ok {\n    type ipv4_addr\n    elements = { 1.2.3.4 }\n  }\n  set only {\n    type ipv4_addr\n    elements = { 1.2.3.5 }\n  }\n  set bad {\n    type ipv4_addr\n    elements = { 1.2.3.4, 5.6.7.8 }\n  }\n  chain input {\n    ip saddr @ok accept\n    ip saddr @bad drop\n    ip saddr != @only drop\n  }\n}\nadd rule inet f input tcp dport 22 ip saddr @bad drop\n`],
  // A set's elements decide at the rule that names it (the kernel accepts 1.2.3.4 here, drops 1.2.3.5 and 6.6.6.6): a rule after it holding any of the set's addresses is conditional, never counted or the cause of a removal; one holding none decides. Destinations are a scope of their own.
  ['a rule naming a set decides at its place: what follows holding its addresses is conditional', 'table inet f {\n  set allow { type ipv4_addr; elements = { 1.2.3.4 } }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 1.2.3.4 drop\n    ip saddr @allow accept\n    ip saddr 1.2.3.0/24 drop\n    ip saddr 6.6.6.6 drop\n    ip daddr 5.6.7.8 drop\n  }\n}\n', ['set inet f allow: 1 (allow)', 'chain inet f input: 2', 'chain inet f input (daddr): 1'], ['L7 conditional'], 'table inet f {\n  set allow { type ipv4_addr; elements = { 1.2.3.4 } }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 1.2.3.4 drop\n    ip saddr @allow accept\n    ip saddr 1.2.3.0/24 drop\n    ip saddr 6.6.6.6 drop\n    ip daddr 5.6.7.8 drop\n  }\n}\n'],
  // A verdict without an address in a base chain of type filter (`counter accept`: the kernel passes 1.2.3.5) decides every address that reaches it: an entry of every address, before the rules after it; destinations are decided by it too, so their rules after it are conditional. One for some traffic (`tcp dport 22`) decides nothing as such.
  ['a verdict without an address decides every address that reaches it', 'table inet f {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 1.2.3.4 drop\n    tcp dport 22 accept\n    ip saddr 5.6.7.8 drop\n    counter accept\n    ip saddr 1.2.3.0/24 drop\n    ip daddr 9.9.9.9 drop\n  }\n}\n', ['chain inet f input: 2'], ['L8 shadowed', 'L9 conditional'], 'table inet f {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 1.2.3.4 drop\n    tcp dport 22 accept\n    ip saddr 5.6.7.8 drop\n    counter accept\n    ip saddr 1.2.3.0/24 drop\n    ip daddr 9.9.9.9 drop\n  }\n}\n'],
  // In a chain without a hook (entered only by jumps, not followed) it is not counted, and ends the order; in a base chain it is (all but 1.2.3.4), and the rules after it never take effect: Fix all removes the drop it covers.
  ['a verdict without an address in a base chain and in a user chain', 'table ip f {\n  chain u {\n    drop\n    ip saddr 1.2.3.4 drop\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 1.2.3.4 accept\n    counter drop\n    ip saddr 5.6.7.8 drop\n    counter drop\n  }\n}\n', ['chain ip f input: 4294967295'], ['L4 conditional', 'L9 overbroad', 'L9 protected', 'L10 covered', 'L11 shadowed'], 'table ip f {\n  chain u {\n    drop\n    ip saddr 1.2.3.4 drop\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 1.2.3.4 accept\n    counter drop\n    counter drop\n  }\n}\n'],
  // So do a verdict map, a negation (`!= 10.0.0.0/8 accept` accepts every source outside 10.0.0.0/8) and a jump, in the dimension and family they match on (an IPv4 match decides nothing for IPv6).
  ['verdict maps, negations and jumps end the order of their dimension', 'table inet f {\n  chain a {\n    ip saddr vmap { 1.2.3.4 : accept }\n    ip saddr 1.2.3.0/24 drop\n  }\n  chain b {\n    ip saddr != 10.0.0.0/8 accept\n    ip saddr 10.1.2.3 drop\n    ip6 saddr 2001:db8::1 drop\n    ip daddr 5.6.7.9 drop\n  }\n  chain c {\n    jump a\n    ip saddr 7.7.7.7 drop\n  }\n}\n', ['chain inet f b: 1', 'chain inet f b (daddr): 1'], ['L4 conditional', 'L7 conditional', 'L8 conditional', 'L14 conditional'], 'table inet f {\n  chain a {\n    ip saddr vmap { 1.2.3.4 : accept }\n    ip saddr 1.2.3.0/24 drop\n  }\n  chain b {\n    ip saddr != 10.0.0.0/8 accept\n    ip saddr 10.1.2.3 drop\n    ip6 saddr 2001:db8::1 drop\n    ip daddr 5.6.7.9 drop\n  }\n  chain c {\n    jump a\n    ip saddr 7.7.7.7 drop\n  }\n}\n'],
  // add rule: the rule's chain and its table's sets, with or without the family.
  // Fix all takes a rule away with its only address: `add rule inet f input ip saddr drop` would match every source. A rule put at a position goes before a rule the file does not know: its chain's order is not the file's, so its entries are conditional.
  ['add rule names its chain', 'add rule inet f input ip saddr 1.2.3.0/24 drop\nadd rule inet f input ip saddr 1.2.3.4 drop\nadd rule f input position 3 ip saddr 1.2.3.4 drop\n', ['chain inet f input: 256'], ['L2 covered', 'L3 conditional'], 'add rule inet f input ip saddr 1.2.3.0/24 drop\nadd rule f input position 3 ip saddr 1.2.3.4 drop\n'],
  // A fragment of rules outside any chain: the file's own scope, by the first match.
  ['a fragment of rules', 'ip saddr 1.2.3.4 accept\nip saddr 1.2.3.0/24 drop\n', ['the file: 255'], [], 'ip saddr 1.2.3.4 accept\nip saddr 1.2.3.0/24 drop\n'],
  // A `}` that closes nothing is stepped over: what follows is still read.
  ['a stray brace', `}\n${set('a', 'type ipv4_addr', '1.2.3.4')}`, ['set ip t a: 1'], [], `}\n${set('a', 'type ipv4_addr', '1.2.3.4')}`],
  // `#` comments never yield addresses: in an element list, after a rule, a rule commented out; nor do comment strings.
  ['comments hold no address', 'table inet f {\n  set bl {\n    type ipv4_addr; flags interval\n    elements = { 1.2.3.4, # 8.8.8.8\n                 # 8.8.4.4,\n                 5.6.7.8 comment "9.9.9.9" }\n  }\n  chain input {\n    ip saddr 1.2.4.1 drop # 8.8.8.8\n    # ip saddr 8.8.8.8 drop\n    ip saddr { 2.2.2.2, # 8.8.8.8\n      3.3.3.3 } drop\n  }\n}\n', ['set inet f bl: 2', 'chain inet f input: 3'], [], 'table inet f {\n  set bl {\n    type ipv4_addr; flags interval\n    elements = { 1.2.3.4, # 8.8.8.8\n                 # 8.8.4.4,\n                 5.6.7.8 comment "9.9.9.9" }\n  }\n  chain input {\n    ip saddr 1.2.4.1 drop # 8.8.8.8\n    # ip saddr 8.8.8.8 drop\n    ip saddr { 2.2.2.2, # 8.8.8.8\n      3.3.3.3 } drop\n  }\n}\n'],
  // nft 1.0.6 (nft -f, then nft list ruleset): set a holds 1.2.3.4 for good, b 9.9.8.0/24 for good and 9.9.9.0/24 for an hour, c every element for an hour (`timeout 0s` takes the set's).
  // Removing the second 1.2.3.4 as a duplicate would unblock it in an hour; merging b's two /24s would make the second permanent.
  ['an element that expires blocks for a while: no permanent element is its duplicate or merged with it', 'table inet f {\n  set a {\n    type ipv4_addr; flags timeout\n    elements = { 1.2.3.4 timeout 1h, 1.2.3.4 }\n  }\n  set b {\n    type ipv4_addr; flags interval, timeout\n    elements = { 9.9.8.0/24, 9.9.9.0/24 timeout 1h expires 59m }\n  }\n  set c {\n    type ipv4_addr; timeout 1h\n    elements = { 5.6.7.8, 5.6.7.9 timeout 0s }\n  }\n}\n', ['set inet f a: 1', 'set inet f b: 256'], ['L4 conditional', 'L8 conditional', 'L12 conditional', 'L12 conditional'], 'table inet f {\n  set a {\n    type ipv4_addr; flags timeout\n    elements = { 1.2.3.4 timeout 1h, 1.2.3.4 }\n  }\n  set b {\n    type ipv4_addr; flags interval, timeout\n    elements = { 9.9.8.0/24, 9.9.9.0/24 timeout 1h expires 59m }\n  }\n  set c {\n    type ipv4_addr; timeout 1h\n    elements = { 5.6.7.8, 5.6.7.9 timeout 0s }\n  }\n}\n'],
  // A chain without a hook sees only what jumps send it. `jump bl` alone in a base chain sends it all its traffic: bl decides as its own scope says (the kernel drops 5.5.5.9).
  ['a chain a whole jump enters', `table inet f {\n  chain bl {\n    ip saddr 5.5.5.0/24 drop\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    jump bl\n  }\n}\n`, ['chain inet f bl: 256'], [], `table inet f {\n  chain bl {\n    ip saddr 5.5.5.0/24 drop\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    jump bl\n  }\n}\n`],
  // What its caller accepts first never gets there (the kernel passes 5.5.5.5): bl's entries holding any of it are conditional, the others decide.
  ['what the caller accepts never reaches the chain', `table inet f {\n  chain bl {\n    ip saddr 5.5.5.0/24 drop\n    ip saddr 6.6.6.0/24 drop\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 5.5.5.5 accept\n    ct state established accept\n    goto bl\n  }\n}\n`, ['chain inet f bl: 256', 'chain inet f input: 0'], ['L3 conditional'], `table inet f {\n  chain bl {\n    ip saddr 5.5.5.0/24 drop\n    ip saddr 6.6.6.0/24 drop\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 5.5.5.5 accept\n    ct state established accept\n    goto bl\n  }\n}\n`],
  // Only ssh traffic enters f2b (fail2ban's shape), only 10.0.0.0/8 enters lan, mid sends bl what it gets itself, and a verdict map sends vm 1.2.3.4 alone: conditional all, as the jump with an address is itself (the kernel passes TCP from 7.7.7.7 to port 80).
  ['a chain that jumps send only some traffic', `table inet f {\n  chain f2b {\n    ip saddr 7.7.7.7 drop\n  }\n  chain lan {\n    ip saddr 10.1.0.0/16 drop\n  }\n  chain bl {\n    ip saddr 8.8.8.0/24 drop\n  }\n  chain mid {\n    jump bl\n  }\n  chain vm {\n    ip saddr 1.2.3.0/24 drop\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    tcp dport 22 jump f2b\n    ip saddr 10.0.0.0/8 jump lan\n    jump mid\n    ip saddr vmap { 1.2.3.4 : jump vm }\n  }\n}\n`, [], ['L3 conditional', 'L6 conditional', 'L9 conditional', 'L15 conditional', 'L20 conditional'], `table inet f {\n  chain f2b {\n    ip saddr 7.7.7.7 drop\n  }\n  chain lan {\n    ip saddr 10.1.0.0/16 drop\n  }\n  chain bl {\n    ip saddr 8.8.8.0/24 drop\n  }\n  chain mid {\n    jump bl\n  }\n  chain vm {\n    ip saddr 1.2.3.0/24 drop\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    tcp dport 22 jump f2b\n    ip saddr 10.0.0.0/8 jump lan\n    jump mid\n    ip saddr vmap { 1.2.3.4 : jump vm }\n  }\n}\n`],
  // What a set accepts before the jump never reaches bl: its entry holding 9.9.9.9 is conditional, the other decides.
  ['a jump after a rule that accepts a set', `table inet f {\n  set ok { type ipv4_addr; elements = { 9.9.9.9 } }\n  chain bl {\n    ip saddr 9.9.9.0/24 drop\n    ip saddr 6.6.6.0/24 drop\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr @ok accept\n    jump bl\n  }\n}\n`, ['set inet f ok: 1 (allow)', 'chain inet f bl: 256'], ['L4 conditional'], `table inet f {\n  set ok { type ipv4_addr; elements = { 9.9.9.9 } }\n  chain bl {\n    ip saddr 9.9.9.0/24 drop\n    ip saddr 6.6.6.0/24 drop\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr @ok accept\n    jump bl\n  }\n}\n`],
  // A set decides for the traffic of the rules naming it: ssh only names ssh traffic (the kernel passes TCP from 1.2.3.4 to port 80), so its element is conditional; bl is named under a port too, but also alone, so it blocks.
  ['a set only rules with a further condition name', `table inet f {\n  set ssh { type ipv4_addr; elements = { 1.2.3.4 } }\n  set bl { type ipv4_addr; elements = { 5.6.7.8 } }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    tcp dport 22 ip saddr @ssh drop\n    iifname "eth0" ip saddr @bl drop\n    ip saddr @bl drop\n  }\n}\n`, ['set inet f bl: 1'], ['L2 conditional'], `table inet f {\n  set ssh { type ipv4_addr; elements = { 1.2.3.4 } }\n  set bl { type ipv4_addr; elements = { 5.6.7.8 } }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    tcp dport 22 ip saddr @ssh drop\n    iifname "eth0" ip saddr @bl drop\n    ip saddr @bl drop\n  }\n}\n`],
  // nft 1.0.6 loads `insert rule` at the chain's start (nft list ruleset: 9.9.9.9 accept, then 9.9.9.0/24 drop): the chain's order is not the file's, so its entries are conditional. What `delete element` and `delete rule` take away is not followed: the set's elements before it are conditional (nft keeps 5.6.7.8 here, as it was added in the same batch; in a set loaded before, it goes).
  ['insert rule and delete element', 'table inet f {\n  set bl { type ipv4_addr; flags interval; elements = { 1.2.3.0/24, 5.6.7.8 } }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 9.9.9.0/24 drop\n  }\n}\ninsert rule inet f input ip saddr 9.9.9.9 accept\ndelete element inet f bl { 5.6.7.8 }\n', [], ['L2 conditional', 'L2 conditional', 'L5 conditional', 'L8 conditional'], 'table inet f {\n  set bl { type ipv4_addr; flags interval; elements = { 1.2.3.0/24, 5.6.7.8 } }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 9.9.9.0/24 drop\n  }\n}\ninsert rule inet f input ip saddr 9.9.9.9 accept\ndelete element inet f bl { 5.6.7.8 }\n'],
  // The same for a rule naming a set: the accept inserted before it lets 5.5.5.5 through (found by the chain oracle, seed 1064771312), so the set's element is conditional too.
  ['a set named in a chain a rule is inserted into', 'table inet f {\n  set bl { type ipv4_addr; flags interval; elements = { 5.5.5.0/24 } }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr @bl drop\n  }\n}\ninsert rule inet f input ip saddr 5.5.5.5 accept\n', [], ['L2 conditional', 'L8 conditional'], 'table inet f {\n  set bl { type ipv4_addr; flags interval; elements = { 5.5.5.0/24 } }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr @bl drop\n  }\n}\ninsert rule inet f input ip saddr 5.5.5.5 accept\n'],
  // A verdict alone on its line is a rule, no item of a list: its removal takes its line, where it took the next rule's and left a comma nft refuses (found by the chain oracle, seed 1053266019).
  ['a repeated verdict is removed with its line', 'table inet f {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    drop\n    drop\n    ip saddr 10.0.0.32/28 accept\n    ip saddr 10.0.0.0/26 reject\n  }\n}\n', ['chain inet f input: 340282366920938463463374607436063178752'], ['L4 overbroad', 'L4 protected', 'L4 overbroad', 'L4 protected', 'L5 duplicate', 'L6 shadowed', 'L7 covered'], 'table inet f {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    drop\n    ip saddr 10.0.0.32/28 accept\n  }\n}\n'],
];

for (const [name, text, scopes, findings, fixedAll] of cases) {
  test(`nftables: ${name}`, () => {
    const { document, result } = read(text);
    assert.deepEqual(scopeCounts(text), scopes, 'scopes');
    assert.deepEqual(
      result.findings.filter((f) => f.entry !== undefined && f.code !== 'special-purpose').map((f) => `L${f.line + 1} ${f.code}`),
      findings,
    );
    assert.equal(applyEdits(text, fixAll(document, result.facts)), fixedAll);
  });
}

// The fuzz suite's blocks nest up to 5,000 deep; a reader that recursed per block overflowed the stack well before 20,000.
test('blocks nested 20,000 deep are read, and each closing brace brings back the table around it', () => {
  const depth = 20_000;
  const text = `table ip outer {\n${'table ip t {\n'.repeat(depth)}${'}\n'.repeat(depth)}  set s {\n    type ipv4_addr\n    elements = { 1.2.3.4 }\n  }\n}\n`;
  assert.deepEqual(scopeCounts(text), ['set ip outer s: 1']);
});

test('no address of a comment is read', () => {
  const { document } = read(cases.find(([name]) => name === 'comments hold no address')![1]);
  const texts = Array.from({ length: document.entries.count }, (_, k) => document.text.slice(document.entries.start[k], document.entries.end[k]));
  assert.deepEqual(texts, ['1.2.3.4', '5.6.7.8', '1.2.4.1', '2.2.2.2', '3.3.3.3']);
});

/** The loader-rejects findings of `text`: message, and the related places as `L<line> <message>`. */
function rejections(text: string): [string, string[]][] {
  return read(text)
    .result.findings.filter((f) => f.code === 'loader-rejects')
    .map((f) => {
      assert.equal(f.severity, 'error');
      return [f.message, (f.related ?? []).map((r) => `L${r.line + 1} ${text.slice(r.start, r.end)}: ${r.message}`)];
    });
}

test('what nft rejects is said with its numbers, the fix, and the line it conflicts with', () => {
  assert.deepEqual(rejections(`${set('a', 'type ipv4_addr; flags interval', '1.2.3.0/24')}add element ip t a { 1.2.3.4 }\n`), [
    [
      'nft rejects this set: 1.2.3.4 lies inside 1.2.3.0/24 (line 4) and the set has no auto-merge. Add "auto-merge;" to the set or remove one of them.',
      ['L4 1.2.3.0/24: Conflicting interval.'],
    ],
  ]);
  assert.deepEqual(rejections(set('a', 'type ipv4_addr; flags interval', '1.2.3.4, 1.2.3.0/24, 1.2.4.0-1.2.4.9, 1.2.4.5-1.2.4.20')), [
    [
      'nft rejects this set: 1.2.3.0/24 holds 1.2.3.4 (line 4) and the set has no auto-merge. Add "auto-merge;" to the set or remove one of them.',
      ['L4 1.2.3.4: Conflicting interval.'],
    ],
    [
      'nft rejects this set: 1.2.4.5-1.2.4.20 overlaps 1.2.4.0-1.2.4.9 (line 4) and the set has no auto-merge. Add "auto-merge;" to the set or remove one of them.',
      ['L4 1.2.4.0-1.2.4.9: Conflicting interval.'],
    ],
  ]);
  assert.deepEqual(rejections(set('h', 'type ipv4_addr', '1.2.3.0/24, 5.6.7.1-5.6.7.2')), [
    [
      'nft rejects this set: 1.2.3.0/24 is a prefix, and set ip t h has no "flags interval". Add "flags interval;" to the set or list single addresses.',
      ['L2 h: Declared here without "flags interval".'],
    ],
    [
      'nft rejects this set: 5.6.7.1-5.6.7.2 is a range, and set ip t h has no "flags interval". Add "flags interval;" to the set or list single addresses.',
      ['L2 h: Declared here without "flags interval".'],
    ],
  ]);
  assert.deepEqual(rejections(set('v4', 'typeof ip saddr', '2001:db8::1')), [
    [
      'nft rejects this set: 2001:db8::1 is IPv6, and set ip t v4 holds IPv4 addresses (typeof ip saddr). Move it to a set of type ipv6_addr.',
      ['L2 v4: Declared here with typeof ip saddr.'],
    ],
  ]);
  assert.deepEqual(rejections('table ip t {\n  map m {\n    type ipv4_addr : verdict; flags interval\n    elements = { 1.2.3.0/24 : drop, 1.2.3.4 : accept }\n  }\n}\n'), [
    ['nft rejects this map: 1.2.3.4 lies inside 1.2.3.0/24 (line 4), and the intervals of a map must not overlap. Remove one of them.', ['L4 1.2.3.0/24: Conflicting interval.']],
  ]);
});

test('scopes are named as nft names them, and say how they decide', () => {
  const { document } = read(
    'table inet f {\n  set bl {\n    type ipv4_addr\n    elements = { 1.2.3.4 }\n  }\n  chain input {\n    ip saddr 5.6.7.8 drop\n    ip daddr 5.6.7.9 drop\n  }\n}\n',
  );
  assert.deepEqual(
    document.scopes.map((scope) => [scope.label, scope.evaluation, scope.role, scope.line + 1]),
    [
      ['the file', 'union', 'block', 0],
      ['set inet f bl', 'union', 'block', 2],
      ['chain inet f input', 'first-match', 'block', 6],
      ['chain inet f input (daddr)', 'first-match', 'block', 6],
    ],
  );
});

test('Aggregate File leaves a set without flags interval as it is: nft would reject a prefix in it', () => {
  const text = set('h', 'type ipv4_addr', '1.2.3.4, 1.2.3.5');
  const after = applyEdits(text, aggregate(read(text).document));
  assert.deepEqual(rejections(after), []);
  assert.equal(after, text);
});
