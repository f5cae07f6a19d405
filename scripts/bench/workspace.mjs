// The workspace index (issue 14): a fresh server opened on the corpus folder
// indexes every list in it; the time from start to the first answer of Find
// Blocking Entries (which waits for the index), and the server's memory then.
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import lspClient from '../../out/test/protocol/lspClient.js';
import { megabytes, ms, row } from './measure.mjs';

const { LspClient } = lspClient;

export async function benchWorkspace(folder, runs = 3) {
  const elapsed = [];
  const resident = [];
  let indexed = 0;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    const { client } = await LspClient.start({ pull: true, workspaceFolders: [pathToFileURL(folder).toString()] });
    try {
      const found = await client.connection.sendRequest('blocklist/findBlocking', { query: '8.8.8.8' });
      elapsed.push(performance.now() - start);
      resident.push(client.residentKilobytes());
      indexed = found.indexed;
    } finally {
      await client.stop();
    }
  }
  return [
    row(`workspace index of the corpus (${indexed} lists), server start to the first answer`, elapsed, 2000, ms),
    row('server memory (RSS) with the corpus indexed', resident, undefined, megabytes),
  ];
}
