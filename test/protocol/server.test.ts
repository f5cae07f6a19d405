import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { CodeAction, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

const LIST = ['# blocklist-format: plain', '35.192.0.0/12', '1.2.3.4/24', '10.0.0.1', '35.200.0.0/16', '', '2001:db8::/48', 'not-an-address'].join('\n');

function markdown(hover: Hover | null): string {
  assert.ok(hover, 'no hover');
  return (hover.contents as MarkupContent).value;
}

let pull: LspClient;

before(async () => {
  ({ client: pull } = await LspClient.start({ pull: true }));
});

after(async () => {
  await pull.stop();
});

test('announces incremental sync, hover and pull diagnostics', async () => {
  const { client, result } = await LspClient.start({ pull: true });
  await client.stop();
  assert.equal(result.capabilities.textDocumentSync, 2);
  assert.equal(result.capabilities.hoverProvider, true);
  assert.deepEqual(result.capabilities.diagnosticProvider, { interFileDependencies: false, workspaceDiagnostics: false });
});

test('pulled diagnostics are positioned, coded and related', async () => {
  await pull.open('file:///a.txt', LIST);
  const diagnostics = await pull.pullDiagnostics('file:///a.txt');
  const brief = diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.severity} ${d.code}`);
  assert.deepEqual(brief, ['1:0-13 2 reach', '2:0-10 2 host-bits-set', '3:0-8 2 special-purpose', '4:0-13 2 covered', '6:0-13 2 special-purpose', '7:0-14 1 invalid-entry']);
  const covered = diagnostics.find((d) => d.code === 'covered');
  assert.equal(covered?.message, 'Already blocked by line 2 (35.192.0.0/12): this entry adds no address.');
  assert.deepEqual(covered?.relatedInformation?.[0].location.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 13 } });
  assert.deepEqual(covered?.tags, [1]);
  // Size and owners in one diagnostic: its components in data and in the message, the ASNs as related information.
  const reach = diagnostics.find((d) => d.code === 'reach');
  assert.ok(reach);
  assert.deepEqual((reach.data as { codes: string[] }).codes, ['overbroad', 'known-network']);
  assert.match(reach.message as string, /^35\.192\.0\.0\/12 blocks 1,048,576 addresses \(more than a \/16\): Google Cloud 901,120 \(85\.9 %\), .* \(overbroad, known-network\)\.$/);
  assert.deepEqual(
    reach.relatedInformation?.map((r) => r.message.split(':')[0]),
    ['Blocks 901,120 addresses of Google Cloud (85.9 % of the entry, AS396982), 131,072 addresses of Google (12.5 % of the entry, AS15169 AS19527).'],
  );
});

test("a reach diagnostic carries its components' quick fixes", async () => {
  const uri = 'file:///reach.txt';
  await pull.open(uri, LIST);
  const diagnostics = await pull.pullDiagnostics(uri);
  const actions = await pull.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } },
    context: { diagnostics },
  });
  const exclude = actions.find((a) => a.title.startsWith('Exclude Google Cloud from 35.192.0.0/12'));
  assert.deepEqual(
    exclude?.diagnostics?.map((d) => d.code),
    ['reach'],
  );
});

test('hover on an entry leads with the count and its owners, then the owner table, then exact bounds, netmask, share and overlaps', async () => {
  await pull.open('file:///b.txt', LIST);
  const text = markdown(await pull.hover('file:///b.txt', 1, 3));
  const [summary, table] = text.split('\n\n');
  assert.equal(summary, '**35.192.0.0/12** blocks **1,048,576 addresses** · Google Cloud 901,120 (85.9 %), Google 131,072 (12.5 %), unannounced 16,384 (1.56 %)');
  // Who holds it, from the ASN data, right under the summary.
  assert.deepEqual(table.split('\n').slice(0, 3), ['| organisation | ASNs | addresses | share |', '|---|---|---:|---:|', '| Google Cloud | AS396982 | 901,120 | 85.9 % |']);
  assert.match(text, /First – last: `35\.192\.0\.0` – `35\.207\.255\.255`/);
  assert.match(text, /Prefix: \/12 · netmask `255\.240\.0\.0`/);
  assert.match(text, /Share of the IPv4 space: 0\.0244 %/);
  assert.match(text, /line 5: `35\.200\.0\.0\/16` \(65,536 shared\)/);
  assert.doesNotMatch(text, /Exactly/, 'an IPv4 count is exact in the summary already');
  // The data's date, credit and caveat close it (its exact age on a fixed day: dataDate.test.ts).
  assert.match(text.split('\n').at(-1)!, /^_Ownership data: @ip-location-db\/asn \S+ of \d{4}-\d{2}-\d{2} \(\d+ days? old\); RouteViews, NRO and DB-IP .*Its publisher warns/);
});

test("hover groups an organisation's ASNs under it: 104.16.0.0/12 is Cloudflare alone", async () => {
  await pull.open('file:///cf.txt', '104.16.0.0/12\n');
  const text = markdown(await pull.hover('file:///cf.txt', 0, 3));
  const rows = text.split('\n').filter((line) => line.startsWith('| Cloudflare'));
  assert.equal(rows.length, 1, text);
  assert.match(rows[0], /^\| Cloudflare \| AS13335 [\d,]+ · AS202623 [\d,]+ · AS132892 [\d,]+ · AS14789 [\d,]+ \| 852,992 \| 81\.3 % \|$/);
});

test('hover on an entry says what the target gets of it', async () => {
  await pull.open('file:///t.txt', ['# target: telegram 35.200.0.0/15', '35.192.0.0/12', '91.108.4.0/22', '35.200.0.0/16', '8.8.8.0/24'].join('\n'));
  const summary = async (line: number) => markdown(await pull.hover('file:///t.txt', line, 3)).split('\n')[0];
  assert.match(await summary(1), /^\*\*35\.192\.0\.0\/12\*\* blocks \*\*1,048,576 addresses\*\* · .* · 131,072 \(12\.5 %\) in the target telegram 35\.200\.0\.0\/15$/);
  assert.match(await summary(2), / · all in the target telegram 35\.200\.0\.0\/15$/);
  assert.match(await summary(4), / · none in the target telegram 35\.200\.0\.0\/15$/);
});

test('hover on IPv6 reads the count in /48s and a power of two, the exact integer among the details', async () => {
  await pull.open('file:///c.txt', LIST);
  const text = markdown(await pull.hover('file:///c.txt', 6, 2));
  assert.match(text.split('\n')[0], /^\*\*2001:db8::\/48\*\* blocks \*\*2\^80 addresses \(1 \/48\)\*\*/);
  assert.match(text, /^Exactly 1,208,925,819,614,629,174,706,176 addresses {2}$/m);
  assert.match(text, /First – last: `2001:db8::` – `2001:db8:0:ffff:ffff:ffff:ffff:ffff`/);
  assert.match(text, /2001:db8::\/32` Documentation \(RFC 3849\)/);
});

