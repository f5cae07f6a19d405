/**
 * Lists read together over the protocol, on the fixture workspace
 * test/fixtures/lists: a hosts.deny with the hosts.allow beside it (as the
 * editor has it, else as on disk), and a group of lists loaded into one set
 * (`blocklist.groups`).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { FindBlockingRequest, type FindBlockingResult } from '../../server/src/lsp/protocol';
import { LspClient } from './lspClient';

const FIXTURE = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'lists');
let folder = '';
let client: LspClient;
const uri = (name: string) => pathToFileURL(join(folder, name)).toString();
const text = (name: string) => readFileSync(join(folder, name), 'utf8');
/** A URI's path in the folder. */
const relative = (fileUri: string) => fileUri.slice(pathToFileURL(folder).toString().length + 1);

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'blocklist-lists-'));
  cpSync(FIXTURE, folder, { recursive: true });
  ({ client } = await LspClient.start({
    pull: true,
    configuration: true,
    settings: { groups: [['feeds/*.netset', 'local.txt']] },
    workspaceFolders: [pathToFileURL(folder).toString()],
  }));
  // Once a query answers, the index is built.
  await find('192.0.2.7');
});

after(async () => {
  await client.stop();
  rmSync(folder, { recursive: true, force: true });
});

const find = (query: string) => client.connection.sendRequest(FindBlockingRequest.type, { query }) as Promise<FindBlockingResult | null>;

/** `line:character code → related file:line`, for the diagnostics of `codes`. */
const shown = (diagnostics: Diagnostic[], ...codes: string[]) =>
  diagnostics
    .filter((d) => codes.includes(String(d.code)))
    .map(
      (d) =>
        `${d.range.start.line + 1}:${d.range.start.character} ${d.code} → ${d.relatedInformation?.map((r) => `${relative(r.location.uri)}:${r.location.range.start.line + 1}`).join(' ')}`,
    );

test('a hosts.deny is read after the hosts.allow beside it: an entry it grants whole is granted-first, and Find Blocking Entries says it is not blocked', async () => {
  await client.open(uri('etc/hosts.deny'), text('etc/hosts.deny'));
  const diagnostics = await client.pullDiagnostics(uri('etc/hosts.deny'));
  assert.deepEqual(shown(diagnostics, 'granted-first'), ['1:6 granted-first → etc/hosts.allow:2']);
  const granted = diagnostics.find((d) => d.code === 'granted-first')!;
  assert.equal(granted.tags?.[0], 1, 'faded as unnecessary');
  const found = await find('192.0.2.7');
  const deny = found?.files.find((file) => file.uri === uri('etc/hosts.deny'));
  assert.deepEqual(deny?.scopes[0].grantedFirst, {
    addresses: { ipv4: '1', ipv6: '0' },
    uri: uri('etc/hosts.allow'),
    match: { line: 1, character: 6, endCharacter: 18, text: '192.0.2.0/24', role: 'excepts', overlap: '1', decided: '1' },
  });
  assert.deepEqual(
    found?.files.map((file) => [relative(file.uri), file.blocked.ipv4]),
    [
      ['etc/hosts.allow', '0'],
      ['etc/hosts.deny', '0'],
    ],
  );
});

test('an edit of the hosts.allow, unsaved, is what the hosts.deny is read with', async () => {
  await client.open(uri('etc/hosts.allow'), '# the office\nsshd: 198.51.100.0/24\n');
  assert.deepEqual(shown(await client.pullDiagnostics(uri('etc/hosts.deny')), 'granted-first'), ['1:17 granted-first → etc/hosts.allow:2']);
  await client.change(uri('etc/hosts.allow'), 2, [{ text: '# the office, no more\n' }]);
  assert.deepEqual(shown(await client.pullDiagnostics(uri('etc/hosts.deny')), 'granted-first'), []);
});

test('a group: the later list gets covered-elsewhere for entries the earlier one blocks whole, pointing at its line; the earlier list none', async () => {
  await client.open(uri('local.txt'), text('local.txt'));
  const diagnostics = await client.pullDiagnostics(uri('local.txt'));
  assert.deepEqual(shown(diagnostics, 'covered-elsewhere', 'duplicate', 'covered'), [
    '2:0 covered-elsewhere → feeds/drop.netset:2',
    '4:0 covered-elsewhere → feeds/drop.netset:3',
    '6:0 duplicate → local.txt:5',
  ]);
  const hit = diagnostics.find((d) => d.code === 'covered-elsewhere')!;
  assert.equal(hit.severity, 3);
  assert.equal(
    hit.message,
    'Already blocked by the lists loaded before this one in its group, such as drop.netset line 2 (203.0.113.0/24): none of its 128 addresses is new to the set.',
  );
  await client.open(uri('feeds/drop.netset'), text('feeds/drop.netset'));
  assert.deepEqual(shown(await client.pullDiagnostics(uri('feeds/drop.netset')), 'covered-elsewhere'), []);
});

test('the hover says how much of an entry the earlier lists of its group block, whole or in part', async () => {
  const hover = async (line: number) => {
    const contents = (await client.hover(uri('local.txt'), line, 1))?.contents;
    return typeof contents === 'object' && 'value' in contents ? contents.value : '';
  };
  assert.match(await hover(1), /\*\*In its group:\*\* 128 of 128 addresses \(100 %\) are blocked by the lists loaded before this one\./);
  assert.match(await hover(6), /\*\*In its group:\*\* 64 of 128 addresses \(50.0 %\) are blocked by the lists loaded before this one\./);
  assert.doesNotMatch(await hover(2), /In its group/);
});

test('Fix all never removes a covered-elsewhere entry (the duplicate goes)', async () => {
  const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: uri('local.txt') },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  });
  const edits = actions[0]?.edit?.changes?.[uri('local.txt')] ?? [];
  assert.deepEqual(
    edits.map((edit) => `${edit.range.start.line + 1}-${edit.range.end.line + 1} ${JSON.stringify(edit.newText)}`),
    ['6-7 ""'],
  );
});

test('an edit of the earlier list of a group, unsaved, is what the later one is read after', async () => {
  await client.change(uri('feeds/drop.netset'), 2, [{ text: '# emptied\n' }]);
  assert.deepEqual(shown(await client.pullDiagnostics(uri('local.txt')), 'covered-elsewhere'), []);
});
