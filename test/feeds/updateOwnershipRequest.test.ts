/**
 * "Update Ownership Data" over the real protocol, from the URL and format in
 * `blocklist.ownershipData`: a failure answers with its reason and keeps the
 * data in use; a success (the shipped CSVs served whole by the local HTTPS
 * server) changes the data the hovers name at once, and a new session starts
 * with it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LSPErrorCodes, ResponseError, type MarkupContent } from 'vscode-languageserver-protocol';
import { ASN_DATASET_FORMATS, DEFAULT_OWNERSHIP_FORMAT, DEFAULT_OWNERSHIP_URL } from '../../server/src/core/ownership/asnDatasets';
import { UpdateOwnershipDataRequest } from '../../server/src/lsp/protocol';
import { shippedDataFolder } from '../../server/src/node/shippedAsnData';
import { LspClient } from '../protocol/lspClient';
import { startFeedServer, type FeedServer } from './feedServer';

const LAST_MODIFIED = 'Tue, 01 Dec 2026 05:00:00 GMT';

let server: FeedServer;
before(async () => {
  const shipped = (file: string) => ({ body: readFileSync(join(shippedDataFolder(), file)), lastModified: LAST_MODIFIED });
  server = await startFeedServer(() => '', { 'full/asn-ipv4.csv': shipped('asn-ipv4.csv'), 'full/asn-ipv6.csv': shipped('asn-ipv6.csv') });
});
after(() => server.close());

async function session(): Promise<LspClient> {
  const { client } = await LspClient.start({
    pull: true,
    configuration: true,
    env: { NODE_EXTRA_CA_CERTS: server.certificateFile },
    initializationOptions: { storagePath: join(server.directory, 'storage') },
  });
  await client.open('file:///google.txt', '35.192.0.0/12\n');
  return client;
}

/** The last line of the hover: which ownership data named the owners. */
async function dataFooter(client: LspClient): Promise<string | undefined> {
  const hover = await client.hover('file:///google.txt', 0, 3);
  return (hover?.contents as MarkupContent | undefined)?.value.split('\n').at(-1);
}

test('an update fails with its reason and keeps the data in use, or succeeds and is used at once and by the next session', async () => {
  const client = await session();
  try {
    assert.match((await dataFooter(client)) ?? '', /Ownership data: @ip-location-db\/asn /);

    client.settings = { ownershipData: { url: `${server.base}/fault/500/`, format: 'csv' } };
    const failure = await client.connection.sendRequest(UpdateOwnershipDataRequest.type, {}).then(
      () => assert.fail('the update succeeded'),
      (error: unknown) => (error instanceof ResponseError ? error : assert.fail(`not a response error: ${String(error)}`)),
    );
    assert.equal(failure.code, LSPErrorCodes.RequestFailed);
    assert.match(failure.message, /^https:\/\/127\.0\.0\.1:\d+\/fault\/500\/asn-ipv[46]\.csv answered HTTP 500\.$/);
    assert.match((await dataFooter(client)) ?? '', /Ownership data: @ip-location-db\/asn /);

    client.settings = { ownershipData: { url: `${server.base}/feed/full`, format: 'csv' } };
    const update = await client.connection.sendRequest(UpdateOwnershipDataRequest.type, {});
    assert.deepEqual([update.about.source, update.about.date, update.ipv4Ranges, update.holders], ['ip-location-db asn', '2026-12-01', 411_961, 91_065]);
    assert.match((await dataFooter(client)) ?? '', /Ownership data: ip-location-db asn downloaded \d{4}-\d{2}-\d{2}, dated by the server's Last-Modified of 2026-12-01 /);
  } finally {
    await client.stop();
  }
  const next = await session();
  try {
    assert.match((await dataFooter(next)) ?? '', /Ownership data: ip-location-db asn downloaded /);
  } finally {
    await next.stop();
  }
});

test("package.json's ownership data settings are the ones the server and the CLI apply", () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string }[]; configuration: { properties: Record<string, { default?: unknown; enum?: unknown }> } };
  };
  const properties = manifest.contributes.configuration.properties;
  assert.equal(properties['blocklist.ownershipData.url'].default, DEFAULT_OWNERSHIP_URL);
  assert.equal(properties['blocklist.ownershipData.format'].default, DEFAULT_OWNERSHIP_FORMAT);
  assert.deepEqual(properties['blocklist.ownershipData.format'].enum, ASN_DATASET_FORMATS);
  assert.ok(manifest.contributes.commands.some((command) => command.command === 'blocklist.updateOwnershipData'));
});
