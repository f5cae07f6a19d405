/**
 * Refreshes at once, against the local HTTPS server: of one feed (in one
 * process, where they take turns, and in several processes sharing the
 * cache) and of different feeds. Every refresh must succeed, the cache must
 * end exactly as served, and a reader meanwhile sees a whole feed or none.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { FeedSource } from '../../server/src/core/ownership/feeds/sources';
import { NodeFeedStore } from '../../server/src/node/feedStore';
import type { RefreshReport } from '../../server/src/lsp/runtime';
import { startFeedServer, type FeedServer } from './feedServer';

const corpus = process.env.BLOCKLIST_CORPUS ?? resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus');
const served = {
  azure: readFileSync(join(corpus, 'cloud', 'azure_servicetags_2025-07.json'), 'utf8'),
  aws: readFileSync(join(corpus, 'cloud', 'aws_ip-ranges_2025-07.json'), 'utf8'),
  telegram: readFileSync(join(corpus, 'cloud', 'telegram_cidr.txt'), 'utf8'),
};
const ranges = { azure: 90493, aws: 13344, telegram: 14 };
const kinds = { azure: 'azure', aws: 'aws', telegram: 'list' } as const;
type Name = keyof typeof served;

let server: FeedServer;
before(async () => {
  server = await startFeedServer(() => '', served);
});
after(() => server.close());

const options = () => ({ timeoutMs: 10_000, maxBytes: 64 << 20, ca: server.certificate });
/** The source of feed `name`; `run` tells apart the requests of one test for `mostAtOnce`. */
const source = (name: Name, run = ''): FeedSource => ({ id: name, provider: name, kind: kinds[name], url: `${server.base}/feed/${name}?run=${run}` });
const succeeded = (...names: Name[]): RefreshReport => ({ updated: names.map((name) => ({ id: name, ranges: ranges[name] })), failed: [] });
const byId = (report: RefreshReport): RefreshReport => ({ updated: [...report.updated].sort((a, b) => a.id.localeCompare(b.id)), failed: report.failed });

/** The cache holds exactly the served feeds of `names`, and nothing else (no temporary file left behind). */
function assertCached(directory: string, names: Name[]): void {
  assert.deepEqual(readdirSync(directory).sort(), names.map((name) => `${name}.feed`).sort());
  for (const name of names) assert.ok(readFileSync(join(directory, `${name}.feed`), 'utf8') === served[name], `${name}.feed is not the feed served`);
}

for (const count of [2, 4]) {
  test(`${count} refreshes of one feed at once all succeed, download one at a time, and leave exactly the served feed`, async () => {
    const run = `same-${count}`;
    const directory = join(server.directory, run);
    const reports = await Promise.all(Array.from({ length: count }, () => new NodeFeedStore(directory, [source('azure', run)], options()).refresh()));
    assert.deepEqual(reports, Array<RefreshReport>(count).fill(succeeded('azure')));
    assertCached(directory, ['azure']);
    assert.equal(server.mostAtOnce(`/feed/azure?run=${run}`), 1, 'downloads of one feed ran at once');
  });
}

test('one store refreshed twice at once takes turns too', async () => {
  const directory = join(server.directory, 'one-store');
  const store = new NodeFeedStore(directory, [source('aws', 'one-store')], options());
  assert.deepEqual(await Promise.all([store.refresh(), store.refresh()]), [succeeded('aws'), succeeded('aws')]);
  assertCached(directory, ['aws']);
  assert.equal(server.mostAtOnce('/feed/aws?run=one-store'), 1, 'downloads of one feed ran at once');
});

test('refreshes of different feeds at once each leave exactly their feed', async () => {
  const directory = join(server.directory, 'different');
  const stores: Name[][] = [
    ['aws', 'azure'],
    ['azure', 'telegram'],
    ['telegram', 'aws'],
  ];
  const reports = await Promise.all(
    stores.map((names) =>
      new NodeFeedStore(
        directory,
        names.map((name) => source(name)),
        options(),
      ).refresh(),
    ),
  );
  assert.deepEqual(
    reports.map(byId),
    stores.map((names) => byId(succeeded(...names))),
  );
  assertCached(directory, ['aws', 'azure', 'telegram']);
});

test('a reader during refreshes sees the whole old feed or the whole new one, never part of either', async () => {
  const directory = join(server.directory, 'reader');
  const file = join(directory, 'aws.feed');
  const refreshes = Promise.all([1, 2, 3].map(() => new NodeFeedStore(directory, [source('aws')], options()).refresh()));
  let reading = true;
  let reads = 0;
  const reader = (async () => {
    while (reading) {
      if (existsSync(file)) {
        assert.ok(readFileSync(file, 'utf8') === served.aws, `read ${reads + 1} saw a partial feed`);
        reads++;
      }
      await new Promise((turn) => setTimeout(turn, 2)); // leaves the downloads, served from this process, room to go on
    }
  })();
  try {
    assert.deepEqual(await refreshes, [succeeded('aws'), succeeded('aws'), succeeded('aws')]);
  } finally {
    reading = false;
    await reader;
  }
  assert.ok(reads > 0, 'the reader never saw the feed');
});

test('a refresh waiting for its turn stops at once when cancelled', async () => {
  const directory = join(server.directory, 'cancel-wait');
  const stalled: FeedSource = { id: 'aws', provider: 'aws', kind: 'aws', url: `${server.base}/stall?run=cancel-wait` };
  const first = new AbortController();
  const second = new AbortController();
  const running = new NodeFeedStore(directory, [stalled], { ...options(), timeoutMs: 60_000 }).refresh(undefined, first.signal);
  while (server.mostAtOnce('/stall?run=cancel-wait') === 0) await new Promise((turn) => setTimeout(turn, 10));
  const waiting = new NodeFeedStore(directory, [source('aws', 'cancel-wait')], options()).refresh(undefined, second.signal);
  second.abort();
  assert.deepEqual(await waiting, { updated: [], failed: [{ id: 'aws', reason: 'Cancelled.' }] });
  assert.equal(server.mostAtOnce('/feed/aws?run=cancel-wait'), 0, 'the cancelled refresh downloaded');
  first.abort();
  assert.deepEqual(await running, { updated: [], failed: [{ id: 'aws', reason: 'Cancelled.' }] });
});

test('refreshes in several processes sharing the cache all succeed and leave exactly the served feed', async () => {
  const directory = join(server.directory, 'processes');
  const script = join(__dirname, 'refreshProcess.js');
  const run = promisify(execFile);
  const outputs = await Promise.all([1, 2, 3].map(() => run(process.execPath, [script, directory, JSON.stringify([source('aws'), source('telegram')]), server.certificateFile])));
  assert.deepEqual(
    outputs.map(({ stdout }) => byId(JSON.parse(stdout) as RefreshReport)),
    Array<RefreshReport>(3).fill(succeeded('aws', 'telegram')),
  );
  assertCached(directory, ['aws', 'telegram']);
});