test('hover elsewhere gives the document totals (the union, not the sum)', async () => {
  await pull.open('file:///d.txt', LIST);
  const text = markdown(await pull.hover('file:///d.txt', 0, 2));
  assert.match(text, /\| IPv4 \| 4 \| 1,048,833 \|/);
  assert.match(text, /\| IPv6 \| 1 \| 1 \/48 \|/);
});

test('push diagnostics follow incremental edits, newest version only', async () => {
  const { client } = await LspClient.start({ pull: false });
  try {
    await client.open('file:///e.txt', '5.5.5.5\n5.5.5.5\n');
    const first = await client.pushedDiagnostics('file:///e.txt');
    assert.deepEqual(
      first.diagnostics.map((d) => d.code),
      ['duplicate'],
    );
    await client.change('file:///e.txt', 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } }, text: '2.2.2.2' }]);
    const second = await client.pushedDiagnostics('file:///e.txt', (p) => p.version === 2);
    assert.deepEqual(second.diagnostics, []);
  } finally {
    await client.stop();
  }
});

test('settings change severities per code', async () => {
  const { client } = await LspClient.start({ pull: true, configuration: true });
  try {
    client.settings = { severity: { duplicate: 'error', 'special-purpose': 'off' } };
    await client.open('file:///f.txt', '10.0.0.1\n10.0.0.1\n');
    const diagnostics = await client.pullDiagnostics('file:///f.txt');
    assert.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.severity}`),
      ['duplicate 1'],
    );
  } finally {
    await client.stop();
  }
});

test('no input crashes the server', async () => {
  const garbage = ['\u0000\u0001', '::::', '1.2.3.4/-1', '-'.repeat(10_000), '1'.repeat(100_000), '🙂 1.2.3.4', '\r\r\n'].join('\n');
  await pull.open('file:///g.txt', garbage);
  const diagnostics = await pull.pullDiagnostics('file:///g.txt');
  assert.ok(diagnostics.length > 0);
  assert.ok(await pull.hover('file:///g.txt', 3, 5));
  assert.ok((await pull.hover('file:///unknown.txt', 0, 0)) === null);
});

test('code actions: quick fixes tied to their diagnostics, rewrites, and fix-all', async () => {
  const uri = 'file:///fix.txt';
  await pull.open(uri, '1.2.3.4/24\n5.5.5.5\n5.5.5.5\n');
  const diagnostics = await pull.pullDiagnostics(uri);
  const actions = await pull.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } },
    context: { diagnostics },
  });
  const hostBits = actions.find((a) => a.title === 'Write 1.2.3.4/24 as 1.2.3.0/24');
  assert.equal(hostBits?.kind, 'quickfix');
  assert.equal(hostBits?.isPreferred, true);
  assert.deepEqual(
    hostBits?.diagnostics?.map((d) => d.code),
    ['host-bits-set'],
  );
  assert.deepEqual(hostBits?.edit?.changes?.[uri], [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } }, newText: '1.2.3.0/24' }]);
  assert.ok(actions.some((a) => a.kind === 'refactor.rewrite' && a.title === 'Split 1.2.3.4/24 into two halves (/25)'));
  const fixAll = await pull.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  });
  assert.deepEqual(
    fixAll.map((a) => a.kind),
    ['source.fixAll.blocklist'],
  );
  assert.equal(fixAll[0].edit?.changes?.[uri].length, 2);
});

test('for a client that resolves code actions, Fix all comes without its edit, computed on codeAction/resolve', async () => {
  const { client, result } = await LspClient.start({ pull: true, resolvesCodeActions: true });
  try {
    assert.equal((result.capabilities.codeActionProvider as { resolveProvider?: boolean }).resolveProvider, true);
    const uri = 'file:///resolve.txt';
    await client.open(uri, '1.2.3.4/24\n5.5.5.5\n5.5.5.5\n');
    const everything = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
      context: { diagnostics: [] },
    });
    const offered = everything.find((a) => a.kind === 'source.fixAll.blocklist');
    assert.ok(offered, 'Fix all is offered');
    assert.equal(offered.edit, undefined, 'a plain request computes no Fix all');
    const resolved = await client.connection.sendRequest<CodeAction>('codeAction/resolve', offered);
    assert.deepEqual(
      resolved.edit?.changes?.[uri].map((edit) => edit.newText),
      ['1.2.3.0/24', ''],
    );
    // A clean list offers no Fix all.
    await client.open('file:///clean.txt', '1.2.3.0/24\n');
    const clean = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: 'file:///clean.txt' },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(clean, []);
  } finally {
    await client.stop();
  }
});

test('the aggregate command asks the editor to apply the minimal CIDR list', async () => {
  const uri = 'file:///aggregate.txt';
  await pull.open(uri, '# a\n11.0.1.0/24\n11.0.0.0/24\n');
  await pull.connection.sendRequest('workspace/executeCommand', { command: 'blocklist.aggregateFile', arguments: [uri] });
  const edits = pull.appliedEdits.at(-1)?.changes?.[uri] ?? [];
  assert.deepEqual(edits.map((e) => e.newText).sort(), ['', '11.0.0.0/23']);
});

test('the summary for the status bar: totals and the providers most blocked', async () => {
  await pull.open('file:///summary.txt', '35.192.0.0/12\n52.58.0.0/15\n18.196.0.0/15\n5.5.5.5\n');
  const summary = await pull.connection.sendRequest<{ ipv4: { entries: number; addresses: string }; providers: { name: string; addresses: string }[] }>('blocklist/summary', {
    uri: 'file:///summary.txt',
  });
  assert.deepEqual(summary.ipv4, { entries: 4, addresses: String(1048576 + 2 * 131072 + 1) });
  assert.deepEqual(summary.providers, [
    { name: 'Google Cloud', addresses: '901120' },
    { name: 'Amazon Web Services', addresses: '262144' },
    { name: 'Google', addresses: '131072' },
  ]);
});

test('after a document opens, the client is asked to pull diagnostics again: soon, and once more a while later', async () => {
  // code-server sometimes leaves a pull unshown until an edit: one ask a moment after the open still went unheeded in
  // about one run of ten, and a second ask seconds later showed the diagnostics in each of 16 runs.
  const { client } = await LspClient.start({ pull: true });
  const opened = Date.now();
  await client.open('file:///refresh.txt', '10.0.0.0/8\n');
  // (The server asks at other times too: when its settings or the ownership data change.)
  await delay(4_000);
  await client.stop();
  const since = client.diagnosticRefreshes.map((at) => at - opened);
  assert.ok(
    since.some((ms) => ms >= 400 && ms < 2_000),
    `no ask a moment after the open: ${since.join(', ')} ms`,
  );
  assert.ok(
    since.some((ms) => ms >= 2_500),
    `no second ask seconds after the open: ${since.join(', ')} ms`,
  );
});
