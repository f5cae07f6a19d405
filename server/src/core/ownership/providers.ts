/**
 * The provider catalog: which autonomous systems belong to the clouds, CDNs,
 * hosters and platforms that careless blocklists hit. Reviewed against the
 * organisation names in the ASN data (test/core/networks.test.ts checks
 * every number still maps to the expected name).
 */
export type ProviderCategory = 'cloud' | 'cdn' | 'hosting' | 'platform' | 'messenger';

export interface Provider {
  /** Stable id, for settings and directives (`aws`, `google-cloud`). */
  readonly id: string;
  readonly name: string;
  readonly category: ProviderCategory;
  readonly asns: readonly number[];
  /** What the organisation names of these ASNs look like in the data, for the review test. */
  readonly holder: RegExp;
}

export const PROVIDERS: readonly Provider[] = [
  { id: 'aws', name: 'Amazon Web Services', category: 'cloud', asns: [16509, 14618, 8987], holder: /^Amazon/ },
  { id: 'google-cloud', name: 'Google Cloud', category: 'cloud', asns: [396982], holder: /^Google/ },
  { id: 'google', name: 'Google', category: 'platform', asns: [15169, 19527, 36040, 36492, 43515, 139070], holder: /^Google/ },
  { id: 'microsoft', name: 'Microsoft and Azure', category: 'cloud', asns: [8075, 8068, 8069, 12076], holder: /^Microsoft/ },
  { id: 'cloudflare', name: 'Cloudflare', category: 'cdn', asns: [13335, 209242], holder: /^Cloudflare/ },
  { id: 'akamai', name: 'Akamai', category: 'cdn', asns: [20940, 16625, 12222], holder: /^Akamai/ },
  { id: 'linode', name: 'Linode (Akamai Cloud)', category: 'cloud', asns: [63949], holder: /^Akamai|^Linode/ },
  { id: 'fastly', name: 'Fastly', category: 'cdn', asns: [54113], holder: /^Fastly/ },
  { id: 'oracle', name: 'Oracle Cloud', category: 'cloud', asns: [31898], holder: /^Oracle/ },
  { id: 'digitalocean', name: 'DigitalOcean', category: 'cloud', asns: [14061], holder: /^DigitalOcean/ },
  { id: 'vultr', name: 'Vultr', category: 'hosting', asns: [20473], holder: /^The Constant Company|^Choopa|^Vultr/ },
  { id: 'hetzner', name: 'Hetzner', category: 'hosting', asns: [24940, 213230, 212317], holder: /^Hetzner/ },
  { id: 'ovh', name: 'OVHcloud', category: 'hosting', asns: [16276, 35540], holder: /^OVH/ },
  { id: 'scaleway', name: 'Scaleway', category: 'hosting', asns: [12876], holder: /^Scaleway|^Online/ },
  { id: 'alibaba', name: 'Alibaba Cloud', category: 'cloud', asns: [45102, 37963, 24429], holder: /Alibaba|Taobao/ },
  { id: 'tencent', name: 'Tencent Cloud', category: 'cloud', asns: [45090, 132203], holder: /Tencent/ },
  { id: 'github', name: 'GitHub', category: 'platform', asns: [36459], holder: /^GitHub/ },
  { id: 'meta', name: 'Meta', category: 'platform', asns: [32934, 63293], holder: /^Facebook|^Meta/ },
  { id: 'apple', name: 'Apple', category: 'platform', asns: [714, 6185], holder: /^Apple/ },
  { id: 'telegram', name: 'Telegram', category: 'messenger', asns: [62041, 59930, 62014, 211157, 44907], holder: /^Telegram/ },
];

const BY_ASN = new Map(PROVIDERS.flatMap((provider) => provider.asns.map((asn) => [asn, provider] as const)));

/** Every ASN of the catalog. */
export const PROVIDER_ASN_SET: ReadonlySet<number> = new Set(BY_ASN.keys());

export function providerOfAsn(asn: number): Provider | undefined {
  return BY_ASN.get(asn);
}

/** A provider by id or name, any case (`aws`, `Amazon Web Services`). */
export function findProvider(text: string): Provider | undefined {
  const wanted = text.toLowerCase();
  return PROVIDERS.find((provider) => provider.id === wanted || provider.name.toLowerCase() === wanted);
}
