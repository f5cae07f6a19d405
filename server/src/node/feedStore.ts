/**
 * The feeds on disk: one cache file per source, written atomically (a
 * temporary file renamed over the old one) and only after the new download
 * has been read successfully, so a failed refresh keeps the last good copy.
 */
import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeedIndex, type LoadedFeed } from '../core/ownership/feeds/feedIndex';
import { parseFeed } from '../core/ownership/feeds/parsers';
import type { FeedSource } from '../core/ownership/feeds/sources';
import type { FeedStore, RefreshProgress, RefreshReport } from '../lsp/runtime';
import { DEFAULT_DOWNLOAD, displayUrl, download, type DownloadOptions } from './download';

export class NodeFeedStore implements FeedStore {
  constructor(
    private readonly directory: string,
    private readonly sources: readonly FeedSource[],
    private readonly downloadOptions: DownloadOptions = DEFAULT_DOWNLOAD,
  ) {}

  /** The feeds cached so far; a damaged cache file is skipped (it was valid when written, so this is rare). */
  load(): FeedIndex {
    const feeds: LoadedFeed[] = [];
    for (const source of this.sources) {
      try {
        const text = readFileSync(this.fileOf(source), 'utf8');
        feeds.push({ source: source.id, provider: source.provider, ranges: parseFeed(source.kind, text, source.jsonPath) });
      } catch {
        // Not downloaded yet, or unreadable: the feed is simply absent.
      }
    }
    return new FeedIndex(feeds);
  }

  /** Downloads every source (`onProgress` after each), keeping the last good copy of any that fails or is cancelled. */
  async refresh(onProgress: RefreshProgress = () => undefined, signal?: AbortSignal): Promise<RefreshReport> {
    await fs.mkdir(this.directory, { recursive: true });
    const updated: { id: string; ranges: number }[] = [];
    const failed: { id: string; reason: string }[] = [];
    let done = 0;
    await Promise.all(
      this.sources.map(async (source) => {
        try {
          const text = await this.fetch(source, signal);
          const ranges = parseFeed(source.kind, text, source.jsonPath);
          await this.save(source, text);
          updated.push({ id: source.id, ranges: ranges.length });
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
    await fs.mkdir(this.directory, { recursive: true });
    await this.save(source, text);
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

  private async save(source: FeedSource, text: string): Promise<void> {
    const file = this.fileOf(source);
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, text);
    await fs.rename(temporary, file);
  }

  private fileOf(source: FeedSource): string {
    return join(this.directory, `${source.id.replace(/[^\w.-]/g, '_')}.feed`);
  }
}
