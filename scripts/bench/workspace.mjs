// The workspace index (issue 14): a fresh server opened on the corpus folder
// indexes every list in it; the time from start to the first answer of Find
// Blocking Entries (which waits for the index), the server's memory then, and
// the index's own share of it: that memory less a server's that answered the
// same request with no folder open (the ASN data and the code loaded alike).
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import lspClient from '../../out/test/protocol/lspClient.js';
import { megabytes, ms, row } from './measure.mjs';

const { LspClient } = lspClient;

export async function benchWorkspace(folder, runs = 3) {
  const elapsed = [];
  const resident = [];
  const ofIndex = [];
  let indexed = 0;
  /** A fresh server's time to its first answer of Find Blocking Entries, its RSS then, and how many lists it had indexed. */
  const answer = async (folders) => {
    const start = performance.now();
    const { client } = await LspClient.start({ pull: true, workspaceFolders: folders });
    try {
      const found = await client.connection.sendRequest('blocklist/findBlocking', { query: '8.8.8.8' });
      return { elapsed: performance.now() - start, resident: client.residentKilobytes(), indexed: found.indexed };
    } finally {
      await client.stop();
    }
  };
  for (let run = 0; run < runs; run++) {
    const withIndex = await answer([pathToFileURL(folder).toString()]);
    const without = await answer([]);
    elapsed.push(withIndex.elapsed);
    resident.push(withIndex.resident);
    ofIndex.push(withIndex.resident - without.resident);
    indexed = withIndex.indexed;
  }
  return [
    row(`workspace index of the corpus (${indexed} lists), server start to the first answer`, elapsed, 2000, ms),
    row('server memory (RSS) with the corpus indexed', resident, undefined, megabytes),
    row("the index's share: that RSS less a server's with no folder, after the same request", ofIndex, undefined, megabytes),
  ];
}
