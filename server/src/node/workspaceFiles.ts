/** The workspace's files on disk, for the workspace index (server/src/lsp/workspaceIndex.ts). */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SKIPPED_FOLDERS } from '../lsp/protocol';
import type { WorkspaceFiles } from '../lsp/runtime';

const SKIPPED = new Set(SKIPPED_FOLDERS);

export const workspaceFiles: WorkspaceFiles = {
  async list(folder) {
    const files: { uri: string; size: number }[] = [];
    const walk = async (directory: string): Promise<void> => {
      const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED.has(entry.name)) await walk(path);
        } else if (entry.isFile()) {
          const size = await stat(path).then(
            (info) => info.size,
            () => -1,
          );
          if (size >= 0) files.push({ uri: pathToFileURL(path).toString(), size });
        }
      }
    };
    await walk(fileURLToPath(folder));
    return files;
  },
  read: (uri) => readFile(fileURLToPath(uri)),
};
