/**
 * The server's host in Node: the ASN index from dist/asn.bin, feeds cached
 * on disk and downloaded over HTTPS, Node's timers and the system clock. server.ts passes it
 * to `startServer`; see server/src/lsp/runtime.ts for what each part is for.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Runtime } from '../lsp/runtime';
import { NodeFeedStore } from './feedStore';
import { asnIndexFile } from './networkData';
import { workspaceFiles } from './workspaceFiles';

/** The cache directory: the client's storage for the extension, else the user's cache folder. */
export function feedDirectory(storagePath: string | undefined): string {
  return storagePath ? join(storagePath, 'feeds') : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'blocklist-auditor', 'feeds');
}

export function nodeRuntime(): Runtime {
  return {
    asnIndex: asnIndexFile,
    feedStore: (storagePath, sources) => new NodeFeedStore(feedDirectory(storagePath), sources),
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
