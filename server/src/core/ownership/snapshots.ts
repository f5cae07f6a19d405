/**
 * Ownership snapshots: IP-to-ASN data of a chosen day, imported from files
 * (RouteViews/CAIDA pfx2as, iptoasn TSV, ip-location-db CSV) and kept under
 * a name, so that a list can be audited with the routing of its own day
 * (`# ownership-data: NAME`, or a setting for the workspace).
 */
import type { AsnRows } from './asnCompile';
import { ASN_DATASETS, AsnDataError, readPfx2as, type AsnDatasetFormat } from './asnDatasets';
import type { AsnIndex } from './asnIndex';
import type { DataAbout } from './dataAbout';

export type SnapshotFormat = 'pfx2as' | AsnDatasetFormat;

export const SNAPSHOT_FORMATS: readonly SnapshotFormat[] = ['pfx2as', 'iptoasn', 'csv'];

/** What `# ownership-data:` and the setting may name: a word of letters, digits, `.`, `_` and `-`, as a file name it becomes. */
const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why `name` cannot name a snapshot, or undefined when it can. */
export function invalidSnapshotName(name: string): string | undefined {
  return SNAPSHOT_NAME.test(name) ? undefined : 'A snapshot name is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit (such as 2018-04-15).';
}

/** One file of a snapshot, as text. */
export interface SnapshotFile {
  /** Its name, for messages and its day. */
  readonly file: string;
  readonly text: string;
}

/**
 * The rows of a snapshot's files, each file one family (told by its first
 * line). pfx2as names no one: `today` (the data in use) gives the names.
 */
export function snapshotRows(files: readonly SnapshotFile[], format: SnapshotFormat, today: AsnIndex | undefined): AsnRows {
  const read = format === 'pfx2as' ? readPfx2as((asn) => today?.nameOfAsn(asn)) : ASN_DATASETS[format].read;
  const rows: Record<'ipv4' | 'ipv6', AsnRows['ipv4'][number][]> = { ipv4: [], ipv6: [] };
  for (const { file, text } of files) {
    const version = familyOf(text);
    const family = version === 4 ? 'ipv4' : 'ipv6';
    if (rows[family].length > 0) throw new AsnDataError(`${file} is a second file of IPv${version}: give one file per family.`);
    rows[family] = read(text, version, file);
  }
  return rows;
}

/**
 * What a snapshot is: its source, its name, its day and, when the names of
 * its autonomous systems come from other data (pfx2as), whose and of when.
 */
export function snapshotAbout(format: SnapshotFormat, name: string, date: string, today: DataAbout | undefined): DataAbout {
  const source = format === 'pfx2as' ? 'RouteViews prefix-to-AS (pfx2as)' : ASN_DATASETS[format].source;
  const credit = format === 'pfx2as' ? 'RouteViews (University of Oregon) and CAIDA, under the terms of their data' : ASN_DATASETS[format].credit;
  const caveat =
    format === 'pfx2as'
      ? today
        ? `The names of its autonomous systems are those of ${today.source} ${today.version} (data of ${today.date}), not of ${date}.`
        : 'Its autonomous systems have no names: no ASN data was there to name them.'
      : undefined;
  return { source, version: `imported from ${format} files`, date, credit, ...(caveat ? { caveat } : {}), snapshot: name };
}

/** The format a file's name says: `.pfx2as`, `.tsv`, `.csv`, gzipped or not; undefined when it says none. */
export function snapshotFormatOf(file: string): SnapshotFormat | undefined {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  return name.endsWith('.pfx2as') ? 'pfx2as' : name.endsWith('.tsv') ? 'iptoasn' : name.endsWith('.csv') ? 'csv' : undefined;
}

/** The day in a file name such as `routeviews-rv2-20180415-1200.pfx2as.gz`, as YYYY-MM-DD; undefined when there is none. */
export function dayInFileName(file: string): string | undefined {
  const found = /(?:^|\D)((?:19|20)\d{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?:\D|$)/.exec(file.split(/[\\/]/).at(-1) ?? file);
  return found ? `${found[1]}-${found[2]}-${found[3]}` : undefined;
}

/** The family of a file of ranges: IPv6 when its first address has a colon, or is a number past IPv4's last. */
function familyOf(text: string): 4 | 6 {
  for (const line of text.split('\n', 50)) {
    const first = line.trim().split(/[\s,]/)[0];
    if (/^\d+$/.test(first)) return BigInt(first) > 0xffffffffn ? 6 : 4;
    if (/^[0-9a-f:.]+$/i.test(first)) return first.includes(':') ? 6 : 4;
  }
  return 4;
}
