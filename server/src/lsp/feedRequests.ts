/**
 * The provider feeds for the server: which sources there are (the official
 * ones and the user's `blocklist.feeds.custom`), the refresh and import
 * requests, and the network data they feed. Where the feeds are cached and
 * how they are fetched is the runtime's.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type WorkDoneProgressParams } from 'vscode-languageserver';
import type { FeedIndex } from '../core/ownership/feeds/feedIndex';
import type { FeedKind } from '../core/ownership/feeds/parsers';
import { OFFICIAL_FEEDS, type FeedSource } from '../core/ownership/feeds/sources';
import type { Networks } from '../core/ownership/networks';
import { ImportFeedRequest, RefreshFeedsRequest, type RefreshFeedsResult } from './protocol';
import { loadNetworks, loadSnapshot, type AsnIndexData, type FeedStore, type OwnershipStore, type Runtime } from './runtime';

const CUSTOM_KINDS: readonly FeedKind[] = ['list', 'geofeed', 'json'];

/** Opens the store of some sources: in the client's storage for the extension (`initializationOptions.storagePath`) when it names one. */
export type FeedStores = (sources: readonly FeedSource[]) => FeedStore;

export function feedStores(runtime: Runtime, storagePath: unknown): FeedStores {
  const path = storagePathOf(storagePath);
  return (sources) => runtime.feedStore(path, sources);
}

/** The client's storage folder for the extension (`initializationOptions.storagePath`), when it names one. */
export function storagePathOf(storagePath: unknown): string | undefined {
  return typeof storagePath === 'string' && storagePath.length > 0 ? storagePath : undefined;
}

/** `blocklist.feeds.custom`: [{ "id", "url" (https or a file), "format": list|geofeed|json, "jsonPath"? }]; malformed items are skipped. */
function customSources(raw: unknown): FeedSource[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: { id?: unknown; url?: unknown; format?: unknown; jsonPath?: unknown }) => {
    if (typeof item?.id !== 'string' || typeof item.url !== 'string' || !CUSTOM_KINDS.includes(item.format as FeedKind)) return [];
    return [
      { id: `custom-${item.id}`, provider: item.id, kind: item.format as FeedKind, url: item.url, ...(typeof item.jsonPath === 'string' ? { jsonPath: item.jsonPath } : {}) },
    ];
  });
}

/** The sources the settings ask for: `blocklist.feeds.official` (default true) and `blocklist.feeds.custom`. */
export function feedSources(settings: { official?: unknown; custom?: unknown } | null | undefined): FeedSource[] {
  return [...(settings?.official === false ? [] : OFFICIAL_FEEDS), ...customSources(settings?.custom)];
}

/**
 * Registers the requests; `onChange` runs after new feed data is in place.
 * A refresh reports each feed done to the request's `workDoneToken`; when the
 * request is cancelled the downloads still running stop, those feeds keep
 * their last good copy, the ones already done are used, and the answer is the
 * protocol's cancellation error.
 */
export function registerFeedRequests(connection: Connection, stores: FeedStores, sourcesOf: () => Promise<FeedSource[]>, onChange: (store: FeedStore) => void): void {
  const refresh = async (params: WorkDoneProgressParams, token: CancellationToken): Promise<RefreshFeedsResult | ResponseError<void>> => {
    const sources = await sourcesOf();
    const feeds = stores(sources);
    const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
    const controller = new AbortController();
    if (token.isCancellationRequested) controller.abort();
    const cancelling = token.onCancellationRequested(() => controller.abort());
    progress.begin('Downloading provider ranges', 0, `0 of ${sources.length} feeds`);
    try {
      const report = await feeds.refresh((done, total, id) => progress.report((100 * done) / total, `${done} of ${total} feeds (${id})`), controller.signal);
      onChange(feeds);
      return token.isCancellationRequested
        ? new ResponseError<void>(LSPErrorCodes.RequestCancelled, `Refresh cancelled: ${report.updated.length} feeds updated, the others keep their last good copy.`)
        : report;
    } finally {
      cancelling.dispose();
      progress.done();
    }
  };
  // Registered by name so that a request without params (all there was before progress) still works: jsonrpc then passes the token alone.
  connection.onRequest(RefreshFeedsRequest.method, (...args: [CancellationToken] | [WorkDoneProgressParams | null, CancellationToken]) =>
    args.length === 1 ? refresh({}, args[0]) : refresh(args[0] ?? {}, args[1]),
  );
  connection.onRequest(ImportFeedRequest.type, async ({ source, file }) => {
    const feeds = stores(await sourcesOf());
    const ranges = await feeds.import(source, file);
    onChange(feeds);
    return { ranges };
  });
}

/**
 * The server's network data: the ASN index (the updated one when there is
 * one that loads) and the imported snapshots, each loaded on first use, with
 * the provider feeds from the cache.
 */
export class NetworkState {
  private networks: Networks | undefined | null = null; // null: not loaded yet
  private readonly snapshotData = new Map<string, Networks | undefined>();
  private snapshotNames?: readonly string[];
  private store: FeedStore;

  constructor(
    private readonly asnIndex: AsnIndexData,
    stores: FeedStores,
    private readonly log: (message: string) => void,
    private readonly ownership?: OwnershipStore,
  ) {
    this.store = stores(OFFICIAL_FEEDS);
  }

  /** The data in use, or snapshot `snapshot` when there is one by that name. */
  get(snapshot = ''): Networks | undefined {
    if (snapshot !== '' && this.ownership && this.snapshots().includes(snapshot)) {
      if (!this.snapshotData.has(snapshot)) this.snapshotData.set(snapshot, this.withFeeds(loadSnapshot(this.ownership, snapshot, this.log)));
      const data = this.snapshotData.get(snapshot);
      if (data) return data;
    }
    if (this.networks === null) this.networks = this.withFeeds(loadNetworks(this.asnIndex, this.log, this.ownership));
    return this.networks;
  }

  /** The names of the imported snapshots, listed once (again after `reload`). */
  snapshots(): readonly string[] {
    return (this.snapshotNames ??= this.ownership?.snapshots() ?? []);
  }

  /** New ownership data is in place (an update, a snapshot imported): the next analysis loads it. */
  reload(): void {
    this.networks = null;
    this.snapshotData.clear();
    this.snapshotNames = undefined;
  }

  /** New feed data: from a refresh, an import, or the user's own sources named in the settings. */
  use(store: FeedStore): void {
    this.store = store;
    for (const networks of [this.networks, ...this.snapshotData.values()]) if (networks) networks.feeds = this.loadFeeds();
  }

  private withFeeds(networks: Networks | undefined): Networks | undefined {
    if (networks) networks.feeds = this.loadFeeds();
    return networks;
  }

  private loadFeeds(): FeedIndex {
    const index = this.store.load();
    for (const warning of index.warnings) this.log(warning);
    return index;
  }
}
