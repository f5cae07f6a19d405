/**
 * The provider feeds for the server: where they are cached, which sources
 * there are (the official ones and the user's `blocklist.feeds.custom`), and
 * the refresh and import requests.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import type { FeedKind } from '../core/ownership/feeds/parsers';
import { OFFICIAL_FEEDS, type FeedSource } from '../core/ownership/feeds/sources';
import type { Networks } from '../core/ownership/networks';
import { FeedStore } from '../node/feedStore';
import { loadNetworks } from '../node/networkData';
import { ImportFeedRequest, RefreshFeedsRequest } from './protocol';

const CUSTOM_KINDS: readonly FeedKind[] = ['list', 'geofeed', 'json'];

/** The cache directory: the client's storage for the extension, else the user's cache folder. */
export function feedDirectory(storagePath: unknown): string {
  return typeof storagePath === 'string' && storagePath.length > 0 ? join(storagePath, 'feeds') : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'blocklist-auditor', 'feeds');
}

/** `blocklist.feeds.custom`: [{ "id", "url" (https or a file), "format": list|geofeed|json, "jsonPath"? }]; malformed items are skipped. */
function customSources(raw: unknown): FeedSource[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: { id?: unknown; url?: unknown; format?: unknown; jsonPath?: unknown }) => {
    if (typeof item?.id !== 'string' || typeof item.url !== 'string' || !CUSTOM_KINDS.includes(item.format as FeedKind)) return [];
    return [{ id: `custom-${item.id}`, provider: item.id, kind: item.format as FeedKind, url: item.url, ...(typeof item.jsonPath === 'string' ? { jsonPath: item.jsonPath } : {}) }];
  });
}

/** The sources the settings ask for: `blocklist.feeds.official` (default true) and `blocklist.feeds.custom`. */
export function feedSources(settings: { official?: unknown; custom?: unknown } | null | undefined): FeedSource[] {
  return [...(settings?.official === false ? [] : OFFICIAL_FEEDS), ...customSources(settings?.custom)];
}

/** Registers the requests; `onChange` runs after new feed data is in place. */
export function registerFeedRequests(connection: Connection, directory: string, sourcesOf: () => Promise<FeedSource[]>, onChange: (store: FeedStore) => void): void {
  const store = async () => new FeedStore(directory, await sourcesOf());
  connection.onRequest(RefreshFeedsRequest.type, async () => {
    const feeds = await store();
    const report = await feeds.refresh();
    onChange(feeds);
    return report;
  });
  connection.onRequest(ImportFeedRequest.type, async ({ source, file }) => {
    const feeds = await store();
    const ranges = await feeds.import(source, file);
    onChange(feeds);
    return { ranges };
  });
}

/** The server's network data: the ASN index, loaded on first use, with the provider feeds from the cache. */
export class NetworkState {
  private networks: Networks | undefined | null = null; // null: not loaded yet
  private store: FeedStore;

  constructor(
    directory: string,
    private readonly log: (message: string) => void,
  ) {
    this.store = new FeedStore(directory, OFFICIAL_FEEDS);
  }

  get(): Networks | undefined {
    if (this.networks === null) {
      this.networks = loadNetworks(this.log);
      if (this.networks) this.networks.feeds = this.store.load();
    }
    return this.networks;
  }

  /** New feed data: from a refresh, an import, or the user's own sources named in the settings. */
  use(store: FeedStore): void {
    this.store = store;
    if (this.networks) this.networks.feeds = store.load();
  }
}
