/**
 * nftables against the real nft (issue 9). Differential property test:
 * random rulesets with an `ip` table, an interval set with `auto-merge` and
 * one without (elements in the sets' blocks and in `add element` commands:
 * CIDRs, some with host bits, ranges and addresses in 10.0.0.0/26), and a
 * chain that uses both. For each, nft's loader (`nft -c -f`) accepts the
 * ruleset exactly when the product reports no `loader-rejects`; for the
 * rulesets it loads, set membership of the first, last and neighbouring
 * addresses of every element equals the product's scope sets; then Fix all
 * and Aggregate File are applied, and nft loads the result and gives the
 * same membership. The loader cases of test/core/nftables.test.ts are held
 * to `nft -c` too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatIPv4 } from '../../server/src/core/addresses/ipv4';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import { nftables } from '../../server/src/core/formats/nftables';
import { nftCheck, nftElementDecisions, requireOracle, type NftQuery } from './firewalls';

/** How many random rulesets the property checks (about 0.2 s each: one `nft -c`, and three loads when nft takes it). */
const RUNS = 100;

/** Whether the product says nft's loader rejects `text`. */
function productRejects(text: string): boolean {
  return audit(parseDocument(text, nftables)).findings.some((finding) => finding.code === 'loader-rejects');
}

/** Rulesets whose loading turns on the rules of `loaderChecks.ts`, each a whole file nft can be asked about. */
// oxfmt-ignore
const loaderCases: string[] = [
  'table ip t {\n  set a {\n    type ipv4_addr\n    flags interval\n    elements = { 1.2.3.0/24, 1.2.3.4 }\n  }\n}\n',
  'table ip t {\n  set a {\n    type ipv4_addr\n    flags interval\n    auto-merge\n    elements = { 1.2.3.0/24, 1.2.3.4 }\n  }\n}\n',
  'table ip t {\n  set a {\n    type ipv4_addr; flags interval\n    elements = { 1.2.3.0/24, 1.2.3.4 }\n    auto-merge\n  }\n}\n',
  'table ip t {\n  set a {\n    type ipv4_addr; flags interval\n    elements = { 1.2.3.0/25, 1.2.3.0/25, 1.2.3.128/25, 1.2.4.0-1.2.4.9, 1.2.4.10 }\n  }\n}\n',
  'table ip t {\n  set a {\n    typeof ip saddr; flags interval\n    elements = { 1.2.3.0-1.2.3.5, 1.2.3.5-1.2.3.9 }\n  }\n}\n',
  'table ip t {\n  set a {\n    type ipv4_addr; flags interval\n    elements = { 1.2.3.0/24 }\n  }\n}\nadd element ip t a { 1.2.3.0/24 }\n',
  'table ip t {\n  set a {\n    type ipv4_addr; flags interval\n    elements = { 1.2.3.0/24 }\n  }\n}\nadd element ip t a { 1.2.3.4 }\n',
  'table ip t {\n  set h {\n    type ipv4_addr\n    elements = { 1.2.3.4, 1.2.3.4, 5.6.7.8 }\n  }\n}\n',
  'table ip t {\n  set h {\n    type ipv4_addr\n    elements = { 1.2.3.4/32 }\n  }\n}\n',
  'table ip t {\n  set h {\n    type ipv4_addr\n    elements = { 1.2.3.4-1.2.3.4 }\n  }\n}\n',
  'table ip t {\n  set h {\n    type ipv4_addr\n    elements = { 1.2.3.4 }\n    flags interval\n  }\n}\nadd element ip t h { 5.6.7.0/24 }\n',
  'table inet t {\n  set v6 {\n    type ipv6_addr\n    elements = { 2001:db8::1, ::ffff:1.2.3.4 }\n  }\n}\n',
  'table inet t {\n  set v6 {\n    type ipv6_addr\n    elements = { 2001:db8::1, 1.2.3.4 }\n  }\n}\n',
  'table inet t {\n  set v4 {\n    typeof ip saddr\n    flags interval\n    elements = { 2001:db8::/32 }\n  }\n}\n',
  'table ip t {\n  map m {\n    type ipv4_addr : verdict; flags interval\n    elements = { 1.2.3.0/24 : drop, 1.2.4.4 : accept }\n  }\n}\n',
  'table ip t {\n  map m {\n    type ipv4_addr : verdict; flags interval\n    elements = { 1.2.3.0/24 : drop, 1.2.3.4 : accept }\n  }\n}\n',
  'table inet f {\n  set ok {\n    type ipv4_addr\n    elements = { 1.2.3.4 }\n  }\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr @ok accept\n    ip saddr 1.2.3.0/24 counter packets 0 bytes 0 log prefix "bad " drop\n    tcp dport 22 ip saddr { 5.6.7.0/24, 5.6.7.8 } reject with tcp reset\n    ip saddr != 1.2.3.8 ip daddr 10.0.0.1 drop # 8.8.8.8\n  }\n}\n',
];

