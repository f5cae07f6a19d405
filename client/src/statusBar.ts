/**
 * A status bar item with the active blocklist's unique address counts (the active editor's, or the one whose report is
 * in front), refreshed as diagnostics change; its tooltip says which ownership data named the providers, how old it is,
 * when it is out of date, and which extension host the extension runs in (with what it cannot do there).
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { formatAmount } from '../../server/src/core/addresses/display';
import { dataNote, staleWarning, type DataStatus } from '../../server/src/core/ownership/dataAbout';
import { markdownText } from '../../server/src/core/primitives/markdown';
import { SummaryRequest, type SummaryResult } from '../../server/src/lsp/protocol';
import type { ExtensionHost } from './host';
import type { OpenReports } from './report/reportPanel';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('blocklist.summary', vscode.StatusBarAlignment.Left, 100);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly reports: OpenReports,
    private readonly host: ExtensionHost,
  ) {
    this.item.name = 'Blocklist Auditor';
    this.item.command = 'blocklist.showReport';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      reports.onDidChangeFront(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const shown = this.document()?.uri.toString();
        if (event.uris.some((uri) => uri.toString() === shown)) this.update();
      }),
    ];
  }

  /** The blocklist the counts are of: the active editor's document, else the one whose report is in front. */
  private document(): vscode.TextDocument | undefined {
    return vscode.window.activeTextEditor?.document ?? this.reports.frontDocument;
  }

  update(): void {
    const document = this.document();
    if (!document || document.languageId !== 'blocklist' || !this.client.isRunning()) {
      this.item.hide();
      return;
    }
    this.client.sendRequest(SummaryRequest.type, { uri: document.uri.toString() }).then(
      (summary) => this.show(summary),
      () => this.item.hide(),
    );
  }

  private show(summary: SummaryResult | null): void {
    if (!summary) {
      this.item.hide();
      return;
    }
    const v4 = BigInt(summary.ipv4.addresses).toLocaleString('en-US');
    const v6 = BigInt(summary.ipv6.addresses);
    const top = summary.providers[0];
    const since = summary.since && sinceText(summary.since);
    this.item.text =
      `$(shield) ${v4} IPv4` +
      (v6 > 0n ? ` · ${formatAmount(6, v6)} IPv6` : '') +
      (top ? ` · ${top.name} ${compact(BigInt(top.addresses))}` : '') +
      (since ? ` · ${since.short}` : '');
    this.item.tooltip = new vscode.MarkdownString(
      [
        `**${summary.format}**`,
        '',
        `IPv4: ${summary.ipv4.entries.toLocaleString('en-US')} entries, ${v4} unique addresses`,
        '',
        `IPv6: ${summary.ipv6.entries.toLocaleString('en-US')} entries, ${v6.toLocaleString('en-US')} unique addresses`,
        '',
        `${summary.duplicates} duplicates · ${summary.problems} reading problems`,
        ...(summary.providers.length > 0 ? ['', `Blocks ${summary.providers.map((p) => `${p.name} ${BigInt(p.addresses).toLocaleString('en-US')}`).join(' · ')}`] : []),
        ...(since ? ['', since.long] : []),
        ...(summary.ownershipData ? ownershipMarkdown(summary.ownershipData) : []),
        '',
        `_Runs in the ${this.host.name}._${this.host.limits ? ` ${markdownText(this.host.limits)}` : ''}`,
        '',
        'Click for the audit report.',
      ].join('\n'),
    );
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** Which data, of what day and whose, with its publisher's caveat; first, in bold, that it is out of date when it is. */
function ownershipMarkdown(data: DataStatus): string[] {
  const stale = staleWarning(data);
  return [...(stale ? ['', `**${markdownText(stale)}**`] : []), '', `_${markdownText(dataNote(data))}_`];
}

/**
 * The net change since the baseline: `+1.8M −0 since HEAD` for the status bar (IPv4, or IPv6 when only it changed), and
 * every figure for the tooltip; undefined when nothing blocked changed.
 */
function sinceText(since: NonNullable<SummaryResult['since']>): { readonly short: string; readonly long: string } | undefined {
  const [added4, removed4, added6, removed6] = [since.ipv4.added, since.ipv4.removed, since.ipv6.added, since.ipv6.removed].map(BigInt);
  if (added4 + removed4 + added6 + removed6 === 0n) return undefined;
  const label = markdownText(since.label);
  const short = added4 + removed4 > 0n ? `+${compact(added4)} −${compact(removed4)}` : `IPv6 +${formatAmount(6, added6)} −${formatAmount(6, removed6)}`;
  const long = `Since ${label}: IPv4 +${added4.toLocaleString('en-US')} −${removed4.toLocaleString('en-US')} · IPv6 +${formatAmount(6, added6)} −${formatAmount(6, removed6)}`;
  return { short: `${short} since ${since.label}`, long };
}

/** 901,120 → 901K, 1,048,576 → 1M: short enough for the status bar. */
function compact(count: bigint): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(Number(count));
}
