/**
 * Many blocklists are plain `.txt` files, which VS Code opens as Plain Text.
 * When such a file says `# blocklist-format: …` or reads as a list of
 * addresses, switch it to the blocklist language (setting
 * `blocklist.detectInPlainText`).
 */
import * as vscode from 'vscode';
import { parseDocument } from '../../server/src/core/document';
import { detectFormat, parseFormatDirective } from '../../server/src/core/formats/registry';

const SAMPLE_CHARACTERS = 16 * 1024;
/** Share of the sampled entry lines that must read as entries. */
const THRESHOLD = 0.9;
const MINIMUM_ENTRIES = 3;

export function looksLikeBlocklist(text: string): boolean {
  const sample = text.slice(0, SAMPLE_CHARACTERS);
  if (parseFormatDirective(sample)?.format) return true;
  // The last line of the sample may be cut short.
  const whole = sample.length < text.length ? sample.slice(0, sample.lastIndexOf('\n') + 1) : sample;
  const document = parseDocument(whole, detectFormat('', whole));
  const fatal = document.problems.filter((p) => p.code === 'invalid-entry').length;
  const entries = document.entries.count;
  return entries >= MINIMUM_ENTRIES && entries / (entries + fatal) >= THRESHOLD;
}

export function registerPlainTextDetection(): vscode.Disposable {
  const check = (document: vscode.TextDocument) => {
    if (document.languageId !== 'plaintext') return;
    if (!vscode.workspace.getConfiguration('blocklist', document).get<boolean>('detectInPlainText', true)) return;
    if (looksLikeBlocklist(document.getText())) void vscode.languages.setTextDocumentLanguage(document, 'blocklist');
  };
  vscode.workspace.textDocuments.forEach(check);
  return vscode.workspace.onDidOpenTextDocument(check);
}
