/**
 * What the differential property tests of every format share (issue 9): the
 * product's decision for a query, the files that each offered fix, Fix all
 * and Aggregate File make of a random file, and the check of a batch of
 * random files against the real tool. For each file the tool loads (and,
 * where the product models the loader, exactly when the product says it
 * loads), the product decides every query as the tool does; then every
 * fixed file is loaded by the tool too, which decides as before except where
 * the fix's title says it takes addresses out of an entry: there, as the
 * entries left decide. All files of a batch, fixed ones included, go to the
 * tool in one run.
 */
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import type { TestContext } from 'node:test';
import fc from 'fast-check';
import type { AddressSet } from '../../server/src/core/addresses/addressSet';
import { formatAddresses } from '../../server/src/core/addresses/display';
import { IPV4, IPV6 } from '../../server/src/core/addresses/family';
import { IntervalBuilder } from '../../server/src/core/addresses/intervalBuilder';
import { parseIPv6 } from '../../server/src/core/addresses/ipv6';
import { audit } from '../../server/src/core/analysis/audit';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import type { DocumentFacts } from '../../server/src/core/analysis/facts';
import { parseDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { resolveSpecs } from '../../server/src/core/ownership/addressSpec';
import { aggregate, fixAll, fixesForEntry, type FixOptions } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import type { Format } from '../../server/src/core/formats/format';
import { requireOracle, type BatchFile, type FileAnswers, type Tool } from './firewalls';

/** A format's tool, and how the product's reading of a file answers the tool's queries. */
export interface FormatOracle<Q extends { readonly address: string }> {
  readonly tool: Tool;
  readonly format: Format;
  /** The scope of the product that decides `query` in `document`, by name; undefined when none does (the tool allows). */
  scopeOf(document: BlocklistDocument, query: Q): string | undefined;
  /** Asks every file's queries of the real tool, in one run. */
  ask(files: BatchFile<Q>[]): Promise<FileAnswers[]>;
  /** Whether the product says the tool refuses the file (nft's `loader-rejects`); without it, the tool must load every file. */
  rejects?(document: BlocklistDocument, facts: DocumentFacts): boolean;
}

/** A random file, the queries asked of it, and the protected networks and target its exclusion and narrowing fixes are offered for. */
export interface RandomFile<Q> {
  readonly text: string;
  readonly queries: readonly Q[];
  readonly options: FixOptions;
}

/** What the checks saw, for the test's closing note. */
class Tally {
  files = 0;
  rejected = 0;
  decisions = 0;
  readonly fixes = new Map<string, number>();

  /** One line: files, rejected, decisions compared, fixed files by kind. */
  toString(): string {
    const fixes = [...this.fixes].map(([kind, count]) => `${count} ${kind}`).join(', ');
    const rejected = this.rejected > 0 ? `, ${this.rejected} of them rejected by the tool and the product alike` : '';
    return `${this.files} random files${rejected}; ${this.decisions} decisions compared; files the fixes made, each loaded and asked again: ${fixes || 'none'}`;
  }
}

/** A file a fix made, and the addresses its title says it takes out of an entry. */
interface Variant {
  readonly title: string;
  /** For the tally: Fix all, Aggregate File, or the first word of a quick fix's title (Write, Remove, Merge, Split, Exclude, Narrow). */
  readonly kind: string;
  readonly text: string;
  readonly takenOut?: { readonly entry: number; readonly set4: AddressSet<number>; readonly set6: AddressSet<bigint> };
}

function read(format: Format, text: string): { document: BlocklistDocument; facts: DocumentFacts } {
  const document = parseDocument(text, format);
  return { document, facts: audit(document).facts };
}

/** An address as the product's numbers: IPv4 as a number, IPv6 as a bigint. */
function valueOf(address: string): { version: 4; value: number } | { version: 6; value: bigint } {
  if (isIP(address) === 4) return { version: 4, value: address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0) };
  const value = parseIPv6(address, 0, address.length, []);
  if (value === undefined) throw new Error(`${address} is no IP address`);
  return { version: 6, value };
}

/** Whether `set` holds `address`. */
export function holds(set: { readonly blocked4: AddressSet<number>; readonly blocked6: AddressSet<bigint> }, address: string): boolean {
  const parsed = valueOf(address);
  return parsed.version === 4 ? set.blocked4.has(parsed.value) : set.blocked6.has(parsed.value);
}

