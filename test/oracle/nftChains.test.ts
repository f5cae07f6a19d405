/**
 * nftables chains against the kernel (issue 9): random `ip` (`ip6`) and
 * `inet` tables whose base chain `input` (policy accept or drop) holds rules
 * on sources in a block of 64 addresses (10.0.0.0/26, 2001:db8::/122) — literal, in an
 * anonymous set, negated, or by a named interval set — rules without an
 * address, rules on a port or a destination no probe meets, and jumps and
 * gotos, with or without an address, into a user chain `u` of such rules
 * and `return`s, now and then a rule inserted at input's start. Each is loaded with `nft -f` inside private namespaces
 * (iptablesOracle.ts), and a TCP SYN from the first, last and neighbouring
 * addresses of every block decides.
 *
 * Where the product decides — an address of an entry of `input` that is not
 * conditional — it decides as the kernel does, and what it says `u` blocks
 * (entered by whole jumps alone, `jump u` with nothing before it that
 * accepts the address) the kernel drops: the rules before the first
 * one it does not follow (a set, a jump, a negation) are in their
 * first-match order, a verdict without an address among them, and what
 * comes after is conditional. Then every fix the product offers, Fix all and Aggregate
 * File are applied one by one, and the kernel decides every probe as
 * before.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseIPv4 } from '../../server/src/core/addresses/ipv4';
import { parseIPv6 } from '../../server/src/core/addresses/ipv6';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { nftables } from '../../server/src/core/formats/nftables';
import { block, cidr, CONTROLS, probeAddress, probes, type Family, type Probe } from '../core/iptablesFiles';
import { holds } from './fixChecks';
import { keepingFixes, kernelAnswers, requireKernelOracle, type KernelCase } from './iptablesOracle';

/** How many random rulesets of each family the kernel is asked about (with their fixes, under a minute in all). */
const FILES: Record<Family, number> = { 4: 40, 6: 20 };

const VERDICTS = ['drop', 'drop', 'reject', 'accept', 'accept', 'counter drop', 'log prefix "x " drop', 'return'];
/** Conditions no probe (TCP to a port from 10 000 up, at 127.0.0.1 or ::1) meets. */
const CONDITIONS = ['tcp dport 22 ', 'udp dport 53 ', 'daddr '];
/** Per family: the match of an address, the set's type, the table's own family, a destination no probe has. */
const WORDS: Record<Family, { match: string; type: string; table: string; elsewhere: string }> = {
  4: { match: 'ip', type: 'ipv4_addr', table: 'ip', elsewhere: '10.9.9.9' },
  6: { match: 'ip6', type: 'ipv6_addr', table: 'ip6', elsewhere: '2001:db8:9::9' },
};

const rule = fc.record({
  // 0 literal, 1 anonymous set, 2 the named set, 3 negated, 4 no address, 5 a condition, then a jump or goto (input only).
  kind: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 9, arbitrary: fc.constantFrom(1, 2, 3, 4, 5) }, { weight: 3, arbitrary: fc.constantFrom(6, 7) }),
  blocks: fc.array(block, { minLength: 1, maxLength: 2 }),
  verdict: fc.constantFrom(...VERDICTS),
  condition: fc.constantFrom(...CONDITIONS),
  addressed: fc.boolean(),
});

type Rule = typeof rule extends fc.Arbitrary<infer R> ? R : never;

interface ChainFile {
  readonly text: string;
  readonly ranges: (readonly [number, number])[];
}

const chainFile = (family: Family): fc.Arbitrary<ChainFile> => {
  const { match: ip, type, table, elsewhere } = WORDS[family];
  return fc
    .record({
      tableFamily: fc.constantFrom(table, 'inet'),
      policy: fc.constantFrom('accept', 'accept', 'drop'),
      set: fc.array(block, { maxLength: 3 }),
      input: fc.array(rule, { maxLength: 6 }),
      user: fc.array(rule, { maxLength: 3 }),
      // Now and then a rule inserted at input's start, with an address of the block (the controls stay decided).
      inserted: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.record({ block, verdict: fc.constantFrom(...VERDICTS) }) }),
    })
    .map(({ tableFamily, policy, set, input, user, inserted }) => {
      const ranges: (readonly [number, number])[] = set.map((b) => [b.lo, b.hi] as const);
      const written = (r: Rule, jumps: boolean): string => {
        const addresses = r.blocks.map((b) => cidr(family, b.lo, b.prefix));
        if (r.kind !== 2 && r.kind !== 4 && r.kind !== 5) for (const b of r.blocks) ranges.push([b.lo, b.hi]);
        if (r.kind >= 6) {
          const to = `${r.kind === 6 ? 'jump' : 'goto'} u`;
          return jumps ? `${r.addressed ? `${ip} saddr ${addresses[0]} ` : ''}${to}` : `${ip} saddr ${addresses[0]} ${r.verdict}`;
        }
        const condition = r.condition === 'daddr ' ? `${ip} daddr ${elsewhere} ` : r.condition;
        const match = [`${ip} saddr ${addresses[0]} `, `${ip} saddr { ${addresses.join(', ')} } `, `${ip} saddr @s `, `${ip} saddr != ${addresses[0]} `, '', condition][r.kind];
        return `${match}${r.verdict}`;
      };
      const rules = (list: readonly Rule[], jumps: boolean) => list.map((r) => `    ${written(r, jumps)}\n`).join('');
      const elements = set.length > 0 ? `    elements = { ${set.map((b) => cidr(family, b.lo, b.prefix)).join(', ')} }\n` : '';
      const text =
        `table ${tableFamily} f {\n  set s {\n    type ${type}; flags interval; auto-merge\n${elements}  }\n` +
        `  chain u {\n${rules(user, false)}  }\n` +
        `  chain input {\n    type filter hook input priority 0; policy ${policy};\n` +
        `    ${ip} saddr ${CONTROLS[family].blocked} drop\n    ${ip} saddr ${CONTROLS[family].allowed} accept\n${rules(input, true)}  }\n}\n` +
        (inserted ? `insert rule ${tableFamily} f input ${ip} saddr ${cidr(family, inserted.block.lo, inserted.block.prefix)} ${inserted.verdict}\n` : '');
      if (inserted) ranges.push([inserted.block.lo, inserted.block.hi]);
      return { text, ranges };
    });
};

