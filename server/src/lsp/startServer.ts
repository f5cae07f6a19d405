/**
 * Wires the features to a connection. Capabilities are decided once, from
 * what the client says it supports; the same server runs over stdio for any
 * LSP editor and over IPC for VS Code.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { summarize } from '../core/analysis/describe';
import { buildReport } from '../core/analysis/report';
import { feedSources, feedStores, NetworkState, registerFeedRequests, storagePathOf } from './feedRequests';
import { ownershipSource, registerOwnershipRequests } from './ownershipRequests';
import { AddressSet } from '../core/addresses/addressSet';
import { IPV6 } from '../core/addresses/family';
import { dataStatus, type DataStatus } from '../core/ownership/dataAbout';
import { providerTotals } from '../core/ownership/shares';
import { AnalysisCache, type Analysis } from './analysis';
import { aggregateEdits, codeActions, FIX_ALL_KIND, fixAllTarget, resolveFixAll } from './codeActions';
import { DiagnosticsFeature } from './diagnostics';
import { hover } from './hover';
import { inlayHints } from './inlayHints';
import { LineIndexedDocument } from './lineIndexedDocument';
import { documentSymbols, foldingRanges } from './outline';
import { WorkspaceIndex } from './workspaceIndex';
import { registerWorkspaceRequests } from './workspaceRequests';
import { ReportRequest, SummaryRequest, type SummaryResult } from './protocol';
import { Baselines } from './baselines';
import { registerChangeRequests, sinceSummary } from './changeRequests';
import { onInitializeOnce } from './lifecycle';
import { runSafe } from './runner';
import type { FeedStore, Runtime } from './runtime';
import { SettingsCache, type Settings } from './settings';

/** The server command behind "Blocklist: Aggregate File"; its argument is the document's URI. */
export const AGGREGATE_COMMAND = 'blocklist.aggregateFile';

/** Lists whose union has more ranges than this get no provider totals in the status bar (the report has them). */
const STATUS_PROVIDER_RANGES = 20_000;
const providerSummaries = new WeakMap<Analysis, SummaryResult['providers']>();

function topProviders(analysis: Analysis): SummaryResult['providers'] {
  const { networks, result } = analysis;
  if (!networks || result.blocked4.rangeCount > STATUS_PROVIDER_RANGES) return [];
  let top = providerSummaries.get(analysis);
  if (!top) {
    top = providerTotals(networks.providers, result.blocked4, AddressSet.empty(IPV6))
      .slice(0, 3)
      .map((share) => ({ name: share.provider.name, addresses: share.addresses.toString() }));
    providerSummaries.set(analysis, top);
  }
  return top;
}

/** The ownership data the analysis used, its age on `today`, and the age the settings allow; undefined without ASN data. */
function ownershipData({ networks }: Analysis, settings: Settings, today: Date): DataStatus | undefined {
  return networks && dataStatus(networks.index.about, today, settings.maxDataAgeDays);
}

