/**
 * "Blocklist: Update Ownership Data": the server downloads current data on
 * who holds each address and uses it from then on. "Import Ownership
 * Snapshot of a Day…": the server keeps data of a chosen day, which a list's
 * `# ownership-data: NAME` or the setting chooses.
 */
import * as vscode from 'vscode';
import { WorkDoneProgress, type BaseLanguageClient } from 'vscode-languageclient';
import { dayInFileName } from '../../server/src/core/ownership/snapshots';
import { ImportOwnershipSnapshotRequest, UpdateOwnershipDataRequest, type UpdateOwnershipDataResult } from '../../server/src/lsp/protocol';

/** Numbers the updates, for their progress tokens. */
let updates = 0;

/** `onUpdated` runs once new data is in use (the status bar's tooltip names it). */
export function registerOwnershipCommand(client: BaseLanguageClient, onUpdated: () => void): vscode.Disposable {
  return vscode.Disposable.from(registerUpdate(client, onUpdated), registerSnapshotImport(client, onUpdated));
}

function registerUpdate(client: BaseLanguageClient, onUpdated: () => void): vscode.Disposable {
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

function registerSnapshotImport(client: BaseLanguageClient, onImported: () => void): vscode.Disposable {
  return vscode.commands.registerCommand('blocklist.importOwnershipSnapshot', async () => {
    const files = await vscode.window.showOpenDialog({
      canSelectMany: true,
      title: 'Ownership data of one day: one file per family (pfx2as, iptoasn TSV or ip-location-db CSV, plain or gzipped)',
      filters: { 'Ownership data': ['pfx2as', 'gz', 'tsv', 'csv'], 'All files': ['*'] },
    });
    if (!files || files.length === 0) return;
    const first = files[0].fsPath;
    const date =
      dayInFileName(first) ??
      (await vscode.window.showInputBox({
        title: 'The day the data describes',
        placeHolder: 'YYYY-MM-DD',
        validateInput: (value) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? undefined : 'YYYY-MM-DD'),
      }));
    if (!date) return;
    const name = await vscode.window.showInputBox({ title: 'The snapshot\'s name, for "# ownership-data: NAME"', value: date });
    if (!name) return;
    try {
      const { about, ipv4Ranges, ipv6Ranges } = await client.sendRequest(ImportOwnershipSnapshotRequest.type, { files: files.map((file) => file.fsPath), name, date });
      onImported();
      const count = (n: number) => n.toLocaleString('en-US');
      void vscode.window.showInformationMessage(
        `Blocklist: snapshot "${name}" of ${about.date} imported (${count(ipv4Ranges)} IPv4 and ${count(ipv6Ranges)} IPv6 ranges). Write "# ownership-data: ${name}" in a list's head to audit it with that day's data.`,
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`Blocklist: the snapshot was not imported: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}
