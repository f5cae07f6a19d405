/**
 * The IP-to-ASN datasets the ownership data can be updated from, and their
 * readers: ip-location-db's ASN CSV (the shipped format: start,end,ASN,name,
 * the addresses as numbers or as text) and iptoasn's TSV (range_start,
 * range_end, AS_number, country_code, AS_description, tab-separated; AS 0
 * marks space nobody routes). A reader takes one family's file as text and
 * gives its rows, or fails with an AsnDataError saying which line and what is
 * wrong, never quoting the file: a reason must fit one line whatever was served.
 */
import type { Problem } from '../document/problem';
import { parseIPv4 } from '../addresses/ipv4';
import { parseIPv6 } from '../addresses/ipv6';
import type { AsnRow } from './asnCompile';

export type AsnDatasetFormat = 'csv' | 'iptoasn';

export const ASN_DATASET_FORMATS: readonly AsnDatasetFormat[] = ['csv', 'iptoasn'];

export interface AsnDataset {
  /** The file of each family, found under the URL the user gives (a folder). */
  readonly files: { readonly ipv4: string; readonly ipv6: string };
  /** Whether the files are gzipped. */
  readonly gzipped: boolean;
  /** What the data is, as its DataAbout says. */
  readonly source: string;
  readonly credit: string;
  readonly read: (text: string, version: 4 | 6, file: string) => AsnRow[];
}

/** Where "Update Ownership Data" downloads from by default: the folder of the latest GitHub Release of ip-location-db, whose README (in the npm package) says its corrected data is there. */
export const DEFAULT_OWNERSHIP_URL = 'https://github.com/sapics/ip-location-db/releases/latest/download/';

export const DEFAULT_OWNERSHIP_FORMAT: AsnDatasetFormat = 'csv';

export const ASN_DATASETS: Readonly<Record<AsnDatasetFormat, AsnDataset>> = {
  csv: {
    files: { ipv4: 'asn-ipv4.csv', ipv6: 'asn-ipv6.csv' },
    gzipped: false,
    source: 'ip-location-db asn',
    credit: 'RouteViews, NRO and DB-IP (IP Geolocation by DB-IP), CC BY 4.0',
    read: readAsnCsv,
  },
  iptoasn: {
    files: { ipv4: 'ip2asn-v4.tsv.gz', ipv6: 'ip2asn-v6.tsv.gz' },
    gzipped: true,
    source: 'iptoasn ip2asn',
    credit: "iptoasn.com, under the terms on the publisher's site",
    read: readIptoasnTsv,
  },
};

/**
 * RouteViews/CAIDA prefix-to-AS of one family: `prefix<TAB>length<TAB>origin`,
 * no names. A multi-origin prefix (`A_B`) or an AS set (`A,B`) is
 * attributed to its first origin, the others kept with it. Names come from `nameOf` (today's data,
 * as the snapshot's about says), or are the bare ASN. Rows are sorted by
 * start; nested prefixes are left to the compiler, where the most specific wins.
 */
export function readPfx2as(nameOf: (asn: number) => string | undefined): AsnDataset['read'] {
  return (text, version, file) => {
    const bits = version === 4 ? 32 : 128;
    const rows = readLines(text, file, (line, where) => {
      const fields = line.trim().split(/\s+/);
      if (fields.length !== 3) throw where.error('not the three fields prefix, length, origin AS');
      const [prefix, length, origins] = fields;
      const start = address(prefix, 0, prefix.length, version);
      if (start === undefined) throw where.error(`a prefix that is not an IPv${version} address`);
      if (!/^\d{1,3}$/.test(length) || Number(length) > bits) throw where.error(`a prefix length that is not 0 to ${bits}`);
      if (!/^\{?\d{1,10}(?:[_,]\d{1,10})*\}?$/.test(origins)) throw where.error('an origin that is not an AS number, a multi-origin A_B or an AS set A,B');
      const [asn, ...rest] = [...new Set(origins.match(/\d+/g)!.map(Number))];
      if ([asn, ...rest].some((n) => n > MAX_ASN)) throw where.error('an AS number past 4294967295');
      const size = 1n << BigInt(bits - Number(length));
      const network = start - (start % size);
      return { start: network, end: network + size - 1n, asn, name: nameOf(asn) ?? `AS${asn}`, ...(rest.length > 0 ? { others: rest } : {}) };
    });
    return rows.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  };
}

