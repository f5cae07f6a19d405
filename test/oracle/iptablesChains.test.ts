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
import { iptables } from '../../server/src/core/formats/iptables';
import { CONTROLS, probeAddress, probes, productReading, restoreFile, type Family, type Probe } from '../core/iptablesFiles';
import { keepingFixes, kernelAnswers, requireKernelOracle, type KernelCase } from './iptablesOracle';

/** How many random files each family checks (the closing note reports these, with their fixes). */
const FILES: Record<Family, number> = { 4: 150, 6: 50 };
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
      for (const variant of keepingFixes(iptables, file.text)) variants.push({ ...variant, sources: sources(asked[n]), of: n });
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
