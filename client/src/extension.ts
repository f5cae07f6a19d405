/**
 * The VS Code side of Blocklist Auditor: starts the language server for
 * `blocklist` documents and shows the active list's totals in the status bar.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerFeedCommands } from './feedCommands';
import { registerOwnershipCommand } from './ownershipCommand';
import { registerPlainTextDetection } from './plainTextDetection';
import { OpenReports, registerReport, registerWorkspaceReport } from './report/reportPanel';
import { registerBlockingEntries } from './blockingEntries';
import { ChangeTracker } from './changes';
import { StatusBar } from './statusBar';

let client: LanguageClient | undefined;
/** When the server stopped unexpectedly, in the last three minutes. */
const crashes: number[] = [];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const output = vscode.window.createOutputChannel('Blocklist Auditor', { log: true });
  const watcher = vscode.workspace.createFileSystemWatcher('**/*');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'blocklist' }],
    // Every file event: the server's workspace index decides which files are lists (blocklist.workspace.include).
    synchronize: { configurationSection: 'blocklist', fileEvents: watcher },
    outputChannel: output,
    initializationOptions: { storagePath: context.globalStorageUri.fsPath },
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        // Restart, but not forever: a server that keeps crashing needs a person.
        const now = Date.now();
        crashes.push(now);
        while (crashes[0] < now - 3 * 60_000) crashes.shift();
        if (crashes.length > 4) {
          void vscode.window.showErrorMessage(
            'Blocklist Auditor: the language server crashed 5 times in 3 minutes and was not restarted. "Blocklist: Show Output" has its log; "Blocklist: Restart Language Server" tries again.',
          );
          return { action: CloseAction.DoNotRestart };
        }
        void vscode.window.showWarningMessage('Blocklist Auditor: the language server stopped unexpectedly and was restarted. "Blocklist: Show Output" has its log.');
        return { action: CloseAction.Restart };
      },
    },
  };
  client = new LanguageClient('blocklist', 'Blocklist Auditor', serverOptions, clientOptions);
  const reports = new OpenReports();
  const statusBar = new StatusBar(client, reports);
  const changes = new ChangeTracker(client, reports, () => statusBar.update());
  context.subscriptions.push(
    registerFeedCommands(client),
    registerOwnershipCommand(client, () => statusBar.update()),
    registerReport(client, reports),
    registerBlockingEntries(client),
    registerWorkspaceReport(client),
    reports,
    output,
    watcher,
    statusBar,
    changes,
    vscode.commands.registerCommand('blocklist.restartServer', async () => {
      await client?.restart();
      void vscode.window.showInformationMessage('Blocklist Auditor: the language server was restarted.');
    }),
    vscode.commands.registerCommand('blocklist.showOutput', () => output.show()),
    vscode.commands.registerCommand('blocklist.aggregate', async () => {
      const document = vscode.window.activeTextEditor?.document;
      if (document?.languageId !== 'blocklist') {
        void vscode.window.showWarningMessage('Blocklist: open a blocklist file to aggregate it.');
        return;
      }
      // The server's command, which the language client registered under its own name.
      await vscode.commands.executeCommand('blocklist.aggregateFile', document.uri.toString());
    }),
  );
  await client.start();
  // Only now: a file switched to the blocklist language before the client runs would wait for diagnostics until its next edit.
  context.subscriptions.push(registerPlainTextDetection());
  statusBar.update();
  // Not awaited: the Git extension may take a while to start, and the rest does not need it.
  void changes.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
