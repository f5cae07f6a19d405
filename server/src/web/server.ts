/**
 * The language server in a web worker, for VS Code for the Web. The client
 * posts the ASN index's bytes first (web/extension.ts); the LSP messages
 * come after them, so the connection starts once they are in.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { startServer } from '../lsp/startServer';
import { webRuntime } from './webRuntime';
import { ASN_INDEX_MESSAGE, type AsnIndexMessage } from './asnIndexMessage';

/** The worker's own scope (`self`), as far as this file uses it; the root tsconfig has no web worker types. */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
const first = (event: { data: unknown }) => {
  const message = event.data as Partial<AsnIndexMessage> | undefined;
  if (message?.type !== ASN_INDEX_MESSAGE || !(message.bytes instanceof Uint8Array)) return;
  scope.removeEventListener('message', first);
  const connection = createConnection(new BrowserMessageReader(scope), new BrowserMessageWriter(scope));
  startServer(connection, webRuntime(connection, message.bytes, message.location ?? 'dist/asn.bin'));
};
scope.addEventListener('message', first);
