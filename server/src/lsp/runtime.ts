/**
 * What the server takes from the host it runs in, as json-language-features'
 * `startServer(connection, runtime)` does: the ASN index's bytes, the feed
 * store (its cache directory, its HTTPS downloads and file reads), timers and
 * the clock.
 * Node's is server/src/node/nodeRuntime.ts, a web worker's
 * server/src/web/webRuntime.ts; tests bring their own. Nothing here knows LSP or Node.
 */
import type { AsnDatasetFormat } from '../core/ownership/asnDatasets';
import type { DataAbout } from '../core/ownership/dataAbout';
import type { SnapshotFormat } from '../core/ownership/snapshots';
import type { FeedIndex } from '../core/ownership/feeds/feedIndex';
import type { FeedSource } from '../core/ownership/feeds/sources';
import { AsnIndex } from '../core/ownership/asnIndex';
import { Networks } from '../core/ownership/networks';
import { formatCount } from '../core/primitives/formatCount';

export interface Disposable {
  dispose(): void;
}

export interface Timer {
  /** Calls `callback` once after `ms` milliseconds, unless disposed first. */
  setTimeout(callback: () => void, ms: number): Disposable;
}

/** The ASN index that the build writes: where it is (for messages), and its bytes. */
export interface AsnIndexData {
  readonly location: string;
  /** Throws when there is no index to read. */
  read(): Uint8Array;
}

/** What a refresh did: feeds updated (with their range counts) and feeds that failed or were cancelled (their last good copy is kept). */
export interface RefreshReport {
  readonly updated: readonly { readonly id: string; readonly ranges: number }[];
  readonly failed: readonly { readonly id: string; readonly reason: string }[];
}

/** Called after each source of a refresh: how many are done of how many, and which one just finished. */
export type RefreshProgress = (done: number, total: number, id: string) => void;

/** The provider feeds of some sources: downloaded, cached and read back. */
export interface FeedStore {
  /** The feeds cached so far. Synchronous: an analysis asks for them on first use. */
  load(): FeedIndex;
  /** Downloads every source, keeping the last good copy of any that fails or is still running when `signal` aborts. */
  refresh(onProgress?: RefreshProgress, signal?: AbortSignal): Promise<RefreshReport>;
  /** Stores a feed file the user downloaded as the source's cache; the number of ranges in it. */
  import(sourceId: string, file: string): Promise<number>;
}

/** The files of the open folders, for the workspace index. */
export interface WorkspaceFiles {
  /** Every file under `folder` (a file URI), leaving out version-control and dependency folders, with its size in bytes. */
  list(folder: string): Promise<readonly { readonly uri: string; readonly size: number }[]>;
  read(uri: string): Promise<Uint8Array>;
}

/** Where "Update Ownership Data" downloads from: the https folder of a dataset's files, and their format. */
export interface OwnershipSource {
  readonly url: string;
  readonly format: AsnDatasetFormat;
}

/** What an update put in place: the data, of what day, and its size. */
export interface OwnershipUpdate {
  readonly about: DataAbout;
  readonly ipv4Ranges: number;
  readonly ipv6Ranges: number;
  readonly holders: number;
}

/** The ownership data "Update Ownership Data" downloads, compiled into an ASN index kept in the host's cache. */
export interface OwnershipStore {
  /** Where the updated index is (for messages). */
  readonly location: string;
  /** The updated index's bytes; undefined until an update succeeds. Throws when the cache cannot be read. */
  read(): Uint8Array | undefined;
  /**
   * Downloads, checks and compiles the data of `source`, then replaces the
   * updated index whole. Throws, with a one-line reason, leaving the index in
   * use as it was, when any step fails or `signal` aborts.
   */
  update(source: OwnershipSource, signal?: AbortSignal): Promise<OwnershipUpdate>;
  /** The names of the imported snapshots (ownership data of a chosen day), sorted. */
  snapshots(): string[];
  /** Snapshot `name`'s index bytes; undefined when there is none by that name. */
  readSnapshot(name: string): Uint8Array | undefined;
  /**
   * Compiles the files of `request` into snapshot `request.name`, replacing
   * one of that name whole; `today` (the data in use) names the ASNs of a
   * format that names none. Throws, with a one-line reason, changing nothing.
   */
  importSnapshot(request: SnapshotRequest, today: AsnIndex | undefined): Promise<OwnershipUpdate>;
}

