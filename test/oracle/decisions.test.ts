/**
 * Differential property tests against the real firewalls: random small files
 * in ipset, nginx and iptables-save syntax, with sets, exceptions and order
 * that matter; for the first, last and neighbouring addresses of every
 * entry, the product's decision equals the kernel's or the daemon's. Then
 * Fix all and Aggregate File are applied, the real tool loads the result,
 * and every one of those decisions stays as it was.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatIPv4 } from '../../server/src/core/addresses/ipv4';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import type { FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';
import { ipsetDecisions, iptablesPacketDecisions, nginxDecisions, requireOracle } from './firewalls';

/** How many random files each oracle checks (the closing note reports these). */
const RUNS = { ipset: 200, nginx: 80, iptables: 40 };

/** The random entries lie in 10.0.0.0/26; the planted controls in 192.0.2.0/24, apart from them. */
const BASE = 0x0a000000;
const cidr = fc.tuple(fc.nat(63), fc.integer({ min: 26, max: 32 })).map(([host, prefix]) => {
  const network = host & ~((1 << (32 - prefix)) - 1) & 63;
  return { lo: network, hi: network + 2 ** (32 - prefix) - 1, text: `${formatIPv4(BASE + network)}/${prefix}` };
});

/** What the product says the scope named `scope` blocks, for each address (numbers). */
function productDecisions(format: FormatId, text: string, scope: string, addresses: number[]): boolean[] {
  const document = parseDocument(text, formatById(format)!);
  const facts = audit(document).facts;
  const id = document.scopes.findIndex((s) => s.name === scope);
  const set = facts.scopeSets.find((s) => s.scope === id)?.blocked4;
  return addresses.map((address) => set?.has(address) ?? false);
}

/** The first, last and neighbouring addresses of every random entry, in 10.0.0.0/26 and just past it. */
function probes(ranges: readonly { lo: number; hi: number }[]): number[] {
  const all = new Set<number>();
  for (const { lo, hi } of ranges) for (const x of [lo - 1, lo, hi, hi + 1]) if (x >= 0 && x <= 64) all.add(BASE + x);
  return [...all].sort((a, b) => a - b);
}

/** Fix all, then Aggregate File, each applied to the text as the editor would. */
function fixed(format: FormatId, text: string): string[] {
  const document = parseDocument(text, formatById(format)!);
  return [applyEdits(text, fixAll(document, audit(document).facts)), applyEdits(text, aggregate(document))];
}

async function differential(
  tool: 'ipset' | 'nginx' | 'iptables',
  runs: number,
  file: fc.Arbitrary<{ text: string; ranges: { lo: number; hi: number }[] }>,
  format: FormatId,
  scope: string,
  ask: (text: string, addresses: string[]) => Promise<boolean[]>,
): Promise<void> {
  requireOracle(tool);
  await fc.assert(
    fc.asyncProperty(file, async ({ text, ranges }) => {
      const addresses = probes(ranges);
      const names = addresses.map(formatIPv4);
      const real = await ask(text, names);
      assert.deepEqual(productDecisions(format, text, scope, addresses), real, `the product disagrees with ${tool} on\n${text}`);
      for (const after of fixed(format, text)) assert.deepEqual(await ask(after, names), real, `a fix changed what ${tool} decides:\n${text}\n→\n${after}`);
    }),
    { numRuns: runs },
  );
}

test('ipset: hash:net sets with nomatch, and a hash:ip set, decide as the kernel does', { timeout: 120_000 }, async () => {
  const line = fc.tuple(fc.constantFrom('a', 'a', 'b'), cidr, fc.boolean()).map(([set, range, nomatch]) => ({
    range,
    // hash:ip takes no nomatch; a CIDR added to it adds every address, and one that overlaps an earlier needs -exist.
    text: set === 'a' ? `add a ${range.text}${nomatch ? ' nomatch' : ''}` : `add -exist b ${range.text}`,
  }));
  const file = fc.uniqueArray(line, { maxLength: 12, selector: (l) => l.text.replace(' nomatch', '') }).map((lines) => ({
    text: `create a hash:net family inet\ncreate b hash:ip family inet\nadd a 192.0.2.1\n${lines.map((l) => `${l.text}\n`).join('')}`,
    ranges: lines.map((l) => l.range),
  }));
  for (const set of ['a', 'b']) {
    await differential('ipset', RUNS.ipset / 2, file, 'ipset', set, (text, addresses) =>
      ipsetDecisions(
        text,
        addresses.map((address) => ({ set, address })),
        { member: { set: 'a', address: '192.0.2.1' }, nonMember: { set: 'a', address: '192.0.2.2' } },
      ),
    );
  }
});

test('nginx: allow and deny decide by the first match, as nginx does', { timeout: 120_000 }, async () => {
  const rule = fc.tuple(fc.constantFrom('deny', 'allow'), cidr).map(([verb, range]) => ({ range, text: `${verb} ${range.text};` }));
  const file = fc.array(rule, { maxLength: 10 }).map((rules) => ({
    text: `deny 192.0.2.1;\nallow 192.0.2.2;\n${rules.map((r) => `${r.text}\n`).join('')}`,
    ranges: rules.map((r) => r.range),
  }));
  await differential('nginx', RUNS.nginx, file, 'nginx', '', (text, addresses) => nginxDecisions(text, addresses, { blocked: '192.0.2.1', allowed: '192.0.2.2' }));
});

test('iptables: rules of a chain decide by the first match; LOG and port rules decide nothing', { timeout: 180_000 }, async () => {
  const rule = fc
    .tuple(fc.constantFrom('DROP', 'ACCEPT', 'REJECT', 'LOG'), cidr, fc.constantFrom('', '', '', '-p udp --dport 53 '))
    .map(([target, range, condition]) => ({ range, text: `-A INPUT ${condition}-s ${range.text} -j ${target}` }));
  const file = fc.array(rule, { maxLength: 8 }).map((rules) => ({
    text: `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 192.0.2.1/32 -j DROP\n${rules.map((r) => `${r.text}\n`).join('')}COMMIT\n`,
    ranges: rules.map((r) => r.range),
  }));
  await differential('iptables', RUNS.iptables, file, 'iptables', 'filter/INPUT', (text, addresses) =>
    iptablesPacketDecisions(text, addresses, { blocked: '192.0.2.1', allowed: '192.0.2.2' }),
  );
});
