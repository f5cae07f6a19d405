/**
 * The server's host in Node: the ASN index from dist/asn.bin, feeds and
 * updated ownership data cached on disk and downloaded over HTTPS, Node's
 * timers and the system clock. server.ts passes it to `startServer`; see
 * server/src/lsp/runtime.ts for what each part is for.
 */
import type { Runtime } from '../lsp/runtime';
import { feedDirectory } from './cacheFolder';
import { NodeFeedStore } from './feedStore';
import { asnIndexFile } from './networkData';
import { workspaceFiles } from './workspaceFiles';
import { NodeOwnershipStore } from './ownershipStore';

export function nodeRuntime(): Runtime {
  return {
    asnIndex: asnIndexFile,
    feedStore: (storagePath, sources) => new NodeFeedStore(feedDirectory(storagePath), sources),
    ownershipStore: (storagePath) => new NodeOwnershipStore(feedDirectory(storagePath)),
    timer: {
      setTimeout(callback, ms) {
        const handle = setTimeout(callback, ms);
        return { dispose: () => clearTimeout(handle) };
      },
    },
    now: () => new Date(),
    files: workspaceFiles,
  };
}
