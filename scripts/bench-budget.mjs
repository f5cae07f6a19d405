// The 1 s budget: no input of up to 1 MB takes a fresh `blocklist-audit check`
// process or a running language server more than 1 s to its findings,
// whatever its content. For each format, every shape of test/core/generatedDocuments.ts
// (real-looking, huge entries, everything repeated, a scope per entry, broken
// lines, deep nesting, one huge line; a target of thousands of ASNs for plain
// lists) at just under 1 MB: the CLI's time (min–max of RUNS fresh processes),
// the server's from didOpen to diagnostics (min–max of RUNS opens), and how
// the server's time grows from N to 4N lines (a quarter of the document, then
// all of it, opened in turn RUNS times: the ratio of their medians; 4 is linear),
// beside a fresh CLI's time on a one-line list before and after the cases.
// Run by `npm run bench`; alone: `node scripts/bench-budget.mjs [FORMAT…]` after a build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import generated from '../out/test/core/generatedDocuments.js';
import lspClient from '../out/test/protocol/lspClient.js';

const { SHAPES, targetDocument } = generated;
// Formats named on the command line when run alone; every format when bench.mjs imports it (its arguments are its own).
const asked = import.meta.filename === resolve(process.argv[1]) ? process.argv.slice(2) : [];
const FORMAT_IDS = asked.length > 0 ? generated.FORMAT_IDS.filter((id) => asked.includes(id)) : generated.FORMAT_IDS;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BUDGET_MS = 1000;
const SIZE = 1 << 20;
const cli = join(resolve(import.meta.dirname, '..'), 'dist/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'blocklist-budget-'));

/** The largest count whose document stays within `size` characters (the documents grow with the count). */
function sized(make, size) {
  let count = Math.max(1, Math.floor((size * 100) / make(100).length));
  while (count > 1 && make(count).length > size) count = Math.floor(count * 0.97);
  return count;
}

const shapesOf = (format) => [
  ...SHAPES.filter((shape) => shape.formats.includes(format)).map((shape) => ({ name: shape.name, make: (count) => shape.text(format, count) })),
  ...(format === 'plain' ? [{ name: 'a target naming thousands of ASNs', make: (count) => targetDocument(count, 100) }] : []),
];

/** Past this, a case is cut short and reported as such rather than timed to its end. */
const GIVE_UP_MS = 30_000;

/** The CLI's times, or what went wrong: its exit status and error, or the time it was given up after. */
function timeCli(file, format) {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const args = [cli, 'check', '--fail-on', 'never', '--input-format', format, file];
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: GIVE_UP_MS, maxBuffer: 1 << 30 });
    times.push(performance.now() - start);
    if (result.error) return `over ${GIVE_UP_MS / 1000} s`;
    if (result.status !== 0)
      return `exit ${result.status}: ${
        String(result.stderr)
          .split('\n')
          .find((line) => /Error/.test(line)) ?? ''
      }`.trim();
  }
  return times;
}

/**
 * A fresh `check` of a one-line list: the floor every case pays (Node's start, the bundle, the ASN index), timed before
 * the cases and after them, so that a reader sees how fast the machine was and how far it moved meanwhile.
 */
function floorTimes() {
  const file = join(scratch, 'one-line.txt');
  writeFileSync(file, '192.0.2.1\n');
  return timeCli(file, 'plain');
}

let opened = 0;
/** The server's time from didOpen to diagnostics, or NaN when it answered with an error. */
async function timeServer(client, text, format) {
  client.settings = { format };
  const uri = `file:///budget-${opened++}.txt`;
  const start = performance.now();
  await client.open(uri, text);
  const elapsed = await client.pullDiagnostics(uri).then(
    () => performance.now() - start,
    () => NaN,
  );
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  return elapsed;
}

const median = (times) => [...times].sort((a, b) => a - b)[times.length >> 1];
/** min–max of the times; '—' for none (a case the CLI could not finish), 'error' when the server answered one with an error. */
const range = (times) =>
  typeof times === 'string' ? times : times.length === 0 ? '—' : times.some(Number.isNaN) ? 'error' : `${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)}`;
/** The slowest a case took; infinite when it failed. */
const slowest = (row) => (typeof row.cli === 'string' || row.server.some(Number.isNaN) ? Infinity : Math.max(...row.cli, ...row.server));

const { client } = await lspClient.LspClient.start({ pull: true, configuration: true });
try {
  const floorBefore = floorTimes();
  const rows = [];
  for (const format of FORMAT_IDS) {
    for (const shape of shapesOf(format)) {
      const count = sized(shape.make, SIZE);
      const text = shape.make(count);
      const file = join(scratch, `${format}.txt`);
      writeFileSync(file, text);
      const row = { format, shape: shape.name, bytes: text.length, cli: timeCli(file, format), server: [], growth: NaN };
      rows.push(row);
      // A case the CLI could not finish would hold the server as long: its server times are left out.
      if (typeof row.cli === 'string') continue;
      const quarter = shape.make(Math.max(1, Math.floor(count / 4)));
      await timeServer(client, quarter, format); // the server's first look at this shape: lazily built tables, compiled code
      // In turn, so that a collection or a busy moment of the machine weighs on both sizes alike.
      const quarters = [];
      for (let run = 0; run < RUNS; run++) {
        row.server.push(await timeServer(client, text, format));
        quarters.push(await timeServer(client, quarter, format));
      }
      row.growth = median(row.server) / median(quarters);
    }
  }
  const floorAfter = floorTimes();
  console.log(
    `\nThe 1 s budget at 1 MB: a fresh CLI process and a running server, open to diagnostics (${RUNS} runs each, min–max), in ms; growth is the server's median time at 4N lines over its median at N, opened in turn (linear: 4). ` +
      `A fresh CLI process on a one-line list, the floor of every case: ${range(floorBefore)} ms before the cases, ${range(floorAfter)} ms after them\n`,
  );
  console.log('| format | worst shape | CLI | server | growth N→4N (largest) | within 1 s |\n|---|---|---:|---:|---:|---|');
  for (const format of FORMAT_IDS) {
    const own = rows.filter((row) => row.format === format);
    const worst = own.reduce((a, b) => (slowest(b) > slowest(a) ? b : a));
    const growth = Math.max(...own.map((row) => row.growth).filter((ratio) => !Number.isNaN(ratio)));
    console.log(`| ${format} | ${worst.shape} | ${range(worst.cli)} | ${range(worst.server)} | ${growth.toFixed(1)} | ${slowest(worst) <= BUDGET_MS ? 'yes' : 'NO'} |`);
  }
  console.log('\nEvery case:\n');
  console.log('| format | shape | bytes | CLI | server | growth |\n|---|---|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(`| ${row.format} | ${row.shape} | ${row.bytes.toLocaleString('en-US')} | ${range(row.cli)} | ${range(row.server)} | ${row.growth.toFixed(1)} |`);
  }
} finally {
  await client.stop();
  rmSync(scratch, { recursive: true, force: true });
}
