/** The commands that bring the providers' own range feeds in: refresh from the web, or import a downloaded file. */
import * as vscode from 'vscode';
import { WorkDoneProgress, type BaseLanguageClient } from 'vscode-languageclient';
import { OFFICIAL_FEEDS } from '../../server/src/core/ownership/feeds/sources';
import { ImportFeedRequest, RefreshFeedsRequest, type RefreshFeedsResult } from '../../server/src/lsp/protocol';

/** Numbers the refreshes, for their progress tokens. */
let refreshes = 0;

export function registerFeedCommands(client: BaseLanguageClient): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('blocklist.refreshFeeds', () =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Blocklist: downloading provider ranges…', cancellable: true },
        async (progress, cancel) => {
          // The server reports each feed done to this token; Cancel cancels the request, which stops the downloads.
          const workDoneToken = `blocklist-refresh-${++refreshes}`;
          let shown = 0;
          const reports = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
            if (value.kind !== 'report') return;
            const percentage = value.percentage ?? shown;
            progress.report({ message: value.message, increment: percentage - shown });
            shown = percentage;
          });
          let report: RefreshFeedsResult;
          try {
            report = await client.sendRequest(RefreshFeedsRequest.type, { workDoneToken }, cancel);
          } catch (error) {
            // Cancelled: the feeds not downloaded keep their last good copy. Else the cache itself was refused (a link, say): the message says what to do.
            if (!cancel.isCancellationRequested) void vscode.window.showErrorMessage(`Blocklist: the provider ranges could not be refreshed: ${errorMessage(error)}`);
            return;
          } finally {
            reports.dispose();
          }
          const ranges = report.updated.reduce((sum, feed) => sum + feed.ranges, 0);
          const summary = `Provider ranges: ${report.updated.length} feeds updated (${ranges.toLocaleString('en-US')} ranges).`;
          if (report.failed.length === 0) void vscode.window.showInformationMessage(summary);
          else {
            const failures = report.failed.map((feed) => `${feed.id}: ${feed.reason}`).join('; ');
            void vscode.window.showWarningMessage(`${summary} ${report.failed.length} failed, their last good copy is kept — ${failures}`);
          }
        },
      ),
    ),
    vscode.commands.registerCommand('blocklist.importFeed', async () => {
      const source = await vscode.window.showQuickPick(
        OFFICIAL_FEEDS.map((feed) => ({ label: feed.id, description: feed.kind })),
        { placeHolder: 'Which provider feed is the file? (Azure Service Tags: azure)' },
      );
      if (!source) return;
      const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Feed files': ['json', 'txt', 'csv'], 'All files': ['*'] } });
      if (!files?.[0]) return;
      try {
        const { ranges } = await client.sendRequest(ImportFeedRequest.type, { source: source.label, file: files[0].fsPath });
        void vscode.window.showInformationMessage(`Blocklist: imported ${ranges.toLocaleString('en-US')} ranges for ${source.label}.`);
      } catch (error) {
        void vscode.window.showErrorMessage(`Blocklist: the file could not be imported: ${errorMessage(error)}`);
      }
    }),
  );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
