/** A list's history for the audit report's chart: its last commits, read through the Git extension, and what it blocked after each. */
import type * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { HistoryRequest, type HistoryPoint } from '../../server/src/lsp/protocol';
import { repositoryOf } from './git';

/** Commits charted. */
const COMMITS = 30;
/** Past this size a list's history is left out: every commit's text is read and sent to the server. */
const MAX_CHARACTERS = 4_000_000;

/** What the list blocked after each of its last commits, newest first; undefined outside a repository, without commits, or for a very large list. */
export async function listHistory(client: BaseLanguageClient, document: vscode.TextDocument): Promise<readonly HistoryPoint[] | undefined> {
  if (document.getText().length > MAX_CHARACTERS) return undefined;
  const repository = await repositoryOf(document.uri);
  if (typeof repository === 'string') return undefined;
  const path = document.uri.fsPath;
  const commits = await repository.log({ path, maxEntries: COMMITS }).catch(() => []);
  if (commits.length === 0) return undefined;
  const versions = await Promise.all(
    commits.map(async (commit) => ({
      hash: commit.hash,
      date: commit.authorDate?.toISOString() ?? '',
      subject: commit.message.split('\n')[0],
      // The commit that deleted the file has none.
      text: await repository.show(commit.hash, path).catch(() => ''),
    })),
  );
  return (await client.sendRequest(HistoryRequest.type, { uri: document.uri.toString(), versions })) ?? undefined;
}
