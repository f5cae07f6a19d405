/** The audit report of the active blocklist in a webview beside the editor, with links back to lines and export. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ReportData } from '../../../server/src/core/analysis/report';
import { ReportRequest } from '../../../server/src/lsp/protocol';
import { reportCsv, reportHtml, reportMarkdown } from './render';

export function registerReport(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand('blocklist.showReport', async () => {
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId !== 'blocklist') {
      void vscode.window.showWarningMessage('Blocklist: open a blocklist file to see its report.');
      return;
    }
    const document = editor.document;
    const data = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Blocklist: building the report…' }, () =>
      client.sendRequest(ReportRequest.type, { uri: document.uri.toString() }),
    );
    if (!data) return;
    const name = document.uri.path.split('/').pop() ?? 'blocklist';
    const panel = vscode.window.createWebviewPanel('blocklist.report', `Blocklist report: ${name}`, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [],
    });
    panel.webview.html = reportHtml(data, name, panel.webview.cspSource, randomBytes(16).toString('base64'));
    panel.webview.onDidReceiveMessage((message: { type: string; line?: number; format?: string }) => {
      if (message.type === 'reveal' && typeof message.line === 'number') void reveal(document, message.line);
      if (message.type === 'export') void exportReport(data, name, document.uri, message.format === 'csv' ? 'csv' : 'markdown');
    });
  });
}

async function reveal(document: vscode.TextDocument, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  const range = document.lineAt(Math.min(line, document.lineCount - 1)).range;
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
}

async function exportReport(data: ReportData, name: string, source: vscode.Uri, format: 'csv' | 'markdown'): Promise<void> {
  const extension = format === 'csv' ? 'csv' : 'md';
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(source, '..', `${name}.report.${extension}`),
    filters: format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] },
  });
  if (!target) return;
  try {
    await vscode.workspace.fs.writeFile(target, Buffer.from(format === 'csv' ? reportCsv(data) : reportMarkdown(data, name)));
  } catch (error) {
    // The message handler fires and forgets this call: a failure not shown here would be lost.
    void vscode.window.showErrorMessage(`Blocklist: the report was not saved to ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  void vscode.window.showInformationMessage(`Blocklist: report saved to ${target.fsPath}.`);
}
