/**
 * Differential property tests against the kernel (issue 9): random small
 * restore files (test/core/iptablesFiles.ts) with built-in and user chains,
 * jumps, gotos, RETURN, policies, LOG, conditional rules, `-I` and `-D`,
 * IPv4 and IPv6, loaded by iptables-restore (ip6tables-restore) inside
 * private namespaces (iptablesOracle.ts). For each, the product refuses the
 * file exactly when the loader does, and otherwise INPUT blocks exactly the
 * first, last and neighbouring addresses of every rule the kernel drops
 * (unless a condition of the file is one the probes meet: the product keeps
 * conditions out of its decisions, the kernel cannot).
 * Then every fix the product offers, Fix all and Aggregate File are applied
 * one by one: `iptables-restore --test` passes the result, it loads, and
 * the kernel decides every one of those addresses as the fix's title says
 * (for iptables every fix offered keeps every decision: removing what never
 * takes effect, writing a network without host bits, splitting a block).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { parseDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { applyEdits, type TextEdit } from '../../server/src/core/fixes/rewrite';
import { iptables } from '../../server/src/core/formats/iptables';
import { CONTROLS, probeAddress, probes, productReading, restoreFile, type Family, type Probe } from '../core/iptablesFiles';
import { kernelAnswers, requireKernelOracle, type KernelCase } from './iptablesOracle';

/** How many random files each family checks (the closing note reports these, with their fixes). */
const FILES: Record<Family, number> = { 4: 150, 6: 50 };
/** Titles of the fixes that keep every decision; any other title would say what it changes, and the test would have to check that. */
const KEEPING = /^(?:Remove |Write |Split )/;

/** Every text a fix of the product makes of `text`: each fix offered on each entry, Fix all and Aggregate File. */
function fixed(text: string): { name: string; text: string }[] {
  const document = parseDocument(text, iptables);
  const result = audit(document);
  const context = { index: EntryIndex.of(document.entries), facts: result.facts };
  const variants: { name: string; edits: readonly TextEdit[] }[] = [
    { name: 'Fix all', edits: fixAll(document, result.facts) },
    { name: 'Aggregate File', edits: aggregate(document) },
  ];
  for (let k = 0; k < document.entries.count; k++) {
    for (const fix of fixesForEntry(document, context, k, { maxEntries: 64, protected: [], target: [] })) {
      assert.match(fix.title, KEEPING, `a fix that says it changes decisions: ${fix.title}`);
      variants.push({ name: fix.title, edits: fix.edits });
    }
  }
  return variants.map(({ name, edits }) => ({ name, text: applyEdits(text, edits) })).filter((variant) => variant.text !== text);
}

for (const family of [4, 6] as const) {
  test(`iptables (IPv${family}): random files decide as the kernel does, and every fix keeps its word`, { timeout: 300_000 }, async () => {
    requireKernelOracle();
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    const files = fc.sample(restoreFile(family, { met: true }), { numRuns: FILES[family], seed });
    const asked = files.map((file) => probes(file.ranges).filter((probe): probe is number => typeof probe === 'number'));
    const sources = (probes: readonly Probe[]) => probes.map((probe) => probeAddress(family, probe));
    const { answers } = await kernelAnswers(
      family,
      files.map((file, n) => ({ text: file.text, sources: sources(asked[n]) })),
      CONTROLS[family],
    );
    const variants: (KernelCase & { name: string; of: number })[] = [];
    files.forEach((file, n) => {
      const kernel = answers[n];
      const product = productReading(file.text, family, asked[n]);
      const where = `(seed ${seed}, file ${n}):\n${file.text}`;
      assert.equal(
        product.refused,
        !kernel.loads,
        `the product ${product.refused ? 'refuses' : 'loads'} and iptables-restore ${kernel.loads ? 'loads' : `refuses (${kernel.message})`} ${where}`,
      );
      if (!kernel.loads) return;
      // Where the probes meet a condition the product keeps it out of its decisions, and the kernel does not.
      if (!file.probesMeetConditions) assert.deepEqual(product.blocked, kernel.blocked, `INPUT decides otherwise than the kernel ${where}`);
      for (const variant of fixed(file.text)) variants.push({ ...variant, sources: sources(asked[n]), of: n });
    });
    const after = await kernelAnswers(family, variants, CONTROLS[family], { check: true });
    const describe = (variant: (typeof variants)[number]) => `${variant.name} (seed ${seed}, file ${variant.of}):\n${files[variant.of].text}\n→\n${variant.text}`;
    const refused = after.check?.refused;
    assert.ok(
      after.check?.ok,
      `iptables-restore --test refuses (${after.check?.message}) ${refused === undefined ? 'one of the fixed files' : `the result of ${describe(variants[refused])}`}`,
    );
    variants.forEach((variant, n) => {
      assert.ok(after.answers[n].loads, `iptables-restore refuses (${after.answers[n].message}) the result of ${describe(variant)}`);
      assert.deepEqual(after.answers[n].blocked, answers[variant.of].blocked, `the kernel decides otherwise after ${describe(variant)}`);
    });
    console.log(`IPv${family}: ${files.length} files (${answers.filter((a) => !a.loads).length} refused), ${variants.length} fixed variants, seed ${seed}`);
  });
}
