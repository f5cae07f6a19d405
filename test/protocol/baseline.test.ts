/**
 * A document compared with its text at a revision, over the protocol: the
 * client sends the baseline (blocklist/setBaseline), and the hover of an
 * added line, the summary's net change and the change report follow it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import type { ChangeData } from '../../server/src/core/change/changeData';
import { BaselineNotification, ChangeRequest, HistoryRequest, SummaryRequest, type SummaryResult } from '../../server/src/lsp/protocol';
import { LspClient } from './lspClient';

const root = resolve(__dirname, '..', '..', '..');
const example = readFileSync(join(root, 'examples/telegram-2018.txt'), 'utf8');
const telegramOnly = example.slice(0, example.indexOf('#\n# Cloud subnets'));
const uri = 'file:///story/telegram-2018.txt';

let client: LspClient;

before(async () => {
  ({ client } = await LspClient.start({ pull: true }));
  await client.open(uri, example);
});

after(() => client.stop());

async function hoverText(line: number): Promise<string> {
  const hover = await client.hover(uri, line, 2);
  assert.ok(hover, `a hover on line ${line + 1}`);
  return (hover.contents as MarkupContent).value;
}

test('without a baseline: no "added since" in the hover, no change, no net in the summary', async () => {
  assert.doesNotMatch(await hoverText(19), /Added since/);
  assert.equal(await client.connection.sendRequest(ChangeRequest.type, { uri }), null);
  assert.equal(((await client.connection.sendRequest(SummaryRequest.type, { uri })) as SummaryResult).since, undefined);
});

test('against HEAD: the added line says what it adds and whose; an old line says nothing; the summary and the change report give the net', async () => {
  await client.connection.sendNotification(BaselineNotification.type, { uri, label: 'HEAD', text: telegramOnly });
  const added = await hoverText(19);
  assert.match(added, /^\*\*Added since HEAD:\*\* \+1,048,576 addresses, 901,120 of Google Cloud\n\n\*\*35\.192\.0\.0\/12\*\* blocks/);
  assert.doesNotMatch(await hoverText(8), /Added since/);
  const summary = (await client.connection.sendRequest(SummaryRequest.type, { uri })) as SummaryResult;
  assert.deepEqual(summary.since, { label: 'HEAD', ipv4: { added: '1835008', removed: '0' }, ipv6: { added: '0', removed: '0' } });
  const change = (await client.connection.sendRequest(ChangeRequest.type, { uri })) as ChangeData;
  assert.deepEqual(
    change.scopes[0].added.map((entry) => entry.line),
    [19, 20, 21, 22, 23, 24],
  );
  assert.deepEqual(
    change.owners?.added.ipv4.providers.map((p) => [p.name, p.addresses]),
    [
      ['Google Cloud', '901120'],
      ['Amazon Web Services', '786432'],
      ['Google', '131072'],
    ],
  );
  assert.deepEqual(
    change.introduced.map((f) => [f.line, f.code]),
    [19, 20, 21, 22, 23, 24].map((line) => [line, 'reach']),
  );
});

test('an entry whose addresses were blocked already, and a cleared baseline', async () => {
  await client.connection.sendNotification(BaselineNotification.type, { uri, label: 'main', text: example.replace('35.192.0.0/12\n', '35.192.0.0/11\n') });
  assert.match(await hoverText(19), /^\*\*Added since main:\*\* no address the list did not block already/);
  await client.connection.sendNotification(BaselineNotification.type, { uri, label: 'HEAD', text: null });
  assert.doesNotMatch(await hoverText(19), /Added since/);
});

test("the history chart: each version read in the document's format, with what it blocks", async () => {
  const versions = [
    { hash: 'b', date: '2018-04-16T10:00:00Z', subject: 'Block the cloud subnets', text: example },
    { hash: 'a', date: '2018-04-15T10:00:00Z', subject: "Telegram's networks", text: telegramOnly },
  ];
  const points = await client.connection.sendRequest(HistoryRequest.type, { uri, versions });
  assert.deepEqual(
    points?.map((p) => [p.hash, p.ipv4, p.entries]),
    [
      ['b', '1844224', 15],
      ['a', '9216', 9],
    ],
  );
});
