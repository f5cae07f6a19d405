/**
 * The VS Code side of Blocklist Auditor, the same in both extension hosts:
 * the language client's options, the commands, the status bar, the reports
 * and views. Each entry brings its way of starting the server — a Node
 * process (extension.ts) or a web worker (web/extension.ts).
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, type BaseLanguageClient, type LanguageClientOptions } from 'vscode-languageclient';
import { registerFeedCommands } from './feedCommands';
import { currentHost, unavailableCommands, type ExtensionHost } from './host';
import { registerOwnershipCommand } from './ownershipCommand';
import { registerPlainTextDetection } from './plainTextDetection';
import { OpenReports, registerReport, registerWorkspaceReport } from './report/reportPanel';
import { registerBlockingEntries } from './blockingEntries';
import { ChangeTracker } from './changes';
import { StatusBar } from './statusBar';

/** How an entry makes the language client of its host, from the shared options. */
export type ClientFactory = (options: LanguageClientOptions) => BaseLanguageClient;

let client: BaseLanguageClient | undefined;
/** When the server stopped unexpectedly, in the last three minutes. */
const crashes: number[] = [];

export async function activateWith(context: vscode.ExtensionContext, createClient: ClientFactory): Promise<void> {
  const host: ExtensionHost = currentHost();
  const output = vscode.window.createOutputChannel('Blocklist Auditor', { log: true });
  output.info(`Running in the ${host.name}.${host.limits ? ` ${host.limits}` : ''}`);
  const watcher = vscode.workspace.createFileSystemWatcher('**/*');
  client = createClient({
    documentSelector: [{ language: 'blocklist' }],
    // Every file event: the server's workspace index decides which files are lists (blocklist.workspace.include).
    synchronize: { configurationSection: 'blocklist', fileEvents: watcher },
    outputChannel: output,
    // A path on disk, where the Node server caches feeds and updated ownership data; the web worker keeps none.
    initializationOptions: host.node ? { storagePath: context.globalStorageUri.fsPath } : {},
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
  });
  const reports = new OpenReports();
  const statusBar = new StatusBar(client, reports, host);
  const changes = new ChangeTracker(client, reports, () => statusBar.update());
  context.subscriptions.push(
    ...(host.node ? nodeFeatures(client, statusBar) : webStandIns()),
    registerReport(client, reports),
    registerBlockingEntries(client),
    registerWorkspaceReport(client),
    reports,
    output,
    watcher,
    statusBar,
    changes,
    vscode.commands.registerCommand('blocklist.restartServer', async () => {
      // A new server: the Node process or the web worker is started anew.
      await client?.stop();
      await client?.start();
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

/** The commands that download into the server's cache, which only the Node host has. */
function nodeFeatures(client: BaseLanguageClient, statusBar: StatusBar): vscode.Disposable[] {
  return [registerFeedCommands(client), registerOwnershipCommand(client, () => statusBar.update())];
}

/** The same commands in the web worker host, each saying why it does nothing there. */
function webStandIns(): vscode.Disposable[] {
  return [
    unavailableCommands(
      {
        'blocklist.refreshFeeds': 'Refresh Provider Ranges',
        'blocklist.importFeed': 'Import Provider Feed File',
        'blocklist.updateOwnershipData': 'Update Ownership Data',
        'blocklist.importOwnershipSnapshot': 'Import Ownership Snapshot of a Day',
      },
      'the server in the browser keeps no cache for downloads and uses the ownership data shipped with the extension',
    ),
  ];
}

export async function deactivateClient(): Promise<void> {
  await client?.stop();
}
