/**
 * Readers of the providers' official range feeds. Each checks the feed's
 * shape and throws FeedError with what is wrong, so that a broken or
 * truncated download never replaces good data.
 */
import { ParsedEntry, parseEntry } from '../../document/entry';
import type { Problem } from '../../document/problem';

/** One published range with what the feed says about it. */
export interface FeedRange {
  readonly version: 4 | 6;
  readonly lo: bigint;
  readonly hi: bigint;
  readonly service?: string;
  readonly region?: string;
}

export class FeedError extends Error {}

export type FeedKind = 'aws' | 'google-cloud' | 'google' | 'azure' | 'oracle' | 'fastly' | 'github' | 'list' | 'geofeed' | 'json';

/** Reads `text` as a feed of `kind`; `jsonPath` (`a.b[].c`) says where the CIDRs of a custom JSON feed are. */
export function parseFeed(kind: FeedKind, text: string, jsonPath?: string): FeedRange[] {
  const ranges = PARSERS[kind](text, jsonPath);
  if (ranges.length === 0) throw new FeedError('The feed holds no address ranges.');
  return ranges;
}

const PARSERS: Record<FeedKind, (text: string, jsonPath?: string) => FeedRange[]> = {
  aws: (text) => {
    const feed = json(text) as { prefixes?: unknown; ipv6_prefixes?: unknown };
    const v4 = array(feed.prefixes, 'prefixes').map((p) => range(field(p, 'ip_prefix'), optionalText(p, 'service'), optionalText(p, 'region')));
    const v6 = array(feed.ipv6_prefixes ?? [], 'ipv6_prefixes').map((p) => range(field(p, 'ipv6_prefix'), optionalText(p, 'service'), optionalText(p, 'region')));
    return [...v4, ...v6];
  },
  'google-cloud': (text) => googlePrefixes(text, true),
  google: (text) => googlePrefixes(text, false),
  azure: (text) => {
    const feed = json(text) as { values?: unknown };
    return array(feed.values, 'values').flatMap((value) => {
      const properties = (value as { properties?: unknown }).properties as { addressPrefixes?: unknown; systemService?: unknown; region?: unknown } | undefined;
      if (!properties) throw new FeedError('A service tag has no "properties".');
      const name = (value as { name?: unknown }).name;
      const service = typeof properties.systemService === 'string' && properties.systemService ? properties.systemService : typeof name === 'string' ? name : '';
      const region = typeof properties.region === 'string' && properties.region ? properties.region : undefined;
      return array(properties.addressPrefixes, 'addressPrefixes').map((cidr) => range(cidr, service, region));
    });
  },
  oracle: (text) => {
    const feed = json(text) as { regions?: unknown };
    return array(feed.regions, 'regions').flatMap((region) =>
      array((region as { cidrs?: unknown }).cidrs, 'cidrs').map((cidr) => {
        const tags = (cidr as { tags?: unknown }).tags;
        return range(field(cidr, 'cidr'), Array.isArray(tags) ? tags.join(' ') : undefined, optionalText(region, 'region'));
      }),
    );
  },
  fastly: (text) => {
    const feed = json(text) as { addresses?: unknown; ipv6_addresses?: unknown };
    return [...array(feed.addresses, 'addresses'), ...array(feed.ipv6_addresses ?? [], 'ipv6_addresses')].map((cidr) => range(cidr));
  },
  github: (text) => {
    const feed = json(text) as Record<string, unknown>;
    if (typeof feed !== 'object' || feed === null || !Array.isArray(feed.web)) throw new FeedError('Not GitHub meta: no "web" list.');
    // Every list of addresses, the key naming the service (hooks, web, api, actions, …).
    return Object.entries(feed).flatMap(([service, value]) =>
      Array.isArray(value) && value.every((item) => typeof item === 'string' && /^[0-9a-fA-F:.]+\/\d+$/.test(item)) ? value.map((cidr) => range(cidr, service)) : [],
    );
  },
  list: (text) => lines(text).map((line) => range(line.split(/\s/)[0])),
  geofeed: (text) =>
    lines(text).map((line) => {
      const [prefix, country, region, city] = line.split(',').map((field) => field.trim());
      return range(prefix, undefined, [country, region, city].filter(Boolean).join(' ') || undefined);
    }),
  json: (text, jsonPath) => {
    if (!jsonPath) throw new FeedError('A JSON feed needs a path to its CIDRs, such as "prefixes[].ip_prefix".');
    return select(json(text), jsonPath.split('.')).map((cidr) => range(cidr));
  },
};

function googlePrefixes(text: string, cloud: boolean): FeedRange[] {
  const feed = json(text) as { prefixes?: unknown };
  return array(feed.prefixes, 'prefixes').map((p) => {
    const prefix = (p as { ipv4Prefix?: unknown; ipv6Prefix?: unknown }).ipv4Prefix ?? (p as { ipv6Prefix?: unknown }).ipv6Prefix;
    return cloud ? range(prefix, optionalText(p, 'service'), optionalText(p, 'scope')) : range(prefix);
  });
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FeedError(`Not valid JSON (${(error as Error).message}): the download may be truncated.`);
  }
}

function array(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw new FeedError(`Expected a list "${name}" in the feed.`);
  return value;
}

function field(object: unknown, name: string): unknown {
  if (typeof object !== 'object' || object === null || !(name in object)) throw new FeedError(`A record has no "${name}".`);
  return (object as Record<string, unknown>)[name];
}

/** An optional text field. */
function optionalText(object: unknown, name: string): string | undefined {
  const value = typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

/** Follows `a`, `b[]`, `c` through the JSON, `[]` spreading a list. */
function select(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [value];
  const [step, ...rest] = path;
  const spread = step.endsWith('[]');
  const key = spread ? step.slice(0, -2) : step;
  const next = key === '' ? value : typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  if (next === undefined) throw new FeedError(`The path step "${step}" is not in the feed.`);
  return spread ? array(next, key).flatMap((item) => select(item, rest)) : select(next, rest);
}

const scratch = new ParsedEntry();

function range(cidr: unknown, service?: string, region?: string): FeedRange {
  if (typeof cidr !== 'string') throw new FeedError(`Expected a CIDR, found ${JSON.stringify(cidr)}.`);
  const problems: Problem[] = [];
  if (!parseEntry(cidr, 0, cidr.length, problems, scratch)) throw new FeedError(`"${cidr}" is not a network: ${problems[0]?.message ?? ''}`);
  const lo = scratch.version === 4 ? BigInt(scratch.lo4) : scratch.lo6;
  const hi = scratch.version === 4 ? BigInt(scratch.hi4) : scratch.hi6;
  return { version: scratch.version, lo, hi, ...(service ? { service } : {}), ...(region ? { region } : {}) };
}
