/**
 * The entry for VS Code with Node (package.json's `main`): the language
 * server runs as a Node process of the extension's dist/server.js, spoken to
 * over IPC. Everything else is shared with the web entry (activate.ts).
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { activateWith, deactivateClient } from './activate';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  await activateWith(context, (options) => new LanguageClient('blocklist', 'Blocklist Auditor', serverOptions, options));
}

export const deactivate = deactivateClient;
