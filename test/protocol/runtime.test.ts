/**
 * The server takes its world from `startServer(connection, runtime)`: the LSP
 * layer reaches no Node module or global (a linter run with those rules says
 * so), and the same server runs in this process on a runtime of fakes — a
 * timer fired by hand, a feed store that stalls until cancelled, no ASN data.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { CancellationTokenSource, createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  LSPErrorCodes,
  ResponseError,
  WorkDoneProgress,
  type InitializeResult,
  type LogMessageParams,
  type PublishDiagnosticsParams,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { FeedIndex } from '../../server/src/core/ownership/feeds/feedIndex';
import type { FeedSource } from '../../server/src/core/ownership/feeds/sources';
import { RefreshFeedsRequest } from '../../server/src/lsp/protocol';
import type { FeedStore, RefreshProgress, RefreshReport, Runtime } from '../../server/src/lsp/runtime';
import { startServer } from '../../server/src/lsp/startServer';

const root = resolve(__dirname, '..', '..', '..');
const lsp = join(root, 'server/src/lsp');

/** Node's globals; timers too, which come through `runtime.timer`. */
const NODE_GLOBALS = ['process', '__dirname', '__filename', 'require', 'module', 'Buffer', 'global', 'setTimeout', 'setInterval', 'setImmediate'];
const NODE_MESSAGE = 'Node is reached through the runtime (server/src/node/nodeRuntime.ts).';

test('server/src/lsp imports no Node module and uses no Node global: the host comes in through the runtime', () => {
  const directory = mkdtempSync(join(tmpdir(), 'blocklist-lsp-purity-'));
  try {
    const config = join(directory, 'oxlintrc.json');
    writeFileSync(
      config,
      JSON.stringify({
        categories: { correctness: 'off', suspicious: 'off', pedantic: 'off', style: 'off', perf: 'off', restriction: 'off', nursery: 'off' },
        rules: {
          'no-restricted-globals': ['error', ...NODE_GLOBALS],
          'no-restricted-imports': [
            'error',
            {
              paths: builtinModules.map((name) => ({ name, message: NODE_MESSAGE })),
              patterns: [{ group: ['node:*', '../node', '../node/*'], message: NODE_MESSAGE }],
            },
          ],
        },
      }),
    );
    const lint = spawnSync(join(root, 'node_modules/.bin/oxlint'), ['-c', config, '--format', 'json', lsp], { encoding: 'utf8' });
    assert.ok(lint.stdout, `oxlint did not run: ${lint.error?.message ?? lint.stderr}`);
    const { diagnostics, number_of_files: files } = JSON.parse(lint.stdout) as {
      diagnostics: { filename: string; message: string; labels: { span: { line: number } }[] }[];
      number_of_files: number;
    };
    assert.ok(files >= 10, `oxlint looked at ${files} files`);
    assert.deepEqual(
      diagnostics.map((d) => `${d.filename.replace(/^.*server\/src\/lsp\//, '')}:${d.labels[0]?.span.line}: ${d.message}`),
      [],
    );
    // Node's global types too (a timer typed NodeJS.Timeout, say).
    const typed = readdirSync(lsp).filter((file) => file.endsWith('.ts') && /\bNodeJS\./.test(readFileSync(join(lsp, file), 'utf8')));
    assert.deepEqual(typed, []);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

/** Waits for a state, polling until a deadline. */
async function until(ready: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 5));
  }
}

/** A runtime of fakes: timers that fire when told, a feed store whose "slow" source waits for cancellation, no ASN index. */
function fakeRuntime() {
  const timers: { callback: () => void; ms: number; disposed: boolean }[] = [];
  const opened: { storagePath: string | undefined; sources: readonly string[] }[] = [];
  const seen = { asnReads: 0, signal: undefined as AbortSignal | undefined };
  const store = (sources: readonly FeedSource[]): FeedStore => ({
    load: () => new FeedIndex([]),
    refresh: async (onProgress: RefreshProgress = () => undefined, signal?: AbortSignal): Promise<RefreshReport> => {
      seen.signal = signal;
      const report: { updated: { id: string; ranges: number }[]; failed: { id: string; reason: string }[] } = { updated: [], failed: [] };
      for (const [k, source] of sources.entries()) {
        if (source.id.endsWith('slow')) {
          await new Promise<void>((stopped) => (signal?.aborted ? stopped() : signal?.addEventListener('abort', () => stopped())));
          report.failed.push({ id: source.id, reason: 'Cancelled.' });
        } else report.updated.push({ id: source.id, ranges: 1 });
        onProgress(k + 1, sources.length, source.id);
      }
      return report;
    },
    import: () => Promise.reject(new Error('not in this test')),
  });
  const runtime: Runtime = {
    asnIndex: {
      location: 'memory',
      read: () => {
        seen.asnReads++;
        throw new Error('no index in this test');
      },
    },
    feedStore: (storagePath, sources) => {
      opened.push({ storagePath, sources: sources.map((s) => s.id) });
      return store(sources);
    },
    timer: {
      setTimeout: (callback, ms) => {
        const timer = { callback, ms, disposed: false };
        timers.push(timer);
        return { dispose: () => (timer.disposed = true) };
      },
    },
    now: () => new Date('2026-12-02T12:00:00Z'),
  };
  const fire = () => {
    for (const timer of timers.splice(0)) if (!timer.disposed) timer.callback();
  };
  return { runtime, timers, opened, seen, fire };
}

