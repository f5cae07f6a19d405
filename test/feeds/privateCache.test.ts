/**
 * The feed cache is private and follows no link: the folder 0700 and its
 * files 0600 however the feed came (a download, a 0600 file of the user's, an
 * import), and a symbolic link in place of the folder or of a cached file is
 * refused with what to do, neither written through nor read.
 */
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FeedSource } from '../../server/src/core/ownership/feeds/sources';
import { NodeFeedStore } from '../../server/src/node/feedStore';
import { startFeedServer, type FeedServer } from './feedServer';

let server: FeedServer;
before(async () => {
  server = await startFeedServer(() => '');
});
after(() => server.close());

const LIST = '# a feed of our own\n192.0.2.0/24\n2001:db8::/32\n';
const options = () => ({ timeoutMs: 10_000, maxBytes: 1 << 20, ca: server.certificate });
const downloaded: FeedSource = { id: 'acme', provider: 'acme', kind: 'list', url: '' };
const mode = (path: string) => statSync(path).mode & 0o777;

/** A fresh folder for one test, and a store of the feed served at /list, cached in `cache` below it. */
function setUp(name: string): { root: string; cache: string; store: NodeFeedStore } {
  const root = join(server.directory, name);
  mkdirSync(root);
  const cache = join(root, 'cache');
  return { root, cache, store: new NodeFeedStore(cache, [{ ...downloaded, url: `${server.base}/list` }], options()) };
}

test('a feed read from a 0600 file, downloaded or imported is cached 0600 in a 0700 folder, its parents made 0700 too', async () => {
  const root = join(server.directory, 'modes');
  mkdirSync(root);
  const own = join(root, 'own.txt');
  writeFileSync(own, LIST, { mode: 0o600 });
  const cache = join(root, 'storage', 'feeds');
  const sources: FeedSource[] = [
    { id: 'own', provider: 'own', kind: 'list', url: own },
    { ...downloaded, url: `${server.base}/list` },
  ];
  const store = new NodeFeedStore(cache, sources, options());
  assert.deepEqual((await store.refresh()).failed, []);
  assert.equal(await store.import('own', own), 2);
  assert.deepEqual(readdirSync(cache).sort(), ['acme.feed', 'own.feed']);
  assert.deepEqual(
    [mode(join(root, 'storage')), mode(cache), mode(join(cache, 'own.feed')), mode(join(cache, 'acme.feed'))].map((m) => m.toString(8)),
    ['700', '700', '600', '600'],
  );
});

test('a cache folder open to others is made private at the next refresh', async () => {
  const { cache, store } = setUp('open');
  mkdirSync(cache, { mode: 0o755 });
  chmodSync(cache, 0o755);
  assert.deepEqual((await store.refresh()).failed, []);
  assert.equal(mode(cache).toString(8), '700');
});

test('a cache folder that is a symbolic link is refused, neither written through nor read', async () => {
  const { root, cache, store } = setUp('linked-folder');
  const elsewhere = join(root, 'elsewhere');
  mkdirSync(elsewhere);
  writeFileSync(join(elsewhere, 'acme.feed'), LIST);
  symlinkSync(elsewhere, cache);
  const message = `The feed cache ${cache} is a symbolic link, which is never followed: remove the link, and a private folder is made in its place at the next refresh.`;
  await assert.rejects(store.refresh(), (e: Error) => e.message === message);
  await assert.rejects(store.import('acme', join(elsewhere, 'acme.feed')), (e: Error) => e.message === message);
  assert.deepEqual(readdirSync(elsewhere), ['acme.feed']);
  const index = store.load();
  assert.deepEqual(index.feeds, []);
  assert.deepEqual(index.warnings, [message]);
});

test('a cache folder that is a dangling symbolic link is refused too, and nothing is made where it points', async () => {
  const { root, cache, store } = setUp('dangling-folder');
  symlinkSync(join(root, 'nowhere'), cache);
  await assert.rejects(store.refresh(), (e: Error) => e.message.startsWith(`The feed cache ${cache} is a symbolic link, which is never followed`));
  assert.deepEqual(readdirSync(root), ['cache']);
});

test('a cached feed that is a symbolic link is refused, neither replaced nor read', async () => {
  const { root, cache, store } = setUp('linked-file');
  mkdirSync(cache, { mode: 0o700 });
  const victim = join(root, 'victim.txt');
  writeFileSync(victim, '198.51.100.0/24\n');
  symlinkSync(victim, join(cache, 'acme.feed'));
  const message = `The cached feed ${join(cache, 'acme.feed')} is a symbolic link, which is never followed: delete it and refresh the feeds.`;
  assert.deepEqual(await store.refresh(), { updated: [], failed: [{ id: 'acme', reason: message }] });
  assert.ok(lstatSync(join(cache, 'acme.feed')).isSymbolicLink(), 'the link was replaced');
  assert.equal(readFileSync(victim, 'utf8'), '198.51.100.0/24\n');
  const index = store.load();
  assert.deepEqual(index.feeds, []);
  assert.deepEqual(index.warnings, [message]);
});

test('a cached feed that is not a plain file, or is damaged, is left out with why', () => {
  const { cache, store } = setUp('odd-files');
  mkdirSync(join(cache, 'acme.feed'), { recursive: true });
  assert.deepEqual(store.load().warnings, [`The cached feed ${join(cache, 'acme.feed')} is not a plain file: delete it and refresh the feeds.`]);
  const damaged = new NodeFeedStore(cache, [{ id: 'own', provider: 'own', kind: 'list', url: 'unused' }]);
  writeFileSync(join(cache, 'own.feed'), 'root:x:0:0:SECRET\n');
  assert.deepEqual(damaged.load().warnings, ['The cached copy of feed own is damaged (Line 1: expected an address, CIDR or range such as 192.0.2.0/24.): refresh the feeds.']);
});
