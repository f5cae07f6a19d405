/**
 * The ownership data that "Update Ownership Data" and `blocklist-audit
 * update-data` download: both files of a dataset (IPv4 and IPv6) over HTTPS,
 * read, compiled into an ASN index and checked (asnChecks.ts) before the
 * index replaces the updated one in the feed cache folder, whole and private
 * (feedCache.ts). Any failure leaves the index in use as it was and says why
 * in one line. Updates of one folder from one source in this process are one
 * update: a second request joins the first instead of downloading again.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_ASN_DATA_CHECKS, type AsnDataChecks } from '../core/ownership/asnChecks';
import type { CompiledAsnIndex } from '../core/ownership/asnCompile';
import { compileAsnIndex } from '../core/ownership/asnCompile';
import { ASN_DATASETS, type AsnDataset } from '../core/ownership/asnDatasets';
import type { AsnIndex } from '../core/ownership/asnIndex';
import { invalidSnapshotName, snapshotAbout, snapshotRows } from '../core/ownership/snapshots';
import type { DataAbout } from '../core/ownership/dataAbout';
import type { OwnershipSource, OwnershipStore, OwnershipUpdate, SnapshotRequest } from '../lsp/runtime';
import { displayUrl, downloadFile, type Downloaded, type DownloadOptions } from './download';
import { FeedCache } from './feedCache';
import { gunzip, type CompileJob, type CompileOutcome } from './ownershipCompile';

/** The updated index's name in the cache folder. */
export const OWNERSHIP_INDEX = 'ownership-asn.bin';

/** The folder of the imported snapshots, in the cache folder: one index per snapshot, NAME.bin. */
const SNAPSHOTS = 'snapshots';

/** A dataset's file is 10 to 30 MB: more time and room than a feed's. */
export const OWNERSHIP_DOWNLOAD: DownloadOptions = { timeoutMs: 30_000, maxBytes: 128 * 1024 * 1024 };

export interface OwnershipStoreOptions {
  readonly download?: DownloadOptions;
  /** What a dataset must pass; tests serving small files lower the thresholds. */
  readonly checks?: AsnDataChecks;
  /** The download day, when the server gives no Last-Modified. */
  readonly now?: () => Date;
}

/** Updates running in this process, by index file and source. */
const running = new Map<string, Promise<OwnershipUpdate>>();

export class NodeOwnershipStore implements OwnershipStore {
  readonly location: string;
  private readonly cache: FeedCache;
  private readonly snapshotCache: FeedCache;

  constructor(
    directory: string,
    private readonly options: OwnershipStoreOptions = {},
  ) {
    this.cache = new FeedCache(directory);
    this.snapshotCache = new FeedCache(join(directory, SNAPSHOTS));
    this.location = join(directory, OWNERSHIP_INDEX);
  }

  read(): Uint8Array | undefined {
    return this.cache.readBytes(OWNERSHIP_INDEX);
  }

  snapshots(): string[] {
    const folder = this.snapshotCache.directory;
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((file) => file.endsWith('.bin') && invalidSnapshotName(file.slice(0, -4)) === undefined)
      .map((file) => file.slice(0, -4))
      .sort();
  }

  readSnapshot(name: string): Uint8Array | undefined {
    return invalidSnapshotName(name) === undefined ? this.snapshotCache.readBytes(`${name}.bin`) : undefined;
  }

  async importSnapshot(request: SnapshotRequest, today: AsnIndex | undefined): Promise<OwnershipUpdate> {
    const invalid = invalidSnapshotName(request.name);
    if (invalid) throw new Error(invalid);
    if (request.files.length === 0 || request.files.length > 2) throw new Error('A snapshot is one file per family: one or two files.');
    const files = await Promise.all(request.files.map(async (file) => ({ file, text: unpacked(file, await readFile(file)).toString('utf8') })));
    const about = snapshotAbout(request.format, request.name, request.date, today?.about);
    const index = compileAsnIndex(about, snapshotRows(files, request.format, today));
    await this.snapshotCache.write(`${request.name}.bin`, index.bytes);
    return { about, ipv4Ranges: index.ipv4Ranges, ipv6Ranges: index.ipv6Ranges, holders: index.holders };
  }

