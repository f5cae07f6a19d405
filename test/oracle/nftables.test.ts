/**
 * nftables against the real nft (issue 9). Differential property test:
 * random rulesets with an `ip` or an `inet` table holding interval sets of
 * IPv4 and, in `inet`, of IPv6, each family with one set that merges
 * (`auto-merge`) and one that does not, declared in the spellings nft takes
 * (`type` or `typeof`, settings on a line each or together); elements in the
 * sets' blocks and in `add element` commands — CIDRs (now and then with host
 * bits, which nft clears), ranges (spaced or not), addresses, IPv6 in any
 * spelling, comments between them, a trailing comma — and now and then one
 * of the other family; a chain uses the sets. nft's loader accepts a ruleset
 * exactly when the product reports no `loader-rejects`; for the rulesets it
 * loads, set membership of the first, last and neighbouring addresses of
 * every element equals the product's scope sets; then each fix, Fix all and
 * Aggregate File is applied, and nft loads the result and decides as the
 * fix's title says (fixChecks.ts). The loader cases of
 * test/core/nftables.test.ts are held to `nft -c` too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import type { DocumentFacts } from '../../server/src/core/analysis/facts';
import { parseDocument } from '../../server/src/core/document/document';
import { nftables } from '../../server/src/core/formats/nftables';
import { checkRandomFiles, type FormatOracle, type RandomFile } from './fixChecks';
import { nftBatchDecisions, nftCheck, requireOracle, type NftQuery } from './firewalls';
import { addressAt, block, cidrText, commentLine, CONTROL, fixOptions, probes, spelling, type Block, type Version } from './randomEntries';

/** How many random rulesets the property checks, in batches asked of one `nft -i`. */
const RUNS = 120;
const BATCH = 12;

/** Whether the product says nft's loader rejects `text`. */
function productRejects(text: string): boolean {
  return audit(parseDocument(text, nftables)).findings.some((finding) => finding.code === 'loader-rejects');
}

/** The same, from the facts of an audit already made. */
function rejectsByFacts(_: unknown, facts: DocumentFacts): boolean {
  return facts.loader.some((rejection) => rejection.code === 'loader-rejects');
}

/** Rulesets whose loading turns on the rules of `loaderChecks.ts`, each a whole file nft can be asked about. */
// oxfmt-ignore
/** Two auto-merge sets, and `add element` statements after them (the second set's statement between the first's additions or not). */
const twoSets = (...adds: string[]) =>
  `table inet t {\n  set a {\n    type ipv4_addr; flags interval; auto-merge\n    elements = { 10.0.0.21 }\n  }\n  set a6 {\n    type ipv6_addr; flags interval; auto-merge\n  }\n}\n${adds.map((add) => `add element inet t ${add}\n`).join('')}`;

