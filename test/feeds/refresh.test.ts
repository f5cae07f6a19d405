/** "Refresh Provider Ranges" over the real protocol: feeds from a local HTTPS server change what the findings say. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient } from '../protocol/lspClient';
import { startFeedServer, type FeedServer } from './feedServer';

let feeds: FeedServer;
before(async () => {
  feeds = await startFeedServer(() => '');
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
    assert.deepEqual(report.failed.map((f) => f.id), ['custom-broken']);
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
