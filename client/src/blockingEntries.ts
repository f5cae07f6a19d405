/**
 * Blocklist: Find Blocking Entries… — an address, CIDR, range, AS or
 * provider in; every entry of every list that names any of it out, in the
 * Blocking Entries view: a node per list (how much of the query it blocks),
 * under it a node per entry with what it decides, each opening its line
 * (for a hosts.deny, first the hosts.allow line that decides the query
 * before it).
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { formatAddresses } from '../../server/src/core/addresses/display';
import { FindBlockingRequest, type BlockingFile, type BlockingMatch, type FindBlockingResult } from '../../server/src/lsp/protocol';

/** A list; or an entry of it, or the hosts.allow line (`elsewhere`, its URI) that decides the query first for a hosts.deny daemon. */
type Node = { readonly file: BlockingFile } | { readonly file: BlockingFile; readonly scope: string; readonly match: BlockingMatch; readonly elsewhere?: string };

class BlockingEntries implements vscode.TreeDataProvider<Node> {
  private result: FindBlockingResult | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  show(result: FindBlockingResult): void {
    this.result = result;
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (!this.result) return [];
    if (!node) return this.result.files.map((file) => ({ file }));
    if ('match' in node) return [];
    return node.file.scopes.flatMap((scope) => {
      const granted = scope.grantedFirst;
      const first = granted?.match && granted.uri ? [{ file: node.file, scope: scope.label, match: granted.match, elsewhere: granted.uri }] : [];
      return [...first, ...scope.matches.map((match) => ({ file: node.file, scope: scope.label, match }))];
    });
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const uri = vscode.Uri.parse(node.file.uri);
    if (!('match' in node)) {
      const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Expanded);
      item.description = blockedText(node.file);
      return item;
    }
    const { match } = node;
    const where = node.elsewhere ? `${node.elsewhere.slice(node.elsewhere.lastIndexOf('/') + 1)} line` : 'line';
    const item = new vscode.TreeItem(`${where} ${match.line + 1}: ${match.text}`, vscode.TreeItemCollapsibleState.None);
    item.description = `${node.scope} · ${node.elsewhere ? `allows ${BigInt(match.decided).toLocaleString('en-US')} first` : decision(match)}`;
    item.iconPath = new vscode.ThemeIcon(
      match.role === 'blocks' && match.decided !== '0' ? 'circle-slash' : match.role === 'excepts' || match.role === 'lists' ? 'pass' : 'circle-outline',
    );
    const selection = new vscode.Range(match.line, match.character, match.line, match.endCharacter);
    const opened = node.elsewhere ? vscode.Uri.parse(node.elsewhere) : uri;
    item.command = { title: 'Open', command: 'vscode.open', arguments: [opened, { selection } satisfies vscode.TextDocumentShowOptions] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** `blocks 1 address` or `blocks none of it`: what a list blocks of the query, each family apart. */
function blockedText(file: BlockingFile): string {
  const parts = [
    ...(file.blocked.ipv4 !== '0' ? [formatAddresses(4, BigInt(file.blocked.ipv4))] : []),
    ...(file.blocked.ipv6 !== '0' ? [`${formatAddresses(6, BigInt(file.blocked.ipv6))} of IPv6`] : []),
  ];
  return parts.length > 0 ? `blocks ${parts.join(' and ')}` : 'blocks none of it';
}

/** `blocks 1 of 1`, `excepts 7 of 8`, `matches some traffic only`: what an entry decides of the query's addresses it names. */
function decision(match: BlockingMatch): string {
  if (match.role === 'conditional') return 'matches some traffic only';
  const verb = match.role === 'lists' ? 'allows' : match.role;
  return `${verb} ${BigInt(match.decided).toLocaleString('en-US')} of ${BigInt(match.overlap).toLocaleString('en-US')}`;
}

export function registerBlockingEntries(client: BaseLanguageClient): vscode.Disposable {
  const entries = new BlockingEntries();
  const view = vscode.window.createTreeView('blocklist.blockingEntries', { treeDataProvider: entries, showCollapseAll: true });
  const command = vscode.commands.registerCommand('blocklist.findBlocking', async (given?: string) => {
    const query =
      given ??
      (await vscode.window.showInputBox({
        title: 'Blocklist: Find Blocking Entries',
        prompt: 'An address, CIDR, range, AS number or provider',
        placeHolder: '10.0.0.5, 35.192.0.0/12, 1.2.3.0-1.2.3.9, AS13335, cloudflare',
      }));
    if (!query?.trim()) return undefined;
    const result = await client.sendRequest(FindBlockingRequest.type, { query });
    if (!result) {
      void vscode.window.showWarningMessage(`Blocklist: "${query}" names no address, network, range, AS or provider.`);
      return undefined;
    }
    entries.show(result);
    const blocking = result.files.filter((file) => file.blocked.ipv4 !== '0' || file.blocked.ipv6 !== '0').length;
    view.message = `${result.query}: blocked by ${blocking} of ${result.files.length} lists that name it (${result.indexed} lists indexed)`;
    await vscode.commands.executeCommand('blocklist.blockingEntries.focus');
    return result;
  });
  return vscode.Disposable.from(entries, view, command);
}
