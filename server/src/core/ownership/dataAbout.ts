/**
 * What the ownership data is: its source, the day it describes, its credit
 * and its publisher's warning, as the ASN index carries them; and how old it
 * is on a given day. "Today" is always a parameter: the core reads no clock,
 * so hovers, reports and `check` say the same thing in tests on a fixed day.
 */

/** Ownership data older than this many days is called out of date, unless a setting or option says otherwise. */
export const DEFAULT_MAX_DATA_AGE_DAYS = 90;

export interface DataAbout {
  /** Where the data comes from: `@ip-location-db/asn`. */
  readonly source: string;
  /** The source's version: `2.3.2026061719`. */
  readonly version: string;
  /** The day the data describes, YYYY-MM-DD (UTC). */
  readonly date: string;
  /** Whom the data credits, and under which licence. */
  readonly credit: string;
  /** The publisher's own warning about this copy of the data, when it gives one. */
  readonly caveat?: string;
  /** The name of an imported snapshot: data of a chosen day, old on purpose, so never out of date. */
  readonly snapshot?: string;
}

/** The data and its age on some day: what a hover says. */
export interface DataAge {
  readonly about: DataAbout;
  /** Whole days from the data's date to that day. */
  readonly ageDays: number;
}

/** The data, its age and how old it may be: what the status bar, the report and `check` say. */
export interface DataStatus extends DataAge {
  /** Older than this many days, the data is out of date. */
  readonly maxAgeDays: number;
}

const DAY_MS = 86_400_000;

/** The about in an index's bytes (JSON), checked. Throws, saying to rebuild, when it is not one. */
export function parseDataAbout(json: string): DataAbout {
  let about: Partial<Record<keyof DataAbout, unknown>> | null | undefined;
  try {
    about = JSON.parse(json) as typeof about;
  } catch {
    about = undefined;
  }
  const isText = (value: unknown): value is string => typeof value === 'string';
  if (
    !about ||
    !isText(about.source) ||
    !isText(about.version) ||
    !isText(about.credit) ||
    !isText(about.date) ||
    !/^\d{4}-\d{2}-\d{2}$/.test(about.date) ||
    !(about.caveat === undefined || isText(about.caveat)) ||
    !(about.snapshot === undefined || isText(about.snapshot))
  ) {
    throw new Error('The ASN index does not say what data it holds: rebuild it with "npm run build".');
  }
  return about as DataAbout;
}

/** Whole days from the data's date to `today`, by their UTC days. */
export function ageInDays(about: DataAbout, today: Date): number {
  const [year, month, day] = about.date.split('-').map(Number);
  return Math.floor((Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - Date.UTC(year, month - 1, day)) / DAY_MS);
}

/** How old the data is on `today`, and how old it may be. */
export function dataStatus(about: DataAbout, today: Date, maxAgeDays: number): DataStatus {
  return { about, ageDays: ageInDays(about, today), maxAgeDays };
}

/** `Ownership data: @ip-location-db/asn 2.3.2026061719 of 2026-06-17 (168 days old); RouteViews, … CC BY 4.0.`: which data, how old, whose. */
export function dataLine({ about, ageDays }: DataAge): string {
  const age = ageDays < 0 ? 'dated after today' : `${ageDays} ${ageDays === 1 ? 'day' : 'days'} old`;
  if (about.snapshot !== undefined) return `Ownership snapshot "${about.snapshot}": ${about.source} of ${about.date} (${age}); ${about.credit}.`;
  return `Ownership data: ${about.source} ${about.version} of ${about.date} (${age}); ${about.credit}.`;
}

/** `dataLine`, then the publisher's caveat when it gives one: what a hover, the status bar, the report and `check` say of the data. */
export function dataNote(data: DataAge): string {
  return data.about.caveat ? `${dataLine(data)} ${data.about.caveat}` : dataLine(data);
}

/** Whether the data is older than its limit (a snapshot never is: it was chosen for its day). */
export function isOutOfDate({ about, ageDays, maxAgeDays }: DataStatus): boolean {
  return about.snapshot === undefined && ageDays > maxAgeDays;
}

/** What to say when the data is older than its limit; undefined while it is not. */
export function staleWarning(status: DataStatus): string | undefined {
  if (!isOutOfDate(status)) return undefined;
  const { about, ageDays, maxAgeDays } = status;
  return (
    `Ownership data is ${ageDays} days old (older than ${maxAgeDays}): who holds each address is as of ${about.date}, ` +
    'so findings about providers, organisations and collateral may be out of date.'
  );
}
