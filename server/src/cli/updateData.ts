/**
 * `blocklist-audit update-data`: downloads current ownership data into the
 * user's cache folder, where `check` uses it from then on in place of the
 * data shipped with the tool. A failed update changes nothing and says why.
 */
import { ASN_DATASETS } from '../core/ownership/asnDatasets';
import { ageInDays, dataNote } from '../core/ownership/dataAbout';
import { feedDirectory } from '../node/cacheFolder';
import { NodeOwnershipStore } from '../node/ownershipStore';
import type { UpdateDataOptions } from './args';
import { formatCount } from '../core/primitives/formatCount';

/** The exit status: 0 updated, 2 not (the reason on stderr). */
export async function updateData(options: UpdateDataOptions, today: Date): Promise<number> {
  const store = new NodeOwnershipStore(feedDirectory(undefined));
  const { ipv4, ipv6 } = ASN_DATASETS[options.format].files;
  process.stderr.write(`Downloading ${ipv4} and ${ipv6}…\n`);
  try {
    const { about, ipv4Ranges, ipv6Ranges, holders } = await store.update(options);
    process.stdout.write(
      `Updated: ${formatCount(ipv4Ranges)} IPv4 and ${formatCount(ipv6Ranges)} IPv6 ranges, ${formatCount(holders)} holders, in ${store.location}; check uses them from now on.\n` +
        `${dataNote({ about, ageDays: ageInDays(about, today) })}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`blocklist-audit: the ownership data was not updated (the data in use is unchanged): ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