test('startServer runs on a runtime of fakes: the debounce uses its timer, the refresh reports progress and is cancelled through its store', async () => {
  const fake = fakeRuntime();
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), fake.runtime);
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const logs: string[] = [];
  const published: PublishDiagnosticsParams[] = [];
  const settings = {
    feeds: {
      official: false,
      custom: [
        { id: 'fast', url: 'https://fast.invalid/', format: 'list' },
        { id: 'slow', url: 'https://slow.invalid/', format: 'list' },
      ],
    },
  };
  client.onNotification('window/logMessage', (params: LogMessageParams) => {
    logs.push(params.message);
  });
  client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    published.push(params);
  });
  client.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
    params.items.map((item) =>
      (item.section ?? 'blocklist')
        .split('.')
        .slice(1)
        .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], settings),
    ),
  );
  client.onRequest('client/registerCapability', () => null);
  client.listen();
  try {
    await client.sendRequest<InitializeResult>('initialize', {
      processId: null,
      rootUri: null,
      capabilities: { textDocument: { publishDiagnostics: {} }, workspace: { configuration: true } },
      initializationOptions: { storagePath: '/fake/storage' },
    });
    await client.sendNotification('initialized', {});
    // The user's own feeds are opened once initialized, in the client's storage.
    await until(() => fake.opened.some((o) => o.sources.length === 2), 'the custom feeds to be opened');
    assert.deepEqual(fake.opened.at(-1), { storagePath: '/fake/storage', sources: ['custom-fast', 'custom-slow'] });

    // Pushed diagnostics wait for the runtime's timer, and nothing else.
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///fake.txt', languageId: 'blocklist', version: 1, text: '192.0.2.1\n192.0.2.1\n' } });
    await until(() => fake.timers.some((t) => !t.disposed && t.ms === 200), 'the push to be scheduled');
    assert.equal(published.length, 0);
    fake.fire();
    await until(() => published.some((p) => p.uri === 'file:///fake.txt' && p.diagnostics.length > 0), 'the pushed diagnostics');
    assert.equal(fake.seen.asnReads, 1);
    assert.ok(
      logs.some((message) => message.startsWith('No ASN data at memory (no index in this test)')),
      logs.join('\n'),
    );

    // A refresh reports the fast feed, then Cancel reaches the store's signal and the answer is the cancellation error.
    const cancel = new CancellationTokenSource();
    const reports: WorkDoneProgressReport[] = [];
    const kinds: string[] = [];
    client.onProgress(WorkDoneProgress.type, 'refresh-1', (value) => {
      kinds.push(value.kind);
      if (value.kind !== 'report') return;
      reports.push(value);
      cancel.cancel();
    });
    const error: unknown = await client.sendRequest(RefreshFeedsRequest.type, { workDoneToken: 'refresh-1' }, cancel.token).then(
      () => assert.fail('a cancelled refresh answered a report'),
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled, `expected the cancellation error, got ${String(error)}`);
    assert.equal(fake.seen.signal?.aborted, true);
    await until(() => kinds.at(-1) === 'end', 'the end of the progress');
    assert.deepEqual(kinds, ['begin', 'report', 'report', 'end']);
    assert.deepEqual(
      reports.map((r) => [r.percentage, r.message]),
      [
        [50, '1 of 2 feeds (custom-fast)'],
        [100, '2 of 2 feeds (custom-slow)'],
      ],
    );
    // What the store holds now is used (the fast feed was saved before the Cancel): the open list is audited again.
    await until(() => fake.timers.some((t) => !t.disposed), 'the open list to be audited again');
  } finally {
    client.dispose();
    toServer.end();
    toClient.end();
  }
});
