/** Where the providers publish their ranges, and how to read each feed. */
import type { FeedKind } from './parsers';

export interface FeedSource {
  /** Stable id: the cache file name, and how settings and reports name the feed. */
  readonly id: string;
  /** The provider of the catalog the ranges belong to, or a name of the user's own. */
  readonly provider: string;
  readonly kind: FeedKind;
  /** An https URL, or for user-defined sources a local file. */
  readonly url: string;
  /** For JSON feeds of the user's own: where the CIDRs are (`prefixes[].cidr`). */
  readonly jsonPath?: string;
  /** The URL is a page that links to the current feed (Azure publishes a new file name each week). */
  readonly discover?: RegExp;
}

export const OFFICIAL_FEEDS: readonly FeedSource[] = [
  { id: 'aws', provider: 'aws', kind: 'aws', url: 'https://ip-ranges.amazonaws.com/ip-ranges.json' },
  { id: 'google-cloud', provider: 'google-cloud', kind: 'google-cloud', url: 'https://www.gstatic.com/ipranges/cloud.json' },
  { id: 'google', provider: 'google', kind: 'google', url: 'https://www.gstatic.com/ipranges/goog.json' },
  {
    id: 'azure',
    provider: 'microsoft',
    kind: 'azure',
    url: 'https://www.microsoft.com/en-us/download/details.aspx?id=56519',
    discover: /https:\/\/download\.microsoft\.com\/download\/[^"'\s]+\/ServiceTags_Public_\d+\.json/,
  },
  { id: 'cloudflare-v4', provider: 'cloudflare', kind: 'list', url: 'https://www.cloudflare.com/ips-v4' },
  { id: 'cloudflare-v6', provider: 'cloudflare', kind: 'list', url: 'https://www.cloudflare.com/ips-v6' },
  { id: 'oracle', provider: 'oracle', kind: 'oracle', url: 'https://docs.oracle.com/en-us/iaas/tools/public_ip_ranges.json' },
  { id: 'digitalocean', provider: 'digitalocean', kind: 'geofeed', url: 'https://digitalocean.com/geo/google.csv' },
  { id: 'linode', provider: 'linode', kind: 'geofeed', url: 'https://geoip.linode.com/' },
  { id: 'fastly', provider: 'fastly', kind: 'fastly', url: 'https://api.fastly.com/public-ip-list' },
  { id: 'github', provider: 'github', kind: 'github', url: 'https://api.github.com/meta' },
  { id: 'telegram', provider: 'telegram', kind: 'list', url: 'https://core.telegram.org/resources/cidr.txt' },
];
