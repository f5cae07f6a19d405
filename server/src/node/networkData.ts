/** The ASN index that `npm run build` writes beside the bundles (dist/asn.bin), read from disk for the server's runtime and the CLI. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Networks } from '../core/ownership/networks';
import { loadNetworks as loadFrom, type AsnIndexData } from '../lsp/runtime';

const FILE = join(__dirname, 'asn.bin');

export const asnIndexFile: AsnIndexData = { location: FILE, read: () => readFileSync(FILE) };

/** The network data, or undefined (with the reason logged) when the index is missing or damaged: provider checks are then off. */
export function loadNetworks(log: (message: string) => void): Networks | undefined {
  return loadFrom(asnIndexFile, log);
}
