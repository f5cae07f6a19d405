/** The commands that bring the providers' own range feeds in: refresh from the web, or import a downloaded file. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { OFFICIAL_FEEDS } from '../../server/src/core/ownership/feeds/sources';
import { ImportFeedRequest, RefreshFeedsRequest } from '../../server/src/lsp/protocol';

export function registerFeedCommands(client: LanguageClient): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('blocklist.refreshFeeds', () =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Blocklist: downloading provider ranges…' },
        async () => {
          const report = await client.sendRequest(RefreshFeedsRequest.type);
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
        void vscode.window.showErrorMessage(`Blocklist: the file could not be imported: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}