const JUMPED = /(?:jump|goto) u\n/;

/**
 * Per probe: whether the product decides it in `input` (an entry there that
 * is not conditional holds it), and whether it blocks it; and whether the
 * user chain `u`, when a rule jumps or goes to it, blocks it by an entry
 * that is not conditional (only whole jumps enter `u` then, so the kernel
 * drops it, in `u` or before; a chain no rule names keeps its own count);
 * and whether the set `s`, when rules name it but none of a chain nothing
 * enters, blocks it by an element that is not conditional (a rule that
 * drops it decides it first; a rule of a chain no jump names counts it
 * when called, as that chain's own entries are).
 */
function productReading(text: string, family: Family, asked: readonly Probe[]): { decided: boolean; blocked: boolean; userBlocks: boolean; setBlocks: boolean }[] {
  const document = parseDocument(text, nftables);
  const t = document.entries;
  const chain = (name: string) => document.scopes.findIndex((scope) => scope.name.startsWith('chain ') && scope.name.endsWith(` f ${name}`));
  const [input, user] = [chain('input'), chain('u')];
  const named = document.scopes.findIndex((scope) => scope.name.endsWith(' f s'));
  const sets = audit(document).facts.scopeSets;
  const [set, userSet, namedSet] = [input, user, named].map((scope) => sets.find((s) => s.scope === scope));
  return asked.map((probe) => {
    const source = probeAddress(family, probe);
    const value = family === 4 ? BigInt(parseIPv4(source, 0, source.length, [])) : parseIPv6(source, 0, source.length, [])!;
    const decidedIn = (scope: number) => {
      for (let k = 0; k < t.count; k++) if (t.scope[k] === scope && !t.conditional[k] && t.version[k] === family && t.lo(k) <= value && value <= t.hi(k)) return true;
      return false;
    };
    const userBlocks = JUMPED.test(text) && decidedIn(user) && userSet !== undefined && holds(userSet, source);
    const inUser = text.slice(text.indexOf('chain u'), text.indexOf('chain input')).includes('@s ');
    const setBlocks =
      text.includes('@s ') && (JUMPED.test(text) || !inUser) && decidedIn(named) && namedSet !== undefined && document.scopes[named].role === 'block' && holds(namedSet, source);
    return { decided: decidedIn(input), blocked: set !== undefined && holds(set, source), userBlocks, setBlocks };
  });
}

for (const family of [4, 6] as const) {
  test(
    `nftables (IPv${family}): ${FILES[family]} random chains decide as the kernel does where the product decides, and every fix keeps every decision`,
    { timeout: 120_000 },
    async () => {
      requireKernelOracle();
      const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
      const files = fc.sample(chainFile(family), { numRuns: FILES[family], seed });
      const asked = files.map((file) => probes(file.ranges));
      const sources = (n: number) => asked[n].map((probe) => probeAddress(family, probe));
      const { answers } = await kernelAnswers(
        family,
        files.map((file, n) => ({ text: file.text, sources: sources(n) })),
        CONTROLS[family],
        { loader: 'nft' },
      );
      const variants: (KernelCase & { name: string; of: number })[] = [];
      let [decided, userBlocked, setBlocked] = [0, 0, 0];
      files.forEach((file, n) => {
        const where = `(seed ${seed}, file ${n}):\n${file.text}`;
        assert.ok(answers[n].loads, `nft refuses (${answers[n].message}) ${where}`);
        productReading(file.text, family, asked[n]).forEach((product, p) => {
          const source = probeAddress(family, asked[n][p]);
          if (product.userBlocks) {
            userBlocked++;
            assert.ok(answers[n].blocked[p], `the product says chain u blocks ${source}, the kernel lets it through ${where}`);
          }
          if (product.setBlocks) {
            setBlocked++;
            assert.ok(answers[n].blocked[p], `the product says set s blocks ${source}, the kernel lets it through ${where}`);
          }
          if (!product.decided) return;
          decided++;
          assert.equal(product.blocked, answers[n].blocked[p], `the product says ${source} is ${product.blocked ? '' : 'not '}blocked, the kernel otherwise ${where}`);
        });
        for (const variant of keepingFixes(nftables, file.text)) variants.push({ ...variant, sources: sources(n), of: n });
      });
      const after = await kernelAnswers(family, variants, CONTROLS[family], { loader: 'nft' });
      variants.forEach((variant, n) => {
        const describe = `${variant.name} (seed ${seed}, file ${variant.of}):\n${files[variant.of].text}\n→\n${variant.text}`;
        assert.ok(after.answers[n].loads, `nft refuses (${after.answers[n].message}) the result of ${describe}`);
        assert.deepEqual(after.answers[n].blocked, answers[variant.of].blocked, `the kernel decides otherwise after ${describe}`);
      });
      console.log(
        `IPv${family}: ${files.length} rulesets, ${decided} probes the product decides in input, ${userBlocked} it says u blocks, ${setBlocked} set s, ${variants.length} fixed variants, seed ${seed}`,
      );
    },
  );
}
