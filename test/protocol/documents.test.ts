/**
 * Documents as the editor holds them, over the protocol with a real server:
 * lines broken at `\n`, `\r\n` or a lone `\r` are the editor's lines, so
 * diagnostics, hovers and quick fixes land on the entry of their line; a
 * byte-order mark some editors leave in the text is no part of the first
 * entry; a document that is not text is one diagnostic; a change that does
 * not raise the version is read all the same.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CodeAction, Diagnostic, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

let client: LspClient;

before(async () => {
  ({ client } = await LspClient.start({ pull: true }));
});

after(async () => {
  await client.stop();
});

async function hoverText(uri: string, line: number, character: number): Promise<string> {
  const hover = await client.hover(uri, line, character);
  assert.ok(hover, `no hover at ${line}:${character}`);
  return (hover.contents as MarkupContent).value;
}

function codeActions(uri: string, line: number, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  const position = { line, character: 1 };
  return client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics } });
}

for (const [name, eol] of [
  ['\\n', '\n'],
  ['\\r\\n', '\r\n'],
  ['a lone \\r', '\r'],
]) {
  test(`with ${name} line breaks, diagnostics, hovers and quick fixes land on the entry of their line`, async () => {
    const uri = `file:///breaks-${encodeURIComponent(name)}.txt`;
    await client.open(uri, ['# list', '10.0.0.0/8', '1.2.3.4/24', ''].join(eol));
    const diagnostics = await client.pullDiagnostics(uri);
    const hostBits = diagnostics.find((d) => d.code === 'host-bits-set');
    assert.deepEqual(hostBits?.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 10 } });
    assert.match(await hoverText(uri, 1, 3), /\*\*10\.0\.0\.0\/8\*\* blocks \*\*16,777,216 addresses\*\*/);
    assert.match(await hoverText(uri, 2, 3), /\*\*1\.2\.3\.4\/24\*\* blocks \*\*256 addresses\*\*/);
    const fix = (await codeActions(uri, 2, diagnostics)).find((action) => action.title === 'Write 1.2.3.4/24 as 1.2.3.0/24');
    assert.deepEqual(fix?.edit?.changes?.[uri], [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 10 } }, newText: '1.2.3.0/24' }]);
  });
}

test('a document whose text starts with a byte-order mark reads as if it did not', async () => {
  const uri = 'file:///bom.txt';
  await client.open(uri, '\uFEFF1.2.3.4/24\n5.5.5.5\n');
  const diagnostics = await client.pullDiagnostics(uri);
  assert.deepEqual(
    diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.code}`),
    ['0:1-11 host-bits-set'],
  );
  assert.match(await hoverText(uri, 0, 3), /\*\*1\.2\.3\.4\/24\*\* blocks \*\*256 addresses\*\*/);
  const fix = (await codeActions(uri, 0, diagnostics)).find((action) => action.title === 'Write 1.2.3.4/24 as 1.2.3.0/24');
  assert.deepEqual(fix?.edit?.changes?.[uri], [{ range: { start: { line: 0, character: 1 }, end: { line: 0, character: 11 } }, newText: '1.2.3.0/24' }]);
});

test('a document that is not text is one diagnostic, at its NUL, instead of one a line', async () => {
  const uri = 'file:///archive.txt';
  await client.open(uri, `1.2.3.4\nPK\u0003\u0004\u0000${'x\u0001y\n'.repeat(5_000)}`);
  const diagnostics = await client.pullDiagnostics(uri);
  assert.deepEqual(
    diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.code}`),
    ['1:4 1 not-text'],
  );
});

test('a change whose version is not higher than the last is read, not answered from the analysis before it', async () => {
  const uri = 'file:///versions.txt';
  await client.open(uri, '10.0.0.1/8\n');
  const line = (n: number, from: number, to: number) => ({ start: { line: n, character: from }, end: { line: n, character: to } });
  assert.deepEqual((await client.pullDiagnostics(uri)).find((d) => d.code === 'host-bits-set')?.range, line(0, 0, 10));
  // Version 1 again, then a lower one: each change moves the entry down a line.
  for (const version of [1, 0]) {
    await client.change(uri, version, [{ range: line(0, 0, 0), text: '1.1.1.1\n' }]);
    const at = 2 - version;
    const diagnostics = await client.pullDiagnostics(uri);
    const hostBits = diagnostics.find((d) => d.code === 'host-bits-set');
    assert.deepEqual(hostBits?.range, line(at, 0, 10), `version ${version}`);
    const fix = (await codeActions(uri, at, diagnostics)).find((action) => action.title === 'Write 10.0.0.1/8 as 10.0.0.0/8');
    assert.deepEqual(fix?.edit?.changes?.[uri], [{ range: line(at, 0, 10), newText: '10.0.0.0/8' }], `version ${version}`);
  }
});
