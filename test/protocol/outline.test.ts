/** The outline and folding over the protocol: a symbol per section with its entries, breadcrumbs' source, and folds under each heading. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { DocumentSymbol, FoldingRange, InitializeResult } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

const root = resolve(__dirname, '..', '..', '..');
const example = readFileSync(join(root, 'examples/telegram-2018.txt'), 'utf8');
const uri = 'file:///story/telegram-2018.txt';

let client: LspClient;
let initialized: InitializeResult;

before(async () => {
  ({ client, result: initialized } = await LspClient.start({ pull: true }));
  await client.open(uri, example);
});

after(() => client.stop());

test('the server says it gives an outline and folding', () => {
  assert.equal(initialized.capabilities.documentSymbolProvider, true);
  assert.equal(initialized.capabilities.foldingRangeProvider, true);
});

test("document symbols: Telegram's networks and the cloud subnets, with their counts, each entry a child", async () => {
  const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(
    symbols.map((s) => [s.name, s.detail, s.range.start.line, s.range.end.line, s.selectionRange.start.line, s.children?.length]),
    [
      ["Telegram's networks", '9 entries · 9,216 IPv4 · 3 /48s IPv6', 0, 17, 7, 9],
      ['Cloud subnets reported blocked on 16-17 April 2018', '6 entries · 1,835,008 IPv4', 17, 25, 18, 6],
    ],
  );
  assert.deepEqual(
    [symbols[1].children![0].name, symbols[1].children![0].detail, symbols[1].children![0].range.start],
    ['35.192.0.0/12', '1,048,576 addresses', { line: 19, character: 0 }],
  );
});

test('folding: the comment lines above each heading, and each section under its heading', async () => {
  const ranges = await client.connection.sendRequest<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
  assert.deepEqual(
    ranges.map((r) => [r.startLine, r.endLine, r.kind]),
    [
      [0, 6, 'comment'],
      [7, 16, 'region'],
      [18, 24, 'region'],
    ],
  );
});