/** What the product decides for each query: whether the scope deciding it blocks its address. */
function productDecisions<Q extends { readonly address: string }>(oracle: FormatOracle<Q>, document: BlocklistDocument, facts: DocumentFacts, queries: readonly Q[]): boolean[] {
  return queries.map((query) => {
    const name = oracle.scopeOf(document, query);
    const scope = name === undefined ? -1 : document.scopes.findIndex((s) => s.name === name);
    const set = facts.scopeSets.find((s) => s.scope === scope);
    return set !== undefined && holds(set, query.address);
  });
}

/**
 * Every file the fixes make of `document`: each fix offered on each entry,
 * Fix all and Aggregate File, where they change the text. A fix that
 * resolves `protected` takes the protected networks out of its entry, one
 * that resolves `outside-target` what lies outside the target; its title
 * says how many addresses, and the check holds it to that count.
 */
function variantsOf(document: BlocklistDocument, facts: DocumentFacts, options: FixOptions): Variant[] {
  const text = document.text;
  const table = document.entries;
  const variants: Variant[] = [
    { title: 'Fix all', kind: 'Fix all', text: applyEdits(text, fixAll(document, facts)) },
    { title: 'Aggregate File', kind: 'Aggregate File', text: applyEdits(text, aggregate(document)) },
  ];
  const context = { index: EntryIndex.of(table), facts };
  const [protectedSets, target] = [resolveSpecs(options.protected, undefined), resolveSpecs(options.target, undefined)];
  for (let k = 0; k < table.count; k++) {
    for (const fix of fixesForEntry(document, context, k, options)) {
      const entry = entrySets(document, k);
      let takenOut: Variant['takenOut'];
      if (fix.resolves?.includes('protected')) {
        takenOut = { entry: k, set4: entry.blocked4.intersection(protectedSets.ipv4), set6: entry.blocked6.intersection(protectedSets.ipv6) };
      } else if (fix.resolves?.includes('outside-target')) {
        takenOut = { entry: k, set4: entry.blocked4.difference(target.ipv4), set6: entry.blocked6.difference(target.ipv6) };
      }
      if (takenOut) {
        const count = takenOut.set4.size() + takenOut.set6.size();
        const taken = formatAddresses(table.version[k] as 4 | 6, count);
        assert.ok(
          fix.title.endsWith(`−${taken}`) || fix.title.includes(`−${taken} (more than`),
          `"${fix.title}" takes ${taken} out of ${text.slice(table.start[k], table.end[k])}:\n${text}`,
        );
      }
      variants.push({ title: fix.title, kind: fix.title.split(' ')[0], text: applyEdits(text, fix.edits), ...(takenOut ? { takenOut } : {}) });
    }
  }
  return variants.filter((variant) => variant.text !== text);
}

/** Entry k's addresses, as a set of each family. */
function entrySets({ entries: t }: BlocklistDocument, k: number): { blocked4: AddressSet<number>; blocked6: AddressSet<bigint> } {
  const [four, six] = [new IntervalBuilder(IPV4, 1), new IntervalBuilder(IPV6, 1)];
  if (t.version[k] === 4) four.add(t.lo4[k], t.hi4[k]);
  else six.add(t.lo6[k], t.hi6[k]);
  return { blocked4: four.build(), blocked6: six.build() };
}

/**
 * What the tool must decide for each query after `variant`, given what it
 * decided before: the same, except for the addresses the fix took out of
 * its entry, in that entry's scope, which are blocked when another blocking
 * entry of the scope holds them (exclusions and narrowing are offered only
 * where nothing but the entry's own addresses changes: in unions, and on
 * entries no other of their scope overlaps).
 */
function expectedAfter<Q extends { readonly address: string }>(
  oracle: FormatOracle<Q>,
  document: BlocklistDocument,
  variant: Variant,
  queries: readonly Q[],
  before: boolean[],
): boolean[] {
  const out = variant.takenOut;
  if (out === undefined) return before;
  const table = document.entries;
  const scope = document.scopes[table.scope[out.entry]].name;
  return queries.map((query, n) => {
    if (oracle.scopeOf(document, query) !== scope || !holds({ blocked4: out.set4, blocked6: out.set6 }, query.address)) return before[n];
    const parsed = valueOf(query.address);
    for (let k = 0; k < table.count; k++) {
      if (k === out.entry || table.allow[k] || table.conditional[k] || table.scope[k] !== table.scope[out.entry] || table.version[k] !== parsed.version) continue;
      if (parsed.version === 4 ? table.lo4[k] <= parsed.value && parsed.value <= table.hi4[k] : table.lo6[k] <= parsed.value && parsed.value <= table.hi6[k]) return true;
    }
    return false;
  });
}

