import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataLine, dataStatus, staleWarning, type DataAbout } from '../../server/src/core/ownership/dataAbout';

const about: DataAbout = { source: '@ip-location-db/asn', version: '2.3.2026061719', date: '2026-06-17', credit: 'RouteViews, NRO and DB-IP, CC BY 4.0' };

// oxfmt-ignore
const AGES: [today: string, line: string, stale: string | undefined][] = [
  ['2026-12-02T03:20:00Z', 'Ownership data: @ip-location-db/asn 2.3.2026061719 of 2026-06-17 (168 days old); RouteViews, NRO and DB-IP, CC BY 4.0.',
    'Ownership data is 168 days old (older than 90): who holds each address is as of 2026-06-17, so findings about providers, organisations and collateral may be out of date.'],
  // The day counts in UTC, whatever the hour.
  ['2026-09-15T23:59:59Z', 'Ownership data: @ip-location-db/asn 2.3.2026061719 of 2026-06-17 (90 days old); RouteViews, NRO and DB-IP, CC BY 4.0.', undefined],
  ['2026-09-16T00:00:00Z', 'Ownership data: @ip-location-db/asn 2.3.2026061719 of 2026-06-17 (91 days old); RouteViews, NRO and DB-IP, CC BY 4.0.',
    'Ownership data is 91 days old (older than 90): who holds each address is as of 2026-06-17, so findings about providers, organisations and collateral may be out of date.'],
  ['2026-06-18T00:00:00Z', 'Ownership data: @ip-location-db/asn 2.3.2026061719 of 2026-06-17 (1 day old); RouteViews, NRO and DB-IP, CC BY 4.0.', undefined],
  ['2026-06-17T12:00:00Z', 'Ownership data: @ip-location-db/asn 2.3.2026061719 of 2026-06-17 (0 days old); RouteViews, NRO and DB-IP, CC BY 4.0.', undefined],
  ['2026-06-16T12:00:00Z', 'Ownership data: @ip-location-db/asn 2.3.2026061719 of 2026-06-17 (dated after today); RouteViews, NRO and DB-IP, CC BY 4.0.', undefined],
];

test("the data's age counts whole UTC days to the day given, and past the limit it is called out of date", () => {
  for (const [today, line, stale] of AGES) {
    const status = dataStatus(about, new Date(today), 90);
    assert.equal(dataLine(status), line, today);
    assert.equal(staleWarning(status), stale, today);
  }
});
