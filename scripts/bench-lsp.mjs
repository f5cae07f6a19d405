// Language-server latencies over the real protocol (stdio), on a generated
// 200,000-line list: open → diagnostics, one-line edit → fresh diagnostics,
// hover, and the server's memory per entry. Run by `npm run bench`.
import { performance } from 'node:perf_hooks';
import lspClient from '../out/test/protocol/lspClient.js';

const { LspClient } = lspClient;
const LINES = 200_000;
const RUNS = 5;
const EDITS = 30;

/** A deterministic list: mostly single addresses, some CIDRs, a few duplicates and overlaps. */
function generateList(lines) {
  let seed = 42;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out = ['# generated benchmark list'];
  for (let i = 1; i < lines; i++) {
    const a = 1 + Math.floor(random() * 222);
    const address = `${a}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;
    const r = random();
    out.push(r < 0.8 ? `${address}.${Math.floor(random() * 256)}` : r < 0.97 ? `${address}.0/24` : `${a}.${Math.floor(random() * 256)}.0.0/16`);
  }
  return out.join('\n') + '\n';
}

const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const text = generateList(LINES);
const { client } = await LspClient.start({ pull: true });
try {
  const idleKb = client.residentKilobytes();
  const open = [];
  for (let run = 0; run < RUNS; run++) {
    const uri = `file:///bench-${run}.txt`;
    const start = performance.now();
    await client.open(uri, text);
    const diagnostics = await client.pullDiagnostics(uri);
    open.push(performance.now() - start);
    if (diagnostics.length === 0) throw new Error('the benchmark list produced no diagnostics');
  }
  // Typing: successive one-line edits to one document, each followed by a pull, as an editor does.
  const edit = [];
  for (let version = 2; version < 2 + EDITS; version++) {
    const line = 500 + version;
    const start = performance.now();
    await client.change('file:///bench-0.txt', version, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '9.9.9.9/8 ' }]);
    const fresh = await client.pullDiagnostics('file:///bench-0.txt');
    edit.push(performance.now() - start);
    if (!fresh.some((d) => d.range.start.line === line)) throw new Error('the edit did not show in fresh diagnostics');
  }
  const hovers = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    const hover = await client.hover('file:///bench-0.txt', 1 + ((i * 997) % (LINES - 1)), 2);
    hovers.push(performance.now() - start);
    if (!hover) throw new Error('no hover');
  }
  const loadedKb = client.residentKilobytes();
  const rows = [
    ['open → diagnostics (median of 5)', `${median(open).toFixed(1)} ms`, '≤ 300 ms'],
    [`one-line edit → fresh diagnostics (median of ${EDITS})`, `${median(edit).toFixed(1)} ms`, '≤ 50 ms'],
    ['hover (median of 200)', `${median(hovers).toFixed(2)} ms`, '≤ 5 ms'],
    [
      'server memory per entry',
      `${(((loadedKb - idleKb) * 1024) / (LINES * RUNS)).toFixed(0)} bytes`,
      `(${RUNS} open copies of ${LINES.toLocaleString('en-US')} lines, RSS ${idleKb} → ${loadedKb} kB)`,
    ],
  ];
  console.log(`\nLanguage server over stdio, ${LINES.toLocaleString('en-US')}-line list (${(text.length / 1e6).toFixed(1)} MB)\n`);
  console.log('| measure | result | target |\n|---|---:|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
} finally {
  await client.stop();
}