/** Fails with `heading` and each query whose two decisions differ (true = blocked). */
function same<Q>(queries: readonly Q[], expected: readonly boolean[], actual: readonly boolean[], heading: string): void {
  const differing = queries.flatMap((query, n) => (expected[n] === actual[n] ? [] : [`${JSON.stringify(query)}: ${actual[n]}, not ${expected[n]}`]));
  if (differing.length > 0) assert.fail(`${heading}\n${differing.join('\n')}`);
}

/**
 * The property of a format's test: `runs` random files, `batch` of them (and
 * the files their fixes make) a run of the tool; notes what was checked. A
 * failure names its file and fix, and the report includes it, so there is
 * no shrinking: each step would run the tool on a whole batch again.
 */
export async function checkRandomFiles<Q extends { readonly address: string }>(
  t: TestContext,
  oracle: FormatOracle<Q>,
  file: fc.Arbitrary<RandomFile<Q>>,
  { runs, batch }: { runs: number; batch: number },
): Promise<void> {
  requireOracle(oracle.tool);
  const tally = new Tally();
  await fc.assert(
    fc.asyncProperty(fc.array(file, { minLength: batch, maxLength: batch }), (files) => checkBatch(oracle, files, tally)),
    { numRuns: runs / batch, endOnFailure: true, includeErrorInReport: true },
  );
  t.diagnostic(tally.toString());
}

/** Checks a batch of random files against the tool, with every file their fixes make, all in one run of the tool. */
async function checkBatch<Q extends { readonly address: string }>(oracle: FormatOracle<Q>, files: readonly RandomFile<Q>[], tally: Tally): Promise<void> {
  const read0 = files.map((file) => read(oracle.format, file.text));
  const rejects = read0.map(({ document, facts }) => oracle.rejects?.(document, facts) ?? false);
  const variants = read0.map(({ document, facts }, n) => (rejects[n] ? [] : variantsOf(document, facts, files[n].options)));
  const asked = files.flatMap((file, n) => [file.text, ...variants[n].map((variant) => variant.text)].map((text) => ({ text, queries: file.queries })));
  const answers = await oracle.ask(asked);
  let next = 0;
  files.forEach((file, n) => {
    const real = answers[next++];
    tally.files++;
    if (oracle.rejects) assert.equal(rejects[n], !real.loaded, `${oracle.tool} ${real.loaded ? 'loads' : `rejects (${real.message})`}, the product disagrees:\n${file.text}`);
    else assert.ok(real.loaded, `${oracle.tool} rejects a random file: ${real.message}\n${file.text}`);
    if (!real.loaded) {
      tally.rejected++;
      return;
    }
    const { document, facts } = read0[n];
    same(file.queries, real.answers, productDecisions(oracle, document, facts, file.queries), `the product disagrees with ${oracle.tool} on\n${file.text}`);
    tally.decisions += file.queries.length;
    for (const variant of variants[n]) {
      const after = answers[next++];
      const change = `${variant.title}:\n${file.text}\n→\n${variant.text}`;
      assert.ok(after.loaded, `${oracle.tool} rejects the file after ${change}\n${after.message}`);
      const fixed = read(oracle.format, variant.text);
      if (oracle.rejects) assert.equal(oracle.rejects(fixed.document, fixed.facts), false, `the product says ${oracle.tool} rejects the file after ${change}`);
      same(
        file.queries,
        expectedAfter(oracle, document, variant, file.queries, real.answers),
        after.answers,
        `${oracle.tool} decides otherwise than the title says after ${change}`,
      );
      same(file.queries, after.answers, productDecisions(oracle, fixed.document, fixed.facts, file.queries), `the product disagrees with ${oracle.tool} after ${change}`);
      tally.decisions += 2 * file.queries.length;
      tally.fixes.set(variant.kind, (tally.fixes.get(variant.kind) ?? 0) + 1);
    }
  });
}
