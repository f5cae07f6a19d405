/**
 * The extension test suite, run inside a real VS Code extension host with
 * the real `vscode` API: `run()` is the contract of @vscode/test-electron's
 * extensionTestsPath, and code-server runs it the same way. Each check's
 * result goes to e2e-result.json in the workspace, which the runner reads.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly message?: string;
}

async function waitFor<T>(get: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

export async function run(): Promise<void> {
  const outcomes: Outcome[] = [];
  const check = async (name: string, body: () => Promise<void>) => {
    try {
      await body();
      outcomes.push({ name, ok: true });
    } catch (error) {
      outcomes.push({ name, ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  };
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const uri = vscode.Uri.joinPath(folder, 'telegram-2018.txt');
  try {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const document = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const line = (text: string) => document()!.getText().split(/\r?\n/).indexOf(text);

    await check('a plain-text list that reads as a blocklist opens as one, and the extension activates', async () => {
      await waitFor(() => document()?.languageId === 'blocklist', 'the blocklist language');
      await waitFor(() => vscode.extensions.all.find((e) => e.id === 'blocklist-auditor.blocklist-auditor')?.isActive, 'activation');
    });

    await check('diagnostics name the provider and the collateral', async () => {
      const diagnostics = await waitFor(() => {
        const all = vscode.languages.getDiagnostics(uri);
        return all.some((d) => d.code === 'reach') ? all : undefined;
      }, 'diagnostics');
      // Size, owners and target are one story: one reach diagnostic that names its components.
      const google = diagnostics.find((d) => d.code === 'reach' && d.range.start.line === line('35.192.0.0/12'));
      assert.ok(google, 'no reach diagnostic on 35.192.0.0/12');
      assert.match(google.message, /Google Cloud 901,120 \(85\.9 %\).*known-network/);
      assert.equal(google.source, 'blocklist');
    });

    await check('hover gives exact counts and who holds the addresses', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line('35.192.0.0/12'), 3));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /\*\*1,048,576 addresses\*\*/);
      assert.match(text, /Google Cloud 901,120/);
    });

    await check('the quick fix excludes Google Cloud with the exact difference', async () => {
      const at = line('35.192.0.0/12');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(at, 0, at, 13));
      const exclude = actions.find((a) => a.title.startsWith('Exclude Google Cloud from 35.192.0.0/12'));
      assert.ok(exclude?.edit, `no exclusion among ${actions.map((a) => a.title).join(' | ')}`);
      assert.match(exclude.title, /−901,120 addresses$/);
      assert.ok(await vscode.workspace.applyEdit(exclude.edit));
      assert.equal(line('35.192.0.0/12'), -1);
      await waitFor(
        () => !vscode.languages.getDiagnostics(uri).some((d) => /Google Cloud/.test(d.message) && document()!.lineAt(d.range.start.line).text.startsWith('35.192.0.0/')),
        'fresh diagnostics after the fix',
      );
    });

    await check('Fix all, resolved when chosen, removes the duplicate', async () => {
      const duplicates = vscode.Uri.joinPath(folder, 'duplicates.txt');
      await vscode.workspace.fs.writeFile(duplicates, Buffer.from('5.5.5.5\n5.5.5.5\n6.6.6.0/24\n'));
      const opened = await vscode.workspace.openTextDocument(duplicates);
      await vscode.window.showTextDocument(opened);
      await waitFor(() => opened.languageId === 'blocklist', 'the blocklist language');
      await waitFor(() => vscode.languages.getDiagnostics(duplicates).some((d) => d.code === 'duplicate'), 'the duplicate diagnostic');
      // The server offers Fix all without its edit…
      const [offered] = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        duplicates,
        new vscode.Range(0, 0, 0, 0),
        'source.fixAll.blocklist',
      );
      assert.equal(offered?.edit, undefined, 'Fix all was computed for a plain request');
      // …and the fourth argument has VS Code resolve it, as choosing it does.
      const [fixAll] = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        duplicates,
        new vscode.Range(0, 0, 0, 0),
        'source.fixAll.blocklist',
        1,
      );
      assert.ok(fixAll?.edit, `Fix all came without its edit: ${JSON.stringify(fixAll)}`);
      assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
      assert.equal(opened.getText(), '5.5.5.5\n6.6.6.0/24\n');
    });

    await check('the commands are there', async () => {
      const commands = await vscode.commands.getCommands(true);
      for (const id of [
        'blocklist.refreshFeeds',
        'blocklist.importFeed',
        'blocklist.updateOwnershipData',
        'blocklist.aggregate',
        'blocklist.restartServer',
        'blocklist.showOutput',
        'blocklist.showReport',
        'blocklist.compareWithHead',
        'blocklist.compareWithRevision',
      ]) {
        assert.ok(commands.includes(id), `missing command ${id}`);
      }
    });

    await check('without git (git.enabled is off here), Compare with HEAD says why it cannot compare', async () => {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const warning = await vscode.commands.executeCommand<string | undefined>('blocklist.compareWithHead');
      assert.equal(warning, 'Blocklist: cannot compare telegram-2018.txt with HEAD: the Git extension is disabled ("git.enabled" is off).');
    });

    await check('the report opens', async () => {
      await vscode.commands.executeCommand('blocklist.showReport');
      await waitFor(
        () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && /Blocklist report/.test(t.label))),
        'the report tab',
      );
    });
  } finally {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'e2e-result.json'), Buffer.from(JSON.stringify(outcomes, null, 2)));
  }
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) throw new Error(failed.map((o) => `${o.name}: ${o.message}`).join('\n'));
}
