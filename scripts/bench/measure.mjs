// How the bench times things and prints them: whole processes, a summary of
// several runs (median and min–max), and the one table of issue 12 with the
// target beside each figure.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Median, min and max of a few runs. */
export function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1), runs: values.length };
}

/** The wall time of a whole process whose output goes nowhere, in ms, and its error output; throws when it exits with another status than `allowedStatus`. */
export function timeProcess(command, args, { allowedStatus = [0] } = {}) {
  const start = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const elapsed = performance.now() - start;
  if (result.error) throw new Error(`${command} ${args.join(' ')} could not run: ${result.error.message}`);
  if (!allowedStatus.includes(result.status)) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return { elapsed, stderr: String(result.stderr) };
}

/** Ours and theirs in alternating runs (ours, theirs, ours, …), so that a change in the machine's load hits both: both times and the ratio of each pair. */
export function alternating(runs, ours, theirs) {
  const pairs = [];
  for (let run = 0; run < runs; run++) pairs.push([ours(), theirs()]);
  return { ours: pairs.map(([a]) => a), theirs: pairs.map(([, b]) => b), ratio: pairs.map(([a, b]) => a / b) };
}

/**
 * A row of the table: what was measured, its runs' spread, and the target.
 * `format` writes one value with its unit; `target` is the bound the median must stay within;
 * `lowerBound` marks values that are only lower bounds (a run stopped before its end).
 */
export function row(measure, values, target, format, lowerBound = false) {
  return { measure, ...spread(values), target, format, lowerBound };
}

/** An input's size in entries, rounded: "200 K", "2 M". */
export const entries = (input) => (input.entries >= 1e6 ? `${Math.round(input.entries / 1e6)} M` : `${Math.round(input.entries / 1e3)} K`);
export const ms = (value) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : value >= 10 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`);
export const times = (value) => `${value.toFixed(2)}×`;
export const count = (value) => Math.round(value).toLocaleString('en-US');
export const bytes = (value) => `${value.toFixed(0)} B`;
export const megabytes = (kilobytes) => `${(kilobytes / 1024).toFixed(0)} MB`;

/** Prints the rows as one table: median, min–max over the runs, target and whether the median meets it. */
export function printTable(title, rows) {
  console.log(`\n${title}\n`);
  console.log('| measure | median | min–max | runs | target | met |\n|---|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const value = (v) => (r.lowerBound ? `≥ ${r.format(v)}` : r.format(v));
    const range = r.runs > 1 ? `${value(r.min)}–${value(r.max)}` : '';
    const met = r.target === undefined ? '' : r.median <= r.target ? 'yes' : 'NO';
    console.log(`| ${r.measure} | ${value(r.median)} | ${range} | ${r.runs} | ${r.target === undefined ? '' : `≤ ${r.format(r.target)}`} | ${met} |`);
  }
}