const loaderCases: string[] = [
  // An auto-merge set's element that would merge with an earlier one, after another set's statement came between its additions (found by the random test, seed 356616404).
  twoSets('a { 10.0.0.100 }', 'a6 { 2001:db8::11 }', 'a { 10.0.0.0/27 }'),
  twoSets('a { 10.0.0.100 }', 'a6 { 2001:db8::11 }', 'a { 10.0.0.22 }'),
  twoSets('a { 10.0.0.100 }', 'a6 { 2001:db8::11 }', 'a { 10.0.0.200 }', 'a { 10.0.0.20-10.0.0.22 }'),
  twoSets('a { 10.0.0.100 }', 'a6 { 2001:db8::11 }', 'a { 10.0.0.21 }'),
  twoSets('a { 10.0.0.0/27 }', 'a6 { 2001:db8::11 }', 'a { 10.0.0.5 }'),
  twoSets('a6 { 2001:db8::11 }', 'a { 10.0.0.100 }', 'a { 10.0.0.0/27 }'),
  twoSets('a { 10.0.0.100 }', 'a { 10.0.0.0/27 }'),
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

/** A set of the random table: its family, and whether it merges overlapping elements. */
interface SetSpec {
  readonly name: string;
  readonly version: Version;
  readonly autoMerge: boolean;
}

const SETS: readonly SetSpec[] = [
  { name: 'a', version: 4, autoMerge: true },
  { name: 'b', version: 4, autoMerge: false },
  { name: 'a6', version: 6, autoMerge: true },
  { name: 'b6', version: 6, autoMerge: false },
];

interface Element {
  readonly block: Block;
  readonly text: string;
}

/** An element of a set of `version`: a CIDR (now and then with host bits), a range `a-b` or `a - b`, or an address; IPv6 in any spelling. */
function element(version: Version): fc.Arbitrary<Element> {
  return fc
    .record({
      one: block(version),
      other: block(version),
      form: fc.constantFrom('cidr', 'cidr', 'cidr', 'range', 'address'),
      hostBits: fc.nat(9),
      spaced: fc.boolean(),
      spelled: spelling,
    })
    .map(({ one, other, form, hostBits, spaced, spelled }) => {
      if (form === 'range') {
        const [lo, hi] = [Math.min(one.inside, other.inside), Math.max(one.inside, other.inside)];
        const range = { version, lo, hi, prefix: -1, inside: lo };
        if (lo === hi) return { block: range, text: addressAt(version, lo, spelled) };
        return { block: range, text: `${addressAt(version, lo, spelled)}${spaced ? ' - ' : '-'}${addressAt(version, hi, spelled)}` };
      }
      if (form === 'address')
        return { block: { version, lo: one.inside, hi: one.inside, prefix: version === 4 ? 32 : 128, inside: one.inside }, text: addressAt(version, one.inside, spelled) };
      return { block: one, text: cidrText(one, { hostBits: hostBits === 0, bare: true, spelled }) };
    });
}

/**
 * Elements for a set of `version`, now and then one of the other family
 * (`mixed`): nft rejects it. (nft 1.0.6 crashes, rather than rejecting,
 * when such an element stands in a set's block and a later `add element`
 * adds to the set; so only commands get them.)
 */
function elements(version: Version, max: number, mixed = false): fc.Arbitrary<Element[]> {
  const other: Version = version === 4 ? 6 : 4;
  return fc.array(mixed ? fc.oneof({ weight: 19, arbitrary: element(version) }, { weight: 1, arbitrary: element(other) }) : element(version), { maxLength: max });
}

/** Elements joined by the separators in turn. */
function written(texts: readonly string[], separators: readonly string[]): string {
  return texts.map((text, n) => `${text}${n + 1 < texts.length ? separators[n % separators.length] : ''}`).join('');
}

/**
 * An `ip` table with the IPv4 sets, or an `inet` table with all four; each
 * set holds 192.0.2.1 (the planted member) or 2001:db8:ffff::1, then its
 * random elements; `add element` commands add to any of them, and a chain
 * drops what `a` and `a6` hold and drops or accepts what the others hold.
 */
const ruleset: fc.Arbitrary<RandomFile<NftQuery>> = fc
  .record({
    family: fc.constantFrom('ip', 'inet', 'inet'),
    lists: fc.tuple(elements(4, 6), elements(4, 3), elements(6, 6), elements(6, 3)),
    added: fc.array(fc.tuple(fc.nat(3), elements(4, 2, true), elements(6, 2, true)), { maxLength: 2 }),
    typeOf: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    together: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    separators: fc.array(fc.constantFrom(', ', ', ', ',\n      ', ', # note\n      ', ' ,'), { minLength: 1, maxLength: 3 }),
    trailing: fc.constantFrom('', '', ','),
    verdict: fc.constantFrom('drop', 'accept'),
    // Equal elements load even without auto-merge: one of b's again, in its block or in a command.
    repeat: fc.option(fc.tuple(fc.nat(), fc.boolean()), { nil: undefined }),
    comment: commentLine,
    fixes: fixOptions,
  })
  .map(({ family, lists, added, typeOf, together, separators, trailing, verdict, repeat, comment, fixes }) => {
    const sets = SETS.filter((set) => family === 'inet' || set.version === 4);
    const contents = new Map(sets.map((set, n) => [set.name, [...lists[n]]]));
    const commands = added.map(([n, four, six]) => {
      const set = sets[n % sets.length];
      return { set, list: set.version === 4 ? four : six };
    });
    const a = contents.get('a')!;
    if (repeat && a.length > 0) {
      const again = a[repeat[0] % a.length];
      if (repeat[1]) a.push(again);
      else commands.push({ set: SETS[0], list: [again] });
    }
    const nonEmpty = commands.filter(({ list }) => list.length > 0);
    const declaration = (set: SetSpec, n: number) => {
      const type = typeOf[n] ? `typeof ${set.version === 4 ? 'ip' : 'ip6'} saddr` : `type ${set.version === 4 ? 'ipv4_addr' : 'ipv6_addr'}`;
      const settings = [type, 'flags interval', ...(set.autoMerge ? ['auto-merge'] : [])];
      const list = [CONTROL.blocked[set.version], ...contents.get(set.name)!.map((e) => e.text)];
      return (
        `  set ${set.name} {\n${together[n] ? `    ${settings.join('; ')}\n` : settings.map((line) => `    ${line}\n`).join('')}` +
        `    elements = { ${written(list, separators)}${trailing} }\n  }\n`
      );
    };
    const rules = sets.map((set) => `    ${set.version === 4 ? 'ip' : 'ip6'} saddr @${set.name} ${set.autoMerge ? 'drop' : verdict}\n`).join('');
    const text =
      `${comment}table ${family} t {\n${sets.map(declaration).join('')}` +
      `  chain input {\n    type filter hook input priority 0; policy accept;\n${rules}  }\n}\n` +
      nonEmpty.map(({ set, list }) => `add element ${family} t ${set.name} { ${list.map((e) => e.text).join(', ')} }\n`).join('');
    // Every element is probed in the sets of its family.
    const all = [...sets.flatMap((set) => contents.get(set.name)!), ...nonEmpty.flatMap(({ list }) => list)].map((e) => e.block);
    const queries = probes([...all, ...fixes.blocks]).flatMap((address) =>
      sets.filter((set) => set.version === (address.includes(':') ? 6 : 4)).map((set) => ({ family, table: 't', set: set.name, address })),
    );
    return { text, queries, options: fixes.options };
  });

const nftOracle: FormatOracle<NftQuery> = {
  tool: 'nft',
  format: nftables,
  scopeOf: (_, query) => `set ${query.family} ${query.table} ${query.set}`,
  // The planted member is in set a of every ruleset, in the family of its table.
  ask: (files) =>
    nftBatchDecisions(files, (file) => {
      const family = /^table (\w+) t \{$/m.exec(file.text)?.[1] ?? 'ip';
      return { member: { family, table: 't', set: 'a', address: CONTROL.blocked[4] }, nonMember: { family, table: 't', set: 'a', address: CONTROL.allowed[4] } };
    }),
  rejects: rejectsByFacts,
};

test(`${RUNS} random rulesets of both families: nft loads exactly those without loader-rejects, with the product’s sets, also after every fix`, { timeout: 180_000 }, (t) =>
  checkRandomFiles(t, nftOracle, ruleset, { runs: RUNS, batch: BATCH }),
);
