/**
 * The ASN index for the CLI and the server: the one `npm run build` writes
 * beside the bundles (dist/asn.bin), and for the CLI the updated one in the
 * user's cache folder when `update-data` put one there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Networks } from '../core/ownership/networks';
import { loadNetworks as loadFrom, type AsnIndexData } from '../lsp/runtime';
import { feedDirectory } from './cacheFolder';
import { FilePrefetch } from './filePrefetch';
import { NodeOwnershipStore } from './ownershipStore';

const FILE = join(__dirname, 'asn.bin');

/** The shipped index read ahead, once prefetchAsnIndex has started it. */
let prefetch: FilePrefetch | undefined;

export const asnIndexFile: AsnIndexData = { location: FILE, read: () => (prefetch ? prefetch.read() : readFileSync(FILE)) };

/**
 * Starts reading the shipped index on another core, for a process that will
 * use it after some work of its own; resolves once the read is over (a read
 * that failed is made again at use, which reports its error).
 */
export function prefetchAsnIndex(): Promise<void> {
  prefetch ??= new FilePrefetch(FILE);
  return prefetch.done;
}

/** The CLI's network data: the updated index if there is one that loads, else the shipped one; undefined (with the reason logged) when neither loads: provider checks are then off. */
export function loadNetworks(log: (message: string) => void): Networks | undefined {
  return loadFrom(asnIndexFile, log, new NodeOwnershipStore(feedDirectory(undefined)));
}
