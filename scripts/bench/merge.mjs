// `blocklist-audit merge` against FireHOL iprange, whole processes in
// alternating runs (issue 12), on the corpus concatenation and the largest
// single list; then, beside the targets: where our time goes, in-process
// merging against cidr-tools and fast-cidr-tools, and IPv6 against netaddr.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import core from '../../out/server/src/core/index.js';
import oracles from '../../out/test/oracle/oracles.js';
import { alternating, ms, row, spread, timeProcess, times } from './measure.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const cli = join(root, 'dist/cli.js');
/** A median and the runs' min–max, from their times or from their spread. */
const range = (values, format) => {
  const s = Array.isArray(values) ? spread(values) : values;
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
};

const ours = (file) => () => timeProcess(process.execPath, [cli, 'merge', file]).elapsed;
// iprange reads anything it cannot parse as a hostname to resolve: it runs without a network (see ORACLES.md).
const iprange = (file) => () => timeProcess('unshare', ['-n', 'iprange', file]).elapsed;
const netaddr = (file) => () => timeProcess('/usr/bin/python3', [join(root, 'test/oracle/netaddr_set.py'), file]).elapsed;

/** The minimal CIDR list of a plain list's addresses, IPv4 then IPv6, as strings (what `blocklist-audit merge` prints). */
function mergeToCidrStrings(text) {
  const collector = new core.AddressCollector();
  collector.read(text);
  const cidrs = [];
  for (const set of [collector.ipv4.build(), collector.ipv6.build()]) {
    set.forEachCidr((network, prefix) => cidrs.push(`${set.family.format(network)}/${prefix}`));
  }
  return cidrs;
}

function timeInProcess(runs, work) {
  const elapsed = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    work();
    elapsed.push(performance.now() - start);
  }
  return spread(elapsed);
}

/** Where `merge` spends its time on the corpus concatenation (its --profile phases), then the in-process and IPv6 comparisons. */
async function printBeside(corpusFile, largest, runs) {
  const profile = spawnSync(process.execPath, [cli, 'merge', '--profile', corpusFile], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const phases = JSON.parse(profile.stderr.trim().split('\n').at(-1));
  console.log(`\nWhere merge's time goes on the corpus concatenation, in ms (the rest is Node.js start-up):\n`);
  console.log(
    `| ${Object.keys(phases).join(' | ')} |\n|${Object.keys(phases)
      .map(() => '---:')
      .join('|')}|\n| ${Object.values(phases)
      .map((time) => time.toFixed(1))
      .join(' | ')} |`,
  );

  const text = readFileSync(largest.file, 'utf8');
  const cidrList = text.split('\n').filter((line) => line && !line.startsWith('#'));
  const cidrTools = await import('cidr-tools');
  const fastCidrTools = await import('fast-cidr-tools');
  const expected = mergeToCidrStrings(text);
  const byCodeUnits = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const same = (result) =>
    JSON.stringify(result) === JSON.stringify(expected)
      ? 'same CIDRs'
      : JSON.stringify([...result].sort(byCodeUnits)) === JSON.stringify([...expected].sort(byCodeUnits))
        ? 'same CIDRs, not in address order'
        : 'DIFFERENT CIDRs';
  const own = timeInProcess(runs, () => mergeToCidrStrings(text));
  console.log(`\nIn-process merge of the largest list, ${runs} runs, median (min–max); ours parses the text, the others get the lines already split\n`);
  console.log('| library | time | median ratio ours/library | check |\n|---|---:|---:|---|');
  console.log(`| blocklist-audit core | ${range(own, ms)} | 1.00 | |`);
  const libraries = {
    'cidr-tools': () => cidrTools.mergeCidr(cidrList),
    'fast-cidr-tools': () => fastCidrTools.merge(cidrList),
  };
  for (const [name, merge] of Object.entries(libraries)) {
    const theirs = timeInProcess(runs, merge);
    console.log(`| ${name} | ${range(theirs, ms)} | ${(own.median / theirs.median).toFixed(3)} | ${same(merge())} |`);
  }

  console.log(`\nIPv6 merge, whole process against netaddr, ${runs} alternating runs, median (min–max)\n`);
  console.log('| input | blocklist-audit | netaddr | ratio |\n|---|---:|---:|---:|');
  for (const name of ['cloud/lordalfred_microsoft_ipv6.txt', 'cloud/lordalfred_all_ipv6_merged.txt']) {
    const file = join(oracles.corpus, name);
    const result = alternating(runs, ours(file), netaddr(file));
    console.log(`| ${name} | ${range(result.ours, ms)} | ${range(result.theirs, ms)} | ${range(result.ratio, times)} |`);
  }
}

export async function benchMerge(corpusConcatenation, largest, { runs = 7 } = {}) {
  const rows = [];
  for (const [name, input, target] of [
    ['corpus concatenation', corpusConcatenation, 0.9],
    ['largest list', largest, 2],
  ]) {
    const result = alternating(runs, ours(input.file), iprange(input.file));
    const entries = input.entries.toLocaleString('en-US');
    rows.push(
      row(`merge, ${name} (${entries} entries): blocklist-audit / iprange, alternating`, result.ratio, target, times),
      row(`merge, ${name}: blocklist-audit`, result.ours, undefined, ms),
      row(`merge, ${name}: iprange`, result.theirs, undefined, ms),
    );
  }
  await printBeside(corpusConcatenation.file, largest, runs);
  return rows;
}
