/**
 * The workspace's files for the server in the web worker, which has none of
 * its own: listed and read through `vscode.workspace`, which reaches them
 * wherever the editor does (on a remote, in a virtual workspace).
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { ListFilesRequest, ReadFileRequest, SKIPPED_FOLDERS } from '../../../server/src/lsp/protocol';

const SKIPPED = `**/{${SKIPPED_FOLDERS.join(',')}}/**`;

export function serveFiles(client: BaseLanguageClient): vscode.Disposable {
  return vscode.Disposable.from(
    client.onRequest(ListFilesRequest.type, async ({ folder }) => {
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.parse(folder), '**/*'), SKIPPED);
      // A file gone since it was found is left out, as the Node server leaves it out.
      const files = await Promise.all(
        uris.map((uri) =>
          vscode.workspace.fs.stat(uri).then(
            (stat) => [{ uri: uri.toString(), size: stat.size }],
            () => [],
          ),
        ),
      );
      return files.flat();
    }),
    client.onRequest(ReadFileRequest.type, ({ uri }) => vscode.workspace.fs.readFile(vscode.Uri.parse(uri))),
  );
}
