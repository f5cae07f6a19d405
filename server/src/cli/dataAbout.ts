/**
 * What `check` says of the ownership data it audited with: which data, of
 * what day and whose, its publisher's caveat, and whether it is older than
 * --max-data-age. Said once per run, after the files: every file is audited
 * with the same data.
 */
import { dataNote, dataStatus, isOutOfDate, staleWarning, type DataStatus } from '../core/ownership/dataAbout';
import type { Networks } from '../core/ownership/networks';

/** The data of `networks` and its age on `today`; undefined without ASN data. */
export function ownershipStatus(networks: Networks | undefined, today: Date, maxAgeDays: number): DataStatus | undefined {
  return networks && dataStatus(networks.index.about, today, maxAgeDays);
}

/** The lines of the text output: the data, then a warning when it is out of date. */
export function dataAgeLines(status: DataStatus | undefined): string[] {
  if (!status) return [];
  const stale = staleWarning(status);
  return [dataNote(status), ...(stale ? [`warning: ${stale}`] : [])];
}

/** The data in JSON and SARIF: flat, with `outOfDate` for a CI step to test. */
export function dataAgeJson(status: DataStatus | undefined): object | undefined {
  return status && { ...status.about, ageDays: status.ageDays, maxAgeDays: status.maxAgeDays, outOfDate: isOutOfDate(status) };
}
