/**
 * The server's host in a web worker (VS Code for the Web): the ASN index's
 * bytes as the client read them from the extension's own files, the
 * workspace's files through the client, the worker's timers and clock, and
 * no cache for provider feeds or updated ownership data, so neither is
 * downloaded (a browser page may also fetch only from servers that allow it
 * by CORS). What is off says so.
 */
import { FeedIndex } from '../core/ownership/feeds/feedIndex';
import type { Connection } from 'vscode-languageserver';
import { ListFilesRequest, NOT_IN_WEB, ReadFileRequest } from '../lsp/protocol';
import type { FeedStore, OwnershipStore, Runtime, WorkspaceFiles } from '../lsp/runtime';

const noFeeds: FeedStore = {
  load: () => new FeedIndex([]),
  refresh: () =>
    Promise.reject(
      new Error(
        `${NOT_IN_WEB}: the server in the browser keeps no cache for provider ranges. The shipped ownership data still names the providers; refresh the ranges in desktop VS Code.`,
      ),
    ),
  import: () => Promise.reject(new Error(`${NOT_IN_WEB}: the server in the browser reads no files of its own. Import the feed in desktop VS Code.`)),
};

const noOwnershipUpdates: OwnershipStore = {
  location: 'nowhere (VS Code for the Web keeps no cache)',
  read: () => undefined,
  update: () =>
    Promise.reject(
      new Error(
        `${NOT_IN_WEB}: the server in the browser keeps no cache for updated data and uses the data shipped with the extension. Update it in desktop VS Code or with "blocklist-audit update-data".`,
      ),
    ),
  snapshots: () => [],
  readSnapshot: () => undefined,
  importSnapshot: () =>
    Promise.reject(new Error(`${NOT_IN_WEB}: the server in the browser keeps no cache for snapshots. Import them in desktop VS Code or with "blocklist-audit import-data".`)),
};

/** The workspace's files as the client lists and reads them (client/src/web/clientFiles.ts). */
function clientFiles(connection: Connection): WorkspaceFiles {
  return {
    list: (folder) => connection.sendRequest(ListFilesRequest.type, { folder }),
    read: (uri) => connection.sendRequest(ReadFileRequest.type, { uri }),
  };
}

/** `asnIndex`: the bytes of the extension's dist/asn.bin, which the client read; `location` names it in messages. */
export function webRuntime(connection: Connection, asnIndex: Uint8Array, location: string): Runtime {
  return {
    asnIndex: { location, read: () => asnIndex },
    files: clientFiles(connection),
    feedStore: () => noFeeds,
    ownershipStore: () => noOwnershipUpdates,
    timer: {
      setTimeout(callback, ms) {
        const handle = setTimeout(callback, ms);
        return { dispose: () => clearTimeout(handle) };
      },
    },
    now: () => new Date(),
  };
}
