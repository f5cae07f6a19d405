/**
 * Readers of the providers' official range feeds. Each checks the feed's
 * shape and throws FeedError with what is wrong, so that a broken or
 * truncated download never replaces good data. A feed can be any file the
 * user names, so an error never quotes the text: it says where (a line, or a
 * path into the JSON such as `prefixes[12].ip_prefix`) and what belongs there.
 */
import { ParsedEntry, parseEntry } from '../../document/entry';

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

/**
 * The day a feed says it was made, YYYY-MM-DD: AWS's `createDate`
 * (`2018-04-11-00-33-05`), Google's `creationTime`; undefined for feeds that
 * say none (the others, and lists).
 */
export function feedDate(kind: FeedKind, text: string): string | undefined {
  const key = kind === 'aws' ? 'createDate' : kind === 'google' || kind === 'google-cloud' ? 'creationTime' : undefined;
  const found = key && new RegExp(`"${key}"\\s*:\\s*"(\\d{4})-(\\d{2})-(\\d{2})`).exec(text);
  return found ? `${found[1]}-${found[2]}-${found[3]}` : undefined;
}

const PARSERS: Record<FeedKind, (text: string, jsonPath?: string) => FeedRange[]> = {
  aws: (text) => {
    const feed = json(text);
    const prefixes = (records: [unknown, string][], name: string) => records.map(([p, at]) => rangeIn(p, name, at, optionalText(p, 'service'), optionalText(p, 'region')));
    return [...prefixes(items(feed, 'prefixes'), 'ip_prefix'), ...prefixes(optionalItems(feed, 'ipv6_prefixes'), 'ipv6_prefix')];
  },
  'google-cloud': (text) => googlePrefixes(text, true),
  google: (text) => googlePrefixes(text, false),
  azure: (text) =>
    items(json(text), 'values').flatMap(([value, at]) => {
      const properties = member(value, 'properties');
      if (typeof properties !== 'object' || properties === null) throw new FeedError(`${at} has no "properties".`);
      const name = member(value, 'name');
      const service = optionalText(properties, 'systemService') ?? (typeof name === 'string' ? name : '');
      const region = optionalText(properties, 'region');
      return items(properties, 'addressPrefixes', `${at}.properties.addressPrefixes`).map(([cidr, where]) => range(cidr, where, service, region));
    }),
  oracle: (text) =>
    items(json(text), 'regions').flatMap(([region, at]) =>
      items(region, 'cidrs', `${at}.cidrs`).map(([cidr, where]) => {
        const tags = member(cidr, 'tags');
        return rangeIn(cidr, 'cidr', where, Array.isArray(tags) ? tags.join(' ') : undefined, optionalText(region, 'region'));
      }),
    ),
  fastly: (text) => {
    const feed = json(text);
    return [...items(feed, 'addresses'), ...optionalItems(feed, 'ipv6_addresses')].map(([cidr, at]) => range(cidr, at));
  },
  github: (text) => {
    const feed = json(text);
    if (!Array.isArray(member(feed, 'web'))) throw new FeedError('Not GitHub meta: no "web" list.');
    // Every list of addresses, the key naming the service (hooks, web, api, actions, …); messages number the lists, as the keys are the file's text.
    return Object.entries(feed as Record<string, unknown>).flatMap(([service, value], k) =>
      Array.isArray(value) && value.every((item) => typeof item === 'string' && /^[0-9a-fA-F:.]+\/\d+$/.test(item))
        ? list(value, `list ${k + 1}`).map(([cidr, at]) => range(cidr, at, service))
        : [],
    );
  },
  list: (text) => lines(text).map(([line, at]) => range(line.split(/\s/)[0], at)),
  geofeed: (text) =>
    lines(text).map(([line, at]) => {
      const [prefix, country, region, city] = line.split(',').map((field) => field.trim());
      return range(prefix, at, undefined, [country, region, city].filter(Boolean).join(' ') || undefined);
    }),
  json: (text, jsonPath) => {
    if (!jsonPath) throw new FeedError('A JSON feed needs a path to its CIDRs, such as "prefixes[].ip_prefix".');
    return select(json(text), jsonPath.split('.'), '').map(([cidr, at]) => range(cidr, at));
  },
};