  /** An update joined by another keeps the first one's `signal`: cancelling the first cancels both. */
  update(source: OwnershipSource, signal?: AbortSignal): Promise<OwnershipUpdate> {
    const key = `${this.location}\n${source.format}\n${source.url}`;
    let update = running.get(key);
    if (!update) {
      update = this.run(source, signal).finally(() => running.delete(key));
      running.set(key, update);
    }
    return update;
  }

  private async run(source: OwnershipSource, signal: AbortSignal | undefined): Promise<OwnershipUpdate> {
    const dataset = ASN_DATASETS[source.format];
    const folder = folderOf(source.url);
    const download = { ...OWNERSHIP_DOWNLOAD, ...this.options.download, signal };
    const [ipv4, ipv6] = await Promise.all([dataset.files.ipv4, dataset.files.ipv6].map((file) => downloadFile(new URL(file, folder).toString(), download)));
    const about = aboutDownload(dataset, [ipv4, ipv6], (this.options.now ?? (() => new Date()))());
    const checks = this.options.checks ?? DEFAULT_ASN_DATA_CHECKS;
    const index = await compileInWorker({ format: source.format, ipv4: ipv4.bytes, ipv6: ipv6.bytes, about, checks, maxBytes: download.maxBytes }, signal);
    if (signal?.aborted) throw new Error('Cancelled.');
    await this.cache.write(OWNERSHIP_INDEX, index.bytes);
    return { about, ipv4Ranges: index.ipv4Ranges, ipv6Ranges: index.ipv6Ranges, holders: index.holders };
  }
}

/** `url` as the folder the dataset's files are in (a URL without a final slash names one too). */
function folderOf(url: string): URL {
  let folder: URL;
  try {
    folder = new URL(url);
  } catch {
    throw new Error(`The ownership data URL is not a URL (${displayUrl(url)}): give the https address of the folder holding the dataset's files.`);
  }
  if (!folder.pathname.endsWith('/')) folder.pathname += '/';
  return folder;
}

/** The checked index of `job`, compiled in a worker thread (ownershipWorker.ts, beside this module in dist/ and out/); terminated when `signal` aborts. */
function compileInWorker(job: CompileJob, signal: AbortSignal | undefined): Promise<CompiledAsnIndex> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'ownershipWorker.js'), { workerData: job });
    const cancel = () => {
      reject(new Error('Cancelled.'));
      void worker.terminate();
    };
    if (signal?.aborted) cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    worker.once('message', (outcome: CompileOutcome) => ('index' in outcome ? resolve(outcome.index) : reject(new Error(outcome.reason))));
    worker.once('error', reject);
    worker.once('exit', () => {
      signal?.removeEventListener('abort', cancel);
      reject(new Error('The worker compiling the ownership data stopped without an answer.'));
    });
  });
}

/**
 * What a download is: its date is the server's Last-Modified (the older of
 * the two files'), else the download day; the version says which.
 */
function aboutDownload(dataset: AsnDataset, files: readonly Downloaded[], now: Date): DataAbout {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const modified = files.map((file) => new Date(file.lastModified ?? Number.NaN)).filter((date) => !Number.isNaN(date.getTime()));
  const dated = modified.length === files.length ? day(new Date(Math.min(...modified.map((date) => date.getTime())))) : undefined;
  return {
    source: dataset.source,
    version: `downloaded ${day(now)}, dated by ${dated ? "the server's Last-Modified" : 'the download day'}`,
    date: dated ?? day(now),
    credit: dataset.credit,
  };
}

/** A file's bytes, unpacked when they are gzipped (they start with gzip's magic number). */
function unpacked(file: string, bytes: Uint8Array): Buffer {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer[0] === 0x1f && buffer[1] === 0x8b ? gunzip(file, buffer, OWNERSHIP_DOWNLOAD.maxBytes) : buffer;
}
