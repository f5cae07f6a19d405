/**
 * Diagnostics are pulled by clients that support it (LSP 3.17); for the
 * others they are pushed after a short per-document pause in typing, and a
 * result for an older version of the document is dropped.
 */
import { DocumentDiagnosticReportKind, type Connection, type Diagnostic, type DocumentDiagnosticReport, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisCache } from './analysis';
import { limitDiagnostic, toDiagnostic } from './convert';
import { runSafe } from './runner';
import type { Disposable, Timer } from './runtime';
import type { SettingsCache } from './settings';

const PUSH_DELAY_MS = 200;
/** When the client is asked to pull again after documents open (register() says why): soon, and once more a while after. */
const OPEN_REFRESH_DELAYS_MS = [500, 3000];

export class DiagnosticsFeature {
  private readonly timers = new Map<string, Disposable>();
  private openRefreshes: Disposable[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly analyses: AnalysisCache,
    private readonly settings: SettingsCache,
    private readonly pull: boolean,
    private readonly timer: Timer,
  ) {}

  register(): void {
    if (this.pull) {
      this.connection.languages.diagnostics.on((params, token) =>
        runSafe(
          this.connection,
          token,
          'Diagnostics',
          emptyReport(),
          async (): Promise<DocumentDiagnosticReport> => {
            const textDocument = this.documents.get(params.textDocument.uri);
            return { kind: DocumentDiagnosticReportKind.Full, items: textDocument ? await this.compute(textDocument) : [] };
          },
          // The client asks again after the edit that cancelled this request.
          { retriggerRequest: false },
        ),
      );
      // A document open before VS Code started the server (an .ipset file that activated the extension) got no diagnostics
      // from its first pull until an edit, in two runs of three in code-server 4.139: a moment after documents open, the
      // client is asked to pull again (the analysis is cached, so this costs a lookup). One such ask still went unheeded
      // in about one run of ten (a hosts.deny in code-server, timed in a loop): it is asked once more, a while later.
      this.documents.onDidOpen(() => {
        for (const refresh of this.openRefreshes) refresh.dispose();
        this.openRefreshes = OPEN_REFRESH_DELAYS_MS.map((delay) => this.timer.setTimeout(() => void this.connection.languages.diagnostics.refresh(), delay));
      });
      return;
    }
    this.documents.onDidChangeContent((change) => this.schedule(change.document));
    this.documents.onDidClose((event) => {
      this.timers.get(event.document.uri)?.dispose();
      this.timers.delete(event.document.uri);
      void this.connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    });
  }

  /** After a settings change: ask the client to pull again, or push everything again. */
  refresh(): void {
    if (this.pull) void this.connection.languages.diagnostics.refresh();
    else for (const textDocument of this.documents.all()) this.schedule(textDocument);
  }

  async compute(textDocument: TextDocument): Promise<Diagnostic[]> {
    const settings = await this.settings.get(textDocument.uri);
    const { result } = this.analyses.get(textDocument, settings);
    const diagnostics = result.findings.map((finding) => toDiagnostic(textDocument, finding));
    if (result.omitted > 0) diagnostics.unshift(limitDiagnostic(result.findings.length, result.omitted));
    return diagnostics;
  }

  private schedule(textDocument: TextDocument): void {
    const uri = textDocument.uri;
    this.timers.get(uri)?.dispose();
    this.timers.set(
      uri,
      this.timer.setTimeout(() => {
        this.timers.delete(uri);
        void this.push(uri, textDocument.version);
      }, PUSH_DELAY_MS),
    );
  }

  private async push(uri: string, version: number): Promise<void> {
    const current = this.documents.get(uri);
    if (!current || current.version !== version) return;
    try {
      const diagnostics = await this.compute(current);
      // The document may have changed while settings were fetched.
      if (this.documents.get(uri)?.version !== version) return;
      await this.connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (error) {
      this.connection.console.error(`Diagnostics for ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}

function emptyReport(): DocumentDiagnosticReport {
  return { kind: DocumentDiagnosticReportKind.Full, items: [] };
}
