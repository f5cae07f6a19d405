// The language server over stdio (issue 12). Cold: a fresh server per run,
// from didOpen of the 200 K real list to its first pulled diagnostics and the
// first hover after them (line 100,000); then warm one-line edits and hovers.
// At scale: the 2 M generated list opened, edited and aggregated, and the
// server's memory per entry beyond the text.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import lspClient from '../../out/test/protocol/lspClient.js';
import { bytes, count, entries, ms, row } from './measure.mjs';

const { LspClient } = lspClient;
const URI = 'file:///bench.txt';

async function timed(work) {
  const start = performance.now();
  const result = await work();
  return [performance.now() - start, result];
}

/** Opens the text and pulls its diagnostics: the time, which must find something. */
async function openAndDiagnose(client, text) {
  const [elapsed, diagnostics] = await timed(async () => {
    await client.open(URI, text);
    return client.pullDiagnostics(URI);
  });
  if (diagnostics.length === 0) throw new Error('the list produced no diagnostics: the bench measures nothing');
  return elapsed;
}

/** Successive one-line edits, each followed by a pull as an editor does: their times. */
async function editTimes(client, edits) {
  const elapsed = [];
  for (let version = 2; version < 2 + edits; version++) {
    const line = 500 + version;
    const [time, fresh] = await timed(async () => {
      await client.change(URI, version, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '9.9.9.9/8 ' }]);
      return client.pullDiagnostics(URI);
    });
    if (!fresh.some((d) => d.range.start.line === line)) throw new Error(`the edit of line ${line} did not show in fresh diagnostics`);
    elapsed.push(time);
  }
  return elapsed;
}

async function hoverTime(client, line) {
  const [elapsed, hover] = await timed(() => client.hover(URI, line, 2));
  if (!hover) throw new Error(`no hover at line ${line}`);
  return elapsed;
}

/** A fresh server for each run; stopped whatever happens. */
async function withServer(work) {
  const { client } = await LspClient.start({ pull: true });
  try {
    return await work(client);
  } finally {
    await client.stop();
  }
}

export async function benchServer(real, large, { coldRuns = 5, largeRuns = 2, edits = 10, largeEdits = 3, hovers = 40 } = {}) {
  const realText = readFileSync(real.file, 'utf8');
  const cold = { open: [], hover: [], edit: [], warmHover: [] };
  for (let run = 0; run < coldRuns; run++) {
    await withServer(async (client) => {
      cold.open.push(await openAndDiagnose(client, realText));
      cold.hover.push(await hoverTime(client, 100_000));
      cold.edit.push(...(await editTimes(client, edits)));
      for (let i = 0; i < hovers; i++) cold.warmHover.push(await hoverTime(client, (i * 4_999) % real.entries));
    });
  }

  const largeText = readFileSync(large.file, 'utf8');
  const scale = { open: [], edit: [], aggregate: [], edits: [], perEntry: [] };
  for (let run = 0; run < largeRuns; run++) {
    await withServer(async (client) => {
      // A small list first, so that what any first open loads (the ASN index) is not counted per entry.
      await client.open('file:///warm-up.txt', '10.0.0.0/8\n8.8.8.8\n');
      await client.pullDiagnostics('file:///warm-up.txt');
      const before = client.residentKilobytes();
      scale.open.push(await openAndDiagnose(client, largeText));
      const after = client.residentKilobytes();
      scale.perEntry.push(((after - before) * 1024 - 2 * large.characters) / large.entries);
      scale.edit.push(...(await editTimes(client, largeEdits)));
      const start = performance.now();
      const applied = client.nextAppliedEdit();
      const command = client.connection.sendRequest('workspace/executeCommand', { command: 'blocklist.aggregateFile', arguments: [URI] });
      // The command ends once its edit was applied: ending first means that it asked for none (awaiting it then says why when it failed).
      const ended = command.then(
        () => undefined,
        () => undefined,
      );
      const edit = await Promise.race([applied, ended]);
      const elapsed = performance.now() - start;
      await command;
      if (!edit) throw new Error(`Aggregate File asked for no edit. Server output: ${client.stderr}`);
      scale.aggregate.push(elapsed);
      scale.edits.push(edit.changes?.[URI]?.length ?? 0);
    });
  }
  return [
    row(`server, cold (fresh process): open ${entries(real)} real list → diagnostics`, cold.open, 250, ms),
    row('server, cold: first hover, line 100,000', cold.hover, 3, ms),
    row('server, warm: one-line edit → fresh diagnostics', cold.edit, 30, ms),
    row(`server, warm: hover at ${hovers} lines`, cold.warmHover, 3, ms),
    row(`server: open ${entries(large)} generated list → diagnostics`, scale.open, 1500, ms),
    row(`server, ${entries(large)}: one-line edit → fresh diagnostics`, scale.edit, 100, ms),
    row(`server, ${entries(large)}: Aggregate File → workspace/applyEdit`, scale.aggregate, 3000, ms),
    row(`server, ${entries(large)}: Aggregate File, edits sent`, scale.edits, undefined, count),
    row(`server, ${entries(large)}: memory per entry beyond 2 × text`, scale.perEntry, 80, bytes),
  ];
}
