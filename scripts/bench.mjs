// `npm run bench` (issue 12): the language server cold and at 2 M lines, the
// CLI's check at 200 K and 5 M lines, merge against FireHOL iprange in
// alternating runs, each figure with its runs' min–max and its target in one
// table, with the workspace index of the corpus (issue 14); then the 1 s
// budget on hostile input of every format (bench-budget.mjs).
// One part alone: node scripts/bench.mjs --only server|cli|merge|workspace|budget (a
// comma-separated list), after a build.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchCli } from './bench/cli.mjs';
import { corpus, corpusConcatenation, generatedList, largestList, realList } from './bench/inputs.mjs';
import { printTable } from './bench/measure.mjs';
import { benchMerge } from './bench/merge.mjs';
import { benchServer } from './bench/server.mjs';
import { benchWorkspace } from './bench/workspace.mjs';

const PARTS = ['server', 'cli', 'merge', 'workspace', 'budget'];
const { values } = parseArgs({ options: { only: { type: 'string', default: PARTS.join(',') } } });
const only = values.only.split(',');
const unknown = only.filter((part) => !PARTS.includes(part));
if (unknown.length > 0) throw new Error(`Unknown part ${unknown.join(', ')}: --only takes ${PARTS.join(', ')}, comma-separated.`);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const loadAtStart = load();
const scratch = mkdtempSync(join(tmpdir(), 'blocklist-bench-'));
try {
  const once = (make) => {
    let input;
    return () => (input ??= make());
  };
  const real = once(() => realList(scratch));
  const rows = [];
  if (only.includes('server')) rows.push(...(await benchServer(real(), generatedList(scratch, 2_000_000))));
  if (only.includes('cli')) rows.push(...benchCli(real(), generatedList(scratch, 5_000_000)));
  if (only.includes('merge')) {
    const concatenation = corpusConcatenation(scratch);
    console.log(`Corpus concatenation: ${concatenation.entries.toLocaleString('en-US')} entries`);
    rows.push(...(await benchMerge(concatenation, largestList())));
  }
  if (only.includes('workspace')) rows.push(...(await benchWorkspace(corpus)));
  if (rows.length > 0) {
    printTable(
      `Issue 12's targets (and issue 14's index) on ${cpus().length} cores, Node ${process.version}, load average ${loadAtStart} at the start, ${load()} at the end (1, 5, 15 min); the median meets the target or not`,
      rows,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (only.includes('budget')) await import('./bench-budget.mjs');
