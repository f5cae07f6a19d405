/**
 * A list compared with its version at a revision: every open blocklist in a
 * git repository with its text at HEAD (or at the revision the user chose),
 * read through the Git extension and sent to the server, which then says in
 * the hover what an added line adds, and in the status bar the net change;
 * "Compare with HEAD" and "Compare with Revision…" open the change report;
 * and a committed line's hover names the commit that added it.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { BaselineNotification, ChangeRequest } from '../../server/src/lsp/protocol';
import { onDidOpenRepository, repositoryOf, type Repository } from './git';
import { changeHtml } from './report/changeRender';
import { nonce, reveal, type OpenReports } from './report/reportPanel';

export class ChangeTracker implements vscode.Disposable {
  /** The revision each open blocklist is compared with, by URI. */
  private readonly revisions = new Map<string, string>();
  private readonly watched = new Set<Repository>();
  private readonly subscriptions: vscode.Disposable[] = [];

  /** `changed` is called after a baseline was sent (the status bar asks again). */
  constructor(
    private readonly client: BaseLanguageClient,
    private readonly reports: OpenReports,
    private readonly changed: () => void,
  ) {}

  /** Compares every blocklist open now and from now on with HEAD, as far as git allows. */
  async start(): Promise<void> {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((document) => void this.compare(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.revisions.delete(document.uri.toString())),
      vscode.commands.registerCommand('blocklist.compareWithHead', () => this.openReport('HEAD')),
      vscode.commands.registerCommand('blocklist.compareWithRevision', async () => {
        const revision = await vscode.window.showInputBox({ title: 'Blocklist: Compare with Revision', prompt: 'A branch, tag or commit', placeHolder: 'main, HEAD~3, v1.2' });
        if (revision?.trim()) await this.openReport(revision.trim());
      }),
      vscode.languages.registerHoverProvider({ language: 'blocklist', scheme: 'file' }, new CommitHover()),
    );
    // Git may open the folder's repository after this extension started: compare again then.
    const opened = await onDidOpenRepository(() => this.compareAll());
    if (opened) this.subscriptions.push(opened);
    this.compareAll();
  }

  private compareAll(): void {
    for (const document of vscode.workspace.textDocuments) void this.compare(document);
  }

  /** Sends the server `document` at `revision` (the one it is compared with, HEAD at first); returns why it cannot, if it cannot. */
  private async compare(document: vscode.TextDocument, revision?: string): Promise<string | undefined> {
    if (document.languageId !== 'blocklist') return 'it is not a blocklist';
    const uri = document.uri.toString();
    const wanted = revision ?? this.revisions.get(uri) ?? 'HEAD';
    const repository = await repositoryOf(document.uri);
    if (typeof repository === 'string') return repository;
    this.watch(repository);
    let text: string;
    try {
      text = await repository.show(wanted, document.uri.fsPath);
    } catch {
      // An unknown revision is the user's mistake; a file the revision does not have is all added.
      const known = await repository.getCommit(wanted).then(
        () => true,
        () => false,
      );
      if (!known) return `git knows no revision "${wanted}"`;
      text = '';
    }
    this.revisions.set(uri, wanted);
    await this.client.sendNotification(BaselineNotification.type, { uri, label: wanted, text });
    this.changed();
    return undefined;
  }

  /** A commit, checkout or reset moves HEAD: compare the repository's lists again. */
  private watch(repository: Repository): void {
    if (this.watched.has(repository)) return;
    this.watched.add(repository);
    let head = repository.state.HEAD?.commit;
    this.subscriptions.push(
      repository.state.onDidChange(() => {
        if (repository.state.HEAD?.commit === head) return;
        head = repository.state.HEAD?.commit;
        this.compareAll();
      }),
    );
  }

  /** Opens the change report of the active list since `revision`; returns the warning it showed instead, if it could not. */
  private async openReport(revision: string): Promise<string | undefined> {
    const document = vscode.window.activeTextEditor?.document ?? this.reports.frontDocument;
    const name = document?.uri.path.split('/').pop() ?? 'blocklist';
    if (document?.languageId !== 'blocklist') return warn('Blocklist: open a blocklist file to compare it.');
    const reason = await this.compare(document, revision);
    if (reason) return warn(`Blocklist: cannot compare ${name} with ${revision}: ${reason}.`);
    const data = await this.client.sendRequest(ChangeRequest.type, { uri: document.uri.toString() });
    if (!data) return undefined;
    const panel = vscode.window.createWebviewPanel('blocklist.change', `Blocklist change: ${name} since ${revision}`, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [],
    });
    this.reports.add(panel, document);
    panel.webview.html = changeHtml(data, name, panel.webview.cspSource, nonce());
    panel.webview.onDidReceiveMessage((message: { type: string; line?: number }) => {
      if (message.type === 'reveal' && typeof message.line === 'number') void reveal(document, message.line);
    });
    return undefined;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** Shows `message` as a warning and returns it (the commands return what they could not do, for scripts and tests). */
function warn(message: string): string {
  void vscode.window.showWarningMessage(message);
  return message;
}

/** On a committed line of a saved list: the commit that added it, as git blame says (author, date, subject). */
class CommitHover implements vscode.HoverProvider {
  /** The last blame, by document and version: hovering along a file asks git once. */
  private last?: { readonly uri: string; readonly version: number; readonly hashes: Promise<readonly string[]> };

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const text = document.lineAt(position.line).text.trim();
    // Blame is of the file on disk: an unsaved edit shifts its lines.
    if (document.isDirty || text === '' || /^[#;]|^\/\//.test(text)) return undefined;
    const repository = await repositoryOf(document.uri);
    if (typeof repository === 'string') return undefined;
    const uri = document.uri.toString();
    if (this.last?.uri !== uri || this.last.version !== document.version) {
      this.last = { uri, version: document.version, hashes: repository.blame(document.uri.fsPath).then(blameHashes, () => []) };
    }
    const hash = (await this.last.hashes)[position.line];
    if (!hash || /^0+$/.test(hash)) return undefined; // not committed yet: the server's hover says what it adds
    const commit = await repository.getCommit(hash).catch(() => undefined);
    if (!commit) return undefined;
    const subject = commit.message.split('\n')[0];
    const date = commit.authorDate ? ` on ${commit.authorDate.toISOString().slice(0, 10)}` : '';
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown(`Added by commit \`${commit.hash.slice(0, 10)}\``);
    markdown.appendText(`${commit.authorName ? ` by ${commit.authorName}` : ''}${date}: ${subject}`);
    return new vscode.Hover(markdown);
  }
}

/** The commit of each line in `git blame`'s plain output (`^f6db601 (Author 2018-04-16 10:00:00 +0000 20) text`). */
function blameHashes(output: string): string[] {
  return output.split('\n').map((line) => line.slice(0, line.indexOf(' ')).replace(/^\^/, ''));
}