/** A snapshot to import: its name, its files' format, the day it describes (YYYY-MM-DD), and its files (one per family, plain or gzipped). */
export interface SnapshotRequest {
  readonly name: string;
  readonly format: SnapshotFormat;
  readonly date: string;
  readonly files: readonly string[];
}

export interface Runtime {
  /** The index the build ships: the ownership data until an update, and whenever the updated one cannot be used. */
  readonly asnIndex: AsnIndexData;
  /** The workspace's files (in a web worker, through the client); a host without has no workspace index. */
  readonly files?: WorkspaceFiles;
  /** The store of updated ownership data under the client's `storagePath` (else where the host keeps caches); none in a host without a cache. */
  ownershipStore?(storagePath: string | undefined): OwnershipStore;
  /** The store of `sources`, cached under the client's `storagePath` when it gives one, else where the host keeps caches. */
  feedStore(storagePath: string | undefined, sources: readonly FeedSource[]): FeedStore;
  readonly timer: Timer;
  /** The current time: the ownership data's age is counted to it. */
  now(): Date;
}

/**
 * The network data: from the updated index when there is one that loads,
 * else (with the reason logged) from the shipped one; undefined (with the
 * reason logged) when that is missing or damaged too: provider checks are then off.
 */
export function loadNetworks(asn: AsnIndexData, log: (message: string) => void, updated?: OwnershipStore): Networks | undefined {
  const load = (bytes: Uint8Array) => {
    const start = performance.now();
    const networks = Networks.fromBytes(bytes);
    const { source, version, date } = networks.index.about;
    log(
      `ASN data (${source} ${version}, data of ${date}): ${formatCount(networks.index.ipv4RangeCount)} IPv4 and ${formatCount(networks.index.ipv6RangeCount)} IPv6 ranges loaded in ${(performance.now() - start).toFixed(0)} ms.`,
    );
    return networks;
  };
  let shipped: Uint8Array | undefined;
  const shippedBytes = () => (shipped ??= asn.read());
  if (updated) {
    try {
      const bytes = updated.read();
      if (bytes) {
        // A build can ship data newer than an update made before it: the newer of the two is used.
        const [mine, theirs] = [AsnIndex.fromBytes(bytes).about.date, shippedDate(shippedBytes)];
        if (theirs === undefined || mine >= theirs) return load(bytes);
        log(`The updated ownership data at ${updated.location} (data of ${mine}) is older than the shipped data (of ${theirs}): using the shipped data.`);
      }
    } catch (error) {
      log(
        `The updated ownership data at ${updated.location} cannot be used (${error instanceof Error ? error.message : String(error)}): using the shipped data. Update the ownership data again.`,
      );
    }
  }
  try {
    return load(shippedBytes());
  } catch (error) {
    log(`No ASN data at ${asn.location} (${error instanceof Error ? error.message : String(error)}): provider and collateral checks are off. Run "npm run build" to create it.`);
    return undefined;
  }
}

/** Snapshot `name` of `store` as network data; undefined (with the reason logged) when there is none by that name or it cannot be read. */
export function loadSnapshot(store: OwnershipStore, name: string, log: (message: string) => void): Networks | undefined {
  try {
    const bytes = store.readSnapshot(name);
    if (bytes) return Networks.fromBytes(bytes);
    log(`There is no ownership snapshot named "${name}": using the data in use. Import one with "blocklist-audit import-data --name ${name} FILE…".`);
  } catch (error) {
    log(`The ownership snapshot "${name}" cannot be used (${error instanceof Error ? error.message : String(error)}): using the data in use. Import it again.`);
  }
  return undefined;
}

/** The day of the shipped data, or undefined when there is none to read (the updated data is then used whatever its day). */
function shippedDate(bytes: () => Uint8Array): string | undefined {
  try {
    return AsnIndex.fromBytes(bytes()).about.date;
  } catch {
    return undefined;
  }
}
