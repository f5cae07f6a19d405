/**
 * Lists together over the protocol: a fixture workspace of several formats,
 * indexed by the server from disk — Find Blocking Entries, workspace
 * symbols, references, and a file added while it runs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { InitializeResult, Location, SymbolInformation } from 'vscode-languageserver-protocol';
import { FindBlockingRequest, WorkspaceReportRequest, type FindBlockingResult, type WorkspaceReportData } from '../../server/src/lsp/protocol';
import { LspClient } from './lspClient';

let folder = '';
let client: LspClient;
let initialized: InitializeResult;
const uri = (name: string) => pathToFileURL(join(folder, name)).toString();

const FEED = '# a feed\n10.0.0.0/8\n192.0.2.0/24\n198.51.100.0/24\n';

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'blocklist-workspace-'));
  mkdirSync(join(folder, 'lists'));
  mkdirSync(join(folder, 'node_modules'));
  writeFileSync(join(folder, 'lists/feed.txt'), FEED);
  writeFileSync(join(folder, 'lists/sets.ipset'), 'create bad hash:net\nadd bad 10.0.0.0/16\nadd bad 10.0.0.0/28 nomatch\ncreate good hash:net\nadd good 10.0.0.5\n');
  writeFileSync(join(folder, 'web.blocklist'), '# blocklist-format: nginx\nallow 10.0.0.5;\ndeny 10.0.0.0/8;\n');
  writeFileSync(join(folder, 'notes.txt'), 'Meeting notes: move 10.0.0.5 to the new rack on Monday.\nBring coffee.\n');
  writeFileSync(join(folder, 'node_modules/vendored.netset'), '10.0.0.5\n');
  ({ client, result: initialized } = await LspClient.start({ pull: true, workspaceFolders: [pathToFileURL(folder).toString()] }));
});

after(async () => {
  await client.stop();
  rmSync(folder, { recursive: true, force: true });
});

const find = (query: string) => client.connection.sendRequest(FindBlockingRequest.type, { query }) as Promise<FindBlockingResult | null>;

test('the server offers workspace symbols and references', () => {
  assert.equal(initialized.capabilities.workspaceSymbolProvider, true);
  assert.equal(initialized.capabilities.referencesProvider, true);
});

test('Find Blocking Entries: each list with an entry that names 10.0.0.5, what each entry decides; prose and node_modules left out', async () => {
  const found = await find('10.0.0.5');
  assert.ok(found);
  assert.equal(found.indexed, 3);
  assert.deepEqual(
    found.files.map((file) => [
      file.uri.slice(file.uri.lastIndexOf('/') + 1),
      file.blocked.ipv4,
      file.scopes.flatMap((scope) => scope.matches.map((m) => `${scope.label} line ${m.line + 1} ${m.text} ${m.role} ${m.decided}`)),
    ]),
    [
      ['feed.txt', '1', ['the file line 2 10.0.0.0/8 blocks 1']],
      ['sets.ipset', '1', ['set bad line 2 10.0.0.0/16 blocks 0', 'set bad line 3 10.0.0.0/28 excepts 1', 'set good line 5 10.0.0.5 blocks 1']],
      ['web.blocklist', '0', ['the file line 2 10.0.0.5 excepts 1', 'the file line 3 10.0.0.0/8 blocks 0']],
    ].map(([name, blocked, matches]) => [name, blocked, matches]),
  );
  assert.equal(await find('no such network'), null);
});

test('workspace symbols: an address typed in Ctrl+T names each entry that decides it, the name starting with what was typed', async () => {
  const symbols = await client.connection.sendRequest<SymbolInformation[]>('workspace/symbol', { query: '10.0.0.5' });
  assert.deepEqual(
    symbols.map((s) => [s.name, s.location.uri.slice(s.location.uri.lastIndexOf('/') + 1), s.location.range.start.line, s.containerName]),
    [
      ['10.0.0.5 ∈ 10.0.0.0/8', 'feed.txt', 1, 'the file · blocks 1'],
      ['10.0.0.5 ∈ 10.0.0.0/28', 'sets.ipset', 2, 'set bad · excepts 1'],
      ['10.0.0.5 ∈ 10.0.0.5', 'sets.ipset', 4, 'set good · blocks 1'],
      ['10.0.0.5 ∈ 10.0.0.5', 'web.blocklist', 1, 'the file · excepts 1'],
    ],
  );
  assert.deepEqual(await client.connection.sendRequest('workspace/symbol', { query: '10.0.' }), []);
});

test('references: every entry, in any list, that names an address of the entry', async () => {
  await client.open(uri('lists/feed.txt'), FEED);
  const references = await client.connection.sendRequest<Location[]>('textDocument/references', {
    textDocument: { uri: uri('lists/feed.txt') },
    position: { line: 1, character: 3 },
    context: { includeDeclaration: false },
  });
  assert.deepEqual(references.map((r) => `${r.uri.slice(r.uri.lastIndexOf('/') + 1)}:${r.range.start.line + 1}:${r.range.start.character}-${r.range.end.character}`).sort(), [
    'sets.ipset:2:8-19',
    'sets.ipset:3:8-19',
    'sets.ipset:5:9-17',
    'web.blocklist:2:6-14',
    'web.blocklist:3:5-15',
  ]);
});

test('the workspace report: each list with its totals, and what each pair blocks in common', async () => {
  const report = (await client.connection.sendRequest(WorkspaceReportRequest.type)) as WorkspaceReportData;
  const names = report.lists.map((list) => list.uri.slice(list.uri.lastIndexOf('/') + 1));
  assert.deepEqual(names, ['feed.txt', 'sets.ipset', 'web.blocklist']);
  assert.deepEqual(
    report.lists.map((list) => list.ipv4.addresses),
    [String(2 ** 24 + 512), String(2 ** 16 - 16 + 1), String(2 ** 24 - 1)],
  );
  // feed.txt's 10.0.0.0/8 holds all of sets.ipset's and all but 10.0.0.5 of web.blocklist's (which allows it first).
  assert.deepEqual(report.overlap4[0], [String(2 ** 24 + 512), String(2 ** 16 - 16 + 1), String(2 ** 24 - 1)]);
  assert.deepEqual(report.overlap4[1][2], String(2 ** 16 - 16));
});

test('a list added on disk is indexed when the client says it changed', async () => {
  writeFileSync(join(folder, 'lists/late.netset'), '10.0.0.0/24\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('lists/late.netset'), type: 1 }] });
  const found = await find('10.0.0.5');
  assert.ok(found?.files.some((file) => file.uri.endsWith('/late.netset')));
});

test('allowlists: a blocklist entry over an allowlisted address is a protected error pointing at the allowlist, and the exclusion fix removes it', async () => {
  writeFileSync(join(folder, 'lists/customers.txt'), '# blocklist-role: allow\n# our customers\n10.0.0.128/25\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('lists/customers.txt'), type: 1 }] });
  // The index has read it once a query answers.
  await find('10.0.0.200');
  const text = '10.0.0.0/24\n';
  await client.open(uri('lists/edge.netset'), text);
  const diagnostics = await client.pullDiagnostics(uri('lists/edge.netset'));
  const hit = diagnostics.find((d) => d.code === 'protected');
  assert.ok(hit, JSON.stringify(diagnostics));
  assert.equal(hit.message, 'Blocks protected networks: customers.txt:3 10.0.0.128/25 (128 addresses). Exclude them or remove the entry.');
  assert.deepEqual(hit.relatedInformation, [
    {
      location: { uri: uri('lists/customers.txt'), range: { start: { line: 2, character: 0 }, end: { line: 2, character: 13 } } },
      message: 'Allowed by this entry of an allowlist.',
    },
  ]);
  const actions = await client.connection.sendRequest<{ title: string; edit?: { changes: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
    textDocument: { uri: uri('lists/edge.netset') },
    range: hit.range,
    context: { diagnostics: [hit] },
  });
  const exclude = actions.find((action) => action.title.startsWith('Exclude the protected networks from 10.0.0.0/24'));
  assert.ok(exclude?.edit, actions.map((action) => action.title).join(' | '));
  assert.equal(exclude.edit.changes[uri('lists/edge.netset')][0].newText, '10.0.0.0/25');
  // The allowlist itself gets no protected finding for its own entries.
  await client.open(uri('lists/customers.txt'), '# blocklist-role: allow\n# our customers\n10.0.0.128/25\n');
  assert.deepEqual(
    (await client.pullDiagnostics(uri('lists/customers.txt'))).filter((d) => d.code === 'protected'),
    [],
  );
});