function googlePrefixes(text: string, cloud: boolean): FeedRange[] {
  return items(json(text), 'prefixes').map(([p, at]) => {
    const key = member(p, 'ipv4Prefix') === undefined ? 'ipv6Prefix' : 'ipv4Prefix';
    return cloud ? rangeIn(p, key, at, optionalText(p, 'service'), optionalText(p, 'scope')) : rangeIn(p, key, at);
  });
}

const LINE_BREAK = /\r\n|\r|\n/;

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // The engine's message quotes the text near the error: only the position it ends with is kept.
    const position = / at position (\d+)(?: \(line \d+ column \d+\))?$/.exec((error as Error).message)?.[1];
    throw new FeedError(`Not valid JSON${position === undefined ? '' : ` at ${lineAndColumn(text, Number(position))}`}: the download may be truncated, or the file is not JSON.`);
  }
}

/** `line L, column C` of a UTF-16 offset, counting line breaks as editors do. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split(LINE_BREAK);
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** The property `key` of a JSON object, or undefined for anything else. */
function member(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/** The items of a JSON list, each with its path for messages (`prefixes[3]`). */
function list(value: unknown, path: string): [item: unknown, path: string][] {
  if (!Array.isArray(value)) throw new FeedError(`Expected a list "${path}" in the feed.`);
  return value.map((item, k) => [item, `${path}[${k}]`]);
}

/** The items of the list at `key` of `object`, named `path` in messages. */
function items(object: unknown, key: string, path = key): [item: unknown, path: string][] {
  return list(member(object, key), path);
}

/** The same, for a list a feed may leave out. */
function optionalItems(object: unknown, key: string): [item: unknown, path: string][] {
  return member(object, key) === undefined ? [] : items(object, key);
}

function field(object: unknown, name: string, path: string): unknown {
  const value = member(object, name);
  if (value === undefined) throw new FeedError(`${path} has no "${name}".`);
  return value;
}

/** An optional text field. */
function optionalText(object: unknown, name: string): string | undefined {
  const value = member(object, name);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The lines that are not blank or comments, each with where it is for messages (`Line 3`). */
function lines(text: string): [line: string, at: string][] {
  return text.split(LINE_BREAK).flatMap((raw, k): [string, string][] => {
    const line = raw.trim();
    return line.length > 0 && !line.startsWith('#') ? [[line, `Line ${k + 1}`]] : [];
  });
}

/** Follows `a`, `b[]`, `c` through the JSON, `[]` spreading a list; `at` is the path so far, for messages. */
function select(value: unknown, steps: string[], at: string): [value: unknown, path: string][] {
  if (steps.length === 0) return [[value, at]];
  const [step, ...rest] = steps;
  const spread = step.endsWith('[]');
  const key = spread ? step.slice(0, -2) : step;
  const path = key === '' ? at : at === '' ? key : `${at}.${key}`;
  const next = key === '' ? value : member(value, key);
  if (next === undefined) throw new FeedError(`The path step "${step}" is not in the feed.`);
  return spread ? list(next, path).flatMap(([item, where]) => select(item, rest, where)) : select(next, rest, path);
}

const scratch = new ParsedEntry();
const EXPECTED = 'expected an address, CIDR or range such as 192.0.2.0/24';

/** The range of `cidr`, found at `at` (for messages). */
function range(cidr: unknown, at: string, service?: string, region?: string): FeedRange {
  if (typeof cidr !== 'string') throw new FeedError(`${at}: ${EXPECTED}, found ${describe(cidr)}.`);
  if (!parseEntry(cidr, 0, cidr.length, [], scratch)) throw new FeedError(`${at}: ${EXPECTED}.`);
  const lo = scratch.version === 4 ? BigInt(scratch.lo4) : scratch.lo6;
  const hi = scratch.version === 4 ? BigInt(scratch.hi4) : scratch.hi6;
  return { version: scratch.version, lo, hi, ...(service ? { service } : {}), ...(region ? { region } : {}) };
}

/** The range in field `name` of the record at `at`. */
function rangeIn(record: unknown, name: string, at: string, service?: string, region?: string): FeedRange {
  return range(field(record, name, at), `${at}.${name}`, service, region);
}

/** What a JSON value is, without its content. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