test('nft -c loads a ruleset exactly when the product finds nothing its loader rejects', { timeout: 60_000 }, async () => {
  requireOracle('nft');
  for (const text of loaderCases) {
    const { ok, message } = await nftCheck(text);
    assert.equal(productRejects(text), !ok, `nft ${ok ? 'loads' : `rejects (${message})`}:\n${text}`);
  }
});

const BASE = 0x0a000000;

interface Element {
  lo: number;
  hi: number;
  text: string;
}

/** An element in 10.0.0.0/26: a CIDR (now and then with host bits, which nft clears), a range, or an address. */
const element: fc.Arbitrary<Element> = fc
  .oneof({ weight: 4, arbitrary: fc.tuple(fc.nat(63), fc.integer({ min: 26, max: 32 }), fc.boolean(), fc.nat(9)) }, { weight: 1, arbitrary: fc.tuple(fc.nat(63), fc.nat(63)) })
  .map((drawn): Element => {
    if (drawn.length === 2) {
      const [lo, hi] = [Math.min(...drawn), Math.max(...drawn)];
      return lo === hi ? { lo, hi, text: formatIPv4(BASE + lo) } : { lo, hi, text: `${formatIPv4(BASE + lo)}-${formatIPv4(BASE + hi)}` };
    }
    const [host, prefix, bare, hostBits] = drawn;
    const network = host & ~((1 << (32 - prefix)) - 1) & 63;
    const hi = network + 2 ** (32 - prefix) - 1;
    if (prefix === 32 && bare) return { lo: network, hi, text: formatIPv4(BASE + network) };
    return { lo: network, hi, text: `${formatIPv4(BASE + (hostBits === 0 ? host : network))}/${prefix}` };
  });

interface Ruleset {
  text: string;
  /** Every element of each set, for the probes. */
  elements: Record<'a' | 'b', Element[]>;
}

/**
 * Set `a` merges (auto-merge), set `b` does not; both hold 192.0.2.1, the
 * planted member. `add element` commands add to either, and a chain drops
 * what `a` holds and drops or accepts what `b` holds.
 */
const ruleset: fc.Arbitrary<Ruleset> = fc
  .record({
    a: fc.array(element, { maxLength: 6 }),
    b: fc.array(element, { maxLength: 4 }),
    added: fc.array(fc.tuple(fc.constantFrom<'a' | 'b'>('a', 'b'), fc.array(element, { minLength: 1, maxLength: 2 })), { maxLength: 2 }),
    verdict: fc.constantFrom('drop', 'accept'),
    // Equal elements load even without auto-merge: one of b's again, in its block or in a command.
    repeat: fc.option(fc.tuple(fc.nat(), fc.boolean()), { nil: undefined }),
  })
  .map(({ a, b, added, verdict, repeat }) => {
    if (repeat && b.length > 0) {
      const again = b[repeat[0] % b.length];
      if (repeat[1]) b = [...b, again];
      else added = [...added, ['b', [again]]];
    }
    const list = (elements: Element[]) => ['192.0.2.1', ...elements.map((e) => e.text)].join(', ');
    const text =
      `table ip t {\n  set a {\n    type ipv4_addr\n    flags interval\n    auto-merge\n    elements = { ${list(a)} }\n  }\n` +
      `  set b {\n    type ipv4_addr\n    flags interval\n    elements = { ${list(b)} }\n  }\n` +
      `  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr @a drop\n    ip saddr @b ${verdict}\n  }\n}\n` +
      added.map(([set, elements]) => `add element ip t ${set} { ${elements.map((e) => e.text).join(', ')} }\n`).join('');
    const elements = { a: [...a], b: [...b] };
    for (const [set, more] of added) elements[set].push(...more);
    return { text, elements };
  });

