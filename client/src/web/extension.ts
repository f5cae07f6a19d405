/**
 * The entry for VS Code for the Web (package.json's `browser`): the language
 * server runs in a web worker of the extension's own dist/web/server.js,
 * and gets the ASN index's bytes, read here from the extension's
 * dist/asn.bin, as its first message; it asks this client for the
 * workspace's files (clientFiles.ts).
 *
 * The worker is started from the script's text (a blob URL), not its URI:
 * VS Code's web worker host refuses workers of an extension installed on a
 * remote (code-server: "Creating workers from remote extensions is currently
 * not supported"), while `workspace.fs` reads its files wherever they are.
 */
import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient, type MessageTransports } from 'vscode-languageclient/browser';
import { ASN_INDEX_MESSAGE, type AsnIndexMessage } from '../../../server/src/web/asnIndexMessage';
import { activateWith, deactivateClient } from '../activate';
import { serveFiles } from './clientFiles';

/** The web worker API, as far as this file uses it; the root tsconfig has no DOM types. */
interface WebWorker {
  postMessage(message: AsnIndexMessage, transfer: ArrayBuffer[]): void;
  terminate(): void;
}
const web = globalThis as unknown as {
  Worker: new (url: string, options: { name: string }) => WebWorker;
  Blob: new (parts: Uint8Array[], options: { type: string }) => object;
  URL: { createObjectURL(blob: object): string; revokeObjectURL(url: string): void };
};

/** The running server's worker and its script's URL, which must live as long as it: the host's worker loads the script later. */
let server: { readonly worker: WebWorker; readonly url: string } | undefined;

function stopServer(): void {
  server?.worker.terminate();
  if (server) web.URL.revokeObjectURL(server.url);
  server = undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const asnIndex = vscode.Uri.joinPath(context.extensionUri, 'dist', 'asn.bin');
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'server.js');
  await activateWith(context, (options) => {
    const client: LanguageClient = new LanguageClient('blocklist', 'Blocklist Auditor', () => startWorker(client), options);
    context.subscriptions.push(serveFiles(client));
    return client;
  });

  /** A fresh worker at each start, the last one ended: a restart must not leave the old server running. */
  async function startWorker(client: LanguageClient): Promise<MessageTransports> {
    stopServer();
    const start = Date.now();
    const [script, bytes] = await Promise.all([vscode.workspace.fs.readFile(serverMain), vscode.workspace.fs.readFile(asnIndex)]);
    client.info(`Read the server (${megabytes(script)}) and the ASN index (${megabytes(bytes)}) in ${Date.now() - start} ms.`);
    const url = web.URL.createObjectURL(new web.Blob([script], { type: 'text/javascript' }));
    const worker = new web.Worker(url, { name: 'Blocklist Auditor language server' });
    server = { worker, url };
    worker.postMessage({ type: ASN_INDEX_MESSAGE, bytes, location: asnIndex.toString(true) }, [bytes.buffer as ArrayBuffer]);
    // The transports, not the worker: the host's own Worker class is not the one the client's `instanceof Worker` checks.
    return { reader: new BrowserMessageReader(worker), writer: new BrowserMessageWriter(worker) };
  }
}

function megabytes(bytes: Uint8Array): string {
  return `${(bytes.byteLength / 1_000_000).toFixed(1)} MB`;
}

export async function deactivate(): Promise<void> {
  await deactivateClient();
  stopServer();
}
