/**
 * Settings over the protocol, with a real server: a wrong value is replaced
 * (findings still come, as with the value used instead), and the output
 * channel says so once, however many documents read it, until the
 * configuration changes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageType } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

test('a wrong setting is replaced, findings still come, and the output channel says so once per configuration', async () => {
  const { client } = await LspClient.start({ pull: true, configuration: true, settings: { maxProblems: 0.5, overbroad: { ipv4Warning: 16, ipv4Error: 24 } } });
  try {
    const warnings = () => client.logs.filter((log) => log.type === MessageType.Warning && log.message.startsWith('Setting ')).map((log) => log.message);
    for (const uri of ['file:///one.txt', 'file:///two.txt']) {
      await client.open(uri, '10.0.0.0/20\n10.0.0.0/20\n');
      assert.deepEqual(
        (await client.pullDiagnostics(uri)).map((d) => `${d.code} ${d.severity}`),
        ['special-purpose 2', 'overbroad 1', 'duplicate 2'],
        uri,
      );
    }
    const said = [
      'Setting blocklist.overbroad.ipv4Warning: 16 is broader than blocklist.overbroad.ipv4Error (24), which would leave the entries between them without a finding; using 24 instead: every IPv4 entry larger than a /24 is an error.',
      'Setting blocklist.maxProblems: 0.5 is not a whole number 1 or more; using 1000 instead.',
    ];
    assert.deepEqual(warnings(), said);
    // A configuration change reads the settings again, and says again what is still wrong.
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.pullDiagnostics('file:///one.txt');
    assert.deepEqual(warnings(), [...said, ...said]);
  } finally {
    await client.stop();
  }
});

test('names in blocklist.target and blocklist.protected that name no known network are said in the output channel, and the target is not used', async () => {
  const { client } = await LspClient.start({ pull: true, configuration: true, settings: { target: ['telegarm'], protected: ['AS13335', 'cloudflair'] } });
  try {
    await client.open('file:///typo.txt', '35.192.0.0/12\n');
    const codes = (await client.pullDiagnostics('file:///typo.txt')).map((d) => d.code);
    assert.ok(!codes.includes('outside-target'), codes.join(' '));
    assert.deepEqual(
      client.logs.filter((log) => log.type === MessageType.Warning && log.message.startsWith('Setting ')).map((log) => log.message),
      [
        'Setting blocklist.protected: "cloudflair" names no known network, so it protects nothing. Write ASNs (AS62041), providers (telegram, aws…), CIDRs or ranges.',
        'Setting blocklist.target: "telegarm" names no known network, so nothing is measured against the target. Write ASNs (AS62041), providers (telegram, aws…), CIDRs or ranges.',
      ],
    );
  } finally {
    await client.stop();
  }
});
