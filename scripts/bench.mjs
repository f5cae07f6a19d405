// `npm run bench`: blocklist-audit merge against FireHOL iprange, whole
// processes side by side in one run; in-process merging against cidr-tools
// and fast-cidr-tools; IPv6 against Python netaddr; where our time goes;
// then the 1 s budget on hostile input of every format (bench-budget.mjs).
// Timings are medians of RUNS runs; ratios are ours / theirs (below 1 is faster).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import core from '../out/server/src/core/index.js';
import oracles from '../out/test/oracle/oracles.js';

const RUNS = 5;
const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'blocklist-bench-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(1)} ms`;

/** Median wall time of a whole process whose output goes nowhere. */
function timeProcess(command, args) {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  }
  return median(times);
}

function timeInProcess(work) {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return median(times);
}

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

/** A deterministic list of `count` entries: mostly single addresses, some CIDRs. */
function generatedList(count) {
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const lines = [];
  for (let i = 0; i < count; i++) {
    const address = random();
    const prefix = i % 10 === 0 ? 16 + (random() % 17) : 32;
    const network = prefix === 32 ? address : address - (address % 2 ** (32 - prefix));
    lines.push(`${network >>> 24}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.${network & 255}${prefix === 32 ? '' : `/${prefix}`}`);
  }
  return lines.join('\n') + '\n';
}

try {
  const lists = oracles.ipv4Lists();
  const largest = join(oracles.corpus, 'firehol/ipip_continent_eu.netset');
  const all = join(scratch, 'all-ipv4.txt');
  writeFileSync(all, lists.map((file) => readFileSync(file, 'utf8').replace(/\n?$/, '\n')).join(''));
  const generated = join(scratch, 'generated-1m.txt');
  writeFileSync(generated, generatedList(1_000_000));
  const entries = (file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !/^\s*[#;]/.test(l)).length;

  console.log(`\nmerge, whole process, median of ${RUNS} (2 cores, ${process.version})\n`);
  console.log('| input | entries | blocklist-audit | iprange | ratio |\n|---|---:|---:|---:|---:|');
  const inputs = [
    ['(a) largest corpus list: ipip_continent_eu.netset', largest],
    [`(b) all ${lists.length} IPv4 corpus lists concatenated`, all],
    ['(c) generated list', generated],
  ];
  for (const [name, file] of inputs) {
    const ours = timeProcess(process.execPath, [cli, 'merge', file]);
    const theirs = timeProcess('unshare', ['-n', 'iprange', file]);
    console.log(`| ${name} | ${entries(file).toLocaleString('en-US')} | ${ms(ours)} | ${ms(theirs)} | ${(ours / theirs).toFixed(2)} |`);
  }

  const profile = spawnSync(process.execPath, [cli, 'merge', '--profile', all], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const phases = JSON.parse(profile.stderr.trim().split('\n').at(-1));
  console.log(`\nWhere blocklist-audit's time goes on (b), in ms (the rest is Node.js start-up):\n`);
  console.log(
    `| ${Object.keys(phases).join(' | ')} |\n|${Object.keys(phases)
      .map(() => '---:')
      .join('|')}|\n| ${Object.values(phases).join(' | ')} |`,
  );

  const text = readFileSync(largest, 'utf8');
  const cidrList = text.split('\n').filter((l) => l && !l.startsWith('#'));
  const cidrTools = await import('cidr-tools');
  const fastCidrTools = await import('fast-cidr-tools');
  const ours = timeInProcess(() => mergeToCidrStrings(text));
  const slow = timeInProcess(() => cidrTools.mergeCidr(cidrList));
  const fast = timeInProcess(() => fastCidrTools.merge(cidrList));
  const expected = mergeToCidrStrings(text);
  const byCodeUnits = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const same = (result) =>
    JSON.stringify(result) === JSON.stringify(expected)
      ? 'same CIDRs'
      : JSON.stringify([...result].sort(byCodeUnits)) === JSON.stringify([...expected].sort(byCodeUnits))
        ? 'same CIDRs, not in address order'
        : 'DIFFERENT CIDRs';
  console.log(`\nIn-process merge of (a), ${cidrList.length.toLocaleString('en-US')} entries, median of ${RUNS} (ours parses the text; the others get the lines already split)\n`);
  console.log('| library | time | ratio ours/library | check |\n|---|---:|---:|---|');
  console.log(`| blocklist-audit core | ${ms(ours)} | 1.00 | |`);
  console.log(`| cidr-tools | ${ms(slow)} | ${(ours / slow).toFixed(3)} | ${same(cidrTools.mergeCidr(cidrList))} |`);
  console.log(`| fast-cidr-tools | ${ms(fast)} | ${(ours / fast).toFixed(3)} | ${same(fastCidrTools.merge(cidrList))} |`);

  console.log(`\nIPv6 merge, whole process, median of ${RUNS}\n`);
  console.log('| input | entries | blocklist-audit | netaddr | ratio |\n|---|---:|---:|---:|---:|');
  for (const name of ['cloud/lordalfred_microsoft_ipv6.txt', 'cloud/lordalfred_all_ipv6_merged.txt']) {
    const file = join(oracles.corpus, name);
    const ours = timeProcess(process.execPath, [cli, 'merge', file]);
    const theirs = timeProcess('/usr/bin/python3', [join(root, 'test/oracle/netaddr_set.py'), file]);
    console.log(`| ${name} | ${entries(file).toLocaleString('en-US')} | ${ms(ours)} | ${ms(theirs)} | ${(ours / theirs).toFixed(2)} |`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

await import('./bench-budget.mjs');