/** `runtime` brings what the server needs from its host (Node's: server/src/node/nodeRuntime.ts). */
export function startServer(connection: Connection, runtime: Runtime): void {
  const documents = new TextDocuments<TextDocument>(LineIndexedDocument);
  let networks: NetworkState | undefined;
  const analyses = new AnalysisCache(
    () => networks,
    (message) => settings.warn(message),
  );
  const baselines = new Baselines();
  let loadCustomFeeds: () => void = () => undefined;
  let settings: SettingsCache;
  let diagnostics: DiagnosticsFeature;
  let watchesConfiguration = false;
  let refreshesInlayHints = false;
  /** Every list of the open folders, where the host has files; built once initialized. */
  let workspace: { readonly index: WorkspaceIndex; readonly folders: readonly string[] } | undefined;

  // Features register their request handlers here: before initialize there are none, and the lifecycle answers.
  onInitializeOnce(connection, (params): InitializeResult => {
    const capabilities = params.capabilities;
    const pull = capabilities.textDocument?.diagnostic !== undefined;
    watchesConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    refreshesInlayHints = capabilities.workspace?.inlayHint?.refreshSupport === true;
    settings = new SettingsCache(connection, capabilities.workspace?.configuration === true);
    const storagePath = (params.initializationOptions as { storagePath?: unknown } | undefined)?.storagePath;
    const stores = feedStores(runtime, storagePath);
    const section = async (name: string) => (capabilities.workspace?.configuration ? await connection.workspace.getConfiguration(name) : undefined);
    const sources = async () => feedSources(await section('blocklist.feeds'));
    const ownership = runtime.ownershipStore?.(storagePathOf(storagePath));
    const state = new NetworkState(runtime.asnIndex, stores, (message) => connection.console.info(message), ownership);
    networks = state;
    const useFeeds = (store: FeedStore) => {
      state.use(store);
      analyses.clear();
      diagnostics.refresh();
    };
    registerFeedRequests(connection, stores, sources, useFeeds);
    registerOwnershipRequests(
      connection,
      ownership,
      async () => ownershipSource(await section('blocklist.ownershipData')),
      () => state.get()?.index,
      () => {
        state.reload();
        analyses.clear();
        diagnostics.refresh();
      },
    );
    // The user's own feeds are named in the settings, which can only be asked for once initialized.
    loadCustomFeeds = () =>
      void sources().then(
        (list) => useFeeds(stores(list)),
        () => undefined,
      );
    diagnostics = new DiagnosticsFeature(connection, documents, analyses, settings, pull, runtime.timer);
    diagnostics.register();
    const codeAction = capabilities.textDocument?.codeAction;
    const resolvesEdits = codeAction?.dataSupport === true && (codeAction.resolveSupport?.properties.includes('edit') ?? false);
    registerRequests(connection, documents, analyses, baselines, settings, resolvesEdits, () => runtime.now());
    registerChangeRequests(connection, documents, analyses, baselines, settings);
    if (runtime.files) {
      const opened = async (uri: string) => {
        const textDocument = documents.get(uri);
        return textDocument?.languageId === 'blocklist' ? analyses.get(textDocument, await settings.get(uri)) : undefined;
      };
      const index = new WorkspaceIndex(
        connection,
        documents,
        runtime.files,
        opened,
        (listed) => {
          settings.useAllowlisted(listed);
          diagnostics.refresh();
        },
        (uris) => readWithChanged(uris),
      );
      settings.useReadWith((uri) => index.readWith(uri));
      workspace = { index, folders: params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []) };
      registerWorkspaceRequests(connection, documents, index, analyses, settings, () => networks?.get());
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        ...(runtime.files ? { workspaceSymbolProvider: true, referencesProvider: true } : {}),
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        inlayHintProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND], resolveProvider: resolvesEdits },
        executeCommandProvider: { commands: [AGGREGATE_COMMAND] },
        ...(pull ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'blocklist-language-server', version: '0.1.0' },
    };
  });

  /** The documents whose hosts.allow or earlier lists of a group changed are audited again. */
  const readWithChanged = (uris: readonly string[]) => {
    for (const uri of uris) settings.forget(uri);
    diagnostics.refresh();
  };

  // An edit of a hosts.allow or of a group's list changes what others are read with, before it is saved.
  documents.onDidChangeContent(({ document }) => {
    const dependents = workspace?.index.dependents(document.uri) ?? [];
    if (dependents.length > 0) readWithChanged(dependents);
  });

  const indexWorkspace = () => {
    if (!workspace) return;
    const { index, folders } = workspace;
    void settings.get(folders[0] ?? '').then((settingsOf) => index.build(folders, settingsOf.workspace));
  };

  connection.onInitialized(() => {
    if (watchesConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'blocklist' });
    loadCustomFeeds();
    indexWorkspace();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      if (change.type === FileChangeType.Deleted) workspace?.index.forget(change.uri);
      else void workspace?.index.update(change.uri);
    }
  });

  connection.onDidChangeConfiguration(() => {
    settings.clear();
    diagnostics.refresh();
    indexWorkspace();
    // The counts' settings may have changed: the client asks again for the lines it shows.
    if (refreshesInlayHints) void connection.languages.inlayHint.refresh();
  });

  documents.onDidClose((event) => {
    settings.forget(event.document.uri);
    analyses.forget(event.document.uri);
    baselines.forget(event.document.uri);
  });

  documents.listen(connection);
  connection.listen();
}

/**
 * Hovers, inlay hints, code actions (`resolvesEdits`: Fix all's edit is computed on `codeAction/resolve`), Aggregate File and the custom requests, each through runSafe;
 * `now` dates the ownership data.
 */