/** The first, last and neighbouring addresses of every element of `set`, inside 10.0.0.0/26 and just past it. */
function probes(set: 'a' | 'b', elements: readonly Element[]): NftQuery[] {
  const all = new Set<number>();
  for (const { lo, hi } of elements) for (const x of [lo - 1, lo, hi, hi + 1]) if (x >= 0 && x <= 64) all.add(x);
  return [...all].sort((x, y) => x - y).map((x) => ({ family: 'ip', table: 't', set, address: formatIPv4(BASE + x) }));
}

/** What the product says each set holds, for each query. */
function productMembership(text: string, queries: readonly NftQuery[]): boolean[] {
  const document = parseDocument(text, nftables);
  const { scopeSets } = audit(document).facts;
  return queries.map(({ set, address }) => {
    const scope = document.scopes.findIndex((s) => s.name === `set ip t ${set}`);
    const blocked = scopeSets.find((s) => s.scope === scope)?.blocked4;
    return blocked?.has(BASE + Number(address.split('.')[3])) ?? false;
  });
}

const controls = { member: { family: 'ip', table: 't', set: 'a', address: '192.0.2.1' }, nonMember: { family: 'ip', table: 't', set: 'a', address: '192.0.2.2' } };

test('random rulesets: nft loads exactly those without loader-rejects, with the product’s sets, also after Fix all and Aggregate File', { timeout: 120_000 }, async (t) => {
  requireOracle('nft');
  let loaded = 0;
  let rejected = 0;
  const changed = { 'Fix all': 0, 'Aggregate File': 0 };
  await fc.assert(
    fc.asyncProperty(ruleset, async ({ text, elements }) => {
      const { ok, message } = await nftCheck(text);
      assert.equal(productRejects(text), !ok, `nft ${ok ? 'loads' : `rejects (${message})`}, the product disagrees:\n${text}`);
      if (!ok) {
        rejected++;
        return;
      }
      loaded++;
      const queries = [...probes('a', elements.a), ...probes('b', elements.b)];
      const real = await nftElementDecisions(text, queries, controls);
      assert.deepEqual(productMembership(text, queries), real, `the product's sets differ from nft's:\n${text}`);
      // A command that held only a duplicate goes whole: `add element ip t b { }` would be rejected.
      const document = parseDocument(text, nftables);
      const fixes = { 'Fix all': fixAll(document, audit(document).facts), 'Aggregate File': aggregate(document) };
      for (const [name, edits] of Object.entries(fixes)) {
        const after = applyEdits(text, edits);
        if (after !== text) changed[name as keyof typeof changed]++;
        assert.deepEqual(await nftElementDecisions(after, queries, controls), real, `${name} changed what nft's sets hold:\n${text}\n→\n${after}`);
        assert.equal(productRejects(after), false, `after ${name} the product says nft rejects:\n${after}`);
      }
    }),
    { numRuns: RUNS },
  );
  t.diagnostic(
    `${loaded + rejected} random rulesets: ${rejected} rejected by nft and by the product; ${loaded} loaded, their membership checked, ` +
      `${changed['Fix all']} changed by Fix all and ${changed['Aggregate File']} by Aggregate File, each reloaded with the same membership`,
  );
});
