/**
 * Feed parsers on the real feeds of ../shared/corpus/cloud, and downloads
 * from a local HTTPS server on 127.0.0.1 that also misbehaves: HTTP 500, a
 * redirect to plain http, truncated JSON, a wrong schema, a 50 MB body and
 * a server that stalls. A failed refresh must keep the last good copy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { FeedIndex } from '../../server/src/core/ownership/feeds/feedIndex';
import { FeedError, feedDate, parseFeed, type FeedKind } from '../../server/src/core/ownership/feeds/parsers';
import type { FeedSource } from '../../server/src/core/ownership/feeds/sources';
import { displayUrl, download, DownloadError } from '../../server/src/node/download';
import { NodeFeedStore } from '../../server/src/node/feedStore';
import { startFeedServer, type FeedServer } from './feedServer';

const root = resolve(__dirname, '..', '..', '..');
const corpus = process.env.BLOCKLIST_CORPUS ?? resolve(root, '..', 'shared', 'corpus');
const cloud = (name: string) => readFileSync(join(corpus, 'cloud', name), 'utf8');

const real: [kind: FeedKind, file: string, ranges: number, sample: RegExp][] = [
  ['aws', 'aws_ip-ranges_2025-07.json', 13344, /AMAZON eu-west-1/],
  ['aws', 'aws_ip-ranges_2018-04-11.json', 1523, /AMAZON/],
  ['google-cloud', 'gcp_cloud_2025-07.json', 782, /Google Cloud africa-south1/],
  ['google', 'google_goog_googerteller.json', 84, /^undefined undefined$/],
  ['azure', 'azure_servicetags_2025-07.json', 90493, /ActionGroup/],
  ['oracle', 'oracle_public_ip_ranges_2025-07.json', 896, /OCI us-ashburn-1/],
  ['fastly', 'fastly_public-ip-list_2025-07.json', 21, /^undefined undefined$/],
  ['github', 'github_meta_2025-07.json', 5959, /^hooks undefined$/],
  ['geofeed', 'linode_geofeed.txt', 4552, /^undefined US US-TX Richardson$/],
  ['geofeed', 'digitalocean_google.csv', 1182, /NL NL-NH Amsterdam/],
  ['list', 'telegram_cidr.txt', 14, /^undefined undefined$/],
  ['list', 'cloudflare_ips-v6.txt', 7, /^undefined undefined$/],
];

for (const [kind, file, count, sample] of real) {
  test(`reads the real ${file} as a ${kind} feed: ${count} ranges`, () => {
    const ranges = parseFeed(kind, cloud(file));
    assert.equal(ranges.length, count);
    assert.ok(
      ranges.some((r) => sample.test(`${r.service} ${r.region}`)),
      `no range like ${sample}`,
    );
  });
}

test('a JSON feed of the user own is read along a path', () => {
  const ranges = parseFeed('json', '{"data":{"nets":[{"cidr":"192.0.2.0/24"},{"cidr":"2001:db8::/32"}]}}', 'data.nets[].cidr');
  assert.deepEqual(
    ranges.map((r) => r.version),
    [4, 6],
  );
  assert.throws(() => parseFeed('json', '{"data":{}}', 'data.nets[].cidr'), /The path step "nets\[\]" is not in the feed/);
});

// A feed can be any file of the user's: errors say where and what was expected, and never quote the text (SECRET stands for it).
// oxfmt-ignore
const broken: [kind: FeedKind, text: string, message: string, jsonPath?: string][] = [
  ['list', 'root:x:0:0:SECRET:/root:/bin/bash\n', 'Line 1: expected an address, CIDR or range such as 192.0.2.0/24.'],
  ['list', '# ours\n192.0.2.0/24\r\n\nSECRET here\n', 'Line 4: expected an address, CIDR or range such as 192.0.2.0/24.'],
  ['list', '192.0.2.0/24\rSECRET', 'Line 2: expected an address, CIDR or range such as 192.0.2.0/24.'],
  ['geofeed', '192.0.2.0/24,US\nSECRET,US,US-CA,\n', 'Line 2: expected an address, CIDR or range such as 192.0.2.0/24.'],
  ['aws', '{"prefixes": [{"ip_prefix": "192.0.2.0/24"}, {"ip_prefix": "SECRET"}]}', 'prefixes[1].ip_prefix: expected an address, CIDR or range such as 192.0.2.0/24.'],
  ['aws', '{"prefixes": [{"ip_prefix": "300.1.1.0/24"}]}', 'prefixes[0].ip_prefix: expected an address, CIDR or range such as 192.0.2.0/24.'],
  ['aws', '{"prefixes": [{"ip_prefix": "3.4.12.4/32"', 'Not valid JSON at line 1, column 42: the download may be truncated, or the file is not JSON.'],
  ['aws', '{\n "prefixes": [\n  {"ip_prefix": "1.2.3.0/24" SECRET}]}', 'Not valid JSON at line 3, column 30: the download may be truncated, or the file is not JSON.'],
  ['aws', '{"values": []}', 'Expected a list "prefixes" in the feed.'],
  ['aws', 'null', 'Expected a list "prefixes" in the feed.'],
  ['aws', '{"prefixes": [{"SECRET": 1}]}', 'prefixes[0] has no "ip_prefix".'],
  ['azure', '{"values": [{"name": "SECRET", "properties": {"addressPrefixes": ["SECRET"]}}]}', 'values[0].properties.addressPrefixes[0]: expected an address, CIDR or range such as 192.0.2.0/24.'],
  ['github', '{"web": ["192.0.2.0/24"], "SECRET": ["999.0.0.0/8"]}', 'list 2[0]: expected an address, CIDR or range such as 192.0.2.0/24.'],
  ['json', '{"a": SECRET}', 'Not valid JSON: the download may be truncated, or the file is not JSON.', 'a[]'],
  ['json', '{"data": {"nets": [{"cidr": "192.0.2.0/24"}, {"cidr": 42}]}}', 'data.nets[1].cidr: expected an address, CIDR or range such as 192.0.2.0/24, found a number.', 'data.nets[].cidr'],
  ['json', '[{"cidr": ["SECRET"]}]', '[0].cidr: expected an address, CIDR or range such as 192.0.2.0/24, found a list.', '[].cidr'],
  ['list', '# only comments\n', 'The feed holds no address ranges.'],
];

for (const [kind, text, message, jsonPath] of broken) {
  test(`a broken ${kind} feed says where and what was expected, quoting none of it: ${JSON.stringify(text).slice(0, 60)}`, () => {
    assert.throws(
      () => parseFeed(kind, text, jsonPath),
      (e: Error) => e instanceof FeedError && e.message === message,
    );
  });
}

test('the feed index says which service and region an entry hits, exactly', () => {
  const aws = parseFeed('aws', cloud('aws_ip-ranges_2018-04-11.json'));
  const index = new FeedIndex([{ source: 'aws', provider: 'aws', ranges: aws }]);
  // 52.58.0.0/15, blocked in April 2018: Frankfurt.
  const matches = index.lookup(4, 0x343a0000n, 0x343bffffn);
  assert.ok(matches.length > 0);
  assert.ok(
    matches.every((m) => m.region === 'eu-central-1'),
    JSON.stringify(matches.map((m) => m.region)),
  );
  assert.equal(matches[0].addresses, 131072n);
  assert.deepEqual(index.lookup(4, 0x01010101n, 0x01010101n), []);
});

let feeds: FeedServer;
let good = cloud('aws_ip-ranges_2018-04-11.json');
before(async () => {
  feeds = await startFeedServer(() => good);
});
after(() => feeds.close());

const options = () => ({ timeoutMs: 500, maxBytes: 8 * 1024 * 1024, ca: feeds.certificate });

test('downloads over https and follows https redirects', async () => {
  assert.equal(await download(`${feeds.base}/good`, options()), good);
  assert.equal(await download(`${feeds.base}/to-good`, options()), good);
});

test('misbehaving servers give clear errors, quickly', async () => {
  const cases: [path: string, message: RegExp][] = [
    ['/500', /answered HTTP 500/],
    ['/to-http', /Refusing http:\/\/127\.0\.0\.1:\d+\/good: feeds are fetched over https only/],
    ['/huge', /sent more than the 8,388,608 bytes allowed/],
    ['/stall', /sent nothing for 0\.5 s|took longer than/],
  ];
  for (const [path, message] of cases) {
    const started = Date.now();
    await assert.rejects(download(`${feeds.base}${path}`, options()), (e: Error) => e instanceof DownloadError && message.test(e.message));
    assert.ok(Date.now() - started < 5000, `${path} took ${Date.now() - started} ms`);
  }
  await assert.rejects(download(`http://127.0.0.1:1/good`, options()), /https only/);
});

// oxfmt-ignore
const urls: [url: string, shown: string][] = [
  ['https://user:SECRET@example.com/feed.json', 'https://***@example.com/feed.json'],
  ['https://:SECRET@example.com/', 'https://***@example.com/'],
  ['https://example.com/f?token=SECRET&format=json&API_KEY=SECRET&api_key=SECRET', 'https://example.com/f?token=***&format=json&API_KEY=***&api_key=***'],
  ['https://bucket.s3.amazonaws.com/f?X-Amz-Credential=SECRET&X-Amz-Signature=SECRET&X-Amz-Security-Token=SECRET', 'https://bucket.s3.amazonaws.com/f?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***'],
  ['https://account.blob.core.windows.net/c/f.json?sv=2022-11-02&sig=SECRET', 'https://account.blob.core.windows.net/c/f.json?sv=2022-11-02&sig=***'],
  ['https://example.com/f?password=SECRET&client_secret=SECRET&access_token=SECRET&auth=SECRET&session=SECRET', 'https://example.com/f?password=***&client_secret=***&access_token=***&auth=***&session=***'],
  ['https://example.com/f.json#access_token=SECRET', 'https://example.com/f.json'],
  ['https://example.com:8443/ips-v4', 'https://example.com:8443/ips-v4'],
  ['not a url SECRET', 'an invalid URL'],
];

for (const [url, shown] of urls) {
  test(`a URL is shown without its secrets: ${url}`, () => assert.equal(displayUrl(url), shown));
}

test('download errors show no user, password or token of the URL', async () => {
  const secret = (path: string) => `https://user:SECRET@127.0.0.1:${new URL(feeds.base).port}${path}?token=SECRET&format=json`;
  const shown = (path: string) => `https://***@127.0.0.1:${new URL(feeds.base).port}${path}?token=***&format=json`;
  const cases: [url: string, message: string][] = [
    [secret('/500'), `${shown('/500')} answered HTTP 500.`],
    [secret('/stall'), `${shown('/stall')} sent nothing for 0.5 s.`],
    [secret('/to-secret-http'), `Refusing http://***@127.0.0.1:${new URL(feeds.base).port}/good?api_key=***: feeds are fetched over https only.`],
    ['https://user:SECRET@127.0.0.1:1/feed?sig=SECRET', 'https://***@127.0.0.1:1/feed?sig=***: connect ECONNREFUSED 127.0.0.1:1'],
    ['http://user:SECRET@127.0.0.1:1/feed', 'Refusing http://***@127.0.0.1:1/feed: feeds are fetched over https only.'],
  ];
  for (const [url, message] of cases) {
    await assert.rejects(download(url, options()), (e: Error) => e instanceof DownloadError && e.message === message);
  }
  const sources: FeedSource[] = [{ id: 'custom-ftp', provider: 'ftp', kind: 'list', url: 'ftp://user:SECRET@127.0.0.1/ips.txt' }];
  const report = await new NodeFeedStore(join(feeds.directory, 'secrets'), sources, options()).refresh();
  assert.deepEqual(report.failed, [{ id: 'custom-ftp', reason: 'Refusing ftp://***@127.0.0.1/ips.txt: feeds are fetched over https only.' }]);
});

test('a cancelled download stops at once, also when cancelled before it began', async () => {
  const patient = { ...options(), timeoutMs: 60_000 };
  const controller = new AbortController();
  const started = Date.now();
  const stalled = download(`${feeds.base}/stall`, { ...patient, signal: controller.signal });
  setImmediate(() => controller.abort());
  const cancelled = (e: Error) => e instanceof DownloadError && e.message === 'Cancelled.';
  await assert.rejects(stalled, cancelled);
  await assert.rejects(download(`${feeds.base}/good`, { ...patient, signal: AbortSignal.abort() }), cancelled);
  assert.ok(Date.now() - started < 5000, `cancelling took ${Date.now() - started} ms`);
});

test('a refresh that fails keeps the last good copy, for every kind of failure', async () => {
  const directory = join(feeds.directory, 'cache');
  const at = (path: string): FeedSource[] => [{ id: 'aws', provider: 'aws', kind: 'aws', url: `${feeds.base}${path}` }];
  const first = await new NodeFeedStore(directory, at('/good'), options()).refresh();
  assert.deepEqual(first, { updated: [{ id: 'aws', ranges: 1523 }], failed: [] });
  const cached = readFileSync(join(directory, 'aws.feed'), 'utf8');
  for (const path of ['/500', '/to-http', '/truncated', '/wrong-schema', '/huge', '/stall']) {
    const report = await new NodeFeedStore(directory, at(path), options()).refresh();
    assert.equal(report.updated.length, 0, path);
    assert.equal(report.failed[0].id, 'aws');
    assert.equal(readFileSync(join(directory, 'aws.feed'), 'utf8'), cached, `${path} damaged the cache`);
  }
  const index = new NodeFeedStore(directory, at('/good')).load();
  assert.equal(index.feeds[0].ranges.length, 1523);
});

test('a page that links to the current feed is followed (Azure), and a feed file can be imported', async () => {
  const directory = join(feeds.directory, 'discover');
  const sources: FeedSource[] = [{ id: 'aws', provider: 'aws', kind: 'aws', url: `${feeds.base}/page`, discover: /https:\/\/127\.0\.0\.1:\d+\/good/ }];
  assert.deepEqual((await new NodeFeedStore(directory, sources, options()).refresh()).failed, []);
  const azure: FeedSource[] = [{ id: 'azure', provider: 'microsoft', kind: 'azure', url: 'unused' }];
  assert.equal(await new NodeFeedStore(directory, azure).import('azure', join(corpus, 'cloud/azure_servicetags_2025-07.json')), 90493);
  good = '{"prefixes": []}';
  assert.equal((await new NodeFeedStore(directory, sources, options()).refresh()).failed[0].reason, 'The feed holds no address ranges.');
});

test("a feed is dated by the day it says it was made: AWS's 2018 feed imported gives the example's services and regions of April 2018", async () => {
  assert.equal(feedDate('aws', readFileSync(join(corpus, 'cloud/aws_ip-ranges_2025-07.json'), 'utf8')), '2025-07-24');
  assert.equal(feedDate('google-cloud', readFileSync(join(corpus, 'cloud/gcp_cloud_2025-07.json'), 'utf8')), '2025-07-24');
  assert.equal(feedDate('list', '1.2.3.0/24\n'), undefined);
  const directory = join(feeds.directory, 'dated');
  const aws: FeedSource[] = [{ id: 'aws', provider: 'aws', kind: 'aws', url: 'unused' }];
  await new NodeFeedStore(directory, aws).import('aws', join(corpus, 'cloud/aws_ip-ranges_2018-04-11.json'));
  const index = new NodeFeedStore(directory, aws).load();
  // 52.58.0.0/15, blocked in April 2018: EC2 in Frankfurt, as the feed of 2018-04-05 (the file's createDate) says.
  const matches = index.lookup(4, 0x343a0000n, 0x343bffffn).map((m) => [m.service, m.region, m.date, m.addresses]);
  assert.deepEqual(matches, [
    ['AMAZON', 'eu-central-1', '2018-04-05', 131_072n],
    ['EC2', 'eu-central-1', '2018-04-05', 131_072n],
  ]);
});
