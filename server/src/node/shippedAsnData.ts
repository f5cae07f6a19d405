/**
 * The ownership data shipped with the extension: the ASN CSVs of the npm
 * package @ip-location-db/asn (RouteViews, NRO and DB-IP data, CC BY 4.0),
 * compiled into the index the build writes to dist/asn.bin
 * (scripts/build-asn-index.mjs), with what the data is: source, date, credit
 * and the publisher's caveat.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileAsnIndex, type CompiledAsnIndex } from '../core/ownership/asnCompile';
import { ASN_DATASETS } from '../core/ownership/asnDatasets';
import type { DataAbout } from '../core/ownership/dataAbout';

const PACKAGE = '@ip-location-db/asn';

/** The package's files with the addresses as numbers: the same rows as asn-ipv4.csv and asn-ipv6.csv, read faster. */
const FILES = { ipv4: 'asn-ipv4-num.csv', ipv6: 'asn-ipv6-num.csv' } as const;

/** The publisher's notice, in its README, that the data published to npm is wrong. */
const NPM_NOTICE = 'contains bugs resulting in incorrect data';
const CAVEAT =
  "Its publisher warns that the data it published to npm contains bugs resulting in incorrect data, that npm updates are deprecated and will stop, and that corrected data is in the project's GitHub Releases.";

/** The folder of the installed package. */
export function shippedDataFolder(): string {
  return dirname(createRequire(__filename).resolve(`${PACKAGE}/package.json`));
}

/**
 * Which data the package holds. It has no date field: the publisher's daily
 * job versions each build MAJOR.MINOR.YYYYMMDDHH, the hour it made the data,
 * so the version's last part is the day the data describes. The caveat is
 * the package README's own, while the README still gives it.
 */
export function shippedDataAbout(folder = shippedDataFolder()): DataAbout {
  const { version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string };
  const stamp = /^\d+\.\d+\.(\d{4})(\d{2})(\d{2})\d{2}$/.exec(version);
  if (!stamp) throw new Error(`${PACKAGE} ${version}: the version does not end in the data's date (YYYYMMDDHH); say in server/src/node/shippedAsnData.ts where its date is.`);
  const warned = readFileSync(join(folder, 'README.md'), 'utf8').includes(NPM_NOTICE);
  return {
    source: PACKAGE,
    version,
    date: `${stamp[1]}-${stamp[2]}-${stamp[3]}`,
    credit: ASN_DATASETS.csv.credit,
    ...(warned ? { caveat: CAVEAT } : {}),
  };
}

/** The index of the shipped data: what dist/asn.bin holds. */
export function compileShippedIndex(folder = shippedDataFolder()): CompiledAsnIndex {
  const read = (file: string, version: 4 | 6) => ASN_DATASETS.csv.read(readFileSync(join(folder, file), 'utf8'), version, file);
  return compileAsnIndex(shippedDataAbout(folder), { ipv4: read(FILES.ipv4, 4), ipv6: read(FILES.ipv6, 6) });
}
