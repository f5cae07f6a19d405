/** Custom requests between the Blocklist Auditor client and server, one namespace each. */
import { RequestType, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { ReportData } from '../core/analysis/report';
import type { DataStatus } from '../core/ownership/dataAbout';
import type { OwnershipUpdate, RefreshReport } from './runtime';

/** Totals of one document with big numbers as decimal strings (JSON has no bigint). */
export interface SummaryResult {
  readonly format: string;
  readonly ipv4: { readonly entries: number; readonly addresses: string };
  readonly ipv6: { readonly entries: number; readonly addresses: string };
  readonly duplicates: number;
  readonly exceptions: number;
  readonly problems: number;
  /** The known providers with the most blocked IPv4 addresses (empty without ASN data, or for lists too large to sum on every change). */
  readonly providers: readonly { readonly name: string; readonly addresses: string }[];
  /** Which ownership data the audit used and how old it is (absent without ASN data). */
  readonly ownershipData?: DataStatus;
}

/** Sent by the client for the status bar and the report: the document's totals. */
export namespace SummaryRequest {
  export const method = 'blocklist/summary';
  export const type = new RequestType<{ readonly uri: string }, SummaryResult | null, void>(method);
}

/** What a feed refresh did: feeds updated (with their range counts) and feeds that failed (their last good copy is kept). */
export type RefreshFeedsResult = RefreshReport;

/**
 * Sent by the client's "Refresh Provider Ranges" command: download every provider feed, then re-audit the open lists.
 * Progress after each feed goes to `workDoneToken` ($/progress); cancelling the request stops the downloads still running.
 */
export namespace RefreshFeedsRequest {
  export const method = 'blocklist/refreshFeeds';
  export const type = new RequestType<WorkDoneProgressParams, RefreshFeedsResult, void>(method);
}

/** Sent by the client's "Import Provider Feed File" command: use a feed file downloaded by hand (Azure's weekly Service Tags, say). */
export namespace ImportFeedRequest {
  export const method = 'blocklist/importFeed';
  export const type = new RequestType<{ readonly source: string; readonly file: string }, { readonly ranges: number }, void>(method);
}

/** What an ownership data update put in place: the data, of what day, and its size. */
export type UpdateOwnershipDataResult = OwnershipUpdate;

/**
 * Sent by the client's "Update Ownership Data" command: download the dataset `blocklist.ownershipData` names, check it,
 * use it from then on and re-audit the open lists. Progress goes to `workDoneToken`; a failure (or cancelling the request)
 * leaves the data in use, and the error says why in one line.
 */
export namespace UpdateOwnershipDataRequest {
  export const method = 'blocklist/updateOwnershipData';
  export const type = new RequestType<WorkDoneProgressParams, UpdateOwnershipDataResult, void>(method);
}

/** Sent by the client for the audit report webview: everything the report shows about one document. */
export namespace ReportRequest {
  export const method = 'blocklist/report';
  export const type = new RequestType<{ readonly uri: string }, ReportData | null, void>(method);
}
