/** Ownership snapshots over the protocol: a list's `# ownership-data:` directive, and the workspace's setting, choose the data its hovers and findings use. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { AsnIndex } from '../../server/src/core/ownership/asnIndex';
import { NodeOwnershipStore } from '../../server/src/node/ownershipStore';
import { ImportOwnershipSnapshotRequest } from '../../server/src/lsp/protocol';
import { LspClient } from './lspClient';

const root = resolve(__dirname, '..', '..', '..');
const fixtures = join(root, 'test/fixtures/ownership/snapshots');
let cache = '';

before(async () => {
  cache = mkdtempSync(join(tmpdir(), 'blocklist-snapshots-'));
  const files = ['routeviews-rv2-20180415-1200.pfx2as', 'routeviews-rv6-20180415-1200.pfx2as'].map((file) => join(fixtures, file));
  const store = new NodeOwnershipStore(join(cache, 'blocklist-auditor', 'feeds'));
  await store.importSnapshot({ name: '2018-04-15', format: 'pfx2as', date: '2018-04-15', files }, AsnIndex.fromBytes(readFileSync(join(root, 'dist/asn.bin'))));
});

after(() => rmSync(cache, { recursive: true, force: true }));

function text(hover: Hover | null): string {
  assert.ok(hover, 'no hover');
  return (hover.contents as MarkupContent).value;
}

async function server(settings: Record<string, unknown> = {}) {
  return (await LspClient.start({ pull: true, env: { XDG_CACHE_HOME: cache }, settings, configuration: true })).client;
}

test("a list's # ownership-data: directive audits it with that snapshot: 2018 owners in the hover and findings, the snapshot in the hover's footer", async () => {
  const client = await server();
  try {
    await client.open('file:///old.txt', '# ownership-data: 2018-04-15\n35.192.0.0/12\n');
    const hover = text(await client.hover('file:///old.txt', 1, 3));
    assert.match(hover.split('\n')[0], /^\*\*35\.192\.0\.0\/12\*\* blocks \*\*1,048,576 addresses\*\* · Google 1,048,576 \(100 %\)$/);
    assert.match(hover.split('\n').at(-1)!, /^_Ownership snapshot "2018-04-15": RouteViews prefix-to-AS \(pfx2as\) of 2018-04-15/);
    await client.open('file:///moas.txt', '# ownership-data: 2018-04-15\n91.108.56.0/22\n');
    assert.match(text(await client.hover('file:///moas.txt', 1, 3)), /^Also announced by AS59930: prefixes with several origins, counted above under their first\.$/m);
    // Editing the directive away goes back to the data in use, with none of the snapshot's answers kept.
    await client.change('file:///old.txt', 2, [{ text: '# ownership-data:\n35.192.0.0/12\n' }]);
    assert.match(text(await client.hover('file:///old.txt', 1, 3)).split('\n')[0], /Google Cloud 901,120/);
    await client.open('file:///typo.txt', '# ownership-data: 2018-04-51\n35.192.0.0/12\n');
    const typo = (await client.pullDiagnostics('file:///typo.txt')).filter((d) => d.code === 'unknown-ownership-data');
    assert.equal(typo.length, 1);
    assert.deepEqual(typo[0].range, { start: { line: 0, character: 18 }, end: { line: 0, character: 28 } });
  } finally {
    await client.stop();
  }
});

test('the setting blocklist.ownershipData.snapshot audits every list that names none with that snapshot', async () => {
  const client = await server({ ownershipData: { snapshot: '2018-04-15' } });
  try {
    await client.open('file:///any.txt', '35.192.0.0/12\n');
    assert.match(text(await client.hover('file:///any.txt', 0, 3)).split('\n')[0], /· Google 1,048,576 \(100 %\)$/);
  } finally {
    await client.stop();
  }
});

test('the import request keeps a snapshot whose format and day its file name says, and lists audit with it at once', async () => {
  const client = await server();
  try {
    await client.open('file:///later.txt', '# ownership-data: april\n35.192.0.0/12\n');
    assert.equal((await client.pullDiagnostics('file:///later.txt')).filter((d) => d.code === 'unknown-ownership-data').length, 1);
    const result = await client.connection.sendRequest(ImportOwnershipSnapshotRequest.type, { files: [join(fixtures, 'routeviews-rv2-20180415-1200.pfx2as')], name: 'april' });
    assert.deepEqual([result.about.snapshot, result.about.date, result.ipv4Ranges, result.ipv6Ranges], ['april', '2018-04-15', 13, 0]);
    assert.deepEqual(
      (await client.pullDiagnostics('file:///later.txt')).filter((d) => d.code === 'unknown-ownership-data'),
      [],
    );
    assert.match(text(await client.hover('file:///later.txt', 1, 3)).split('\n')[0], /· Google 1,048,576 \(100 %\)$/);
    await assert.rejects(client.connection.sendRequest(ImportOwnershipSnapshotRequest.type, { files: [join(fixtures, 'README')] }), /The file name does not say its format/);
  } finally {
    await client.stop();
  }
});