function registerRequests(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  analyses: AnalysisCache,
  baselines: Baselines,
  settings: SettingsCache,
  resolvesEdits: boolean,
  now: () => Date,
): void {
  connection.onHover((params, token) =>
    runSafe(connection, token, 'Hover', null, async () => {
      const textDocument = documents.get(params.textDocument.uri);
      if (!textDocument) return null;
      const settingsOf = await settings.get(textDocument.uri);
      const analysis = analyses.get(textDocument, settingsOf);
      return hover(textDocument, analysis, params.position, now(), baselines.since(textDocument.uri, analysis, settingsOf));
    }),
  );

  connection.onDocumentSymbol((params, token) =>
    runSafe(connection, token, 'Outline', [], async () => {
      const textDocument = documents.get(params.textDocument.uri);
      if (!textDocument) return [];
      return documentSymbols(textDocument, analyses.get(textDocument, await settings.get(textDocument.uri)));
    }),
  );

  connection.onFoldingRanges((params, token) =>
    runSafe(connection, token, 'Folding', [], async () => {
      const textDocument = documents.get(params.textDocument.uri);
      if (!textDocument) return [];
      return foldingRanges(analyses.get(textDocument, await settings.get(textDocument.uri)));
    }),
  );

  connection.languages.inlayHint.on((params, token) =>
    runSafe(connection, token, 'Inlay hints', [], async () => {
      const textDocument = documents.get(params.textDocument.uri);
      if (!textDocument) return [];
      const settingsOf = await settings.get(textDocument.uri);
      return inlayHints(textDocument, analyses.get(textDocument, settingsOf), params.range, settingsOf.inlayHints);
    }),
  );

  connection.onCodeAction((params, token) =>
    runSafe(connection, token, 'Code actions', [], async () => {
      const textDocument = documents.get(params.textDocument.uri);
      if (!textDocument) return [];
      const settingsOf = await settings.get(textDocument.uri);
      return codeActions(textDocument, analyses.get(textDocument, settingsOf), params, settingsOf.fixes, resolvesEdits);
    }),
  );

  connection.onCodeActionResolve((action, token) =>
    runSafe(connection, token, 'Fix all', action, async () => {
      const uri = fixAllTarget(action);
      const textDocument = uri === undefined ? undefined : documents.get(uri);
      if (!textDocument) return action;
      return resolveFixAll(action, textDocument, analyses.get(textDocument, await settings.get(textDocument.uri)));
    }),
  );

  connection.onExecuteCommand((params, token) =>
    runSafe(connection, token, 'Aggregate file', null, async () => {
      const uri = params.arguments?.[0];
      const textDocument = typeof uri === 'string' ? documents.get(uri) : undefined;
      if (params.command !== AGGREGATE_COMMAND || !textDocument) return null;
      const edits = aggregateEdits(textDocument, analyses.get(textDocument, await settings.get(textDocument.uri)));
      await connection.workspace.applyEdit({ label: 'Aggregate blocklist', edit: { changes: { [textDocument.uri]: edits } } });
      return null;
    }),
  );

  connection.onRequest(ReportRequest.type, (params, token) =>
    runSafe(connection, token, 'Report', null, async () => {
      const textDocument = documents.get(params.uri);
      if (!textDocument) return null;
      const settingsOf = await settings.get(textDocument.uri);
      const analysis = analyses.get(textDocument, settingsOf);
      return buildReport(analysis.document, analysis.result, analysis.networks, ownershipData(analysis, settingsOf, now()));
    }),
  );

  connection.onRequest(SummaryRequest.type, (params, token) =>
    runSafe(connection, token, 'Summary', null, async (): Promise<SummaryResult | null> => {
      const textDocument = documents.get(params.uri);
      if (!textDocument) return null;
      const settingsOf = await settings.get(textDocument.uri);
      const analysis = analyses.get(textDocument, settingsOf);
      const { document, result } = analysis;
      const s = summarize(document, result);
      return {
        format: s.format,
        ipv4: { entries: s.ipv4.entries, addresses: s.ipv4.addresses.toString() },
        ipv6: { entries: s.ipv6.entries, addresses: s.ipv6.addresses.toString() },
        duplicates: s.duplicates,
        exceptions: s.exceptions,
        problems: s.problems,
        providers: topProviders(analysis),
        ownershipData: ownershipData(analysis, settingsOf, now()),
        ...sinceSummary(baselines.since(textDocument.uri, analysis, settingsOf)),
      };
    }),
  );
}
