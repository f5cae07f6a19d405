/**
 * One refresh in a process of its own, for the test of several processes
 * sharing a feed cache (two servers, say): `node refreshProcess.js DIRECTORY
 * SOURCES_JSON CERTIFICATE_FILE` prints the refresh report as JSON.
 */
import { readFileSync } from 'node:fs';
import type { FeedSource } from '../../server/src/core/ownership/feeds/sources';
import { NodeFeedStore } from '../../server/src/node/feedStore';

const [directory, sources, certificateFile] = process.argv.slice(2);
const store = new NodeFeedStore(directory, JSON.parse(sources) as FeedSource[], { timeoutMs: 10_000, maxBytes: 64 << 20, ca: readFileSync(certificateFile) });
void store.refresh().then((report) => process.stdout.write(JSON.stringify(report)));
