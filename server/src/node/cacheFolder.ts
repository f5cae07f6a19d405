/** Where the server and the CLI keep what they download: provider feeds and updated ownership data. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cache directory: the client's storage for the extension, else the user's cache folder. */
export function feedDirectory(storagePath: string | undefined): string {
  return storagePath ? join(storagePath, 'feeds') : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'blocklist-auditor', 'feeds');
}
