/**
 * `blocklist-audit import-data`: keeps ownership data of a chosen day as a
 * named snapshot in the user's cache folder, for `check --ownership-data
 * NAME` and files that say `# ownership-data: NAME`.
 */
import { ageInDays, dataNote } from '../core/ownership/dataAbout';
import { feedDirectory } from '../node/cacheFolder';
import { NodeOwnershipStore } from '../node/ownershipStore';
import type { ImportDataOptions } from './args';
import { cliNetworks } from './networks';
import { formatCount } from '../core/primitives/formatCount';

/** The exit status: 0 imported, 2 not (the reason on stderr). */
export async function importData(options: ImportDataOptions, today: Date): Promise<number> {
  const store = new NodeOwnershipStore(feedDirectory(undefined));
  try {
    // pfx2as names no one: the data in use names its autonomous systems.
    const names = options.format === 'pfx2as' ? cliNetworks()?.index : undefined;
    const { about, ipv4Ranges, ipv6Ranges, holders } = await store.importSnapshot(options, names);
    process.stdout.write(
      `Imported snapshot "${options.name}": ${formatCount(ipv4Ranges)} IPv4 and ${formatCount(ipv6Ranges)} IPv6 ranges, ${formatCount(holders)} holders. ` +
        `Audit with it: check --ownership-data ${options.name}, or "# ownership-data: ${options.name}" in a list's head.\n` +
        `${dataNote({ about, ageDays: ageInDays(about, today) })}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`blocklist-audit: the snapshot was not imported: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
