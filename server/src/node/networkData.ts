/** Loads the ASN index that `npm run build` writes beside the bundles (dist/asn.bin), for the server and the CLI. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Networks } from '../core/ownership/networks';

/** The network data, or undefined (with the reason logged) when the index is missing or damaged: provider checks are then off. */
export function loadNetworks(log: (message: string) => void): Networks | undefined {
  const file = join(__dirname, 'asn.bin');
  try {
    const start = performance.now();
    const networks = Networks.fromBytes(readFileSync(file));
    log(`ASN data: ${networks.index.ipv4RangeCount.toLocaleString('en-US')} IPv4 and ${networks.index.ipv6RangeCount.toLocaleString('en-US')} IPv6 ranges loaded in ${(performance.now() - start).toFixed(0)} ms.`);
    return networks;
  } catch (error) {
    log(`No ASN data at ${file} (${error instanceof Error ? error.message : String(error)}): provider and collateral checks are off. Run "npm run build" to create it.`);
    return undefined;
  }
}
