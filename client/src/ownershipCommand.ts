/** "Blocklist: Update Ownership Data": the server downloads current data on who holds each address and uses it from then on. */
import * as vscode from 'vscode';
import { WorkDoneProgress, type BaseLanguageClient } from 'vscode-languageclient';
import { UpdateOwnershipDataRequest, type UpdateOwnershipDataResult } from '../../server/src/lsp/protocol';

/** Numbers the updates, for their progress tokens. */
let updates = 0;

/** `onUpdated` runs once new data is in use (the status bar's tooltip names it). */
export function registerOwnershipCommand(client: BaseLanguageClient, onUpdated: () => void): vscode.Disposable {
  return vscode.commands.registerCommand('blocklist.updateOwnershipData', () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Blocklist: updating ownership data…', cancellable: true }, async (progress, cancel) => {
      // The server says what it downloads to this token; Cancel cancels the request, which stops the downloads.
      const workDoneToken = `blocklist-ownership-${++updates}`;
      const reports = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind !== 'end') progress.report({ message: value.message });
      });
      let result: UpdateOwnershipDataResult;
      try {
        result = await client.sendRequest(UpdateOwnershipDataRequest.type, { workDoneToken }, cancel);
      } catch (error) {
        // Cancelled: the data in use stays, as the user asked. Else the message says why in one line.
        if (!cancel.isCancellationRequested) {
          void vscode.window.showErrorMessage(
            `Blocklist: the ownership data was not updated (the data in use is unchanged): ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        return;
      } finally {
        reports.dispose();
      }
      onUpdated();
      const { about, ipv4Ranges, ipv6Ranges, holders } = result;
      const count = (n: number) => n.toLocaleString('en-US');
      void vscode.window.showInformationMessage(
        `Blocklist: ownership data updated to ${about.source} of ${about.date} (${count(ipv4Ranges)} IPv4 and ${count(ipv6Ranges)} IPv6 ranges, ${count(holders)} holders).`,
      );
    }),
  );
}
