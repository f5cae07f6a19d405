/**
 * Many blocklists are plain `.txt` files, which VS Code opens as Plain Text.
 * When such a file says `# blocklist-format: …` or reads as a list of
 * addresses, switch it to the blocklist language (setting
 * `blocklist.detectInPlainText`).
 */
import * as vscode from 'vscode';
import { looksLikeBlocklist } from '../../server/src/core/document/sniff';

export function registerPlainTextDetection(): vscode.Disposable {
  const check = (document: vscode.TextDocument) => {
    if (document.languageId !== 'plaintext') return;
    if (!vscode.workspace.getConfiguration('blocklist', document).get<boolean>('detectInPlainText', true)) return;
    if (looksLikeBlocklist(document.getText())) void vscode.languages.setTextDocumentLanguage(document, 'blocklist');
  };
  vscode.workspace.textDocuments.forEach(check);
  return vscode.workspace.onDidOpenTextDocument(check);
}
