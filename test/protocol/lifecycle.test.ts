/**
 * The protocol's lifecycle, with a real server over stdio: a request before
 * `initialize` is answered with ServerNotInitialized (-32002), whichever
 * feature it asks for, and `initialize` is accepted once; later ones are
 * refused with InvalidRequest (-32600) and change nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, ResponseError, type InitializeResult } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

const uri = 'file:///lifecycle.txt';
const position = { line: 0, character: 1 };
const initializeParams = { processId: process.pid, rootUri: null, capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } } } };

/** Asserts that the request is answered with the error `code`. */
async function refused(client: LspClient, method: string, params: unknown, code: number): Promise<void> {
  await assert.rejects(client.connection.sendRequest(method, params), (error: unknown) => {
    assert.ok(error instanceof ResponseError, `${method}: ${String(error)}`);
    assert.equal(error.code, code, `${method}: ${error.message}`);
    return true;
  });
}

test('requests before initialize get ServerNotInitialized; initialize is accepted once', async () => {
  const client = LspClient.launch();
  try {
    const requests: [method: string, params: unknown][] = [
      ['textDocument/hover', { textDocument: { uri }, position }],
      ['textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }],
      ['textDocument/diagnostic', { textDocument: { uri } }],
      ['workspace/executeCommand', { command: 'blocklist.aggregateFile', arguments: [uri] }],
      ['blocklist/summary', { uri }],
      ['blocklist/report', { uri }],
      ['blocklist/refreshFeeds', {}],
      ['shutdown', undefined],
    ];
    for (const [method, params] of requests) await refused(client, method, params, ErrorCodes.ServerNotInitialized);

    const result = await client.connection.sendRequest<InitializeResult>('initialize', initializeParams);
    assert.equal(result.capabilities.hoverProvider, true);
    await refused(client, 'initialize', initializeParams, ErrorCodes.InvalidRequest);
    await client.connection.sendNotification('initialized', {});

    await client.open(uri, '1.2.3.4/24\n');
    const hover = await client.hover(uri, 0, 1);
    assert.ok(hover, 'no hover once initialized');
    assert.deepEqual(
      (await client.pullDiagnostics(uri)).map((d) => d.code),
      ['host-bits-set'],
    );
    await refused(client, 'blocklist/noSuchRequest', {}, ErrorCodes.MethodNotFound);
  } finally {
    await client.stop();
  }
});
