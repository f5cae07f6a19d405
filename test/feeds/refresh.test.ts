/**
 * "Refresh Provider Ranges" over the real protocol: feeds from a local HTTPS
 * server change what the findings say, progress comes per feed, and Cancel
 * stops a stalled download at once and keeps the feed's last good copy.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, ResponseError, WorkDoneProgress, type MarkupContent, type WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import { ImportFeedRequest, RefreshFeedsRequest } from '../../server/src/lsp/protocol';
import { LspClient } from '../protocol/lspClient';
import { startFeedServer, type FeedServer } from './feedServer';

const corpus = process.env.BLOCKLIST_CORPUS ?? resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus');
const bigList = readFileSync(join(corpus, 'cloud', 'disposable_microsoft-azure.txt'), 'utf8');

let feeds: FeedServer;
before(async () => {
  feeds = await startFeedServer(() => '', { big: bigList });
});
after(() => feeds.close());

test('a refresh downloads the configured feeds, keeps failures apart, and feeds the findings', async () => {
  const { client } = await LspClient.start({
    pull: true,
    configuration: true,
    // Trust the local server's certificate; never reach the official feeds from a test.
    env: { NODE_EXTRA_CA_CERTS: feeds.certificateFile },
    initializationOptions: { storagePath: join(feeds.directory, 'storage') },
  });
  try {
    client.settings = {
      feeds: {
        official: false,
        custom: [
          { id: 'acme', url: `${feeds.base}/list`, format: 'list' },
          { id: 'broken', url: `${feeds.base}/500`, format: 'list' },
        ],
      },
    };
    const report = await client.connection.sendRequest<{ updated: { id: string; ranges: number }[]; failed: { id: string; reason: string }[] }>('blocklist/refreshFeeds');
    assert.deepEqual(report.updated, [{ id: 'custom-acme', ranges: 2 }]);
    assert.deepEqual(
      report.failed.map((f) => f.id),
      ['custom-broken'],
    );
    assert.match(report.failed[0].reason, /answered HTTP 500/);
    await client.open('file:///feeds.txt', '192.0.2.0/23\n');
    const hover = await client.hover('file:///feeds.txt', 0, 1);
    assert.ok(hover, 'no hover');
    assert.match((hover.contents as MarkupContent).value, /\*\*Provider feeds:\*\* acme \(256\)/);
  } finally {
    await client.stop();
  }
  // A new session reads the cached feeds, the user's own included, without downloading again.
  const { client: next } = await LspClient.start({
    pull: true,
    configuration: true,
    initializationOptions: { storagePath: join(feeds.directory, 'storage') },
    settings: { feeds: { official: false, custom: [{ id: 'acme', url: 'https://127.0.0.1:9/unused', format: 'list' }] } },
  });
  try {
    await next.open('file:///again.txt', '192.0.2.0/23\n');
    let text = '';
    for (let attempt = 0; attempt < 50 && !text.includes('acme'); attempt++) {
      const hover = await next.hover('file:///again.txt', 0, 1);
      text = hover ? (hover.contents as MarkupContent).value : '';
      if (!text.includes('acme')) await new Promise((wake) => setTimeout(wake, 100));
    }
    assert.match(text, /\*\*Provider feeds:\*\* acme \(256\)/);
  } finally {
    await next.stop();
  }
});

test('failures quote nothing of a local file and no secret of a URL: not in the refresh report, the import error or the output channel', async () => {
  const passwd = join(feeds.directory, 'passwd');
  writeFileSync(passwd, 'root:x:0:0:SECRET:/root:/bin/bash\n', { mode: 0o600 });
  const notJson = join(feeds.directory, 'not.json');
  writeFileSync(notJson, '{"token": SECRET}\n');
  const { client } = await LspClient.start({
    pull: true,
    configuration: true,
    env: { NODE_EXTRA_CA_CERTS: feeds.certificateFile },
    initializationOptions: { storagePath: join(feeds.directory, 'quiet') },
    settings: {
      feeds: {
        official: false,
        custom: [
          { id: 'private', url: `https://user:SECRET@${feeds.base.slice('https://'.length)}/500?access_token=SECRET`, format: 'list' },
          { id: 'passwd', url: passwd, format: 'list' },
          { id: 'token', url: notJson, format: 'json', jsonPath: 'prefixes[]' },
        ],
      },
    },
  });
  const logged: string[] = [];
  client.connection.onNotification('window/logMessage', (params: { message: string }) => void logged.push(params.message));
  try {
    const report = await client.connection.sendRequest(RefreshFeedsRequest.type, {});
    assert.deepEqual(report.updated, []);
    assert.deepEqual(
      [...report.failed].sort((a, b) => a.id.localeCompare(b.id)),
      [
        { id: 'custom-passwd', reason: 'Line 1: expected an address, CIDR or range such as 192.0.2.0/24.' },
        { id: 'custom-private', reason: `https://***@${feeds.base.slice('https://'.length)}/500?access_token=*** answered HTTP 500.` },
        { id: 'custom-token', reason: 'Not valid JSON: the download may be truncated, or the file is not JSON.' },
      ],
    );
    const error: unknown = await client.connection.sendRequest(ImportFeedRequest.type, { source: 'custom-token', file: passwd }).then(
      () => assert.fail('a file that is not a feed was imported'),
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof ResponseError, String(error));
    assert.equal(error.message, 'Request blocklist/importFeed failed with message: Not valid JSON: the download may be truncated, or the file is not JSON.');
  } finally {
    await client.stop();
  }
  assert.doesNotMatch([...logged, client.stderr].join('\n'), /SECRET|root:/);
});

test('two refreshes at once in the server take turns, both succeed, and leave exactly the served feed', async () => {
  const storagePath = join(feeds.directory, 'twice');
  const { client } = await LspClient.start({
    pull: true,
    configuration: true,
    env: { NODE_EXTRA_CA_CERTS: feeds.certificateFile },
    initializationOptions: { storagePath },
    settings: { feeds: { official: false, custom: [{ id: 'big', url: `${feeds.base}/feed/big?run=lsp`, format: 'list' }] } },
  });
  try {
    const reports = await Promise.all([1, 2].map(() => client.connection.sendRequest(RefreshFeedsRequest.type, {})));
    assert.deepEqual(
      reports,
      [1, 2].map(() => ({ updated: [{ id: 'custom-big', ranges: 56267 }], failed: [] })),
    );
  } finally {
    await client.stop();
  }
  assert.ok(readFileSync(join(storagePath, 'feeds', 'custom-big.feed'), 'utf8') === bigList, 'the cache is not the feed served');
  assert.equal(feeds.mostAtOnce('/feed/big?run=lsp'), 1, 'the server downloaded one feed twice at once');
});

test('a cache folder that is a link: the log says why no feed is loaded, and a refresh is refused with what to do', async () => {
  const storagePath = join(feeds.directory, 'linked');
  const elsewhere = join(feeds.directory, 'elsewhere');
  mkdirSync(storagePath);
  mkdirSync(elsewhere);
  writeFileSync(join(elsewhere, 'custom-acme.feed'), '192.0.2.0/24\n');
  symlinkSync(elsewhere, join(storagePath, 'feeds'));
  const message = `The feed cache ${join(storagePath, 'feeds')} is a symbolic link, which is never followed: remove the link, and a private folder is made in its place at the next refresh.`;
  const { client } = await LspClient.start({
    pull: true,
    configuration: true,
    env: { NODE_EXTRA_CA_CERTS: feeds.certificateFile },
    initializationOptions: { storagePath },
    settings: { feeds: { official: false, custom: [{ id: 'acme', url: `${feeds.base}/list`, format: 'list' }] } },
  });
  const logged: string[] = [];
  client.connection.onNotification('window/logMessage', (params: { message: string }) => void logged.push(params.message));
  try {
    await client.open('file:///linked.txt', '192.0.2.0/23\n');
    for (let attempt = 0; attempt < 100 && !logged.includes(message); attempt++) {
      await client.pullDiagnostics('file:///linked.txt');
      if (!logged.includes(message)) await new Promise((wake) => setTimeout(wake, 100));
    }
    assert.ok(logged.includes(message), `not in the log: ${JSON.stringify(logged)}`);
    const hover = await client.hover('file:///linked.txt', 0, 1);
    assert.doesNotMatch((hover?.contents as MarkupContent | undefined)?.value ?? '', /acme/);
    const error: unknown = await client.connection.sendRequest(RefreshFeedsRequest.type, {}).then(
      () => assert.fail('a refresh wrote through a link'),
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof ResponseError && error.message === `Request blocklist/refreshFeeds failed with message: ${message}`, String(error));
  } finally {
    await client.stop();
  }
  assert.deepEqual(readdirSync(elsewhere), ['custom-acme.feed']);
});

test('a refresh reports progress per feed, and cancelling it stops a stalled download promptly and keeps the last good copy', { timeout: 60_000 }, async () => {
  const { client } = await LspClient.start({
    pull: true,
    configuration: true,
    env: { NODE_EXTRA_CA_CERTS: feeds.certificateFile },
    initializationOptions: { storagePath: join(feeds.directory, 'cancel') },
  });
  /** Sends a refresh with a progress token; `onReport` sees each report as it comes. */
  const refresh = (workDoneToken: string, onReport: (report: WorkDoneProgressReport) => void = () => undefined, cancel = new CancellationTokenSource()) => {
    const kinds: string[] = [];
    const reports: WorkDoneProgressReport[] = [];
    const listening = client.connection.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      kinds.push(value.kind);
      if (value.kind === 'report') {
        reports.push(value);
        onReport(value);
      }
    });
    const answer = client.connection.sendRequest(RefreshFeedsRequest.type, { workDoneToken }, cancel.token).finally(() => listening.dispose());
    return { answer, kinds, reports };
  };
  try {
    client.settings = {
      feeds: {
        official: false,
        custom: [
          { id: 'acme', url: `${feeds.base}/list`, format: 'list' },
          { id: 'other', url: `${feeds.base}/list`, format: 'list' },
        ],
      },
    };
    const first = refresh('first');
    assert.deepEqual((await first.answer).failed, []);
    assert.deepEqual(first.kinds, ['begin', 'report', 'report', 'end']);
    assert.deepEqual(
      first.reports.map((report) => report.percentage),
      [50, 100],
    );
    const ids = first.reports.map((report) => /\((custom-\w+)\)/.exec(report.message ?? '')?.[1] ?? '');
    assert.deepEqual(
      [...ids].sort((a, b) => a.localeCompare(b)),
      ['custom-acme', 'custom-other'],
    );

    // acme's server now stalls (the download's own timeout is 15 s): cancel once the other feed is in.
    client.settings = {
      feeds: {
        official: false,
        custom: [
          { id: 'acme', url: `${feeds.base}/stall`, format: 'list' },
          { id: 'other', url: `${feeds.base}/list`, format: 'list' },
        ],
      },
    };
    const cancel = new CancellationTokenSource();
    let cancelledAt = 0;
    const second = refresh(
      'second',
      (report) => {
        assert.match(report.message ?? '', /^1 of 2 feeds \(custom-other\)$/);
        cancelledAt = Date.now();
        cancel.cancel();
      },
      cancel,
    );
    const error: unknown = await second.answer.then(
      () => assert.fail('a cancelled refresh answered a report'),
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled, `expected the cancellation error, got ${String(error)}`);
    assert.ok(cancelledAt > 0 && Date.now() - cancelledAt < 5_000, `the refresh took ${Date.now() - cancelledAt} ms to stop after Cancel`);
    assert.deepEqual(second.kinds.at(-1), 'end');

    // acme keeps the copy of the first refresh.
    await client.open('file:///cancelled.txt', '192.0.2.0/23\n');
    const hover = await client.hover('file:///cancelled.txt', 0, 1);
    assert.match((hover?.contents as MarkupContent | undefined)?.value ?? '', /acme \(256\)/);
  } finally {
    await client.stop();
  }
});

test("an imported feed's day is in the hover: AWS's feed of April 2018 names the services and regions the example blocked then", async () => {
  const { client } = await LspClient.start({ pull: true, configuration: true, initializationOptions: { storagePath: join(feeds.directory, 'dated-storage') } });
  try {
    await client.connection.sendRequest(ImportFeedRequest.type, { source: 'aws', file: join(corpus, 'cloud', 'aws_ip-ranges_2018-04-11.json') });
    await client.open('file:///2018.txt', '52.58.0.0/15\n');
    const hover = await client.hover('file:///2018.txt', 0, 1);
    assert.ok(hover, 'no hover');
    assert.match(
      (hover.contents as MarkupContent).value,
      /^\*\*Provider feeds \(aws of 2018-04-05\):\*\* aws AMAZON eu-central-1 \(131,072\) · aws EC2 eu-central-1 \(131,072\)$/m,
    );
  } finally {
    await client.stop();
  }
});
