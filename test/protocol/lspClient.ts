/**
 * A minimal LSP client for tests: starts `dist/server.js --stdio` as a real
 * process and speaks JSON-RPC to it over its standard streams.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  Diagnostic,
  DocumentDiagnosticReport,
  Hover,
  InitializeResult,
  InlayHint,
  Range,
  LogMessageParams,
  PublishDiagnosticsParams,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';

const SERVER = resolve(__dirname, '..', '..', '..', 'dist', 'server.js');

export class LspClient {
  readonly connection: MessageConnection;
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly published = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: (() => void)[] = [];
  private readonly editWaiters: ((edit: WorkspaceEdit) => void)[] = [];
  stderr = '';
  /** Edits the server asked the client to apply (workspace/applyEdit). */
  readonly appliedEdits: WorkspaceEdit[] = [];
  /** What the server wrote to the output channel (window/logMessage). */
  readonly logs: LogMessageParams[] = [];
  settings: Record<string, unknown> = {};
  /** How many times the server asked the client to show its inlay hints again (workspace/inlayHint/refresh). */
  inlayHintRefreshes = 0;
  /** When (Date.now()) the server asked the client to pull diagnostics again (workspace/diagnostic/refresh). */
  readonly diagnosticRefreshes: number[] = [];

  private constructor(env: NodeJS.ProcessEnv) {
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { env: { ...process.env, ...env } });
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.set(params.uri, params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) =>
        (item.section ?? 'blocklist')
          .split('.')
          .slice(1)
          .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], this.settings),
      ),
    );
    this.connection.onNotification('window/logMessage', (params: LogMessageParams) => {
      this.logs.push(params);
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
      this.appliedEdits.push(params.edit);
      for (const wake of this.editWaiters.splice(0)) wake(params.edit);
      return { applied: true };
    });
    this.connection.onRequest('workspace/diagnostic/refresh', () => {
      this.diagnosticRefreshes.push(Date.now());
      return null;
    });
    this.connection.onRequest('workspace/inlayHint/refresh', () => {
      this.inlayHintRefreshes++;
      return null;
    });
    this.connection.listen();
  }

  /** Starts the server without a handshake: the caller sends `initialize` (or does not). */
  static launch(env: NodeJS.ProcessEnv = {}): LspClient {
    return new LspClient(env);
  }

  /** Starts the server and completes the initialize handshake. `pull` selects pull or push diagnostics. */
  static async start(options: {
    pull: boolean;
    configuration?: boolean;
    env?: NodeJS.ProcessEnv;
    initializationOptions?: unknown;
    /** The `blocklist` settings from the first request on. */
    settings?: Record<string, unknown>;
    /** Whether the client resolves code actions' edits (`codeAction/resolve`), as VS Code does. */
    resolvesCodeActions?: boolean;
    /** Whether the client shows inlay hints again when the server asks (workspace/inlayHint/refresh), as VS Code does. */
    refreshesInlayHints?: boolean;
    /** The folders open in the client (file URIs), which the workspace index reads. */
    workspaceFolders?: readonly string[];
  }): Promise<{ client: LspClient; result: InitializeResult }> {
    const client = LspClient.launch(options.env);
    client.settings = options.settings ?? {};
    const capabilities: ClientCapabilities = {
      textDocument: {
        hover: { contentFormat: ['markdown', 'plaintext'] },
        ...(options.pull ? { diagnostic: { dynamicRegistration: false } } : { publishDiagnostics: { relatedInformation: true } }),
        ...(options.resolvesCodeActions ? { codeAction: { dataSupport: true, resolveSupport: { properties: ['edit'] } } } : {}),
      },
      workspace: { configuration: options.configuration ?? false, ...(options.refreshesInlayHints ? { inlayHint: { refreshSupport: true } } : {}) },
    };
    const result = await client.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: options.workspaceFolders?.map((uri) => ({ uri, name: uri.slice(uri.lastIndexOf('/') + 1) })) ?? null,
      capabilities,
      initializationOptions: options.initializationOptions,
    });
    await client.connection.sendNotification('initialized', {});
    return { client, result };
  }

  open(uri: string, text: string, languageId = 'blocklist'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  change(uri: string, version: number, changes: unknown[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  async pullDiagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    return report.kind === 'full' ? report.items : [];
  }

  /** Waits (with a deadline) until pushed diagnostics for `uri` satisfy `ready`. */
  async pushedDiagnostics(uri: string, ready: (params: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const params = this.published.get(uri);
      if (params && ready(params)) return params;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No matching diagnostics for ${uri} within ${timeoutMs} ms`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  /** The next edit the server asks the client to apply, as soon as its request arrives (before the client answers it). */
  nextAppliedEdit(): Promise<WorkspaceEdit> {
    return new Promise((resolve) => this.editWaiters.push(resolve));
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  inlayHints(uri: string, range: Range): Promise<InlayHint[] | null> {
    return this.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range });
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    this.connection.dispose();
    await new Promise<void>((done) => {
      if (this.process.exitCode !== null) done();
      else this.process.once('exit', () => done());
    });
  }

  /** Ends a server that no longer answers (stop() would wait for it forever). */
  kill(): void {
    this.connection.dispose();
    this.process.kill('SIGKILL');
  }

  /** Memory of the server process in kilobytes (resident set), read from /proc. */
  residentKilobytes(): number {
    const status = readFileSync(`/proc/${this.process.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  }
}
