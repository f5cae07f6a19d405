/**
 * The ranges of every loaded feed, for "which service and region of which
 * provider does this entry hit?". Feeds overlap themselves (AWS lists
 * AMAZON and EC2 for the same prefixes), so lookups are interval stabbing
 * queries: ranges sorted by start, with the running maximum of their ends.
 */
import { lowerBound } from '../../primitives/search';
import type { FeedRange } from './parsers';

export interface LoadedFeed {
  readonly source: string;
  readonly provider: string;
  /** The day the feed says it was made, when it says one. */
  readonly date?: string;
  readonly ranges: readonly FeedRange[];
}

/** What a feed says about part of an entry. */
export interface FeedMatch {
  readonly source: string;
  readonly provider: string;
  /** The day its feed says it was made, when it says one. */
  readonly date?: string;
  readonly service?: string;
  readonly region?: string;
  /** Addresses of the entry in this feed range. */
  readonly addresses: bigint;
}

interface Indexed extends FeedRange {
  readonly source: string;
  readonly provider: string;
  readonly date?: string;
}

export class FeedIndex {
  private readonly byFamily: Record<4 | 6, { ranges: Indexed[]; maxEnd: bigint[] }>;

  constructor(
    readonly feeds: readonly LoadedFeed[],
    /** Why feeds that are cached could not be read (a damaged file, a link in the cache), for the log. */
    readonly warnings: readonly string[] = [],
  ) {
    const build = (version: 4 | 6) => {
      const ranges = feeds
        .flatMap((feed) => feed.ranges.filter((r) => r.version === version).map((r) => ({ ...r, source: feed.source, provider: feed.provider, date: feed.date })))
        .sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
      const maxEnd: bigint[] = [];
      for (const range of ranges) maxEnd.push(maxEnd.length > 0 && maxEnd[maxEnd.length - 1] > range.hi ? maxEnd[maxEnd.length - 1] : range.hi);
      return { ranges, maxEnd };
    };
    this.byFamily = { 4: build(4), 6: build(6) };
  }

  /** Every feed range overlapping [lo, hi], largest overlap first. */
  lookup(version: 4 | 6, lo: bigint, hi: bigint): FeedMatch[] {
    const { ranges, maxEnd } = this.byFamily[version];
    // The first range that can reach lo: maxEnd is non-decreasing.
    const first = lowerBound(maxEnd, lo);
    const matches: FeedMatch[] = [];
    for (let k = first; k < ranges.length && ranges[k].lo <= hi; k++) {
      const r = ranges[k];
      if (r.hi < lo) continue;
      const addresses = (r.hi < hi ? r.hi : hi) - (r.lo > lo ? r.lo : lo) + 1n;
      matches.push({ source: r.source, provider: r.provider, date: r.date, service: r.service, region: r.region, addresses });
    }
    return matches.sort((a, b) => (a.addresses > b.addresses ? -1 : a.addresses < b.addresses ? 1 : 0));
  }
}
