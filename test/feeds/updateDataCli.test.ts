/**
 * `blocklist-audit update-data` end to end, against the local HTTPS server
 * serving the shipped CSVs whole (so the default checks apply): the updated
 * index holds the rows dist/asn.bin holds, `check` then names the updated
 * data and its date, a failed update leaves it in use, byte for byte, and
 * two processes updating one cache at once leave one whole index.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { OWNERSHIP_INDEX } from '../../server/src/node/ownershipStore';
import { shippedDataFolder } from '../../server/src/node/shippedAsnData';
import { startFeedServer, type FeedServer } from './feedServer';

const root = resolve(__dirname, '..', '..', '..');
const LAST_MODIFIED = 'Tue, 01 Dec 2026 05:00:00 GMT';

let server: FeedServer;
let cache: string;
before(async () => {
  const shipped = (file: string) => ({ body: readFileSync(join(shippedDataFolder(), file)), lastModified: LAST_MODIFIED });
  server = await startFeedServer(() => '', { 'full/asn-ipv4.csv': shipped('asn-ipv4.csv'), 'full/asn-ipv6.csv': shipped('asn-ipv6.csv') });
  cache = join(server.directory, 'cache');
});
after(() => server.close());

/** The CLI with the cache folder in the test's scratch directory (unless `extraEnv` names another) and the test server's certificate trusted. */
function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, XDG_CACHE_HOME: cache, NODE_EXTRA_CA_CERTS: server.certificateFile, NO_COLOR: '1', ...extraEnv };
  const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

/** An index's bytes after its about: the ranges and holders. */
function withoutAbout(bytes: Buffer): Buffer {
  return bytes.subarray(12 + bytes.readUInt32LE(8));
}

test('update-data puts the served data in place, and check uses it from then on', async () => {
  const update = await cli(['update-data', '--url', `${server.base}/feed/full/`]);
  assert.equal(update.stderr, 'Downloading asn-ipv4.csv and asn-ipv6.csv…\n');
  const today = new Date().toISOString().slice(0, 10);
  const index = join(cache, 'blocklist-auditor', 'feeds', OWNERSHIP_INDEX);
  assert.equal(update.stdout.split('\n')[0], `Updated: 411,961 IPv4 and 103,197 IPv6 ranges, 91,065 holders, in ${index}; check uses them from now on.`);
  assert.match(
    update.stdout.split('\n')[1],
    new RegExp(`^Ownership data: ip-location-db asn downloaded ${today}, dated by the server's Last-Modified of 2026-12-01 \\(\\d+ days? old\\); RouteViews`),
  );
  assert.equal(update.status, 0);
  assert.ok(withoutAbout(readFileSync(index)).equals(withoutAbout(readFileSync(join(root, 'dist', 'asn.bin')))), 'the ranges and holders differ from the build');

  const check = await cli(['check', '--format', 'json', '--fail-on', 'never', join(root, 'examples', 'telegram-2018.txt')]);
  const [report] = JSON.parse(check.stdout) as { ownershipData: { source: string; date: string; caveat?: string } }[];
  assert.deepEqual([report.ownershipData.source, report.ownershipData.date, report.ownershipData.caveat], ['ip-location-db asn', '2026-12-01', undefined]);

  const before = readFileSync(index);
  const failed = await cli(['update-data', '--url', `${server.base}/fault/500/`]);
  assert.equal(failed.status, 2);
  assert.match(
    failed.stderr.split('\n')[1],
    /^blocklist-audit: the ownership data was not updated \(the data in use is unchanged\): https:\/\/127\.0\.0\.1:\d+\/fault\/500\/asn-ipv[46]\.csv answered HTTP 500\.$/,
  );
  assert.ok(readFileSync(index).equals(before), 'the failed update changed the index');
});

test('two update-data processes at once each put a whole index in place, and leave no temporary file', async () => {
  const shared = join(server.directory, 'shared');
  const env = { XDG_CACHE_HOME: shared };
  const runs = await Promise.all([cli(['update-data', '--url', `${server.base}/feed/full/`], env), cli(['update-data', '--url', `${server.base}/feed/full/`], env)]);
  assert.deepEqual(
    runs.map((run) => run.status),
    [0, 0],
  );
  const folder = join(shared, 'blocklist-auditor', 'feeds');
  assert.deepEqual(readdirSync(folder), [OWNERSHIP_INDEX]);
  assert.ok(withoutAbout(readFileSync(join(folder, OWNERSHIP_INDEX))).equals(withoutAbout(readFileSync(join(root, 'dist', 'asn.bin')))), 'the index is not whole');
});

test('update-data takes --url and --format only', async () => {
  const wrong = await cli(['update-data', '--format', 'mmdb']);
  assert.deepEqual([wrong.status, wrong.stderr], [2, 'blocklist-audit: --format takes csv, iptoasn, not "mmdb".\nRun "blocklist-audit --help" for usage.\n']);
  const file = await cli(['update-data', 'list.txt']);
  assert.deepEqual([file.status, file.stderr.split('\n')[0]], [2, 'blocklist-audit: "update-data" takes --url and --format only, not "list.txt".']);
});
