/**
 * The ownership data's date, credit and caveat over the protocol: the hover's
 * footer, the status bar's summary and the report, dated by the runtime's
 * clock (fixed here) with the real ASN index, and called out of date past
 * blocklist.ownership.maxAgeDays.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Hover, InitializeResult, MarkupContent } from 'vscode-languageserver-protocol';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { FeedIndex } from '../../server/src/core/ownership/feeds/feedIndex';
import { ReportRequest, SummaryRequest } from '../../server/src/lsp/protocol';
import { startServer } from '../../server/src/lsp/startServer';

const root = resolve(__dirname, '..', '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'node_modules/@ip-location-db/asn/package.json'), 'utf8')) as { version: string };
const TODAY = new Date('2026-12-02T12:00:00Z');
/** The package's date, its version's YYYYMMDD (2026-06-17 for 2.3.2026061719), and its age on TODAY in days (168 then). */
const [, year, month, day] = /\.(\d{4})(\d{2})(\d{2})\d{2}$/.exec(version) ?? assert.fail(`the version ${version} ends in no date`);
const DATE = `${year}-${month}-${day}`;
const AGE = (Date.UTC(2026, 11, 2) - Date.UTC(Number(year), Number(month) - 1, Number(day))) / 86_400_000;
const CAVEAT =
  "Its publisher warns that the data it published to npm contains bugs resulting in incorrect data, that npm updates are deprecated and will stop, and that corrected data is in the project's GitHub Releases.";

const settings: Record<string, unknown> = {};
let client: MessageConnection;
let streams: PassThrough[];

before(async () => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  streams = [toServer, toClient];
  startServer(createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), {
    asnIndex: { location: 'dist/asn.bin', read: () => readFileSync(join(root, 'dist/asn.bin')) },
    feedStore: () => ({ load: () => new FeedIndex([]), refresh: () => Promise.reject(new Error('not in this test')), import: () => Promise.reject(new Error('not in this test')) }),
    timer: { setTimeout: () => ({ dispose: () => undefined }) },
    now: () => TODAY,
  });
  client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => settings));
  client.onRequest('client/registerCapability', () => null);
  client.listen();
  await client.sendRequest<InitializeResult>('initialize', { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } });
  await client.sendNotification('initialized', {});
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///google.txt', languageId: 'blocklist', version: 1, text: '35.192.0.0/12\n' } });
});

after(() => {
  client.dispose();
  for (const stream of streams) stream.end();
});

test("the hover's footer says which data named the owners, of what day and how old on the runtime's day, whose, and what its publisher warns", async () => {
  const hover = await client.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: 'file:///google.txt' }, position: { line: 0, character: 3 } });
  assert.ok(hover, 'no hover');
  const footer = (hover.contents as MarkupContent).value.split('\n').at(-1);
  assert.equal(footer, `_Ownership data: @ip-location-db/asn ${version} of ${DATE} (${AGE} days old); RouteViews, NRO and DB-IP (IP Geolocation by DB-IP), CC BY 4.0. ${CAVEAT}_`);
});

test('the summary and the report carry the data, its age and the limit of blocklist.ownership.maxAgeDays', async () => {
  const about = { source: '@ip-location-db/asn', version, date: DATE, credit: 'RouteViews, NRO and DB-IP (IP Geolocation by DB-IP), CC BY 4.0', caveat: CAVEAT };
  const summary = await client.sendRequest(SummaryRequest.type, { uri: 'file:///google.txt' });
  assert.deepEqual(summary?.ownershipData, { about, ageDays: AGE, maxAgeDays: 90 });
  settings.ownership = { maxAgeDays: 400 };
  await client.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const report = await client.sendRequest(ReportRequest.type, { uri: 'file:///google.txt' });
  assert.equal(report?.ownershipData?.maxAgeDays, 400);
  assert.equal(report?.ownershipData?.ageDays, AGE);
});
