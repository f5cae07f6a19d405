/** The audit report of the active blocklist in a webview beside the editor, with links back to lines and export. */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import type { ReportData } from '../../../server/src/core/analysis/report';
import { ReportRequest, WorkspaceReportRequest } from '../../../server/src/lsp/protocol';
import { listHistory } from '../history';
import { reportCsv, reportHtml, reportMarkdown } from './render';
import { workspaceCsv, workspaceHtml, workspaceMarkdown } from './workspaceRender';

/** The open reports, and which blocklist's report is in front: the status bar keeps that list's counts meanwhile. */
export class OpenReports implements vscode.Disposable {
  private readonly panels = new Map<vscode.WebviewPanel, vscode.TextDocument>();
  private readonly frontChanged = new vscode.EventEmitter<void>();
  /** Fires when a report comes to the front or leaves it. */
  readonly onDidChangeFront = this.frontChanged.event;

  /** The blocklist whose report is the active tab, if one is (no text editor is active then). */
  get frontDocument(): vscode.TextDocument | undefined {
    for (const [panel, document] of this.panels) if (panel.active) return document;
    return undefined;
  }

  add(panel: vscode.WebviewPanel, document: vscode.TextDocument): void {
    this.panels.set(panel, document);
    panel.onDidChangeViewState(() => this.frontChanged.fire());
    panel.onDidDispose(() => {
      this.panels.delete(panel);
      this.frontChanged.fire();
    });
    // A new panel opens active, with no change of view state to say so.
    this.frontChanged.fire();
  }

  dispose(): void {
    this.frontChanged.dispose();
  }
}

export function registerReport(client: BaseLanguageClient, reports: OpenReports): vscode.Disposable {
  return vscode.commands.registerCommand('blocklist.showReport', async () => {
    // From the status bar while a report is in front, that report's list.
    const document = vscode.window.activeTextEditor?.document ?? reports.frontDocument;
    if (document?.languageId !== 'blocklist') {
      void vscode.window.showWarningMessage('Blocklist: open a blocklist file to see its report.');
      return;
    }
    const [data, history] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Blocklist: building the report…' }, () =>
      Promise.all([client.sendRequest(ReportRequest.type, { uri: document.uri.toString() }), listHistory(client, document)]),
    );
    if (!data) return;
    const name = document.uri.path.split('/').pop() ?? 'blocklist';
    const panel = vscode.window.createWebviewPanel('blocklist.report', `Blocklist report: ${name}`, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [],
    });
    reports.add(panel, document);
    panel.webview.html = reportHtml(data, name, panel.webview.cspSource, nonce(), history);
    panel.webview.onDidReceiveMessage((message: { type: string; line?: number; format?: string }) => {
      if (message.type === 'reveal' && typeof message.line === 'number') void reveal(document, message.line);
      if (message.type === 'export') void exportReport(data, name, document.uri, message.format === 'csv' ? 'csv' : 'markdown');
    });
  });
}

/** A webview's script nonce: 16 random bytes in base64, from the web crypto API of both extension hosts. */
export function nonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/** Shows `document` beside the report with `line` selected. */
export async function reveal(document: vscode.TextDocument, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  const range = document.lineAt(Math.min(line, document.lineCount - 1)).range;
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
}

async function exportReport(data: ReportData, name: string, source: vscode.Uri, format: 'csv' | 'markdown'): Promise<void> {
  await saveExport(vscode.Uri.joinPath(source, '..', `${name}.report`), format, () => (format === 'csv' ? reportCsv(data) : reportMarkdown(data, name)));
}

/** Asks where to save a report (beside `base`, with the format's extension) and writes `contents()` there, saying how it went. */
export async function saveExport(base: vscode.Uri, format: 'csv' | 'markdown', contents: () => string): Promise<void> {
  const extension = format === 'csv' ? 'csv' : 'md';
  const target = await vscode.window.showSaveDialog({
    defaultUri: base.with({ path: `${base.path}.${extension}` }),
    filters: format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] },
  });
  if (!target) return;
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(contents()));
  } catch (error) {
    // The message handler fires and forgets this call: a failure not shown here would be lost.
    void vscode.window.showErrorMessage(`Blocklist: the report was not saved to ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  void vscode.window.showInformationMessage(`Blocklist: report saved to ${target.fsPath}.`);
}

/** Blocklist: Show Workspace Report — every list of the open folders, and how much each pair blocks in common. */
export function registerWorkspaceReport(client: BaseLanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand('blocklist.showWorkspaceReport', async () => {
    const data = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Blocklist: building the workspace report…' }, () =>
      client.sendRequest(WorkspaceReportRequest.type),
    );
    const panel = vscode.window.createWebviewPanel('blocklist.workspaceReport', 'Blocklist workspace report', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
    });
    panel.webview.html = workspaceHtml(data, panel.webview.cspSource, nonce());
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    panel.webview.onDidReceiveMessage((message: { type: string; uri?: string; format?: string }) => {
      if (message.type === 'open' && message.uri) void vscode.window.showTextDocument(vscode.Uri.parse(message.uri), { viewColumn: vscode.ViewColumn.Beside });
      const format = message.format === 'csv' ? 'csv' : 'markdown';
      if (message.type === 'export' && folder)
        void saveExport(vscode.Uri.joinPath(folder, 'blocklists.report'), format, () => (format === 'csv' ? workspaceCsv(data) : workspaceMarkdown(data)));
    });
    return data;
  });
}
