/**
 * The ownership data of the CLI's audits: the data in use (the updated data,
 * else the shipped), or an imported snapshot — the one --ownership-data
 * names, else the one a file's `# ownership-data:` directive names.
 */
import type { BlocklistDocument } from '../core/document/document';
import type { Networks } from '../core/ownership/networks';
import { loadSnapshot } from '../lsp/runtime';
import { feedDirectory } from '../node/cacheFolder';
import { loadNetworks } from '../node/networkData';
import { NodeOwnershipStore } from '../node/ownershipStore';
import { UsageError } from './args';

/** The data in use, or undefined with a line on stderr when it is missing. */
export function cliNetworks(): Networks | undefined {
  return loadNetworks(warn);
}

export class CliNetworks {
  private readonly store = new NodeOwnershipStore(feedDirectory(undefined));
  private readonly loaded = new Map<string, Networks | undefined>();
  /** The names of the imported snapshots. */
  readonly snapshots: readonly string[];

  /** `chosen`: the snapshot for every file (--ownership-data). Throws UsageError when there is none by that name. */
  constructor(private readonly chosen: string | undefined) {
    this.snapshots = this.store.snapshots();
    if (chosen !== undefined && !this.snapshots.includes(chosen)) {
      throw new UsageError(
        `--ownership-data: no snapshot is named "${chosen}" (${this.snapshots.length > 0 ? `there are ${this.snapshots.join(', ')}` : 'none is imported'}); import one with "blocklist-audit import-data".`,
      );
    }
  }

  /** The data to audit `document` with. */
  of(document: BlocklistDocument): Networks | undefined {
    const named = this.chosen ?? document.directives.ownershipData?.name;
    const name = named !== undefined && this.snapshots.includes(named) ? named : '';
    if (!this.loaded.has(name)) this.loaded.set(name, name === '' ? cliNetworks() : (loadSnapshot(this.store, name, warn) ?? cliNetworks()));
    return this.loaded.get(name);
  }
}

function warn(message: string): void {
  if (message.startsWith('No ASN data') || message.startsWith('The updated ownership data') || message.includes('snapshot')) process.stderr.write(`blocklist-audit: ${message}\n`);
}
