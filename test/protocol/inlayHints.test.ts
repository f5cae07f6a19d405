/**
 * Counts inline over the protocol, with a real server and the real ASN data,
 * on the 2018 example: a hint at the end of each large blocking entry, only
 * for the lines asked for, sized and turned off by the settings, and shown
 * again when they change if the client can.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import type { InlayHint, Range } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

const URI = 'file:///telegram-2018.txt';
const TEXT = readFileSync(resolve(__dirname, '..', '..', '..', 'examples', 'telegram-2018.txt'), 'utf8');
const WHOLE: Range = { start: { line: 0, character: 0 }, end: { line: TEXT.split('\n').length, character: 0 } };

/** Each hint as `line:character label`, checking that it stands apart from the entry before it. */
function shown(hints: InlayHint[] | null): string[] {
  assert.ok(hints, 'no answer');
  return hints.map((hint) => {
    assert.equal(hint.paddingLeft, true);
    assert.equal(typeof hint.label, 'string');
    return `${hint.position.line}:${hint.position.character} ${hint.label as string}`;
  });
}

// oxfmt-ignore
const EVERY_HINT = [
  '8:13 1,024 · Telegram 100 %',
  '9:13 1,024 · Telegram 100 %',
  '10:14 1,024 · Telegram 100 %',
  '11:14 1,024 · Telegram 100 %',
  '12:14 1,024 · Telegram 100 %',
  '13:16 4,096 · Telegram 100 %',
  '14:18 1 /48 · Global Network Management Inc 100 %',
  '15:18 1 /48 · Telegram 100 %',
  '16:17 1 /48 · Telegram 100 %',
  '19:13 1,048,576 · Google Cloud 85.9 %',
  '20:13 262,144 · Amazon Web Services 100 %',
  '21:12 131,072 · Amazon Web Services 100 %',
  '22:13 131,072 · Amazon Web Services 100 %',
  '23:13 131,072 · Amazon Web Services 100 %',
  '24:13 131,072 · Amazon Web Services 100 %',
];

test('each large entry of the 2018 example has its count and largest owner at its end; the range asked for is honoured', async () => {
  const { client, result } = await LspClient.start({ pull: true });
  try {
    assert.equal(result.capabilities.inlayHintProvider, true);
    await client.open(URI, TEXT);
    assert.deepEqual(shown(await client.inlayHints(URI, WHOLE)), EVERY_HINT);
    assert.deepEqual(shown(await client.inlayHints(URI, { start: { line: 19, character: 0 }, end: { line: 21, character: 13 } })), EVERY_HINT.slice(9, 12));
    // A range that ends at the start of a line leaves that line out.
    assert.deepEqual(shown(await client.inlayHints(URI, { start: { line: 19, character: 0 }, end: { line: 21, character: 0 } })), EVERY_HINT.slice(9, 11));
    assert.deepEqual(shown(await client.inlayHints(URI, { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } })), []);
  } finally {
    await client.stop();
  }
});

test('entries under blocklist.inlayHints.minimumAddresses get none, blocklist.inlayHints.enabled false turns them all off, and a change asks the client to show them again', async () => {
  const { client } = await LspClient.start({ pull: true, configuration: true, refreshesInlayHints: true, settings: { inlayHints: { minimumAddresses: 1025 } } });
  try {
    await client.open(URI, TEXT);
    // The /22s (1,024 addresses) are left out.
    assert.deepEqual(shown(await client.inlayHints(URI, WHOLE)), EVERY_HINT.slice(5));
    client.settings = { inlayHints: { enabled: false } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(shown(await client.inlayHints(URI, WHOLE)), []);
    assert.equal(client.inlayHintRefreshes, 1);
  } finally {
    await client.stop();
  }
});

test('a client that cannot show the hints again is not asked to', async () => {
  const { client } = await LspClient.start({ pull: true, configuration: true });
  try {
    await client.open(URI, TEXT);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(shown(await client.inlayHints(URI, WHOLE)), EVERY_HINT);
    assert.equal(client.inlayHintRefreshes, 0);
  } finally {
    await client.stop();
  }
});
