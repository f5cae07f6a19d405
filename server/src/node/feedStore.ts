/**
 * The feeds on disk: one cache file per source, replaced whole (see
 * feedCache.ts) and only after the new download has been read successfully,
 * so a failed refresh keeps the last good copy. Refreshes and imports of one
 * feed take turns.
 */
import { promises as fs } from 'node:fs';
import { FeedIndex, type LoadedFeed } from '../core/ownership/feeds/feedIndex';
import { FeedError, feedDate, parseFeed } from '../core/ownership/feeds/parsers';
import type { FeedSource } from '../core/ownership/feeds/sources';
import type { FeedStore, RefreshProgress, RefreshReport } from '../lsp/runtime';
import { DEFAULT_DOWNLOAD, displayUrl, download, type DownloadOptions } from './download';
import { FeedCache } from './feedCache';

export class NodeFeedStore implements FeedStore {
  private readonly cache: FeedCache;

  constructor(
    directory: string,
    private readonly sources: readonly FeedSource[],
    private readonly downloadOptions: DownloadOptions = DEFAULT_DOWNLOAD,
  ) {
    this.cache = new FeedCache(directory);
  }

  /** The feeds cached so far. A cache file that cannot be read is left out, with why in the index's warnings. Never waits for a refresh: files are replaced whole. */
  load(): FeedIndex {
    const feeds: LoadedFeed[] = [];
    const warnings = new Set<string>(); // the folder's own problem would otherwise come once per feed
    for (const source of this.sources) {
      try {
        const text = this.cache.read(fileOf(source));
        if (text !== undefined)
          feeds.push({ source: source.id, provider: source.provider, date: feedDate(source.kind, text), ranges: parseFeed(source.kind, text, source.jsonPath) });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        warnings.add(error instanceof FeedError ? `The cached copy of feed ${source.id} is damaged (${reason}): refresh the feeds.` : reason);
      }
    }
    return new FeedIndex(feeds, [...warnings]);
  }

  /** Downloads every source (`onProgress` after each), keeping the last good copy of any that fails or is cancelled. */
  async refresh(onProgress: RefreshProgress = () => undefined, signal?: AbortSignal): Promise<RefreshReport> {
    await this.cache.prepare();
    const updated: { id: string; ranges: number }[] = [];
    const failed: { id: string; reason: string }[] = [];
    let done = 0;
    await Promise.all(
      this.sources.map(async (source) => {
        const name = fileOf(source);
        try {
          const ranges = await this.cache.exclusive(name, signal, async () => {
            const text = await this.fetch(source, signal);
            const count = parseFeed(source.kind, text, source.jsonPath).length;
            await this.cache.write(name, text);
            return count;
          });
          updated.push({ id: source.id, ranges });
        } catch (error) {
          failed.push({ id: source.id, reason: error instanceof Error ? error.message : String(error) });
        }
        onProgress(++done, this.sources.length, source.id);
      }),
    );
    return { updated, failed };
  }

  /** Stores a feed file the user downloaded (Azure's weekly Service Tags file, say) as the source's cache. */
  async import(sourceId: string, file: string): Promise<number> {
    const source = this.sources.find((s) => s.id === sourceId);
    if (!source) throw new Error(`No feed "${sourceId}".`);
    const text = await fs.readFile(file, 'utf8');
    const ranges = parseFeed(source.kind, text, source.jsonPath);
    const name = fileOf(source);
    await this.cache.exclusive(name, undefined, () => this.cache.write(name, text));
    return ranges.length;
  }

  private async fetch(source: FeedSource, signal: AbortSignal | undefined): Promise<string> {
    // Anything with a scheme is a URL, refused unless https; the rest is a local file of the user's.
    if (!/^[a-z][\w+.-]*:\/\//i.test(source.url)) return fs.readFile(source.url, 'utf8');
    const options = { ...this.downloadOptions, signal };
    if (!source.discover) return download(source.url, options);
    const page = await download(source.url, options);
    const link = source.discover.exec(page)?.[0];
    if (!link) throw new Error(`No link to the current feed on ${displayUrl(source.url)}: download it by hand and import it.`);
    return download(link, options);
  }
}

/** The cache file of a source. */
function fileOf(source: FeedSource): string {
  return `${source.id.replace(/[^\w.-]/g, '_')}.feed`;
}