/** A dataset that cannot be used, and why (a line number and what is wrong, no content). */
export class AsnDataError extends Error {}

const MAX_ASN = 2 ** 32 - 1;
const MAX_ADDRESS = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n } as const;
/** The header some CSV writers put first, named as the publisher's README names the columns. */
const CSV_HEADER = /^ip_range_start\s*,/i;

/** ip-location-db's ASN CSV of one family: `start,end,asn,name`, the name quoted with `""` escapes when it has a comma. */
export function readAsnCsv(text: string, version: 4 | 6, file: string): AsnRow[] {
  return readLines(text, file, (line, where) => {
    if (where.first && CSV_HEADER.test(line)) return undefined;
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    const c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
    if (c1 < 0 || c2 < 0 || c3 < 0) throw where.error('not the four comma-separated fields start,end,ASN,organisation');
    let name = line.slice(c3 + 1);
    if (name.startsWith('"')) {
      if (name.length < 2 || !name.endsWith('"')) throw where.error('a quoted organisation without its closing quote');
      name = name.slice(1, -1).replaceAll('""', '"');
    }
    return range(line, [0, c1], [c1 + 1, c2], line.slice(c2 + 1, c3), name, version, where);
  });
}

/** iptoasn's TSV of one family: `range_start range_end AS_number country_code AS_description`; AS 0 ("Not routed") is nobody's. */
export function readIptoasnTsv(text: string, version: 4 | 6, file: string): AsnRow[] {
  return readLines(text, file, (line, where) => {
    const fields = line.split('\t');
    if (fields.length !== 5) throw where.error('not the five tab-separated fields range_start, range_end, AS_number, country_code, AS_description');
    const start = fields[0].length;
    const row = range(line, [0, start], [start + 1, start + 1 + fields[1].length], fields[2], fields[4], version, where);
    return row.asn === 0 ? undefined : row;
  });
}

interface Where {
  readonly first: boolean;
  error(what: string): AsnDataError;
}

/** The rows `read` makes of each line; the file must end with a line break, or it was cut short. */
function readLines(text: string, file: string, read: (line: string, where: Where) => AsnRow | undefined): AsnRow[] {
  if (text.length === 0) throw new AsnDataError(`${file} is empty.`);
  if (!text.endsWith('\n')) throw new AsnDataError(`${file} does not end with a line break: it was cut short.`);
  const rows: AsnRow[] = [];
  let lineStart = 0;
  for (let number = 1; lineStart < text.length; number++) {
    const lineEnd = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd);
    lineStart = lineEnd + 1;
    if (line.length === 0) continue;
    const row = read(line, { first: number === 1, error: (what) => new AsnDataError(`${file} line ${number}: ${what}.`) });
    if (row) rows.push(row);
  }
  if (rows.length === 0) throw new AsnDataError(`${file} has no ranges.`);
  return rows;
}

/** The row of `line`'s start and end fields (spans of it), ASN and name, checked. */
function range(line: string, [startFrom, startTo]: [number, number], [endFrom, endTo]: [number, number], asn: string, name: string, version: 4 | 6, where: Where): AsnRow {
  const start = address(line, startFrom, startTo, version);
  const end = address(line, endFrom, endTo, version);
  if (start === undefined || end === undefined) throw where.error(`a range bound that is not an IPv${version} address`);
  if (start > end) throw where.error('a range that ends before it starts');
  if (!/^\d{1,10}$/.test(asn) || Number(asn) > MAX_ASN) throw where.error('an AS number that is not a whole number up to 4294967295');
  return { start, end, asn: Number(asn), name };
}

/** An address written as a number (the `-num` files) or as text; undefined when it is neither, or past the family's last. */
function address(line: string, from: number, to: number, version: 4 | 6): bigint | undefined {
  let value: bigint | undefined;
  if (from < to && /^\d+$/.test(line.slice(from, to))) value = BigInt(line.slice(from, to));
  else {
    const problems: Problem[] = [];
    const parsed = version === 4 ? parseIPv4(line, from, to, problems) : parseIPv6(line, from, to, problems);
    value = parsed === undefined || parsed === -1 ? undefined : BigInt(parsed);
  }
  return value !== undefined && value <= MAX_ADDRESS[version] ? value : undefined;
}
